//! The events the reader hands out, and their text form.
//!
//! Mirrors internal/trace/event.go `Event` and its accessors, and
//! (Event).String, the text `go tool trace -d=parsed` prints (go1.27).

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::generation::EvTable;
use super::spec::{self, ev, go_status, proc_status, EventType};
use super::{GoID, ProcID, SchedCtx, TaskID, ThreadID, Time};

/// The arguments of a timed event, without its timestamp.
///
/// Mirrors internal/trace/base.go `timedEventArgs` (go1.27).
pub(crate) type TimedEventArgs = [u64; spec::MAX_TIMED_EVENT_ARGS - 1];

/// Mirrors internal/trace/base.go `baseEvent` (go1.27).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BaseEvent {
    pub typ: EventType,
    pub time: Time,
    pub args: TimedEventArgs,
}

impl BaseEvent {
    /// Mirrors internal/trace/base.go (*baseEvent).extra (go1.27): the
    /// argument slots past the event's own, where the reader passes data
    /// on. Only the first index is returned.
    pub fn extra(&self) -> usize {
        spec::spec(self.typ).args.len().saturating_sub(1)
    }

    pub fn set_extra(&mut self, i: usize, v: u64) {
        let at = self.extra() + i;
        if let Some(slot) = self.args.get_mut(at) {
            *slot = v;
        }
    }

    pub fn get_extra(&self, i: usize) -> u64 {
        self.args.get(self.extra() + i).copied().unwrap_or(0)
    }
}

/// Mirrors internal/trace/event.go `EventKind` (go1.27).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum EventKind {
    Bad,
    Sync,
    Metric,
    Label,
    StackSample,
    RangeBegin,
    RangeActive,
    RangeEnd,
    TaskBegin,
    TaskEnd,
    RegionBegin,
    RegionEnd,
    Log,
    StateTransition,
    Experimental,
}

impl EventKind {
    /// Mirrors internal/trace/event.go (EventKind).String (go1.27).
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Bad => "Bad",
            EventKind::Sync => "Sync",
            EventKind::Metric => "Metric",
            EventKind::Label => "Label",
            EventKind::StackSample => "StackSample",
            EventKind::RangeBegin => "RangeBegin",
            EventKind::RangeActive => "RangeActive",
            EventKind::RangeEnd => "RangeEnd",
            EventKind::TaskBegin => "TaskBegin",
            EventKind::TaskEnd => "TaskEnd",
            EventKind::RegionBegin => "RegionBegin",
            EventKind::RegionEnd => "RegionEnd",
            EventKind::Log => "Log",
            EventKind::StateTransition => "StateTransition",
            EventKind::Experimental => "Experimental",
        }
    }
}

/// Mirrors internal/trace/event.go `tracev2Type2Kind` (go1.27).
fn kind_of(typ: EventType) -> EventKind {
    use ev::*;
    match typ {
        CPU_SAMPLE => EventKind::StackSample,
        PROCS_CHANGE | HEAP_ALLOC | HEAP_GOAL => EventKind::Metric,
        PROC_START..=GO_STATUS | GO_SWITCH..=GO_STATUS_STACK => EventKind::StateTransition,
        STW_BEGIN | GC_BEGIN | GC_SWEEP_BEGIN | GC_MARK_ASSIST_BEGIN => EventKind::RangeBegin,
        STW_END | GC_END | GC_SWEEP_END | GC_MARK_ASSIST_END => EventKind::RangeEnd,
        GC_ACTIVE | GC_SWEEP_ACTIVE | GC_MARK_ASSIST_ACTIVE => EventKind::RangeActive,
        GO_LABEL => EventKind::Label,
        USER_TASK_BEGIN => EventKind::TaskBegin,
        USER_TASK_END => EventKind::TaskEnd,
        USER_REGION_BEGIN => EventKind::RegionBegin,
        USER_REGION_END => EventKind::RegionEnd,
        USER_LOG => EventKind::Log,
        SPAN..=GOROUTINE_STACK_FREE => EventKind::Experimental,
        SYNC_EVENT => EventKind::Sync,
        _ => EventKind::Bad,
    }
}

/// Mirrors internal/trace/resources.go `GoState` (go1.27).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum GoState {
    Undetermined,
    NotExist,
    Runnable,
    Running,
    Waiting,
    Syscall,
    /// A value no state has (Go prints it as Bad).
    Bad,
}

