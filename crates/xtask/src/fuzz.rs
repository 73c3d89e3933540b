//! `cargo xtask fuzz [TARGET...] [--inputs N] [--seed S] [--slow-ms MS] [--list]`:
//! the fuzzer of crates/fuzz over every decoder a user or a link can
//! reach, a million inputs per target unless `--inputs` says otherwise.
//! It prints per target the inputs, inputs per second, distinct outcomes
//! and what it found (panics with a minimised input, slow inputs), and
//! fails when it found anything. `cargo xtask test unit` runs a short run.

use std::process::Command;

use crate::root;

/// Inputs per target in the short run of `cargo xtask test`.
pub const SHORT_RUN: &str = "20000";

/// The fuzzer, built for speed (the fuzz profile: opt-level 3, panics
/// unwind so that each input's panic is caught).
pub fn command(cargo: &mut Command, args: &[String]) {
    cargo
        .current_dir(root())
        .args([
            "run",
            "--quiet",
            "--profile",
            "fuzz",
            "-p",
            "gopherscope-fuzz",
            "--",
        ])
        .args(args);
}

pub fn run(args: &[String]) -> Result<(), String> {
    crate::step("Fuzzing every decoder a user or a link can reach (crates/fuzz)");
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command(&mut cargo, args);
    crate::run(&mut cargo)
}
