//! `gopherscope gc`: a marking preset's event trace, or a pacer workload's
//! gctrace lines.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use runtime_model::gc::barrier::BarrierMode;
use runtime_model::gc::cost::{HeapShape, Reach};
use runtime_model::gc::knobs::{parse_gogc, parse_gomemlimit, Gogc};
use runtime_model::gc::pacer::{simulate, Workload};
use runtime_model::gc::presets::{mark_preset, mark_presets, MarkPreset};

/// `gopherscope gc mark|pacer ...`.
#[derive(clap::Args)]
pub struct GcArgs {
    #[command(subcommand)]
    command: GcCommand,
}

#[derive(clap::Subcommand)]
enum GcCommand {
    /// A marking preset's event trace
    Mark(MarkArgs),
    /// One gctrace line per simulated GC cycle
    Pacer(PacerArgs),
    /// Times marking and the pacer presets (for `cargo xtask bench`)
    #[command(hide = true)]
    Bench(BenchArgs),
}

/// Runs `gc mark`, `gc pacer` or `gc bench`.
pub fn command(args: &GcArgs) -> Result<String, String> {
    match &args.command {
        GcCommand::Mark(a) => mark(a),
        GcCommand::Pacer(a) => pacer(a),
        GcCommand::Bench(a) => bench(a),
    }
}

/// A number option's value.
fn number<T: std::str::FromStr>(value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("must be a non-negative number, got {value:?}"))
}

/// A `--preset` value: one of the model's marking presets, by name.
fn parse_mark_preset(name: &str) -> Result<MarkPreset, String> {
    mark_preset(name).ok_or_else(|| {
        let names: Vec<&str> = mark_presets().iter().map(|p| p.name).collect();
        format!("unknown preset {name:?}; allowed: {}", names.join(", "))
    })
}

/// A `--barrier` value: one of the model's barrier modes, which clap lists.
fn barrier_parser() -> impl TypedValueParser<Value = BarrierMode> {
    PossibleValuesParser::new(BarrierMode::ALL.map(BarrierMode::name))
        .map(|name| BarrierMode::from_name(&name).expect("clap only passes a listed name"))
}

/// `gopherscope gc mark --preset NAME [options]`.
#[derive(clap::Args)]
pub struct MarkArgs {
    /// The marking preset to run (an unknown name lists them)
    #[arg(long, value_name = "NAME", value_parser = parse_mark_preset)]
    preset: MarkPreset,
    /// The write barrier the mutator runs under
    #[arg(long, value_name = "B", default_value = "hybrid", value_parser = barrier_parser())]
    barrier: BarrierMode,
    /// The seed of the preset's random choices
    #[arg(long, value_name = "S", default_value_t = 1, value_parser = number::<u64>, allow_negative_numbers = true)]
    seed: u64,
    /// How many steps to run
    #[arg(long, value_name = "N", default_value_t = 400, value_parser = number::<u64>, allow_negative_numbers = true)]
    steps: u64,
}

fn mark(args: &MarkArgs) -> Result<String, String> {
    let (preset, barrier, seed, steps) = (&args.preset, args.barrier, args.seed, args.steps);
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

/// `gopherscope gc bench [--objects N] [--slots S]`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Objects in the random heap
    #[arg(long, value_name = "N", default_value_t = 1_000_000, value_parser = number::<u32>, allow_negative_numbers = true)]
    objects: u32,
    /// Pointer slots per object
    #[arg(long, value_name = "S", default_value_t = 4, value_parser = number::<u32>, allow_negative_numbers = true)]
    slots: u32,
}

