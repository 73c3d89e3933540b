//! Behaviour scripts and scenarios: what each goroutine does, and the text
//! format custom scenarios are written in (see the module essay in
//! [`super`] for the format).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::types::{WaitReason, MAX_LOOP_DEPTH};

/// The largest GOMAXPROCS the model accepts: a limit of the model only, which
/// keeps a snapshot small and the diagram readable. Go itself sets no such
/// ceiling: `procresize` (runtime/proc.go) only rejects a count below 1.
pub const MAX_GOMAXPROCS: u32 = 256;
/// The default limit on goroutines a scenario may create over a run.
pub const DEFAULT_GOROUTINE_LIMIT: u32 = 10_000;
/// The highest goroutine limit a [`Config`] may ask for (benchmarks).
pub const HARD_GOROUTINE_LIMIT: u32 = 1_000_000;
/// The longest single duration in a script: one hour of virtual time.
pub const MAX_DURATION_NS: u64 = 3_600_000_000_000;
/// The most runtime goroutines that may wait in P0's queue before main.
pub const MAX_RUNTIME_GS: u32 = 256;

/// One step of a goroutine's behaviour script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Run Go code for this many ns (preemptible by sysmon).
    Compute(u64),
    /// `runtime.Gosched()`.
    Gosched,
    /// `go f()` this many times (`newproc`); the index of a function.
    Go { func: u16, count: u32 },
    /// Read from a socket that becomes ready after this many ns (netpoller).
    NetRead(u64),
    /// A syscall of this many ns (`entersyscall`/`exitsyscall`).
    Syscall(u64),
    /// A syscall known to block, this many ns (`entersyscallblock`).
    SyscallBlock(u64),
    /// `time.Sleep` for this many ns (a timer on the P).
    Sleep(u64),
    /// Receive from channel n (blocks until a send; a send with no receiver
    /// waiting is kept, like a buffered channel with room).
    Recv(u16),
    /// Send on channel n; wakes one receiver with `ready(next=true)`.
    Send(u16),
    /// `sync.Mutex.Lock` on mutex n.
    Lock(u16),
    /// `sync.Mutex.Unlock` on mutex n; hands it to the first waiter.
    Unlock(u16),
    /// `sync.WaitGroup.Add(n)` on wait group w.
    WgAdd(u16, u32),
    /// `sync.WaitGroup.Done()`.
    WgDone(u16),
    /// `sync.WaitGroup.Wait()`.
    WgWait(u16),
    /// `runtime.GOMAXPROCS(n)`: stop the world, `procresize`, start it.
    Gomaxprocs(u32),
    /// Park forever with this reason (the runtime's own helpers).
    Park(WaitReason),
    /// Repeat the ops up to the matching `End` this many times.
    Repeat(u32),
    /// End of a `Repeat` block.
    End,
    /// Return from the goroutine's function (`goexit`).
    Exit,
}

/// A Go function: a name and a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Func {
    /// The name, e.g. `main.worker`.
    pub name: String,
    pub ops: Vec<Op>,
}

/// A whole scenario: the knobs and the program. `funcs[0]` is `main.main`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub gomaxprocs: u32,
    pub seed: u64,
    /// `GODEBUG=asyncpreemptoff=1`: sysmon may only ask politely.
    pub asyncpreemptoff: bool,
    /// Initial `schedtick` of each P (missing entries are 0). What ran
    /// before main decides the real runtime's values.
    pub schedticks: Vec<u32>,
    /// Runtime goroutines (not printed in run orders) sitting in P0's local
    /// queue when main starts.
    pub runtime_gs: u32,
    /// `GODEBUG=schedtrace=X`: a schedtrace event every this many ns.
    pub schedtrace_ns: Option<u64>,
    /// `GODEBUG=scheddetail=1`.
    pub scheddetail: bool,
    /// The most goroutines the run may create (main included).
    pub goroutine_limit: u32,
    /// Virtual cost of one scheduler action or script op, in ns.
    pub op_cost_ns: u64,
    /// Time for a parked M to wake after `startm`, in ns.
    pub wake_ns: u64,
    pub funcs: Vec<Func>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            gomaxprocs: 1,
            seed: 1,
            asyncpreemptoff: false,
            schedticks: Vec::new(),
            runtime_gs: 0,
            schedtrace_ns: None,
            scheddetail: false,
            goroutine_limit: DEFAULT_GOROUTINE_LIMIT,
            op_cost_ns: 100,
            wake_ns: 5_000,
            funcs: alloc::vec![Func {
                name: "main.main".to_string(),
                ops: alloc::vec![Op::Exit],
            }],
        }
    }
}

