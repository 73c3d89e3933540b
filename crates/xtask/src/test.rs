//! `cargo xtask test`: every test layer, then one line `N passed, N failed`.
//!
//! 1. `unit`: cargo test (native), a short fuzz run of every decoder
//!    (20,000 inputs per target; `cargo xtask fuzz` is the long run),
//!    clippy (native and wasm), rustfmt.
//! 2. `nostd`: runtime-model built for thumbv7em-none-eabihf.
//! 3. `wasm`: Yew component tests with wasm-bindgen-test in headless Chromium.
//! 4. `e2e`: the release bundle, served from dist/, driven by Playwright.
//! 5. `conformance`: the model against the real Go toolchain.
//!
//! `cargo xtask test wasm e2e` runs only the named layers. A layer that fails
//! does not stop the others; the exit code says whether anything failed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::tools::{self, Env};
use crate::{root, step};

const LAYERS: [&str; 5] = ["unit", "nostd", "wasm", "e2e", "conformance"];

#[derive(Debug, Default)]
struct Tally {
    passed: u64,
    failed: u64,
    failures: Vec<String>,
}

impl Tally {
    /// Runs a command that is one check: it passes when it exits 0.
    fn check(&mut self, name: &str, cmd: &mut Command) {
        step(name);
        let ok = cmd.status().is_ok_and(|s| s.success());
        self.record(name, ok);
    }

    fn record(&mut self, name: &str, ok: bool) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            self.failures.push(name.to_owned());
        }
    }

    /// Runs a test runner, echoing its output, and adds up the counts it
    /// reports. A runner that fails without reporting a failure (it did not
    /// compile, it crashed) counts as one failure.
    fn suite(&mut self, name: &str, cmd: &mut Command) {
        step(name);
        let (ok, out) = run_teed(cmd);
        let (passed, failed) = count(&out);
        self.passed += passed;
        self.failed += failed;
        if failed > 0 {
            self.failures.push(format!("{name}: {failed} failed"));
        } else if !ok || passed == 0 {
            self.record(
                &format!("{name} (exited with an error or ran no test)"),
                false,
            );
        }
    }
}

/// Runs `cmd` with its stdout echoed line by line and kept; stderr passes
/// straight through.
fn run_teed(cmd: &mut Command) -> (bool, String) {
    let mut child = match cmd.stdout(Stdio::piped()).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("could not start {cmd:?}: {e}");
            return (false, String::new());
        }
    };
    let mut out = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            out.push_str(&line);
            out.push('\n');
        }
    }
    let ok = child.wait().is_ok_and(|s| s.success());
    (ok, out)
}

/// Adds up the pass and fail counts of cargo test, wasm-bindgen-test and
/// node's test runner (spec or TAP reporter).
fn count(out: &str) -> (u64, u64) {
    let mut passed = 0;
    let mut failed = 0;
    for line in out.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("test result: ") {
            passed += number_before(rest, " passed");
            failed += number_before(rest, " failed");
        } else if let Some(n) = line
            .strip_prefix("ℹ pass ")
            .or_else(|| line.strip_prefix("# pass "))
        {
            passed += n.trim().parse().unwrap_or(0);
        } else if let Some(n) = line
            .strip_prefix("ℹ fail ")
            .or_else(|| line.strip_prefix("# fail "))
        {
            failed += n.trim().parse().unwrap_or(0);
        }
    }
    (passed, failed)
}

/// In "ok. 12 passed; 0 failed", the number before `word`.
fn number_before(text: &str, word: &str) -> u64 {
    text.find(word)
        .and_then(|end| {
            let start = text[..end].rfind(|c: char| !c.is_ascii_digit())? + 1;
            text[start..end].parse().ok()
        })
        .unwrap_or(0)
}

