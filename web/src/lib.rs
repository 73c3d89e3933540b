//! The Gopherscope site: a Yew app over the `runtime-model` crate.
//!
//! - [`registry`] is the one list of pages and widgets; it drives the
//!   navigation, the routes, the `embed/<widget>` route and the tests that
//!   mount every entry.
//! - [`shell`] is the site chrome (header, navigation, not-found page).
//! - [`pages`] holds the reference content, one module per page.
//! - [`widgets`] holds the live, embeddable pieces driven by the model.

pub mod content;
pub mod controls;
pub mod data;
pub mod embed;
pub mod pages;
pub mod panic;
pub mod player;
pub mod registry;
pub mod routes;
pub mod shell;
pub mod storage;
pub mod urlstate;
pub mod widgets;

use yew::prelude::*;
use yew_router::prelude::*;

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
