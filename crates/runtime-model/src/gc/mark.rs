//! Marking: turning white objects grey and grey objects black. Mirrors
//! runtime/mgcmark.go (go1.27) `markroot`, `scanstack`, `gcDrain`,
//! `scanObject`, `greyobject` and `shade`, with one grey work queue (the
//! runtime has a `gcWork` per P and a global list of full buffers; like a
//! work buffer, the queue here is popped last-in first-out).
//!
//! That object-at-a-time drain is the classic collector
//! (mgcmark_nogreenteagc.go, `GOEXPERIMENT=nogreenteagc`), and it is what the
//! step-by-step widget shows. Go 1.27's default is Green Tea
//! (mgcmark_greenteagc.go): a pointer to a small object only sets its mark
//! and queues the object's *span*, first-in first-out, so that marks pile
//! up on a span before `scanSpan` scans all of them together.
//! [`gc_drain_green_tea`] does that, and [`mark_all`] (the benchmark) uses it.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use super::heap::{Color, Heap, Holder, ObjectId};

/// The grey objects waiting to be scanned (`gcWork`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GreyQueue {
    pub objects: Vec<ObjectId>,
}

/// Mirrors mgcmark.go `greyobject` (go1.27): "If marked we have nothing to
/// do", else set the mark bit and queue the object for scanning. Returns
/// whether it turned the object grey.
pub fn greyobject(heap: &mut Heap, queue: &mut GreyQueue, id: ObjectId) -> bool {
    // The dense mark byte only: most pointers lead to objects already
    // marked, and freed objects carry a flag there too.
    if !heap.grey_if_white(id) {
        return false;
    }
    queue.objects.push(id);
    true
}

/// Mirrors mgcmark.go `shade` (go1.27): grey a white object; used by the
/// write barrier. Pushes the object to `shaded` if it changed colour.
pub fn shade(heap: &mut Heap, queue: &mut GreyQueue, id: ObjectId, shaded: &mut Vec<ObjectId>) {
    if greyobject(heap, queue, id) {
        shaded.push(id);
    }
}

/// Mirrors `scanObject` (go1.27, runtime/mgcmark_nogreenteagc.go, the
/// object-at-a-time scanner): grey every white object `id`
/// points to, then `id` is black.
pub fn scanobject(
    heap: &mut Heap,
    queue: &mut GreyQueue,
    id: ObjectId,
    shaded: &mut Vec<ObjectId>,
) {
    for i in 0..heap.slot_words(id).len() {
        let to = heap.slot_words(id)[i];
        if to != u32::MAX {
            shade(heap, queue, ObjectId(to), shaded);
        }
    }
    heap.set_color(id, Color::Black);
}

/// Mirrors mgcmark.go `markroot` for the data and BSS roots
/// (`markrootBlock`, go1.27): grey what the globals point to.
pub fn markroot_globals(heap: &mut Heap, queue: &mut GreyQueue, shaded: &mut Vec<ObjectId>) {
    for i in 0..heap.globals.len() {
        if let Some(to) = heap.globals[i] {
            shade(heap, queue, to, shaded);
        }
    }
    heap.globals_scanned = true;
}

/// Mirrors mgcmark.go `scanstack` (go1.27): the goroutine is stopped, its
/// frames scanned, what they point to greyed; the stack is then black.
pub fn scanstack(heap: &mut Heap, queue: &mut GreyQueue, g: u32, shaded: &mut Vec<ObjectId>) {
    let n = heap.stacks[g as usize].slots.len();
    for i in 0..n {
        if let Some(to) = heap.slot(Holder::Stack(g), i as u32) {
            shade(heap, queue, to, shaded);
        }
    }
    heap.stacks[g as usize].scanned = true;
}

/// Mirrors mgcmark.go `gcDrain` (go1.27) run to completion by one worker:
/// scan grey objects until none is left. The step-by-step simulation pops
/// one object per step instead; the benchmark calls this.
pub fn gc_drain(heap: &mut Heap, queue: &mut GreyQueue) -> usize {
    let mut scratch = Vec::new();
    let mut scanned = 0;
    while let Some(id) = queue.objects.pop() {
        scratch.clear();
        scanobject(heap, queue, id, &mut scratch);
        scanned += 1;
    }
    scanned
}

/// Mirrors mgcmark_greenteagc.go `gcUsesSpanInlineMarkBits` (go1.27):
/// spans of objects from 16 to 512 bytes (`heapBitsInSpan`) are scanned a
/// span at a time; bigger and tinier ones go through the object queue.
pub fn uses_span_queue(size_class: u8) -> bool {
    let size = crate::sizeclasses::class_to_size(size_class);
    size_class != 0 && (16..=512).contains(&size)
}

