//! The allocator's size classes: which block a small object really gets.
//!
//! Mirrors internal/runtime/gc/sizeclasses.go (go1.27), which
//! runtime/_mkmalloc/mksizeclasses.go generates. The heap hands out small
//! objects (up to 32 KiB) from spans of one or more 8 KiB pages, each span cut
//! into equal blocks of one size class; a request is rounded up to its class,
//! and the difference is lost to rounding. Bigger objects get whole pages
//! straight from mheap.
//!
//! The tables below are generated from the Go file by the conformance test
//! `tests/conformance/tests/layout.rs` (run it with
//! `GOPHERSCOPE_WRITE_SIZECLASSES=1` to rewrite them), and that same test
//! checks every number against GOROOT at test time. The comment table's
//! derived columns (objects per span, tail waste, max waste, min align) are
//! computed here the way mksizeclasses.go `printComment` computes them.
//!
//! [`mallocgc_path`] says where an object of a given size goes (`zerobase`,
//! the tiny allocator, a size class with or without a malloc header, or a
//! large span) through the model's one `mallocgc` dispatcher,
//! [`crate::malloc::plan_alloc_for`]. What it leaves out on purpose: the
//! per-P mcache, mcentral and mheap machinery (the allocator animation in
//! [`crate::malloc`] models those), GODEBUG hooks and ASAN red zones. The
//! size-specialised mallocgc (`SizeSpecializedMalloc`, on by default in
//! go1.27) serves sizes up to 80 B with generated functions such as
//! `mallocgcSmallNoScanSC5`; it uses these same classes, and the plan names
//! the generated function for the sizes that take it.

use crate::values::GoArch;

/// Mirrors internal/runtime/gc `MinHeapAlign`.
pub const MIN_HEAP_ALIGN: u64 = 8;
/// Mirrors internal/runtime/gc `MaxSmallSize`: the largest small object.
pub const MAX_SMALL_SIZE: u64 = 32768;
/// Mirrors internal/runtime/gc `SmallSizeDiv`.
pub const SMALL_SIZE_DIV: u64 = 8;
/// Mirrors internal/runtime/gc `SmallSizeMax`.
pub const SMALL_SIZE_MAX: u64 = 1024;
/// Mirrors internal/runtime/gc `LargeSizeDiv`.
pub const LARGE_SIZE_DIV: u64 = 128;
/// Mirrors internal/runtime/gc `NumSizeClasses` (class 0 means "large").
pub const NUM_SIZE_CLASSES: usize = 68;
/// Mirrors runtime/mheap.go `numSpanClasses` (`gc.NumSizeClasses << 1`):
/// each size class twice, for objects with and without pointers. There is
/// one mcentral per span class, and each mcache holds one span per span
/// class.
pub const NUM_SPAN_CLASSES: usize = NUM_SIZE_CLASSES * 2;
/// Mirrors internal/runtime/gc `PageShift`.
pub const PAGE_SHIFT: u32 = 13;
/// Mirrors internal/runtime/gc `PageSize`: 8 KiB on every GOARCH.
pub const PAGE_SIZE: u64 = 1 << PAGE_SHIFT;
/// Mirrors internal/runtime/gc `MaxObjsPerSpan`.
pub const MAX_OBJS_PER_SPAN: u64 = 1024;
/// Mirrors internal/runtime/gc `MaxSizeClassNPages`.
pub const MAX_SIZE_CLASS_NPAGES: u64 = 10;
/// Mirrors internal/runtime/gc `TinySize`: the tiny allocator's block.
pub const TINY_SIZE: u64 = 16;
/// Mirrors internal/runtime/gc `TinySizeClass`.
pub const TINY_SIZE_CLASS: u8 = 2;
/// Mirrors internal/runtime/gc `MallocHeaderSize`: one type pointer, padded
/// to 8 bytes so that 32-bit targets keep 8-byte alignment.
pub const MALLOC_HEADER_SIZE: u64 = 8;

