//! `gopherscope logs`: what a pasted `GODEBUG=gctrace=1` or
//! `GODEBUG=schedtrace=...` log says, cycle by cycle and sample by sample.

use std::fmt::Write;
use std::io::Read;

use runtime_model::gc::trace::{fmt_ns_as_ms, itoa_div};
use runtime_model::logs::{parse, Log};

/// `gopherscope logs FILE`; FILE may be `-`.
#[derive(clap::Args)]
pub struct LogsArgs {
    /// A program's standard error under GODEBUG=gctrace=1 or
    /// schedtrace=1000[,scheddetail=1], or - for standard input
    #[arg(value_name = "FILE")]
    file: String,
}

/// Reads FILE and prints what it understood, then each line it did not.
pub fn command(args: &LogsArgs) -> Result<String, String> {
    let file = args.file.as_str();
    let bytes = if file == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        b
    } else {
        std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?
    };
    let name = if file == "-" { "<stdin>" } else { file };
    // Invalid UTF-8 only spoils the lines it is on.
    let text = String::from_utf8_lossy(&bytes);
    let log = parse(&text);
    let understood = log.gc.len() + log.sched.len() + log.scav.len() + log.forced_gc.len();
    if understood == 0 {
        let mut msg = format!(
            "{name}: no gctrace or schedtrace line in {} lines; run the program with GODEBUG=gctrace=1 or GODEBUG=schedtrace=1000 and paste its standard error",
            log.lines
        );
        for e in log.errors.iter().take(3) {
            let _ = write!(msg, "\n  line {}: {}", e.line, e.reason);
        }
        return Err(msg);
    }
    Ok(report(&log))
}

/// Milliseconds as the runtime prints them (`fmtNSAsMS`).
fn ms(ns: u64) -> String {
    fmt_ns_as_ms(ns)
}

fn report(log: &Log) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {} lines: {} GC cycles, {} schedtrace samples, {} scavenger lines, {} not understood",
        log.lines,
        log.gc.len(),
        log.sched.len(),
        log.scav.len(),
        log.errors.len()
    );
    if !log.gc.is_empty() {
        s.push_str("\n# GC cycles: heap in MB as printed (whole MB), times in ms\n");
        s.push_str("#  line  cycle     at(s)  before  after   live   goal  GC-CPU  STW-start   mark  STW-end    P  note\n");
        for g in &log.gc {
            let mut note = Vec::new();
            if g.forced {
                note.push("forced (runtime.GC)");
            }
            if g.leak_check {
                note.push("goroutine leak check");
            }
            let row = format!(
                "{:>7} {:>6} {:>9} {:>7} {:>6} {:>6} {:>6} {:>6}% {:>10} {:>6} {:>8} {:>4}  {}",
                g.line,
                g.numgc,
                itoa_div(g.start_ms, 3),
                g.heap_mb[0],
                g.heap_mb[1],
                g.heap_mb[2],
                g.goal_mb,
                g.cpu_percent,
                ms(g.clock_ns[0]),
                ms(g.clock_ns[1]),
                ms(g.clock_ns[2]),
                g.procs,
                note.join(", ")
            );
            let _ = writeln!(s, "{}", row.trim_end());
        }
    }
    if !log.forced_gc.is_empty() {
        let lines: Vec<String> = log.forced_gc.iter().map(usize::to_string).collect();
        let _ = writeln!(
            s,
            "\n# GC forced by the 2-minute timer (forcegchelper) on lines {}",
            lines.join(", ")
        );
    }
    if !log.scav.is_empty() {
        s.push_str("\n# Scavenger: KiB returned to the OS\n");
        s.push_str("#  line      bg   eager   released  util\n");
        for v in &log.scav {
            let _ = writeln!(
                s,
                "{:>7} {:>7} {:>7} {:>10} {:>4}%{}",
                v.line,
                v.bg_kib,
                v.eager_kib,
                v.released_kib,
                v.util_percent,
                if v.forced { "  forced" } else { "" }
            );
        }
    }
    if !log.sched.is_empty() {
        s.push_str("\n# Scheduler samples: run queue lengths and thread counts\n");
        s.push_str("#  line  time(ms)  procs  idle  threads  spinning  idle-threads  global  per-P run queues\n");
        for v in &log.sched {
            let runq: Vec<String> = v.runq.iter().map(u64::to_string).collect();
            let _ = writeln!(
                s,
                "{:>7} {:>9} {:>6} {:>5} {:>8} {:>9} {:>13} {:>7}  [{}]",
                v.line,
                v.ms,
                v.gomaxprocs,
                v.idleprocs,
                v.threads,
                v.spinningthreads,
                v.idlethreads,
                v.runqueue,
                runq.join(" ")
            );
            if let Some(d) = &v.detail {
                let running = d.gs.iter().filter(|g| g.status == 2).count();
                let runnable = d.gs.iter().filter(|g| g.status == 1).count();
                let waiting = d.gs.iter().filter(|g| g.status == 4).count();
                let _ = writeln!(
                    s,
                    "{:>7} {:>9}  detail: {} Ms, {} Gs ({running} running, {runnable} runnable, {waiting} waiting){}",
                    "",
                    "",
                    d.ms.len(),
                    d.gs.len(),
                    if d.gcwaiting { ", stopping the world" } else { "" }
                );
            }
        }
    }
    if !log.errors.is_empty() {
        s.push_str("\n# Lines not understood\n");
        for e in &log.errors {
            let _ = writeln!(s, "line {}: {}\n    | {}", e.line, e.reason, e.text);
        }
    }
    s
}
