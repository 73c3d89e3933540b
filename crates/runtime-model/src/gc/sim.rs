//! One collector over the small heap, step by step: the cycle of
//! runtime/mgc.go (go1.27) with a mutator running between its steps.
//!
//! ```text
//! Off ──gcStart──▶ SweepTermination (STW) ──▶ Mark (concurrent, barrier on,
//!   new objects black) ──gcMarkDone──▶ MarkTermination (STW; Dijkstra
//!   re-scans stacks here) ──gcMarkTermination──▶ Sweep (concurrent,
//!   sweepone span by span) ──▶ Off
//! ```
//!
//! Each [`GcSim::step`] does one unit of work and returns the [`Event`]
//! that says what happened. The order of work inside a step:
//! 1. pick who runs: the next scripted [`Op`], or (random mutator) the
//!    seeded generator's choice between mutator and collector; while the
//!    world is stopped only the collector runs;
//! 2. do it (one mutator action, or one collector unit: a root job, one
//!    `scanobject`, one phase change, one `sweepone`);
//! 3. while marking, run the invariant checker and attach any newly broken
//!    edge to the event.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::barrier::{BarrierMode, Invariant};
use super::heap::{Color, Edge, Heap, Holder, ObjectId};
use super::mark::{greyobject, markroot_globals, scanobject, scanstack, shade, GreyQueue};
use crate::rand::CheapRand;

/// The collector's phase (`gcphase` plus the two stop-the-world windows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// `_GCoff` with sweeping finished: only the mutator runs.
    Off,
    /// The world is stopped in `gcStart`.
    SweepTermination,
    /// `_GCmark`: concurrent marking, write barrier on.
    Mark,
    /// `_GCmarktermination`: the world is stopped.
    MarkTermination,
    /// `_GCoff` with spans left to sweep.
    Sweep,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Off => "off",
            Phase::SweepTermination => "sweep termination",
            Phase::Mark => "mark",
            Phase::MarkTermination => "mark termination",
            Phase::Sweep => "sweep",
        }
    }

    /// Whether the world is stopped during this phase.
    pub fn world_stopped(self) -> bool {
        matches!(self, Phase::SweepTermination | Phase::MarkTermination)
    }

    /// Whether the write barrier is on (`writeBarrier.enabled`).
    pub fn barrier_on(self) -> bool {
        matches!(self, Phase::Mark | Phase::MarkTermination)
    }
}

/// Something the program does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Goroutine `g` allocates an object of `size` bytes with `slots`
    /// pointer slots and keeps it in its stack slot `slot`.
    Alloc {
        g: u32,
        slot: u32,
        size: u32,
        slots: u32,
    },
    /// A pointer write into an object or a global (barriered while marking).
    Write {
        holder: Holder,
        slot: u32,
        to: Option<ObjectId>,
    },
    /// Goroutine `g` loads `from.from_slot` into its stack slot `slot`.
    Load {
        g: u32,
        slot: u32,
        from: ObjectId,
        from_slot: u32,
    },
    /// Goroutine `g` overwrites a slot in its own frame (the compiler emits no
    /// barrier for that).
    StackWrite {
        g: u32,
        slot: u32,
        to: Option<ObjectId>,
    },
}

/// One scripted step of a preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Mutator(Action),
    /// One unit of collector work (starts a cycle when none is running).
    Collect,
    /// A second mark worker (or an assist) scans one grey object even
    /// though root jobs remain: gcDrain runs on several Ps at once.
    Drain,
    /// The collector alone until the current cycle is over.
    FinishCycle,
}

