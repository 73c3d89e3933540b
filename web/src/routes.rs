//! Routes: a page per registry entry, `embed/<widget>` for iframes, and a
//! not-found page. The registry, not this enum, knows which slugs exist.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::registry::{self, Page};
use crate::shell::{EmbedFrame, NotFound, SiteLayout};

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

pub fn switch(route: Route) -> Html {
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
