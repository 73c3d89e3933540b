//! The overview: how to read the track, the big-picture map, and the pages.

use yew::prelude::*;

use crate::app::registry::mount;

use super::PageHead;
use crate::app::registry::PAGES;
use crate::kit::link::{Link as SiteHref, SiteLink};

#[function_component(Overview)]
pub fn overview() -> Html {
    html! {
        <article class="page">
            <PageHead slug="" />
            <section aria-labelledby="how-to-read">
                <h2 id="how-to-read">{ "How to read this" }</h2>
                <p>
                    { "You can write good Go for years without thinking about any of this. \
                       The internals earn their keep when something goes wrong: memory that \
                       climbs, requests that stall, allocations you did not expect. This site \
                       maps each such symptom to the mechanism behind it and to the knob or \
                       tool that helps. Skim to find your problem, then open the page and play \
                       with the model." }
                </p>
            </section>
            <section aria-labelledby="big-picture-h">
                <h2 id="big-picture-h">{ "The big picture" }</h2>
                <p>
                    { "The compiler and linker turn your source into one static binary that \
                       carries the runtime inside it. The runtime has three big parts: the \
                       scheduler, which multiplexes goroutines onto OS threads and CPUs; the \
                       memory system, which puts values on stacks or the heap; and the garbage \
                       collector, which frees heap memory nothing can reach any more. Select a \
                       box to open its page." }
                </p>
                { mount("big-picture") }
            </section>
            <section aria-labelledby="pages">
                <h2 id="pages">{ "The pages" }</h2>
                <ul class="page-list">
                    { for PAGES.iter().filter(|p| !p.slug.is_empty()).map(|p| html! {
                        <li><SiteLink to={SiteHref::page(&p.path())}>{ p.title }</SiteLink>{ " — " }{ p.summary }</li>
                    }) }
                </ul>
            </section>
        </article>
    }
}
