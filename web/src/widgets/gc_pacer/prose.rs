//! The pacer's words: the workload's description, what one cycle's
//! numbers mean, the first gctrace line and the latency summary. Every
//! sentence is written from the workload in force (the preset with the
//! link's knobs applied) and from the run it gives, so no figure in the
//! text can contradict a knob. Plain strings, no markup.

use runtime_model::gc::cost::{HeapShape, MarkCost, Reach};
use runtime_model::gc::knobs::Gogc;
use runtime_model::gc::pacer::{
    simulate, CycleRecord, Pacer, PacerPreset, Workload, GC_BACKGROUND_UTILIZATION,
};

const MIB: u64 = 1 << 20;
const NS: f64 = 1e9;

/// `bytes` in whole MiB, cut down as gctrace cuts them: "81 MiB".
pub fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes / MIB)
}

/// A limit in Go's syntax: "512MiB", or bytes when not whole MiB; "off".
pub fn go_limit(limit: Option<u64>) -> String {
    match limit {
        None => "off".to_owned(),
        Some(b) if b % MIB == 0 => format!("{}MiB", b / MIB),
        Some(b) => b.to_string(),
    }
}

/// Seconds with one decimal where it matters: "20 s", "0.3 s".
pub fn secs(ns: u64) -> String {
    let s = ns as f64 / NS;
    if (s - s.round()).abs() < 0.05 {
        format!("{} s", s.round())
    } else {
        format!("{s:.1} s")
    }
}

/// Milliseconds with two significant digits: "67 ms", "0.12 ms".
pub fn ms(ns: u64) -> String {
    let m = ns as f64 / 1e6;
    if m >= 10.0 {
        format!("{m:.0} ms")
    } else if m >= 1.0 {
        format!("{m:.1} ms")
    } else {
        format!("{m:.2} ms")
    }
}

