//! What the layout lab shows for each declared type: fields, padding, the
//! byte grid, the optimal order and the heap cost.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::compute::{layout_program, struct_fields_layout, NodeLayouts, TypeLayout};
use super::parser::SkipKind;
use super::types::{check, Field, Program, Type, TypeId};
use super::Error;
use crate::sizeclasses::{mallocgc_path, Allocation};
use crate::values::GoArch;

/// Where a piece of text sits in [`TypeReport::text`]: a struct of 1,000
/// fields keeps its names and types in one string, not 2,000 small ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextRange {
    start: u32,
    end: u32,
}

impl TextRange {
    fn push(text: &mut String, s: &str) -> TextRange {
        let start = text.len() as u32;
        text.push_str(s);
        TextRange {
            start,
            end: text.len() as u32,
        }
    }
}

/// One field of a struct, as it sits in memory. Its name and type are
/// read through [`TypeReport::field_name`] and [`TypeReport::field_type`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldReport {
    /// The field name; an embedded field is named after its type; `_` is
    /// blank.
    pub name: TextRange,
    /// The field's type as written.
    pub type_text: TextRange,
    pub embedded: bool,
    pub offset: u64,
    pub size: u64,
    pub align: u64,
    pub ptrdata: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaddingKind {
    /// Between two fields, so that the next one is aligned.
    Internal,
    /// After the last field: the size rounded up to the struct's alignment,
    /// plus the byte a zero-size last field takes (Go issue 9401).
    Trailing,
}

/// A run of padding bytes in a struct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaddingRun {
    pub offset: u64,
    pub len: u64,
    pub kind: PaddingKind,
    /// The index of the field the padding follows, if any.
    pub after_field: Option<usize>,
}

/// The order x/tools `fieldalignment` suggests, and what it saves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptimalOrder {
    /// Field indices, in the suggested order. When `improves` is false this
    /// is the current order.
    pub order: Vec<usize>,
    pub layout: TypeLayout,
    /// Whether the order is smaller, or as small with fewer pointer bytes:
    /// exactly when fieldalignment would report the struct.
    pub improves: bool,
    pub bytes_saved: u64,
    pub pointer_bytes_saved: u64,
}

/// Everything the lab shows for one declared type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeReport {
    pub name: String,
    /// Where the name is declared (1-based line and column).
    pub line: u32,
    pub col: u32,
    /// "struct", "array" or the kind of the type (`int64`, `pointer`, ...).
    pub kind: &'static str,
    pub layout: TypeLayout,
    /// The fields, when the type is a struct.
    pub fields: Vec<FieldReport>,
    pub padding: Vec<PaddingRun>,
    /// `None` unless the type is a struct with fields.
    pub optimal: Option<OptimalOrder>,
    /// What `new(T)` costs on the heap.
    pub heap: Allocation,
    /// The fields' names and types, end to end.
    pub text: String,
}

impl TypeReport {
    /// Field `f`'s name (an embedded field's is its type name; `_` blank).
    pub fn field_name(&self, f: &FieldReport) -> &str {
        &self.text[f.name.start as usize..f.name.end as usize]
    }

    /// Field `f`'s type, as written.
    pub fn field_type(&self, f: &FieldReport) -> &str {
        &self.text[f.type_text.start as usize..f.type_text.end as usize]
    }

    pub fn padding_bytes(&self, kind: PaddingKind) -> u64 {
        self.padding
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.len)
            .sum()
    }

    /// The field names in the optimal order (the current order when it
    /// cannot be improved).
    pub fn optimal_field_names(&self) -> Vec<&str> {
        match &self.optimal {
            Some(o) => o
                .order
                .iter()
                .map(|&i| self.field_name(&self.fields[i]))
                .collect(),
            None => self.fields.iter().map(|f| self.field_name(f)).collect(),
        }
    }
}

/// A declaration the lab read but did not lay out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub kind: SkippedKind,
    /// The declared name (empty for `var`).
    pub name: String,
    /// Where the declaration starts (1-based line and column).
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkippedKind {
    /// `var`, `func` and method declarations declare no types.
    Var,
    Func,
    Method,
    /// A type with type parameters: its layout depends on its arguments.
    Generic,
    /// A constraint interface: it constrains type parameters, no value
    /// has it.
    Constraint,
    /// A type that needs the size of something the lab cannot lay out.
    Type(String),
}

