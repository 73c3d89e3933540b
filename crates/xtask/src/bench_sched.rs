//! Scheduler benchmarks: the model (the CLI built with the bench-native
//! profile) against the real Go runtime on this machine, in one run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{root, step, tools};

/// Rewind budget (issue 3): one frame.
const REWIND_BUDGET_MS: f64 = 16.0;
/// Memory budget for a 1,000,000-event run (issue 3).
const MEMORY_BUDGET_MB: f64 = 64.0;

fn output(cmd: &mut Command) -> Result<String, String> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{shown} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `key=value` from a stats line.
fn field(line: &str, key: &str) -> Result<f64, String> {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no {key}= in {line:?}"))
}

struct Tools {
    cli: PathBuf,
    oracle: PathBuf,
}

fn build() -> Result<Tools, String> {
    step("Building the CLI with the bench-native profile and the Go scheduler oracle");
    crate::run(
        Command::new(env!("CARGO"))
            .args(["build", "--profile", "bench-native", "-p", "gopherscope"])
            .current_dir(root()),
    )?;
    let oracle = root().join("target/bench-native/sched-oracle");
    let go = std::env::var_os("GOPHERSCOPE_GO").map_or_else(tools::go_binary, PathBuf::from);
    crate::run(
        Command::new(go)
            .args(["build", "-o"])
            .arg(&oracle)
            .arg(".")
            .env("GOTOOLCHAIN", "local")
            .env("GOPROXY", "off")
            .env("CGO_ENABLED", "0")
            .current_dir(root().join("tests/conformance/go/sched")),
    )?;
    Ok(Tools {
        cli: root().join("target/bench-native/gopherscope"),
        oracle,
    })
}

/// Best of three wall times, in ms: the model's `--print stats` run.
fn model_ms(cli: &Path, args: &[&str]) -> Result<(f64, String), String> {
    let mut best = f64::MAX;
    let mut line = String::new();
    for _ in 0..3 {
        line = output(
            Command::new(cli)
                .arg("sched")
                .args(args)
                .args(["--print", "stats"]),
        )?;
        best = best.min(field(&line, "wall_ns")? / 1e6);
    }
    Ok((best, line))
}

/// Best of three: the real program's own timing, in ms.
fn go_ms(oracle: &Path, gomaxprocs: u32, args: &[&str]) -> Result<f64, String> {
    let mut best = f64::MAX;
    for _ in 0..3 {
        let out = output(
            Command::new(oracle)
                .args(args)
                .env("GOMAXPROCS", gomaxprocs.to_string()),
        )?;
        let ns: f64 = out
            .trim()
            .parse()
            .map_err(|_| format!("the oracle printed {out:?}"))?;
        best = best.min(ns / 1e6);
    }
    Ok(best)
}

fn compare(what: &str, model: f64, go: f64, events: f64) {
    println!(
        "{what}: model {model:.1} ms ({:.1} M events/s), real Go {go:.1} ms, model/Go = {:.2} ({})",
        events / model / 1e3,
        model / go,
        if model < go {
            "model faster"
        } else {
            "model slower"
        }
    );
}

pub fn run() -> Result<(), String> {
    let t = build()?;
    step("Scheduler: simulated vs real scheduling (best of 3 each)");
    let (m, line) = model_ms(&t.cli, &["--preset", "yield", "--n", "1000"])?;
    let g = go_ms(&t.oracle, 1, &["yield", "1000", "1000"])?;
    compare(
        "1,000 goroutines x 1,000 Gosched, GOMAXPROCS=1",
        m,
        g,
        field(&line, "events")?,
    );
    let scenario = root().join("target/bench-native/yield8.sched");
    std::fs::write(
        &scenario,
        "gomaxprocs 8\nlimit 100001\nfunc yielder\n  repeat 10\n    gosched\n  end\n  done wg\nend\nfunc main\n  add wg 100000\n  go yielder 100000\n  wait wg\nend\n",
    )
    .map_err(|e| format!("cannot write {}: {e}", scenario.display()))?;
    let path = scenario.to_string_lossy().into_owned();
    let (m, line) = model_ms(&t.cli, &["--scenario", &path])?;
    let g = go_ms(&t.oracle, 8, &["yield", "100000", "10"])?;
    compare(
        "100,000 goroutines x 10 Gosched, GOMAXPROCS=8",
        m,
        g,
        field(&line, "events")?,
    );

    step("Scheduler: rewind to any step of a 100,000-step run (200 seeks)");
    let line = output(Command::new(&t.cli).args([
        "sched",
        "--preset",
        "yield",
        "--n",
        "1000",
        "--max-steps",
        "100000",
        "--print",
        "rewind",
    ]))?;
    let worst = field(&line, "worst_ms")?;
    println!(
        "median {:.3} ms, worst {worst:.3} ms, budget {REWIND_BUDGET_MS} ms ({}); {} snapshots every {} steps",
        field(&line, "median_ms")?,
        if worst <= REWIND_BUDGET_MS { "within budget" } else { "OVER BUDGET" },
        field(&line, "snapshots")?,
        field(&line, "every")?,
    );

    step("Scheduler: memory of a 1,000,000-event run");
    let stats = output(Command::new(&t.cli).args([
        "sched",
        "--preset",
        "yield",
        "--n",
        "1000",
        "--max-steps",
        "1000000",
        "--print",
        "stats",
    ]))?;
    let rewind = output(Command::new(&t.cli).args([
        "sched",
        "--preset",
        "yield",
        "--n",
        "1000",
        "--max-steps",
        "1000000",
        "--print",
        "rewind",
    ]))?;
    let state_mb = field(&stats, "state_bytes")? / 1048576.0;
    let timeline_mb = field(&rewind, "timeline_bytes")? / 1048576.0;
    let rss_mb = field(&stats, "max_rss_kb")
        .map(|k| k / 1024.0)
        .unwrap_or(f64::NAN);
    println!(
        "state {state_mb:.2} MB; with rewind snapshots {timeline_mb:.2} MB; native peak RSS {rss_mb:.1} MB; budget {MEMORY_BUDGET_MB} MB ({})",
        if timeline_mb <= MEMORY_BUDGET_MB { "within budget" } else { "OVER BUDGET" }
    );
    Ok(())
}
