//! The garbage-collector benchmarks: the model's marking against the real
//! Go GC's mark phase over the same heap shape (1,000,000 objects, 4
//! pointers each), the pacer's costs calibrated afresh and its steady
//! state against real Go for each heap shape and GOGC
//! (`conformance::gccost`), and a pacer recompute of 10 simulated minutes
//! (the widget's budget for a slider change is one 16 ms frame).

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

/// The concurrent-mark phase of one forced gctrace line: wall-clock
/// milliseconds (the second `clock` term) and CPU milliseconds (the
/// assist/background/idle triple of the `cpu` terms).
#[derive(Clone, Copy, Debug, PartialEq)]
struct GoMark {
    wall_ms: f64,
    cpu_ms: f64,
}

fn parse_go_mark(line: &str) -> Option<GoMark> {
    let times = line.split(": ").nth(1)?;
    let clock = times.split(" ms clock").next()?;
    let wall_ms = clock.split('+').nth(1)?.parse().ok()?;
    let cpu = times.split(" ms clock, ").nth(1)?.split(" ms cpu").next()?;
    let cpu_ms = cpu
        .split('+')
        .nth(1)?
        .split('/')
        .map(str::parse::<f64>)
        .sum::<Result<f64, _>>()
        .ok()?;
    Some(GoMark { wall_ms, cpu_ms })
}

/// The mark phase of each forced GC, sorted by wall time.
fn go_marks(bin: &PathBuf, procs: u32) -> Result<Vec<GoMark>, String> {
    let out = Command::new(bin)
        .env("GODEBUG", "gctrace=1")
        .env("GOMAXPROCS", procs.to_string())
        .output()
        .map_err(|e| format!("cannot run the Go mark benchmark: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut marks: Vec<GoMark> = stderr
        .lines()
        .filter(|l| l.starts_with("gc ") && l.ends_with("(forced)"))
        .filter_map(parse_go_mark)
        .collect();
    marks.sort_by(|a, b| a.wall_ms.total_cmp(&b.wall_ms));
    if marks.is_empty() {
        return Err(format!("no forced gctrace lines from Go:\n{stderr}"));
    }
    Ok(marks)
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

    let model_ms = |drain: &str, workers: u32| -> Result<f64, String> {
        text.lines()
            .filter(|l| l.starts_with("mark "))
            .find(|l| {
                field(l, "drain").as_deref() == Some(drain)
                    && field(l, "workers") == Some(workers.to_string())
            })
            .and_then(|l| field(l, "ms"))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("no mark drain={drain} workers={workers} line in:\n{text}"))
    };
    // Every object of the benchmark heap is reachable (slot 0 chains them):
    // a variant that marked fewer lost some, however fast it was.
    for line in text.lines().filter(|l| l.starts_with("mark ")) {
        if field(line, "marked") != field(line, "objects") {
            return Err(format!("a marking variant missed objects: {line}"));
        }
    }
    let green_tea = model_ms("greentea", 1)?;
    let classic = model_ms("classic", 1)?;
    let rounds = [
        model_ms("greentea-rounds", 1)?,
        model_ms("greentea-rounds", 2)?,
    ];
    println!("model: mark 1,000,000 objects x 4 pointers, median of 5 heaps:");
    println!("         Green Tea span queue (Go 1.27's default), one worker  {green_tea:>7.1} ms");
    println!("         classic object queue (nogreenteagc), one worker      {classic:>7.1} ms");
    println!(
        "         Green Tea in rounds shared by 1 worker thread       {:>7.1} ms",
        rounds[0]
    );
    println!(
        "         Green Tea in rounds shared by 2 worker threads      {:>7.1} ms",
        rounds[1]
    );
    for procs in [1_u32, 2] {
        let marks = go_marks(&bin, procs)?;
        let median = marks[marks.len() / 2];
        // The model's rounds with as many worker threads as Go has Ps.
        let model = rounds[procs as usize - 1];
        println!(
            "go:    GOMAXPROCS={procs}, median of {} forced GCs: mark {:.1} ms wall, {:.1} ms CPU; \
             model with {procs} worker(s) {model:.1} ms: model/go = {:.2} of the wall time{}",
            marks.len(),
            median.wall_ms,
            median.cpu_ms,
            model / median.wall_ms,
            if model < median.wall_ms { " (faster)" } else { " (SLOWER)" },
        );
    }

    step("GC: costs calibrated from go/gccost's heaps under load, then real go1.27 vs the model at steady state");
    {
        use conformance::gccost::{
            calibrate, compare, describe, medians, summary, table, GOGCS, SHAPES,
        };
        let bin = conformance::build_go("gccost");
        // Three rounds, each row judged by its median, as the conformance
        // test does.
        let mut rounds = Vec::new();
        for round in 1..=3 {
            let cal = calibrate(&bin);
            let rows: Vec<_> = SHAPES
                .iter()
                .flat_map(|heap| GOGCS.map(|gogc| (heap, gogc)))
                .map(|(heap, gogc)| compare(&bin, heap, gogc, &cal))
                .collect();
            print!("round {round}: {}{}", describe(&cal), table(&rows));
            rounds.push(rows);
        }
        print!("{}", summary(&medians(&rounds)));
        println!("(r/m: real Go / model; envelope: within 25% and a factor of two on GC CPU)");
        let _ = std::fs::remove_file(&bin);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_mark_phase_of_a_gctrace_line() {
        let line = "gc 4 @0.097s 9%: 0.032+31+0.004 ms clock, 0.065+0/12/51+0.009 ms cpu, \
                    53->53->45 MB, 88 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)";
        assert_eq!(
            parse_go_mark(line),
            Some(GoMark {
                wall_ms: 31.0,
                cpu_ms: 63.0
            })
        );
        assert_eq!(parse_go_mark("gc 4 @0.097s 9%: garbage"), None);
    }
}
