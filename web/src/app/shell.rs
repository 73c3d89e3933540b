//! The site chrome, rendered into the static pages at build time: skip
//! link, header, navigation from the registry, the main landmark, the
//! frame of `embed/<widget>` and the not-found page.
//!
//! Nothing here runs in the browser: moving between pages is a plain link
//! (a new document, with its title and focus at the top), and the live
//! parts are the widgets' islands ([`super::islands`]).

use yew::prelude::*;

use super::registry::{self, mount, PAGES};
use crate::kit::link::{Link as SiteHref, SiteLink};

#[derive(Properties, PartialEq)]
pub struct LayoutProps {
    /// The slug of the page shown, marked in the navigation; `None` for
    /// the not-found page.
    #[prop_or_default]
    pub current: Option<&'static str>,
    pub children: Html,
}

/// Header, navigation and footer around a page.
#[function_component(SiteLayout)]
pub fn site_layout(props: &LayoutProps) -> Html {
    html! {
        <>
            <a class="skip-link" href="#main">{ "Skip to content" }</a>
            <header class="site-header">
                <SiteLink to={SiteHref::page("/")} class="brand">
                    <span class="brand-mark" aria-hidden="true">{ "◎" }</span>
                    { "Gopherscope" }
                </SiteLink>
                <nav aria-label="Pages">
                    <ul>
                        { for PAGES.iter().map(|p| {
                            let here = props.current == Some(p.slug);
                            html! {
                                <li>
                                    <SiteLink to={SiteHref::page(&p.path())} current={here}>{ p.nav }</SiteLink>
                                </li>
                            }
                        }) }
                    </ul>
                </nav>
            </header>
            <main id="main" tabindex="-1">
                { props.children.clone() }
            </main>
            <footer class="site-footer">
                <p>
                    { "The facts follow the Go " }{ runtime_model::GO_VERSION.trim_start_matches("go") }
                    { " source. Where a widget simplifies the runtime, it says so next to the widget." }
                </p>
            </footer>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    pub widget: &'static str,
}

/// One widget without site chrome, for course pages that embed it. The
/// island inside is marked `data-embed`: live, it talks to the host page
/// ([`crate::kit::host`]).
#[function_component(EmbedFrame)]
pub fn embed_frame(props: &EmbedProps) -> Html {
    let title = registry::widget(props.widget).map_or("Widget", |w| w.title);
    html! {
        <main id="main" class="embed" data-widget={props.widget}>
            <h1 class="visually-hidden">{ title }</h1>
            { mount(props.widget) }
        </main>
    }
}

#[derive(Properties, PartialEq)]
pub struct NotFoundProps {
    pub what: String,
}

/// The not-found page: says what was asked for and where to go instead.
/// One static page serves every unknown address, so the address is filled
/// in by the island script when the page opens (`data-requested-path`).
#[function_component(NotFound)]
pub fn not_found(props: &NotFoundProps) -> Html {
    html! {
        <article class="page">
            <h1>{ "Page not found" }</h1>
            <p>
                { "There is no page at " }<code data-requested-path="">{ format!("/{}", props.what.trim_start_matches('/')) }</code>
                { ". It may have moved, or the link may have a typo. These pages exist:" }
            </p>
            <ul class="page-list">
                { for PAGES.iter().map(|p| html! {
                    <li><SiteLink to={SiteHref::page(&p.path())}>{ p.title }</SiteLink>{ " — " }{ p.summary }</li>
                }) }
            </ul>
            <h2>{ "Widgets you can embed" }</h2>
            <p>{ "Each of these works alone in an iframe at the address shown:" }</p>
            <ul class="page-list" data-embed-list="">
                { for registry::WIDGETS.iter().map(|w| {
                    let to = registry::embed_path(w.slug);
                    html! {
                        <li><SiteLink to={SiteHref::page(&to)}>{ w.title }</SiteLink>{ " — " }<code>{ to.clone() }</code></li>
                    }
                }) }
            </ul>
        </article>
    }
}