impl GoState {
    fn from_u64(v: u64) -> GoState {
        match v {
            0 => GoState::Undetermined,
            1 => GoState::NotExist,
            2 => GoState::Runnable,
            3 => GoState::Running,
            4 => GoState::Waiting,
            5 => GoState::Syscall,
            _ => GoState::Bad,
        }
    }
    /// Mirrors internal/trace/event.go `tracev2GoStatus2GoState` (go1.27).
    pub(crate) fn from_status(s: u64) -> GoState {
        match s {
            go_status::RUNNABLE => GoState::Runnable,
            go_status::RUNNING => GoState::Running,
            go_status::WAITING => GoState::Waiting,
            go_status::SYSCALL => GoState::Syscall,
            _ => GoState::Undetermined,
        }
    }
    pub(crate) fn as_u64(self) -> u64 {
        match self {
            GoState::Undetermined => 0,
            GoState::NotExist => 1,
            GoState::Runnable => 2,
            GoState::Running => 3,
            GoState::Waiting => 4,
            GoState::Syscall => 5,
            GoState::Bad => 6,
        }
    }
    /// Mirrors internal/trace/resources.go (GoState).String (go1.27).
    pub fn name(self) -> &'static str {
        match self {
            GoState::Undetermined => "Undetermined",
            GoState::NotExist => "NotExist",
            GoState::Runnable => "Runnable",
            GoState::Running => "Running",
            GoState::Waiting => "Waiting",
            GoState::Syscall => "Syscall",
            GoState::Bad => "Bad",
        }
    }
}

/// Mirrors internal/trace/resources.go `ProcState` (go1.27).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ProcState {
    Undetermined,
    NotExist,
    Running,
    Idle,
    /// A value no state has (Go prints it as Bad).
    Bad,
}

impl ProcState {
    pub(crate) fn from_u64(v: u64) -> ProcState {
        match v {
            0 => ProcState::Undetermined,
            1 => ProcState::NotExist,
            2 => ProcState::Running,
            3 => ProcState::Idle,
            _ => ProcState::Bad,
        }
    }
    pub(crate) fn as_u64(self) -> u64 {
        match self {
            ProcState::Undetermined => 0,
            ProcState::NotExist => 1,
            ProcState::Running => 2,
            ProcState::Idle => 3,
            ProcState::Bad => 4,
        }
    }
    /// Mirrors internal/trace/event.go `tracev2ProcStatus2ProcState` (go1.27).
    pub(crate) fn from_status(s: u64) -> ProcState {
        match s {
            proc_status::RUNNING | proc_status::SYSCALL => ProcState::Running,
            proc_status::IDLE | proc_status::SYSCALL_ABANDONED => ProcState::Idle,
            _ => ProcState::Undetermined,
        }
    }
    /// Mirrors internal/trace/resources.go (ProcState).String (go1.27).
    pub fn name(self) -> &'static str {
        match self {
            ProcState::Undetermined => "Undetermined",
            ProcState::NotExist => "NotExist",
            ProcState::Running => "Running",
            ProcState::Idle => "Idle",
            ProcState::Bad => "Bad",
        }
    }
}

/// Mirrors internal/trace/resources.go `ResourceID` (go1.27).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceID {
    /// No resource.
    None,
    /// A goroutine.
    Goroutine(GoID),
    /// A proc (a P).
    Proc(ProcID),
    /// A thread (an M).
    Thread(ThreadID),
}

impl ResourceID {
    /// Mirrors internal/trace/resources.go (ResourceID).String (go1.27).
    fn write(self, out: &mut Vec<u8>) {
        match self {
            ResourceID::None => out.extend_from_slice(b"None"),
            ResourceID::Goroutine(id) => push_fmt(out, format_args!("Goroutine({id})")),
            ResourceID::Proc(id) => push_fmt(out, format_args!("Proc({id})")),
            ResourceID::Thread(id) => push_fmt(out, format_args!("Thread({id})")),
        }
    }
}

/// One frame of a stack.
///
/// Mirrors internal/trace/event.go `StackFrame` (go1.27).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackFrame {
    /// The program counter.
    pub pc: u64,
    /// The function's name (bytes, as the trace holds them).
    pub func: Box<[u8]>,
    /// The source file.
    pub file: Box<[u8]>,
    /// The line in the file.
    pub line: u64,
}

