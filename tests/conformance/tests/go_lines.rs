//! The Go source lines the site links to, against the pinned GOROOT:
//! `web/src/kit/go_lines.rs` is written by `cargo xtask gen-golines`; here
//! every row's function is found again in its file, by a matcher of its
//! own, and the table regenerated from what is found must equal the one
//! checked in. After a Go upgrade this fails until the table is
//! regenerated.

use conformance::goroot;
use regex::Regex;
use std::collections::BTreeMap;
use std::path::Path;

/// The checked-in table's rows: (file, function, line).
fn checked_in() -> Vec<(String, String, u32)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/src/kit/go_lines.rs");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let row = Regex::new(r#"^\s*\("([^"]+)", "([^"]+)", (\d+)\),$"#).unwrap();
    let rows: Vec<(String, String, u32)> = text
        .lines()
        .filter_map(|l| row.captures(l))
        .map(|c| (c[1].to_owned(), c[2].to_owned(), c[3].parse().unwrap()))
        .collect();
    assert_eq!(
        text.matches("(\"").count(),
        rows.len(),
        "every row on a line of its own, as the generator writes them"
    );
    rows
}

/// Every function `source` declares, as `name` or `Type.name`, with the
/// 1-based line of its first declaration; in assembly, every
/// `TEXT runtime·name`.
fn declarations(source: &str) -> BTreeMap<String, u32> {
    let func = Regex::new(r"^func (?:\(\w+ \*?(\w+)(?:\[[^\]]*\])?\) )?(\w+)[\[(]").unwrap();
    let text = Regex::new(r"^TEXT runtime·(\w+)[(<]").unwrap();
    let mut out = BTreeMap::new();
    for (i, l) in source.lines().enumerate() {
        let name = if let Some(c) = func.captures(l) {
            match c.get(1) {
                Some(t) => format!("{}.{}", t.as_str(), &c[2]),
                None => c[2].to_owned(),
            }
        } else if let Some(c) = text.captures(l) {
            c[1].to_owned()
        } else {
            continue;
        };
        out.entry(name).or_insert(i as u32 + 1);
    }
    out
}

#[test]
fn every_go_source_line_the_site_links_to_is_where_its_function_is() {
    let rows = checked_in();
    assert!(rows.len() > 20, "the table has {} rows", rows.len());
    let root = goroot().join("src");
    let mut files: BTreeMap<&str, BTreeMap<String, u32>> = BTreeMap::new();
    let regenerated: Vec<(String, String, u32)> = rows
        .iter()
        .map(|(file, function, _)| {
            let decls = files.entry(file).or_insert_with(|| {
                let path = root.join(file);
                declarations(
                    &std::fs::read_to_string(&path)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
                )
            });
            let line = *decls
                .get(function)
                .unwrap_or_else(|| panic!("{file} declares no {function}"));
            (file.clone(), function.clone(), line)
        })
        .collect();
    let mut sorted = regenerated.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted, regenerated,
        "the generator writes each row once, in order"
    );
    let differ: Vec<String> = rows
        .iter()
        .zip(&regenerated)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("{}:{} is at line {}, not {}", a.0, a.1, b.2, a.2))
        .collect();
    assert!(
        differ.is_empty(),
        "web/src/kit/go_lines.rs is out of date; run `cargo xtask gen-golines`: {differ:?}"
    );
}
