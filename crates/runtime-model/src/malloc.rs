//! The allocator: where `mallocgc` puts an object of a given size, and how a
//! run of allocations flows through mcache -> mcentral -> mheap.
//!
//! Mirrors runtime/malloc.go `mallocgc` and its helpers `mallocgcTiny`,
//! `mallocgcSmallNoscan`, `mallocgcSmallScanNoHeader`,
//! `mallocgcSmallScanHeader` and `mallocgcLarge`; runtime/msize.go
//! `roundupsize`; runtime/mcache.go `refill`, `allocLarge`, `releaseAll`;
//! runtime/mcentral.go `cacheSpan`, `uncacheSpan`, `grow`; runtime/mheap.go
//! `alloc`, `grow` (go1.27). The path of one request:
//!
//! - size 1 to 80 B in the default build: one of the generated
//!   size-specialised functions in runtime/malloc_generated.go
//!   (`mallocgcTinySC2`, `mallocgcSmallNoScanSC2`..`SC7`,
//!   `mallocgcSmallScanNoHeaderSC1`..`SC7`); they pick the same size classes
//!   as the generic helpers below, which serve every other size;
//! - size 0: no memory at all, the address of `zerobase`;
//! - pointer-free and under 16 B (`maxTinySize`): the tiny allocator packs it
//!   into the mcache's current 16-byte block, taking a new block from the
//!   16-byte size class when it does not fit;
//! - up to 32760 B (`maxSmallSize - mallocHeaderSize`): rounded up to one of
//!   67 size classes and taken from the span the mcache holds for that span
//!   class (size class x scan/noscan). Objects with pointers larger than
//!   512 B carry an 8-byte malloc header (their type) in front;
//! - larger: straight from mheap, rounded up to whole 8 KB pages.
//!
//! When the mcache's span is full, `refill` hands it back to the mcentral and
//! asks for one with free slots (`cacheSpan`); an mcentral with none asks the
//! mheap for fresh pages (`grow` -> `mheap.alloc`); an mheap with no free run
//! of pages maps more from the OS in 4 MB chunks (`mheap.grow`,
//! `pallocChunkPages`).
//!
//! Left out on purpose: more than one P (one mcache), the sweeper's
//! generations and lazy sweeping (a GC here sweeps every span at once),
//! scavenging, the `freegc` experiment, heap arenas and address-space
//! hints, GC assists and profiling samples, and 32-bit targets in the
//! animation ([`plan_alloc_for`] plans a single request for any GOARCH).
//! The size-class table comes from [`crate::sizeclasses`].

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::sizeclasses::{
    class_to_npages, class_to_size, min_size_for_malloc_header, size_to_class, MALLOC_HEADER_SIZE,
    MAX_SMALL_SIZE, PAGE_SIZE, TINY_SIZE, TINY_SIZE_CLASS,
};
use crate::timeline::Simulation;
use crate::values::GoArch;

/// The allocator animation follows a 64-bit target (amd64).
const MIN_SIZE_FOR_MALLOC_HEADER: u64 = min_size_for_malloc_header(GoArch::Amd64);

/// Pages the heap maps at once when it grows: runtime `pallocChunkPages`
/// (512 pages of 8 KB = 4 MB).
pub const PALLOC_CHUNK_PAGES: u64 = 512;

/// Which of mallocgc's paths a request takes. The size class, malloc
/// header and pages that go with the path are in the [`AllocPlan`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocPath {
    /// `size == 0`: mallocgc returns `&zerobase` and allocates nothing.
    ZeroBase,
    /// Pointer-free and under 16 B: `mallocgcTiny`, packed with others into
    /// a 16-byte block.
    Tiny,
    /// A size class from the mcache: `mallocgcSmallNoscan` or one of the
    /// scan variants (`mallocgcSmallScanHeader` when the object carries an
    /// 8-byte malloc header).
    Small,
    /// Over 32760 B: `mallocgcLarge`, whole pages from mheap.
    Large,
}

impl AllocPath {
    /// A short name for tables and JSON.
    pub const fn name(self) -> &'static str {
        match self {
            AllocPath::ZeroBase => "zerobase",
            AllocPath::Tiny => "tiny",
            AllocPath::Small => "small",
            AllocPath::Large => "large",
        }
    }
}

/// Where one request of `size` bytes lands, and what it costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocPlan {
    /// The bytes asked for.
    pub size: u64,
    /// True when the object holds no pointers (the GC need not scan it).
    pub noscan: bool,
    pub path: AllocPath,
    /// The size class (0 for zero-size and large objects). Tiny objects
    /// live inside blocks of class 2.
    pub size_class: u8,
    /// 8 when a malloc header (the object's type) sits in front of it.
    pub header: u64,
    /// Bytes of heap the object occupies: its class's slot size, its pages
    /// for a large object, its own size inside a shared tiny block.
    pub slot: u64,
    /// What `roundupsize` reports: the bytes usable without reallocating
    /// (what `append` grows a slice's capacity to).
    pub usable: u64,
    /// Bytes lost to rounding: `slot - size - header`.
    pub waste: u64,
    /// Pages per span of this class, or the pages of a large object.
    pub npages: u64,
    /// Objects in one span of this class (1 for a large object).
    pub objects_per_span: u64,
    /// The mallocgc helper that serves the request.
    pub go_function: &'static str,
}

/// The largest size the size-specialised mallocgc serves: runtime/malloc.go
/// takes it for `size < len(mallocNoScanTable)`, and the generated tables in
/// runtime/malloc_tables_generated.go have 81 entries (go1.27).
pub const SIZE_SPECIALIZED_MAX: u64 = 80;