/// A stack of an event.
///
/// Mirrors internal/trace/event.go `Stack` (go1.27).
#[derive(Debug, Clone)]
pub struct Stack {
    table: Rc<EvTable>,
    id: u64,
}

impl Stack {
    /// Which stack this is within its generation: the generation's table
    /// and the stack's ID there, for callers that cache what they read of
    /// each stack (two events with the same key have the same frames).
    pub(crate) fn cache_key(&self) -> (usize, u64) {
        (Rc::as_ptr(&self.table) as usize, self.id)
    }

    /// Mirrors internal/trace/event.go (Stack).Frames (go1.27): the
    /// frames, innermost first.
    pub fn frames(&self) -> Vec<StackFrame> {
        let mut frames = Vec::new();
        self.for_each_frame(|pc, func, file, line| {
            frames.push(StackFrame {
                pc,
                func: func.into(),
                file: file.into(),
                line,
            });
        });
        frames
    }

    /// Each frame, innermost first, as (pc, function, file, line), without
    /// copying the names out of the trace's string table.
    fn for_each_frame(&self, mut f: impl FnMut(u64, &[u8], &[u8], u64)) {
        if self.id == 0 {
            return;
        }
        let Some(stk) = self.table.stacks.get(self.id) else {
            return;
        };
        for pc in &stk.pcs {
            let fr = self.table.pcs.get(pc).copied().unwrap_or_default();
            f(
                fr.pc,
                self.table.string(fr.func_id),
                self.table.string(fr.file_id),
                fr.line,
            );
        }
    }
}

/// Mirrors internal/trace/event.go `printStack` (go1.27).
fn print_stack(out: &mut Vec<u8>, prefix: &[u8], stack: &Stack) {
    stack.for_each_frame(|pc, func, file, line| {
        out.extend_from_slice(prefix);
        out.extend_from_slice(func);
        out.extend_from_slice(b" @ ");
        push_hex(out, pc);
        out.push(b'\n');
        out.extend_from_slice(prefix);
        out.push(b'\t');
        out.extend_from_slice(file);
        out.push(b':');
        push_u64(out, line);
        out.push(b'\n');
    });
}

/// Mirrors internal/trace/event.go `Metric` (go1.27).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metric {
    /// The metric's name, as runtime/metrics spells it.
    pub name: &'static str,
    /// Its value.
    pub value: u64,
}

/// Mirrors internal/trace/event.go `Range` (go1.27).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// The range's name, such as "GC concurrent mark phase".
    pub name: Vec<u8>,
    /// What the range is about.
    pub scope: ResourceID,
}

/// Mirrors internal/trace/event.go `Task` (go1.27).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// The task's ID.
    pub id: TaskID,
    /// The parent task (NoTask when none or unknown).
    pub parent: TaskID,
    /// The task's type, as given to runtime/trace.NewTask.
    pub typ: Box<[u8]>,
}

/// Mirrors internal/trace/event.go `Region` (go1.27).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The task the region belongs to.
    pub task: TaskID,
    /// The region's type.
    pub typ: Box<[u8]>,
}

/// Mirrors internal/trace/event.go `Log` (go1.27).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Log {
    /// The task the message belongs to.
    pub task: TaskID,
    /// The message's category.
    pub category: Box<[u8]>,
    /// The message.
    pub message: Box<[u8]>,
}

/// Mirrors internal/trace/resources.go `StateTransition` (go1.27).
#[derive(Debug, Clone)]
pub struct StateTransition {
    /// The goroutine or proc whose state changes.
    pub resource: ResourceID,
    /// Why, for goroutines that stop or block.
    pub reason: Box<[u8]>,
    /// The stack of the resource (for a new goroutine, its start).
    pub stack: Option<Stack>,
    /// The state before (a [`GoState`] or [`ProcState`] as a number).
    old_state: u64,
    new_state: u64,
}

impl StateTransition {
    /// Mirrors internal/trace/resources.go (StateTransition).Goroutine (go1.27).
    pub fn goroutine(&self) -> (GoState, GoState) {
        (
            GoState::from_u64(self.old_state),
            GoState::from_u64(self.new_state),
        )
    }
    /// Mirrors internal/trace/resources.go (StateTransition).Proc (go1.27).
    pub fn proc(&self) -> (ProcState, ProcState) {
        (
            ProcState::from_u64(self.old_state),
            ProcState::from_u64(self.new_state),
        )
    }
    fn go(id: GoID, from: GoState, to: GoState) -> Self {
        StateTransition {
            resource: ResourceID::Goroutine(id),
            reason: Box::default(),
            stack: None,
            old_state: from.as_u64(),
            new_state: to.as_u64(),
        }
    }
    fn proc_t(id: ProcID, from: ProcState, to: ProcState) -> Self {
        StateTransition {
            resource: ResourceID::Proc(id),
            reason: Box::default(),
            stack: None,
            old_state: from.as_u64(),
            new_state: to.as_u64(),
        }
    }
}

