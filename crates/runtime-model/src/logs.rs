//! # Logs you can paste: `GODEBUG=gctrace=1` and `GODEBUG=schedtrace`
//!
//! A reader for the text the runtime prints to standard error when a
//! program runs with `GODEBUG=gctrace=1` or `GODEBUG=schedtrace=1000`
//! (with or without `scheddetail=1`), so a learner can paste the log of
//! their own program and see its real GC cycles and run queues.
//!
//! What it reads, line by line, each as go1.27 prints it:
//!
//! - a GC cycle: runtime/mgc.go `gcMarkTermination`, the `debug.gctrace > 0`
//!   block, read back into [`GcCycle`] (its [`GcCycle::line`] prints it again
//!   with the same helpers as the pacer's [`crate::gc::trace`]);
//! - the line `GC forced` that runtime/proc.go `forcegchelper` prints before
//!   a cycle started by the 2-minute timer;
//! - a scavenger line (`GODEBUG=scavtrace=1`): runtime/mgcscavenge.go
//!   `printScavTrace`;
//! - a scheduler sample: runtime/proc.go `schedtrace`, its `SCHED` line and,
//!   in detailed mode, the P, M and G lines that follow it.
//!
//! Every other line is an error with its line number and what was expected;
//! the lines around it still parse. Blank lines are skipped. Older releases
//! printed fewer fields (no `MB stacks` and `MB globals` before go1.19, no
//! `needspinning` or `schedticks` in older schedtrace lines): those are
//! optional here; a field this reader does not know is an error.
//!
//! The reader never panics, runs in time linear in the input and keeps
//! memory linear in it; a line longer than [`MAX_LINE`] bytes is an error
//! without being read.
//!
//! What the numbers can and cannot say: the runtime truncates heap sizes to
//! whole megabytes (`>>20`) and times to two significant digits
//! (`fmtNSAsMS`), so the values here are those printed figures, not the
//! runtime's exact counters.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::gc::trace::{fmt_ns_as_ms, itoa_div};

/// The longest line read, in bytes; a longer one is reported, not parsed.
pub const MAX_LINE: usize = 64 * 1024;

/// Everything read from one pasted log.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Log {
    /// The GC cycles, in the order printed.
    pub gc: Vec<GcCycle>,
    /// The line numbers of `GC forced` lines.
    pub forced_gc: Vec<usize>,
    /// The scavenger lines.
    pub scav: Vec<ScavLine>,
    /// The scheduler samples, in the order printed.
    pub sched: Vec<SchedSample>,
    /// The lines that did not parse.
    pub errors: Vec<LineError>,
    /// How many lines the text has.
    pub lines: usize,
}

/// A line that did not parse: its number (from 1), why, and its text
/// (cut to 200 characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// The line number, counting from 1.
    pub line: usize,
    /// What was expected, in plain words.
    pub reason: String,
    /// The start of the line.
    pub text: String,
}

/// One GC cycle as its gctrace line prints it. Times are nanoseconds (the
/// printed milliseconds, read exactly); heap sizes are the printed whole MB.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GcCycle {
    /// The line number, counting from 1.
    pub line: usize,
    /// `memstats.numgc`, counting from 1.
    pub numgc: u64,
    /// `work.tSweepTerm - runtimeInitTime`, in milliseconds.
    pub start_ms: u64,
    /// `memstats.gc_cpu_fraction` as the printed whole percent: the share
    /// of the CPU the collector has used since the program started.
    pub cpu_percent: u64,
    /// The line says `(checking for goroutine leaks)`: `goroutineLeakDone`.
    pub leak_check: bool,
    /// Wall clock: sweep termination (stop-the-world), concurrent mark,
    /// mark termination (stop-the-world).
    pub clock_ns: [u64; 3],
    /// CPU: sweep termination, assist, background, idle, mark termination.
    pub cpu_ns: [u64; 5],
    /// `work.heap0`, `work.heap1`, `work.heap2`: the heap when the cycle
    /// started, when marking ended, and what was marked live, in MB.
    pub heap_mb: [u64; 3],
    /// `gcController.lastHeapGoal` in MB.
    pub goal_mb: u64,
    /// `gcController.lastStackScan` in MB (printed since go1.19).
    pub stacks_mb: Option<u64>,
    /// `gcController.globalsScan` in MB (printed since go1.19).
    pub globals_mb: Option<u64>,
    /// `work.maxprocs`.
    pub procs: u64,
    /// `work.userForced`: the cycle came from runtime.GC().
    pub forced: bool,
}

