//! The heap, drawn: as an SVG graph of lettered objects and arrows for the
//! small presets ([`view_graph`]), and on a canvas for heaps of
//! [`CANVAS_FROM_OBJECTS`] objects or more ([`HeapCanvas`]).
//!
//! Both keep a step cheap: the SVG graph is made of one component per
//! object and per pointer, so a step redraws only what it changed; the
//! canvas draws each kind of object as one path, with the theme's colours
//! from one style computation per drawing.

use std::rc::Rc;

use runtime_model::gc::heap::{Color, Edge, Heap, Holder, Object, ObjectId};
use runtime_model::gc::sim::{Event as GcEvent, EventKind, GcSim};
use yew::prelude::*;

use super::layout::{Layout, R, ROOT_H, ROOT_W};

/// The objects a step touched: what it allocated, shaded, scanned or
/// freed. Both drawings ring them.
pub fn touched(e: Option<&GcEvent>) -> Vec<ObjectId> {
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

/// A small heap as SVG: roots on the left, objects in layers by their
/// distance from the roots ([`Layout`]), pointers as arrows routed clear of
/// every object and of each other. An object swept in an earlier cycle is
/// no longer drawn (the heap in words still lists it).
pub fn view_graph(sim: &GcSim, current: Option<&GcEvent>, layout: &Layout) -> Html {
    let heap = sim.heap();
    let (width, height) = (layout.width, layout.height);
    let hot = touched(current);
    let edges = drawn_edges(heap);
    let step = sim.steps();
    let routes = layout.route(&edges, step);
    html! {
        <svg class="heap-graph" viewBox={format!("0 0 {width} {height}")} role="img"
            aria-label="The heap as a graph; the list below says the same in words">
            <defs>
                <marker id="gc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                </marker>
            </defs>
            { for edges.iter().zip(routes).map(|(e, r)| {
                let key = format!("{}.{}", e.holder, e.slot);
                html! { <PtrLine {key} d={AttrValue::from(r.d)} /> }
            }) }
            { for (0..=heap.stacks.len()).map(|row| {
                let (x, y) = layout.root(row);
                let (name, scanned) = match row {
                    0 => ("globals".to_owned(), heap.globals_scanned),
                    _ => {
                        let s = &heap.stacks[row - 1];
                        (format!("G{} stack", s.goroutine), s.scanned)
                    }
                };
                html! {
                    <g class="root">
                        <rect x={(x - ROOT_W / 2.0).to_string()} y={(y - ROOT_H / 2.0).to_string()} width={ROOT_W.to_string()}
                            height={ROOT_H.to_string()} rx="6" class={classes!(scanned.then_some("scanned"))} />
                        <text x={x.to_string()} y={(y + 5.0).to_string()}>
                            { format!("{name}{}", if scanned { " ✓" } else { "" }) }
                        </text>
                    </g>
                }
            }) }
            { for heap.objects.iter().filter(|o| layout.shown(o.id, step)).map(|o| {
                let (x, y) = layout.object(o.id);
                html! {
                    <ObjNode key={o.id.0} id={o.id.0} {x} {y} color={heap.color(o.id)}
                        freed={o.freed} lost={o.freed_while_reachable} hot={hot.contains(&o.id)} />
                }
            }) }
        </svg>
    }
}

/// The pointers the SVG graph draws: every pointer but those held by freed
/// objects (a freed object's memory no longer holds pointers).
pub fn drawn_edges(heap: &Heap) -> Vec<Edge> {
    heap.edges()
        .filter(|e| match e.holder {
            Holder::Object(o) => !heap.object(o).freed,
            _ => true,
        })
        .collect()
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
    fn new(heap: &Heap) -> CanvasGeo {
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
fn kind_of(heap: &Heap, o: &Object) -> usize {
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
fn census(heap: &Heap) -> [usize; 4] {
    let mut c = [0; 4];
    for o in &heap.objects {
        c[kind_of(heap, o)] += 1;
    }
    c
}

#[derive(Properties, PartialEq)]
pub struct HeapCanvasProps {
    pub sim: SimAt,
    pub hot: Vec<ObjectId>,
    /// Every pointer, or only the ones marking is about to follow.
    pub all_pointers: bool,
}

/// A big heap on a canvas. Shape carries the colour a second time: white
/// is a circle, grey a diamond, black a square, freed a cross; a ring marks
/// what this step touched. Redrawn when the step or
/// the colour scheme changes. The same heap is listed in words below it.
#[function_component(HeapCanvas)]
pub fn heap_canvas(props: &HeapCanvasProps) -> Html {
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
                height={((geo.height * dpr).round() as u32).to_string()} />
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
    /// The route's SVG path.
    d: AttrValue,
}

/// One pointer. A component so that a step redraws only the lines it
/// changed (a big heap has thousands).
#[function_component(PtrLine)]
fn ptr_line(props: &PtrLineProps) -> Html {
    html! { <path d={props.d.clone()} class="ptr" marker-end="url(#gc-arrow)" /> }
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
pub struct SimAt(pub Rc<GcSim>);

impl PartialEq for SimAt {
    fn eq(&self, other: &SimAt) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
