//! Where each goroutine's time went, the GC cycles and GOMAXPROCS over a
//! trace: the numbers of `go tool trace`'s goroutine analysis.
//!
//! Mirrors internal/trace/summary.go `Summarizer` and `GoroutineExecStats`
//! (go1.27) for the per-goroutine times (running, runnable, in syscalls,
//! blocked by reason). It leaves out what that file adds for regions and
//! tasks, and adds the GC cycles (the concurrent mark phase, with the
//! stop-the-world pauses inside and around it) and each change of
//! GOMAXPROCS, which `go tool trace` draws rather than lists.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::{Event, EventKind, GoID, GoState, ProcID, ProcState, ResourceID, Time};

/// Mirrors internal/trace/summary.go `GoroutineSummary` (go1.27), with
/// its `GoroutineExecStats`; times in nanoseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoroutineSummary {
    /// The goroutine's ID.
    pub id: GoID,
    /// Its entry function, from the first stack seen (may be empty).
    pub name: Box<[u8]>,
    /// When it was created (or the trace began, if it existed already).
    pub creation_time: Time,
    /// When it ended (0 if it did not end within the trace).
    pub end_time: Time,
    /// Time running on a P.
    pub exec_time: Time,
    /// Time runnable, waiting for a P.
    pub sched_wait_time: Time,
    /// Time in system calls while holding its P.
    pub syscall_time: Time,
    /// Time in system calls after its P was taken away.
    pub syscall_block_time: Time,
    /// Time blocked, by the reason the runtime gave (channel, select, ...).
    pub block_time_by_reason: BTreeMap<Box<[u8]>, Time>,
    last_start_time: Time,
    last_runnable_time: Time,
    last_block_time: Time,
    last_block_reason: Box<[u8]>,
    last_syscall_time: Time,
    last_syscall_block_time: Time,
    done: bool,
}

impl GoroutineSummary {
    /// Mirrors internal/trace/summary.go (*GoroutineSummary).finalize
    /// (go1.27): closes the state it is in at `last_ts`.
    fn finalize(&mut self, last_ts: Time, ended: bool) {
        if self.done {
            return;
        }
        if ended {
            self.end_time = last_ts;
        }
        if self.last_start_time != 0 {
            self.exec_time += last_ts - self.last_start_time;
        }
        if self.last_runnable_time != 0 {
            self.sched_wait_time += last_ts - self.last_runnable_time;
        }
        if self.last_block_time != 0 {
            *self
                .block_time_by_reason
                .entry(self.last_block_reason.clone())
                .or_default() += last_ts - self.last_block_time;
        }
        if self.last_syscall_time != 0 {
            if self.last_syscall_block_time != 0 {
                self.syscall_block_time += last_ts - self.last_syscall_block_time;
                self.syscall_time += self.last_syscall_block_time - self.last_syscall_time;
            } else {
                self.syscall_time += last_ts - self.last_syscall_time;
            }
        }
        self.done = true;
    }
}

/// One stop-the-world pause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    /// Why the world stopped (`stop-the-world (...)` without the frame).
    pub name: Box<[u8]>,
    /// When it began.
    pub start: Time,
    /// How long it lasted.
    pub duration: Time,
}

/// One GC cycle: its concurrent mark phase and the pauses of the cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GcCycle {
    /// When the mark phase began (or the trace, for a GC already running).
    pub start: Time,
    /// When the mark phase ended (`None` if the trace ended first).
    pub end: Option<Time>,
    /// The stop-the-world pauses that began during the mark phase (the
    /// runtime stops the world for sweep termination just after the phase
    /// begins, and for mark termination just before it ends).
    pub pauses: Vec<Pause>,
}

/// A pause in progress: its reason, start, and the GC cycle whose mark
/// phase was running when it began.
type OpenPause = (Box<[u8]>, Time, Option<usize>);

/// What [`summarize`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Every goroutine seen, by ID.
    pub goroutines: BTreeMap<GoID, GoroutineSummary>,
    /// The GC cycles, in order.
    pub gc_cycles: Vec<GcCycle>,
    /// The pauses outside any mark phase (such as the start of the trace).
    pub other_pauses: Vec<Pause>,
    /// GOMAXPROCS at the start and at each change, with the time.
    pub gomaxprocs: Vec<(Time, u64)>,
    /// The first and last event's time.
    pub span: (Time, Time),
}

