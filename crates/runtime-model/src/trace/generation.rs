//! Generations: the self-contained slices of a trace, each with its own
//! string, stack and frame tables, CPU samples and clock data.
//!
//! Mirrors internal/trace/generation.go `generation`, `readGeneration` and
//! `readGenerationWithSpill`, and internal/trace/base.go `evTable` and
//! `dataTable` (go1.27).

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use super::batch::{read_batch, Batch, BatchRead, ByteReader, Timestamp};
use super::spec::{ev, Version, MAX_EVENT_TRAILER_DATA_SIZE, MAX_FRAMES_PER_STACK};
use super::{GoID, ProcID, SchedCtx, ThreadID, Time, TraceError, NO_GOROUTINE};

/// Nanoseconds per timestamp unit.
///
/// Mirrors internal/trace/base.go `frequency` (go1.27).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Frequency(pub f64);

impl Frequency {
    /// Mirrors internal/trace/base.go (frequency).mul (go1.27). Go's
    /// conversion of an out-of-range float to int64 gives the minimum on
    /// amd64; so does this.
    pub fn mul(self, t: Timestamp) -> Time {
        float_to_time(t as f64 * self.0)
    }
}

fn float_to_time(f: f64) -> Time {
    // 2^63: the first float past i64::MAX.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if (-LIMIT..LIMIT).contains(&f) {
        f as i64
    } else {
        i64::MIN
    }
}

/// A table from IDs to values, with ID 0 always present as the empty value.
///
/// Mirrors internal/trace/base.go `dataTable` (go1.27).
#[derive(Debug, Default)]
pub(crate) struct DataTable<E> {
    dense: Vec<Option<E>>,
    sparse: BTreeMap<u64, E>,
}

impl<E: Default + Clone> DataTable<E> {
    /// Mirrors internal/trace/base.go (*dataTable).insert (go1.27).
    pub fn insert(&mut self, id: u64, data: E) -> Result<(), Option<E>> {
        if let Some(existing) = self.get(id) {
            return Err(Some(existing.clone()));
        }
        self.sparse.insert(id, data);
        Ok(())
    }

    /// Mirrors internal/trace/base.go (*dataTable).compactify (go1.27).
    pub fn compactify(&mut self) {
        if self.sparse.is_empty() || !self.dense.is_empty() {
            return;
        }
        let (Some((&min_id, _)), Some((&max_id, _))) =
            (self.sparse.first_key_value(), self.sparse.last_key_value())
        else {
            return;
        };
        let n = self.sparse.len() as u64;
        if max_id - min_id > 2 * n || min_id > n {
            return;
        }
        let mut dense: Vec<Option<E>> = Vec::new();
        dense.resize_with(max_id as usize + 1, || None);
        for (id, data) in core::mem::take(&mut self.sparse) {
            dense[id as usize] = Some(data);
        }
        self.dense = dense;
    }

    /// Mirrors internal/trace/base.go (*dataTable).get (go1.27), but with
    /// `None` for the ID 0 (the empty value, which is always present).
    pub fn get(&self, id: u64) -> Option<&E> {
        if let Some(Some(e)) = self.dense.get(id as usize) {
            return Some(e);
        }
        self.sparse.get(&id)
    }

    /// Whether `id` is 0 or in the table.
    pub fn has(&self, id: u64) -> bool {
        id == 0 || self.get(id).is_some()
    }

    /// Every ID and value, in ID order.
    pub fn for_each(&self, mut f: impl FnMut(u64, &E) -> bool) {
        for (id, e) in self.dense.iter().enumerate() {
            if let Some(e) = e {
                if !f(id as u64, e) {
                    return;
                }
            }
        }
        for (id, e) in &self.sparse {
            if !f(*id, e) {
                return;
            }
        }
    }
}

/// Mirrors internal/trace/base.go `frame` (go1.27).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Frame {
    pub pc: u64,
    pub func_id: u64,
    pub file_id: u64,
    pub line: u64,
}

/// Mirrors internal/trace/base.go `stack` (go1.27).
#[derive(Debug, Clone, Default)]
pub(crate) struct StackPcs {
    pub pcs: Vec<u64>,
}