/// A checked program laid out for one GOARCH, with a report per type the
/// user declared. Cheap to clone; a UI can keep the last good one on screen
/// while the input is being fixed.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub arch: GoArch,
    pub program: Program,
    pub nodes: NodeLayouts,
    /// One report per declared type the lab lays out, in source order.
    pub types: Vec<TypeReport>,
    /// What it read past, in source order.
    pub skipped: Vec<Skipped>,
}

/// "a", "a and b", "a, b and c".
fn join_and(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Parses, checks and lays out `src` for `arch`.
pub fn analyze(src: &str, arch: GoArch) -> Result<Analysis, Error> {
    Analysis::new(check(src)?, arch)
}

impl Analysis {
    /// Lays out an already checked program, e.g. when only GOARCH changed.
    pub fn new(program: Program, arch: GoArch) -> Result<Analysis, Error> {
        let nodes = layout_program(&program, arch)?;
        let mut types = Vec::new();
        let lines = super::LineIndex::new(&program.src);
        for (_, decl) in program.user_decls() {
            let node_id = decl.underlying;
            let layout = nodes.layouts[node_id as usize].unwrap_or_default();
            let (line, col) = lines.line_col(decl.name_span.start);
            let struct_id = resolve_struct(&program, node_id);
            let mut text = String::new();
            let (fields, padding, optimal) = match struct_id {
                Some(id) => struct_report(&program, &nodes, id, layout, arch, &mut text),
                None => (Vec::new(), Vec::new(), None),
            };
            types.push(TypeReport {
                name: decl.name.clone(),
                line,
                col,
                kind: kind_name(&program, node_id),
                layout,
                fields,
                padding,
                optimal,
                text,
                heap: mallocgc_path(layout.size, layout.ptrdata > 0, arch),
            });
        }
        let mut skipped: Vec<(u32, Skipped)> = Vec::new();
        for d in &program.file.skipped {
            let (line, col) = lines.line_col(d.span.start);
            let kind = match d.kind {
                SkipKind::Var => SkippedKind::Var,
                SkipKind::Func => SkippedKind::Func,
                SkipKind::Method => SkippedKind::Method,
                SkipKind::Generic => SkippedKind::Generic,
                SkipKind::Constraint => SkippedKind::Constraint,
            };
            let name = d.name.text(&program.src).into();
            skipped.push((
                d.span.start,
                Skipped {
                    kind,
                    name,
                    line,
                    col,
                },
            ));
        }
        for (decl, why) in program.skipped_decls() {
            let (line, col) = lines.line_col(decl.name_span.start);
            let kind = SkippedKind::Type(why.into());
            let name = decl.name.clone();
            skipped.push((
                decl.name_span.start,
                Skipped {
                    kind,
                    name,
                    line,
                    col,
                },
            ));
        }
        skipped.sort_by_key(|s| s.0);
        Ok(Analysis {
            arch,
            program,
            nodes,
            types,
            skipped: skipped.into_iter().map(|s| s.1).collect(),
        })
    }

    /// What the lab read past, in one line: the declarations that declare
    /// no type counted by kind, then each type not laid out with why.
    /// `None` when it laid out everything.
    pub fn skipped_summary(&self) -> Option<String> {
        if self.skipped.is_empty() {
            return None;
        }
        let count = |k: SkippedKind| self.skipped.iter().filter(|s| s.kind == k).count();
        let mut parts: Vec<String> = Vec::new();
        let plural = |n: usize, one: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {one}s")
            }
        };
        let kinds = [
            (count(SkippedKind::Var), "var declaration"),
            (count(SkippedKind::Func), "function"),
            (count(SkippedKind::Method), "method"),
        ];
        let words: Vec<String> = kinds
            .iter()
            .filter(|k| k.0 > 0)
            .map(|&(n, one)| plural(n, one))
            .collect();
        if !words.is_empty() {
            parts.push(format!("{} (they declare no types)", join_and(&words)));
        }
        for s in &self.skipped {
            match &s.kind {
                SkippedKind::Generic => parts.push(format!(
                    "generic type {} (line {}: its layout depends on its type arguments)",
                    s.name, s.line
                )),
                SkippedKind::Constraint => parts.push(format!(
                    "constraint {} (line {}: only type parameters use it; no value has this type)",
                    s.name, s.line
                )),
                SkippedKind::Type(why) => {
                    parts.push(format!("type {} (line {}: {why})", s.name, s.line));
                }
                _ => {}
            }
        }
        Some(format!("Skipped: {}.", parts.join("; ")))
    }

    /// The report for the type called `name`.
    pub fn get(&self, name: &str) -> Option<&TypeReport> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The bytes of type `index`, 8 a row, each tagged as data, pointer or
    /// padding and with the top-level field it belongs to. At most
    /// `max_bytes` bytes are classified (`truncated` says if more exist).
    pub fn byte_grid(&self, index: usize, max_bytes: u64) -> ByteGrid {
        let Some(report) = self.types.get(index) else {
            return ByteGrid::default();
        };
        let decls: Vec<_> = self.program.user_decls().map(|(_, d)| d).collect();
        let root = decls[index].underlying;
        let size = report.layout.size;
        let shown = size.min(max_bytes);
        let end_of_fields = report
            .padding
            .iter()
            .find(|p| p.kind == PaddingKind::Trailing)
            .map_or(size, |p| p.offset);
        let struct_id = resolve_struct(&self.program, root);
        let mut rows: Vec<Vec<GridByte>> = Vec::new();
        for offset in 0..shown {
            let (kind, field) = match struct_id {
                Some(_) => match field_at(&report.fields, offset) {
                    Some(i) => {
                        let f = &report.fields[i];
                        let kind = self
                            .classify(field_type(&self.program, struct_id, i), offset - f.offset);
                        (kind, Some(i as u32))
                    }
                    None if offset >= end_of_fields => (ByteKind::TrailingPadding, None),
                    None => (ByteKind::InternalPadding, None),
                },
                None => (self.classify(Some(root), offset), None),
            };
            if offset % 8 == 0 {
                rows.push(Vec::with_capacity(8));
            }
            if let Some(row) = rows.last_mut() {
                row.push(GridByte {
                    offset,
                    kind,
                    field,
                });
            }
        }
        ByteGrid {
            rows,
            size,
            truncated: shown < size,
        }
    }

    /// What the byte at `offset` of type `id` holds. Walks down one level a
    /// step (no recursion), so a long chain of named types costs no stack.
    fn classify(&self, id: Option<TypeId>, mut offset: u64) -> ByteKind {
        let Some(mut id) = id else {
            return ByteKind::Data;
        };
        let w = self.arch.sizes().word_size;
        for _ in 0..=self.program.nodes.len() {
            let Some(node) = self.program.nodes.get(id as usize) else {
                return ByteKind::Data;
            };
            match &node.ty {
                &Type::Basic(k) => {
                    let ptr = super::compute::kind_ptrdata(k, self.arch);
                    return if offset < ptr && ptr > 0 && (offset / w) * w < ptr {
                        ByteKind::Pointer
                    } else {
                        ByteKind::Data
                    };
                }
                Type::Align64 | Type::Missing => return ByteKind::Data,
                &Type::Named(d) => id = self.program.decls[d as usize].underlying,
                &Type::Array { elem, .. } => {
                    let es = self.nodes.layouts[elem as usize].map_or(0, |l| l.size);
                    if es == 0 {
                        return ByteKind::Data;
                    }
                    offset %= es;
                    id = elem;
                }
                Type::Struct { fields } => {
                    let offs = &self.nodes.offsets[id as usize];
                    let i = offs.partition_point(|&o| o <= offset);
                    let Some(i) = i.checked_sub(1) else {
                        return ByteKind::InternalPadding;
                    };
                    let f: &Field = &fields[i];
                    let fs = self.nodes.layouts[f.ty as usize].map_or(0, |l| l.size);
                    if offset >= offs[i] + fs {
                        return ByteKind::InternalPadding;
                    }
                    offset -= offs[i];
                    id = f.ty;
                }
            }
        }
        ByteKind::Data
    }
}

