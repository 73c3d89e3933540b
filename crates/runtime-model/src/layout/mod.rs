//! # The struct layout lab: where every byte of a Go type goes
//!
//! Paste a Go file, or just type declarations; get, for any GOARCH, each
//! field's offset,
//! size and alignment, the padding the compiler inserts (between fields,
//! and at the end), the pointer bytes the GC must scan, the field order
//! `fieldalignment` would suggest, and what a value costs on the heap.
//!
//! The pipeline, one file each:
//!
//! - [`parser`]: Go's type-declaration syntax, hand-written, `no_std`, with
//!   line-and-column errors, reading a whole file. It never panics and does bounded work: at most
//!   [`MAX_INPUT`] bytes and [`MAX_DEPTH`] levels of nesting.
//! - [`types`]: names resolved (with the packages above built in, declared
//!   as in go1.27's source, and import names followed), array lengths evaluated as
//!   constants, recursive types rejected as go/types' validtype.go does.
//! - [`compute`]: sizes, alignments, offsets and pointer bytes, after
//!   cmd/compile/internal/types/size.go.
//! - [`report`]: what the lab shows: per-type reports, padding runs, the
//!   byte grid, the optimal order (after x/tools fieldalignment) and the
//!   heap cost (after runtime/malloc.go).
//! - [`rewrite`]: the struct's source text in the optimal order.
//!
//! What the lab reads past, and names in [`Analysis::skipped_summary`]:
//! `var`, `func` and method declarations (skipped by balanced brackets, so
//! nothing inside them is an error), generic types (their layout depends
//! on their type arguments), and every type that needs the size of one it
//! cannot lay out: not declared in the input (perhaps in another file of
//! the package), from a package it does not know, an instance of a generic
//! type. Under a pointer, slice, map, chan, func or interface such a type
//! needs no size and the lab lays the outer type out. It knows `unsafe`,
//! `sync/atomic`, `sync`, `time` (`Time`, `Duration`), `strings.Builder`,
//! `bytes.Buffer` and `context.Context` as go1.27 declares them. Not-in-heap
//! types (runtime-internal) are left out.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

pub mod compute;
pub mod parser;
pub mod report;
pub mod rewrite;
pub mod types;

pub use compute::TypeLayout;
pub use parser::{parse, Span, MAX_DEPTH, MAX_INPUT};
pub use report::{
    analyze, Analysis, ByteGrid, ByteKind, FieldReport, GridByte, OptimalOrder, PaddingKind,
    PaddingRun, Skipped, SkippedKind, TypeReport,
};
pub use types::{check, Program};

/// What is wrong with an input, and where: 1-based line and byte column,
/// as Go's own tools count them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub offset: u32,
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl Error {
    /// An error at byte `offset` of `src`.
    pub fn at(src: &str, offset: u32, message: impl Into<String>) -> Error {
        let end = (offset as usize).min(src.len());
        let before = &src.as_bytes()[..end];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count() as u32;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Error {
            offset: end as u32,
            line,
            col: (end - line_start) as u32 + 1,
            message: message.into(),
        }
    }
}

/// Line starts of a source, for many line/column look-ups in O(log n) each.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(src: &str) -> LineIndex {
        let mut starts = alloc::vec![0];
        starts.extend(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        LineIndex { starts }
    }

    /// 1-based line and byte column of `offset`.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        (line as u32, offset - self.starts[line - 1] + 1)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}
