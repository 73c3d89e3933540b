//! The pacer: when the next cycle starts, how big the heap may grow, and
//! who pays for marking. Mirrors runtime/mgcpacer.go `gcControllerState`
//! and runtime/mgclimit.go `gcCPULimiterState` (go1.27), driven by a
//! time-stepped workload instead of a real program.
//!
//! What it models:
//! - the heap goal from GOGC (`commit`): `heapMarked + (heapMarked +
//!   stacks + globals) * GOGC/100`, at least `heapMinimum` (4 MiB scaled by
//!   GOGC/100); GOGC=off has no such goal;
//! - the goal from GOMEMLIMIT (`memoryLimitHeapGoal`): the limit minus
//!   non-heap memory and any overage, less 3% headroom (at least 1 MiB),
//!   never below the live heap; the lower of the two goals wins
//!   (`heapGoalInternal`), with its sweep-distance and 64 KiB runway floors;
//! - the trigger (`trigger`): goal minus the runway from the cons/mark
//!   estimate (`commit`, `endCycle`), kept between 45/64 and 61/64 of the way
//!   from the marked heap to the goal (or goal - 4 MiB for big heaps);
//! - background mark workers at 25% of GOMAXPROCS, dedicated plus a
//!   fractional worker (`startCycle`); mark assists that slow the allocating
//!   goroutines when background marking alone would overrun the goal
//!   (`revise`, `gcAssistAlloc`);
//! - the GC CPU limiter's leaky bucket (mgclimit.go `accumulate`): GC time
//!   fills it, mutator time drains it, capacity 1 s per P; while it is full,
//!   assists are skipped and the heap may pass its goal;
//! - the forced GC every 2 minutes (proc.go `forcegcperiod`, `sysmon`);
//! - per-cycle records, GCCPUFraction, peak memory and gctrace lines.
//!
//! - what marking costs, from the live heap's shape ([`super::cost`]): CPU
//!   per object, pointer word, byte of scan work and span, fitted to the
//!   pinned Go's own collections, and for a linked list the wall-clock
//!   time of following its one chain, which extra workers cannot shorten;
//! - the program's slowdown while marking runs: the program is taken to
//!   keep every P busy, so the background workers' share and the assists
//!   come out of its CPU, and it allocates (black, mgcmark.go
//!   `gcmarknewobject`) only at the rate its remaining CPU allows. When
//!   marking is stuck on a chain, assists find no work and park
//!   (`gcParkAssist`) until background credit arrives, so the program
//!   allocates no further than the goal;
//! - a program whose work arrives at a rate catches up after the
//!   sweep-termination pause, so what it would have allocated during the
//!   pause is allocated black too;
//! - a mark that lasts longer than its work (the shortest mark, waiting on
//!   `gcMarkDone`'s handshakes) costs no GC CPU for the wait.
//!
//! - a program that never blocks ([`Workload::never_blocks`]): its
//!   fractional worker gets a P only when sysmon preempts a goroutine, so
//!   the mark is stepped through time with the assist credit system
//!   pacing it (`revise`'s `assistWorkPerByte`, background credit first,
//!   the first over-assists and root jobs at the start): early in a mark
//!   the assists do the marking, as in real Go.
//!
//! What it leaves out, on purpose: the scavenger (memory above the goal is
//! assumed returned at once), idle mark workers (a program that leaves Ps
//! idle is not modelled: the program always wants all of them),
//! span-granular `heapLive` accounting, fragmentation, and the assist
//! credit system's per-goroutine debt. For a program that blocks, assists
//! are one share of the mutator's CPU per cycle, what marking needs to end
//! as the heap reaches its goal (scan work remaining over heap remaining,
//! as `revise` computes `assistWorkPerByte`), spread evenly over the mark:
//! with a steady background share, that is what the credit system adds up
//! to. For one that never blocks, the debt is the program's as a whole,
//! not each goroutine's `gcAssistBytes`, and the fractional worker's slices
//! are an average over sysmon's phase. The cost constants and pause
//! lengths are one machine's measurement ([`MarkCost::MEASURED`]); the
//! GC-cost conformance test measures them afresh.

use alloc::vec::Vec;

use super::cost::{HeapShape, MarkCost, MarkCounts, Reach};
use super::knobs::Gogc;
use super::trace::GcTrace;

/// Mirrors mgcpacer.go `gcBackgroundUtilization` (go1.27).
pub const GC_BACKGROUND_UTILIZATION: f64 = 0.25;
/// Mirrors mgcpacer.go `defaultHeapMinimum` for GOGC=100 (4 MiB; the
/// HeapMinimum512KiB experiment is off by default in go1.27).
pub const DEFAULT_HEAP_MINIMUM: u64 = 4 << 20;
/// Mirrors mgcpacer.go `memoryLimitMinHeapGoalHeadroom`.
pub const MEMORY_LIMIT_MIN_HEAP_GOAL_HEADROOM: u64 = 1 << 20;
/// Mirrors mgcpacer.go `memoryLimitHeapGoalHeadroomPercent`.
pub const MEMORY_LIMIT_HEAP_GOAL_HEADROOM_PERCENT: u64 = 3;
/// Mirrors mgcpacer.go `triggerRatioDen`, `minTriggerRatioNum`, `maxTriggerRatioNum`.
pub const TRIGGER_RATIO_DEN: u64 = 64;
pub const MIN_TRIGGER_RATIO_NUM: u64 = 45;
pub const MAX_TRIGGER_RATIO_NUM: u64 = 61;
/// Mirrors mgc.go `sweepMinHeapDistance`.
pub const SWEEP_MIN_HEAP_DISTANCE: u64 = 1 << 20;
/// Mirrors proc.go `forcegcperiod`: two minutes.
pub const FORCEGC_PERIOD_NS: u64 = 2 * 60 * 1_000_000_000;
/// Mirrors mgclimit.go `capacityPerProc`: one second per P.
pub const CAPACITY_PER_PROC_NS: u64 = 1_000_000_000;
/// Memory the runtime maps besides heap objects and goroutine stacks (GC
/// metadata, spans, the page allocator's structures): a fixed part plus a
/// part that grows with the heap. An estimate, checked loosely by the
/// GOMEMLIMIT conformance test.
pub const RUNTIME_OVERHEAD_BYTES: u64 = 4 << 20;
/// The heap-proportional part of the runtime's own memory, as a divisor.
pub const RUNTIME_OVERHEAD_HEAP_DIVISOR: u64 = 64;

const NS: f64 = 1e9;

/// proc.go `forcePreemptNS`: how long sysmon lets a goroutine run before it
/// asks it to stop.
pub const FORCE_PREEMPT_NS: f64 = 10e6;
/// proc.go `sysmon`'s longest sleep ("up to 10ms"), which a busy program
/// that makes no syscalls soon reaches: a preemption is noticed up to this
/// long after it is due.
pub const SYSMON_MAX_DELAY_NS: f64 = 10e6;

/// Phases of sysmon's sleep that a fractional worker's slices are
/// averaged over.
const PHASES: usize = 11;

