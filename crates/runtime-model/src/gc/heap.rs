//! The small heap the marking model works on: objects with pointer slots in
//! size-classed spans, and the roots (globals and goroutine stacks).
//!
//! Mirrors the shape of runtime/mheap.go `mspan` and runtime/mbitmap.go mark
//! bits (go1.27) without their layout: an object's colour is stored on the
//! object, and a span here holds at most [`SPAN_OBJECTS`] objects of one size
//! class (a real 8 KiB span holds `8192/size` of them) so that sweeping span
//! by span is visible on a heap of twenty objects. Pointer slots live in one
//! flat arena so that marking a million objects stays fast.

use alloc::vec::Vec;
use core::fmt;

/// Objects per span in the model.
pub const SPAN_OBJECTS: usize = 4;

/// The smallest size class that fits `size` bytes; 0 for large objects
/// (the allocator's own table, [`crate::sizeclasses`]).
pub fn size_to_class(size: u32) -> u8 {
    crate::sizeclasses::size_to_class(u64::from(size))
}

/// An object's index in the heap; never reused, so events stay unambiguous.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId(pub u32);

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "o{}", self.0)
    }
}

/// The tricolor abstraction (mgc.go's header comment): white is not yet
/// seen, grey is seen but not scanned (on a work queue), black is scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    White,
    Grey,
    Black,
}

impl Color {
    /// A cue that is not colour: the letter a widget prints on the node.
    pub fn letter(self) -> char {
        match self {
            Color::White => 'W',
            Color::Grey => 'G',
            Color::Black => 'B',
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Color::White => "white",
            Color::Grey => "grey",
            Color::Black => "black",
        }
    }
}

/// One heap object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    pub id: ObjectId,
    pub size: u32,
    pub size_class: u8,
    pub span: u32,
    /// Swept away (its memory is free); edges to it now dangle.
    pub freed: bool,
    /// Swept while still reachable from a root: the collector lost it.
    pub freed_while_reachable: bool,
    /// Allocated during mark, hence black from birth (mallocgc →
    /// gcmarknewobject).
    pub allocated_black: bool,
    first_slot: u32,
    nslots: u32,
}

/// Who holds a pointer: an object, a global or a goroutine's stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Holder {
    Object(ObjectId),
    Global,
    Stack(u32),
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Holder::Object(id) => write!(f, "{id}"),
            Holder::Global => f.write_str("globals"),
            Holder::Stack(g) => write!(f, "G{g}'s stack"),
        }
    }
}

/// A pointer: `holder`'s slot `slot` points to `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub holder: Holder,
    pub slot: u32,
    pub to: ObjectId,
}

impl fmt::Display for Edge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{} → {}", self.holder, self.slot, self.to)
    }
}

/// A goroutine stack: root slots plus whether this cycle scanned it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stack {
    pub goroutine: u32,
    pub slots: Vec<Option<ObjectId>>,
    /// Scanned this cycle (`gp.gcscandone`): black, in the hybrid scheme.
    pub scanned: bool,
}

/// A span: objects of one size class, swept together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub size_class: u8,
    pub objects: Vec<ObjectId>,
    /// Mirrors `mspan.sweepgen` being current: swept this cycle.
    pub swept: bool,
}

/// The heap and its roots.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heap {
    pub objects: Vec<Object>,
    colors: Vec<Color>,
    slot_arena: Vec<Option<ObjectId>>,
    pub globals: Vec<Option<ObjectId>>,
    pub globals_scanned: bool,
    pub stacks: Vec<Stack>,
    pub spans: Vec<Span>,
}

impl Heap {
    /// A heap with `globals` global pointer slots and `goroutines` stacks of
    /// `stack_slots` slots each.
    pub fn new(globals: usize, goroutines: u32, stack_slots: usize) -> Heap {
        Heap {
            globals: alloc::vec![None; globals],
            stacks: (0..goroutines)
                .map(|g| Stack {
                    goroutine: g,
                    slots: alloc::vec![None; stack_slots],
                    scanned: false,
                })
                .collect(),
            ..Heap::default()
        }
    }