impl GcCycle {
    /// The two stop-the-world pauses (sweep termination, mark termination)
    /// in nanoseconds of wall clock.
    pub fn stw_ns(&self) -> [u64; 2] {
        [self.clock_ns[0], self.clock_ns[2]]
    }

    /// The line again, as the runtime printed it. Mirrors runtime/mgc.go
    /// `gcMarkTermination` (go1.27), with `itoaDiv` and `fmtNSAsMS`.
    pub fn line(&self) -> String {
        let mut s = format!(
            "gc {} @{}s {}%",
            self.numgc,
            itoa_div(self.start_ms, 3),
            self.cpu_percent
        );
        if self.leak_check {
            s.push_str(" (checking for goroutine leaks)");
        }
        s.push_str(": ");
        for (i, ns) in self.clock_ns.iter().enumerate() {
            if i != 0 {
                s.push('+');
            }
            s.push_str(&fmt_ns_as_ms(*ns));
        }
        s.push_str(" ms clock, ");
        for (i, ns) in self.cpu_ns.iter().enumerate() {
            if i == 2 || i == 3 {
                s.push('/');
            } else if i != 0 {
                s.push('+');
            }
            s.push_str(&fmt_ns_as_ms(*ns));
        }
        s.push_str(&format!(
            " ms cpu, {}->{}->{} MB, {} MB goal, ",
            self.heap_mb[0], self.heap_mb[1], self.heap_mb[2], self.goal_mb
        ));
        if let Some(st) = self.stacks_mb {
            s.push_str(&format!("{st} MB stacks, "));
        }
        if let Some(gl) = self.globals_mb {
            s.push_str(&format!("{gl} MB globals, "));
        }
        s.push_str(&format!("{} P", self.procs));
        if self.forced {
            s.push_str(" (forced)");
        }
        s
    }
}

/// A scavenger line. Mirrors runtime/mgcscavenge.go `printScavTrace`
/// (go1.27).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScavLine {
    /// The line number, counting from 1.
    pub line: usize,
    /// KiB returned to the OS by the background scavenger.
    pub bg_kib: u64,
    /// KiB returned eagerly (by allocation).
    pub eager_kib: u64,
    /// `gcController.heapReleased` in KiB.
    pub released_kib: u64,
    /// In-use share of the retained heap, percent.
    pub util_percent: u64,
    /// The line ends in `(forced)` (debug.FreeOSMemory).
    pub forced: bool,
    /// The line ends in `[controller reset]`.
    pub controller_reset: bool,
}

/// One scheduler sample. Mirrors runtime/proc.go `schedtrace` (go1.27).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchedSample {
    /// The line number of the `SCHED` line, counting from 1.
    pub line: usize,
    /// Milliseconds since the first sample (`starttime`).
    pub ms: u64,
    /// `gomaxprocs`.
    pub gomaxprocs: u64,
    /// `sched.npidle`: Ps with nothing to run.
    pub idleprocs: u64,
    /// `mcount()`: threads (Ms) the runtime has made.
    pub threads: u64,
    /// `sched.nmspinning`: Ms looking for work.
    pub spinningthreads: u64,
    /// `sched.needspinning` (not printed by older releases).
    pub needspinning: Option<u64>,
    /// `sched.nmidle`: Ms parked with nothing to do.
    pub idlethreads: u64,
    /// `sched.runq.size`: the global run queue.
    pub runqueue: u64,
    /// Per P, the length of its local run queue (from the bracketed list,
    /// or from the `runqsize` of the detailed P lines).
    pub runq: Vec<u64>,
    /// Per P, `schedtick` (the list in the short form, the P lines in the
    /// detailed one; older releases print neither).
    pub schedticks: Option<Vec<u64>>,
    /// The detailed form's extra fields and lines (`scheddetail=1`).
    pub detail: Option<SchedDetail>,
}