/// Each P's fractional mark worker in a program that never blocks, once
/// for each of [`PHASES`] phases of sysmon's sleep.
///
/// Each P's goroutine runs until sysmon preempts it, `FORCE_PREEMPT_NS`
/// plus up to one of sysmon's sleeps after it last changed; then the P
/// looks for work and `assignWaitingGCWorker` runs the fractional worker
/// while it is behind its goal, and the worker stops once it is 20% ahead
/// (mgc.go `pollFractionalWorkerExit`). Averaging over the phase makes the
/// result an expectation, not one run. Simplified: the worker is taken to
/// find work all the time it runs.
struct FractionalSlices {
    /// 1.2 times the fractional utilization goal.
    most: f64,
    /// Per phase: CPU done, when the next preemption comes, whether the
    /// worker runs now.
    done: [f64; PHASES],
    next: [f64; PHASES],
    running: [bool; PHASES],
}

impl FractionalSlices {
    fn new(goal: f64) -> FractionalSlices {
        FractionalSlices {
            most: 1.2 * goal,
            done: [0.0; PHASES],
            next: core::array::from_fn(Self::wait),
            running: [false; PHASES],
        }
    }

    /// The time from a goroutine's start on a P to its preemption, in
    /// phase `k`.
    fn wait(k: usize) -> f64 {
        FORCE_PREEMPT_NS + SYSMON_MAX_DELAY_NS * k as f64 / (PHASES - 1) as f64
    }

    /// The step from `t` to `t + dt` into the mark: the share of the
    /// phases whose worker runs in it.
    fn step(&mut self, t: f64, dt: f64) -> f64 {
        let mut on = 0usize;
        for k in 0..PHASES {
            if self.running[k] && self.done[k] >= self.most * t {
                self.running[k] = false;
                self.next[k] = t + Self::wait(k);
            } else if !self.running[k] && t >= self.next[k] {
                self.running[k] = self.done[k] < self.most * t;
                if !self.running[k] {
                    self.next[k] = t + Self::wait(k);
                }
            }
            if self.running[k] {
                on += 1;
                self.done[k] += dt;
            }
        }
        on as f64 / PHASES as f64
    }
}

/// CPU time, per P, that a fractional mark worker gets over a mark of
/// `mark_ns` when the program never blocks, for a fractional utilization
/// goal of `goal` (mgcpacer.go `startCycle`): [`FractionalSlices`] in
/// steps of [`MARK_STEP_NS`]. The root job each worker runs as the mark
/// starts is [`stepped_mark`]'s, not counted here.
pub fn fractional_mark_ns(mark_ns: f64, goal: f64) -> f64 {
    if goal <= 0.0 || mark_ns <= 0.0 || 1.2 * goal >= 1.0 {
        return goal.max(0.0) * mark_ns.max(0.0);
    }
    let mut slices = FractionalSlices::new(goal);
    let (mut t, mut cpu) = (0.0, 0.0);
    while t < mark_ns {
        let dt = MARK_STEP_NS.min(mark_ns - t);
        cpu += slices.step(t, dt) * dt;
        t += dt;
    }
    cpu
}

/// A temporary jump in the live heap: `extra` bytes become live at `at_ns`
/// and garbage again at `until_ns`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spike {
    pub at_ns: u64,
    pub until_ns: u64,
    pub extra: u64,
}

/// What [`stepped_mark`] is given: GOMAXPROCS, the dedicated workers and
/// the fractional goal, the mark's CPU work and its chain (ns), its scan
/// work (bytes), the allocation rate wanted and per CPU (bytes/s), and the
/// heap's runway to the goal (bytes).
struct SteppedMark {
    procs: f64,
    dedicated: f64,
    fractional: f64,
    work_ns: f64,
    serial_ns: f64,
    scan_work: f64,
    globals: f64,
    alloc: f64,
    alloc_per_cpu: f64,
    runway: f64,
}

/// Steps of a stepped mark, ns.
const MARK_STEP_NS: f64 = 50e3;

