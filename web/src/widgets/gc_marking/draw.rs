//! The heap, drawn: as an SVG graph of lettered objects and arrows for the
//! small presets ([`HeapGraph`]), and on a canvas for heaps of
//! [`CANVAS_FROM_OBJECTS`] objects or more ([`HeapCanvas`]). Both play a
//! step's motion ([`super::motion`]) on animation frames ([`Frames`]).
//!
//! Both keep a step cheap: the SVG graph is made of one component per
//! object and per pointer, so a step redraws only what it changed; the
//! canvas is three layers, and a step redraws only the layers and the
//! cells it changed, with the theme's colours read once per colour scheme.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use runtime_model::gc::heap::{Color, Edge, Heap, Holder, Object, ObjectId};
use runtime_model::gc::sim::{Event as GcEvent, EventKind, GcSim};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::layout::{Layout, R, ROOT_H, ROOT_W};
use super::motion::{lerp, StepMotion, Travel};
use super::MarkRun;

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

#[derive(Properties, PartialEq)]
pub struct HeapGraphProps {
    pub run: Rc<MarkRun>,
    pub sim: SimAt,
    pub hot: Vec<ObjectId>,
    /// The step's motion, when there is one to play.
    #[prop_or_default]
    pub play: Option<Play>,
}

/// A small heap as SVG: roots on the left, objects in layers by their
/// distance from the roots ([`Layout`]), pointers as arrows routed clear of
/// every object and of each other. An object swept in an earlier cycle is
/// no longer drawn (the heap in words still lists it). While a step's
/// motion plays, the graph is drawn again on each frame at the motion's
/// progress (a small heap is a few dozen elements).
#[function_component(HeapGraph)]
pub fn heap_graph(props: &HeapGraphProps) -> Html {
    let svg = use_node_ref();
    let frames = use_frames(svg.clone());
    // The transition's id and its progress, set by the frames.
    let progress = use_state_eq(|| None::<(u64, f64, bool)>);
    {
        let (frames, progress) = (frames.clone(), progress.clone());
        use_effect_with(props.play.clone(), move |play| match play {
            Some(Play(t)) => {
                let id = t.id;
                frames.play(t.ms, t.forward, move |p, done| {
                    progress.set(Some((id, p, done)));
                });
            }
            None => frames.stop(),
        });
    }
    let Some(layout) = props.run.layout() else {
        return Html::default();
    };
    let heap = props.sim.0.heap();
    let step = props.sim.0.steps();
    let (width, height) = (layout.width, layout.height);
    // Where the motion is: a new transition starts at its start even
    // before its first frame, so the step's end picture never flashes.
    let at: Option<(&Transition, f64)> = props.play.as_ref().and_then(|Play(t)| match *progress {
        Some((id, _, true)) if id == t.id => None,
        Some((id, p, false)) if id == t.id => Some((&**t, p)),
        _ => Some((&**t, if t.forward { 0.0 } else { 1.0 })),
    });
    let routes = use_memo((props.run.clone(), props.sim.clone()), |(run, sim)| {
        let edges = drawn_edges(sim.0.heap());
        let routes = run
            .layout()
            .map(|l| l.route(&edges, sim.0.steps()))
            .unwrap_or_default();
        edges.into_iter().zip(routes).collect::<Vec<_>>()
    });
    // The route of a pointer the step removes, from the heap that still has it.
    let removed_route = at.and_then(|(t, _)| {
        let e = t.motion.removed?;
        let before = t.before.0.heap();
        let edges = drawn_edges(before);
        let i = edges.iter().position(|x| *x == e)?;
        layout.route(&edges, t.before.0.steps()).into_iter().nth(i)
    });
    let moving = |e: &Edge| {
        at.and_then(|(t, _)| t.motion.travel)
            .is_some_and(|tr| tr.edge().holder == e.holder && tr.edge().slot == e.slot)
    };
    let holder_at = |h: Holder| match h {
        Holder::Object(o) => layout.object(o),
        Holder::Global => {
            let (x, y) = layout.root(0);
            (x + ROOT_W / 2.0, y)
        }
        Holder::Stack(g) => {
            let (x, y) = layout.root(g as usize + 1);
            (x + ROOT_W / 2.0, y)
        }
    };
    html! {
        <svg ref={svg} class="heap-graph" viewBox={format!("0 0 {width} {height}")} role="img"
            aria-label="The heap as a graph; the list below says the same in words">
            <defs>
                <marker id="gc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                </marker>
                // The travelling pointer's head: its line is twice as
                // thick, so the marker is drawn half as big.
                <marker id="gc-arrow-travel" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="3.5" markerHeight="3.5" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead travel" />
                </marker>
            </defs>
            { for routes.iter().filter(|(e, _)| !moving(e)).map(|(e, r)| {
                let key = format!("{}.{}", e.holder, e.slot);
                let fading = at.and_then(|(t, p)| (t.motion.removed == Some(*e)).then(|| StepMotion::removed_at(p)));
                html! { <PtrLine {key} d={AttrValue::from(r.d.clone())} opacity={fading} /> }
            }) }
            if let (Some((_, p)), Some(r)) = (at, removed_route.filter(|_| at.is_some_and(|(t, _)| t.forward))) {
                <PtrLine key="removed" d={AttrValue::from(r.d)} opacity={Some(StepMotion::removed_at(p))} />
            }
            if let Some((t, p)) = at {
                { for t.motion.lit.iter().enumerate().filter_map(|(i, e)| {
                    let a = t.motion.lit_at(i, p);
                    let (_, r) = routes.iter().find(|(x, _)| x == e)?;
                    (a > 0.0).then(|| html! {
                        <path d={r.d.clone()} class="ptr-lit" stroke-opacity={format!("{a:.2}")} />
                    })
                }) }
                if let Some(travel) = t.motion.travel {
                    { travelling(travel, StepMotion::travel_at(p), &holder_at, layout) }
                }
            }
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
                let color = at.and_then(|(t, p)| t.motion.color_at(o.id, p)).unwrap_or(heap.color(o.id));
                let fading = at.is_some_and(|(t, _)| t.motion.fades.contains(&o.id));
                html! {
                    <ObjNode key={o.id.0} id={o.id.0} {x} {y} {color}
                        freed={o.freed || fading} lost={o.freed_while_reachable} hot={props.hot.contains(&o.id)} />
                }
            }) }
            // What sweep frees, fading out over its freed picture.
            if let Some((t, p)) = at {
                { for t.motion.fades.iter().filter(|o| layout.shown(**o, step)).map(|o| {
                    let (x, y) = layout.object(*o);
                    html! {
                        <ObjNode key={format!("fade{}", o.0)} id={o.0} {x} {y} color={t.before.0.heap().color(*o)}
                            freed={false} lost={false} hot={false} opacity={Some(StepMotion::fade_at(p))} />
                    }
                }) }
            }
            if let Some((t, p)) = at {
                { for t.motion.pulses.iter().filter_map(|o| {
                    let (grow, strength) = StepMotion::pulse_at(p);
                    let (x, y) = layout.object(*o);
                    (strength > 0.0).then(|| html! {
                        <circle class="pulse" cx={x.to_string()} cy={y.to_string()} r={format!("{:.1}", R + 4.0 + grow * 16.0)}
                            stroke-opacity={format!("{strength:.2}")} />
                    })
                }) }
            }
        </svg>
    }
}

