//! The three actors of the scheduler, as runtime/runtime2.go declares them
//! (go1.27): G (a goroutine), M (an OS thread), P (a processor: the right to
//! run Go code, with its own run queue).

use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cmp::Reverse;

/// A goroutine id (`g.goid`). The main goroutine is 1, as in Go.
pub type GId = u32;
/// A thread id (`m.id`). M0 is the main thread, M1 runs sysmon.
pub type MId = u32;
/// A processor id (`p.id`), `0..gomaxprocs`.
pub type PId = u32;

/// Length of a P's local run queue, `runq [256]guintptr` in runtime2.go.
pub const RUNQ_LEN: u32 = 256;

/// G status, numbered as runtime2.go numbers them (the numbers are what
/// `scheddetail=1` prints).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GStatus {
    /// `_Gidle` (0): allocated, not yet initialised.
    Idle,
    /// `_Grunnable` (1): on a run queue, not running. A goroutine preempted by
    /// sysmon is `_Grunnable` on the global queue (`gopreempt_m`).
    Runnable,
    /// `_Grunning` (2): running on an M that holds a P.
    Running,
    /// `_Gsyscall` (3): in a system call, running no Go code. Since go1.26
    /// this, not the P's status, marks "the P is in a syscall".
    Syscall,
    /// `_Gwaiting` (4): parked; the wait reason says on what.
    Waiting,
    /// `_Gdead` (6): exited.
    Dead,
}

impl GStatus {
    /// The `_G*` constant's value.
    pub const fn code(self) -> u32 {
        match self {
            GStatus::Idle => 0,
            GStatus::Runnable => 1,
            GStatus::Running => 2,
            GStatus::Syscall => 3,
            GStatus::Waiting => 4,
            GStatus::Dead => 6,
        }
    }

    /// The constant's name, e.g. `_Grunnable`.
    pub const fn name(self) -> &'static str {
        match self {
            GStatus::Idle => "_Gidle",
            GStatus::Runnable => "_Grunnable",
            GStatus::Running => "_Grunning",
            GStatus::Syscall => "_Gsyscall",
            GStatus::Waiting => "_Gwaiting",
            GStatus::Dead => "_Gdead",
        }
    }
}

/// Why a G waits: the `waitReason` values the model uses (runtime2.go).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitReason {
    /// `waitReasonZero`: not waiting.
    Zero,
    /// `waitReasonIOWait`: parked on the netpoller.
    IoWait,
    /// `waitReasonSleep`: `time.Sleep`, woken by a timer.
    Sleep,
    /// `waitReasonChanReceive`.
    ChanReceive,
    /// `waitReasonSyncMutexLock`.
    SyncMutexLock,
    /// `waitReasonSyncWaitGroupWait`.
    SyncWaitGroupWait,
    /// `waitReasonForceGCIdle`: the forcegc helper between forced GCs.
    ForceGCIdle,
    /// `waitReasonUpdateGOMAXPROCSIdle`: `updateMaxProcsGoroutine` waiting
    /// until GOMAXPROCS should follow a new CPU limit.
    UpdateGOMAXPROCSIdle,
    /// `waitReasonGCSweepWait`: the background sweeper with nothing to do.
    GCSweepWait,
    /// `waitReasonGCScavengeWait`: the background scavenger asleep.
    GCScavengeWait,
}

impl WaitReason {
    /// The string `waitReason.String()` returns (`waitReasonStrings`).
    pub const fn as_str(self) -> &'static str {
        match self {
            WaitReason::Zero => "",
            WaitReason::IoWait => "IO wait",
            WaitReason::Sleep => "sleep",
            WaitReason::ChanReceive => "chan receive",
            WaitReason::SyncMutexLock => "sync.Mutex.Lock",
            WaitReason::SyncWaitGroupWait => "sync.WaitGroup.Wait",
            WaitReason::ForceGCIdle => "force gc (idle)",
            WaitReason::UpdateGOMAXPROCSIdle => "GOMAXPROCS updater (idle)",
            WaitReason::GCSweepWait => "GC sweep wait",
            WaitReason::GCScavengeWait => "GC scavenge wait",
        }
    }
}

/// Mirrors runtime/runtime2.go `g` (go1.27): the fields the scheduler reads,
/// plus where the goroutine is in its behaviour script.
#[derive(Clone, Debug)]
pub struct G {
    pub goid: GId,
    pub status: GStatus,
    pub waitreason: WaitReason,
    /// The M running it (`g.m`), while running or in a syscall.
    pub m: Option<MId>,
    /// `g.preempt`: sysmon asked it to stop at the next safe point.
    pub preempt: bool,
    /// Index of the function (in the program) this goroutine runs.
    pub func: u16,
    /// The goroutine that ran the `go` statement; `None` for main and the
    /// runtime's own goroutines.
    pub parent: Option<GId>,
    /// How many goroutines the parent had started before this one.
    pub spawn_index: u32,
    /// The step at which it first ran, if it has.
    pub first_ran: Option<u64>,
    /// When (virtual ns) it last became `_Grunnable`: created, readied,
    /// yielded, preempted, back from a syscall without a P, or stopped by
    /// `procresize`. Not a field of Go's `g`; the execution tracer records
    /// the same moment (a `GoUnblock`/`GoCreate` event) for its
    /// scheduler-latency profile.
    pub runnable_since: u64,
    /// How long it waited runnable before its latest `execute`, ns: its
    /// scheduler latency, as `go tool trace` profiles it.
    pub last_wait: u64,
    // Script position: op index, work left in the current op, loop stack.
    pub(crate) pc: u16,
    pub(crate) left: u64,
    pub(crate) computing: bool,
    pub(crate) spawned: u32,
    pub(crate) spawned_total: u32,
    pub(crate) loops: [(u16, u32); MAX_LOOP_DEPTH],
    pub(crate) depth: u8,
}

