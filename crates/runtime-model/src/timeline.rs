//! Rewind for every simulation: snapshots every K steps plus replay, with
//! bounded memory.
//!
//! Each of the model's step-by-step simulations (the scheduler
//! [`crate::sched::Sim`], the marking simulation [`crate::gc::sim::GcSim`],
//! the allocator animation [`crate::malloc::AllocSim`] and the stack
//! [`crate::stack::StackSim`]) is deterministic: the same state stepped the
//! same number of times lands on the same state. So a [`Timeline`] needs to
//! keep only a few clones of the state (snapshots) to reach any step: it
//! clones the nearest snapshot at or before the step and replays from there.
//! The simulations share the small [`Simulation`] trait for that.
//!
//! ## `run_until`, in every simulation
//!
//! Every simulation that has a `run_until(t)` gives it the same meaning:
//!
//! > Takes steps while the next step's event happens at or before `t` on
//! > the simulation's clock, stopping early when the run ends; returns the
//! > events of the steps taken, oldest first.
//!
//! The clock is the step number for [`GcSim`](crate::gc::sim::GcSim),
//! [`AllocSim`](crate::malloc::AllocSim),
//! [`StackSim`](crate::stack::StackSim) and the interface explainer's
//! [`IfaceStepper`](crate::iface::IfaceStepper) (the k-th step's event
//! happens at k, so `run_until(k)` leaves the simulation after step k, or
//! at its end if that comes first), and
//! virtual nanoseconds for the scheduler [`Sim`](crate::sched::Sim) and the
//! pacer [`Pacer`](crate::gc::pacer::Pacer) (whose steps are whole GC
//! cycles, each happening when it starts). It never goes back: to
//! reach an earlier step, use a [`Timeline`].

use alloc::vec::Vec;

/// A deterministic simulation that advances one event at a time.
///
/// Cloning a simulation is a snapshot of it; stepping a clone must give
/// exactly the events and states stepping the original gives. See the
/// [module documentation](self) for what `run_until` means in every
/// simulation.
pub trait Simulation: Clone {
    /// What one step did, for narration and drawing.
    type Event;

    /// Runs the next step and returns its event; `None` once the run is
    /// over (and then the state and [`Simulation::steps`] do not change).
    fn step(&mut self) -> Option<Self::Event>;

    /// Steps taken so far: the number of events `step` has returned.
    fn steps(&self) -> u64;

    /// Rough bytes held by this state: what one snapshot costs. The default
    /// counts only the value itself, not what it points to.
    fn approx_bytes(&self) -> usize {
        size_of_val(self)
    }
}

/// A recorded run that can jump to any earlier (or later) step.
///
/// It keeps the live simulation and, every `every` steps, a clone of it. To
/// reach step `s` it clones the nearest snapshot at or before `s` and
/// replays at most `every - 1` steps; a simulation is deterministic, so the
/// replay lands on exactly the state that was there.
///
/// Memory bound: at most `max_snapshots` snapshots (default 64) plus the
/// live state, so at most `(max_snapshots + 1) *`
/// [`Simulation::approx_bytes`] at the largest state seen. When the
/// snapshots would overflow, `every` doubles and every other snapshot is
/// dropped, so a run of N steps replays at most about
/// `2 * N / max_snapshots` steps per seek.
#[derive(Clone, Debug)]
pub struct Timeline<S: Simulation> {
    live: S,
    /// Oldest first; the first is the state the timeline started from.
    snapshots: Vec<S>,
    every: u64,
    max_snapshots: usize,
    /// The furthest step reached.
    horizon: u64,
    /// The step at which the run ended, once a step has returned `None`.
    end: Option<u64>,
}

impl<S: Simulation> Timeline<S> {
    /// Snapshots every 256 steps, at most 64 of them.
    pub fn new(sim: S) -> Timeline<S> {
        Timeline::with_limits(sim, 256, 64)
    }

    /// `every` (at least 1) steps between snapshots, at most
    /// `max_snapshots` (at least 2) kept.
    pub fn with_limits(sim: S, every: u64, max_snapshots: usize) -> Timeline<S> {
        let horizon = sim.steps();
        Timeline {
            snapshots: alloc::vec![sim.clone()],
            live: sim,
            every: every.max(1),
            max_snapshots: max_snapshots.max(2),
            horizon,
            end: None,
        }
    }

    /// The state at the current step.
    pub fn sim(&self) -> &S {
        &self.live
    }

    /// The current step (events returned so far).
    pub fn step_index(&self) -> u64 {
        self.live.steps()
    }

    /// The furthest step reached so far.
    pub fn horizon(&self) -> u64 {
        self.horizon
    }

    /// The step at which the run ends, once the timeline has seen a step
    /// return `None` (before that, `None`).
    pub fn end(&self) -> Option<u64> {
        self.end
    }

