//! # The garbage collector: tricolor marking and the pacer
//!
//! Go's collector is a concurrent, non-moving, tricolor mark-sweep
//! collector (runtime/mgc.go, go1.27). This module models it twice, at two
//! scales, because the two questions a learner asks live at two scales.
//!
//! **Which objects survive, and why is that safe while the program keeps
//! running?** [`sim`] is a small heap of objects with pointer slots, roots
//! (globals and goroutine stacks) and a seeded mutator. One cycle runs as in
//! mgc.go: sweep termination with the world stopped (`gcStart`), concurrent
//! mark from a grey work queue (`gcDrain`, `scanobject`, `greyobject`,
//! `shade`) while the mutator keeps allocating (black) and writing pointers
//! through a write barrier ([`barrier`]: Go's hybrid barrier, Dijkstra's
//! insertion barrier with its stack re-scan, Yuasa's deletion barrier, or
//! none), mark termination with the world stopped (`gcMarkTermination`),
//! then lazy sweeping span by span (`sweepone`). An invariant checker names
//! the edge whenever a black object points to a white object nothing grey
//! still protects; with no barrier, the "hide a pointer" preset ends with a
//! reachable object swept and flagged "freed while reachable". Every step is
//! an [`sim::Event`] naming its Go function.
//!
//! **When does the next cycle start, and what does it cost?** [`pacer`]
//! follows runtime/mgcpacer.go and mgclimit.go over minutes of simulated
//! time: the heap goal from GOGC and from GOMEMLIMIT, the trigger, the 25%
//! background workers, assists, the CPU limiter and the 2-minute forced GC,
//! printing gctrace lines ([`trace`]) exactly as the runtime does. Knob
//! values are parsed with the runtime's rules ([`knobs`]).
//!
//! What is left out on purpose: the mark bits are one dense byte per object,
//! not per-span bitmaps; the step-by-step simulation greys and scans one
//! object at a time (the classic drain, `GOEXPERIMENT=nogreenteagc`) because
//! that is the order a learner can follow, while [`mark::mark_all`] drains
//! the way go1.27 does by default (Green Tea: a queue of spans, each
//! scanned for all its marked objects at once), and [`parallel`] shares
//! that drain between worker threads in rounds for the benchmark against
//! the real collector (the simulation has one worker); there are no
//! mcaches, no finalizers, weak pointers or cleanups, and no scavenger. The small model counts objects; the pacer
//! counts bytes.

pub mod barrier;
pub mod cost;
pub mod heap;
pub mod knobs;
pub mod mark;
pub mod pacer;
pub mod parallel;
pub mod presets;
pub mod sim;
pub mod trace;
