//! Batches: the unit a trace is written in, and the varints inside them.
//!
//! Mirrors internal/trace/batch.go `batch` and `readBatch` (go1.27).

use alloc::format;

use super::spec::{ev, EventType, Version, MAX_BATCH_SIZE};
use super::{ThreadID, TraceError, NO_THREAD};

/// An unprocessed timestamp, in the trace's own clock units.
///
/// Mirrors internal/trace/batch.go `timestamp` (go1.27).
pub type Timestamp = u64;

/// Mirrors internal/trace/batch.go `batch` (go1.27): one batch, unparsed
/// except for its header; its data borrows the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Batch<'a> {
    pub m: ThreadID,
    pub time: Timestamp,
    pub data: &'a [u8],
    pub exp: u8,
}

impl Batch<'_> {
    fn first(&self) -> Option<EventType> {
        if self.exp == 0 {
            self.data.first().copied()
        } else {
            None
        }
    }
    /// Mirrors internal/trace/batch.go (*batch).isStringsBatch (go1.27).
    pub fn is_strings_batch(&self) -> bool {
        self.first() == Some(ev::STRINGS)
    }
    /// Mirrors internal/trace/batch.go (*batch).isStacksBatch (go1.27).
    pub fn is_stacks_batch(&self) -> bool {
        self.first() == Some(ev::STACKS)
    }
    /// Mirrors internal/trace/batch.go (*batch).isCPUSamplesBatch (go1.27).
    pub fn is_cpu_samples_batch(&self) -> bool {
        self.first() == Some(ev::CPU_SAMPLES)
    }
    /// Mirrors internal/trace/batch.go (*batch).isSyncBatch (go1.27).
    pub fn is_sync_batch(&self, ver: Version) -> bool {
        match self.first() {
            Some(ev::FREQUENCY) => ver < Version::GO125,
            Some(ev::SYNC) => ver >= Version::GO125,
            _ => false,
        }
    }
    /// Mirrors internal/trace/batch.go (*batch).isEndOfGeneration (go1.27).
    pub fn is_end_of_generation(&self) -> bool {
        self.first() == Some(ev::END_OF_GENERATION)
    }
}

/// Why reading a varint or a byte failed, as Go's `encoding/binary` and
/// `io` say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadErr {
    /// No byte at all (Go's `io.EOF`).
    Eof,
    /// Part of a varint (Go's `io.ErrUnexpectedEOF`).
    UnexpectedEof,
    /// More than 64 bits.
    Overflow,
}

impl ReadErr {
    pub fn message(self) -> &'static str {
        match self {
            ReadErr::Eof => "EOF",
            ReadErr::UnexpectedEof => "unexpected EOF",
            ReadErr::Overflow => "binary: varint overflows a 64-bit integer",
        }
    }
    /// The error as the reader reports it: running out of bytes is a
    /// truncated trace, the rest is corruption.
    pub fn into_error(self, context: &str) -> TraceError {
        let msg = if context.is_empty() {
            self.message().into()
        } else {
            format!("{context}: {}", self.message())
        };
        match self {
            ReadErr::Overflow => TraceError::Corrupt(msg),
            _ => TraceError::Truncated(msg),
        }
    }
}

/// A cursor over bytes with Go's `bufio.Reader`/`bytes.Reader` reads.
#[derive(Debug, Clone)]
pub(crate) struct ByteReader<'a> {
    pub data: &'a [u8],
    pub pos: usize,
}

