//! A real trace as the scheduler's lanes: at each event, which goroutine
//! each P runs and on which M, which goroutines are runnable, in system
//! calls or waiting (and why), whether a GC cycle or a stop-the-world
//! pause is under way, and the heap and its goal.
//!
//! [`Builder`] reads a trace with [`Reader`] and keeps each event that
//! changes that picture as a [`Step`] (24 bytes), plus a full [`State`] at
//! intervals (a keyframe), so that [`Lanes::state_at`] reaches any step by
//! replaying at most one interval. The builder works in slices
//! ([`Builder::advance`]), so that a page can read a large trace without
//! blocking and show its progress.
//!
//! What it leaves out, and says so where it is shown: CPU samples, user
//! tasks and regions, and experimental events are not steps (user logs
//! are); the heap metrics are a series beside the steps, not steps. The
//! trace does not say which P's run queue a runnable goroutine waits in,
//! so runnable goroutines are drawn as one group. A goroutine's state at
//! the start of the trace comes from the trace's first status events; the
//! status events of later generations only restate what is known and are
//! kept only where they change it.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::{Event, EventKind, GoID, GoState, ProcState, Reader, ResourceID, ThreadID, Time};
use super::{TraceError, NO_GOROUTINE, NO_PROC, NO_THREAD};

/// "None" for a goroutine, location or reason index.
pub const NONE: u32 = u32::MAX;
/// "None" for a P or M index.
pub const NONE16: u16 = u16::MAX;
/// Replay at most about this many steps to reach any step, or
/// [`STEPS_PER_LIVE_G`] for each live goroutine, whichever is more: a
/// keyframe holds each live goroutine (16 bytes), so that its cost stays
/// near a byte a step.
const KEYFRAME_EVERY: u32 = 2048;
const STEPS_PER_LIVE_G: u32 = 16;
/// Times are kept in 48 bits of nanoseconds from the trace's first event
/// (about 78 hours).
const TIME_BITS: u32 = 48;

/// What one step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum StepKind {
    /// Step 0: the trace begins; the state holds what its first status
    /// events said.
    Begin,
    GoCreate,
    GoCreateBlocked,
    GoCreateSyscall,
    GoStart,
    GoStop,
    GoBlock,
    GoUnblock,
    GoDestroy,
    SyscallBegin,
    SyscallEnd,
    SyscallEndBlocked,
    /// A later status event that changed what was known (`arg`: the new
    /// [`GState`] as a number).
    GoStatus,
    ProcStart,
    ProcStop,
    /// The P is taken from an M whose goroutine is in a system call.
    ProcSteal,
    /// `arg`: 1 running, 0 idle, 2 gone.
    ProcStatus,
    GcBegin,
    GcEnd,
    StwBegin,
    StwEnd,
    SweepBegin,
    SweepEnd,
    AssistBegin,
    AssistEnd,
    /// GOMAXPROCS changed (`arg`: the new value).
    Procs,
    /// A `runtime/trace.Log` message (`arg`: its index in [`Lanes::logs`]).
    Log,
}

/// One event that changes the picture. `g` is the goroutine it is about,
/// `by` the one whose code made it happen (the creator, the waker), `arg`
/// a location in [`Lanes::locs`] or a value, as [`StepKind`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    time: Time,
    p: u16,
    /// The goroutine (a dense index into [`Lanes::gs`]), or [`NONE`].
    pub g: u32,
    /// The goroutine whose code did it, or [`NONE`].
    pub by: u32,
    /// A location, a value or [`NONE`].
    pub arg: u32,
    /// The M (a dense index into [`Lanes::threads`]), or [`NONE16`].
    pub m: u16,
    /// What happened.
    pub kind: StepKind,
    /// The reason (an index into [`Lanes::reasons`]), or `u8::MAX`.
    pub reason: u8,
}

impl Step {
    /// Nanoseconds since the trace's first event.
    pub fn time(&self) -> Time {
        self.time
    }
    /// The P, or [`NONE16`].
    pub fn p(&self) -> u16 {
        self.p
    }
}

/// Step 0 of every trace.
const BEGIN: Step = Step {
    time: 0,
    p: NONE16,
    g: NONE,
    by: NONE,
    arg: NONE,
    m: NONE16,
    kind: StepKind::Begin,
    reason: u8::MAX,
};

/// Every kind, by its number in [`Steps`]' encoding.
const KINDS: [StepKind; 27] = [
    StepKind::Begin,
    StepKind::GoCreate,
    StepKind::GoCreateBlocked,
    StepKind::GoCreateSyscall,
    StepKind::GoStart,
    StepKind::GoStop,
    StepKind::GoBlock,
    StepKind::GoUnblock,
    StepKind::GoDestroy,
    StepKind::SyscallBegin,
    StepKind::SyscallEnd,
    StepKind::SyscallEndBlocked,
    StepKind::GoStatus,
    StepKind::ProcStart,
    StepKind::ProcStop,
    StepKind::ProcSteal,
    StepKind::ProcStatus,
    StepKind::GcBegin,
    StepKind::GcEnd,
    StepKind::StwBegin,
    StepKind::StwEnd,
    StepKind::SweepBegin,
    StepKind::SweepEnd,
    StepKind::AssistBegin,
    StepKind::AssistEnd,
    StepKind::Procs,
    StepKind::Log,
];

/// Steps are kept encoded, about 9 bytes each instead of 32: a kind byte,
/// then varints of the time since the step before, and of `g`, `by`,
/// `arg`, `p` and `m` plus one (so that "none" is 0), then the reason.
/// Every [`MARK_EVERY`] steps a mark holds where the next step starts and
/// the time before it, for random access. The bytes are in chunks of
/// [`CHUNK_BYTES`], so that growing never copies the whole stream.
#[derive(Clone, Debug, Default)]
pub struct Steps {
    chunks: Vec<Vec<u8>>,
    marks: Vec<(u32, u32, Time)>,
    len: u32,
    last_time: Time,
}

const MARK_EVERY: u32 = 64;
const CHUNK_BYTES: usize = 1 << 18;
/// The most bytes one encoded step takes.
const MAX_STEP_BYTES: usize = 1 + 10 + 4 * 5 + 3 + 1;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(data: &[u8], at: &mut usize) -> u64 {
    let mut v = 0_u64;
    let mut shift = 0;
    while let Some(&b) = data.get(*at) {
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift >= 64 {
            break;
        }
    }
    v
}

impl Steps {
    /// How many steps there are.
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes the encoded steps and their marks take.
    pub fn bytes(&self) -> usize {
        self.chunks.iter().map(Vec::len).sum::<usize>()
            + self.marks.capacity() * size_of::<(u32, u32, Time)>()
    }

