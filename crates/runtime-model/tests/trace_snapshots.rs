//! Whole seeded runs checked as snapshots of their event traces. The same
//! snapshot files are checked in the browser (web/tests/browser.rs), which
//! proves that a seed gives the same trace natively and in wasm.
//!
//! After an intended change to the model, regenerate with
//! `UPDATE_SNAPSHOTS=1 cargo test -p runtime-model --test trace_snapshots`
//! and review the diff.

use runtime_model::sched::{presets, Sim};

/// One line per event: step, virtual time, Go function, G, M, P.
pub fn trace(preset: &str, n: u32, seed: u64) -> String {
    let mut config = presets::preset(preset).unwrap().config(n).unwrap();
    config.seed = seed;
    let mut sim = Sim::new(config).unwrap();
    let mut out = String::new();
    while let Some(e) = sim.step() {
        out.push_str(&e.trace_line());
        out.push('\n');
    }
    out
}

fn check(file: &str, preset: &str, n: u32, seed: u64) {
    let path = format!("{}/tests/snapshots/{file}", env!("CARGO_MANIFEST_DIR"));
    let got = trace(preset, n, seed);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "{file}: the trace changed; rerun with UPDATE_SNAPSHOTS=1 if that was intended (first difference at line {})",
        got.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(got.lines().count().min(want.lines().count()))
    );
}

#[test]
fn work_stealing_seed_3() {
    check("work-stealing-seed3.trace", "work-stealing", 24, 3);
}

#[test]
fn syscall_handoff_seed_1() {
    check("syscall-handoff-seed1.trace", "syscall-handoff", 4, 1);
}

#[test]
fn different_seeds_steal_in_a_different_order() {
    assert_ne!(trace("work-stealing", 24, 3), trace("work-stealing", 24, 4));
}
