//! The pacer against the real Go runtime: a Go program with a fixed live
//! heap allocates garbage at a steady rate under GODEBUG=gctrace=1, and the
//! model, given the same live heap, rate, stacks, globals, GOMAXPROCS, GOGC
//! and GOMEMLIMIT, must agree on the steady heap goal within 5%. The
//! model's gctrace lines must match the pattern real go1.27 lines match.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use regex::Regex;
use runtime_model::gc::cost::HeapShape;
use runtime_model::gc::knobs::{parse_gogc, parse_gomemlimit};
use runtime_model::gc::pacer::{simulate, Workload};
use serde_json::Value;

const LIVE_MB: u64 = 64;
const RATE_MB: u64 = 256;
const SECONDS: f64 = 2.5;
const PROCS: u32 = 2;

/// The gctrace format of runtime/extern.go, as a regex.
fn gctrace_pattern() -> Regex {
    let n = r"\d+(?:\.\d+)?";
    Regex::new(&format!(
        r"^gc \d+ @\d+\.\d{{3}}s \d+%: {n}\+{n}\+{n} ms clock, {n}\+{n}/{n}/{n}\+{n} ms cpu, \d+->\d+->\d+ MB, \d+ MB goal, \d+ MB stacks, \d+ MB globals, \d+ P(?: \(forced\))?$"
    ))
    .expect("the pattern compiles")
}

/// Builds go/gc/pacer once (running it with `go run` would make the go
/// command print its own gctrace too).
fn pacer_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| conformance::build_go("gc/pacer"))
}

struct RealRun {
    gctrace: Vec<String>,
    metrics: Value,
}