/// What one byte of a value holds, for drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteKind {
    /// Non-pointer data.
    Data,
    /// Part of a word the GC treats as a pointer.
    Pointer,
    /// Padding between fields (also padding inside a field's own struct
    /// type, then `field` says which field).
    InternalPadding,
    /// Padding after the last field.
    TrailingPadding,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GridByte {
    pub offset: u64,
    pub kind: ByteKind,
    /// The top-level field the byte belongs to.
    pub field: Option<u32>,
}

/// A value's bytes, 8 a row (the last row may be shorter).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ByteGrid {
    pub rows: Vec<Vec<GridByte>>,
    pub size: u64,
    pub truncated: bool,
}

/// The struct node a type's layout comes from, following defined types.
fn resolve_struct(program: &Program, mut id: TypeId) -> Option<TypeId> {
    for _ in 0..=program.decls.len() {
        match program.nodes.get(id as usize)?.ty {
            Type::Struct { .. } => return Some(id),
            Type::Named(d) => id = program.decls[d as usize].underlying,
            _ => return None,
        }
    }
    None
}

fn field_type(program: &Program, struct_id: Option<TypeId>, i: usize) -> Option<TypeId> {
    match &program.nodes.get(struct_id? as usize)?.ty {
        Type::Struct { fields } => fields.get(i).map(|f| f.ty),
        _ => None,
    }
}

