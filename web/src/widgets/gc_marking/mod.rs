//! Tricolor marking, live: the heap as a graph of white, grey and black
//! objects (each also lettered W, G or B), the roots, the mutator's writes
//! during mark and what the write barrier shades, a phase banner that marks
//! stop-the-world time, and sweep reclaiming objects. The barrier can be
//! switched: Go's hybrid, Dijkstra insertion, Yuasa deletion, or none.
//! State in the URL: `?preset=hide-pointer&barrier=none&step=9`.
//!
//! Every frame is a view of `runtime_model::gc::GcSim` at a step; snapshots
//! every [`SNAPSHOT_EVERY`] steps make stepping back cheap.

use std::rc::Rc;

use runtime_model::gc::barrier::BarrierMode;
use runtime_model::gc::heap::{Color, Holder, ObjectId};
use runtime_model::gc::presets::{mark_preset, mark_presets};
use runtime_model::gc::sim::{Event as GcEvent, EventKind, GcSim};
use yew::prelude::*;

use crate::kit::controls::CopyLink;
use crate::kit::host::Host;
use crate::kit::link::go_source as source_link;
use crate::kit::query::{param, use_query_state};
use crate::kit::stepper::use_stepper;

const SNAPSHOT_EVERY: u64 = 32;
/// Random-mutator runs never end; the view records this many steps.
pub const MAX_VIEW_STEPS: u64 = 2_000;
const DEFAULT_PRESET: &str = "hide-pointer";
const BARRIERS: [BarrierMode; 4] = [
    BarrierMode::Hybrid,
    BarrierMode::Dijkstra,
    BarrierMode::Yuasa,
    BarrierMode::None,
];

fn barrier_label(b: BarrierMode) -> &'static str {
    match b {
        BarrierMode::Hybrid => "Go's hybrid barrier (shade old and new)",
        BarrierMode::Dijkstra => "Dijkstra insertion (shade new; re-scan stacks)",
        BarrierMode::Yuasa => "Yuasa deletion (shade old)",
        BarrierMode::None => "No barrier",
    }
}

/// One recorded run: events, and snapshots to seek from.
pub struct MarkRun {
    pub events: Vec<GcEvent>,
    snapshots: Vec<GcSim>,
    /// The last state shown: playing forward steps on from it instead of
    /// replaying from a snapshot.
    last_shown: std::cell::RefCell<Option<GcSim>>,
}

impl MarkRun {
    pub fn record(sim: GcSim) -> MarkRun {
        let mut live = sim;
        let mut snapshots = vec![live.clone()];
        let mut events = Vec::new();
        while (events.len() as u64) < MAX_VIEW_STEPS {
            match live.step() {
                Some(e) => events.push(e),
                None => break,
            }
            if events.len() as u64 % SNAPSHOT_EVERY == 0 {
                snapshots.push(live.clone());
            }
        }
        MarkRun {
            events,
            snapshots,
            last_shown: std::cell::RefCell::new(None),
        }
    }

    pub fn last(&self) -> u64 {
        self.events.len() as u64
    }

    /// The simulation after `step` steps.
    pub fn at(&self, step: u64) -> GcSim {
        let step = step.min(self.last());
        let base = (step / SNAPSHOT_EVERY) as usize;
        let snapshot = &self.snapshots[base.min(self.snapshots.len() - 1)];
        let mut cache = self.last_shown.borrow_mut();
        // Step on from the last state shown when it is between the nearest
        // snapshot and the target; otherwise start from the snapshot.
        let mut sim = match cache.take() {
            Some(sim) if sim.steps() <= step && sim.steps() >= snapshot.steps() => sim,
            _ => snapshot.clone(),
        };
        while sim.steps() < step {
            if sim.step().is_none() {
                break;
            }
        }
        *cache = Some(sim.clone());
        sim
    }
}

impl PartialEq for MarkRun {
    fn eq(&self, other: &MarkRun) -> bool {
        std::ptr::eq(self, other)
    }
}

/// Where the drawing puts each thing.
struct Geometry {
    cols: usize,
}

const ROOT_X: f64 = 14.0;
const ROOT_W: f64 = 92.0;
const ROW_H: f64 = 74.0;
const COL_W: f64 = 84.0;
const OBJ_X0: f64 = 170.0;
const R: f64 = 19.0;