/// Why a configuration or scenario was refused. The message names the limit
/// or the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// A value out of range; the message names the limit.
    Limit(String),
    /// A scenario file line that does not parse.
    Line { line: usize, message: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Limit(m) => f.write_str(m),
            ConfigError::Line { line, message } => write!(f, "line {line}: {message}"),
        }
    }
}

fn limit(message: String) -> ConfigError {
    ConfigError::Limit(message)
}

impl Config {
    /// Checks every limit; the error names the one broken.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.gomaxprocs == 0 || self.gomaxprocs > MAX_GOMAXPROCS {
            return Err(limit(format!(
                "GOMAXPROCS {} is out of range: it must be between 1 and {MAX_GOMAXPROCS}",
                self.gomaxprocs
            )));
        }
        if self.schedticks.len() > MAX_GOMAXPROCS as usize {
            return Err(limit(format!(
                "{} initial schedticks given; there are at most {MAX_GOMAXPROCS} Ps",
                self.schedticks.len()
            )));
        }
        if self.goroutine_limit == 0 || self.goroutine_limit > HARD_GOROUTINE_LIMIT {
            return Err(limit(format!(
                "goroutine limit {} is out of range: it must be between 1 and {HARD_GOROUTINE_LIMIT}",
                self.goroutine_limit
            )));
        }
        if self.runtime_gs > MAX_RUNTIME_GS {
            return Err(limit(format!(
                "{} runtime goroutines before main; the limit is {MAX_RUNTIME_GS} (one local run queue)",
                self.runtime_gs
            )));
        }
        if self.funcs.is_empty() || self.funcs.len() > u16::MAX as usize {
            return Err(limit("a program needs a main function".to_string()));
        }
        if self.op_cost_ns == 0 {
            return Err(limit(
                "op_cost_ns must be at least 1 ns so time moves".to_string(),
            ));
        }
        for f in &self.funcs {
            check_ops(f)?;
        }
        let total = total_goroutines(&self.funcs)?.saturating_add(u64::from(self.runtime_gs));
        if total > u64::from(self.goroutine_limit) {
            return Err(limit(format!(
                "the scenario creates {total} goroutines; the limit is {}",
                self.goroutine_limit
            )));
        }
        Ok(())
    }
}

fn check_ops(f: &Func) -> Result<(), ConfigError> {
    let mut depth = 0usize;
    for op in &f.ops {
        match *op {
            Op::Compute(d)
            | Op::NetRead(d)
            | Op::Syscall(d)
            | Op::SyscallBlock(d)
            | Op::Sleep(d)
                if d > MAX_DURATION_NS =>
            {
                return Err(limit(format!(
                    "{}: a duration of {d} ns is longer than the limit of one hour",
                    f.name
                )))
            }
            Op::Gomaxprocs(n) if n == 0 || n > MAX_GOMAXPROCS => {
                return Err(limit(format!(
                    "{}: GOMAXPROCS {n} is out of range: it must be between 1 and {MAX_GOMAXPROCS}",
                    f.name
                )))
            }
            Op::Repeat(_) => {
                depth += 1;
                if depth > MAX_LOOP_DEPTH {
                    return Err(limit(format!(
                        "{}: repeat blocks nest deeper than {MAX_LOOP_DEPTH}",
                        f.name
                    )));
                }
            }
            Op::End => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| limit(format!("{}: `end` without a `repeat`", f.name)))?;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(limit(format!("{}: a `repeat` has no `end`", f.name)));
    }
    if let Some(at) = idle_repeat(&f.ops) {
        return Err(limit(format!(
            "{}: the `repeat` at op {} repeats nothing that takes time or has an effect (only `repeat`, `end` or `go` with a count of 0); \
             put an op such as `compute 1us` inside it. The model gives such ops no time, so the loop would spin without end",
            f.name,
            at + 1
        )));
    }
    Ok(())
}