    fn push(&mut self, s: &Step) {
        let need_chunk = self
            .chunks
            .last()
            .is_none_or(|c| c.len() + MAX_STEP_BYTES > c.capacity());
        if need_chunk {
            self.chunks.push(Vec::with_capacity(CHUNK_BYTES));
        }
        let chunk = self.chunks.len() - 1;
        let out = &mut self.chunks[chunk];
        if self.len % MARK_EVERY == 0 {
            self.marks
                .push((chunk as u32, out.len() as u32, self.last_time));
        }
        let plus = |v: u32| u64::from(v.wrapping_add(1));
        let kind = KINDS.iter().position(|k| *k == s.kind).unwrap_or(0) as u8;
        // The kind in 5 bits, and which of `by`, `arg` and the reason
        // follow (each is often none).
        let (has_by, has_arg, has_reason) = (s.by != NONE, s.arg != NONE, s.reason != u8::MAX);
        out.push(kind | u8::from(has_by) << 5 | u8::from(has_arg) << 6 | u8::from(has_reason) << 7);
        put_varint(out, (s.time - self.last_time).max(0) as u64);
        put_varint(out, plus(s.g));
        if has_by {
            put_varint(out, u64::from(s.by));
        }
        if has_arg {
            put_varint(out, u64::from(s.arg));
        }
        put_varint(out, u64::from(s.p.wrapping_add(1)));
        put_varint(out, u64::from(s.m.wrapping_add(1)));
        if has_reason {
            out.push(s.reason);
        }
        self.last_time = s.time.max(self.last_time);
        self.len += 1;
    }

    /// The steps from `from` on, with their numbers.
    pub fn iter_from(&self, from: u32) -> StepIter<'_> {
        let mark = (from / MARK_EVERY) as usize;
        let Some(&(chunk, offset, time)) = self.marks.get(mark) else {
            return StepIter {
                steps: self,
                chunk: 0,
                at: 0,
                time: 0,
                next: self.len,
            };
        };
        let mut it = StepIter {
            steps: self,
            chunk: chunk as usize,
            at: offset as usize,
            time,
            next: mark as u32 * MARK_EVERY,
        };
        while it.next < from {
            it.next();
        }
        it
    }

    /// Step `i`.
    pub fn get(&self, i: u32) -> Option<Step> {
        self.iter_from(i).next().map(|(_, s)| s)
    }

    /// The number of steps whose time is below `t` (`strict`) or at most `t`.
    fn count_before(&self, t: Time, strict: bool) -> u32 {
        let below = |x: Time| if strict { x < t } else { x <= t };
        // The first mark whose block starts past `t`: the answer is in the
        // block before it.
        let mut lo = 0;
        let mut hi = self.marks.len();
        while lo < hi {
            let mid = (lo + hi) / 2;
            let first = self
                .iter_from(mid as u32 * MARK_EVERY)
                .next()
                .map(|(_, s)| s.time);
            if first.is_some_and(below) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let start = lo.saturating_sub(1) as u32 * MARK_EVERY;
        let mut n = start;
        for (i, s) in self.iter_from(start) {
            if !below(s.time) {
                return i;
            }
            n = i + 1;
        }
        n
    }
}

/// Decodes [`Steps`] in order.
#[derive(Clone, Debug)]
pub struct StepIter<'a> {
    steps: &'a Steps,
    chunk: usize,
    at: usize,
    time: Time,
    next: u32,
}

impl Iterator for StepIter<'_> {
    type Item = (u32, Step);

    fn next(&mut self) -> Option<(u32, Step)> {
        if self.next >= self.steps.len {
            return None;
        }
        let mut data = self.steps.chunks.get(self.chunk)?;
        if self.at >= data.len() {
            self.chunk += 1;
            self.at = 0;
            data = self.steps.chunks.get(self.chunk)?;
        }
        let at = &mut self.at;
        let head = data[*at];
        let kind = KINDS
            .get((head & 0x1f) as usize)
            .copied()
            .unwrap_or(StepKind::Begin);
        *at += 1;
        self.time += get_varint(data, at) as Time;
        let g = (get_varint(data, at) as u32).wrapping_sub(1);
        let by = if head & 1 << 5 != 0 {
            get_varint(data, at) as u32
        } else {
            NONE
        };
        let arg = if head & 1 << 6 != 0 {
            get_varint(data, at) as u32
        } else {
            NONE
        };
        let p = (get_varint(data, at) as u16).wrapping_sub(1);
        let m = (get_varint(data, at) as u16).wrapping_sub(1);
        let reason = if head & 1 << 7 != 0 {
            let r = data.get(*at).copied().unwrap_or(u8::MAX);
            *at += 1;
            r
        } else {
            u8::MAX
        };
        let i = self.next;
        self.next += 1;
        Some((
            i,
            Step {
                time: self.time,
                p,
                g,
                by,
                arg,
                m,
                kind,
                reason,
            },
        ))
    }
}

/// Where an event happened in the program's source.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loc {
    /// The function.
    pub func: Box<str>,
    /// The file's last path element.
    pub file: Box<str>,
    /// The line.
    pub line: u32,
}

/// A goroutine of the trace.
#[derive(Clone, Debug)]
pub struct GInfo {
    /// Its ID in the trace (`G17`).
    pub id: GoID,
    /// Its entry function, where known ([`NONE`] otherwise): an index
    /// into [`Lanes::locs`].
    pub entry: u32,
}

/// A goroutine's state, as the lanes draw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum GState {
    /// Not created yet, ended, or not known.
    NotExist,
    Runnable,
    Running,
    Waiting,
    Syscall,
}

impl GState {
    fn of(s: GoState) -> GState {
        match s {
            GoState::Runnable => GState::Runnable,
            GoState::Running => GState::Running,
            GoState::Waiting => GState::Waiting,
            GoState::Syscall => GState::Syscall,
            _ => GState::NotExist,
        }
    }
    fn from_arg(a: u32) -> GState {
        match a {
            1 => GState::Runnable,
            2 => GState::Running,
            3 => GState::Waiting,
            4 => GState::Syscall,
            _ => GState::NotExist,
        }
    }
    fn as_arg(self) -> u32 {
        match self {
            GState::NotExist => 0,
            GState::Runnable => 1,
            GState::Running => 2,
            GState::Waiting => 3,
            GState::Syscall => 4,
        }
    }
}

/// One goroutine at one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GNow {
    /// Its state.
    pub state: GState,
    /// Why it waits or last stopped (an index into [`Lanes::reasons`]).
    pub reason: u8,
    /// Whether it is in a mark assist.
    pub assist: bool,
    /// The P it runs on or holds in a system call, or [`NONE16`].
    pub p: u16,
    /// The M it runs on, or [`NONE16`].
    pub m: u16,
    /// The step at which it entered this state.
    pub since: u32,
}