/// What a step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    Alloc {
        obj: ObjectId,
        g: u32,
        slot: u32,
        black: bool,
    },
    /// A heap or global pointer write; `shaded` are the objects the write
    /// barrier greyed.
    Write {
        holder: Holder,
        slot: u32,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        shaded: Vec<ObjectId>,
    },
    Load {
        g: u32,
        slot: u32,
        from: ObjectId,
        from_slot: u32,
        value: Option<ObjectId>,
    },
    StackWrite {
        g: u32,
        slot: u32,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    },
    /// `gcStart` stopped the world: sweep termination.
    SweepTermination,
    /// The world restarted with the write barrier on: concurrent mark.
    MarkStart,
    MarkRootGlobals {
        shaded: Vec<ObjectId>,
    },
    ScanStack {
        g: u32,
        shaded: Vec<ObjectId>,
    },
    ScanObject {
        obj: ObjectId,
        shaded: Vec<ObjectId>,
    },
    /// `gcMarkDone`: no grey work left; the world stops.
    MarkDone,
    /// Dijkstra mode only: a stack re-scanned during mark termination.
    RescanStack {
        g: u32,
        shaded: Vec<ObjectId>,
    },
    /// `gcMarkTermination`: barrier off, world restarted, sweep begins.
    MarkTermination,
    Sweep {
        span: u32,
        freed: Vec<ObjectId>,
        /// Freed although still reachable: lost by the collector.
        freed_while_reachable: Vec<ObjectId>,
    },
    SweepDone,
}

/// A black holder pointing to a white object the barrier failed to
/// protect, named by its edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Violation {
    pub edge: Edge,
    pub invariant: Invariant,
}

impl Violation {
    pub fn sentence(&self) -> String {
        match self.invariant {
            Invariant::Strong => format!(
                "Black {} points to white {} ({}): the strong tricolor invariant is broken.",
                self.edge.holder, self.edge.to, self.edge
            ),
            Invariant::Weak => format!(
                "Black {} points to white {} ({}) and no grey object still leads to {}: the weak tricolor invariant is broken, {} will be freed while in use.",
                self.edge.holder, self.edge.to, self.edge, self.edge.to, self.edge.to
            ),
        }
    }
}

/// One step's event: what, to whom, which Go function, in which phase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Step number, from 1: the model's virtual time.
    pub step: u64,
    pub cycle: u32,
    pub kind: EventKind,
    /// The phase after the step.
    pub phase: Phase,
    pub world_stopped: bool,
    pub go_function: &'static str,
    pub go_file: &'static str,
    pub sentence: String,
    /// Invariant violations that appeared with this step.
    pub violations: Vec<Violation>,
}

/// How a simulation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    pub barrier: BarrierMode,
    pub seed: u64,
    /// GOGC for the random mutator's trigger.
    pub gogc: u32,
    /// While marking or sweeping, the percentage of steps the random
    /// mutator gets.
    pub mutator_share: u32,
    pub check_invariants: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            barrier: BarrierMode::Hybrid,
            seed: 1,
            gogc: 100,
            mutator_share: 40,
            check_invariants: true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RootJob {
    Globals,
    Stack(u32),
}

/// The whole simulation; Clone it to keep a rewind point.
#[derive(Clone, Debug)]
pub struct GcSim {
    heap: Heap,
    queue: GreyQueue,
    config: Config,
    phase: Phase,
    rng: CheapRand,
    script: Vec<Op>,
    next_op: usize,
    random_mutator: bool,
    step: u64,
    cycle: u32,
    root_jobs: Vec<RootJob>,
    rescan_jobs: Vec<u32>,
    reachable_at_termination: Vec<bool>,
    violations: Vec<Violation>,
    marked_bytes: u64,
    allocated_since_gc: u64,
}

impl GcSim {
    /// A simulation of `heap` that plays `script`, then (if
    /// `random_mutator`) keeps going with a seeded random mutator.
    pub fn new(heap: Heap, script: Vec<Op>, random_mutator: bool, config: Config) -> GcSim {
        let marked_bytes = heap.objects.iter().map(|o| u64::from(o.size)).sum();
        GcSim {
            heap,
            queue: GreyQueue::default(),
            rng: CheapRand::new(config.seed),
            config,
            phase: Phase::Off,
            script,
            next_op: 0,
            random_mutator,
            step: 0,
            cycle: 0,
            root_jobs: Vec::new(),
            rescan_jobs: Vec::new(),
            reachable_at_termination: Vec::new(),
            violations: Vec::new(),
            marked_bytes,
            allocated_since_gc: 0,
        }
    }