/// The generated pointer-free functions, by size class (runtime/
/// malloc_generated.go, go1.27). Class 1 has none: sizes under 16 B that
/// hold no pointers go to the tiny allocator.
const NOSCAN_SC: [&str; 8] = [
    "",
    "",
    "mallocgcSmallNoScanSC2",
    "mallocgcSmallNoScanSC3",
    "mallocgcSmallNoScanSC4",
    "mallocgcSmallNoScanSC5",
    "mallocgcSmallNoScanSC6",
    "mallocgcSmallNoScanSC7",
];

/// The generated functions for small objects with pointers (no header at
/// these sizes), by size class.
const SCAN_SC: [&str; 8] = [
    "",
    "mallocgcSmallScanNoHeaderSC1",
    "mallocgcSmallScanNoHeaderSC2",
    "mallocgcSmallScanNoHeaderSC3",
    "mallocgcSmallScanNoHeaderSC4",
    "mallocgcSmallScanNoHeaderSC5",
    "mallocgcSmallScanNoHeaderSC6",
    "mallocgcSmallScanNoHeaderSC7",
];

/// The generated tiny allocator mallocgc calls for every pointer-free
/// request under 16 B (it fills blocks of class 2).
pub const TINY_SPECIALIZED: &str = "mallocgcTinySC2";

impl AllocPlan {
    /// True when the default go1.27 build serves this request with one of
    /// the generated size-specialised functions (`SizeSpecializedMalloc`,
    /// on by default; off under `-race`, `-asan`, `-msan` and on plan9).
    pub const fn size_specialized(&self) -> bool {
        matches!(self.path, AllocPath::Tiny | AllocPath::Small) && self.size <= SIZE_SPECIALIZED_MAX
    }

    /// The mallocgc helper that serves the request when size specialisation
    /// is off: `mallocgcTiny`, `mallocgcSmallNoscan`,
    /// `mallocgcSmallScanNoHeader`, `mallocgcSmallScanHeader`,
    /// `mallocgcLarge`, or `mallocgc` itself for size 0. It picks the same
    /// size class as the generated function.
    pub const fn generic_function(&self) -> &'static str {
        match self.path {
            AllocPath::ZeroBase => "mallocgc",
            AllocPath::Tiny => "mallocgcTiny",
            AllocPath::Small if self.noscan => "mallocgcSmallNoscan",
            AllocPath::Small if self.header == 0 => "mallocgcSmallScanNoHeader",
            AllocPath::Small => "mallocgcSmallScanHeader",
            AllocPath::Large => "mallocgcLarge",
        }
    }
}

/// The Go file that defines the mallocgc helper `function`:
/// runtime/malloc_generated.go for the size-specialised ones, else
/// runtime/malloc.go.
pub fn malloc_source_file(function: &str) -> &'static str {
    let generated = function
        .rsplit_once("SC")
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if generated {
        "runtime/malloc_generated.go"
    } else {
        "runtime/malloc.go"
    }
}

/// Mirrors runtime/mbitmap.go heapBitsInSpan (go1.27): objects up to 512 B
/// keep their pointer bitmap at the end of the span, larger ones need a
/// malloc header (amd64; see [`plan_alloc_for`] for other targets).
pub const fn heap_bits_in_span(user_size: u64) -> bool {
    user_size <= MIN_SIZE_FOR_MALLOC_HEADER
}

/// [`plan_alloc_for`] on amd64, the target the allocator animation follows.
pub const fn plan_alloc(size: u64, noscan: bool) -> AllocPlan {
    plan_alloc_for(size, noscan, GoArch::Amd64)
}

/// Where `mallocgc(size, typ, needzero)` takes an object from on `arch`,
/// and what it costs: the model's one mallocgc dispatcher (the layout lab's
/// [`crate::sizeclasses::mallocgc_path`] and the allocator animation both
/// use it).
///
/// Mirrors runtime/malloc.go mallocgc (go1.27): "if size == 0 { return
/// unsafe.Pointer(&zerobase) }"; objects up to `maxSmallSize-
/// mallocHeaderSize` are small: pointer-free ones under `maxTinySize` go to
/// `mallocgcTiny`, other pointer-free ones to `mallocgcSmallNoscan`; ones
/// with pointers to `mallocgcSmallScanNoHeader` when `heapBitsInSpan(size)`
/// (`size <= gc.MinSizeForMallocHeader`, 512 B on 64-bit targets, 128 B on
/// 32-bit ones), else `mallocgcSmallScanHeader`, which adds
/// `mallocHeaderSize` before picking the class. Anything bigger goes to
/// `mallocgcLarge`, whole pages from mheap.
///
/// `SizeSpecializedMalloc` is on by default in go1.27, so before all that,
/// requests of 1 to 80 B ([`SIZE_SPECIALIZED_MAX`]) go to generated
/// functions, one per size class: pointer-free ones under 16 B to
/// `mallocgcTinySC2`, other pointer-free ones to `mallocgcSmallNoScanSC2`
/// to `SC7`, ones with pointers to `mallocgcSmallScanNoHeaderSC1` to `SC7`.
/// They take the same classes as the generic helpers, so only
/// `go_function` changes; [`AllocPlan::generic_function`] names the helper
/// a build without them (`-race`, for one) would use.
pub const fn plan_alloc_for(size: u64, noscan: bool, arch: GoArch) -> AllocPlan {
    let header_above = min_size_for_malloc_header(arch);
    let mut plan = AllocPlan {
        size,
        noscan,
        path: AllocPath::ZeroBase,
        size_class: 0,
        header: 0,
        slot: 0,
        usable: roundupsize_for(size, noscan, header_above),
        waste: 0,
        npages: 0,
        objects_per_span: 0,
        go_function: "mallocgc",
    };
    // "Short-circuit zero-sized allocation requests."
    if size == 0 {
        return plan;
    }
    // "if size <= maxSmallSize-mallocHeaderSize": small; else large.
    if size > MAX_SMALL_SIZE - MALLOC_HEADER_SIZE {
        plan.path = AllocPath::Large;
        // mheap.allocLarge: "npages := size >> pageShift", plus one for a
        // remainder.
        plan.npages = size.div_ceil(PAGE_SIZE);
        plan.slot = plan.npages * PAGE_SIZE;
        plan.objects_per_span = 1;
        plan.go_function = "mallocgcLarge";
    } else if noscan && size < TINY_SIZE {
        // "tiny allocations": noscan and size < maxTinySize.
        plan.path = AllocPath::Tiny;
        plan.size_class = TINY_SIZE_CLASS;
        plan.slot = size;
        plan.npages = class_to_npages(TINY_SIZE_CLASS);
        plan.objects_per_span = PAGE_SIZE * plan.npages / TINY_SIZE;
        plan.go_function = "mallocgcTiny";
    } else {
        plan.path = AllocPath::Small;
        plan.go_function = if noscan {
            "mallocgcSmallNoscan"
        } else if size <= header_above {
            // heapBitsInSpan(size).
            "mallocgcSmallScanNoHeader"
        } else {
            // "size += mallocHeaderSize" before the class lookup.
            plan.header = MALLOC_HEADER_SIZE;
            "mallocgcSmallScanHeader"
        };
        plan.size_class = size_to_class(size + plan.header);
        plan.slot = class_to_size(plan.size_class);
        plan.npages = class_to_npages(plan.size_class);
        plan.objects_per_span = plan.npages * PAGE_SIZE / plan.slot;
    }
    plan.waste = plan.slot - plan.size - plan.header;
    if plan.size_specialized() {
        plan.go_function = match plan.path {
            AllocPath::Tiny => TINY_SPECIALIZED,
            _ if noscan => NOSCAN_SC[plan.size_class as usize],
            _ => SCAN_SC[plan.size_class as usize],
        };
    }
    plan
}

