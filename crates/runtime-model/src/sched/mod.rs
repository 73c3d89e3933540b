//! # The scheduler: Gs, Ms and Ps
//!
//! A deterministic, step-by-step simulation of the Go scheduler of
//! runtime/proc.go and runtime/runtime2.go (go1.27). A **G** is a goroutine,
//! an **M** an OS thread, a **P** a processor: the licence to run Go code,
//! with a local run queue of 256 Gs plus a one-slot `runnext`. At most
//! GOMAXPROCS Ms hold a P at once; the others are idle, spinning (looking for
//! work), blocked in a system call, or blocked in the netpoller.
//!
//! What the model follows, each in a method named after its Go function (see
//! `proc.rs`): `newproc` puts a new G in `runnext` and kicks the old one to
//! the tail of the local queue (`runqput`); a full queue sends half of it plus
//! one to the global queue (`runqputslow`); `runqget` takes `runnext` first,
//! and that G inherits the time slice (`schedtick` does not advance in
//! `execute`); `findRunnable` looks, in this order, at the global queue on
//! every 61st schedtick, the local queue, a batch of the global queue
//! (`globrunqgetbatch`: `min(n, len, len/GOMAXPROCS+1)`), the netpoller, and
//! then steals (`stealWork`: 4 passes over the Ps in `randomOrder`, half
//! rounded up, `runnext` and timers only on the last pass), before giving up
//! its P. Spinning Ms are limited to half the busy Ps, and `wakep` starts one
//! only if none spins. System calls keep their P (`entersyscall`; since
//! go1.26 there is no `_Psyscall`, the G's `_Gsyscall` says it) until sysmon's
//! `retake` hands it off (`handoffp`) after a sysmon tick when there is other
//! work; `entersyscallblock` hands off at once; `exitsyscall` takes its P
//! back, or its old P, or any idle P, or else queues the G globally and parks
//! the M. sysmon sleeps 20 µs, doubling after 1 ms of idleness up to 10 ms,
//! polls the network if nobody has for 10 ms, and preempts a G that has run
//! for 10 ms on one schedtick (`forcePreemptNS`): asynchronously by signal,
//! or, with `asyncpreemptoff=1`, only by a flag the G sees at its next
//! function call. A preempted G goes to the global queue. Timers live on the
//! P that armed them; `time.Sleep` wakes its G with `ready(next=true)`, as
//! channel sends, mutex unlocks and `WaitGroup.Done` do. `runtime.GOMAXPROCS`
//! runs `procresize`.
//!
//! ## Time, randomness, steps
//!
//! Time is a virtual nanosecond clock. Each agent (an M holding a P, an M in
//! a syscall, the M blocked in netpoll, sysmon) has a time for its next
//! action; [`Sim::step`] runs the earliest (ties go to the lowest M id) and
//! returns one [`Event`]. An action that moves several things (a `go`
//! statement that kicks `runnext` and overflows the queue) queues several
//! events, which the following steps return one by one. Every scheduler
//! action and script op costs `op_cost_ns` (100 ns by default); waking a
//! parked M costs `wake_ns` (5 µs). The one source of randomness is a seeded
//! [`CheapRand`], used where Go calls `cheaprand` (the steal order).
//!
//! ## What is left out, on purpose
//!
//! The garbage collector (no GC workers, no STW other than `GOMAXPROCS`),
//! locked threads, cgo, the trace reader, `runSafePointFn`, goroutine
//! stacks, the G free lists (`gfreecnt` prints 0), the 3 µs back-off before
//! stealing a `runnext`, and real contention: each action is atomic. Mutexes
//! hand ownership to the first waiter (Go's starvation mode), channels are
//! counters of pending sends. The runtime's own goroutines are modelled only
//! as `runtime_gs` parked helpers queued on P0 before main.
//!
//! ## What runs before `main.main`, and `schedtick`/`runtime-gs`
//!
//! `runtime.main` runs the runtime's init tasks (which start helpers such
//! as `forcegchelper`; the finalizer goroutine, `runFinalizers`, is not one
//! of them: `createfing` starts it the first time `SetFinalizer` runs), then
//! `gcenable` starts `bgsweep` and `bgscavenge` and waits for both on a
//! channel, so they run (and park) before main continues; then
//! `defaultGOMAXPROCSUpdateEnable` starts `updateMaxProcsGoroutine`. What
//! is still queued on P0 when `main.main` begins, and P0's schedtick, depend
//! on all that, so the model takes them as parameters: `runtime_gs` Gs in
//! P0's local queue and `schedticks[0]`. The conformance test searches them
//! against the real go1.27.3 on linux/amd64: `runtime_gs = 2` with a
//! schedtick of 1 to 9 reproduces the real order for n = 3, 10, 100, 256
//! and 300 (with 2 queued runtime Gs, the 256th `go` statement already
//! overflows the local queue; real Go prints `255 126 127 ...`).
//!
//! ## The scenario format
//!
//! A line-based text file; `#` starts a comment. Settings first, then
//! functions. Durations are `250ns`, `20us`, `10ms`, `2s` (a bare number is
//! µs); negative values are refused with the line number.
//!
//! ```text
//! gomaxprocs 4          # 1..=256
//! seed 7
//! asyncpreemptoff 0     # 1 = GODEBUG=asyncpreemptoff=1
//! schedtrace 1ms        # add `detail` for scheddetail=1
//! schedtick 0 5         # P0 starts with schedtick 5
//! runtime-gs 1          # runtime goroutines queued on P0 before main
//! limit 10000           # most goroutines created over the run
//!
//! func worker
//!   repeat 3            # repeat blocks nest up to 4 deep
//!     compute 2ms
//!     gosched
//!   end
//!   done wg
//! end
//!
//! func main             # required; runs as G1
//!   add wg 8
//!   go worker 8         # 8 go statements
//!   wait wg
//! end
//! ```
//!
//! Ops: `compute D`, `gosched`, `go F [N]`, `netread D` (park on the
//! netpoller until ready after D), `syscall D`, `syscallblock D`, `sleep D`,
//! `send C`/`recv C` (channel C), `lock M`/`unlock M`, `add W N`/`done W`/
//! `wait W` (WaitGroup W), `gomaxprocs N`, `repeat N` ... `end`, `exit`.
//! A function returns at its `end`; main returning ends the program.