    // Read-only views for drawing.

    pub fn heap(&self) -> &Heap {
        &self.heap
    }
    pub fn phase(&self) -> Phase {
        self.phase
    }
    pub fn config(&self) -> &Config {
        &self.config
    }
    /// The grey work queue, bottom first (the next object scanned is last).
    pub fn grey_queue(&self) -> &[ObjectId] {
        &self.queue.objects
    }
    /// Edges that break the barrier's invariant right now.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
    /// Objects the collector freed while they were still reachable.
    pub fn lost(&self) -> Vec<ObjectId> {
        self.heap
            .objects
            .iter()
            .filter(|o| o.freed_while_reachable)
            .map(|o| o.id)
            .collect()
    }
    pub fn steps(&self) -> u64 {
        self.step
    }
    /// Completed cycles.
    pub fn cycle(&self) -> u32 {
        self.cycle
    }

    /// Whether a scripted run has nothing left to do.
    pub fn finished(&self) -> bool {
        !self.random_mutator && self.next_op >= self.script.len() && self.phase == Phase::Off
    }

    /// The next step's event, without taking it (steps a clone).
    pub fn peek(&self) -> Option<Event> {
        self.clone().step()
    }

    /// If the next step is a pointer write under an active barrier, the
    /// objects the barrier will shade: the widget's "which object does the
    /// barrier shade?" checkpoint asks this before stepping.
    pub fn next_barrier_shades(&self) -> Option<Vec<ObjectId>> {
        match self.peek()?.kind {
            EventKind::Write { shaded, .. } if self.phase.barrier_on() => Some(shaded),
            _ => None,
        }
    }

    /// Takes steps while the next step's event happens at or before `t`
    /// on the simulation's clock (the step number: the k-th step's event
    /// happens at k), stopping early when the run ends; returns the events
    /// of the steps taken, oldest first.
    pub fn run_until(&mut self, t: u64) -> Vec<Event> {
        let mut events = Vec::new();
        while self.step < t {
            match self.step() {
                Some(e) => events.push(e),
                None => break,
            }
        }
        events
    }

    /// Runs a scripted preset to its end (at most `limit` steps).
    pub fn run(&mut self, limit: u64) -> Vec<Event> {
        self.run_until(self.step + limit)
    }

    /// One step; `None` when a scripted run is over.
    pub fn step(&mut self) -> Option<Event> {
        if self.finished() {
            return None;
        }
        self.step += 1;
        // 1. Who runs.
        let op = self.choose();
        // 2. Do it.
        let (kind, go_function, go_file, sentence) = match op {
            Op::Mutator(a) => self.mutate(a),
            Op::Collect | Op::FinishCycle => self.collect(),
            Op::Drain => self.drain_one(),
        };
        // 3. Check the invariant while marking.
        let mut new = Vec::new();
        if self.config.check_invariants {
            let now = if self.phase.barrier_on() {
                self.check()
            } else {
                Vec::new()
            };
            new = now
                .iter()
                .filter(|v| !self.violations.contains(v))
                .copied()
                .collect();
            self.violations = now;
        }
        Some(Event {
            step: self.step,
            cycle: self.cycle,
            kind,
            phase: self.phase,
            world_stopped: self.phase.world_stopped(),
            go_function,
            go_file,
            sentence,
            violations: new,
        })
    }

