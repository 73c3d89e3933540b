//! Live, embeddable widgets. Each is listed in [`crate::registry::WIDGETS`]
//! and works both inside its page and alone at `embed/<slug>`.

pub mod big_picture;
pub mod build_explorer;
pub mod iface;
pub mod quiz;
pub mod value_table;
