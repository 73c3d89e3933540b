//! The garbage-collector benchmarks: the model's marking against the real
//! Go GC's mark phase over the same heap shape (1,000,000 objects, 4
//! pointers each), and a pacer recompute of 10 simulated minutes (the
//! widget's budget for a slider change is one 16 ms frame).

use std::path::PathBuf;
use std::process::Command;

use crate::{root, step};

/// The pacer widget recomputes on every slider change: one frame.
const PACER_BUDGET_MS: f64 = 16.0;

fn go() -> PathBuf {
    std::env::var_os("GOPHERSCOPE_GO").map_or_else(crate::tools::go_binary, PathBuf::from)
}

/// `key=value` out of a line of `gopherscope gc bench`.
fn field(line: &str, key: &str) -> Option<String> {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .map(String::from)
}

/// The concurrent-mark wall-clock milliseconds of each forced gctrace line.
fn go_mark_ms(bin: &PathBuf, procs: u32) -> Result<Vec<f64>, String> {
    let out = Command::new(bin)
        .env("GODEBUG", "gctrace=1")
        .env("GOMAXPROCS", procs.to_string())
        .output()
        .map_err(|e| format!("cannot run the Go mark benchmark: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut ms: Vec<f64> = stderr
        .lines()
        .filter(|l| l.starts_with("gc ") && l.ends_with("(forced)"))
        .filter_map(|l| {
            let clock = l.split(": ").nth(1)?.split(" ms clock").next()?;
            clock.split('+').nth(1)?.parse().ok()
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    if ms.is_empty() {
        return Err(format!("no forced gctrace lines from Go:\n{stderr}"));
    }
    Ok(ms)
}

pub fn run() -> Result<(), String> {
    step("GC: building the CLI with the bench-native profile");
    crate::run(
        Command::new(env!("CARGO"))
            .args(["build", "--profile", "bench-native", "-p", "gopherscope"])
            .current_dir(root()),
    )?;
    let cli = root().join("target/bench-native/gopherscope");
    let out = Command::new(&cli)
        .args(["gc", "bench", "--objects", "1000000", "--slots", "4"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "gopherscope gc bench failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }

    step("GC: the real Go GC marking the same heap shape (go/gc/mark)");
    let bin = std::env::temp_dir().join("gopherscope-bench-gc-mark");
    crate::run(
        Command::new(go())
            .env("GOTOOLCHAIN", "local")
            .env("GOPROXY", "off")
            .env("CGO_ENABLED", "0")
            .args(["build", "-o"])
            .arg(&bin)
            .arg(".")
            .current_dir(root().join("tests/conformance/go/gc/mark")),
    )?;

    let model_ms: f64 = text
        .lines()
        .find(|l| l.starts_with("mark "))
        .and_then(|l| field(l, "ms"))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no mark line in:\n{text}"))?;
    println!(
        "model: mark 1,000,000 objects x 4 pointers, one thread: {model_ms:.1} ms (best of 3)"
    );
    for procs in [1, 2] {
        let ms = go_mark_ms(&bin, procs)?;
        let median = ms[ms.len() / 2];
        println!(
            "go:    concurrent mark, GOMAXPROCS={procs}: {median:.1} ms (median of {} forced GCs); model/go = {:.2}",
            ms.len(),
            model_ms / median
        );
    }

    step("GC: pacer recompute of 10 simulated minutes, per preset");
    for line in text.lines().filter(|l| l.starts_with("pacer ")) {
        let (Some(name), Some(cycles), Some(ms)) = (
            field(line, "preset"),
            field(line, "cycles"),
            field(line, "ms"),
        ) else {
            continue;
        };
        let ms: f64 = ms.parse().unwrap_or(f64::NAN);
        println!(
            "pacer {name:<20} {cycles:>5} cycles  {ms:>8.3} ms  (budget {PACER_BUDGET_MS} ms: {})",
            if ms <= PACER_BUDGET_MS {
                "within"
            } else {
                "OVER"
            }
        );
    }
    Ok(())
}
