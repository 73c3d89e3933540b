//! Seed inputs from real sources: the repository's tests, docs and data
//! files, and the pinned Go toolchain's own sources.

use std::path::{Path, PathBuf};

/// The workspace root (two levels above this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/fuzz sits two levels below the root")
        .to_path_buf()
}

/// Files under `dir` (recursively) whose names end with one of `exts`,
/// sorted; `node_modules`, `target` and hidden folders are skipped.
pub fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && name != "node_modules" && name != "target" {
                    stack.push(path);
                }
            } else if exts.iter().any(|x| name.ends_with(x)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The repository's texts that hold real links: the e2e tests, the web
/// crate's sources and tests, the README.
pub fn link_sources() -> Vec<String> {
    let r = root();
    let mut paths = files(&r.join("tests/e2e"), &[".mjs"]);
    paths.extend(files(&r.join("web/src"), &[".rs"]));
    paths.extend(files(&r.join("web/tests"), &[".rs"]));
    paths.push(r.join("README.md"));
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// Characters a query string in source text is made of.
fn query_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_.~%+=&:/,*!@;".contains(c)
}

/// Every run of query characters in `text` that holds a `key=value` pair:
/// `?preset=work-stealing&gomaxprocs=4` in a doc comment, `"n=4&on=1"` in
/// a test, `/gc?gogc=off` in an e2e script.
pub fn queries(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if query_char(c) {
            run.push(c);
            continue;
        }
        if c == '?' {
            run.clear();
            continue;
        }
        let trimmed = run.trim_matches(|c: char| c == '&' || c == ',' || c == '.');
        if let Some(eq) = trimmed.find('=') {
            // Not an assignment or comparison in code: a key first.
            let key_start = trimmed[..eq].rfind(['&', '/', ':']).map_or(0, |i| i + 1);
            let key = &trimmed[key_start..eq];
            if !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                out.push(trimmed[key_start..].to_owned());
            }
        }
        run.clear();
    }
    out.sort();
    out.dedup();
    out
}

/// The pinned Go toolchain's `src` folder, if it is installed
/// (`cargo xtask setup`).
pub fn goroot_src() -> Option<PathBuf> {
    let lib = root().join(".tools/venv/lib");
    let entries = std::fs::read_dir(lib).ok()?;
    entries
        .flatten()
        .map(|e| e.path().join("site-packages/go/src"))
        .find(|p| p.is_dir())
}

/// Go's own fuzz corpus for its trace reader
/// (`internal/trace/testdata/fuzz/FuzzReader`), each file's `[]byte("...")`
/// literal decoded.
pub fn go_trace_fuzz_corpus() -> Vec<Vec<u8>> {
    let Some(src) = goroot_src() else {
        return Vec::new();
    };
    files(&src.join("internal/trace/testdata/fuzz/FuzzReader"), &[""])
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|text| {
            let start = text.find("[]byte(\"")? + 8;
            let end = text.rfind("\")")?;
            go_unquote(text.get(start..end)?)
        })
        .collect()
}

/// The bytes of the inside of a Go string literal (what strconv.Quote
/// writes: `\xNN`, `\n` and the other one-letter escapes, `\u`, `\U`).
fn go_unquote(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let hex = |chars: &mut std::str::Chars<'_>, n: usize| -> Option<u32> {
            let digits: String = chars.take(n).collect();
            u32::from_str_radix(&digits, 16).ok()
        };
        match chars.next()? {
            'x' => out.push(u8::try_from(hex(&mut chars, 2)?).ok()?),
            'u' => {
                out.extend_from_slice(char::from_u32(hex(&mut chars, 4)?)?.to_string().as_bytes());
            }
            'U' => {
                out.extend_from_slice(char::from_u32(hex(&mut chars, 8)?)?.to_string().as_bytes());
            }
            'a' => out.push(7),
            'b' => out.push(8),
            'f' => out.push(12),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            'v' => out.push(11),
            c @ ('\\' | '"' | '\'') => out.push(c as u8),
            _ => return None,
        }
    }
    Some(out)
}

/// Go source files of the runtime and friends, cut into pieces of at most
/// `max` bytes at top-level declarations: real struct layouts for the
/// layout lab's parser.
pub fn go_sources(max: usize) -> Vec<String> {
    let Some(src) = goroot_src() else {
        return Vec::new();
    };
    let names = [
        "runtime/runtime2.go",
        "runtime/mheap.go",
        "runtime/mcache.go",
        "runtime/mgcpacer.go",
        "runtime/chan.go",
        "runtime/map.go",
        "runtime/type.go",
        "runtime/time.go",
        "sync/mutex.go",
        "sync/waitgroup.go",
        "sync/atomic/type.go",
        "net/http/server.go",
        "go/ast/ast.go",
        "reflect/type.go",
        "internal/abi/type.go",
    ];
    let mut out = Vec::new();
    for name in names {
        let Ok(text) = std::fs::read_to_string(src.join(name)) else {
            continue;
        };
        let mut piece = String::new();
        for decl in text.split_inclusive("\n}\n") {
            if piece.len() + decl.len() > max && !piece.is_empty() {
                out.push(std::mem::take(&mut piece));
            }
            piece.push_str(decl);
        }
        if !piece.is_empty() {
            out.push(piece);
        }
    }
    out.into_iter()
        .map(|p| p.chars().take(max).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_found_in_docs_tests_and_scripts() {
        let text = "//! (`?preset=work-stealing&gomaxprocs=4&step=40`).\n\
                    decode::<Demo>(\"n=4&on=yes&demo-step=x\");\n\
                    await load(page, app.url + \"/gc?gogc=off&gomemlimit=512MiB\");\n\
                    let x = a == b; if n=1 {}";
        let q = queries(text);
        assert!(
            q.contains(&"preset=work-stealing&gomaxprocs=4&step=40".to_owned()),
            "{q:?}"
        );
        assert!(q.contains(&"n=4&on=yes&demo-step=x".to_owned()), "{q:?}");
        assert!(
            q.contains(&"gogc=off&gomemlimit=512MiB".to_owned()),
            "{q:?}"
        );
    }

    #[test]
    fn the_repository_has_links_to_start_from() {
        let all: Vec<String> = link_sources().iter().flat_map(|t| queries(t)).collect();
        assert!(all.len() > 50, "{} queries found", all.len());
    }
}