/// What `scheddetail=1` adds to a sample.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchedDetail {
    /// `sched.gcwaiting`: the world is being stopped.
    pub gcwaiting: bool,
    /// `sched.nmidlelocked`.
    pub nmidlelocked: i64,
    /// `sched.stopwait`.
    pub stopwait: i64,
    /// `sched.sysmonwait`.
    pub sysmonwait: bool,
    /// The P lines, one per P of `allp`.
    pub ps: Vec<PLine>,
    /// The M lines, `allm` (newest first).
    pub ms: Vec<MLine>,
    /// The G lines, every goroutine (`forEachG`).
    pub gs: Vec<GLine>,
}

/// A detailed P line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PLine {
    /// The P's index in `allp`.
    pub id: u64,
    /// The P's status code (0 idle, 1 running, 2 in a syscall, 3 stopped
    /// for GC, 4 dead).
    pub status: u64,
    /// `schedtick`.
    pub schedtick: u64,
    /// `syscalltick`.
    pub syscalltick: u64,
    /// The M that holds it, if any.
    pub m: Option<i64>,
    /// Its run queue length.
    pub runqsize: u64,
    /// `gFree.size`: dead Gs kept for reuse.
    pub gfreecnt: u64,
    /// Timers on this P.
    pub timerslen: u64,
}

/// A detailed M line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MLine {
    /// The M's id.
    pub id: i64,
    /// The P it holds, if any.
    pub p: Option<i64>,
    /// The goroutine it runs, if any.
    pub curg: Option<u64>,
    /// `mallocing`.
    pub mallocing: i64,
    /// `throwing`.
    pub throwing: i64,
    /// `preemptoff`: why preemption is off (usually empty).
    pub preemptoff: String,
    /// `locks`.
    pub locks: i64,
    /// `dying`.
    pub dying: i64,
    /// `spinning`: looking for work.
    pub spinning: bool,
    /// `blocked`: parked on a note.
    pub blocked: bool,
    /// `lockedg`: the goroutine locked to it, if any.
    pub lockedg: Option<u64>,
}

/// A detailed G line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GLine {
    /// `goid`.
    pub goid: u64,
    /// `readgstatus`: 1 runnable, 2 running, 3 syscall, 4 waiting, 6 dead.
    pub status: u64,
    /// The wait reason, as `waitReason.String` prints it (may be empty).
    pub waitreason: String,
    /// The M running it, if any.
    pub m: Option<i64>,
    /// `lockedm`, if any.
    pub lockedm: Option<i64>,
}

/// Reads a pasted log. Never fails as a whole: the lines that do not parse
/// are in [`Log::errors`].
pub fn parse(text: &str) -> Log {
    let mut log = Log::default();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        log.lines = n;
        let line = raw.trim_end();
        if line.trim_start().is_empty() {
            continue;
        }
        if line.len() > MAX_LINE {
            log.errors.push(LineError {
                line: n,
                reason: format!(
                    "the line is longer than {MAX_LINE} bytes; no runtime line is that long"
                ),
                text: cut(line),
            });
            continue;
        }
        if let Err(reason) = parse_line(&mut log, n, line) {
            log.errors.push(LineError {
                line: n,
                reason,
                text: cut(line),
            });
        }
    }
    log
}

fn cut(line: &str) -> String {
    line.chars().take(200).collect()
}

