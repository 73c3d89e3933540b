//! The reader: generations in, ordered events out.
//!
//! Mirrors internal/trace/reader.go `Reader` and internal/trace/batchcursor.go
//! `batchCursor` (go1.27).

use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::batch::{uvarint, Batch, ByteReader};
use super::event::{BaseEvent, Event};
use super::generation::{
    read_generation, read_generation_with_spill, CpuSample, EvTable, Frequency, SpilledBatch,
};
use super::order::Ordering;
use super::spec::{self, ev, Version};
use super::{SchedCtx, ThreadID, Time, TraceError, NO_GOROUTINE, NO_PROC, NO_THREAD};

/// Mirrors internal/trace/batchcursor.go `batchCursor` (go1.27): where one
/// M's batches have been read up to, and its next event.
#[derive(Debug, Clone)]
struct BatchCursor {
    m: ThreadID,
    /// Index of the M in the generation's batch list.
    slot: usize,
    last_ts: Time,
    idx: usize,
    data_off: usize,
    ev: BaseEvent,
}

impl BatchCursor {
    /// Mirrors internal/trace/batchcursor.go (*batchCursor).nextEvent (go1.27).
    fn next_event(&mut self, batches: &[Batch<'_>], freq: Frequency) -> Result<bool, TraceError> {
        while self.idx < batches.len() && batches[self.idx].data.len() == self.data_off {
            self.idx += 1;
            self.data_off = 0;
            self.last_ts = 0;
        }
        if self.idx == batches.len() {
            return Ok(false);
        }
        if self.last_ts == 0 {
            self.last_ts = freq.mul(batches[self.idx].time);
        }
        let (n, tsdiff) =
            read_timed_base_event(&batches[self.idx].data[self.data_off..], &mut self.ev)?;
        self.ev.time = freq.mul(tsdiff).wrapping_add(self.last_ts);
        self.last_ts = self.ev.time;
        self.data_off += n;
        Ok(true)
    }
}

/// Mirrors internal/trace/batchcursor.go `readTimedBaseEvent` (go1.27).
fn read_timed_base_event(b: &[u8], e: &mut BaseEvent) -> Result<(usize, u64), TraceError> {
    let typ = b[0];
    if typ as usize >= spec::SPECS.len() {
        return Err(TraceError::Corrupt(format!(
            "found invalid event type: {typ}"
        )));
    }
    e.typ = typ;
    let s = spec::spec(typ);
    if s.args.is_empty() || !s.is_timed_event {
        return Err(TraceError::Corrupt(format!(
            "found event without a timestamp: type={typ}"
        )));
    }
    let mut n = 1;
    let (ts, nb) = uvarint(&b[n..]);
    if nb <= 0 {
        return Err(TraceError::Corrupt(
            "found invalid uvarint for timestamp".into(),
        ));
    }
    n += nb as usize;
    for i in 0..s.args.len() - 1 {
        let (arg, nb) = uvarint(&b[n..]);
        if nb <= 0 {
            return Err(TraceError::Corrupt("found invalid uvarint".into()));
        }
        e.args[i] = arg;
        n += nb as usize;
    }
    Ok((n, ts))
}

/// Mirrors internal/trace/batchcursor.go `heapInsert` (go1.27).
fn heap_insert(heap: &mut Vec<BatchCursor>, bc: BatchCursor) {
    heap.push(bc);
    let last = heap.len() - 1;
    heap_sift_up(heap, last);
}

/// Mirrors internal/trace/batchcursor.go `heapUpdate` (go1.27).
fn heap_update(heap: &mut [BatchCursor], i: usize) {
    if heap_sift_up(heap, i) != i {
        return;
    }
    heap_sift_down(heap, i);
}

/// Mirrors internal/trace/batchcursor.go `heapRemove` (go1.27).
fn heap_remove(heap: &mut Vec<BatchCursor>, mut i: usize) {
    while i > 0 {
        heap.swap((i - 1) / 2, i);
        i = (i - 1) / 2;
    }
    let last = heap.len() - 1;
    heap.swap(0, last);
    heap.pop();
    heap_sift_down(heap, 0);
}

/// Mirrors internal/trace/batchcursor.go `heapSiftUp` (go1.27).
fn heap_sift_up(heap: &mut [BatchCursor], mut i: usize) -> usize {
    while i > 0 && heap[(i - 1) / 2].ev.time > heap[i].ev.time {
        heap.swap((i - 1) / 2, i);
        i = (i - 1) / 2;
    }
    i
}

/// Mirrors internal/trace/batchcursor.go `heapSiftDown` (go1.27).
fn heap_sift_down(heap: &mut [BatchCursor], mut i: usize) -> usize {
    loop {
        let m = min3(heap, i, 2 * i + 1, 2 * i + 2);
        if m == i {
            break;
        }
        heap.swap(i, m);
        i = m;
    }
    i
}

/// Mirrors internal/trace/batchcursor.go `min3` (go1.27).
fn min3(b: &[BatchCursor], i0: usize, i1: usize, i2: usize) -> usize {
    let mut min_idx = i0;
    let mut min_t = Time::MAX;
    if i0 < b.len() {
        min_t = b[i0].ev.time;
    }
    if i1 < b.len() && b[i1].ev.time < min_t {
        min_t = b[i1].ev.time;
        min_idx = i1;
    }
    if i2 < b.len() && b[i2].ev.time < min_t {
        min_idx = i2;
    }
    min_idx
}

/// Go's `slices.SortFunc` on the frontier by time. For up to 12 cursors Go
/// sorts by insertion, which keeps equal times in place; so does this, for
/// any number (Go's pdqsort may reorder cursors of equal time past 12).
fn sort_frontier(f: &mut [BatchCursor]) {
    for i in 1..f.len() {
        let mut j = i;
        while j > 0 && f[j].ev.time < f[j - 1].ev.time {
            f.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// The generation being read.
#[derive(Debug)]
struct Current<'a> {
    gen: u64,
    batches: Vec<(ThreadID, Vec<Batch<'a>>)>,
    freq: Frequency,
    table: Rc<EvTable>,
}

/// Reads a trace's events in order, validating them.
///
/// Provided the trace is not empty, the first event is a Sync event, and
/// so is the last (and one starts each generation). Mirrors
/// internal/trace/reader.go `Reader` (go1.27).
#[derive(Debug)]
pub struct Reader<'a> {
    version: Version,
    r: ByteReader<'a>,
    last_ts: Time,
    gen: Option<Current<'a>>,
    frontier: Vec<BatchCursor>,
    cpu_samples: Vec<CpuSample>,
    cpu_next: usize,
    order: Ordering,
    syncs: u64,
    read_gen_err: Option<TraceError>,
    done: bool,
    spill: Option<SpilledBatch<'a>>,
    spill_err: Option<TraceError>,
    spill_err_sync: bool,
    failed: bool,
}

/// Mirrors internal/trace/version/version.go `ReadHeader` (go1.27): the
/// version a header names, and the header's length.
fn read_header(data: &[u8]) -> Result<(Version, usize), TraceError> {
    let not_a_trace = || TraceError::NotATrace {
        found: data[..data.len().min(16)].to_vec(),
    };
    let rest = data.strip_prefix(b"go 1.").ok_or_else(not_a_trace)?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 9 {
        return Err(not_a_trace());
    }
    let minor: u32 = core::str::from_utf8(&rest[..digits])
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(not_a_trace)?;
    let tail = b" trace\x00\x00\x00";
    if !rest[digits..].starts_with(tail) {
        return Err(not_a_trace());
    }
    let v = Version(minor);
    if !v.is_v2() {
        return Err(TraceError::UnsupportedVersion { minor });
    }
    Ok((v, 5 + digits + tail.len()))
}

impl<'a> Reader<'a> {
    /// Mirrors internal/trace/reader.go `NewReader` (go1.27): reads the
    /// header. Traces of the v1 format (before Go 1.22) and versions Go
    /// never wrote are refused.
    pub fn new(data: &'a [u8]) -> Result<Self, TraceError> {
        let (version, n) = read_header(data)?;
        let mut r = ByteReader::new(data);
        r.pos = n;
        Ok(Reader {
            version,
            r,
            last_ts: 0,
            gen: None,
            frontier: Vec::new(),
            cpu_samples: Vec::new(),
            cpu_next: 0,
            order: Ordering::new(version),
            syncs: 0,
            read_gen_err: None,
            done: false,
            spill: None,
            spill_err: None,
            spill_err_sync: false,
            failed: false,
        })
    }

    /// The version the trace's header names.
    pub fn version(&self) -> Version {
        self.version
    }

    /// How many bytes of the input have been read (batches are read a
    /// generation at a time).
    pub fn bytes_read(&self) -> usize {
        self.r.pos
    }

    /// Mirrors internal/trace/reader.go (*Reader).ReadEvent (go1.27): the
    /// next event, `None` at the end. After an error, the reader stops.
    pub fn read_event(&mut self) -> Result<Option<Event>, TraceError> {
        if self.done || self.failed {
            return Ok(None);
        }
        let result = self.next_event().and_then(|mut e| {
            validate_table_ids(&e)?;
            if e.base.time <= self.last_ts {
                e.base.time = self.last_ts.wrapping_add(1);
            }
            self.last_ts = e.base.time;
            Ok(e)
        });
        match result {
            Ok(e) => Ok(Some(e)),
            Err(err) => {
                self.failed = true;
                Err(err)
            }
        }
    }

    fn sync_event(&mut self, table: Option<Rc<EvTable>>, ts: Time) -> Event {
        self.syncs += 1;
        let mut base = BaseEvent {
            typ: ev::SYNC_EVENT,
            time: ts,
            args: [0; 4],
        };
        base.args[0] = self.syncs;
        Event {
            table,
            ctx: SchedCtx {
                g: NO_GOROUTINE,
                p: NO_PROC,
                m: NO_THREAD,
            },
            base,
        }
    }

    fn next_event(&mut self) -> Result<Event, TraceError> {
        if let Some(e) = self.order.next() {
            return Ok(e);
        }
        if self.frontier.is_empty() && self.cpu_next == self.cpu_samples.len() {
            if self.version < Version::GO126 {
                return self.next_gen_with_spill();
            }
            if let Some(e) = &self.read_gen_err {
                return Err(e.clone());
            }
            return match read_generation(&mut self.r, self.version) {
                Err(e) => {
                    self.read_gen_err = Some(e);
                    self.gen = None;
                    let ts = self.last_ts;
                    Ok(self.sync_event(None, ts))
                }
                Ok(g) => self.install_gen(g),
            };
        }
        let Some(gen) = &self.gen else {
            return Err(TraceError::Corrupt("broken trace: no generation".into()));
        };
        if self.cpu_next < self.cpu_samples.len() {
            let s = self.cpu_samples[self.cpu_next];
            if self.frontier.is_empty() || s.time < self.frontier[0].ev.time {
                self.cpu_next += 1;
                let mut base = BaseEvent {
                    typ: ev::CPU_SAMPLE,
                    time: s.time,
                    args: [0; 4],
                };
                base.args[0] = s.stack;
                return Ok(Event {
                    table: Some(gen.table.clone()),
                    ctx: s.ctx,
                    base,
                });
            }
        }
        if self.frontier.is_empty() {
            return Err(TraceError::Corrupt(format!(
                "broken trace: frontier is empty:\n[gen={}]\n\n{}\n{}\n",
                gen.gen,
                self.dump_frontier(),
                self.order.dump()
            )));
        }
        if !self.try_advance(0)? {
            sort_frontier(&mut self.frontier);
            let mut success = false;
            for i in 1..self.frontier.len() {
                if self.try_advance(i)? {
                    success = true;
                    break;
                }
            }
            if !success {
                let g = self.gen.as_ref().map_or(0, |g| g.gen);
                return Err(TraceError::Corrupt(format!(
                    "broken trace: failed to advance: frontier:\n[gen={g}]\n\n{}\n{}\n",
                    self.dump_frontier(),
                    self.order.dump()
                )));
            }
        }
        self.order.next().ok_or_else(|| {
            TraceError::Corrupt(
                "invariant violation: advance successful, but queue is empty".into(),
            )
        })
    }

    fn try_advance(&mut self, i: usize) -> Result<bool, TraceError> {
        let Some(gen) = &self.gen else {
            return Ok(false);
        };
        let bc = &mut self.frontier[i];
        if !self.order.advance(&mut bc.ev, &gen.table, bc.m, gen.gen)? {
            return Ok(false);
        }
        let batches = &gen.batches[bc.slot].1;
        if bc.next_event(batches, gen.freq)? {
            heap_update(&mut self.frontier, i);
        } else {
            heap_remove(&mut self.frontier, i);
        }
        Ok(true)
    }

    /// Mirrors internal/trace/reader.go (*Reader).nextGenWithSpill (go1.27).
    fn next_gen_with_spill(&mut self) -> Result<Event, TraceError> {
        if let Some(e) = &self.spill_err {
            if self.spill_err_sync {
                return Err(e.clone());
            }
            self.spill_err_sync = true;
            let ts = self.last_ts;
            return Ok(self.sync_event(None, ts));
        }
        if self.gen.is_some() && self.spill.is_none() {
            self.done = true;
            let ts = self.last_ts;
            return Ok(self.sync_event(None, ts));
        }
        match read_generation_with_spill(&mut self.r, self.spill.take(), self.version) {
            Err(e) => {
                self.spill_err = Some(e);
                self.gen = None;
                self.spill_err_sync = true;
                let ts = self.last_ts;
                Ok(self.sync_event(None, ts))
            }
            Ok((g, spill, spill_err)) => {
                self.spill = spill;
                self.spill_err = spill_err;
                self.install_gen(Some(g))
            }
        }
    }

    /// Mirrors internal/trace/reader.go (*Reader).installGen (go1.27).
    fn install_gen(
        &mut self,
        g: Option<super::generation::Generation<'a>>,
    ) -> Result<Event, TraceError> {
        let Some(g) = g else {
            self.gen = None;
            self.done = true;
            let ts = self.last_ts;
            return Ok(self.sync_event(None, ts));
        };
        let freq = g.table.sync.freq;
        let start = freq.mul(g.min_ts);
        let table = Rc::new(g.table);
        self.cpu_samples = g.cpu_samples;
        self.cpu_next = 0;
        for (slot, (m, batches)) in g.batches.iter().enumerate() {
            let mut bc = BatchCursor {
                m: *m,
                slot,
                last_ts: 0,
                idx: 0,
                data_off: 0,
                ev: BaseEvent::default(),
            };
            if !bc.next_event(batches, freq)? {
                continue;
            }
            heap_insert(&mut self.frontier, bc);
        }
        self.gen = Some(Current {
            gen: g.gen,
            batches: g.batches,
            freq,
            table: table.clone(),
        });
        Ok(self.sync_event(Some(table), start))
    }

    /// Mirrors internal/trace/reader.go `dumpFrontier` (go1.27).
    fn dump_frontier(&self) -> String {
        let mut sb = String::new();
        for bc in &self.frontier {
            let s = spec::spec(bc.ev.typ);
            let _ = write!(sb, "M {} [{} time={}", bc.m, s.name, bc.ev.time);
            for (i, arg) in s.args.iter().skip(1).enumerate() {
                let _ = write!(sb, " {arg}={}", bc.ev.args.get(i).copied().unwrap_or(0));
            }
            sb.push_str("]\n");
        }
        sb
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Event, TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.read_event().transpose()
    }
}

/// Mirrors internal/trace/event.go (Event).validateTableIDs (go1.27).
fn validate_table_ids(e: &Event) -> Result<(), TraceError> {
    if e.base.typ == ev::SYNC_EVENT {
        return Ok(());
    }
    let s = spec::spec(e.base.typ);
    let Some(t) = &e.table else {
        return Ok(());
    };
    for &i in s.stack_ids {
        let id = e.base.args[i - 1];
        if !t.stacks.has(id) {
            return Err(TraceError::Corrupt(format!(
                "found invalid stack ID {id} for event {}",
                s.name
            )));
        }
    }
    for &i in s.string_ids {
        let id = e.base.args[i - 1];
        if !t.strings.has(id) {
            return Err(TraceError::Corrupt(format!(
                "found invalid string ID {id} for event {}",
                s.name
            )));
        }
    }
    Ok(())
}
