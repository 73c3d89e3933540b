//! Every Go name and every Go quote that the model and the site cite,
//! found again in the pinned GOROOT.
//!
//! The sources read are the model (`crates/runtime-model/src`), the CLI
//! (`crates/cli/src`) and the site (`web/src`), without their test code.
//! From each Rust file this takes its comments (a run of `//` lines is one
//! text) and its string literals (the site's prose and the narration), and
//! finds in them:
//!
//! - a Go file (`runtime/proc.go`, `proc.go`, a source link's
//!   `src/runtime/proc.go`) or a Go package (`internal/runtime/gc`,
//!   `go/types`): it must exist;
//! - the names cited from it: in the same sentence, after it, each name in
//!   backticks, and the word right after the file (`stack.go stackMin`);
//! - the name after `Mirrors` (`Mirrors mcache.refill`), looked up in a
//!   file of the same sentence, else in the files the Rust file cites,
//!   else in package runtime;
//! - a qualified name (`runtime.Gosched`, `sync.(*Mutex).Lock`,
//!   `gc.NumSizeClasses`): looked up in its package;
//! - a lower-camel-case Go-style name in backticks (`exitsyscallTryGetP`),
//!   anywhere: looked up in package runtime, then the whole GOROOT;
//! - a quote ("...") in a text that cites a Go file or package: it must
//!   occur in that file (or package), comments or code, ignoring
//!   whitespace, line breaks and `//`; `...` and `[...]` mark cuts.
//!
//! "Defines" is read loosely, from the Go text: a func, a method
//! (`T.m`, `(*T).m`), a type, a constant, a variable (also a local one),
//! a struct field, an assembly `TEXT`. A dotted name `x.y` also passes when
//! the file says `x.y` literally (a field of a package variable). The two
//! tests fail with every citation not found, each with its Rust file and
//! line. A third reads the Go functions the models' event streams name
//! (the narration's and the source links' names) by running them, and
//! looks each up in the file the event names; `go_lines` checks the line
//! each source link opens at.

use conformance::goroot;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

// ---------------------------------------------------------------- Rust side

/// A comment (a run of `//` lines) or a string literal of a Rust file,
/// with the line of each of its bytes.
#[derive(Debug)]
struct Text {
    text: String,
    lines: Vec<u32>,
    comment: bool,
}

