//! Routes: a page per registry entry, `embed/<widget>` for iframes, and a
//! not-found page. The registry, not this enum, knows which slugs exist.

use yew::prelude::*;
use yew_router::prelude::*;

use std::rc::Rc;

use yew_router::query::Raw;

use super::registry::{self, Page};
use super::shell::{EmbedFrame, NotFound, SiteLayout};
use crate::kit::link::{bring_into_view, Link, Navigate};
use crate::kit::query::QueryContext;

#[derive(Clone, Debug, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/embed/:widget")]
    Embed { widget: String },
    #[at("/:page")]
    Page { page: String },
    #[not_found]
    #[at("/not-found")]
    NotFound,
}

impl Page {
    /// The route that shows this page.
    pub fn route(&self) -> Route {
        if self.slug.is_empty() {
            Route::Home
        } else {
            Route::Page {
                page: self.slug.to_owned(),
            }
        }
    }
}

/// The route for a site path such as `/gc` (`/` is home).
pub fn path_route(path: &str) -> Route {
    Route::recognize(path).unwrap_or(Route::NotFound)
}

/// The page a route shows, if any (embeds are not pages).
pub fn page_for(route: &Route) -> Option<&'static Page> {
    match route {
        Route::Home => registry::page(""),
        Route::Page { page } => registry::page(page),
        Route::Embed { .. } | Route::NotFound => None,
    }
}

/// What the route shows, inside the contexts the kit reads: the URL query
/// and in-app navigation.
pub fn switch(route: Route) -> Html {
    html! { <Contexts>{ route_view(route) }</Contexts> }
}

#[derive(Properties, PartialEq)]
struct ContextsProps {
    children: Html,
}

/// Provides [`QueryContext`] (the query of the current URL, replaced
/// without a history entry) and [`Navigate`] (a link click: a new history
/// entry for another page, a replaced query on the same page, then the
/// link's anchor scrolled into view with focus).
#[function_component(Contexts)]
fn contexts(props: &ContextsProps) -> Html {
    let location = use_location();
    let navigator = use_navigator();
    let route = use_route::<Route>().unwrap_or(Route::Home);
    let query: Rc<str> = location
        .map(|l| Rc::from(l.query_str().trim_start_matches('?')))
        .unwrap_or_else(|| Rc::from(""));
    let replace = {
        let (navigator, route) = (navigator.clone(), route.clone());
        Callback::from(move |next: String| {
            if let Some(nav) = &navigator {
                nav.replace_with_query(&route, Raw(next)).ok();
            }
        })
    };
    let query_ctx = QueryContext { query, replace };
    let navigate = Navigate(Callback::from(move |link: Link| {
        let Some(nav) = &navigator else { return };
        let target = path_route(&link.path);
        let query = Raw(link.query.clone());
        if target == route {
            nav.replace_with_query(&target, query).ok();
        } else {
            nav.push_with_query(&target, query).ok();
        }
        if !link.anchor.is_empty() {
            keep_fragment(&link);
            bring_into_view(link.anchor.clone());
        }
    }));
    html! {
        <ContextProvider<QueryContext> context={query_ctx}>
            <ContextProvider<Navigate> context={navigate}>
                { props.children.clone() }
            </ContextProvider<Navigate>>
        </ContextProvider<QueryContext>>
    }
}

/// Puts the link's `#anchor` back in the address bar after the router
/// navigated (its navigator takes no fragment), keeping the history
/// entry's state, so that a copied address lands on the widget too.
fn keep_fragment(link: &Link) {
    let Some(window) = web_sys::window() else {
        return;
    };
    // Only where the address bar follows the router (not in a memory
    // history, as the component tests use).
    if window.location().pathname().ok().as_deref() != Some(link.path.as_str()) {
        return;
    }
    let Ok(history) = window.history() else {
        return;
    };
    let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
    history
        .replace_state_with_url(&state, "", Some(&link.href()))
        .ok();
}

fn route_view(route: Route) -> Html {
    if let Route::Embed { widget } = &route {
        return match registry::widget(widget) {
            Some(w) => html! { <EmbedFrame widget={w.slug}>{ (w.view)() }</EmbedFrame> },
            None => {
                html! { <SiteLayout><NotFound what={format!("embed/{widget}")} /></SiteLayout> }
            }
        };
    }
    match page_for(&route) {
        Some(page) => html! { <SiteLayout>{ (page.view)() }</SiteLayout> },
        None => html! { <SiteLayout><NotFound what={route_label(&route)} /></SiteLayout> },
    }
}

fn route_label(route: &Route) -> String {
    match route {
        Route::Page { page } => page.clone(),
        _ => web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default(),
    }
}