/// The field whose bytes include `offset` (zero-size fields have none).
fn field_at(fields: &[FieldReport], offset: u64) -> Option<usize> {
    let i = fields
        .partition_point(|f| f.offset <= offset)
        .checked_sub(1)?;
    (offset < fields[i].offset + fields[i].size).then_some(i)
}

fn kind_name(program: &Program, id: TypeId) -> &'static str {
    let mut id = id;
    for _ in 0..=program.decls.len() {
        match program.nodes.get(id as usize).map(|n| &n.ty) {
            Some(Type::Struct { .. }) => return "struct",
            Some(Type::Array { .. }) => return "array",
            Some(&Type::Basic(k)) => return k.id(),
            Some(&Type::Named(d)) => id = program.decls[d as usize].underlying,
            Some(Type::Align64 | Type::Missing) | None => break,
        }
    }
    "struct"
}

type StructParts = (Vec<FieldReport>, Vec<PaddingRun>, Option<OptimalOrder>);

fn struct_report(
    program: &Program,
    nodes: &NodeLayouts,
    id: TypeId,
    layout: TypeLayout,
    arch: GoArch,
    text: &mut String,
) -> StructParts {
    let node = &program.nodes[id as usize];
    let Type::Struct { fields } = &node.ty else {
        return (Vec::new(), Vec::new(), None);
    };
    let offsets = &nodes.offsets[id as usize];
    let text_len: usize = fields
        .iter()
        .map(|f| {
            let fnode = &program.nodes[f.ty as usize];
            program.field_name(node, f).len() + program.text(fnode.source, fnode.span).len()
        })
        .sum();
    text.reserve(text_len);
    let reports: Vec<FieldReport> = fields
        .iter()
        .zip(offsets)
        .map(|(f, &offset)| {
            let l = nodes.layouts[f.ty as usize].unwrap_or_default();
            let fnode = &program.nodes[f.ty as usize];
            FieldReport {
                name: TextRange::push(text, program.field_name(node, f)),
                type_text: TextRange::push(text, program.text(fnode.source, fnode.span)),
                embedded: f.embedded,
                offset,
                size: l.size,
                align: l.align,
                ptrdata: l.ptrdata,
            }
        })
        .collect();
    let mut padding = Vec::new();
    let mut end = 0;
    for (i, f) in reports.iter().enumerate() {
        if f.offset > end {
            padding.push(PaddingRun {
                offset: end,
                len: f.offset - end,
                kind: PaddingKind::Internal,
                after_field: i.checked_sub(1),
            });
        }
        end = end.max(f.offset + f.size);
    }
    if layout.size > end {
        padding.push(PaddingRun {
            offset: end,
            len: layout.size - end,
            kind: PaddingKind::Trailing,
            after_field: reports.len().checked_sub(1),
        });
    }
    let optimal = (!reports.is_empty()).then(|| optimal_order(&reports, layout, arch));
    (reports, padding, optimal)
}

