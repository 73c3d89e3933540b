//! # Execution traces: Go's own trace format, read as Go reads it
//!
//! A reader for the files `runtime/trace.Start` writes (and `go test
//! -trace`): the v2 format of Go 1.22 and later, whose headers say
//! `go 1.22 trace`, `go 1.23 trace`, `go 1.25 trace` or `go 1.26 trace`
//! (Go 1.27 writes the last). It follows Go's reader in
//! `internal/trace` step by step, so that it gives the same events in
//! the same order, and fails on the same broken traces:
//!
//! - [`batch`]: the header and the batches a trace is made of
//!   (internal/trace/batch.go);
//! - [`generation`]: the generations, each with its own string, stack and
//!   frame tables, CPU samples, sync batch (frequency and clock snapshot)
//!   and experimental batches (internal/trace/generation.go, base.go);
//! - [`order`]: the order of events across Ms, Ps and Gs, and the checks
//!   that each event can happen where the trace puts it
//!   (internal/trace/order.go);
//! - [`Reader`]: the merge of every M's events by time
//!   (internal/trace/reader.go, batchcursor.go);
//! - [`summary`]: where each goroutine's time went, the GC cycles and
//!   GOMAXPROCS over the trace (internal/trace/summary.go);
//! - [`Event`]: the events, with their kind, scheduling context, stack
//!   and details, and the text `go tool trace -d=parsed` prints for each
//!   (internal/trace/event.go, resources.go, value.go).
//!
//! What it leaves out: the v1 format (Go 1.21 and before), which Go's
//! reader converts; here a v1 trace gets an error that says which version
//! wrote it. The wall clock of a Sync event prints in UTC.
//!
//! Bad input never panics: every error is a [`TraceError`] saying what was
//! found, and every allocation is bounded by the input's length.

pub mod batch;
pub mod event;
pub mod generation;
mod idmap;
pub mod lanes;
pub mod order;
mod reader;
pub mod spec;
pub mod summary;

use alloc::string::String;
use alloc::vec::Vec;

pub use event::{
    ClockSnapshot, Event, EventKind, ExperimentalEvent, GoState, Log, Metric, ProcState, Range,
    Region, ResourceID, Stack, StackFrame, StateTransition, Sync, Task,
};
pub use generation::ExperimentalBatch;
pub use reader::Reader;
pub use spec::Version;

/// Mirrors internal/trace/resources.go `ThreadID` (go1.27).
pub type ThreadID = i64;
/// Mirrors internal/trace/resources.go `ProcID` (go1.27).
pub type ProcID = i64;
/// Mirrors internal/trace/resources.go `GoID` (go1.27).
pub type GoID = i64;
/// Mirrors internal/trace/event.go `Time` (go1.27): nanoseconds on the
/// trace's clock.
pub type Time = i64;
/// Mirrors internal/trace/event.go `TaskID` (go1.27).
pub type TaskID = u64;

/// Mirrors internal/trace/resources.go `NoThread` (go1.27).
pub const NO_THREAD: ThreadID = -1;
/// Mirrors internal/trace/resources.go `NoProc` (go1.27).
pub const NO_PROC: ProcID = -1;
/// Mirrors internal/trace/resources.go `NoGoroutine` (go1.27).
pub const NO_GOROUTINE: GoID = -1;
/// Mirrors internal/trace/event.go `NoTask` (go1.27).
pub const NO_TASK: TaskID = u64::MAX;
/// Mirrors internal/trace/event.go `BackgroundTask` (go1.27).
pub const BACKGROUND_TASK: TaskID = 0;

/// The goroutine, proc and thread an event happens on.
///
/// Mirrors internal/trace/order.go `schedCtx` (go1.27).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchedCtx {
    /// The goroutine ([`NO_GOROUTINE`] for none).
    pub g: GoID,
    /// The proc ([`NO_PROC`] for none).
    pub p: ProcID,
    /// The thread ([`NO_THREAD`] for none).
    pub m: ThreadID,
}

/// Why a trace could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceError {
    /// The input does not start with a trace header.
    NotATrace {
        /// The first bytes of the input (up to 16).
        found: Vec<u8>,
    },
    /// The header names a version this reader does not read: the v1
    /// format of Go 1.11 to 1.21, or one Go never wrote.
    UnsupportedVersion {
        /// The minor version in the header (`go 1.N trace`).
        minor: u32,
    },
    /// The input ends in the middle of the trace. The message is Go's.
    Truncated(String),
    /// The trace breaks the format's rules. The message is Go's.
    Corrupt(String),
}

impl core::fmt::Display for TraceError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            TraceError::NotATrace { found } => {
                let mut shown = Vec::new();
                event::quote(&mut shown, found);
                write!(
                    f,
                    "bad file format: not a Go execution trace: it starts with {}, where a trace starts with a header such as \"go 1.26 trace\" (Go 1.22 to 1.27 write one)",
                    String::from_utf8_lossy(&shown)
                )
            }
            TraceError::UnsupportedVersion { minor } if Version(*minor).is_v1() => write!(
                f,
                "unsupported trace version go 1.{minor}: this trace was written by Go 1.{minor} in the old v1 format; only the v2 format of Go 1.22 and later is read (headers go 1.22, 1.23, 1.25 and 1.26). Record it again with Go 1.22 or newer"
            ),
            TraceError::UnsupportedVersion { minor } => write!(
                f,
                "unknown or unsupported trace version go 1.{minor}: the versions read are go 1.22, 1.23, 1.25 and 1.26 (Go 1.22 to 1.27 write them)"
            ),
            TraceError::Truncated(msg) => write!(f, "truncated trace: {msg}"),
            TraceError::Corrupt(msg) => f.write_str(msg),
        }
    }
}

/// Reads a whole trace and prints every event as `go tool trace
/// -d=parsed` does: each event's text (see [`Event::write_string`]) and a
/// line break. On an error, `out` holds the events before it.
pub fn print_parsed(data: &[u8], out: &mut Vec<u8>) -> Result<(), TraceError> {
    let mut r = Reader::new(data)?;
    while let Some(e) = r.read_event()? {
        e.write_string(out);
        out.push(b'\n');
    }
    Ok(())
}

#[cfg(test)]
mod tests;
