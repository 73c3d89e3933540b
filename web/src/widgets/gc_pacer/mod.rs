//! The GC pacer under GOGC and GOMEMLIMIT: the heap over time with its
//! goal, limit and each cycle's floating garbage, zoomable to a few cycles;
//! the latency the collector causes (GC CPU, mark assists and pauses per
//! cycle); readouts for GC CPU, peak memory and the number of cycles; and
//! the `GODEBUG=gctrace=1` lines. Every sentence is written from the
//! workload in force and its run ([`prose`]). Every knob change reruns the
//! whole simulated run (`runtime_model::gc::pacer`), which takes well under
//! a frame. State in the URL:
//! `?workload=leak&gogc=200&gomemlimit=512MiB&gctrace=1&zoom=16&pan=2400`
//! (see [`state`]).

pub mod draw;
pub mod prose;
pub mod state;
pub mod view;

use runtime_model::gc::pacer::{pacer_presets, simulate};
use yew::prelude::*;

use self::draw::{chart, cycles_in, latency_chart, NAMED_CYCLES};
use self::prose::{
    cycle_story, cycle_to_explain, describe, latency_simplified, latency_story, latency_what_if,
    window_text,
};
use self::state::{
    few_cycles_zoom, reach_words, refused, Action, Gogc, MemoryLimit, Move, Params, Reaches,
};
use self::view::{
    gctrace, gogc_stop, legend, limit_stop, limit_text, readouts, window_controls, GOGC_STOPS,
    LIMIT_STOPS,
};
use crate::kit::controls::CopyLink;
use crate::kit::query::Whole;
use crate::kit::query::{use_params, view_notices, OneOf};
use runtime_model::gc::cost::Reach;

