//! One picture per step. An action of the model (a `go` statement, one
//! round of `findRunnable`, a sysmon tick) can queue several events, which
//! [`Sim::step`] then returns one by one; but the action has already moved
//! everything by the time its first event is returned. [`Sim::frame`]
//! gives the state as it stood right after one event of such a batch, by
//! replaying the action from the state before it and keeping a copy of
//! the state at that event. The model computes nothing differently: the
//! copy is taken on the side, and only when asked for.
//!
//! Where in an action an event's picture is taken: when the event is
//! emitted (most of the model changes the state, then emits the event
//! that says so), or later, at a [`Sim::repaint`] in the few places that
//! emit first and then make the change the event describes.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::types::{GId, GStatus, MId, MState, PId, PStatus};
use super::Sim;

/// The copy being taken during a replay: the batch's `want`-th event (from
/// 0), the number of events emitted so far, and the state at the wanted
/// event once it has been emitted.
#[derive(Clone, Debug)]
pub(crate) struct Shot {
    want: usize,
    seen: usize,
    state: Option<Box<Sim>>,
}

impl Sim {
    /// Called by `emit` after queuing an event: the wanted event's picture
    /// is the state now.
    pub(crate) fn shoot(&mut self) {
        let Some(shot) = self.shot.as_mut() else {
            return;
        };
        shot.seen += 1;
        if shot.seen == shot.want + 1 {
            self.take_shot();
        }
    }

    /// The change the last emitted event describes is now complete: if
    /// that event is the wanted one, its picture is the state now.
    pub(crate) fn repaint(&mut self) {
        if self.shot.as_ref().is_some_and(|s| s.seen == s.want + 1) {
            self.take_shot();
        }
    }

    fn take_shot(&mut self) {
        let shot = self.shot.take();
        let copy = Box::new(self.clone());
        self.shot = shot.map(|mut s| {
            s.state = Some(copy);
            s
        });
    }

    /// Whether every event of the last action has been returned, so that
    /// this state is the picture of the last step (else the action has
    /// already moved on past the event last returned; see [`Sim::frame`]).
    pub fn settled(&self) -> bool {
        self.pending.is_empty()
    }

    /// The state right after the `n`-th event (from 0) still to be
    /// returned from `self`, a [`Sim::settled`] state (or the one
    /// [`Sim::new`] returns, whose first event is queued): the picture of
    /// step `self.steps() + n + 1`. `None` if the run ends first, or the
    /// next action queues fewer events. The result is for drawing: its
    /// queued events are those still to come in the batch.
    pub fn frame(&self, n: usize) -> Option<Sim> {
        let queued = self.pending.len();
        let mut state = if n < queued {
            // Queued before `self` was taken: `self` already shows them.
            self.clone()
        } else {
            let want = n - queued;
            let mut replay = self.clone();
            replay.shot = Some(Box::new(Shot {
                want,
                seen: 0,
                state: None,
            }));
            replay.run_to_step(self.steps + n as u64 + 1);
            let shot = replay.shot.take()?;
            if shot.seen == want + 1 {
                // The wanted event was the batch's last: the state after
                // the whole action is its picture.
                replay
            } else {
                *shot.state?
            }
        };
        // Keep only the events still to come after the wanted one.
        let returned = (self.steps + n as u64 + 1).saturating_sub(state.steps) as usize;
        state.pending.drain(..returned.min(state.pending.len()));
        state.steps = self.steps + n as u64 + 1;
        state.shot = None;
        Some(state)
    }

    /// What the scheduler view draws of this state, for comparing two
    /// steps' pictures: the Ps, Ms and queues, but not the clock.
    pub fn picture(&self) -> Picture {
        Picture {
            ps: self
                .ps()
                .iter()
                .map(|p| Lane {
                    status: p.status,
                    m: p.m,
                    schedtick: p.schedtick,
                    runnext: p.runnext,
                    runq: p.runq().collect(),
                    timers: p.timers().into_iter().map(|(_, g)| g).collect(),
                })
                .collect(),
            ms: self
                .ms()
                .iter()
                .map(|m| Thread {
                    state: m.state,
                    p: m.p,
                    curg: m.curg,
                    spinning: m.spinning,
                })
                .collect(),
            statuses: self.gs.iter().map(|g| g.status).collect(),
            global: self.global_runq().collect(),
            netpoll: self.netpoll_waiters().map(|(_, g)| g).collect(),
            sysmon_sleeping: self.sysmon_sleeping(),
        }
    }
}

/// One P as drawn: status, M, schedtick, runnext, local queue, and the
/// goroutines its timers will wake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    pub status: PStatus,
    pub m: Option<MId>,
    pub schedtick: u32,
    pub runnext: Option<GId>,
    pub runq: Vec<GId>,
    pub timers: Vec<GId>,
}

