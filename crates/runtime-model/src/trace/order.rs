//! The ordering of events across Ms, Ps and Gs, and its validation.
//!
//! Each M's events are in order in its batches, but the order between Ms
//! comes from sequence numbers on Ps and Gs and from what each event
//! needs: a `GoStart` of a goroutine cannot happen before the `GoUnblock`
//! that made it runnable, on whichever M that ran. The reader offers the
//! next event of each M in turn, and [`Ordering::advance`] takes it when
//! its preconditions hold. Mirrors internal/trace/order.go `ordering` (go1.27).

use alloc::collections::{BTreeMap, VecDeque};
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::event::{BaseEvent, Event, GoState, ProcState};
use super::generation::EvTable;
use super::idmap::IdMap;
use super::spec::{self, ev, go_status, proc_status, EventType, Version};
use super::{
    GoID, ProcID, SchedCtx, TaskID, ThreadID, TraceError, BACKGROUND_TASK, NO_GOROUTINE, NO_PROC,
    NO_TASK, NO_THREAD,
};

/// Mirrors internal/trace/order.go `seqCounter` (go1.27).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct SeqCounter {
    gen: u64,
    seq: u64,
}

impl SeqCounter {
    /// Mirrors internal/trace/order.go (seqCounter).succeeds (go1.27).
    fn succeeds(self, b: SeqCounter) -> bool {
        self.gen == b.gen && self.seq == b.seq.wrapping_add(1)
    }
}

impl core::fmt::Display for SeqCounter {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} (gen={})", self.seq, self.gen)
    }
}

fn make_seq(gen: u64, seq: u64) -> SeqCounter {
    SeqCounter { gen, seq }
}

/// Mirrors internal/trace/order.go `rangeType` (go1.27).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RangeType {
    typ: EventType,
    desc: u64,
}

impl core::fmt::Display for RangeType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{{{} {}}}", self.typ, self.desc)
    }
}

/// Mirrors internal/trace/order.go `makeRangeType` (go1.27).
fn make_range_type(typ: EventType, desc: u64) -> RangeType {
    let st = spec::spec(typ).start_ev;
    RangeType {
        typ: if st != ev::NONE { st } else { typ },
        desc,
    }
}

/// Mirrors internal/trace/order.go `rangeState` (go1.27).
#[derive(Debug, Clone, Default)]
struct RangeState {
    in_flight: Vec<RangeType>,
}

impl RangeState {
    /// Mirrors internal/trace/order.go (*rangeState).beginRange (go1.27).
    fn begin_range(&mut self, typ: RangeType) -> Result<(), TraceError> {
        if self.in_flight.contains(&typ) {
            return Err(corrupt(format!(
                "discovered event already in-flight for when starting event {}",
                spec::spec(typ.typ).name
            )));
        }
        self.in_flight.push(typ);
        Ok(())
    }

    /// Mirrors internal/trace/order.go (*rangeState).activeRange (go1.27).
    fn active_range(&mut self, typ: RangeType, is_initial_gen: bool) -> Result<(), TraceError> {
        if is_initial_gen {
            if self.in_flight.contains(&typ) {
                return Err(corrupt(format!(
                    "found named active range already in first gen: {typ}"
                )));
            }
            self.in_flight.push(typ);
        } else if !self.in_flight.contains(&typ) {
            let list: Vec<String> = self.in_flight.iter().map(|r| format!("{r}")).collect();
            return Err(corrupt(format!(
                "resource is missing active range: {} [{}]",
                spec::spec(typ.typ).name,
                list.join(" ")
            )));
        }
        Ok(())
    }

    /// Mirrors internal/trace/order.go (*rangeState).endRange (go1.27).
    fn end_range(&mut self, typ: EventType) -> Result<u64, TraceError> {
        let st = spec::spec(typ).start_ev;
        let Some(idx) = self.in_flight.iter().position(|r| r.typ == st) else {
            return Err(corrupt(format!(
                "tried to end event {}, but not in-flight",
                spec::spec(st).name
            )));
        };
        let desc = self.in_flight[idx].desc;
        self.in_flight.swap_remove(idx);
        Ok(desc)
    }
}

/// Mirrors internal/trace/order.go `userRegion` (go1.27).
#[derive(Debug, Clone, PartialEq, Eq)]
struct UserRegion {
    task_id: TaskID,
    name: Vec<u8>,
}

/// Mirrors internal/trace/order.go `gState` (go1.27).
#[derive(Debug, Clone)]
struct GState {
    status: u64,
    seq: SeqCounter,
    regions: Vec<UserRegion>,
    ranges: RangeState,
}

impl GState {
    fn new(status: u64, seq: SeqCounter) -> Self {
        GState {
            status,
            seq,
            regions: Vec::new(),
            ranges: RangeState::default(),
        }
    }
}

/// Mirrors internal/trace/order.go `pState` (go1.27).
#[derive(Debug, Clone)]
struct PState {
    status: u64,
    seq: SeqCounter,
    ranges: RangeState,
}