#[function_component(GcPacerWidget)]
pub fn gc_pacer_widget() -> Html {
    let url = use_params::<Params>();
    let params = url.params.clone();
    let preset = params.preset();
    let pacer = use_memo((preset.workload.clone(), preset.seconds), |(w, s)| {
        simulate(w.clone(), *s as f64)
    });
    // The same program under other knobs, for the latency workload's words.
    let what_if = use_memo(
        (preset.name, preset.workload.clone(), preset.seconds),
        |_| latency_what_if(&preset),
    );
    let w = &preset.workload;
    // A knob typed in Go's syntax that Go would not take: said at once,
    // and the URL (so the chart) keeps the last valid setting.
    let typed_error = use_state_eq(|| None::<String>);

    let on_workload = {
        let (dispatch, typed_error) = (url.dispatch.clone(), typed_error.clone());
        Callback::from(move |e: Event| {
            if let Some(workload) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| OneOf::new(&s.value()))
            {
                typed_error.set(None);
                dispatch.emit(Action::Workload(workload));
            }
        })
    };
    // Sets a knob from its text, or says why Go would refuse it.
    let knob = |parse: fn(&str) -> Result<Action, String>| {
        let (dispatch, typed_error) = (url.dispatch.clone(), typed_error.clone());
        Callback::from(move |text: String| match parse(&text) {
            Ok(action) => {
                typed_error.set(None);
                dispatch.emit(action);
            }
            Err(e) => typed_error.set(Some(refused(&e))),
        })
    };
    let set_gogc = knob(|t| Gogc::new(t).map(Action::Gogc));
    let set_limit = knob(|t| MemoryLimit::new(t).map(Action::MemoryLimit));
    // A slider picks one of `stops` by its index.
    let slider = |set: Callback<String>, stops: &'static [&'static str]| {
        Callback::from(move |e: InputEvent| {
            let stop = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .and_then(|i| i.value().parse::<usize>().ok())
                .and_then(|i| stops.get(i));
            if let Some(v) = stop {
                set.emit((*v).to_owned());
            }
        })
    };
    let text_box = |set: Callback<String>| {
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                set.emit(i.value().trim().to_owned());
            }
        })
    };
    let on_gogc_slider = slider(set_gogc.clone(), &GOGC_STOPS);
    let on_limit_slider = slider(set_limit.clone(), &LIMIT_STOPS);
    let on_gogc_text = text_box(set_gogc);
    let on_limit_text = text_box(set_limit);
    // The heap's shape: two whole numbers of bytes and a menu.
    let bytes_box = |make: fn(u64) -> Action| {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .and_then(|i| i.value().trim().parse::<u64>().ok())
            {
                dispatch.emit(make(v));
            }
        })
    };
    let on_object = bytes_box(Action::ObjectBytes);
    let on_pointers = bytes_box(Action::PointerBytes);
    let on_reach = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(r) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| OneOf::<Reaches>::new(&s.value()))
            {
                dispatch.emit(Action::Reach(r));
            }
        })
    };
    let shape_error = params.shape_error();
    // The boxes show what the link says, even a shape that cannot be (the
    // notice says why), so that the learner can see and fix it.
    let object_text = params
        .object
        .map_or(w.shape.object_bytes, |Whole(b)| b)
        .to_string();
    let pointers_text = params
        .pointers
        .map_or(w.shape.pointer_bytes, |Whole(b)| b)
        .to_string();
    let on_gctrace = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(d) = e.target_dyn_into::<web_sys::HtmlDetailsElement>() {
                dispatch.emit(Action::Gctrace(d.open()));
            }
        })
    };

    let on_move = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |m: Move| dispatch.emit(Action::Window(m)))
    };
    let window = params.window(preset.seconds);
    let in_view = cycles_in(&pacer, window);
    let zoom = params.zoom.map_or(1, |Whole(z)| z);
    let run_end = preset.seconds * 1_000_000_000;
    let status = window_text(&pacer, preset.seconds, window, in_view);
    // The cycles' period, from the run after its first two cycles.
    let settled = pacer.records.get(2..).unwrap_or_default();
    let period = match (settled.first(), settled.last()) {
        (Some(a), Some(b)) if settled.len() > 1 => {
            (b.start_ns - a.start_ns) / (settled.len() as u64 - 1)
        }
        _ => run_end,
    };
    let few = few_cycles_zoom(preset.seconds, period);
    // The chart's keys: + and − zoom, arrows pan, Home and End, 0 for the
    // whole run, 3 for about three cycles.
    let on_chart_key = {
        let on_move = on_move.clone();
        Callback::from(move |e: KeyboardEvent| {
            let m = match e.key().as_str() {
                "+" | "=" => Move::ZoomIn,
                "-" | "_" => Move::ZoomOut,
                "ArrowLeft" => Move::Earlier,
                "ArrowRight" => Move::Later,
                "Home" => Move::Start,
                "End" => Move::End,
                "0" => Move::All,
                "3" => Move::Zoom(few),
                _ => return,
            };
            e.prevent_default();
            on_move.emit(m);
        })
    };
    let story = cycle_to_explain(&pacer, window).map(|r| cycle_story(&pacer, r));

    let gogc_text = params
        .gogc
        .as_ref()
        .map_or_else(|| w.gogc.to_string(), |g| g.text().to_owned());
    let limit_value = params.gomemlimit.as_ref().map_or_else(
        || match w.gomemlimit {
            None => "off".to_owned(),
            Some(b) => format!("{}MiB", b >> 20),
        },
        |l| l.text().to_owned(),
    );
    html! {
        <div class="widget gc-pacer">
            { view_notices(&url.notices) }
            if let Some(e) = &*typed_error {
                <p class="notice" role="alert">{ e.clone() }</p>
            }
            <div class="controls">
                <label for="pacer-preset">{ "Workload" }</label>
                <select id="pacer-preset" onchange={on_workload}>
                    { for pacer_presets().iter().map(|p| html! { <option value={p.name} selected={p.name == preset.name}>{ p.name }</option> }) }
                </select>
                <CopyLink />
            </div>
            <p class="explanation" aria-live="polite">{ describe(&preset, &pacer) }</p>
            <div class="knob-grid">
                <label for="gogc-slider">{ "GOGC" }</label>
                <input id="gogc-slider" type="range" min="0" max={(GOGC_STOPS.len() - 1).to_string()} value={gogc_stop(w.gogc).to_string()}
                    aria-valuetext={format!("GOGC={}", w.gogc)} oninput={on_gogc_slider} />
                <input class="knob-text" type="text" aria-label="GOGC value" value={gogc_text} onchange={on_gogc_text} />
                <label for="limit-slider">{ "GOMEMLIMIT" }</label>
                <input id="limit-slider" type="range" min="0" max={(LIMIT_STOPS.len() - 1).to_string()} value={limit_stop(w.gomemlimit).to_string()}
                    aria-valuetext={format!("GOMEMLIMIT={}", limit_text(w.gomemlimit))} oninput={on_limit_slider} />
                <input class="knob-text" type="text" aria-label="GOMEMLIMIT value" value={limit_value} onchange={on_limit_text} />
            </div>
            <fieldset class="heap-shape">
                <legend>{ "The live heap's objects" }</legend>
                <div class="knob-grid">
                    <label for="pacer-object">{ "Size of each object, in bytes" }</label>
                    <input id="pacer-object" class="knob-text" type="number" min="1" step="8" inputmode="numeric"
                        value={object_text} onchange={on_object} />
                    <label for="pacer-pointers">{ "Bytes at its start that hold pointers" }</label>
                    <input id="pacer-pointers" class="knob-text" type="number" min="0" step="8" inputmode="numeric"
                        value={pointers_text} onchange={on_pointers} />
                    <label for="pacer-reach">{ "Marking finds them" }</label>
                    <select id="pacer-reach" onchange={on_reach}>
                        { for Reach::ALL.iter().map(|r| html! {
                            <option value={r.name()} selected={*r == w.shape.reach}>{ reach_words(*r) }</option>
                        }) }
                    </select>
                </div>
            </fieldset>
            if let Some(e) = shape_error {
                <p class="notice" role="alert">{ e }</p>
            }
            { readouts(&pacer, w) }
            { window_controls(status, zoom, few, (window.0 == 0, window.1 >= run_end), on_move) }
            <div class="chart-keys" tabindex="0" role="group" onkeydown={on_chart_key}
                aria-label="Heap chart. Keys: plus and minus zoom, left and right arrows pan, Home and End go to the start and end, 3 shows about three cycles, 0 the whole run.">
                { chart(&pacer, preset.seconds, window) }
            </div>
            { legend(w.gomemlimit.is_some(), in_view.len() <= NAMED_CYCLES) }
            if let Some(story) = story {
                <p class="cycle-story" aria-live="polite">{ story }</p>
            }
            <section class="pacer-latency" aria-labelledby="pacer-latency-title">
                <h3 id="pacer-latency-title" class="widget-sub">{ "Latency: pauses and mark assists per cycle" }</h3>
                { latency_chart(&pacer, window) }
                <p class="latency-story" aria-live="polite">{ latency_story(&pacer) }</p>
                if let Some(what_if) = &*what_if {
                    <p class="latency-what-if">{ what_if.clone() }</p>
                }
                <p class="fine-print">{ latency_simplified() }</p>
            </section>
            { gctrace(&pacer, params.gctrace, on_gctrace) }
            <p class="fine-print">
                { "A model of runtime/mgcpacer.go and mgclimit.go (Go 1.27): the goal, trigger, worker counts and limiter follow \
                   the source, and the tests check the steady heap goal against real Go within 5%. What marking costs (per object, \
                   per pointer word, per span, and the time to follow a chain) was measured on one machine with real Go and is \
                   refitted by the tests; mark times, pauses and GC CPU are estimates, which on another machine, or on this one \
                   when it is busy, can be off by half or more. The program is taken to want all of its CPU; the scavenger and \
                   idle mark workers are left out." }
            </p>
        </div>
    }
}