const GONE: GNow = GNow {
    state: GState::NotExist,
    reason: u8::MAX,
    assist: false,
    p: NONE16,
    m: NONE16,
    since: 0,
};

/// One P at one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PNow {
    /// Whether it exists (GOMAXPROCS may have dropped it).
    pub exists: bool,
    /// Whether it is running (held by an M) rather than idle.
    pub running: bool,
    /// The goroutine it runs (or whose system call holds it), or [`NONE`].
    pub g: u32,
    /// The M that holds it, or [`NONE16`].
    pub m: u16,
    /// Whether it is sweeping.
    pub sweeping: bool,
}

const NO_P: PNow = PNow {
    exists: false,
    running: false,
    g: NONE,
    m: NONE16,
    sweeping: false,
};

/// Everything drawn at one step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// The step this is the state after.
    pub step: u32,
    /// Every goroutine, by dense index ([`Lanes::gs`]).
    pub gs: Vec<GNow>,
    /// Every P, by ID.
    pub procs: Vec<PNow>,
    /// The step at which the running GC cycle's mark phase began.
    pub gc: Option<u32>,
    /// The step at which the world stopped, and why (a reason index).
    pub stw: Option<(u32, u8)>,
    /// GOMAXPROCS.
    pub gomaxprocs: u32,
    /// GC cycles begun so far.
    pub gc_cycles: u32,
}

impl State {
    fn g_mut(&mut self, g: u32) -> Option<&mut GNow> {
        self.gs.get_mut(g as usize)
    }
    fn p_mut(&mut self, p: u16) -> Option<&mut PNow> {
        if p == NONE16 {
            return None;
        }
        let i = p as usize;
        if self.procs.len() <= i {
            self.procs.resize(i + 1, NO_P);
        }
        self.procs.get_mut(i)
    }

    fn set_g(&mut self, at: u32, g: u32, state: GState, s: &Step) {
        let Some(now) = self.g_mut(g) else { return };
        if state == GState::NotExist {
            // As a keyframe restores it: nothing kept of a goroutine gone.
            *now = GONE;
            return;
        }
        if now.state != state {
            now.since = at;
        }
        now.state = state;
        match state {
            GState::Running => {
                now.p = s.p();
                now.m = s.m;
            }
            GState::Syscall => {
                if s.p() != NONE16 {
                    now.p = s.p();
                }
                if s.m != NONE16 {
                    now.m = s.m;
                }
            }
            // A goroutine in a mark assist stays in it while it waits
            // for work (the runtime parks it on the assist queue).
            _ => {
                now.p = NONE16;
                now.m = NONE16;
            }
        }
    }

    /// The P that ran `g` lets it go.
    fn release(&mut self, g: u32, p: u16) {
        if let Some(pp) = self.p_mut(p) {
            if pp.g == g {
                pp.g = NONE;
            }
        }
    }

    /// Applies one step: the one function both the builder and
    /// [`Lanes::state_at`] use, so that replaying gives what was built.
    fn apply(&mut self, at: u32, s: &Step) {
        self.step = at;
        let p = s.p();
        if p != NONE16 && s.m != NONE16 {
            // Any event on a P and an M shows that M holds that P.
            if let Some(pp) = self.p_mut(p) {
                if pp.exists && pp.running {
                    pp.m = s.m;
                }
            }
        }
        match s.kind {
            StepKind::Begin => {}
            StepKind::GoCreate => self.set_g(at, s.g, GState::Runnable, s),
            StepKind::GoCreateBlocked => self.set_g(at, s.g, GState::Waiting, s),
            StepKind::GoCreateSyscall => self.set_g(at, s.g, GState::Syscall, s),
            StepKind::GoStart => {
                self.set_g(at, s.g, GState::Running, s);
                if let Some(pp) = self.p_mut(p) {
                    pp.exists = true;
                    pp.running = true;
                    pp.g = s.g;
                    pp.m = s.m;
                }
            }
            StepKind::GoStop | StepKind::GoBlock | StepKind::GoDestroy => {
                let old_p = self.gs.get(s.g as usize).map_or(p, |g| g.p);
                let to = match s.kind {
                    StepKind::GoStop => GState::Runnable,
                    StepKind::GoBlock => GState::Waiting,
                    _ => GState::NotExist,
                };
                self.set_g(at, s.g, to, s);
                if let Some(g) = self.g_mut(s.g) {
                    g.reason = s.reason;
                }
                self.release(s.g, if old_p == NONE16 { p } else { old_p });
            }
            StepKind::GoUnblock => {
                self.set_g(at, s.g, GState::Runnable, s);
                if let Some(g) = self.g_mut(s.g) {
                    g.reason = u8::MAX;
                }
            }
            StepKind::SyscallBegin => self.set_g(at, s.g, GState::Syscall, s),
            StepKind::SyscallEnd => {
                self.set_g(at, s.g, GState::Running, s);
                if let Some(pp) = self.p_mut(p) {
                    pp.exists = true;
                    pp.running = true;
                    pp.g = s.g;
                }
            }
            StepKind::SyscallEndBlocked => {
                let old_p = self.gs.get(s.g as usize).map_or(NONE16, |g| g.p);
                self.set_g(at, s.g, GState::Runnable, s);
                self.release(s.g, old_p);
            }
            StepKind::GoStatus => {
                let to = GState::from_arg(s.arg);
                self.set_g(at, s.g, to, s);
                if to == GState::Running || to == GState::Syscall {
                    if let Some(pp) = self.p_mut(p) {
                        pp.exists = true;
                        pp.running = true;
                        pp.g = s.g;
                    }
                }
                if let Some(g) = self.g_mut(s.g) {
                    g.reason = s.reason;
                }
            }
            StepKind::ProcStart => {
                if let Some(pp) = self.p_mut(s.arg as u16) {
                    pp.exists = true;
                    pp.running = true;
                    pp.m = s.m;
                }
            }
            StepKind::ProcStop => {
                let gone = u32::from(p) >= self.gomaxprocs && self.gomaxprocs > 0;
                if let Some(pp) = self.p_mut(p) {
                    if gone {
                        pp.exists = false;
                    }
                    pp.running = false;
                    pp.g = NONE;
                    pp.m = NONE16;
                    pp.sweeping = false;
                }
            }
            StepKind::ProcSteal => {
                let stolen = s.arg as u16;
                let held = self.procs.get(stolen as usize).map_or(NONE, |pp| pp.g);
                if let Some(g) = self.g_mut(held) {
                    if g.state == GState::Syscall && g.p == stolen {
                        g.p = NONE16;
                    }
                }
                if let Some(pp) = self.p_mut(stolen) {
                    pp.running = false;
                    pp.g = NONE;
                    pp.m = NONE16;
                }
            }
            StepKind::ProcStatus => {
                let target = s.g as u16;
                if let Some(pp) = self.p_mut(target) {
                    pp.exists = s.arg != 2;
                    pp.running = s.arg == 1;
                    if !pp.running {
                        pp.g = NONE;
                        pp.m = NONE16;
                    } else if s.m != NONE16 {
                        pp.m = s.m;
                    }
                }
            }
            StepKind::GcBegin => {
                if self.gc.is_none() {
                    self.gc_cycles += 1;
                }
                self.gc = Some(at);
            }
            StepKind::GcEnd => self.gc = None,
            StepKind::StwBegin => self.stw = Some((at, s.reason)),
            StepKind::StwEnd => self.stw = None,
            StepKind::SweepBegin | StepKind::SweepEnd => {
                let on = s.kind == StepKind::SweepBegin;
                if let Some(pp) = self.p_mut(s.arg as u16) {
                    pp.sweeping = on;
                }
            }
            StepKind::AssistBegin | StepKind::AssistEnd => {
                let on = s.kind == StepKind::AssistBegin;
                if let Some(g) = self.g_mut(s.g) {
                    g.assist = on;
                }
            }
            StepKind::Procs => {
                self.gomaxprocs = s.arg;
                let n = s.arg as usize;
                if self.procs.len() < n {
                    self.procs.resize(n, NO_P);
                }
                for (i, pp) in self.procs.iter_mut().enumerate() {
                    if i < n {
                        pp.exists = true;
                    } else if !pp.running {
                        pp.exists = false;
                    }
                }
            }
            StepKind::Log => {}
        }
    }
}

