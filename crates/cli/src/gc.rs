//! `gopherscope gc`: a marking preset's event trace, or a pacer workload's
//! gctrace lines.

use runtime_model::gc::barrier::BarrierMode;
use runtime_model::gc::knobs::{parse_gogc, parse_gomemlimit, Gogc};
use runtime_model::gc::pacer::{simulate, Workload};
use runtime_model::gc::presets::{mark_preset, mark_presets};

/// `gopherscope gc mark|pacer ...`.
pub fn command(args: &[String]) -> Result<String, String> {
    match args.first().map(String::as_str) {
        Some("mark") => mark(&args[1..]),
        Some("pacer") => pacer(&args[1..]),
        Some("bench") => bench(&args[1..]),
        _ => Err(format!(
            "gc: expected `mark` or `pacer`\n\n{}",
            crate::USAGE
        )),
    }
}

/// Splits `--name value` and `--name=value` pairs.
fn options(args: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let Some(name) = arg.strip_prefix("--") else {
            return Err(format!(
                "gc: unexpected argument {arg:?}\n\n{}",
                crate::USAGE
            ));
        };
        let (name, value) = match name.split_once('=') {
            Some((n, v)) => (n.to_owned(), v.to_owned()),
            None => {
                let v = it
                    .next()
                    .ok_or_else(|| format!("gc: --{name} needs a value"))?;
                (name.to_owned(), v.clone())
            }
        };
        out.push((name, value));
    }
    Ok(out)
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("gc: --{name} must be a non-negative number, got {value:?}"))
}

fn mark(args: &[String]) -> Result<String, String> {
    let mut preset = None;
    let mut barrier = BarrierMode::Hybrid;
    let mut seed = 1;
    let mut steps = 400;
    for (name, value) in options(args)? {
        match name.as_str() {
            "preset" => {
                preset = Some(mark_preset(&value).ok_or_else(|| {
                    let names: Vec<&str> = mark_presets().iter().map(|p| p.name).collect();
                    format!(
                        "gc: unknown preset {value:?}; allowed: {}",
                        names.join(", ")
                    )
                })?);
            }
            "barrier" => {
                barrier = BarrierMode::from_name(&value).ok_or_else(|| {
                    format!("gc: unknown barrier {value:?}; allowed: hybrid, dijkstra, yuasa, none")
                })?;
            }
            "seed" => seed = number(&name, &value)?,
            "steps" => steps = number(&name, &value)?,
            _ => return Err(format!("gc mark: unknown option --{name}")),
        }
    }
    let preset = preset.ok_or("gc mark: --preset NAME is required")?;
    let mut sim = preset.build(barrier, seed);
    let mut out = format!(
        "# preset {} under the {} barrier (seed {seed})\n# {}\n",
        preset.name,
        barrier.name(),
        preset.explanation
    );
    for e in sim.run(steps) {
        let stw = if e.world_stopped { " STW" } else { "" };
        out.push_str(&format!(
            "{:>4} [{}{stw}] {} ({}): {}\n",
            e.step,
            e.phase.name(),
            e.go_function,
            e.go_file,
            e.sentence
        ));
        for v in &e.violations {
            out.push_str(&format!("     !! {}\n", v.sentence()));
        }
    }
    let lost = sim.lost();
    if lost.is_empty() {
        out.push_str("# no object was freed while reachable\n");
    } else {
        let names: Vec<String> = lost.iter().map(ToString::to_string).collect();
        out.push_str(&format!("# freed while reachable: {}\n", names.join(", ")));
    }
    Ok(out)
}

/// `gopherscope gc bench [--objects N] [--slots S]`: times marking a
/// random graph and recomputing 10 simulated minutes of every pacer preset,
/// for `cargo xtask bench` (build with `--profile bench-native`).
fn bench(args: &[String]) -> Result<String, String> {
    use runtime_model::gc::heap::Heap;
    use runtime_model::gc::mark::{mark_all, mark_all_classic};
    use runtime_model::gc::pacer::pacer_presets;
    use std::time::Instant;
    let mut objects = 1_000_000;
    let mut slots = 4;
    for (name, value) in options(args)? {
        match name.as_str() {
            "objects" => objects = number(&name, &value)?,
            "slots" => slots = number(&name, &value)?,
            _ => return Err(format!("gc bench: unknown option --{name}")),
        }
    }
    let mut out = String::new();
    // Real spans for 48-byte objects: 8192 / 48 objects in each.
    let span_objects = 8192 / 48;
    // Each variant marks a fresh heap five times; the median is printed,
    // as the Go side prints the median of its forced GCs.
    type Mark = Box<dyn Fn(&mut Heap) -> usize>;
    let variants: [(&str, usize, Mark); 4] = [
        ("greentea", 1, Box::new(mark_all)),
        ("classic", 1, Box::new(mark_all_classic)),
        ("greentea-rounds", 1, Box::new(|h| mark_with_threads(h, 1))),
        ("greentea-rounds", 2, Box::new(|h| mark_with_threads(h, 2))),
    ];
    for (drain, workers, mark) in variants {
        let mut times = Vec::new();
        let mut marked = 0;
        for seed in 0..5 {
            let mut heap = Heap::random_graph_in_spans(objects, slots, seed, span_objects);
            let t = Instant::now();
            marked = mark(&mut heap);
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        out.push_str(&format!(
            "mark drain={drain} workers={workers} objects={objects} slots={slots} marked={marked} ms={:.2}\n",
            times[times.len() / 2]
        ));
    }
    for preset in pacer_presets() {
        let mut best = f64::INFINITY;
        let mut cycles = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let p = simulate(preset.workload.clone(), 600.0);
            best = best.min(t.elapsed().as_secs_f64() * 1e3);
            cycles = p.records.len();
        }
        out.push_str(&format!(
            "pacer preset={} seconds=600 cycles={cycles} ms={best:.3}\n",
            preset.name
        ));
    }
    Ok(out)
}

