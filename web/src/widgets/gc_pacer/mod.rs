//! The GC pacer under GOGC and GOMEMLIMIT: the heap over time with its
//! goal, trigger and limit, readouts for GC CPU, peak memory and the number
//! of cycles, and the `GODEBUG=gctrace=1` lines. Every knob change reruns
//! the whole simulated run (`runtime_model::gc::pacer`), which takes well
//! under a frame. State in the URL: `?preset=leak&gogc=200&gomemlimit=512MiB`.

use runtime_model::gc::knobs::{parse_gogc, parse_gomemlimit, Gogc};
use runtime_model::gc::pacer::{pacer_presets, simulate, Pacer, PacerPreset};
use yew::prelude::*;

use crate::kit::controls::CopyLink;
use crate::kit::query::{param, use_query_state};

/// GOGC stops on the log-scale slider; the last stop is "off".
const GOGC_STOPS: [&str; 12] = [
    "10", "25", "50", "75", "100", "150", "200", "300", "500", "1000", "2000", "off",
];
/// GOMEMLIMIT stops on its slider; the first is "off".
const LIMIT_STOPS: [&str; 10] = [
    "off", "96MiB", "128MiB", "192MiB", "256MiB", "384MiB", "512MiB", "768MiB", "1GiB", "2GiB",
];
const DEFAULT_PRESET: &str = "steady";
const MIB: f64 = 1024.0 * 1024.0;

/// The workload the URL asks for, or the problems with it.
pub fn workload_from(query: &str) -> (PacerPreset, Vec<String>) {
    let presets = pacer_presets();
    let mut notices = Vec::new();
    let name = param(query, "preset").unwrap_or_else(|| DEFAULT_PRESET.to_owned());
    let mut preset = match presets.iter().find(|p| p.name == name) {
        Some(p) => p.clone(),
        None => {
            let names: Vec<&str> = presets.iter().map(|p| p.name).collect();
            notices.push(format!(
                "There is no pacer workload {name:?}; showing {DEFAULT_PRESET}. Workloads: {}.",
                names.join(", ")
            ));
            presets[0].clone()
        }
    };
    if let Some(g) = param(query, "gogc") {
        match parse_gogc(&g) {
            Ok(v) => preset.workload.gogc = v,
            Err(e) => notices.push(e),
        }
    }
    if let Some(l) = param(query, "gomemlimit") {
        match parse_gomemlimit(&l) {
            Ok(v) => preset.workload.gomemlimit = v,
            Err(e) => notices.push(e),
        }
    }
    // The program's side: allocation rate and leak, in MiB/s (the Diagnose
    // page's "apply the fix" links change these).
    for (name, field) in [("rate", 0), ("leak", 1)] {
        if let Some(v) = param(query, name) {
            match v.parse::<u64>() {
                Ok(mb @ 0..=4096) => {
                    let bytes = mb << 20;
                    if field == 0 {
                        preset.workload.alloc_per_sec = bytes;
                    } else {
                        preset.workload.leak_per_sec = bytes;
                    }
                }
                _ => notices.push(format!(
                    "{name} {v:?} must be a whole number of MiB per second from 0 to 4096."
                )),
            }
        }
    }
    if let Some(p) = param(query, "gomaxprocs") {
        match p.parse::<u32>() {
            Ok(n @ 1..=256) => preset.workload.gomaxprocs = n,
            _ => notices.push(format!(
                "GOMAXPROCS {p:?} must be a whole number from 1 to 256; using {}.",
                preset.workload.gomaxprocs
            )),
        }
    }
    (preset, notices)
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / MIB)
}

fn limit_text(limit: Option<u64>) -> String {
    limit.map_or_else(|| "off".to_owned(), mib)
}