mod event;
mod frame;
pub mod presets;
mod proc;
mod script;
mod trace;
mod types;

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::rc::Rc;
use alloc::vec::Vec;

use crate::rand::CheapRand;

pub use event::{human, Event, EventKind, Highlight, RetakeWhy, Source};
pub use frame::{Lane, Picture, Thread};
pub use proc::{RandomOrder, FORCE_PREEMPT_NS};
pub use script::{
    parse_duration, parse_scenario, Config, ConfigError, Func, Op, DEFAULT_GOROUTINE_LIMIT,
    HARD_GOROUTINE_LIMIT, MAX_DURATION_NS, MAX_GOMAXPROCS, MAX_RUNTIME_GS,
};
/// The scheduler's rewind: the generic [`crate::timeline::Timeline`] over
/// [`Sim`].
pub type Timeline = crate::timeline::Timeline<Sim>;
pub use types::{
    GId, GStatus, MId, MState, PId, PStatus, SysmonTick, WaitReason, G, M, MAX_LOOP_DEPTH, P,
    RUNQ_LEN,
};

/// A channel, mutex or wait group: a count and the Gs parked on it.
#[derive(Clone, Debug, Default)]
pub(crate) struct SyncObj {
    pub(crate) count: u32,
    pub(crate) waiters: VecDeque<GId>,
}

/// sysmon's loop variables (`idle`, `delay`, `lasttrace`) and whether it is
/// in its deep sleep (`sched.sysmonwait`).
#[derive(Clone, Debug)]
pub(crate) struct Sysmon {
    pub(crate) idle: u32,
    pub(crate) delay_us: u32,
    pub(crate) lasttrace: Option<u64>,
    pub(crate) sleeping: bool,
}

