//! The pacer's chart: the heap over a window of the run, as SVG.

use runtime_model::gc::pacer::{CycleRecord, Pacer};
use yew::prelude::*;

use super::prose::ms;
use super::view::{mib, MIB};

const W: f64 = 720.0;
const H: f64 = 260.0;
const PAD: f64 = 44.0;
/// Cycles in view up to which each cycle's mark is shaded and named.
pub const NAMED_CYCLES: usize = 12;

/// Maps a window of the run onto the chart's width.
#[derive(Clone, Copy)]
struct Frame {
    from: f64,
    to: f64,
}

impl Frame {
    fn x(&self, t: f64) -> f64 {
        px(PAD + (t - self.from) / (self.to - self.from) * (W - PAD - 8.0))
    }
}

/// A coordinate to a tenth of a unit: finer than the screen shows, and it
/// keeps the drawing's markup (written into the static page too) short.
fn px(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A round step near `raw`: 1, 2 or 5 times a power of ten.
fn nice_step(raw: f64) -> f64 {
    let power = 10f64.powf(raw.max(1e-9).log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power)
}

/// The cycles any part of which falls in the window `from..to` (ns).
pub fn cycles_in(pacer: &Pacer, (from, to): (u64, u64)) -> &[CycleRecord] {
    let r = &pacer.records;
    let first = r.partition_point(|c| c.end_ns < from);
    let last = r.partition_point(|c| c.start_ns <= to);
    &r[first..last.max(first)]
}

/// A time on an axis whose window is `span` ns wide: "12 s", "2.4 s",
/// "2.45 s".
fn tick_label(t: f64, span: f64) -> String {
    let s = t / 1e9;
    if span >= 10e9 {
        format!("{s:.0} s")
    } else if span >= 1e9 {
        format!("{s:.1} s")
    } else {
        format!("{s:.2} s")
    }
}

/// The x axis: five times across the window.
fn time_axis(f: Frame, y0: f64) -> Html {
    let span = f.to - f.from;
    html! {
        <g class="xaxis">
            { for (0..=4).map(|i| {
                let t = f.from + span * f64::from(i) / 4.0;
                let anchor = match i { 0 => "start", 4 => "end", _ => "middle" };
                html! {
                    <text x={f.x(t).to_string()} y={y0.to_string()} class="xlabel" text-anchor={anchor}>{ tick_label(t, span) }</text>
                }
            }) }
        </g>
    }
}

/// The heap over the window `from..to` (ns) of a `seconds`-long run: heap
/// in use (solid), goal (dashed steps), live heap (dotted), GOMEMLIMIT
/// (long dashes), and each cycle's floating garbage (hatched: what it
/// marked above the live heap, until the next cycle frees it). With at
/// most [`NAMED_CYCLES`] cycles in view, each mark is shaded and named.
pub fn chart(pacer: &Pacer, seconds: u64, window: (u64, u64)) -> Html {
    let run = seconds as f64 * 1e9;
    let f = Frame {
        from: window.0 as f64,
        to: window.1 as f64,
    };
    let records = &pacer.records;
    let w = &pacer.workload;
    let top = records
        .iter()
        .map(|r| r.trace.heap[1].max(r.goal.min(r.trace.heap[1] * 4)))
        .chain(w.gomemlimit)
        .chain(std::iter::once(pacer.peak_memory))
        .max()
        .unwrap_or(1) as f64
        * 1.1;
    let x = |t: f64| f.x(t);
    let y = |b: f64| px(H - 24.0 - (b / top).min(1.05) * (H - 36.0));
    let mut heap = String::new();
    let mut goal = String::new();
    let mut prev_end = 0.0;
    let mut prev_marked = w.live as f64;
    for r in records {
        let (s, e) = (r.start_ns as f64, r.end_ns as f64);
        heap.push_str(&format!(
            "{},{} {},{} {},{} {},{} ",
            x(prev_end),
            y(prev_marked),
            x(s),
            y(r.trace.heap[0] as f64),
            x(e),
            y(r.trace.heap[1] as f64),
            x(e),
            y(r.trace.heap[2] as f64)
        ));
        goal.push_str(&format!(
            "{},{} {},{} ",
            x(prev_end),
            y(r.goal as f64),
            x(e),
            y(r.goal as f64)
        ));
        prev_end = e;
        prev_marked = r.trace.heap[2] as f64;
    }
    // The heap after the last cycle, to the end of the run.
    heap.push_str(&format!("{},{} ", x(prev_end), y(prev_marked)));
    heap.push_str(&format!("{},{}", x(run), y(pacer.heap_live as f64)));
    // Floating garbage: from a cycle's end to the next one's, what it
    // marked above the live heap.
    let floating: Vec<String> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.floating_garbage(w) > 0)
        .map(|(i, r)| {
            let (a, b) = (r.end_ns, records.get(i + 1).map_or(pacer.now, |n| n.end_ns));
            let marked = r.trace.heap[2];
            let live = |t: u64| y(w.live_at(t).min(marked) as f64);
            format!(
                "{},{} {},{} {},{} {},{}",
                x(a as f64),
                y(marked as f64),
                x(b as f64),
                y(marked as f64),
                x(b as f64),
                live(b),
                x(a as f64),
                live(a)
            )
        })
        .collect();
    // The live heap, with a point at each edge of a spike.
    let mut times: Vec<f64> = (0..=60)
        .map(|i| f.from + (f.to - f.from) * f64::from(i) / 60.0)
        .collect();
    if let Some(s) = w.spike {
        for edge in [s.at_ns, s.until_ns] {
            times.extend([edge as f64 - 1.0, edge as f64]);
        }
    }
    times.sort_by(f64::total_cmp);
    let live: String = times
        .iter()
        .map(|&t| format!("{},{} ", x(t), y(w.live_at(t.max(0.0) as u64) as f64)))
        .collect();
    let in_view = cycles_in(pacer, window);
    let named = in_view.len() <= NAMED_CYCLES;
    let step = nice_step(top / 1.1 / 5.0 / MIB) * MIB;
    let label = format!(
        "Heap from {} to {} of a {seconds} s run: {} of {} cycles in view, peak {}",
        tick_label(f.from, f.to - f.from),
        tick_label(f.to, f.to - f.from),
        in_view.len(),
        pacer.numgc,
        mib(pacer.peak_memory)
    );
    html! {
        <svg class="pacer-chart" viewBox={format!("0 0 {W} {H}")} role="img" aria-label={label}>
            <defs>
                <pattern id="pacer-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <line class="hatch" x1="0" y1="0" x2="0" y2="6" />
                </pattern>
                <clipPath id="pacer-plot">
                    <rect x={PAD.to_string()} y="0" width={(W - PAD - 8.0).to_string()} height={(H - 24.0).to_string()} />
                </clipPath>
            </defs>
            { for (0..).map(|i| f64::from(i) * step).take_while(|b| *b <= top / 1.05).map(|b| {
                html! {
                    <g class="tick">
                        <line x1={PAD.to_string()} x2={(W - 8.0).to_string()} y1={y(b).to_string()} y2={y(b).to_string()} />
                        <text x={(PAD - 4.0).to_string()} y={(y(b) + 4.0).to_string()} class="ylabel">{ format!("{:.0}", b / MIB) }</text>
                    </g>
                }
            }) }
            <text x="4" y="14" class="unit">{ "MiB" }</text>
            { time_axis(f, H - 6.0) }
            <g clip-path="url(#pacer-plot)">
                if named {
                    { for in_view.iter().map(|r| html! {
                        <g class="mark-phase">
                            <rect x={x(r.start_ns as f64).to_string()} y="16" width={(x(r.end_ns as f64) - x(r.start_ns as f64)).max(1.0).to_string()} height={(H - 40.0).to_string()} />
                            <text x={x(r.start_ns as f64).to_string()} y="12">{ format!("gc {}", r.trace.numgc) }</text>
                        </g>
                    }) }
                }
                { for floating.into_iter().map(|points| html! { <polygon class="floating" {points} /> }) }
                if let Some(limit) = w.gomemlimit {
                    <line class="limit" x1={PAD.to_string()} x2={(W - 8.0).to_string()} y1={y(limit as f64).to_string()} y2={y(limit as f64).to_string()} />
                }
                <polyline class="live" points={live} />
                <polyline class="goal" points={goal} />
                <polyline class="heap" points={heap} />
            </g>
        </svg>
    }
}