/// Mirrors runtime/msize.go roundupsize (go1.27): the size of the block
/// mallocgc allocates for `size`, minus any malloc header. Large sizes
/// round up to whole pages (amd64).
pub const fn roundupsize(size: u64, noscan: bool) -> u64 {
    roundupsize_for(size, noscan, MIN_SIZE_FOR_MALLOC_HEADER)
}

/// [`roundupsize`] with the target's `gc.MinSizeForMallocHeader`.
const fn roundupsize_for(size: u64, noscan: bool, header_above: u64) -> u64 {
    if size <= MAX_SMALL_SIZE - MALLOC_HEADER_SIZE {
        // "!noscan && reqSize > gc.MinSizeForMallocHeader": room for a header.
        let header = if !noscan && size > header_above {
            MALLOC_HEADER_SIZE
        } else {
            0
        };
        return class_to_size(size_to_class(size + header)) - header;
    }
    size.div_ceil(PAGE_SIZE).saturating_mul(PAGE_SIZE)
}

/// Mirrors runtime/mheap.go spanClass: a size class and a noscan bit,
/// `sizeclass<<1 | noscan`. Each span class has its own spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SpanClass(pub u8);

impl SpanClass {
    /// Mirrors makeSpanClass.
    pub const fn new(size_class: u8, noscan: bool) -> SpanClass {
        SpanClass(size_class << 1 | noscan as u8)
    }
    pub const fn size_class(self) -> u8 {
        self.0 >> 1
    }
    pub const fn noscan(self) -> bool {
        self.0 & 1 != 0
    }
}

/// Index of a span in [`AllocSim::spans`].
pub type SpanId = usize;

/// A run of pages cut into equal slots: runtime `mspan`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mspan {
    pub spanclass: SpanClass,
    /// First page, counted from the start of the heap.
    pub start_page: u64,
    pub npages: u64,
    /// Slot size (`elemsize`); a large span has one slot of all its pages.
    pub elemsize: u64,
    /// Slots in the span (`nelems`).
    pub nelems: u64,
    /// The requests living in each slot (several in a tiny block); empty
    /// means the slot is free.
    pub slots: Vec<Vec<usize>>,
    /// Where it is: in the mcache, or in an mcentral list, or a large
    /// object's span, or given back to the heap.
    pub home: SpanHome,
}

impl Mspan {
    /// Slots in use (`allocCount`).
    pub fn alloc_count(&self) -> u64 {
        self.slots.iter().filter(|s| !s.is_empty()).count() as u64
    }
    /// Bytes at the end of the span that no slot covers.
    pub fn tail_waste(&self) -> u64 {
        self.npages * PAGE_SIZE - self.nelems * self.elemsize
    }
    fn next_free(&self) -> Option<usize> {
        self.slots.iter().position(Vec::is_empty)
    }
}

/// Which list a span is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanHome {
    /// Cached in the (one) P's mcache: only this P allocates from it.
    Mcache,
    /// On its mcentral's partial list: has free slots.
    CentralPartial,
    /// On its mcentral's full list.
    CentralFull,
    /// A large object's span, owned by mheap.
    Large,
    /// Swept empty and handed back to the heap's free pages.
    Freed,
}

/// One request in a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocRequest {
    /// `mallocgc(size, typ, ...)`; `keep` says whether the object is still
    /// reachable at the next GC.
    Alloc { size: u64, noscan: bool, keep: bool },
    /// A garbage collection: flush the mcache, sweep every span.
    Gc,
}

