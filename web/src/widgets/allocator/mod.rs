//! The allocator: type a size and see the path `mallocgc` takes, the size
//! class and what rounding wastes; the table of all 67 classes with that
//! class marked; and a run of allocations animated through mcache ->
//! mcentral -> mheap. State in the URL:
//! `?size=33&pointers=1&run=mixed&alloc-step=12`.

use runtime_model::malloc::{
    plan_alloc, AllocEvent, AllocPath, AllocPlan, AllocRequest, AllocSim, Mspan, SpanClass,
    SpanHome,
};
use runtime_model::sizeclasses::{class_to_size, size_classes, PAGE_SIZE, TINY_SIZE_CLASS};
use yew::prelude::*;

use crate::kit::controls::{parse_whole, CopyLink, NumberField};
use crate::kit::link::go_source as source_link;
use crate::kit::query::{param, use_query_state};
use crate::kit::stepper::{use_stepper, Stepper};

/// The largest size the field takes: 1 TB.
pub const SIZE_LIMIT: u64 = 1 << 40;
const DEFAULT_SIZE: u64 = 33;
/// Past this the "your size" run would map more pages than is worth
/// drawing; the mixed run is shown instead.
const OWN_RUN_LIMIT: u64 = 1 << 20;

/// One row of the size-class table, with the columns of the comment at the
/// top of internal/runtime/gc/sizeclasses.go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassRow {
    pub class: u8,
    pub bytes_per_obj: u64,
    pub bytes_per_span: u64,
    pub objects: u64,
    /// Bytes at the end of a span that no object covers.
    pub tail_waste: u64,
    /// The most bytes of a span that can be lost: every object one byte
    /// bigger than the class below, plus the tail. Shown as a share of
    /// the span, like sizeclasses.go's "max waste" column.
    pub max_waste: u64,
}

/// `part / whole` as a percentage with `decimals` places, rounded half to
/// even like Go's `%.2f`; integer arithmetic keeps float formatting out of
/// the bundle.
pub fn percent(part: u64, whole: u64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let whole = whole.max(1);
    // Callers pass sizes up to 2^40, so this stays far below u64::MAX.
    let num = part.saturating_mul(scale * 100);
    let (q, r) = (num / whole, num % whole);
    let q = if 2 * r > whole || (2 * r == whole && q % 2 == 1) {
        q + 1
    } else {
        q
    };
    let (int, frac) = (q / scale, q % scale);
    if decimals == 0 {
        format!("{int}%")
    } else {
        format!("{int}.{frac:0width$}%", width = decimals as usize)
    }
}

/// The 67 classes from the model's size-class table, with the worst-case
/// waste in bytes (sizeclasses.go's "max waste" column as bytes).
pub fn class_rows() -> Vec<ClassRow> {
    size_classes()
        .map(|c| {
            let prev = if c.class > 1 {
                class_to_size(c.class - 1)
            } else {
                0
            };
            ClassRow {
                class: c.class,
                bytes_per_obj: c.size,
                bytes_per_span: c.span_bytes,
                objects: c.objects,
                tail_waste: c.tail_waste,
                max_waste: (c.size - prev - 1) * c.objects + c.tail_waste,
            }
        })
        .collect()
}

/// Which run of allocations the animation plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run {
    /// A fixed teaching run: tiny packing, spans that fill, a large object,
    /// a GC, and reuse after it.
    Mixed,
    /// Allocations of the size in the field.
    Yours,
}

impl Run {
    fn name(self) -> &'static str {
        match self {
            Run::Mixed => "mixed",
            Run::Yours => "yours",
        }
    }
}

/// What the URL asks for, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct AllocSettings {
    pub size: u64,
    pub pointers: bool,
    pub run: Run,
}