    /// Allocates an object of `size` bytes with `nslots` pointer slots, in
    /// the first swept span of its class with room (or a new span).
    pub fn alloc(&mut self, size: u32, nslots: u32, color: Color) -> ObjectId {
        let id = ObjectId(self.objects.len() as u32);
        let size_class = size_to_class(size);
        let span =
            match self.spans.iter().position(|s| {
                s.size_class == size_class && s.swept && s.objects.len() < SPAN_OBJECTS
            }) {
                Some(i) => i,
                None => {
                    self.spans.push(Span {
                        size_class,
                        objects: Vec::new(),
                        swept: true,
                    });
                    self.spans.len() - 1
                }
            };
        self.spans[span].objects.push(id);
        let first_slot = self.slot_arena.len() as u32;
        self.slot_arena
            .extend(core::iter::repeat_n(None, nslots as usize));
        self.colors.push(color);
        self.objects.push(Object {
            id,
            size,
            size_class,
            span: span as u32,
            freed: false,
            freed_while_reachable: false,
            allocated_black: color == Color::Black,
            first_slot,
            nslots,
        });
        id
    }

    /// The object's colour. Kept apart from the objects, one byte each, the
    /// way the runtime keeps mark bits in a dense per-span bitmap
    /// (`mspan.gcmarkBits`) rather than in the objects: marking touches
    /// them for every pointer it follows.
    pub fn color(&self, id: ObjectId) -> Color {
        self.colors[id.0 as usize]
    }

    pub fn set_color(&mut self, id: ObjectId, color: Color) {
        self.colors[id.0 as usize] = color;
    }

    pub fn object(&self, id: ObjectId) -> &Object {
        &self.objects[id.0 as usize]
    }

    pub fn object_mut(&mut self, id: ObjectId) -> &mut Object {
        &mut self.objects[id.0 as usize]
    }

    /// Where the object's slots sit in the slot arena: (first, count).
    pub(crate) fn slot_range(&self, id: ObjectId) -> (usize, usize) {
        let o = self.object(id);
        (o.first_slot as usize, o.nslots as usize)
    }

    /// One slot of the arena, by index (see [`Heap::slot_range`]).
    pub(crate) fn slot_at(&self, i: usize) -> Option<ObjectId> {
        self.slot_arena[i]
    }

    /// The object's pointer slots.
    pub fn slots(&self, id: ObjectId) -> &[Option<ObjectId>] {
        let o = self.object(id);
        &self.slot_arena[o.first_slot as usize..(o.first_slot + o.nslots) as usize]
    }

    /// Reads one pointer slot of any holder.
    pub fn slot(&self, holder: Holder, slot: u32) -> Option<ObjectId> {
        match holder {
            Holder::Object(id) => self.slots(id).get(slot as usize).copied().flatten(),
            Holder::Global => self.globals.get(slot as usize).copied().flatten(),
            Holder::Stack(g) => self
                .stacks
                .get(g as usize)
                .and_then(|s| s.slots.get(slot as usize).copied().flatten()),
        }
    }

    /// Writes one pointer slot with no barrier; returns the old value.
    pub fn set_slot(
        &mut self,
        holder: Holder,
        slot: u32,
        to: Option<ObjectId>,
    ) -> Option<ObjectId> {
        let cell = match holder {
            Holder::Object(id) => {
                let (first, n) = (self.object(id).first_slot, self.object(id).nslots);
                assert!(slot < n, "{id} has no slot {slot}");
                &mut self.slot_arena[(first + slot) as usize]
            }
            Holder::Global => &mut self.globals[slot as usize],
            Holder::Stack(g) => &mut self.stacks[g as usize].slots[slot as usize],
        };
        core::mem::replace(cell, to)
    }

