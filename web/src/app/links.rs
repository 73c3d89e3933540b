//! Typed links to widgets: built from the target widget's `Params`, so a
//! link carries only keys its target reads, and it lands on the widget on
//! its page (the element whose id is the widget's slug).

use super::registry;
use crate::kit::link::Link;
use crate::kit::query::{self, Params};

/// A link that opens `P`'s widget on its page, set up by `params`.
pub fn widget<P: Params>(params: &P) -> Link {
    let page = registry::widget(P::WIDGET).map_or("", |w| w.page);
    Link {
        path: format!("/{page}"),
        query: query::to_query(params),
        anchor: P::WIDGET.to_owned(),
    }
}