/// Mirrors internal/trace/summary.go (*Summarizer).Event and
/// (*Summarizer).Finalize (go1.27), plus the GC and GOMAXPROCS lists.
pub fn summarize(events: impl IntoIterator<Item = Event>) -> Summary {
    let mut s = Summary::default();
    let mut sync_ts: Time = 0;
    let mut last_ts: Time = 0;
    let mut first = true;
    let mut syscalling_p: BTreeMap<ProcID, GoID> = BTreeMap::new();
    let mut syscalling_g: BTreeMap<GoID, ProcID> = BTreeMap::new();
    let mut open_stw: BTreeMap<GoID, OpenPause> = BTreeMap::new();
    for ev in events {
        let t = ev.time();
        if first {
            s.span.0 = t;
            sync_ts = t;
            first = false;
        }
        last_ts = t;
        match ev.kind() {
            EventKind::Sync => sync_ts = t,
            EventKind::StateTransition => {
                let Some(st) = ev.state_transition() else {
                    continue;
                };
                match st.resource {
                    ResourceID::Goroutine(id) => {
                        let (old, new) = st.goroutine();
                        if old == new {
                            continue;
                        }
                        let g = s.goroutines.entry(id).or_insert_with(|| GoroutineSummary {
                            id,
                            ..GoroutineSummary::default()
                        });
                        match old {
                            GoState::Undetermined => {
                                g.creation_time = sync_ts;
                                let dt = t - sync_ts;
                                match new {
                                    GoState::Running => g.exec_time += dt,
                                    GoState::Waiting => {
                                        *g.block_time_by_reason
                                            .entry(st.reason.clone())
                                            .or_default() += dt;
                                    }
                                    GoState::Runnable => g.sched_wait_time += dt,
                                    GoState::Syscall if ev.proc() == super::NO_PROC => {
                                        g.syscall_block_time += dt;
                                    }
                                    GoState::Syscall => g.syscall_time += dt,
                                    _ => {}
                                }
                            }
                            GoState::NotExist => g.creation_time = t,
                            GoState::Running => {
                                g.exec_time += t - g.last_start_time;
                                g.last_start_time = 0;
                            }
                            GoState::Waiting => {
                                if g.last_block_time != 0 {
                                    *g.block_time_by_reason
                                        .entry(g.last_block_reason.clone())
                                        .or_default() += t - g.last_block_time;
                                    g.last_block_time = 0;
                                }
                            }
                            GoState::Runnable => {
                                if g.last_runnable_time != 0 {
                                    g.sched_wait_time += t - g.last_runnable_time;
                                    g.last_runnable_time = 0;
                                }
                            }
                            GoState::Syscall => {
                                if g.last_syscall_time != 0 {
                                    if g.last_syscall_block_time != 0 {
                                        g.syscall_block_time += t - g.last_syscall_block_time;
                                        g.syscall_time +=
                                            g.last_syscall_block_time - g.last_syscall_time;
                                    } else {
                                        g.syscall_time += t - g.last_syscall_time;
                                    }
                                    g.last_syscall_time = 0;
                                    g.last_syscall_block_time = 0;
                                    if let Some(p) = syscalling_g.remove(&id) {
                                        syscalling_p.remove(&p);
                                    }
                                }
                            }
                            GoState::Bad => {}
                        }
                        if g.name.is_empty() {
                            if let Some(f) = st.stack.as_ref().and_then(|s| s.frames().pop()) {
                                g.name = f.func;
                            }
                        }
                        match new {
                            GoState::Running => g.last_start_time = t,
                            GoState::Runnable => g.last_runnable_time = t,
                            GoState::Waiting if &*st.reason != b"forever" => {
                                g.last_block_time = t;
                                g.last_block_reason = st.reason.clone();
                            }
                            GoState::Waiting | GoState::NotExist => g.finalize(t, true),
                            GoState::Syscall => {
                                syscalling_p.insert(ev.proc(), id);
                                syscalling_g.insert(id, ev.proc());
                                g.last_syscall_time = t;
                            }
                            _ => {}
                        }
                    }
                    ResourceID::Proc(id) => {
                        let (old, new) = st.proc();
                        if old != new && new == ProcState::Idle {
                            if let Some(goid) = syscalling_p.remove(&id) {
                                if let Some(g) = s.goroutines.get_mut(&goid) {
                                    g.last_syscall_block_time = t;
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            EventKind::RangeBegin | EventKind::RangeActive | EventKind::RangeEnd => {
                let Some(r) = ev.range() else { continue };
                let begin = ev.kind() != EventKind::RangeEnd;
                if r.name == b"GC concurrent mark phase" {
                    if begin {
                        s.gc_cycles.push(GcCycle {
                            start: t,
                            end: None,
                            pauses: Vec::new(),
                        });
                    } else if let Some(c) = s.gc_cycles.last_mut() {
                        c.end = Some(t);
                    }
                } else if let Some(name) = r
                    .name
                    .strip_prefix(b"stop-the-world (")
                    .and_then(|n| n.strip_suffix(b")"))
                {
                    let ResourceID::Goroutine(g) = r.scope else {
                        continue;
                    };
                    if begin {
                        let running = s
                            .gc_cycles
                            .last()
                            .filter(|c| c.end.is_none())
                            .map(|_| s.gc_cycles.len() - 1);
                        open_stw.insert(g, (name.into(), t, running));
                    } else if let Some((name, start, cycle)) = open_stw.remove(&g) {
                        let pause = Pause {
                            name,
                            start,
                            duration: t - start,
                        };
                        match cycle.and_then(|i| s.gc_cycles.get_mut(i)) {
                            Some(c) => c.pauses.push(pause),
                            None => s.other_pauses.push(pause),
                        }
                    }
                }
            }
            EventKind::Metric => {
                if let Some(m) = ev.metric() {
                    let changed = s.gomaxprocs.last().is_none_or(|&(_, v)| v != m.value);
                    if m.name == "/sched/gomaxprocs:threads" && changed {
                        s.gomaxprocs.push((t, m.value));
                    }
                }
            }
            _ => {}
        }
    }
    s.span.1 = last_ts;
    for g in s.goroutines.values_mut() {
        g.finalize(last_ts, false);
    }
    s
}
