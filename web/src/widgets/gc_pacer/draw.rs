//! The pacer's chart: the heap over a window of the run, as SVG.

use runtime_model::gc::pacer::{CycleRecord, Pacer};
use yew::prelude::*;

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
        PAD + (t - self.from) / (self.to - self.from) * (W - PAD - 8.0)
    }
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
    let y = |b: f64| H - 24.0 - (b / top).min(1.05) * (H - 36.0);
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

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::gc::pacer::{simulate, Workload};

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
