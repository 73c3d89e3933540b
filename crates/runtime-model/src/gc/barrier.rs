//! Write barriers: what the mutator does, during mark, when it writes a
//! pointer into the heap or a global. A goroutine's writes to its own stack
//! frame get no barrier: the compiler leaves them out when it can see the
//! target is a stack slot (cmd/compile `IsStackAddr`; the "Stack writes"
//! notes in runtime/mbarrier.go). A write through a pointer still gets one,
//! even if that pointer happens to point into a stack, because the compiler
//! cannot tell. The model's stack slots are only written by their own
//! goroutine, so they never have a barrier, which is exactly why the
//! barriers differ in what they need from stacks.
//!
//! Mirrors the comment at the top of runtime/mbarrier.go and design doc
//! 17503, eliminate STW stack re-scanning (go1.8+, still go1.27):
//!
//! ```text
//! writePointer(slot, ptr):
//!     shade(*slot)
//!     if current stack is grey:
//!         shade(ptr)
//!     *slot = ptr
//! ```
//!
//! The runtime's buffered barrier records both pointers unconditionally, so
//! the model shades both: for a pointer store the compiler calls
//! `gcWriteBarrier2` (runtime/asm_amd64.s), which reserves two slots in the
//! P's `wbBuf`, then stores the new pointer and the old one there; runtime
//! code in Go fills the same buffer through `(*wbBuf).get1` and `get2`
//! (runtime/mwbbuf.go).

use alloc::vec::Vec;

use super::heap::{Color, Heap, ObjectId};

/// Which barrier runs while marking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarrierMode {
    /// Go's hybrid barrier: shade the old pointer and the new one; stacks
    /// are scanned once and never re-scanned.
    Hybrid,
    /// Dijkstra's insertion barrier: shade the new pointer. Stacks have no
    /// barrier, so they stay grey and are re-scanned with the world stopped
    /// at mark termination (Go before 1.8).
    Dijkstra,
    /// Yuasa's deletion barrier: shade the old pointer. Safe only if every
    /// stack is scanned at once, at the start; Go scans them one by one.
    Yuasa,
    /// No barrier at all: the collector can lose objects.
    None,
}

impl BarrierMode {
    pub const ALL: [BarrierMode; 4] = [
        BarrierMode::Hybrid,
        BarrierMode::Dijkstra,
        BarrierMode::Yuasa,
        BarrierMode::None,
    ];

    /// The name used on the command line and in URLs.
    pub fn name(self) -> &'static str {
        match self {
            BarrierMode::Hybrid => "hybrid",
            BarrierMode::Dijkstra => "dijkstra",
            BarrierMode::Yuasa => "yuasa",
            BarrierMode::None => "none",
        }
    }

    pub fn from_name(name: &str) -> Option<BarrierMode> {
        BarrierMode::ALL.into_iter().find(|m| m.name() == name)
    }

    /// One sentence on what the barrier does.
    pub fn explanation(self) -> &'static str {
        match self {
            BarrierMode::Hybrid => "Go's hybrid barrier shades both the pointer being overwritten and the pointer being written, so stacks are scanned once and never again.",
            BarrierMode::Dijkstra => "Dijkstra's insertion barrier shades the pointer being written; writes to a goroutine's own frame have no barrier, so every stack is re-scanned with the world stopped at mark termination.",
            BarrierMode::Yuasa => "Yuasa's deletion barrier shades the pointer being overwritten; it is only safe if all stacks are scanned at once before the mutator runs.",
            BarrierMode::None => "No barrier: the mutator's writes go unseen, and an object hidden behind a scanned object can be freed while still in use.",
        }
    }

    /// Whether stacks must be re-scanned at mark termination.
    pub fn needs_stack_rescan(self) -> bool {
        self == BarrierMode::Dijkstra
    }

    /// The invariant the barrier maintains and the checker enforces.
    pub fn invariant(self) -> Invariant {
        match self {
            BarrierMode::Dijkstra => Invariant::Strong,
            _ => Invariant::Weak,
        }
    }

    /// The pointers this barrier would shade for `*slot = new` when the slot
    /// held `old`, before looking at colours.
    pub fn candidates(self, old: Option<ObjectId>, new: Option<ObjectId>) -> [Option<ObjectId>; 2] {
        match self {
            BarrierMode::Hybrid => [old, new],
            BarrierMode::Dijkstra => [None, new],
            BarrierMode::Yuasa => [old, None],
            BarrierMode::None => [None, None],
        }
    }

    /// The objects the barrier would actually turn grey: the candidates
    /// that are white now. This is the answer to the widget's checkpoint
    /// "which object does the barrier shade?".
    pub fn would_shade(
        self,
        heap: &Heap,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Vec<ObjectId> {
        let mut out = Vec::new();
        for id in self.candidates(old, new).into_iter().flatten() {
            let o = heap.object(id);
            if heap.color(id) == Color::White && !o.freed && !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

/// The two tricolor invariants (Pirinen; design doc 17503).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invariant {
    /// No black object points to a white object.
    Strong,
    /// Every white object a black object points to is still reachable from
    /// a grey object through white objects only ("grey-protected").
    Weak,
}

impl Invariant {
    pub fn name(self) -> &'static str {
        match self {
            Invariant::Strong => "strong tricolor invariant",
            Invariant::Weak => "weak tricolor invariant",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_barrier_shades_its_side_of_the_write() {
        let mut heap = Heap::new(0, 0, 0);
        let old = heap.alloc(16, 0, Color::White);
        let new = heap.alloc(16, 0, Color::White);
        let shades = |m: BarrierMode| m.would_shade(&heap, Some(old), Some(new));
        assert_eq!(shades(BarrierMode::Hybrid), [old, new]);
        assert_eq!(shades(BarrierMode::Dijkstra), [new]);
        assert_eq!(shades(BarrierMode::Yuasa), [old]);
        assert_eq!(shades(BarrierMode::None), []);
        heap.set_color(new, Color::Grey);
        assert_eq!(
            BarrierMode::Hybrid.would_shade(&heap, Some(old), Some(new)),
            [old]
        );
    }
}
