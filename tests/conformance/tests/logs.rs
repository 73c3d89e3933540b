//! The log reader (`runtime_model::logs`) against logs the real runtime
//! prints at test time: a small program (tests/conformance/go/logs) runs
//! under `GODEBUG=gctrace=1,scavtrace=1`, `schedtrace=100` and
//! `schedtrace=100,scheddetail=1`; every line of its standard error must
//! parse, and the numbers must be the ones printed, read a second way here
//! with regular expressions.

use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;
use runtime_model::logs::{parse, Log};

fn program() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| conformance::build_go("logs")).clone()
}

/// Runs the program; its standard error (only the runtime prints there).
fn stderr_of(gomaxprocs: u32, godebug: &str, ms: u32) -> String {
    let out = Command::new(program())
        .args(["-ms", &ms.to_string()])
        .env("GOMAXPROCS", gomaxprocs.to_string())
        .env("GODEBUG", godebug)
        .output()
        .expect("the logs program runs");
    assert!(
        out.status.success(),
        "logs program failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("live chunks: "), "{stdout}");
    let mut text = String::from_utf8(out.stderr).expect("the runtime prints ASCII");
    // The program can exit while the runtime is still writing its last
    // gctrace line on another thread (the line is several print
    // statements), which leaves it cut off with no newline: drop it.
    if !text.ends_with('\n') {
        text.truncate(text.rfind('\n').map_or(0, |i| i + 1));
    }
    text
}

fn parsed_cleanly(text: &str) -> Log {
    let log = parse(text);
    assert!(
        log.errors.is_empty(),
        "lines the reader rejected: {:#?}",
        log.errors
    );
    assert_eq!(log.lines, text.lines().count());
    log
}

/// "0.099" ms, "1.1" ms, "15" ms as nanoseconds, read as a float: a reading
/// independent of the model's exact decimal one.
fn ms_as_ns(s: &str) -> u64 {
    (s.parse::<f64>().unwrap() * 1e6).round() as u64
}

fn num(s: &str) -> u64 {
    s.parse().unwrap()
}

#[test]
fn real_gctrace_lines_parse_and_read_as_printed() {
    let procs = 2;
    let text = stderr_of(procs, "gctrace=1,scavtrace=1", 1200);
    let log = parsed_cleanly(&text);
    let gc_re = Regex::new(
        r"^gc (\d+) @(\d+)\.(\d{3})s (\d+)%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, ([\d.]+)\+([\d.]+)/([\d.]+)/([\d.]+)\+([\d.]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (\d+) MB stacks, (\d+) MB globals, (\d+) P( \(forced\))?$",
    )
    .unwrap();
    let scav_re = Regex::new(
        r"^scav (\d+) KiB work \(bg\), (\d+) KiB work \(eager\), (\d+) KiB now, (\d+)% util( \(forced\)| \[controller reset\])?$",
    )
    .unwrap();
    let mut gc = log.gc.iter();
    let mut scav = log.scav.iter();
    let mut cycles = 0;
    for (i, line) in text.lines().enumerate() {
        if let Some(c) = gc_re.captures(line) {
            let g = gc.next().expect("a cycle per gc line");
            cycles += 1;
            assert_eq!(g.line, i + 1);
            assert_eq!(g.numgc, num(&c[1]), "{line}");
            assert_eq!(g.start_ms, num(&c[2]) * 1000 + num(&c[3]), "{line}");
            assert_eq!(g.cpu_percent, num(&c[4]), "{line}");
            let clock: Vec<u64> = (5..=7).map(|k| ms_as_ns(&c[k])).collect();
            assert_eq!(g.clock_ns[..], clock[..], "{line}");
            let cpu: Vec<u64> = (8..=12).map(|k| ms_as_ns(&c[k])).collect();
            assert_eq!(g.cpu_ns[..], cpu[..], "{line}");
            assert_eq!(g.heap_mb, [num(&c[13]), num(&c[14]), num(&c[15])], "{line}");
            assert_eq!(g.goal_mb, num(&c[16]), "{line}");
            assert_eq!(g.stacks_mb, Some(num(&c[17])), "{line}");
            assert_eq!(g.globals_mb, Some(num(&c[18])), "{line}");
            assert_eq!(g.procs, num(&c[19]), "{line}");
            assert_eq!(g.forced, c.get(20).is_some(), "{line}");
            // And printed again with the runtime's own formatting helpers.
            assert_eq!(g.line(), line);
        } else if let Some(c) = scav_re.captures(line) {
            let s = scav.next().expect("a scavenger line per scav line");
            assert_eq!(s.line, i + 1);
            assert_eq!(
                [s.bg_kib, s.eager_kib, s.released_kib, s.util_percent],
                [num(&c[1]), num(&c[2]), num(&c[3]), num(&c[4])],
                "{line}"
            );
            assert_eq!(
                s.forced,
                c.get(5).is_some_and(|m| m.as_str() == " (forced)")
            );
        } else {
            panic!("line {} is neither gctrace nor scavtrace: {line}", i + 1);
        }
    }
    assert!(gc.next().is_none() && scav.next().is_none());
    assert!(cycles >= 5, "only {cycles} GC cycles in 1.2 s:\n{text}");
    // What the runtime guarantees about a run's cycles.
    for (k, g) in log.gc.iter().enumerate() {
        assert_eq!(
            g.numgc,
            k as u64 + 1,
            "cycle numbers count from 1 with no gap"
        );
        assert_eq!(g.procs, u64::from(procs));
        assert!(g.cpu_percent <= 100);
        // Marked bytes are part of the heap at mark termination.
        assert!(g.heap_mb[2] <= g.heap_mb[1], "{}", g.line());
    }
    for w in log.gc.windows(2) {
        assert!(w[0].start_ms <= w[1].start_ms, "start times go forward");
    }
    // The program calls runtime.GC() every 300 ms.
    assert!(log.gc.iter().any(|g| g.forced), "no forced cycle:\n{text}");
}

fn check_sched_lines(text: &str, log: &Log, procs: u64, detailed: bool) {
    let sched_re = if detailed {
        Regex::new(r"^SCHED (\d+)ms: gomaxprocs=(\d+) idleprocs=(\d+) threads=(\d+) spinningthreads=(\d+) needspinning=(\d+) idlethreads=(\d+) runqueue=(\d+) gcwaiting=(true|false) nmidlelocked=(\d+) stopwait=(\d+) sysmonwait=(true|false)$")
    } else {
        Regex::new(r"^SCHED (\d+)ms: gomaxprocs=(\d+) idleprocs=(\d+) threads=(\d+) spinningthreads=(\d+) needspinning=(\d+) idlethreads=(\d+) runqueue=(\d+) \[ ([\d ]+) \] schedticks=\[ ((?:\d+ )*)\]$")
    }
    .unwrap();
    let p_re = Regex::new(r"^  P(\d+): status=(\d+) schedtick=(\d+) syscalltick=(\d+) m=(\d+|nil) runqsize=(\d+) gfreecnt=(\d+) timerslen=(\d+)$").unwrap();
    let m_re = Regex::new(r"^  M(\d+): p=(\d+|nil) curg=(\d+|nil) mallocing=(\d+) throwing=(\d+) preemptoff=(.*) locks=(\d+) dying=(\d+) spinning=(true|false) blocked=(true|false) lockedg=(\d+|nil)$").unwrap();
    let g_re =
        Regex::new(r"^  G(\d+): status=(\d+)\((.*)\) m=(\d+|nil) lockedm=(\d+|nil)$").unwrap();
    let opt = |s: &str| (s != "nil").then(|| s.parse::<i64>().unwrap());
    let mut samples = log.sched.iter();
    let mut cur = None;
    let (mut np, mut nm, mut ng) = (0, 0, 0);
    for (i, line) in text.lines().enumerate() {
        if let Some(c) = sched_re.captures(line) {
            let s = samples.next().expect("a sample per SCHED line");
            assert_eq!(s.line, i + 1);
            let fields = [
                s.ms,
                s.gomaxprocs,
                s.idleprocs,
                s.threads,
                s.spinningthreads,
                s.needspinning.unwrap(),
                s.idlethreads,
                s.runqueue,
            ];
            let want: Vec<u64> = (1..=8).map(|k| num(&c[k])).collect();
            assert_eq!(fields[..], want[..], "{line}");
            if detailed {
                let d = s.detail.as_ref().unwrap();
                assert_eq!(d.gcwaiting, &c[9] == "true");
                assert_eq!(d.nmidlelocked, num(&c[10]) as i64);
                assert_eq!(d.stopwait, num(&c[11]) as i64);
                assert_eq!(d.sysmonwait, &c[12] == "true");
            } else {
                let runq: Vec<u64> = c[9].split_whitespace().map(num).collect();
                let ticks: Vec<u64> = c[10].split_whitespace().map(num).collect();
                assert_eq!(s.runq, runq, "{line}");
                assert_eq!(s.schedticks.as_ref(), Some(&ticks), "{line}");
            }
            cur = Some(s);
            (np, nm, ng) = (0, 0, 0);
        } else if let Some(c) = p_re.captures(line) {
            let d = cur.unwrap().detail.as_ref().unwrap();
            let p = &d.ps[np];
            assert_eq!(p.id, np as u64);
            let want: Vec<u64> = [1, 2, 3, 4, 6, 7, 8].iter().map(|&k| num(&c[k])).collect();
            assert_eq!(
                [
                    p.id,
                    p.status,
                    p.schedtick,
                    p.syscalltick,
                    p.runqsize,
                    p.gfreecnt,
                    p.timerslen
                ][..],
                want[..],
                "{line}"
            );
            assert_eq!(p.m, opt(&c[5]), "{line}");
            assert_eq!(cur.unwrap().runq[np], p.runqsize);
            np += 1;
        } else if let Some(c) = m_re.captures(line) {
            let m = &cur.unwrap().detail.as_ref().unwrap().ms[nm];
            assert_eq!(m.id, num(&c[1]) as i64, "{line}");
            assert_eq!(m.p, opt(&c[2]), "{line}");
            assert_eq!(m.curg.map(|g| g as i64), opt(&c[3]), "{line}");
            assert_eq!(
                [m.mallocing, m.throwing],
                [num(&c[4]) as i64, num(&c[5]) as i64]
            );
            assert_eq!(m.preemptoff, &c[6], "{line}");
            assert_eq!([m.locks, m.dying], [num(&c[7]) as i64, num(&c[8]) as i64]);
            assert_eq!((m.spinning, m.blocked), (&c[9] == "true", &c[10] == "true"));
            assert_eq!(m.lockedg.map(|g| g as i64), opt(&c[11]), "{line}");
            nm += 1;
        } else if let Some(c) = g_re.captures(line) {
            let g = &cur.unwrap().detail.as_ref().unwrap().gs[ng];
            assert_eq!((g.goid, g.status), (num(&c[1]), num(&c[2])), "{line}");
            assert_eq!(g.waitreason, &c[3], "{line}");
            assert_eq!((g.m, g.lockedm), (opt(&c[4]), opt(&c[5])), "{line}");
            ng += 1;
        } else {
            panic!("line {} is not a schedtrace line: {line}", i + 1);
        }
    }
    assert!(samples.next().is_none());
    assert!(
        log.sched.len() >= 3,
        "only {} samples:\n{text}",
        log.sched.len()
    );
    // What the runtime guarantees about a run's samples.
    assert_eq!(log.sched[0].ms, 0, "the first sample sets starttime");
    for w in log.sched.windows(2) {
        assert!(w[0].ms <= w[1].ms, "sample times go forward");
    }
    for s in &log.sched {
        assert_eq!(s.gomaxprocs, procs);
        assert_eq!(s.runq.len() as u64, procs, "one run queue per P");
        assert!(s.idleprocs <= procs && s.idlethreads < s.threads);
        if let Some(d) = &s.detail {
            assert_eq!(d.ps.len() as u64, procs);
            // allm holds the Ms that mcount() counts. schedtrace reads
            // both without stopping the world, and a new M is counted from
            // the moment `mReserveID` gives it an ID, then linked into
            // allm by `mcommoninit`, so a sample can catch one M between
            // the two.
            let ms = d.ms.len() as u64;
            assert!(
                ms == s.threads || ms + 1 == s.threads,
                "{ms} M lines for threads={}",
                s.threads
            );
            assert!(d.gs.iter().any(|g| g.goid == 1), "main's G1 is listed");
            let mut ids: Vec<u64> = d.gs.iter().map(|g| g.goid).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), d.gs.len(), "each goroutine once");
        }
    }
}

