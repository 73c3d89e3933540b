//! The kit: what every widget shares, and nothing that knows the site.
//!
//! Nothing here imports from `crate::app` or `crate::widgets` (a test in
//! `web/tests/layers.rs` checks). It holds:
//!
//! - [`query`]: URL state as serde `Params` (and [`choices`], name sets
//!   several widgets share), with notices for values a link
//!   got wrong, read through a context the app provides;
//! - [`stepper`]: the player and the hook that owns a step widget's step;
//!   [`motion`]: whether things may move (the player's toggle, the
//!   system's setting), how long, and FLIP travel with Web Animations;
//!   [`recording`]: a run recorded once on the model's `Timeline`;
//! - [`strip`]: a seekable strip of the whole run at a glance;
//! - [`checkpoint`]: predict-then-reveal, as a reducer and a view;
//! - [`host`] and [`xapi`]: the host side of embedding (resize and
//!   statement messages, origin rules);
//! - [`link`]: one link type for the site and the Go source, which links
//!   a Go function to its line through [`go_lines`], a table generated from
//!   the pinned GOROOT;
//! - [`browser`]: the window and clock, absent at build time;
//! - [`controls`], [`content`], [`data`], [`storage`], [`panic`]: small
//!   controls, text helpers, data files, localStorage, the panic panel.

pub mod browser;
pub mod checkpoint;
pub mod choices;
pub mod content;
pub mod controls;
pub mod data;
pub mod go_lines;
pub mod host;
pub mod link;
pub mod motion;
pub mod panic;
pub mod query;
pub mod recording;
pub mod stepper;
pub mod storage;
pub mod strip;
pub mod xapi;