/// Reads the URL's `size`, `pointers` and `run`; anything malformed falls
/// back to its default with a sentence saying so.
pub fn resolve(
    size: Option<&str>,
    pointers: Option<&str>,
    run: Option<&str>,
) -> (AllocSettings, Vec<String>) {
    let mut notices = Vec::new();
    let size = match size {
        None => DEFAULT_SIZE,
        Some(s) => parse_whole(s, "The size", 0, SIZE_LIMIT).unwrap_or_else(|why| {
            notices.push(format!(
                "The link's size is not usable ({why}); showing {DEFAULT_SIZE} bytes."
            ));
            DEFAULT_SIZE
        }),
    };
    let pointers = match pointers {
        None | Some("0") | Some("false") => false,
        Some("1") | Some("true") => true,
        Some(other) => {
            notices.push(format!(
                "The link's pointers value \"{other}\" is not 0 or 1; showing a pointer-free object."
            ));
            false
        }
    };
    let run = match run {
        None | Some("mixed") => Run::Mixed,
        Some("yours") => Run::Yours,
        Some(other) => {
            notices.push(format!(
                "There is no run \"{other}\"; playing the mixed run. Runs: mixed, yours."
            ));
            Run::Mixed
        }
    };
    (
        AllocSettings {
            size,
            pointers,
            run,
        },
        notices,
    )
}

fn alloc(size: u64, keep: bool) -> AllocRequest {
    AllocRequest::Alloc {
        size,
        noscan: true,
        keep,
    }
}

/// The simulation the animation plays, from its first step.
pub fn scenario(settings: &AllocSettings) -> AllocSim {
    let noscan = !settings.pointers;
    if settings.run == Run::Yours && settings.size <= OWN_RUN_LIMIT {
        let plan = plan_alloc(settings.size, noscan);
        // Enough to fill one span and start the next, but not hundreds.
        let n = (plan.objects_per_span + 1).clamp(3, 12) as usize;
        return AllocSim::scenario_fill_spans(settings.size, noscan, n, 2);
    }
    AllocSim::new(vec![
        alloc(4, true),
        alloc(8, false),
        alloc(12, true),
        alloc(8192, true),
        alloc(8192, false),
        alloc(8192, true),
        alloc(100_000, false),
        AllocRequest::Gc,
        alloc(8192, true),
        alloc(6, true),
    ])
}

/// Where the Go function an event names lives in the Go source.
fn source_file(function: &str) -> Option<&'static str> {
    match function {
        f if f.starts_with("mallocgc") || f == "nextFreeFast" => Some("runtime/malloc.go"),
        f if f.starts_with("mcache.") => Some("runtime/mcache.go"),
        f if f.starts_with("mcentral.") => Some("runtime/mcentral.go"),
        f if f.starts_with("mheap.") => Some("runtime/mheap.go"),
        "mspan.sweep" | "sweepone" => Some("runtime/mgcsweep.go"),
        _ => None,
    }
}

/// A Go function's name, linked to its file when we know it.
pub fn go_function_link(function: &str, file: Option<&str>) -> Html {
    match file {
        Some(file) => html! {
            <a href={source_link(file)} target="_blank" rel="noopener">
                <code>{ function.to_owned() }</code>{ format!(" ({file})") }
            </a>
        },
        None if !function.is_empty() => html! { <code>{ function.to_owned() }</code> },
        None => html! {},
    }
}

fn path_steps(plan: &AllocPlan) -> Html {
    let steps = [
        (AllocPath::ZeroBase, "Size 0: no memory at all, the address of runtime.zerobase."),
        (
            AllocPath::Tiny,
            "Pointer-free and under 16 B: the tiny allocator packs it into a shared 16-byte block.",
        ),
        (
            AllocPath::Small,
            "Up to 32,760 B: rounded up to a size class and taken from the mcache's span, with no lock.",
        ),
        (
            AllocPath::Large,
            "Larger: its own run of whole 8 KB pages, straight from mheap.",
        ),
    ];
    html! {
        <ol class="alloc-path" aria-label="The paths mallocgc can take">
            { for steps.iter().map(|(path, text)| {
                let taken = *path == plan.path;
                html! {
                    <li class={classes!(taken.then_some("taken"))} aria-current={taken.then_some("true")}>
                        <span class="path-mark">{ if taken { "✔ this one: " } else { "" } }</span>
                        { *text }
                    </li>
                }
            }) }
        </ol>
    }
}

fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 && n % (1 << 30) == 0 => format!("{} GB", n >> 30),
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KB", n >> 10),
        n => format!("{n} B"),
    }
}

fn plan_facts(plan: &AllocPlan) -> Html {
    let fact = |term: &str, value: String| {
        html! { <><dt>{ term.to_owned() }</dt><dd>{ value }</dd></> }
    };
    let pct = |part: u64, of: u64| {
        if of == 0 {
            String::new()
        } else {
            format!(" ({} of the slot)", percent(part, of, 1))
        }
    };
    let class = match plan.path {
        AllocPath::ZeroBase => "none: nothing is allocated".to_owned(),
        AllocPath::Large => "none: large objects have no class (class 0)".to_owned(),
        AllocPath::Tiny => format!(
            "{} (16-byte blocks shared by tiny objects)",
            TINY_SIZE_CLASS
        ),
        AllocPath::Small => format!(
            "{} ({} span class)",
            plan.size_class,
            if plan.noscan { "noscan" } else { "scan" }
        ),
    };
    let slot = match plan.path {
        AllocPath::ZeroBase => "0 B".to_owned(),
        AllocPath::Tiny => format!("{} B inside a 16-byte block", plan.slot),
        AllocPath::Large => format!("{} B = {} page(s) of 8 KB", plan.slot, plan.npages),
        AllocPath::Small => format!("{} B", plan.slot),
    };
    let header = if plan.header > 0 {
        format!(
            "{} B in front of the object: it has pointers and is over 512 B, so its type is kept in a header",
            plan.header
        )
    } else if plan.path == AllocPath::Small && !plan.noscan {
        "none: up to 512 B, the pointer bitmap sits at the end of the span".to_owned()
    } else {
        "none".to_owned()
    };
    let waste = match plan.path {
        AllocPath::Tiny => "0 B of its own; the block's unused bytes are shared".to_owned(),
        _ => format!("{} B{}", plan.waste, pct(plan.waste, plan.slot)),
    };
    let per_span = match plan.path {
        AllocPath::ZeroBase => "no span".to_owned(),
        AllocPath::Large => "1: the span is the object".to_owned(),
        AllocPath::Tiny => format!(
            "{} blocks of 16 B in a {}-page span",
            plan.objects_per_span, plan.npages
        ),
        AllocPath::Small => format!(
            "{} in a span of {} page(s) ({})",
            plan.objects_per_span,
            plan.npages,
            bytes(plan.npages * PAGE_SIZE)
        ),
    };
    html! {
        <dl class="plan-facts">
            <dt>{ "Go function" }</dt>
            <dd>{ go_function_link(plan.go_function, Some("runtime/malloc.go")) }</dd>
            { fact("Size class", class) }
            { fact("Slot size", slot) }
            { fact("Malloc header", header) }
            { fact("Rounding waste", waste) }
            { fact("Objects per span", per_span) }
            { fact("roundupsize (what append grows to)", format!("{} B", plan.usable)) }
        </dl>
    }
}

