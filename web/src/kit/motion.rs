//! Motion: pieces of a picture that travel from where they were to where
//! they are when a step changes them, and the rules for when they may.
//!
//! Three parts, for any widget that draws one state per step:
//!
//! - **Whether motion is on** ([`use_motion`]): off when the system asks
//!   for reduced motion (`prefers-reduced-motion: reduce`, followed live),
//!   or when the "Motion" toggle in the shared [`Player`] is off. The
//!   toggle's state lives in the URL as `motion=off` (a page-wide key, like
//!   the embed frame's own keys: every widget on the page follows it), so a
//!   shared link keeps it. With motion off a widget shows only its
//!   highlight of what changed; motion never carries anything the
//!   highlight and the narration do not also say.
//! - **How long a step's motion lasts** ([`timing`]): at every speed up to
//!   8x it ends before the next step can start; above 8x it shortens in
//!   proportion, and once it would be shorter than half a frame it is dropped
//!   and only the highlight is left ([`Timing::Highlight`]).
//! - **How things travel** ([`use_flip`], or [`Boxes`], [`flip`] and
//!   [`travel`] by hand): FLIP with the Web Animations API. Each element
//!   that may move carries `data-flip` (who it is, unique in the widget,
//!   e.g. `g12`) and `data-place` (where it is, e.g. `p3 runq`). After a
//!   step renders, every element whose place changed is animated from its
//!   old box to its new one by a transform; elements that only shift
//!   within their place, appear or vanish are left to the highlight.
//!   Stepping back uses the same boxes, so the motion plays backwards (and
//!   its easing is mirrored, so it looks like the forward motion
//!   reversed).
//!
//! The animations are `Element.animate()` calls, not `style=` attributes,
//! so they work under the site's CSP (`style-src 'self'`). A widget using
//! this should also put the class [`OFF_CLASS`] on its root while motion is
//! off, so that CSS animations of its highlight (the `moved` pulse) stop
//! too.
//!
//! A widget uses it like this:
//!
//! ```ignore
//! let motion = use_motion();
//! let root = use_node_ref();
//! // Before any early return; `step` is what the picture shows.
//! use_flip(root.clone(), step, motion.timing(stepper.speed));
//! html! { <div ref={root} class={classes!("widget", motion.off_class())}> … </div> }
//! // and each moving piece: <span data-flip={format!("g{g}")} data-place={place}>…</span>
//! ```
//!
//! [`Player`]: super::stepper::Player

use std::collections::HashMap;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::query::{merge, use_query, value};
use super::stepper::SPEEDS;

/// The URL key of the toggle. Page-wide: no widget may use it for its own
/// state (the registry's key test checks).
pub const KEY: &str = "motion";
/// The key's value when motion is off; motion on is the default and is
/// not written.
pub const OFF: &str = "off";
/// The class a widget's root carries while motion is off.
pub const OFF_CLASS: &str = "motion-off";
/// The class for a widget's root while it plays too fast for travel
/// ([`Timing::Highlight`] with motion on): the highlight stays, its pulse
/// goes, so that fast play repaints only what the step changed.
pub const HIGHLIGHT_CLASS: &str = "motion-highlight";
/// The media query of the system's reduced-motion setting.
pub const REDUCE_QUERY: &str = "(prefers-reduced-motion: reduce)";

/// The longest a step's motion lasts, at slow speeds.
pub const FULL_MS: f64 = 400.0;
/// The share of the shortest gap between two steps that motion may use,
/// so that it has ended, with a frame to spare (an animation starts on the
/// frame after the render), when the next step comes.
pub const GAP_SHARE: f64 = 0.6;
/// One frame at 60 Hz.
pub const FRAME_MS: f64 = 1000.0 / 60.0;
/// Motion shorter than this (half a frame) would show in no frame at all.
pub const MIN_MS: f64 = FRAME_MS / 2.0;
/// The fastest speed whose steps each get motion that ends before the next
/// one; above it motion shortens.
pub const FULL_SPEED: f64 = 8.0;
/// Most elements animated for one step (a `runqputslow` moves 128
/// goroutines; a widget draws a few dozen of them): more would cost frames.
pub const MAX_MOVERS: usize = 64;