fn parse_line(log: &mut Log, n: usize, line: &str) -> Result<(), String> {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("gc ") {
        let mut c = parse_gc(rest)?;
        c.line = n;
        log.gc.push(c);
    } else if t == "GC forced" {
        log.forced_gc.push(n);
    } else if let Some(rest) = t.strip_prefix("scav ") {
        let mut s = parse_scav(rest)?;
        s.line = n;
        log.scav.push(s);
    } else if let Some(rest) = t.strip_prefix("SCHED ") {
        let mut s = parse_sched(rest)?;
        s.line = n;
        log.sched.push(s);
    } else if let Some(kind) = detail_kind(t) {
        let Some(last) = log.sched.last_mut() else {
            return Err(format!(
                "a scheddetail {kind} line before any SCHED line; paste the SCHED line it belongs to"
            ));
        };
        let Some(d) = last.detail.as_mut() else {
            return Err(format!(
                "a scheddetail {kind} line after a short SCHED line (one without gcwaiting=...)"
            ));
        };
        let body = &t[1..];
        match kind {
            'P' => {
                let p = parse_p(body)?;
                if p.id != d.ps.len() as u64 {
                    return Err(format!("expected P{} next, found P{}", d.ps.len(), p.id));
                }
                if !d.ms.is_empty() || !d.gs.is_empty() {
                    return Err("a P line after the M or G lines of its sample".to_string());
                }
                last.runq.push(p.runqsize);
                if let Some(ticks) = last.schedticks.as_mut() {
                    ticks.push(p.schedtick);
                }
                d.ps.push(p);
            }
            'M' => {
                if !d.gs.is_empty() {
                    return Err("an M line after the G lines of its sample".to_string());
                }
                d.ms.push(parse_m(body)?);
            }
            _ => d.gs.push(parse_g(body)?),
        }
    } else {
        return Err(
            "not a gctrace or schedtrace line: expected one starting with \"gc N @\", \"scav \", \"GC forced\", \"SCHED \", or a scheddetail \"P\", \"M\" or \"G\" line"
                .to_string(),
        );
    }
    Ok(())
}

/// `P0:`, `M12:`, `G7:` start a detailed line.
fn detail_kind(t: &str) -> Option<char> {
    let b = t.as_bytes();
    if b.len() < 3 || !matches!(b[0], b'P' | b'M' | b'G') {
        return None;
    }
    let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    (digits > 0 && b.get(1 + digits) == Some(&b':')).then_some(b[0] as char)
}

/// A cursor over one line, with errors that say what was expected.
struct Cur<'a> {
    s: &'a str,
}

impl<'a> Cur<'a> {
    fn new(s: &'a str) -> Self {
        Cur { s }
    }

    fn found(&self) -> String {
        if self.s.is_empty() {
            return "the end of the line".to_string();
        }
        let snippet: String = self.s.chars().take(16).collect();
        format!("\"{snippet}\"")
    }

    fn lit(&mut self, want: &str) -> Result<(), String> {
        match self.s.strip_prefix(want) {
            Some(rest) => {
                self.s = rest;
                Ok(())
            }
            None => Err(format!("expected \"{want}\", found {}", self.found())),
        }
    }

    fn eat(&mut self, want: &str) -> bool {
        self.lit(want).is_ok()
    }

    fn digits(&mut self, what: &str) -> Result<&'a str, String> {
        let n = self.s.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return Err(format!(
                "expected {what} (a number), found {}",
                self.found()
            ));
        }
        let (d, rest) = self.s.split_at(n);
        self.s = rest;
        Ok(d)
    }

    fn uint(&mut self, what: &str) -> Result<u64, String> {
        let d = self.digits(what)?;
        d.parse::<u64>()
            .map_err(|_| format!("{what} {d} is too large for 64 bits"))
    }

    fn int(&mut self, what: &str) -> Result<i64, String> {
        let neg = self.eat("-");
        let d = self.digits(what)?;
        let v = d
            .parse::<i64>()
            .map_err(|_| format!("{what} {d} is too large for 64 bits"))?;
        Ok(if neg { -v } else { v })
    }

    /// A number or `nil`.
    fn opt_int(&mut self, what: &str) -> Result<Option<i64>, String> {
        if self.eat("nil") {
            return Ok(None);
        }
        self.int(what).map(Some)
    }

    fn opt_uint(&mut self, what: &str) -> Result<Option<u64>, String> {
        if self.eat("nil") {
            return Ok(None);
        }
        self.uint(what).map(Some)
    }

    fn boolean(&mut self, what: &str) -> Result<bool, String> {
        if self.eat("true") {
            Ok(true)
        } else if self.eat("false") {
            Ok(false)
        } else {
            Err(format!(
                "expected {what} (true or false), found {}",
                self.found()
            ))
        }
    }

    /// A decimal `I[.F]` scaled by 10^`scale` (so `1.25` with scale 6 is
    /// 1_250_000): the printed milliseconds as nanoseconds.
    fn decimal(&mut self, what: &str, scale: u32) -> Result<u64, String> {
        let int = self.digits(what)?;
        let mut v: u64 = int
            .parse::<u64>()
            .ok()
            .and_then(|i| i.checked_mul(10u64.pow(scale)))
            .ok_or_else(|| format!("{what} {int} is too large"))?;
        if self.eat(".") {
            let frac = self.digits(what)?;
            if frac.len() > scale as usize {
                return Err(format!(
                    "{what} {int}.{frac} has more than {scale} decimal places"
                ));
            }
            let f: u64 = frac.parse().map_err(|_| format!("{what} is malformed"))?;
            v = v
                .checked_add(f * 10u64.pow(scale - frac.len() as u32))
                .ok_or_else(|| format!("{what} is too large"))?;
        }
        Ok(v)
    }

    fn end(&self) -> Result<(), String> {
        if self.s.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "expected the end of the line, found {}",
                self.found()
            ))
        }
    }
}