/// The heap over time as an SVG chart: heap in use (solid), goal (dashed
/// steps), live heap (dotted), GOMEMLIMIT (long dashes).
fn chart(pacer: &Pacer, seconds: u64) -> Html {
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

#[function_component(GcPacerWidget)]
pub fn gc_pacer_widget() -> Html {
    let (query, set_query) = use_query_state();
    let (preset, notices) = workload_from(&query);
    let pacer = use_memo((preset.workload.clone(), preset.seconds), |(w, s)| {
        simulate(w.clone(), *s as f64)
    });
    let w = &preset.workload;

    let set = |name: &'static str| {
        let set_query = set_query.clone();
        move |v: String| set_query.emit(vec![(name, Some(v))])
    };
    let on_preset = {
        let set_query = set_query.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                set_query.emit(vec![
                    ("preset", Some(s.value())),
                    ("gogc", None),
                    ("gomemlimit", None),
                    ("gomaxprocs", None),
                ]);
            }
        })
    };
    // A slider picks one of `stops` by its index.
    let slider = |name: &'static str, stops: &'static [&'static str]| {
        let set = set(name);
        Callback::from(move |e: InputEvent| {
            let stop = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .and_then(|i| i.value().parse::<usize>().ok())
                .and_then(|i| stops.get(i));
            if let Some(v) = stop {
                set((*v).to_owned());
            }
        })
    };
    let on_gogc_slider = slider("gogc", &GOGC_STOPS);
    let on_limit_slider = slider("gomemlimit", &LIMIT_STOPS);
    let text_knob = |name: &'static str| {
        let set = set(name);
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                set(i.value().trim().to_owned());
            }
        })
    };
    let gogc_text = param(&query, "gogc").unwrap_or_else(|| w.gogc.to_string());
    let limit_param = param(&query, "gomemlimit");
    let limit_value = limit_param.clone().unwrap_or_else(|| match w.gomemlimit {
        None => "off".to_owned(),
        Some(b) => format!("{}MiB", b >> 20),
    });
    let gogc_index = GOGC_STOPS
        .iter()
        .position(|s| *s == w.gogc.to_string())
        .unwrap_or_else(|| match w.gogc {
            Gogc::Off => GOGC_STOPS.len() - 1,
            Gogc::Percent(p) => GOGC_STOPS
                .iter()
                .position(|s| s.parse::<u32>().is_ok_and(|v| v >= p))
                .unwrap_or(GOGC_STOPS.len() - 2),
        });
    let limit_index = match w.gomemlimit {
        None => 0,
        Some(b) => LIMIT_STOPS
            .iter()
            .position(|s| parse_gomemlimit(s).ok().flatten().is_some_and(|v| v >= b))
            .unwrap_or(LIMIT_STOPS.len() - 1),
    };
    let lines: Vec<String> = pacer.records.iter().map(|r| r.trace.line()).collect();
    let limiter_cycles = pacer.records.iter().filter(|r| r.limiter_on).count();
    html! {
        <div class="widget gc-pacer">
            { for notices.iter().map(|n| html! { <p class="notice" role="alert">{ n.clone() }{ " The chart shows the last valid setting." }</p> }) }
            <div class="controls">
                <label for="pacer-preset">{ "Workload" }</label>
                <select id="pacer-preset" onchange={on_preset}>
                    { for pacer_presets().iter().map(|p| html! { <option value={p.name} selected={p.name == preset.name}>{ p.name }</option> }) }
                </select>
                <CopyLink />
            </div>
            <p class="explanation">{ preset.explanation }</p>
            <div class="knob-grid">
                <label for="gogc-slider">{ "GOGC" }</label>
                <input id="gogc-slider" type="range" min="0" max={(GOGC_STOPS.len() - 1).to_string()} value={gogc_index.to_string()}
                    aria-valuetext={format!("GOGC={}", w.gogc)} oninput={on_gogc_slider} />
                <input class="knob-text" type="text" aria-label="GOGC value" value={gogc_text} onchange={text_knob("gogc")} />
                <label for="limit-slider">{ "GOMEMLIMIT" }</label>
                <input id="limit-slider" type="range" min="0" max={(LIMIT_STOPS.len() - 1).to_string()} value={limit_index.to_string()}
                    aria-valuetext={format!("GOMEMLIMIT={}", limit_text(w.gomemlimit))} oninput={on_limit_slider} />
                <input class="knob-text" type="text" aria-label="GOMEMLIMIT value" value={limit_value} onchange={text_knob("gomemlimit")} />
            </div>
            <dl class="readouts" aria-live="polite">
                <div><dt>{ "GC cycles" }</dt><dd>{ pacer.numgc }</dd></div>
                <div><dt>{ "GC CPU" }</dt><dd>{ format!("{:.1}%", pacer.gc_cpu_fraction() * 100.0) }</dd></div>
                <div><dt>{ "Peak memory" }</dt><dd>{ mib(pacer.peak_memory) }</dd></div>
                <div><dt>{ "Settings" }</dt><dd>{ format!("GOGC={} · GOMEMLIMIT={} · GOMAXPROCS={}", w.gogc, limit_text(w.gomemlimit), w.gomaxprocs) }</dd></div>
                <div><dt>{ "Program" }</dt><dd>{ format!("{} live · allocates {} MiB/s · leaks {} MiB/s", mib(w.live), w.alloc_per_sec >> 20, w.leak_per_sec >> 20) }</dd></div>
                if limiter_cycles > 0 {
                    <div><dt>{ "CPU limiter" }</dt><dd>{ format!("on in {limiter_cycles} cycles") }</dd></div>
                }
            </dl>
            { chart(&pacer, preset.seconds) }
            <p class="legend">
                <span class="key heap">{ "━ heap in use" }</span>
                <span class="key goal">{ "╌ heap goal" }</span>
                <span class="key live">{ "┈ live heap" }</span>
                if w.gomemlimit.is_some() { <span class="key limit">{ "— — GOMEMLIMIT" }</span> }
            </p>
            <section aria-label="gctrace output">
                <h3><code>{ "GODEBUG=gctrace=1" }</code>{ format!(" ({} lines)", lines.len()) }</h3>
                <pre class="console-out gctrace" tabindex="0">{ for lines.iter().map(|l| html! { <>{ l.clone() }{ "\n" }</> }) }</pre>
            </section>
            <p class="fine-print">
                { "A model of runtime/mgcpacer.go and mgclimit.go (Go 1.27): the goal, trigger, worker counts and limiter follow \
                   the source, and the tests check the steady heap goal against real Go within 5%. Mark speed and pause times are \
                   round figures, not measurements, and the scavenger and idle workers are left out." }
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knobs_come_from_the_url_and_bad_values_spell_out_gos_rule() {
        let (p, notes) = workload_from("preset=leak&gogc=200&gomemlimit=1GiB");
        assert_eq!(
            (p.name, p.workload.gogc, p.workload.gomemlimit),
            ("leak", Gogc::Percent(200), Some(1 << 30))
        );
        assert!(notes.is_empty());
        let (p, notes) = workload_from("gogc=fast&gomemlimit=1GB");
        assert_eq!(
            p.workload.gogc,
            Gogc::Percent(100),
            "the preset's value stays"
        );
        assert!(
            notes[0].contains("GOGC must be \"off\" or a decimal integer"),
            "{notes:?}"
        );
        assert!(notes[1].contains("KiB, MiB, GiB or TiB"), "{notes:?}");
    }

    #[test]
    fn the_program_side_can_be_fixed_from_the_url() {
        let (p, notes) = workload_from("preset=leak&leak=0&rate=64");
        assert_eq!(
            (p.workload.leak_per_sec, p.workload.alloc_per_sec),
            (0, 64 << 20)
        );
        assert!(notes.is_empty());
        let (_, notes) = workload_from("leak=-1");
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn every_slider_stop_is_valid_go_syntax() {
        for s in GOGC_STOPS {
            assert!(parse_gogc(s).is_ok(), "{s}");
        }
        for s in LIMIT_STOPS {
            assert!(parse_gomemlimit(s).is_ok(), "{s}");
        }
    }
}
