//! A hand-written parser for the part of Go's syntax that declares types,
//! in a whole source file.
//!
//! Follows the Go specification's grammar (go1.27) for `PackageClause`,
//! `ImportDecl`, `TypeDecl`, `ConstDecl` and `Type`, and reads past
//! `VarDecl`, `FunctionDecl`, `MethodDecl` and generic type declarations by
//! balanced brackets, with its automatic semicolons ("a line's final
//! token is followed by a semicolon if it is an identifier, a literal, one
//! of the keywords break, continue, fallthrough, return, or one of ) ] }").
//! It never panics and does work linear in the input: the input is capped at
//! [`MAX_INPUT`] bytes and nesting at [`MAX_DEPTH`] levels, and both limits
//! are named in the error that enforces them.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::Error;

/// The longest input the parser reads, in bytes.
pub const MAX_INPUT: usize = 4 << 20;
/// The deepest nesting of types or constant expressions the parser accepts.
pub const MAX_DEPTH: u32 = 100;
/// How far the parser looks ahead to tell `List[int]` from `a [4]int`.
const MAX_LOOKAHEAD: usize = 4096;

/// A byte range of the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn text(self, src: &str) -> &str {
        src.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Ident,
    Int,
    Float,
    Char,
    Str,
    /// `;`, written or inserted at a newline (then the span is empty).
    Semi,
    Punct(&'static str),
    Eof,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// A comment, kept so that a rewrite can carry it along with its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
}

const PUNCTS: [&str; 31] = [
    "<<=", ">>=", "&^=", "...", "&^", "<<", ">>", "<-", "&&", "||", "==", "!=", "<=", ">=", ":=",
    "+", "-", "*", "/", "%", "&", "|", "^", "~", "(", ")", "[", "]", "{", "}", ",",
];
const PUNCTS1: [&str; 7] = [";", ".", "=", "<", ">", "!", ":"];

/// Go's 25 keywords (a `match` compiles to a length switch: no scanning).
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "break"
            | "case"
            | "chan"
            | "const"
            | "continue"
            | "default"
            | "defer"
            | "else"
            | "fallthrough"
            | "for"
            | "func"
            | "go"
            | "goto"
            | "if"
            | "import"
            | "interface"
            | "map"
            | "package"
            | "range"
            | "return"
            | "select"
            | "struct"
            | "switch"
            | "type"
            | "var"
    )
}

/// The operator or delimiter at the start of `rest`, longest first.
fn punct_at(rest: &[u8]) -> Option<&'static str> {
    let c = *rest.first()?;
    if matches!(c, b'<' | b'>' | b'&' | b'.' | b'|' | b'=' | b'!' | b':') {
        for p in PUNCTS.iter().chain(PUNCTS1.iter()) {
            if rest.get(..p.len()) == Some(p.as_bytes()) {
                return Some(p);
            }
        }
        return None;
    }
    Some(match c {
        b'+' => "+",
        b'-' => "-",
        b'*' => "*",
        b'/' => "/",
        b'%' => "%",
        b'^' => "^",
        b'~' => "~",
        b'(' => "(",
        b')' => ")",
        b'[' => "[",
        b']' => "]",
        b'{' => "{",
        b'}' => "}",
        b',' => ",",
        b';' => ";",
        _ => return None,
    })
}