/// The whole scheduler state. Cloning it is a snapshot.
#[derive(Clone, Debug)]
pub struct Sim {
    pub(crate) cfg: Rc<Config>,
    pub(crate) now: u64,
    pub(crate) steps: u64,
    pub(crate) rand: CheapRand,
    pub(crate) gs: Vec<G>,
    pub(crate) ms: Vec<M>,
    pub(crate) ps: Vec<P>,
    pub(crate) gomaxprocs: u32,
    /// `sched.runq`, the global run queue.
    pub(crate) runq: VecDeque<GId>,
    /// `sched.pidle`, a stack.
    pub(crate) pidle: Vec<PId>,
    /// `sched.midle`, a stack.
    pub(crate) midle: Vec<MId>,
    pub(crate) nmspinning: u32,
    pub(crate) needspinning: bool,
    /// Goroutines parked on the netpoller: (ready at, G).
    pub(crate) netpoll: BTreeSet<(u64, GId)>,
    pub(crate) netpoll_inited: bool,
    /// An M is blocked in `netpoll` (Go: `sched.lastpoll == 0`).
    pub(crate) polling: bool,
    pub(crate) lastpoll: u64,
    pub(crate) sysmon: Sysmon,
    pub(crate) trace_start: Option<u64>,
    pub(crate) sync: BTreeMap<u16, SyncObj>,
    pub(crate) timer_seq: u64,
    pub(crate) stealorder: RandomOrder,
    pub(crate) pending: VecDeque<Event>,
    pub(crate) run_order: Vec<GId>,
    pub(crate) finished: bool,
    /// Set only while [`Sim::frame`] replays an action.
    pub(crate) shot: Option<Box<frame::Shot>>,
}

/// The runtime helpers queued before main, named as the runtime names them.
const RUNTIME_HELPERS: [(&str, WaitReason); 4] = [
    (
        "runtime.updateMaxProcsGoroutine",
        WaitReason::UpdateGOMAXPROCSIdle,
    ),
    ("runtime.forcegchelper", WaitReason::ForceGCIdle),
    ("runtime.bgsweep", WaitReason::GCSweepWait),
    ("runtime.bgscavenge", WaitReason::GCScavengeWait),
];

impl Sim {
    /// A simulation at the moment `main.main` starts on M0 with P0.
    pub fn new(config: Config) -> Result<Sim, ConfigError> {
        config.validate()?;
        let mut cfg = config;
        // The runtime helpers' scripts: park forever.
        let helpers = cfg.funcs.len();
        for (name, reason) in RUNTIME_HELPERS {
            cfg.funcs.push(Func {
                name: name.into(),
                ops: alloc::vec![Op::Park(reason)],
            });
        }
        let n = cfg.gomaxprocs;
        let ps = (0..n)
            .map(|i| P::new(i, cfg.schedticks.get(i as usize).copied().unwrap_or(0)))
            .collect();
        let idle = |id| M {
            id,
            state: MState::Idle,
            p: None,
            oldp: None,
            curg: None,
            spinning: false,
            next_at: u64::MAX,
        };
        let mut ms = alloc::vec![idle(0), idle(1)];
        ms[1].state = MState::Sysmon;
        ms[1].next_at = 20_000;
        let mut stealorder = RandomOrder::default();
        stealorder.reset(n);
        let mut sim = Sim {
            rand: CheapRand::new(cfg.seed),
            cfg: Rc::new(cfg),
            now: 0,
            steps: 0,
            gs: Vec::new(),
            ms,
            ps,
            gomaxprocs: n,
            runq: VecDeque::new(),
            pidle: Vec::new(),
            midle: Vec::new(),
            nmspinning: 0,
            needspinning: false,
            netpoll: BTreeSet::new(),
            netpoll_inited: false,
            polling: false,
            lastpoll: 0,
            sysmon: Sysmon {
                idle: 0,
                delay_us: 20,
                lasttrace: None,
                sleeping: false,
            },
            trace_start: None,
            sync: BTreeMap::new(),
            timer_seq: 0,
            stealorder,
            pending: VecDeque::new(),
            run_order: Vec::new(),
            finished: false,
            shot: None,
        };
        // procresize at startup: P0 to M0, the others idle, highest first.
        let main = sim.new_g(0, None, 0);
        for i in 0..sim.cfg.runtime_gs {
            let (f, _) = (helpers + i as usize % RUNTIME_HELPERS.len(), ());
            let g = sim.new_g(f as u16, None, i);
            sim.runqput(0, g, false);
        }
        for i in (1..n).rev() {
            sim.pidle.push(i);
        }
        sim.ps[0].status = PStatus::Running;
        sim.ps[0].m = Some(0);
        sim.ms[0].p = Some(0);
        sim.ms[0].curg = Some(main);
        sim.ms[0].state = MState::Running;
        sim.ms[0].next_at = sim.cfg.op_cost_ns;
        let g = sim.g_mut(main);
        g.status = GStatus::Running;
        g.m = Some(0);
        g.first_ran = Some(0);
        sim.run_order.push(main);
        sim.emit(EventKind::Start, Some(main), Some(0), Some(0));
        Ok(sim)
    }

