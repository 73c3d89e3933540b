//! The small heap the marking model works on: objects with pointer slots in
//! size-classed spans, and the roots (globals and goroutine stacks).
//!
//! Mirrors the shape of runtime/mheap.go `mspan` and runtime/mbitmap.go mark
//! bits (go1.27) without their layout. A span here holds at most
//! [`SPAN_OBJECTS`] objects of one size class (a real 8 KiB span holds
//! `8192/size` of them) so that sweeping span by span is visible on a heap
//! of twenty objects; [`Heap::random_graph_in_spans`] builds real-sized
//! spans for the benchmark. Pointer slots live in one flat arena of 32-bit
//! words (compressed-pointer style, `u32::MAX` for nil) indexed by a dense
//! start table; colours are a dense byte per object (not on the object) and
//! each object's span a dense index. Marking a million objects of four
//! pointers touches about 25 MB, where Go's heap of the same shape is 64 MB
//! of real objects.

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

/// A nil pointer in the slot arena.
const NIL: u32 = u32::MAX;

/// The mark byte of an object: its colour, plus [`FREED`] once swept.
pub(crate) const WHITE: u8 = 0;
pub(crate) const GREY: u8 = 1;
pub(crate) const BLACK: u8 = 2;
pub(crate) const FREED: u8 = 4;

fn color_byte(c: Color) -> u8 {
    match c {
        Color::White => WHITE,
        Color::Grey => GREY,
        Color::Black => BLACK,
    }
}

/// One holder's pointer slots, read out of the arena.
#[derive(Clone, Copy, Debug)]
pub struct Slots<'a>(&'a [u32]);

impl<'a> Slots<'a> {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<ObjectId> {
        self.0.get(i).and_then(|&w| unpack(w))
    }

    /// Every slot, nil ones as `None`.
    pub fn iter(&self) -> impl Iterator<Item = Option<ObjectId>> + 'a {
        self.0.iter().map(|&w| unpack(w))
    }
}

fn unpack(w: u32) -> Option<ObjectId> {
    (w != NIL).then_some(ObjectId(w))
}

fn pack(p: Option<ObjectId>) -> u32 {
    p.map_or(NIL, |o| o.0)
}

/// The heap and its roots.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heap {
    pub objects: Vec<Object>,
    /// One mark byte per object (colour, and [`FREED`]).
    marks: Vec<u8>,
    /// Object `i`'s slots are `slot_arena[slot_start[i]..slot_start[i + 1]]`.
    slot_start: Vec<u32>,
    slot_arena: Vec<u32>,
    /// Each object's span, dense (the runtime finds it from the address:
    /// `spanOf`).
    span_of: Vec<u32>,
    pub globals: Vec<Option<ObjectId>>,
    pub globals_scanned: bool,
    pub stacks: Vec<Stack>,
    pub spans: Vec<Span>,
}