/// Reads what follows `gc ` on a gctrace line. Mirrors runtime/mgc.go
/// `gcMarkTermination` (go1.27).
fn parse_gc(rest: &str) -> Result<GcCycle, String> {
    let mut c = Cur::new(rest);
    let mut g = GcCycle {
        numgc: c.uint("the cycle number")?,
        ..GcCycle::default()
    };
    c.lit(" @")?;
    g.start_ms = c.decimal("the start time in seconds", 3)?;
    c.lit("s ")?;
    g.cpu_percent = c.uint("the GC CPU percentage")?;
    c.lit("%")?;
    g.leak_check = c.eat(" (checking for goroutine leaks)");
    c.lit(": ")?;
    let names = ["sweep termination", "concurrent mark", "mark termination"];
    for (i, name) in names.iter().enumerate() {
        if i != 0 {
            c.lit("+")?;
        }
        g.clock_ns[i] = c.decimal(&format!("the {name} wall time in ms"), 6)?;
    }
    c.lit(" ms clock, ")?;
    let cpu = [
        "sweep termination",
        "assist",
        "background mark",
        "idle mark",
        "mark termination",
    ];
    for (i, name) in cpu.iter().enumerate() {
        if i == 2 || i == 3 {
            c.lit("/")?;
        } else if i != 0 {
            c.lit("+")?;
        }
        g.cpu_ns[i] = c.decimal(&format!("the {name} CPU time in ms"), 6)?;
    }
    c.lit(" ms cpu, ")?;
    g.heap_mb[0] = c.uint("the heap size at the start")?;
    c.lit("->")?;
    g.heap_mb[1] = c.uint("the heap size at the end of marking")?;
    c.lit("->")?;
    g.heap_mb[2] = c.uint("the live heap")?;
    c.lit(" MB, ")?;
    g.goal_mb = c.uint("the heap goal")?;
    c.lit(" MB goal, ")?;
    // Since go1.19: stacks and globals; then the P count.
    let n = c.uint("the stack size, the globals size or the P count")?;
    if c.eat(" MB stacks, ") {
        g.stacks_mb = Some(n);
        g.globals_mb = Some(c.uint("the globals size")?);
        c.lit(" MB globals, ")?;
        g.procs = c.uint("the P count")?;
    } else {
        g.procs = n;
    }
    c.lit(" P")?;
    g.forced = c.eat(" (forced)");
    c.end()?;
    Ok(g)
}

/// Reads what follows `scav ` on a scavenger line. Mirrors
/// runtime/mgcscavenge.go `printScavTrace` (go1.27).
fn parse_scav(rest: &str) -> Result<ScavLine, String> {
    let mut c = Cur::new(rest);
    let mut s = ScavLine {
        bg_kib: c.uint("the background scavenger's KiB")?,
        ..ScavLine::default()
    };
    c.lit(" KiB work (bg), ")?;
    s.eager_kib = c.uint("the eager scavenger's KiB")?;
    c.lit(" KiB work (eager), ")?;
    s.released_kib = c.uint("the released KiB")?;
    c.lit(" KiB now, ")?;
    s.util_percent = c.uint("the utilisation percentage")?;
    c.lit("% util")?;
    s.forced = c.eat(" (forced)");
    if !s.forced {
        s.controller_reset = c.eat(" [controller reset]");
    }
    c.end()?;
    Ok(s)
}