/// Mirrors internal/trace/event.go `ClockSnapshot` (go1.27).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockSnapshot {
    /// The trace clock at the snapshot.
    pub trace: Time,
    /// The wall clock: seconds and nanoseconds since the Unix epoch.
    pub wall_sec: u64,
    /// The nanoseconds part of the wall clock.
    pub wall_nsec: u64,
    /// The monotonic clock.
    pub mono: u64,
}

/// Mirrors internal/trace/event.go `Sync` (go1.27).
#[derive(Debug, Clone)]
pub struct Sync {
    /// Which sync event of the trace this is, from 1.
    pub n: u64,
    /// The clock snapshot of the generation (Go 1.25 and later).
    pub clock_snapshot: Option<ClockSnapshot>,
    /// The raw batches of each experiment, by experiment name.
    pub experimental_batches: Vec<(&'static str, Vec<super::ExperimentalBatch>)>,
}

/// Mirrors internal/trace/event.go `ExperimentalEvent` (go1.27).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExperimentalEvent {
    /// The event's name.
    pub name: &'static str,
    /// The experiment's name.
    pub experiment: &'static str,
    /// The argument names.
    pub args: &'static [&'static str],
    /// The argument values.
    pub arg_values: Vec<u64>,
}

/// One event of a trace.
///
/// Mirrors internal/trace/event.go `Event` (go1.27).
#[derive(Debug, Clone)]
pub struct Event {
    pub(crate) table: Option<Rc<EvTable>>,
    pub(crate) ctx: SchedCtx,
    pub(crate) base: BaseEvent,
}

impl Event {
    /// Mirrors internal/trace/event.go (Event).Kind (go1.27).
    pub fn kind(&self) -> EventKind {
        kind_of(self.base.typ)
    }
    /// Mirrors internal/trace/event.go (Event).Time (go1.27), in nanoseconds.
    pub fn time(&self) -> Time {
        self.base.time
    }
    /// Mirrors internal/trace/event.go (Event).Goroutine (go1.27).
    pub fn goroutine(&self) -> GoID {
        self.ctx.g
    }
    /// Mirrors internal/trace/event.go (Event).Proc (go1.27).
    pub fn proc(&self) -> ProcID {
        self.ctx.p
    }
    /// Mirrors internal/trace/event.go (Event).Thread (go1.27).
    pub fn thread(&self) -> ThreadID {
        self.ctx.m
    }
    /// The wire-format event type behind the event.
    pub fn wire_type(&self) -> EventType {
        self.base.typ
    }

    fn table(&self) -> Rc<EvTable> {
        self.table.clone().unwrap_or_default()
    }

    fn string(&self, id: u64) -> Box<[u8]> {
        self.table
            .as_ref()
            .map_or_else(Box::default, |t| t.string(id).into())
    }

    /// Mirrors internal/trace/event.go (Event).Stack (go1.27).
    pub fn stack(&self) -> Option<Stack> {
        if self.base.typ == ev::SYNC_EVENT {
            return None;
        }
        if self.base.typ == ev::CPU_SAMPLE {
            return Some(Stack {
                table: self.table(),
                id: self.base.args[0],
            });
        }
        let s = spec::spec(self.base.typ);
        let &first = s.stack_ids.first()?;
        let id = self.base.args[first - 1];
        if id == 0 {
            return None;
        }
        Some(Stack {
            table: self.table(),
            id,
        })
    }

    /// Mirrors internal/trace/event.go (Event).Metric (go1.27).
    pub fn metric(&self) -> Option<Metric> {
        let name = match self.base.typ {
            ev::PROCS_CHANGE => "/sched/gomaxprocs:threads",
            ev::HEAP_ALLOC => "/memory/classes/heap/objects:bytes",
            ev::HEAP_GOAL => "/gc/heap/goal:bytes",
            _ => return None,
        };
        Some(Metric {
            name,
            value: self.base.args[0],
        })
    }