impl Geometry {
    fn object(&self, i: u32) -> (f64, f64) {
        let i = i as usize;
        (
            OBJ_X0 + (i % self.cols) as f64 * COL_W,
            40.0 + (i / self.cols) as f64 * ROW_H,
        )
    }

    fn holder(&self, h: Holder) -> (f64, f64) {
        match h {
            Holder::Global => (ROOT_X + ROOT_W, 40.0),
            Holder::Stack(g) => (ROOT_X + ROOT_W, 40.0 + f64::from(g + 1) * ROW_H),
            Holder::Object(o) => self.object(o.0),
        }
    }
}

fn touched(e: Option<&GcEvent>) -> Vec<ObjectId> {
    let Some(e) = e else { return Vec::new() };
    match &e.kind {
        EventKind::Alloc { obj, .. } => vec![*obj],
        EventKind::Write { shaded, new, .. } => shaded.iter().copied().chain(*new).collect(),
        EventKind::MarkRootGlobals { shaded }
        | EventKind::ScanStack { shaded, .. }
        | EventKind::RescanStack { shaded, .. } => shaded.clone(),
        EventKind::ScanObject { obj, shaded } => std::iter::once(*obj)
            .chain(shaded.iter().copied())
            .collect(),
        EventKind::Sweep { freed, .. } => freed.clone(),
        _ => Vec::new(),
    }
}

fn view_graph(sim: &GcSim, current: Option<&GcEvent>) -> Html {
    let heap = sim.heap();
    let n = heap.objects.len().max(1);
    let cols = ((n as f64).sqrt().ceil() as usize).clamp(3, 12);
    let geo = Geometry { cols };
    let rows_objects = n.div_ceil(cols);
    let rows_roots = heap.stacks.len() + 1;
    let height = 40.0 + rows_objects.max(rows_roots) as f64 * ROW_H;
    let width = OBJ_X0 + cols as f64 * COL_W;
    let hot = touched(current);
    let edges = heap.edges().filter(|e| match e.holder {
        Holder::Object(o) => !heap.object(o).freed,
        _ => true,
    });
    html! {
        <svg class="heap-graph" viewBox={format!("0 0 {width} {height}")} role="img"
            aria-label="The heap as a graph; the list below says the same in words">
            <defs>
                <marker id="gc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                </marker>
            </defs>
            { for edges.map(|e| {
                let (x1, y1) = geo.holder(e.holder);
                let (x2, y2) = geo.object(e.to.0);
                let (dx, dy) = (x2 - x1, y2 - y1);
                let len = (dx * dx + dy * dy).sqrt().max(1.0);
                let (sx, sy) = if matches!(e.holder, Holder::Object(_)) { (x1 + dx / len * R, y1 + dy / len * R) } else { (x1, y1) };
                let (ex, ey) = (x2 - dx / len * (R + 3.0), y2 - dy / len * (R + 3.0));
                let key = format!("{}.{}", e.holder, e.slot);
                html! { <PtrLine {key} ends={[sx, sy, ex, ey]} /> }
            }) }
            <g class="root">
                <rect x={ROOT_X.to_string()} y={(40.0 - 20.0).to_string()} width={ROOT_W.to_string()} height="40" rx="6"
                    class={classes!(heap.globals_scanned.then_some("scanned"))} />
                <text x={(ROOT_X + ROOT_W / 2.0).to_string()} y="45">{ if heap.globals_scanned { "globals ✓" } else { "globals" } }</text>
            </g>
            { for heap.stacks.iter().map(|s| {
                let y = 40.0 + f64::from(s.goroutine + 1) * ROW_H;
                html! {
                    <g class="root">
                        <rect x={ROOT_X.to_string()} y={(y - 20.0).to_string()} width={ROOT_W.to_string()} height="40" rx="6"
                            class={classes!(s.scanned.then_some("scanned"))} />
                        <text x={(ROOT_X + ROOT_W / 2.0).to_string()} y={(y + 5.0).to_string()}>
                            { format!("G{} stack{}", s.goroutine, if s.scanned { " ✓" } else { "" }) }
                        </text>
                    </g>
                }
            }) }
            { for heap.objects.iter().map(|o| {
                let (x, y) = geo.object(o.id.0);
                html! {
                    <ObjNode key={o.id.0} id={o.id.0} {x} {y} color={heap.color(o.id)}
                        freed={o.freed} lost={o.freed_while_reachable} hot={hot.contains(&o.id)} />
                }
            }) }
        </svg>
    }
}