// BEGIN GENERATED from internal/runtime/gc/sizeclasses.go
/// Mirrors internal/runtime/gc `SizeClassToSize`.
#[rustfmt::skip]
pub const CLASS_TO_SIZE: [u16; 68] = [
    0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208,
    224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896,
    1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144,
    6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760,
    24576, 27264, 28672, 32768,
];
/// Mirrors internal/runtime/gc `SizeClassToNPages`.
#[rustfmt::skip]
pub const CLASS_TO_NPAGES: [u8; 68] = [
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 2, 1, 2, 1, 2, 1, 3, 2, 3, 1, 3, 2, 3,
    4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5, 8,
    3, 10, 7, 4,
];
/// Mirrors internal/runtime/gc `SizeToSizeClass8`.
#[rustfmt::skip]
pub const SIZE_TO_CLASS8: [u8; 129] = [
    0, 1, 2, 3, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
    10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17, 17, 18,
    18, 19, 19, 19, 19, 20, 20, 20, 20, 21, 21, 21, 21, 22, 22, 22,
    22, 23, 23, 23, 23, 24, 24, 24, 24, 25, 25, 25, 25, 26, 26, 26,
    26, 27, 27, 27, 27, 27, 27, 27, 27, 28, 28, 28, 28, 28, 28, 28,
    28, 29, 29, 29, 29, 29, 29, 29, 29, 30, 30, 30, 30, 30, 30, 30,
    30, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31,
    31, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32,
    32,
];
/// Mirrors internal/runtime/gc `SizeToSizeClass128`.
#[rustfmt::skip]
pub const SIZE_TO_CLASS128: [u8; 249] = [
    32, 33, 34, 35, 36, 37, 37, 38, 38, 39, 39, 40, 40, 40, 41, 41,
    41, 42, 43, 43, 44, 44, 44, 44, 44, 45, 45, 45, 45, 45, 45, 46,
    46, 46, 46, 47, 47, 47, 47, 47, 47, 48, 48, 48, 49, 49, 50, 51,
    51, 51, 51, 51, 51, 51, 51, 51, 51, 52, 52, 52, 52, 52, 52, 52,
    52, 52, 52, 53, 53, 54, 54, 54, 54, 55, 55, 55, 55, 55, 56, 56,
    56, 56, 56, 56, 56, 56, 56, 56, 56, 57, 57, 57, 57, 57, 57, 57,
    57, 57, 57, 58, 58, 58, 58, 58, 58, 59, 59, 59, 59, 59, 59, 59,
    59, 59, 59, 59, 59, 59, 59, 59, 59, 60, 60, 60, 60, 60, 60, 60,
    60, 60, 60, 60, 60, 60, 60, 60, 60, 61, 61, 61, 61, 61, 62, 62,
    62, 62, 62, 62, 62, 62, 62, 62, 62, 63, 63, 63, 63, 63, 63, 63,
    63, 63, 63, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 65, 65, 65, 65, 65, 65, 65,
    65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 66, 66,
    66, 66, 66, 66, 66, 66, 66, 66, 66, 67, 67, 67, 67, 67, 67, 67,
    67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67,
    67, 67, 67, 67, 67, 67, 67, 67, 67,
];
// END GENERATED

/// One row of the comment table at the top of sizeclasses.go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeClass {
    pub class: u8,
    /// Bytes per object ("bytes/obj").
    pub size: u64,
    /// Bytes per span: the class's page count times 8 KiB.
    pub span_bytes: u64,
    /// Objects per span.
    pub objects: u64,
    /// Bytes at the end of a span too small for one more object.
    pub tail_waste: u64,
    /// The worst-case fraction of a span lost, in basis points (8750 is
    /// 87.50%): every object one byte bigger than the previous class, plus
    /// the tail.
    pub max_waste_bp: u64,
    /// The alignment every object of this class has (capped at a page).
    pub min_align: u64,
}

/// Mirrors internal/runtime/gc `SizeClassToSize`.
pub const fn class_to_size(class: u8) -> u64 {
    CLASS_TO_SIZE[class as usize] as u64
}

