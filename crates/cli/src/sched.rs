//! `gopherscope sched`: runs a scheduler preset or a scenario file and
//! prints the run order, the schedtrace lines or the event trace.

use std::fmt::Write;

use runtime_model::sched::{
    parse_duration, parse_scenario, presets, Config, EventKind, Sim, Timeline,
};

/// What to print.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Print {
    RunOrder,
    Schedtrace,
    Events,
    /// Event count, virtual and wall time, state bytes (for benchmarks).
    Stats,
    /// Record the run in a Timeline, then time seeks to many steps.
    Rewind,
}

fn number(flag: &str, v: &str) -> Result<u64, String> {
    if v.starts_with('-') {
        return Err(format!("{flag} {v} is negative; it must be zero or more"));
    }
    v.parse()
        .map_err(|_| format!("{flag} needs a whole number, not {v:?}"))
}

fn small(flag: &str, v: &str) -> Result<u32, String> {
    let n = number(flag, v)?;
    u32::try_from(n).map_err(|_| format!("{flag} {n} is larger than {}", u32::MAX))
}

/// `gopherscope sched ...`.
pub fn command(args: &[String]) -> Result<String, String> {
    let mut preset = None;
    let mut scenario = None;
    let mut n = None;
    let mut gomaxprocs = None;
    let mut schedtick = None;
    let mut runtime_gs = None;
    let mut seed = None;
    let mut asyncpreemptoff = false;
    let mut schedtrace = None;
    let mut scheddetail = false;
    let mut until = None;
    let mut max_steps: u64 = 100_000_000;
    let mut print = Print::RunOrder;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag {
            "--list" => return Ok(list()),
            "--preset" => preset = Some(value()?),
            "--scenario" => scenario = Some(value()?),
            "--n" => n = Some(small("--n", &value()?)?),
            "--gomaxprocs" => gomaxprocs = Some(small("--gomaxprocs", &value()?)?),
            "--schedtick" => schedtick = Some(small("--schedtick", &value()?)?),
            "--runtime-gs" => runtime_gs = Some(small("--runtime-gs", &value()?)?),
            "--seed" => seed = Some(number("--seed", &value()?)?),
            "--asyncpreemptoff" => asyncpreemptoff = true,
            "--schedtrace" => {
                let d = parse_duration(&value()?).map_err(|e| format!("--schedtrace: {e}"))?;
                if d == 0 {
                    return Err("--schedtrace needs a period above zero".into());
                }
                schedtrace = Some(d);
            }
            "--scheddetail" => scheddetail = true,
            "--until" => {
                until = Some(parse_duration(&value()?).map_err(|e| format!("--until: {e}"))?);
            }
            "--max-steps" => max_steps = number("--max-steps", &value()?)?,
            "--print" => {
                print = match value()?.as_str() {
                    "run-order" => Print::RunOrder,
                    "schedtrace" => Print::Schedtrace,
                    "events" => Print::Events,
                    "stats" => Print::Stats,
                    "rewind" => Print::Rewind,
                    other => {
                        return Err(format!(
                    "--print {other:?}: expected run-order, schedtrace, events, stats or rewind"
                ))
                    }
                }
            }
            other => {
                return Err(format!(
                    "sched: unexpected argument {other:?}\n\n{}",
                    crate::USAGE
                ))
            }
        }
    }
    let mut cfg: Config = match (preset, scenario) {
        (Some(name), None) => {
            let p = presets::preset(&name).ok_or_else(|| {
                let names: Vec<&str> = presets::PRESETS.iter().map(|p| p.name).collect();
                format!("unknown preset {name:?}; presets: {}", names.join(", "))
            })?;
            p.config(n.unwrap_or(p.default_n))
                .map_err(|e| format!("preset {name}: {e}"))?
        }
        (None, Some(path)) => {
            if n.is_some() {
                return Err("--n applies to presets; a scenario file sets its own sizes".into());
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read scenario {path}: {e}"))?;
            parse_scenario(&text).map_err(|e| format!("{path}: {e}"))?
        }
        (Some(_), Some(_)) => return Err("give --preset or --scenario, not both".into()),
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
        let _ = writeln!(
            s,
            "{:<16} {} (--n: {}, default {})\n{:<16} {}\n",
            p.name, p.title, p.n_meaning, p.default_n, "", p.explanation
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
