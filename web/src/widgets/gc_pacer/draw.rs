//! The pacer's chart: the heap over time, as SVG.

use runtime_model::gc::pacer::Pacer;
use yew::prelude::*;

use super::view::{mib, MIB};

/// The heap over time as an SVG chart: heap in use (solid), goal (dashed
/// steps), live heap (dotted), GOMEMLIMIT (long dashes).
pub fn chart(pacer: &Pacer, seconds: u64) -> Html {
    const W: f64 = 720.0;
    const H: f64 = 260.0;
    const PAD: f64 = 44.0;
    let end = seconds as f64 * 1e9;
    let records = &pacer.records;
    let top = records
        .iter()
        .map(|r| r.trace.heap[1].max(r.goal.min(r.trace.heap[1] * 4)))
        .chain(pacer.workload.gomemlimit)
        .chain(std::iter::once(pacer.peak_memory))
        .max()
        .unwrap_or(1) as f64
        * 1.1;
    let x = |t: f64| PAD + (t / end).min(1.0) * (W - PAD - 8.0);
    let y = |b: f64| H - 24.0 - (b / top).min(1.05) * (H - 36.0);
    let mut heap = String::new();
    let mut goal = String::new();
    let mut prev_end = 0.0;
    let mut prev_marked = pacer.workload.live as f64;
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
    let live: String = (0..=60)
        .map(|i| {
            let t = end * f64::from(i) / 60.0;
            format!("{},{} ", x(t), y(pacer.workload.live_at(t as u64) as f64))
        })
        .collect();
    let ticks = 5;
    html! {
        <svg class="pacer-chart" viewBox={format!("0 0 {W} {H}")} role="img"
            aria-label={format!("Heap over {seconds} simulated seconds: {} cycles, peak {}", pacer.numgc, mib(pacer.peak_memory))}>
            { for (0..=ticks).map(|i| {
                let b = top / 1.1 * f64::from(i) / f64::from(ticks);
                html! {
                    <g class="tick">
                        <line x1={PAD.to_string()} x2={(W - 8.0).to_string()} y1={y(b).to_string()} y2={y(b).to_string()} />
                        <text x={(PAD - 4.0).to_string()} y={(y(b) + 4.0).to_string()} class="ylabel">{ format!("{:.0}", b / MIB) }</text>
                    </g>
                }
            }) }
            <text x="4" y="14" class="unit">{ "MiB" }</text>
            <text x={(W - 8.0).to_string()} y={(H - 6.0).to_string()} class="xlabel">{ format!("{seconds} s") }</text>
            <text x={PAD.to_string()} y={(H - 6.0).to_string()} class="xlabel start">{ "0 s" }</text>
            if let Some(limit) = pacer.workload.gomemlimit {
                <line class="limit" x1={PAD.to_string()} x2={(W - 8.0).to_string()} y1={y(limit as f64).to_string()} y2={y(limit as f64).to_string()} />
            }
            <polyline class="live" points={live} />
            <polyline class="goal" points={goal} />
            <polyline class="heap" points={heap} />
        </svg>
    }
}
