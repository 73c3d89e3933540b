//! Live, embeddable widgets. Each is listed in [`crate::registry::WIDGETS`]
//! and works both inside its page and alone at `embed/<slug>`.

pub mod allocator;
pub mod big_picture;
pub mod build_explorer;
pub mod escape;
pub mod gc_mark;
pub mod gc_pacer;
pub mod iface;
pub mod layout_lab;
pub mod quiz;
pub mod scheduler;
pub mod stack;
pub mod value_table;