    /// Mirrors internal/trace/event.go (Event).Label (go1.27): the label
    /// and the goroutine it applies to.
    pub fn label(&self) -> Option<(Box<[u8]>, ResourceID)> {
        (self.base.typ == ev::GO_LABEL).then(|| {
            (
                self.string(self.base.args[0]),
                ResourceID::Goroutine(self.ctx.g),
            )
        })
    }

    /// Mirrors internal/trace/event.go (Event).Range (go1.27).
    pub fn range(&self) -> Option<Range> {
        let (name, scope): (Vec<u8>, ResourceID) = match self.base.typ {
            ev::STW_BEGIN | ev::STW_END => {
                let mut n = b"stop-the-world (".to_vec();
                n.extend_from_slice(&self.string(self.base.args[0]));
                n.push(b')');
                (n, ResourceID::Goroutine(self.ctx.g))
            }
            ev::GC_BEGIN | ev::GC_ACTIVE | ev::GC_END => {
                (b"GC concurrent mark phase".to_vec(), ResourceID::None)
            }
            ev::GC_SWEEP_BEGIN | ev::GC_SWEEP_ACTIVE | ev::GC_SWEEP_END => {
                let p = if self.base.typ == ev::GC_SWEEP_ACTIVE {
                    self.base.args[0] as ProcID
                } else {
                    self.ctx.p
                };
                (b"GC incremental sweep".to_vec(), ResourceID::Proc(p))
            }
            ev::GC_MARK_ASSIST_BEGIN | ev::GC_MARK_ASSIST_ACTIVE | ev::GC_MARK_ASSIST_END => {
                let g = if self.base.typ == ev::GC_MARK_ASSIST_ACTIVE {
                    self.base.args[0] as GoID
                } else {
                    self.ctx.g
                };
                (b"GC mark assist".to_vec(), ResourceID::Goroutine(g))
            }
            _ => return None,
        };
        Some(Range { name, scope })
    }

    /// Mirrors internal/trace/event.go (Event).RangeAttributes (go1.27).
    pub fn range_attributes(&self) -> Vec<(&'static str, u64)> {
        if self.base.typ != ev::GC_SWEEP_END {
            return Vec::new();
        }
        alloc::vec![
            ("bytes swept", self.base.args[0]),
            ("bytes reclaimed", self.base.args[1]),
        ]
    }

    /// Mirrors internal/trace/event.go (Event).Task (go1.27).
    pub fn task(&self) -> Option<Task> {
        let (parent, typ) = match self.base.typ {
            ev::USER_TASK_BEGIN => (self.base.args[1], self.string(self.base.args[2])),
            ev::USER_TASK_END => (
                self.base.get_extra(0),
                self.table().get_extra_string(self.base.get_extra(1)),
            ),
            _ => return None,
        };
        Some(Task {
            id: self.base.args[0],
            parent,
            typ,
        })
    }

    /// Mirrors internal/trace/event.go (Event).Region (go1.27).
    pub fn region(&self) -> Option<Region> {
        matches!(self.base.typ, ev::USER_REGION_BEGIN | ev::USER_REGION_END).then(|| Region {
            task: self.base.args[0],
            typ: self.string(self.base.args[1]),
        })
    }

    /// Mirrors internal/trace/event.go (Event).Log (go1.27).
    pub fn log(&self) -> Option<Log> {
        (self.base.typ == ev::USER_LOG).then(|| Log {
            task: self.base.args[0],
            category: self.string(self.base.args[1]),
            message: self.string(self.base.args[2]),
        })
    }