impl Heap {
    /// Rough heap bytes this heap holds (one snapshot's cost).
    pub(crate) fn approx_bytes(&self) -> usize {
        use core::mem::size_of;
        size_of::<Heap>()
            + self.objects.capacity() * size_of::<Object>()
            + self.marks.capacity()
            + (self.slot_start.capacity() + self.slot_arena.capacity() + self.span_of.capacity())
                * size_of::<u32>()
            + self.globals.capacity() * size_of::<Option<ObjectId>>()
            + self
                .stacks
                .iter()
                .map(|s| size_of::<Stack>() + s.slots.capacity() * size_of::<Option<ObjectId>>())
                .sum::<usize>()
            + self
                .spans
                .iter()
                .map(|s| size_of::<Span>() + s.objects.capacity() * size_of::<ObjectId>())
                .sum::<usize>()
    }

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
        self.push_object(id, size, size_class, span as u32, nslots, color);
        id
    }

    fn push_object(
        &mut self,
        id: ObjectId,
        size: u32,
        size_class: u8,
        span: u32,
        nslots: u32,
        color: Color,
    ) {
        if self.slot_start.is_empty() {
            self.slot_start.push(0);
        }
        self.slot_arena
            .extend(core::iter::repeat_n(NIL, nslots as usize));
        self.slot_start.push(self.slot_arena.len() as u32);
        self.marks.push(color_byte(color));
        self.span_of.push(span);
        self.objects.push(Object {
            id,
            size,
            size_class,
            span,
            freed: false,
            freed_while_reachable: false,
            allocated_black: color == Color::Black,
        });
    }

    /// The object's colour. Kept apart from the objects, one byte each, the
    /// way the runtime keeps mark bits in a dense per-span bitmap
    /// (`mspan.gcmarkBits`) rather than in the objects: marking touches
    /// them for every pointer it follows.
    pub fn color(&self, id: ObjectId) -> Color {
        match self.marks[id.0 as usize] & !FREED {
            WHITE => Color::White,
            GREY => Color::Grey,
            _ => Color::Black,
        }
    }

    pub fn set_color(&mut self, id: ObjectId, color: Color) {
        let m = &mut self.marks[id.0 as usize];
        *m = (*m & FREED) | color_byte(color);
    }

    /// White and not yet freed: `greyobject`'s test, on the mark byte alone.
    /// Turns it grey and says so.
    pub(crate) fn grey_if_white(&mut self, id: ObjectId) -> bool {
        let m = &mut self.marks[id.0 as usize];
        let white = *m == WHITE;
        if white {
            *m = GREY;
        }
        white
    }

    /// The sweeper frees the object: its memory is reusable, pointers to it
    /// dangle, and marking never greys it again.
    pub fn free(&mut self, id: ObjectId) {
        self.marks[id.0 as usize] |= FREED;
        self.objects[id.0 as usize].freed = true;
    }

    pub fn object(&self, id: ObjectId) -> &Object {
        &self.objects[id.0 as usize]
    }

    pub fn object_mut(&mut self, id: ObjectId) -> &mut Object {
        &mut self.objects[id.0 as usize]
    }

    /// The object's raw slot words ([`NIL`] for nil), for the marker.
    pub(crate) fn slot_words(&self, id: ObjectId) -> &[u32] {
        let i = id.0 as usize;
        &self.slot_arena[self.slot_start[i] as usize..self.slot_start[i + 1] as usize]
    }

    /// Every object's mark byte (colour, and [`FREED`]).
    pub(crate) fn mark_bytes(&self) -> &[u8] {
        &self.marks
    }

    pub(crate) fn mark_bytes_mut(&mut self) -> &mut [u8] {
        &mut self.marks
    }

    /// The object's span, from the dense index.
    pub(crate) fn span_of(&self, id: ObjectId) -> u32 {
        self.span_of[id.0 as usize]
    }

    /// White and not freed: the mark bit is clear.
    /// False for an id that is no object (such as a nil word).
    pub(crate) fn is_unmarked(&self, id: ObjectId) -> bool {
        self.marks.get(id.0 as usize) == Some(&WHITE)
    }

    /// The mark byte says grey: marked, not yet scanned.
    pub(crate) fn is_grey(&self, id: ObjectId) -> bool {
        self.marks[id.0 as usize] == GREY
    }

    /// The object's pointer slots.
    pub fn slots(&self, id: ObjectId) -> Slots<'_> {
        Slots(self.slot_words(id))
    }

    /// Reads one pointer slot of any holder.
    pub fn slot(&self, holder: Holder, slot: u32) -> Option<ObjectId> {
        match holder {
            Holder::Object(id) => self.slots(id).get(slot as usize),
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
                let i = id.0 as usize;
                let (first, end) = (self.slot_start[i], self.slot_start[i + 1]);
                assert!(slot < end - first, "{id} has no slot {slot}");
                let word = &mut self.slot_arena[(first + slot) as usize];
                return unpack(core::mem::replace(word, pack(to)));
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
            work.extend(self.slots(id).iter().flatten());
        }
        seen
    }

    /// A heap shaped for the marking benchmark: `n` objects of 48 bytes
    /// with `slots` random pointers each, one global root reaching object 0
    /// and a chain through all objects so that every one is live.
    /// Objects fill spans in order, [`SPAN_OBJECTS`] to a span, as
    /// [`Heap::alloc`] would place them.
    pub fn random_graph(n: u32, slots: u32, seed: u64) -> Heap {
        Heap::random_graph_in_spans(n, slots, seed, SPAN_OBJECTS)
    }

    /// [`Heap::random_graph`] with `span_objects` objects to a span: the
    /// benchmark uses a real 8 KiB span's count for 48-byte objects
    /// (8192 / 48 = 170, sizeclasses.go class 5), so that Green Tea's
    /// span-batched scanning has real spans to batch.
    pub fn random_graph_in_spans(n: u32, slots: u32, seed: u64, span_objects: usize) -> Heap {
        let span_objects = span_objects.max(1);
        let mut rng = crate::rand::CheapRand::new(seed);
        let mut heap = Heap::new(1, 0, 0);
        heap.objects.reserve(n as usize);
        heap.marks.reserve(n as usize);
        heap.slot_start.reserve(n as usize + 1);
        heap.span_of.reserve(n as usize);
        heap.slot_arena.reserve((n * slots) as usize);
        let size_class = size_to_class(48);
        for i in 0..n {
            let id = ObjectId(i);
            if i as usize % span_objects == 0 {
                heap.spans.push(Span {
                    size_class,
                    objects: Vec::with_capacity(span_objects),
                    swept: true,
                });
            }
            let span = heap.spans.len() - 1;
            heap.spans[span].objects.push(id);
            heap.push_object(id, 48, size_class, span as u32, slots, Color::White);
        }
        for i in 0..n {
            for s in 0..slots {
                let to = if s == 0 && i + 1 < n {
                    i + 1
                } else {
                    rng.cheaprandn(n)
                };
                heap.slot_arena[(i * slots + s) as usize] = to;
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