/// Times marking a random graph and recomputing 10 simulated minutes of
/// every pacer preset, for `cargo xtask bench` (build with
/// `--profile bench-native`).
fn bench(args: &BenchArgs) -> Result<String, String> {
    use runtime_model::gc::heap::Heap;
    use runtime_model::gc::mark::{mark_all, mark_all_classic};
    use runtime_model::gc::pacer::pacer_presets;
    use std::time::Instant;
    let (objects, slots) = (args.objects, args.slots);
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

/// What `gc pacer` prints.
#[derive(Clone, Copy, clap::ValueEnum)]
enum PacerPrint {
    /// One GODEBUG=gctrace=1 line per GC cycle
    Gctrace,
    /// The number of GCs, GCCPUFraction and the peak memory
    Summary,
}

/// A `--gomemlimit` value: `None` is off. (An alias, so that clap takes it
/// as one value rather than an optional one.)
type MemLimit = Option<u64>;

/// `gopherscope gc pacer --seconds S [options]`; unset sizes and
/// GOMAXPROCS are those of the model's steady workload.
#[derive(clap::Args)]
pub struct PacerArgs {
    /// The live heap, in MiB
    #[arg(long, value_name = "L", default_value_t = 0, value_parser = number::<u64>, allow_negative_numbers = true)]
    live_mb: u64,
    /// The allocation rate, in MiB per second
    #[arg(long, value_name = "R", default_value_t = 0, value_parser = number::<u64>, allow_negative_numbers = true)]
    alloc_mb_per_sec: u64,
    /// Goroutine stacks to scan, in KiB [default: the steady workload's 8]
    #[arg(long, value_name = "K", value_parser = number::<u64>, allow_negative_numbers = true)]
    stacks_kb: Option<u64>,
    /// Globals to scan, in KiB [default: the steady workload's 160]
    #[arg(long, value_name = "G", value_parser = number::<u64>, allow_negative_numbers = true)]
    globals_kb: Option<u64>,
    /// GOGC: a percentage, or off
    #[arg(long, value_name = "N|off", default_value = "100", value_parser = parse_gogc)]
    gogc: Gogc,
    /// GOMEMLIMIT, e.g. 512MiB, or off
    #[arg(long, value_name = "LIMIT", default_value = "off", value_parser = parse_gomemlimit)]
    gomemlimit: MemLimit,
    /// GOMAXPROCS, at least 1 [default: the steady workload's 2]
    #[arg(long, value_name = "P", value_parser = procs, allow_negative_numbers = true)]
    gomaxprocs: Option<u32>,
    /// The size of each live object, in bytes [default: the steady workload's 64]
    #[arg(long, value_name = "N", value_parser = number::<u64>, allow_negative_numbers = true)]
    object_bytes: Option<u64>,
    /// How many of each object's leading bytes hold pointers, a multiple of 8 [default: the steady workload's 32]
    #[arg(long, value_name = "N", value_parser = number::<u64>, allow_negative_numbers = true)]
    pointer_bytes: Option<u64>,
    /// How marking reaches the objects: through arrays of pointers (fanout),
    /// from object to object like a tree (tree), or along one chain (list)
    #[arg(long, value_name = "SHAPE", default_value = "fanout", value_parser = reach_parser())]
    shape: Reach,
    /// The goroutines never block (they compute or spin between
    /// allocations): the fractional mark worker gets a P only when sysmon
    /// preempts one, and assists do more of the marking
    #[arg(long)]
    never_blocks: bool,
    /// How many simulated seconds to run
    #[arg(long, value_name = "S", value_parser = number::<f64>, allow_negative_numbers = true)]
    seconds: f64,
    /// What to print
    #[arg(long, value_name = "WHAT", value_enum, default_value_t = PacerPrint::Gctrace)]
    print: PacerPrint,
}

/// A `--shape` value: one of the model's ways of reaching the heap, which
/// clap lists.
fn reach_parser() -> impl TypedValueParser<Value = Reach> {
    PossibleValuesParser::new(Reach::ALL.map(Reach::name))
        .map(|name| Reach::from_name(&name).expect("clap only passes a listed name"))
}

/// A `--gomaxprocs` value: at least 1.
fn procs(value: &str) -> Result<u32, String> {
    match number(value)? {
        0 => Err("GOMAXPROCS must be at least 1".into()),
        p => Ok(p),
    }
}

fn pacer(args: &PacerArgs) -> Result<String, String> {
    let mut w = Workload::steady(args.live_mb, args.alloc_mb_per_sec);
    w.shape = HeapShape::new(
        args.object_bytes.unwrap_or(w.shape.object_bytes),
        args.pointer_bytes.unwrap_or(w.shape.pointer_bytes),
        args.shape,
    )
    .map_err(|e| format!("the heap's shape: {e}"))?;
    w.gogc = args.gogc;
    w.gomemlimit = args.gomemlimit;
    if let Some(k) = args.stacks_kb {
        w.stacks = k << 10;
    }
    if let Some(k) = args.globals_kb {
        w.globals = k << 10;
    }
    if let Some(p) = args.gomaxprocs {
        w.gomaxprocs = p;
    }
    w.never_blocks = args.never_blocks;
    let (seconds, print) = (args.seconds, args.print);
    let p = simulate(w, seconds);
    match print {
        PacerPrint::Gctrace => Ok(p.records.iter().map(|r| r.trace.line() + "\n").collect()),
        PacerPrint::Summary => Ok(format!(
            "GCs: {}\nGCCPUFraction: {:.4}\npeak memory: {} MiB\n",
            p.numgc,
            p.gc_cpu_fraction(),
            p.peak_memory >> 20
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
        let args: Vec<String> = std::iter::once("gc")
            .chain(line.split_whitespace())
            .map(String::from)
            .collect();
        crate::run(&args)
    }

    #[test]
    fn pacer_prints_one_gctrace_line_per_cycle() {
        let out =
            run("pacer --live-mb 64 --alloc-mb-per-sec 256 --object-bytes 65536 --pointer-bytes 0 --seconds 2 --print gctrace").unwrap();
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
    fn the_heap_s_shape_is_checked_and_changes_the_cost() {
        let base =
            "pacer --live-mb 72 --alloc-mb-per-sec 1000 --gomaxprocs 2 --seconds 2 --print summary";
        let err = run(&format!("{base} --object-bytes 64 --pointer-bytes 72")).unwrap_err();
        assert!(err.contains("from 0 to the object's 64 bytes"), "{err}");
        let err = run(&format!("{base} --object-bytes 64 --pointer-bytes 12")).unwrap_err();
        assert!(err.contains("8-byte pointer words"), "{err}");
        let err = run(&format!("{base} --object-bytes 0")).unwrap_err();
        assert!(err.contains("from 1 to"), "{err}");
        let err = run(&format!("{base} --shape ring")).unwrap_err();
        assert!(err.contains("fanout") && err.contains("list"), "{err}");
        let err = run(&format!("{base} --shape list --pointer-bytes 0")).unwrap_err();
        assert!(err.contains("at least 8"), "{err}");
        let fraction = |out: String| -> f64 {
            out.lines()
                .find_map(|l| l.strip_prefix("GCCPUFraction: "))
                .and_then(|v| v.parse().ok())
                .unwrap()
        };
        let free =
            fraction(run(&format!("{base} --object-bytes 65536 --pointer-bytes 0")).unwrap());
        let list = fraction(
            run(&format!(
                "{base} --object-bytes 64 --pointer-bytes 8 --shape list"
            ))
            .unwrap(),
        );
        assert!(free * 3.0 < list, "pointer-free {free}, list {list}");
    }

    #[test]
    fn a_program_that_never_blocks_leaves_the_marking_to_assists() {
        // The program: 72 MiB of 64-byte objects behind a slice,
        // allocating flat out at GOMAXPROCS=2.
        let base = "pacer --live-mb 72 --alloc-mb-per-sec 1000 --gomaxprocs 2 --object-bytes 64 --pointer-bytes 8 --seconds 3 --print gctrace";
        // gctrace's `a+b/c/d+e ms cpu`: b is assists, c background.
        let split = |out: String| -> (f64, f64) {
            let line = out.lines().last().expect("cycles").to_owned();
            let cpu = line
                .split(" ms clock, ")
                .nth(1)
                .unwrap()
                .split(" ms cpu")
                .next()
                .unwrap()
                .to_owned();
            let parts: Vec<f64> = cpu.split(['+', '/']).map(|n| n.parse().unwrap()).collect();
            (parts[1], parts[2])
        };
        let (assist, background) = split(run(base).unwrap());
        let (assist_nb, background_nb) = split(run(&format!("{base} --never-blocks")).unwrap());
        assert!(
            background_nb < background,
            "background {background_nb} vs {background}"
        );
        assert!(assist_nb > assist, "assists {assist_nb} vs {assist}");
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