/// Mirrors internal/trace/order.go `mState` (go1.27).
#[derive(Debug, Clone, Copy)]
struct MState {
    g: GoID,
    p: ProcID,
}

/// Mirrors internal/trace/order.go `taskState` (go1.27).
#[derive(Debug, Clone)]
struct TaskState {
    name: Vec<u8>,
    parent_id: TaskID,
}

/// Mirrors internal/trace/order.go `gcState` (go1.27).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GcState {
    Undetermined,
    NotRunning,
    Running,
}

/// Mirrors internal/trace/order.go `constraint` (go1.27).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
enum Constraint {
    MustNotHave,
    MayHave,
    MustHave,
}
use Constraint::{MayHave, MustHave, MustNotHave};

/// Mirrors internal/trace/order.go `schedReqs` (go1.27): M, P, G.
type SchedReqs = (Constraint, Constraint, Constraint);

/// Mirrors internal/trace/order.go `userGoReqs` (go1.27).
const USER_GO_REQS: SchedReqs = (MustHave, MustHave, MustHave);

fn corrupt(msg: String) -> TraceError {
    TraceError::Corrupt(msg)
}

/// Mirrors internal/trace/order.go `validateCtx` (go1.27).
#[inline]
fn validate_ctx(ctx: SchedCtx, reqs: SchedReqs) -> Result<(), TraceError> {
    let (m, p, g) = reqs;
    let msg = if m == MustHave && ctx.m == NO_THREAD {
        "expected a thread but didn't have one"
    } else if m == MustNotHave && ctx.m != NO_THREAD {
        "expected no thread but had one"
    } else if p == MustHave && ctx.p == NO_PROC {
        "expected a proc but didn't have one"
    } else if p == MustNotHave && ctx.p != NO_PROC {
        "expected no proc but had one"
    } else if g == MustHave && ctx.g == NO_GOROUTINE {
        "expected a goroutine but didn't have one"
    } else if g == MustNotHave && ctx.g != NO_GOROUTINE {
        "expected no goroutine but had one"
    } else {
        return Ok(());
    };
    Err(corrupt(msg.into()))
}

/// An event type's name as `Version::event_name` gives it, written when
/// displayed.
#[derive(Clone, Copy)]
struct EvName(Version, EventType);

impl core::fmt::Display for EvName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0.event_name(self.1))
    }
}

/// Mirrors internal/trace/order.go `ordering` (go1.27).
#[derive(Debug)]
pub(crate) struct Ordering {
    trace_ver: Version,
    g_states: IdMap<GState>,
    p_states: IdMap<PState>,
    m_states: IdMap<MState>,
    active_tasks: BTreeMap<TaskID, TaskState>,
    gc_seq: u64,
    gc_state: GcState,
    initial_gen: u64,
    queue: VecDeque<Event>,
}

type Step = Result<(SchedCtx, bool), TraceError>;

impl Ordering {
    pub fn new(trace_ver: Version) -> Self {
        Ordering {
            trace_ver,
            g_states: IdMap::new(),
            p_states: IdMap::new(),
            m_states: IdMap::new(),
            active_tasks: BTreeMap::new(),
            gc_seq: 0,
            gc_state: GcState::Undetermined,
            initial_gen: 0,
            queue: VecDeque::new(),
        }
    }

    /// Mirrors internal/trace/order.go (*ordering).Next (go1.27).
    pub fn next(&mut self) -> Option<Event> {
        self.queue.pop_front()
    }

    /// The event's name for an error message, formatted only if one is
    /// written (most events pass their checks: no allocation for them).
    fn ev_name(&self, typ: EventType) -> EvName {
        EvName(self.trace_ver, typ)
    }

    fn push(&mut self, evt: &Rc<EvTable>, ctx: SchedCtx, base: BaseEvent) {
        self.queue.push_back(Event {
            table: Some(evt.clone()),
            ctx,
            base,
        });
    }

    /// Mirrors internal/trace/order.go `makeEvent` (go1.27).
    fn push_made(
        &mut self,
        evt: &Rc<EvTable>,
        ctx: SchedCtx,
        typ: EventType,
        time: super::Time,
        args: &[u64],
    ) -> BaseEvent {
        let mut base = BaseEvent {
            typ,
            time,
            args: [0; 4],
        };
        base.args[..args.len()].copy_from_slice(args);
        self.push(evt, ctx, base);
        base
    }