/// The index of the first `repeat` (with a count above 0) whose body runs
/// no op that takes time or changes anything: only `repeat`s and `end`s,
/// `go` with a count of 0, and blocks repeated 0 times. The runner takes
/// such ops without an event, so one step would spin through every
/// iteration (`repeat 4294967295` of nothing: hours in one step).
/// Expects balanced blocks.
fn idle_repeat(ops: &[Op]) -> Option<usize> {
    // For each open block: where it starts, its count, and whether its
    // body did something.
    let mut open: Vec<(usize, u32, bool)> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        match *op {
            Op::Repeat(n) => open.push((i, n, false)),
            Op::End => {
                let (at, n, busy) = open.pop()?;
                let runs = open.iter().all(|&(_, n, _)| n > 0);
                if n > 0 && !busy && runs {
                    return Some(at);
                }
            }
            Op::Go { count: 0, .. } => {}
            _ => {
                // Ops inside a block repeated 0 times never run.
                if open.iter().all(|&(_, n, _)| n > 0) {
                    for block in &mut open {
                        block.2 = true;
                    }
                }
            }
        }
    }
    None
}

/// How many goroutines a run of `funcs[0]` creates, main included; an error
/// if a function spawns itself, directly or not (unbounded).
fn total_goroutines(funcs: &[Func]) -> Result<u64, ConfigError> {
    // Per function: goroutines created by one call, computed depth first.
    let mut memo: Vec<Option<u64>> = alloc::vec![None; funcs.len()];
    let mut on_path = alloc::vec![false; funcs.len()];
    fn visit(
        i: usize,
        funcs: &[Func],
        memo: &mut Vec<Option<u64>>,
        on_path: &mut Vec<bool>,
    ) -> Result<u64, ConfigError> {
        if let Some(n) = memo[i] {
            return Ok(n);
        }
        if on_path[i] {
            return Err(limit(format!(
                "{} starts itself (directly or through others): the number of goroutines would be unbounded",
                funcs[i].name
            )));
        }
        on_path[i] = true;
        let mut total: u64 = 0;
        let mut mult: Vec<u64> = alloc::vec![1];
        for op in &funcs[i].ops {
            let m = *mult.last().unwrap_or(&1);
            match *op {
                Op::Repeat(n) => mult.push(m.saturating_mul(u64::from(n))),
                Op::End => {
                    mult.pop();
                }
                Op::Go { func, count } => {
                    let child = 1 + visit(usize::from(func), funcs, memo, on_path)?;
                    total = total
                        .saturating_add(m.saturating_mul(u64::from(count)).saturating_mul(child));
                }
                _ => {}
            }
        }
        on_path[i] = false;
        memo[i] = Some(total);
        Ok(total)
    }
    Ok(1 + visit(0, funcs, &mut memo, &mut on_path)?)
}

/// Parses a duration: `250ns`, `20us`, `10ms`, `2s` (a bare number is µs).
pub fn parse_duration(s: &str) -> Result<u64, String> {
    if s.starts_with('-') {
        return Err(format!(
            "duration {s:?} is negative; durations cannot be negative"
        ));
    }
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 250ns, 20us, 10ms or 2s"))?;
    let scale = match unit {
        "ns" => 1,
        "us" | "µs" | "" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        _ => return Err(format!("{s:?} has an unknown unit; use ns, us, ms or s")),
    };
    n.checked_mul(scale)
        .filter(|&d| d <= MAX_DURATION_NS)
        .ok_or_else(|| format!("duration {s} is longer than the limit of one hour"))
}

fn parse_u32(s: &str, what: &str) -> Result<u32, String> {
    if s.starts_with('-') {
        return Err(format!("{what} {s} is negative"));
    }
    s.parse::<u64>()
        .map_err(|_| format!("{what} {s:?} is not a whole number"))
        .and_then(|n| {
            u32::try_from(n).map_err(|_| format!("{what} {n} is larger than {}", u32::MAX))
        })
}