    fn choose(&mut self) -> Op {
        let stopped = self.phase.world_stopped();
        while let Some(&op) = self.script.get(self.next_op) {
            // The mutator cannot run while the world is stopped: the
            // collector goes first and the scripted action waits.
            if stopped && matches!(op, Op::Mutator(_)) {
                return Op::Collect;
            }
            if op == Op::FinishCycle {
                if self.phase != Phase::Off {
                    return Op::Collect;
                }
                self.next_op += 1;
                continue;
            }
            self.next_op += 1;
            return op;
        }
        if !self.random_mutator || stopped {
            return Op::Collect;
        }
        let mutator_turn = match self.phase {
            Phase::Off => {
                let goal = (self.marked_bytes * u64::from(self.config.gogc) / 100).max(256);
                self.allocated_since_gc < goal
            }
            _ => self.rng.cheaprandn(100) < self.config.mutator_share,
        };
        if mutator_turn {
            Op::Mutator(self.random_action())
        } else {
            Op::Collect
        }
    }

    /// A random walk from a random root: an object the program can reach.
    fn reachable_object(&mut self) -> Option<ObjectId> {
        let roots: Vec<ObjectId> = self
            .heap
            .globals
            .iter()
            .chain(self.heap.stacks.iter().flat_map(|s| s.slots.iter()))
            .flatten()
            .copied()
            .filter(|&id| !self.heap.object(id).freed)
            .collect();
        if roots.is_empty() {
            return None;
        }
        let mut at = roots[self.rng.cheaprandn(roots.len() as u32) as usize];
        for _ in 0..self.rng.cheaprandn(3) {
            let next: Vec<ObjectId> = self
                .heap
                .slots(at)
                .iter()
                .flatten()
                .filter(|&id| !self.heap.object(id).freed)
                .collect();
            if next.is_empty() {
                break;
            }
            at = next[self.rng.cheaprandn(next.len() as u32) as usize];
        }
        Some(at)
    }

    fn random_action(&mut self) -> Action {
        let goroutines = self.heap.stacks.len() as u32;
        let g = self.rng.cheaprandn(goroutines);
        let slot = self
            .rng
            .cheaprandn(self.heap.stacks[g as usize].slots.len() as u32);
        let choice = self.rng.cheaprandn(6);
        let target = self.reachable_object();
        let holder = self
            .reachable_object()
            .filter(|&h| !self.heap.slots(h).is_empty());
        match (choice, target, holder) {
            (1, Some(to), Some(h)) => Action::Write {
                holder: Holder::Object(h),
                slot: self.rng.cheaprandn(self.heap.slots(h).len() as u32),
                to: Some(to),
            },
            (2, _, Some(h)) => Action::Write {
                holder: Holder::Object(h),
                slot: self.rng.cheaprandn(self.heap.slots(h).len() as u32),
                to: None,
            },
            (3, _, Some(h)) => Action::Load {
                g,
                slot,
                from: h,
                from_slot: self.rng.cheaprandn(self.heap.slots(h).len() as u32),
            },
            (4, _, _) => Action::StackWrite { g, slot, to: None },
            (5, to, _) if !self.heap.globals.is_empty() => Action::Write {
                holder: Holder::Global,
                slot: self.rng.cheaprandn(self.heap.globals.len() as u32),
                to,
            },
            _ => {
                const SIZES: [u32; 5] = [16, 24, 48, 64, 128];
                Action::Alloc {
                    g,
                    slot,
                    size: SIZES[self.rng.cheaprandn(5) as usize],
                    slots: 1 + self.rng.cheaprandn(3),
                }
            }
        }
    }

