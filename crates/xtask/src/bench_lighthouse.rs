//! Lighthouse (npm `lighthouse@12.2.3`, run on Debian's Chromium) on every
//! page and three embeds of the release bundle, served as a static host
//! serves it (precompressed files, a folder's `index.html`): the mobile
//! scores and the largest contentful paint, each the median of several
//! runs (`GOPHERSCOPE_LIGHTHOUSE_RUNS`, 3 by default), beside the budgets
//! of issue 14. Numbers, not pass/fail.

use crate::{root, site, step, tools};

/// The categories, as Lighthouse names them, and their budgets (0-100).
const CATEGORIES: [(&str, f64); 4] = [
    ("performance", 95.0),
    ("accessibility", 100.0),
    ("best-practices", 100.0),
    ("seo", 100.0),
];
const LCP_BUDGET_MS: f64 = 1200.0;

/// Three embeds: the smallest, a mid-sized one and the heaviest.
const EMBEDS: [&str; 3] = ["/embed/value-table", "/embed/quiz", "/embed/scheduler"];

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One Lighthouse run: the four scores (0-100) and the LCP in ms.
fn audit(env: &tools::Env, url: &str) -> Result<([f64; 4], f64), String> {
    let cli = tools::lighthouse_cli();
    let out = env
        .command("node")
        .arg(&cli)
        .arg(url)
        .args([
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            "--only-categories=performance,accessibility,best-practices,seo",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ])
        .env("CHROME_PATH", tools::CHROMIUM)
        .output()
        .map_err(|e| format!("could not start Lighthouse: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "Lighthouse failed on {url}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("Lighthouse's report on {url} is not JSON: {e}"))?;
    let mut scores = [0.0; 4];
    for (i, (name, _)) in CATEGORIES.iter().enumerate() {
        scores[i] = report["categories"][name]["score"].as_f64().unwrap_or(0.0) * 100.0;
    }
    let lcp = report["audits"]["largest-contentful-paint"]["numericValue"]
        .as_f64()
        .unwrap_or(f64::NAN);
    Ok((scores, lcp))
}

pub fn run() -> Result<(), String> {
    let env = tools::setup_lighthouse()?;
    let runs: usize = std::env::var("GOPHERSCOPE_LIGHTHOUSE_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|r| *r > 0)
        .unwrap_or(3);
    let dist = root().join("dist");
    let base = site::serve_in_background(&dist)?;
    step(&format!(
        "Lighthouse 12 mobile (simulated slow 4G), median of {runs} runs per address, on {base}"
    ));
    let sitemap = std::fs::read_to_string(dist.join("sitemap.xml"))
        .map_err(|e| format!("cannot read dist/sitemap.xml: {e}"))?;
    let mut paths: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|l| l.split("</loc>").next())
        .filter_map(|l| {
            l.find("://")
                .and_then(|i| l[i + 3..].find('/').map(|j| l[i + 3 + j..].to_owned()))
        })
        .collect();
    paths.extend(EMBEDS.iter().map(|e| (*e).to_owned()));
    println!(
        "{:<22} {:>6} {:>6} {:>6} {:>6} {:>9}",
        "address", "perf", "a11y", "best", "seo", "LCP ms"
    );
    let mut misses = Vec::new();
    for path in &paths {
        let mut per: Vec<Vec<f64>> = vec![Vec::new(); 5];
        for _ in 0..runs {
            let (scores, lcp) = audit(&env, &format!("{base}{path}"))?;
            for (i, s) in scores.iter().enumerate() {
                per[i].push(*s);
            }
            per[4].push(lcp);
        }
        let m: Vec<f64> = per.into_iter().map(median).collect();
        println!(
            "{path:<22} {:>6.0} {:>6.0} {:>6.0} {:>6.0} {:>9.0}",
            m[0], m[1], m[2], m[3], m[4]
        );
        for (i, (name, budget)) in CATEGORIES.iter().enumerate() {
            if m[i] < *budget {
                misses.push(format!("{path} {name} {:.0} < {budget:.0}", m[i]));
            }
        }
        if m[4] > LCP_BUDGET_MS {
            misses.push(format!("{path} LCP {:.0} ms > {LCP_BUDGET_MS:.0}", m[4]));
        }
    }
    if misses.is_empty() {
        println!("every Lighthouse budget met");
    } else {
        println!("BELOW BUDGET: {}", misses.join("; "));
    }
    Ok(())
}