/// A share as a whole percentage: "6%"; below 1%, one decimal.
pub fn pct(share: f64) -> String {
    let p = share * 100.0;
    if p > 0.0 && p < 1.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// The settings as a program's environment would spell them.
fn knobs(w: &Workload) -> String {
    format!(
        "GOGC={}, GOMEMLIMIT={}, GOMAXPROCS={}",
        w.gogc,
        go_limit(w.gomemlimit),
        w.gomaxprocs
    )
}

/// The records after the first two cycles, which start from the program's
/// first heap rather than from a marked heap: the steady state.
fn settled(p: &Pacer) -> &[CycleRecord] {
    let r = &p.records;
    &r[r.len().min(2)..]
}

/// Where the heap saws in `records`: (lowest marked heap, highest heap
/// at the end of a mark).
fn saw(records: &[CycleRecord]) -> Option<(u64, u64)> {
    let lo = records.iter().map(|r| r.trace.heap[2]).min()?;
    let hi = records.iter().map(|r| r.trace.heap[1]).max()?;
    Some((lo, hi))
}

/// Whether the memory limit, not GOGC, set this cycle's goal.
fn limit_set_goal(r: &CycleRecord) -> bool {
    r.memory_limit_goal
        .is_some_and(|l| l == r.goal && r.gogc_goal.is_none_or(|g| l < g))
}

/// The live heap's shape in words: "in 1048576 objects of 64 bytes, the
/// first 8 of each holding pointers, linked one after another".
pub fn shape_words(live: u64, shape: &HeapShape) -> String {
    // As the model counts them: a fan-out heap's live bytes hold the
    // objects and the array of pointers they are found through.
    let slot = if shape.reach == Reach::Fanout { 8 } else { 0 };
    let objects = live / (shape.object_bytes + slot);
    let pointers = match shape.pointer_bytes {
        0 => "no pointers in them".to_owned(),
        p if p == shape.object_bytes => "all of each object pointers".to_owned(),
        p => format!("the first {p} bytes of each holding pointers"),
    };
    let reach = match shape.reach {
        Reach::Fanout => {
            "found through arrays of pointers (their 8-byte slots count in the live heap)"
        }
        Reach::Tree => "found from object to object, like a tree",
        Reach::List => "linked in one long chain",
    };
    format!(
        "in {objects} objects of {} bytes, {pointers}, {reach}",
        shape.object_bytes
    )
}

/// What the program does, with the knobs in force.
fn setup(preset: &PacerPreset) -> String {
    let w = &preset.workload;
    let mut s = String::new();
    if preset.name == "container" {
        s.push_str("A program in a container with 512 MiB of memory: ");
    }
    s.push_str(&format!(
        "{} live {}, allocating {} MiB/s",
        mib(w.live),
        shape_words(w.live, &w.shape),
        w.alloc_per_sec / MIB
    ));
    if w.leak_per_sec > 0 {
        s.push_str(&format!(
            ", of which {} MiB/s leaks (stays reachable for ever)",
            w.leak_per_sec / MIB
        ));
    } else if preset.name == "leak" {
        s.push_str(", of which nothing leaks (the leak is fixed)");
    }
    if let Some(spike) = w.spike {
        s.push_str(&format!(
            "; from {} to {} a burst of {} more stays live",
            secs(spike.at_ns),
            secs(spike.until_ns),
            mib(spike.extra)
        ));
    }
    s.push_str(&format!("; {}.", knobs(w)));
    if preset.name == "container" {
        if let Some(limit) = w.gomemlimit {
            s.push_str(&format!(
                " The limit is {} of the container's memory.",
                pct(limit as f64 / (512 * MIB) as f64)
            ));
        }
    }
    s
}

/// Which knob set the goals.
fn goals(preset: &PacerPreset, p: &Pacer) -> String {
    let w = &preset.workload;
    let n = p.records.len();
    if n == 0 {
        return if w.gogc == Gogc::Off && w.gomemlimit.is_none() {
            format!(
                "With GOGC=off and no GOMEMLIMIT there is no heap goal at all: no cycle runs, and the heap grows to {} in {}.",
                mib(p.heap_live),
                secs(p.now)
            )
        } else {
            format!(
                "The heap never reaches its first trigger, so no cycle runs in {}.",
                secs(p.now)
            )
        };
    }
    let by_limit = p.records.iter().filter(|r| limit_set_goal(r)).count();
    let last = p.records.last().expect("n > 0");
    match (by_limit, w.gogc) {
        (0, Gogc::Percent(g)) => format!(
            "GOGC sets every goal: the marked heap plus {g}% of it (and of the stacks and globals), at least the 4 MiB minimum{}.",
            match last.memory_limit_goal {
                Some(l) => format!("; the limit's goal, {}, stays above it", mib(l)),
                None => String::new(),
            }
        ),
        (k, _) if k == n => format!(
            "GOMEMLIMIT sets every goal: the limit less the runtime's other memory and 3% headroom, {}{}.",
            mib(last.goal),
            match last.gogc_goal {
                Some(g) => format!(", below GOGC's {}", mib(g)),
                None => " (GOGC=off sets none)".to_owned(),
            }
        ),
        (k, _) => format!("GOMEMLIMIT sets the goal in {k} of the {n} cycles, GOGC in the rest."),
    }
}

/// The heap's saw, in a sentence.
fn saw_sentence(p: &Pacer) -> Option<String> {
    let (lo, hi) = saw(settled(p))?;
    let mut s = format!(
        "After the first cycles the heap saws between about {}, what each cycle marks, and {}, where each mark ends.",
        mib(lo),
        mib(hi)
    );
    let last = p.records.last()?;
    let floating = last.floating_garbage(&p.workload);
    if floating >= MIB {
        s.push_str(&format!(
            " It marks more than the {} that are live because what the program allocates during a mark is allocated black: about {} a cycle of floating garbage, freed only by the next cycle.",
            mib(p.workload.live_at(last.end_ns)),
            mib(floating)
        ));
    }
    Some(s)
}

/// What this workload is there to show, measured on the run.
fn lesson(preset: &PacerPreset, p: &Pacer) -> Option<String> {
    let w = &preset.workload;
    let end = preset.seconds * 1_000_000_000;
    match preset.name {
        "spike" | "latency-spikes" => {
            let spike = w.spike?;
            let before = p.records.iter().rev().find(|r| r.start_ns < spike.at_ns)?;
            let during = p
                .records
                .iter()
                .filter(|r| (spike.at_ns..spike.until_ns).contains(&r.start_ns))
                .max_by_key(|r| r.goal)?;
            let after = p.records.last()?;
            let mut s = format!(
                "When the burst lands at {} the live heap jumps to {}. The goal follows one cycle late, from {} to {}, and is back at {} after the burst ends.",
                secs(spike.at_ns),
                mib(w.live_at(spike.at_ns)),
                mib(before.goal),
                mib(during.goal),
                mib(after.goal)
            );
            if preset.name == "latency-spikes" {
                s.push(' ');
                s.push_str(&assist_sentence(p, spike.at_ns, spike.until_ns));
            }
            Some(s)
        }
        "leak" => {
            if w.leak_per_sec == 0 {
                return saw_sentence(p)
                    .map(|s| format!("The live heap stays at {}. {s}", mib(w.live)));
            }
            let mut s = format!(
                "The live heap grows from {} to {} in {}, and the goal grows with it.",
                mib(w.live),
                mib(w.live_at(end)),
                secs(end)
            );
            let limited = p.records.iter().filter(|r| r.limiter_on).count();
            let first = p.records.iter().find(|r| r.limiter_on);
            match (w.gomemlimit, first) {
                (Some(_), Some(first)) => s.push_str(&format!(
                    " Near GOMEMLIMIT, from about {}, GC runs back to back; the CPU limiter is on during {limited} of the {} cycles and holds GC to about {} of the CPU, so the program still runs.",
                    secs(first.start_ns),
                    p.records.len(),
                    pct(late_gc_share(p, w))
                )),
                (Some(l), None) => s.push_str(&format!(
                    " It does not come near GOMEMLIMIT={} within the run.",
                    go_limit(Some(l))
                )),
                (None, _) => s.push_str(" With no GOMEMLIMIT nothing caps it."),
            }
            Some(s)
        }
        "gogc-off-with-limit" if w.gogc == Gogc::Off && p.records.len() > 1 => {
            let r = settled(p);
            let (first, last) = (r.first()?, r.last()?);
            let every = (last.start_ns - first.start_ns) / (r.len() as u64 - 1).max(1);
            Some(format!(
                "No cycle runs until the heap nears the limit's goal of {}; then one runs each time it gets back there, about every {} ({} cycles).",
                mib(last.goal),
                secs(every),
                p.records.len()
            ))
        }
        _ => saw_sentence(p),
    }
}

/// GC's share of the CPU over the last tenth of the run.
fn late_gc_share(p: &Pacer, w: &Workload) -> f64 {
    let from = p.now - p.now / 10;
    let late: Vec<&CycleRecord> = p.records.iter().filter(|r| r.start_ns >= from).collect();
    let (Some(first), Some(last)) = (late.first(), late.last()) else {
        return 0.0;
    };
    let gc: u64 = late
        .iter()
        .map(|r| r.trace.cpu_ns.iter().sum::<u64>())
        .sum();
    let wall = (last.end_ns - first.start_ns).max(1) * u64::from(w.gomaxprocs);
    gc as f64 / wall as f64
}

/// The assists outside and inside the window `at..until`.
fn assist_sentence(p: &Pacer, at: u64, until: u64) -> String {
    let (inside, outside): (Vec<&CycleRecord>, Vec<&CycleRecord>) = settled(p)
        .iter()
        .partition(|r| (at..until).contains(&r.start_ns));
    let typical = median(outside.iter().map(|r| r.assist_fraction));
    let worst = inside
        .iter()
        .copied()
        .max_by(|a, b| a.assist_fraction.total_cmp(&b.assist_fraction));
    let mut s = if typical > 0.005 {
        format!(
            "Outside the burst the allocating goroutines spend about {} of each mark in assists, because marking at 25% of the CPU would not finish before the heap reached its goal.",
            pct(typical)
        )
    } else {
        "Outside the burst the background workers finish marking in time and there are almost no assists.".to_owned()
    };
    if let Some(r) = worst {
        let start = if r.trace.heap[0] + MIB > r.goal {
            format!(
                "the heap has already reached its goal of {} when the cycle starts",
                mib(r.goal)
            )
        } else {
            format!(
                "the cycle starts at {}, only {} short of its goal",
                mib(r.trace.heap[0]),
                mib(r.goal - r.trace.heap[0])
            )
        };
        s.push_str(&format!(
            " In gc {} {start}: assists take {} of the allocating goroutines' time for the {} mark ({} of CPU).",
            r.trace.numgc,
            pct(r.assist_fraction),
            ms(r.mark_ns()),
            ms(r.assist_cpu_ns())
        ));
    }
    s
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The workload's description: what the program does, which knob sets
/// the goal, and what the run shows.
pub fn describe(preset: &PacerPreset, p: &Pacer) -> String {
    let mut parts = vec![setup(preset), goals(preset, p)];
    parts.extend(lesson(preset, p));
    parts.join(" ")
}

/// The cycle the chart's words explain: the first that starts in the
/// window, after the two that start from the program's first heap when
/// there are more.
pub fn cycle_to_explain(p: &Pacer, (from, to): (u64, u64)) -> Option<&CycleRecord> {
    let skip = if p.records.len() > 2 { 2 } else { 0 };
    p.records[skip..]
        .iter()
        .find(|r| r.start_ns >= from && r.start_ns <= to)
        .or_else(|| p.records.last())
}

/// One cycle's gctrace numbers, each said in words: where the cycle
/// started, what the program allocated while it marked, what it marked
/// and why that is more than the live heap (floating garbage), and the
/// goal that follows. The MiB are the line's own, so the sums add up.
pub fn cycle_story(p: &Pacer, r: &CycleRecord) -> String {
    let w = &p.workload;
    let [h0, h1, h2] = r.trace.heap.map(|b| b / MIB);
    let live = w.live_at(r.end_ns).min(r.trace.heap[2]) / MIB;
    let mut s = format!(
        "gc {} ({}->{}->{} MB, {} MB goal): it starts when the heap reaches {} MiB ",
        r.trace.numgc,
        h0,
        h1,
        h2,
        r.goal / MIB,
        h0
    );
    s.push_str(if r.periodic {
        "(the 2-minute forced GC, not the trigger). "
    } else if r.trace.heap[0] >= r.goal {
        "(its trigger, already at or past its goal: the allocating goroutines must assist from the start). "
    } else {
        "(the trigger, set below the goal so marking can finish in time). "
    });
    s.push_str(&format!(
        "While it marks for {}, the program allocates {} MiB more, so the mark ends at {} MiB. ",
        ms(r.mark_ns()),
        h1 - h0,
        h1
    ));
    if h2 > live {
        s.push_str(&format!(
            "It marks {h2} MiB, more than the {live} MiB that are live: the {} MiB allocated during the mark were allocated black, and survive this cycle as floating garbage (hatched in the chart) until the next cycle frees them.",
            h2 - live
        ));
    } else {
        s.push_str(&format!(
            "It marks {h2} MiB, the live heap: nothing allocated during the mark is left over."
        ));
    }
    let next = p
        .records
        .iter()
        .find(|n| n.trace.numgc == r.trace.numgc + 1)
        .map_or_else(|| p.heap_goal(), |n| n.goal);
    match w.gogc {
        Gogc::Percent(g) if !limit_set_goal_after(p, r) => s.push_str(&format!(
            " GOGC={g} then sets the next goal to the marked {h2} MiB plus {g}% of it (and of the stacks and globals): {} MiB.",
            next / MIB
        )),
        _ => s.push_str(&format!(
            " GOMEMLIMIT={} then sets the next goal: {} MiB.",
            go_limit(w.gomemlimit),
            next / MIB
        )),
    }
    s
}

/// Whether the goal after `r` came from the memory limit.
fn limit_set_goal_after(p: &Pacer, r: &CycleRecord) -> bool {
    match p
        .records
        .iter()
        .find(|n| n.trace.numgc == r.trace.numgc + 1)
    {
        Some(n) => limit_set_goal(n),
        None => p
            .memory_limit_heap_goal()
            .is_some_and(|l| p.gc_percent_heap_goal().is_none_or(|g| l < g)),
    }
}

/// The first gctrace line explained: its time and its percentage are
/// both since the program started.
pub fn first_line_story(p: &Pacer) -> Option<String> {
    let first = p.records.first()?;
    let line = first.trace.line();
    let head = line.split(':').next().unwrap_or_default();
    let share = (first.trace.gc_cpu_fraction * 100.0) as i64;
    let mut s = format!(
        "Reading the first line, \"{head}\": @{} is when the cycle started, counted from the program's start, and {share}% is GC's share of all the CPU time since the program started, not this cycle's share.",
        head.split('@').nth(1).and_then(|t| t.split(' ').next()).unwrap_or_default()
    );
    if first.start_ns == 0 && p.heap_minimum != u64::MAX {
        s.push_str(&format!(
            " The cycle starts at once because the model's program begins with its {} already live, past the {} minimum heap that triggers the first cycle (heapMinimum in mgcpacer.go); a real program builds its heap first. The line's {} MB goal is that heap plus the 64 KiB of runway heapGoalInternal always leaves (minRunway).",
            mib(p.workload.live),
            mib(p.heap_minimum),
            first.goal / MIB
        ));
    }
    s.push_str(&format!(
        " By the time it ends, {} into the run, it has been {} of the run so far.",
        ms(first.end_ns),
        if share >= 50 { "most" } else { "a part" }
    ));
    if let Some(last) = p.records.last().filter(|l| l.trace.numgc > 1) {
        s.push_str(&format!(
            " The share falls as the run goes on: gc {} says {}%.",
            last.trace.numgc,
            (last.trace.gc_cpu_fraction * 100.0) as i64
        ));
    }
    Some(s)
}

/// What the chart's window shows, for its live region: "Showing 28.1 s
/// to 31.9 s of 60 s: gc 88 to gc 99 (12 of 189 cycles)."
pub fn window_text(p: &Pacer, seconds: u64, window: (u64, u64), cycles: &[CycleRecord]) -> String {
    let whole = window == (0, seconds * 1_000_000_000);
    let shown = if whole {
        format!("Showing the whole {seconds} s run")
    } else {
        format!(
            "Showing {} to {} of {seconds} s",
            precise_secs(window.0),
            precise_secs(window.1)
        )
    };
    match (cycles.first(), cycles.last()) {
        (Some(a), Some(b)) if a.trace.numgc != b.trace.numgc => format!(
            "{shown}: gc {} to gc {} ({} of {} cycles).",
            a.trace.numgc,
            b.trace.numgc,
            cycles.len(),
            p.records.len()
        ),
        (Some(a), _) => format!(
            "{shown}: gc {} only, of {} cycles.",
            a.trace.numgc,
            p.records.len()
        ),
        _ => format!("{shown}: no cycle runs in this window."),
    }
}

/// Seconds with as many decimals as a zoomed window needs: "28.13 s".
fn precise_secs(ns: u64) -> String {
    let s = ns as f64 / NS;
    let text = format!("{s:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} s")
}

/// Whether a cycle's assists are worth a word: at least 1% of the
/// allocating goroutines' time during its mark.
fn assists(r: &CycleRecord) -> bool {
    r.assist_fraction >= 0.01
}

/// What the latency chart shows, in numbers: the pauses, the assists and
/// their worst cycle, and the limiter's effect on them.
pub fn latency_story(p: &Pacer) -> String {
    let Some(first) = p.records.first() else {
        return "No cycle runs, so there are no pauses and no assists.".to_owned();
    };
    let [sweep_term, _, mark_term] = first.trace.clock_ns;
    let mut s = format!(
        "Each cycle stops the world twice, for {} (sweep termination) and {} (mark termination): {} a cycle, {} over the run's {} cycles.",
        ms(sweep_term),
        ms(mark_term),
        ms(first.stw_ns()),
        ms(p.records.iter().map(CycleRecord::stw_ns).sum()),
        p.records.len()
    );
    let assisted: Vec<&CycleRecord> = p.records.iter().filter(|r| assists(r)).collect();
    let total: u64 = p.records.iter().map(CycleRecord::assist_cpu_ns).sum();
    let by_share =
        |a: &&CycleRecord, b: &&CycleRecord| a.assist_fraction.total_cmp(&b.assist_fraction);
    // The worst settled cycle; the first only when no other assists.
    let worst = settled(p)
        .iter()
        .filter(|r| assists(r))
        .max_by(by_share)
        .or_else(|| p.records.first().filter(|r| assists(r)));
    match worst {
        Some(r) => s.push_str(&format!(
            " Mark assists take at least 1% of the allocating goroutines' time in {} of the {} cycles, {} of CPU in all. The worst is gc {}{}: for its {} mark the allocating goroutines spend {} of their time marking instead of running ({} of CPU).",
            assisted.len(),
            p.records.len(),
            ms(total),
            r.trace.numgc,
            if r.trace.numgc == 1 {
                ", which starts with the whole heap past its goal"
            } else {
                ""
            },
            ms(r.mark_ns()),
            pct(r.assist_fraction),
            ms(r.assist_cpu_ns())
        )),
        None => s.push_str(" No cycle needs mark assists worth speaking of (1% of the allocating goroutines' time): the background workers finish every mark before the heap reaches its goal."),
    }
    let limited: Vec<&CycleRecord> = p.records.iter().filter(|r| r.limiter_on).collect();
    if let Some(l) = limited.first() {
        s.push_str(&format!(
            " The CPU limiter is on during {} of the cycles, from gc {}: those skip assists (gcAssistAlloc asks gcCPULimiter.limiting()), so the heap passes its goal instead.",
            limited.len(),
            l.trace.numgc
        ));
    }
    s
}

/// What the model leaves out of latency, said under the latency chart.
pub fn latency_simplified() -> String {
    format!(
        "How the model simplifies latency: it computes one assist share per cycle, the part of the allocating goroutines' \
         CPU that marking needs to end when the heap reaches its goal (from the scan work remaining and the heap remaining, \
         as revise does for assistWorkPerByte), and spreads it evenly over the mark. In Go each goroutine pays for its own \
         allocation against its gcAssistBytes credit, in bursts, so one goroutine can stall longer than this average. \
         The pauses (sweep termination {} plus {:.0} ns per span of small objects left to sweep, mark termination {}) \
         and what marking costs per object and pointer were measured once, on two shared cores, so every time and GC \
         CPU figure here is an estimate: your machine's will differ. GC CPU counts the background workers at {} of \
         GOMAXPROCS while they mark (whole dedicated workers alone when they come within 30% of that, as startCycle \
         picks them), with no idle workers, and nothing for the wait at the end of a mark that has run out of work. \
         It takes the goroutines to block often (on I/O, channels, locks), so that a fractional worker gets its share; \
         in a program that never blocks, that worker gets a P only when sysmon preempts a goroutine, every 10 to 20 ms, \
         and assists do more of the marking (the command-line tool's --never-blocks models that).",
        ms(MarkCost::MEASURED.sweep_term_ns as u64),
        MarkCost::MEASURED.sweep_term_per_span_ns,
        ms(MarkCost::MEASURED.mark_term_ns as u64),
        pct(GC_BACKGROUND_UTILIZATION)
    )
}

/// For the latency workload: the same program under other settings, run
/// now, so the words can say what GOGC and GOMEMLIMIT do to the assists.
pub fn latency_what_if(preset: &PacerPreset) -> Option<String> {
    if preset.name != "latency-spikes" {
        return None;
    }
    let w = &preset.workload;
    let assists = |w: Workload| {
        let p = simulate(w, preset.seconds as f64);
        let cycles = settled(&p).iter().filter(|r| assists(r)).count();
        let cpu: u64 = settled(&p).iter().map(CycleRecord::assist_cpu_ns).sum();
        (cycles, settled(&p).len(), cpu)
    };
    let here = assists(w.clone());
    let mut alternatives = Vec::new();
    if let Gogc::Percent(g) = w.gogc {
        for other in [g * 2, (g / 2).max(1)] {
            alternatives.push((
                format!("GOGC={other}"),
                Workload {
                    gogc: Gogc::Percent(other),
                    ..w.clone()
                },
            ));
        }
    }
    let limit = (w.live_at(0) * 3).next_multiple_of(32 * MIB);
    if w.gomemlimit != Some(limit) {
        alternatives.push((
            format!("GOMEMLIMIT={}", go_limit(Some(limit))),
            Workload {
                gomemlimit: Some(limit),
                ..w.clone()
            },
        ));
    }
    let said: Vec<String> = alternatives
        .into_iter()
        .map(|(name, alt)| {
            let (c, n, cpu) = assists(alt);
            let than = if cpu * 10 < here.2 * 9 {
                "less than here"
            } else if cpu * 10 > here.2 * 11 {
                "more than here"
            } else {
                "about the same"
            };
            format!(
                "with {name}, {c} of {n} cycles have assists ({} of CPU, {than})",
                ms(cpu)
            )
        })
        .collect();
    Some(format!(
        "After the first two cycles, {} of {} cycles have assists here ({} of CPU); the same program {}. The room between the trigger and the goal is the runway marking has: GOGC widens or narrows it, a GOMEMLIMIT near the heap narrows it, and what the background workers cannot mark in it, assists must.",
        here.0,
        here.1,
        ms(here.2),
        said.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::decode;
    use crate::kit::query::Choices;
    use crate::widgets::gc_pacer::state::{Params, Workloads};
    use runtime_model::gc::pacer::simulate;

    /// The description of `query`'s workload, with the workload in force.
    fn text(query: &str) -> (PacerPreset, Pacer, String) {
        let d = decode::<Params>(query);
        assert!(d.notices.is_empty(), "{query}: {:?}", d.notices);
        let preset = d.params.preset();
        let p = simulate(preset.workload.clone(), preset.seconds as f64);
        let t = describe(&preset, &p);
        (preset, p, t)
    }

    /// The number right after `key` in `text`, every time it occurs.
    fn after<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
        text.match_indices(key)
            .map(|(i, _)| {
                let rest = &text[i + key.len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                    .unwrap_or(rest.len());
                rest[..end].trim_end_matches('.')
            })
            .collect()
    }

    /// The number right before `key` in `text`, every time it occurs.
    fn before<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
        text.match_indices(key)
            .map(|(i, _)| {
                let head = &text[..i];
                let start = head
                    .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .map_or(0, |j| j + 1);
                &head[start..]
            })
            .collect()
    }

    /// Fails on any figure in `t` that the workload `w` contradicts.
    fn check(query: &str, w: &Workload, t: &str) {
        let says = |what: &str, got: Vec<&str>, want: String| {
            for g in got {
                assert_eq!(g, want, "{query}: {what} in {t:?}");
            }
        };
        says("GOGC", after(t, "GOGC="), w.gogc.to_string());
        says(
            "GOMEMLIMIT",
            after(t, "GOMEMLIMIT="),
            go_limit(w.gomemlimit),
        );
        says(
            "GOMAXPROCS",
            after(t, "GOMAXPROCS="),
            w.gomaxprocs.to_string(),
        );
        says("live", before(t, " MiB live"), (w.live / MIB).to_string());
        says(
            "rate",
            after(t, "allocating ")
                .into_iter()
                .filter(|g| g.starts_with(|c: char| c.is_ascii_digit()))
                .collect(),
            (w.alloc_per_sec / MIB).to_string(),
        );
        says(
            "leak",
            before(t, " MiB/s leaks"),
            (w.leak_per_sec / MIB).to_string(),
        );
        if let Gogc::Percent(g) = w.gogc {
            says("GOGC's percent", before(t, "% of it (and"), g.to_string());
        }
        if w.gogc == Gogc::Off {
            assert!(!t.contains("GOGC sets"), "{query}: {t}");
        }
        if w.gomemlimit.is_none() {
            assert!(!t.contains("GOMEMLIMIT sets"), "{query}: {t}");
            assert!(!t.contains("CPU limiter"), "{query}: {t}");
        }
        // Placeholders.
        assert!(
            !t.split(|c: char| !c.is_alphanumeric())
                .any(|word| word == "N"),
            "{query}: a bare N in {t}"
        );
    }

    /// Every workload, under its own knobs and under others: no sentence
    /// contradicts the settings in force.
    #[test]
    fn every_description_follows_the_knobs_in_force() {
        let variants = [
            "",
            "gogc=50",
            "gogc=off",
            "gogc=off&gomemlimit=512MiB",
            "gogc=200&gomemlimit=128MiB",
            "gomemlimit=off",
            "leak=0",
            "leak=8",
            "rate=64",
            "rate=0",
            "gomaxprocs=8",
        ];
        for name in Workloads::names() {
            for v in variants {
                let query = format!("workload={name}&{v}");
                let (preset, p, t) = text(query.trim_end_matches('&'));
                check(&query, &preset.workload, &t);
                // The old fixed wording ("twice the live heap").
                assert!(!t.contains("twice"), "{query}: {t}");
                // The other words under the chart, too (the what-if names
                // other settings on purpose).
                let window = (0, preset.seconds * 1_000_000_000);
                let more = [
                    cycle_to_explain(&p, window).map(|r| cycle_story(&p, r)),
                    first_line_story(&p),
                    Some(latency_story(&p)),
                ];
                for m in more.into_iter().flatten() {
                    check(&query, &preset.workload, &m);
                }
            }
        }
    }

    /// The two examples.
    #[test]
    fn a_fixed_leak_and_gogc_off_are_described_as_they_are() {
        let (_, _, t) = text("workload=leak&leak=0");
        assert!(t.contains("nothing leaks"), "{t}");
        assert!(t.contains("The live heap stays at 64 MiB"), "{t}");
        assert!(!t.contains("4 MiB/s"), "{t}");
        let (_, p, t) = text("gogc=off&gomemlimit=512MiB");
        assert!(t.contains("GOGC=off, GOMEMLIMIT=512MiB"), "{t}");
        assert!(t.contains("GOMEMLIMIT sets every goal"), "{t}");
        let goal = mib(p.records.last().unwrap().goal);
        assert!(t.contains(&goal), "{goal} in {t}");
    }

    /// The check itself fails on the old fixed texts.
    #[test]
    #[should_panic(expected = "leak")]
    fn the_check_catches_a_leak_the_knobs_removed() {
        let w = decode::<Params>("workload=leak&leak=0")
            .params
            .preset()
            .workload;
        check(
            "leak=0",
            &w,
            "4 MiB/s leaks until the live heap meets GOMEMLIMIT=512MiB.",
        );
    }

    #[test]
    #[should_panic(expected = "GOGC")]
    fn the_check_catches_a_gogc_the_knobs_changed() {
        let w = decode::<Params>("gogc=off&gomemlimit=512MiB")
            .params
            .preset()
            .workload;
        check(
            "gogc=off",
            &w,
            "64 MiB live, 256 MiB/s of garbage, GOGC=100: the heap saws.",
        );
    }

    /// Steady's saw, in numbers the run gives (issue 11: "between the live
    /// heap and twice it" was 81 and 162 MiB).
    #[test]
    fn steady_says_where_its_heap_really_saws() {
        let (_, p, t) = text("");
        let (lo, hi) = saw(settled(&p)).unwrap();
        assert_eq!(
            (mib(lo), mib(hi)),
            ("69 MiB".to_owned(), "140 MiB".to_owned())
        );
        assert!(
            t.contains("saws between about 69 MiB, what each cycle marks, and 140 MiB"),
            "{t}"
        );
        assert_eq!(Workloads::DEFAULT, "steady");
    }

    /// The whole numbers in `text`, in order.
    fn numbers(text: &str) -> Vec<u64> {
        text.split(|c: char| !c.is_ascii_digit())
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect()
    }

    /// gc 3 of steady: the sentence's sums add up to the gctrace line's
    /// numbers, and the floating garbage is what lifts the marked heap
    /// above the 64 MiB live.
    #[test]
    fn a_cycle_says_why_it_marked_more_than_the_live_heap() {
        let (_, p, _) = text("");
        let r = cycle_to_explain(&p, (0, 60_000_000_000)).unwrap();
        assert_eq!(r.trace.numgc, 3);
        let t = cycle_story(&p, r);
        assert!(t.starts_with("gc 3 (119->125->69 MB, 140 MB goal)"), "{t}");
        assert!(
            t.contains("the program allocates 6 MiB more, so the mark ends at 125 MiB"),
            "{t}"
        );
        assert!(t.contains("It marks 69 MiB, more than the 64 MiB that are live: the 5 MiB allocated during the mark were allocated black"), "{t}");
        assert!(t.contains("floating garbage"), "{t}");
        assert!(
            t.contains("GOGC=100 then sets the next goal to the marked 69 MiB plus 100% of it"),
            "{t}"
        );
        assert!(t.ends_with(": 140 MiB."), "{t}");
        // Every cycle of every workload: start + allocated = end, live +
        // floating = marked, in the line's own MiB.
        for name in Workloads::names() {
            let (_, p, _) = text(&format!("workload={name}"));
            for r in &p.records {
                let t = cycle_story(&p, r);
                let n = numbers(&t);
                let [h0, h1, h2] = r.trace.heap.map(|b| b >> 20);
                assert_eq!(&n[..4], [u64::from(r.trace.numgc), h0, h1, h2], "{t}");
                let more = t.split("allocates ").nth(1).map(numbers).unwrap()[0];
                assert_eq!(h0 + more, h1, "{t}");
                if let Some(rest) = t.split("more than the ").nth(1) {
                    let m = numbers(rest);
                    assert_eq!(m[0] + m[1], h2, "{t}");
                }
            }
        }
        // A cycle that starts at its goal is not said to trigger below it.
        let (_, p, _) = text("gogc=off&gomemlimit=512MiB");
        let at_goal = p
            .records
            .iter()
            .find(|r| r.trace.heap[0] >= r.goal)
            .expect("a cycle of GOGC=off starts at its goal");
        let t = cycle_story(&p, at_goal);
        assert!(t.contains("already at or past its goal"), "{t}");
        assert!(!t.contains("set below the goal"), "{t}");
        // Zoomed, the words follow the first cycle in view.
        let (_, p, _) = text("");
        let r = cycle_to_explain(&p, (p.records[9].start_ns, p.records[12].end_ns)).unwrap();
        assert_eq!(r.trace.numgc, 10);
    }

    /// "gc 1 @0.000s 97%": the percentage is since the program started.
    #[test]
    fn the_first_gctrace_line_is_explained_with_its_own_numbers() {
        let (_, p, _) = text("");
        let first = p.records[0].trace.line();
        assert!(first.starts_with("gc 1 @0.000s 97%:"), "{first}");
        let t = first_line_story(&p).unwrap();
        assert!(t.contains("\"gc 1 @0.000s 97%\""), "{t}");
        assert!(t.contains("97% is GC's share of all the CPU time since the program started, not this cycle's share"), "{t}");
        assert!(t.contains("past the 4 MiB minimum heap"), "{t}");
        assert!(t.contains("The line's 64 MB goal"), "{t}");
        let last = p.records.last().unwrap();
        let pct = last
            .trace
            .line()
            .split('%')
            .next()
            .unwrap()
            .rsplit(' ')
            .next()
            .unwrap()
            .to_owned();
        assert!(
            t.ends_with(&format!("gc {} says {pct}%.", last.trace.numgc)),
            "{t}"
        );
    }

    #[test]
    fn the_window_is_said_in_words() {
        let (_, p, _) = text("");
        let all = (0, 60_000_000_000);
        assert_eq!(
            window_text(
                &p,
                60,
                all,
                crate::widgets::gc_pacer::draw::cycles_in(&p, all)
            ),
            "Showing the whole 60 s run: gc 1 to gc 213 (213 of 213 cycles)."
        );
        let w = (28_125_000_000, 31_875_000_000);
        let t = window_text(&p, 60, w, crate::widgets::gc_pacer::draw::cycles_in(&p, w));
        assert!(
            t.starts_with("Showing 28.125 s to 31.875 s of 60 s: gc "),
            "{t}"
        );
    }

    /// The latency words use the run's own figures: the pauses are the
    /// gctrace line's clock figures, and the worst assist is the
    /// record's.
    #[test]
    fn the_latency_words_give_the_runs_pauses_and_worst_assist() {
        let (_, p, t) = text("workload=latency-spikes");
        let l = latency_story(&p);
        // The sweep pause grows with the 8192 spans of 64-byte objects.
        assert!(l.starts_with("Each cycle stops the world twice, for 2.2 ms (sweep termination) and 0.05 ms (mark termination): 2.2 ms a cycle"), "{l}");
        let line = p.records[0].trace.line();
        assert!(line.contains("2.1+"), "{line}");
        assert!(line.contains("+0.050 ms clock"), "{line}");
        let worst = settled(&p)
            .iter()
            .max_by(|a, b| a.assist_fraction.total_cmp(&b.assist_fraction))
            .unwrap();
        assert!(
            (10_000_000_000..12_000_000_000).contains(&worst.start_ns),
            "the burst's cycle"
        );
        assert!(
            l.contains(&format!(
                "The worst is gc {}: for its {} mark",
                worst.trace.numgc,
                ms(worst.mark_ns())
            )),
            "{l}"
        );
        assert!(
            l.contains(&format!("{} of CPU).", ms(worst.assist_cpu_ns()))),
            "{l}"
        );
        // The description names the same cycle.
        assert!(t.contains(&format!("In gc {} ", worst.trace.numgc)), "{t}");
        // What GOGC does to them, measured.
        let preset = decode::<Params>("workload=latency-spikes").params.preset();
        let w = latency_what_if(&preset).unwrap();
        assert!(
            w.contains("with GOGC=200, 1 of 209 cycles have assists"),
            "{w}"
        );
        assert!(
            w.contains("with GOGC=50, ") && w.contains("more than here"),
            "{w}"
        );
        assert!(latency_what_if(&decode::<Params>("").params.preset()).is_none());
        // Steady has no assists worth a word, and the limiter is named when on.
        let (_, p, _) = text("");
        assert!(latency_story(&p).contains("gc 1, which starts with the whole heap past its goal"));
        let (_, p, _) = text("workload=leak");
        let l = latency_story(&p);
        let on = p.records.iter().filter(|r| r.limiter_on).count();
        assert!(
            l.contains(&format!("The CPU limiter is on during {on} of the cycles")),
            "{l}"
        );
    }
}