fn class_table(plan: &AllocPlan) -> Html {
    let marked = match plan.path {
        AllocPath::Small | AllocPath::Tiny => Some(plan.size_class),
        AllocPath::ZeroBase | AllocPath::Large => None,
    };
    let caption = match marked {
        Some(c) => format!(
            "All 67 size classes (64-bit). Marked ▶: class {c}, where {} B lands.",
            plan.size
        ),
        None => format!(
            "All 67 size classes (64-bit). {} B uses no class, so no row is marked.",
            plan.size
        ),
    };
    html! {
        <table class="class-table">
            <caption>{ caption }</caption>
            <thead>
                <tr>
                    <th scope="col" class="num">{ "Class" }</th>
                    <th scope="col" class="num">{ "Bytes/obj" }</th>
                    <th scope="col" class="num">{ "Bytes/span" }</th>
                    <th scope="col" class="num">{ "Objects" }</th>
                    <th scope="col" class="num">{ "Tail waste" }</th>
                    <th scope="col" class="num">{ "Max waste" }</th>
                </tr>
            </thead>
            <tbody>
                { for class_rows().into_iter().map(|r| {
                    let here = marked == Some(r.class);
                    html! {
                        <tr data-class={r.class.to_string()} class={classes!(here.then_some("current"))}>
                            <th scope="row" class="num">
                                if here {
                                    <span class="row-mark" aria-hidden="true">{ "▶ " }</span>
                                    <span class="visually-hidden">{ "your size's class: " }</span>
                                }
                                { r.class }
                            </th>
                            <td class="num">{ r.bytes_per_obj }</td>
                            <td class="num">{ r.bytes_per_span }</td>
                            <td class="num">{ r.objects }</td>
                            <td class="num">{ r.tail_waste }</td>
                            <td class="num">{ percent(r.max_waste, r.bytes_per_span, 2) }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

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
        let style = format!("--fill: {}%", used * 100 / span.nelems.max(1));
        html! {
            <span class="slots">
                <span class="slot-bar" aria-hidden="true"><span class="slot-bar-fill" {style}></span></span>
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

fn sim_view(sim: &AllocSim, event: Option<&AllocEvent>) -> Html {
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
                        <li class={classes!("page-run", class, here.then_some("active"))} style={format!("--pages: {}", n.min(64))}>
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

fn request_text(req: &AllocRequest) -> String {
    match *req {
        AllocRequest::Gc => "GC".to_owned(),
        AllocRequest::Alloc { size, noscan, keep } => format!(
            "{size} B{}{}",
            if noscan { "" } else { " with pointers" },
            if keep { "" } else { " (dies before the GC)" }
        ),
    }
}

#[function_component(Allocator)]
pub fn allocator() -> Html {
    let (query, set_query) = use_query_state();
    let (settings, mut notices) = resolve(
        param(&query, "size").as_deref(),
        param(&query, "pointers").as_deref(),
        param(&query, "run").as_deref(),
    );
    let plan = plan_alloc(settings.size, !settings.pointers);
    let own_run_too_big = settings.run == Run::Yours && settings.size > OWN_RUN_LIMIT;
    let last = use_memo(settings.clone(), |s| scenario(s).run().len());
    let last = *last;
    let stepper = {
        let set_query = set_query.clone();
        let asked = param(&query, "alloc-step").map_or(0, |s| s.parse::<u64>().unwrap_or(u64::MAX));
        use_stepper(
            "alloc-step",
            asked,
            last as u64,
            settings.clone(),
            Callback::from(move |s: u64| set_query.emit(vec![("alloc-step", Some(s.to_string()))])),
        )
    };
    notices.extend(stepper.notice.clone());
    let step = stepper.step as usize;
    let mut sim = scenario(&settings);
    let events = sim.run_until(step as u64);
    let event = events.last();

    let playing = stepper.clone();
    let onkeydown = stepper.onkeydown.clone();
    // A new size or run starts the animation over.
    let restart = |playing: &Stepper| playing.stop();
    let on_size = {
        let (set_query, playing, run) = (set_query.clone(), playing.clone(), settings.run);
        Callback::from(move |v: u64| {
            restart(&playing);
            let step = (run == Run::Yours).then(|| "0".to_owned());
            let mut updates = vec![("size", Some(v.to_string()))];
            if let Some(s) = step {
                updates.push(("alloc-step", Some(s)));
            }
            set_query.emit(updates);
        })
    };
    let on_pointers = {
        let (set_query, playing) = (set_query.clone(), playing.clone());
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                restart(&playing);
                set_query.emit(vec![
                    (
                        "pointers",
                        Some(if input.checked() { "1" } else { "0" }.into()),
                    ),
                    ("alloc-step", Some("0".into())),
                ]);
            }
        })
    };
    let on_run = {
        let (set_query, playing) = (set_query.clone(), playing.clone());
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                restart(&playing);
                set_query.emit(vec![
                    ("run", Some(select.value())),
                    ("alloc-step", Some("0".into())),
                ]);
            }
        })
    };

    let table_ref = use_node_ref();
    {
        // Keep the marked row in view inside the table's scroll box.
        let table_ref = table_ref.clone();
        use_effect_with(plan.size_class, move |_| {
            use wasm_bindgen::JsCast;
            if let Some(wrap) = table_ref.cast::<web_sys::HtmlElement>() {
                let row = wrap
                    .query_selector("tr.current")
                    .ok()
                    .flatten()
                    .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(row) = row {
                    wrap.set_scroll_top((row.offset_top() - 80).max(0));
                }
            }
        });
    }

    let summary = match plan.path {
        AllocPath::ZeroBase => {
            "0 B: mallocgc returns the address of zerobase; nothing is allocated.".to_owned()
        }
        AllocPath::Tiny => format!(
            "{} B without pointers: tiny allocator, packed into a 16-byte block (class 2).",
            plan.size
        ),
        AllocPath::Small => format!(
            "{} B {}: size class {}, a {} B slot, {} B wasted.",
            plan.size,
            if plan.noscan {
                "without pointers"
            } else {
                "with pointers"
            },
            plan.size_class,
            plan.slot,
            plan.waste
        ),
        AllocPath::Large => format!(
            "{} B: a large object, {} page(s) = {} B straight from mheap, {} B wasted.",
            plan.size, plan.npages, plan.slot, plan.waste
        ),
    };
    let requests = sim.requests();
    let current = sim.current_request();
    html! {
        <div class="widget alloc-widget">
            { for notices.iter().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
            <div class="controls">
                <NumberField id="alloc-size" label="Size in bytes" noun="The size" value={settings.size} min={0} max={SIZE_LIMIT} on_change={on_size} />
                <label class="check">
                    <input id="alloc-pointers" type="checkbox" checked={settings.pointers} onchange={on_pointers} />
                    { " contains pointers" }
                </label>
                <CopyLink />
            </div>
            <p class="alloc-summary" aria-live="polite"><strong>{ summary }</strong></p>
            <div class="alloc-grid">
                { path_steps(&plan) }
                { plan_facts(&plan) }
            </div>
            <div class="table-wrap class-table-wrap" tabindex="0" role="region" aria-label="Size class table" ref={table_ref}>
                { class_table(&plan) }
            </div>

            <h3 class="widget-sub">{ "A run of allocations, step by step" }</h3>
            <div class="controls">
                <label for="alloc-run">{ "Run" }</label>
                <select id="alloc-run" onchange={on_run}>
                    <option value={Run::Mixed.name()} selected={settings.run == Run::Mixed}>{ "Mixed: tiny, 8 KB, large, GC, reuse" }</option>
                    <option value={Run::Yours.name()} selected={settings.run == Run::Yours}>{ format!("Your size: allocations of {} B", settings.size) }</option>
                </select>
            </div>
            if own_run_too_big {
                <p class="notice" role="status">{ format!("The step-by-step run draws sizes up to {} B; this plays the mixed run instead.", OWN_RUN_LIMIT) }</p>
            }
            <div class="alloc-anim" tabindex="-1" {onkeydown}>
                { stepper.player("Allocation playback") }
                <p class="narration" aria-live="polite">
                    { match event {
                        None => html! { { "Press Step (or →) to serve the first request." } },
                        Some(e) => html! {
                            <>
                                <strong>{ format!("Step {}: ", e.tick) }</strong>{ e.text.clone() }{ " " }
                                { go_function_link(e.go_function, source_file(e.go_function)) }
                            </>
                        },
                    } }
                </p>
                <ol class="requests" aria-label="Requests">
                    { for requests.iter().enumerate().map(|(i, r)| {
                        let here = current == Some(i) && event.is_some();
                        html! {
                            <li class={classes!(here.then_some("current"))} aria-current={here.then_some("step")}>
                                if here { <span class="now-mark">{ "▶ " }</span> }
                                { request_text(r) }
                            </li>
                        }
                    }) }
                </ol>
                { sim_view(&sim, event) }
            </div>
            <p class="fine-print">
                { "The model has one P (so one mcache), sweeps every span at once when a GC \
                   starts, and leaves out scavenging, arenas and 32-bit sizes. The numbers \
                   follow Go 1.27's malloc.go and sizeclasses.go on 64-bit systems." }
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_matches_the_comment_in_sizeclasses_go() {
        let rows = class_rows();
        assert_eq!(rows.len(), 67);
        let r = rows[0];
        assert_eq!(
            (r.bytes_per_obj, r.bytes_per_span, r.objects, r.tail_waste),
            (8, 8192, 1024, 0)
        );
        assert_eq!(percent(r.max_waste, r.bytes_per_span, 2), "87.50%");
        // "5 48 8192 170 32 31.52%"
        let r = rows[4];
        assert_eq!((r.bytes_per_obj, r.objects, r.tail_waste), (48, 170, 32));
        assert_eq!(percent(r.max_waste, r.bytes_per_span, 2), "31.52%");
        // "67 32768 32768 1 0 12.50%"
        let r = rows[66];
        assert_eq!((r.bytes_per_span, r.objects, r.tail_waste), (32768, 1, 0));
        assert_eq!(percent(r.max_waste, r.bytes_per_span, 2), "12.50%");
    }

    #[test]
    fn percentages_round_half_to_even() {
        assert_eq!(percent(15, 48, 1), "31.2%");
        assert_eq!(percent(1, 8, 2), "12.50%");
        assert_eq!(percent(1, 8, 1), "12.5%");
        assert_eq!(percent(1, 16, 2), "6.25%");
        assert_eq!(percent(1, 1600, 1), "0.1%");
        assert_eq!(percent(5, 1000, 0), "0%");
        assert_eq!(percent(15, 1000, 0), "2%");
        assert_eq!(percent(3, 3, 2), "100.00%");
    }

    #[test]
    fn bad_url_values_fall_back_with_a_notice() {
        let (s, n) = resolve(Some("33"), Some("1"), Some("yours"));
        assert_eq!(
            (s.size, s.pointers, s.run, n.len()),
            (33, true, Run::Yours, 0)
        );
        let (s, n) = resolve(Some("-4"), Some("maybe"), Some("x"));
        assert_eq!(
            (s.size, s.pointers, s.run, n.len()),
            (33, false, Run::Mixed, 3)
        );
        let (s, n) = resolve(Some("1099511627777"), None, None);
        assert_eq!((s.size, n.len()), (33, 1));
        assert_eq!(resolve(Some("1099511627776"), None, None).0.size, 1 << 40);
    }

    #[test]
    fn the_mixed_run_shows_every_tier_and_reuse_after_gc() {
        let events = scenario(&resolve(None, None, None).0).run();
        let fns: Vec<_> = events.iter().map(|e| e.go_function).collect();
        for f in [
            "mallocgcTiny",
            "mcache.refill",
            "mcentral.grow",
            "mcentral.cacheSpan",
            "mheap.grow",
            "mheap.alloc",
            "mcache.allocLarge",
            "mcache.releaseAll",
            "mspan.sweep",
        ] {
            assert!(fns.contains(&f), "{f} missing from {fns:?}");
        }
        assert!(events.len() < 60, "{} steps", events.len());
    }

    #[test]
    fn every_size_up_to_the_limit_plans_without_panicking() {
        for size in [
            0,
            1,
            15,
            16,
            33,
            512,
            513,
            32760,
            32761,
            1 << 20,
            SIZE_LIMIT,
        ] {
            for pointers in [false, true] {
                let s = AllocSettings {
                    size,
                    pointers,
                    run: Run::Yours,
                };
                let _ = plan_alloc(size, !pointers);
                if size <= OWN_RUN_LIMIT {
                    assert!(scenario(&s).run().len() < 200, "{size}");
                }
            }
        }
    }
}
