//! STUB, to be replaced: the size-class table is built on another branch in
//! `sizeclasses.rs`. This file carries only what [`crate::malloc`] reads from
//! it, under the names Go uses (internal/runtime/gc/sizeclasses.go, go1.27),
//! so that the merge is a matter of deleting this file and its `#[path]`
//! line in lib.rs. What `malloc` needs from the real module:
//!
//! - `NUM_SIZE_CLASSES`, `MAX_SMALL_SIZE`, `PAGE_SIZE`, `TINY_SIZE`,
//!   `MALLOC_HEADER_SIZE`, `MIN_SIZE_FOR_MALLOC_HEADER`;
//! - `SIZE_CLASS_TO_SIZE`, `SIZE_CLASS_TO_NPAGES`;
//! - `size_to_class(size) -> u8` (class 0 meaning "too big for a class").

/// Mirrors gc.NumSizeClasses: 67 real classes plus class 0 for large objects.
pub const NUM_SIZE_CLASSES: usize = 68;
/// Mirrors gc.MaxSmallSize.
pub const MAX_SMALL_SIZE: u64 = 32768;
/// Mirrors runtime pageSize (1 << gc.PageShift).
pub const PAGE_SIZE: u64 = 8192;
/// Mirrors gc.TinySize, the runtime's maxTinySize.
pub const TINY_SIZE: u64 = 16;
/// Mirrors gc.MallocHeaderSize (64-bit).
pub const MALLOC_HEADER_SIZE: u64 = 8;
/// Mirrors gc.MinSizeForMallocHeader = PtrSize * PtrBits (64-bit).
pub const MIN_SIZE_FOR_MALLOC_HEADER: u64 = 8 * 64;

/// Mirrors gc.SizeClassToSize (go1.27).
pub const SIZE_CLASS_TO_SIZE: [u16; NUM_SIZE_CLASSES] = [
    0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320,
    352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
    2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728,
    10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672,
    32768,
];

/// Mirrors gc.SizeClassToNPages (go1.27): pages per span of each class.
pub const SIZE_CLASS_TO_NPAGES: [u8; NUM_SIZE_CLASSES] = [
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 2, 1, 2, 1, 2, 1, 3, 2, 3, 1, 3, 2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5, 8,
    3, 10, 7, 4,
];

/// The smallest class whose objects hold `size` bytes; 0 when none does.
///
/// Equivalent to the runtime's SizeToSizeClass8/SizeToSizeClass128 lookups
/// (malloc.go mallocgcSmallNoscan), done here as a search.
pub fn size_to_class(size: u64) -> u8 {
    // SizeToSizeClass8[0] is 0: a zero size has class 0, like a large one.
    if size == 0 || size > MAX_SMALL_SIZE {
        return 0;
    }
    SIZE_CLASS_TO_SIZE
        .iter()
        .position(|&s| u64::from(s) >= size)
        .map_or(0, |c| c as u8)
}