fn run_real(gogc: &str, gomemlimit: &str) -> RealRun {
    let out = Command::new(pacer_binary())
        .args(["-live-mb", &LIVE_MB.to_string()])
        .args(["-alloc-mb-per-sec", &RATE_MB.to_string()])
        .args(["-seconds", &SECONDS.to_string()])
        .env("GODEBUG", "gctrace=1")
        .env("GOGC", gogc)
        .env("GOMEMLIMIT", gomemlimit)
        .env("GOMAXPROCS", PROCS.to_string())
        .output()
        .expect("the Go program runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gctrace = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("gc "))
        .map(String::from)
        .collect();
    let metrics = serde_json::from_slice(&out.stdout).expect("the program prints JSON");
    RealRun { gctrace, metrics }
}

/// (seconds since start, goal in MB) of a gctrace line.
fn start_and_goal(line: &str) -> (f64, u64) {
    let at: f64 = line
        .split_once('@')
        .and_then(|(_, r)| r.split_once('s'))
        .and_then(|(t, _)| t.parse().ok())
        .unwrap_or_else(|| panic!("no @time in {line}"));
    let goal = line
        .split(", ")
        .find_map(|f| f.strip_suffix(" MB goal"))
        .and_then(|g| g.parse().ok())
        .unwrap_or_else(|| panic!("no goal in {line}"));
    (at, goal)
}

/// The median goal of the cycles whose goal was set by a cycle after the
/// first half second. A cycle's goal comes from the heap the cycle before
/// it marked, so the first cycle after the setup still carries the setup's
/// floating garbage (on a loaded machine a long pause there adds several
/// MB and moves that one goal by 5-8%).
fn steady_goal_mb(lines: &[String]) -> f64 {
    let cycles: Vec<(f64, u64)> = lines.iter().map(|l| start_and_goal(l)).collect();
    let mut goals: Vec<u64> = cycles
        .windows(2)
        .filter(|w| w[0].0 >= 0.5)
        .map(|w| w[1].1)
        .collect();
    assert!(
        goals.len() >= 2,
        "too few steady cycles:\n{}",
        lines.join("\n")
    );
    goals.sort_unstable();
    goals[goals.len() / 2] as f64
}

fn model(gogc: &str, gomemlimit: &str, real: &RealRun) -> Workload {
    let mut w = Workload::steady(LIVE_MB, RATE_MB);
    w.gogc = parse_gogc(gogc).expect("a valid GOGC");
    w.gomemlimit = parse_gomemlimit(gomemlimit).expect("a valid GOMEMLIMIT");
    w.gomaxprocs = PROCS;
    // The live heap is pointer-free 64 KiB chunks: nothing to scan.
    w.shape = HeapShape::BYTES;
    w.stacks = real.metrics["/gc/scan/stack:bytes"]
        .as_u64()
        .expect("stack metric");
    w.globals = real.metrics["/gc/scan/globals:bytes"]
        .as_u64()
        .expect("globals metric");
    w
}

fn check(gogc: &str, gomemlimit: &str) {
    let real = run_real(gogc, gomemlimit);
    let pattern = gctrace_pattern();
    for line in &real.gctrace {
        assert!(
            pattern.is_match(line),
            "real Go's line does not match the pattern:\n{line}"
        );
    }
    let sim = simulate(model(gogc, gomemlimit, &real), SECONDS);
    let model_lines: Vec<String> = sim.records.iter().map(|r| r.trace.line()).collect();
    for line in &model_lines {
        assert!(
            pattern.is_match(line),
            "the model's line does not match real Go's pattern:\n{line}"
        );
    }
    let real_goal = steady_goal_mb(&real.gctrace);
    let model_goal = steady_goal_mb(&model_lines);
    let off = (model_goal - real_goal).abs() / real_goal;
    assert!(
        off <= 0.05,
        "GOGC={gogc} GOMEMLIMIT={gomemlimit}: steady goal {model_goal} MB in the model, {real_goal} MB in Go ({:.1}% off)\nGo:\n{}\nmodel:\n{}",
        off * 100.0,
        real.gctrace.join("\n"),
        model_lines.join("\n")
    );
}

#[test]
fn steady_heap_goal_matches_go_under_gogc_50() {
    check("50", "off");
}

#[test]
fn steady_heap_goal_matches_go_under_gogc_100() {
    check("100", "off");
}

#[test]
fn steady_heap_goal_matches_go_under_gogc_200() {
    check("200", "off");
}

#[test]
fn steady_heap_goal_matches_go_under_a_binding_gomemlimit() {
    check("100", "100MiB");
}

#[test]
fn gogc_off_with_a_binding_gomemlimit_matches_go() {
    check("off", "128MiB");
}

/// The model's `mark_all` claims to drain the way go1.27 does by default:
/// Green Tea on, and span-batched scanning for exactly the size classes
/// `gcUsesSpanInlineMarkBits` picks (16 B up to `MinSizeForMallocHeader`,
/// which is PtrSize * PtrBits = 512 on 64-bit). Read from GOROOT.
#[test]
fn green_tea_is_the_default_and_batches_the_classes_the_model_batches() {
    let exp = conformance::goroot_file("src/internal/buildcfg/exp.go");
    assert!(
        Regex::new(r"GreenTeaGC:\s+true,").unwrap().is_match(&exp),
        "GreenTeaGC is not on by default in internal/buildcfg/exp.go"
    );
    let greentea = conformance::goroot_file("src/runtime/mgcmark_greenteagc.go");
    assert!(greentea.contains("return heapBitsInSpan(size) && size >= 16"));
    let mbitmap = conformance::goroot_file("src/runtime/mbitmap.go");
    assert!(mbitmap.contains("return userSize <= gc.MinSizeForMallocHeader"));
    let malloc = conformance::goroot_file("src/internal/runtime/gc/malloc.go");
    assert!(malloc.contains("MinSizeForMallocHeader = goarch.PtrSize * goarch.PtrBits"));
    let (ptr_size, ptr_bits) = (8u64, 64u64);
    for class in 1..runtime_model::sizeclasses::NUM_SIZE_CLASSES as u8 {
        let size = runtime_model::sizeclasses::class_to_size(class);
        let go = size <= ptr_size * ptr_bits && size >= 16;
        assert_eq!(
            runtime_model::gc::mark::uses_span_queue(class),
            go,
            "size class {class} ({size} B)"
        );
    }
}
