//! The site chrome: skip link, header, navigation from the registry, the
//! main landmark, and the frame used by `embed/<widget>`.

use yew::prelude::*;
use yew_router::prelude::*;

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::embed::Host;
use crate::registry::{self, PAGES};
use crate::routes::{page_for, Route};

#[derive(Properties, PartialEq)]
pub struct LayoutProps {
    pub children: Html,
}

/// Header, navigation and footer around a page.
///
/// On every client-side navigation after the first render, focus moves to
/// the main landmark and the document title follows the page, so keyboard
/// and screen-reader users land on the new content.
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
                if !std::mem::replace(&mut *first.borrow_mut(), false) {
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
                <Link<Route> to={Route::Home} classes="brand">
                    <span class="brand-mark" aria-hidden="true">{ "◎" }</span>
                    { "Gopherscope" }
                </Link<Route>>
                <nav aria-label="Pages">
                    <ul>
                        { for PAGES.iter().map(|p| {
                            let here = current == Some(p.slug);
                            html! {
                                <li>
                                    <NavLink to={p.route()} current={here}>{ p.nav }</NavLink>
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
pub struct NavLinkProps {
    pub to: Route,
    #[prop_or_default]
    pub current: bool,
    pub children: Html,
}

/// A real `<a href>` (so it opens in a new tab and works without the
/// router) that navigates in-app on a plain click, and marks the current
/// page with `aria-current`, not only with colour.
#[function_component(NavLink)]
pub fn nav_link(props: &NavLinkProps) -> Html {
    let navigator = use_navigator();
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |e: MouseEvent| {
            let modified = e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key();
            if let (false, 0, Some(nav)) = (modified, e.button(), navigator.as_ref()) {
                e.prevent_default();
                nav.push(&to);
            }
        })
    };
    html! {
        <a href={props.to.to_path()} {onclick}
           class={classes!(props.current.then_some("current"))}
           aria-current={props.current.then_some("page")}>
            { props.children.clone() }
        </a>
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

/// What keeps the size reporting alive; dropping it stops it.
struct SizeWatch {
    observer: web_sys::ResizeObserver,
    _on_resize: Closure<dyn FnMut()>,
    _on_message: EventListener,
}

impl Drop for SizeWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

fn watch_size(host: Rc<Host>, main: web_sys::Element) -> Option<SizeWatch> {
    let report = {
        let host = host.clone();
        let main = main.clone();
        move || {
            let height = main.get_bounding_client_rect().height().ceil();
            host.post("gopherscope:resize", &[("height", height.into())]);
        }
    };
    // Report once now: browsers skip rendering (and so ResizeObserver) in
    // cross-origin frames that are off screen, and the host needs a height
    // to lay out its page before the reader scrolls there.
    report();
    let on_resize = Closure::<dyn FnMut()>::new(report.clone());
    let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
    observer.observe(&main);
    let window = web_sys::window()?;
    let on_message = EventListener::new(&window, "message", move |e| {
        let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
            return;
        };
        if !host.accepts_from(&e.origin()) {
            return; // Only the host that named itself may ask.
        }
        let kind = js_sys::Reflect::get(&e.data(), &"type".into())
            .ok()
            .and_then(|t| t.as_string());
        if kind.as_deref() == Some("gopherscope:request-size") {
            report();
        }
    });
    Some(SizeWatch {
        observer,
        _on_resize: on_resize,
        _on_message: on_message,
    })
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
                    <li><Link<Route> to={p.route()}>{ p.title }</Link<Route>>{ " — " }{ p.summary }</li>
                }) }
            </ul>
            if props.what.trim_start_matches('/').starts_with("embed/") {
                <h2>{ "Widgets you can embed" }</h2>
                <p>{ "Each of these works alone in an iframe at the address shown:" }</p>
                <ul class="page-list" data-embed-list="">
                    { for registry::WIDGETS.iter().map(|w| {
                        let to = Route::Embed { widget: w.slug.to_owned() };
                        html! {
                            <li><Link<Route> to={to.clone()}>{ w.title }</Link<Route>>{ " — " }<code>{ to.to_path() }</code></li>
                        }
                    }) }
                </ul>
            }
        </article>
    }
}
