//! The stack widget's URL state: the recursion's frame size and depth,
//! whether it asks before each call and collection, and how far the run
//! has got (`?frame-bytes=256&depth=40&stack-predict=1&stack-step=5`).

use std::rc::Rc;

use runtime_model::stack::StackSim;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::kit::controls::parse_whole;
use crate::kit::query::{self, Key, Whole};

/// Bytes the goroutine's entry frames take before the recursion starts.
pub const BASE: u64 = 200;
/// Collections after the recursion returns.
pub const GCS: usize = 4;
/// The largest frame the field takes: 1 MB.
pub const FRAME_LIMIT: u64 = 1 << 20;
/// The deepest recursion the field takes.
pub const DEPTH_LIMIT: u64 = 1000;
const DEFAULT_FRAME: u64 = 256;
const DEFAULT_DEPTH: u64 = 40;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// Each recursive call's frame, in bytes.
    #[serde(rename = "frame-bytes")]
    pub frame_bytes: Whole<1, FRAME_LIMIT>,
    /// Calls deep the recursion goes.
    pub depth: Whole<1, DEPTH_LIMIT>,
    /// Ask whether each call grows the stack, and each collection shrinks
    /// it, before the step (`stack-predict=1`).
    #[serde(rename = "stack-predict", with = "crate::kit::query::flag")]
    pub predict: bool,
    /// Steps of the run taken.
    #[serde(rename = "stack-step")]
    pub step: u64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            frame_bytes: Whole(DEFAULT_FRAME),
            depth: Whole(DEFAULT_DEPTH),
            predict: false,
            step: 0,
        }
    }
}

/// The notice for a whole-number key: what `parse_whole` says is wrong.
fn unusable(v: &str, key: &str, what: &str, max: u64, default: u64) -> String {
    let why = parse_whole(v, what, 1, max).err().unwrap_or_else(|| {
        format!("\"{v}\" is not allowed: {what} must be a whole number from 1 to {max}.")
    });
    format!("The link's {key} is not usable ({why}); using {default}.")
}

impl query::Params for Params {
    const WIDGET: &'static str = "stack";
    const KEYS: &'static [Key] = &[
        Key {
            name: "frame-bytes",
            notice: |v| {
                unusable(
                    v,
                    "frame-bytes",
                    "The frame size",
                    FRAME_LIMIT,
                    DEFAULT_FRAME,
                )
            },
        },
        Key {
            name: "depth",
            notice: |v| unusable(v, "depth", "The depth", DEPTH_LIMIT, DEFAULT_DEPTH),
        },
        Key {
            name: "stack-predict",
            notice: |v| format!("The link's stack-predict {v:?} is not 0 or 1; not asking."),
        },
        Key {
            name: "stack-step",
            notice: |v| {
                format!(
                    "The link's stack-step is not a number from 0 to the run's last step ({v:?}); starting at 0."
                )
            },
        },
    ];
}

impl Params {
    /// The run these settings play: the frame size and the depth.
    pub fn run(&self) -> (u64, u64) {
        (self.frame_bytes.0, self.depth.0)
    }
}

/// The simulation of a recursion `depth` calls deep with `frame`-byte
/// frames, then [`GCS`] collections, at its first step.
pub fn scenario((frame, depth): (u64, u64)) -> StackSim {
    StackSim::recursion(BASE, frame, depth as usize, GCS)
}

pub enum Action {
    /// A new frame size from the field (already checked).
    FrameBytes(u64),
    /// A new depth from the field (already checked).
    Depth(u64),
    /// Ask (or stop asking), from the run's start.
    Predict(bool),
    Seek(u64),
}

impl Reducible for Params {
    type Action = Action;

    /// A new frame size or depth is a new run, from its start.
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::FrameBytes(v) => next.frame_bytes = Whole(v.clamp(1, FRAME_LIMIT)),
            Action::Depth(v) => next.depth = Whole(v.clamp(1, DEPTH_LIMIT)),
            Action::Predict(on) => {
                next.predict = on;
                next.step = 0;
            }
            Action::Seek(step) => next.step = step,
        }
        if next.run() != self.run() {
            next.step = 0;
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, to_query};
    use runtime_model::stack::StackEventKind;

    #[test]
    fn a_link_names_the_frame_the_depth_and_the_step() {
        let d = decode::<Params>("frame-bytes=1048576&depth=1000&stack-step=9");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(d.params.run(), (FRAME_LIMIT, DEPTH_LIMIT));
        assert_eq!(d.params.step, 9);
        assert_eq!(
            to_query(&d.params),
            "frame-bytes=1048576&depth=1000&stack-step=9"
        );
        assert_eq!(to_query(&Params::default()), "");
    }

    #[test]
    fn bad_values_fall_back_with_a_notice_and_the_rest_applies() {
        let d = decode::<Params>("frame-bytes=x&depth=0&stack-predict=2&stack-step=-2");
        assert_eq!(d.params, Params::default());
        assert_eq!(
            d.notices,
            [
                "The link's frame-bytes is not usable (\"x\" is not allowed: The frame size must \
                 be a whole number from 1 to 1048576.); using 256.",
                "The link's depth is not usable (0 is out of range: The depth must be a whole \
                 number from 1 to 1000.); using 40.",
                "The link's stack-predict \"2\" is not 0 or 1; not asking.",
                "The link's stack-step is not a number from 0 to the run's last step (\"-2\"); \
                 starting at 0.",
            ]
        );
        let d = decode::<Params>("depth=lots&frame-bytes=512");
        assert_eq!(d.params.run(), (512, DEFAULT_DEPTH));
        assert_eq!(d.notices.len(), 1);
    }

    /// A link as the site wrote it before `Params`: the same moment, no
    /// notice.
    #[test]
    fn an_old_link_opens_the_same_moment() {
        let d = decode::<Params>("frame-bytes=512&depth=12&stack-step=4");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!((d.params.run(), d.params.step), ((512, 12), 4));
    }

    #[test]
    fn a_new_frame_or_depth_starts_the_run_over() {
        let p = Rc::new(decode::<Params>("depth=12&stack-step=4").params);
        assert_eq!(p.clone().reduce(Action::Depth(13)).step, 0);
        assert_eq!(p.clone().reduce(Action::FrameBytes(100)).step, 0);
        assert_eq!(p.clone().reduce(Action::Depth(12)).step, 4, "the same run");
        assert_eq!(p.clone().reduce(Action::Seek(7)).step, 7);
        let asking = p.reduce(Action::Predict(true));
        assert_eq!(asking.step, 0, "asking starts the run over");
        assert_eq!(to_query(asking.as_ref()), "depth=12&stack-predict=1");
        assert_eq!(to_query(&Params::default()), "", "off by default");
    }

    #[test]
    fn the_default_run_grows_at_step_five_and_shrinks_back_at_gc() {
        let mut sim = scenario(Params::default().run());
        sim.run_until(4);
        assert_eq!(sim.size(), 2048);
        sim.run_until(5);
        assert_eq!(sim.size(), 4096);
        sim.run();
        assert_eq!(sim.history(), [2048, 4096, 8192, 16384, 8192, 4096, 2048]);
    }

    #[test]
    fn the_largest_settings_end_in_a_stack_overflow() {
        let events = scenario((FRAME_LIMIT, DEPTH_LIMIT)).run();
        assert!(matches!(
            events.last().unwrap().kind,
            StackEventKind::Overflow { .. }
        ));
    }
}