/// Heaps with at least this many objects are drawn on a canvas instead of
/// as SVG: a few thousand SVG elements cost the browser tens of
/// milliseconds of style, layout and paint on every step, a canvas a couple
/// of milliseconds.
pub const CANVAS_FROM_OBJECTS: usize = 300;

/// The canvas drawing's grid: a cell per object, roots in a column on the
/// left.
struct CanvasGeo {
    cols: usize,
    width: f64,
    height: f64,
}

const CELL: f64 = 16.0;
const DOT: f64 = 5.0;
const ROOTS_W: f64 = 120.0;
const ROOT_ROW: f64 = 34.0;

impl CanvasGeo {
    fn new(heap: &runtime_model::gc::heap::Heap) -> CanvasGeo {
        let n = heap.objects.len().max(1);
        let cols = (n as f64).sqrt().ceil() as usize;
        let rows = n.div_ceil(cols);
        let roots = heap.stacks.len() + 1;
        CanvasGeo {
            cols,
            width: ROOTS_W + cols as f64 * CELL + 8.0,
            height: (rows as f64 * CELL).max(roots as f64 * ROOT_ROW) + 8.0,
        }
    }

    fn object(&self, i: u32) -> (f64, f64) {
        let i = i as usize;
        (
            ROOTS_W + (i % self.cols) as f64 * CELL + CELL / 2.0,
            4.0 + (i / self.cols) as f64 * CELL + CELL / 2.0,
        )
    }

    /// The top left of a root's box: globals first, then each stack.
    fn root(&self, row: usize) -> (f64, f64) {
        (4.0, 4.0 + row as f64 * ROOT_ROW)
    }

    fn holder(&self, h: Holder) -> (f64, f64) {
        match h {
            Holder::Global => (ROOTS_W - 24.0, self.root(0).1 + 13.0),
            Holder::Stack(g) => (ROOTS_W - 24.0, self.root(g as usize + 1).1 + 13.0),
            Holder::Object(o) => self.object(o.0),
        }
    }
}

/// What the canvas draws for an object: 0 white, 1 grey, 2 black,
/// 3 freed.
fn kind_of(heap: &runtime_model::gc::heap::Heap, o: &runtime_model::gc::heap::Object) -> usize {
    if o.freed {
        3
    } else {
        match heap.color(o.id) {
            Color::White => 0,
            Color::Grey => 1,
            Color::Black => 2,
        }
    }
}

/// How many objects are white, grey, black and freed: the canvas's
/// caption, so the counts never depend on telling colours apart.
fn census(heap: &runtime_model::gc::heap::Heap) -> [usize; 4] {
    let mut c = [0; 4];
    for o in &heap.objects {
        c[kind_of(heap, o)] += 1;
    }
    c
}

#[derive(Properties, PartialEq)]
struct HeapCanvasProps {
    sim: SimAt,
    hot: Vec<ObjectId>,
    /// Every pointer, or only the ones marking is about to follow.
    all_pointers: bool,
}

