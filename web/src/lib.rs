//! The Gopherscope site: a Yew app over the `runtime-model` crate, in three
//! layers whose imports go one way, `app -> widgets -> kit -> runtime_model`:
//!
//! - [`app`]: the only code that names routes and pages: the App, the
//!   route switch, the shell, the embed frame, the pages and the registry
//!   (the one list of pages and widgets).
//! - [`widgets`]: one folder per live widget, each with its typed URL state.
//! - [`kit`]: the shared pieces the widgets are built from.

pub mod app;
pub mod kit;
pub mod widgets;

pub use app::start;