/// Green Tea's span work queue (mgcmark_greenteagc.go `spanQueue`),
/// first-in first-out, with each span's "acquired" flag (`tryAcquire`): a
/// span sits in the queue at most once however many marks it gathers.
#[derive(Clone, Debug, Default)]
pub struct SpanQueue {
    fifo: VecDeque<u32>,
    queued: Vec<bool>,
    /// Per span: `gcUsesSpanInlineMarkBits` for its size class.
    batched: Vec<bool>,
}

impl SpanQueue {
    pub fn new(heap: &Heap) -> SpanQueue {
        SpanQueue {
            fifo: VecDeque::new(),
            queued: alloc::vec![false; heap.spans.len()],
            batched: heap
                .spans
                .iter()
                .map(|s| uses_span_queue(s.size_class))
                .collect(),
        }
    }
}

/// Mirrors mgcmark_greenteagc.go `tryDeferToSpanScan` (go1.27): for an
/// object in a small-object span, set its mark bit and queue its span
/// unless the span is queued already. Returns false for objects that take
/// the classic path (`greyobject`).
/// Scratch buffers of the Green Tea drain (the runtime's `gcw.ptrBuf`).
///
/// The drain works in passes over whole buffers rather than one pointer at
/// a time: first read every mark bit, then every span, then act. The loads
/// of a pass do not depend on each other, so the processor overlaps their
/// cache misses. Go gets the same effect from `scanObjectsSmall` filling
/// `ptrBuf` and prefetching each address before it processes any of them.
#[derive(Clone, Debug, Default)]
struct ScanBufs {
    ptr_buf: Vec<u32>,
    candidates: Vec<u32>,
    span_of: Vec<u32>,
}

/// Keeps the words of `from` for which `keep` holds, without a branch per
/// word (a branch on a mark bit is a coin toss the processor mispredicts).
pub(crate) fn compact(into: &mut Vec<u32>, from: &[u32], keep: impl Fn(u32) -> bool) {
    into.clear();
    into.resize(from.len(), 0);
    let mut n = 0;
    for &w in from {
        into[n] = w;
        n += usize::from(keep(w));
    }
    into.truncate(n);
}

/// Processes every pointer in `bufs.ptr_buf`, the way `scanSpan` ends: for
/// each one, mirrors mgcmark_greenteagc.go `tryDeferToSpanScan` (go1.27)
/// (set the mark bit of an object in a small-object span and queue the span
/// unless it is queued already) or, for other objects, `greyobject`. Both
/// start from the mark bit ("if marked we have nothing to do"), so it is
/// read first.
fn mark_pointers(
    heap: &mut Heap,
    queue: &mut GreyQueue,
    spans: &mut SpanQueue,
    bufs: &mut ScanBufs,
) {
    // A nil word is no object, hence never unmarked.
    compact(&mut bufs.candidates, &bufs.ptr_buf, |p| {
        heap.is_unmarked(ObjectId(p))
    });
    bufs.span_of.clear();
    bufs.span_of
        .extend(bufs.candidates.iter().map(|&p| heap.span_of(ObjectId(p))));
    for (&p, &span) in bufs.candidates.iter().zip(&bufs.span_of) {
        let id = ObjectId(p);
        let span = span as usize;
        if !spans.batched[span] {
            greyobject(heap, queue, id);
        } else if heap.grey_if_white(id) && !spans.queued[span] {
            spans.queued[span] = true;
            spans.fifo.push_back(span as u32);
        }
    }
}

/// Reads the pointer slots of `grey` objects into `ptr_buf` and blackens
/// them (the scan half of `scanobject` and `scanObjectsSmall`).
/// Nil words are copied too and dropped by [`mark_pointers`]: a copy with
/// no branch per word lets the loads of many objects overlap.
fn scan_into(heap: &mut Heap, grey: &[u32], ptr_buf: &mut Vec<u32>) {
    ptr_buf.clear();
    for &id in grey {
        let id = ObjectId(id);
        ptr_buf.extend_from_slice(heap.slot_words(id));
        heap.set_color(id, Color::Black);
    }
}

/// Mirrors mgcmark_greenteagc.go `scanSpan` (go1.27): release the span,
/// find every object marked since it was queued (marks and not scans; here
/// the grey ones), scan them all into the pointer buffer, then process
/// those pointers.
fn scan_span(
    heap: &mut Heap,
    queue: &mut GreyQueue,
    spans: &mut SpanQueue,
    span: usize,
    bufs: &mut ScanBufs,
) -> usize {
    spans.queued[span] = false;
    let mut grey = core::mem::take(&mut bufs.span_of);
    {
        let members = &heap.spans[span].objects;
        grey.clear();
        grey.resize(members.len(), 0);
        let mut n = 0;
        for &id in members {
            grey[n] = id.0;
            n += usize::from(heap.is_grey(id));
        }
        grey.truncate(n);
    }
    scan_into(heap, &grey, &mut bufs.ptr_buf);
    let scanned = grey.len();
    bufs.span_of = grey;
    mark_pointers(heap, queue, spans, bufs);
    scanned
}