/// What one step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllocEventKind {
    /// mallocgc chose a path for the request.
    Malloc { plan: AllocPlan },
    /// Size 0: the address of zerobase, no memory.
    ZeroBase,
    /// The tiny object fit into the current 16-byte block at `offset`.
    TinyPacked {
        span: SpanId,
        slot: usize,
        offset: u64,
    },
    /// A slot was taken from the mcache's span (`nextFreeFast`). For a tiny
    /// request, the slot is a new 16-byte block.
    SlotTaken {
        span: SpanId,
        slot: usize,
        new_tiny_block: bool,
    },
    /// The mcache's span for this class is full (or there is none yet):
    /// `refill` hands it back to mcentral (`uncacheSpan`).
    McacheRefill {
        spanclass: SpanClass,
        returned: Option<SpanId>,
    },
    /// mcentral gave the mcache a span with free slots (`cacheSpan`).
    CentralCacheSpan { spanclass: SpanClass, span: SpanId },
    /// mcentral had no span with free slots and asks mheap for pages
    /// (`mcentral.grow`).
    CentralGrow { spanclass: SpanClass, npages: u64 },
    /// mheap cut a fresh span out of free pages (`mheap.alloc`).
    HeapAlloc {
        span: SpanId,
        start_page: u64,
        npages: u64,
        large: bool,
    },
    /// mheap had no free run long enough and mapped more (`mheap.grow`).
    HeapGrow { pages: u64, total_pages: u64 },
    /// GC begins: the mcache gives back all its spans (`releaseAll`).
    GcStart { released: Vec<SpanId> },
    /// The sweeper freed the dead slots of one span.
    Swept {
        span: SpanId,
        freed: u64,
        now: SpanHome,
    },
    /// Nothing left to do.
    Done,
}

/// One step of the allocator animation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllocEvent {
    /// Steps taken so far, this one included.
    pub tick: u64,
    /// Index of the request being served, if any.
    pub request: Option<usize>,
    pub kind: AllocEventKind,
    /// Who acted: "mallocgc", "mcache", "mcentral", "mheap", "gc".
    pub actor: &'static str,
    /// The Go function that does this, e.g. "mcache.refill".
    pub go_function: &'static str,
    /// One plain-English sentence.
    pub text: String,
}

/// Where the current request stands between steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Take the next request.
    Next,
    /// Take a slot from the mcache's span of this class, or refill it.
    NextFree { spanclass: SpanClass },
    /// The mcache's span was handed back; ask mcentral.
    CacheSpan { spanclass: SpanClass },
    /// Cut `npages` from the heap for a span class (0 = large object).
    HeapAlloc { spanclass: SpanClass, npages: u64 },
    /// Sweep spans from this index on.
    Sweep { next_span: SpanId },
}

/// One mcentral: the spans of one span class that no mcache holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mcentral {
    /// Spans with free slots (`partial` spanSets, swept).
    pub partial: Vec<SpanId>,
    /// Spans with no free slot (`full` spanSets).
    pub full: Vec<SpanId>,
}

/// The mcache of the one P: a span per span class, and the tiny block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mcache {
    /// `alloc[spc]`: the span allocations of that class come from.
    pub alloc: BTreeMap<SpanClass, SpanId>,
    /// `tiny`: the current tiny block, as (span, slot).
    pub tiny: Option<(SpanId, usize)>,
    /// `tinyoffset`: bytes of the tiny block in use.
    pub tinyoffset: u64,
}

/// The allocator animation: a scenario of requests served step by step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllocSim {
    requests: Vec<AllocRequest>,
    next_request: usize,
    current: Option<usize>,
    stage: Stage,
    tick: u64,
    mcache: Mcache,
    central: BTreeMap<SpanClass, Mcentral>,
    spans: Vec<Mspan>,
    /// One entry per page the heap has mapped: the span using it, if any.
    pages: Vec<Option<SpanId>>,
}

impl AllocSim {
    /// A simulation that will serve `requests` in order.
    pub fn new(requests: Vec<AllocRequest>) -> AllocSim {
        AllocSim {
            requests,
            next_request: 0,
            current: None,
            stage: Stage::Next,
            tick: 0,
            mcache: Mcache::default(),
            central: BTreeMap::new(),
            spans: Vec::new(),
            pages: Vec::new(),
        }
    }

    /// A ready-made scenario: `n` allocations of `size` bytes, then a GC
    /// in which only every `keep_every`-th object survives, then `n` more.
    /// Shows a span filling, refills, mcentral growing, and sweeping.
    pub fn scenario_fill_spans(size: u64, noscan: bool, n: usize, keep_every: usize) -> AllocSim {
        let keep_every = keep_every.max(1);
        let mut requests: Vec<AllocRequest> = (0..n)
            .map(|i| AllocRequest::Alloc {
                size,
                noscan,
                keep: i % keep_every == 0,
            })
            .collect();
        requests.push(AllocRequest::Gc);
        requests.extend((0..n).map(|_| AllocRequest::Alloc {
            size,
            noscan,
            keep: true,
        }));
        AllocSim::new(requests)
    }

    pub fn requests(&self) -> &[AllocRequest] {
        &self.requests
    }
    /// The request being served, if one is under way.
    pub fn current_request(&self) -> Option<usize> {
        self.current
    }
    pub fn mcache(&self) -> &Mcache {
        &self.mcache
    }
    /// The mcentrals that have been used, by span class.
    pub fn central(&self) -> &BTreeMap<SpanClass, Mcentral> {
        &self.central
    }
    /// Every span ever made, indexed by [`SpanId`].
    pub fn spans(&self) -> &[Mspan] {
        &self.spans
    }
    /// The heap's pages: which span uses each (None = free).
    pub fn pages(&self) -> &[Option<SpanId>] {
        &self.pages
    }
    pub fn tick(&self) -> u64 {
        self.tick
    }
    /// True when every request has been served.
    pub fn is_done(&self) -> bool {
        self.stage == Stage::Next && self.next_request >= self.requests.len()
    }

    /// Takes steps while the next step's event happens at or before `tick`
    /// on the simulation's clock (the step number: the k-th step's event
    /// happens at k), stopping early when the run ends; returns the events
    /// of the steps taken, oldest first.
    pub fn run_until(&mut self, tick: u64) -> Vec<AllocEvent> {
        let mut events = Vec::new();
        while self.tick < tick && !self.is_done() {
            events.push(self.step());
        }
        events
    }