/// A big heap on a canvas. Shape carries the colour a second time: white
/// is a circle, grey a diamond, black a square, freed a cross; a ring marks
/// what this step touched. Redrawn when the step or
/// the colour scheme changes. The same heap is listed in words below it.
#[function_component(HeapCanvas)]
fn heap_canvas(props: &HeapCanvasProps) -> Html {
    let canvas = use_node_ref();
    let scheme = use_mut_ref(|| 0_u32);
    let redraw = use_force_update();
    {
        let scheme = scheme.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .map(|mq| {
                    gloo::events::EventListener::new(&mq, "change", move |_| {
                        *scheme.borrow_mut() += 1;
                        redraw.force_update();
                    })
                });
            move || drop(listener)
        });
    }
    let heap = props.sim.0.heap();
    let geo = CanvasGeo::new(heap);
    let dpr = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 2.0);
    {
        let canvas = canvas.clone();
        let deps = (
            props.sim.clone(),
            props.hot.clone(),
            props.all_pointers,
            *scheme.borrow(),
        );
        use_effect_with(deps, move |(sim, hot, all, _)| {
            if let Some(c) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                draw_heap(&c, &sim.0, hot, *all, dpr);
            }
        });
    }
    let [white, grey, black, freed] = census(heap);
    let label = format!(
        "The heap as a graph of {} objects: {white} white, {grey} grey, {black} black, {freed} freed. The list below says the same in words.",
        heap.objects.len()
    );
    html! {
        <>
            <canvas ref={canvas} class="heap-canvas" role="img" aria-label={label}
                width={((geo.width * dpr).round() as u32).to_string()}
                height={((geo.height * dpr).round() as u32).to_string()}
                style={format!("aspect-ratio: {} / {}", geo.width, geo.height)} />
            <p class="census">
                { format!("● white {white} · ◆ grey {grey} · ■ black {black} · ✕ freed {freed}") }
            </p>
        </>
    }
}

/// Paints the heap: pointers as one faint path, then roots, then each kind
/// of object as one path, so that thousands of objects cost a few calls.
///
/// Unless `all_pointers`, only the pointers marking is about to follow are
/// drawn: those held by roots and by grey objects, and those of objects
/// this step touched. Thousands of long anti-aliased lines are what a
/// software-rastered canvas spends most of a frame on.
fn draw_heap(
    canvas: &web_sys::HtmlCanvasElement,
    sim: &GcSim,
    hot: &[ObjectId],
    all_pointers: bool,
    dpr: f64,
) {
    use wasm_bindgen::JsCast;
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    // The theme's colours, from one style computation per drawing.
    let style = web_sys::window().and_then(|w| w.get_computed_style(canvas).ok().flatten());
    let var = |name: &str, fallback: &str| {
        style
            .as_ref()
            .and_then(|s| s.get_property_value(name).ok())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| fallback.to_owned())
    };
    let (text, muted, focus, surface) = (
        var("--text", "#1b1f24"),
        var("--muted", "#4a5560"),
        var("--focus", "#b3006b"),
        var("--surface", "#ffffff"),
    );
    let heap = sim.heap();
    let geo = CanvasGeo::new(heap);
    let tau = std::f64::consts::TAU;
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, geo.width, geo.height);

    // Pointers: faint, so the objects stay readable.
    ctx.begin_path();
    for e in heap.edges() {
        if let Holder::Object(o) = e.holder {
            let shown = all_pointers
                || heap.color(o) == Color::Grey
                || hot.contains(&o)
                || hot.contains(&e.to);
            if heap.object(o).freed || !shown {
                continue;
            }
        }
        let (x1, y1) = geo.holder(e.holder);
        let (x2, y2) = geo.object(e.to.0);
        ctx.move_to(x1, y1);
        ctx.line_to(x2, y2);
    }
    ctx.set_global_alpha(if all_pointers { 0.28 } else { 0.7 });
    ctx.set_stroke_style_str(&muted);
    ctx.set_line_width(if all_pointers { 0.7 } else { 1.0 });
    ctx.stroke();
    ctx.set_global_alpha(1.0);

    // Roots, with ✓ once scanned.
    ctx.set_font("12px ui-monospace, monospace");
    ctx.set_text_baseline("middle");
    let roots = std::iter::once(("globals".to_owned(), heap.globals_scanned)).chain(
        heap.stacks
            .iter()
            .map(|s| (format!("G{} stack", s.goroutine), s.scanned)),
    );
    for (row, (name, scanned)) in roots.enumerate() {
        let (x, y) = geo.root(row);
        ctx.set_fill_style_str(&surface);
        ctx.fill_rect(x, y, ROOTS_W - 28.0, 26.0);
        ctx.set_stroke_style_str(&text);
        ctx.set_line_width(if scanned { 3.0 } else { 1.5 });
        ctx.stroke_rect(x, y, ROOTS_W - 28.0, 26.0);
        ctx.set_fill_style_str(&text);
        let _ = ctx.fill_text(
            &format!("{name}{}", if scanned { " ✓" } else { "" }),
            x + 6.0,
            y + 13.0,
        );
    }

    // Objects, one path per kind.
    ctx.set_line_width(1.5);
    let mut by_kind: [Vec<u32>; 4] = Default::default();
    for o in &heap.objects {
        by_kind[kind_of(heap, o)].push(o.id.0);
    }
    for (k, ids) in by_kind.iter().enumerate() {
        ctx.begin_path();
        for &id in ids {
            let (x, y) = geo.object(id);
            match k {
                1 => {
                    ctx.move_to(x, y - DOT - 1.0);
                    ctx.line_to(x + DOT + 1.0, y);
                    ctx.line_to(x, y + DOT + 1.0);
                    ctx.line_to(x - DOT - 1.0, y);
                    ctx.close_path();
                }
                3 => {
                    let d = DOT * 0.6;
                    ctx.move_to(x - d, y - d);
                    ctx.line_to(x + d, y + d);
                    ctx.move_to(x + d, y - d);
                    ctx.line_to(x - d, y + d);
                }
                2 => ctx.rect(x - DOT, y - DOT, 2.0 * DOT, 2.0 * DOT),
                _ => {
                    ctx.move_to(x + DOT, y);
                    let _ = ctx.arc(x, y, DOT, 0.0, tau);
                }
            }
        }
        match k {
            0 => ctx.set_fill_style_str("#ffffff"),
            1 => ctx.set_fill_style_str("#9aa3ab"),
            2 => ctx.set_fill_style_str("#1b1f24"),
            _ => {}
        }
        if k < 3 {
            ctx.fill();
        }
        ctx.set_stroke_style_str(if k == 3 { &muted } else { &text });
        ctx.stroke();
    }

    // What the collector lost, and what this step touched: rings.
    ctx.set_stroke_style_str(&focus);
    for (width, ids) in [
        (
            4.0,
            heap.objects
                .iter()
                .filter(|o| o.freed_while_reachable)
                .map(|o| o.id)
                .collect::<Vec<_>>(),
        ),
        (2.5, hot.to_vec()),
    ] {
        ctx.begin_path();
        for id in ids {
            let (x, y) = geo.object(id.0);
            ctx.move_to(x + DOT + 3.5, y);
            let _ = ctx.arc(x, y, DOT + 3.5, 0.0, tau);
        }
        ctx.set_line_width(width);
        ctx.stroke();
    }
}