/// Mirrors internal/trace/generation.go `sync` (go1.27).
#[derive(Debug, Clone, Default)]
pub(crate) struct SyncData {
    pub freq: Frequency,
    pub has_clock_snapshot: bool,
    pub snap_time: Timestamp,
    pub snap_mono: u64,
    pub snap_sec: u64,
    pub snap_nsec: u64,
}

/// Mirrors internal/trace/event.go `ExperimentalBatch` (go1.27): the raw
/// data of an experiment's batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExperimentalBatch {
    /// The thread that wrote the batch.
    pub thread: ThreadID,
    /// The batch's data, unparsed.
    pub data: Vec<u8>,
}

/// Mirrors internal/trace/base.go `evTable` (go1.27): what a generation's
/// events need to be read.
#[derive(Debug, Default)]
pub(crate) struct EvTable {
    pub sync: SyncData,
    pub strings: DataTable<Box<[u8]>>,
    pub stacks: DataTable<StackPcs>,
    pub pcs: BTreeMap<u64, Frame>,
    pub extra: RefCell<ExtraStrings>,
    pub exp_batches: BTreeMap<u8, Vec<ExperimentalBatch>>,
}

/// Mirrors internal/trace/base.go `extraStrings` and `extraStringIDs` of `evTable` (go1.27).
#[derive(Debug, Default)]
pub(crate) struct ExtraStrings {
    strings: Vec<Box<[u8]>>,
    ids: BTreeMap<Box<[u8]>, u64>,
}

impl EvTable {
    /// Mirrors internal/trace/base.go (*evTable).addExtraString (go1.27).
    pub fn add_extra_string(&self, s: &[u8]) -> u64 {
        if s.is_empty() {
            return 0;
        }
        let mut x = self.extra.borrow_mut();
        if let Some(&id) = x.ids.get(s) {
            return id;
        }
        x.strings.push(s.into());
        let id = x.strings.len() as u64;
        x.ids.insert(s.into(), id);
        id
    }

    /// Mirrors internal/trace/base.go (*evTable).getExtraString (go1.27).
    pub fn get_extra_string(&self, id: u64) -> Box<[u8]> {
        if id == 0 {
            return Box::default();
        }
        let x = self.extra.borrow();
        x.strings.get(id as usize - 1).cloned().unwrap_or_default()
    }

    /// The string with `id`; empty for 0 or an unknown ID.
    pub fn string(&self, id: u64) -> &[u8] {
        self.strings.get(id).map_or(&[][..], |s| s)
    }
}

/// Mirrors internal/trace/base.go `cpuSample` (go1.27).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CpuSample {
    pub ctx: SchedCtx,
    pub time: Time,
    pub stack: u64,
}

/// Mirrors internal/trace/generation.go `generation` (go1.27).
#[derive(Debug)]
pub(crate) struct Generation<'a> {
    pub gen: u64,
    /// Each M's batches, in the order the Ms first appear (Go's `batchMs`).
    pub batches: Vec<(ThreadID, Vec<Batch<'a>>)>,
    pub cpu_samples: Vec<CpuSample>,
    pub min_ts: Timestamp,
    pub table: EvTable,
}

impl<'a> Generation<'a> {
    fn new() -> Self {
        Generation {
            gen: 0,
            batches: Vec::new(),
            cpu_samples: Vec::new(),
            min_ts: 0,
            table: EvTable::default(),
        }
    }
}

