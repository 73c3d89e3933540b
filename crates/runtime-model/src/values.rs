//! Value representation: how big each kind of Go value is, and how it is
//! aligned, on each architecture the gc toolchain targets.
//!
//! Mirrors `go/types/gcsizes.go` and `go/types/sizes.go` (`gcArchSizes`,
//! go1.27), which agree with the compiler's own `cmd/compile/internal/types/
//! size.go`. The rules are few:
//!
//! - An architecture has a word size and a maximum alignment.
//! - A basic type's size is fixed (int8 is 1, float64 is 8, ...); `int`,
//!   `uint` and `uintptr` are one word.
//! - Its alignment is its size, capped at the maximum alignment; complex
//!   numbers align like their halves (`complex128` like `[2]float64`).
//! - Strings, slices and interfaces are made of words and align to a word.
//!   Pointers, maps, chans and funcs are a single word.
//!
//! What this module leaves out on purpose: user-defined structs and arrays
//! (the struct layout lab builds on [`layout`]) and type parameters, whose
//! sizes the compiler decides per instantiation.

use alloc::vec::Vec;
use core::fmt;

/// A target architecture (GOARCH) known to `go/types.SizesFor("gc", arch)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GoArch {
    Amd64,
    Arm64,
    I386,
    Arm,
    Wasm,
    Amd64p32,
    Loong64,
    Mips,
    Mipsle,
    Mips64,
    Mips64le,
    Ppc64,
    Ppc64le,
    Riscv64,
    S390x,
    Sparc64,
}

impl GoArch {
    /// Every architecture, the five most taught first.
    pub const ALL: [GoArch; 16] = [
        GoArch::Amd64,
        GoArch::Arm64,
        GoArch::I386,
        GoArch::Arm,
        GoArch::Wasm,
        GoArch::Amd64p32,
        GoArch::Loong64,
        GoArch::Mips,
        GoArch::Mipsle,
        GoArch::Mips64,
        GoArch::Mips64le,
        GoArch::Ppc64,
        GoArch::Ppc64le,
        GoArch::Riscv64,
        GoArch::S390x,
        GoArch::Sparc64,
    ];

    /// The five architectures the value table shows by default.
    pub const TAUGHT: [GoArch; 5] = [
        GoArch::Amd64,
        GoArch::Arm64,
        GoArch::I386,
        GoArch::Arm,
        GoArch::Wasm,
    ];

    /// The GOARCH spelling, as `go env GOARCH` prints it.
    pub const fn name(self) -> &'static str {
        match self {
            GoArch::Amd64 => "amd64",
            GoArch::Arm64 => "arm64",
            GoArch::I386 => "386",
            GoArch::Arm => "arm",
            GoArch::Wasm => "wasm",
            GoArch::Amd64p32 => "amd64p32",
            GoArch::Loong64 => "loong64",
            GoArch::Mips => "mips",
            GoArch::Mipsle => "mipsle",
            GoArch::Mips64 => "mips64",
            GoArch::Mips64le => "mips64le",
            GoArch::Ppc64 => "ppc64",
            GoArch::Ppc64le => "ppc64le",
            GoArch::Riscv64 => "riscv64",
            GoArch::S390x => "s390x",
            GoArch::Sparc64 => "sparc64",
        }
    }

    /// Parses a GOARCH name exactly as Go spells it (`"386"`, not `"i386"`).
    pub fn from_name(name: &str) -> Option<GoArch> {
        GoArch::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Word size and maximum alignment in bytes.
    ///
    /// Mirrors go/types/sizes.go `gcArchSizes` (go1.27). amd64p32 is the odd
    /// one: 4-byte words but 8-byte alignment.
    pub const fn sizes(self) -> ArchSizes {
        let (word_size, max_align) = match self {
            GoArch::I386 | GoArch::Arm | GoArch::Mips | GoArch::Mipsle => (4, 4),
            GoArch::Amd64p32 => (4, 8),
            _ => (8, 8),
        };
        ArchSizes {
            word_size,
            max_align,
        }
    }
}