    /// Steps between snapshots now.
    pub fn every(&self) -> u64 {
        self.every
    }

    /// Snapshots kept now.
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// The first step the timeline can reach: where it started.
    fn first_step(&self) -> u64 {
        self.snapshots[0].steps()
    }

    /// One step forward, recording a snapshot when one is due.
    pub fn step(&mut self) -> Option<S::Event> {
        let Some(e) = self.live.step() else {
            self.end = Some(self.live.steps());
            return None;
        };
        let s = self.live.steps();
        if s > self.horizon {
            self.horizon = s;
            if s % self.every == 0 {
                self.snapshots.push(self.live.clone());
                if self.snapshots.len() > self.max_snapshots {
                    self.every *= 2;
                    let every = self.every;
                    let first = self.first_step();
                    // The first snapshot stays: it is the only way back to
                    // the start.
                    self.snapshots
                        .retain(|sim| sim.steps() == first || sim.steps() % every == 0);
                }
            }
        }
        Some(e)
    }

    /// Moves to step `target` (clamped to the start and the end of the
    /// run); returns the last event before it, if any, so a view can show
    /// "what just happened".
    pub fn seek(&mut self, target: u64) -> Option<S::Event> {
        let target = target.max(self.first_step());
        let here = self.live.steps();
        if target < here || target.saturating_sub(here) > self.every {
            let base = self
                .snapshots
                .iter()
                .rev()
                .find(|s| s.steps() <= target)
                .expect("the first snapshot is the start");
            if target < here || base.steps() > here {
                self.live = base.clone();
            }
        }
        let mut last = None;
        while self.live.steps() < target {
            match self.step() {
                Some(e) => last = Some(e),
                None => break,
            }
        }
        last
    }

    /// Moves to step `target` (clamped as [`Timeline::seek`] clamps it) and
    /// returns the events of the last `n` steps before it, oldest first:
    /// the state at a step plus what just happened, as every widget shows
    /// it. Fewer than `n` when the run starts less than `n` steps before.
    pub fn seek_with_history(&mut self, target: u64, n: u64) -> Vec<S::Event> {
        let mut from = target.saturating_sub(n);
        self.seek(from);
        if self.live.steps() < from {
            // The run ends before `from`: the last `n` steps before its end.
            from = self.live.steps().saturating_sub(n);
            self.seek(from);
        }
        let mut events = Vec::new();
        while self.live.steps() < target {
            match self.step() {
                Some(e) => events.push(e),
                None => break,
            }
        }
        events
    }

