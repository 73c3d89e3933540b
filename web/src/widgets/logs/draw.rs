//! The log's charts, as SVG drawn the way the pacer draws its own: the
//! heap of each real GC cycle over the program's time, the cost of each
//! cycle in strips below it, and the scheduler's queues and threads per
//! sample, one labelled strip each (so no line is told apart by its colour
//! alone).

use runtime_model::logs::{GcCycle, SchedSample};
use yew::prelude::*;

const W: f64 = 720.0;
const PAD: f64 = 44.0;
/// The most cycles or samples drawn; a longer log draws its first ones and
/// says so (the tables and the counts still cover all of it).
pub const MAX_DRAWN: usize = 2000;

/// A coordinate to a tenth of a unit: finer than the screen shows, and
/// short in the markup.
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

/// Milliseconds since the program started onto the chart's width.
#[derive(Clone, Copy)]
struct Frame {
    from: f64,
    to: f64,
}

impl Frame {
    fn new(from: f64, to: f64) -> Frame {
        Frame {
            from,
            to: if to > from { to } else { from + 1.0 },
        }
    }

    fn x(&self, ms: f64) -> f64 {
        px(PAD + (ms - self.from) / (self.to - self.from) * (W - PAD - 8.0))
    }
}

/// "0.25 s", "12 s": a time on an axis `span` ms wide.
fn tick_label(ms: f64, span: f64) -> String {
    let s = ms / 1e3;
    if span >= 10e3 {
        format!("{s:.0} s")
    } else if span >= 1e3 {
        format!("{s:.1} s")
    } else {
        format!("{s:.2} s")
    }
}

/// Five times across the frame.
fn time_axis(f: Frame, y: f64) -> Html {
    let span = f.to - f.from;
    html! {
        <g class="xaxis">
            { for (0..=4).map(|i| {
                let t = f.from + span * f64::from(i) / 4.0;
                let anchor = match i { 0 => "start", 4 => "end", _ => "middle" };
                html! { <text x={f.x(t).to_string()} y={y.to_string()} class="xlabel" text-anchor={anchor}>{ tick_label(t, span) }</text> }
            }) }
        </g>
    }
}

/// When a cycle ended, in ms since the program started: its start plus
/// its three wall-clock phases.
pub fn end_ms(c: &GcCycle) -> f64 {
    c.start_ms as f64 + c.clock_ns.iter().sum::<u64>() as f64 / 1e6
}

/// The heap of each cycle over the program's time: the heap in use
/// (solid: rising to the size at the cycle's start, to the size when
/// marking ended, then down to what was marked live), the goal (dashed
/// steps), the marked live heap (dotted), and a thin dashed line at each
/// cycle that runtime.GC() forced. Between cycles the runtime prints
/// nothing, so the line there is straight.
pub fn heap_chart(cycles: &[GcCycle]) -> Html {
    const H: f64 = 260.0;
    let cycles = &cycles[..cycles.len().min(MAX_DRAWN)];
    let (Some(first), Some(last)) = (cycles.first(), cycles.last()) else {
        return html! {};
    };
    let f = Frame::new(0.0_f64.min(first.start_ms as f64), end_ms(last));
    let top = cycles
        .iter()
        .map(|c| c.heap_mb[0].max(c.heap_mb[1]).max(c.goal_mb))
        .max()
        .unwrap_or(1)
        .max(1) as f64
        * 1.1;
    let y = |mb: f64| px(H - 24.0 - (mb / top).min(1.05) * (H - 36.0));
    let mut heap = String::new();
    let mut goal = String::new();
    let mut live = String::new();
    let mut prev_end = f.from;
    for c in cycles {
        let (s, e) = (f.x(c.start_ms as f64), f.x(end_ms(c)));
        let [h0, h1, h2] = c.heap_mb.map(|v| y(v as f64));
        heap.push_str(&format!("{s},{h0} {e},{h1} {e},{h2} "));
        let g = y(c.goal_mb as f64);
        goal.push_str(&format!("{},{g} {e},{g} ", f.x(prev_end)));
        live.push_str(&format!("{e},{h2} "));
        prev_end = end_ms(c);
    }
    let step = nice_step(top / 1.1 / 5.0).max(1.0);
    let peak = cycles.iter().map(|c| c.heap_mb[1]).max().unwrap_or(0);
    let label = format!(
        "The heap over {} GC cycles, from {} to {} after the program started: up to {peak} MB in use, the goal up to {} MB, {} forced",
        cycles.len(),
        tick_label(first.start_ms as f64, f.to - f.from),
        tick_label(f.to, f.to - f.from),
        cycles.iter().map(|c| c.goal_mb).max().unwrap_or(0),
        cycles.iter().filter(|c| c.forced).count()
    );
    html! {
        <svg class="pacer-chart logs-heap" viewBox={format!("0 0 {W} {H}")} role="img" aria-label={label}>
            { for (0..).map(|i| f64::from(i) * step).take_while(|b| *b <= top / 1.05).map(|b| html! {
                <g class="tick">
                    <line x1={PAD.to_string()} x2={(W - 8.0).to_string()} y1={y(b).to_string()} y2={y(b).to_string()} />
                    <text x={(PAD - 4.0).to_string()} y={(y(b) + 4.0).to_string()} class="ylabel">{ format!("{b:.0}") }</text>
                </g>
            }) }
            <text x="4" y="14" class="unit">{ "MB" }</text>
            { time_axis(f, H - 6.0) }
            { for cycles.iter().filter(|c| c.forced).map(|c| {
                let x = f.x(c.start_ms as f64).to_string();
                html! { <line class="forced" x1={x.clone()} x2={x} y1="16" y2={(H - 24.0).to_string()} /> }
            }) }
            <polyline class="live" points={live} />
            <polyline class="goal" points={goal} />
            <polyline class="heap" points={heap} />
        </svg>
    }
}

