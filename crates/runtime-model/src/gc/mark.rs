//! Marking: turning white objects grey and grey objects black. Mirrors
//! runtime/mgcmark.go (go1.27) `markroot`, `scanstack`, `gcDrain`,
//! `scanobject`, `greyobject` and `shade`, with one grey work queue (the
//! runtime has a `gcWork` per P and a global list of full buffers; like a
//! work buffer, the queue here is popped last-in first-out).

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
    // The dense colour first: most pointers lead to objects already marked.
    if heap.color(id) != Color::White || heap.object(id).freed {
        return false;
    }
    heap.set_color(id, Color::Grey);
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

/// Mirrors mgcmark.go `scanobject` (go1.27): grey every white object `id`
/// points to, then `id` is black.
pub fn scanobject(
    heap: &mut Heap,
    queue: &mut GreyQueue,
    id: ObjectId,
    shaded: &mut Vec<ObjectId>,
) {
    let (first, n) = heap.slot_range(id);
    for i in first..first + n {
        if let Some(to) = heap.slot_at(i) {
            shade(heap, queue, to, shaded);
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

/// Marks everything reachable from the roots: globals, every stack, then
/// drain. Returns how many objects were scanned.
pub fn mark_all(heap: &mut Heap) -> usize {
    let mut queue = GreyQueue::default();
    let mut scratch = Vec::new();
    markroot_globals(heap, &mut queue, &mut scratch);
    for g in 0..heap.stacks.len() as u32 {
        scanstack(heap, &mut queue, g, &mut scratch);
    }
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
}
