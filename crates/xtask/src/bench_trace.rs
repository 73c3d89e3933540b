//! Trace benchmarks (issue 15): the model's trace reader against Go's own,
//! side by side in one run, on a trace of more than 10 MB recorded from
//! tests/conformance/go/traces (`-sample big`: 200 pipelines of channels
//! and allocation) with the pinned Go; then the same trace opened in the
//! "Your program" widget in headless Chromium (tests/e2e/bench/trace.mjs).
//!
//! - `gopherscope trace FILE --print parsed > /dev/null` (the CLI built
//!   with the bench-native profile) and `go tool trace -d=parsed FILE >
//!   /dev/null`, five runs each, alternating; the medians and their ratio.
//!   One untimed run of each first checks that both print the same bytes.
//! - The reading alone: `gopherscope trace FILE --print count` reads every
//!   event without printing and times that in the process.
//!
//! The trace is recorded once and kept at `$CARGO_TARGET_DIR/bench/big.trace`
//! (`target/bench/big.trace` by default); delete it to record it anew.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::{root, step, tools};

/// The smallest trace the bench asks for.
const MIN_TRACE_BYTES: u64 = 10_000_000;
/// What `-sample big` is asked to write (it stops a little past it).
const BIG_TRACE_BYTES: u64 = 10_500_000;
/// Timed runs of each command.
const RUNS: usize = 5;

/// The cargo target folder: `$CARGO_TARGET_DIR`, else `target/`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || root().join("target"),
        |d| {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                root().join(d)
            }
        },
    )
}

fn go_binary() -> PathBuf {
    std::env::var_os("GOPHERSCOPE_GO").map_or_else(tools::go_binary, PathBuf::from)
}

/// A `go` command that never reaches for the network or another toolchain.
fn go_command() -> Command {
    let mut cmd = Command::new(go_binary());
    cmd.env("GOTOOLCHAIN", "local")
        .env("GOPROXY", "off")
        .env("GOFLAGS", "-mod=mod")
        .env("CGO_ENABLED", "0");
    cmd
}

/// The big trace: recorded once, then reused.
fn big_trace(bench: &Path) -> Result<PathBuf, String> {
    let trace = bench.join("big.trace");
    let size = std::fs::metadata(&trace).map_or(0, |m| m.len());
    if size >= MIN_TRACE_BYTES {
        println!(
            "reusing {} ({size} bytes; delete it to record it anew)",
            trace.display()
        );
        return Ok(trace);
    }
    let prog = bench.join("traces-sample");
    crate::run(
        go_command()
            .args(["build", "-trimpath", "-o"])
            .arg(&prog)
            .arg(".")
            .current_dir(root().join("tests/conformance/go/traces")),
    )?;
    crate::run(
        Command::new(&prog)
            .args([
                "-sample",
                "big",
                "-size",
                &BIG_TRACE_BYTES.to_string(),
                "-o",
            ])
            .arg(&trace)
            .env("GOMAXPROCS", "4"),
    )?;
    let size = std::fs::metadata(&trace).map_or(0, |m| m.len());
    if size < MIN_TRACE_BYTES {
        return Err(format!(
            "{} has only {size} bytes, less than {MIN_TRACE_BYTES}",
            trace.display()
        ));
    }
    println!("recorded {} ({size} bytes)", trace.display());
    Ok(trace)
}

/// Runs `cmd` with its output to /dev/null; the wall time in ms.
fn timed(cmd: &mut Command) -> Result<f64, String> {
    let shown = format!("{cmd:?}");
    let t0 = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    if !status.success() {
        return Err(format!("{shown} failed ({status})"));
    }
    Ok(ms)
}