/// Mirrors internal/trace/generation.go `readGeneration` (go1.27): the
/// next generation of a Go 1.26 trace, or `None` at the end.
pub(crate) fn read_generation<'a>(
    r: &mut ByteReader<'a>,
    ver: Version,
) -> Result<Option<Generation<'a>>, TraceError> {
    let mut g = Generation::new();
    loop {
        let (b, gen) = match read_batch(r)? {
            BatchRead::Eof => {
                if !g.batches.is_empty() {
                    return Err(TraceError::Truncated(
                        "incomplete generation found; trace likely truncated".into(),
                    ));
                }
                return Ok(None);
            }
            BatchRead::Batch(b, gen) => (b, gen),
        };
        if g.gen == 0 {
            g.gen = gen;
        }
        if b.is_end_of_generation() {
            break;
        }
        if gen == 0 {
            return Err(TraceError::Corrupt(format!(
                "invalid generation number {gen}"
            )));
        }
        if gen != g.gen {
            return Err(TraceError::Corrupt(
                "broken trace: missing end-of-generation event, or generations are interleaved"
                    .into(),
            ));
        }
        if g.min_ts == 0 || b.time < g.min_ts {
            g.min_ts = b.time;
        }
        process_batch(&mut g, b, ver)?;
    }
    if g.table.sync.freq.0 == 0.0 {
        return Err(TraceError::Corrupt("no frequency event found".into()));
    }
    if !g.table.sync.has_clock_snapshot {
        return Err(TraceError::Corrupt("no clock snapshot event found".into()));
    }
    finish(&mut g)?;
    Ok(Some(g))
}

/// A batch of the next generation, read while looking for the end of
/// this one (traces before Go 1.26 have no end-of-generation signal).
///
/// Mirrors internal/trace/generation.go `spilledBatch` (go1.27).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SpilledBatch<'a> {
    pub gen: u64,
    pub batch: Batch<'a>,
}

/// What [`read_generation_with_spill`] read: the generation, the first
/// batch of the next one, and an error to report after this generation.
pub(crate) type WithSpill<'a> = (Generation<'a>, Option<SpilledBatch<'a>>, Option<TraceError>);

/// Mirrors internal/trace/generation.go `readGenerationWithSpill` (go1.27).
pub(crate) fn read_generation_with_spill<'a>(
    r: &mut ByteReader<'a>,
    spill: Option<SpilledBatch<'a>>,
    ver: Version,
) -> Result<WithSpill<'a>, TraceError> {
    let mut g = Generation::new();
    if let Some(s) = spill {
        g.gen = s.gen;
        g.min_ts = s.batch.time;
        process_batch(&mut g, s.batch, ver)?;
    }
    let mut next = None;
    let mut spill_err = None;
    loop {
        let (b, gen) = match read_batch(r) {
            Ok(BatchRead::Eof) => break,
            Ok(BatchRead::Batch(b, gen)) => (b, gen),
            Err(e) => {
                if g.gen != 0 {
                    spill_err = Some(e);
                    break;
                }
                return Err(e);
            }
        };
        if gen == 0 {
            return Err(TraceError::Corrupt(format!(
                "invalid generation number {gen}"
            )));
        }
        if g.gen == 0 {
            g.gen = gen;
        }
        if gen == g.gen.wrapping_add(1) {
            next = Some(SpilledBatch { gen, batch: b });
            break;
        }
        if gen != g.gen {
            return Err(TraceError::Corrupt("generations out of order".into()));
        }
        if g.min_ts == 0 || b.time < g.min_ts {
            g.min_ts = b.time;
        }
        process_batch(&mut g, b, ver)?;
    }
    if g.table.sync.freq.0 == 0.0 {
        return Err(TraceError::Corrupt("no frequency event found".into()));
    }
    if ver >= Version::GO125 && !g.table.sync.has_clock_snapshot {
        return Err(TraceError::Corrupt("no clock snapshot event found".into()));
    }
    finish(&mut g)?;
    Ok((g, next, spill_err))
}

/// The end of both readers: compact and check the tables, and put the
/// CPU samples on the generation's clock.
fn finish(g: &mut Generation<'_>) -> Result<(), TraceError> {
    g.table.stacks.compactify();
    g.table.strings.compactify();
    validate_stack_strings(&g.table)?;
    // Mirrors internal/trace/generation.go fixUpCPUSamples (go1.27).
    let freq = g.table.sync.freq;
    for s in &mut g.cpu_samples {
        s.time = freq.mul(s.time as Timestamp);
    }
    g.cpu_samples.sort_by_key(|s| s.time);
    Ok(())
}