    /// Mirrors internal/trace/event.go (Event).StateTransition (go1.27).
    pub fn state_transition(&self) -> Option<StateTransition> {
        use GoState as G;
        use ProcState as P;
        let a = &self.base.args;
        let ctx = self.ctx;
        let s = match self.base.typ {
            ev::PROC_START => StateTransition::proc_t(a[0] as ProcID, P::Idle, P::Running),
            ev::PROC_STOP => StateTransition::proc_t(ctx.p, P::Running, P::Idle),
            ev::PROC_STEAL => {
                let before = if self.base.get_extra(0) == proc_status::SYSCALL_ABANDONED {
                    P::Idle
                } else {
                    P::Running
                };
                StateTransition::proc_t(a[0] as ProcID, before, P::Idle)
            }
            ev::PROC_STATUS => StateTransition::proc_t(
                a[0] as ProcID,
                P::from_u64(self.base.get_extra(0)),
                P::from_status(a[1]),
            ),
            ev::GO_CREATE | ev::GO_CREATE_BLOCKED => {
                let to = if self.base.typ == ev::GO_CREATE_BLOCKED {
                    G::Waiting
                } else {
                    G::Runnable
                };
                let mut s = StateTransition::go(a[0] as GoID, G::NotExist, to);
                s.stack = Some(Stack {
                    table: self.table(),
                    id: a[1],
                });
                s
            }
            ev::GO_CREATE_SYSCALL => StateTransition::go(a[0] as GoID, G::NotExist, G::Syscall),
            ev::GO_START => StateTransition::go(a[0] as GoID, G::Runnable, G::Running),
            ev::GO_DESTROY => StateTransition::go(ctx.g, G::Running, G::NotExist),
            ev::GO_DESTROY_SYSCALL => StateTransition::go(ctx.g, G::Syscall, G::NotExist),
            ev::GO_STOP | ev::GO_BLOCK => {
                let to = if self.base.typ == ev::GO_STOP {
                    G::Runnable
                } else {
                    G::Waiting
                };
                let mut s = StateTransition::go(ctx.g, G::Running, to);
                s.reason = self.string(a[0]);
                s.stack = self.stack();
                s
            }
            ev::GO_UNBLOCK | ev::GO_SWITCH | ev::GO_SWITCH_DESTROY => {
                StateTransition::go(a[0] as GoID, G::Waiting, G::Runnable)
            }
            ev::GO_SYSCALL_BEGIN => {
                let mut s = StateTransition::go(ctx.g, G::Running, G::Syscall);
                s.stack = self.stack();
                s
            }
            ev::GO_SYSCALL_END => StateTransition::go(ctx.g, G::Syscall, G::Running),
            ev::GO_SYSCALL_END_BLOCKED => StateTransition::go(ctx.g, G::Syscall, G::Runnable),
            ev::GO_STATUS | ev::GO_STATUS_STACK => {
                let packed = a[2];
                let (from, to) = (packed >> 32, packed & 0xffff_ffff);
                let mut s =
                    StateTransition::go(a[0] as GoID, G::from_u64(from), G::from_status(to));
                s.stack = self.stack();
                s
            }
            _ => return None,
        };
        Some(s)
    }

    /// Mirrors internal/trace/event.go (Event).Sync (go1.27).
    pub fn sync(&self) -> Option<Sync> {
        if self.base.typ != ev::SYNC_EVENT {
            return None;
        }
        let mut s = Sync {
            n: self.base.args[0],
            clock_snapshot: None,
            experimental_batches: Vec::new(),
        };
        if let Some(t) = &self.table {
            for (exp, batches) in &t.exp_batches {
                let name = spec::EXPERIMENTS.get(*exp as usize).copied().unwrap_or("");
                s.experimental_batches.push((name, batches.clone()));
            }
            if t.sync.has_clock_snapshot {
                s.clock_snapshot = Some(ClockSnapshot {
                    trace: t.sync.freq.mul(t.sync.snap_time),
                    wall_sec: t.sync.snap_sec,
                    wall_nsec: t.sync.snap_nsec,
                    mono: t.sync.snap_mono,
                });
            }
        }
        Some(s)
    }

    /// Mirrors internal/trace/event.go (Event).Experimental (go1.27).
    pub fn experimental(&self) -> Option<ExperimentalEvent> {
        if self.kind() != EventKind::Experimental {
            return None;
        }
        let s = spec::spec(self.base.typ);
        let args = &s.args[1..];
        Some(ExperimentalEvent {
            name: s.name,
            experiment: spec::EXPERIMENTS
                .get(s.experiment as usize)
                .copied()
                .unwrap_or(""),
            args,
            arg_values: self.base.args[..args.len()].to_vec(),
        })
    }