/// A keyframe: the state at one step, with only the goroutines that exist.
#[derive(Clone, Debug)]
struct Keyframe {
    live: Vec<(u32, GNow)>,
    procs: Vec<PNow>,
    gc: Option<u32>,
    stw: Option<(u32, u8)>,
    gomaxprocs: u32,
    gc_cycles: u32,
    step: u32,
}

/// A trace that could not be read to its end: why, and the lanes up to
/// the break when there are steps before it.
#[derive(Debug)]
pub struct Broken {
    /// The lanes before the break.
    pub partial: Option<Box<Lanes>>,
    /// What is wrong.
    pub error: TraceError,
}

/// A trace, read into lanes. Build it with [`Builder`] or [`Lanes::read`].
#[derive(Clone, Debug, Default)]
pub struct Lanes {
    /// Every step, in order. Step 0 is [`StepKind::Begin`].
    pub steps: Steps,
    /// Every goroutine seen, in the order first seen.
    pub gs: Vec<GInfo>,
    /// Every M seen: its thread ID in the trace.
    pub threads: Vec<ThreadID>,
    /// Source locations.
    pub locs: Vec<Loc>,
    /// Reasons (for waiting, stopping and stopping the world), as the
    /// trace spells them.
    pub reasons: Vec<Box<str>>,
    /// User log messages: category and message.
    pub logs: Vec<(Box<str>, Box<str>)>,
    /// The heap's allocated bytes over time (nanoseconds from the start).
    pub heap: Vec<(Time, u64)>,
    /// The heap goal over time.
    pub goal: Vec<(Time, u64)>,
    /// The steps at which a GC cycle's mark phase begins.
    pub gc_marks: Vec<u32>,
    /// The steps at which the world stops.
    pub stw_marks: Vec<u32>,
    /// Each GC mark phase: when it began and ended (`None`: it had not
    /// ended when the trace did).
    pub gc_spans: Vec<(Time, Option<Time>)>,
    /// The trace's first event's time, on its own clock.
    pub start: Time,
    /// Nanoseconds from the first event to the last.
    pub duration: Time,
    /// How many events the reader gave (steps are a part of them).
    pub events: u64,
    /// The trace's header version (`go 1.N trace`).
    pub version: u32,
    keyframes: Vec<Keyframe>,
}

impl Lanes {
    /// Reads a whole trace. On an error, the lanes up to the break come
    /// with it.
    pub fn read(data: &[u8]) -> Result<Lanes, Broken> {
        let mut b = Builder::new(data).map_err(|error| Broken {
            partial: None,
            error,
        })?;
        loop {
            match b.advance(1 << 16) {
                Ok(true) => return Ok(b.finish()),
                Ok(false) => {}
                Err(error) => {
                    return Err(Broken {
                        partial: b.finish_partial().map(Box::new),
                        error,
                    })
                }
            }
        }
    }

    /// Step `at` (clamped to the last).
    pub fn step(&self, at: u32) -> Step {
        self.steps.get(at.min(self.last())).unwrap_or(BEGIN)
    }

    /// The last step.
    pub fn last(&self) -> u32 {
        self.steps.len().saturating_sub(1)
    }

    /// The state after step `at` (clamped to the last).
    pub fn state_at(&self, at: u32) -> State {
        let at = at.min(self.last());
        let k = self
            .keyframes
            .partition_point(|k| k.step <= at)
            .saturating_sub(1);
        let Some(kf) = self.keyframes.get(k) else {
            return State::default();
        };
        let mut s = State {
            step: kf.step,
            gs: alloc::vec![GONE; self.gs.len()],
            procs: kf.procs.clone(),
            gc: kf.gc,
            stw: kf.stw,
            gomaxprocs: kf.gomaxprocs,
            gc_cycles: kf.gc_cycles,
        };
        for &(g, now) in &kf.live {
            if let Some(slot) = s.gs.get_mut(g as usize) {
                *slot = now;
            }
        }
        for (i, step) in self.steps.iter_from(kf.step + 1) {
            if i > at {
                break;
            }
            s.apply(i, &step);
        }
        s
    }

    /// The first step at or after trace time `t` (nanoseconds from the
    /// start), or the last step.
    pub fn step_at_time(&self, t: Time) -> u32 {
        self.steps.count_before(t, true).min(self.last())
    }

    /// The last step at or before trace time `t`.
    pub fn step_before_time(&self, t: Time) -> u32 {
        self.steps
            .count_before(t, false)
            .saturating_sub(1)
            .min(self.last())
    }

    /// A value of a series at time `t`: the last sample at or before it.
    pub fn value_at(series: &[(Time, u64)], t: Time) -> Option<u64> {
        let i = series.partition_point(|&(at, _)| at <= t);
        i.checked_sub(1).map(|i| series[i].1)
    }

    /// The next step after `from` that is about goroutine `g` (it, or
    /// done by it).
    pub fn next_of(&self, g: u32, from: u32) -> Option<u32> {
        self.steps
            .iter_from(from + 1)
            .find(|(_, s)| s.g == g || s.by == g)
            .map(|(i, _)| i)
    }