pub fn run(args: &[String]) -> Result<(), String> {
    for a in args {
        if !LAYERS.contains(&a.as_str()) {
            return Err(format!(
                "unknown test layer {a:?}; the layers are {}",
                LAYERS.join(", ")
            ));
        }
    }
    let wants = |layer: &str| args.is_empty() || args.iter().any(|a| a == layer);
    let env = tools::setup_test()?;
    let mut tally = Tally::default();
    let cargo = |env: &Env| {
        let mut c = env.command("cargo");
        c.current_dir(root());
        c
    };

    if wants("unit") {
        tally.suite(
            "Layer 1: native unit and integration tests (cargo test)",
            cargo(&env).args(["test", "--workspace", "--exclude", "conformance"]),
        );
        let mut fuzz = cargo(&env);
        crate::fuzz::command(
            &mut fuzz,
            &["--inputs".into(), crate::fuzz::SHORT_RUN.into()],
        );
        tally.suite(
            "Layer 1: short fuzz run, 20,000 inputs per decoder (cargo xtask fuzz is the long run)",
            &mut fuzz,
        );
        tally.check(
            "Layer 1: clippy, native (-D warnings)",
            cargo(&env).args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        );
        tally.check(
            "Layer 1: clippy, wasm32 (-D warnings)",
            cargo(&env).args([
                "clippy",
                "-p",
                "gopherscope-web",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        );
        tally.check(
            "Layer 1: clippy, the release wasm: widgets only, no pages (-D warnings)",
            cargo(&env).args([
                "clippy",
                "-p",
                "gopherscope-web",
                "--target",
                "wasm32-unknown-unknown",
                "--no-default-features",
                "--",
                "-D",
                "warnings",
            ]),
        );
        tally.check(
            "Layer 1: rustfmt",
            cargo(&env).args(["fmt", "--all", "--check"]),
        );
    }
    if wants("nostd") {
        tally.check(
            "Layer 2: runtime-model builds with no std (thumbv7em-none-eabihf)",
            cargo(&env).args([
                "build",
                "-p",
                "runtime-model",
                "--target",
                "thumbv7em-none-eabihf",
            ]),
        );
    }
    if wants("wasm") {
        tally.suite(
            "Layer 3: Yew component tests in headless Chromium (wasm-bindgen-test)",
            cargo(&env)
                .args([
                    "test",
                    "-p",
                    "gopherscope-web",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        );
    }
    if wants("e2e") {
        step("Layer 4: release bundle for the end-to-end tests");
        let built = crate::build();
        tally.record("Layer 4: trunk release build", built.is_ok());
        // The test-only panic-probe site, outside dist/ (site::panic_probe).
        let probe = built
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|dist| crate::site::panic_probe(&env, dist));
        tally.record("Layer 4: panic-probe build (test only)", probe.is_ok());
        if let Err(e) = built.as_ref().and(probe.as_ref()) {
            eprintln!("{e}");
        } else if let Ok(probe) = &probe {
            let dir = root().join("tests/e2e");
            let mut files: Vec<String> = std::fs::read_dir(&dir)
                .map_err(|e| format!("cannot list tests/e2e: {e}"))?
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".test.mjs"))
                .collect();
            files.sort();
            tally.suite(
                "Layer 4: end-to-end tests (Playwright + axe-core in Chromium)",
                env.command("node")
                    .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
                    .args(&files)
                    .current_dir(&dir)
                    .env("GOPHERSCOPE_DIST", root().join("dist"))
                    .env("GOPHERSCOPE_PROBE", probe)
                    .env("GOPHERSCOPE_CHROMIUM", tools::CHROMIUM),
            );
        }
    }
    if wants("conformance") {
        tally.suite(
            "Layer 5: conformance against the real Go toolchain",
            cargo(&env)
                .args(["test", "-p", "conformance"])
                .env("GOPHERSCOPE_GO", tools::go_binary()),
        );
    }

    println!();
    if !tally.failures.is_empty() {
        println!("Failed:");
        for f in &tally.failures {
            println!("  - {f}");
        }
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 {
        Ok(())
    } else {
        Err("some tests failed".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cargo_and_node_summaries() {
        let out = "\
test result: ok. 12 passed; 0 failed; 0 ignored
test result: FAILED. 3 passed; 2 failed; 0 ignored
ℹ tests 9
ℹ pass 8
ℹ fail 1
# pass 4
";
        assert_eq!(count(out), (12 + 3 + 8 + 4, 2 + 1));
        assert_eq!(count("nothing here"), (0, 0));
    }
}