/// One cycle's share of the CPU spent on GC, from the end of the cycle
/// before it to its own end (the stretch whose allocation it pays for).
pub fn cycle_gc_share(pacer: &Pacer, i: usize) -> f64 {
    let r = &pacer.records[i];
    let since = i.checked_sub(1).map_or(0, |j| pacer.records[j].end_ns);
    let gc: u64 = r.trace.cpu_ns.iter().sum();
    let wall = (r.end_ns - since).max(1) * u64::from(pacer.workload.gomaxprocs);
    gc as f64 / wall as f64
}

/// One strip of the latency chart: its class, its title, one value per
/// cycle in view, the least its scale may be (so that tiny values stay
/// tiny), and how a value is written.
type Strip = (&'static str, &'static str, Vec<f64>, f64, fn(f64) -> String);

/// The latency chart over the same window as the heap's: three strips,
/// each with its own scale, one bar per cycle. GC CPU per cycle (across
/// the stretch since the cycle before), mark-assist CPU (across the mark)
/// per cycle (time the allocating goroutines spent marking instead of
/// running), and the stop-the-world pauses, each a thin bar where it
/// happens (from the measured pause lengths, the sweep pause longer for a
/// heap with more spans of small objects to sweep).
pub fn latency_chart(pacer: &Pacer, window: (u64, u64)) -> Html {
    const LH: f64 = 228.0;
    const STRIP: f64 = 52.0;
    let f = Frame {
        from: window.0 as f64,
        to: window.1 as f64,
    };
    let first = pacer.records.partition_point(|c| c.end_ns < window.0);
    let last = pacer.records.partition_point(|c| c.start_ns <= window.1);
    let view = first..last.max(first);
    let share: Vec<f64> = view.clone().map(|i| cycle_gc_share(pacer, i)).collect();
    let assist: Vec<f64> = view
        .clone()
        .map(|i| pacer.records[i].assist_cpu_ns() as f64)
        .collect();
    // A cycle's longer pause: the strip draws each pause on its own.
    let stw: Vec<f64> = view
        .clone()
        .map(|i| {
            let [sweep, _, term] = pacer.records[i].trace.clock_ns;
            sweep.max(term) as f64
        })
        .collect();
    let top = |v: &[f64], floor: f64| v.iter().copied().fold(floor, f64::max);
    let strips: [Strip; 3] = [
        (
            "gc-cpu",
            "GC CPU per cycle (estimate)",
            share.clone(),
            0.01,
            |v| format!("{:.0}%", v * 100.0),
        ),
        (
            "assist",
            "Mark assists, CPU per cycle",
            assist.clone(),
            1e6,
            |v| ms(v as u64),
        ),
        (
            "stw",
            "Stop-the-world pauses, each",
            stw.clone(),
            1e5,
            |v| ms(v as u64),
        ),
    ];
    let label = format!(
        "Latency per cycle, {} cycles in view: GC CPU up to {:.0}%, mark assists up to {:.1} ms of CPU, pauses up to {:.2} ms",
        share.len(),
        top(&share, 0.0) * 100.0,
        top(&assist, 0.0) / 1e6,
        top(&stw, 0.0) / 1e6
    );
    html! {
        <svg class="pacer-chart latency-chart" viewBox={format!("0 0 {W} {LH}")} role="img" aria-label={label}>
            <defs>
                <clipPath id="latency-plot">
                    <rect x={PAD.to_string()} y="0" width={(W - PAD - 8.0).to_string()} height={LH.to_string()} />
                </clipPath>
            </defs>
            { for strips.into_iter().enumerate().map(|(k, (class, title, values, floor, fmt))| {
                let base = 18.0 + (STRIP + 20.0) * k as f64 + STRIP;
                // The first cycle starts from the program's first heap and can
                // dwarf the rest: then the scale is the others', and it says so.
                let largest = top(&values, 0.0);
                let rest = top(values.get(1..).unwrap_or_default(), 0.0);
                let off_scale = view.start == 0 && values.len() > 3 && values[0] > 2.0 * rest.max(floor);
                let scale = if off_scale { rest } else { largest }.max(floor);
                let h = |v: f64| px(v.min(scale * 1.1) / (scale * 1.1) * STRIP);
                let heading = if off_scale {
                    format!("{title}: up to {} (gc 1, {}, runs off the top)", fmt(rest), fmt(values[0]))
                } else {
                    format!("{title}: up to {}", fmt(largest))
                };
                html! {
                    <g class={classes!("strip", class)}>
                        <text x={PAD.to_string()} y={(base - STRIP - 4.0).to_string()} class="strip-title">{ heading }</text>
                        <line class="axis" x1={PAD.to_string()} x2={(W - 8.0).to_string()} y1={base.to_string()} y2={base.to_string()} />
                        <g clip-path="url(#latency-plot)">
                            { for view.clone().zip(values).map(|(i, v)| {
                                let r = &pacer.records[i];
                                // GC CPU is a share of the stretch since the
                                // cycle before; the others happen in the mark.
                                let from = match (class, i.checked_sub(1)) {
                                    ("gc-cpu", Some(j)) => pacer.records[j].end_ns,
                                    ("gc-cpu", None) => 0,
                                    _ => r.start_ns,
                                };
                                let (a, b) = (f.x(from as f64), f.x(r.end_ns as f64));
                                if class == "stw" {
                                    // Two pauses, each a thin bar where it
                                    // happens: sweep termination at the
                                    // cycle's start, mark termination at its end.
                                    let [sweep, _, term] = r.trace.clock_ns.map(|n| n as f64);
                                    return html! { <>
                                        <rect class="bar" x={(a - 1.0).to_string()} y={(base - h(sweep)).to_string()} width="2" height={h(sweep).to_string()} />
                                        <rect class="bar" x={(b - 1.0).to_string()} y={(base - h(term)).to_string()} width="2" height={h(term).to_string()} />
                                    </> };
                                }
                                html! { <rect class="bar" x={a.to_string()} y={(base - h(v)).to_string()} width={(b - a).max(1.5).to_string()} height={h(v).to_string()} /> }
                            }) }
                        </g>
                    </g>
                }
            }) }
            { time_axis(f, LH - 4.0) }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::gc::pacer::{simulate, Workload};

    /// A cycle's GC CPU share covers the stretch since the cycle before.
    #[test]
    fn a_cycles_gc_share_is_of_the_time_since_the_last_cycle() {
        let p = simulate(Workload::steady(64, 256), 60.0);
        let r = &p.records[10];
        let gc: u64 = r.trace.cpu_ns.iter().sum();
        let wall = (r.end_ns - p.records[9].end_ns) * 2;
        assert!((cycle_gc_share(&p, 10) - gc as f64 / wall as f64).abs() < 1e-12);
        // The first cycle has the run so far: its share is the line's 97%.
        assert_eq!((cycle_gc_share(&p, 0) * 100.0) as i64, 97);
    }

    #[test]
    fn the_heap_axis_steps_in_round_numbers() {
        assert_eq!(nice_step(33.8), 50.0);
        assert_eq!(nice_step(17.0), 20.0);
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(nice_step(100.0), 100.0);
    }

    #[test]
    fn the_cycles_in_a_window_are_those_that_overlap_it() {
        let p = simulate(Workload::steady(64, 256), 60.0);
        assert_eq!(cycles_in(&p, (0, 60_000_000_000)).len(), p.records.len());
        let r = &p.records[5];
        let few = cycles_in(&p, (r.start_ns, p.records[8].end_ns));
        let names: Vec<u32> = few.iter().map(|c| c.trace.numgc).collect();
        assert_eq!(names, [6, 7, 8, 9]);
        assert!(cycles_in(&p, (r.end_ns + 1, p.records[6].start_ns - 1)).is_empty());
    }
}
