//! From syntax to types: names resolved, constants evaluated, recursive
//! types found.
//!
//! Mirrors what go/types (types2 for the compiler) does before it asks for
//! sizes (go1.27): `typexpr.go` resolves names and array lengths
//! (`arrayLength`), `validtype.go` rejects a type that contains itself
//! without an indirection ("invalid recursive type"). The arena it builds is
//! arch-independent; `compute.rs` lays it out for one GOARCH.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::parser::{parse, ExprKind, File, SkipKind, Span, TypeExpr, TypeExprKind};
use super::Error;
use crate::values::Kind;

/// An index into [`Program::nodes`].
pub type TypeId = u32;

/// Which text a span points into: the user's, or one of the built-in
/// package sources below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    User,
    Atomic,
    Sync,
    Time,
    Strings,
    Bytes,
    Context,
}

/// A standard-library package the lab knows: its import path, the name
/// its declarations are qualified with, and their source.
#[derive(Debug)]
pub struct Builtin {
    pub source: Source,
    pub path: &'static str,
    pub name: &'static str,
    pub text: &'static str,
}

/// The packages the lab knows, in the order they are declared (each after
/// the ones it uses).
pub const BUILTINS: [Builtin; 6] = [
    Builtin {
        source: Source::Atomic,
        path: "sync/atomic",
        name: "atomic",
        text: ATOMIC_SOURCE,
    },
    Builtin {
        source: Source::Sync,
        path: "sync",
        name: "sync",
        text: SYNC_SOURCE,
    },
    Builtin {
        source: Source::Time,
        path: "time",
        name: "time",
        text: TIME_SOURCE,
    },
    Builtin {
        source: Source::Strings,
        path: "strings",
        name: "strings",
        text: STRINGS_SOURCE,
    },
    Builtin {
        source: Source::Bytes,
        path: "bytes",
        name: "bytes",
        text: BYTES_SOURCE,
    },
    Builtin {
        source: Source::Context,
        path: "context",
        name: "context",
        text: CONTEXT_SOURCE,
    },
];

/// The text of a built-in package, or `None` for the user's.
fn builtin_text(source: Source) -> Option<&'static str> {
    BUILTINS.iter().find(|b| b.source == source).map(|b| b.text)
}

/// time's two everyday types as go1.27 declares them (time/time.go):
/// `Time` is a wall clock word, a monotonic reading and a `*Location`
/// (which the lab does not lay out: only pointed at).
pub const TIME_SOURCE: &str = "package time
type Duration int64
type Time struct { wall uint64; ext int64; loc *Location }
";

/// strings.Builder as go1.27 declares it (strings/builder.go).
pub const STRINGS_SOURCE: &str = "package strings
type Builder struct { addr *Builder; buf []byte }
";

/// bytes.Buffer as go1.27 declares it (bytes/buffer.go).
pub const BYTES_SOURCE: &str = "package bytes
type readOp int8
type Buffer struct { buf []byte; off int; lastRead readOp }
";

/// context.Context as go1.27 declares it (context/context.go): an
/// interface, two words whatever its methods.
pub const CONTEXT_SOURCE: &str = "package context
type Context interface { Deadline() (deadline time.Time, ok bool); Done() <-chan struct{}; Err() error; Value(key any) any }
";

/// sync/atomic's types as go1.27 declares them (sync/atomic/type.go and
/// value.go), type parameters dropped: `Pointer[T]` is laid out the same for
/// every T (its `_ [0]*T` takes no room).
pub const ATOMIC_SOURCE: &str = "package atomic
type noCopy struct{}
type align64 struct{}
type Bool struct { _ noCopy; v uint32 }
type Pointer struct { _ [0]*byte; _ noCopy; v unsafe.Pointer }
type Int32 struct { _ noCopy; v int32 }
type Int64 struct { _ noCopy; _ align64; v int64 }
type Uint32 struct { _ noCopy; v uint32 }
type Uint64 struct { _ noCopy; _ align64; v uint64 }
type Uintptr struct { _ noCopy; v uintptr }
type Value struct { v any }
";

/// sync's lock types as go1.27 declares them (sync/mutex.go, rwmutex.go,
/// waitgroup.go, once.go; `isync.Mutex` is internal/sync's two words).
pub const SYNC_SOURCE: &str = "package sync
type noCopy struct{}
type Mutex struct { _ noCopy; mu struct { state int32; sema uint32 } }
type RWMutex struct { w Mutex; writerSem uint32; readerSem uint32; readerCount atomic.Int32; readerWait atomic.Int32 }
type WaitGroup struct { noCopy noCopy; state atomic.Uint64; sema uint32 }
type Once struct { _ noCopy; done atomic.Bool; m Mutex }
";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// A predeclared kind, or a kind made of words (pointer, slice, map,
    /// chan, func, interface) whose element types do not change its layout.
    Basic(Kind),
    Array {
        len: u128,
        elem: TypeId,
    },
    Struct {
        fields: Vec<Field>,
    },
    /// A defined type: its layout is its declaration's.
    Named(u32),
    /// A type the lab cannot lay out (not declared here, from a package it
    /// does not know, an instance of a generic type). Under a pointer,
    /// slice, map, chan, func or interface it needs no size; anywhere else
    /// the declaration holding it is skipped (see [`Decl::skip`]).
    Missing,
    /// sync/atomic.align64: "an empty struct we recognize as a signal that
    /// the struct it contains must be 64-bit-aligned" (go/types gcsizes.go).
    Align64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Where the name is written, in the struct's source (see
    /// [`Program::field_name`]); an embedded field's is its type name.
    pub name: Span,
    pub embedded: bool,
    pub ty: TypeId,
    /// Which `FieldDecl` of the struct's syntax the field comes from.
    pub decl: u32,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub ty: Type,
    pub span: Span,
    pub source: Source,
    /// False under a pointer, slice, map, chan, func or interface: such a
    /// type is only named, never laid out.
    pub sized: bool,
}

