//! `cargo xtask bench`: numbers, not pass/fail. Budgets are printed beside
//! the measurements so a regression is plain to see.

/// The whole bundle's gzip budget (issue: foundation).
const BUNDLE_BUDGET_GZIP: u64 = 150 * 1024;

/// The benchmark sections, in the order `cargo xtask bench` runs them.
pub const SECTIONS: [&str; 8] = [
    "bundle",
    "sched",
    "layout",
    "gc",
    "browser",
    "lighthouse",
    "soak",
    "trace",
];

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
    if wanted("lighthouse") {
        if !wanted("bundle") && !wanted("browser") {
            crate::build()?;
        }
        crate::bench_lighthouse::run()?;
    }
    if wanted("soak") {
        if !wanted("bundle") && !wanted("browser") && !wanted("lighthouse") {
            crate::build()?;
        }
        crate::bench_browser::soak()?;
    }
    if wanted("trace") {
        let built = ["bundle", "browser", "lighthouse", "soak"]
            .iter()
            .any(|s| wanted(s));
        crate::bench_trace::run(built)?;
    }
    Ok(())
}

/// Raw, gzip and brotli sizes of one file.
#[derive(Clone, Copy, Default)]
struct Sizes {
    raw: u64,
    gzip: u64,
    brotli: u64,
}

impl std::ops::Add for Sizes {
    type Output = Sizes;
    fn add(self, o: Sizes) -> Sizes {
        Sizes {
            raw: self.raw + o.raw,
            gzip: self.gzip + o.gzip,
            brotli: self.brotli + o.brotli,
        }
    }
}

fn sizes(path: &std::path::Path) -> Result<Sizes, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Sizes {
        raw: bytes.len() as u64,
        gzip: crate::site::gzip(&bytes).len() as u64,
        brotli: crate::site::brotli(&bytes).len() as u64,
    })
}

fn kb(b: u64) -> String {
    format!("{:.1}", b as f64 / 1024.0)
}

/// The site-relative addresses a document loads: `href`s and `src`s of
/// stylesheets and scripts, and the wasm that Trunk's loader names.
fn assets_of(html: &str) -> (Vec<String>, Vec<String>) {
    let mut css = Vec::new();
    let mut code = Vec::new();
    for piece in html.split(['"', '\'']) {
        if !piece.starts_with('/') || piece.starts_with("//") {
            continue;
        }
        let p = piece.to_owned();
        if p.ends_with(".css") && !css.contains(&p) {
            css.push(p);
        } else if (p.ends_with(".wasm") || p.ends_with(".js"))
            && p != "/embed.js"
            && !code.contains(&p)
        {
            code.push(p);
        }
    }
    (css, code)
}

/// The budgets of issue 14, in gzip bytes.
const FIRST_PAINT_BUDGET: u64 = 30 * 1024;
const PAGE_CODE_BUDGET: u64 = 200 * 1024;
const SMALL_EMBED_BUDGET: u64 = 120 * 1024;
const LARGE_EMBED_BUDGET: u64 = 180 * 1024;
const SMALL_EMBEDS: [&str; 3] = ["value-table", "quiz", "interfaces"];
const LARGE_EMBEDS: [&str; 2] = ["scheduler", "gc-marking"];

fn verdict(value: u64, budget: u64) -> &'static str {
    if value <= budget {
        "ok"
    } else {
        "OVER"
    }
}

fn bundle() -> Result<(), String> {
    let dist = crate::build()?;
    crate::step("Release bundle sizes (raw, gzip -9, brotli -q 11)");
    let mut rows = Vec::new();
    for path in crate::site::files(&dist) {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !["wasm", "js", "css"].contains(&ext) {
            continue;
        }
        let name = path
            .strip_prefix(&dist)
            .unwrap_or(&path)
            .display()
            .to_string();
        rows.push((ext.to_owned(), name, sizes(&path)?));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    println!(
        "{:<6} {:>10} {:>10} {:>10}  file",
        "kind", "raw B", "gzip B", "brotli B"
    );
    for (ext, name, s) in &rows {
        println!(
            "{ext:<6} {:>10} {:>10} {:>10}  {name}",
            s.raw, s.gzip, s.brotli
        );
    }
    let total = rows.iter().fold(Sizes::default(), |a, r| a + r.2);
    println!(
        "{:<6} {:>10} {:>10} {:>10}  (every wasm, js and css file)",
        "total", total.raw, total.gzip, total.brotli
    );
    println!(
        "all code and css: {} KB gzip (the first budget was {} KB for the site)",
        kb(total.gzip),
        kb(BUNDLE_BUDGET_GZIP)
    );

    crate::step("Per document: what it needs before its islands (HTML + CSS), and to make them live (wasm + js)");
    println!(
        "{:<34} {:>9} {:>9} {:>9} {:>6}   {:>9} {:>9} {:>6}",
        "document", "html+css", "gzip", "brotli", "≤30KB", "wasm+js", "gzip", "≤200KB"
    );
    let mut over = Vec::new();
    for path in crate::site::files(&dist) {
        if path.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let name = path
            .strip_prefix(&dist)
            .unwrap_or(&path)
            .display()
            .to_string();
        if name == "template.html" || name == "course-example.html" {
            continue;
        }
        let html =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read {name}: {e}"))?;
        let (css, code) = assets_of(&html);
        let mut first = sizes(&path)?;
        for c in &css {
            first = first + sizes(&dist.join(c.trim_start_matches('/')))?;
        }
        let mut live = Sizes::default();
        for c in &code {
            live = live + sizes(&dist.join(c.trim_start_matches('/')))?;
        }
        let fv = verdict(first.gzip, FIRST_PAINT_BUDGET);
        let lv = verdict(live.gzip, PAGE_CODE_BUDGET);
        println!(
            "{name:<34} {:>9} {:>9} {:>9} {fv:>6}   {:>9} {:>9} {lv:>6}",
            first.raw, first.gzip, first.brotli, live.raw, live.gzip
        );
        if fv == "OVER" || lv == "OVER" {
            over.push(name.clone());
        }
        if let Some(slug) = name
            .strip_prefix("embed/")
            .and_then(|n| n.strip_suffix("/index.html"))
        {
            let budget = if SMALL_EMBEDS.contains(&slug) {
                Some(SMALL_EMBED_BUDGET)
            } else if LARGE_EMBEDS.contains(&slug) {
                Some(LARGE_EMBED_BUDGET)
            } else {
                None
            };
            let all = first + live;
            if let Some(b) = budget {
                println!(
                    "    embed {slug} alone (wasm, js, css, html): {} B gzip, {} B brotli; budget {} KB: {}",
                    all.gzip,
                    all.brotli,
                    b / 1024,
                    verdict(all.gzip, b)
                );
                if all.gzip > b {
                    over.push(format!("embed {slug}"));
                }
            }
        }
    }
    if over.is_empty() {
        println!("every budget met");
    } else {
        println!("OVER BUDGET: {}", over.join(", "));
    }
    Ok(())
}
