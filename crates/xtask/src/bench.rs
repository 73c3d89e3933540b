//! `cargo xtask bench`: numbers, not pass/fail. Budgets are printed beside
//! the measurements so a regression is plain to see.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

/// The whole bundle's gzip budget (issue: foundation).
const BUNDLE_BUDGET_GZIP: u64 = 150 * 1024;

fn gzip_len(bytes: &[u8]) -> u64 {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes).expect("writing to a Vec cannot fail");
    enc.finish().expect("finishing a Vec cannot fail").len() as u64
}

/// The benchmark sections, in the order `cargo xtask bench` runs them.
pub const SECTIONS: [&str; 5] = ["bundle", "sched", "layout", "gc", "browser"];

/// `cargo xtask bench [SECTION...]`: every section, or the ones named.
pub fn run(only: &[String]) -> Result<(), String> {
    if let Some(bad) = only.iter().find(|s| !SECTIONS.contains(&s.as_str())) {
        return Err(format!(
            "unknown benchmark section {bad:?}; the sections are {}",
            SECTIONS.join(", ")
        ));
    }
    let wanted = |s: &str| only.is_empty() || only.iter().any(|o| o == s);
    if wanted("bundle") {
        bundle()?;
    }
    if wanted("sched") {
        crate::bench_sched::run()?;
    }
    if wanted("layout") {
        crate::bench_layout::run()?;
    }
    if wanted("gc") {
        crate::bench_gc::run()?;
    }
    if wanted("browser") {
        if !wanted("bundle") {
            crate::build()?;
        }
        crate::bench_browser::run()?;
    }
    Ok(())
}

fn bundle() -> Result<(), String> {
    let dist = crate::build()?;
    crate::step("Release bundle sizes");
    let mut rows = Vec::new();
    for entry in std::fs::read_dir(&dist).map_err(|e| format!("cannot list dist/: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !["wasm", "js", "css", "html"].contains(&ext) {
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        rows.push((ext.to_owned(), name, bytes.len() as u64, gzip_len(&bytes)));
    }
    rows.sort();
    println!("{:<6} {:>10} {:>10}  file", "kind", "raw B", "gzip B");
    for (ext, name, raw, gz) in &rows {
        println!("{ext:<6} {raw:>10} {gz:>10}  {name}");
    }
    let raw: u64 = rows.iter().map(|r| r.2).sum();
    let gz: u64 = rows.iter().map(|r| r.3).sum();
    println!("{:<6} {:>10} {:>10}", "total", raw, gz);
    println!(
        "bundle: {:.1} KB gzip of a {:.0} KB budget ({})",
        gz as f64 / 1024.0,
        BUNDLE_BUDGET_GZIP as f64 / 1024.0,
        if gz <= BUNDLE_BUDGET_GZIP {
            "within budget"
        } else {
            "OVER BUDGET"
        }
    );
    Ok(())
}