/// A declared type.
#[derive(Clone, Debug)]
pub struct Decl {
    /// As written; built-in ones are qualified (`atomic.Int64`).
    pub name: String,
    pub name_span: Span,
    pub source: Source,
    pub alias: bool,
    pub underlying: TypeId,
    /// Index of the declaration in the user's [`File::types`], if the user
    /// wrote it.
    pub spec: Option<u32>,
    /// The nodes this declaration created.
    pub nodes: (u32, u32),
    /// Why the lab does not lay this declaration out, when it needs the
    /// size of a [`Type::Missing`] (or of another skipped declaration).
    pub skip: Option<String>,
}

/// A checked input, ready to be laid out for any GOARCH.
#[derive(Clone, Debug)]
pub struct Program {
    pub src: String,
    pub file: File,
    pub nodes: Vec<Node>,
    pub decls: Vec<Decl>,
    /// Every declaration, each after the ones it needs the size of.
    pub order: Vec<u32>,
}

impl Program {
    /// The source text of a span from `source`.
    pub fn text(&self, source: Source, span: Span) -> &str {
        span.text(builtin_text(source).unwrap_or(&self.src))
    }

    /// The name of field `f` of the struct type `node`.
    pub fn field_name(&self, node: &Node, f: &Field) -> &str {
        self.text(node.source, f.name)
    }

    /// The declarations the user wrote and the lab lays out, in source
    /// order.
    pub fn user_decls(&self) -> impl Iterator<Item = (usize, &Decl)> {
        self.decls
            .iter()
            .enumerate()
            .filter(|(_, d)| d.source == Source::User && d.skip.is_none())
    }

    /// The declarations the user wrote that the lab does not lay out, with
    /// why, in source order.
    pub fn skipped_decls(&self) -> impl Iterator<Item = (&Decl, &str)> {
        self.decls.iter().filter_map(|d| {
            d.skip
                .as_deref()
                .filter(|_| d.source == Source::User)
                .map(|why| (d, why))
        })
    }
}

/// How deep a chain of constants referring to constants may go.
pub const MAX_CONST_CHAIN: u32 = 500;

struct Checker<'a> {
    src: &'a str,
    file: &'a File,
    nodes: Vec<Node>,
    decls: Vec<Decl>,
    names: BTreeMap<String, u32>,
    consts: BTreeMap<&'a str, usize>,
    const_values: Vec<Option<i128>>,
    const_busy: Vec<bool>,
    const_depth: u32,
    /// The generic types the user declared (read past by the parser).
    generics: Vec<&'a str>,
    /// The constraint interfaces the user declared (read past too).
    constraints: Vec<&'a str>,
    /// The declaration being converted.
    current: usize,
    /// Set when a length needs a constant the lab does not evaluate: the
    /// reason the declaration is skipped.
    unevaluated: Option<String>,
}

/// Parses and checks `src`: every name known, every length a valid
/// constant, no type that contains itself.
pub fn check(src: &str) -> Result<Program, Error> {
    let file = parse(src)?;
    let mut builtins = Vec::with_capacity(BUILTINS.len());
    for b in &BUILTINS {
        builtins.push(parse(b.text)?);
    }
    let mut c = Checker {
        src,
        file: &file,
        nodes: Vec::new(),
        decls: Vec::new(),
        names: BTreeMap::new(),
        consts: BTreeMap::new(),
        const_values: alloc::vec![None; file.consts.len()],
        const_busy: alloc::vec![false; file.consts.len()],
        const_depth: 0,
        generics: file
            .skipped
            .iter()
            .filter(|s| s.kind == SkipKind::Generic)
            .map(|s| s.name.text(src))
            .collect(),
        constraints: file
            .skipped
            .iter()
            .filter(|s| s.kind == SkipKind::Constraint)
            .map(|s| s.name.text(src))
            .collect(),
        current: 0,
        unevaluated: None,
    };
    for (i, k) in file.consts.iter().enumerate() {
        let name = k.name.text(src);
        if name != "_" && c.consts.insert(name, i).is_some() {
            return Err(Error::at(
                src,
                k.name.start,
                format!("{name} redeclared in this block"),
            ));
        }
    }
    // Declare every name first: Go's package scope is order-independent.
    let mut sources: Vec<(Source, &File, &str, String)> = BUILTINS
        .iter()
        .zip(&builtins)
        .map(|(b, f)| (b.source, f, b.text, format!("{}.", b.name)))
        .collect();
    sources.push((Source::User, &file, src, String::new()));
    for &(source, f, text, ref prefix) in &sources {
        for (i, spec) in f.types.iter().enumerate() {
            let name = format!("{prefix}{}", spec.name.text(text));
            let index = c.decls.len() as u32;
            if source == Source::User && c.consts.contains_key(spec.name.text(text)) {
                return Err(Error::at(
                    src,
                    spec.name.start,
                    format!("{} redeclared in this block", spec.name.text(text)),
                ));
            }
            if spec.name.text(text) != "_" && c.names.insert(name.clone(), index).is_some() {
                return Err(Error::at(
                    src,
                    spec.name.start,
                    format!("{} redeclared in this block", spec.name.text(text)),
                ));
            }
            c.decls.push(Decl {
                name,
                name_span: spec.name,
                source,
                alias: spec.alias,
                underlying: 0,
                spec: (source == Source::User).then_some(i as u32),
                nodes: (0, 0),
                skip: None,
            });
        }
    }
    let mut index = 0;
    for &(source, f, _, _) in &sources {
        for spec in &f.types {
            c.current = index;
            let start = c.nodes.len() as u32;
            let underlying = c.convert(&spec.ty, source, true)?;
            let decl = &mut c.decls[index];
            decl.underlying = underlying;
            decl.nodes = (start, c.nodes.len() as u32);
            index += 1;
        }
    }
    let order = c.order()?;
    c.propagate_skips(&order);
    let Checker { nodes, decls, .. } = c;
    Ok(Program {
        src: src.to_string(),
        file,
        nodes,
        decls,
        order,
    })
}