/// What the link says of motion: on (also when the key is absent), or off;
/// any other value is a mistake, kept on with a notice.
pub fn from_query(query: &str) -> (bool, Option<String>) {
    match value(query, KEY).as_deref() {
        None | Some("on") => (true, None),
        Some(OFF) => (false, None),
        Some(other) => (
            true,
            Some(format!(
                "The link's motion {other:?} is not \"on\" or \"off\"; motion stays on."
            )),
        ),
    }
}

/// `query` with the toggle set to `on` (which removes the key).
pub fn with_motion(query: &str, on: bool) -> String {
    let pairs = if on {
        Vec::new()
    } else {
        vec![(KEY.to_owned(), OFF.to_owned())]
    };
    merge(query, &|k| k == KEY, &pairs)
}

/// Whether the system asks for reduced motion right now (never at build
/// time).
pub fn system_reduces() -> bool {
    super::browser::window()
        .and_then(|w| w.match_media(REDUCE_QUERY).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// How a step's change is shown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Timing {
    /// Pieces travel for this many milliseconds.
    Travel { ms: f64 },
    /// Only the highlight of what changed: motion is off, or the speed is
    /// too high for it.
    Highlight,
}

/// The time from one step to the next at speed index `speed` (of
/// [`SPEEDS`]): 1000 / (2 × speed) ms.
pub fn step_interval_ms(speed: usize) -> f64 {
    1000.0 / (2.0 * SPEEDS[speed.min(SPEEDS.len() - 1)])
}

/// The shortest time between two steps the player's clock makes at speed
/// `speed`: its ticks come every [`super::stepper::TICK_MS`], so at 8x
/// (one step per 62.5 ms on average) two steps can be one tick, 50 ms,
/// apart. Above one step per tick it is one tick.
pub fn shortest_gap_ms(speed: usize) -> f64 {
    let tick = f64::from(super::stepper::TICK_MS);
    let interval = step_interval_ms(speed);
    (interval / tick).floor().max(1.0) * tick
}

/// How long a step's motion lasts at speed index `speed` when motion is
/// on: [`FULL_MS`] at slow speeds, at most [`GAP_SHARE`] of the shortest
/// gap between steps up to 8x, then shorter in proportion to the speed
/// (half as long at 16x), and only the highlight once that is under
/// [`MIN_MS`] (from 32x). At 1x that is 300 ms, at 8x 30 ms.
pub fn timing(speed: usize) -> Timing {
    let x = SPEEDS[speed.min(SPEEDS.len() - 1)];
    let ms = FULL_MS.min(GAP_SHARE * shortest_gap_ms(speed)) * (FULL_SPEED / x).min(1.0);
    if ms < MIN_MS {
        Timing::Highlight
    } else {
        Timing::Travel { ms }
    }
}

/// Whether motion is on for this page, and the toggle.
#[derive(Clone, PartialEq)]
pub struct Motion {
    /// The toggle (the URL's `motion`): on unless `motion=off`.
    pub toggled_on: bool,
    /// The system asks for reduced motion.
    pub system_reduces: bool,
    /// Set when the URL's `motion` is neither `on` nor `off`.
    pub notice: Option<String>,
    /// Flips the toggle (writes the URL).
    pub toggle: Callback<()>,
}

impl Motion {
    /// Whether pieces may travel at all.
    pub fn on(&self) -> bool {
        self.toggled_on && !self.system_reduces
    }

    /// How a step is shown at speed index `speed`: [`timing`] when motion
    /// is on, else the highlight alone.
    pub fn timing(&self, speed: usize) -> Timing {
        if self.on() {
            timing(speed)
        } else {
            Timing::Highlight
        }
    }

    /// [`OFF_CLASS`] while motion is off, for the widget's root.
    pub fn off_class(&self) -> Option<&'static str> {
        (!self.on()).then_some(OFF_CLASS)
    }

    /// The class for the widget's root at speed index `speed`:
    /// [`OFF_CLASS`] while motion is off, [`HIGHLIGHT_CLASS`] at speeds
    /// that show the highlight alone, else none.
    pub fn class(&self, speed: usize) -> Option<&'static str> {
        self.off_class()
            .or((timing(speed) == Timing::Highlight).then_some(HIGHLIGHT_CLASS))
    }
}