fn is_letter(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// Splits `src` into tokens, inserting semicolons as the spec says.
pub(crate) fn tokenize(src: &str) -> Result<(Vec<Token>, Vec<Comment>), Error> {
    if src.len() > MAX_INPUT {
        return Err(Error::at(
            src,
            MAX_INPUT as u32,
            format!(
                "input is {} bytes, longer than the limit of {MAX_INPUT} bytes",
                src.len()
            ),
        ));
    }
    let b = src.as_bytes();
    let mut toks = Vec::new();
    let mut comments = Vec::new();
    let mut i = 0usize;
    let mut semi_ok = false;
    let push_semi = |toks: &mut Vec<Token>, at: usize| {
        toks.push(Token {
            tok: Tok::Semi,
            span: Span {
                start: at as u32,
                end: at as u32,
            },
        });
    };
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c == b'\n' {
            if semi_ok {
                push_semi(&mut toks, i);
                semi_ok = false;
            }
            i += 1;
            continue;
        }
        if c == b' ' || c == b'\t' || c == b'\r' {
            i += 1;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            comments.push(Comment {
                span: Span {
                    start: start as u32,
                    end: i as u32,
                },
            });
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let Some(len) = src[i + 2..].find("*/") else {
                return Err(Error::at(src, start as u32, "comment not terminated"));
            };
            let end = i + 2 + len + 2;
            comments.push(Comment {
                span: Span {
                    start: start as u32,
                    end: end as u32,
                },
            });
            if semi_ok && src[i..end].contains('\n') {
                push_semi(&mut toks, i);
                semi_ok = false;
            }
            i = end;
            continue;
        }
        let tok = if is_letter(c) {
            while i < b.len() && (is_letter(b[i]) || b[i].is_ascii_digit()) {
                i += 1;
            }
            let word = &src[start..i];
            semi_ok = !is_keyword(word)
                || matches!(word, "break" | "continue" | "fallthrough" | "return");
            Tok::Ident
        } else if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let hex = c == b'0' && matches!(b.get(i + 1), Some(b'x' | b'X'));
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                let exponent = if hex {
                    matches!(b[i], b'p' | b'P')
                } else {
                    matches!(b[i], b'e' | b'E')
                };
                i += 1;
                // An exponent's sign belongs to the number: 1e+3, 0x1p-2.
                if exponent && matches!(b.get(i), Some(b'+' | b'-')) {
                    i += 1;
                }
            }
            let text = &src[start..i];
            let float = text.contains('.')
                || (hex && text.contains(['p', 'P']))
                || (!hex && text.contains(['e', 'E']));
            semi_ok = true;
            if float || src[start..i].ends_with('i') {
                Tok::Float
            } else {
                Tok::Int
            }
        } else if c == b'"' || c == b'\'' {
            i += 1;
            loop {
                match b.get(i) {
                    None | Some(b'\n') => {
                        return Err(Error::at(
                            src,
                            start as u32,
                            "string literal not terminated",
                        ))
                    }
                    Some(b'\\') => i += 2,
                    Some(&d) if d == c => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            semi_ok = true;
            if c == b'"' {
                Tok::Str
            } else {
                Tok::Char
            }
        } else if c == b'`' {
            let Some(len) = src[i + 1..].find('`') else {
                return Err(Error::at(
                    src,
                    start as u32,
                    "raw string literal not terminated",
                ));
            };
            i += len + 2;
            semi_ok = true;
            Tok::Str
        } else if let Some(p) = punct_at(&b[i..]) {
            i += p.len();
            semi_ok = matches!(p, ")" | "]" | "}");
            if p == ";" {
                Tok::Semi
            } else {
                Tok::Punct(p)
            }
        } else {
            let ch = src[i..].chars().next().unwrap_or('?');
            return Err(Error::at(
                src,
                start as u32,
                format!("invalid character {ch:?}"),
            ));
        };
        toks.push(Token {
            tok,
            span: Span {
                start: start as u32,
                end: i as u32,
            },
        });
    }
    if semi_ok {
        push_semi(&mut toks, b.len());
    }
    toks.push(Token {
        tok: Tok::Eof,
        span: Span {
            start: b.len() as u32,
            end: b.len() as u32,
        },
    });
    Ok((toks, comments))
}

/// A whole input: type and constant declarations, the imports that name
/// packages, and the declarations the lab reads past without laying out.
#[derive(Clone, Debug, Default)]
pub struct File {
    pub types: Vec<TypeSpec>,
    pub consts: Vec<ConstSpec>,
    pub imports: Vec<Import>,
    pub skipped: Vec<SkippedDecl>,
    pub comments: Vec<Comment>,
}

/// `import name "path"`; `name` is `None` when the path's last element
/// names the package.
#[derive(Clone, Copy, Debug)]
pub struct Import {
    pub name: Option<Span>,
    /// The path without its quotes.
    pub path: Span,
}

/// What kind of declaration the parser read past.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipKind {
    Var,
    Func,
    Method,
    /// A type with type parameters: its layout depends on them.
    Generic,
    /// A constraint interface (`~int | ~string`): it has no values.
    Constraint,
}

/// A declaration the lab does not lay out, skipped by balanced brackets
/// (the tokenizer has already read its strings, runes and comments), so
/// that nothing inside it can be an error of the lab.
#[derive(Clone, Copy, Debug)]
pub struct SkippedDecl {
    pub kind: SkipKind,
    /// The declared name (a method's or generic type's); empty for `var`.
    pub name: Span,
    pub span: Span,
}

/// `type Name Type` or `type Name = Type`.
#[derive(Clone, Debug)]
pub struct TypeSpec {
    pub name: Span,
    pub alias: bool,
    pub ty: TypeExpr,
}

/// One constant: `Name = Expr`, with `iota` fixed by its place in a group.
#[derive(Clone, Debug)]
pub struct ConstSpec {
    pub name: Span,
    pub value: Expr,
    pub iota: i128,
}

