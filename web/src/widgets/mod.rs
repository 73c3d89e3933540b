//! Live, embeddable widgets. Each is listed in [`crate::registry::WIDGETS`]
//! and works both inside its page and alone at `embed/<slug>`.

pub mod allocator;
pub mod big_picture;
pub mod escape;
pub mod iface;
pub mod quiz;
pub mod stack;
pub mod value_table;