/// One strip: its class, its title, and one value per cycle with how a
/// value is written.
type Strip = (&'static str, &'static str, Vec<f64>, fn(f64) -> String);

fn ms_text(ns: f64) -> String {
    runtime_model::gc::trace::fmt_ns_as_ms(ns as u64) + " ms"
}

/// What each cycle cost, in three strips over the same time axis as the
/// heap: the GC's share of the CPU since the program started (the line's
/// percentage), the wall time of the concurrent mark, and the two
/// stop-the-world pauses, each a thin bar where it happened.
pub fn cost_chart(cycles: &[GcCycle]) -> Html {
    const STRIP: f64 = 52.0;
    const LH: f64 = 18.0 + 3.0 * (STRIP + 20.0) + 6.0;
    let cycles = &cycles[..cycles.len().min(MAX_DRAWN)];
    let (Some(first), Some(last)) = (cycles.first(), cycles.last()) else {
        return html! {};
    };
    let f = Frame::new(0.0_f64.min(first.start_ms as f64), end_ms(last));
    let strips: [Strip; 3] = [
        (
            "gc-cpu",
            "GC CPU since the start",
            cycles.iter().map(|c| c.cpu_percent as f64).collect(),
            |v| format!("{v:.0}%"),
        ),
        (
            "assist",
            "Concurrent mark, wall time",
            cycles.iter().map(|c| c.clock_ns[1] as f64).collect(),
            ms_text,
        ),
        (
            "stw",
            "Stop-the-world pauses, each",
            cycles
                .iter()
                .map(|c| c.clock_ns[0].max(c.clock_ns[2]) as f64)
                .collect(),
            ms_text,
        ),
    ];
    let most = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let label = format!(
        "The cost of {} GC cycles: GC CPU up to {:.0}%, concurrent marks up to {}, pauses up to {}",
        cycles.len(),
        most(&strips[0].2),
        ms_text(most(&strips[1].2)),
        ms_text(most(&strips[2].2))
    );
    html! {
        <svg class="pacer-chart latency-chart logs-cost" viewBox={format!("0 0 {W} {LH}")} role="img" aria-label={label}>
            { for strips.into_iter().enumerate().map(|(k, (class, title, values, fmt))| {
                let base = 18.0 + (STRIP + 20.0) * k as f64 + STRIP;
                let scale = most(&values).max(1e-9);
                let h = |v: f64| px(v / scale * STRIP);
                html! {
                    <g class={classes!("strip", class)}>
                        <text x={PAD.to_string()} y={(base - STRIP - 4.0).to_string()} class="strip-title">{ format!("{title}: up to {}", fmt(most(&values))) }</text>
                        <line class="axis" x1={PAD.to_string()} x2={(W - 8.0).to_string()} y1={base.to_string()} y2={base.to_string()} />
                        { for cycles.iter().zip(values).map(|(c, v)| {
                            let (a, b) = (f.x(c.start_ms as f64), f.x(end_ms(c)));
                            if class == "stw" {
                                let [sweep, _, term] = c.clock_ns.map(|n| n as f64);
                                return html! { <>
                                    <rect class="bar" x={(a - 1.0).to_string()} y={(base - h(sweep)).to_string()} width="2" height={h(sweep).to_string()} />
                                    <rect class="bar" x={(b - 1.0).to_string()} y={(base - h(term)).to_string()} width="2" height={h(term).to_string()} />
                                </> };
                            }
                            html! { <rect class="bar" x={a.to_string()} y={(base - h(v)).to_string()} width={(b - a).max(1.5).to_string()} height={h(v).to_string()} /> }
                        }) }
                    </g>
                }
            }) }
            { time_axis(f, LH - 4.0) }
        </svg>
    }
}

/// The most P strips drawn; the tables list every P.
pub const MAX_P_STRIPS: usize = 16;

/// One row of the scheduler chart: its title and one value per sample,
/// with the scale it shares with its group.
struct Row {
    title: String,
    values: Vec<u64>,
    scale: u64,
}

