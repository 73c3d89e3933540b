//! Sizes, alignments, offsets and pointer bytes for one GOARCH.
//!
//! Mirrors cmd/compile/internal/types/size.go (go1.27): `CalcSize`,
//! `CalcStructSize`, `calcStructOffset`, `CalcArraySize` and the `ptrBytes`
//! each of them records (`PtrDataSize`), which go/types' gcsizes.go agrees
//! with for sizes, alignments and offsets.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::types::{Program, Type, TypeId};
use super::Error;
use crate::values::{align_up, GoArch, Kind};

/// The three numbers the compiler keeps for every type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TypeLayout {
    pub size: u64,
    pub align: u64,
    /// The prefix of the type the GC must scan: the end of its last pointer
    /// word (cmd/compile `PtrDataSize`, internal/abi `Type.PtrBytes`).
    pub ptrdata: u64,
}

/// The layout of every sized node of a program.
#[derive(Clone, Debug)]
pub struct NodeLayouts {
    pub arch: GoArch,
    pub layouts: Vec<Option<TypeLayout>>,
    /// Field offsets of each struct node (empty for the others).
    pub offsets: Vec<Vec<u64>>,
}

/// The pointer bytes of a kind made of words: the data pointer of a string
/// or slice, both words of an interface, the one word of a pointer, map,
/// chan or func. Mirrors the `t.ptrBytes = ...` lines of `CalcSize`.
pub const fn kind_ptrdata(kind: Kind, arch: GoArch) -> u64 {
    let w = arch.sizes().word_size;
    match kind {
        Kind::String | Kind::Slice => w,
        Kind::EmptyInterface | Kind::NonEmptyInterface => 2 * w,
        Kind::Pointer | Kind::UnsafePointer | Kind::Map | Kind::Chan | Kind::Func => w,
        _ => 0,
    }
}

/// Lays out fields in the given order.
///
/// Mirrors cmd/compile `CalcStructSize` and `calcStructOffset` (go1.27):
/// "offset = RoundUp(offset, int64(f.Type.align))"; then "for non-zero-sized
/// structs which end in a zero-sized field, we add an extra byte of
/// padding" (issue 9401); the alignment is the largest field alignment and
/// "final size includes trailing padding". `ptrBytes` is the offset of the
/// last field with pointers plus that field's own pointer bytes. Returns
/// `None` when the fields overflow `maxwidth` ("type %L too large").
pub fn struct_fields_layout(
    fields: impl IntoIterator<Item = TypeLayout>,
    max_align: u64,
    arch: GoArch,
    offsets: &mut Vec<u64>,
) -> Option<TypeLayout> {
    // "On 32-bit systems, reflect tables impose an additional constraint
    // that each field start offset must fit in 31 bits."
    let mut max_width = arch.max_width();
    if max_width < 1 << 32 {
        max_width = (1 << 31) - 1;
    }
    let mut offset = 0u64;
    let mut align = max_align;
    let mut ptrdata = 0;
    let mut last_size = None;
    for f in fields {
        offset = align_up(offset, f.align);
        offsets.push(offset);
        if f.ptrdata > 0 {
            ptrdata = offset + f.ptrdata;
        }
        offset += f.size;
        if offset >= max_width {
            return None;
        }
        align = align.max(f.align);
        last_size = Some(f.size);
    }
    if offset > 0 && last_size == Some(0) {
        offset += 1;
    }
    Some(TypeLayout {
        size: align_up(offset, align),
        align,
        ptrdata,
    })
}

/// Lays out every sized node of `program` for `arch`, declarations in
/// dependency order.
pub fn layout_program(program: &Program, arch: GoArch) -> Result<NodeLayouts, Error> {
    let n = program.nodes.len();
    let mut out = NodeLayouts {
        arch,
        layouts: alloc::vec![None; n],
        offsets: alloc::vec![Vec::new(); n],
    };
    for &d in &program.order {
        let decl = &program.decls[d as usize];
        if decl.skip.is_some() {
            continue;
        }
        for id in decl.nodes.0..decl.nodes.1 {
            if program.nodes[id as usize].sized {
                let l = layout_node(program, &mut out, id)?;
                out.layouts[id as usize] = Some(l);
            }
        }
    }
    Ok(out)
}

fn get(out: &NodeLayouts, id: TypeId) -> TypeLayout {
    out.layouts
        .get(id as usize)
        .copied()
        .flatten()
        .unwrap_or_default()
}