impl GoArch {
    /// The largest size a type may have, in bytes.
    ///
    /// Mirrors `arch.MAXWIDTH` in `cmd/compile/internal/<arch>/galign.go`
    /// (go1.27): 1<<50 on 64-bit targets, (1<<32)-1 on 386 and arm,
    /// (1<<31)-1 on mips and mipsle. amd64p32 and sparc64 have no compiler
    /// backend; they get their word size's usual limit.
    pub const fn max_width(self) -> u64 {
        match self {
            GoArch::Mips | GoArch::Mipsle => (1 << 31) - 1,
            GoArch::I386 | GoArch::Arm | GoArch::Amd64p32 => (1 << 32) - 1,
            _ => 1 << 50,
        }
    }
}

impl fmt::Display for GoArch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Mirrors go/types `gcSizes`: the two numbers that fix every layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchSizes {
    pub word_size: u64,
    pub max_align: u64,
}

/// A kind of Go value whose representation does not depend on user types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Bool,
    Int8,
    Int16,
    Int32,
    Int64,
    Int,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uint,
    Uintptr,
    Float32,
    Float64,
    Complex64,
    Complex128,
    String,
    Slice,
    /// `any`, which the runtime calls an `eface`.
    EmptyInterface,
    /// An interface with methods, such as `error`; the runtime's `iface`.
    NonEmptyInterface,
    Pointer,
    UnsafePointer,
    Map,
    Chan,
    Func,
    EmptyStruct,
}

/// One word (or fixed-size part) of a value's representation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    /// The field name the runtime uses, where it has one.
    pub name: &'static str,
    /// What the part holds.
    pub role: &'static str,
    /// Size in bytes on the chosen architecture.
    pub size: u64,
}

impl Kind {
    /// Every kind, in the order the value table lists them.
    pub const ALL: [Kind; 26] = [
        Kind::Bool,
        Kind::Int8,
        Kind::Int16,
        Kind::Int32,
        Kind::Int64,
        Kind::Int,
        Kind::Uint8,
        Kind::Uint16,
        Kind::Uint32,
        Kind::Uint64,
        Kind::Uint,
        Kind::Uintptr,
        Kind::Float32,
        Kind::Float64,
        Kind::Complex64,
        Kind::Complex128,
        Kind::String,
        Kind::Slice,
        Kind::EmptyInterface,
        Kind::NonEmptyInterface,
        Kind::Pointer,
        Kind::UnsafePointer,
        Kind::Map,
        Kind::Chan,
        Kind::Func,
        Kind::EmptyStruct,
    ];