/// Reads what follows `SCHED ` on a schedtrace line. Mirrors
/// runtime/proc.go `schedtrace` (go1.27).
fn parse_sched(rest: &str) -> Result<SchedSample, String> {
    let mut c = Cur::new(rest);
    let mut s = SchedSample {
        ms: c.uint("the time in ms")?,
        ..SchedSample::default()
    };
    c.lit("ms: gomaxprocs=")?;
    s.gomaxprocs = c.uint("gomaxprocs")?;
    c.lit(" idleprocs=")?;
    s.idleprocs = c.uint("idleprocs")?;
    c.lit(" threads=")?;
    s.threads = c.uint("threads")?;
    c.lit(" spinningthreads=")?;
    s.spinningthreads = c.uint("spinningthreads")?;
    if c.eat(" needspinning=") {
        s.needspinning = Some(c.uint("needspinning")?);
    }
    c.lit(" idlethreads=")?;
    s.idlethreads = c.uint("idlethreads")?;
    c.lit(" runqueue=")?;
    s.runqueue = c.uint("runqueue")?;
    if c.eat(" gcwaiting=") {
        let mut d = SchedDetail {
            gcwaiting: c.boolean("gcwaiting")?,
            ..SchedDetail::default()
        };
        c.lit(" nmidlelocked=")?;
        d.nmidlelocked = c.int("nmidlelocked")?;
        c.lit(" stopwait=")?;
        d.stopwait = c.int("stopwait")?;
        c.lit(" sysmonwait=")?;
        d.sysmonwait = c.boolean("sysmonwait")?;
        s.detail = Some(d);
        s.schedticks = Some(Vec::new());
    } else {
        // " [ a b c ]": one run queue length per P.
        c.lit(" [")?;
        loop {
            c.lit(" ")?;
            if c.eat("]") {
                break;
            }
            s.runq.push(c.uint("a P's run queue length")?);
        }
        if c.eat(" schedticks=[ ") {
            let mut ticks = Vec::new();
            while !c.eat("]") {
                ticks.push(c.uint("a P's schedtick")?);
                c.lit(" ")?;
            }
            if ticks.len() != s.runq.len() {
                return Err(format!(
                    "{} schedticks for {} run queues; expected one of each per P",
                    ticks.len(),
                    s.runq.len()
                ));
            }
            s.schedticks = Some(ticks);
        }
    }
    c.end()?;
    Ok(s)
}

/// A detailed P line, after its `P`.
fn parse_p(body: &str) -> Result<PLine, String> {
    let mut c = Cur::new(body);
    let mut p = PLine {
        id: c.uint("the P's index")?,
        ..PLine::default()
    };
    c.lit(": status=")?;
    p.status = c.uint("status")?;
    c.lit(" schedtick=")?;
    p.schedtick = c.uint("schedtick")?;
    c.lit(" syscalltick=")?;
    p.syscalltick = c.uint("syscalltick")?;
    c.lit(" m=")?;
    p.m = c.opt_int("m")?;
    c.lit(" runqsize=")?;
    p.runqsize = c.uint("runqsize")?;
    c.lit(" gfreecnt=")?;
    p.gfreecnt = c.uint("gfreecnt")?;
    c.lit(" timerslen=")?;
    p.timerslen = c.uint("timerslen")?;
    c.end()?;
    Ok(p)
}