    /// `G17`, with its entry function where known: `G17 (main.worker)`.
    pub fn g_name(&self, g: u32) -> String {
        let Some(info) = self.gs.get(g as usize) else {
            return String::from("no goroutine");
        };
        match self.locs.get(info.entry as usize) {
            Some(l) => alloc::format!("G{} ({})", info.id, l.func),
            None => alloc::format!("G{}", info.id),
        }
    }

    /// `G17`.
    pub fn g_label(&self, g: u32) -> String {
        match self.gs.get(g as usize) {
            Some(info) => alloc::format!("G{}", info.id),
            None => String::from("G?"),
        }
    }

    /// The reason's text, or "".
    pub fn reason(&self, r: u8) -> &str {
        self.reasons.get(r as usize).map_or("", |r| r)
    }

    /// The group a waiting goroutine's reason belongs to, in plain words:
    /// channel, select, network, sleep, sync, GC, system or other.
    pub fn wait_group(reason: &str) -> &'static str {
        match reason {
            r if r.starts_with("chan") => "channel",
            "select" | "select (no cases)" => "select",
            "network" => "network",
            "sleep" => "sleep",
            r if r.starts_with("sync") || r.starts_with("semacquire") => "sync",
            r if r.starts_with("GC") || r.contains("GC") => "GC",
            "system goroutine wait" | "forever" | "wait for debug call" => "system",
            _ => "other",
        }
    }

    /// What step `at` did, in plain words, with its source line where the
    /// trace gives one.
    pub fn say(&self, at: u32) -> String {
        let Some(s) = self.steps.get(at) else {
            return String::new();
        };
        let g = self.g_name(s.g);
        let p = alloc::format!("P{}", s.p());
        let m = self.m_label(s.m);
        let by = (s.by != NONE && s.by != s.g).then(|| self.g_label(s.by));
        let reason = self.reason(s.reason);
        let mut out = String::new();
        let _ = match s.kind {
            StepKind::Begin => {
                let st = self.state_at(0);
                let live = st.gs.iter().filter(|g| g.state != GState::NotExist).count();
                let running = st.gs.iter().filter(|g| g.state == GState::Running).count();
                write!(
                    out,
                    "The trace begins: {live} goroutines exist, {running} of them running, with GOMAXPROCS={}.",
                    st.gomaxprocs
                )
            }
            StepKind::GoCreate | StepKind::GoCreateBlocked | StepKind::GoCreateSyscall => {
                let how = match s.kind {
                    StepKind::GoCreateBlocked => ", already waiting",
                    StepKind::GoCreateSyscall => ", on a thread in a system call (a cgo callback)",
                    _ => ": it is runnable",
                };
                match by {
                    Some(b) => write!(out, "{b} creates {g}{how}"),
                    None => write!(out, "{g} is created{how}"),
                }
            }
            StepKind::GoStart => write!(out, "{g} starts running on {p} ({m})"),
            StepKind::GoStop => write!(
                out,
                "{g} stops running on {p} ({}) and is runnable again",
                if reason.is_empty() { "stopped" } else { reason }
            ),
            StepKind::GoBlock => {
                write!(out, "{} {}", self.g_label(s.g), blocks_how(reason))
            }
            StepKind::GoUnblock => match by {
                Some(b) => write!(out, "{b} wakes {g}: it is runnable again"),
                None => write!(
                    out,
                    "{g} is woken by the runtime (the network poller, a timer or the scheduler): it is runnable again"
                ),
            },
            StepKind::GoDestroy => write!(out, "{g} returns from its function and ends"),
            StepKind::SyscallBegin => write!(
                out,
                "{} enters a system call on {m}, still holding {p}",
                self.g_label(s.g)
            ),
            StepKind::SyscallEnd => write!(
                out,
                "{} returns from its system call and keeps running on {p}",
                self.g_label(s.g)
            ),
            StepKind::SyscallEndBlocked => write!(
                out,
                "{} returns from its system call, but its P was taken while the call blocked: it is runnable and waits for a P",
                self.g_label(s.g)
            ),
            StepKind::GoStatus => write!(
                out,
                "{g} appears in the trace: {}",
                gstate_words(GState::from_arg(s.arg))
            ),
            StepKind::ProcStart => write!(out, "{m} takes P{} and starts running Go code", s.arg),
            StepKind::ProcStop => write!(out, "{p} goes idle: {m} found nothing to run and lets it go"),
            StepKind::ProcSteal => write!(
                out,
                "P{} is taken from {}, whose goroutine is blocked in a system call, so that another M can run Go code on it",
                s.arg,
                self.m_label(s.m)
            ),
            StepKind::ProcStatus => write!(
                out,
                "The trace restates P{}: {}",
                s.g,
                match s.arg {
                    1 => "running",
                    0 => "idle",
                    _ => "gone",
                }
            ),
            StepKind::GcBegin => write!(
                out,
                "A GC cycle begins its concurrent mark phase: goroutines keep running while the collector marks"
            ),
            StepKind::GcEnd => write!(out, "The GC's mark phase ends; sweeping follows as goroutines allocate"),
            StepKind::StwBegin => write!(out, "The world stops ({reason}): every P pauses its goroutines"),
            StepKind::StwEnd => {
                let began = self.stw_marks[..self.stw_marks.partition_point(|&m| m < at)]
                    .last()
                    .and_then(|&m| self.steps.get(m))
                    .map(|m| m.time());
                match began {
                    Some(t0) => write!(
                        out,
                        "The world starts again after {}",
                        human_ns(s.time() - t0)
                    ),
                    None => write!(out, "The world starts again"),
                }
            }
            StepKind::SweepBegin => write!(out, "P{} sweeps spans before it allocates", s.arg),
            StepKind::SweepEnd => write!(out, "P{} finishes sweeping", s.arg),
            StepKind::AssistBegin => write!(
                out,
                "{g} must help the GC mark (a mark assist): it allocated while marking was behind"
            ),
            StepKind::AssistEnd => write!(out, "{g} finishes its mark assist"),
            StepKind::Procs => write!(out, "GOMAXPROCS is now {}", s.arg),
            StepKind::Log => {
                let (cat, msg) = self
                    .logs
                    .get(s.arg as usize)
                    .map_or(("", ""), |(c, m)| (&**c, &**m));
                if cat.is_empty() {
                    write!(out, "{} logs \"{msg}\"", self.g_label(s.g))
                } else {
                    write!(out, "{} logs [{cat}] \"{msg}\"", self.g_label(s.g))
                }
            }
        };
        let loc = match s.kind {
            StepKind::GoCreate
            | StepKind::GoCreateBlocked
            | StepKind::GoCreateSyscall
            | StepKind::GoStop
            | StepKind::GoBlock
            | StepKind::SyscallBegin
            | StepKind::StwBegin => self.locs.get(s.arg as usize),
            _ => None,
        };
        if let Some(l) = loc {
            let _ = write!(out, " at {}:{} ({})", l.file, l.line, l.func);
        }
        if s.kind != StepKind::Begin {
            out.push('.');
        }
        out
    }

    /// `M3`: Ms are numbered in the order the trace first shows them.
    pub fn m_label(&self, m: u16) -> String {
        if m == NONE16 || m as usize >= self.threads.len() {
            return String::from("no M");
        }
        alloc::format!("M{m}")
    }
}