    /// How the kind is written in Go source (`T`, `K`, `V` stand for any type).
    pub const fn go_syntax(self) -> &'static str {
        match self {
            Kind::Bool => "bool",
            Kind::Int8 => "int8",
            Kind::Int16 => "int16",
            Kind::Int32 => "int32",
            Kind::Int64 => "int64",
            Kind::Int => "int",
            Kind::Uint8 => "uint8",
            Kind::Uint16 => "uint16",
            Kind::Uint32 => "uint32",
            Kind::Uint64 => "uint64",
            Kind::Uint => "uint",
            Kind::Uintptr => "uintptr",
            Kind::Float32 => "float32",
            Kind::Float64 => "float64",
            Kind::Complex64 => "complex64",
            Kind::Complex128 => "complex128",
            Kind::String => "string",
            Kind::Slice => "[]T",
            Kind::EmptyInterface => "any",
            Kind::NonEmptyInterface => "error",
            Kind::Pointer => "*T",
            Kind::UnsafePointer => "unsafe.Pointer",
            Kind::Map => "map[K]V",
            Kind::Chan => "chan T",
            Kind::Func => "func()",
            Kind::EmptyStruct => "struct{}",
        }
    }

    /// A stable identifier for URLs, JSON and the conformance tests.
    pub const fn id(self) -> &'static str {
        match self {
            Kind::Slice => "slice",
            Kind::EmptyInterface => "any",
            Kind::NonEmptyInterface => "iface",
            Kind::Pointer => "pointer",
            Kind::UnsafePointer => "unsafe.Pointer",
            Kind::Map => "map",
            Kind::Chan => "chan",
            Kind::Func => "func",
            Kind::EmptyStruct => "struct{}",
            other => other.go_syntax(),
        }
    }

    /// Other names Go gives the same type.
    pub const fn aliases(self) -> &'static str {
        match self {
            Kind::Uint8 => "byte",
            Kind::Int32 => "rune",
            Kind::EmptyInterface => "interface{}",
            _ => "",
        }
    }

    /// One line, in our words, on what the bytes mean.
    pub const fn note(self) -> &'static str {
        match self {
            Kind::Bool => "One byte: 0 or 1.",
            Kind::Int | Kind::Uint => "One machine word, so its size changes with GOARCH.",
            Kind::Uintptr => {
                "An integer wide enough for an address; the GC does not treat it as a pointer."
            }
            Kind::Int64 | Kind::Uint64 | Kind::Float64 => {
                "8 bytes everywhere, but only 4-aligned on 32-bit targets."
            }
            Kind::Complex64 => "Two float32 halves; aligned like one float32.",
            Kind::Complex128 => "Two float64 halves; aligned like one float64.",
            Kind::String => "A pointer to the bytes and a length; the bytes are never copied.",
            Kind::Slice => "Pointer to the backing array, length and capacity.",
            Kind::EmptyInterface => {
                "Two words (type, data): nil only when both are nil (runtime.eface)."
            }
            Kind::NonEmptyInterface => {
                "Two words (itab, data): the itab holds the method table (runtime.iface)."
            }
            Kind::Pointer | Kind::UnsafePointer => "One word holding an address the GC follows.",
            Kind::Map => "One pointer to the runtime's map header; copying a map shares it.",
            Kind::Chan => "One pointer to a runtime.hchan.",
            Kind::Func => "One pointer to a funcval: code pointer plus captured variables.",
            Kind::EmptyStruct => {
                "Zero bytes; map[K]struct{} is a set. Heap copies all share runtime.zerobase."
            }
            _ => "",
        }
    }

    /// Size in bytes of a basic kind; `None` for kinds built from words.
    ///
    /// Mirrors go/types/sizes.go `basicSizes` (go1.27).
    const fn basic_size(self) -> Option<u64> {
        match self {
            Kind::Bool | Kind::Int8 | Kind::Uint8 => Some(1),
            Kind::Int16 | Kind::Uint16 => Some(2),
            Kind::Int32 | Kind::Uint32 | Kind::Float32 => Some(4),
            Kind::Int64 | Kind::Uint64 | Kind::Float64 | Kind::Complex64 => Some(8),
            Kind::Complex128 => Some(16),
            _ => None,
        }
    }

    /// Size in bytes. Mirrors go/types/gcsizes.go `Sizeof` (go1.27).
    pub const fn size(self, arch: GoArch) -> u64 {
        let word = arch.sizes().word_size;
        if let Some(size) = self.basic_size() {
            return size;
        }
        match self {
            Kind::String | Kind::EmptyInterface | Kind::NonEmptyInterface => 2 * word,
            Kind::Slice => 3 * word,
            Kind::EmptyStruct => 0,
            // int, uint, uintptr, pointers, maps, chans, funcs: "catch-all".
            _ => word,
        }
    }

    /// Alignment in bytes. Mirrors go/types/gcsizes.go `Alignof` (go1.27):
    /// strings, slices and interfaces align to a word; anything else to its
    /// size, halved for complex numbers, capped at the maximum alignment and
    /// never below 1.
    pub const fn align(self, arch: GoArch) -> u64 {
        let ArchSizes {
            word_size,
            max_align,
        } = arch.sizes();
        if let Kind::String | Kind::Slice | Kind::EmptyInterface | Kind::NonEmptyInterface = self {
            return word_size;
        }
        let mut a = self.size(arch);
        if a < 1 {
            return 1;
        }
        if let Kind::Complex64 | Kind::Complex128 = self {
            a /= 2;
        }
        if a > max_align {
            max_align
        } else {
            a
        }
    }

    /// The parts a value is made of, named as the runtime names them
    /// (runtime/string.go `stringStruct`, runtime/slice.go `slice`,
    /// runtime/runtime2.go `eface` and `iface`).
    pub fn parts(self, arch: GoArch) -> &'static [Part] {
        let wide = arch.sizes().word_size == 8;
        macro_rules! words {
            ($($name:literal : $role:literal),*) => {
                if wide {
                    &[$(Part { name: $name, role: $role, size: 8 }),*]
                } else {
                    &[$(Part { name: $name, role: $role, size: 4 }),*]
                }
            };
        }
        match self {
            Kind::String => words!("str": "pointer to the bytes", "len": "length in bytes"),
            Kind::Slice => words!(
                "array": "pointer to the backing array",
                "len": "length",
                "cap": "capacity"
            ),
            Kind::EmptyInterface => words!(
                "_type": "dynamic type (*_type)",
                "data": "pointer to the value"
            ),
            Kind::NonEmptyInterface => words!(
                "tab": "method table (*itab)",
                "data": "pointer to the value"
            ),
            Kind::Pointer | Kind::UnsafePointer | Kind::Map | Kind::Chan | Kind::Func => {
                words!("": "address")
            }
            Kind::Int | Kind::Uint | Kind::Uintptr => words!("": "integer"),
            _ => &[],
        }
    }
}