/// Mirrors internal/trace/generation.go `processBatch` (go1.27).
fn process_batch<'a>(g: &mut Generation<'a>, b: Batch<'a>, ver: Version) -> Result<(), TraceError> {
    if b.is_strings_batch() {
        add_strings(&mut g.table.strings, b)
    } else if b.is_stacks_batch() {
        add_stacks(&mut g.table, b)
    } else if b.is_cpu_samples_batch() {
        add_cpu_samples(&mut g.cpu_samples, b)
    } else if b.is_sync_batch(ver) {
        set_sync_batch(&mut g.table.sync, b, ver)
    } else if b.exp != 0 {
        g.table
            .exp_batches
            .entry(b.exp)
            .or_default()
            .push(ExperimentalBatch {
                thread: b.m,
                data: b.data.to_vec(),
            });
        Ok(())
    } else if b.is_end_of_generation() {
        Err(TraceError::Corrupt(
            "internal error: unexpectedly processing EndOfGeneration; broken trace?".into(),
        ))
    } else {
        match g.batches.iter_mut().find(|(m, _)| *m == b.m) {
            Some((_, list)) => list.push(b),
            None => g.batches.push((b.m, alloc::vec![b])),
        }
        Ok(())
    }
}

fn raw(e: super::batch::ReadErr) -> TraceError {
    e.into_error("")
}

/// Mirrors internal/trace/generation.go `validateStackStrings` (go1.27).
fn validate_stack_strings(t: &EvTable) -> Result<(), TraceError> {
    let mut err = None;
    t.stacks.for_each(|id, stk| {
        for pc in &stk.pcs {
            let Some(frame) = t.pcs.get(pc) else {
                err = Some(format!("found unknown pc {pc:x} for stack {id}"));
                return false;
            };
            if !t.strings.has(frame.func_id) {
                err = Some(format!(
                    "found invalid func string ID {} for stack {id}",
                    frame.func_id
                ));
                return false;
            }
            if !t.strings.has(frame.file_id) {
                err = Some(format!(
                    "found invalid file string ID {} for stack {id}",
                    frame.file_id
                ));
                return false;
            }
        }
        true
    });
    match err {
        Some(e) => Err(TraceError::Corrupt(e)),
        None => Ok(()),
    }
}

/// Mirrors internal/trace/generation.go `addStrings` (go1.27).
fn add_strings(table: &mut DataTable<Box<[u8]>>, b: Batch<'_>) -> Result<(), TraceError> {
    let mut r = ByteReader::new(b.data);
    r.pos = 1; // The EvStrings byte.
    while r.len() != 0 {
        let e = r.read_byte().map_err(raw)?;
        if e != ev::STRING {
            return Err(TraceError::Corrupt(format!(
                "expected string event, got {e}"
            )));
        }
        let id = r.read_uvarint().map_err(raw)?;
        let len = r.read_uvarint().map_err(raw)?;
        if len > MAX_EVENT_TRAILER_DATA_SIZE {
            return Err(TraceError::Corrupt(format!(
                "invalid string size {len}, maximum is {MAX_EVENT_TRAILER_DATA_SIZE}"
            )));
        }
        let s = r.take(len);
        if s.len() as u64 != len {
            return Err(TraceError::Truncated(format!(
                "failed to read full string: read {} but wanted {len}",
                s.len()
            )));
        }
        if let Err(existing) = table.insert(id, s.into()) {
            let existing = existing.unwrap_or_default();
            return Err(TraceError::Corrupt(format!(
                "multiple strings with the same ID: id={id}, new={}, existing={}",
                String::from_utf8_lossy(s),
                String::from_utf8_lossy(&existing)
            )));
        }
    }
    Ok(())
}

