//! # runtime-model: the Go runtime, small enough to watch
//!
//! A deterministic model of the parts of the Go runtime that Gopherscope
//! teaches. It has no clock and no OS randomness, so the same inputs give the
//! same answers natively, in the browser and on a microcontroller target.
//!
//! A short tour:
//!
//! - [`values`]: how Go represents values in memory, the sizes and alignments
//!   of every predeclared kind on each GOARCH, as `go/types` (gcsizes.go) and
//!   the compiler (cmd/compile/internal/types/size.go) compute them.
//! - [`iface`], [`escape`], [`stack`], [`malloc`]: the memory lab. What an
//!   interface's two words hold, where the compiler puts a variable (stack
//!   or heap), how a goroutine stack grows and shrinks, and the path of an
//!   allocation through mcache -> mcentral -> mheap.
//! - [`sched`]: the G-M-P scheduler of proc.go as a deterministic,
//!   step-by-step simulation with events, schedtrace and rewind.
//! - [`timeline`]: rewind for every step-by-step simulation (the scheduler,
//!   the marking simulation, the allocator and the stack): snapshots plus
//!   replay in bounded memory, over the [`timeline::Simulation`] trait; and
//!   what `run_until` means in each of them.
//! - [`layout`]: the struct layout lab: Go type declarations parsed, laid out
//!   for any GOARCH (offsets, padding, pointer bytes), reordered as
//!   `fieldalignment` would, and priced on the heap through [`sizeclasses`].
//! - [`sizeclasses`]: the allocator's 67 size classes (sizeclasses.go) and
//!   the path `mallocgc` takes for an object of a given size.
//! - [`trace`]: Go's execution traces (the v2 format of Go 1.22 and
//!   later), read event by event as internal/trace reads them.
//! - [`logs`]: the `GODEBUG=gctrace=1` and `schedtrace` lines of a real
//!   program read back into numbers, so a pasted log can be drawn.
//! - [`gc`]: the collector, twice: tricolor marking with switchable write
//!   barriers on a small heap (mgc.go, mgcmark.go, mbarrier.go, mgcsweep.go),
//!   and the pacer driven by GOGC and GOMEMLIMIT (mgcpacer.go, mgclimit.go).
//!
//! Each module opens with what it models and what it leaves out on purpose.
//!
//! Every claim that the model matches Go is checked against the real Go
//! toolchain by the conformance tests in `tests/conformance`.

#![cfg_attr(not(any(test, feature = "std")), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

extern crate alloc;

pub mod escape;
pub mod gc;
pub mod iface;
pub mod layout;
pub mod logs;
pub mod malloc;
pub mod rand;
pub mod sched;
pub mod sizeclasses;
pub mod stack;
pub mod timeline;
pub mod trace;
pub mod values;

/// The Go release whose source this model follows and cites.
pub const GO_VERSION: &str = "go1.27";