#[derive(Properties, PartialEq)]
struct PtrLineProps {
    /// Start and end: x1, y1, x2, y2.
    ends: [f64; 4],
}

/// One pointer. A component so that a step redraws only the lines it
/// changed (a big heap has thousands).
#[function_component(PtrLine)]
fn ptr_line(props: &PtrLineProps) -> Html {
    let [x1, y1, x2, y2] = props.ends;
    html! { <line x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} class="ptr" marker-end="url(#gc-arrow)" /> }
}

#[derive(Properties, PartialEq)]
struct ObjNodeProps {
    id: u32,
    x: f64,
    y: f64,
    color: Color,
    freed: bool,
    lost: bool,
    hot: bool,
}

/// One object, with its colour also as a letter (W, G, B) and freed ones
/// crossed out. A component so that unchanged objects are not redrawn.
#[function_component(ObjNode)]
fn obj_node(p: &ObjNodeProps) -> Html {
    let label = if p.freed {
        "✕".to_owned()
    } else {
        p.color.letter().to_string()
    };
    let color = match p.color {
        Color::White => "white",
        Color::Grey => "grey",
        Color::Black => "black",
    };
    html! {
        <g class={classes!("obj", color, p.freed.then_some("freed"), p.lost.then_some("lost"), p.hot.then_some("hot"))}>
            <circle cx={p.x.to_string()} cy={p.y.to_string()} r={R.to_string()} />
            <text x={p.x.to_string()} y={(p.y + 5.0).to_string()} class="letter">{ label }</text>
            <text x={p.x.to_string()} y={(p.y + R + 14.0).to_string()} class="name">
                { if p.lost { format!("o{} LOST", p.id) } else { format!("o{}", p.id) } }
            </text>
        </g>
    }
}

/// The state at a step, compared by identity (each step makes a new one).
#[derive(Clone)]
struct SimAt(Rc<GcSim>);