/// Fills `buf` from `r` as far as it goes; the bytes read.
fn fill(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Whether two commands print the same bytes, read side by side as they
/// come (the outputs run to hundreds of MB), and how many each printed.
fn same_output(a: &mut Command, b: &mut Command) -> Result<(bool, u64, u64), String> {
    let spawn = |c: &mut Command| {
        let shown = format!("{c:?}");
        c.stdout(Stdio::piped())
            .spawn()
            .map(|child| (child, shown.clone()))
            .map_err(|e| format!("could not start {shown}: {e}"))
    };
    let mut procs = [spawn(a)?, spawn(b)?];
    let mut outs: Vec<_> = procs
        .iter_mut()
        .map(|(c, _)| c.stdout.take().expect("stdout is piped"))
        .collect();
    let (mut x, mut y) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    let (mut same, mut lens) = (true, [0u64; 2]);
    loop {
        let n = fill(&mut outs[0], &mut x).map_err(|e| e.to_string())?;
        let m = fill(&mut outs[1], &mut y).map_err(|e| e.to_string())?;
        lens[0] += n as u64;
        lens[1] += m as u64;
        same &= x[..n] == y[..m];
        if n == 0 && m == 0 {
            break;
        }
    }
    for (child, shown) in &mut procs {
        let status = child.wait().map_err(|e| format!("{shown}: {e}"))?;
        if !status.success() {
            return Err(format!("{shown} failed ({status})"));
        }
    }
    Ok((same, lens[0], lens[1]))
}

fn median(xs: &[f64]) -> f64 {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

fn list(xs: &[f64]) -> String {
    xs.iter()
        .map(|x| format!("{x:.0}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `key=value` from the `--print count` line.
fn field(line: &str, key: &str) -> Result<f64, String> {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no {key}= in {line:?}"))
}

/// The command-line part: our reader and printer against Go's.
pub fn cli() -> Result<PathBuf, String> {
    step("Trace: building the CLI (bench-native profile) and recording a trace of more than 10 MB with the pinned Go");
    crate::run(
        Command::new(env!("CARGO"))
            .args(["build", "--profile", "bench-native", "-p", "gopherscope"])
            .current_dir(root()),
    )?;
    let cli = target_dir().join("bench-native/gopherscope");
    let bench = target_dir().join("bench");
    std::fs::create_dir_all(&bench)
        .map_err(|e| format!("cannot create {}: {e}", bench.display()))?;
    let trace = big_trace(&bench)?;
    let size = std::fs::metadata(&trace).map_or(0, |m| m.len());
    let ours = || {
        let mut c = Command::new(&cli);
        c.args(["trace", "--print", "parsed"]).arg(&trace);
        c
    };
    let go = || {
        let mut c = go_command();
        c.args(["tool", "trace", "-d=parsed"])
            .arg(&trace)
            .env("TZ", "UTC");
        c
    };

    step(&format!(
        "Trace: parse and print every event, gopherscope vs go tool trace ({RUNS} runs each, alternating; output to /dev/null)"
    ));
    // Untimed: the same bytes from both, and the file in the page cache.
    let (same, ours_len, go_len) = same_output(&mut ours(), &mut go())?;
    println!(
        "output: gopherscope {ours_len} bytes, go tool trace {go_len} bytes: {}",
        if same {
            "byte for byte the same"
        } else {
            "THEY DIFFER"
        }
    );
    let (mut ours_ms, mut go_ms) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        ours_ms.push(timed(&mut ours())?);
        go_ms.push(timed(&mut go())?);
    }
    let count = || -> Result<String, String> {
        let out = Command::new(&cli)
            .args(["trace", "--print", "count"])
            .arg(&trace)
            .output()
            .map_err(|e| format!("could not start {}: {e}", cli.display()))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let mut parse_ms = Vec::new();
    let mut events = 0.0;
    for _ in 0..RUNS {
        let line = count()?;
        events = field(&line, "events")?;
        parse_ms.push(field(&line, "parse_ns")? / 1e6);
    }
    let (o, g) = (median(&ours_ms), median(&go_ms));
    println!(
        "trace {}: {size} bytes ({:.1} MB), {events} events, {go_len} bytes of text",
        trace.display(),
        size as f64 / 1e6
    );
    println!(
        "gopherscope trace --print parsed: median {o:.0} ms ({} ms)",
        list(&ours_ms)
    );
    println!(
        "go tool trace -d=parsed:          median {g:.0} ms ({} ms)",
        list(&go_ms)
    );
    println!(
        "ours / Go's = {:.2} ({})",
        o / g,
        if o < g {
            "gopherscope faster"
        } else {
            "gopherscope SLOWER"
        }
    );
    let p = median(&parse_ms);
    println!(
        "reading alone (--print count, timed in the process, without the file read): median {p:.0} ms ({} ms), {:.1} M events/s, {:.0} MB/s",
        list(&parse_ms),
        events / p / 1e3,
        size as f64 / 1e3 / p
    );
    Ok(trace)
}

/// `cargo xtask bench trace`: the CLI part, then the widget in Chromium
/// (on `$GOPHERSCOPE_DIST` when set, else on `dist/`, built first unless
/// `built`). `GOPHERSCOPE_BENCH_TRACE=cli` stops after the CLI part.
pub fn run(built: bool) -> Result<(), String> {
    let trace = cli()?;
    if std::env::var("GOPHERSCOPE_BENCH_TRACE").is_ok_and(|v| v == "cli") {
        return Ok(());
    }
    let dist = match std::env::var_os("GOPHERSCOPE_DIST") {
        Some(d) => PathBuf::from(d),
        None if built => root().join("dist"),
        None => crate::build()?,
    };
    let env = tools::setup_test()?;
    step("Trace: the big trace in the \"Your program\" widget (headless Chromium)");
    crate::run(
        env.command("node")
            .arg("bench/trace.mjs")
            .current_dir(root().join("tests/e2e"))
            .env("GOPHERSCOPE_DIST", dist)
            .env("GOPHERSCOPE_TRACE", &trace)
            .env("GOPHERSCOPE_CHROMIUM", tools::CHROMIUM),
    )
}