    /// Serves the whole scenario.
    pub fn run(&mut self) -> Vec<AllocEvent> {
        let mut events = Vec::new();
        while !self.is_done() {
            events.push(self.step());
        }
        events
    }

    /// One step. Order of work: a request is first planned (mallocgc), then
    /// served from the tiny block or the mcache's span; a full span goes
    /// back to mcentral, mcentral hands out a partial span or grows, the
    /// heap cuts pages or maps more; a GC flushes the mcache, then sweeps
    /// one span per step. Once [`AllocSim::is_done`], each further step is
    /// a `Done` event (the [`Simulation`] impl returns `None` instead and
    /// does not tick).
    pub fn step(&mut self) -> AllocEvent {
        self.tick += 1;
        let (actor, go_function, kind, text) = match self.stage {
            Stage::Next => self.take_request(),
            Stage::NextFree { spanclass } => self.next_free(spanclass),
            Stage::CacheSpan { spanclass } => self.cache_span(spanclass),
            Stage::HeapAlloc { spanclass, npages } => self.heap_alloc(spanclass, npages),
            Stage::Sweep { next_span } => self.sweep(next_span),
        };
        AllocEvent {
            tick: self.tick,
            request: self.current,
            kind,
            actor,
            go_function,
            text,
        }
    }

    fn finish_request(&mut self) {
        self.stage = Stage::Next;
    }

    fn take_request(&mut self) -> (&'static str, &'static str, AllocEventKind, String) {
        let Some(&request) = self.requests.get(self.next_request) else {
            self.current = None;
            return (
                "mallocgc",
                "mallocgc",
                AllocEventKind::Done,
                String::from("Every request has been served."),
            );
        };
        let index = self.next_request;
        self.current = Some(index);
        self.next_request += 1;
        match request {
            AllocRequest::Gc => {
                // Mirrors mcache.releaseAll at GC (prepareForSweep): every
                // cached span goes back to its mcentral, the tiny block is
                // dropped.
                let released: Vec<SpanId> = self.mcache.alloc.values().copied().collect();
                for &s in &released {
                    self.uncache_span(s);
                }
                self.mcache.alloc.clear();
                self.mcache.tiny = None;
                self.mcache.tinyoffset = 0;
                self.stage = Stage::Sweep { next_span: 0 };
                let text = format!(
                    "A GC starts: the mcache hands its {} span(s) back to mcentral, then the sweeper frees every slot whose object is dead.",
                    released.len()
                );
                (
                    "gc",
                    "mcache.releaseAll",
                    AllocEventKind::GcStart { released },
                    text,
                )
            }
            AllocRequest::Alloc { size, noscan, .. } => {
                let plan = plan_alloc(size, noscan);
                let text = match plan.path {
                    AllocPath::ZeroBase => {
                        self.finish_request();
                        return (
                            "mallocgc",
                            "mallocgc",
                            AllocEventKind::ZeroBase,
                            String::from("A zero-size request takes no memory: mallocgc returns the address of zerobase."),
                        );
                    }
                    AllocPath::Tiny => {
                        if let Some(packed) = self.try_tiny(size) {
                            return packed;
                        }
                        self.stage = Stage::NextFree {
                            spanclass: SpanClass::new(TINY_SIZE_CLASS, true),
                        };
                        format!("{size} B without pointers is tiny (< 16 B) but does not fit in the current 16-byte block: a new block comes from size class 2.")
                    }
                    AllocPath::Small => {
                        self.stage = Stage::NextFree {
                            spanclass: SpanClass::new(plan.size_class, noscan),
                        };
                        format!(
                            "{size} B {} rounds up to size class {} ({} B slots), wasting {} B.",
                            if noscan {
                                "without pointers"
                            } else {
                                "with pointers"
                            },
                            plan.size_class,
                            plan.slot,
                            plan.waste
                        )
                    }
                    AllocPath::Large => {
                        self.stage = Stage::HeapAlloc {
                            spanclass: SpanClass::new(0, noscan),
                            npages: plan.npages,
                        };
                        format!(
                            "{size} B is a large object (> 32760 B): it bypasses mcache and mcentral and takes {} whole page(s) from mheap.",
                            plan.npages
                        )
                    }
                };
                let go_function = plan.go_function;
                (
                    "mallocgc",
                    go_function,
                    AllocEventKind::Malloc { plan },
                    text,
                )
            }
        }
    }

    /// Mirrors malloc.go mallocgcTiny's fast path: "if off+size <=
    /// maxTinySize && c.tiny != 0", the object goes into the current block.
    fn try_tiny(
        &mut self,
        size: u64,
    ) -> Option<(&'static str, &'static str, AllocEventKind, String)> {
        let (span, slot) = self.mcache.tiny?;
        let off = tiny_align(self.mcache.tinyoffset, size);
        if off + size > TINY_SIZE {
            return None;
        }
        self.mcache.tinyoffset = off + size;
        self.spans[span].slots[slot].push(self.current.unwrap_or(0));
        self.finish_request();
        Some((
            "mcache",
            TINY_SPECIALIZED,
            AllocEventKind::TinyPacked {
                span,
                slot,
                offset: off,
            },
            format!("{size} B is packed into the current 16-byte tiny block at offset {off}; no new slot is used."),
        ))
    }