    /// Every pointer in the heap and roots, holder by holder.
    pub fn edges(&self) -> impl Iterator<Item = Edge> + '_ {
        let globals = self.globals.iter().enumerate().filter_map(|(i, t)| {
            t.map(|to| Edge {
                holder: Holder::Global,
                slot: i as u32,
                to,
            })
        });
        let stacks = self.stacks.iter().flat_map(|s| {
            s.slots.iter().enumerate().filter_map(move |(i, t)| {
                t.map(|to| Edge {
                    holder: Holder::Stack(s.goroutine),
                    slot: i as u32,
                    to,
                })
            })
        });
        let objects = self.objects.iter().filter(|o| !o.freed).flat_map(move |o| {
            self.slots(o.id)
                .iter()
                .enumerate()
                .filter_map(move |(i, t)| {
                    t.map(|to| Edge {
                        holder: Holder::Object(o.id),
                        slot: i as u32,
                        to,
                    })
                })
        });
        globals.chain(stacks).chain(objects)
    }

    /// The truth, by a plain graph search from the roots: which objects the
    /// program can still reach. The collector never reads this; the checker
    /// and the sweeper's "freed while reachable" flag do.
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = alloc::vec![false; self.objects.len()];
        let mut work: Vec<ObjectId> = self
            .globals
            .iter()
            .chain(self.stacks.iter().flat_map(|s| s.slots.iter()))
            .flatten()
            .copied()
            .collect();
        while let Some(id) = work.pop() {
            if core::mem::replace(&mut seen[id.0 as usize], true) || self.object(id).freed {
                continue;
            }
            work.extend(self.slots(id).iter().flatten().copied());
        }
        seen
    }

    /// A heap shaped for the marking benchmark: `n` objects of 48 bytes
    /// with `slots` random pointers each, one global root reaching object 0
    /// and a chain through all objects so that every one is live.
    pub fn random_graph(n: u32, slots: u32, seed: u64) -> Heap {
        let mut rng = crate::rand::CheapRand::new(seed);
        let mut heap = Heap::new(1, 0, 0);
        heap.objects.reserve(n as usize);
        heap.slot_arena.reserve((n * slots) as usize);
        for _ in 0..n {
            heap.alloc(48, slots, Color::White);
        }
        for i in 0..n {
            for s in 0..slots {
                let to = if s == 0 && i + 1 < n {
                    i + 1
                } else {
                    rng.cheaprandn(n)
                };
                heap.slot_arena[(i * slots + s) as usize] = Some(ObjectId(to));
            }
        }
        heap.globals[0] = Some(ObjectId(0));
        heap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_up_to_their_class() {
        assert_eq!(size_to_class(1), 1);
        assert_eq!(size_to_class(8), 1);
        assert_eq!(size_to_class(9), 2);
        assert_eq!(size_to_class(33), 5);
        assert_eq!(crate::sizeclasses::class_to_size(size_to_class(1025)), 1152);
        assert_eq!(size_to_class(32768), 67);
        assert_eq!(size_to_class(32769), 0);
    }

    #[test]
    fn objects_of_a_class_share_spans_of_four() {
        let mut h = Heap::new(0, 1, 1);
        let ids: Vec<ObjectId> = (0..5).map(|_| h.alloc(16, 1, Color::White)).collect();
        let spans: Vec<u32> = ids.iter().map(|&i| h.object(i).span).collect();
        assert_eq!(spans, [0, 0, 0, 0, 1]);
        let big = h.alloc(100, 0, Color::White);
        assert_eq!(h.object(big).span, 2);
    }

    #[test]
    fn reachability_follows_pointers_from_roots() {
        let mut h = Heap::new(1, 1, 1);
        let a = h.alloc(16, 1, Color::White);
        let b = h.alloc(16, 1, Color::White);
        let c = h.alloc(16, 1, Color::White);
        h.set_slot(Holder::Global, 0, Some(a));
        h.set_slot(Holder::Object(a), 0, Some(b));
        assert_eq!(h.reachable(), [true, true, false]);
        h.set_slot(Holder::Stack(0), 0, Some(c));
        assert_eq!(h.reachable(), [true, true, true]);
        assert_eq!(h.edges().count(), 3);
    }
}