impl PartialEq for SimAt {
    fn eq(&self, other: &SimAt) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct ObjectListProps {
    sim: SimAt,
}

/// The heap in words, for screen readers and for anyone who prefers a list.
/// It is built only while open: a big heap has thousands of entries.
#[function_component(ObjectList)]
fn object_list_view(props: &ObjectListProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            if let Some(d) = e.target_dyn_into::<web_sys::HtmlDetailsElement>() {
                open.set(d.open());
            }
        })
    };
    html! {
        <details class="object-list" {ontoggle}>
            <summary>{ "The heap in words" }</summary>
            if *open {
                <ul>{ for object_entries(&props.sim.0).into_iter().map(|t| html! { <li>{ t }</li> }) }</ul>
            }
        </details>
    }
}

fn object_entries(sim: &GcSim) -> Vec<String> {
    let heap = sim.heap();
    heap.objects
        .iter()
        .map(|o| {
            let targets: Vec<String> = heap
                .slots(o.id)
                .iter()
                .flatten()
                .map(|t| t.to_string())
                .collect();
            let state = if o.freed_while_reachable {
                "freed while still reachable (lost)".to_owned()
            } else if o.freed {
                "freed by sweep".to_owned()
            } else {
                heap.color(o.id).name().to_owned()
            };
            format!(
                "{}: {state}; points to {}",
                o.id,
                if targets.is_empty() {
                    "nothing".to_owned()
                } else {
                    targets.join(", ")
                }
            )
        })
        .collect()
}

/// The checkpoint: before a barriered write, which objects will it shade?
#[derive(Clone, Debug, PartialEq)]
struct Question {
    step: u64,
    candidates: Vec<ObjectId>,
    answer: Vec<ObjectId>,
}

fn question_at(sim: &GcSim, step: u64) -> Option<Question> {
    let answer = sim.next_barrier_shades()?;
    let EventKind::Write { old, new, .. } = sim.peek()?.kind else {
        return None;
    };
    let mut candidates: Vec<ObjectId> = old.into_iter().chain(new).collect();
    candidates.dedup();
    Some(Question {
        step,
        candidates,
        answer,
    })
}