    /// Mirrors nextFreeFast / mcache.nextFree: a free slot of the cached
    /// span, or a refill.
    fn next_free(
        &mut self,
        spanclass: SpanClass,
    ) -> (&'static str, &'static str, AllocEventKind, String) {
        let cached = self.mcache.alloc.get(&spanclass).copied();
        if let Some(span) = cached {
            if let Some(slot) = self.spans[span].next_free() {
                let request = self.current.unwrap_or(0);
                self.spans[span].slots[slot].push(request);
                let tiny = spanclass == SpanClass::new(TINY_SIZE_CLASS, true)
                    && matches!(self.requests[request], AllocRequest::Alloc { size, noscan: true, .. } if size < TINY_SIZE);
                if tiny {
                    let size = match self.requests[request] {
                        AllocRequest::Alloc { size, .. } => size,
                        AllocRequest::Gc => 0,
                    };
                    // "See if we need to replace the existing tiny block with
                    // the new one based on amount of remaining free space."
                    if self.mcache.tiny.is_none() || size < self.mcache.tinyoffset {
                        self.mcache.tiny = Some((span, slot));
                        self.mcache.tinyoffset = size;
                    }
                }
                self.finish_request();
                let s = &self.spans[span];
                let text = format!(
                    "The mcache's span for class {} gives slot {slot} ({} of {} slots now used).",
                    spanclass.size_class(),
                    s.alloc_count(),
                    s.nelems
                );
                return (
                    "mcache",
                    "nextFreeFast",
                    AllocEventKind::SlotTaken {
                        span,
                        slot,
                        new_tiny_block: tiny,
                    },
                    text,
                );
            }
        }
        // Mirrors mcache.refill: "Return the current cached span to the
        // central lists."
        if let Some(span) = cached {
            self.uncache_span(span);
            self.mcache.alloc.remove(&spanclass);
        }
        self.stage = Stage::CacheSpan { spanclass };
        let text = match cached {
            Some(s) => format!("Span {s} of class {} is full: the mcache hands it back to mcentral and asks for another.", spanclass.size_class()),
            None => format!("The mcache has no span of class {} yet: it asks mcentral for one.", spanclass.size_class()),
        };
        (
            "mcache",
            "mcache.refill",
            AllocEventKind::McacheRefill {
                spanclass,
                returned: cached,
            },
            text,
        )
    }

    /// Mirrors mcentral.uncacheSpan: a span leaves the mcache for the
    /// partial or full list of its mcentral.
    fn uncache_span(&mut self, span: SpanId) {
        let s = &mut self.spans[span];
        let full = s.alloc_count() == s.nelems;
        s.home = if full {
            SpanHome::CentralFull
        } else {
            SpanHome::CentralPartial
        };
        let central = self.central.entry(s.spanclass).or_default();
        if full {
            central.full.push(span);
        } else {
            central.partial.push(span);
        }
    }

    /// Mirrors mcentral.cacheSpan: a partial span if there is one, else
    /// `grow`.
    fn cache_span(
        &mut self,
        spanclass: SpanClass,
    ) -> (&'static str, &'static str, AllocEventKind, String) {
        let central = self.central.entry(spanclass).or_default();
        if !central.partial.is_empty() {
            let span = central.partial.remove(0);
            self.spans[span].home = SpanHome::Mcache;
            self.mcache.alloc.insert(spanclass, span);
            self.stage = Stage::NextFree { spanclass };
            let s = &self.spans[span];
            let text = format!(
                "mcentral for class {} hands over span {span}, which has {} free slot(s) left after the last sweep.",
                spanclass.size_class(),
                s.nelems - s.alloc_count()
            );
            return (
                "mcentral",
                "mcentral.cacheSpan",
                AllocEventKind::CentralCacheSpan { spanclass, span },
                text,
            );
        }
        let npages = class_to_npages(spanclass.size_class());
        self.stage = Stage::HeapAlloc { spanclass, npages };
        (
            "mcentral",
            "mcentral.grow",
            AllocEventKind::CentralGrow { spanclass, npages },
            format!(
                "mcentral for class {} has no span with free slots: it asks mheap for {npages} fresh page(s).",
                spanclass.size_class()
            ),
        )
    }

    /// Mirrors mheap.alloc (first fit over free pages) and mheap.grow.
    fn heap_alloc(
        &mut self,
        spanclass: SpanClass,
        npages: u64,
    ) -> (&'static str, &'static str, AllocEventKind, String) {
        let n = npages as usize;
        let start = (0..(self.pages.len() + 1).saturating_sub(n))
            .find(|&p| self.pages[p..p + n].iter().all(Option::is_none));
        let Some(start) = start else {
            // "We must grow the heap in whole palloc chunks."
            let grow = npages.div_ceil(PALLOC_CHUNK_PAGES) * PALLOC_CHUNK_PAGES;
            self.pages.resize(self.pages.len() + grow as usize, None);
            let total_pages = self.pages.len() as u64;
            return (
                "mheap",
                "mheap.grow",
                AllocEventKind::HeapGrow {
                    pages: grow,
                    total_pages,
                },
                format!(
                    "mheap has no run of {npages} free page(s): it maps {grow} more pages ({} MB) from the OS.",
                    (grow * PAGE_SIZE) >> 20
                ),
            );
        };
        let large = spanclass.size_class() == 0;
        let elemsize = if large {
            npages * PAGE_SIZE
        } else {
            class_to_size(spanclass.size_class())
        };
        let nelems = npages * PAGE_SIZE / elemsize;
        let id = self.spans.len();
        let request = self.current.unwrap_or(0);
        let mut slots = vec![Vec::new(); nelems as usize];
        if large {
            slots[0].push(request);
        }
        self.spans.push(Mspan {
            spanclass,
            start_page: start as u64,
            npages,
            elemsize,
            nelems,
            slots,
            home: if large {
                SpanHome::Large
            } else {
                SpanHome::Mcache
            },
        });
        for page in &mut self.pages[start..start + n] {
            *page = Some(id);
        }
        let text = if large {
            self.finish_request();
            format!(
                "mheap cuts pages {start}..{} for the large object (span {id}).",
                start + n
            )
        } else {
            // cacheSpan returns the fresh span straight to the mcache.
            self.mcache.alloc.insert(spanclass, id);
            self.stage = Stage::NextFree { spanclass };
            format!(
                "mheap cuts pages {start}..{} into span {id}: {nelems} slots of {elemsize} B for class {}, cached in the mcache.",
                start + n,
                spanclass.size_class()
            )
        };
        let go_function = if large {
            "mcache.allocLarge"
        } else {
            "mheap.alloc"
        };
        (
            "mheap",
            go_function,
            AllocEventKind::HeapAlloc {
                span: id,
                start_page: start as u64,
                npages,
                large,
            },
            text,
        )
    }