#[derive(Clone, Debug)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum TypeExprKind {
    /// `Name`, `pkg.Name` or `pkg.Name[T]`.
    Name {
        pkg: Option<Span>,
        name: Span,
        args: Vec<TypeExpr>,
    },
    Pointer(Box<TypeExpr>),
    Array(Expr, Box<TypeExpr>),
    Slice(Box<TypeExpr>),
    Map(Box<TypeExpr>, Box<TypeExpr>),
    Chan(Box<TypeExpr>),
    /// The types named in parameters and results (only checked, never sized).
    Func(Vec<TypeExpr>),
    Struct(Vec<FieldDecl>),
    Interface {
        methods: u32,
        embeds: Vec<TypeExpr>,
        /// Types named in method signatures (only checked, never sized).
        method_types: Vec<TypeExpr>,
    },
}

/// The names of one struct line. Nearly every line has one name, so the
/// first is kept inline and only `a, b, c T` allocates.
#[derive(Clone, Debug, Default)]
pub struct Names {
    first: Option<Span>,
    rest: Vec<Span>,
}

impl Names {
    pub fn push(&mut self, name: Span) {
        if self.first.is_none() {
            self.first = Some(name);
        } else {
            self.rest.push(name);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    pub fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.rest.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Span> {
        self.first.iter().chain(self.rest.iter())
    }
}

impl<'a> IntoIterator for &'a Names {
    type Item = &'a Span;
    type IntoIter = core::iter::Chain<core::option::Iter<'a, Span>, core::slice::Iter<'a, Span>>;

    fn into_iter(self) -> Self::IntoIter {
        self.first.iter().chain(self.rest.iter())
    }
}

/// One line of a struct: `a, b T "tag"` or an embedded `T` / `*T`.
#[derive(Clone, Debug)]
pub struct FieldDecl {
    /// Empty for an embedded field.
    pub names: Names,
    pub ty: TypeExpr,
    pub tag: Option<Span>,
    /// From the first name (or the type) to the end of the tag or type.
    pub span: Span,
}

/// A constant expression, as array lengths and constants use them.
#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Int(Span),
    Name(Span),
    /// A literal the layout lab cannot use as a length (float, string, ...).
    Other(&'static str),
    Unary(&'static str, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    /// A constant's value the lab does not evaluate (`5 * time.Second`,
    /// `len(x)`): read past, an error only if a length needs it.
    Unsupported,
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    depth: u32,
}

/// Parses `src` into declarations.
pub fn parse(src: &str) -> Result<File, Error> {
    let (toks, comments) = tokenize(src)?;
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        depth: 0,
    };
    let mut file = p.file()?;
    file.comments = comments;
    Ok(file)
}

fn describe(src: &str, t: Token) -> String {
    match t.tok {
        Tok::Eof => "EOF".into(),
        Tok::Semi if t.span.start == t.span.end => "newline".into(),
        Tok::Ident => format!("name {}", t.span.text(src)),
        Tok::Int | Tok::Float | Tok::Char | Tok::Str => {
            let text = t.span.text(src);
            let short: String = text.chars().take(20).collect();
            format!("literal {short}")
        }
        _ => format!("'{}'", t.span.text(src)),
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Token {
        self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn peek_at(&self, n: usize) -> Token {
        self.toks[(self.pos + n).min(self.toks.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let t = self.peek();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn text(&self, t: Token) -> &'a str {
        t.span.text(self.src)
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek().tok, Tok::Punct(q) if q == p)
    }

    fn is_keyword(&self, kw: &str) -> bool {
        let t = self.peek();
        t.tok == Tok::Ident && self.text(t) == kw
    }

    fn error_here(&self, expected: &str) -> Error {
        let t = self.peek();
        Error::at(
            self.src,
            t.span.start,
            format!("expected {expected}, found {}", describe(self.src, t)),
        )
    }

    fn expect_punct(&mut self, p: &str) -> Result<Token, Error> {
        if self.is_punct(p) {
            Ok(self.bump())
        } else {
            Err(self.error_here(&format!("'{p}'")))
        }
    }

    fn expect_ident(&mut self, what: &str) -> Result<Span, Error> {
        let t = self.peek();
        if t.tok == Tok::Ident && !is_keyword(self.text(t)) {
            self.bump();
            Ok(t.span)
        } else {
            Err(self.error_here(what))
        }
    }

    /// A `;` or the end of a group: the spec lets the semicolon before a
    /// closing `)` or `}` be omitted.
    fn expect_semi(&mut self, closer: Option<&str>) -> Result<(), Error> {
        match self.peek().tok {
            Tok::Semi => {
                self.bump();
                Ok(())
            }
            Tok::Eof => Ok(()),
            Tok::Punct(p) if Some(p) == closer => Ok(()),
            _ => Err(self.error_here("';' or newline")),
        }
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(Error::at(
                self.src,
                self.peek().span.start,
                format!("nesting deeper than the limit of {MAX_DEPTH} levels"),
            ))
        } else {
            Ok(())
        }
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn file(&mut self) -> Result<File, Error> {
        let mut file = File::default();
        while self.peek().tok == Tok::Semi {
            self.bump();
        }
        if self.is_keyword("package") {
            self.bump();
            self.expect_ident("package name")?;
            self.expect_semi(None)?;
        }
        loop {
            while self.peek().tok == Tok::Semi {
                self.bump();
            }
            let t = self.peek();
            if t.tok == Tok::Eof {
                return Ok(file);
            }
            match self.text(t) {
                "import" if t.tok == Tok::Ident => {
                    self.bump();
                    let imports = self.group(|p| p.import_spec())?;
                    file.imports.extend(imports);
                }
                "type" if t.tok == Tok::Ident => {
                    self.bump();
                    let specs = self.group(|p| p.type_spec())?;
                    for spec in specs {
                        match spec {
                            Ok(spec) => file.types.push(spec),
                            Err(generic) => file.skipped.push(generic),
                        }
                    }
                }
                "const" if t.tok == Tok::Ident => {
                    self.bump();
                    self.const_decl(&mut file.consts)?;
                }
                "var" if t.tok == Tok::Ident => {
                    self.bump();
                    self.skip_to_end(t.span.start)?;
                    file.skipped.push(SkippedDecl {
                        kind: SkipKind::Var,
                        name: Span::default(),
                        span: self.span_from(t.span.start),
                    });
                }
                "func" if t.tok == Tok::Ident => {
                    self.bump();
                    let method = self.is_punct("(");
                    if method {
                        self.skip_balanced_group(t.span.start)?;
                    }
                    let name = self.expect_ident("function name")?;
                    self.skip_to_end(t.span.start)?;
                    file.skipped.push(SkippedDecl {
                        kind: if method {
                            SkipKind::Method
                        } else {
                            SkipKind::Func
                        },
                        name,
                        span: self.span_from(t.span.start),
                    });
                }
                _ => return Err(self.error_here("declaration (type, const, var, func or import)")),
            }
            self.expect_semi(None)?;
        }
    }

    /// `X spec` or `X ( spec; spec; ... )`.
    fn group<T>(
        &mut self,
        mut spec: impl FnMut(&mut Self) -> Result<T, Error>,
    ) -> Result<Vec<T>, Error> {
        let mut out = Vec::new();
        if self.is_punct("(") {
            self.bump();
            loop {
                while self.peek().tok == Tok::Semi {
                    self.bump();
                }
                if self.is_punct(")") {
                    self.bump();
                    return Ok(out);
                }
                out.push(spec(self)?);
                self.expect_semi(Some(")"))?;
            }
        }
        out.push(spec(self)?);
        Ok(out)
    }

    fn import_spec(&mut self) -> Result<Import, Error> {
        let mut name = None;
        if self.peek().tok == Tok::Ident || self.is_punct(".") {
            name = Some(self.bump().span);
        }
        if self.peek().tok != Tok::Str {
            return Err(self.error_here("import path"));
        }
        let quoted = self.bump().span;
        let path = Span {
            start: (quoted.start + 1).min(quoted.end),
            end: quoted.end.saturating_sub(1).max(quoted.start),
        };
        Ok(Import { name, path })
    }

    /// A type spec, or the generic type it declares, read past.
    fn type_spec(&mut self) -> Result<Result<TypeSpec, SkippedDecl>, Error> {
        let name = self.expect_ident("type name")?;
        // `type T[P any] ...` declares a generic type; `type T [N]E` does not.
        if self.is_punct("[") && self.peek_at(1).tok == Tok::Ident {
            let after = self.peek_at(2);
            if after.tok == Tok::Ident || matches!(after.tok, Tok::Punct("," | "*" | "~" | "[")) {
                self.skip_to_end(name.start)?;
                return Ok(Err(SkippedDecl {
                    kind: SkipKind::Generic,
                    name,
                    span: self.span_from(name.start),
                }));
            }
        }
        let alias = self.is_punct_eq();
        if alias {
            self.bump();
        }
        if self.constraint_ahead() {
            self.skip_to_end(name.start)?;
            return Ok(Err(SkippedDecl {
                kind: SkipKind::Constraint,
                name,
                span: self.span_from(name.start),
            }));
        }
        let ty = self.ty()?;
        Ok(Ok(TypeSpec { name, alias, ty }))
    }

    /// Whether an `interface { ... }` starts here whose elements make it a
    /// constraint (`~T`, a union `A | B`, or `comparable`): legal to
    /// declare, usable only in type parameters.
    fn constraint_ahead(&self) -> bool {
        if !self.is_keyword("interface") || !matches!(self.peek_at(1).tok, Tok::Punct("{")) {
            return false;
        }
        let mut depth = 0u32;
        for t in self.toks.iter().skip(self.pos + 1) {
            match t.tok {
                Tok::Punct("(" | "[" | "{") => depth += 1,
                Tok::Punct(")" | "]" | "}") => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return false;
                    }
                }
                Tok::Punct("~" | "|") if depth == 1 => return true,
                Tok::Ident if depth == 1 && t.span.text(self.src) == "comparable" => return true,
                Tok::Eof => return false,
                _ => {}
            }
        }
        false
    }

    /// From `start` to the end of the last token read.
    fn span_from(&self, start: u32) -> Span {
        let end = self.toks[self.pos.saturating_sub(1)].span.end.max(start);
        Span { start, end }
    }

    /// Reads past the rest of a declaration: up to a `;` (written or at a
    /// newline) outside every bracket, or a closer that ends the group. The
    /// tokens already hold strings, runes, raw strings and comments whole,
    /// so a brace inside them is not counted. Iterative: no nesting limit.
    fn skip_to_end(&mut self, start: u32) -> Result<(), Error> {
        let mut depth = 0u32;
        loop {
            let t = self.peek();
            match t.tok {
                Tok::Eof if depth == 0 => return Ok(()),
                Tok::Eof => return Err(self.unclosed(start)),
                Tok::Semi if depth == 0 => return Ok(()),
                Tok::Punct("(" | "[" | "{") => depth += 1,
                Tok::Punct(")" | "]" | "}") => {
                    if depth == 0 {
                        // The end of the group the declaration is in, or a
                        // stray closer the caller reports.
                        return Ok(());
                    }
                    depth -= 1;
                }
                _ => {}
            }
            self.bump();
        }
    }

    /// Reads past a balanced `( ... )` (a method's receiver).
    fn skip_balanced_group(&mut self, start: u32) -> Result<(), Error> {
        let mut depth = 0u32;
        loop {
            let t = self.bump();
            match t.tok {
                Tok::Eof => return Err(self.unclosed(start)),
                Tok::Punct("(" | "[" | "{") => depth += 1,
                Tok::Punct(")" | "]" | "}") => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
    }

    fn unclosed(&self, start: u32) -> Error {
        let at = Error::at(self.src, start, String::new());
        Error::at(
            self.src,
            self.src.len() as u32,
            format!(
                "the declaration at line {}, column {} is not closed: a bracket is still open at the end",
                at.line, at.col
            ),
        )
    }

    fn is_punct_eq(&self) -> bool {
        self.is_punct("=")
    }

    fn const_decl(&mut self, out: &mut Vec<ConstSpec>) -> Result<(), Error> {
        let grouped = self.is_punct("(");
        let mut previous: Option<Vec<Expr>> = None;
        let mut iota = 0i128;
        let specs = self.group(|p| {
            let mut names = alloc::vec![p.expect_ident("constant name")?];
            while p.is_punct(",") {
                p.bump();
                names.push(p.expect_ident("constant name")?);
            }
            // An optional type: `const N int = 4`, or `time.Duration`.
            if !p.is_punct("=") && p.peek().tok != Tok::Semi && !p.is_punct(")") {
                p.ty()?;
            }
            let values = if p.is_punct("=") {
                p.bump();
                let v = p.const_values(names.len(), names[0].start)?;
                previous = Some(v.clone());
                v
            } else if grouped {
                match &previous {
                    Some(v) => v.clone(),
                    None => return Err(p.error_here("'=' and a value")),
                }
            } else {
                return Err(p.error_here("'=' and a value"));
            };
            if values.len() != names.len() {
                return Err(Error::at(
                    p.src,
                    names[0].start,
                    format!(
                        "{} names but {} values in constant declaration",
                        names.len(),
                        values.len()
                    ),
                ));
            }
            let specs: Vec<ConstSpec> = names
                .into_iter()
                .zip(values)
                .map(|(name, value)| ConstSpec { name, value, iota })
                .collect();
            iota += 1;
            Ok(specs)
        })?;
        out.extend(specs.into_iter().flatten());
        Ok(())
    }

    /// The values of one constant spec. A value the lab cannot read
    /// (`5 * time.Second`) is read past: the spec's constants become
    /// [`ExprKind::Unsupported`], an error only where a length uses one.
    fn const_values(&mut self, names: usize, start: u32) -> Result<Vec<Expr>, Error> {
        let (pos, depth) = (self.pos, self.depth);
        let mut read = || -> Result<Vec<Expr>, Error> {
            let mut v = alloc::vec![self.expr()?];
            while self.is_punct(",") {
                self.bump();
                v.push(self.expr()?);
            }
            if !matches!(self.peek().tok, Tok::Semi | Tok::Eof) && !self.is_punct(")") {
                return Err(self.error_here("';' or newline"));
            }
            Ok(v)
        };
        if let Ok(v) = read() {
            return Ok(v);
        }
        (self.pos, self.depth) = (pos, depth);
        self.skip_to_end(start)?;
        let span = self.span_from(self.toks[pos.min(self.toks.len() - 1)].span.start);
        Ok(alloc::vec![
            Expr {
                kind: ExprKind::Unsupported,
                span,
            };
            names
        ])
    }

    fn starts_type(&self) -> bool {
        self.starts_type_at(self.pos)
    }

    /// Whether token `at` can begin a `Type`.
    fn starts_type_at(&self, at: usize) -> bool {
        let t = self.toks[at.min(self.toks.len() - 1)];
        match t.tok {
            Tok::Ident => {
                let w = self.text(t);
                !is_keyword(w) || matches!(w, "struct" | "interface" | "map" | "chan" | "func")
            }
            Tok::Punct(p) => matches!(p, "*" | "[" | "(" | "<-"),
            _ => false,
        }
    }

    /// Parses a `Type`.
    pub(crate) fn ty(&mut self) -> Result<TypeExpr, Error> {
        self.enter()?;
        let r = self.ty_inner();
        self.leave();
        r
    }

    fn boxed(&mut self) -> Result<Box<TypeExpr>, Error> {
        self.ty().map(Box::new)
    }

    fn finish(&self, start: u32, kind: TypeExprKind) -> TypeExpr {
        let end = self.toks[self.pos.saturating_sub(1)].span.end.max(start);
        TypeExpr {
            kind,
            span: Span { start, end },
        }
    }

    fn ty_inner(&mut self) -> Result<TypeExpr, Error> {
        let t = self.peek();
        let start = t.span.start;
        match t.tok {
            Tok::Punct("*") => {
                self.bump();
                let elem = self.boxed()?;
                Ok(self.finish(start, TypeExprKind::Pointer(elem)))
            }
            Tok::Punct("(") => {
                self.bump();
                let inner = self.ty()?;
                self.expect_punct(")")?;
                Ok(inner)
            }
            Tok::Punct("[") => {
                self.bump();
                if self.is_punct("]") {
                    self.bump();
                    let elem = self.boxed()?;
                    return Ok(self.finish(start, TypeExprKind::Slice(elem)));
                }
                if self.is_punct("...") {
                    return Err(Error::at(
                        self.src,
                        self.peek().span.start,
                        "invalid use of [...] array (outside a composite literal)",
                    ));
                }
                let len = self.expr()?;
                self.expect_punct("]")?;
                let elem = self.boxed()?;
                Ok(self.finish(start, TypeExprKind::Array(len, elem)))
            }
            Tok::Punct("<-") => {
                self.bump();
                if !self.is_keyword("chan") {
                    return Err(self.error_here("chan"));
                }
                self.bump();
                let elem = self.boxed()?;
                Ok(self.finish(start, TypeExprKind::Chan(elem)))
            }
            Tok::Ident => match self.text(t) {
                "struct" => self.struct_type(),
                "interface" => self.interface_type(),
                "map" => {
                    self.bump();
                    self.expect_punct("[")?;
                    let key = self.boxed()?;
                    self.expect_punct("]")?;
                    let value = self.boxed()?;
                    Ok(self.finish(start, TypeExprKind::Map(key, value)))
                }
                "chan" => {
                    self.bump();
                    if self.is_punct("<-") {
                        self.bump();
                    }
                    let elem = self.boxed()?;
                    Ok(self.finish(start, TypeExprKind::Chan(elem)))
                }
                "func" => {
                    self.bump();
                    let mut types = Vec::new();
                    self.signature(&mut types)?;
                    Ok(self.finish(start, TypeExprKind::Func(types)))
                }
                w if is_keyword(w) => Err(self.error_here("type")),
                _ => self.type_name(),
            },
            _ => Err(self.error_here("type")),
        }
    }

    /// `Name`, `pkg.Name`, optionally followed by type arguments `[T]`.
    fn type_name(&mut self) -> Result<TypeExpr, Error> {
        let first = self.expect_ident("type name")?;
        let (pkg, name) = if self.is_punct(".") {
            self.bump();
            (Some(first), self.expect_ident("type name after '.'")?)
        } else {
            (None, first)
        };
        let mut args = Vec::new();
        // `atomic.Pointer[T]`, `List[int]`. After a plain name, `[` may
        // instead start the array type of a parameter (`func(a [4]int)`).
        if self.is_punct("[") && (pkg.is_some() || self.type_args_at(self.pos)) {
            self.bump();
            args.push(self.ty()?);
            while self.is_punct(",") {
                self.bump();
                if self.is_punct("]") {
                    break;
                }
                args.push(self.ty()?);
            }
            self.expect_punct("]")?;
        }
        Ok(self.finish(first.start, TypeExprKind::Name { pkg, name, args }))
    }

    /// Whether the `[` at token `at` opens type arguments (`List[int]`)
    /// rather than an array type (`a [4]int`): as go/parser decides, by
    /// what follows the matching `]`: a type means the bracket was an
    /// array's length. Looks at most [`MAX_LOOKAHEAD`] tokens ahead.
    fn type_args_at(&self, at: usize) -> bool {
        if self
            .toks
            .get(at + 1)
            .is_some_and(|t| t.tok == Tok::Punct("]"))
        {
            return false;
        }
        let mut depth = 0u32;
        let end = self.toks.len().min(at + MAX_LOOKAHEAD);
        for i in at..end {
            match self.toks[i].tok {
                Tok::Punct("(" | "[" | "{") => depth += 1,
                Tok::Punct(p @ (")" | "]" | "}")) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return p == "]" && !self.starts_type_at(i + 1);
                    }
                }
                Tok::Eof => return false,
                _ => {}
            }
        }
        false
    }

    fn struct_type(&mut self) -> Result<TypeExpr, Error> {
        let start = self.bump().span.start;
        self.expect_punct("{")?;
        let mut fields = Vec::new();
        loop {
            while self.peek().tok == Tok::Semi {
                self.bump();
            }
            if self.is_punct("}") {
                self.bump();
                return Ok(self.finish(start, TypeExprKind::Struct(fields)));
            }
            if self.peek().tok == Tok::Eof {
                return Err(self.error_here("'}'"));
            }
            fields.push(self.field_decl()?);
            self.expect_semi(Some("}"))?;
        }
    }

    fn field_decl(&mut self) -> Result<FieldDecl, Error> {
        let start = self.peek().span.start;
        let t = self.peek();
        let embedded = match t.tok {
            Tok::Punct("*") => true,
            Tok::Ident => {
                matches!(self.peek_at(1).tok, Tok::Punct(".") | Tok::Semi | Tok::Str)
                    || matches!(self.peek_at(1).tok, Tok::Punct("}"))
                    || (self.peek_at(1).tok == Tok::Punct("[") && self.type_args_at(self.pos + 1))
            }
            _ => return Err(self.error_here("field name or embedded type")),
        };
        let mut names = Names::default();
        let ty = if embedded {
            let star = self.is_punct("*");
            if star {
                self.bump();
            }
            let name = self.type_name()?;
            if star {
                TypeExpr {
                    span: Span {
                        start,
                        end: name.span.end,
                    },
                    kind: TypeExprKind::Pointer(Box::new(name)),
                }
            } else {
                name
            }
        } else {
            names.push(self.expect_ident("field name")?);
            while self.is_punct(",") {
                self.bump();
                names.push(self.expect_ident("field name")?);
            }
            if !self.starts_type() {
                return Err(self.error_here("field type"));
            }
            self.ty()?
        };
        let tag = if self.peek().tok == Tok::Str {
            Some(self.bump().span)
        } else {
            None
        };
        let end = tag.map_or(ty.span.end, |t| t.end);
        Ok(FieldDecl {
            names,
            ty,
            tag,
            span: Span { start, end },
        })
    }

    fn interface_type(&mut self) -> Result<TypeExpr, Error> {
        let start = self.bump().span.start;
        self.expect_punct("{")?;
        let mut methods = 0u32;
        let mut embeds = Vec::new();
        let mut method_types = Vec::new();
        loop {
            while self.peek().tok == Tok::Semi {
                self.bump();
            }
            if self.is_punct("}") {
                self.bump();
                return Ok(self.finish(
                    start,
                    TypeExprKind::Interface {
                        methods,
                        embeds,
                        method_types,
                    },
                ));
            }
            if self.peek().tok == Tok::Eof {
                return Err(self.error_here("'}'"));
            }
            if self.is_punct("~") {
                return Err(Error::at(
                    self.src,
                    self.peek().span.start,
                    "type constraints (~T, unions) cannot be used as field types",
                ));
            }
            if self.peek().tok == Tok::Ident && self.peek_at(1).tok == Tok::Punct("(") {
                self.bump();
                self.signature(&mut method_types)?;
                methods += 1;
            } else {
                embeds.push(self.ty()?);
                if self.is_punct("|") {
                    return Err(Error::at(
                        self.src,
                        self.peek().span.start,
                        "type constraints (~T, unions) cannot be used as field types",
                    ));
                }
            }
            self.expect_semi(Some("}"))?;
        }
    }

    /// `(params) results`: collects every type named, for checking.
    fn signature(&mut self, types: &mut Vec<TypeExpr>) -> Result<(), Error> {
        self.enter()?;
        let r = self.signature_inner(types);
        self.leave();
        r
    }

    fn signature_inner(&mut self, types: &mut Vec<TypeExpr>) -> Result<(), Error> {
        self.params(types)?;
        if self.is_punct("(") {
            self.params(types)?;
        } else if self.starts_type() {
            types.push(self.ty()?);
        }
        Ok(())
    }

    /// A parameter list. Go's rule: either every entry is `name Type` (with
    /// `a, b T` sharing a type), or every entry is a type.
    fn params(&mut self, types: &mut Vec<TypeExpr>) -> Result<(), Error> {
        self.expect_punct("(")?;
        let mut entries: Vec<(TypeExpr, Option<TypeExpr>)> = Vec::new();
        while !self.is_punct(")") {
            let variadic = self.is_punct("...");
            if variadic {
                self.bump();
            }
            let first = self.ty()?;
            let second = if !self.is_punct(",") && !self.is_punct(")") {
                if self.is_punct("...") {
                    self.bump();
                }
                Some(self.ty()?)
            } else {
                None
            };
            entries.push((first, second));
            if !self.is_punct(")") {
                self.expect_punct(",")?;
            }
        }
        self.bump();
        let named = entries.iter().any(|e| e.1.is_some());
        for (first, second) in entries {
            match second {
                Some(t) => types.push(t),
                None if named => {
                    if !matches!(first.kind, TypeExprKind::Name { pkg: None, .. }) {
                        return Err(Error::at(
                            self.src,
                            first.span.start,
                            "mixed named and unnamed parameters",
                        ));
                    }
                }
                None => types.push(first),
            }
        }
        Ok(())
    }

    /// A constant expression: Go's binary operators with their precedence.
    pub(crate) fn expr(&mut self) -> Result<Expr, Error> {
        self.binary(1)
    }

    fn binary(&mut self, min_prec: u8) -> Result<Expr, Error> {
        let mut left = self.unary()?;
        // A long chain like 1+1+...+1 builds a deep tree: count its length
        // against the nesting limit.
        let mut chain = 0u32;
        loop {
            let Tok::Punct(op) = self.peek().tok else {
                return Ok(left);
            };
            let prec = match op {
                "||" => 1,
                "&&" => 2,
                "==" | "!=" | "<" | "<=" | ">" | ">=" => 3,
                "+" | "-" | "|" | "^" => 4,
                "*" | "/" | "%" | "<<" | ">>" | "&" | "&^" => 5,
                _ => 0,
            };
            if prec == 0 || prec < min_prec {
                return Ok(left);
            }
            self.bump();
            chain += 1;
            if self.depth + chain > MAX_DEPTH {
                return Err(Error::at(
                    self.src,
                    self.peek().span.start,
                    format!("nesting deeper than the limit of {MAX_DEPTH} levels"),
                ));
            }
            self.depth += chain;
            let right = self.binary(prec + 1);
            self.depth -= chain;
            let right = right?;
            let span = Span {
                start: left.span.start,
                end: right.span.end,
            };
            left = Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                span,
            };
        }
    }

    fn unary(&mut self) -> Result<Expr, Error> {
        self.enter()?;
        let r = self.unary_inner();
        self.leave();
        r
    }

    fn unary_inner(&mut self) -> Result<Expr, Error> {
        let t = self.peek();
        let kind = match t.tok {
            Tok::Punct(op @ ("+" | "-" | "^" | "!")) => {
                self.bump();
                let x = self.unary()?;
                let span = Span {
                    start: t.span.start,
                    end: x.span.end,
                };
                return Ok(Expr {
                    kind: ExprKind::Unary(op, Box::new(x)),
                    span,
                });
            }
            Tok::Punct("(") => {
                self.bump();
                let x = self.expr()?;
                let close = self.expect_punct(")")?;
                return Ok(Expr {
                    kind: x.kind,
                    span: Span {
                        start: t.span.start,
                        end: close.span.end,
                    },
                });
            }
            Tok::Int => ExprKind::Int(t.span),
            Tok::Float => ExprKind::Other("floating-point"),
            Tok::Char => ExprKind::Other("rune"),
            Tok::Str => ExprKind::Other("string"),
            Tok::Ident if !is_keyword(self.text(t)) => {
                if self.peek_at(1).tok == Tok::Punct(".") || self.peek_at(1).tok == Tok::Punct("(")
                {
                    return Err(Error::at(
                        self.src,
                        t.span.start,
                        "only integer literals, constants and operators are supported in constant expressions",
                    ));
                }
                ExprKind::Name(t.span)
            }
            _ => return Err(self.error_here("constant expression")),
        };
        self.bump();
        Ok(Expr { kind, span: t.span })
    }
}