    /// Runs the next action and returns its event; `None` once the program
    /// has exited or deadlocked.
    ///
    /// Order of work: first any event an earlier action queued; then the
    /// agent with the earliest next action (ties: lowest M id; M1 is
    /// sysmon): an M holding a P runs `findRunnable` or its G's next op, an
    /// M in a syscall returns from it, the M in netpoll wakes for I/O or a
    /// timer, sysmon does one round.
    pub fn step(&mut self) -> Option<Event> {
        loop {
            if let Some(mut e) = self.pending.pop_front() {
                e.step = self.steps;
                self.steps += 1;
                return Some(e);
            }
            if self.finished {
                return None;
            }
            let (mi, t) = self.next_agent()?;
            self.now = self.now.max(t);
            match self.ms[mi as usize].state {
                MState::Schedule => self.find_runnable(mi),
                MState::Running => self.run_op(mi),
                MState::Syscall => self.exitsyscall(mi),
                MState::Netpoll => self.netpoll_wake(mi),
                MState::Sysmon => self.sysmon_tick(mi),
                MState::Idle => unreachable!("idle Ms have no next action"),
            }
        }
    }

    /// The agent that acts next and when, or `None` if nothing ever will.
    fn next_agent(&self) -> Option<(MId, u64)> {
        let mut best: Option<(MId, u64)> = None;
        for m in &self.ms {
            let t = match m.state {
                MState::Idle => continue,
                MState::Netpoll => self.poller_wake_time(),
                _ => m.next_at,
            };
            if t != u64::MAX && best.is_none_or(|(_, bt)| t < bt) {
                best = Some((m.id, t));
            }
        }
        best
    }

    /// When the M blocked in netpoll wakes: the first ready I/O or timer.
    fn poller_wake_time(&self) -> u64 {
        let io = self.netpoll.first().map_or(u64::MAX, |&(t, _)| t);
        io.min(self.earliest_timer().unwrap_or(u64::MAX))
    }

    /// Takes steps while the next step's event happens at or before `t_ns`
    /// on the simulation's clock (virtual nanoseconds), stopping early when
    /// the run ends; returns the events of the steps taken, oldest first.
    /// Unless the program has ended, the clock then reads `t_ns`.
    pub fn run_until(&mut self, t_ns: u64) -> Vec<Event> {
        let mut events = Vec::new();
        loop {
            if self.pending.is_empty() {
                match self.next_agent() {
                    Some((_, t)) if t <= t_ns && !self.finished => {}
                    _ => break,
                }
            }
            match self.step() {
                Some(e) => events.push(e),
                None => break,
            }
        }
        if !self.finished {
            self.now = self.now.max(t_ns);
        }
        events
    }

    /// Steps until `n` events have run in total (or the end).
    pub fn run_to_step(&mut self, n: u64) {
        while self.steps < n && self.step().is_some() {}
    }

    pub(crate) fn emit(&mut self, kind: EventKind, g: Option<GId>, m: Option<MId>, p: Option<PId>) {
        self.pending.push_back(Event {
            step: 0,
            t_ns: self.now,
            kind,
            g,
            m,
            p,
        });
        self.shoot();
    }

    pub(crate) fn new_g(&mut self, func: u16, parent: Option<GId>, spawn_index: u32) -> GId {
        let goid = self.gs.len() as GId + 1;
        self.gs.push(G {
            goid,
            status: GStatus::Runnable,
            waitreason: WaitReason::Zero,
            m: None,
            preempt: false,
            func,
            parent,
            spawn_index,
            first_ran: None,
            runnable_since: self.now,
            last_wait: 0,
            pc: 0,
            left: 0,
            computing: false,
            spawned: 0,
            spawned_total: 0,
            loops: [(0, 0); MAX_LOOP_DEPTH],
            depth: 0,
        });
        goid
    }