/// Size and alignment of one type on one architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub size: u64,
    pub align: u64,
}

/// Size and alignment of `kind` on `arch`.
pub const fn layout(kind: Kind, arch: GoArch) -> Layout {
    Layout {
        size: kind.size(arch),
        align: kind.align(arch),
    }
}

/// Size, alignment and field offsets of `struct { f0 K0; f1 K1; ... }`.
///
/// Mirrors go/types/gcsizes.go `Offsetsof` and `Sizeof` for structs
/// (go1.27): each field at the next offset aligned for it, the struct aligned
/// like its most aligned field and padded to a multiple of that; a zero-size
/// last field after a non-empty prefix takes one byte, so that its address
/// never points past the struct.
pub fn struct_layout(fields: &[Kind], arch: GoArch) -> (Layout, Vec<u64>) {
    let mut offsets = Vec::with_capacity(fields.len());
    let mut offset = 0;
    let mut align = 1;
    for &kind in fields {
        let a = kind.align(arch);
        align = align.max(a);
        offset = align_up(offset, a);
        offsets.push(offset);
        offset += kind.size(arch);
    }
    let size = match (fields.last(), offsets.last()) {
        (Some(last), Some(&off)) => {
            let last_size = match last.size(arch) {
                0 if off > 0 => 1,
                s => s,
            };
            align_up(off + last_size, align)
        }
        _ => 0,
    };
    (Layout { size, align }, offsets)
}

/// Rounds `x` up to a multiple of `a` (a power of two, as every Go
/// alignment is).
pub const fn align_up(x: u64, a: u64) -> u64 {
    (x + a - 1) & !(a - 1)
}

/// One row of the value-representation table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueRow {
    pub kind: Kind,
    pub layout: Layout,
}