/// Mirrors internal/trace/generation.go `addStacks` (go1.27).
fn add_stacks(t: &mut EvTable, b: Batch<'_>) -> Result<(), TraceError> {
    let mut r = ByteReader::new(b.data);
    r.pos = 1; // The EvStacks byte.
    while r.len() != 0 {
        let e = r.read_byte().map_err(raw)?;
        if e != ev::STACK {
            return Err(TraceError::Corrupt(format!(
                "expected stack event, got {e}"
            )));
        }
        let id = r.read_uvarint().map_err(raw)?;
        let n_frames = r.read_uvarint().map_err(raw)?;
        if n_frames > MAX_FRAMES_PER_STACK {
            return Err(TraceError::Corrupt(format!(
                "invalid stack size {n_frames}, maximum is {MAX_FRAMES_PER_STACK}"
            )));
        }
        let mut frames = Vec::with_capacity(n_frames as usize);
        for i in 0..n_frames {
            let mut field = |what: &str| {
                r.read_uvarint().map_err(|e| {
                    e.into_error(&format!("reading frame {}'s {what} for stack {id}", i + 1))
                })
            };
            let pc = field("PC")?;
            let func_id = field("funcID")?;
            let file_id = field("fileID")?;
            let line = field("line")?;
            frames.push(pc);
            t.pcs.entry(pc).or_insert(Frame {
                pc,
                func_id,
                file_id,
                line,
            });
        }
        if let Err(existing) = t.stacks.insert(
            id,
            StackPcs {
                pcs: frames.clone(),
            },
        ) {
            let show = |pcs: &[u64]| {
                pcs.iter()
                    .map(|pc| format!("\t{pc:#x}\n"))
                    .collect::<String>()
            };
            return Err(TraceError::Corrupt(format!(
                "multiple trace.stacks with the same ID: id={id}, new={}, existing={}",
                show(&frames),
                show(&existing.unwrap_or_default().pcs)
            )));
        }
    }
    Ok(())
}

/// Mirrors internal/trace/generation.go `addCPUSamples` (go1.27).
fn add_cpu_samples(samples: &mut Vec<CpuSample>, b: Batch<'_>) -> Result<(), TraceError> {
    let mut r = ByteReader::new(b.data);
    r.pos = 1; // The EvCPUSamples byte.
    while r.len() != 0 {
        let e = r.read_byte().map_err(raw)?;
        if e != ev::CPU_SAMPLE {
            return Err(TraceError::Corrupt(format!(
                "expected CPU sample event, got {e}"
            )));
        }
        let ts = r.read_uvarint().map_err(raw)?;
        let m = r.read_uvarint().map_err(raw)?;
        let p = r.read_uvarint().map_err(raw)?;
        let g = r.read_uvarint().map_err(raw)?;
        let s = r.read_uvarint().map_err(raw)?;
        samples.push(CpuSample {
            ctx: SchedCtx {
                m: m as ThreadID,
                p: p as ProcID,
                g: if g == 0 { NO_GOROUTINE } else { g as GoID },
            },
            // A raw timestamp until the generation's frequency is known.
            time: ts as Time,
            stack: s,
        });
    }
    Ok(())
}

/// Mirrors internal/trace/generation.go `setSyncBatch` (go1.27).
fn set_sync_batch(s: &mut SyncData, b: Batch<'_>, ver: Version) -> Result<(), TraceError> {
    let mut r = ByteReader::new(b.data);
    if ver >= Version::GO125 {
        r.pos = 1; // The EvSync byte.
    }
    let mut last_ts = b.time;
    while r.len() != 0 {
        let e = r.read_byte().map_err(raw)?;
        if e == ev::FREQUENCY {
            if s.freq.0 != 0.0 {
                return Err(TraceError::Corrupt(
                    "found multiple frequency events".into(),
                ));
            }
            let f = r.read_uvarint().map_err(raw)?;
            s.freq = Frequency(1.0 / (f as f64 / 1e9));
        } else if e == ev::CLOCK_SNAPSHOT && ver >= Version::GO125 {
            if s.has_clock_snapshot {
                return Err(TraceError::Corrupt(
                    "found multiple clock snapshot events".into(),
                ));
            }
            s.has_clock_snapshot = true;
            let tdiff = r.read_uvarint().map_err(raw)?;
            last_ts = last_ts.wrapping_add(tdiff);
            s.snap_time = last_ts;
            s.snap_mono = r.read_uvarint().map_err(raw)?;
            s.snap_sec = r.read_uvarint().map_err(raw)?;
            s.snap_nsec = r.read_uvarint().map_err(raw)?;
        } else {
            return Err(TraceError::Corrupt(format!(
                "expected frequency or clock snapshot event, got {e}"
            )));
        }
    }
    Ok(())
}