    /// Mirrors internal/trace/event.go (Event).String (go1.27): the text
    /// `go tool trace -d=parsed` prints for the event, byte for byte
    /// (without the line break `fmt.Println` adds). The wall clock of a
    /// Sync event is written in UTC; Go writes it in the local time zone.
    pub fn write_string(&self, out: &mut Vec<u8>) {
        // "M={} P={} G={} {} Time={}", without the formatting machinery
        // (this line starts every one of the millions of events).
        out.extend_from_slice(b"M=");
        push_i64(out, self.ctx.m);
        out.extend_from_slice(b" P=");
        push_i64(out, self.ctx.p);
        out.extend_from_slice(b" G=");
        push_i64(out, self.ctx.g);
        out.push(b' ');
        out.extend_from_slice(self.kind().name().as_bytes());
        out.extend_from_slice(b" Time=");
        push_i64(out, self.base.time);
        match self.kind() {
            EventKind::Metric => {
                if let Some(m) = self.metric() {
                    out.extend_from_slice(b" Name=");
                    quote(out, m.name.as_bytes());
                    push_fmt(out, format_args!(" Value=Value{{Uint64({})}}", m.value));
                }
            }
            EventKind::Label => {
                if let Some((label, res)) = self.label() {
                    out.extend_from_slice(b" Label=");
                    quote(out, &label);
                    out.extend_from_slice(b" Resource=");
                    res.write(out);
                }
            }
            kind @ (EventKind::RangeBegin | EventKind::RangeActive | EventKind::RangeEnd) => {
                if let Some(r) = self.range() {
                    out.extend_from_slice(b" Name=");
                    quote(out, &r.name);
                    out.extend_from_slice(b" Scope=");
                    r.scope.write(out);
                    if kind == EventKind::RangeEnd {
                        out.extend_from_slice(b" Attributes=[");
                        for (i, (name, v)) in self.range_attributes().iter().enumerate() {
                            if i != 0 {
                                out.push(b' ');
                            }
                            quote(out, name.as_bytes());
                            push_fmt(out, format_args!("=Value{{Uint64({v})}}"));
                        }
                        out.push(b']');
                    }
                }
            }
            EventKind::TaskBegin | EventKind::TaskEnd => {
                if let Some(t) = self.task() {
                    push_fmt(out, format_args!(" ID={} Parent={} Type=", t.id, t.parent));
                    quote(out, &t.typ);
                }
            }
            EventKind::RegionBegin | EventKind::RegionEnd => {
                if let Some(r) = self.region() {
                    push_fmt(out, format_args!(" Task={} Type=", r.task));
                    quote(out, &r.typ);
                }
            }
            EventKind::Log => {
                if let Some(l) = self.log() {
                    push_fmt(out, format_args!(" Task={} Category=", l.task));
                    quote(out, &l.category);
                    out.extend_from_slice(b" Message=");
                    quote(out, &l.message);
                }
            }
            EventKind::StateTransition => {
                if let Some(s) = self.state_transition() {
                    match s.resource {
                        ResourceID::Goroutine(id) => {
                            let (old, new) = s.goroutine();
                            push_fmt(
                                out,
                                format_args!(" GoID={id} {}->{}", old.name(), new.name()),
                            );
                        }
                        ResourceID::Proc(id) => {
                            let (old, new) = s.proc();
                            push_fmt(
                                out,
                                format_args!(" ProcID={id} {}->{}", old.name(), new.name()),
                            );
                        }
                        _ => {}
                    }
                    out.extend_from_slice(b" Reason=");
                    quote(out, &s.reason);
                    if let Some(stk) = &s.stack {
                        out.extend_from_slice(b"\nTransitionStack=\n");
                        print_stack(out, b"\t", stk);
                    }
                }
            }
            EventKind::Experimental => {
                if let Some(x) = self.experimental() {
                    push_fmt(out, format_args!(" Name={} Args=[", x.name));
                    for (i, (arg, v)) in x.args.iter().zip(&x.arg_values).enumerate() {
                        if i != 0 {
                            out.extend_from_slice(b", ");
                        }
                        if arg.ends_with("string") {
                            push_fmt(out, format_args!("{arg}="));
                            out.extend_from_slice(&self.string(*v));
                        } else {
                            push_fmt(out, format_args!("{arg}=Value{{Uint64({v})}}"));
                        }
                    }
                    out.push(b']');
                }
            }
            EventKind::Sync => {
                if let Some(s) = self.sync() {
                    push_fmt(out, format_args!(" N={}", s.n));
                    if let Some(c) = s.clock_snapshot {
                        push_fmt(
                            out,
                            format_args!(" Trace={} Mono={} Wall=", c.trace, c.mono),
                        );
                        rfc3339_nano(out, c.wall_sec as i64, c.wall_nsec as i64);
                    }
                }
            }
            EventKind::StackSample | EventKind::Bad => {}
        }
        if let Some(stk) = self.stack() {
            out.extend_from_slice(b"\nStack=\n");
            print_stack(out, b"\t", &stk);
        }
    }
}