/// A detailed M line, after its `M`.
fn parse_m(body: &str) -> Result<MLine, String> {
    let mut c = Cur::new(body);
    let mut m = MLine {
        id: c.int("the M's id")?,
        ..MLine::default()
    };
    c.lit(": p=")?;
    m.p = c.opt_int("p")?;
    c.lit(" curg=")?;
    m.curg = c.opt_uint("curg")?;
    c.lit(" mallocing=")?;
    m.mallocing = c.int("mallocing")?;
    c.lit(" throwing=")?;
    m.throwing = c.int("throwing")?;
    c.lit(" preemptoff=")?;
    // A free-form string, possibly with spaces: up to " locks=".
    let Some(at) = c.s.find(" locks=") else {
        return Err("expected \" locks=\" after preemptoff".to_string());
    };
    m.preemptoff = c.s[..at].to_string();
    c.s = &c.s[at..];
    c.lit(" locks=")?;
    m.locks = c.int("locks")?;
    c.lit(" dying=")?;
    m.dying = c.int("dying")?;
    c.lit(" spinning=")?;
    m.spinning = c.boolean("spinning")?;
    c.lit(" blocked=")?;
    m.blocked = c.boolean("blocked")?;
    c.lit(" lockedg=")?;
    m.lockedg = c.opt_uint("lockedg")?;
    c.end()?;
    Ok(m)
}