/// Mirrors internal/runtime/gc `SizeClassToNPages`.
pub const fn class_to_npages(class: u8) -> u64 {
    CLASS_TO_NPAGES[class as usize] as u64
}

/// The size class of a small object of `size` bytes, or 0 when it is large
/// (over [`MAX_SMALL_SIZE`]). Size 0 is class 0 too: `mallocgc` answers it
/// with `zerobase` before it looks at a class.
///
/// Mirrors the lookup in runtime/malloc.go `mallocgcSmallNoscan` (go1.27):
/// "if size <= gc.SmallSizeMax-8 { sizeclass =
/// gc.SizeToSizeClass8[divRoundUp(size, gc.SmallSizeDiv)] } else { sizeclass
/// = gc.SizeToSizeClass128[divRoundUp(size-gc.SmallSizeMax,
/// gc.LargeSizeDiv)] }".
pub const fn size_to_class(size: u64) -> u8 {
    if size == 0 || size > MAX_SMALL_SIZE {
        0
    } else if size <= SMALL_SIZE_MAX - 8 {
        SIZE_TO_CLASS8[size.div_ceil(SMALL_SIZE_DIV) as usize]
    } else {
        // For 1017..=1023, size-SmallSizeMax wraps around in Go's uintptr
        // and divRoundUp wraps back to index 0 (class 1024): mirror that.
        let n = size.wrapping_sub(SMALL_SIZE_MAX);
        SIZE_TO_CLASS128[(n.wrapping_add(LARGE_SIZE_DIV - 1) / LARGE_SIZE_DIV) as usize]
    }
}

/// The row for `class` (1..=67), with the derived columns computed as
/// mksizeclasses.go `printComment` computes them.
pub const fn size_class(class: u8) -> SizeClass {
    let size = class_to_size(class);
    let span_bytes = class_to_npages(class) * PAGE_SIZE;
    let objects = span_bytes / size;
    let tail_waste = span_bytes - size * objects;
    let prev = if class > 1 {
        class_to_size(class - 1)
    } else {
        0
    };
    // maxWaste := float64((c.size-prevSize-1)*objects+tailWaste) / float64(spanSize),
    // printed as a percentage with two decimals: round to basis points.
    let wasted = (size - prev - 1) * objects + tail_waste;
    let max_waste_bp = (wasted * 20000 + span_bytes) / (2 * span_bytes);
    let align_bits = if size.trailing_zeros() > PAGE_SHIFT {
        PAGE_SHIFT
    } else {
        size.trailing_zeros()
    };
    SizeClass {
        class,
        size,
        span_bytes,
        objects,
        tail_waste,
        max_waste_bp,
        min_align: 1 << align_bits,
    }
}

/// Every real size class, 1 to 67, in order.
pub fn size_classes() -> impl Iterator<Item = SizeClass> {
    (1..NUM_SIZE_CLASSES as u8).map(size_class)
}

/// The largest allocation the heap accepts on `arch` (linux).
///
/// Mirrors runtime/malloc.go `maxAlloc = (1 << heapAddrBits) - (1-_64bit)*1`
/// (go1.27): 48 address bits on 64-bit targets, 32 on wasm and 32-bit
/// targets, 31 on mips and mipsle.
pub const fn max_alloc(arch: GoArch) -> u64 {
    match arch {
        GoArch::Mips | GoArch::Mipsle => (1 << 31) - 1,
        GoArch::Wasm => 1 << 32,
        _ if arch.sizes().word_size == 4 => (1 << 32) - 1,
        _ => 1 << 48,
    }
}

/// The smallest object that carries a malloc header, exclusive.
///
/// Mirrors internal/runtime/gc `MinSizeForMallocHeader = goarch.PtrSize *
/// goarch.PtrBits`: 512 bytes on 64-bit targets, 128 on 32-bit ones.
pub const fn min_size_for_malloc_header(arch: GoArch) -> u64 {
    let ptr = arch.sizes().word_size;
    ptr * ptr * 8
}