/// Mirrors mgcmark.go `gcDrain` (go1.27) under Green Tea, run to
/// completion by one worker: objects from the object queue first, then
/// spans from the span queue, until both are empty. Returns the objects
/// scanned.
pub fn gc_drain_green_tea(heap: &mut Heap, queue: &mut GreyQueue, spans: &mut SpanQueue) -> usize {
    let mut bufs = ScanBufs::default();
    let mut scanned = 0;
    loop {
        if let Some(id) = queue.objects.pop() {
            // scanobject, whose pointers also try the span queue first.
            scan_into(heap, &[id.0], &mut bufs.ptr_buf);
            mark_pointers(heap, queue, spans, &mut bufs);
            scanned += 1;
        } else if let Some(span) = spans.fifo.pop_front() {
            scanned += scan_span(heap, queue, spans, span as usize, &mut bufs);
        } else {
            return scanned;
        }
    }
}

/// Marks everything reachable from the roots the Green Tea way (Go 1.27's
/// default): globals, every stack, then drain. Returns how many objects
/// were scanned.
pub fn mark_all(heap: &mut Heap) -> usize {
    let mut queue = mark_roots(heap);
    let mut spans = SpanQueue::new(heap);
    gc_drain_green_tea(heap, &mut queue, &mut spans)
}

/// The root jobs: globals, then every stack; returns the grey queue.
fn mark_roots(heap: &mut Heap) -> GreyQueue {
    let mut queue = GreyQueue::default();
    let mut scratch = Vec::new();
    markroot_globals(heap, &mut queue, &mut scratch);
    for g in 0..heap.stacks.len() as u32 {
        scanstack(heap, &mut queue, g, &mut scratch);
    }
    queue
}

/// [`mark_all`] with the classic object-at-a-time drain
/// (`GOEXPERIMENT=nogreenteagc`).
pub fn mark_all_classic(heap: &mut Heap) -> usize {
    let mut queue = mark_roots(heap);
    gc_drain(heap, &mut queue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marking_blackens_exactly_the_reachable_objects() {
        let mut heap = Heap::random_graph(1000, 4, 1);
        let garbage = heap.alloc(48, 0, Color::White);
        assert_eq!(mark_all(&mut heap), 1000);
        assert!(heap.objects[..1000]
            .iter()
            .all(|o| heap.color(o.id) == Color::Black));
        assert_eq!(heap.color(garbage), Color::White);
    }

    /// Both drains blacken exactly what a plain graph search reaches, on
    /// heaps mixing span-batched and classic (large) objects, with garbage
    /// pointing into the live graph and a freed object nobody may revive.
    #[test]
    fn green_tea_and_classic_mark_the_same_objects() {
        for seed in 0..20 {
            let mut heap = Heap::random_graph_in_spans(600, 3, seed, 170);
            let mut rng = crate::rand::CheapRand::new(seed + 100);
            let big = heap.alloc(40_000, 2, Color::White);
            let tiny = heap.alloc(8, 1, Color::White);
            heap.set_slot(Holder::Global, 0, None);
            let roots = 1 + rng.cheaprandn(5);
            heap.globals = alloc::vec![None; roots as usize + 2];
            for r in 0..roots {
                heap.globals[r as usize] = Some(ObjectId(rng.cheaprandn(600)));
            }
            heap.globals[roots as usize] = Some(big);
            heap.set_slot(Holder::Object(big), 0, Some(tiny));
            heap.set_slot(Holder::Object(big), 1, Some(ObjectId(rng.cheaprandn(600))));
            heap.set_slot(Holder::Object(tiny), 0, Some(ObjectId(rng.cheaprandn(600))));
            let freed = ObjectId(rng.cheaprandn(600));
            heap.free(freed);
            let mut classic = heap.clone();
            let truth = heap.reachable();
            let n = mark_all(&mut heap);
            let m = mark_all_classic(&mut classic);
            assert_eq!(n, m, "seed {seed}");
            for o in &heap.objects {
                let want = truth[o.id.0 as usize] && o.id != freed;
                let black = heap.color(o.id) == Color::Black;
                assert_eq!(black, want, "seed {seed}: {} green tea", o.id);
                assert_eq!(
                    classic.color(o.id) == Color::Black,
                    want,
                    "seed {seed}: {} classic",
                    o.id
                );
            }
            assert_eq!(
                n,
                truth.iter().filter(|&&r| r).count() - usize::from(truth[freed.0 as usize])
            );
        }
    }

    #[test]
    fn span_queue_takes_small_objects_only() {
        assert!(uses_span_queue(crate::gc::heap::size_to_class(48)));
        assert!(uses_span_queue(crate::gc::heap::size_to_class(512)));
        assert!(!uses_span_queue(crate::gc::heap::size_to_class(513)));
        assert!(!uses_span_queue(crate::gc::heap::size_to_class(8)));
        assert!(!uses_span_queue(0));
    }
}
