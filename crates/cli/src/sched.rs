//! `gopherscope sched`: runs a scheduler preset or a scenario file and
//! prints the run order, the schedtrace lines or the event trace.

use std::fmt::Write;

use runtime_model::sched::{
    parse_duration, parse_scenario, presets, Config, EventKind, Sim, Timeline,
};

/// What to print.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Print {
    /// The order main's children first ran in
    RunOrder,
    /// GODEBUG=schedtrace lines
    Schedtrace,
    /// Every scheduler event, one a line
    Events,
    /// Event count, virtual and wall time, state bytes (for benchmarks).
    #[value(hide = true)]
    Stats,
    /// Record the run in a Timeline, then time seeks to many steps.
    #[value(hide = true)]
    Rewind,
}

/// A count: a whole number, zero or more.
fn number(v: &str) -> Result<u64, String> {
    if v.starts_with('-') {
        return Err(format!("{v} is negative; it must be zero or more"));
    }
    v.parse()
        .map_err(|_| format!("{v:?} is not a whole number"))
}

/// A count that fits in 32 bits.
fn small(v: &str) -> Result<u32, String> {
    let n = number(v)?;
    u32::try_from(n).map_err(|_| format!("{n} is larger than {}", u32::MAX))
}

/// A `--preset` value: one of the model's presets, by name.
fn parse_preset(name: &str) -> Result<&'static presets::Preset, String> {
    presets::preset(name).ok_or_else(|| {
        let names: Vec<&str> = presets::PRESETS.iter().map(|p| p.name).collect();
        format!("unknown preset {name:?}; presets: {}", names.join(", "))
    })
}

/// A `--schedtrace` period: a duration above zero.
fn period(v: &str) -> Result<u64, String> {
    match parse_duration(v)? {
        0 => Err("the period must be above zero".into()),
        d => Ok(d),
    }
}

/// `gopherscope sched (--preset NAME | --scenario FILE) [options]`.
#[derive(clap::Args, Clone)]
pub struct SchedArgs {
    /// List the presets and what each teaches, then exit
    #[arg(long)]
    list: bool,
    /// Run a preset (sched --list shows them)
    #[arg(long, value_name = "NAME", conflicts_with = "scenario", value_parser = parse_preset)]
    preset: Option<&'static presets::Preset>,
    /// Run a scenario file (format: crates/runtime-model/src/sched/mod.rs)
    #[arg(long, value_name = "FILE")]
    scenario: Option<String>,
    /// The preset's N [default: the preset's own]
    #[arg(long, value_name = "N", value_parser = small, allow_negative_numbers = true)]
    n: Option<u32>,
    /// GOMAXPROCS, 1 to 256 (the model's limit, not Go's) [default: the program's]
    #[arg(long, value_name = "P", value_parser = small, allow_negative_numbers = true)]
    gomaxprocs: Option<u32>,
    /// P 0's schedtick at the start (the every-61st check)
    #[arg(long, value_name = "K", value_parser = small, allow_negative_numbers = true)]
    schedtick: Option<u32>,
    /// Runtime goroutines queued on P0 before main.main starts
    #[arg(long, value_name = "M", value_parser = small, allow_negative_numbers = true)]
    runtime_gs: Option<u32>,
    /// The seed of the runtime's cheaprand
    #[arg(long, value_name = "S", value_parser = number, allow_negative_numbers = true)]
    seed: Option<u64>,
    /// Like GODEBUG=asyncpreemptoff=1: no preemption by signal
    #[arg(long)]
    asyncpreemptoff: bool,
    /// Like GODEBUG=schedtrace=DUR: a schedtrace line every DUR (e.g. 1ms)
    #[arg(long, value_name = "DUR", value_parser = period)]
    schedtrace: Option<u64>,
    /// Like GODEBUG=scheddetail=1: schedtrace lines for every P, M and G
    #[arg(long)]
    scheddetail: bool,
    /// Stop at this virtual time (e.g. 10ms)
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    until: Option<u64>,
    /// Stop after this many steps
    #[arg(long, value_name = "N", default_value_t = 100_000_000, value_parser = number, allow_negative_numbers = true)]
    max_steps: u64,
    /// What to print
    #[arg(long, value_name = "WHAT", value_enum, default_value_t = Print::RunOrder)]
    print: Print,
}