impl Text {
    fn line_at(&self, byte: usize) -> u32 {
        self.lines
            .get(byte.min(self.lines.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    }
}

/// The comments and string literals of `src`, up to its `#[cfg(test)]`.
fn texts(src: &str) -> Vec<Text> {
    let src = match src.find("\n#[cfg(test)]") {
        Some(i) => &src[..i],
        None => src,
    };
    let b = src.as_bytes();
    let mut out: Vec<Text> = Vec::new();
    let mut line = 1u32;
    let mut i = 0;
    // The line the last comment ended on, to join a run of them.
    let mut last_comment_line = 0u32;
    let push = |t: &mut Text, s: &str, line: u32| {
        t.text.push_str(s);
        t.lines.extend(std::iter::repeat_n(line, s.len()));
    };
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            i += 1;
        } else if b[i..].starts_with(b"//") {
            let end = src[i..].find('\n').map_or(b.len(), |e| i + e);
            let body = src[i + 2..end].trim_start_matches(['/', '!']);
            let body = body.strip_prefix(' ').unwrap_or(body);
            let join = last_comment_line + 1 == line
                && out.last().is_some_and(|t| t.comment)
                && src[..i]
                    .rsplit('\n')
                    .next()
                    .is_some_and(|pre| pre.trim().is_empty());
            if !join {
                out.push(Text {
                    text: String::new(),
                    lines: Vec::new(),
                    comment: true,
                });
            } else {
                let t = out.last_mut().unwrap();
                push(t, "\n", line);
            }
            let t = out.last_mut().unwrap();
            push(t, body, line);
            last_comment_line = line;
            i = end;
        } else if b[i..].starts_with(b"/*") {
            let end = src[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            let mut t = Text {
                text: String::new(),
                lines: Vec::new(),
                comment: true,
            };
            for (k, l) in src[i + 2..end.saturating_sub(2).max(i + 2)]
                .split('\n')
                .enumerate()
            {
                if k > 0 {
                    push(&mut t, "\n", line);
                    line += 1;
                }
                push(&mut t, l.trim_start_matches([' ', '*']), line);
            }
            out.push(t);
            i = end;
        } else if c == b'r'
            && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            let hashes = b[i + 1..].iter().take_while(|&&h| h == b'#').count();
            if b.get(i + 1 + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let start = i + 2 + hashes;
            let end = src[start..].find(&close).map_or(b.len(), |e| start + e);
            let mut t = Text {
                text: String::new(),
                lines: Vec::new(),
                comment: false,
            };
            for ch in src[start..end].chars() {
                let mut s = [0u8; 4];
                push(&mut t, ch.encode_utf8(&mut s), line);
                if ch == '\n' {
                    line += 1;
                }
            }
            out.push(t);
            i = (end + close.len()).min(b.len());
        } else if c == b'"' {
            let mut t = Text {
                text: String::new(),
                lines: Vec::new(),
                comment: false,
            };
            let mut chars = src[i + 1..].char_indices().peekable();
            let mut end = b.len();
            while let Some((k, ch)) = chars.next() {
                match ch {
                    '"' => {
                        end = i + 1 + k + 1;
                        break;
                    }
                    '\\' => match chars.next() {
                        Some((_, '\n')) => {
                            line += 1;
                            while chars.peek().is_some_and(|(_, w)| w.is_whitespace()) {
                                if chars.next().is_some_and(|(_, w)| w == '\n') {
                                    line += 1;
                                }
                            }
                        }
                        Some((_, 'n')) => push(&mut t, "\n", line),
                        Some((_, e)) => {
                            let mut s = [0u8; 4];
                            push(&mut t, e.encode_utf8(&mut s), line);
                        }
                        None => {}
                    },
                    _ => {
                        let mut s = [0u8; 4];
                        push(&mut t, ch.encode_utf8(&mut s), line);
                        if ch == '\n' {
                            line += 1;
                        }
                    }
                }
            }
            out.push(t);
            i = end;
        } else if c == b'\'' {
            // A char literal ('"', '\'', 'x'), or a lifetime.
            if b.get(i + 1) == Some(&b'\\') {
                let end = src[i + 2..].find('\'').map_or(b.len(), |e| i + 2 + e + 1);
                i = end;
            } else {
                let ch_len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                if b.get(i + 1 + ch_len) == Some(&b'\'') {
                    i += 2 + ch_len;
                } else {
                    i += 1;
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------- Go side

/// The names a Go (or Go assembly) file defines: funcs, `T.m` methods,
/// types, constants, variables (also locals), struct fields as `f` and
/// `T.f`, and assembly `TEXT` symbols.
fn go_defs(src: &str) -> BTreeSet<String> {
    static RE: OnceLock<[Regex; 8]> = OnceLock::new();
    let [func, typ, single, block_start, entry, local, text, strukt] = RE.get_or_init(|| {
        [
            Regex::new(r"^func\s+(?:\(\s*(?:\w+\s+)?\*?(\w+)(?:\[[^\]]*\])?\s*\)\s*)?(\w+)")
                .unwrap(),
            Regex::new(r"^\s*type\s+(\w+)").unwrap(),
            Regex::new(r"^\s*(?:const|var)\s+(\w+(?:\s*,\s*\w+)*)").unwrap(),
            Regex::new(r"^\s*(const|var|type)\s*\(\s*(?://.*)?$").unwrap(),
            Regex::new(r"^\s*(\w+(?:\s*,\s*\w+)*)").unwrap(),
            Regex::new(r"(\w+(?:\s*,\s*\w+)*)\s*:=").unwrap(),
            Regex::new(r"^TEXT\s+(?:\w*)·(\w+)").unwrap(),
            Regex::new(r"^\s*(?:type\s+)?(\w+)(?:\[[^\]]*\])?\s+struct\s*\{").unwrap(),
        ]
    });
    let mut out = BTreeSet::new();
    let mut block: Option<String> = None;
    // The struct being read and the brace depth inside it.
    let mut in_struct: Option<(String, i32)> = None;
    for raw in src.lines() {
        let line = raw.split("//").next().unwrap_or("");
        if let Some((name, depth)) = &mut in_struct {
            if *depth == 1 {
                let t = line.trim();
                if let Some(c) = entry.captures(t) {
                    for f in c[1].split(',') {
                        let f = f.trim();
                        out.insert(f.to_owned());
                        out.insert(format!("{name}.{f}"));
                    }
                }
            }
            *depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            if *depth <= 0 {
                in_struct = None;
            }
            continue;
        }
        if let Some(c) = func.captures(line) {
            out.insert(c[2].to_owned());
            if let Some(t) = c.get(1) {
                out.insert(format!("{}.{}", t.as_str(), &c[2]));
            }
        }
        if let Some(c) = text.captures(line) {
            out.insert(c[1].to_owned());
        }
        if let Some(c) = typ.captures(line) {
            out.insert(c[1].to_owned());
        }
        if let Some(c) = single.captures(line) {
            out.extend(c[1].split(',').map(|n| n.trim().to_owned()));
        }
        if let Some(c) = local.captures(line) {
            out.extend(c[1].split(',').map(|n| n.trim().to_owned()));
        }
        if let Some(c) = block_start.captures(line) {
            block = Some(c[1].to_owned());
        } else if block.is_some() {
            if line.trim_start().starts_with(')') {
                block = None;
            } else if let Some(c) = entry.captures(line) {
                out.extend(c[1].split(',').map(|n| n.trim().to_owned()));
            }
        }
        if let Some(c) = strukt.captures(line) {
            if !line.contains('}') {
                in_struct = Some((c[1].to_owned(), 1));
            }
        }
    }
    out
}

/// The pinned GOROOT's `src`, its files read once.
struct Goroot {
    src: PathBuf,
    files: HashMap<String, Option<(String, BTreeSet<String>)>>,
    /// Every `.go` and `.s` file under `src`, by base name.
    by_name: BTreeMap<String, Vec<String>>,
}

/// A name (or a file) not found, or a quote not found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Miss {
    file: String,
    line: u32,
    what: String,
}

impl Goroot {
    fn new(src: PathBuf) -> Goroot {
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut stack = vec![src.clone()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    if p.file_name().is_some_and(|n| n != "testdata") {
                        stack.push(p);
                    }
                } else if let Some(name) = p.file_name().and_then(|n| n.to_str()) {
                    if name.ends_with(".go") || name.ends_with(".s") {
                        let rel = p.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
                        by_name.entry(name.to_owned()).or_default().push(rel);
                    }
                }
            }
        }
        for v in by_name.values_mut() {
            v.sort();
        }
        Goroot {
            src,
            files: HashMap::new(),
            by_name,
        }
    }

    /// A fake GOROOT of `files` (path, text), for the checker's own tests.
    #[cfg(test)]
    fn fake(files: &[(&str, &str)]) -> Goroot {
        let mut g = Goroot {
            src: PathBuf::from("/nonexistent"),
            files: HashMap::new(),
            by_name: BTreeMap::new(),
        };
        for (path, text) in files {
            let base = path.rsplit('/').next().unwrap().to_owned();
            g.by_name.entry(base).or_default().push((*path).to_owned());
            g.files.insert(
                (*path).to_owned(),
                Some(((*text).to_owned(), go_defs(text))),
            );
        }
        g
    }

    fn file(&mut self, rel: &str) -> Option<&(String, BTreeSet<String>)> {
        let src = &self.src;
        self.files
            .entry(rel.to_owned())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(src.join(rel)).ok()?;
                let defs = go_defs(&text);
                Some((text, defs))
            })
            .as_ref()
    }

    /// The files a citation of `path` may mean: the file itself, a path
    /// that ends with it (`walk/convert.go`), or, for a bare name, every
    /// file of that name; `<arch>` matches any directory.
    fn resolve_file(&self, path: &str) -> Vec<String> {
        let path = path.trim_start_matches("./");
        let base = path.rsplit('/').next().unwrap_or(path);
        let Some(candidates) = self.by_name.get(base) else {
            return Vec::new();
        };
        let re = Regex::new(r"<\w+>")
            .unwrap()
            .replace_all(&regex::escape(path), "[^/]+")
            .into_owned();
        let pattern = Regex::new(&format!("(^|/){re}$")).unwrap();
        let mut found: Vec<String> = candidates
            .iter()
            .filter(|c| pattern.is_match(c))
            .cloned()
            .collect();
        // A bare name means the runtime's file when there is one.
        if !path.contains('/') {
            let runtime: Vec<String> = found
                .iter()
                .filter(|f| f.starts_with("runtime/"))
                .cloned()
                .collect();
            if !runtime.is_empty() {
                found = runtime;
            }
        }
        found
    }

    /// The files of a package directory and the directories under it,
    /// without tests.
    fn package_files(&self, dir: &str) -> Vec<String> {
        let prefix = format!("{dir}/");
        let mut out: Vec<String> = self
            .by_name
            .values()
            .flatten()
            .filter(|f| f.starts_with(&prefix) && !f.ends_with("_test.go"))
            .cloned()
            .collect();
        out.extend(
            self.files
                .keys()
                .filter(|f| f.starts_with(&prefix))
                .cloned(),
        );
        out.sort();
        out.dedup();
        out
    }

    fn is_package(&self, dir: &str) -> bool {
        !self.package_files(dir).is_empty()
    }

    /// Whether one of `files` defines `name`.
    fn defines(&mut self, files: &[String], name: &str) -> bool {
        let name = normalise_name(name);
        files.iter().any(|f| {
            let Some((text, defs)) = self.file(f) else {
                return false;
            };
            if defs.contains(&name) {
                return true;
            }
            match name.split_once('.') {
                Some((a, b)) => {
                    text.contains(&name)
                        || (defs.contains(a) && b.split('.').all(|p| defs.contains(p)))
                }
                None => false,
            }
        })
    }

    /// Whether one of `files` contains `quote`, up to whitespace, line
    /// breaks and `//`; `...` and `[...]` are cuts.
    fn quotes(&mut self, files: &[String], quote: &str) -> bool {
        let parts = quote_parts(quote);
        // A quote may start a sentence that Go starts in capitals.
        let mut flipped = parts.clone();
        if let Some(first) = flipped.first_mut() {
            let mut cs = first.chars();
            if let Some(c) = cs.next() {
                let up: String = if c.is_lowercase() {
                    c.to_uppercase().collect()
                } else {
                    c.to_lowercase().collect()
                };
                *first = up + cs.as_str();
            }
        }
        files.iter().any(|f| {
            let Some((text, _)) = self.file(f) else {
                return false;
            };
            let hay = squash(&text.replace("//", " "));
            [&parts, &flipped].iter().any(|parts| {
                let mut at = 0;
                parts.iter().all(|p| match hay[at..].find(p.as_str()) {
                    Some(k) => {
                        at += k + p.len();
                        true
                    }
                    None => false,
                })
            })
        })
    }
}

/// `(*T).m` as `T.m`; a trailing call `f(x)` or `'s` dropped.
fn normalise_name(name: &str) -> String {
    let mut n = name.replace("(*", "").replace(')', "");
    if let Some(i) = n.find('(') {
        n.truncate(i);
    }
    n.trim_end_matches("'s").trim_end_matches('.').to_owned()
}

/// The package a Go file belongs to, for a name cited near it; the
/// compiler counts as one.
fn package_of(file: &str) -> String {
    if file.starts_with("cmd/compile/") {
        return "cmd/compile".to_owned();
    }
    file.rsplit_once('/').map_or("", |(d, _)| d).to_owned()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The pieces of a quote that must occur in order.
fn quote_parts(quote: &str) -> Vec<String> {
    let cut = Regex::new(r"\[[^\]]*\]|\.\.\.|…|; ").unwrap();
    cut.split(quote)
        .map(|p| squash(p.trim_matches(|c: char| c.is_whitespace() || c == ',')))
        .filter(|p| !p.is_empty())
        .collect()
}

// ---------------------------------------------------------------- citations

/// What one text cites.
#[derive(Debug, Default, PartialEq)]
struct Cited {
    /// (byte, path as written)
    files: Vec<(usize, String)>,
    /// (byte, package dir)
    packages: Vec<(usize, String)>,
    /// (byte, name, where to look): files, a package, or nothing said.
    names: Vec<(usize, String, Scope)>,
    /// (byte, quote, where to look)
    quotes: Vec<(usize, String, Vec<Scope>)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Scope {
    File(String),
    /// A name further on in a file's clause: that file, else its package.
    Near(String),
    Package(String),
    /// A `Mirrors` name with no file or package in its sentence.
    Unsaid,
    /// A Go-style name in backticks with nothing to say where.
    Anywhere,
}

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "does", "do", "for", "from", "has", "in", "is", "of", "on",
    "or", "says", "that", "the", "to", "what", "when", "which", "with", "its", "it", "then", "go1",
    "also", "keeps", "only", "was", "are", "but", "not", "how", "where",
];

const KEYWORDS: &[&str] = &[
    "any",
    "bool",
    "byte",
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "error",
    "fallthrough",
    "false",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "int",
    "interface",
    "iota",
    "map",
    "nil",
    "package",
    "range",
    "return",
    "rune",
    "select",
    "string",
    "struct",
    "switch",
    "true",
    "type",
    "uint",
    "uintptr",
    "var",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "len",
    "cap",
    "new",
    "make",
    "append",
    "copy",
    "panic",
    "recover",
    "print",
    "println",
    "complex64",
    "complex128",
    "unsafe",
    "clear",
    "min",
    "max",
    "close",
    "delete",
];

/// Short package names a qualified name may start with, and where they live.
const PACKAGES: &[(&str, &[&str])] = &[
    ("runtime", &["runtime"]),
    ("sync", &["sync"]),
    ("atomic", &["sync/atomic", "internal/runtime/atomic"]),
    ("debug", &["runtime/debug"]),
    ("unsafe", &["unsafe"]),
    ("reflect", &["reflect"]),
    ("time", &["time"]),
    ("os", &["os"]),
    ("fmt", &["fmt"]),
    ("strings", &["strings"]),
    ("bytes", &["bytes"]),
    ("errors", &["errors"]),
    ("context", &["context"]),
    ("abi", &["internal/abi"]),
    ("gc", &["internal/runtime/gc"]),
    ("goarch", &["internal/goarch"]),
    ("sys", &["internal/runtime/sys"]),
    ("isync", &["internal/sync"]),
    ("slices", &["slices"]),
    ("maps", &["maps"]),
    ("http", &["net/http"]),
    ("json", &["encoding/json"]),
];

/// A Go-style name: `x`, `T.m`, `(*T).m`, `pkg.T.m`, with a call's
/// arguments allowed after it (`netpoll(0)`).
fn as_name(s: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^((?:\(\*[A-Za-z_]\w*\)|[A-Za-z_]\w*)(?:\.(?:\(\*[A-Za-z_]\w*\)|[A-Za-z_]\w*))*)(?:\([^()]*\))?(?:'s)?$").unwrap()
    });
    let s = s.trim();
    let c = re.captures(s)?;
    let n = c[1].to_owned();
    if KEYWORDS.contains(&n.as_str())
        || n.starts_with("go1")
        || n.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return None;
    }
    Some(n)
}