fn universe(name: &str) -> Option<Kind> {
    Some(match name {
        "bool" => Kind::Bool,
        "int8" => Kind::Int8,
        "int16" => Kind::Int16,
        "int32" | "rune" => Kind::Int32,
        "int64" => Kind::Int64,
        "int" => Kind::Int,
        "uint8" | "byte" => Kind::Uint8,
        "uint16" => Kind::Uint16,
        "uint32" => Kind::Uint32,
        "uint64" => Kind::Uint64,
        "uint" => Kind::Uint,
        "uintptr" => Kind::Uintptr,
        "float32" => Kind::Float32,
        "float64" => Kind::Float64,
        "complex64" => Kind::Complex64,
        "complex128" => Kind::Complex128,
        "string" => Kind::String,
        "error" => Kind::NonEmptyInterface,
        "any" => Kind::EmptyInterface,
        _ => return None,
    })
}

/// The field names of one struct seen so far: an open-addressing hash
/// set (FNV-1a, linear probing), sized once for the whole struct. no_std
/// has no `HashSet`, and a `BTreeSet` costs a node allocation every few
/// names and a string compare at every level.
struct NameSet<'a> {
    slots: Vec<Option<&'a str>>,
}

impl<'a> NameSet<'a> {
    fn with_capacity(n: usize) -> NameSet<'a> {
        NameSet {
            slots: alloc::vec![None; (2 * n).next_power_of_two().max(8)],
        }
    }

    /// Adds `name`; false if it was there already. Never fills up: the
    /// table has room for twice the struct's names.
    fn insert(&mut self, name: &'a str) -> bool {
        let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i] {
                None => {
                    self.slots[i] = Some(name);
                    return true;
                }
                Some(seen) if seen == name => return false,
                Some(_) => i = (i + 1) & mask,
            }
        }
    }
}

impl<'a> Checker<'a> {
    /// A declaration of package `pkg` ("atomic", "sync"), looked up as
    /// `pkg.name` without building the string on the heap.
    fn qualified(&self, pkg: &str, name: &str) -> Option<u32> {
        let mut buf = [0_u8; 64];
        let n = pkg.len() + 1 + name.len();
        if n > buf.len() {
            return None;
        }
        buf[..pkg.len()].copy_from_slice(pkg.as_bytes());
        buf[pkg.len()] = b'.';
        buf[pkg.len() + 1..n].copy_from_slice(name.as_bytes());
        let key = core::str::from_utf8(&buf[..n]).ok()?;
        self.names.get(key).copied()
    }