/// Whether motion is on: the URL's toggle and the system's setting (which
/// is followed when it changes).
#[hook]
pub fn use_motion() -> Motion {
    let ctx = use_query();
    let reduces = use_state_eq(system_reduces);
    {
        let reduces = reduces.clone();
        use_effect_with((), move |_| {
            let listener = super::browser::window()
                .and_then(|w| w.match_media(REDUCE_QUERY).ok().flatten())
                .map(|mql| {
                    let target = mql.clone();
                    gloo::events::EventListener::new(&target, "change", move |_| {
                        reduces.set(mql.matches());
                    })
                });
            move || drop(listener)
        });
    }
    let (toggled_on, notice) = from_query(&ctx.query);
    let toggle = {
        let ctx = ctx.clone();
        Callback::from(move |()| {
            let now = ctx.read.emit(());
            let (on, _) = from_query(&now);
            ctx.replace.emit(with_motion(&now, !on));
        })
    };
    Motion {
        toggled_on,
        system_reduces: *reduces,
        notice,
        toggle,
    }
}

/// A box on screen, in CSS pixels, relative to the widget's root (so that
/// scrolling between two steps does not count as moving).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    fn of(el: &web_sys::Element, origin: (f64, f64)) -> Rect {
        let r = el.get_bounding_client_rect();
        Rect {
            x: r.x() - origin.0,
            y: r.y() - origin.1,
            width: r.width(),
            height: r.height(),
        }
    }

    /// How far `from`'s centre is from this box's centre: the translation
    /// that puts this box where `from` was.
    pub fn offset_from(&self, from: &Rect) -> (f64, f64) {
        (
            (from.x + from.width / 2.0) - (self.x + self.width / 2.0),
            (from.y + from.height / 2.0) - (self.y + self.height / 2.0),
        )
    }
}

/// Where each `data-flip` element of a widget was: its place and box.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Boxes(HashMap<String, (String, Rect)>);

impl Boxes {
    /// Measures every `[data-flip]` element under `root` (the first of
    /// each name). Call it after a render, with no travel running.
    pub fn measure(root: &web_sys::Element) -> Boxes {
        let r = root.get_bounding_client_rect();
        let origin = (r.x(), r.y());
        let mut boxes = HashMap::new();
        for el in flip_elements(root) {
            if let (Some(name), Some(place)) = (
                el.get_attribute("data-flip"),
                el.get_attribute("data-place"),
            ) {
                boxes
                    .entry(name)
                    .or_insert_with(|| (place, Rect::of(&el, origin)));
            }
        }
        Boxes(boxes)
    }

    /// The place and box of element `name`.
    pub fn get(&self, name: &str) -> Option<&(String, Rect)> {
        self.0.get(name)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names that are in another place in `now` than here, with their
    /// old and new boxes: what should travel (at most [`MAX_MOVERS`], in
    /// name order, so that a step always moves the same ones).
    pub fn moves<'a>(&'a self, now: &'a Boxes) -> Vec<(&'a str, Rect, Rect)> {
        let mut moves: Vec<_> = now
            .0
            .iter()
            .filter_map(|(name, (place, new))| {
                let (old_place, old) = self.0.get(name)?;
                (old_place != place).then_some((name.as_str(), *old, *new))
            })
            .collect();
        moves.sort_by(|a, b| a.0.cmp(b.0));
        moves.truncate(MAX_MOVERS);
        moves
    }
}

fn flip_elements(root: &web_sys::Element) -> Vec<web_sys::Element> {
    let Ok(list) = root.query_selector_all("[data-flip]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

#[wasm_bindgen]
extern "C" {
    /// An element, seen as what `animate` is called on: web-sys has
    /// `Element.animate` only behind `web_sys_unstable_apis`.
    type Animatable;

    #[wasm_bindgen(method)]
    fn animate(this: &Animatable, keyframes: &js_sys::Array, options: &js_sys::Object)
        -> Animation;

    /// A Web Animations `Animation`.
    #[derive(Clone)]
    pub type Animation;

    #[wasm_bindgen(method)]
    fn finish(this: &Animation);

    #[wasm_bindgen(method, getter, js_name = playState)]
    fn play_state(this: &Animation) -> String;
}

impl Animation {
    /// Whether it is still under way (or about to start).
    fn running(&self) -> bool {
        self.play_state() == "running"
    }
}

/// The easing of forward motion; backward motion uses its mirror image, so
/// that it looks like the forward motion played in reverse.
const EASE_FORWARD: &str = "cubic-bezier(0.2, 0, 0.2, 1)";
const EASE_BACKWARD: &str = "cubic-bezier(0.8, 0, 0.8, 1)";

/// Makes `el`, already drawn at `to`, travel there from `from` over `ms`
/// milliseconds (a transform from the old box to none). `backward` when
/// the step went back. The animation's id is `flip`, so a test can tell it
/// from CSS animations.
pub fn travel(el: &web_sys::Element, from: Rect, to: Rect, ms: f64, backward: bool) -> Animation {
    let (dx, dy) = to.offset_from(&from);
    let frame = |transform: &str| {
        let f = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&f, &"transform".into(), &transform.into());
        f
    };
    let keyframes = js_sys::Array::of2(
        &frame(&format!("translate({dx:.1}px, {dy:.1}px)")),
        &frame("none"),
    );
    let options = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v);
    };
    set("duration", ms.into());
    set(
        "easing",
        if backward {
            EASE_BACKWARD
        } else {
            EASE_FORWARD
        }
        .into(),
    );
    set("id", "flip".into());
    el.unchecked_ref::<Animatable>()
        .animate(&keyframes, &options)
}