/// One M as drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thread {
    pub state: MState,
    pub p: Option<PId>,
    pub curg: Option<GId>,
    pub spinning: bool,
}

/// Everything the scheduler view draws of one state, clock aside: two
/// steps with equal pictures look the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    pub ps: Vec<Lane>,
    pub ms: Vec<Thread>,
    /// Each goroutine's status, by id (G1 first).
    pub statuses: Vec<GStatus>,
    pub global: Vec<GId>,
    pub netpoll: Vec<GId>,
    pub sysmon_sleeping: bool,
}

#[cfg(test)]
mod tests {
    use alloc::collections::BTreeSet;
    use alloc::format;
    use alloc::string::String;

    use super::super::presets::PRESETS;
    use super::super::{Event, EventKind};
    use super::*;

    /// Every step of a preset with its event and its picture, each picture
    /// taken through [`Sim::frame`] from the last settled state.
    fn pictures(name: &str, gomaxprocs: Option<u32>) -> Vec<(Event, Picture)> {
        let preset = super::super::presets::preset(name).unwrap();
        let mut cfg = preset.config(preset.default_n).unwrap();
        if let Some(n) = gomaxprocs {
            cfg.gomaxprocs = n;
        }
        let mut sim = Sim::new(cfg).unwrap();
        let mut start = sim.clone();
        let mut out = Vec::new();
        while let Some(e) = sim.step() {
            let n = (sim.steps() - start.steps() - 1) as usize;
            let frame = start.frame(n).expect("the batch has this event");
            assert_eq!(frame.steps(), sim.steps());
            if sim.settled() {
                // The batch's last picture is the state after the action.
                assert_eq!(frame.picture(), sim.picture(), "{name} {}", e.trace_line());
                start = sim.clone();
            }
            out.push((e, frame.picture()));
            assert!(out.len() < 200_000);
        }
        out
    }

    /// The Ms whose drawing changed from `a` to `b`.
    fn changed_ms(a: &Picture, b: &Picture) -> BTreeSet<MId> {
        (0..b.ms.len())
            .filter(|&i| a.ms.get(i) != Some(&b.ms[i]))
            .map(|i| i as MId)
            .collect()
    }

    /// The Ms an event is about: its own, its P's and its G's, before or
    /// after.
    fn involved(e: &Event, a: &Picture, b: &Picture) -> BTreeSet<MId> {
        let mut ms: BTreeSet<MId> = e.m.into_iter().collect();
        for pic in [a, b] {
            if let Some(p) = e.p.and_then(|p| pic.ps.get(p as usize)) {
                ms.extend(p.m);
            }
            for (i, m) in pic.ms.iter().enumerate() {
                if e.g.is_some() && m.curg == e.g || e.p.is_some() && m.p == e.p {
                    ms.insert(i as MId);
                }
            }
        }
        ms
    }

    #[test]
    fn each_step_shows_only_what_its_event_did() {
        for preset in PRESETS {
            for procs in [None, Some(1), Some(3)] {
                let steps = pictures(preset.name, procs);
                let mut failures: Vec<String> = Vec::new();
                for w in steps.windows(2) {
                    let ((_, a), (e, b)) = (&w[0], &w[1]);
                    if matches!(e.kind, EventKind::Procresize { .. }) {
                        // Stopping the world lets every M go: all involved.
                        continue;
                    }
                    let extra: Vec<MId> = changed_ms(a, b)
                        .difference(&involved(e, a, b))
                        .copied()
                        .collect();
                    if !extra.is_empty() {
                        failures.push(format!("step {} {}: {extra:?}", e.step + 1, e.sentence()));
                    }
                }
                assert!(
                    failures.is_empty(),
                    "{} gomaxprocs={procs:?}: a step shows other Ms change:\n{}",
                    preset.name,
                    failures[..failures.len().min(10)].join("\n")
                );
            }
        }
    }

    #[test]
    fn a_go_statement_step_shows_the_new_goroutine_in_runnext_and_no_thread_yet() {
        let steps = pictures("work-stealing", None);
        // Step 3: G2 goes into runnext; M2 starts spinning only at step 4.
        let (e, pic) = &steps[2];
        assert!(
            matches!(e.kind, EventKind::Newproc { .. }),
            "{}",
            e.sentence()
        );
        assert_eq!(pic.ps[0].runnext, e.g);
        assert_eq!(pic.ms.len(), steps[1].1.ms.len(), "no new M yet");
        let (e4, pic4) = &steps[3];
        assert!(
            matches!(e4.kind, EventKind::Startm { .. }),
            "{}",
            e4.sentence()
        );
        assert!(pic4.ms[e4.m.unwrap() as usize].spinning);
    }
}
