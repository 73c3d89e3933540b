//! The big-picture map: source -> binary -> runtime -> its three parts, as
//! an SVG whose boxes are links to the pages that explain them (drawn in
//! [`draw`]). It has no URL state, and so no `state.rs`.

pub mod draw;

use yew::prelude::*;

use crate::kit::controls::CopyLink;
use crate::kit::link::{follow, Link, Navigate};

#[function_component(BigPicture)]
pub fn big_picture() -> Html {
    let navigate = use_context::<Navigate>();
    // An SVG `<a>`, so not a `SiteLink`, but it behaves like one.
    let open = |to: Link| follow(navigate.clone(), to);
    html! {
        <figure class="big-picture">
            { draw::diagram(open) }
            <figcaption>
                <CopyLink />{ " " }
                { "Solid arrows: one thing produces or contains the next. Dashed: the scheduler \
                   runs goroutines on the CPUs, and what the memory system allocates is what the \
                   collector later frees." }
            </figcaption>
        </figure>
    }
}