/// Animates every `[data-flip]` element under `root` whose place differs
/// from `before`'s from its old box to its new one, for `ms` (one inside
/// another that travels is carried by it, not animated twice). Returns the
/// new boxes (to keep for the next step) and the animations started.
pub fn flip(
    root: &web_sys::Element,
    before: &Boxes,
    ms: f64,
    backward: bool,
) -> (Boxes, Vec<Animation>) {
    let now = Boxes::measure(root);
    let mut started = Vec::new();
    if !before.is_empty() {
        let moves = before.moves(&now);
        if !moves.is_empty() {
            let by_name: HashMap<String, web_sys::Element> = flip_elements(root)
                .into_iter()
                .filter_map(|el| el.get_attribute("data-flip").map(|n| (n, el)))
                .collect();
            let moving: std::collections::HashSet<&str> = moves.iter().map(|m| m.0).collect();
            for (name, old, new) in &moves {
                let Some(el) = by_name.get(*name) else {
                    continue;
                };
                // A piece inside another that travels (a goroutine with
                // its thread) goes along with it.
                let carried = el
                    .parent_element()
                    .and_then(|p| p.closest("[data-flip]").ok().flatten())
                    .and_then(|outer| outer.get_attribute("data-flip"))
                    .is_some_and(|outer| moving.contains(outer.as_str()));
                if !carried {
                    started.push(travel(el, *old, *new, ms, backward));
                }
            }
        }
    }
    (now, started)
}

/// What [`use_flip`] keeps between renders.
#[derive(Default)]
struct Flipper {
    step: Option<u64>,
    boxes: Boxes,
    running: Vec<Animation>,
}

