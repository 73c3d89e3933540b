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
