//! The animation's drawing: the three tiers a small allocation climbs
//! through (the P's mcache, the mcentral of each span class, the mheap's
//! pages), with the span and the tier the current step is about marked.

use runtime_model::malloc::{AllocEvent, AllocSim, Mspan, SpanClass, SpanHome};
use runtime_model::sizeclasses::PAGE_SIZE;
use yew::prelude::*;

use super::view::bytes;

/// A span's slots: a cell each when there are few, a filled bar otherwise,
/// always with the count in words.
fn slots_view(span: &Mspan) -> Html {
    let used = span.alloc_count();
    let count = format!("{used}/{} used", span.nelems);
    if span.nelems <= 64 {
        html! {
            <span class="slots">
                <span class="slot-cells" aria-hidden="true">
                    { for span.slots.iter().map(|s| html! {
                        <span class={classes!("slot", (!s.is_empty()).then_some("used"))}></span>
                    }) }
                </span>
                <span class="slot-count">{ count }</span>
            </span>
        }
    } else {
        // An SVG bar: its width is an attribute, not an inline style (which
        // the site's Content Security Policy forbids).
        let fill = format!("{}%", used * 100 / span.nelems.max(1));
        html! {
            <span class="slots">
                <svg class="slot-bar" aria-hidden="true"><rect class="slot-bar-fill" width={fill} height="100%" /></svg>
                <span class="slot-count">{ count }</span>
            </span>
        }
    }
}

fn class_label(spc: SpanClass) -> String {
    format!(
        "class {} {}",
        spc.size_class(),
        if spc.noscan() { "noscan" } else { "scan" }
    )
}

fn span_chip(sim: &AllocSim, id: usize, active: Option<usize>) -> Html {
    let span = &sim.spans()[id];
    let here = active == Some(id);
    let elem = if span.spanclass.size_class() == 0 {
        format!("large, {} pages", span.npages)
    } else {
        format!("{} B slots", span.elemsize)
    };
    html! {
        <li class={classes!("span-chip", here.then_some("active"))} data-span={id.to_string()}>
            <span class="span-name">{ format!("span {id}") }</span>
            if here { <span class="now-mark">{ " ◀ now" }</span> }
            <span class="span-detail">{ format!(" · {elem} · ") }</span>
            { slots_view(span) }
        </li>
    }
}

/// The span an event is about, to mark it.
fn event_span(event: Option<&AllocEvent>) -> Option<usize> {
    use runtime_model::malloc::AllocEventKind as K;
    match &event?.kind {
        K::TinyPacked { span, .. }
        | K::SlotTaken { span, .. }
        | K::CentralCacheSpan { span, .. }
        | K::HeapAlloc { span, .. }
        | K::Swept { span, .. } => Some(*span),
        K::McacheRefill { returned, .. } => *returned,
        K::CentralGrow { .. }
        | K::HeapGrow { .. }
        | K::Malloc { .. }
        | K::ZeroBase
        | K::GcStart { .. }
        | K::Done => None,
    }
}

/// The heap's pages as runs: (first page, pages, span or free).
fn page_runs(pages: &[Option<usize>]) -> Vec<(usize, usize, Option<usize>)> {
    let mut runs: Vec<(usize, usize, Option<usize>)> = Vec::new();
    for (i, &p) in pages.iter().enumerate() {
        match runs.last_mut() {
            Some((_, n, owner)) if *owner == p => *n += 1,
            _ => runs.push((i, 1, p)),
        }
    }
    runs
}

/// The three tiers at one step; `event` is the step just taken.
pub fn sim_view(sim: &AllocSim, event: Option<&AllocEvent>) -> Html {
    let actor = event.map(|e| e.actor).unwrap_or("");
    let active = event_span(event);
    let tier = |name: &'static str, title: &'static str, body: Html| {
        let here = actor == name || (name == "mcache" && actor == "mallocgc");
        html! {
            <section class={classes!("tier", here.then_some("active"))} aria-label={title}>
                <h4>{ title }if here { <span class="now-mark">{ " ◀ acting now" }</span> }</h4>
                { body }
            </section>
        }
    };
    let mcache = sim.mcache();
    let mcache_body = html! {
        <>
            if mcache.alloc.is_empty() {
                <p class="empty">{ "No cached spans." }</p>
            } else {
                <ul class="span-list">
                    { for mcache.alloc.iter().map(|(spc, &id)| html! {
                        <>
                            <li class="list-head">{ class_label(*spc) }</li>
                            { span_chip(sim, id, active) }
                        </>
                    }) }
                </ul>
            }
            if let Some((span, slot)) = mcache.tiny {
                <p class="tiny-block">
                    { format!("Tiny block: span {span} slot {slot}, {} of 16 B used ", mcache.tinyoffset) }
                    <span class="tiny-cells" aria-hidden="true">
                        { for (0..16).map(|b| html! { <span class={classes!("byte", (b < mcache.tinyoffset).then_some("used"))}></span> }) }
                    </span>
                </p>
            }
        </>
    };
    let central_body = if sim.central().is_empty() {
        html! { <p class="empty">{ "No span class used yet." }</p> }
    } else {
        html! {
            <ul class="central-list">
                { for sim.central().iter().map(|(spc, c)| html! {
                    <li>
                        <span class="list-head">{ class_label(*spc) }</span>
                        <div class="central-lists">
                            <div>
                                <span class="list-name">{ "partial (free slots)" }</span>
                                if c.partial.is_empty() { <span class="empty">{ " empty" }</span> }
                                <ul class="span-list">{ for c.partial.iter().map(|&id| span_chip(sim, id, active)) }</ul>
                            </div>
                            <div>
                                <span class="list-name">{ "full" }</span>
                                if c.full.is_empty() { <span class="empty">{ " empty" }</span> }
                                <ul class="span-list">{ for c.full.iter().map(|&id| span_chip(sim, id, active)) }</ul>
                            </div>
                        </div>
                    </li>
                }) }
            </ul>
        }
    };
    let pages = sim.pages();
    let used_pages = pages.iter().filter(|p| p.is_some()).count();
    let heap_body = html! {
        <>
            <p>{ format!("{} pages mapped ({}), {used_pages} in use.", pages.len(), bytes(pages.len() as u64 * PAGE_SIZE)) }</p>
            <ul class="page-runs">
                { for page_runs(pages).into_iter().map(|(first, n, owner)| {
                    let range = if n == 1 { format!("page {first}") } else { format!("pages {first}–{}", first + n - 1) };
                    let (class, text) = match owner {
                        None => ("free", format!("{range}: free")),
                        Some(id) => {
                            let s = &sim.spans()[id];
                            let what = if s.home == SpanHome::Large {
                                "large object".to_owned()
                            } else {
                                format!("class {}", s.spanclass.size_class())
                            };
                            ("used", format!("{range}: span {id} ({what})"))
                        }
                    };
                    let here = owner.is_some() && owner == active;
                    html! {
                        <li class={classes!("page-run", class, here.then_some("active"))}>
                            { text }if here { <span class="now-mark">{ " ◀ now" }</span> }
                        </li>
                    }
                }) }
            </ul>
        </>
    };
    html! {
        <div class="tiers">
            { tier("mcache", "mcache (this P's, no locks)", mcache_body) }
            { tier("mcentral", "mcentral (one per span class)", central_body) }
            { tier("mheap", "mheap (pages)", heap_body) }
        </div>
    }
}
