//! The in-browser benchmarks (issues 3, 4 and 5): the release bundle in
//! `dist/` driven in headless Chromium by tests/e2e/bench/browser.mjs.
//! Frame times while the scheduler (1,000 goroutines on 16 Ps) and the
//! marking widget (2,000 objects) play, the layout lab on a 1,000-field
//! struct, and the wasm memory after recording the longest scheduler run
//! the widget keeps. Numbers beside their budgets, not pass/fail; the
//! script is not a `*.test.mjs`, so `cargo xtask test` never runs it.

use crate::{root, step, tools};

pub fn run() -> Result<(), String> {
    let env = tools::setup_test()?;
    step("In the browser: frame times, layout and wasm memory (headless Chromium)");
    let dir = root().join("tests/e2e");
    crate::run(
        env.command("node")
            .arg("bench/browser.mjs")
            .current_dir(&dir)
            .env("GOPHERSCOPE_DIST", root().join("dist"))
            .env("GOPHERSCOPE_CHROMIUM", tools::CHROMIUM),
    )
}

/// The soak run (issue 16): the scheduler on 1,000 goroutines and the
/// marking widget on 2,000 objects autoplay at 64x for
/// `GOPHERSCOPE_SOAK_MINUTES` (30 by default) in headless Chromium, by
/// tests/e2e/bench/soak.mjs; the JS heap, wasm memory and DOM nodes every
/// minute, their growth from minute 2 to the end, and the console errors.
pub fn soak() -> Result<(), String> {
    let env = tools::setup_test()?;
    let minutes = std::env::var("GOPHERSCOPE_SOAK_MINUTES").unwrap_or_else(|_| "30".into());
    step(&format!(
        "Soak: two widgets autoplaying at 64x for {minutes} minutes (GOPHERSCOPE_SOAK_MINUTES), memory and DOM sampled every minute"
    ));
    let dir = root().join("tests/e2e");
    crate::run(
        env.command("node")
            .arg("bench/soak.mjs")
            .current_dir(&dir)
            .env("GOPHERSCOPE_DIST", root().join("dist"))
            .env("GOPHERSCOPE_CHROMIUM", tools::CHROMIUM),
    )
}