/// What a goroutine does when it blocks, by the reason the trace gives.
fn blocks_how(reason: &str) -> String {
    match reason {
        "chan receive" => String::from("blocks on a channel receive"),
        "chan send" => String::from("blocks on a channel send"),
        "select" => String::from("blocks in a select"),
        "select (no cases)" => String::from("blocks forever in an empty select"),
        "network" => String::from("waits for the network (parked on the netpoller)"),
        "sleep" => String::from("sleeps (time.Sleep or a timer)"),
        "sync" => String::from("blocks on a sync primitive (a Mutex, WaitGroup or similar)"),
        "sync.(*Cond).Wait" => String::from("waits on a sync.Cond"),
        "forever" => String::from("blocks forever"),
        "" => String::from("blocks"),
        r => alloc::format!("blocks ({r})"),
    }
}

fn gstate_words(s: GState) -> &'static str {
    match s {
        GState::NotExist => "not known",
        GState::Runnable => "runnable",
        GState::Running => "running",
        GState::Waiting => "waiting",
        GState::Syscall => "in a system call",
    }
}

/// A duration in plain units: `850 ns`, `12.3 µs`, `4.56 ms`, `1.20 s`.
pub fn human_ns(ns: Time) -> String {
    let ns = ns.max(0) as u64;
    if ns < 1_000 {
        alloc::format!("{ns} ns")
    } else if ns < 1_000_000 {
        alloc::format!("{}.{} µs", ns / 1_000, (ns % 1_000) / 100)
    } else if ns < 1_000_000_000 {
        alloc::format!("{}.{:02} ms", ns / 1_000_000, (ns % 1_000_000) / 10_000)
    } else {
        alloc::format!(
            "{}.{:02} s",
            ns / 1_000_000_000,
            (ns % 1_000_000_000) / 10_000_000
        )
    }
}

/// Reads a trace into [`Lanes`] a slice at a time.
#[derive(Debug)]
pub struct Builder<'a> {
    reader: Reader<'a>,
    len: usize,
    lanes: Lanes,
    state: State,
    g_index: BTreeMap<GoID, u32>,
    m_index: BTreeMap<ThreadID, u16>,
    loc_index: BTreeMap<Loc, u32>,
    /// The locations of the current generation's stacks, by stack ID.
    stack_locs: BTreeMap<u64, (u32, u32)>,
    stack_table: usize,
    since_key: u32,
    key_every: u32,
    begun: bool,
    first_time: Option<Time>,
    last_time: Time,
}