/// FLIP for a widget: after each render whose `step` differs from the last
/// one, the `[data-flip]` elements under `root` whose place changed travel
/// from their old boxes to the new ones, for as long as `timing` says
/// (nothing with [`Timing::Highlight`], and then nothing is measured
/// either, which keeps fast play cheap). A step lower than the last one
/// plays backward. Motion still running from the last step is finished
/// first. Call it before any early return.
#[hook]
pub fn use_flip(root: NodeRef, step: u64, timing: Timing) {
    let state = use_mut_ref(Flipper::default);
    use_effect(move || {
        let mut s = state.borrow_mut();
        let changed = s.step != Some(step);
        // A render of the same step (the widget re-renders for other
        // reasons) leaves its travel running.
        if changed || timing == Timing::Highlight {
            for a in s.running.drain(..) {
                a.finish();
            }
        }
        let Some(el) = root.cast::<web_sys::Element>() else {
            return;
        };
        match timing {
            Timing::Highlight => {
                s.boxes = Boxes::default();
            }
            // Boxes measured mid-travel would be where the transform puts
            // them: keep the last ones.
            Timing::Travel { .. } if !changed && s.running.iter().any(Animation::running) => {}
            Timing::Travel { ms } => {
                let backward = s.step.is_some_and(|last| step < last);
                let before = if changed && s.step.is_some() {
                    std::mem::take(&mut s.boxes)
                } else {
                    Boxes::default()
                };
                let (now, started) = flip(&el, &before, ms, backward);
                s.boxes = now;
                s.running = started;
            }
        }
        s.step = Some(step);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::stepper::{Clock, NORMAL_SPEED};

    /// Simulates the player's clock at `speed` for a minute: the times at
    /// which steps happen.
    fn step_times(speed: usize) -> Vec<f64> {
        let mut clock = Clock::new(speed);
        let tick = f64::from(crate::kit::stepper::TICK_MS);
        (1..=1200)
            .filter(|_| clock.tick() > 0)
            .map(|i| f64::from(i) * tick)
            .collect()
    }

    #[test]
    fn up_to_8x_motion_ends_before_the_next_step() {
        for (speed, &x) in SPEEDS.iter().enumerate() {
            if x > FULL_SPEED {
                continue;
            }
            let times = step_times(speed);
            let gap = times
                .windows(2)
                .map(|w| w[1] - w[0])
                .fold(f64::INFINITY, f64::min);
            assert_eq!(gap, shortest_gap_ms(speed), "at {x}x");
            let Timing::Travel { ms } = timing(speed) else {
                panic!("no motion at {x}x");
            };
            assert!(
                ms + FRAME_MS <= gap,
                "{ms} ms of motion at {x}x, steps {gap} ms apart"
            );
        }
    }

    #[test]
    fn above_8x_motion_shortens_then_is_only_the_highlight() {
        let ms = |speed| match timing(speed) {
            Timing::Travel { ms } => ms,
            Timing::Highlight => 0.0,
        };
        assert_eq!(ms(NORMAL_SPEED), FULL_MS.min(GAP_SHARE * 500.0));
        let at_8x = SPEEDS.iter().position(|&x| x == 8.0).unwrap();
        assert!(
            ms(at_8x + 1) > 0.0 && ms(at_8x + 1) < ms(at_8x),
            "16x shorter"
        );
        for (speed, x) in SPEEDS.iter().enumerate().skip(at_8x + 2) {
            assert_eq!(timing(speed), Timing::Highlight, "{x}x");
        }
        // Slower never means less motion.
        for s in 1..SPEEDS.len() {
            assert!(ms(s) <= ms(s - 1));
        }
    }

    #[test]
    fn the_roots_class_drops_the_pulse_where_only_the_highlight_shows() {
        let motion = |toggled_on, system_reduces| Motion {
            toggled_on,
            system_reduces,
            notice: None,
            toggle: Callback::noop(),
        };
        assert_eq!(motion(true, false).class(NORMAL_SPEED), None);
        assert_eq!(motion(true, false).class(5), None, "8x travels");
        assert_eq!(
            motion(true, false).class(SPEEDS.len() - 1),
            Some(HIGHLIGHT_CLASS)
        );
        assert_eq!(motion(false, false).class(NORMAL_SPEED), Some(OFF_CLASS));
        assert_eq!(motion(true, true).class(SPEEDS.len() - 1), Some(OFF_CLASS));
    }

    #[test]
    fn the_toggle_lives_in_the_url() {
        assert_eq!(from_query(""), (true, None));
        assert_eq!(from_query("step=3&motion=off"), (false, None));
        assert_eq!(from_query("motion=on"), (true, None));
        let (on, notice) = from_query("motion=slow");
        assert!(on && notice.unwrap().contains("\"slow\""));
        assert_eq!(with_motion("step=3", false), "step=3&motion=off");
        assert_eq!(with_motion("motion=off&step=3", true), "step=3");
        assert_eq!(with_motion("a=1&motion=off", false), "a=1&motion=off");
    }

    #[test]
    fn only_what_changed_place_travels() {
        let r = |x| Rect {
            x,
            y: 0.0,
            width: 10.0,
            height: 10.0,
        };
        let boxes = |v: &[(&str, &str, f64)]| {
            Boxes(
                v.iter()
                    .map(|&(n, p, x)| (n.to_owned(), (p.to_owned(), r(x))))
                    .collect(),
            )
        };
        let before = boxes(&[
            ("g1", "p0 runq", 0.0),
            ("g2", "p0 runq", 20.0),
            ("g3", "p1", 5.0),
        ]);
        let after = boxes(&[
            ("g1", "p1 runq", 90.0),
            ("g2", "p0 runq", 0.0),
            ("g4", "p1", 5.0),
        ]);
        assert_eq!(before.moves(&after), vec![("g1", r(0.0), r(90.0))]);
        assert_eq!(r(90.0).offset_from(&r(0.0)), (-90.0, 0.0));
    }
}
