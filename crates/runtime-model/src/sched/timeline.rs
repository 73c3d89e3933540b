//! Rewind: snapshots every K steps plus replay, with bounded memory.

use alloc::vec::Vec;

use super::{Event, Sim};

/// A recorded run that can jump to any earlier (or later) step.
///
/// It keeps the live [`Sim`] and, every `every` steps, a clone of it. To
/// reach step `s` it clones the nearest snapshot at or before `s` and
/// replays at most `every - 1` steps; a simulation is deterministic, so the
/// replay lands on exactly the state that was there.
///
/// Memory bound: at most `max_snapshots` snapshots (default 64) plus the
/// live state, so at most `(max_snapshots + 1) * Sim::approx_bytes()` at the
/// largest state seen. When the snapshots would overflow, `every` doubles
/// and every other snapshot is dropped, so a run of N steps replays at most
/// about `2 * N / max_snapshots` steps per seek.
#[derive(Clone, Debug)]
pub struct Timeline {
    live: Sim,
    snapshots: Vec<Sim>,
    every: u64,
    max_snapshots: usize,
    /// The furthest step reached.
    horizon: u64,
}

impl Timeline {
    /// Snapshots every 256 steps, at most 64 of them.
    pub fn new(sim: Sim) -> Timeline {
        Timeline::with_limits(sim, 256, 64)
    }

    /// `every` (at least 1) steps between snapshots, at most
    /// `max_snapshots` (at least 2) kept.
    pub fn with_limits(sim: Sim, every: u64, max_snapshots: usize) -> Timeline {
        let horizon = sim.steps();
        Timeline {
            snapshots: alloc::vec![sim.clone()],
            live: sim,
            every: every.max(1),
            max_snapshots: max_snapshots.max(2),
            horizon,
        }
    }

    /// The state at the current step.
    pub fn sim(&self) -> &Sim {
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

    /// Steps between snapshots now.
    pub fn every(&self) -> u64 {
        self.every
    }

    /// Snapshots kept now.
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// One step forward, recording a snapshot when one is due.
    pub fn step(&mut self) -> Option<Event> {
        let e = self.live.step()?;
        let s = self.live.steps();
        if s > self.horizon {
            self.horizon = s;
            if s % self.every == 0 {
                self.snapshots.push(self.live.clone());
                if self.snapshots.len() > self.max_snapshots {
                    self.every *= 2;
                    let every = self.every;
                    self.snapshots.retain(|sim| sim.steps() % every == 0);
                }
            }
        }
        Some(e)
    }

    /// Moves to step `target` (clamped to the end of the run); returns the
    /// last event before it, if any, so a view can show "what just
    /// happened".
    pub fn seek(&mut self, target: u64) -> Option<Event> {
        let here = self.live.steps();
        if target < here || target.saturating_sub(here) > self.every {
            let base = self
                .snapshots
                .iter()
                .rev()
                .find(|s| s.steps() <= target)
                .expect("the first snapshot is step 0");
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

    /// Rough bytes held: the snapshots and the live state.
    pub fn approx_bytes(&self) -> usize {
        self.snapshots.iter().map(Sim::approx_bytes).sum::<usize>() + self.live.approx_bytes()
    }
}