/// A name in code style that Go writes and Rust does not: lower camel case
/// (`findRunnable`), or an underscore and a capital (`_Prunning`).
fn looks_go(name: &str) -> bool {
    let first = name.split('.').next().unwrap_or(name);
    let lower_camel = first.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && first.chars().any(|c| c.is_ascii_uppercase())
        && !first.contains('_');
    let underscore_capital =
        first.starts_with('_') && first[1..].starts_with(|c: char| c.is_ascii_uppercase());
    lower_camel || underscore_capital
}

/// The citations in one text.
fn cite(text: &str) -> Cited {
    static RE: OnceLock<[Regex; 6]> = OnceLock::new();
    let [file_re, pkg_re, tick_re, mirrors_re, qual_re, quote_re] = RE.get_or_init(|| {
        [
            Regex::new(r"(?:[A-Za-z0-9_<>.-]+/)*[A-Za-z0-9_]+\.(?:go|s)\b").unwrap(),
            Regex::new(
                r"\b(?:internal|cmd|go)/[a-z0-9_/]*[a-z0-9]\b|\bruntime/debug\b|\bsync/atomic\b",
            )
            .unwrap(),
            Regex::new(r"`([^`\n]+)`").unwrap(),
            Regex::new(r"\bMirrors\s+(`[^`]+`|[\w./()*'<>]+)").unwrap(),
            Regex::new(r"\b([a-z]+)\.((?:\(\*[A-Za-z_]\w*\)|[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)?)")
                .unwrap(),
            Regex::new(r#""([^"]+)"|“([^”]+)”"#).unwrap(),
        ]
    });
    let mut c = Cited::default();
    // Go files, then packages that are not part of a file's path.
    for m in file_re.find_iter(text) {
        let mut path = m.as_str();
        if let Some(i) = path.find("src/") {
            if path[..i].is_empty() || path[..i].ends_with(':') || path[..i].ends_with('/') {
                path = &path[i + 4..];
            }
        }
        if path.starts_with('.') && !path.starts_with("./") {
            continue;
        }
        c.files.push((m.start(), path.to_owned()));
    }
    let in_file = |pos: usize, c: &Cited| {
        c.files
            .iter()
            .any(|(s, p)| pos >= *s && pos < s + p.len() + 8)
    };
    for m in pkg_re.find_iter(text) {
        if in_file(m.start(), &c) || text[m.end()..].starts_with('/') {
            continue;
        }
        c.packages.push((m.start(), m.as_str().to_owned()));
    }
    // The places, in order, that names and quotes are attributed to.
    let mut refs: Vec<(usize, usize, Scope)> = c
        .files
        .iter()
        .map(|(s, p)| {
            let len = text[*s..].find(p.as_str()).map_or(p.len(), |k| k + p.len());
            (*s, s + len, Scope::File(p.clone()))
        })
        .chain(
            c.packages
                .iter()
                .map(|(s, p)| (*s, s + p.len(), Scope::Package(p.clone()))),
        )
        .collect();
    refs.sort_by_key(|r| r.0);
    let sentence_end = |from: usize| -> usize {
        let bytes = text.as_bytes();
        let mut k = from;
        while k < bytes.len() {
            if bytes[k] == b'.'
                && bytes.get(k + 1).is_none_or(|n| n.is_ascii_whitespace())
                && (bytes.get(k + 1).is_none()
                    || text[k + 1..]
                        .trim_start()
                        .starts_with(|ch: char| ch.is_uppercase())
                    || text[k + 1..].trim_start().is_empty())
            {
                return k;
            }
            if bytes[k] == b'\n' && bytes.get(k + 1) == Some(&b'\n') {
                return k;
            }
            k += 1;
        }
        bytes.len()
    };
    let sentence_start = |to: usize| -> usize {
        let mut k = to;
        while k > 0 {
            let prev = text[..k].trim_end_matches(|ch: char| ch.is_whitespace());
            if prev.len() < k && prev.ends_with('.') {
                return k;
            }
            k -= 1;
            while !text.is_char_boundary(k) {
                k -= 1;
            }
        }
        0
    };
    let in_brackets = |pos: usize| {
        let before = &text[..pos];
        before
            .rfind('[')
            .is_some_and(|o| before.rfind(']').is_none_or(|cl| cl < o))
            && text[pos..]
                .find(']')
                .is_some_and(|cl| text[pos..].find('[').is_none_or(|o| cl < o))
    };
    let mut names: Vec<(usize, String, Scope)> = Vec::new();
    // A file in parentheses owns only what is inside them, and, when it
    // opens them (`name` (runtime/x.go)), the name right before them.
    let paren = |start: usize| -> Option<(usize, usize)> {
        let mut depth = 0;
        let open = text[..start].char_indices().rev().find(|&(_, ch)| {
            match ch {
                ')' => depth += 1,
                '(' if depth == 0 => return true,
                '(' => depth -= 1,
                _ => {}
            }
            false
        })?;
        let close = text[start..].find(')').map_or(text.len(), |k| start + k);
        Some((open.0, close))
    };
    let parens: Vec<Option<(usize, usize)>> = refs.iter().map(|r| paren(r.0)).collect();
    // Whom the name at `pos` is cited from: a file in parentheses around
    // it or right after it, else the last file before it in its sentence
    // and clause (what follows a colon describes the model); `direct`
    // when nothing but the file stands between them.
    let owner = |pos: usize, len: usize| -> Option<(Scope, bool)> {
        for (r, p) in refs.iter().zip(&parens) {
            if let Some((open, _)) = p {
                let opens = text[open + 1..r.0].trim_matches(['`', ' ']).is_empty();
                let gap = &text[(pos + len).min(*open)..*open];
                if opens && gap.trim_matches(['`', ' ']).is_empty() && pos < *open {
                    return Some((r.2.clone(), true));
                }
            }
        }
        // The nearest file before it, skipping a file in parentheses
        // that closed before it.
        let (r, _) = refs.iter().zip(&parens).rev().find(|(r, p)| {
            let ticked = matches!(r.2, Scope::Package(_)) && text[r.1..].starts_with('`');
            r.1 <= pos
                && !ticked
                && match p {
                    Some((_, close)) => pos < *close,
                    None => true,
                }
        })?;
        let between = &text[r.1..pos];
        if sentence_end(r.1) < pos || between.contains(": ") || between.contains(":\n") {
            return None;
        }
        let direct = between.trim_matches(['`', ' ']).is_empty();
        Some((r.2.clone(), direct))
    };
    let scoped = |scope: Scope, direct: bool| match scope {
        Scope::File(f) if !direct => Scope::Near(f),
        Scope::Package(p) if !direct => Scope::Package(p),
        s => s,
    };
    // The word right after a file: `stack.go stackMin`.
    for (r, p) in refs.iter().zip(&parens) {
        if p.is_some() {
            continue;
        }
        let Some(rest) = text[r.1..].trim_start_matches('`').strip_prefix(' ') else {
            continue;
        };
        let w = rest
            .split([' ', ',', ':', ';', '`', '\n'])
            .next()
            .unwrap_or("");
        let w = w.trim_end_matches(['.', ')']);
        let mirrored = text[..r.0].trim_end().ends_with("Mirrors");
        for part in w.split('/').filter(|p| !p.ends_with(".go")) {
            if let Some(n) = as_name(part) {
                let codey = looks_go(&n) || n.contains('.') || n.contains('_');
                if codey || (mirrored && !STOPWORDS.contains(&n.as_str())) {
                    let at = text.len() - rest.len();
                    names.push((at, n, r.2.clone()));
                }
            }
        }
    }
    for t in tick_re.captures_iter(text) {
        let g = t.get(1).unwrap();
        let pos = g.start();
        if in_brackets(pos)
            || text[..pos - 1].ends_with("..")
            || file_re.is_match(g.as_str())
            || pkg_re.is_match(g.as_str())
            || names.iter().any(|x| x.0 == pos)
        {
            continue;
        }
        let Some((scope, direct)) = owner(pos, g.len()) else {
            continue;
        };
        // `a`/`b`, and `name = value`: the name.
        let inner = g.as_str().split(" = ").next().unwrap_or(g.as_str());
        for part in inner.split('/') {
            if let Some(n) = as_name(part) {
                let qualified = n
                    .split_once('.')
                    .is_some_and(|(p, _)| PACKAGES.iter().any(|(s, _)| *s == p));
                if !qualified {
                    names.push((pos, n, scoped(scope.clone(), direct)));
                }
            }
        }
    }
    // `Mirrors X` with X not a file or a package.
    for m in mirrors_re.captures_iter(text) {
        let g = m.get(1).unwrap();
        let raw = g.as_str().trim_matches('`');
        if file_re.is_match(raw) || pkg_re.is_match(raw) {
            continue;
        }
        let Some(n) = as_name(raw) else { continue };
        if STOPWORDS.contains(&n.as_str()) || names.iter().any(|x| x.0 == g.start()) {
            continue;
        }
        let end = sentence_end(g.end());
        let scope = refs
            .iter()
            .find(|r| r.0 >= g.end() && r.0 < end)
            .map_or(Scope::Unsaid, |r| r.2.clone());
        names.push((g.start(), n, scope));
    }
    // Qualified names: `runtime.Gosched`, `sync.(*Mutex).Lock`.
    for q in qual_re.captures_iter(text) {
        let pkg = &q[1];
        let start = q.get(0).unwrap().start();
        if start > 0 && text[..start].ends_with(['.', '/', '-', '_']) {
            continue;
        }
        if PACKAGES.iter().any(|(p, _)| *p == pkg) && !matches!(&q[2], "go" | "s") {
            names.push((
                start,
                format!("{pkg}.{}", &q[2]),
                Scope::Package(pkg.to_owned()),
            ));
        }
    }
    // Go-style names in backticks that no file claims.
    for t in tick_re.captures_iter(text) {
        let pos = t.get(1).unwrap().start();
        if in_brackets(pos) || names.iter().any(|x| x.0 == pos) {
            continue;
        }
        let inner = t[1].split(" = ").next().unwrap_or(&t[1]);
        if let Some(n) = as_name(inner) {
            if looks_go(&n)
                && !names
                    .iter()
                    .any(|x| x.1 == n && x.0 >= pos && x.0 < pos + t[1].len())
            {
                names.push((pos, n, Scope::Anywhere));
            }
        }
    }
    names.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    names.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    c.names = names;
    // Quotes in a sentence that cites a file or a package: any of them.
    if !refs.is_empty() {
        for q in quote_re.captures_iter(text) {
            let g = q.get(1).or(q.get(2)).unwrap();
            let (s, e) = (sentence_start(g.start()), sentence_end(g.end()));
            let in_sentence: Vec<Scope> = refs
                .iter()
                .filter(|r| r.0 >= s && r.0 < e)
                .map(|r| r.2.clone())
                .collect();
            if !in_sentence.is_empty() {
                c.quotes
                    .push((g.start(), g.as_str().to_owned(), in_sentence));
            }
        }
    }
    c
}

// ---------------------------------------------------------------- checking

/// Names and quotes that are not Go definitions or Go text, each with why.
/// Kept small: anything else must be found.
const NOT_GO: &[(&str, &str)] = &[
    (
        "main.go",
        "the learner's own program in the escape and build labs",
    ),
    ("localStorage", "the browser's Web Storage API"),
    ("_Psyscall", "named as the P status go1.26 removed"),
    (
        "go/analysis/passes/fieldalignment",
        "golang.org/x/tools, not part of GOROOT",
    ),
];

struct Tally {
    files: usize,
    names: usize,
    quotes: usize,
    name_misses: Vec<Miss>,
    quote_misses: Vec<Miss>,
}

/// Checks every citation in `sources` (Rust path, text) against `goroot`.
fn check(goroot: &mut Goroot, sources: &[(String, String)]) -> Tally {
    let mut tally = Tally {
        files: 0,
        names: 0,
        quotes: 0,
        name_misses: Vec::new(),
        quote_misses: Vec::new(),
    };
    let runtime = goroot.package_files("runtime");
    for (path, src) in sources {
        let ts = texts(src);
        let cited: Vec<Cited> = ts.iter().map(|t| cite(&t.text)).collect();
        // The Go files this Rust file cites anywhere.
        let mut own: Vec<String> = cited
            .iter()
            .flat_map(|c| c.files.iter().flat_map(|(_, f)| goroot.resolve_file(f)))
            .collect();
        own.sort();
        own.dedup();
        for (t, c) in ts.iter().zip(&cited) {
            let miss = |at: usize, what: String| Miss {
                file: path.clone(),
                line: t.line_at(at),
                what,
            };
            for (at, f) in &c.files {
                if NOT_GO.iter().any(|(n, _)| f.ends_with(n)) {
                    continue;
                }
                tally.files += 1;
                if goroot.resolve_file(f).is_empty() {
                    tally.name_misses.push(miss(*at, format!("no Go file {f}")));
                }
            }
            for (at, p) in &c.packages {
                if NOT_GO.iter().any(|(n, _)| n == p) {
                    continue;
                }
                tally.files += 1;
                if !goroot.is_package(p) {
                    tally
                        .name_misses
                        .push(miss(*at, format!("no Go package {p}")));
                }
            }
            for (at, name, scope) in &c.names {
                if NOT_GO.iter().any(|(n, _)| n == name) || not_a_go_name(name) {
                    continue;
                }
                let (tiers, place) = goroot.places(scope, &own);
                if tiers.iter().all(Vec::is_empty) {
                    continue; // reported as a missing file above
                }
                tally.names += 1;
                // A qualified name is looked up without its package, and
                // as itself in package runtime (`debug.gctrace`, a field).
                let (bare, whole) = match scope {
                    Scope::Package(p) if PACKAGES.iter().any(|(s, _)| s == p) => {
                        (name.split_once('.').map_or(name.as_str(), |x| x.1), true)
                    }
                    _ => (name.as_str(), false),
                };
                let mut found = tiers.iter().any(|files| goroot.defines(files, bare));
                if !found && whole {
                    found = goroot.defines(&runtime, name);
                }
                if !found && *scope == Scope::Anywhere {
                    found = goroot.defines_anywhere(bare);
                }
                if !found {
                    tally
                        .name_misses
                        .push(miss(*at, format!("{place} defines no {name}")));
                }
            }
            for (at, quote, scopes) in &c.quotes {
                if scopes.iter().any(
                    |sc| matches!(sc, Scope::File(f) if NOT_GO.iter().any(|(n, _)| f.ends_with(n))),
                ) {
                    continue;
                }
                let mut tiers: Vec<Vec<String>> = Vec::new();
                let mut places = Vec::new();
                for scope in scopes {
                    let near = match scope {
                        Scope::File(f) => Scope::Near(f.clone()),
                        s => s.clone(),
                    };
                    let (t, place) = goroot.places(&near, &own);
                    tiers.extend(t);
                    places.push(place);
                }
                let place = places.join(", ");
                if tiers.iter().all(Vec::is_empty) {
                    continue;
                }
                tally.quotes += 1;
                if !tiers.iter().any(|files| goroot.quotes(files, quote)) {
                    tally
                        .quote_misses
                        .push(miss(*at, format!("{place} does not say \"{quote}\"")));
                }
            }
        }
    }
    tally
}

/// Rust's own words and environment variables (`GOGC`), which the
/// texts put in backticks next to Go names.
fn not_a_go_name(name: &str) -> bool {
    matches!(name, "None" | "Some" | "Ok" | "Err" | "self" | "Self")
        || (name.len() > 1
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
}

impl Goroot {
    /// Where to look for a name cited in `scope`, in order: the files
    /// cited, then (for a name further on) their package; and how to say
    /// where that was.
    fn places(&self, scope: &Scope, own: &[String]) -> (Vec<Vec<String>>, String) {
        match scope {
            Scope::File(f) => (vec![self.resolve_file(f)], f.clone()),
            Scope::Near(f) => {
                let files = self.resolve_file(f);
                let mut dirs: Vec<String> = files.iter().map(|f| package_of(f)).collect();
                dirs.sort();
                dirs.dedup();
                let pkg = dirs.iter().flat_map(|d| self.package_files(d)).collect();
                (vec![files, pkg], format!("{f} (or its package)"))
            }
            Scope::Package(p) => {
                let dirs: Vec<String> = PACKAGES.iter().find(|(short, _)| short == p).map_or_else(
                    || vec![p.clone()],
                    |(_, d)| d.iter().map(|s| (*s).to_owned()).collect(),
                );
                let files = dirs.iter().flat_map(|d| self.package_files(d)).collect();
                (vec![files], dirs.join(" or "))
            }
            Scope::Unsaid => {
                let mut files = own.to_vec();
                files.extend(self.package_files("runtime"));
                (
                    vec![files],
                    "the files cited here or package runtime".to_owned(),
                )
            }
            Scope::Anywhere => (
                vec![self.package_files("runtime")],
                "package runtime".to_owned(),
            ),
        }
    }

    /// Whether any file under `src/runtime`, `src/internal`, `src/sync`,
    /// `src/go/types` or `src/cmd/compile` defines `name`.
    fn defines_anywhere(&mut self, name: &str) -> bool {
        let files: Vec<String> = self
            .by_name
            .values()
            .flatten()
            .filter(|f| {
                [
                    "runtime/",
                    "internal/",
                    "sync/",
                    "go/types/",
                    "cmd/compile/",
                ]
                .iter()
                .any(|d| f.starts_with(d))
                    && !f.ends_with("_test.go")
            })
            .cloned()
            .collect();
        self.defines(&files, name)
    }
}

/// The Rust sources read: the model, the CLI and the site.
fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = ["crates/runtime-model/src", "crates/cli/src", "web/src"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs")
                && p.file_name().is_some_and(|n| n != "tests.rs")
            {
                let rel = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn report(misses: &[Miss]) -> String {
    misses
        .iter()
        .map(|m| format!("  {}:{}: {}", m.file, m.line, m.what))
        .collect::<Vec<_>>()
        .join("\n")
}

fn tree_tally() -> &'static Tally {
    static T: OnceLock<Tally> = OnceLock::new();
    T.get_or_init(|| {
        let mut g = Goroot::new(goroot().join("src"));
        check(&mut g, &sources())
    })
}

#[test]
fn every_go_name_the_model_and_the_site_cite_is_defined_in_the_pinned_goroot() {
    let t = tree_tally();
    println!(
        "checked {} Go files and packages, {} Go names",
        t.files, t.names
    );
    assert!(
        t.files > 200 && t.names > 500,
        "too few citations read: {} files, {} names",
        t.files,
        t.names
    );
    assert!(
        t.name_misses.is_empty(),
        "{} cited Go names not found in the pinned GOROOT:\n{}",
        t.name_misses.len(),
        report(&t.name_misses)
    );
}

#[test]
fn every_go_comment_the_model_and_the_site_quote_is_in_its_file() {
    let t = tree_tally();
    println!("checked {} quotes", t.quotes);
    assert!(t.quotes > 30, "too few quotes read: {}", t.quotes);
    assert!(
        t.quote_misses.is_empty(),
        "{} quotes not found in the Go file they are attributed to:\n{}",
        t.quote_misses.len(),
        report(&t.quote_misses)
    );
}

/// Every (file, function) the models' event streams name and the site
/// links to: the scheduler's events (each preset run to its end, and the
/// callers each event lists), the collector's steps, the allocator's
/// paths and the stack's steps.
fn event_citations() -> Vec<(String, String)> {
    use runtime_model::gc::barrier::BarrierMode;
    use runtime_model::gc::presets::mark_presets;
    use runtime_model::malloc::{malloc_source_file, plan_alloc, AllocSim};
    use runtime_model::sched::{presets::PRESETS, Sim};
    use runtime_model::stack::StackSim;
    let mut out: BTreeSet<(String, String)> = BTreeSet::new();
    let mut add = |file: &str, f: &str| {
        out.insert((file.to_owned(), f.to_owned()));
    };
    for p in PRESETS {
        let mut sim = Sim::new(p.config(p.default_n).unwrap()).unwrap();
        for _ in 0..200_000 {
            let Some(e) = sim.step() else { break };
            add(e.kind.go_file(), e.go_func());
            for (f, file) in e.kind.called_from() {
                add(file, f);
            }
        }
    }
    for preset in mark_presets() {
        for barrier in BarrierMode::ALL {
            let mut sim = preset.build(barrier, 1);
            for e in sim.run_until(2_000) {
                add(e.go_file, e.go_function);
            }
        }
    }
    for size in (0..=40_000).step_by(8).chain(1..16) {
        for noscan in [false, true] {
            let plan = plan_alloc(size, noscan);
            add(malloc_source_file(plan.go_function), plan.go_function);
            add("runtime/malloc.go", plan.generic_function());
        }
    }
    for (size, noscan) in [(8, true), (24, false), (1024, true), (40_000, false)] {
        let mut sim = AllocSim::scenario_fill_spans(size, noscan, 600, 3);
        for e in sim.run() {
            // The allocator's steps span several files; any runtime file.
            add("runtime", e.go_function);
        }
    }
    let mut stack = StackSim::recursion(2048, 512, 40, 3);
    for e in stack.run() {
        if !e.go_function.is_empty() {
            add("runtime/stack.go", e.go_function);
        }
    }
    out.into_iter().collect()
}

#[test]
fn every_go_function_the_event_streams_name_is_defined_in_its_file() {
    let mut g = Goroot::new(goroot().join("src"));
    let cited = event_citations();
    let mut misses = Vec::new();
    for (file, f) in &cited {
        // A step the models name in parentheses is not a Go function
        // ("(write barrier switched off)"); in an expression
        // (`writeBarrier.enabled == false`) its operand must be Go's.
        if f.starts_with('(') && !f.starts_with("(*") {
            continue;
        }
        // `sync.(*Mutex).Lock` is looked up as `Mutex.Lock` in sync/mutex.go.
        let bare = f
            .split_once(".(")
            .map_or(f.clone(), |(_, rest)| format!("({rest}"));
        let files = if file.ends_with(".go") || file.ends_with(".s") {
            g.resolve_file(file)
        } else {
            g.package_files(file)
        };
        if files.is_empty() {
            misses.push(format!("no Go file {file} (for {f})"));
        } else if let Some((operand, _)) = f.split_once(' ') {
            if !g.defines(&files, operand) {
                misses.push(format!("{file} defines no {operand} (in {f})"));
            }
        } else if !g.defines(&files, &bare) {
            misses.push(format!("{file} defines no {f}"));
        }
    }
    println!(
        "checked {} Go functions the event streams name",
        cited.len()
    );
    assert!(cited.len() > 80, "too few: {}", cited.len());
    assert!(
        misses.is_empty(),
        "{} event names not found:\n  {}",
        misses.len(),
        misses.join("\n  ")
    );
}

// ------------------------------------------------- the checker on fake Go

#[cfg(test)]
mod checker {
    use super::*;

    const PROC: &str = "package runtime\n\n\
        // handoffp must start an M in any situation where\n\
        // findRunnable would return a G to run.\n\
        func handoffp(pp *p) {\n\tconst stealTries = 4\n}\n\n\
        func (o *randomOrder) reset(count uint32) {}\n\n\
        type p struct {\n\tstatus uint32\n\trunnext guintptr\n}\n\n\
        const (\n\t_Pidle = iota\n\t_Prunning\n)\n\n\
        var sched schedt\n";

    fn fake() -> Goroot {
        Goroot::fake(&[
            ("runtime/proc.go", PROC),
            ("runtime/mgc.go", "package runtime\n\nfunc gcStart() {}\n"),
        ])
    }

    fn run(rust: &str) -> Tally {
        check(&mut fake(), &[("x.rs".to_owned(), rust.to_owned())])
    }

    fn misses(v: &[Miss]) -> Vec<(u32, String)> {
        v.iter().map(|m| (m.line, m.what.clone())).collect()
    }

    #[test]
    fn go_definitions_are_read_from_the_text() {
        let d = go_defs(PROC);
        for n in [
            "handoffp",
            "stealTries",
            "randomOrder.reset",
            "reset",
            "p",
            "p.runnext",
            "_Prunning",
            "sched",
        ] {
            assert!(d.contains(n), "{n} in {d:?}");
        }
        assert!(!d.contains("findRunnable"), "a comment defines nothing");
    }

    #[test]
    fn right_citations_pass() {
        let t = run(
            "/// Mirrors runtime/proc.go `handoffp` (go1.27): \"handoffp must start an M in any\n\
             /// situation where findRunnable [...] would return a G to run.\"\n\
             /// Mirrors `randomOrder.reset`. The P's `runnext` and `_Prunning` (proc.go).\n\
             /// Mirrors proc.go stealTries; see also `(*randomOrder).reset`.\n\
             fn f() { let s = \"runtime.gcStart runs\"; }\n",
        );
        assert!(t.name_misses.is_empty(), "{:?}", misses(&t.name_misses));
        assert!(t.quote_misses.is_empty(), "{:?}", misses(&t.quote_misses));
        assert!(t.names >= 6, "{}", t.names);
        assert_eq!(t.quotes, 1);
    }

    #[test]
    fn a_planted_wrong_citation_fails_with_its_line() {
        let t = run("fn ok() {}\n\
             /// Mirrors runtime/proc.go `runtimer` (go1.27).\n\
             /// Mirrors runtime/nosuch.go `handoffp`.\n\
             fn f() { let s = \"then `wbBufEntryPointers` fills, and runtime.Nosuch runs\"; }\n\
             /// Mirrors mgc.go gcStopp.\n");
        let mut got = misses(&t.name_misses);
        got.sort();
        assert_eq!(
            got,
            vec![
                (2, "runtime/proc.go defines no runtimer".to_owned()),
                (3, "no Go file runtime/nosuch.go".to_owned()),
                (
                    4,
                    "package runtime defines no wbBufEntryPointers".to_owned()
                ),
                (4, "runtime defines no runtime.Nosuch".to_owned()),
                (5, "mgc.go defines no gcStopp".to_owned()),
            ]
        );
    }

    #[test]
    fn a_planted_wrong_quote_fails_with_its_line() {
        let t = run(
            "// runtime/proc.go says \"handoffp must start an M\" and then\n\
             // \"we don't have write barriers on stacks\".\n",
        );
        assert_eq!(
            misses(&t.quote_misses),
            vec![(2, "runtime/proc.go (or its package) does not say \"we don't have write barriers on stacks\"".to_owned())]
        );
    }

    #[test]
    fn texts_are_comment_runs_and_strings_without_test_code() {
        let ts = texts("/// a\n/// b\nfn f() { let c = '\"'; g(\"x\\\"y\", r#\"z\"#); }\n// c\n#[cfg(test)]\n// gone\n");
        let got: Vec<(&str, bool, u32)> = ts
            .iter()
            .map(|t| (t.text.as_str(), t.comment, t.line_at(0)))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a\nb", true, 1),
                ("x\"y", false, 3),
                ("z", false, 3),
                ("c", true, 4)
            ]
        );
        assert_eq!(ts[0].line_at(2), 2);
    }
}