    pub(crate) fn g_mut(&mut self, gp: GId) -> &mut G {
        &mut self.gs[(gp - 1) as usize]
    }

    pub(crate) fn sync_obj(&mut self, key: u16) -> &mut SyncObj {
        self.sync.entry(key).or_default()
    }

    // ---- read-only views, for drawing --------------------------------------

    /// The goroutine with this id.
    pub fn g(&self, gp: GId) -> &G {
        &self.gs[(gp - 1) as usize]
    }

    /// Every goroutine ever created, by id (G1 is main).
    pub fn gs(&self) -> &[G] {
        &self.gs
    }

    /// Every M (M0 the main thread, M1 sysmon).
    pub fn ms(&self) -> &[M] {
        &self.ms
    }

    /// The live Ps, `allp[:gomaxprocs]`.
    pub fn ps(&self) -> &[P] {
        &self.ps[..self.gomaxprocs as usize]
    }

    pub fn gomaxprocs(&self) -> u32 {
        self.gomaxprocs
    }

    /// The global run queue, head first.
    pub fn global_runq(&self) -> impl ExactSizeIterator<Item = GId> + '_ {
        self.runq.iter().copied()
    }

    /// Goroutines parked on the netpoller: (ready at ns, G), soonest first.
    pub fn netpoll_waiters(&self) -> impl Iterator<Item = (u64, GId)> + '_ {
        self.netpoll.iter().copied()
    }

    /// Whether an M is blocked in netpoll.
    pub fn netpoll_blocked(&self) -> bool {
        self.polling
    }

    /// Number of spinning Ms (`sched.nmspinning`).
    pub fn nmspinning(&self) -> u32 {
        self.nmspinning
    }

    /// Number of idle Ps (`sched.npidle`).
    pub fn idle_ps(&self) -> &[PId] {
        &self.pidle
    }

    /// Whether sysmon is in its deep sleep (`sched.sysmonwait`).
    pub fn sysmon_sleeping(&self) -> bool {
        self.sysmon.sleeping
    }

    /// The name of the Go function goroutine `gp` runs.
    pub fn func_name(&self, gp: GId) -> &str {
        &self.cfg.funcs[usize::from(self.g(gp).func)].name
    }

    /// Virtual time, ns.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Events returned so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The program exited or deadlocked.
    pub fn finished(&self) -> bool {
        self.finished && self.pending.is_empty()
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Goroutines in the order they first ran (main first).
    pub fn run_order(&self) -> &[GId] {
        &self.run_order
    }

    /// The spawn indices of `parent`'s children, in the order they first
    /// ran: the spawn-order experiment's answer.
    pub fn children_run_order(&self, parent: GId) -> Vec<u32> {
        self.run_order
            .iter()
            .map(|&g| self.g(g))
            .filter(|g| g.parent == Some(parent))
            .map(|g| g.spawn_index)
            .collect()
    }

    /// Rough heap bytes held by this state (one snapshot's cost).
    pub fn approx_bytes(&self) -> usize {
        use core::mem::size_of;
        size_of::<Sim>()
            + self.gs.capacity() * size_of::<G>()
            + self.ms.capacity() * size_of::<M>()
            + self.ps.capacity() * size_of::<P>()
            + self
                .ps
                .iter()
                .map(|p| p.timers.capacity() * 24)
                .sum::<usize>()
            + (self.runq.capacity() + self.pidle.capacity() + self.midle.capacity()) * 4
            + self.netpoll.len() * 32
            + self
                .sync
                .values()
                .map(|s| 48 + s.waiters.capacity() * 4)
                .sum::<usize>()
            + self.pending.capacity() * size_of::<Event>()
            + self.run_order.capacity() * 4
    }
}

impl crate::timeline::Simulation for Sim {
    type Event = Event;

    fn step(&mut self) -> Option<Event> {
        Sim::step(self)
    }

    fn steps(&self) -> u64 {
        Sim::steps(self)
    }

    fn approx_bytes(&self) -> usize {
        Sim::approx_bytes(self)
    }
}

#[cfg(test)]
mod tests;
