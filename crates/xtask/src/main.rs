//! `cargo xtask`: the project's commands.
//!
//! - `serve`: install what is missing, build the release bundle, serve it on
//!   http://127.0.0.1:8080.
//! - `build`: install what is missing, build the release bundle into `dist/`.
//! - `test`: install what the tests need, run every test layer, end with one
//!   line `N passed, N failed`.
//! - `bench`: measure the release bundle (and, as widgets land, the model).
//! - `fuzz`: fuzz every decoder a user or a link can reach (crates/fuzz).
//!
//! Every install step checks first, so a second run is fast.

mod bench;
mod bench_browser;
mod bench_gc;
mod bench_layout;
mod bench_lighthouse;
mod bench_sched;
mod bench_trace;
mod fuzz;
mod gen_buildlab;
mod gen_golines;
mod site;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: cargo xtask <command>

  serve    build the site and serve it on http://127.0.0.1:8080
  build    build the release bundle into dist/
  test     run every test layer (installs what is missing first)
  bench [SECTION...]  print benchmark numbers: bundle, sched, layout, gc, browser, lighthouse, soak, trace (default all)
  fuzz [TARGET...] [--inputs N]  fuzz every decoder (1,000,000 inputs per target by default; --list names them)
  panic-probe  build the test-only panic-probe site from dist/ (cargo xtask test e2e does it)
  setup    only install the tools (trunk, wasm-bindgen, wasm-opt, chromium, go, npm packages)
  gen-buildlab  regenerate web/data/build-explorer.json and toolchain.json with the pinned Go
  gen-golines [FILE:FUNCTION...]  regenerate web/src/kit/go_lines.rs (Go source lines) from the pinned GOROOT";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("build") => build().map(|_| ()),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("setup") => tools::setup_all(),
        Some("panic-probe") => tools::setup_build()
            .and_then(|env| site::panic_probe(&env, &root().join("dist")))
            .map(|dir| println!("panic-probe site in {}", dir.display())),
        Some("gen-buildlab") => gen_buildlab::run_generator(),
        Some("gen-golines") => gen_golines::run_generator(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("\nxtask: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (two levels above this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask sits two levels below the root")
        .to_path_buf()
}

/// Announces a step, the way every step is announced.
pub fn step(msg: &str) {
    println!("\n==> {msg}");
}

/// Runs a command to completion; an error names the command.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// Builds the release bundle into `dist/`: the widgets' wasm with Trunk,
/// then every page as static HTML, then gzip and brotli copies.
pub fn build() -> Result<PathBuf, String> {
    let env = tools::setup_build()?;
    step("Building the release bundle with Trunk (the first build compiles for a few minutes)");
    run(env
        .command("trunk")
        .args(["--config", "Trunkfile.toml", "build", "--release"])
        .current_dir(root()))?;
    let dist = root().join("dist");
    site::prerender(&dist)?;
    site::lean_bundles(&env, &dist)?;
    site::service_worker(&dist)?;
    site::precompress(&dist)?;
    println!("release bundle in {}", dist.display());
    Ok(dist)
}

fn serve() -> Result<(), String> {
    let dist = build()?;
    step("Serving dist/ on http://127.0.0.1:8080 (Ctrl-C stops it)");
    println!("open http://127.0.0.1:8080/");
    site::serve(&dist, "127.0.0.1:8080")
}
