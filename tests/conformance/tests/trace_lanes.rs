//! The "Your program" widget's lanes against Go's own reading of the same
//! traces: for each sample trace the site ships (`web/data/traces`,
//! recorded from real go1.27.3 programs), every state change that
//! `go tool trace -d=parsed` prints for a goroutine or a P is one step of
//! `runtime_model::trace::lanes` of the matching kind, every GC mark phase,
//! stop-the-world, sweep and mark assist that Go's reader begins is one,
//! and the goroutines the trace first shows in a state are in that state in
//! the lanes. The same holds for the samples recorded now with a new
//! generation as often as the runtime starts one
//! (`GODEBUG=traceadvanceperiod=0`), where every generation restates every
//! goroutine; and such a trace cut short reads up to its last whole
//! generation, with Go's own error.

use std::collections::BTreeMap;
use std::path::Path;

use conformance::{build_go, go_command};
use runtime_model::trace::lanes::{Broken, GState, Lanes, StepKind};
use runtime_model::trace::TraceError;

fn samples() -> Vec<(String, std::path::PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/data/traces");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "trace"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// What Go's reader says: goroutine and P transitions by (from, to), and
/// range beginnings by name.
#[derive(Default, Debug)]
struct GoCounts {
    goroutine: BTreeMap<(String, String), usize>,
    proc: BTreeMap<(String, String), usize>,
    ranges: BTreeMap<String, usize>,
}

fn go_counts(trace: &Path) -> GoCounts {
    let out = go_command()
        .args(["tool", "trace", "-d=parsed"])
        .arg(trace)
        .env("TZ", "UTC")
        .output()
        .expect("go tool trace runs");
    assert!(
        out.status.success(),
        "go tool trace -d=parsed {}: {}",
        trace.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let transition =
        regex::Regex::new(r" StateTransition .*\b(GoID|ProcID)=-?\d+ (\w+)->(\w+)").unwrap();
    let range =
        regex::Regex::new(r#" Range(Begin|Active|End) .*Name="([^"]*)" Scope=(\S+)"#).unwrap();
    let mut c = GoCounts::default();
    // A range restated at a generation's start (RangeActive) begins only
    // once.
    let mut open = std::collections::BTreeSet::new();
    for line in text.lines() {
        if let Some(m) = transition.captures(line) {
            let key = (m[2].to_owned(), m[3].to_owned());
            let map = if &m[1] == "GoID" {
                &mut c.goroutine
            } else {
                &mut c.proc
            };
            *map.entry(key).or_default() += 1;
        } else if let Some(m) = range.captures(line) {
            let name = m[2].split(" (").next().unwrap_or_default().to_owned();
            let key = (name.clone(), m[3].to_owned());
            if &m[1] == "End" {
                open.remove(&key);
            } else if open.insert(key) {
                *c.ranges.entry(name).or_default() += 1;
            }
        }
    }
    c
}

/// The five samples recorded now, with a generation as often as the
/// runtime can start one.
fn many_generations() -> Vec<(String, std::path::PathBuf)> {
    // Recorded once for both tests (they run at the same time).
    static RECORDED: std::sync::OnceLock<Vec<(String, std::path::PathBuf)>> =
        std::sync::OnceLock::new();
    RECORDED.get_or_init(record_many_generations).clone()
}

fn record_many_generations() -> Vec<(String, std::path::PathBuf)> {
    let bin = build_go("traces");
    let dir = std::env::temp_dir().join(format!("gopherscope-lanes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = Vec::new();
    for sample in ["netpoll", "pipeline", "syscalls", "gc", "gomaxprocs"] {
        let file = dir.join(format!("{sample}-generations.trace"));
        let run = std::process::Command::new(&bin)
            .args(["-sample", sample, "-o"])
            .arg(&file)
            .env("GOMAXPROCS", "4")
            .env("GODEBUG", "traceadvanceperiod=0")
            .output()
            .expect("the sample program runs");
        assert!(
            run.status.success(),
            "{sample}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        out.push((format!("{sample} (traceadvanceperiod=0)"), file));
    }
    out
}

#[test]
fn every_state_change_go_reads_is_one_step_of_the_lanes() {
    let mut samples = samples();
    assert!(
        samples.len() >= 5,
        "expected the five samples, found {samples:?}"
    );
    samples.extend(many_generations());
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, path) in &samples {
        let data = std::fs::read(path).unwrap();
        let lanes = Lanes::read(&data).unwrap_or_else(|b| panic!("{name}: {}", b.error));
        let go = go_counts(path);
        let mut ours: BTreeMap<StepKind, usize> = BTreeMap::new();
        for (_, s) in lanes.steps.iter_from(0) {
            *ours.entry(s.kind).or_default() += 1;
        }
        let n = |k: StepKind| ours.get(&k).copied().unwrap_or(0);
        let g = |from: &str, to: &str| {
            go.goroutine
                .get(&(from.into(), to.into()))
                .copied()
                .unwrap_or(0)
        };
        let p = |from: &str, to: &str| go.proc.get(&(from.into(), to.into())).copied().unwrap_or(0);
        let to_gone: usize = go
            .goroutine
            .iter()
            .filter(|((f, t), _)| t == "NotExist" && f != "NotExist" && f != "Undetermined")
            .map(|(_, n)| n)
            .sum();
        let range = |r: &str| go.ranges.get(r).copied().unwrap_or(0);
        let live_at_start = lanes
            .state_at(0)
            .gs
            .iter()
            .filter(|g| g.state != GState::NotExist)
            .count();
        let undetermined: usize = go
            .goroutine
            .iter()
            .filter(|((f, t), _)| f == "Undetermined" && t != "Undetermined")
            .map(|(_, n)| n)
            .sum();
        let checks = [
            (
                "goroutine created (NotExist->Runnable)",
                n(StepKind::GoCreate),
                g("NotExist", "Runnable"),
            ),
            (
                "goroutine created blocked (NotExist->Waiting)",
                n(StepKind::GoCreateBlocked),
                g("NotExist", "Waiting"),
            ),
            (
                "goroutine created in a syscall (NotExist->Syscall)",
                n(StepKind::GoCreateSyscall),
                g("NotExist", "Syscall"),
            ),
            (
                "goroutine starts (Runnable->Running)",
                n(StepKind::GoStart),
                g("Runnable", "Running"),
            ),
            (
                "goroutine stops (Running->Runnable)",
                n(StepKind::GoStop),
                g("Running", "Runnable"),
            ),
            (
                "goroutine blocks (Running->Waiting)",
                n(StepKind::GoBlock),
                g("Running", "Waiting"),
            ),
            (
                "goroutine unblocked (Waiting->Runnable)",
                n(StepKind::GoUnblock),
                g("Waiting", "Runnable"),
            ),
            (
                "goroutine ends (->NotExist)",
                n(StepKind::GoDestroy),
                to_gone,
            ),
            (
                "syscall begins (Running->Syscall)",
                n(StepKind::SyscallBegin),
                g("Running", "Syscall"),
            ),
            (
                "syscall ends (Syscall->Running)",
                n(StepKind::SyscallEnd),
                g("Syscall", "Running"),
            ),
            (
                "syscall ends without its P (Syscall->Runnable)",
                n(StepKind::SyscallEndBlocked),
                g("Syscall", "Runnable"),
            ),
            (
                "goroutines first shown (Undetermined->...)",
                live_at_start + n(StepKind::GoStatus),
                undetermined,
            ),
            (
                "P starts (Idle->Running)",
                n(StepKind::ProcStart),
                p("Idle", "Running"),
            ),
            (
                "P stops or is taken (Running->Idle)",
                n(StepKind::ProcStop) + n(StepKind::ProcSteal),
                p("Running", "Idle"),
            ),
            (
                "GC mark phases",
                n(StepKind::GcBegin),
                range("GC concurrent mark phase"),
            ),
            (
                "stop-the-world pauses",
                n(StepKind::StwBegin),
                range("stop-the-world"),
            ),
            (
                "sweeps",
                n(StepKind::SweepBegin),
                range("GC incremental sweep"),
            ),
            (
                "mark assists",
                n(StepKind::AssistBegin),
                range("GC mark assist"),
            ),
        ];
        for (what, ours, go) in checks {
            total += go;
            if ours != go {
                failures.push(format!("{name}: {what}: {ours} steps, Go reads {go}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "the lanes differ from Go's reading:\n{}",
        failures.join("\n")
    );
    assert!(total > 1000, "only {total} state changes compared");
    println!(
        "{} samples, {total} state changes and ranges of Go's reading, each one step",
        samples.len()
    );
}

#[test]
fn a_trace_cut_short_reads_to_its_last_whole_generation_with_gos_error() {
    let traces = many_generations();
    let (name, path) = &traces[1];
    let data = std::fs::read(path).unwrap();
    let whole = Lanes::read(&data).unwrap_or_else(|b| panic!("{name}: {}", b.error));
    let cut = &data[..data.len() * 7 / 10];
    std::fs::write(path.with_extension("cut"), cut).unwrap();
    let go = go_command()
        .args(["tool", "trace", "-d=parsed"])
        .arg(path.with_extension("cut"))
        .output()
        .expect("go tool trace runs");
    assert!(!go.status.success(), "Go reads the cut trace to its end");
    let go_error = String::from_utf8_lossy(&go.stderr).trim().to_owned();
    let Err(Broken {
        partial: Some(partial),
        error,
    }) = Lanes::read(cut)
    else {
        panic!("{name}: the cut trace read to its end, or gave no lanes");
    };
    assert!(matches!(error, TraceError::Truncated(_)), "{name}: {error}");
    let ours = error.to_string();
    let ours = ours.trim_start_matches("truncated trace: ");
    assert!(go_error.ends_with(ours), "ours: {ours}\ngo: {go_error}");
    assert!(partial.steps.len() > 100 && partial.steps.len() < whole.steps.len());
    // What was read is what the whole trace has up to there.
    let n = partial.last();
    assert_eq!(partial.state_at(n), whole.state_at(n), "{name}: step {n}");
    assert_eq!(partial.say(n), whole.say(n));
}