impl<'a> ByteReader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        ByteReader { data, pos: 0 }
    }
    pub fn len(&self) -> usize {
        self.data.len() - self.pos
    }
    pub fn read_byte(&mut self) -> Result<u8, ReadErr> {
        let b = *self.data.get(self.pos).ok_or(ReadErr::Eof)?;
        self.pos += 1;
        Ok(b)
    }
    /// Mirrors encoding/binary/varint.go `ReadUvarint` (go1.27).
    pub fn read_uvarint(&mut self) -> Result<u64, ReadErr> {
        let mut x = 0u64;
        let mut s = 0u32;
        for i in 0..10 {
            let b = match self.read_byte() {
                Ok(b) => b,
                Err(_) if i > 0 => return Err(ReadErr::UnexpectedEof),
                Err(e) => return Err(e),
            };
            if b < 0x80 {
                if i == 9 && b > 1 {
                    return Err(ReadErr::Overflow);
                }
                return Ok(x | (u64::from(b) << s));
            }
            x |= u64::from(b & 0x7f) << s;
            s += 7;
        }
        Err(ReadErr::Overflow)
    }
    /// Up to `n` bytes; fewer when the input ends first.
    pub fn take(&mut self, n: u64) -> &'a [u8] {
        let n = usize::try_from(n).unwrap_or(usize::MAX).min(self.len());
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        out
    }
}

/// Mirrors encoding/binary/varint.go `Uvarint` (go1.27): the value and the
/// bytes read, 0 when the buffer ends first, negative on overflow.
#[inline]
pub(crate) fn uvarint(buf: &[u8]) -> (u64, isize) {
    // Most arguments fit in one byte.
    match buf.first() {
        Some(&b) if b < 0x80 => (u64::from(b), 1),
        _ => uvarint_long(buf),
    }
}

/// [`uvarint`] past its first byte's fast path.
fn uvarint_long(buf: &[u8]) -> (u64, isize) {
    let mut x = 0u64;
    let mut s = 0u32;
    for (i, &b) in buf.iter().enumerate() {
        if i == 10 {
            return (0, -(i as isize + 1));
        }
        if b < 0x80 {
            if i == 9 && b > 1 {
                return (0, -(i as isize + 1));
            }
            return (x | (u64::from(b) << s), i as isize + 1);
        }
        x |= u64::from(b & 0x7f) << s;
        s += 7;
    }
    (0, 0)
}

/// What [`read_batch`] found.
pub(crate) enum BatchRead<'a> {
    /// The input ended before a batch (Go's `io.EOF`).
    Eof,
    /// A batch and its generation.
    Batch(Batch<'a>, u64),
}

/// Mirrors internal/trace/batch.go `readBatch` (go1.27).
pub(crate) fn read_batch<'a>(r: &mut ByteReader<'a>) -> Result<BatchRead<'a>, TraceError> {
    let Ok(b) = r.read_byte() else {
        return Ok(BatchRead::Eof);
    };
    if b == ev::END_OF_GENERATION {
        let data = &r.data[r.pos - 1..r.pos];
        return Ok(BatchRead::Batch(
            Batch {
                m: NO_THREAD,
                time: 0,
                data,
                exp: 0,
            },
            0,
        ));
    }
    if b != ev::EVENT_BATCH && b != ev::EXPERIMENTAL_BATCH {
        return Err(TraceError::Corrupt(format!(
            "expected batch event, got event {b}"
        )));
    }
    let mut exp = 0;
    if b == ev::EXPERIMENTAL_BATCH {
        match r.read_byte() {
            Ok(e) => exp = e,
            // Go returns the bare io.EOF here, which its callers read as
            // the end of the trace.
            Err(_) => return Ok(BatchRead::Eof),
        }
    }
    let gen = r
        .read_uvarint()
        .map_err(|e| e.into_error("error reading batch gen"))?;
    let m = r
        .read_uvarint()
        .map_err(|e| e.into_error("error reading batch M ID"))?;
    let ts = r
        .read_uvarint()
        .map_err(|e| e.into_error("error reading batch timestamp"))?;
    let size = r
        .read_uvarint()
        .map_err(|e| e.into_error("error reading batch size"))?;
    if size > MAX_BATCH_SIZE {
        return Err(TraceError::Corrupt(format!(
            "invalid batch size {size}, maximum is {MAX_BATCH_SIZE}"
        )));
    }
    let data = r.take(size);
    if data.len() as u64 != size {
        return Err(TraceError::Truncated(format!(
            "failed to read full batch: read {} but wanted {size}",
            data.len()
        )));
    }
    Ok(BatchRead::Batch(
        Batch {
            m: m as ThreadID,
            time: ts,
            data,
            exp,
        },
        gen,
    ))
}