/// How deeply `repeat` blocks may nest in a script.
pub const MAX_LOOP_DEPTH: usize = 4;

/// M state in the model. Go keeps this implicit in where the thread is
/// blocked; the model names it so it can be drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MState {
    /// Parked in `stopm` on the idle M list (`sched.midle`).
    Idle,
    /// Holds a P and is in `schedule`/`findRunnable` looking for work
    /// (spinning if `m.spinning`).
    Schedule,
    /// Holds a P and runs `curg`.
    Running,
    /// Its `curg` is in a system call; it may or may not still hold the P.
    Syscall,
    /// Blocked in `netpoll(delay)` without a P, until I/O or a timer.
    Netpoll,
    /// The sysmon thread: runs without a P.
    Sysmon,
}

/// Mirrors runtime/runtime2.go `m` (go1.27), the scheduler's fields.
#[derive(Clone, Debug)]
pub struct M {
    pub id: MId,
    pub state: MState,
    /// The attached P (`m.p`).
    pub p: Option<PId>,
    /// The P it held when it entered a syscall (`m.oldp`).
    pub oldp: Option<PId>,
    /// The goroutine it runs (`m.curg`).
    pub curg: Option<GId>,
    /// `m.spinning`: out of work and looking for some to steal.
    pub spinning: bool,
    /// Virtual time of its next action (`u64::MAX`: none planned).
    pub next_at: u64,
}

/// P status, as runtime2.go numbers them (`_Psyscall_unused` is 2 since
/// go1.26: a P in a syscall is now just `_Prunning`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PStatus {
    Idle,
    Running,
    Dead,
}

impl PStatus {
    /// The `_P*` constant's value (`_Pidle`=0, `_Prunning`=1, `_Pdead`=4).
    pub const fn code(self) -> u32 {
        match self {
            PStatus::Idle => 0,
            PStatus::Running => 1,
            PStatus::Dead => 4,
        }
    }
}

/// Mirrors runtime/runtime2.go `sysmontick` (go1.27): what sysmon saw at
/// its last look at a P.
#[derive(Clone, Copy, Debug, Default)]
pub struct SysmonTick {
    pub schedtick: u32,
    pub syscalltick: u32,
    pub schedwhen: u64,
    pub syscallwhen: u64,
}

/// A sleeping goroutine's timer: (when, sequence number, goroutine).
pub type Timer = (u64, u64, GId);

/// Mirrors runtime/runtime2.go `p` (go1.27): status, the 256-slot ring
/// `runq` with `runqhead`/`runqtail`, `runnext`, the ticks, the timers.
#[derive(Clone, Debug)]
pub struct P {
    pub id: PId,
    pub status: PStatus,
    pub m: Option<MId>,
    pub schedtick: u32,
    pub syscalltick: u32,
    pub sysmontick: SysmonTick,
    pub runnext: Option<GId>,
    pub(crate) runqhead: u32,
    pub(crate) runqtail: u32,
    pub(crate) runq: [GId; RUNQ_LEN as usize],
    pub(crate) timers: BinaryHeap<Reverse<Timer>>,
}

impl P {
    pub(crate) fn new(id: PId, schedtick: u32) -> P {
        P {
            id,
            status: PStatus::Idle,
            m: None,
            schedtick,
            syscalltick: 0,
            sysmontick: SysmonTick::default(),
            runnext: None,
            runqhead: 0,
            runqtail: 0,
            runq: [0; RUNQ_LEN as usize],
            timers: BinaryHeap::new(),
        }
    }

    /// Number of Gs in the local run queue, runnext not counted (`t - h`,
    /// what schedtrace prints).
    pub fn runqsize(&self) -> u32 {
        self.runqtail.wrapping_sub(self.runqhead)
    }

    /// The local run queue, head first.
    pub fn runq(&self) -> impl Iterator<Item = GId> + '_ {
        (self.runqhead..self.runqtail).map(move |i| self.runq[(i % RUNQ_LEN) as usize])
    }

    /// Mirrors runtime/proc.go `runqempty`: no runnext and no queued G.
    pub fn runqempty(&self) -> bool {
        self.runqhead == self.runqtail && self.runnext.is_none()
    }

    /// Pending timers, soonest first: (when, goroutine).
    pub fn timers(&self) -> Vec<(u64, GId)> {
        let mut v: Vec<(u64, GId)> = self
            .timers
            .iter()
            .map(|Reverse((w, _, g))| (*w, *g))
            .collect();
        v.sort_unstable();
        v
    }

    /// The earliest timer (`timers.wakeTime`), if any.
    pub fn wake_time(&self) -> Option<u64> {
        self.timers.peek().map(|Reverse((w, _, _))| *w)
    }
}
