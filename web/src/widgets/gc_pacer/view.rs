//! The pacer's views: the sliders' stops, the readouts, the chart's legend
//! and the gctrace lines.

use runtime_model::gc::knobs::{parse_gomemlimit, Gogc};
use runtime_model::gc::pacer::{Pacer, Workload};
use yew::prelude::*;

use super::prose::first_line_story;
use super::state::{Move, MAX_ZOOM};

/// GOGC stops on the log-scale slider; the last stop is "off".
pub const GOGC_STOPS: [&str; 12] = [
    "10", "25", "50", "75", "100", "150", "200", "300", "500", "1000", "2000", "off",
];
/// GOMEMLIMIT stops on its slider; the first is "off".
pub const LIMIT_STOPS: [&str; 10] = [
    "off", "96MiB", "128MiB", "192MiB", "256MiB", "384MiB", "512MiB", "768MiB", "1GiB", "2GiB",
];
pub const MIB: f64 = 1024.0 * 1024.0;

pub fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / MIB)
}

pub fn limit_text(limit: Option<u64>) -> String {
    limit.map_or_else(|| "off".to_owned(), mib)
}

/// The GOGC slider's stop for `gogc`: its own, or the first above it.
pub fn gogc_stop(gogc: Gogc) -> usize {
    GOGC_STOPS
        .iter()
        .position(|s| *s == gogc.to_string())
        .unwrap_or_else(|| match gogc {
            Gogc::Off => GOGC_STOPS.len() - 1,
            Gogc::Percent(p) => GOGC_STOPS
                .iter()
                .position(|s| s.parse::<u32>().is_ok_and(|v| v >= p))
                .unwrap_or(GOGC_STOPS.len() - 2),
        })
}

/// The GOMEMLIMIT slider's stop for `limit`: the first at or above it.
pub fn limit_stop(limit: Option<u64>) -> usize {
    match limit {
        None => 0,
        Some(b) => LIMIT_STOPS
            .iter()
            .position(|s| parse_gomemlimit(s).ok().flatten().is_some_and(|v| v >= b))
            .unwrap_or(LIMIT_STOPS.len() - 1),
    }
}

/// Cycles, GC CPU, peak memory, the settings and the program, announced
/// when they change.
pub fn readouts(pacer: &Pacer, w: &Workload) -> Html {
    let limiter_cycles = pacer.records.iter().filter(|r| r.limiter_on).count();
    html! {
        <dl class="readouts" aria-live="polite">
            <div><dt>{ "GC cycles" }</dt><dd>{ pacer.numgc }</dd></div>
            <div><dt>{ "GC CPU (estimate)" }</dt><dd>{ format!("{:.1}%", pacer.gc_cpu_fraction() * 100.0) }</dd></div>
            <div><dt>{ "Peak memory" }</dt><dd>{ mib(pacer.peak_memory) }</dd></div>
            <div><dt>{ "Settings" }</dt><dd>{ format!("GOGC={} · GOMEMLIMIT={} · GOMAXPROCS={}", w.gogc, limit_text(w.gomemlimit), w.gomaxprocs) }</dd></div>
            <div><dt>{ "Program" }</dt><dd>{ format!("{} live · allocates {} MiB/s · leaks {} MiB/s", mib(w.live), w.alloc_per_sec >> 20, w.leak_per_sec >> 20) }</dd></div>
            if limiter_cycles > 0 {
                <div><dt>{ "CPU limiter" }</dt><dd>{ limiter_text(limiter_cycles, pacer.records.len()) }</dd></div>
            }
        </dl>
    }
}

/// The CPU limiter's readout under its "CPU limiter" label: "on during
/// 50 of 393 cycles".
pub fn limiter_text(on: usize, cycles: usize) -> String {
    let noun = if cycles == 1 { "cycle" } else { "cycles" };
    match on {
        0 => format!("off in all {cycles} {noun}"),
        n if n == cycles => format!("on during all {cycles} {noun}"),
        n => format!("on during {n} of {cycles} {noun}"),
    }
}

