//! The app layer: the only code that names pages.
//!
//! - [`registry`]: the one list of pages and widgets. It drives the
//!   navigation, the static documents, `embed/<widget>`, the typed links
//!   between widgets ([`links`]) and the tests that mount every entry.
//! - With the `pages` feature (the build-time renderer and the tests):
//!   [`pages`], the reference content, one module per page; [`shell`], the
//!   site chrome, the embed frame and the not-found page; [`prerender`],
//!   every document of the site as static HTML.
//! - [`islands`]: what the release wasm does in the browser: mount each
//!   widget into its island of the static page, with the kit's contexts
//!   (the URL query, [`crate::kit::query`], and links,
//!   [`crate::kit::link::Navigate`]).

pub mod islands;
pub mod links;
#[cfg(feature = "pages")]
pub mod pages;
#[cfg(feature = "pages")]
pub mod prerender;
pub mod registry;
#[cfg(feature = "pages")]
pub mod shell;

pub use islands::start;
