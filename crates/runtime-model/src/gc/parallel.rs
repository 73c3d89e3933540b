//! Marking with several workers at once, for the benchmark that races the
//! real collector: Go marks with every P it has (`GOMAXPROCS=2` here runs
//! two mark workers), so the model can too.
//!
//! The algorithm is [`super::mark::mark_all`]'s Green Tea drain, with the
//! mark bytes and each span's "queued" flag shared through atomics (the
//! runtime sets `spanInlineMarkBits.marks` with `atomic.Or8` and queues a
//! span once with `tryAcquire`). What differs is how work moves: the
//! runtime's workers steal spans from each other's queues as they go; here
//! the work moves in rounds. Each round splits the queued spans, in address
//! order, between the workers; each worker scans its share and queues what
//! it marks for the next round; the flags of a round's spans are cleared
//! before the round starts, with no worker running. So a span is in one
//! share, and each of its objects is scanned by exactly one worker. Two
//! workers may grey the same object at once (a plain atomic store, no
//! locked instruction); only objects outside spans, which are queued one
//! by one, take a compare-and-swap. Small rounds run on one worker.
//!
//! This module does not start threads (the model is `no_std`): the caller
//! runs each round's shares on as many threads as it likes, for example
//! with `std::thread::scope` (see [`mark_rounds`]).

use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicU8, Ordering::Relaxed};

use super::heap::{Heap, ObjectId, BLACK, GREY, WHITE};
use super::mark::{compact, uses_span_queue};

/// The work of one round: spans to scan (Green Tea), and objects in other
/// spans to scan one by one (the classic path, e.g. large objects).
#[derive(Clone, Debug, Default)]
pub struct Work {
    pub spans: Vec<u32>,
    pub objects: Vec<u32>,
}

impl Work {
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty() && self.objects.is_empty()
    }

    pub fn len(&self) -> usize {
        self.spans.len() + self.objects.len()
    }

    /// Splits the round into `n` shares of about equal size.
    pub fn split(mut self, n: usize) -> Vec<Work> {
        let n = n.max(1);
        let mut out: Vec<Work> = (0..n).map(|_| Work::default()).collect();
        let (s, o) = (self.spans.len().div_ceil(n), self.objects.len().div_ceil(n));
        for share in out.iter_mut().rev() {
            let at = self.spans.len().saturating_sub(s);
            share.spans = self.spans.split_off(at);
            let at = self.objects.len().saturating_sub(o);
            share.objects = self.objects.split_off(at);
        }
        out
    }

    /// Joins what the workers queued into the next round.
    pub fn merge(parts: Vec<Work>) -> Work {
        let mut all = Work::default();
        for mut p in parts {
            all.spans.append(&mut p.spans);
            all.objects.append(&mut p.objects);
        }
        all
    }
}

/// One worker's scratch buffers.
#[derive(Debug, Default)]
struct Bufs {
    grey: Vec<u32>,
    cand: Vec<u32>,
    span: Vec<u32>,
}

/// The heap being marked by several workers: the heap itself read-only,
/// the mark bytes and the span queue flags shared through atomics.
#[allow(missing_debug_implementations)]
pub struct ParallelMark<'h> {
    heap: &'h Heap,
    marks: Vec<AtomicU8>,
    queued: Vec<AtomicBool>,
    batched: Vec<bool>,
}

