//! The app layer: the only code that names routes and pages.
//!
//! - [`registry`]: the one list of pages and widgets. It drives the
//!   navigation, the routes, `embed/<widget>`, the typed links between
//!   widgets ([`links`]) and the tests that mount every entry.
//! - [`routes`]: the route switch; [`shell`]: the site chrome, the embed
//!   frame and the not-found page; [`pages`]: the reference content, one
//!   module per page.
//!
//! It provides the kit's contexts: the URL query ([`crate::kit::query`])
//! and in-app navigation ([`crate::kit::link::Navigate`]).

pub mod links;
pub mod pages;
pub mod registry;
pub mod routes;
pub mod shell;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::kit::panic;
use routes::{switch, Route};

/// The whole application: a browser router around the route switch.
#[function_component(App)]
pub fn app() -> Html {
    html! {
        <BrowserRouter>
            <Switch<Route> render={switch} />
        </BrowserRouter>
    }
}

/// Installs the panic panel, removes the loading indicator and mounts the app.
pub fn start() {
    panic::install();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("Gopherscope runs in a browser page");
    if let Some(loading) = document.get_element_by_id("loading") {
        loading.remove();
    }
    let root = document
        .get_element_by_id("app")
        .expect("index.html has a #app element");
    yew::Renderer::<App>::with_root(root).render();
}