    fn text_of(&self, source: Source, span: Span) -> &'a str {
        span.text(builtin_text(source).unwrap_or(self.src))
    }

    /// Marks the declaration being converted as skipped, for the first
    /// reason found.
    fn skip_current(&mut self, why: String) {
        let decl = &mut self.decls[self.current];
        if decl.skip.is_none() {
            decl.skip = Some(why);
        }
    }

    /// A type the lab cannot lay out: fine where no size is needed, else
    /// the reason its declaration is skipped.
    fn missing(&mut self, span: Span, source: Source, sized: bool, why: String) -> TypeId {
        if sized {
            self.skip_current(why);
        }
        self.push(Type::Missing, span, source, sized)
    }

    /// The import path a qualifier names: the file's imports first (`t` in
    /// `import t "time"`, `atomic` in `import "sync/atomic"`), then, in a
    /// snippet without imports, a package the lab knows by that name.
    fn package_path(&self, source: Source, qualifier: &'a str) -> Option<&'a str> {
        if source == Source::User {
            for imp in &self.file.imports {
                let path = imp.path.text(self.src);
                let name = match imp.name {
                    Some(n) => n.text(self.src),
                    None => path.rsplit('/').next().unwrap_or(path),
                };
                if name == qualifier {
                    return Some(path);
                }
            }
        }
        BUILTINS
            .iter()
            .find(|b| b.name == qualifier)
            .map(|b| b.path)
            .or((qualifier == "unsafe").then_some("unsafe"))
    }

    fn err(&self, source: Source, span: Span, msg: String) -> Error {
        match source {
            Source::User => Error::at(self.src, span.start, msg),
            _ => Error::at(
                self.src,
                0,
                format!("internal error in the built-in packages: {msg}"),
            ),
        }
    }

    fn push(&mut self, ty: Type, span: Span, source: Source, sized: bool) -> TypeId {
        self.nodes.push(Node {
            ty,
            span,
            source,
            sized,
        });
        (self.nodes.len() - 1) as TypeId
    }

    /// Builds the nodes for `e`, children first (so a child's id is lower).
    fn convert(&mut self, e: &TypeExpr, source: Source, sized: bool) -> Result<TypeId, Error> {
        let ty = match &e.kind {
            TypeExprKind::Name { pkg, name, args } => {
                return self.resolve(e.span, *pkg, *name, args, source, sized)
            }
            TypeExprKind::Pointer(elem) => {
                self.convert(elem, source, false)?;
                Type::Basic(Kind::Pointer)
            }
            TypeExprKind::Slice(elem) => {
                self.convert(elem, source, false)?;
                Type::Basic(Kind::Slice)
            }
            TypeExprKind::Map(k, v) => {
                self.convert(k, source, false)?;
                self.convert(v, source, false)?;
                Type::Basic(Kind::Map)
            }
            TypeExprKind::Chan(elem) => {
                self.convert(elem, source, false)?;
                Type::Basic(Kind::Chan)
            }
            TypeExprKind::Func(types) => {
                for t in types {
                    self.convert(t, source, false)?;
                }
                Type::Basic(Kind::Func)
            }
            TypeExprKind::Interface {
                methods,
                embeds,
                method_types,
            } => {
                for t in embeds.iter().chain(method_types) {
                    self.convert(t, source, false)?;
                }
                if *methods == 0 && embeds.is_empty() {
                    Type::Basic(Kind::EmptyInterface)
                } else {
                    Type::Basic(Kind::NonEmptyInterface)
                }
            }
            TypeExprKind::Array(len, elem) => {
                let n = self.array_length(len, source)?;
                let elem = self.convert(elem, source, sized)?;
                if let Some(why) = self.unevaluated.take() {
                    return Ok(self.missing(e.span, source, sized, why));
                }
                Type::Array { len: n, elem }
            }
            TypeExprKind::Struct(decls) => {
                let count = decls.iter().map(|d| d.names.len().max(1)).sum();
                let mut fields: Vec<Field> = Vec::with_capacity(count);
                let mut seen = NameSet::with_capacity(count);
                for (di, d) in decls.iter().enumerate() {
                    let ty = self.convert(&d.ty, source, sized)?;
                    let mut add = |name: Span, embedded: bool, at: Span| {
                        let text = self.text_of(source, name);
                        if text != "_" && !seen.insert(text) {
                            return Err(self.err(source, at, format!("duplicate field {text}")));
                        }
                        fields.push(Field {
                            name,
                            embedded,
                            ty,
                            decl: di as u32,
                        });
                        Ok(())
                    };
                    if d.names.is_empty() {
                        // An embedded field is named after its type: *pkg.T is T.
                        let mut t = &d.ty;
                        if let TypeExprKind::Pointer(inner) = &t.kind {
                            t = inner;
                        }
                        let name = match &t.kind {
                            TypeExprKind::Name { name, .. } => *name,
                            _ => t.span,
                        };
                        add(name, true, d.span)?;
                    } else {
                        for n in &d.names {
                            add(*n, false, *n)?;
                        }
                    }
                }
                Type::Struct { fields }
            }
        };
        Ok(self.push(ty, e.span, source, sized))
    }

    fn resolve(
        &mut self,
        span: Span,
        pkg: Option<Span>,
        name: Span,
        args: &[TypeExpr],
        source: Source,
        sized: bool,
    ) -> Result<TypeId, Error> {
        let name_text = self.text_of(source, name);
        let ty = match pkg.map(|p| self.text_of(source, p)) {
            None => {
                let local = match source {
                    Source::User => self.names.get(name_text).copied(),
                    _ => BUILTINS
                        .iter()
                        .find(|b| b.source == source)
                        .and_then(|b| self.qualified(b.name, name_text)),
                };
                if source == Source::Atomic && name_text == "align64" {
                    Type::Align64
                } else if let Some(d) = local {
                    Type::Named(d)
                } else if let Some(k) = universe(name_text) {
                    Type::Basic(k)
                } else if name_text == "comparable" {
                    return Err(self.err(
                        source,
                        name,
                        "cannot use type comparable outside a type constraint: interface is (or embeds) comparable".into(),
                    ));
                } else if self.consts.contains_key(name_text) {
                    return Err(self.err(source, name, format!("{name_text} is not a type")));
                } else if self.constraints.contains(&name_text) {
                    return Err(self.err(
                        source,
                        name,
                        format!("cannot use type {name_text} outside a type constraint: interface contains type constraints"),
                    ));
                } else if self.generics.contains(&name_text) {
                    for a in args {
                        self.convert(a, source, false)?;
                    }
                    let why = format!(
                        "needs the size of {}, an instance of the generic type {name_text}",
                        self.text_of(source, span)
                    );
                    return Ok(self.missing(span, source, sized, why));
                } else {
                    let at = Error::at(self.src, name.start, String::new());
                    let why = format!(
                        "needs the size of {name_text}, which is not declared here (line {}, column {})",
                        at.line, at.col
                    );
                    return Ok(self.missing(span, source, sized, why));
                }
            }
            Some(q) => {
                let path = self.package_path(source, q);
                let builtin = path.and_then(|p| BUILTINS.iter().find(|b| b.path == p));
                let exported = name_text.starts_with(|c: char| c.is_ascii_uppercase());
                if path == Some("unsafe") {
                    if name_text != "Pointer" {
                        return Err(self.err(
                            source,
                            name,
                            format!("undefined: unsafe.{name_text}"),
                        ));
                    }
                    Type::Basic(Kind::UnsafePointer)
                } else if let Some(b) = builtin.filter(|_| exported || source != Source::User) {
                    match self.qualified(b.name, name_text) {
                        Some(d) => Type::Named(d),
                        None => {
                            let why = format!(
                                "needs the size of {q}.{name_text}, a type of {} whose layout the lab does not know",
                                b.path
                            );
                            return Ok(self.missing(span, source, sized, why));
                        }
                    }
                } else if builtin.is_some() {
                    return Err(self.err(
                        source,
                        name,
                        format!("name {name_text} not exported by package {q}"),
                    ));
                } else {
                    let why = format!(
                        "needs the size of {q}.{name_text}, from {}, a package the lab does not know",
                        path.unwrap_or(q)
                    );
                    for a in args {
                        self.convert(a, source, false)?;
                    }
                    return Ok(self.missing(span, source, sized, why));
                }
            }
        };
        let generic =
            matches!(ty, Type::Named(d) if self.decls[d as usize].name == "atomic.Pointer");
        if generic && args.len() != 1 {
            return Err(self.err(
                source,
                span,
                if args.is_empty() {
                    "cannot use generic type atomic.Pointer[T any] without instantiation".into()
                } else {
                    format!(
                        "got {} type arguments but atomic.Pointer has 1 type parameter",
                        args.len()
                    )
                },
            ));
        }
        if !generic && !args.is_empty() {
            return Err(self.err(
                source,
                span,
                format!(
                    "{} is not a generic type",
                    self.text_of(source, span).split('[').next().unwrap_or("")
                ),
            ));
        }
        for a in args {
            self.convert(a, source, false)?;
        }
        Ok(self.push(ty, span, source, sized))
    }

    /// Mirrors go/types typexpr.go `arrayLength` (go1.27), up to the
    /// arch-dependent check that the length fits in an `int`
    /// (`representableConst`), which layout does.
    fn array_length(&mut self, e: &super::parser::Expr, source: Source) -> Result<u128, Error> {
        let v = self.eval(e, source, None)?;
        if v < 0 {
            return Err(self.err(
                source,
                e.span,
                format!(
                    "invalid array length {} (untyped int constant)",
                    self.text_of(source, e.span)
                ),
            ));
        }
        Ok(v as u128)
    }

    /// Evaluates an integer constant expression; `iota` is `None` outside a
    /// constant declaration.
    fn eval(
        &mut self,
        e: &super::parser::Expr,
        source: Source,
        iota: Option<i128>,
    ) -> Result<i128, Error> {
        let too_big = |c: &Self| {
            c.err(
                source,
                e.span,
                format!(
                    "constant {} overflows the layout lab's 128-bit arithmetic",
                    c.text_of(source, e.span)
                ),
            )
        };
        match &e.kind {
            ExprKind::Int(span) => {
                let text: String = self
                    .text_of(source, *span)
                    .chars()
                    .filter(|&c| c != '_')
                    .collect();
                let (digits, radix) =
                    if let Some(h) = text.strip_prefix("0x").or(text.strip_prefix("0X")) {
                        (h, 16)
                    } else if let Some(b) = text.strip_prefix("0b").or(text.strip_prefix("0B")) {
                        (b, 2)
                    } else if let Some(o) = text.strip_prefix("0o").or(text.strip_prefix("0O")) {
                        (o, 8)
                    } else if text.len() > 1 && text.starts_with('0') {
                        (&text[1..], 8)
                    } else {
                        (text.as_str(), 10)
                    };
                if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                    return Err(self.err(
                        source,
                        *span,
                        format!("invalid integer literal {}", self.text_of(source, *span)),
                    ));
                }
                i128::from_str_radix(digits, radix).map_err(|_| too_big(self))
            }
            ExprKind::Unsupported => {
                let why = format!(
                    "needs the value {}, which the lab does not evaluate",
                    self.text_of(source, e.span)
                );
                self.unevaluated.get_or_insert(why);
                Ok(0)
            }
            ExprKind::Other(what) => Err(self.err(
                source,
                e.span,
                format!(
                    "array length {} ({what} constant) must be integer",
                    self.text_of(source, e.span)
                ),
            )),
            ExprKind::Name(span) => {
                let name = self.text_of(source, *span);
                if name == "iota" {
                    return iota.ok_or_else(|| {
                        self.err(
                            source,
                            *span,
                            "cannot use iota outside constant declaration".into(),
                        )
                    });
                }
                let Some(&i) = self.consts.get(name).filter(|_| source == Source::User) else {
                    return Err(
                        if self.names.contains_key(name) || universe(name).is_some() {
                            self.err(
                                source,
                                *span,
                                format!(
                                    "invalid array length {name}: {name} is a type, not a constant"
                                ),
                            )
                        } else {
                            self.err(source, *span, format!("undefined: {name}"))
                        },
                    );
                };
                if let Some(v) = self.const_values[i] {
                    return Ok(v);
                }
                if self.const_busy[i] {
                    return Err(self.err(
                        source,
                        *span,
                        format!("initialization cycle or invalid recursive constant {name}"),
                    ));
                }
                if self.const_depth >= MAX_CONST_CHAIN {
                    return Err(self.err(
                        source,
                        *span,
                        format!("constants refer to constants deeper than the limit of {MAX_CONST_CHAIN}"),
                    ));
                }
                let spec = &self.file.consts[i];
                if matches!(spec.value.kind, ExprKind::Unsupported) {
                    let why = format!(
                        "needs the value of {name} = {}, which the lab does not evaluate",
                        self.text_of(source, spec.value.span)
                    );
                    self.unevaluated.get_or_insert(why);
                    return Ok(0);
                }
                self.const_busy[i] = true;
                self.const_depth += 1;
                let r = self.eval(&spec.value, Source::User, Some(spec.iota));
                self.const_depth -= 1;
                self.const_busy[i] = false;
                let v = r?;
                // A value built on one the lab does not evaluate is not known.
                if self.unevaluated.is_none() {
                    self.const_values[i] = Some(v);
                }
                Ok(v)
            }
            ExprKind::Unary(op, x) => {
                let v = self.eval(x, source, iota)?;
                if self.unevaluated.is_some() {
                    return Ok(0);
                }
                match *op {
                    "+" => Ok(v),
                    "-" => v.checked_neg().ok_or_else(|| too_big(self)),
                    "^" => Ok(!v),
                    _ => Err(self.err(
                        source,
                        e.span,
                        format!("operator {op} not defined on untyped int"),
                    )),
                }
            }
            ExprKind::Binary(op, x, y) => {
                let a = self.eval(x, source, iota)?;
                let b = self.eval(y, source, iota)?;
                if self.unevaluated.is_some() {
                    return Ok(0);
                }
                let r = match *op {
                    "+" => a.checked_add(b),
                    "-" => a.checked_sub(b),
                    "*" => a.checked_mul(b),
                    "/" | "%" if b == 0 => {
                        return Err(self.err(
                            source,
                            y.span,
                            "invalid operation: division by zero".into(),
                        ))
                    }
                    "/" => a.checked_div(b),
                    "%" => a.checked_rem(b),
                    "&" => Some(a & b),
                    "|" => Some(a | b),
                    "^" => Some(a ^ b),
                    "&^" => Some(a & !b),
                    "<<" | ">>" if b < 0 => {
                        return Err(self.err(source, y.span, format!("invalid shift count {b}")))
                    }
                    "<<" => {
                        if b >= 127 || (a != 0 && (a << b) >> b != a) {
                            None
                        } else {
                            Some(a << b)
                        }
                    }
                    ">>" => Some(if b >= 127 {
                        if a < 0 {
                            -1
                        } else {
                            0
                        }
                    } else {
                        a >> b
                    }),
                    _ => {
                        return Err(self.err(
                            source,
                            e.span,
                            format!("operator {op} does not give an integer constant"),
                        ))
                    }
                };
                r.ok_or_else(|| too_big(self))
            }
        }
    }

    /// Orders the declarations so each comes after every declaration whose
    /// size it needs, or reports the first cycle as go/types does
    /// (validtype.go finds it, decl.go `cycleError` words it): "invalid
    /// recursive type %s", then one "%s refers to %s" line a step.
    fn order(&self) -> Result<Vec<u32>, Error> {
        let n = self.decls.len();
        let deps: Vec<Vec<u32>> = self
            .decls
            .iter()
            .map(|d| {
                (d.nodes.0..d.nodes.1)
                    .filter_map(|id| match self.nodes[id as usize] {
                        Node {
                            ty: Type::Named(t),
                            sized: true,
                            ..
                        } => Some(t),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        // 0: not seen, 1: on the stack, 2: done. Iterative, so a long chain
        // of declarations cannot overflow the stack.
        let mut state = alloc::vec![0u8; n];
        let mut order = Vec::with_capacity(n);
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            let mut stack: Vec<(u32, usize)> = alloc::vec![(root as u32, 0)];
            state[root] = 1;
            while let Some(&mut (d, ref mut next)) = stack.last_mut() {
                if let Some(&dep) = deps[d as usize].get(*next) {
                    *next += 1;
                    match state[dep as usize] {
                        0 => {
                            state[dep as usize] = 1;
                            stack.push((dep, 0));
                        }
                        1 => {
                            let from = stack.iter().position(|&(x, _)| x == dep).unwrap_or(0);
                            let cycle: Vec<u32> = stack[from..].iter().map(|&(x, _)| x).collect();
                            return Err(self.cycle_error(&cycle));
                        }
                        _ => {}
                    }
                } else {
                    state[d as usize] = 2;
                    order.push(d);
                    stack.pop();
                }
            }
        }
        Ok(order)
    }

    /// Skips every declaration that needs the size of a skipped one, in
    /// dependency order, so each names the type it waits for.
    fn propagate_skips(&mut self, order: &[u32]) {
        for &d in order {
            let decl = &self.decls[d as usize];
            if decl.skip.is_some() {
                continue;
            }
            let needs = (decl.nodes.0..decl.nodes.1).find_map(|id| match self.nodes[id as usize] {
                Node {
                    ty: Type::Named(t),
                    sized: true,
                    ..
                } if self.decls[t as usize].skip.is_some() => Some(t),
                _ => None,
            });
            if let Some(t) = needs {
                let why = format!(
                    "needs the size of {}, which is skipped",
                    self.decls[t as usize].name
                );
                self.decls[d as usize].skip = Some(why);
            }
        }
    }

    fn cycle_error(&self, cycle: &[u32]) -> Error {
        // Start at the declaration that comes first in the source.
        let first = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
        let ring: Vec<&Decl> = (0..cycle.len())
            .map(|i| &self.decls[cycle[(first + i) % cycle.len()] as usize])
            .collect();
        let head = ring[0];
        if ring.len() == 1 {
            return Error::at(
                self.src,
                head.name_span.start,
                format!("invalid recursive type: {} refers to itself", head.name),
            );
        }
        let mut msg = format!("invalid recursive type {}", head.name);
        for (i, d) in ring.iter().enumerate() {
            let next = ring[(i + 1) % ring.len()];
            let at = Error::at(self.src, d.name_span.start, String::new());
            msg.push_str(&format!(
                "\n\t{}:{}: {} refers to {}",
                at.line, at.col, d.name, next.name
            ));
        }
        Error::at(self.src, head.name_span.start, msg)
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    use crate::layout::{analyze, MAX_DEPTH, MAX_INPUT};
    use crate::values::GoArch;

    fn error(src: &str, arch: GoArch) -> String {
        match analyze(src, arch) {
            Ok(_) => panic!("{src:?} was accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_struct_that_contains_itself_is_rejected_like_go() {
        assert_eq!(
            error("type T struct{ t T }", GoArch::Amd64),
            "1:6: invalid recursive type: T refers to itself"
        );
        assert_eq!(
            error(
                "type A struct{ b B }\ntype B struct{ a [0]A }",
                GoArch::Amd64
            ),
            "1:6: invalid recursive type A\n\t1:6: A refers to B\n\t2:6: B refers to A"
        );
        // Through a pointer, slice, map or func the size is known.
        analyze(
            "type T struct{ next *T; kids []T; m map[string]T; f func(T) T }",
            GoArch::Amd64,
        )
        .unwrap();
    }

    /// An undefined name is skipped where its size is needed (it may be
    /// declared in another file of the package), named with its position;
    /// under a pointer, slice, map or chan it needs no size at all.
    #[test]
    fn unknown_names_skip_only_the_types_that_need_their_size() {
        let a = analyze(
            "type T struct {\n\ta int\n\tb Foo\n}\ntype U struct { t T }\ntype P struct { p *Foo; s []Foo; m map[Foo]http.Header; c chan Foo; r *http.Request }",
            GoArch::Amd64,
        )
        .unwrap();
        assert_eq!(a.types.len(), 1);
        assert_eq!(
            (a.types[0].name.as_str(), a.types[0].layout.size),
            ("P", 56)
        );
        assert_eq!(
            a.skipped_summary().unwrap(),
            "Skipped: type T (line 1: needs the size of Foo, which is not declared here (line 3, column 4)); \
             type U (line 5: needs the size of T, which is skipped)."
        );
        let a = analyze("type H struct { h http.Header }", GoArch::Amd64).unwrap();
        assert_eq!(
            a.skipped_summary().unwrap(),
            "Skipped: type H (line 1: needs the size of http.Header, from http, a package the lab does not know)."
        );
        let a = analyze(
            "import \"net/http\"\ntype H struct { h http.Header; l time.Location }",
            GoArch::Amd64,
        )
        .unwrap();
        assert!(a.skipped_summary().unwrap().contains("from net/http"));
        assert_eq!(
            error("type T struct { m atomic.noCopy }", GoArch::Amd64),
            "1:26: name noCopy not exported by package atomic"
        );
    }

    /// A whole Go file: the package clause, imports, var, const, func and
    /// method declarations (bodies full of braces in strings, runes, raw
    /// strings and comments), a generic type and its methods, tags and
    /// comments anywhere. Every type that can be is laid out.
    #[test]
    fn a_whole_go_file_lays_out_every_type_it_can() {
        let src = WHOLE_FILE;
        let a = analyze(src, GoArch::Amd64).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = a.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Server", "Stats", "Buf", "ID", "Ring", "Handler"]);
        let server = a.get("Server").unwrap();
        // name string, started time.Time, timeout time.Duration, mu
        // sync.Mutex, wg sync.WaitGroup, hits atomic.Int64, ctx
        // context.Context, log *log.Logger, pending []*Request, sb
        // strings.Builder, buf bytes.Buffer, err error.
        let sizes: Vec<u64> = server.fields.iter().map(|f| f.size).collect();
        assert_eq!(sizes, [16, 24, 8, 8, 16, 8, 16, 8, 24, 32, 40, 16]);
        assert_eq!(a.get("Ring").unwrap().layout.size, 8 * 8);
        assert_eq!(
            a.skipped_summary().unwrap(),
            "Skipped: 2 var declarations, 2 functions and 2 methods (they declare no types); \
             generic type List (line 33: its layout depends on its type arguments); \
             constraint Number (line 34: only type parameters use it; no value has this type); \
             type Node (line 36: needs the size of List[int], an instance of the generic type List); \
             type Later (line 62: needs the value of Delay = 5 * time.Second, which the lab does not evaluate)."
        );
        // Nothing inside a skipped part is an error of the lab, even
        // something the lab could not read.
        let broken = src.replace("return s.name", "return s.name @ #");
        assert!(analyze(&broken, GoArch::Amd64).is_err(), "not Go at all");
        assert_eq!(
            error("type N interface{ ~int }\ntype T struct{ n N }", GoArch::Amd64),
            "2:18: cannot use type N outside a type constraint: interface contains type constraints"
        );
        let odd = src.replace("return s.name", "return s.name[1:] + string('}') + `}`");
        analyze(&odd, GoArch::Amd64).unwrap();
    }

    pub(crate) const WHOLE_FILE: &str = r#"// Package server is a whole Go file.
package server

import "fmt"

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "embed"
	lg "log"
)

var (
	defaultName = "srv" // a }
	braces      = map[string]int{"{": 1, "}": 2}
)

var once sync.Once

const (
	KindA = iota
	KindB
	Delay = 5 * time.Second
	Slots = 1 << 3
)

// List is generic: not laid out.
type List[T any] struct { head *T; n int }
type Number interface{ ~int | ~float64 }

type Node struct {
	l    List[int]
	next *Node
}

type Server struct {
	name     string        `json:"name"`
	started  time.Time     // when
	timeout  time.Duration /* how long */
	mu       sync.Mutex
	wg       sync.WaitGroup
	hits     atomic.Int64
	ctx      context.Context
	log      *lg.Logger
	pending  []*Request
	sb       strings.Builder
	buf      bytes.Buffer
	err      error
}

type (
	Stats struct{ n, m int32 }
	Buf   [Slots]byte
	ID    = uint64
)

type Later [Delay]byte

type Ring [Slots]*List[string]

type Handler interface{ Serve(ctx context.Context, r *Request) error }

func (s *Server) Name() string {
	if s == nil {
		return "{"
	}
	r := '}'
	_ = r
	_ = `}
	{`
	return s.name
}

func (l *List[T]) Len() int { return l.n }

func New(name string) *Server {
	fmt.Println("}")
	return &Server{name: name}
}

//go:noinline
func helper[T any](x T) T { return x }
"#;

    #[test]
    fn syntax_errors_say_what_was_expected() {
        assert_eq!(
            error("type T struct {\n\ta int\n\tb,\n}", GoArch::Amd64),
            "4:1: expected field name, found '}'"
        );
        assert_eq!(
            error("type T struct { a [4 int }", GoArch::Amd64),
            "1:22: expected ']', found name int"
        );
        assert_eq!(
            error("type T struct { a int", GoArch::Amd64),
            "1:22: expected '}', found EOF"
        );
    }

    #[test]
    fn arrays_too_large_for_the_address_space() {
        assert_eq!(
            error("type C [1<<62]int64", GoArch::Amd64),
            "1:8: type [1<<62]int64 larger than address space"
        );
        assert_eq!(
            error("type D [1 << 40]byte", GoArch::I386),
            "1:8: invalid array length 1 << 40 (untyped int constant 1099511627776)"
        );
        assert_eq!(
            error("type N [-1]int", GoArch::Amd64),
            "1:9: invalid array length -1 (untyped int constant)"
        );
        assert_eq!(
            error(
                "type F struct { a [1<<49]byte; b [1<<49]byte }",
                GoArch::Amd64
            ),
            "1:8: type struct { a [1<<49]byte; b [1<<49]byte } too large"
        );
        analyze("type D [1 << 40]byte", GoArch::Amd64).unwrap();
    }

    #[test]
    fn limits_are_named_in_their_errors() {
        let deep = "type T ".to_string() + &"*".repeat(200) + "int";
        assert!(
            error(&deep, GoArch::Amd64).contains(&alloc::format!("limit of {MAX_DEPTH} levels"))
        );
        let long = "type T struct{}\n".repeat(MAX_INPUT / 16 + 1);
        assert!(error(&long, GoArch::Amd64).contains("longer than the limit"));
        // A constant the lab cannot read is skipped; a length it must read
        // is not.
        let chain = "type X [".to_string() + &"1+".repeat(500) + "1]int";
        assert!(error(&chain, GoArch::Amd64).contains("levels"));
    }

    #[test]
    fn a_long_chain_of_named_types_needs_no_deep_stack() {
        let mut src = String::new();
        for i in 0..20_000 {
            src.push_str(&alloc::format!("type A{i} [1]A{}\n", i + 1));
        }
        src.push_str("type A20000 int64\n");
        let a = analyze(&src, GoArch::Amd64).unwrap();
        assert_eq!(a.types[0].layout.size, 8);
        assert_eq!(a.byte_grid(0, 8).rows[0].len(), 8);
    }

    #[test]
    fn sync_types_have_their_go_1_27_sizes() {
        let src = "type T struct { mu sync.Mutex; rw sync.RWMutex; wg sync.WaitGroup; o sync.Once; v atomic.Value; p atomic.Pointer[T] }";
        let a = analyze(src, GoArch::Amd64).unwrap();
        let sizes: Vec<u64> = a.types[0].fields.iter().map(|f| f.size).collect();
        assert_eq!(sizes, [8, 24, 16, 12, 16, 8]);
    }
}