impl<'h> ParallelMark<'h> {
    pub fn new(heap: &'h Heap) -> ParallelMark<'h> {
        ParallelMark {
            heap,
            marks: heap
                .mark_bytes()
                .iter()
                .map(|&m| AtomicU8::new(m))
                .collect(),
            queued: heap.spans.iter().map(|_| AtomicBool::new(false)).collect(),
            batched: heap
                .spans
                .iter()
                .map(|s| uses_span_queue(s.size_class))
                .collect(),
        }
    }

    /// The first round: what the globals and the stacks point to (the
    /// root jobs of `markroot`, done by one worker).
    pub fn roots(&self) -> Work {
        let mut work = Work::default();
        let roots = self
            .heap
            .globals
            .iter()
            .chain(self.heap.stacks.iter().flat_map(|s| s.slots.iter()))
            .flatten();
        for id in roots {
            self.mark(id.0, &mut work);
        }
        work
    }

    /// Sets the mark bit of `p` if it was clear and queues its span (or the
    /// object itself) for the next round.
    fn mark(&self, p: u32, out: &mut Work) {
        if self.marks.get(p as usize).is_some() {
            self.mark_in(p, self.heap.span_of(ObjectId(p)) as usize, out);
        }
    }

    /// [`ParallelMark::mark`] of an object already known to be in `span`.
    fn mark_in(&self, p: u32, span: usize, out: &mut Work) {
        let m = &self.marks[p as usize];
        if m.load(Relaxed) != WHITE {
            return;
        }
        if !self.batched[span] {
            // Outside spans an object is queued by itself: exactly one
            // worker may turn it grey, or two would scan it.
            if m.compare_exchange(WHITE, GREY, Relaxed, Relaxed).is_ok() {
                out.objects.push(p);
            }
            return;
        }
        // Two workers may both grey the object; the span's flag decides
        // which of them queues the span. The flag of a span being scanned
        // in this round was cleared before the round began, so a flag that
        // is set means the span waits for the next round, which starts
        // after this one has finished: the mark will be seen then.
        m.store(GREY, Relaxed);
        let queued = &self.queued[span];
        if !queued.load(Relaxed) && !queued.swap(true, Relaxed) {
            out.spans.push(span as u32);
        }
    }

    /// [`ParallelMark::mark`] for every pointer of a span, reading all the
    /// mark bytes first without a branch per pointer, so that their cache
    /// misses overlap.
    fn mark_all_of(&self, ptrs: &[u32], bufs: &mut Bufs, out: &mut Work) {
        let cand = &mut bufs.cand;
        compact(cand, ptrs, |p| {
            self.marks
                .get(p as usize)
                .is_some_and(|m| m.load(Relaxed) == WHITE)
        });
        // Every span first, then act: the lookups overlap too.
        bufs.span.clear();
        bufs.span
            .extend(cand.iter().map(|&p| self.heap.span_of(ObjectId(p))));
        for (&p, &span) in cand.iter().zip(&bufs.span) {
            self.mark_in(p, span as usize, out);
        }
    }

    /// Scans one object if it is grey. No other worker scans it in this
    /// round: its span (or the object, outside spans) is in one share.
    fn scan_object(&self, id: u32, ptrs: &mut Vec<u32>) -> bool {
        let m = &self.marks[id as usize];
        if m.load(Relaxed) != GREY {
            return false;
        }
        m.store(BLACK, Relaxed);
        ptrs.extend_from_slice(self.heap.slot_words(ObjectId(id)));
        true
    }

    /// One worker's share of a round: scans its spans (every grey object in
    /// each, as `scanSpan`) and objects, marks what they point to, and
    /// queues that into `out`. Returns the objects it scanned.
    pub fn scan(&self, work: &Work, out: &mut Work) -> usize {
        let mut bufs = Bufs::default();
        let mut ptrs = Vec::new();
        let mut scanned = 0;
        for &span in &work.spans {
            // The grey objects of the span, found without a branch each.
            let members = &self.heap.spans[span as usize].objects;
            let grey = &mut bufs.grey;
            grey.clear();
            grey.resize(members.len(), 0);
            let mut n = 0;
            for &id in members {
                grey[n] = id.0;
                n += usize::from(self.marks[id.0 as usize].load(Relaxed) == GREY);
            }
            grey.truncate(n);
            ptrs.clear();
            for &id in grey.iter() {
                self.marks[id as usize].store(BLACK, Relaxed);
                ptrs.extend_from_slice(self.heap.slot_words(ObjectId(id)));
            }
            scanned += n;
            self.mark_all_of(&ptrs, &mut bufs, out);
        }
        for &id in &work.objects {
            ptrs.clear();
            scanned += usize::from(self.scan_object(id, &mut ptrs));
            for &p in &ptrs {
                self.mark(p, out);
            }
        }
        scanned
    }

    /// The mark bytes, to write back into the heap.
    pub fn into_marks(self) -> Vec<u8> {
        self.marks.into_iter().map(AtomicU8::into_inner).collect()
    }
}

/// Rounds smaller than this run on one worker: starting the others would
/// cost more than the round.
pub const MIN_SHARED_ROUND: usize = 64;

/// Marks everything reachable, running each round through `run_round`,
/// which gets the round's shares (one per worker, or one for a small
/// round) and returns what each share queued and scanned. Returns how many
/// objects were scanned in all.
pub fn mark_rounds(
    heap: &mut Heap,
    workers: usize,
    run_round: impl Fn(&ParallelMark<'_>, Vec<Work>) -> Vec<(Work, usize)>,
) -> usize {
    let shared = ParallelMark::new(heap);
    let mut work = shared.roots();
    let mut scanned = 0;
    while !work.is_empty() {
        // Between rounds, with no worker running: the spans of this round
        // are no longer queued, so marks made while they are scanned queue
        // them again for the next round.
        for &span in &work.spans {
            shared.queued[span as usize].store(false, Relaxed);
        }
        // In address order: each worker then walks the heap upwards, which
        // the processor's prefetcher and TLB handle far better than a
        // random order (the runtime has no rounds to sort).
        work.spans.sort_unstable();
        let n = if work.len() < MIN_SHARED_ROUND {
            1
        } else {
            workers
        };
        let results = run_round(&shared, work.split(n));
        scanned += results.iter().map(|r| r.1).sum::<usize>();
        work = Work::merge(results.into_iter().map(|r| r.0).collect());
    }
    let marks = shared.into_marks();
    heap.mark_bytes_mut().copy_from_slice(&marks);
    scanned
}

/// [`mark_rounds`] with every share run in turn on this thread.
pub fn mark_rounds_here(heap: &mut Heap, workers: usize) -> usize {
    mark_rounds(heap, workers, |shared, shares| {
        shares
            .iter()
            .map(|w| {
                let mut out = Work::default();
                let n = shared.scan(w, &mut out);
                (out, n)
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gc::heap::{Color, Holder};
    use crate::gc::mark::mark_all;

    /// Rounds split among workers mark exactly what the one-worker drain
    /// marks, and scan each object once.
    #[test]
    fn rounds_mark_what_one_worker_marks() {
        for seed in 0..10 {
            let mut heap = Heap::random_graph_in_spans(3000, 3, seed, 170);
            let big = heap.alloc(40_000, 2, Color::White);
            heap.globals = alloc::vec![Some(ObjectId(5)), Some(big)];
            heap.set_slot(Holder::Object(big), 1, Some(ObjectId(2999)));
            heap.free(ObjectId(7));
            let mut one = heap.clone();
            let want = mark_all(&mut one);
            for workers in [1, 2, 3, 8] {
                let mut h = heap.clone();
                assert_eq!(
                    mark_rounds_here(&mut h, workers),
                    want,
                    "seed {seed}, {workers} workers"
                );
                for o in &h.objects {
                    assert_eq!(h.color(o.id), one.color(o.id), "seed {seed}: {}", o.id);
                }
            }
        }
    }
}