/// The whole value-representation table for one architecture.
pub fn value_table(arch: GoArch) -> impl Iterator<Item = ValueRow> {
    Kind::ALL.into_iter().map(move |kind| ValueRow {
        kind,
        layout: layout(kind, arch),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sa(kind: Kind, arch: GoArch) -> (u64, u64) {
        let l = layout(kind, arch);
        (l.size, l.align)
    }

    #[test]
    fn the_seed_table_holds_on_amd64() {
        use Kind::*;
        let a = GoArch::Amd64;
        assert_eq!(sa(Bool, a), (1, 1));
        assert_eq!(sa(Int8, a), (1, 1));
        assert_eq!(sa(Int32, a), (4, 4));
        assert_eq!(sa(Float32, a), (4, 4));
        assert_eq!(sa(Int, a), (8, 8));
        assert_eq!(sa(Int64, a), (8, 8));
        assert_eq!(sa(Pointer, a), (8, 8));
        assert_eq!(sa(Float64, a), (8, 8));
        assert_eq!(sa(String, a), (16, 8));
        assert_eq!(sa(Slice, a), (24, 8));
        assert_eq!(sa(EmptyInterface, a), (16, 8));
        assert_eq!(sa(EmptyStruct, a), (0, 1));
    }

    #[test]
    fn thirty_two_bit_targets_shrink_words_and_cap_alignment() {
        use Kind::*;
        for arch in [GoArch::I386, GoArch::Arm] {
            assert_eq!(sa(Int64, arch), (8, 4), "{arch}");
            assert_eq!(sa(Complex128, arch), (16, 4), "{arch}");
            assert_eq!(sa(String, arch), (8, 4), "{arch}");
            assert_eq!(sa(Slice, arch), (12, 4), "{arch}");
        }
        // amd64p32: 4-byte words, yet 8-byte alignment.
        assert_eq!(sa(Int64, GoArch::Amd64p32), (8, 8));
        assert_eq!(sa(Uintptr, GoArch::Amd64p32), (4, 4));
    }

    #[test]
    fn complex_numbers_align_like_their_halves() {
        assert_eq!(sa(Kind::Complex64, GoArch::Amd64), (8, 4));
        assert_eq!(sa(Kind::Complex128, GoArch::Wasm), (16, 8));
    }

    #[test]
    fn parts_add_up_to_the_size() {
        for arch in GoArch::ALL {
            for kind in Kind::ALL {
                let parts = kind.parts(arch);
                if !parts.is_empty() {
                    let sum: u64 = parts.iter().map(|p| p.size).sum();
                    assert_eq!(sum, kind.size(arch), "{kind:?} on {arch}");
                }
            }
        }
    }

    #[test]
    fn field_order_decides_padding() {
        use Kind::*;
        let (bad, offs) = struct_layout(&[Bool, Int64, Bool], GoArch::Amd64);
        assert_eq!((bad.size, offs.as_slice()), (24, &[0, 8, 16][..]));
        let (good, _) = struct_layout(&[Int64, Bool, Bool], GoArch::Amd64);
        assert_eq!(good.size, 16);
        assert_eq!(struct_layout(&[Bool, Int64, Bool], GoArch::I386).0.size, 16);
        assert_eq!(struct_layout(&[Int64, Bool, Bool], GoArch::I386).0.size, 12);
    }

    #[test]
    fn a_zero_size_last_field_takes_a_byte() {
        use Kind::*;
        assert_eq!(
            struct_layout(&[Int32, EmptyStruct], GoArch::Amd64).0.size,
            8
        );
        assert_eq!(
            struct_layout(&[Int64, EmptyStruct], GoArch::Amd64).0.size,
            16
        );
        assert_eq!(struct_layout(&[EmptyStruct], GoArch::Amd64).0.size, 0);
        assert_eq!(
            struct_layout(&[], GoArch::Amd64).0,
            Layout { size: 0, align: 1 }
        );
    }

    #[test]
    fn arch_names_round_trip() {
        for arch in GoArch::ALL {
            assert_eq!(GoArch::from_name(arch.name()), Some(arch));
        }
        assert_eq!(GoArch::from_name("i386"), None);
    }

    #[test]
    fn kind_ids_are_unique() {
        for (i, a) in Kind::ALL.iter().enumerate() {
            for b in &Kind::ALL[i + 1..] {
                assert_ne!(a.id(), b.id());
            }
        }
    }
}