#[test]
fn real_schedtrace_lines_parse_and_read_as_printed() {
    let text = stderr_of(3, "schedtrace=100", 700);
    let log = parsed_cleanly(&text);
    check_sched_lines(&text, &log, 3, false);
    assert!(log.sched.iter().all(|s| s.detail.is_none()));
}

#[test]
fn real_scheddetail_lines_parse_and_read_as_printed() {
    let text = stderr_of(2, "schedtrace=100,scheddetail=1", 500);
    let log = parsed_cleanly(&text);
    check_sched_lines(&text, &log, 2, true);
    let gs: usize = log
        .sched
        .iter()
        .map(|s| s.detail.as_ref().unwrap().gs.len())
        .sum();
    // 8 workers and 4 sleepers besides main and the runtime's own.
    assert!(gs >= 13 * log.sched.len() - 13, "{gs} G lines:\n{text}");
}

#[test]
fn gctrace_and_schedtrace_together_parse() {
    let text = stderr_of(2, "gctrace=1,schedtrace=100", 400);
    let log = parsed_cleanly(&text);
    assert!(!log.gc.is_empty() && !log.sched.is_empty());
    assert_eq!(
        log.gc.len() + log.sched.len(),
        text.lines().count(),
        "every line is a cycle or a sample"
    );
}

/// The examples the web widget ships (web/data/logs) were recorded from the
/// same program; they still parse, and what they hold is what the widget
/// promises: GC cycles with a forced one, and samples with per-P queues.
#[test]
fn the_shipped_example_logs_parse() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/data/logs");
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let gc = parse(&read("gctrace.txt"));
    assert!(gc.gc.len() >= 10 && gc.gc.iter().any(|g| g.forced));
    // The one line that is the program's own output, kept on purpose.
    assert_eq!(gc.errors.len(), 1, "{:?}", gc.errors);
    assert!(gc.errors[0].text.starts_with("live chunks: "));
    let sched = parse(&read("schedtrace.txt"));
    assert!(
        sched.sched.len() >= 5 && sched.errors.len() == 1,
        "{:?}",
        sched.errors
    );
    assert!(sched
        .sched
        .iter()
        .all(|s| s.runq.len() as u64 == s.gomaxprocs));
}