pub use crate::malloc::AllocPath;
use crate::malloc::{plan_alloc_for, AllocPlan};

/// What the heap really spends on one allocation, in the layout lab's
/// terms: the bytes set aside (`block`) and everything beyond the bytes
/// asked for (`waste`, malloc header included). The [`AllocPlan`] from
/// the model's one mallocgc dispatcher ([`plan_alloc_for`]) has the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allocation {
    /// The bytes asked for.
    pub size: u64,
    /// Whether the object holds pointers (the GC must scan it).
    pub has_pointers: bool,
    pub path: AllocPath,
    /// The bytes the heap sets aside: the class's block, or whole pages.
    /// For a tiny object, the bytes asked for (it shares a 16-byte block).
    pub block: u64,
    /// `block - size`: the malloc header plus the rounding loss.
    pub waste: u64,
    /// The dispatcher's plan: size class, malloc header, pages, span.
    pub plan: AllocPlan,
}

impl Allocation {
    /// The Go function that takes this path.
    pub const fn go_function(&self) -> &'static str {
        self.plan.go_function
    }

    /// The size class, or 0 for the paths that have none.
    pub const fn class(&self) -> u8 {
        self.plan.size_class
    }

    /// True when an 8-byte malloc header (the object's type) precedes the
    /// object.
    pub const fn has_header(&self) -> bool {
        self.plan.header > 0
    }

    /// Whole 8 KiB pages of a large object (0 for the other paths).
    pub const fn large_pages(&self) -> u64 {
        match self.path {
            AllocPath::Large => self.plan.npages,
            _ => 0,
        }
    }

    /// One plain sentence on why the object lands where it does.
    pub const fn why(&self) -> &'static str {
        match self.path {
            AllocPath::ZeroBase => "Zero-size allocations all return the address of runtime.zerobase.",
            AllocPath::Tiny => "Pointer-free objects under 16 bytes are packed together into 16-byte blocks by the tiny allocator.",
            AllocPath::Small if !self.has_pointers => "A pointer-free small object takes the smallest size class that fits; the GC never scans it.",
            AllocPath::Small if !self.has_header() => "A small object with pointers keeps its pointer bitmap in the span, so it needs no header.",
            AllocPath::Small => "An object with pointers over the header threshold gets an 8-byte malloc header pointing at its type.",
            AllocPath::Large => "Objects over 32 KiB get their own span of whole pages straight from mheap.",
        }
    }
}

/// Where `mallocgc(size, typ, ...)` takes an object from on `arch`, and
/// what it costs: [`plan_alloc_for`] (which mirrors runtime/malloc.go
/// `mallocgc`, go1.27) seen as the layout lab shows it.
pub const fn mallocgc_path(size: u64, has_pointers: bool, arch: GoArch) -> Allocation {
    let plan = plan_alloc_for(size, !has_pointers, arch);
    Allocation {
        size,
        has_pointers,
        path: plan.path,
        block: plan.slot,
        waste: plan.slot - size,
        plan,
    }
}

/// Why `make([]T, n)` cannot be allocated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MakeSliceError {
    pub elem_size: u64,
    pub len: u64,
    pub max_alloc: u64,
}

impl core::fmt::Display for MakeSliceError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "panic: runtime error: makeslice: len out of range ({} elements of {} bytes is more than maxAlloc, {} bytes)",
            self.len, self.elem_size, self.max_alloc
        )
    }
}