    fn barrier_name(&self) -> &'static str {
        self.config.barrier.name()
    }

    /// One mutator action.
    fn mutate(&mut self, a: Action) -> (EventKind, &'static str, &'static str, String) {
        match a {
            Action::Alloc {
                g,
                slot,
                size,
                slots,
            } => {
                // mallocgc: "Allocate black during GC" (gcmarknewobject).
                let black = self.phase.barrier_on();
                let color = if black { Color::Black } else { Color::White };
                let obj = self.heap.alloc(size, slots, color);
                self.heap.set_slot(Holder::Stack(g), slot, Some(obj));
                self.allocated_since_gc += u64::from(size);
                let class = self.heap.object(obj).size_class;
                let how = if black {
                    "; the GC is marking, so gcmarknewobject allocates it black"
                } else {
                    ""
                };
                let sentence = format!(
                    "G{g} allocates {obj} ({size} B, size class {class} of {} B) and keeps it in stack slot {slot}{how}.",
                    crate::sizeclasses::class_to_size(class)
                );
                (
                    EventKind::Alloc {
                        obj,
                        g,
                        slot,
                        black,
                    },
                    "mallocgc",
                    "runtime/malloc.go",
                    sentence,
                )
            }
            Action::Write { holder, slot, to } => {
                let old = self.heap.slot(holder, slot);
                let mut shaded = Vec::new();
                let on = self.phase.barrier_on() && self.config.barrier != BarrierMode::None;
                if on {
                    for id in self
                        .config
                        .barrier
                        .candidates(old, to)
                        .into_iter()
                        .flatten()
                    {
                        shade(&mut self.heap, &mut self.queue, id, &mut shaded);
                    }
                }
                self.heap.set_slot(holder, slot, to);
                let what = match to {
                    Some(t) => format!("{holder}.{slot} = {t}"),
                    None => format!("{holder}.{slot} = nil"),
                };
                let was = old.map_or(String::from("nil"), |o| format!("{o}"));
                let sentence = if !self.phase.barrier_on() {
                    format!("The program sets {what} (was {was}); no GC is marking, so there is no write barrier.")
                } else if !on {
                    format!("The program sets {what} (was {was}); the write barrier is switched off, so the collector does not see it.")
                } else if shaded.is_empty() {
                    format!(
                        "The program sets {what} (was {was}); the {} write barrier shades nothing new.",
                        self.barrier_name()
                    )
                } else {
                    let names: Vec<String> = shaded.iter().map(|o| format!("{o}")).collect();
                    format!(
                        "The program sets {what} (was {was}); the {} write barrier shades {} grey.",
                        self.barrier_name(),
                        names.join(" and ")
                    )
                };
                let (f, file) = if on {
                    ("gcWriteBarrier2", "runtime/asm_amd64.s")
                } else if self.phase.barrier_on() {
                    ("(write barrier switched off)", "runtime/mbarrier.go")
                } else {
                    ("writeBarrier.enabled == false", "runtime/mbarrier.go")
                };
                (
                    EventKind::Write {
                        holder,
                        slot,
                        old,
                        new: to,
                        shaded,
                    },
                    f,
                    file,
                    sentence,
                )
            }
            Action::Load {
                g,
                slot,
                from,
                from_slot,
            } => {
                let value = self.heap.slot(Holder::Object(from), from_slot);
                self.heap.set_slot(Holder::Stack(g), slot, value);
                let v = value.map_or(String::from("nil"), |o| format!("{o}"));
                let sentence = format!(
                    "G{g} loads {from}.{from_slot} ({v}) into its stack slot {slot}: reads, and writes to a goroutine's own frame, have no write barrier."
                );
                (
                    EventKind::Load {
                        g,
                        slot,
                        from,
                        from_slot,
                        value,
                    },
                    "(no barrier for own-frame writes)",
                    "runtime/mbarrier.go",
                    sentence,
                )
            }
            Action::StackWrite { g, slot, to } => {
                let old = self.heap.set_slot(Holder::Stack(g), slot, to);
                let was = old.map_or(String::from("nil"), |o| format!("{o}"));
                let sentence = format!(
                    "G{g} overwrites its stack slot {slot} (was {was}): writes to a goroutine's own frame have no write barrier."
                );
                (
                    EventKind::StackWrite {
                        g,
                        slot,
                        old,
                        new: to,
                    },
                    "(no barrier for own-frame writes)",
                    "runtime/mbarrier.go",
                    sentence,
                )
            }
        }
    }

    /// One unit of collector work, by phase.
    fn collect(&mut self) -> (EventKind, &'static str, &'static str, String) {
        let mut shaded = Vec::new();
        match self.phase {
            Phase::Off => {
                self.phase = Phase::SweepTermination;
                (
                    EventKind::SweepTermination,
                    "gcStart",
                    "runtime/mgc.go",
                    if self.config.barrier == BarrierMode::None {
                        String::from("The world stops: gcStart runs sweep termination, finishing any sweeping left from the last cycle. Go would turn the write barrier on here; this run has none.")
                    } else {
                        String::from("The world stops: gcStart runs sweep termination, finishing any sweeping left from the last cycle, and turns the write barrier on.")
                    },
                )
            }
            Phase::SweepTermination => {
                self.phase = Phase::Mark;
                self.root_jobs.push(RootJob::Globals);
                for g in 0..self.heap.stacks.len() as u32 {
                    self.root_jobs.push(RootJob::Stack(g));
                }
                self.root_jobs.reverse();
                (
                    EventKind::MarkStart,
                    "gcStart",
                    "runtime/mgc.go",
                    if self.config.barrier == BarrierMode::None {
                        String::from("The world restarts with no write barrier: marking now runs concurrently with the program (gcBgMarkWorker) without seeing its pointer writes, and new objects are allocated black.")
                    } else {
                        String::from("The world restarts with the write barrier on: marking now runs concurrently with the program (gcBgMarkWorker), and new objects are allocated black.")
                    },
                )
            }
            Phase::Mark => {
                if let Some(job) = self.root_jobs.pop() {
                    match job {
                        RootJob::Globals => {
                            markroot_globals(&mut self.heap, &mut self.queue, &mut shaded);
                            let s = format!("markroot scans the globals and {}.", shading(&shaded));
                            (
                                EventKind::MarkRootGlobals { shaded },
                                "markroot",
                                "runtime/mgcmark.go",
                                s,
                            )
                        }
                        RootJob::Stack(g) => {
                            scanstack(&mut self.heap, &mut self.queue, g, &mut shaded);
                            let after = if self.config.barrier.needs_stack_rescan() {
                                "the stack stays grey under Dijkstra's barrier and will be re-scanned at mark termination"
                            } else {
                                "the stack is now black and is never scanned again this cycle"
                            };
                            let s = format!(
                                "scanstack pauses G{g} to scan its frames and {}; {after}.",
                                shading(&shaded)
                            );
                            (
                                EventKind::ScanStack { g, shaded },
                                "scanstack",
                                "runtime/mgcmark.go",
                                s,
                            )
                        }
                    }
                } else if let Some(obj) = self.queue.objects.pop() {
                    scanobject(&mut self.heap, &mut self.queue, obj, &mut shaded);
                    let s = format!(
                        "gcDrain takes grey {obj} from the work queue; scanObject {} and blackens {obj}.",
                        shading(&shaded)
                    );
                    (
                        EventKind::ScanObject { obj, shaded },
                        "scanObject",
                        "runtime/mgcmark_nogreenteagc.go",
                        s,
                    )
                } else {
                    self.phase = Phase::MarkTermination;
                    if self.config.barrier.needs_stack_rescan() {
                        self.rescan_jobs = (0..self.heap.stacks.len() as u32).rev().collect();
                    }
                    (
                        EventKind::MarkDone,
                        "gcMarkDone",
                        "runtime/mgc.go",
                        String::from("No grey object is left: gcMarkDone stops the world for mark termination."),
                    )
                }
            }
            Phase::MarkTermination => {
                if let Some(g) = self.rescan_jobs.pop() {
                    scanstack(&mut self.heap, &mut self.queue, g, &mut shaded);
                    let s = format!(
                        "Dijkstra's barrier never saw stack writes, so with the world stopped G{g}'s stack is re-scanned and {}.",
                        shading(&shaded)
                    );
                    (
                        EventKind::RescanStack { g, shaded },
                        "scanstack",
                        "runtime/mgcmark.go",
                        s,
                    )
                } else if let Some(obj) = self.queue.objects.pop() {
                    scanobject(&mut self.heap, &mut self.queue, obj, &mut shaded);
                    let s = format!(
                        "With the world still stopped, scanObject scans {obj}, {} and blackens it.",
                        shading(&shaded)
                    );
                    (
                        EventKind::ScanObject { obj, shaded },
                        "scanObject",
                        "runtime/mgcmark_nogreenteagc.go",
                        s,
                    )
                } else {
                    self.mark_termination()
                }
            }
            Phase::Sweep => self.sweepone(),
        }
    }

    /// `Op::Drain`: another worker's `gcDrain` scans one grey object.
    fn drain_one(&mut self) -> (EventKind, &'static str, &'static str, String) {
        if self.phase != Phase::Mark || self.queue.objects.is_empty() {
            return self.collect();
        }
        let mut shaded = Vec::new();
        let obj = self.queue.objects.pop().expect("checked non-empty");
        scanobject(&mut self.heap, &mut self.queue, obj, &mut shaded);
        let s = format!(
            "A second mark worker's gcDrain takes grey {obj} while root jobs remain; scanObject {} and blackens {obj}.",
            shading(&shaded)
        );
        (
            EventKind::ScanObject { obj, shaded },
            "scanObject",
            "runtime/mgcmark_nogreenteagc.go",
            s,
        )
    }

    /// Mirrors mgc.go `gcMarkTermination` (go1.27): the barrier goes off,
    /// the marked heap is recorded, spans become unswept, the world restarts.
    fn mark_termination(&mut self) -> (EventKind, &'static str, &'static str, String) {
        self.reachable_at_termination = self.heap.reachable();
        self.marked_bytes = self
            .heap
            .objects
            .iter()
            .filter(|o| self.heap.color(o.id) == Color::Black)
            .map(|o| u64::from(o.size))
            .sum();
        self.allocated_since_gc = 0;
        for s in &mut self.heap.spans {
            s.swept = false;
        }
        for s in &mut self.heap.stacks {
            s.scanned = false;
        }
        self.heap.globals_scanned = false;
        self.violations.clear();
        self.phase = Phase::Sweep;
        let white = self
            .heap
            .objects
            .iter()
            .filter(|o| self.heap.color(o.id) == Color::White && !o.freed)
            .count();
        (
            EventKind::MarkTermination,
            "gcMarkTermination",
            "runtime/mgc.go",
            format!(
                "gcMarkTermination {} and restarts the world; white objects left: {white}, all garbage to the collector, to be swept lazily, span by span.",
                if self.config.barrier == BarrierMode::None {
                    "has no write barrier to turn off in this run"
                } else {
                    "turns the write barrier off"
                }
            ),
        )
    }

    /// Mirrors mgcsweep.go `sweepone` (go1.27): sweep the next unswept span,
    /// freeing its unmarked objects and clearing the survivors' mark bits.
    fn sweepone(&mut self) -> (EventKind, &'static str, &'static str, String) {
        let Some(i) = self.heap.spans.iter().position(|s| !s.swept) else {
            self.phase = Phase::Off;
            self.cycle += 1;
            return (
                EventKind::SweepDone,
                "sweepone",
                "runtime/mgcsweep.go",
                String::from(
                    "Every span is swept (sweepone finds no more work); the cycle is over.",
                ),
            );
        };
        let mut freed = Vec::new();
        let mut lost = Vec::new();
        let members = core::mem::take(&mut self.heap.spans[i].objects);
        let mut kept = Vec::new();
        for id in members {
            let reachable = self
                .reachable_at_termination
                .get(id.0 as usize)
                .copied()
                .unwrap_or(false);
            let white = self.heap.color(id) == Color::White;
            if !white {
                self.heap.set_color(id, Color::White);
            }
            if white {
                self.heap.free(id);
            }
            let o = self.heap.object_mut(id);
            if white {
                freed.push(id);
                if reachable {
                    o.freed_while_reachable = true;
                    lost.push(id);
                }
            } else {
                o.allocated_black = false;
                kept.push(id);
            }
        }
        let span = &mut self.heap.spans[i];
        span.objects = kept;
        span.swept = true;
        let class = span.size_class;
        let mut s = if freed.is_empty() {
            format!("sweepone sweeps span {i} (size class {class}): nothing to free; the survivors' mark bits are cleared for the next cycle.")
        } else {
            format!(
                "sweepone sweeps span {i} (size class {class}) and frees {}; the survivors' mark bits are cleared for the next cycle.",
                names(&freed)
            )
        };
        if !lost.is_empty() {
            s.push_str(&format!(
                " {} freed while reachable: the program still points to it.",
                names(&lost)
            ));
        }
        (
            EventKind::Sweep {
                span: i as u32,
                freed,
                freed_while_reachable: lost,
            },
            "sweepone",
            "runtime/mgcsweep.go",
            s,
        )
    }

    /// The invariant checker: every edge from a black holder to a white
    /// object the barrier's invariant does not allow.
    fn check(&self) -> Vec<Violation> {
        let invariant = self.config.barrier.invariant();
        let heap = &self.heap;
        let dijkstra = self.config.barrier.needs_stack_rescan();
        let holder_black = |h: Holder| match h {
            Holder::Object(id) => heap.color(id) == Color::Black,
            Holder::Global => heap.globals_scanned,
            // Under Dijkstra stacks stay grey until the re-scan.
            Holder::Stack(g) => !dijkstra && heap.stacks[g as usize].scanned,
        };
        let is_white = |id: ObjectId| heap.color(id) == Color::White && !heap.object(id).freed;
        // Grey-protected whites: reachable from a grey holder through
        // white objects only.
        let mut protected = alloc::vec![false; heap.objects.len()];
        if invariant == Invariant::Weak {
            let mut work: Vec<ObjectId> = heap
                .edges()
                .filter(|e| {
                    let grey = match e.holder {
                        Holder::Object(id) => heap.color(id) == Color::Grey,
                        h => !holder_black(h),
                    };
                    grey && is_white(e.to)
                })
                .map(|e| e.to)
                .collect();
            while let Some(id) = work.pop() {
                if core::mem::replace(&mut protected[id.0 as usize], true) {
                    continue;
                }
                work.extend(heap.slots(id).iter().flatten().filter(|&t| is_white(t)));
            }
        }
        heap.edges()
            .filter(|e| holder_black(e.holder) && is_white(e.to) && !protected[e.to.0 as usize])
            .map(|edge| Violation { edge, invariant })
            .collect()
    }

    /// Turns a white object grey the way `greyobject` does (for presets
    /// that start mid-cycle).
    pub fn grey(&mut self, id: ObjectId) -> bool {
        greyobject(&mut self.heap, &mut self.queue, id)
    }
}

impl crate::timeline::Simulation for GcSim {
    type Event = Event;

    fn step(&mut self) -> Option<Event> {
        GcSim::step(self)
    }

    fn steps(&self) -> u64 {
        GcSim::steps(self)
    }

    fn approx_bytes(&self) -> usize {
        use core::mem::size_of;
        size_of::<GcSim>() - size_of::<Heap>()
            + self.heap.approx_bytes()
            + self.queue.objects.capacity() * size_of::<ObjectId>()
            + self.script.capacity() * size_of::<Op>()
            + (self.root_jobs.capacity() * size_of::<RootJob>())
            + self.rescan_jobs.capacity() * size_of::<u32>()
            + self.reachable_at_termination.capacity()
            + self.violations.capacity() * size_of::<Violation>()
    }
}

fn names(ids: &[ObjectId]) -> String {
    let v: Vec<String> = ids.iter().map(|o| format!("{o}")).collect();
    v.join(", ")
}

fn shading(shaded: &[ObjectId]) -> String {
    if shaded.is_empty() {
        String::from("shades nothing new")
    } else {
        format!("shades {} grey", names(shaded))
    }
}
