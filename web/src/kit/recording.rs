//! A run recorded once: the model's [`Timeline`] stepped to its end (or to
//! a limit), so that a step widget reaches any step by seeking instead of
//! replaying from step 0 on every render.

use std::cell::{RefCell, RefMut};

use runtime_model::timeline::{Simulation, Timeline};

/// A recorded run and its last step.
pub struct Recording<S: Simulation> {
    timeline: RefCell<Timeline<S>>,
    /// The last step recorded.
    pub last: u64,
    /// Whether the run ended there (else `limit` stopped it).
    pub finished: bool,
}

impl<S: Simulation> Recording<S> {
    /// Steps `sim` to its end, or `limit` steps.
    pub fn new(sim: S, limit: u64) -> Recording<S> {
        Recording::with(sim, limit, |_, _| {})
    }

    /// Like [`Recording::new`], calling `seen` with the timeline after each
    /// step and the step's event (to note what the run printed, say).
    pub fn with(sim: S, limit: u64, mut seen: impl FnMut(&Timeline<S>, &S::Event)) -> Recording<S> {
        let mut timeline = Timeline::new(sim);
        let mut finished = false;
        while timeline.step_index() < limit {
            match timeline.step() {
                Some(e) => seen(&timeline, &e),
                None => {
                    finished = true;
                    break;
                }
            }
        }
        let last = timeline.step_index();
        timeline.seek(0);
        Recording {
            timeline: RefCell::new(timeline),
            last,
            finished,
        }
    }

    /// The timeline at `step`, and the events of the `history` steps before
    /// it (oldest first).
    pub fn at(&self, step: u64, history: u64) -> (RefMut<'_, Timeline<S>>, Vec<S::Event>) {
        let mut timeline = self.timeline.borrow_mut();
        let events = timeline.seek_with_history(step.min(self.last), history);
        (timeline, events)
    }
}

/// Recordings are compared by identity: each one is a run of its own.
impl<S: Simulation> PartialEq for Recording<S> {
    fn eq(&self, other: &Recording<S>) -> bool {
        std::ptr::eq(self, other)
    }
}
