//! The widgets: live, embeddable pieces driven by the model. Each works
//! inside its page and alone at `embed/<slug>`.
//!
//! One folder per widget, named as its slug (`gc_marking` for
//! `gc-marking`):
//! - `mod.rs`: the component;
//! - `state.rs`: its `Params` (what the URL holds, on serde), an `Action`
//!   enum and `impl Reducible`: plain data, no markup;
//! - `view.rs`: view functions;
//! - `draw.rs`: where it draws SVG or canvas.
//!
//! A widget imports from [`crate::kit`] and the model, never from
//! `crate::app` or from another widget (`web/tests/layers.rs` checks). A new
//! widget is a new folder here plus one entry in `app::registry::WIDGETS`.

pub mod allocator;
pub mod big_picture;
pub mod build_explorer;
pub mod escape;
pub mod gc_marking;
pub mod gc_pacer;
pub mod interfaces;
pub mod layout_lab;
pub mod logs;
pub mod quiz;
pub mod scheduler;
pub mod stack;
pub mod trace;
pub mod traps;
pub mod value_table;