/// The chart's legend; the limit's line only when there is a limit, the
/// shaded marks only when the chart names its cycles.
pub fn legend(limit: bool, named: bool) -> Html {
    html! {
        <p class="legend">
            <span class="key heap">{ "━ heap in use" }</span>
            <span class="key goal">{ "╌ heap goal" }</span>
            <span class="key live">{ "┈ live heap" }</span>
            <span class="key floating"><span class="swatch-hatch" aria-hidden="true"></span>{ " floating garbage (marked, not live)" }</span>
            if limit { <span class="key limit">{ "— — GOMEMLIMIT" }</span> }
            if named { <span class="key mark"><span class="swatch-mark" aria-hidden="true"></span>{ " a cycle's mark, named above it" }</span> }
        </p>
    }
}

/// The chart's zoom and pan buttons, with what the window shows in a live
/// region; `few` is the zoom that shows about three cycles. Keys on the
/// chart do the same.
pub fn window_controls(
    status: String,
    zoom: u64,
    few: u64,
    (at_start, at_end): (bool, bool),
    on_move: Callback<Move>,
) -> Html {
    let button = |m: Move, text: &'static str, label: &'static str, disabled: bool| {
        let on_move = on_move.clone();
        html! {
            <button type="button" aria-label={label} {disabled} onclick={Callback::from(move |_: MouseEvent| on_move.emit(m))}>{ text }</button>
        }
    };
    html! {
        <div class="chart-window">
            <div class="controls" role="group" aria-label="Chart window">
                { button(Move::ZoomOut, "−", "Zoom out", zoom <= 1) }
                { button(Move::ZoomIn, "+", "Zoom in", zoom >= MAX_ZOOM) }
                { button(Move::Earlier, "◀", "Earlier", zoom <= 1 || at_start) }
                { button(Move::Later, "▶", "Later", zoom <= 1 || at_end) }
                { button(Move::Zoom(few), "3 cycles", "Zoom to 3 cycles", zoom == few) }
                { button(Move::All, "Whole run", "Whole run", zoom <= 1) }
            </div>
            <p class="window-status" aria-live="polite">{ status }</p>
            <p class="window-keys" aria-hidden="true">{ "On the chart: + − zoom, ← → pan, Home End, 3 for three cycles, 0 for the whole run." }</p>
        </div>
    }
}

/// The `GODEBUG=gctrace=1` lines, one per cycle, in a panel that is open
/// when the URL says `gctrace=1`, after the first line explained;
/// `ontoggle` hears it opened or closed.
pub fn gctrace(pacer: &Pacer, open: bool, ontoggle: Callback<Event>) -> Html {
    let lines: Vec<String> = pacer.records.iter().map(|r| r.trace.line()).collect();
    html! {
        <details class="gctrace-output" {open} {ontoggle}>
            <summary><code>{ "GODEBUG=gctrace=1" }</code>{ format!(" ({} lines)", lines.len()) }</summary>
            if let Some(story) = first_line_story(pacer) {
                <p class="first-line">{ story }</p>
            }
            <pre class="console-out gctrace" tabindex="0" aria-label="gctrace output">
                { for lines.iter().map(|l| html! { <>{ l.clone() }{ "\n" }</> }) }
            </pre>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::gc::knobs::parse_gogc;

    #[test]
    fn every_slider_stop_is_valid_go_syntax() {
        for s in GOGC_STOPS {
            assert!(parse_gogc(s).is_ok(), "{s}");
        }
        for s in LIMIT_STOPS {
            assert!(parse_gomemlimit(s).is_ok(), "{s}");
        }
    }

    /// "CPU LIMITER on in 50 cycles" did not parse (issue 11).
    #[test]
    fn the_limiter_readout_reads_as_english() {
        assert_eq!(limiter_text(50, 393), "on during 50 of 393 cycles");
        assert_eq!(limiter_text(1, 1), "on during all 1 cycle");
        assert_eq!(limiter_text(0, 7), "off in all 7 cycles");
    }

    #[test]
    fn a_value_between_stops_sits_on_the_next_stop_up() {
        assert_eq!(GOGC_STOPS[gogc_stop(Gogc::Percent(100))], "100");
        assert_eq!(GOGC_STOPS[gogc_stop(Gogc::Percent(120))], "150");
        assert_eq!(GOGC_STOPS[gogc_stop(Gogc::Percent(5000))], "2000");
        assert_eq!(GOGC_STOPS[gogc_stop(Gogc::Off)], "off");
        assert_eq!(LIMIT_STOPS[limit_stop(None)], "off");
        assert_eq!(LIMIT_STOPS[limit_stop(Some(460 << 20))], "512MiB");
        assert_eq!(LIMIT_STOPS[limit_stop(Some(8 << 30))], "2GiB");
    }
}
