//! The reference content, one module per page, in our own words.

pub mod diagnose;
pub mod gc;
pub mod knobs;
pub mod memory;
pub mod overview;
pub mod quiz;
pub mod scheduler;
pub mod values;

use yew::prelude::*;

use crate::app::registry;

#[derive(Properties, PartialEq)]
pub struct PageHeadProps {
    pub slug: &'static str,
}

/// The page's heading and one-line summary, both from the registry.
#[function_component(PageHead)]
pub fn page_head(props: &PageHeadProps) -> Html {
    let page = registry::page(props.slug).expect("pages pass their own registry slug");
    html! {
        <header class="page-head">
            <h1>{ page.title }</h1>
            <p class="lede">{ page.summary }</p>
        </header>
    }
}

#[derive(Properties, PartialEq)]
pub struct PageBodyProps {
    pub slug: &'static str,
}

/// The content of the registry's page `slug`.
#[function_component(PageBody)]
pub fn page_body(props: &PageBodyProps) -> Html {
    registry::page(props.slug).map_or_else(Html::default, |p| (p.view)())
}