fn layout_node(program: &Program, out: &mut NodeLayouts, id: TypeId) -> Result<TypeLayout, Error> {
    let arch = out.arch;
    let node = &program.nodes[id as usize];
    let too_large = |what: String| Error::at(&program.src, node.span.start, what);
    let type_text = || String::from(program.text(node.source, node.span));
    let l = match &node.ty {
        &Type::Basic(k) => TypeLayout {
            size: k.size(arch),
            align: k.align(arch),
            ptrdata: kind_ptrdata(k, arch),
        },
        Type::Align64 => TypeLayout {
            size: 0,
            align: 8,
            ptrdata: 0,
        },
        &Type::Named(d) => get(out, program.decls[d as usize].underlying),
        // Only in a skipped declaration, or where no size is needed.
        Type::Missing => TypeLayout::default(),
        &Type::Array { len, elem } => {
            let e = get(out, elem);
            // types2 arrayLength: the length must be representable as an int.
            let int_max: u128 = if arch.sizes().word_size == 4 {
                i32::MAX as u128
            } else {
                i64::MAX as u128
            };
            if len > int_max {
                return Err(too_large(format!(
                    "invalid array length {} (untyped int constant {len})",
                    array_len_text(program, id)
                )));
            }
            let len = len as u64;
            // CalcArraySize: "if uint64(n) > cap { type %L larger than address space }"
            if e.size != 0 && len > (arch.max_width() - 1) / e.size {
                return Err(too_large(format!(
                    "type {} larger than address space",
                    type_text()
                )));
            }
            TypeLayout {
                size: e.size * len,
                align: e.align,
                // "t.ptrBytes = elem.width*(n-1) + x" when n > 0 and the
                // element has pointers.
                ptrdata: if len > 0 && e.ptrdata > 0 {
                    e.size * (len - 1) + e.ptrdata
                } else {
                    0
                },
            }
        }
        Type::Struct { fields } => {
            let mut offsets = Vec::with_capacity(fields.len());
            let layouts = fields.iter().map(|f| get(out, f.ty));
            let l = struct_fields_layout(layouts, 1, arch, &mut offsets)
                .ok_or_else(|| too_large(format!("type {} too large", type_text())))?;
            out.offsets[id as usize] = offsets;
            l
        }
    };
    // CalcSize: "if PtrSize == 4 && w != int64(int32(w)) { type %v too large }"
    if arch.sizes().word_size == 4 && l.size > i32::MAX as u64 {
        return Err(too_large(format!("type {} too large", type_text())));
    }
    Ok(l)
}

fn array_len_text(program: &Program, id: TypeId) -> String {
    let node = &program.nodes[id as usize];
    let text = program.text(node.source, node.span);
    // `[N]T`: the length is between the first '[' and its ']'.
    text.get(1..)
        .and_then(|t| t.split(']').next())
        .unwrap_or("")
        .trim()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(ks: &[Kind], arch: GoArch) -> (TypeLayout, Vec<u64>) {
        let mut offs = Vec::new();
        let l = struct_fields_layout(
            ks.iter().map(|&k| TypeLayout {
                size: k.size(arch),
                align: k.align(arch),
                ptrdata: kind_ptrdata(k, arch),
            }),
            1,
            arch,
            &mut offs,
        )
        .unwrap();
        (l, offs)
    }

    #[test]
    fn agrees_with_the_value_table_struct_layout() {
        use Kind::*;
        for arch in GoArch::ALL {
            for shape in [
                &[Bool, Int64, Bool][..],
                &[Int32, EmptyStruct],
                &[EmptyStruct],
                &[Uint8, String, Uint16, Slice, Bool, EmptyInterface],
            ] {
                let (l, offs) = kinds(shape, arch);
                let (v, voffs) = crate::values::struct_layout(shape, arch);
                assert_eq!((l.size, l.align, offs), (v.size, v.align, voffs), "{arch}");
            }
        }
    }

    #[test]
    fn ptrdata_ends_at_the_last_pointer_word() {
        use Kind::*;
        let a = GoArch::Amd64;
        // The doc of fieldalignment: struct { uint32; string } has 16.
        assert_eq!(kinds(&[Uint32, String], a).0.ptrdata, 16);
        assert_eq!(kinds(&[String, Pointer], a).0.ptrdata, 24);
        assert_eq!(kinds(&[String, Uint32], a).0.ptrdata, 8);
        assert_eq!(kinds(&[Int64, Bool], a).0.ptrdata, 0);
        // An interface's two words are both pointers; a slice's first only.
        assert_eq!(kinds(&[Bool, EmptyInterface], a).0.ptrdata, 24);
        assert_eq!(kinds(&[Slice, Int8], a).0.ptrdata, 8);
    }
}