/// The order x/tools go/analysis/passes/fieldalignment `optimalOrder`
/// suggests (x/tools at 8f0f8c7, 2026): "place zero sized objects before
/// non-zero sized objects", then "more tightly aligned objects before less
/// tightly aligned objects", then "pointerful objects before pointer-free
/// objects", then, among pointerful ones, "objects with less trailing
/// non-pointer bytes earlier", and lastly larger before smaller.
///
/// Two deliberate differences: fieldalignment uses `sort.Slice`, which is
/// not stable, where this keeps tied fields in source order (tied fields
/// have the same size, alignment and pointer bytes, so only their names can
/// move); and it uses the compiler's sizes (`complex64` 4-aligned,
/// `atomic.Int64` 8-aligned on 32-bit), where the analyzer's own `gcSizes`
/// would align complex64 to 8 and does not know `align64`.
pub fn optimal_order(fields: &[FieldReport], current: TypeLayout, arch: GoArch) -> OptimalOrder {
    let mut order: Vec<usize> = (0..fields.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&fields[i], &fields[j]);
        (b.size == 0)
            .cmp(&(a.size == 0))
            .then(b.align.cmp(&a.align))
            .then((a.ptrdata == 0).cmp(&(b.ptrdata == 0)))
            .then(if a.ptrdata != 0 && b.ptrdata != 0 {
                (a.size - a.ptrdata).cmp(&(b.size - b.ptrdata))
            } else {
                core::cmp::Ordering::Equal
            })
            .then(b.size.cmp(&a.size))
    });
    let mut offsets = Vec::new();
    let layout = struct_fields_layout(
        order.iter().map(|&i| TypeLayout {
            size: fields[i].size,
            align: fields[i].align,
            ptrdata: fields[i].ptrdata,
        }),
        1,
        arch,
        &mut offsets,
    )
    .unwrap_or(current);
    let improves = layout.size < current.size
        || (layout.size == current.size && layout.ptrdata < current.ptrdata);
    if !improves {
        return OptimalOrder {
            order: (0..fields.len()).collect(),
            layout: current,
            improves: false,
            bytes_saved: 0,
            pointer_bytes_saved: 0,
        };
    }
    OptimalOrder {
        order,
        layout,
        improves,
        bytes_saved: current.size - layout.size,
        pointer_bytes_saved: current.ptrdata.saturating_sub(layout.ptrdata),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sizeclasses::AllocPath;

    fn lab(src: &str, arch: GoArch) -> Analysis {
        analyze(src, arch).unwrap_or_else(|e| panic!("{e}"))
    }

    fn offsets(r: &TypeReport) -> Vec<u64> {
        r.fields.iter().map(|f| f.offset).collect()
    }

    #[test]
    fn bool_int64_bool_pads_twice_and_reorders_to_16() {
        let a = lab("type T struct { a bool; b int64; c bool }", GoArch::Amd64);
        let t = a.get("T").unwrap();
        assert_eq!((t.layout.size, t.layout.align), (24, 8));
        assert_eq!(offsets(t), [0, 8, 16]);
        assert_eq!(t.padding_bytes(PaddingKind::Internal), 7);
        assert_eq!(t.padding_bytes(PaddingKind::Trailing), 7);
        let o = t.optimal.as_ref().unwrap();
        assert!(o.improves);
        assert_eq!(t.optimal_field_names(), ["b", "a", "c"]);
        assert_eq!((o.layout.size, o.bytes_saved), (16, 8));
        let on_386 = lab("type T struct { a bool; b int64; c bool }", GoArch::I386);
        assert_eq!(on_386.types[0].layout.size, 16);
        assert_eq!(on_386.types[0].optimal.as_ref().unwrap().layout.size, 12);
    }

    #[test]
    fn atomic_int64_is_8_aligned_even_on_386() {
        let src = "import \"sync/atomic\"\ntype T struct { a bool; n atomic.Int64; u uint64 }";
        let t = lab(src, GoArch::I386).types[0].clone();
        assert_eq!(offsets(&t), [0, 8, 16]);
        assert_eq!((t.layout.size, t.layout.align), (24, 8));
        let plain = lab("type T struct { a bool; n int64 }", GoArch::I386);
        assert_eq!(offsets(&plain.types[0]), [0, 4]);
    }

    #[test]
    fn a_zero_size_last_field_gets_a_trailing_byte() {
        let t = lab("type T struct { a int32; z struct{} }", GoArch::Amd64).types[0].clone();
        assert_eq!(t.layout.size, 8);
        assert_eq!(
            t.padding,
            [PaddingRun {
                offset: 4,
                len: 4,
                kind: PaddingKind::Trailing,
                after_field: Some(1)
            }]
        );
        // fieldalignment moves the zero-size field first: 4 bytes saved.
        assert_eq!(t.optimal_field_names(), ["z", "a"]);
        assert_eq!(t.optimal.unwrap().layout.size, 4);
    }

    #[test]
    fn ptrdata_counts_to_the_last_pointer_word() {
        let a = lab(
            "type T struct { n int64; s string; m map[string]int; x [3]int32; p *T }",
            GoArch::Amd64,
        );
        let t = a.get("T").unwrap();
        // The last pointer is p at 48: ptrdata runs to its end.
        assert_eq!(t.layout.ptrdata, 56);
        let a = lab("type A [4]struct{ p *int; n int64 }", GoArch::Amd64);
        assert_eq!(a.types[0].layout.ptrdata, 3 * 16 + 8);
        assert_eq!(a.types[0].kind, "array");
    }

    #[test]
    fn names_constants_and_nesting_resolve() {
        let src = "package p
const (
    K = 1 << iota
    L
    N = L * 3 // 6
)
type Inner struct { x, y int16 }
type Outer struct {
    Inner
    *Other
    _    [N]byte
    arr  [K + 1]Inner `json:\"a\"`
    f    func(a, b int) (string, error)
    i    interface{ M(x Inner) int; error }
    ch   <-chan *Outer
}
type Other = Inner
";
        let a = lab(src, GoArch::Amd64);
        let o = a.get("Outer").unwrap();
        let names: Vec<&str> = o.fields.iter().map(|f| o.field_name(f)).collect();
        assert_eq!(names, ["Inner", "Other", "_", "arr", "f", "i", "ch"]);
        assert_eq!(o.fields[2].size, 6);
        assert_eq!(o.fields[3].size, 8);
        assert_eq!(o.field_type(&o.fields[3]), "[K + 1]Inner");
        assert_eq!(offsets(o), [0, 8, 16, 22, 32, 40, 56]);
    }

    #[test]
    fn the_heap_cost_follows_mallocgc() {
        let a = lab(
            "type T struct { a [3]int64; p *int }\ntype S [10]byte",
            GoArch::Amd64,
        );
        let t = a.get("T").unwrap();
        assert_eq!(
            (t.heap.path, t.heap.class(), t.heap.has_header()),
            (AllocPath::Small, 4, false)
        );
        assert_eq!(t.heap.waste, 0);
        assert_eq!(a.get("S").unwrap().heap.path, AllocPath::Tiny);
    }

    #[test]
    fn the_grid_tells_pointers_from_padding() {
        let a = lab("type T struct { b bool; s string; c bool }", GoArch::Amd64);
        let g = a.byte_grid(0, 1 << 20);
        assert_eq!(g.rows.len(), 4);
        let kinds: Vec<ByteKind> = g.rows.iter().map(|r| r[0].kind).collect();
        use ByteKind::*;
        assert_eq!(kinds, [Data, Pointer, Data, Data]);
        assert_eq!(g.rows[0][1].kind, InternalPadding);
        assert_eq!(g.rows[3][1].kind, TrailingPadding);
        assert_eq!(g.rows[1][0].field, Some(1));
        // Padding inside a nested struct is internal padding of that field.
        let a = lab(
            "type T struct { in struct{ a bool; b int32 } }",
            GoArch::Amd64,
        );
        let g = a.byte_grid(0, 64);
        assert_eq!(
            g.rows[0][1],
            GridByte {
                offset: 1,
                kind: InternalPadding,
                field: Some(0)
            }
        );
        let big = lab("type B [1 << 30]*int", GoArch::Amd64);
        let g = big.byte_grid(0, 16);
        assert!(g.truncated);
        assert_eq!(g.rows.len(), 2);
        assert_eq!(g.rows[1][7].kind, Pointer);
    }
}