    /// Mirrors internal/trace/order.go (*ordering).Advance (go1.27): takes
    /// the event `ev` of M `m` if it can happen now (true), leaves it for
    /// later (false), or finds the trace inconsistent (an error).
    pub fn advance(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        m: ThreadID,
        gen: u64,
    ) -> Result<bool, TraceError> {
        if self.initial_gen == 0 {
            self.initial_gen = gen;
        }
        let mut cur = SchedCtx {
            m,
            p: NO_PROC,
            g: NO_GOROUTINE,
        };
        let has_m = m != NO_THREAD;
        if has_m {
            let ms = self.m_states.get_or_insert_with(m, || MState {
                g: NO_GOROUTINE,
                p: NO_PROC,
            });
            cur.p = ms.p;
            cur.g = ms.g;
        }
        use ev::*;
        let (new_ctx, ok) = match ev.typ {
            PROCS_CHANGE | GO_LABEL | USER_LOG => self.advance_annotation(ev, evt, cur)?,
            PROC_START => self.advance_proc_start(ev, evt, gen, cur)?,
            PROC_STOP => self.advance_proc_stop(ev, evt, cur)?,
            PROC_STEAL => self.advance_proc_steal(ev, evt, gen, cur)?,
            PROC_STATUS => self.advance_proc_status(ev, evt, gen, cur)?,
            GO_CREATE | GO_CREATE_BLOCKED => self.advance_go_create(ev, evt, gen, cur)?,
            GO_CREATE_SYSCALL => self.advance_go_create_syscall(ev, evt, gen, cur)?,
            GO_START => self.advance_go_start(ev, evt, gen, cur)?,
            GO_DESTROY | GO_STOP | GO_BLOCK => self.advance_go_stop_exec(ev, evt, cur)?,
            GO_DESTROY_SYSCALL => self.advance_go_destroy_syscall(ev, evt, cur)?,
            GO_UNBLOCK => self.advance_go_unblock(ev, evt, gen, cur)?,
            GO_SYSCALL_BEGIN => self.advance_go_syscall_begin(ev, evt, gen, cur)?,
            GO_SYSCALL_END => self.advance_go_syscall_end(ev, evt, cur)?,
            GO_SYSCALL_END_BLOCKED => self.advance_go_syscall_end_blocked(ev, evt, cur)?,
            GO_STATUS | GO_STATUS_STACK => self.advance_go_status(ev, evt, gen, cur)?,
            STW_BEGIN | GC_MARK_ASSIST_BEGIN => self.advance_go_range_begin(ev, evt, cur)?,
            STW_END | GC_MARK_ASSIST_END => self.advance_go_range_end(ev, evt, cur)?,
            GC_MARK_ASSIST_ACTIVE => self.advance_go_range_active(ev, evt, gen, cur)?,
            GC_ACTIVE => self.advance_gc_active(ev, evt, gen, cur)?,
            GC_BEGIN => self.advance_gc_begin(ev, evt, cur)?,
            GC_END => self.advance_gc_end(ev, evt, cur)?,
            GC_SWEEP_ACTIVE => self.advance_gc_sweep_active(ev, evt, gen, cur)?,
            GC_SWEEP_BEGIN => self.advance_gc_sweep_begin(ev, evt, cur)?,
            GC_SWEEP_END => self.advance_gc_sweep_end(ev, evt, cur)?,
            HEAP_ALLOC | HEAP_GOAL => self.advance_heap_metric(ev, evt, cur)?,
            USER_TASK_BEGIN => self.advance_user_task_begin(ev, evt, cur)?,
            USER_TASK_END => self.advance_user_task_end(ev, evt, cur)?,
            USER_REGION_BEGIN => self.advance_user_region(ev, evt, cur, true)?,
            USER_REGION_END => self.advance_user_region(ev, evt, cur, false)?,
            GO_SWITCH | GO_SWITCH_DESTROY => self.advance_go_switch(ev, evt, gen, cur)?,
            SPAN..=GOROUTINE_STACK_FREE => self.advance_alloc_free(ev, evt, cur)?,
            t => return Err(corrupt(format!("bad event type found while ordering: {t}"))),
        };
        if ok && has_m {
            if let Some(ms) = self.m_states.get_mut(&m) {
                ms.p = new_ctx.p;
                ms.g = new_ctx.g;
            }
        }
        Ok(ok)
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceProcStatus (go1.27).
    fn advance_proc_status(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        mut cur: SchedCtx,
    ) -> Step {
        let pid = ev.args[0] as ProcID;
        let status = ev.args[1];
        if status > proc_status::SYSCALL_ABANDONED {
            return Err(corrupt(format!("invalid status for proc {pid}: {status}")));
        }
        let mut old_state = ProcState::from_status(status);
        if let Some(s) = self.p_states.get_mut(&pid) {
            if status == proc_status::SYSCALL_ABANDONED && s.status == proc_status::SYSCALL {
                old_state = ProcState::Running;
                ev.args[1] = proc_status::SYSCALL;
            } else if status == proc_status::SYSCALL_ABANDONED
                && s.status == proc_status::SYSCALL_ABANDONED
            {
                old_state = ProcState::Idle;
                ev.args[1] = proc_status::SYSCALL_ABANDONED;
            } else if s.status != status {
                return Err(corrupt(format!(
                    "inconsistent status for proc {pid}: old {} vs. new {}",
                    proc_status::name(s.status),
                    proc_status::name(status)
                )));
            }
            s.seq = make_seq(gen, 0);
        } else {
            self.p_states.insert(
                pid,
                PState {
                    status,
                    seq: make_seq(gen, 0),
                    ranges: RangeState::default(),
                },
            );
            old_state = if gen == self.initial_gen {
                ProcState::Undetermined
            } else {
                ProcState::NotExist
            };
        }
        ev.set_extra(0, old_state.as_u64());

        let mut new_ctx = cur;
        if status == proc_status::RUNNING || status == proc_status::SYSCALL {
            new_ctx.p = pid;
        }
        if status == proc_status::SYSCALL_ABANDONED && old_state == ProcState::Running {
            let mut found = false;
            for (mid, ms) in self.m_states.sorted() {
                if ms.p == pid {
                    cur.m = mid;
                    cur.p = pid;
                    cur.g = ms.g;
                    found = true;
                }
            }
            if !found {
                return Err(corrupt(format!(
                    "failed to find sched context for proc {pid} that's about to be stolen"
                )));
            }
        }
        self.push(evt, cur, *ev);
        Ok((new_ctx, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceProcStart (go1.27).
    fn advance_proc_start(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        cur: SchedCtx,
    ) -> Step {
        let pid = ev.args[0] as ProcID;
        let seq = make_seq(gen, ev.args[1]);
        let Some(state) = self.p_states.get_mut(&pid) else {
            return Ok((cur, false));
        };
        if state.status != proc_status::IDLE || !seq.succeeds(state.seq) || cur.p != NO_PROC {
            return Ok((cur, false));
        }
        validate_ctx(cur, (MustHave, MustNotHave, MayHave))?;
        state.status = proc_status::RUNNING;
        state.seq = seq;
        let mut new_ctx = cur;
        new_ctx.p = pid;
        self.push(evt, cur, *ev);
        Ok((new_ctx, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceProcStop (go1.27).
    fn advance_proc_stop(&mut self, ev: &mut BaseEvent, evt: &Rc<EvTable>, cur: SchedCtx) -> Step {
        let name = self.ev_name(ev.typ);
        let Some(state) = self.p_states.get_mut(&cur.p) else {
            return Err(corrupt(format!(
                "event {name} for proc ({}) that doesn't exist",
                cur.p
            )));
        };
        if state.status != proc_status::RUNNING && state.status != proc_status::SYSCALL {
            return Err(corrupt(format!(
                "{name} event for proc that's not Running or Syscall"
            )));
        }
        validate_ctx(cur, (MustHave, MustHave, MayHave))?;
        state.status = proc_status::IDLE;
        let mut new_ctx = cur;
        new_ctx.p = NO_PROC;
        self.push(evt, cur, *ev);
        Ok((new_ctx, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceProcSteal (go1.27).
    fn advance_proc_steal(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        cur: SchedCtx,
    ) -> Step {
        let pid = ev.args[0] as ProcID;
        let seq = make_seq(gen, ev.args[1]);
        let Some(state) = self.p_states.get_mut(&pid) else {
            return Ok((cur, false));
        };
        if (state.status != proc_status::SYSCALL && state.status != proc_status::SYSCALL_ABANDONED)
            || !seq.succeeds(state.seq)
        {
            return Ok((cur, false));
        }
        validate_ctx(cur, (MustHave, MayHave, MayHave))?;
        let old_status = state.status;
        ev.set_extra(0, old_status);
        state.status = proc_status::IDLE;
        state.seq = seq;
        if old_status == proc_status::SYSCALL_ABANDONED {
            self.push(evt, cur, *ev);
            return Ok((cur, true));
        }
        let mid = ev.args[2] as ThreadID;
        let mut new_ctx = cur;
        if mid == cur.m {
            if cur.p != pid {
                return Err(corrupt(format!(
                    "tried to self-steal proc {pid} (thread {mid}), but got proc {} instead",
                    cur.p
                )));
            }
            new_ctx.p = NO_PROC;
            self.push(evt, cur, *ev);
            return Ok((new_ctx, true));
        }
        let Some(ms) = self.m_states.get_mut(&mid) else {
            return Err(corrupt(format!(
                "stole proc from non-existent thread {mid}"
            )));
        };
        if ms.p != pid {
            return Err(corrupt(format!(
                "tried to steal proc {pid} from thread {mid}, but got proc {} instead",
                ms.p
            )));
        }
        ms.p = NO_PROC;
        self.push(evt, cur, *ev);
        Ok((new_ctx, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoStatus (go1.27).
    fn advance_go_status(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        mut cur: SchedCtx,
    ) -> Step {
        let gid = ev.args[0] as GoID;
        let mid = ev.args[1] as ThreadID;
        let status = ev.args[2];
        if status > go_status::WAITING {
            return Err(corrupt(format!(
                "invalid status for goroutine {gid}: {status}"
            )));
        }
        let mut old_state = GoState::from_status(status);
        if let Some(s) = self.g_states.get_mut(&gid) {
            if s.status != status {
                return Err(corrupt(format!(
                    "inconsistent status for goroutine {gid}: old {} vs. new {}",
                    go_status::name(s.status),
                    go_status::name(status)
                )));
            }
            s.seq = make_seq(gen, 0);
        } else if gen == self.initial_gen {
            self.g_states
                .insert(gid, GState::new(status, make_seq(gen, 0)));
            old_state = GoState::Undetermined;
        } else {
            return Err(corrupt(format!(
                "found goroutine status for new goroutine after the first generation: id={gid} status={}",
                go_status::name(status)
            )));
        }
        ev.args[2] = (old_state.as_u64() << 32) | status;

        let mut new_ctx = cur;
        match status {
            go_status::RUNNING => new_ctx.g = gid,
            go_status::SYSCALL => {
                if mid == NO_THREAD {
                    return Err(corrupt(format!(
                        "found goroutine {gid} in syscall without a thread"
                    )));
                }
                if mid == cur.m {
                    if gen != self.initial_gen && cur.g != gid {
                        return Err(corrupt(format!(
                            "inconsistent thread for syscalling goroutine {gid}: thread has goroutine {}",
                            cur.g
                        )));
                    }
                    new_ctx.g = gid;
                } else {
                    match self.m_states.get(&mid) {
                        Some(ms) => {
                            if ms.g != gid {
                                return Err(corrupt(format!(
                                    "inconsistent thread for syscalling goroutine {gid}: thread has goroutine {}",
                                    ms.g
                                )));
                            }
                            cur.g = ms.g;
                        }
                        None => {
                            self.m_states.insert(mid, MState { g: gid, p: NO_PROC });
                        }
                    }
                    cur.m = mid;
                }
            }
            _ => {}
        }
        self.push(evt, cur, *ev);
        Ok((new_ctx, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoCreate (go1.27).
    fn advance_go_create(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, (MustHave, MustHave, MayHave))?;
        if let Some(state) = self.g_states.get(&cur.g) {
            if state.status != go_status::RUNNING {
                return Err(corrupt(format!(
                    "{} event for goroutine that's not Running",
                    self.ev_name(ev.typ)
                )));
            }
        }
        let newgid = ev.args[0] as GoID;
        if self.g_states.contains_key(&newgid) {
            return Err(corrupt(format!(
                "tried to create goroutine ({newgid}) that already exists"
            )));
        }
        let status = if ev.typ == ev::GO_CREATE_BLOCKED {
            go_status::WAITING
        } else {
            go_status::RUNNABLE
        };
        self.g_states
            .insert(newgid, GState::new(status, make_seq(gen, 0)));
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// The goroutine running in `cur`, which must be in `want`.
    fn cur_g(
        &mut self,
        typ: EventType,
        cur: SchedCtx,
        want: u64,
        want_name: &str,
    ) -> Result<&mut GState, TraceError> {
        let name = self.ev_name(typ);
        match self.g_states.get_mut(&cur.g) {
            None => Err(corrupt(format!(
                "event {name} for goroutine ({}) that doesn't exist",
                cur.g
            ))),
            Some(s) if s.status != want => Err(corrupt(format!(
                "{name} event for goroutine that's not {want_name}"
            ))),
            Some(s) => Ok(s),
        }
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoStopExec (go1.27).
    fn advance_go_stop_exec(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, USER_GO_REQS)?;
        let state = self.cur_g(ev.typ, cur, go_status::RUNNING, "Running")?;
        let mut new_ctx = cur;
        match ev.typ {
            ev::GO_DESTROY => {}
            ev::GO_STOP => state.status = go_status::RUNNABLE,
            _ => state.status = go_status::WAITING,
        }
        if ev.typ == ev::GO_DESTROY {
            self.g_states.remove(&cur.g);
        }
        new_ctx.g = NO_GOROUTINE;
        self.push(evt, cur, *ev);
        Ok((new_ctx, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoStart (go1.27).
    fn advance_go_start(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        cur: SchedCtx,
    ) -> Step {
        let gid = ev.args[0] as GoID;
        let seq = make_seq(gen, ev.args[1]);
        let Some(state) = self.g_states.get_mut(&gid) else {
            return Ok((cur, false));
        };
        if state.status != go_status::RUNNABLE || !seq.succeeds(state.seq) {
            return Ok((cur, false));
        }
        validate_ctx(cur, (MustHave, MustHave, MustNotHave))?;
        state.status = go_status::RUNNING;
        state.seq = seq;
        let mut new_ctx = cur;
        new_ctx.g = gid;
        self.push(evt, cur, *ev);
        Ok((new_ctx, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoUnblock (go1.27).
    fn advance_go_unblock(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        cur: SchedCtx,
    ) -> Step {
        let gid = ev.args[0] as GoID;
        let seq = make_seq(gen, ev.args[1]);
        let Some(state) = self.g_states.get_mut(&gid) else {
            return Ok((cur, false));
        };
        if state.status != go_status::WAITING || !seq.succeeds(state.seq) {
            return Ok((cur, false));
        }
        state.status = go_status::RUNNABLE;
        state.seq = seq;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoSwitch (go1.27).
    fn advance_go_switch(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, USER_GO_REQS)?;
        self.cur_g(ev.typ, cur, go_status::RUNNING, "Running")?;
        let nextg = ev.args[0] as GoID;
        let seq = make_seq(gen, ev.args[1]);
        match self.g_states.get(&nextg) {
            Some(s) if s.status == go_status::WAITING && seq.succeeds(s.seq) => {}
            _ => return Ok((cur, false)),
        }
        self.push(evt, cur, *ev);
        if ev.typ == ev::GO_SWITCH {
            if let Some(s) = self.g_states.get_mut(&cur.g) {
                s.status = go_status::WAITING;
            }
            self.push_made(evt, cur, ev::GO_BLOCK, ev.time, &[0, 0]);
        } else {
            self.g_states.remove(&cur.g);
            self.push_made(evt, cur, ev::GO_DESTROY, ev.time, &[]);
        }
        if let Some(next) = self.g_states.get_mut(&nextg) {
            next.status = go_status::RUNNING;
            next.seq = seq;
        }
        let mut new_ctx = cur;
        new_ctx.g = nextg;
        let mut start_ctx = cur;
        start_ctx.g = NO_GOROUTINE;
        self.push_made(
            evt,
            start_ctx,
            ev::GO_START,
            ev.time,
            &[nextg as u64, ev.args[1]],
        );
        Ok((new_ctx, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoSyscallBegin (go1.27).
    fn advance_go_syscall_begin(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, USER_GO_REQS)?;
        let name = self.ev_name(ev.typ);
        let state = self.cur_g(ev.typ, cur, go_status::RUNNING, "Running")?;
        state.status = go_status::SYSCALL;
        let Some(p) = self.p_states.get_mut(&cur.p) else {
            return Err(corrupt(format!(
                "uninitialized proc {} found during {name}",
                cur.p
            )));
        };
        p.status = proc_status::SYSCALL;
        let p_seq = make_seq(gen, ev.args[0]);
        if !p_seq.succeeds(p.seq) {
            return Err(corrupt(format!(
                "failed to advance {name}: can't make sequence: {} -> {p_seq}",
                p.seq
            )));
        }
        p.seq = p_seq;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoSyscallEnd (go1.27).
    fn advance_go_syscall_end(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, USER_GO_REQS)?;
        let name = self.ev_name(ev.typ);
        let state = self.cur_g(ev.typ, cur, go_status::SYSCALL, "Running")?;
        state.status = go_status::RUNNING;
        let Some(p) = self.p_states.get_mut(&cur.p) else {
            return Err(corrupt(format!(
                "uninitialized proc {} found during {name}",
                cur.p
            )));
        };
        if p.status != proc_status::SYSCALL {
            return Err(corrupt(format!(
                "expected proc {} in state Syscall, but got {} instead",
                cur.p,
                proc_status::name(p.status)
            )));
        }
        p.status = proc_status::RUNNING;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoSyscallEndBlocked (go1.27).
    fn advance_go_syscall_end_blocked(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
    ) -> Step {
        if cur.p != NO_PROC {
            let Some(p) = self.p_states.get(&cur.p) else {
                return Err(corrupt(format!(
                    "uninitialized proc {} found during {}",
                    cur.p,
                    self.ev_name(ev.typ)
                )));
            };
            if p.status == proc_status::SYSCALL {
                return Ok((cur, false));
            }
        }
        validate_ctx(cur, (MustHave, MayHave, MustHave))?;
        let state = self.cur_g(ev.typ, cur, go_status::SYSCALL, "Running")?;
        state.status = go_status::RUNNABLE;
        let mut new_ctx = cur;
        new_ctx.g = NO_GOROUTINE;
        self.push(evt, cur, *ev);
        Ok((new_ctx, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoCreateSyscall (go1.27).
    fn advance_go_create_syscall(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, (MustHave, MayHave, MustNotHave))?;
        let newgid = ev.args[0] as GoID;
        if self.g_states.contains_key(&newgid) {
            return Err(corrupt(format!(
                "tried to create goroutine ({newgid}) in syscall that already exists"
            )));
        }
        self.g_states
            .insert(newgid, GState::new(go_status::SYSCALL, make_seq(gen, 0)));
        let mut new_ctx = cur;
        new_ctx.g = newgid;
        self.push(evt, cur, *ev);
        Ok((new_ctx, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoDestroySyscall (go1.27).
    fn advance_go_destroy_syscall(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, (MustHave, MayHave, MustHave))?;
        let name = self.ev_name(ev.typ);
        self.cur_g(ev.typ, cur, go_status::SYSCALL, "Syscall")?;
        self.g_states.remove(&cur.g);
        let mut new_ctx = cur;
        new_ctx.g = NO_GOROUTINE;
        if cur.p != NO_PROC {
            let Some(p) = self.p_states.get_mut(&cur.p) else {
                return Err(corrupt(format!(
                    "found invalid proc {} during {name}",
                    cur.p
                )));
            };
            if p.status != proc_status::SYSCALL {
                return Err(corrupt(format!(
                    "proc {} in unexpected state {} during {name}",
                    cur.p,
                    proc_status::name(p.status)
                )));
            }
            p.status = proc_status::SYSCALL_ABANDONED;
            new_ctx.p = NO_PROC;
            let mut extra = BaseEvent {
                typ: ev::PROC_STEAL,
                time: ev.time,
                args: [cur.p as u64, 0, 0, 0],
            };
            extra.set_extra(0, proc_status::SYSCALL);
            self.push(evt, cur, extra);
        }
        self.push(evt, cur, *ev);
        Ok((new_ctx, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceUserTaskBegin (go1.27).
    fn advance_user_task_begin(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
    ) -> Step {
        let id = ev.args[0];
        if self.active_tasks.contains_key(&id) {
            return Err(corrupt(format!("task ID conflict: {id}")));
        }
        let mut parent_id = ev.args[1];
        if parent_id == BACKGROUND_TASK {
            parent_id = NO_TASK;
            ev.args[1] = NO_TASK;
        }
        let name_id = ev.args[2];
        if !evt.strings.has(name_id) {
            return Err(corrupt(format!(
                "invalid string ID {name_id} for {} event",
                ev.typ
            )));
        }
        self.active_tasks.insert(
            id,
            TaskState {
                name: evt.string(name_id).to_vec(),
                parent_id,
            },
        );
        validate_ctx(cur, USER_GO_REQS)?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceUserTaskEnd (go1.27).
    fn advance_user_task_end(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
    ) -> Step {
        let id = ev.args[0];
        if let Some(ts) = self.active_tasks.remove(&id) {
            ev.set_extra(0, ts.parent_id);
            ev.set_extra(1, evt.add_extra_string(&ts.name));
        } else {
            ev.set_extra(0, NO_TASK);
            ev.set_extra(1, evt.add_extra_string(b""));
        }
        validate_ctx(cur, USER_GO_REQS)?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceUserRegionBegin
    /// and (*ordering).advanceUserRegionEnd (go1.27).
    fn advance_user_region(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
        begin: bool,
    ) -> Step {
        validate_ctx(cur, USER_GO_REQS)?;
        let tid = ev.args[0];
        let name_id = ev.args[1];
        if !evt.strings.has(name_id) {
            return Err(corrupt(format!(
                "invalid string ID {name_id} for {} event",
                ev.typ
            )));
        }
        let Some(g) = self.g_states.get_mut(&cur.g) else {
            let which = if begin {
                "EvUserRegionBegin"
            } else {
                "EvUserRegionEnd"
            };
            return Err(corrupt(format!(
                "encountered {which} without known state for current goroutine {}",
                cur.g
            )));
        };
        let r = UserRegion {
            task_id: tid,
            name: evt.string(name_id).to_vec(),
        };
        if begin {
            g.regions.push(r);
        } else if let Some(next) = g.regions.last() {
            // Mirrors internal/trace/order.go (*gState).endRegion (go1.27).
            if *next != r {
                return Err(corrupt(format!(
                    "misuse of region in goroutine {}: region end {{{} {}}} when the inner-most active region start event is {{{} {}}}",
                    cur.g,
                    r.task_id,
                    String::from_utf8_lossy(&r.name),
                    next.task_id,
                    String::from_utf8_lossy(&next.name)
                )));
            }
            g.regions.pop();
        }
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGCActive (go1.27).
    fn advance_gc_active(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        cur: SchedCtx,
    ) -> Step {
        let seq = ev.args[0];
        if gen == self.initial_gen {
            if self.gc_state != GcState::Undetermined {
                return Err(corrupt(
                    "GCActive in the first generation isn't first GC event".into(),
                ));
            }
            self.gc_seq = seq;
            self.gc_state = GcState::Running;
            self.push(evt, cur, *ev);
            return Ok((cur, true));
        }
        if seq != self.gc_seq.wrapping_add(1) {
            return Ok((cur, false));
        }
        if self.gc_state != GcState::Running {
            return Err(corrupt(
                "encountered GCActive while GC was not in progress".into(),
            ));
        }
        self.gc_seq = seq;
        validate_ctx(cur, USER_GO_REQS)?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGCBegin (go1.27).
    fn advance_gc_begin(&mut self, ev: &mut BaseEvent, evt: &Rc<EvTable>, cur: SchedCtx) -> Step {
        let seq = ev.args[0];
        if self.gc_state == GcState::Undetermined {
            self.gc_seq = seq;
            self.gc_state = GcState::Running;
            self.push(evt, cur, *ev);
            return Ok((cur, true));
        }
        if seq != self.gc_seq.wrapping_add(1) {
            return Ok((cur, false));
        }
        if self.gc_state == GcState::Running {
            return Err(corrupt(
                "encountered GCBegin while GC was already in progress".into(),
            ));
        }
        self.gc_seq = seq;
        self.gc_state = GcState::Running;
        validate_ctx(cur, USER_GO_REQS)?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGCEnd (go1.27).
    fn advance_gc_end(&mut self, ev: &mut BaseEvent, evt: &Rc<EvTable>, cur: SchedCtx) -> Step {
        let seq = ev.args[0];
        if seq != self.gc_seq.wrapping_add(1) {
            return Ok((cur, false));
        }
        if self.gc_state == GcState::NotRunning {
            return Err(corrupt(
                "encountered GCEnd when GC was not in progress".into(),
            ));
        }
        if self.gc_state == GcState::Undetermined {
            return Err(corrupt(
                "encountered GCEnd when GC was in an undetermined state".into(),
            ));
        }
        self.gc_seq = seq;
        self.gc_state = GcState::NotRunning;
        validate_ctx(cur, USER_GO_REQS)?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceAnnotation (go1.27).
    fn advance_annotation(&mut self, ev: &mut BaseEvent, evt: &Rc<EvTable>, cur: SchedCtx) -> Step {
        validate_ctx(cur, USER_GO_REQS)?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceHeapMetric (go1.27).
    fn advance_heap_metric(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, (MustHave, MustHave, MayHave))?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// The state of the proc running in `cur`. Go dereferences a missing
    /// one (and panics); this reports it.
    fn cur_p(&mut self, typ: EventType, cur: SchedCtx) -> Result<&mut PState, TraceError> {
        let name = self.ev_name(typ);
        self.p_states
            .get_mut(&cur.p)
            .ok_or_else(|| corrupt(format!("uninitialized proc {} found during {name}", cur.p)))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGCSweepBegin (go1.27).
    fn advance_gc_sweep_begin(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, (MustHave, MustHave, MayHave))?;
        self.cur_p(ev.typ, cur)?
            .ranges
            .begin_range(make_range_type(ev.typ, 0))?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGCSweepActive (go1.27).
    fn advance_gc_sweep_active(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        cur: SchedCtx,
    ) -> Step {
        let pid = ev.args[0] as ProcID;
        let initial = gen == self.initial_gen;
        let Some(p) = self.p_states.get_mut(&pid) else {
            return Err(corrupt(format!(
                "encountered GCSweepActive for unknown proc {pid}"
            )));
        };
        p.ranges.active_range(make_range_type(ev.typ, 0), initial)?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGCSweepEnd (go1.27).
    fn advance_gc_sweep_end(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, (MustHave, MustHave, MayHave))?;
        self.cur_p(ev.typ, cur)?.ranges.end_range(ev.typ)?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoRangeBegin (go1.27).
    fn advance_go_range_begin(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, USER_GO_REQS)?;
        let desc = if ev.typ == ev::STW_BEGIN {
            ev.args[0]
        } else {
            0
        };
        let Some(g) = self.g_states.get_mut(&cur.g) else {
            return Err(corrupt(format!(
                "encountered event of type {} without known state for current goroutine {}",
                ev.typ, cur.g
            )));
        };
        g.ranges.begin_range(make_range_type(ev.typ, desc))?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoRangeActive (go1.27).
    fn advance_go_range_active(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        gen: u64,
        cur: SchedCtx,
    ) -> Step {
        let gid = ev.args[0] as GoID;
        let initial = gen == self.initial_gen;
        let name = self.ev_name(ev.typ);
        let Some(g) = self.g_states.get_mut(&gid) else {
            return Err(corrupt(format!(
                "uninitialized goroutine {gid} found during {name}"
            )));
        };
        g.ranges.active_range(make_range_type(ev.typ, 0), initial)?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceGoRangeEnd (go1.27).
    fn advance_go_range_end(
        &mut self,
        ev: &mut BaseEvent,
        evt: &Rc<EvTable>,
        cur: SchedCtx,
    ) -> Step {
        validate_ctx(cur, USER_GO_REQS)?;
        let Some(g) = self.g_states.get_mut(&cur.g) else {
            return Err(corrupt(format!(
                "encountered event of type {} without known state for current goroutine {}",
                ev.typ, cur.g
            )));
        };
        let desc = g.ranges.end_range(ev.typ)?;
        if ev.typ == ev::STW_END {
            ev.args[0] = desc;
        }
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go (*ordering).advanceAllocFree (go1.27).
    fn advance_alloc_free(&mut self, ev: &mut BaseEvent, evt: &Rc<EvTable>, cur: SchedCtx) -> Step {
        validate_ctx(cur, (MustHave, MayHave, MayHave))?;
        self.push(evt, cur, *ev);
        Ok((cur, true))
    }

    /// Mirrors internal/trace/order.go `dumpOrdering` (go1.27), in ID order.
    pub fn dump(&self) -> String {
        let mut sb = String::new();
        for (id, s) in self.g_states.sorted() {
            let _ = writeln!(
                sb,
                "G {id} [status={} seq={}]",
                go_status::name(s.status),
                s.seq
            );
        }
        sb.push('\n');
        for (id, s) in self.p_states.sorted() {
            let _ = writeln!(
                sb,
                "P {id} [status={} seq={}]",
                proc_status::name(s.status),
                s.seq
            );
        }
        sb.push('\n');
        for (id, s) in self.m_states.sorted() {
            let _ = writeln!(sb, "M {id} [g={} p={}]", s.g, s.p);
        }
        sb.push('\n');
        let gc = match self.gc_state {
            GcState::Undetermined => "Undetermined",
            GcState::NotRunning => "NotRunning",
            GcState::Running => "Running",
        };
        let _ = writeln!(sb, "GC {} {gc}", self.gc_seq);
        sb
    }
}