impl<'a> Builder<'a> {
    /// Reads the header.
    pub fn new(data: &'a [u8]) -> Result<Builder<'a>, TraceError> {
        let reader = Reader::new(data)?;
        let version = reader.version().0;
        let mut lanes = Lanes {
            version,
            ..Lanes::default()
        };
        lanes.steps.push(&BEGIN);
        Ok(Builder {
            reader,
            len: data.len(),
            lanes,
            state: State::default(),
            g_index: BTreeMap::new(),
            m_index: BTreeMap::new(),
            loc_index: BTreeMap::new(),
            stack_locs: BTreeMap::new(),
            stack_table: 0,
            since_key: 0,
            key_every: KEYFRAME_EVERY,
            begun: false,
            first_time: None,
            last_time: 0,
        })
    }

    /// How far it has read, from 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.len == 0 {
            1.0
        } else {
            self.reader.bytes_read() as f64 / self.len as f64
        }
    }

    /// Steps so far.
    pub fn steps(&self) -> usize {
        self.lanes.steps.len() as usize
    }

    /// Reads up to `events` more events; `true` when the trace is done.
    pub fn advance(&mut self, events: u32) -> Result<bool, TraceError> {
        for _ in 0..events {
            match self.reader.read_event()? {
                Some(e) => self.event(&e),
                None => return Ok(true),
            }
        }
        Ok(false)
    }

    /// The lanes read so far, after [`Builder::advance`] said the trace is
    /// done.
    pub fn finish(mut self) -> Lanes {
        self.begin();
        self.lanes.duration = self.last_time;
        self.lanes
    }

    /// The lanes before an error, if there are any steps to show.
    pub fn finish_partial(self) -> Option<Lanes> {
        let l = self.finish();
        (l.steps.len() > 1).then_some(l)
    }

    fn g(&mut self, id: GoID) -> u32 {
        if id == NO_GOROUTINE {
            return NONE;
        }
        if let Some(&i) = self.g_index.get(&id) {
            return i;
        }
        let i = self.lanes.gs.len() as u32;
        self.lanes.gs.push(GInfo { id, entry: NONE });
        self.state.gs.push(GONE);
        self.g_index.insert(id, i);
        i
    }

    fn m(&mut self, id: ThreadID) -> u16 {
        if id == NO_THREAD {
            return NONE16;
        }
        if let Some(&i) = self.m_index.get(&id) {
            return i;
        }
        let n = self.lanes.threads.len();
        if n >= (NONE16 - 1) as usize {
            return NONE16 - 1;
        }
        self.lanes.threads.push(id);
        self.m_index.insert(id, n as u16);
        n as u16
    }

    fn reason(&mut self, r: &[u8]) -> u8 {
        if r.is_empty() {
            return u8::MAX;
        }
        let text = String::from_utf8_lossy(r);
        if let Some(i) = self.lanes.reasons.iter().position(|x| **x == *text) {
            return i as u8;
        }
        if self.lanes.reasons.len() >= (u8::MAX - 1) as usize {
            return u8::MAX - 1;
        }
        self.lanes.reasons.push(text.into());
        (self.lanes.reasons.len() - 1) as u8
    }

    fn loc(&mut self, l: Loc) -> u32 {
        if let Some(&i) = self.loc_index.get(&l) {
            return i;
        }
        let i = self.lanes.locs.len() as u32;
        self.lanes.locs.push(l.clone());
        self.loc_index.insert(l, i);
        i
    }

    /// The source line a stack points at (the first frame of the
    /// program's own code, else the first outside the runtime), and its
    /// outermost function (the goroutine's entry).
    fn stack_locs(&mut self, stack: Option<super::Stack>) -> (u32, u32) {
        let Some(stack) = stack else {
            return (NONE, NONE);
        };
        let (table, id) = stack.cache_key();
        if table != self.stack_table {
            self.stack_table = table;
            self.stack_locs.clear();
        }
        if let Some(&l) = self.stack_locs.get(&id) {
            return l;
        }
        let frames = stack.frames();
        let to_loc = |f: &super::StackFrame| {
            let file = String::from_utf8_lossy(&f.file);
            let base = file.rsplit('/').next().unwrap_or(&file);
            Loc {
                func: String::from_utf8_lossy(&f.func).into(),
                file: base.into(),
                line: f.line.min(u32::MAX as u64) as u32,
            }
        };
        let own = |f: &&super::StackFrame| own_code(&f.func);
        let outside_runtime = |f: &&super::StackFrame| {
            !f.func.starts_with(b"runtime.") && !f.func.starts_with(b"internal/")
        };
        let at = frames
            .iter()
            .find(own)
            .or_else(|| frames.iter().find(outside_runtime))
            .or(frames.first())
            .map(to_loc);
        let entry = frames.last().map(to_loc);
        let l = (
            at.map_or(NONE, |l| self.loc(l)),
            entry.map_or(NONE, |l| self.loc(l)),
        );
        self.stack_locs.insert(id, l);
        l
    }

    /// Ends the trace's opening: the status events so far become step 0's
    /// state.
    fn begin(&mut self) {
        if self.begun {
            return;
        }
        self.begun = true;
        self.push_keyframe(0);
    }

    fn push_keyframe(&mut self, step: u32) {
        let s = &self.state;
        self.lanes.keyframes.push(Keyframe {
            live: s
                .gs
                .iter()
                .enumerate()
                .filter(|(_, g)| g.state != GState::NotExist)
                .map(|(i, g)| (i as u32, *g))
                .collect(),
            procs: s.procs.clone(),
            gc: s.gc,
            stw: s.stw,
            gomaxprocs: s.gomaxprocs,
            gc_cycles: s.gc_cycles,
            step,
        });
        self.since_key = 0;
        let live = self
            .lanes
            .keyframes
            .last()
            .map_or(0, |k| k.live.len() as u32);
        self.key_every = KEYFRAME_EVERY.max(live.saturating_mul(STEPS_PER_LIVE_G));
    }

    /// Keeps one step: the event's time, what it is, the goroutines and
    /// value it names, and where (P, M) it happened.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        t: Time,
        kind: StepKind,
        g: u32,
        by: u32,
        arg: u32,
        p: i64,
        m: u16,
        reason: u8,
    ) {
        self.begin();
        let step = Step {
            time: clamp_time(t),
            p: p16(p),
            g,
            by,
            arg,
            m,
            kind,
            reason,
        };
        let at = self.lanes.steps.len();
        match kind {
            StepKind::GcBegin => self.lanes.gc_marks.push(at),
            StepKind::StwBegin => self.lanes.stw_marks.push(at),
            _ => {}
        }
        self.state.apply(at, &step);
        self.lanes.steps.push(&step);
        match kind {
            StepKind::GcBegin => self.lanes.gc_spans.push((step.time, None)),
            StepKind::GcEnd => {
                if let Some(last) = self.lanes.gc_spans.last_mut() {
                    last.1.get_or_insert(step.time);
                }
            }
            _ => {}
        }
        self.since_key += 1;
        if self.since_key >= self.key_every {
            self.push_keyframe(at);
        }
    }

    fn event(&mut self, e: &Event) {
        self.lanes.events += 1;
        let first = *self.first_time.get_or_insert(e.time());
        let t = e.time() - first;
        self.last_time = t;
        let ctx_g = self.g(e.goroutine());
        let m = self.m(e.thread());
        let p = e.proc();
        match e.kind() {
            EventKind::StateTransition => self.transition(e, t, ctx_g, m, p),
            EventKind::RangeBegin | EventKind::RangeActive | EventKind::RangeEnd => {
                let Some(r) = e.range() else { return };
                let begin = e.kind() != EventKind::RangeEnd;
                let name = &r.name[..];
                if name == b"GC concurrent mark phase" {
                    if begin && self.state.gc.is_some() {
                        return;
                    }
                    let kind = if begin {
                        StepKind::GcBegin
                    } else {
                        StepKind::GcEnd
                    };
                    self.push(t, kind, NONE, ctx_g, NONE, p, m, u8::MAX);
                } else if let Some(why) = name
                    .strip_prefix(b"stop-the-world (")
                    .and_then(|n| n.strip_suffix(b")"))
                {
                    if begin && self.state.stw.is_some() {
                        return;
                    }
                    let reason = self.reason(why);
                    let kind = if begin {
                        StepKind::StwBegin
                    } else {
                        StepKind::StwEnd
                    };
                    let (at, _) = self.stack_locs(e.stack());
                    self.push(t, kind, NONE, ctx_g, at, p, m, reason);
                } else if name == b"GC incremental sweep" {
                    let ResourceID::Proc(sp) = r.scope else {
                        return;
                    };
                    let on = self
                        .state
                        .procs
                        .get(sp.max(0) as usize)
                        .is_some_and(|pp| pp.sweeping);
                    if begin && on || !begin && !on {
                        return;
                    }
                    let kind = if begin {
                        StepKind::SweepBegin
                    } else {
                        StepKind::SweepEnd
                    };
                    self.push(
                        t,
                        kind,
                        NONE,
                        ctx_g,
                        sp.clamp(0, NONE16 as i64 - 1) as u32,
                        p,
                        m,
                        u8::MAX,
                    );
                } else if name == b"GC mark assist" {
                    let ResourceID::Goroutine(ag) = r.scope else {
                        return;
                    };
                    let ag = self.g(ag);
                    let on = self.state.gs.get(ag as usize).is_some_and(|g| g.assist);
                    if begin && on || !begin && !on {
                        return;
                    }
                    let kind = if begin {
                        StepKind::AssistBegin
                    } else {
                        StepKind::AssistEnd
                    };
                    self.push(t, kind, ag, ctx_g, NONE, p, m, u8::MAX);
                }
            }
            EventKind::Metric => {
                let Some(metric) = e.metric() else { return };
                match metric.name {
                    "/memory/classes/heap/objects:bytes" => self.lanes.heap.push((t, metric.value)),
                    "/gc/heap/goal:bytes" => self.lanes.goal.push((t, metric.value)),
                    _ => {
                        let n = metric.value.min(u32::MAX as u64) as u32;
                        if n != self.state.gomaxprocs {
                            if !self.begun {
                                self.state.gomaxprocs = n;
                                let len = self.state.procs.len().max(n as usize);
                                self.state.procs.resize(len, NO_P);
                                for pp in self.state.procs.iter_mut().take(n as usize) {
                                    pp.exists = true;
                                }
                            } else {
                                self.push(t, StepKind::Procs, NONE, ctx_g, n, p, m, u8::MAX);
                            }
                        }
                    }
                }
            }
            EventKind::Log => {
                let Some(log) = e.log() else { return };
                let i = self.lanes.logs.len() as u32;
                self.lanes.logs.push((
                    String::from_utf8_lossy(&log.category).into(),
                    String::from_utf8_lossy(&log.message).into(),
                ));
                self.push(t, StepKind::Log, ctx_g, ctx_g, i, p, m, u8::MAX);
            }
            _ => {}
        }
    }

    fn transition(&mut self, e: &Event, t: Time, ctx_g: u32, m: u16, p: i64) {
        let Some(st) = e.state_transition() else {
            return;
        };
        match st.resource {
            ResourceID::Goroutine(id) => {
                let g = self.g(id);
                let (from, to) = st.goroutine();
                let (at, entry) = self.stack_locs(st.stack.clone());
                if let Some(info) = self.lanes.gs.get_mut(g as usize) {
                    if info.entry == NONE && entry != NONE {
                        info.entry = entry;
                    }
                }
                let reason = self.reason(&st.reason);
                let to_s = GState::of(to);
                if from == GoState::Undetermined || is_status(e) {
                    // A status event: what the trace says of a goroutine
                    // at the start of a generation.
                    let known = self
                        .state
                        .gs
                        .get(g as usize)
                        .map_or(GState::NotExist, |g| g.state);
                    if known == to_s {
                        return;
                    }
                    if !self.begun {
                        let step = Step {
                            time: 0,
                            p: p16(p),
                            g,
                            by: NONE,
                            arg: to_s.as_arg(),
                            m,
                            kind: StepKind::GoStatus,
                            reason,
                        };
                        self.state.apply(0, &step);
                        return;
                    }
                    self.push(t, StepKind::GoStatus, g, NONE, to_s.as_arg(), p, m, reason);
                    return;
                }
                let creator_loc = || {
                    // Where the creator was when it made the goroutine.
                    e.stack()
                };
                let kind = match (from, to) {
                    (GoState::NotExist, GoState::Runnable) => StepKind::GoCreate,
                    (GoState::NotExist, GoState::Waiting) => StepKind::GoCreateBlocked,
                    (GoState::NotExist, GoState::Syscall) => StepKind::GoCreateSyscall,
                    (GoState::Runnable, GoState::Running) => StepKind::GoStart,
                    (GoState::Running, GoState::Runnable) => StepKind::GoStop,
                    (GoState::Running, GoState::Waiting) => StepKind::GoBlock,
                    (GoState::Waiting, GoState::Runnable) => StepKind::GoUnblock,
                    (_, GoState::NotExist) => StepKind::GoDestroy,
                    (GoState::Running, GoState::Syscall) => StepKind::SyscallBegin,
                    (GoState::Syscall, GoState::Running) => StepKind::SyscallEnd,
                    (GoState::Syscall, GoState::Runnable) => StepKind::SyscallEndBlocked,
                    _ => StepKind::GoStatus,
                };
                let arg = match kind {
                    StepKind::GoCreate | StepKind::GoCreateBlocked | StepKind::GoCreateSyscall => {
                        self.stack_locs(creator_loc()).0
                    }
                    StepKind::GoStatus => to_s.as_arg(),
                    StepKind::GoStop | StepKind::GoBlock | StepKind::SyscallBegin => at,
                    _ => NONE,
                };
                self.push(t, kind, g, ctx_g, arg, p, m, reason);
            }
            ResourceID::Proc(id) => {
                let (from, to) = st.proc();
                let target = id.clamp(0, NONE16 as i64 - 1) as u32;
                if is_status(e) || from == ProcState::Undetermined {
                    let arg = match to {
                        ProcState::Running => 1,
                        ProcState::Idle => 0,
                        _ => 2,
                    };
                    let known = self
                        .state
                        .procs
                        .get(target as usize)
                        .copied()
                        .unwrap_or(NO_P);
                    let same = match arg {
                        2 => !known.exists,
                        1 => known.exists && known.running,
                        _ => known.exists && !known.running,
                    };
                    if same {
                        return;
                    }
                    let step = Step {
                        time: clamp_time(t),
                        p: NONE16,
                        g: target,
                        by: NONE,
                        arg,
                        m: if arg == 1 { m } else { NONE16 },
                        kind: StepKind::ProcStatus,
                        reason: u8::MAX,
                    };
                    if !self.begun {
                        self.state.apply(0, &step);
                    } else {
                        self.push(
                            t,
                            StepKind::ProcStatus,
                            target,
                            NONE,
                            arg,
                            NO_PROC,
                            step.m,
                            u8::MAX,
                        );
                    }
                    return;
                }
                match (from, to) {
                    (ProcState::Idle, ProcState::Running) => {
                        self.push(t, StepKind::ProcStart, NONE, ctx_g, target, id, m, u8::MAX);
                    }
                    (ProcState::Running, ProcState::Idle)
                        if e.wire_type() == super::spec::ev::PROC_STEAL =>
                    {
                        // The M the P is taken from is the event's
                        // argument; the event happens on the thief.
                        let victim = self
                            .state
                            .procs
                            .get(target as usize)
                            .map_or(NONE16, |pp| pp.m);
                        self.push(
                            t,
                            StepKind::ProcSteal,
                            NONE,
                            ctx_g,
                            target,
                            NO_PROC,
                            victim,
                            u8::MAX,
                        );
                    }
                    (ProcState::Idle, ProcState::Idle) => {}
                    (_, ProcState::Idle) => {
                        self.push(t, StepKind::ProcStop, NONE, ctx_g, target, id, m, u8::MAX);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Whether a function is the program's own code: package main, or a
/// package whose path starts with a domain (`github.com/...`), not the
/// standard library.
fn own_code(func: &[u8]) -> bool {
    match func.iter().position(|&b| b == b'/') {
        None => func.starts_with(b"main."),
        Some(first) => func[..first].contains(&b'.'),
    }
}

/// A P as a step holds it.
fn p16(p: i64) -> u16 {
    if p == NO_PROC || !(0..NONE16 as i64).contains(&p) {
        NONE16
    } else {
        p as u16
    }
}

/// A time as a step holds it: from the trace's first event, at most
/// 2^48 ns (about 78 hours).
fn clamp_time(t: Time) -> Time {
    t.clamp(0, (1 << TIME_BITS) - 1)
}

fn is_status(e: &Event) -> bool {
    use super::spec::ev;
    matches!(
        e.wire_type(),
        ev::GO_STATUS | ev::GO_STATUS_STACK | ev::PROC_STATUS
    )
}

#[cfg(test)]
mod tests;