/// A detailed G line, after its `G`.
fn parse_g(body: &str) -> Result<GLine, String> {
    let mut c = Cur::new(body);
    let mut g = GLine {
        goid: c.uint("the goroutine id")?,
        ..GLine::default()
    };
    c.lit(": status=")?;
    g.status = c.uint("status")?;
    c.lit("(")?;
    // The wait reason may hold spaces and parentheses ("GC worker (idle)"):
    // it ends at the last ") m=".
    let Some(at) = c.s.rfind(") m=") else {
        return Err("expected \") m=\" after the wait reason".to_string());
    };
    g.waitreason = c.s[..at].to_string();
    c.s = &c.s[at..];
    c.lit(") m=")?;
    g.m = c.opt_int("m")?;
    c.lit(" lockedm=")?;
    g.lockedm = c.opt_int("lockedm")?;
    c.end()?;
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GC: &str = "gc 1 @0.012s 3%: 0.014+1.2+0.021 ms clock, 0.11+0.35/2.1/0.004+0.17 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 8 P";

    #[test]
    fn a_gctrace_line_reads_back_as_printed() {
        let log = parse(GC);
        assert!(log.errors.is_empty(), "{:?}", log.errors);
        let g = &log.gc[0];
        assert_eq!(g.numgc, 1);
        assert_eq!(g.start_ms, 12);
        assert_eq!(g.cpu_percent, 3);
        assert_eq!(g.clock_ns, [14_000, 1_200_000, 21_000]);
        assert_eq!(g.cpu_ns, [110_000, 350_000, 2_100_000, 4_000, 170_000]);
        assert_eq!(g.heap_mb, [4, 4, 1]);
        assert_eq!(g.goal_mb, 4);
        assert_eq!((g.stacks_mb, g.globals_mb, g.procs), (Some(0), Some(0), 8));
        assert_eq!(g.stw_ns(), [14_000, 21_000]);
        assert!(!g.forced && !g.leak_check);
        assert_eq!(g.line(), GC);
    }

    #[test]
    fn forced_leak_check_and_old_lines() {
        let text = "gc 7 @12.345s 0% (checking for goroutine leaks): 0.010+15+0.030 ms clock, 0.080+0/0.50/0+0.24 ms cpu, 120->121->60 MB, 125 MB goal, 1 MB stacks, 2 MB globals, 8 P (forced)\n\
                    gc 2 @0.100s 1%: 0.1+2+0.2 ms clock, 0.4+0/1/0+0.8 ms cpu, 4->5->2 MB, 6 MB goal, 4 P\n\
                    GC forced\n\
                    scav 12 KiB work (bg), 0 KiB work (eager), 3400 KiB now, 97% util [controller reset]\n";
        let log = parse(text);
        assert!(log.errors.is_empty(), "{:?}", log.errors);
        let g = &log.gc[0];
        assert!(g.forced && g.leak_check);
        assert_eq!(g.start_ms, 12_345);
        assert_eq!(g.clock_ns[1], 15_000_000);
        assert_eq!(g.heap_mb, [120, 121, 60]);
        assert_eq!(g.line(), text.lines().next().unwrap());
        assert_eq!(log.gc[1].stacks_mb, None);
        assert_eq!(log.gc[1].procs, 4);
        assert_eq!(log.forced_gc, [3]);
        assert_eq!(log.scav[0].released_kib, 3400);
        assert!(log.scav[0].controller_reset);
    }

    #[test]
    fn short_and_detailed_schedtrace() {
        let text = "SCHED 0ms: gomaxprocs=2 idleprocs=1 threads=4 spinningthreads=0 needspinning=0 idlethreads=1 runqueue=3 [ 5 0 ] schedticks=[ 7 2 ]\n\
SCHED 1004ms: gomaxprocs=2 idleprocs=0 threads=5 spinningthreads=1 needspinning=0 idlethreads=2 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false\n  \
P0: status=1 schedtick=10 syscalltick=0 m=3 runqsize=2 gfreecnt=0 timerslen=1\n  \
P1: status=0 schedtick=4 syscalltick=1 m=nil runqsize=0 gfreecnt=3 timerslen=0\n  \
M1: p=nil curg=nil mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=false lockedg=nil\n  \
M0: p=0 curg=1 mallocing=0 throwing=0 preemptoff=write heap dump locks=1 dying=0 spinning=false blocked=true lockedg=1\n  \
G1: status=2() m=0 lockedm=0\n  \
G2: status=4(force gc (idle)) m=nil lockedm=nil\n";
        let log = parse(text);
        assert!(log.errors.is_empty(), "{:?}", log.errors);
        let a = &log.sched[0];
        assert_eq!((a.ms, a.gomaxprocs, a.idleprocs, a.threads), (0, 2, 1, 4));
        assert_eq!(a.runqueue, 3);
        assert_eq!(a.runq, [5, 0]);
        assert_eq!(a.schedticks.as_deref(), Some(&[7, 2][..]));
        let b = &log.sched[1];
        assert_eq!(b.line, 2);
        assert_eq!(b.runq, [2, 0]);
        assert_eq!(b.schedticks.as_deref(), Some(&[10, 4][..]));
        let d = b.detail.as_ref().unwrap();
        assert_eq!(d.ps[1].m, None);
        assert_eq!(d.ms[1].preemptoff, "write heap dump");
        assert_eq!(d.ms[1].lockedg, Some(1));
        assert_eq!(d.gs[1].waitreason, "force gc (idle)");
        assert_eq!(d.gs[0].waitreason, "");
    }

    #[test]
    fn bad_lines_say_why_and_the_rest_still_parse() {
        let text = format!(
            "hello from main\n{GC}\ngc 2 @0.5s 1%: 0.1+x ms clock\n  P0: status=1\nSCHED 5ms: gomaxprocs=1\n\n{}\n",
            GC.replace("gc 1", "gc 3")
        );
        let log = parse(&text);
        assert_eq!(log.gc.len(), 2);
        assert_eq!(log.lines, 7);
        let lines: Vec<usize> = log.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 3, 4, 5]);
        assert!(log.errors[0].reason.contains("not a gctrace"));
        assert!(
            log.errors[1]
                .reason
                .contains("expected the concurrent mark wall time"),
            "{}",
            log.errors[1].reason
        );
        assert!(log.errors[2].reason.contains("before any SCHED"));
        assert!(log.errors[3].reason.contains("idleprocs"));
    }

    #[test]
    fn hostile_input_never_panics() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let pieces = [
            GC,
            "SCHED ",
            "gc ",
            " [",
            " ]",
            "P0: ",
            "G1: status=",
            "(",
            ") m=",
            "99999999999999999999",
            "-",
            ".",
            "\u{e9}",
            " ms clock, ",
            "->",
            "nil",
            "\n",
            "  M0: p=",
        ];
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..8 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let _ = parse(&s);
            // Every prefix too, cut on char boundaries.
            for (i, _) in s.char_indices().step_by(5) {
                let _ = parse(&s[..i]);
            }
        }
        let long = "gc ".to_string() + &"9".repeat(MAX_LINE);
        assert!(parse(&long).errors[0].reason.contains("longer"));
        assert!(parse("gc 1 @0.0000001s").errors[0]
            .reason
            .contains("decimal places"));
    }
}