/// The pointer a write moves, `k` of the way (0..=1): a straight arrow
/// whose tail or head travels, ending on the target's circle.
fn travelling(
    travel: Travel,
    k: f64,
    holder_at: &dyn Fn(Holder) -> (f64, f64),
    layout: &Layout,
) -> Html {
    let e = travel.edge();
    let (tail, head) = match travel {
        Travel::Tail { from, .. } => (
            lerp(holder_at(from), holder_at(e.holder), k),
            layout.object(e.to),
        ),
        Travel::Head { old, .. } => (
            holder_at(e.holder),
            lerp(layout.object(old), layout.object(e.to), k),
        ),
        Travel::Grow { .. } => (
            holder_at(e.holder),
            lerp(holder_at(e.holder), layout.object(e.to), k),
        ),
    };
    // Stop short of the target's circle (and leave the holder's).
    let (dx, dy) = (head.0 - tail.0, head.1 - tail.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 2.0 * R + 4.0 {
        return Html::default();
    }
    let (ux, uy) = (dx / len, dy / len);
    let start = match e.holder {
        Holder::Object(_) => (tail.0 + ux * R, tail.1 + uy * R),
        _ => tail,
    };
    let end = (head.0 - ux * (R + 3.0), head.1 - uy * (R + 3.0));
    html! {
        <path class="ptr travel" marker-end="url(#gc-arrow-travel)"
            d={format!("M {:.1} {:.1} L {:.1} {:.1}", start.0, start.1, end.0, end.1)} />
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

/// One step's motion as a drawing plays it: what moves, the heap before
/// and after the step, which way it plays and for how long.
pub struct Transition {
    /// Tells one transition from the next (a drawing's progress belongs
    /// to one).
    pub id: u64,
    pub motion: StepMotion,
    pub before: SimAt,
    pub after: SimAt,
    /// Forward: the step from `before` to `after`; backward: from `after`
    /// back to `before` (the same motion played in reverse).
    pub forward: bool,
    pub ms: f64,
}

/// A transition to play, compared by identity.
#[derive(Clone)]
pub struct Play(pub Rc<Transition>);

impl PartialEq for Play {
    fn eq(&self, other: &Play) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What a drawing does on each animation frame: draw at progress `p`;
/// `done` on the last frame, which must leave the step's still picture.
type Draw = Box<dyn FnMut(f64, bool)>;

/// The frame callback, once made.
type Tick = RefCell<Option<Closure<dyn FnMut(f64)>>>;

#[derive(Default)]
struct Playing {
    ms: f64,
    forward: bool,
    start: Option<f64>,
    draw: Option<Draw>,
    pending: Option<i32>,
}

/// A drawing's animation frames (the browser's "requestAnimationFrame"): plays one
/// transition at a time, from its first frame to its last, and counts the
/// frames drawn in motion on the drawing's element as
/// `data-motion-frames` (so a test can tell that something moved).
pub struct Frames {
    playing: Rc<RefCell<Playing>>,
    /// The frame callback, made on the first play (never while the page
    /// is prerendered).
    tick: Rc<Tick>,
    count: Rc<Cell<u32>>,
    target: NodeRef,
}

fn request_frame(tick: &Tick) -> Option<i32> {
    let tick = tick.borrow();
    let f = tick.as_ref()?;
    crate::kit::browser::window()?
        .request_animation_frame(f.as_ref().unchecked_ref())
        .ok()
}

fn cancel_frame(id: Option<i32>) {
    if let (Some(id), Some(w)) = (id, crate::kit::browser::window()) {
        let _ = w.cancel_animation_frame(id);
    }
}

impl Frames {
    fn new(target: NodeRef) -> Frames {
        Frames {
            playing: Rc::default(),
            tick: Rc::default(),
            count: Rc::default(),
            target,
        }
    }

    fn make_tick(&self) {
        if self.tick.borrow().is_some() {
            return;
        }
        let (playing, tick, count, target) = (
            self.playing.clone(),
            Rc::downgrade(&self.tick),
            self.count.clone(),
            self.target.clone(),
        );
        let f = Closure::<dyn FnMut(f64)>::new(move |now: f64| {
            let (p, done, mut draw) = {
                let mut s = playing.borrow_mut();
                s.pending = None;
                let start = *s.start.get_or_insert(now);
                let t = if s.ms > 0.0 {
                    ((now - start) / s.ms).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                (if s.forward { t } else { 1.0 - t }, t >= 1.0, s.draw.take())
            };
            let Some(d) = draw.as_mut() else { return };
            d(p, done);
            count.set(count.get() + 1);
            if let Some(el) = target.cast::<web_sys::Element>() {
                let _ = el.set_attribute("data-motion-frames", &count.get().to_string());
            }
            let mut s = playing.borrow_mut();
            // Unless the drawing started another transition meanwhile.
            if !done && s.draw.is_none() {
                s.draw = draw;
                s.pending = tick.upgrade().and_then(|t| request_frame(&t));
            }
        });
        *self.tick.borrow_mut() = Some(f);
    }

    /// Plays a transition of `ms` milliseconds: `draw` now at its start,
    /// then on every frame until its end. Replaces any transition still
    /// playing.
    pub fn play(&self, ms: f64, forward: bool, mut draw: impl FnMut(f64, bool) + 'static) {
        self.make_tick();
        draw(if forward { 0.0 } else { 1.0 }, false);
        let pending = self.playing.borrow_mut().pending.take();
        cancel_frame(pending);
        let pending = request_frame(&self.tick);
        *self.playing.borrow_mut() = Playing {
            ms,
            forward,
            start: None,
            draw: Some(Box::new(draw)),
            pending,
        };
    }

    /// Stops playing (the still picture is the drawing's own).
    pub fn stop(&self) {
        let mut s = self.playing.borrow_mut();
        cancel_frame(s.pending.take());
        s.draw = None;
    }
}

impl Drop for Frames {
    fn drop(&mut self) {
        cancel_frame(self.playing.borrow_mut().pending.take());
    }
}

/// A drawing's [`Frames`], kept across renders.
#[hook]
fn use_frames(target: NodeRef) -> Rc<Frames> {
    (*use_memo((), move |_| Rc::new(Frames::new(target)))).clone()
}

#[derive(Properties, PartialEq)]
pub struct HeapCanvasProps {
    pub sim: SimAt,
    pub hot: Vec<ObjectId>,
    /// Every pointer, or only the ones marking is about to follow.
    pub all_pointers: bool,
    /// The step's motion, when there is one to play.
    #[prop_or_default]
    pub play: Option<Play>,
}

/// A big heap on a canvas. Shape carries the colour a second time: white
/// is a circle, grey a diamond, black a square, freed a cross; a ring marks
/// what this step touched. The same heap is listed in words below it.
///
/// Three canvases, one over the other, keep a step within a frame: the
/// pointers and roots (redrawn only when the pointers drawn change), the
/// objects (only the cells whose object changed are redrawn, from one small
/// picture per shape), and on top the rings and the motion (a few shapes,
/// redrawn on every frame of a step's motion).
#[function_component(HeapCanvas)]
pub fn heap_canvas(props: &HeapCanvasProps) -> Html {
    let layers = [use_node_ref(), use_node_ref(), use_node_ref()];
    let painter = use_mut_ref(Painter::default);
    let frames = use_frames(layers[0].clone());
    let scheme = use_mut_ref(|| 0_u32);
    let redraw = use_force_update();
    {
        let scheme = scheme.clone();
        use_effect_with((), move |_| {
            let listener = crate::kit::browser::window()
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
    let dpr = crate::kit::browser::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 2.0);
    let layers_of = {
        let layers = layers.clone();
        move || {
            let canvases: Option<Vec<web_sys::HtmlCanvasElement>> =
                layers.iter().map(|l| l.cast()).collect();
            canvases.and_then(|c| Layers::new(&c))
        }
    };
    {
        // The still picture: when the step, the pointers asked for or the
        // colour scheme change.
        let (layers_of, painter) = (layers_of.clone(), painter.clone());
        let deps = (
            props.sim.clone(),
            props.hot.clone(),
            props.all_pointers,
            *scheme.borrow(),
        );
        use_effect_with(deps, move |(sim, hot, all, scheme)| {
            if let Some(canvases) = layers_of() {
                painter
                    .borrow_mut()
                    .paint(&canvases, &sim.0, hot, *all, dpr, *scheme);
            }
        });
    }
    {
        // The step's motion, over the still picture (after it: effects
        // run in order).
        let hot = props.hot.clone();
        use_effect_with(props.play.clone(), move |play| match (play, layers_of()) {
            (Some(Play(t)), Some(canvases)) => {
                let t = t.clone();
                frames.play(t.ms, t.forward, move |p, done| {
                    painter.borrow_mut().motion(&canvases, &t, &hot, p, done);
                });
            }
            _ => frames.stop(),
        });
    }
    let [white, grey, black, freed] = census(heap);
    let label = format!(
        "The heap as a graph of {} objects: {white} white, {grey} grey, {black} black, {freed} freed. The list below says the same in words.",
        heap.objects.len()
    );
    let width = ((geo.width * dpr).round() as u32).to_string();
    let height = ((geo.height * dpr).round() as u32).to_string();
    html! {
        <>
            <div class="heap-canvas-wrap">
                <canvas ref={layers[0].clone()} class="heap-canvas" role="img" aria-label={label}
                    width={width.clone()} height={height.clone()} />
                <canvas ref={layers[1].clone()} class="heap-layer" aria-hidden="true"
                    width={width.clone()} height={height.clone()} />
                <canvas ref={layers[2].clone()} class="heap-layer" aria-hidden="true" {width} {height} />
            </div>
            <p class="census">
                { format!("● white {white} · ◆ grey {grey} · ■ black {black} · ✕ freed {freed}") }
            </p>
        </>
    }
}

/// The three canvases' 2D contexts: pointers and roots, objects, rings
/// and motion.
struct Layers {
    pointers: web_sys::CanvasRenderingContext2d,
    objects: web_sys::CanvasRenderingContext2d,
    top: web_sys::CanvasRenderingContext2d,
    /// The bottom canvas, whose style gives the theme's colours.
    base: web_sys::HtmlCanvasElement,
}

impl Layers {
    fn new(c: &[web_sys::HtmlCanvasElement]) -> Option<Layers> {
        let ctx = |c: &web_sys::HtmlCanvasElement| {
            c.get_context("2d")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        };
        Some(Layers {
            pointers: ctx(&c[0])?,
            objects: ctx(&c[1])?,
            top: ctx(&c[2])?,
            base: c[0].clone(),
        })
    }
}

/// The theme's colours, read from the page's style once per colour scheme.
#[derive(Clone)]
struct Theme {
    text: String,
    muted: String,
    focus: String,
    surface: String,
}

impl Theme {
    fn of(canvas: &web_sys::HtmlCanvasElement) -> Theme {
        let style =
            crate::kit::browser::window().and_then(|w| w.get_computed_style(canvas).ok().flatten());
        let var = |name: &str, fallback: &str| {
            style
                .as_ref()
                .and_then(|s| s.get_property_value(name).ok())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| fallback.to_owned())
        };
        Theme {
            text: var("--text", "#1b1f24"),
            muted: var("--muted", "#4a5560"),
            focus: var("--focus", "#b3006b"),
            surface: var("--surface", "#ffffff"),
        }
    }
}

/// A cell whose drawing is not known (never drawn, or drawn in motion).
const UNKNOWN: u8 = u8::MAX;

/// The pointers drawn (holder, target), the roots' scanned flags and
/// whether every pointer was drawn.
type PointersDrawn = (Vec<(Holder, ObjectId)>, Vec<bool>, bool);

/// What the canvases show, so that a step redraws only what changed.
#[derive(Default)]
struct Painter {
    /// The colour scheme, pixel ratio and grid the canvases were drawn for.
    drawn_for: Option<(u32, u64, usize, u64)>,
    theme: Option<Theme>,
    /// One small picture per shape: white, grey, black, freed.
    sprites: Vec<web_sys::HtmlCanvasElement>,
    /// The shape drawn in each object's cell.
    cells: Vec<u8>,
    /// The pointers drawn (holder, target), the roots' scanned flags and
    /// whether every pointer was drawn.
    pointers: Option<PointersDrawn>,
    geo: Option<CanvasGeo>,
}

impl Painter {
    /// The step's still picture: each layer redrawn as far as it changed.
    fn paint(
        &mut self,
        layers: &Layers,
        sim: &GcSim,
        hot: &[ObjectId],
        all_pointers: bool,
        dpr: f64,
        scheme: u32,
    ) {
        let heap = sim.heap();
        let geo = CanvasGeo::new(heap);
        let key = (scheme, dpr.to_bits(), geo.cols, geo.height.to_bits());
        let fresh = self.drawn_for != Some(key);
        if fresh {
            let theme = Theme::of(&layers.base);
            self.sprites = sprites(&theme, dpr);
            self.theme = Some(theme);
            self.cells.clear();
            self.pointers = None;
            for ctx in [&layers.pointers, &layers.objects, &layers.top] {
                let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
                ctx.clear_rect(0.0, 0.0, geo.width, geo.height);
            }
            self.drawn_for = Some(key);
        }
        let Some(theme) = self.theme.clone() else {
            return;
        };
        self.paint_pointers(&layers.pointers, heap, &geo, hot, all_pointers, &theme);
        self.cells.resize(heap.objects.len(), UNKNOWN);
        for o in &heap.objects {
            let kind = kind_of(heap, o) as u8;
            if self.cells[o.id.0 as usize] != kind {
                self.cell(&layers.objects, &geo, o.id, &[(kind, 1.0)]);
                self.cells[o.id.0 as usize] = kind;
            }
        }
        self.geo = Some(geo);
        self.paint_top(&layers.top, heap, hot, &theme);
    }

    /// Pointers (faint, so the objects stay readable) and roots, when
    /// they changed. Unless `all_pointers`, only the pointers marking is
    /// about to follow: those held by roots and grey objects, and those of
    /// objects this step touched.
    fn paint_pointers(
        &mut self,
        ctx: &web_sys::CanvasRenderingContext2d,
        heap: &Heap,
        geo: &CanvasGeo,
        hot: &[ObjectId],
        all_pointers: bool,
        theme: &Theme,
    ) {
        let lines: Vec<(Holder, ObjectId)> = heap
            .edges()
            .filter(|e| match e.holder {
                Holder::Object(o) => {
                    !heap.object(o).freed
                        && (all_pointers
                            || heap.color(o) == Color::Grey
                            || hot.contains(&o)
                            || hot.contains(&e.to))
                }
                _ => true,
            })
            .map(|e| (e.holder, e.to))
            .collect();
        let roots: Vec<bool> = std::iter::once(heap.globals_scanned)
            .chain(heap.stacks.iter().map(|s| s.scanned))
            .collect();
        let now = (lines, roots, all_pointers);
        if self.pointers.as_ref() == Some(&now) {
            return;
        }
        ctx.clear_rect(0.0, 0.0, geo.width, geo.height);
        ctx.begin_path();
        for &(h, to) in &now.0 {
            let (x1, y1) = geo.holder(h);
            let (x2, y2) = geo.object(to.0);
            ctx.move_to(x1, y1);
            ctx.line_to(x2, y2);
        }
        ctx.set_global_alpha(if all_pointers { 0.28 } else { 0.7 });
        ctx.set_stroke_style_str(&theme.muted);
        ctx.set_line_width(if all_pointers { 0.7 } else { 1.0 });
        ctx.stroke();
        ctx.set_global_alpha(1.0);
        // Roots, with ✓ once scanned.
        ctx.set_font("12px ui-monospace, monospace");
        ctx.set_text_baseline("middle");
        let names = std::iter::once("globals".to_owned()).chain(
            heap.stacks
                .iter()
                .map(|s| format!("G{} stack", s.goroutine)),
        );
        for (row, (name, &scanned)) in names.zip(&now.1).enumerate() {
            let (x, y) = geo.root(row);
            ctx.set_fill_style_str(&theme.surface);
            ctx.fill_rect(x, y, ROOTS_W - 28.0, 26.0);
            ctx.set_stroke_style_str(&theme.text);
            ctx.set_line_width(if scanned { 3.0 } else { 1.5 });
            ctx.stroke_rect(x, y, ROOTS_W - 28.0, 26.0);
            ctx.set_fill_style_str(&theme.text);
            let _ = ctx.fill_text(
                &format!("{name}{}", if scanned { " ✓" } else { "" }),
                x + 6.0,
                y + 13.0,
            );
        }
        self.pointers = Some(now);
    }

    /// Redraws object `id`'s cell as the shapes `looks` (kind, opacity),
    /// one over the other.
    fn cell(
        &self,
        ctx: &web_sys::CanvasRenderingContext2d,
        geo: &CanvasGeo,
        id: ObjectId,
        looks: &[(u8, f64)],
    ) {
        let (x, y) = geo.object(id.0);
        let (x0, y0) = (x - CELL / 2.0, y - CELL / 2.0);
        ctx.clear_rect(x0, y0, CELL, CELL);
        for &(kind, alpha) in looks {
            if let Some(s) = self.sprites.get(kind as usize) {
                ctx.set_global_alpha(alpha);
                let _ =
                    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(s, x0, y0, CELL, CELL);
            }
        }
        ctx.set_global_alpha(1.0);
    }

    /// The top layer's still picture: rings round what the collector lost
    /// and round what this step touched.
    fn paint_top(
        &self,
        ctx: &web_sys::CanvasRenderingContext2d,
        heap: &Heap,
        hot: &[ObjectId],
        theme: &Theme,
    ) {
        let Some(geo) = &self.geo else { return };
        ctx.clear_rect(0.0, 0.0, geo.width, geo.height);
        ctx.set_stroke_style_str(&theme.focus);
        let lost: Vec<ObjectId> = heap
            .objects
            .iter()
            .filter(|o| o.freed_while_reachable)
            .map(|o| o.id)
            .collect();
        for (width, ids) in [(4.0, &lost[..]), (2.5, hot)] {
            ctx.begin_path();
            for id in ids {
                let (x, y) = geo.object(id.0);
                ctx.move_to(x + DOT + 3.5, y);
                let _ = ctx.arc(x, y, DOT + 3.5, 0.0, std::f64::consts::TAU);
            }
            ctx.set_line_width(width);
            ctx.stroke();
        }
    }

    /// One frame of transition `t` at progress `p`: the objects it
    /// changes drawn as they look at `p`, and over them the lit pointers,
    /// the travelling pointer, the fading one and the pulses. On the last
    /// frame the still picture is back.
    fn motion(&mut self, layers: &Layers, t: &Transition, hot: &[ObjectId], p: f64, done: bool) {
        let (Some(geo), Some(theme)) = (self.geo.as_ref(), self.theme.clone()) else {
            return;
        };
        let shown = if t.forward { &t.after } else { &t.before };
        let heap = shown.0.heap();
        let m = &t.motion;
        let kind = |c: Color| match c {
            Color::White => 0_u8,
            Color::Grey => 1,
            Color::Black => 2,
        };
        for &(o, _, _, _) in &m.flips {
            if (o.0 as usize) < self.cells.len() && !m.fades.contains(&o) {
                let c = m.color_at(o, p).unwrap_or(heap.color(o));
                self.cell(&layers.objects, geo, o, &[(kind(c), 1.0)]);
                self.cells[o.0 as usize] = UNKNOWN;
            }
        }
        for &o in &m.fades {
            if (o.0 as usize) < self.cells.len() {
                let was = kind(t.before.0.heap().color(o));
                let f = StepMotion::fade_at(p);
                self.cell(&layers.objects, geo, o, &[(3, 1.0 - f), (was, f)]);
                self.cells[o.0 as usize] = UNKNOWN;
            }
        }
        let ctx = &layers.top;
        self.paint_top(ctx, heap, hot, &theme);
        if done {
            return;
        }
        ctx.set_stroke_style_str(&theme.focus);
        ctx.set_line_cap("round");
        let line = |a: (f64, f64), b: (f64, f64), alpha: f64, width: f64| {
            if alpha <= 0.0 {
                return;
            }
            ctx.set_global_alpha(alpha);
            ctx.set_line_width(width);
            ctx.begin_path();
            ctx.move_to(a.0, a.1);
            ctx.line_to(b.0, b.1);
            ctx.stroke();
        };
        for (i, e) in m.lit.iter().enumerate() {
            line(
                geo.holder(e.holder),
                geo.object(e.to.0),
                m.lit_at(i, p),
                2.5,
            );
        }
        if let Some(e) = m.removed {
            line(
                geo.holder(e.holder),
                geo.object(e.to.0),
                StepMotion::removed_at(p),
                2.0,
            );
        }
        if let Some(travel) = m.travel {
            let k = StepMotion::travel_at(p);
            let e = travel.edge();
            let (tail, head) = match travel {
                Travel::Tail { from, .. } => (
                    lerp(geo.holder(from), geo.holder(e.holder), k),
                    geo.object(e.to.0),
                ),
                Travel::Head { old, .. } => (
                    geo.holder(e.holder),
                    lerp(geo.object(old.0), geo.object(e.to.0), k),
                ),
                Travel::Grow { .. } => (
                    geo.holder(e.holder),
                    lerp(geo.holder(e.holder), geo.object(e.to.0), k),
                ),
            };
            line(tail, head, 1.0, 3.0);
        }
        for &o in &m.pulses {
            let (grow, strength) = StepMotion::pulse_at(p);
            if strength > 0.0 {
                let (x, y) = geo.object(o.0);
                let r = DOT + 3.0 + grow * 9.0;
                ctx.set_global_alpha(strength);
                ctx.set_line_width(2.5);
                ctx.begin_path();
                let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
                ctx.stroke();
            }
        }
        ctx.set_global_alpha(1.0);
    }
}

/// The four shapes, each drawn once on a small canvas of one cell:
/// white circle, grey diamond, black square, freed cross.
fn sprites(theme: &Theme, dpr: f64) -> Vec<web_sys::HtmlCanvasElement> {
    let Some(doc) = crate::kit::browser::window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let (c, tau) = (CELL / 2.0, std::f64::consts::TAU);
    (0..4)
        .filter_map(|k| {
            let canvas: web_sys::HtmlCanvasElement =
                doc.create_element("canvas").ok()?.dyn_into().ok()?;
            let side = (CELL * dpr).round() as u32;
            canvas.set_width(side);
            canvas.set_height(side);
            let ctx: web_sys::CanvasRenderingContext2d =
                canvas.get_context("2d").ok().flatten()?.dyn_into().ok()?;
            let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
            ctx.set_line_width(1.5);
            ctx.begin_path();
            match k {
                1 => {
                    ctx.move_to(c, c - DOT - 1.0);
                    ctx.line_to(c + DOT + 1.0, c);
                    ctx.line_to(c, c + DOT + 1.0);
                    ctx.line_to(c - DOT - 1.0, c);
                    ctx.close_path();
                }
                3 => {
                    let d = DOT * 0.6;
                    ctx.move_to(c - d, c - d);
                    ctx.line_to(c + d, c + d);
                    ctx.move_to(c + d, c - d);
                    ctx.line_to(c - d, c + d);
                }
                2 => ctx.rect(c - DOT, c - DOT, 2.0 * DOT, 2.0 * DOT),
                _ => {
                    let _ = ctx.arc(c, c, DOT, 0.0, tau);
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
            ctx.set_stroke_style_str(if k == 3 { &theme.muted } else { &theme.text });
            ctx.stroke();
            Some(canvas)
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct PtrLineProps {
    /// The route's SVG path.
    d: AttrValue,
    /// Less than 1 while it fades out.
    #[prop_or_default]
    opacity: Option<f64>,
}

/// One pointer. A component so that a step redraws only the lines it
/// changed (a big heap has thousands).
#[function_component(PtrLine)]
fn ptr_line(props: &PtrLineProps) -> Html {
    html! {
        <path d={props.d.clone()} class={classes!("ptr", props.opacity.is_some().then_some("fading"))} marker-end="url(#gc-arrow)"
            opacity={props.opacity.map(|o| format!("{o:.2}"))} />
    }
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
    /// Less than 1 while it fades out.
    #[prop_or_default]
    opacity: Option<f64>,
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
        <g class={classes!("obj", color, p.freed.then_some("freed"), p.lost.then_some("lost"), p.hot.then_some("hot"))}
            opacity={p.opacity.map(|o| format!("{o:.2}"))}>
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