/// The scheduler's samples over time, one labelled strip per quantity:
/// the global run queue and each P's local run queue (all on one scale),
/// then the threads, idle threads and spinning threads (on another) and
/// the idle Ps. Each sample's value holds until the next sample.
pub fn sched_chart(samples: &[SchedSample]) -> Html {
    const STRIP: f64 = 26.0;
    const GAP: f64 = 16.0;
    let samples = &samples[..samples.len().min(MAX_DRAWN)];
    let (Some(first), Some(last)) = (samples.first(), samples.last()) else {
        return html! {};
    };
    // The last sample is drawn as wide as the average gap.
    let gap = if samples.len() > 1 {
        (last.ms - first.ms) as f64 / (samples.len() - 1) as f64
    } else {
        100.0
    };
    let f = Frame::new(first.ms as f64, last.ms as f64 + gap);
    let procs = samples.iter().map(|s| s.runq.len()).max().unwrap_or(0);
    let shown = procs.min(MAX_P_STRIPS);
    let col = |get: &dyn Fn(&SchedSample) -> u64| samples.iter().map(get).collect::<Vec<u64>>();
    let queue_scale = samples
        .iter()
        .flat_map(|s| s.runq.iter().copied().chain([s.runqueue]))
        .max()
        .unwrap_or(0);
    let thread_scale = samples.iter().map(|s| s.threads).max().unwrap_or(0);
    let mut rows = vec![Row {
        title: "Global run queue".to_owned(),
        values: col(&|s| s.runqueue),
        scale: queue_scale,
    }];
    for p in 0..shown {
        rows.push(Row {
            title: format!("P{p} run queue"),
            values: col(&|s| s.runq.get(p).copied().unwrap_or(0)),
            scale: queue_scale,
        });
    }
    rows.push(Row {
        title: "Threads (Ms)".to_owned(),
        values: col(&|s| s.threads),
        scale: thread_scale,
    });
    rows.push(Row {
        title: "Idle threads".to_owned(),
        values: col(&|s| s.idlethreads),
        scale: thread_scale,
    });
    rows.push(Row {
        title: "Spinning threads".to_owned(),
        values: col(&|s| s.spinningthreads),
        scale: thread_scale,
    });
    rows.push(Row {
        title: "Idle Ps".to_owned(),
        values: col(&|s| s.idleprocs),
        scale: samples.iter().map(|s| s.gomaxprocs).max().unwrap_or(0),
    });
    let height = 8.0 + rows.len() as f64 * (STRIP + GAP) + 18.0;
    let label = format!(
        "{} scheduler samples over {}: the global run queue up to {}, local run queues of {procs} Ps up to {}, up to {thread_scale} threads",
        samples.len(),
        tick_label(f.to - f.from, f.to - f.from),
        rows[0].values.iter().max().unwrap_or(&0),
        samples.iter().flat_map(|s| s.runq.iter()).max().unwrap_or(&0)
    );
    let next_ms = |i: usize| samples.get(i + 1).map_or(f.to, |n| n.ms as f64);
    html! {
        <svg class="pacer-chart latency-chart logs-sched" viewBox={format!("0 0 {W} {height}")} role="img" aria-label={label}>
            { for rows.iter().enumerate().map(|(k, row)| {
                let base = 8.0 + (STRIP + GAP) * k as f64 + GAP + STRIP;
                let h = |v: u64| px(v as f64 / row.scale.max(1) as f64 * STRIP);
                let most = row.values.iter().max().copied().unwrap_or(0);
                html! {
                    <g class="strip sched-row">
                        <text x={PAD.to_string()} y={(base - STRIP - 3.0).to_string()} class="strip-title">{ format!("{}: up to {most}", row.title) }</text>
                        <line class="axis" x1={PAD.to_string()} x2={(W - 8.0).to_string()} y1={base.to_string()} y2={base.to_string()} />
                        { for row.values.iter().enumerate().filter(|(_, v)| **v > 0).map(|(i, v)| {
                            let (a, b) = (f.x(samples[i].ms as f64), f.x(next_ms(i)));
                            html! { <rect class="bar" x={a.to_string()} y={(base - h(*v)).to_string()} width={(b - a - 0.5).max(1.0).to_string()} height={h(*v).to_string()} /> }
                        }) }
                    </g>
                }
            }) }
            { time_axis(f, height - 4.0) }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::logs::parse;

    #[test]
    fn a_cycle_ends_after_its_three_phases() {
        let log = parse("gc 3 @1.500s 2%: 0.50+12+1.5 ms clock, 1.0+0/3.0/0+3.0 ms cpu, 8->9->4 MB, 10 MB goal, 0 MB stacks, 0 MB globals, 2 P");
        assert!((end_ms(&log.gc[0]) - 1514.0).abs() < 1e-9);
        assert_eq!(nice_step(33.8), 50.0);
        assert_eq!(tick_label(250.0, 700.0), "0.25 s");
    }
}