/// A mark of a program that never blocks, in steps of 50 µs, as the
/// assist credit system paces it (mgcmark.go `gcAssistAlloc`, mgcpacer.go
/// `revise`): each byte allocated owes the scan work left over the heap
/// left to the goal (`assistWorkPerByte`); the background workers' work is
/// credit the assists steal first (`gcFlushBgCredit`), and the rest the
/// allocating goroutines do themselves, out of their CPU. The fractional
/// worker joins on each P when sysmon preempts its goroutine (as in
/// [`fractional_mark_ns`], averaged over sysmon's phase), so early in a
/// mark the assists do the marking. As the mark starts, each P's
/// fractional worker runs one root job before it first checks its share
/// (`gcDrain`): up to `rootBlockBytes` (256 KiB) of globals each; and each
/// allocating goroutine (one per P) starts with one assist of at least
/// `gcOverAssistWork` (64 KiB of scan work). Together they are all a small
/// heap needs. Assists that would mark faster
/// than a chain allows park (`gcParkAssist`), and their goroutines stop
/// allocating until the credit comes.
fn stepped_mark(m: &SteppedMark) -> Mark {
    const GC_OVER_ASSIST_WORK: f64 = 65536.0;
    const ROOT_BLOCK_BYTES: f64 = 262144.0;
    let mut slices = FractionalSlices::new(m.fractional);
    // Progress through the mark's work, 0..=1, with the first root jobs
    // and the goroutines' first over-assists done at once.
    let scan = m.scan_work.max(1.0);
    let roots = (m.globals.min(m.procs * ROOT_BLOCK_BYTES) / scan).min(1.0);
    let first = (m.procs * GC_OVER_ASSIST_WORK / scan).min(1.0 - roots);
    let mut progress = roots + first;
    let mut bg_cpu = roots * m.work_ns;
    let mut assist_cpu = first * m.work_ns;
    let (mut allocated, mut credit, mut t) = (0.0, 0.0, 0.0);
    let rate_of = |cpu: f64| -> f64 {
        let by_work = cpu / m.work_ns.max(1.0);
        if m.serial_ns > 0.0 {
            by_work.min(cpu.min(1.0) / m.serial_ns)
        } else {
            by_work
        }
    };
    // A mark that cannot end (no CPU for it) stops after a minute.
    while progress < 1.0 && t < 60e9 {
        let dt = MARK_STEP_NS;
        // The fractional workers running in this step, over the phases.
        let mut bg = m.dedicated + m.procs * slices.step(t, dt);
        if m.serial_ns > 0.0 {
            // On a chain, a second worker finds no work and gives its P
            // back to the program.
            bg = bg.min(m.dedicated.max(m.procs.min(1.0)));
        }
        let mutator = m.procs - bg;
        let left = (m.runway - allocated).max(1.0);
        // Work owed per byte: what is left over the heap left.
        let per_byte = (1.0 - progress) / left;
        let usable = if m.serial_ns > 0.0 {
            bg.max(m.procs.min(1.0))
        } else {
            m.procs
        };
        // With the assists' share x of the program's CPU: what it
        // allocates and owes, what the workers and assists pay.
        let step = |x: f64| -> (f64, f64, f64) {
            let marking = (bg + x * mutator).min(usable);
            let bytes = m.alloc.min(m.alloc_per_cpu * mutator * (1.0 - x)) * dt / NS;
            let paid = rate_of(marking) * dt + credit;
            (bytes, bytes * per_byte, paid)
        };
        let (_, owed, paid) = step(0.0);
        let x = if owed <= paid {
            0.0
        } else {
            let (mut lo, mut hi) = (0.0, 1.0);
            for _ in 0..30 {
                let mid = (lo + hi) / 2.0;
                let (_, owed, paid) = step(mid);
                if owed > paid {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            hi
        };
        let (bytes, owed, paid) = step(x);
        let marking = (bg + x * mutator).min(usable);
        let advance = rate_of(marking) * dt;
        progress += advance;
        credit = (paid - owed).max(0.0);
        allocated += bytes;
        bg_cpu += bg * dt;
        assist_cpu += (marking - bg).max(0.0) * dt;
        t += dt;
    }
    let busy = t.max(1.0);
    let bg = bg_cpu / busy;
    Mark {
        bg,
        assist: assist_cpu / ((m.procs - bg).max(1e-9) * busy),
        busy,
        allocated,
        bg_cpu,
        assist_cpu,
    }
}

/// One mark as `run_cycle` solves it: the background workers' and the
/// assists' shares, how long the Ps mark (ns), how many of them, and what
/// the program allocates meanwhile (bytes).
#[derive(Clone, Copy, Debug)]
struct Mark {
    /// The background workers' share of the Ps, on average over the mark.
    bg: f64,
    /// The assists' share of the program's CPU, on average.
    assist: f64,
    busy: f64,
    allocated: f64,
    /// CPU ns of the background workers and of the assists.
    bg_cpu: f64,
    assist_cpu: f64,
}

/// A program as the pacer sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// Live heap at the start, bytes.
    pub live: u64,
    /// Allocation rate, bytes per second (garbage plus any leak), while no
    /// marking slows the program down.
    pub alloc_per_sec: u64,
    /// Of that rate, bytes per second that stay live for ever (a leak).
    pub leak_per_sec: u64,
    /// Scannable goroutine stacks, bytes.
    pub stacks: u64,
    /// Scannable globals, bytes.
    pub globals: u64,
    /// The live heap's objects: their size, pointer prefix and reach.
    pub shape: HeapShape,
    /// Share of GOMAXPROCS the program's goroutines keep busy to allocate
    /// at `alloc_per_sec` while no marking runs, 0..=1: 1 is a program
    /// that allocates as fast as it can, whose allocation slows as soon
    /// as marking takes CPU; a lower share has slack that marking uses
    /// first.
    pub busy: f64,
    /// The goroutines never block: each keeps its P until sysmon preempts
    /// it, so a fractional mark worker, which only starts when its P looks
    /// for work (mgcpacer.go `assignWaitingGCWorker`), gets in only at
    /// those preemptions ([`fractional_mark_ns`]) and assists do most of
    /// the marking. `false` is a program that blocks often (I/O, channels,
    /// locks), where the fractional worker keeps to its share.
    pub never_blocks: bool,
    /// What marking costs (see [`super::cost`]).
    pub cost: MarkCost,
    pub gomaxprocs: u32,
    pub gogc: Gogc,
    /// GOMEMLIMIT in bytes; `None` is off.
    pub gomemlimit: Option<u64>,
    pub spike: Option<Spike>,
}

impl Workload {
    /// A program with `live_mb` MiB live, allocating `rate_mb` MiB/s, under
    /// the defaults: GOGC=100, no limit, GOMAXPROCS=2, 8 KiB of stacks,
    /// 160 KiB of globals, a heap of 64-byte objects whose first half
    /// holds pointers (a map's buckets, structs of strings), the measured
    /// mark costs.
    pub fn steady(live_mb: u64, rate_mb: u64) -> Workload {
        Workload {
            live: live_mb << 20,
            alloc_per_sec: rate_mb << 20,
            leak_per_sec: 0,
            stacks: 8 << 10,
            globals: 160 << 10,
            shape: HeapShape {
                object_bytes: 64,
                pointer_bytes: 32,
                reach: Reach::Fanout,
            },
            cost: MarkCost::MEASURED,
            busy: 1.0,
            never_blocks: false,
            gomaxprocs: 2,
            gogc: Gogc::Percent(100),
            gomemlimit: None,
            spike: None,
        }
    }

    /// What marking `live` bytes of this workload's heap has to do: the
    /// heap's objects, and the stacks and globals, which are roots scanned
    /// word by word (`markroot`).
    pub fn mark_counts(&self, live: u64) -> MarkCounts {
        let roots = (self.stacks + self.globals) as f64;
        self.shape.counts(live).plus(&MarkCounts {
            pointer_words: roots / 8.0,
            scan_bytes: roots,
            ..MarkCounts::default()
        })
    }

    /// Live heap at time `t` (spike and leak included).
    pub fn live_at(&self, t: u64) -> u64 {
        let leaked = (self.leak_per_sec as f64 * t as f64 / NS) as u64;
        let spike = match self.spike {
            Some(s) if (s.at_ns..s.until_ns).contains(&t) => s.extra,
            _ => 0,
        };
        self.live + leaked + spike
    }
}

/// A named workload for the widget's menu. Its description is not stored:
/// the widget writes it from the workload in force and the run it gives, so
/// it cannot contradict a knob the learner moved.
#[derive(Clone, Debug)]
pub struct PacerPreset {
    pub name: &'static str,
    pub workload: Workload,
    pub seconds: u64,
}

/// The pacer workloads the widget offers.
pub fn pacer_presets() -> Vec<PacerPreset> {
    let steady = Workload::steady(64, 256);
    let mut spike = Workload::steady(64, 256);
    spike.spike = Some(Spike {
        at_ns: 20 * 1_000_000_000,
        until_ns: 30 * 1_000_000_000,
        extra: 192 << 20,
    });
    let mut leak = Workload::steady(64, 256);
    leak.leak_per_sec = 4 << 20;
    leak.gomemlimit = Some(512 << 20);
    let mut off = Workload::steady(64, 256);
    off.gogc = Gogc::Off;
    off.gomemlimit = Some(256 << 20);
    let mut container = Workload::steady(300, 128);
    container.gomemlimit = Some(460 << 20);
    container.gomaxprocs = 2;
    // A pointer-heavy heap allocated fast: 1 KiB objects made of
    // pointers, which scanObject reads word by word. At GOGC=100 the
    // background workers alone cannot finish marking before the heap
    // reaches its goal, so every cycle has assists, and a burst of new
    // live data makes the heap run far ahead of the goal for a cycle.
    let mut latency = Workload::steady(64, 1536);
    latency.shape = HeapShape {
        object_bytes: 1024,
        pointer_bytes: 1024,
        reach: Reach::Fanout,
    };
    latency.gomaxprocs = 4;
    latency.spike = Some(Spike {
        at_ns: 10 * 1_000_000_000,
        until_ns: 12 * 1_000_000_000,
        extra: 128 << 20,
    });
    // A cache of []byte values: the collector marks each 64 KiB array
    // and never looks inside.
    let mut byte_cache = Workload::steady(256, 256);
    byte_cache.shape = HeapShape::BYTES;
    // A service whose heap is mostly maps of string keys to pointers: a
    // swiss-table group holds 8 slots of 24 bytes after an 8-byte control
    // word (208 bytes with its size class), and the collector scans it up
    // to its last pointer (the model's pointer prefix, 200 bytes).
    let mut map_service = Workload::steady(128, 512);
    map_service.shape = HeapShape {
        object_bytes: 208,
        pointer_bytes: 200,
        reach: Reach::Fanout,
    };
    map_service.gomaxprocs = 4;
    // Issue 13's program: about 72 MiB of 64-byte nodes in one chain,
    // allocating garbage fast on two Ps.
    let mut linked_list = Workload::steady(72, 1000);
    linked_list.shape = HeapShape {
        object_bytes: 64,
        pointer_bytes: 8,
        reach: Reach::List,
    };
    alloc::vec![
        PacerPreset {
            name: "steady",
            workload: steady,
            seconds: 60,
        },
        PacerPreset {
            name: "spike",
            workload: spike,
            seconds: 60,
        },
        PacerPreset {
            name: "leak",
            workload: leak,
            seconds: 150,
        },
        PacerPreset {
            name: "gogc-off-with-limit",
            workload: off,
            seconds: 60,
        },
        PacerPreset {
            name: "container",
            workload: container,
            seconds: 60,
        },
        PacerPreset {
            name: "latency-spikes",
            workload: latency,
            seconds: 30,
        },
        PacerPreset {
            name: "byte-cache",
            workload: byte_cache,
            seconds: 60,
        },
        PacerPreset {
            name: "map-service",
            workload: map_service,
            seconds: 30,
        },
        PacerPreset {
            name: "linked-list",
            workload: linked_list,
            seconds: 10,
        },
    ]
}

/// What happened in one GC cycle; the widget plots these.
#[derive(Clone, Debug, PartialEq)]
pub struct CycleRecord {
    /// The gctrace line's fields.
    pub trace: GcTrace,
    /// When the cycle began and ended (after mark termination), ns.
    pub start_ns: u64,
    pub end_ns: u64,
    /// The trigger that started it, bytes of `heapLive`.
    pub trigger: u64,
    /// The heap goal during this cycle and the two it was the lower of.
    pub goal: u64,
    pub gogc_goal: Option<u64>,
    pub memory_limit_goal: Option<u64>,
    /// Share of mutator CPU taken by mark assists, 0..1, whether they
    /// marked or parked waiting for work: one figure for the whole mark,
    /// spread evenly over it (see the module's "What it leaves out").
    pub assist_fraction: f64,
    /// Dedicated mark workers and the fractional worker's utilization goal.
    pub dedicated_workers: u32,
    pub fractional_utilization_goal: f64,
    /// The CPU limiter was on during this cycle's mark.
    pub limiter_on: bool,
    /// Started by the 2-minute `forcegcperiod`, not by the trigger.
    pub periodic: bool,
    /// Total memory the model counts against GOMEMLIMIT at the cycle's peak.
    pub peak_memory: u64,
}

impl CycleRecord {
    /// Bytes this cycle marked that the program no longer reaches: what
    /// it allocated during the mark, which was allocated black
    /// (mgcmark.go `gcmarknewobject`) and so survives this cycle as
    /// floating garbage, less what of it is live (a leak's share).
    pub fn floating_garbage(&self, w: &Workload) -> u64 {
        self.trace.heap[2].saturating_sub(w.live_at(self.end_ns))
    }

    /// Wall-clock time the world was stopped: sweep termination plus mark
    /// termination, ns.
    pub fn stw_ns(&self) -> u64 {
        self.trace.clock_ns[0] + self.trace.clock_ns[2]
    }

    /// CPU time the allocating goroutines spent in mark assists, ns (the
    /// second figure of the gctrace line's cpu part).
    pub fn assist_cpu_ns(&self) -> u64 {
        self.trace.cpu_ns[1]
    }

    /// The concurrent mark's wall-clock length, ns.
    pub fn mark_ns(&self) -> u64 {
        self.trace.clock_ns[1]
    }
}

/// Mirrors mgclimit.go `gcCPULimiterState` (go1.27): the leaky bucket.
#[derive(Clone, Debug, PartialEq)]
pub struct CpuLimiter {
    pub fill: u64,
    pub capacity: u64,
    pub enabled: bool,
    /// GC CPU time that overflowed the full bucket, ns.
    pub overflow: u64,
}

impl CpuLimiter {
    /// Mirrors mgclimit.go `accumulate` (go1.27): GC time fills the bucket,
    /// mutator time drains it; "headroom == 0" means limiting.
    pub fn accumulate(&mut self, mutator_time: i64, gc_time: i64) {
        let headroom = self.capacity - self.fill;
        let change = gc_time - mutator_time;
        if change > 0 && headroom <= change as u64 {
            self.overflow += change as u64 - headroom;
            self.fill = self.capacity;
            self.enabled = true;
            return;
        }
        if change < 0 && self.fill <= change.unsigned_abs() {
            self.fill = 0;
        } else if change < 0 {
            self.fill -= change.unsigned_abs();
        } else {
            self.fill += change as u64;
        }
        if change != 0 {
            self.enabled = false;
        }
    }
}

/// The pacer's state: `gcControllerState` plus the simulated clock and
/// totals. Clone it to rewind.
#[derive(Clone, Debug)]
pub struct Pacer {
    pub workload: Workload,
    /// Simulated time, ns since program start.
    pub now: u64,
    /// `heapLive`: bytes allocated and not yet found dead.
    pub heap_live: u64,
    /// `heapMarked`: what the last cycle marked.
    pub heap_marked: u64,
    pub heap_minimum: u64,
    pub last_heap_scan: u64,
    pub last_stack_scan: u64,
    pub cons_mark: f64,
    pub last_cons_mark: [f64; 4],
    pub runway: u64,
    pub sweep_dist_min_trigger: u64,
    /// `triggered`: heapLive when the last cycle started (`u64::MAX` before any).
    pub triggered: u64,
    pub limiter: CpuLimiter,
    pub numgc: u32,
    pub last_gc_end: u64,
    pub gc_cpu_ns: u64,
    pub peak_memory: u64,
    pub records: Vec<CycleRecord>,
}

impl Pacer {
    /// Mirrors mgcpacer.go `gcControllerState.init` (go1.27): heapMinimum
    /// from GOGC, `triggered` unset, then `commit(true)`.
    pub fn new(workload: Workload) -> Pacer {
        let heap_minimum = match workload.gogc {
            Gogc::Percent(p) => DEFAULT_HEAP_MINIMUM * u64::from(p) / 100,
            Gogc::Off => u64::MAX,
        };
        let mut p = Pacer {
            now: 0,
            heap_live: workload.live,
            heap_marked: 0,
            heap_minimum,
            last_heap_scan: 0,
            last_stack_scan: 0,
            cons_mark: 0.0,
            last_cons_mark: [0.0; 4],
            runway: 0,
            sweep_dist_min_trigger: 0,
            triggered: u64::MAX,
            limiter: CpuLimiter {
                fill: 0,
                capacity: u64::from(workload.gomaxprocs) * CAPACITY_PER_PROC_NS,
                enabled: false,
                overflow: 0,
            },
            numgc: 0,
            last_gc_end: 0,
            gc_cpu_ns: 0,
            peak_memory: 0,
            records: Vec::new(),
            workload,
        };
        p.commit(true);
        p
    }

    fn gc_percent(&self) -> i64 {
        self.workload.gogc.gc_percent()
    }

    /// The GOGC goal, as `commit` stores it in `gcPercentHeapGoal`; `None`
    /// for GOGC=off. Mirrors mgcpacer.go `commit` (go1.27).
    pub fn gc_percent_heap_goal(&self) -> Option<u64> {
        let pct = self.gc_percent();
        if pct < 0 {
            return None;
        }
        let goal = self.heap_marked
            + (self.heap_marked + self.last_stack_scan + self.workload.globals) * pct as u64 / 100;
        // "Apply the minimum heap size here."
        Some(goal.max(self.heap_minimum))
    }

    /// Memory the runtime maps that is not heap objects: stacks and its own
    /// structures (see [`RUNTIME_OVERHEAD_BYTES`]).
    pub fn non_heap_memory(&self) -> u64 {
        self.workload.stacks
            + RUNTIME_OVERHEAD_BYTES
            + self.heap_live / RUNTIME_OVERHEAD_HEAP_DIVISOR
    }

    /// Mirrors mgcpacer.go `memoryLimitHeapGoal` (go1.27); `None` without a
    /// limit. The model's `mappedReady` is heap in use plus non-heap memory
    /// (no free, unscavenged pages).
    pub fn memory_limit_heap_goal(&self) -> Option<u64> {
        let limit = self.workload.gomemlimit?;
        let non_heap = self.non_heap_memory();
        let mapped_ready = self.heap_live + non_heap;
        let overage = mapped_ready.saturating_sub(limit);
        // "non-heap memory exceeds the memory limit on its own ... Set it to
        // heapMarked, the lowest possible goal."
        if non_heap + overage >= limit {
            return Some(self.heap_marked);
        }
        let mut goal = limit - (non_heap + overage);
        let headroom = (goal / 100 * MEMORY_LIMIT_HEAP_GOAL_HEADROOM_PERCENT)
            .max(MEMORY_LIMIT_MIN_HEAP_GOAL_HEADROOM);
        goal = if goal < headroom || goal - headroom < headroom {
            headroom
        } else {
            goal - headroom
        };
        // "Don't let us go below the live heap."
        Some(goal.max(self.heap_marked))
    }

    /// Mirrors mgcpacer.go `heapGoalInternal` (go1.27): the lower goal wins;
    /// outside the memory-limit regime the sweep distance and a 64 KiB
    /// runway past the trigger can push it up.
    pub fn heap_goal_internal(&self) -> (u64, u64) {
        let mut goal = self.gc_percent_heap_goal().unwrap_or(u64::MAX);
        let mut min_trigger = 0;
        match self.memory_limit_heap_goal() {
            Some(limit_goal) if limit_goal < goal => goal = limit_goal,
            _ => {
                goal = goal.max(self.sweep_dist_min_trigger);
                min_trigger = self.sweep_dist_min_trigger;
                const MIN_RUNWAY: u64 = 64 << 10;
                if self.triggered != u64::MAX && goal < self.triggered + MIN_RUNWAY {
                    goal = self.triggered + MIN_RUNWAY;
                }
            }
        }
        (goal, min_trigger)
    }

    /// Mirrors mgcpacer.go `heapGoal`.
    pub fn heap_goal(&self) -> u64 {
        self.heap_goal_internal().0
    }

    /// Mirrors mgcpacer.go `trigger` (go1.27): (trigger, goal).
    pub fn trigger(&self) -> (u64, u64) {
        let (goal, mut min_trigger) = self.heap_goal_internal();
        if self.heap_marked >= goal {
            return (goal, goal);
        }
        min_trigger = min_trigger.max(self.heap_marked);
        // The trigger stays at least 45/64 of the way to the goal ...
        let span = goal - self.heap_marked;
        let lower = span / TRIGGER_RATIO_DEN * MIN_TRIGGER_RATIO_NUM + self.heap_marked;
        min_trigger = min_trigger.max(lower);
        // ... and at most 61/64 of it, or goal - 4 MiB for big heaps.
        let mut max_trigger = span / TRIGGER_RATIO_DEN * MAX_TRIGGER_RATIO_NUM + self.heap_marked;
        if goal > DEFAULT_HEAP_MINIMUM && goal - DEFAULT_HEAP_MINIMUM > max_trigger {
            max_trigger = goal - DEFAULT_HEAP_MINIMUM;
        }
        max_trigger = max_trigger.max(min_trigger);
        let trigger = if self.runway > goal {
            min_trigger
        } else {
            goal - self.runway
        };
        (trigger.clamp(min_trigger, max_trigger), goal)
    }

    /// Mirrors mgcpacer.go `commit` (go1.27): the sweep distance and the
    /// runway: the cons/mark ratio times the last cycle's scan work, scaled
    /// by `(1 - gcGoalUtilization) / gcGoalUtilization`.
    pub fn commit(&mut self, is_sweep_done: bool) {
        self.sweep_dist_min_trigger = if is_sweep_done {
            0
        } else {
            self.heap_live + SWEEP_MIN_HEAP_DISTANCE
        };
        let u = GC_BACKGROUND_UTILIZATION;
        let scan = self.last_heap_scan + self.last_stack_scan + self.workload.globals;
        self.runway = (self.cons_mark * (1.0 - u) / u * scan as f64) as u64;
    }

    /// Mirrors mgcpacer.go `startCycle` (go1.27): dedicated workers are
    /// `int(procs*0.25 + 0.5)`; when that is more than 30% off, one fewer
    /// and a fractional worker makes up the rest.
    pub fn mark_workers(procs: u32) -> (u32, f64) {
        let goal = f64::from(procs) * GC_BACKGROUND_UTILIZATION;
        let mut dedicated = (goal + 0.5) as u32;
        let util_error = f64::from(dedicated) / goal - 1.0;
        if !(-0.3..=0.3).contains(&util_error) {
            if f64::from(dedicated) > goal {
                dedicated -= 1;
            }
            (dedicated, (goal - f64::from(dedicated)) / f64::from(procs))
        } else {
            (dedicated, 0.0)
        }
    }

    fn memory_now(&self) -> u64 {
        self.heap_live + self.non_heap_memory()
    }

    /// Runs the mutator until the next GC starts (the trigger, or the
    /// forced period) or `end` comes; returns whether a GC starts. Mirrors
    /// mgc.go `gcTrigger.test` (go1.27) for `gcTriggerHeap` and
    /// `gcTriggerTime`.
    fn run_mutator(&mut self, end: u64) -> Option<bool> {
        let rate = self.workload.alloc_per_sec as f64;
        loop {
            let (trigger, _) = self.trigger();
            if self.heap_live >= trigger {
                return Some(false);
            }
            // gcTriggerTime: "lastgc != 0 && t.now-lastgc > forcegcperiod",
            // never when GOGC=off.
            let forced_at = if self.gc_percent() >= 0 && self.numgc > 0 {
                self.last_gc_end + FORCEGC_PERIOD_NS
            } else {
                u64::MAX
            };
            let mut until = end.min(forced_at);
            // The spike's edges change the live heap: stop there too.
            if let Some(s) = self.workload.spike {
                for edge in [s.at_ns, s.until_ns] {
                    if edge > self.now && edge < until {
                        until = edge;
                    }
                }
            }
            let need = (trigger - self.heap_live) as f64;
            let dt_trigger = if rate > 0.0 {
                need / rate * NS
            } else {
                f64::INFINITY
            };
            let dt = (until - self.now) as f64;
            let before = self.workload.live_at(self.now);
            if dt_trigger <= dt {
                self.now += dt_trigger as u64 + 1;
                self.heap_live = trigger;
                self.account_mutator(dt_trigger as u64);
                return Some(false);
            }
            self.now = until;
            self.heap_live += (rate * dt / NS) as u64;
            // A spike is allocated all at once when it starts.
            let after = self.workload.live_at(self.now);
            if let Some(s) = self.workload.spike {
                if self.now == s.at_ns {
                    self.heap_live += after.saturating_sub(before);
                }
            }
            self.account_mutator(dt as u64);
            self.peak_memory = self.peak_memory.max(self.memory_now());
            if self.now >= forced_at {
                return Some(true);
            }
            if self.now >= end {
                return None;
            }
        }
    }

    fn account_mutator(&mut self, dt: u64) {
        let procs = i64::from(self.workload.gomaxprocs);
        self.limiter.accumulate(dt as i64 * procs, 0);
    }

    /// Runs one whole GC cycle from now. Mirrors mgc.go `gcStart` →
    /// concurrent mark → `gcMarkDone`/`gcMarkTermination` (go1.27), with
    /// the pacer's `startCycle`, `revise`, `endCycle`, `resetLive`, `commit`.
    fn run_cycle(&mut self, periodic: bool) -> &CycleRecord {
        let w = self.workload.clone();
        let procs = f64::from(w.gomaxprocs);
        let start = self.now;
        let (trigger, _) = self.trigger();
        let gogc_goal = self.gc_percent_heap_goal();
        let memory_limit_goal = self.memory_limit_heap_goal();
        // gcStart: sweep termination, world stopped; startCycle records
        // `triggered`, which heapGoal's 64 KiB minimum runway now sees.
        let heap0 = self.heap_live;
        self.triggered = heap0;
        let goal = self.heap_goal();
        let (dedicated, fractional) = Pacer::mark_workers(w.gomaxprocs);
        let live = w.live_at(start);
        let counts = w.mark_counts(live);
        let heap_scan = w.shape.counts(live).scan_bytes as u64;
        let scan_work = counts.scan_bytes;
        let work_ns = w.cost.cpu_ns(&counts);
        let serial_ns = w.cost.serial_ns(&counts);
        // Background workers: the dedicated ones take a P each, the
        // fractional one its share (`mark_workers`: 25% of GOMAXPROCS in
        // all, or the dedicated workers alone when they come within 30%
        // of it); the program runs on the rest. It allocates at `alloc`
        // while that needs no more than the CPU it has left: `busy` of
        // GOMAXPROCS gives `alloc`, so one CPU gives alloc / (busy * procs).
        let alloc = w.alloc_per_sec as f64;
        let alloc_per_cpu = alloc / (w.busy.clamp(0.01, 1.0) * procs);
        let runway = goal.saturating_sub(heap0) as f64;
        let sweep_term_ns = w.cost.sweep_term_pause_ns(&counts);
        let limiter_on = self.limiter.enabled;
        // One mark, given the background workers' share `bg` of the Ps.
        let solve = |bg: f64| -> Mark {
            let mutator = procs - bg;
            // A chain is followed by one worker at a time: more than one
            // P's worth of marking finds nothing to do.
            let usable = if serial_ns > 0.0 {
                bg.max(procs.min(1.0))
            } else {
                procs
            };
            // With assists taking the share `assist` of the program's CPU:
            // how long the Ps mark, how many mark, and what the program
            // allocates meanwhile. Assists past what marking can use have
            // found no work and park (gcParkAssist): neither marking nor
            // allocating.
            let mark_with = |assist: f64| -> Mark {
                let marking = (bg + assist * mutator).min(usable);
                let mut busy = work_ns / marking;
                if serial_ns > 0.0 {
                    busy = busy.max(serial_ns / marking.min(1.0));
                }
                let rate = alloc.min(alloc_per_cpu * mutator * (1.0 - assist));
                Mark {
                    bg,
                    assist,
                    busy,
                    allocated: rate * busy / NS,
                    bg_cpu: bg * busy,
                    assist_cpu: (marking - bg) * busy,
                }
            };
            // revise/gcAssistAlloc: if the background workers alone would
            // let the heap pass the goal before marking ends, assists take
            // the share of the program's CPU that makes the two end
            // together (what the program allocates falls as the share
            // grows: found by bisection). "If gcCPULimiter.limiting() ...
            // don't assist".
            if limiter_on || alloc == 0.0 || mark_with(0.0).allocated <= runway {
                return mark_with(0.0);
            }
            let (mut lo, mut hi) = (0.0, 1.0);
            for _ in 0..40 {
                let mid = (lo + hi) / 2.0;
                if mark_with(mid).allocated > runway {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            mark_with(hi)
        };
        let full = f64::from(dedicated) + fractional * procs;
        let m = if w.never_blocks && fractional > 0.0 && !limiter_on && alloc > 0.0 {
            stepped_mark(&SteppedMark {
                procs,
                dedicated: f64::from(dedicated),
                fractional,
                work_ns,
                serial_ns,
                scan_work,
                globals: w.globals as f64,
                alloc,
                alloc_per_cpu,
                runway,
            })
        } else {
            solve(full)
        };
        let Mark {
            bg,
            assist,
            busy,
            allocated,
            bg_cpu,
            assist_cpu,
        } = m;
        let mutator = procs - bg;
        // The mark lasts at least `min_mark_ns`, but once the work is done
        // the workers find none and park (`gcMarkDone` waits on the Ps'
        // handshakes, not on marking), so that tail costs no GC CPU while
        // the program goes on allocating.
        let mark = busy.max(w.cost.min_mark_ns);
        let tail_rate = alloc.min(alloc_per_cpu * mutator);
        // What the program meant to allocate while the world was stopped
        // it allocates once it runs again, as far as its CPU allows: a
        // program whose work arrives at a rate (requests, or the
        // conformance program's paced loop) catches up.
        let most = alloc_per_cpu * mutator * mark / NS;
        let black =
            (allocated + tail_rate * (mark - busy) / NS + alloc * sweep_term_ns / NS).min(most);
        let mark_ns = mark as u64;
        let allocated_black = black as u64;
        let heap1 = heap0 + allocated_black;
        let sweep_term_ns = sweep_term_ns as u64;
        let mark_term_ns = w.cost.mark_term_ns as u64;
        let end = start + sweep_term_ns + mark_ns + mark_term_ns;
        self.now = end;
        self.heap_live = heap1;
        self.peak_memory = self.peak_memory.max(self.memory_now());
        let peak_memory = self.memory_now();

        // CPU time: both pauses on every P, the background workers, the
        // assists.
        let stw_cpu = (sweep_term_ns + mark_term_ns) * u64::from(w.gomaxprocs);
        let bg_cpu = bg_cpu as u64;
        let assist_cpu = assist_cpu as u64;
        let gc_cpu = stw_cpu + bg_cpu + assist_cpu;
        let total_cpu = (end - start) * u64::from(w.gomaxprocs);
        self.limiter
            .accumulate(total_cpu as i64 - gc_cpu as i64, gc_cpu as i64);
        self.gc_cpu_ns += gc_cpu;

        // gcMarkTermination: endCycle, then resetLive(bytesMarked), commit.
        let heap2 = live + allocated_black;
        // endCycle: "Assume background mark hit its utilization goal",
        // plus what assists took over the mark.
        let utilization =
            GC_BACKGROUND_UTILIZATION + assist_cpu as f64 / (mark_ns.max(1) as f64 * procs);
        self.end_cycle(heap1, scan_work, utilization);
        // resetLive: "Reset triggered."
        self.triggered = u64::MAX;
        self.heap_marked = heap2;
        self.heap_live = heap2;
        self.last_heap_scan = heap_scan;
        self.last_stack_scan = w.stacks;
        self.commit(true);
        self.numgc += 1;
        self.last_gc_end = end;
        let gc_cpu_fraction = self.gc_cpu_ns as f64 / (end as f64 * procs);
        let trace = GcTrace {
            numgc: self.numgc,
            start_ns: start,
            gc_cpu_fraction,
            clock_ns: [sweep_term_ns, mark_ns, mark_term_ns],
            cpu_ns: [
                sweep_term_ns * u64::from(w.gomaxprocs),
                assist_cpu,
                bg_cpu,
                0,
                mark_term_ns * u64::from(w.gomaxprocs),
            ],
            heap: [heap0, heap1, heap2],
            goal,
            stacks: w.stacks,
            globals: w.globals,
            procs: w.gomaxprocs,
            forced: false,
        };
        self.records.push(CycleRecord {
            trace,
            start_ns: start,
            end_ns: end,
            trigger,
            goal,
            gogc_goal,
            memory_limit_goal,
            assist_fraction: assist,
            dedicated_workers: dedicated,
            fractional_utilization_goal: fractional,
            limiter_on,
            periodic,
            peak_memory,
        });
        self.records.last().expect("just pushed")
    }

    /// Mirrors mgcpacer.go `endCycle` (go1.27): the cons/mark estimate is
    /// the largest of this cycle's and the last four.
    fn end_cycle(&mut self, heap_live: u64, scan_work: f64, utilization: f64) {
        if heap_live <= self.triggered || scan_work <= 0.0 {
            return;
        }
        let current = (heap_live - self.triggered) as f64 * utilization
            / (scan_work * (1.0 - utilization).max(1e-9));
        self.cons_mark = self.last_cons_mark.iter().fold(current, |m, &c| m.max(c));
        self.last_cons_mark.rotate_left(1);
        self.last_cons_mark[3] = current;
    }

    /// Advances to the end of the next GC cycle, or to `end` if none starts
    /// before it; the cycle's record, if one ran.
    pub fn step(&mut self, end: u64) -> Option<&CycleRecord> {
        let periodic = self.run_mutator(end)?;
        Some(self.run_cycle(periodic))
    }

    /// Takes steps while the next step's event happens at or before `end`
    /// on the simulation's clock (virtual nanoseconds; a step is a GC cycle,
    /// which happens when it starts), stopping early when the run ends;
    /// returns the events of the steps taken, oldest first: the records of
    /// the cycles that ran. The clock then reads at least `end`.
    pub fn run_until(&mut self, end: u64) -> &[CycleRecord] {
        let before = self.records.len();
        while self.now < end && self.step(end).is_some() {}
        &self.records[before..]
    }

    /// `runtime.MemStats.GCCPUFraction` now.
    pub fn gc_cpu_fraction(&self) -> f64 {
        if self.now == 0 {
            return 0.0;
        }
        self.gc_cpu_ns as f64 / (self.now as f64 * f64::from(self.workload.gomaxprocs))
    }
}

/// Simulates `workload` for `seconds` and returns the pacer with its records.
pub fn simulate(workload: Workload, seconds: f64) -> Pacer {
    let mut p = Pacer::new(workload);
    p.run_until((seconds * NS) as u64);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    fn steady(gogc: Gogc, limit: Option<u64>) -> Pacer {
        let mut w = Workload::steady(64, 256);
        w.gogc = gogc;
        w.gomemlimit = limit;
        // A pointer-free heap: marking is instant, nothing is allocated black.
        w.shape = HeapShape::BYTES;
        simulate(w, 10.0)
    }

    fn last_goal_mib(p: &Pacer) -> f64 {
        p.records.last().expect("a cycle ran").goal as f64 / MIB as f64
    }

    #[test]
    fn gogc_100_lets_the_heap_double_the_live_heap() {
        let p = steady(Gogc::Percent(100), None);
        let goal = last_goal_mib(&p);
        assert!((128.0..130.0).contains(&goal), "goal {goal} MiB");
        let p50 = steady(Gogc::Percent(50), None);
        assert!((96.0..98.0).contains(&last_goal_mib(&p50)));
    }

    #[test]
    fn a_tiny_heap_still_gets_the_4_mib_minimum() {
        let p = simulate(Workload::steady(0, 8), 2.0);
        assert_eq!(p.records.last().unwrap().goal, 4 * MIB);
    }

    #[test]
    fn the_lower_goal_wins_when_gomemlimit_binds() {
        let p = steady(Gogc::Percent(100), Some(100 * MIB));
        let r = p.records.last().unwrap();
        assert!(r.memory_limit_goal.unwrap() < r.gogc_goal.unwrap());
        assert_eq!(r.goal, r.memory_limit_goal.unwrap());
        let goal = last_goal_mib(&p);
        assert!((88.0..95.0).contains(&goal), "goal {goal} MiB");
    }

    #[test]
    fn a_program_that_never_blocks_lets_the_fractional_worker_in_late() {
        let ms = 1e6;
        // No preemption comes before 10 ms: no fractional marking.
        assert_eq!(fractional_mark_ns(9.0 * ms, 0.25), 0.0);
        // A long mark: close to, and never above, 1.2 times the goal.
        let long = fractional_mark_ns(1000.0 * ms, 0.25) / (1000.0 * ms);
        assert!((0.2..=0.3).contains(&long), "share {long}");
        // In between, a share that grows with the mark.
        let at = |m: f64| fractional_mark_ns(m * ms, 0.25) / (m * ms);
        assert!(
            at(15.0) < at(30.0) && at(30.0) < 0.3,
            "{} {}",
            at(15.0),
            at(30.0)
        );
        // So at GOMAXPROCS=2, where all of background marking is the
        // fractional worker, a busy program's marks go slower in the
        // background, and where the heap's runway is short, assists do
        // more of them.
        for (gogc, assists) in [(100, false), (25, true)] {
            let mut blocks = Workload::steady(64, 512);
            blocks.busy = 0.1;
            blocks.gogc = Gogc::Percent(gogc);
            let never = Workload {
                never_blocks: true,
                ..blocks.clone()
            };
            let last = |w: Workload| simulate(w, 5.0).records.last().expect("cycles").clone();
            let (b, n) = (last(blocks), last(never));
            let background =
                |r: &CycleRecord| r.trace.cpu_ns[2] as f64 / r.trace.clock_ns[1] as f64;
            assert!(
                background(&n) < background(&b),
                "GOGC={gogc}: {:?} vs {:?}",
                n.trace,
                b.trace
            );
            if assists {
                assert!(
                    n.trace.cpu_ns[1] > b.trace.cpu_ns[1],
                    "GOGC={gogc}: {:?} vs {:?}",
                    n.trace,
                    b.trace
                );
            }
        }
    }

    #[test]
    fn gogc_off_without_a_limit_never_collects() {
        let p = steady(Gogc::Off, None);
        assert!(p.records.is_empty());
        // Not even the 2-minute forced GC: gcTriggerTime skips GOGC=off.
        let idle_off = Workload {
            gogc: Gogc::Off,
            ..Workload::steady(64, 0)
        };
        assert!(simulate(idle_off, 250.0).records.is_empty());
    }

    #[test]
    fn an_idle_program_is_collected_every_two_minutes() {
        let p = simulate(Workload::steady(64, 0), 250.0);
        let periodic: Vec<bool> = p.records.iter().map(|r| r.periodic).collect();
        assert_eq!(periodic, [false, true, true]);
    }

    #[test]
    fn the_trigger_sits_between_45_and_61_64ths_of_the_way() {
        let p = steady(Gogc::Percent(100), None);
        for r in &p.records[2..] {
            let marked = r.trace.heap[2] as f64;
            let way = (r.trigger as f64 - marked) / (r.goal as f64 - marked);
            assert!(way < 1.0, "trigger past goal in {r:?}");
        }
        let (trigger, goal) = p.trigger();
        let way = (trigger - p.heap_marked) as f64 / (goal - p.heap_marked) as f64;
        assert!((45.0 / 64.0 - 0.01..=1.0).contains(&way), "{way}");
    }

    #[test]
    fn mark_workers_are_a_quarter_of_gomaxprocs() {
        assert_eq!(Pacer::mark_workers(4), (1, 0.0));
        assert_eq!(Pacer::mark_workers(8), (2, 0.0));
        let (d, f) = Pacer::mark_workers(2);
        assert_eq!(d, 0);
        assert!((f - 0.25).abs() < 1e-9);
        let (d, f) = Pacer::mark_workers(6);
        assert_eq!(d, 1);
        assert!((f - 0.5 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn the_leak_meets_the_limit_and_the_cpu_limiter_holds_gc_near_half() {
        let preset = pacer_presets()
            .into_iter()
            .find(|p| p.name == "leak")
            .unwrap();
        let p = simulate(preset.workload, preset.seconds as f64);
        assert!(
            p.records.iter().any(|r| r.limiter_on),
            "the limiter never turned on"
        );
        let late: Vec<&CycleRecord> = p
            .records
            .iter()
            .filter(|r| r.start_ns > 140_000_000_000)
            .collect();
        assert!(!late.is_empty());
        // Over the last seconds GC takes about half the CPU, not all of it.
        let first = late[0];
        let last = late[late.len() - 1];
        let gc: f64 = late
            .iter()
            .map(|r| r.trace.cpu_ns.iter().sum::<u64>() as f64)
            .sum();
        let wall = (last.end_ns - first.start_ns) as f64 * 2.0;
        let share = gc / wall;
        assert!((0.35..0.65).contains(&share), "GC share {share}");
    }

    #[test]
    fn gogc_off_with_a_limit_collects_only_near_the_limit() {
        let preset = pacer_presets()
            .into_iter()
            .find(|p| p.name == "gogc-off-with-limit")
            .unwrap();
        let p = simulate(preset.workload, 10.0);
        assert!(!p.records.is_empty());
        for r in &p.records {
            assert!(r.trace.heap[0] > 200 * MIB, "{}", r.trace.line());
        }
    }

    #[test]
    fn a_spike_raises_the_goal_and_it_comes_back_down() {
        let preset = pacer_presets()
            .into_iter()
            .find(|p| p.name == "spike")
            .unwrap();
        let p = simulate(preset.workload, 60.0);
        let goal_at = |s: u64| {
            p.records
                .iter()
                .rev()
                .find(|r| r.start_ns < s * 1_000_000_000)
                .unwrap()
                .goal
                / MIB
        };
        let (before, during, after) = (goal_at(19), goal_at(29), goal_at(59));
        assert!(during > 3 * before, "{before} {during}");
        assert!(after.abs_diff(before) <= before / 20, "{before} {after}");
    }

    #[test]
    fn objects_allocated_during_a_long_mark_count_as_marked() {
        let mut w = Workload::steady(64, 256);
        w.shape = HeapShape::new(64, 64, Reach::Fanout).unwrap();
        let p = simulate(w, 5.0);
        let r = p.records.last().unwrap();
        // About 1M objects to scan at 0.5 CPU: the program allocates
        // black meanwhile, and all of it is marked.
        let black = r.trace.heap[1] - r.trace.heap[0];
        assert!(black > 4 * MIB, "{}", r.trace.line());
        assert_eq!(r.trace.heap[2], 64 * MIB + black, "{}", r.trace.line());
        assert_eq!(r.trace.heap[2], p.heap_marked);
    }

    /// The latency workload assists in every cycle at GOGC=100, and far
    /// more when the burst lands; GOGC=200 gives the background workers
    /// enough runway that only the burst's cycles assist.
    #[test]
    fn the_latency_workload_assists_when_the_heap_runs_ahead_of_the_goal() {
        let preset = pacer_presets()
            .into_iter()
            .find(|p| p.name == "latency-spikes")
            .unwrap();
        let run = |gogc| {
            let mut w = preset.workload.clone();
            w.gogc = gogc;
            simulate(w, preset.seconds as f64)
        };
        let burst = 10_000_000_000..12_000_000_000;
        let p = run(Gogc::Percent(100));
        let (inside, outside): (Vec<&CycleRecord>, Vec<&CycleRecord>) = p.records[2..]
            .iter()
            .partition(|r| burst.contains(&r.start_ns));
        let steady = outside
            .iter()
            .filter(|r| (0.03..0.15).contains(&r.assist_fraction))
            .count();
        assert!(
            steady * 10 > outside.len() * 9,
            "{steady} of {}",
            outside.len()
        );
        // The burst's first cycle: over 40% of the program's CPU goes to
        // assists, four times the steady share.
        assert!(inside.iter().any(|r| r.assist_fraction > 0.4));
        let p = run(Gogc::Percent(200));
        let assisted: Vec<u64> = p.records[2..]
            .iter()
            .filter(|r| r.assist_fraction > 0.01)
            .map(|r| r.start_ns)
            .collect();
        assert!(!assisted.is_empty());
        assert!(assisted.iter().all(|t| burst.contains(t)), "{assisted:?}");
    }

    #[test]
    fn peak_memory_and_gc_cpu_fraction_are_reported() {
        let p = steady(Gogc::Percent(100), None);
        assert!(p.peak_memory > 128 * MIB);
        let f = p.gc_cpu_fraction();
        assert!(f > 0.0 && f < 0.25, "{f}");
    }
}