/// Parses a scenario in the text format described in [`super`]'s docs.
/// Errors carry the 1-based line number. Limits are then checked by
/// [`Config::validate`].
pub fn parse_scenario(text: &str) -> Result<Config, ConfigError> {
    let mut cfg = Config {
        funcs: Vec::new(),
        ..Config::default()
    };
    // Sync objects are named; each kind has its own numbering.
    let mut chans: Vec<String> = Vec::new();
    let mut mutexes: Vec<String> = Vec::new();
    let mut wgs: Vec<String> = Vec::new();
    // Function bodies refer to functions by name; resolve after reading all.
    let mut pending_go: Vec<(usize, usize, String, usize)> = Vec::new();
    let mut current: Option<usize> = None;
    let mut last_line = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        last_line = line;
        let err = |message: String| ConfigError::Line { line, message };
        let code = raw.split('#').next().unwrap_or("").trim();
        if code.is_empty() {
            continue;
        }
        let words: Vec<&str> = code.split_whitespace().collect();
        let arg = |k: usize| -> Result<&str, ConfigError> {
            words
                .get(k)
                .copied()
                .ok_or_else(|| err(format!("`{}` needs {} argument(s)", words[0], k)))
        };
        let want = |n: usize| -> Result<(), ConfigError> {
            if words.len() > n + 1 {
                Err(err(format!(
                    "unexpected {:?} after `{}`",
                    words[n + 1],
                    words[0]
                )))
            } else {
                Ok(())
            }
        };
        let Some(fi) = current else {
            match words[0] {
                "gomaxprocs" => {
                    want(1)?;
                    cfg.gomaxprocs = parse_u32(arg(1)?, "GOMAXPROCS").map_err(err)?;
                }
                "seed" => {
                    want(1)?;
                    cfg.seed = arg(1)?
                        .parse()
                        .map_err(|_| err(format!("seed {:?} is not a whole number", words[1])))?;
                }
                "asyncpreemptoff" => {
                    want(1)?;
                    cfg.asyncpreemptoff = match arg(1)? {
                        "0" => false,
                        "1" => true,
                        v => return Err(err(format!("asyncpreemptoff is 0 or 1, not {v:?}"))),
                    };
                }
                "schedtrace" => {
                    want(2)?;
                    let d = parse_duration(arg(1)?).map_err(err)?;
                    if d == 0 {
                        return Err(err("schedtrace needs a period above zero".to_string()));
                    }
                    cfg.schedtrace_ns = Some(d);
                    match words.get(2) {
                        None => {}
                        Some(&"detail") => cfg.scheddetail = true,
                        Some(w) => return Err(err(format!("expected `detail`, found {w:?}"))),
                    }
                }
                "schedtick" => {
                    want(2)?;
                    let p = parse_u32(arg(1)?, "P").map_err(err)?;
                    let k = parse_u32(arg(2)?, "schedtick").map_err(err)?;
                    if p >= MAX_GOMAXPROCS {
                        return Err(err(format!("P{p} does not exist: at most {MAX_GOMAXPROCS} Ps")));
                    }
                    let p = p as usize;
                    if cfg.schedticks.len() <= p {
                        cfg.schedticks.resize(p + 1, 0);
                    }
                    cfg.schedticks[p] = k;
                }
                "runtime-gs" => {
                    want(1)?;
                    cfg.runtime_gs = parse_u32(arg(1)?, "runtime-gs").map_err(err)?;
                }
                "limit" => {
                    want(1)?;
                    cfg.goroutine_limit = parse_u32(arg(1)?, "goroutine limit").map_err(err)?;
                }
                "func" => {
                    want(1)?;
                    let name = arg(1)?;
                    let full = if name.contains('.') {
                        name.to_string()
                    } else {
                        format!("main.{name}")
                    };
                    if cfg.funcs.iter().any(|f| f.name == full) {
                        return Err(err(format!("function {name} is defined twice")));
                    }
                    cfg.funcs.push(Func {
                        name: full,
                        ops: Vec::new(),
                    });
                    current = Some(cfg.funcs.len() - 1);
                }
                w => {
                    return Err(err(format!(
                        "unknown setting {w:?}; expected gomaxprocs, seed, asyncpreemptoff, schedtrace, schedtick, runtime-gs, limit or func"
                    )))
                }
            }
            continue;
        };
        let dur = |k: usize| -> Result<u64, ConfigError> { parse_duration(arg(k)?).map_err(err) };
        let name_id = |list: &mut Vec<String>, k: usize| -> Result<u16, ConfigError> {
            let n = arg(k)?;
            let id = match list.iter().position(|x| x == n) {
                Some(id) => id,
                None => {
                    list.push(n.to_string());
                    list.len() - 1
                }
            };
            u16::try_from(id).map_err(|_| err("too many sync objects".to_string()))
        };
        let op = match words[0] {
            "end" if words.len() == 1 => {
                let open = cfg.funcs[fi]
                    .ops
                    .iter()
                    .fold(0i32, |d, op| match op {
                        Op::Repeat(_) => d + 1,
                        Op::End => d - 1,
                        _ => d,
                    });
                if open == 0 {
                    current = None;
                    continue;
                }
                Op::End
            }
            "compute" => {
                want(1)?;
                Op::Compute(dur(1)?)
            }
            "gosched" => {
                want(0)?;
                Op::Gosched
            }
            "go" => {
                want(2)?;
                let count = match words.get(2) {
                    Some(c) => parse_u32(c, "count").map_err(err)?,
                    None => 1,
                };
                pending_go.push((fi, cfg.funcs[fi].ops.len(), arg(1)?.to_string(), line));
                Op::Go { func: 0, count }
            }
            "netread" => {
                want(1)?;
                Op::NetRead(dur(1)?)
            }
            "syscall" => {
                want(1)?;
                Op::Syscall(dur(1)?)
            }
            "syscallblock" => {
                want(1)?;
                Op::SyscallBlock(dur(1)?)
            }
            "sleep" => {
                want(1)?;
                Op::Sleep(dur(1)?)
            }
            "recv" => {
                want(1)?;
                Op::Recv(name_id(&mut chans, 1)?)
            }
            "send" => {
                want(1)?;
                Op::Send(name_id(&mut chans, 1)?)
            }
            "lock" => {
                want(1)?;
                Op::Lock(name_id(&mut mutexes, 1)?)
            }
            "unlock" => {
                want(1)?;
                Op::Unlock(name_id(&mut mutexes, 1)?)
            }
            "add" => {
                want(2)?;
                let n = parse_u32(arg(2)?, "count").map_err(err)?;
                Op::WgAdd(name_id(&mut wgs, 1)?, n)
            }
            "done" => {
                want(1)?;
                Op::WgDone(name_id(&mut wgs, 1)?)
            }
            "wait" => {
                want(1)?;
                Op::WgWait(name_id(&mut wgs, 1)?)
            }
            "gomaxprocs" => {
                want(1)?;
                Op::Gomaxprocs(parse_u32(arg(1)?, "GOMAXPROCS").map_err(err)?)
            }
            "repeat" => {
                want(1)?;
                Op::Repeat(parse_u32(arg(1)?, "repeat count").map_err(err)?)
            }
            "exit" => {
                want(0)?;
                Op::Exit
            }
            w => {
                return Err(err(format!(
                    "unknown op {w:?}; expected compute, gosched, go, netread, syscall, syscallblock, sleep, recv, send, lock, unlock, add, done, wait, gomaxprocs, repeat, end or exit"
                )))
            }
        };
        cfg.funcs[fi].ops.push(op);
    }
    if let Some(fi) = current {
        return Err(ConfigError::Line {
            line: last_line,
            message: format!("function {} has no `end`", cfg.funcs[fi].name),
        });
    }
    for (fi, at, name, line) in pending_go {
        let full = if name.contains('.') {
            name.clone()
        } else {
            format!("main.{name}")
        };
        let target = cfg
            .funcs
            .iter()
            .position(|f| f.name == full)
            .ok_or_else(|| ConfigError::Line {
                line,
                message: format!("`go {name}`: no function {name} is defined"),
            })?;
        if let Op::Go { func, .. } = &mut cfg.funcs[fi].ops[at] {
            *func = target as u16;
        }
    }
    let main = cfg
        .funcs
        .iter()
        .position(|f| f.name == "main.main")
        .ok_or_else(|| ConfigError::Line {
            line: last_line.max(1),
            message: "no `func main`: every scenario needs one".to_string(),
        })?;
    if main != 0 {
        // main.main goes first; fix up the indices of `go` ops.
        let f = cfg.funcs.remove(main);
        cfg.funcs.insert(0, f);
        let remap = |i: u16| -> u16 {
            let i = usize::from(i);
            (if i == main {
                0
            } else if i < main {
                i + 1
            } else {
                i
            }) as u16
        };
        for f in &mut cfg.funcs {
            for op in &mut f.ops {
                if let Op::Go { func, .. } = op {
                    *func = remap(*func);
                }
            }
        }
    }
    cfg.validate()?;
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_scenario_parses() {
        let cfg = parse_scenario(
            "gomaxprocs 2\nseed 9\nfunc worker\n  repeat 3\n    compute 1ms\n  end\nend\nfunc main\n  go worker 4\n  sleep 10ms\nend\n",
        )
        .unwrap();
        assert_eq!(cfg.gomaxprocs, 2);
        assert_eq!(cfg.funcs[0].name, "main.main");
        assert_eq!(cfg.funcs[0].ops[0], Op::Go { func: 1, count: 4 });
        assert_eq!(
            cfg.funcs[1].ops,
            [Op::Repeat(3), Op::Compute(1_000_000), Op::End]
        );
    }

    #[test]
    fn errors_name_the_line_or_the_limit() {
        let e = parse_scenario("func main\n  compute -5us\nend\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 2: duration \"-5us\" is negative; durations cannot be negative"
        );
        let e = parse_scenario("func main\n  frobnicate\nend\n").unwrap_err();
        assert!(e.to_string().starts_with("line 2: unknown op"), "{e}");
        let e = parse_scenario("func main\n  go nobody\nend\n").unwrap_err();
        assert!(e.to_string().starts_with("line 2:"), "{e}");
        let e = parse_scenario("gomaxprocs 0\nfunc main\nend\n").unwrap_err();
        assert!(e.to_string().contains("between 1 and 256"), "{e}");
        let e = parse_scenario("func w\nend\nfunc main\n  go w 10000000\nend\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("creates 10000001 goroutines; the limit is 10000"),
            "{e}"
        );
        let e = parse_scenario("func main\n  go main\nend\n").unwrap_err();
        assert!(e.to_string().contains("unbounded"), "{e}");
        let e = parse_scenario("func main\n  repeat 2\n").unwrap_err();
        assert!(e.to_string().contains("no `end`"), "{e}");
    }

    #[test]
    fn a_repeat_of_nothing_is_refused() {
        // Found by the fuzzer: one step spun through 4294967295 empty
        // iterations (minutes of work for one click).
        for body in [
            "repeat 4294967295\n  end",
            "repeat 9\n  repeat 9\n  end\n  end",
            "repeat 3\n  go main 0\n  end",
            "repeat 5\n  repeat 0\n  compute 1ms\n  end\n  end",
        ] {
            let e = parse_scenario(&format!("func main\n  {body}\nend\n")).unwrap_err();
            assert!(e.to_string().contains("repeats nothing"), "{body}: {e}");
        }
        for body in [
            "repeat 0\n  end",
            "repeat 3\n  repeat 2\n  end\n  gosched\n  end",
            "repeat 2\n  repeat 2\n  compute 1us\n  end\n  end",
        ] {
            let text = format!("func main\n  {body}\nend\n");
            let r = parse_scenario(&text);
            // The second has an idle inner block: refused too.
            assert_eq!(r.is_ok(), !body.starts_with("repeat 3"), "{body}: {r:?}");
        }
    }
}
