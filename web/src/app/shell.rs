//! The site chrome: skip link, header, navigation from the registry, the
//! main landmark, and the frame used by `embed/<widget>`.

use yew::prelude::*;
use yew_router::prelude::*;

use std::rc::Rc;

use wasm_bindgen::JsCast;

use super::registry::{self, PAGES};
use super::routes::{page_for, Route};
use crate::kit::host::{watch_size, Host};
use crate::kit::link::{bring_into_view, Link as SiteHref, SiteLink};

#[derive(Properties, PartialEq)]
pub struct LayoutProps {
    pub children: Html,
}

/// Header, navigation and footer around a page.
///
/// On every client-side navigation after the first render, focus moves to
/// the main landmark and the document title follows the page, so keyboard
/// and screen-reader users land on the new content. A URL with `#id` (a
/// link to a widget) lands on that element instead, on the first render
/// too: the browser looked for it before the app had drawn it.
#[function_component(SiteLayout)]
pub fn site_layout(props: &LayoutProps) -> Html {
    let route = use_route::<Route>();
    let first = use_mut_ref(|| true);
    {
        let route = route.clone();
        use_effect_with(route, move |route| {
            let title = route
                .as_ref()
                .and_then(page_for)
                .map(|p| p.title)
                .unwrap_or("Page not found");
            let document = web_sys::window().and_then(|w| w.document());
            if let Some(doc) = document {
                doc.set_title(&format!("{title} · Gopherscope"));
                let first = std::mem::replace(&mut *first.borrow_mut(), false);
                let hash = web_sys::window()
                    .and_then(|w| w.location().hash().ok())
                    .unwrap_or_default();
                if let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) {
                    bring_into_view(id.to_owned());
                } else if !first {
                    if let Some(main) = doc.get_element_by_id("main") {
                        if let Ok(el) = main.dyn_into::<web_sys::HtmlElement>() {
                            el.focus().ok();
                        }
                    }
                    if let Some(w) = web_sys::window() {
                        w.scroll_to_with_x_and_y(0.0, 0.0);
                    }
                }
            }
        });
    }
    let current = route.as_ref().and_then(page_for).map(|p| p.slug);
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
                            let here = current == Some(p.slug);
                            html! {
                                <li>
                                    <SiteLink to={SiteHref::page(&p.route().to_path())} current={here}>{ p.nav }</SiteLink>
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
    pub children: Html,
}

/// One widget without site chrome, for course pages that embed it.
///
/// It provides the [`Host`] to the widget, reports its height to the host
/// whenever it changes, and answers a host's size request (from the named
/// origin only).
#[function_component(EmbedFrame)]
pub fn embed_frame(props: &EmbedProps) -> Html {
    let title = registry::widget(props.widget).map_or("Widget", |w| w.title);
    let query = use_location()
        .map(|l| l.query_str().to_owned())
        .unwrap_or_default();
    let host = use_memo((props.widget, query), |(widget, query)| {
        Host::from_query(widget, query)
    });
    let main_ref = use_node_ref();
    {
        let host = host.clone();
        let main_ref = main_ref.clone();
        use_effect_with((title, host), move |(title, host)| {
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                doc.set_title(&format!("{title} · Gopherscope"));
            }
            let listeners = main_ref
                .cast::<web_sys::Element>()
                .map(|main| watch_size(host.clone(), main));
            move || drop(listeners)
        });
    }
    html! {
        <ContextProvider<Rc<Host>> context={host.clone()}>
            <main id="main" class="embed" data-widget={props.widget} ref={main_ref}>
                <h1 class="visually-hidden">{ title }</h1>
                if let Some(problem) = &host.problem {
                    <p class="notice" role="status">{ problem.clone() }</p>
                }
                { props.children.clone() }
            </main>
        </ContextProvider<Rc<Host>>>
    }
}

#[derive(Properties, PartialEq)]
pub struct NotFoundProps {
    pub what: String,
}

/// The not-found page: says what was asked for and where to go instead.
#[function_component(NotFound)]
pub fn not_found(props: &NotFoundProps) -> Html {
    html! {
        <article class="page">
            <h1>{ "Page not found" }</h1>
            <p>
                { "There is no page at " }<code>{ format!("/{}", props.what.trim_start_matches('/')) }</code>
                { ". It may have moved, or the link may have a typo. These pages exist:" }
            </p>
            <ul class="page-list">
                { for PAGES.iter().map(|p| html! {
                    <li><SiteLink to={SiteHref::page(&p.route().to_path())}>{ p.title }</SiteLink>{ " — " }{ p.summary }</li>
                }) }
            </ul>
            if props.what.trim_start_matches('/').starts_with("embed/") {
                <h2>{ "Widgets you can embed" }</h2>
                <p>{ "Each of these works alone in an iframe at the address shown:" }</p>
                <ul class="page-list" data-embed-list="">
                    { for registry::WIDGETS.iter().map(|w| {
                        let to = Route::Embed { widget: w.slug.to_owned() };
                        html! {
                            <li><SiteLink to={SiteHref::page(&to.to_path())}>{ w.title }</SiteLink>{ " — " }<code>{ to.to_path() }</code></li>
                        }
                    }) }
                </ul>
            }
        </article>
    }
}
