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
//! - [`gc`]: the collector, twice: tricolor marking with switchable write
//!   barriers on a small heap (mgc.go, mgcmark.go, mbarrier.go, mgcsweep.go),
//!   and the pacer driven by GOGC and GOMEMLIMIT (mgcpacer.go, mgclimit.go).
//!
//! The scheduler (G-M-P, proc.go), the garbage collector (mgc.go,
//! mgcpacer.go), the allocator (malloc.go, sizeclasses.go) and struct layout
//! land here as further modules; each opens with what it models and what it
//! leaves out on purpose.
//!
//! Every claim that the model matches Go is checked against the real Go
//! toolchain by the conformance tests in `tests/conformance`.

#![cfg_attr(not(any(test, feature = "std")), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

extern crate alloc;

pub mod gc;
pub mod rand;
pub mod values;

/// The Go release whose source this model follows and cites.
pub const GO_VERSION: &str = "go1.27";