/// Runs the scheduler on a preset or a scenario file.
pub fn command(args: &SchedArgs) -> Result<String, String> {
    if args.list {
        return Ok(list());
    }
    let SchedArgs {
        preset,
        scenario,
        n,
        gomaxprocs,
        schedtick,
        runtime_gs,
        seed,
        asyncpreemptoff,
        schedtrace,
        scheddetail,
        until,
        max_steps,
        print,
        ..
    } = args.clone();
    let mut cfg: Config = match (preset, scenario) {
        (Some(p), _) => p
            .config(n.unwrap_or(p.default_n))
            .map_err(|e| format!("preset {}: {e}", p.name))?,
        (None, Some(path)) => {
            if n.is_some() {
                return Err("--n applies to presets; a scenario file sets its own sizes".into());
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read scenario {path}: {e}"))?;
            parse_scenario(&text).map_err(|e| format!("{path}: {e}"))?
        }
        (None, None) => {
            return Err(
                "sched needs --preset NAME or --scenario FILE (sched --list shows presets)".into(),
            )
        }
    };
    if let Some(p) = gomaxprocs {
        cfg.gomaxprocs = p;
    }
    if let Some(k) = schedtick {
        if cfg.schedticks.is_empty() {
            cfg.schedticks.push(0);
        }
        cfg.schedticks[0] = k;
    }
    if let Some(m) = runtime_gs {
        cfg.runtime_gs = m;
    }
    if let Some(s) = seed {
        cfg.seed = s;
    }
    cfg.asyncpreemptoff |= asyncpreemptoff;
    cfg.scheddetail |= scheddetail;
    if schedtrace.is_some() {
        cfg.schedtrace_ns = schedtrace;
    } else if print == Print::Schedtrace && cfg.schedtrace_ns.is_none() {
        cfg.schedtrace_ns = Some(1_000_000);
    }
    let detail = cfg.scheddetail;
    let mut sim = Sim::new(cfg).map_err(|e| e.to_string())?;
    if print == Print::Rewind {
        return Ok(rewind_bench(sim, max_steps));
    }
    let started = std::time::Instant::now();
    let mut out = String::new();
    while sim.steps() < max_steps {
        let Some(e) = sim.step() else { break };
        if until.is_some_and(|t| e.t_ns > t) {
            break;
        }
        match print {
            Print::Events => {
                let _ = writeln!(
                    out,
                    "{:>7} {:>12} {:<20} {}",
                    e.step,
                    e.t_ns,
                    e.go_func(),
                    e.sentence()
                );
            }
            Print::Schedtrace if e.kind == EventKind::Schedtrace => {
                out.push_str(&sim.schedtrace(detail));
            }
            _ => {}
        }
    }
    if print == Print::Stats {
        let wall = started.elapsed();
        out = format!(
            "events={} virtual_ns={} wall_ns={} events_per_s={:.0} state_bytes={} max_rss_kb={}\n",
            sim.steps(),
            sim.now(),
            wall.as_nanos(),
            sim.steps() as f64 / wall.as_secs_f64().max(1e-9),
            sim.approx_bytes(),
            max_rss_kb().map_or("unknown".to_string(), |k| k.to_string()),
        );
    }
    if print == Print::RunOrder {
        let order: Vec<String> = sim
            .children_run_order(1)
            .iter()
            .map(|i| i.to_string())
            .collect();
        out = order.join(" ");
        out.push('\n');
    }
    Ok(out)
}

/// Records up to `max_steps` steps in a [`Timeline`], then seeks to 200
/// spread-out steps (backwards and forwards) and reports the times.
fn rewind_bench(sim: Sim, max_steps: u64) -> String {
    let mut tl = Timeline::new(sim);
    let started = std::time::Instant::now();
    while tl.step_index() < max_steps && tl.step().is_some() {}
    let record = started.elapsed();
    let end = tl.horizon();
    let mut times = Vec::new();
    let mut rng = runtime_model::rand::CheapRand::new(1);
    for _ in 0..200 {
        let target = (u64::from(rng.cheaprand()) * end) >> 32;
        let t = std::time::Instant::now();
        tl.seek(target);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(tl.step_index(), target);
    }
    times.sort_by(f64::total_cmp);
    format!(
        "steps={end} record_ms={:.1} seeks={} median_ms={:.3} worst_ms={:.3} snapshots={} every={} timeline_bytes={}\n",
        record.as_secs_f64() * 1e3,
        times.len(),
        times[times.len() / 2],
        times[times.len() - 1],
        tl.snapshot_count(),
        tl.every(),
        tl.approx_bytes()
    )
}

/// Peak resident memory of this process (Linux `VmHWM`), if known.
fn max_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn list() -> String {
    let mut s = String::new();
    for p in presets::PRESETS {
        // Described at its defaults: its own size, GOMAXPROCS and GODEBUG.
        let text = p.config(p.default_n).map_or_else(
            |e| e.to_string(),
            |c| p.describe(p.default_n, c.gomaxprocs, c.asyncpreemptoff),
        );
        let _ = writeln!(
            s,
            "{:<16} {} (--n: {}, default {})\n{:<16} {}\n",
            p.name, p.title, p.n_meaning, p.default_n, "", text
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use crate::run;

    fn run_args(args: &[&str]) -> Result<String, String> {
        run(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn spawn_order_prints_n_minus_1_then_the_rest() {
        let out = run_args(&[
            "sched",
            "--preset",
            "spawn-order",
            "--n",
            "5",
            "--print",
            "run-order",
        ]);
        assert_eq!(out.unwrap(), "4 0 1 2 3\n");
    }

    #[test]
    fn schedtrace_and_events_print() {
        let out = run_args(&["sched", "--preset", "fan-out", "--print", "schedtrace"]).unwrap();
        assert!(out.starts_with("SCHED 0ms: gomaxprocs=4 "), "{out}");
        let out = run_args(&[
            "sched",
            "--preset",
            "spawn-order",
            "--n",
            "3",
            "--print",
            "events",
        ])
        .unwrap();
        assert!(out.contains("newproc"), "{out}");
        assert!(
            out.lines().last().unwrap().contains("the program exits"),
            "{out}"
        );
    }

    #[test]
    fn bad_input_names_the_limit_or_the_line() {
        let err = |a: &[&str]| run_args(a).unwrap_err();
        assert!(
            err(&["sched", "--preset", "spawn-order", "--gomaxprocs", "0"])
                .contains("between 1 and 256")
        );
        assert!(
            err(&["sched", "--preset", "spawn-order", "--gomaxprocs", "10000"])
                .contains("between 1 and 256")
        );
        assert!(
            err(&["sched", "--preset", "spawn-order", "--n", "10000000"])
                .contains("the limit is 10000")
        );
        assert!(err(&["sched", "--preset", "spawn-order", "--n", "-3"]).contains("negative"));
        assert!(err(&["sched", "--preset", "nope"]).contains("presets: spawn-order"));
        let dir = std::env::temp_dir().join(format!("gopherscope-sched-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.sched");
        std::fs::write(&file, "gomaxprocs 2\nfunc main\n  sleep -1ms\nend\n").unwrap();
        let e = err(&["sched", "--scenario", file.to_str().unwrap()]);
        assert!(e.contains("line 3: duration \"-1ms\" is negative"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