/// Marks with `workers` threads: each round of
/// [`runtime_model::gc::parallel::mark_rounds`] runs its shares on scoped
/// threads (a one-share round runs here).
fn mark_with_threads(heap: &mut runtime_model::gc::heap::Heap, workers: usize) -> usize {
    use runtime_model::gc::parallel::{mark_rounds, Work};
    mark_rounds(heap, workers, |shared, shares| {
        let run = |w: &Work| {
            let mut out = Work::default();
            let n = shared.scan(w, &mut out);
            (out, n)
        };
        if shares.len() == 1 {
            return shares.iter().map(run).collect();
        }
        std::thread::scope(|s| {
            let handles: Vec<_> = shares.iter().map(|w| s.spawn(move || run(w))).collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a mark worker panicked"))
                .collect()
        })
    })
}

fn pacer(args: &[String]) -> Result<String, String> {
    let mut w = Workload::steady(0, 0);
    w.scan_fraction = 0.0;
    w.gogc = Gogc::Percent(100);
    let mut seconds = None;
    let mut print = String::from("gctrace");
    for (name, value) in options(args)? {
        match name.as_str() {
            "live-mb" => w.live = number::<u64>(&name, &value)? << 20,
            "alloc-mb-per-sec" => w.alloc_per_sec = number::<u64>(&name, &value)? << 20,
            "stacks-kb" => w.stacks = number::<u64>(&name, &value)? << 10,
            "globals-kb" => w.globals = number::<u64>(&name, &value)? << 10,
            "scan-fraction" => w.scan_fraction = number(&name, &value)?,
            "gomaxprocs" => {
                w.gomaxprocs = number(&name, &value)?;
                if w.gomaxprocs == 0 {
                    return Err("gc: --gomaxprocs must be at least 1".into());
                }
            }
            "gogc" => w.gogc = parse_gogc(&value)?,
            "gomemlimit" => w.gomemlimit = parse_gomemlimit(&value)?,
            "seconds" => seconds = Some(number::<f64>(&name, &value)?),
            "print" => print = value,
            _ => return Err(format!("gc pacer: unknown option --{name}")),
        }
    }
    let seconds = seconds.ok_or("gc pacer: --seconds S is required")?;
    let p = simulate(w, seconds);
    match print.as_str() {
        "gctrace" => Ok(p.records.iter().map(|r| r.trace.line() + "\n").collect()),
        "summary" => Ok(format!(
            "GCs: {}\nGCCPUFraction: {:.4}\npeak memory: {} MiB\n",
            p.numgc,
            p.gc_cpu_fraction(),
            p.peak_memory >> 20
        )),
        other => Err(format!(
            "gc pacer: --print must be gctrace or summary, got {other:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::gc::heap::{Color, Heap, ObjectId};
    use runtime_model::gc::mark::mark_all;

    /// Real threads racing on the shared mark bytes mark exactly what one
    /// worker marks, and scan every object once.
    #[test]
    fn threads_mark_what_one_worker_marks() {
        for seed in 0..6 {
            let mut heap = Heap::random_graph_in_spans(40_000, 4, seed, 170);
            heap.globals = vec![Some(ObjectId(3)), Some(ObjectId(20_000))];
            heap.free(ObjectId(11));
            let mut one = heap.clone();
            let want = mark_all(&mut one);
            for workers in [2, 4] {
                let mut h = heap.clone();
                assert_eq!(mark_with_threads(&mut h, workers), want);
                assert!(h.objects.iter().all(|o| h.color(o.id) == one.color(o.id)));
                assert!(h.objects.iter().any(|o| h.color(o.id) == Color::White));
            }
        }
    }

    fn run(line: &str) -> Result<String, String> {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        command(&args)
    }

    #[test]
    fn pacer_prints_one_gctrace_line_per_cycle() {
        let out =
            run("pacer --live-mb 64 --alloc-mb-per-sec 256 --seconds 2 --print gctrace").unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 5);
        assert!(lines[3].starts_with("gc 4 @"), "{}", lines[3]);
        assert!(
            lines[3].ends_with("128 MB goal, 0 MB stacks, 0 MB globals, 2 P"),
            "{}",
            lines[3]
        );
    }

    #[test]
    fn bad_knobs_are_refused_with_go_s_rule() {
        let err =
            run("pacer --live-mb 64 --alloc-mb-per-sec 1 --seconds 1 --gogc 1e2").unwrap_err();
        assert!(err.contains("\"off\" or a decimal integer"), "{err}");
        let err = run("pacer --live-mb 64 --alloc-mb-per-sec 1 --seconds 1 --gomemlimit 512MB")
            .unwrap_err();
        assert!(err.contains("B, KiB, MiB, GiB or TiB"), "{err}");
    }

    #[test]
    fn mark_trace_ends_with_the_lost_object_without_a_barrier() {
        let out = run("mark --preset hide-pointer --barrier none").unwrap();
        assert!(out.ends_with("# freed while reachable: o2\n"), "{out}");
        let out = run("mark --preset hide-pointer --barrier hybrid").unwrap();
        assert!(
            out.ends_with("# no object was freed while reachable\n"),
            "{out}"
        );
    }
}