/// The backing array of `make([]T, n)` for an element of `elem_size` bytes.
///
/// Mirrors runtime/slice.go `makeslice` (go1.27): "mem, overflow :=
/// math.MulUintptr(et.Size_, uintptr(cap)); if overflow || mem > maxAlloc
/// ... panicmakeslicelen()", then `mallocgc(mem, et, true)`.
pub fn makeslice(
    elem_size: u64,
    n: u64,
    has_pointers: bool,
    arch: GoArch,
) -> Result<Allocation, MakeSliceError> {
    let max = max_alloc(arch);
    match elem_size.checked_mul(n) {
        Some(mem) if mem <= max => Ok(mallocgc_path(mem, has_pointers, arch)),
        _ => Err(MakeSliceError {
            elem_size,
            len: n,
            max_alloc: max,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn sixty_seven_classes_from_8_bytes_to_32_kib() {
        let all: Vec<SizeClass> = size_classes().collect();
        assert_eq!(all.len(), 67);
        assert_eq!(all[0].size, 8);
        assert_eq!(all[66].size, MAX_SMALL_SIZE);
        assert!(all.windows(2).all(|w| w[0].size < w[1].size));
    }

    #[test]
    fn a_request_rounds_up_to_the_next_class() {
        assert_eq!(class_to_size(size_to_class(1)), 8);
        assert_eq!(class_to_size(size_to_class(17)), 24);
        assert_eq!(class_to_size(size_to_class(33)), 48);
        assert_eq!(class_to_size(size_to_class(1017)), 1024);
        assert_eq!(class_to_size(size_to_class(1025)), 1152);
        assert_eq!(class_to_size(size_to_class(32768)), 32768);
        assert_eq!(size_to_class(32769), 0);
    }

    #[test]
    fn every_class_holds_every_size_it_is_picked_for() {
        for size in 1..=MAX_SMALL_SIZE {
            let c = size_to_class(size);
            assert!(class_to_size(c) >= size, "{size}");
            assert!(class_to_size(c - 1) < size, "{size}");
        }
    }

    #[test]
    fn the_first_classes_of_the_comment_table() {
        let c1 = size_class(1);
        assert_eq!((c1.span_bytes, c1.objects, c1.tail_waste), (8192, 1024, 0));
        assert_eq!((c1.max_waste_bp, c1.min_align), (8750, 8));
        let c3 = size_class(3);
        assert_eq!((c3.objects, c3.tail_waste, c3.max_waste_bp), (341, 8, 2924));
    }

    #[test]
    fn mallocgc_picks_a_path_by_size_and_pointers() {
        let a = GoArch::Amd64;
        assert_eq!(mallocgc_path(0, true, a).path, AllocPath::ZeroBase);
        assert_eq!(mallocgc_path(12, false, a).path, AllocPath::Tiny);
        // A pointerful 12-byte object cannot use the tiny allocator.
        let p = mallocgc_path(12, true, a);
        assert_eq!((p.block, p.waste), (16, 4));
        // Size-specialised (on by default): the generated function for class 2.
        assert_eq!(p.go_function(), "mallocgcSmallScanNoHeaderSC2");
        assert_eq!(p.plan.generic_function(), "mallocgcSmallScanNoHeader");
        // 600 bytes with pointers: header first, then the class for 608.
        let h = mallocgc_path(600, true, a);
        assert_eq!(
            (h.path, h.class(), h.has_header()),
            (AllocPath::Small, 28, true)
        );
        assert_eq!(h.go_function(), "mallocgcSmallScanHeader");
        assert_eq!((h.block, h.waste), (640, 40));
        // On 32-bit the header threshold is 128 bytes.
        let i386 = mallocgc_path(130, true, GoArch::I386);
        assert_eq!((i386.path, i386.has_header()), (AllocPath::Small, true));
        assert!(!mallocgc_path(130, true, a).has_header());
        // The last small size leaves room for a header: 32761 is large.
        let big = mallocgc_path(32761, false, a);
        assert_eq!((big.path, big.large_pages()), (AllocPath::Large, 4));
        assert_eq!(big.waste, 7);
    }

    #[test]
    fn makeslice_panics_past_max_alloc() {
        let ok = makeslice(24, 1000, true, GoArch::Amd64).unwrap();
        assert_eq!(ok.size, 24000);
        assert_eq!(
            (ok.path, ok.class(), ok.has_header()),
            (AllocPath::Small, 64, true)
        );
        assert!(makeslice(8, u64::MAX, false, GoArch::Amd64).is_err());
        assert!(makeslice(1, 1 << 32, false, GoArch::I386).is_err());
    }
}