impl core::fmt::Display for Event {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut out = Vec::new();
        self.write_string(&mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

/// `v` in decimal, as `{}` writes it.
pub(crate) fn push_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// `v` in decimal, as `{}` writes it.
pub(crate) fn push_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    push_u64(out, v.unsigned_abs());
}

/// `v` in hexadecimal after `0x`, as `{:#x}` writes it.
pub(crate) fn push_hex(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 18];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b"0123456789abcdef"[(v & 15) as usize];
        v >>= 4;
        if v == 0 {
            break;
        }
    }
    i -= 2;
    buf[i] = b'0';
    buf[i + 1] = b'x';
    out.extend_from_slice(&buf[i..]);
}

/// Formats into a byte buffer.
pub(crate) fn push_fmt(out: &mut Vec<u8>, args: core::fmt::Arguments<'_>) {
    struct W<'a>(&'a mut Vec<u8>);
    impl core::fmt::Write for W<'_> {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            self.0.extend_from_slice(s.as_bytes());
            Ok(())
        }
    }
    let _ = W(out).write_fmt(args);
}

/// Mirrors strconv/quote.go `Quote` (go1.27): a double-quoted Go string
/// literal. Go keeps every printable Unicode character as it is; this
/// keeps every character except the controls, the line and paragraph
/// separators, the soft hyphen and the byte order mark, and escapes those
/// (the rest of Go's non-printable set, unassigned code points among
/// them, is kept here).
pub(crate) fn quote(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    let mut rest = s;
    while !rest.is_empty() {
        // A run of printable ASCII that needs no escape, copied at once.
        let plain = rest
            .iter()
            .position(|&b| !(0x20..0x7f).contains(&b) || b == b'"' || b == b'\\')
            .unwrap_or(rest.len());
        if plain > 0 {
            out.extend_from_slice(&rest[..plain]);
            rest = &rest[plain..];
            continue;
        }
        let (c, n) = decode_rune(rest);
        let Some(c) = c else {
            push_fmt(out, format_args!("\\x{:02x}", rest[0]));
            rest = &rest[1..];
            continue;
        };
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\x07' => out.extend_from_slice(b"\\a"),
            '\x08' => out.extend_from_slice(b"\\b"),
            '\x0c' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\x0b' => out.extend_from_slice(b"\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                push_fmt(out, format_args!("\\x{:02x}", c as u32));
            }
            c if (0x80..0xa0).contains(&(c as u32))
                || matches!(c, '\u{ad}' | '\u{2028}' | '\u{2029}' | '\u{feff}') =>
            {
                push_fmt(out, format_args!("\\u{:04x}", c as u32));
            }
            _ => out.extend_from_slice(&rest[..n]),
        }
        rest = &rest[n..];
    }
    out.push(b'"');
}

/// The first UTF-8 character of `s` and its length; `None` (length 1)
/// for a byte that does not start a valid character.
fn decode_rune(s: &[u8]) -> (Option<char>, usize) {
    let n = match s[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return (None, 1),
    };
    match s.get(..n).map(core::str::from_utf8) {
        Some(Ok(t)) => (t.chars().next(), n),
        _ => (None, 1),
    }
}

/// Mirrors time/format.go `RFC3339Nano` (go1.27) for a time in UTC: the
/// date, the time, the nanoseconds without trailing zeros, and `Z`.
fn rfc3339_nano(out: &mut Vec<u8>, sec: i64, nsec: i64) {
    // time.Unix normalises nsec into [0, 1e9).
    let mut sec = sec;
    let mut nsec = nsec;
    if !(0..1_000_000_000).contains(&nsec) {
        sec = sec.wrapping_add(nsec.div_euclid(1_000_000_000));
        nsec = nsec.rem_euclid(1_000_000_000);
    }
    let days = sec.div_euclid(86_400);
    let secs = sec.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    push_fmt(
        out,
        format_args!(
            "{:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            y,
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        ),
    );
    if nsec != 0 {
        let mut digits = alloc::format!("{nsec:09}");
        while digits.ends_with('0') {
            digits.pop();
        }
        out.push(b'.');
        out.extend_from_slice(digits.as_bytes());
    }
    out.push(b'Z');
}

/// The proleptic Gregorian date of a day count from 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}
