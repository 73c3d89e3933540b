//! The big-picture map: source -> binary -> runtime -> its three parts, as
//! an SVG whose boxes are links to the pages that explain them (drawn in
//! [`draw`]). It has no URL state, and so no `state.rs`.

pub mod draw;

use yew::prelude::*;

use crate::kit::controls::CopyLink;
use crate::kit::link::{Link, Navigate};

#[function_component(BigPicture)]
pub fn big_picture() -> Html {
    let navigate = use_context::<Navigate>();
    // An SVG `<a>`, so not a `SiteLink`, but it behaves like one: a plain
    // left click moves within the app, any other opens as the browser would.
    let open = |to: Link| {
        let navigate = navigate.clone();
        Callback::from(move |e: MouseEvent| {
            let modified = e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key();
            if let (false, 0, Some(Navigate(nav))) = (modified, e.button(), navigate.as_ref()) {
                e.prevent_default();
                nav.emit(to.clone());
            }
        })
    };
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