#[function_component(GcMarkWidget)]
pub fn gc_mark_widget() -> Html {
    let (query, set_query) = use_query_state();
    let mut notices = Vec::new();
    let preset_name = match param(&query, "preset") {
        None => DEFAULT_PRESET.to_owned(),
        Some(p) if mark_preset(&p).is_some() => p,
        Some(p) => {
            let names: Vec<&str> = mark_presets().iter().map(|p| p.name).collect();
            notices.push(format!(
                "There is no marking preset {p:?}; showing {DEFAULT_PRESET}. Presets: {}.",
                names.join(", ")
            ));
            DEFAULT_PRESET.to_owned()
        }
    };
    let barrier = match param(&query, "barrier") {
        None => BarrierMode::Hybrid,
        Some(b) => BARRIERS.into_iter().find(|m| m.name() == b).unwrap_or_else(|| {
            notices.push(format!("There is no barrier {b:?}; using hybrid. Barriers: hybrid, dijkstra, yuasa, none."));
            BarrierMode::Hybrid
        }),
    };
    let seed = match param(&query, "seed").map(|s| s.parse::<u64>()) {
        None => 1,
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            notices.push("The seed must be a whole number; using 1.".to_owned());
            1
        }
    };
    let predict = param(&query, "predict").as_deref() == Some("1");
    let run = use_memo((preset_name.clone(), barrier, seed), |(p, b, s)| {
        Rc::new(MarkRun::record(
            mark_preset(p).expect("checked above").build(*b, *s),
        ))
    });
    let last = run.last();
    let playback = {
        let set_query = set_query.clone();
        let asked = param(&query, "step").map_or(0, |s| s.parse::<u64>().unwrap_or(u64::MAX));
        use_stepper(
            "step",
            asked,
            last,
            (preset_name.clone(), barrier, seed),
            Callback::from(move |s: u64| set_query.emit(vec![("step", Some(s.to_string()))])),
        )
    };
    notices.extend(playback.notice.clone());
    let step = playback.step;
    let sim = Rc::new(run.at(step));
    let current = step.checked_sub(1).and_then(|i| run.events.get(i as usize));
    let playing = playback.clone();
    let answered = use_state(|| None::<(u64, bool, Vec<ObjectId>)>);
    let picks = use_state(Vec::<ObjectId>::new);
    let all_pointers = use_state(|| false);
    let host = use_context::<Rc<Host>>();

    let question = if predict {
        question_at(&sim, step)
    } else {
        None
    };
    let blocked = question
        .as_ref()
        .is_some_and(|q| answered.as_ref().map(|a| a.0) != Some(q.step));

    playback.hold(blocked);
    let onkeydown = playback.onkeydown.clone();
    let setter = |name: &'static str| {
        let (set_query, playing) = (set_query.clone(), playing.clone());
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .or_else(|| {
                    e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| {
                        if i.checked() {
                            "1".into()
                        } else {
                            "0".into()
                        }
                    })
                });
            playing.stop();
            set_query.emit(vec![(name, value), ("step", None)]);
        })
    };
    let on_submit = {
        let (answered, picks, host) = (answered.clone(), picks.clone(), host.clone());
        let question = question.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(q) = &question else { return };
            let mut mine = (*picks).clone();
            mine.sort();
            let mut right = q.answer.clone();
            right.sort();
            let ok = mine == right;
            if let Some(host) = &host {
                host.post(
                    "gopherscope:statement",
                    &[(
                        "statement",
                        crate::kit::xapi::checkpoint_statement(
                            "gc-barrier-shade",
                            "Which objects does the write barrier shade?",
                            ok,
                            &mine
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(","),
                        ),
                    )],
                );
            }
            answered.set(Some((q.step, ok, q.answer.clone())));
            picks.set(Vec::new());
        })
    };

    let preset = mark_preset(&preset_name).expect("checked above");
    let phase = sim.phase();
    let on_all_pointers = {
        let all_pointers = all_pointers.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                all_pointers.set(i.checked());
            }
        })
    };
    let big = sim.heap().objects.len() >= CANVAS_FROM_OBJECTS;
    let queue = sim.grey_queue();
    let queue_text = match queue.len() {
        0 => "empty".to_owned(),
        n if n <= 16 => queue
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
        n => format!(
            "{n} objects; the last 16 pushed: {}",
            queue[n - 16..]
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        ),
    };
    // Every violation the checker has found so far, with the step it
    // appeared at, so it stays on screen after the cycle moves on.
    let broken: Vec<(u64, String)> = run.events[..step as usize]
        .iter()
        .flat_map(|e| e.violations.iter().map(move |v| (e.step, v.sentence())))
        .rev()
        .take(4)
        .collect();
    html! {
        <div class="widget gc-mark" {onkeydown}>
            { for notices.iter().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
            <div class="controls">
                <label for="gc-preset">{ "Scenario" }</label>
                <select id="gc-preset" onchange={setter("preset")}>
                    { for mark_presets().iter().map(|p| html! { <option value={p.name} selected={p.name == preset_name}>{ p.name }</option> }) }
                </select>
                <label for="gc-barrier">{ "Write barrier" }</label>
                <select id="gc-barrier" onchange={setter("barrier")}>
                    { for BARRIERS.iter().map(|b| html! { <option value={b.name()} selected={*b == barrier}>{ barrier_label(*b) }</option> }) }
                </select>
                <label class="check"><input type="checkbox" checked={predict} onchange={setter("predict")} />{ " Ask me before each barriered write" }</label>
                <CopyLink />
            </div>
            <p class="explanation">{ preset.explanation }</p>
            { playback.player("Marking playback") }
            <p class={classes!("phase-banner", phase.world_stopped().then_some("stopped"))}>
                <strong>{ format!("Phase: {}", phase.name()) }</strong>
                { if phase.world_stopped() { " · ■ the world is stopped" } else { " · ▶ goroutines run" } }
                { if phase.barrier_on() { " · write barrier ON" } else { " · write barrier off" } }
                { format!(" · cycle {} · grey queue: {queue_text}", sim.cycle()) }
            </p>
            if let (Some(q), true) = (&question, blocked) {
                <fieldset class="checkpoint">
                    <legend>{ format!("Predict: the next step is a pointer write under the {} barrier. Which objects will it shade?", barrier.name()) }</legend>
                    { for q.candidates.iter().map(|c| {
                        let c = *c;
                        let checked = picks.contains(&c);
                        let picks = picks.clone();
                        let onchange = Callback::from(move |e: Event| {
                            let on = e.target_dyn_into::<web_sys::HtmlInputElement>().is_some_and(|i| i.checked());
                            let mut v = (*picks).clone();
                            v.retain(|x| *x != c);
                            if on { v.push(c); }
                            picks.set(v);
                        });
                        html! { <label class="check"><input type="checkbox" {checked} {onchange} />{ format!(" {c}") }</label> }
                    }) }
                    <span class="fine-print">{ " (tick none if you think it shades nothing)" }</span>
                    <button type="button" onclick={on_submit}>{ "Check my prediction" }</button>
                </fieldset>
            }
            if let Some((_, ok, answer)) = answered.as_ref().filter(|a| a.0 + 1 == step || a.0 == step) {
                <p class={classes!("feedback", if *ok { "right" } else { "wrong" })} role="status">
                    <strong>{ if *ok { "✓ Right. " } else { "✗ Not quite. " } }</strong>
                    { format!("The barrier shades {}.", if answer.is_empty() { "nothing".to_owned() } else { answer.iter().map(ToString::to_string).collect::<Vec<_>>().join(" and ") }) }
                </p>
            }
            <p class="narration" aria-live={if playing.playing { "off" } else { "polite" }}>
                { match current {
                    None => html! { { "Step 0: the heap before the cycle. Press Play or Step (→)." } },
                    Some(e) => html! {
                        <>
                            <strong>{ format!("Step {}: ", e.step) }</strong>{ e.sentence.clone() }{ " " }
                            <a href={source_link(e.go_file)} target="_blank" rel="noopener">{ format!("{} ({})", e.go_function, e.go_file) }</a>
                        </>
                    },
                } }
            </p>
            if !broken.is_empty() {
                <div class="notice" role="alert">
                    <strong>{ "Tricolor invariant broken: " }</strong>
                    { for broken.iter().map(|(at, text)| html! { <span>{ format!("step {at}: {text} ") }</span> }) }
                </div>
            }
            if big {
                <label class="check">
                    <input type="checkbox" class="all-pointers" checked={*all_pointers} onchange={on_all_pointers} />
                    { format!(" Draw every pointer ({} of them; slower). Otherwise only the pointers marking follows next: \
                               from the roots, from grey objects and from what this step touched.", sim.heap().edges().count()) }
                </label>
                <HeapCanvas sim={SimAt(sim.clone())} hot={touched(current)} all_pointers={*all_pointers} />
                <p class="legend">
                    { "Shape says the colour too: ● circle, white: not reached yet · ◆ diamond, grey: reached, not scanned · \
                       ■ square, black: scanned · ✕ freed by sweep · \
                       ✓ root scanned · ring: touched by this step (a thick ring: freed while still reachable). \
                       A heap this big is drawn on a canvas, without names or arrowheads; \"The heap in words\" lists every object and pointer." }
                </p>
            } else {
                { view_graph(&sim, current) }
                <p class="legend">
                    <span class="swatch white">{ "W" }</span>{ " white: not reached yet " }
                    <span class="swatch grey">{ "G" }</span>{ " grey: reached, not scanned " }
                    <span class="swatch black">{ "B" }</span>{ " black: scanned " }
                    <span class="swatch freed">{ "✕" }</span>{ " freed by sweep · ✓ root scanned · thick outline: touched by this step" }
                </p>
            }
            <ObjectList sim={SimAt(sim.clone())} />
            <p class="fine-print">
                { "A small model of runtime/mgc.go, mgcmark.go, mbarrier.go and mgcsweep.go (Go 1.27): one step is one unit \
                   of work (a root job, one object scanned, one span swept, or one mutator action). Real marking runs on \
                   several threads at once, spans hold many objects, and the checker is the model's own, not the runtime's. \
                   Objects are scanned one at a time, in the classic order; Go 1.27's default collector (Green Tea, \
                   mgcmark_greenteagc.go) queues whole spans instead and scans every marked object of a span together." }
            </p>
        </div>
    }
}