    fn is_live(&self, request: usize) -> bool {
        matches!(
            self.requests[request],
            AllocRequest::Alloc { keep: true, .. }
        )
    }

    /// Mirrors mspan.sweep (mgcsweep.go): free dead slots; an empty span
    /// goes back to mheap, one with free slots to mcentral's partial list.
    fn sweep(&mut self, next_span: SpanId) -> (&'static str, &'static str, AllocEventKind, String) {
        let Some(span) =
            (next_span..self.spans.len()).find(|&s| self.spans[s].home != SpanHome::Freed)
        else {
            self.finish_request();
            return (
                "gc",
                "sweepone",
                AllocEventKind::Done,
                String::from("The sweep is over: every span has been swept."),
            );
        };
        self.stage = Stage::Sweep {
            next_span: span + 1,
        };
        let mut freed = 0;
        let mut slots = core::mem::take(&mut self.spans[span].slots);
        for slot in &mut slots {
            if !slot.is_empty() && !slot.iter().any(|&r| self.is_live(r)) {
                slot.clear();
                freed += 1;
            }
        }
        let s = &mut self.spans[span];
        s.slots = slots;
        let old_home = s.home;
        let live = s.alloc_count();
        let spanclass = s.spanclass;
        let now = if live == 0 {
            SpanHome::Freed
        } else if s.spanclass.size_class() == 0 {
            SpanHome::Large
        } else if live == s.nelems {
            SpanHome::CentralFull
        } else {
            SpanHome::CentralPartial
        };
        s.home = now;
        if now == SpanHome::Freed {
            for page in self.pages.iter_mut().filter(|p| **p == Some(span)) {
                *page = None;
            }
        }
        if old_home != now && spanclass.size_class() != 0 {
            let central = self.central.entry(spanclass).or_default();
            central.partial.retain(|&x| x != span);
            central.full.retain(|&x| x != span);
            match now {
                SpanHome::CentralFull => central.full.push(span),
                SpanHome::CentralPartial => central.partial.push(span),
                _ => {}
            }
        }
        let text = match now {
            SpanHome::Freed => format!("Sweeping span {span}: all {freed} object(s) are dead, so its pages go back to mheap."),
            SpanHome::CentralPartial => format!("Sweeping span {span}: {freed} dead slot(s) freed, {live} live; it waits on mcentral's partial list."),
            _ => format!("Sweeping span {span}: {freed} slot(s) freed, {live} live."),
        };
        (
            "gc",
            "mspan.sweep",
            AllocEventKind::Swept { span, freed, now },
            text,
        )
    }
}

/// For a [`crate::timeline::Timeline`]: the run ends when every request
/// has been served, and the steps are the ticks.
impl Simulation for AllocSim {
    type Event = AllocEvent;

    fn step(&mut self) -> Option<AllocEvent> {
        (!self.is_done()).then(|| AllocSim::step(self))
    }

    fn steps(&self) -> u64 {
        self.tick
    }

    fn approx_bytes(&self) -> usize {
        use core::mem::size_of;
        size_of::<AllocSim>()
            + self.requests.capacity() * size_of::<AllocRequest>()
            + self.central.len() * (size_of::<SpanClass>() + size_of::<Mcentral>() + 32)
            + self
                .central
                .values()
                .map(|c| (c.partial.capacity() + c.full.capacity()) * size_of::<SpanId>())
                .sum::<usize>()
            + self.mcache.alloc.len() * (size_of::<SpanClass>() + size_of::<SpanId>() + 16)
            + self
                .spans
                .iter()
                .map(|s| {
                    size_of::<Mspan>()
                        + s.slots.capacity() * size_of::<Vec<usize>>()
                        + s.slots
                            .iter()
                            .map(|r| r.capacity() * size_of::<usize>())
                            .sum::<usize>()
                })
                .sum::<usize>()
            + self.pages.capacity() * size_of::<Option<SpanId>>()
    }
}