    /// Rough bytes held: the snapshots and the live state.
    pub fn approx_bytes(&self) -> usize {
        self.snapshots.iter().map(S::approx_bytes).sum::<usize>() + self.live.approx_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use core::fmt::Debug;
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    use crate::gc::barrier::BarrierMode;
    use crate::gc::presets::mark_preset;
    use crate::malloc::{AllocRequest, AllocSim};
    use crate::rand::CheapRand;
    use crate::sched::presets::preset;
    use crate::sched::Sim;
    use crate::stack::{StackAction, StackSim};

    /// A fingerprint of a state or an event: its Debug output, hashed (the
    /// scheduler's states are too big to keep thousands of).
    fn print(x: &impl Debug) -> u64 {
        let mut h = DefaultHasher::new();
        format!("{x:?}").hash(&mut h);
        h.finish()
    }

    /// Steps a fresh simulation straight through, at most `limit` steps:
    /// the fingerprint of the state after each step (index 0 is the start)
    /// and of each step's event (index k is step k + 1's).
    fn straight<S: Simulation + Debug>(mut sim: S, limit: u64) -> (Vec<u64>, Vec<u64>)
    where
        S::Event: Debug,
    {
        let (mut states, mut events) = (alloc::vec![print(&sim)], Vec::new());
        while sim.steps() < limit {
            let Some(e) = sim.step() else { break };
            states.push(print(&sim));
            events.push(print(&e));
        }
        (states, events)
    }

    /// Records a run in a small timeline, then checks that seeking to every
    /// step forward, backward and in a random order gives the state
    /// stepping from the start gives, that the recent events are the ones
    /// stepping gives, and that the snapshots never exceed the limit.
    fn check<S: Simulation + Debug>(make: impl Fn() -> S, limit: u64, name: &str)
    where
        S::Event: Debug,
    {
        const MAX: usize = 4;
        let (states, events) = straight(make(), limit);
        let end = states.len() as u64 - 1;
        assert!(end > 12, "{name}: only {end} steps");
        let runs_out = end < limit;
        let mut tl = Timeline::with_limits(make(), 3, MAX);
        while tl.step_index() < limit && tl.step().is_some() {
            assert!(tl.snapshot_count() <= MAX, "{name}: too many snapshots");
        }
        assert_eq!(tl.horizon(), end, "{name}");
        assert_eq!(tl.end().is_some(), runs_out, "{name}");
        assert!(tl.every() > 3, "{name}: the snapshots were never thinned");

        let mut rand = CheapRand::new(7);
        let forward = 0..=end;
        let backward = (0..=end).rev();
        let random = (0..2 * end).map(|_| u64::from(rand.cheaprandn(end as u32 + 1)));
        let order: Vec<u64> = forward.chain(backward).chain(random).collect();
        for (i, &target) in order.iter().enumerate() {
            let last = tl.seek(target);
            assert_eq!(tl.step_index(), target, "{name}: seek {i} to {target}");
            assert_eq!(
                print(tl.sim()),
                states[target as usize],
                "{name}: state at {target}"
            );
            if let Some(e) = last {
                assert_eq!(
                    print(&e),
                    events[target as usize - 1],
                    "{name}: event {target}"
                );
            }
            let n = u64::from(rand.cheaprandn(6));
            let recent = tl.seek_with_history(target, n);
            assert_eq!(tl.step_index(), target, "{name}: history at {target}");
            assert_eq!(print(tl.sim()), states[target as usize], "{name}");
            let from = target.saturating_sub(n) as usize;
            let want = &events[from..target as usize];
            let got: Vec<u64> = recent.iter().map(print).collect();
            assert_eq!(got, want, "{name}: the {n} events before {target}");
            assert!(tl.snapshot_count() <= MAX, "{name}: too many snapshots");
        }
        if runs_out {
            // Past the end: the end, and the last events before it.
            let recent = tl.seek_with_history(end + 100, 3);
            assert_eq!(tl.step_index(), end, "{name}");
            let got: Vec<u64> = recent.iter().map(print).collect();
            assert_eq!(got, &events[end as usize - 3..], "{name}");
        }
    }

    #[test]
    fn the_scheduler_seeks_to_the_state_stepping_reaches() {
        let cfg = preset("work-stealing").unwrap().config(16).unwrap();
        check(|| Sim::new(cfg.clone()).unwrap(), 600, "sched");
    }

    #[test]
    fn the_marking_simulation_seeks_to_the_state_stepping_reaches() {
        let scripted = mark_preset("hide-pointer").unwrap();
        check(
            || scripted.build(BarrierMode::None, 1),
            10_000,
            "hide-pointer",
        );
        let random = mark_preset("random").unwrap();
        check(|| random.build(BarrierMode::Hybrid, 3), 400, "random");
    }

    #[test]
    fn the_allocator_seeks_to_the_state_stepping_reaches() {
        check(
            || AllocSim::scenario_fill_spans(8192, true, 6, 2),
            10_000,
            "fill-spans",
        );
        let mixed = || {
            let req = |size, noscan| AllocRequest::Alloc {
                size,
                noscan,
                keep: size % 3 == 0,
            };
            let mut r: Vec<AllocRequest> = (0..30).map(|i| req(4 + 7 * i, i % 2 == 0)).collect();
            r.push(AllocRequest::Gc);
            r.extend((0..10).map(|i| req(100_000 + i, true)));
            AllocSim::new(r)
        };
        check(mixed, 10_000, "mixed");
    }

    #[test]
    fn the_stack_seeks_to_the_state_stepping_reaches() {
        check(|| StackSim::recursion(200, 96, 60, 6), 10_000, "recursion");
        let overflow = || StackSim::recursion(200, 1000, 10_000, 0).with_max_stack_size(1 << 16);
        check(overflow, 10_000, "overflow");
    }

    #[test]
    fn a_timeline_started_mid_run_cannot_seek_before_its_start() {
        let mut sim = StackSim::new(0, alloc::vec![StackAction::Call { frame: 64 }; 40]);
        sim.run_until(10);
        let mut tl = Timeline::with_limits(sim, 4, 2);
        while tl.step().is_some() {}
        // 40 calls and one grow (2 KB -> 4 KB).
        assert_eq!(tl.end(), Some(41));
        assert_eq!(tl.snapshot_count(), 2);
        tl.seek(0);
        assert_eq!(tl.step_index(), 10);
        assert_eq!(tl.sim().frames().len(), 10);
        assert_eq!(tl.seek_with_history(12, 5).len(), 2);
    }

    #[test]
    fn the_bytes_held_stay_bounded() {
        let cfg = preset("fan-out").unwrap().config(64).unwrap();
        let mut tl = Timeline::with_limits(Sim::new(cfg).unwrap(), 8, 8);
        let mut largest = 0;
        while tl.step().is_some() {
            largest = largest.max(tl.sim().approx_bytes());
            assert!(tl.approx_bytes() <= 9 * largest);
        }
    }
}