/// Mirrors mallocgcTiny's alignment of the tiny offset (64-bit): 8 for
/// sizes that are multiples of 8, 4 for multiples of 4, 2 for even sizes.
pub const fn tiny_align(off: u64, size: u64) -> u64 {
    let align = if size & 7 == 0 {
        8
    } else if size & 3 == 0 {
        4
    } else if size & 1 == 0 {
        2
    } else {
        1
    };
    off.div_ceil(align) * align
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(events: &[AllocEvent]) -> Vec<&'static str> {
        events.iter().map(|e| e.go_function).collect()
    }

    #[test]
    fn a_zero_size_request_takes_zerobase() {
        let p = plan_alloc(0, true);
        assert_eq!(p.path, AllocPath::ZeroBase);
        assert_eq!(p.slot, 0);
    }

    #[test]
    fn pointer_free_objects_under_16_bytes_are_tiny() {
        assert_eq!(plan_alloc(15, true).path, AllocPath::Tiny);
        assert_eq!(plan_alloc(16, true).path, AllocPath::Small);
        // With pointers, an 8-byte object takes a whole class-1 slot.
        let p = plan_alloc(8, false);
        assert_eq!((p.path, p.size_class, p.slot), (AllocPath::Small, 1, 8));
    }

    #[test]
    fn small_sizes_round_up_to_their_class() {
        let p = plan_alloc(33, true);
        assert_eq!((p.size_class, p.slot, p.waste), (5, 48, 15));
        assert_eq!(roundupsize(1025, true), 1152);
    }

    #[test]
    fn pointerful_objects_over_512_bytes_carry_a_malloc_header() {
        let p = plan_alloc(1024, false);
        assert_eq!(p.header, 8);
        assert_eq!((p.size_class, p.slot), (33, 1152));
        assert_eq!(roundupsize(1024, false), 1144);
        assert_eq!(roundupsize(512, false), 512);
    }

    #[test]
    fn past_32760_bytes_objects_are_large_and_page_rounded() {
        assert_eq!(plan_alloc(32760, true).path, AllocPath::Small);
        let p = plan_alloc(32761, true);
        assert_eq!((p.path, p.npages, p.slot), (AllocPath::Large, 4, 32768));
        assert_eq!(roundupsize(40000, true), 40960);
    }

    #[test]
    fn tiny_objects_share_a_block_until_it_is_full() {
        let req = |size| AllocRequest::Alloc {
            size,
            noscan: true,
            keep: true,
        };
        let mut sim = AllocSim::new(vec![req(4), req(8), req(6)]);
        let events = sim.run();
        let packed: Vec<_> = events
            .iter()
            .filter_map(|e| match e.kind {
                AllocEventKind::TinyPacked { offset, .. } => Some(offset),
                _ => None,
            })
            .collect();
        // 4 B at 0, 8 B aligned to 8, then 6 B does not fit (16 + 6 > 16).
        assert_eq!(packed, vec![8]);
        assert_eq!(sim.spans()[0].alloc_count(), 2);
    }

    #[test]
    fn sizes_up_to_80_bytes_take_the_generated_functions() {
        // runtime/malloc_tables_generated.go: the entry for each size.
        assert_eq!(plan_alloc(8, true).go_function, "mallocgcTinySC2");
        assert_eq!(plan_alloc(15, true).go_function, "mallocgcTinySC2");
        assert_eq!(plan_alloc(16, true).go_function, "mallocgcSmallNoScanSC2");
        assert_eq!(plan_alloc(33, true).go_function, "mallocgcSmallNoScanSC5");
        assert_eq!(plan_alloc(80, true).go_function, "mallocgcSmallNoScanSC7");
        assert_eq!(
            plan_alloc(1, false).go_function,
            "mallocgcSmallScanNoHeaderSC1"
        );
        assert_eq!(
            plan_alloc(80, false).go_function,
            "mallocgcSmallScanNoHeaderSC7"
        );
        // From 81 B on, the generic helpers; the class is the same either way.
        assert_eq!(plan_alloc(81, true).go_function, "mallocgcSmallNoscan");
        assert_eq!(
            plan_alloc(81, false).go_function,
            "mallocgcSmallScanNoHeader"
        );
        assert_eq!(
            plan_alloc(33, true).generic_function(),
            "mallocgcSmallNoscan"
        );
        assert_eq!(plan_alloc(0, false).go_function, "mallocgc");
        for size in 1..=SIZE_SPECIALIZED_MAX {
            for noscan in [true, false] {
                let p = plan_alloc(size, noscan);
                assert!(p.size_specialized());
                let class = p.go_function.rsplit_once("SC").unwrap().1;
                assert_eq!(
                    class.parse::<u8>().unwrap(),
                    p.size_class,
                    "{size} {noscan}"
                );
                assert_eq!(
                    malloc_source_file(p.go_function),
                    "runtime/malloc_generated.go"
                );
            }
        }
        assert_eq!(malloc_source_file("mallocgcLarge"), "runtime/malloc.go");
    }

    #[test]
    fn first_allocation_goes_all_the_way_down_to_the_os() {
        let mut sim = AllocSim::new(vec![AllocRequest::Alloc {
            size: 100,
            noscan: false,
            keep: true,
        }]);
        assert_eq!(
            kinds(&sim.run()),
            [
                "mallocgcSmallScanNoHeader",
                "mcache.refill",
                "mcentral.grow",
                "mheap.grow",
                "mheap.alloc",
                "nextFreeFast"
            ]
        );
    }

    #[test]
    fn a_full_span_is_handed_back_and_a_new_one_grown() {
        // Class 67 (32768 B) has one object per 4-page span.
        let mut sim = AllocSim::scenario_fill_spans(32000, true, 2, 1);
        let events = sim.run_until(11);
        let refills: Vec<_> = events
            .iter()
            .filter_map(|e| match e.kind {
                AllocEventKind::McacheRefill { returned, .. } => Some(returned),
                _ => None,
            })
            .collect();
        assert_eq!(refills, vec![None, Some(0)]);
        assert_eq!(sim.central()[&SpanClass::new(67, true)].full, vec![0]);
    }

    #[test]
    fn sweeping_returns_empty_spans_and_reuses_partial_ones() {
        // 8 KB objects: one per span; keep every other.
        let mut sim = AllocSim::scenario_fill_spans(8192, true, 4, 2);
        let events = sim.run();
        let freed_spans = events
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    AllocEventKind::Swept {
                        now: SpanHome::Freed,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(freed_spans, 2);
        // After the GC the heap has free pages again, so no further grow.
        let grows = events
            .iter()
            .filter(|e| matches!(e.kind, AllocEventKind::HeapGrow { .. }))
            .count();
        assert_eq!(grows, 1);
        assert!(sim.is_done());
    }

    #[test]
    fn a_large_object_skips_mcache_and_mcentral() {
        let mut sim = AllocSim::new(vec![AllocRequest::Alloc {
            size: 100_000,
            noscan: true,
            keep: true,
        }]);
        assert_eq!(
            kinds(&sim.run()),
            ["mallocgcLarge", "mheap.grow", "mcache.allocLarge"]
        );
        assert_eq!(sim.spans()[0].npages, 13);
    }
}
