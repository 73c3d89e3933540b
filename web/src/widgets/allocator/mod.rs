//! The allocator: type a size and see the path `mallocgc` takes, the size
//! class and what rounding wastes; the table of all 67 classes with that
//! class marked; and a run of allocations animated through mcache ->
//! mcentral -> mheap, which can first ask which size class each new size
//! lands in ([`predict`]). State in the URL:
//! `?size=33&pointers=1&run=mixed&alloc-predict=1&alloc-step=12` (see
//! [`state`]).

pub mod draw;
pub mod predict;
pub mod state;
pub mod view;

use std::rc::Rc;

use runtime_model::malloc::plan_alloc;
use yew::prelude::*;

use self::draw::sim_view;
use self::state::{Action, Params, Run, OWN_RUN_LIMIT, SIZE_LIMIT};
use self::view::{class_table, path_steps, plan_facts, request_text, source_file, summary};
use crate::kit::checkpoint::{use_checkpoint, CheckpointView};
use crate::kit::controls::{CopyLink, NumberField};
use crate::kit::link::go_function;
use crate::kit::query::{use_params, view_notices};
use crate::kit::recording::Recording;
use crate::kit::stepper::use_stepper;

#[function_component(Allocator)]
pub fn allocator() -> Html {
    let url = use_params::<Params>();
    let params = url.params.clone();
    let plan = plan_alloc(params.size.0, !params.pointers);
    let scenario = params.scenario();
    let recording = use_memo(scenario, |s| Recording::new(s.sim(), u64::MAX));
    // A change that changes the run stops playing it (the reducer starts
    // it over).
    let stepper = use_stepper(
        "alloc-step",
        params.step,
        recording.last,
        scenario,
        url.dispatch.reform(Action::Seek),
    );
    let notices = url.notices_with(stepper.notice.clone());
    let (timeline, mut events) = recording.at(stepper.step, 1);
    let event = events.pop();
    let sim = timeline.sim();
    let asked = params
        .predict
        .then(|| predict::question_at(sim, stepper.step))
        .flatten();
    let checkpoint = use_checkpoint();
    let open = asked
        .as_ref()
        .filter(|a| checkpoint.is_open(Some(&a.question)));
    stepper.hold(open.is_some());
    // While the question is about the size in the field, the facts above
    // would answer it: they wait too.
    let hidden = open.is_some_and(|a| (a.size, a.noscan) == (params.size.0, !params.pointers));
    let question = asked.map(|a| Rc::new(a.question));

    let on_size = url.dispatch.reform(Action::Size);
    let on_pointers = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                dispatch.emit(Action::Pointers(input.checked()));
            }
        })
    };
    let on_predict = {
        let (dispatch, stepper) = (url.dispatch.clone(), stepper.clone());
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                stepper.stop();
                dispatch.emit(Action::Predict(input.checked()));
            }
        })
    };
    let on_run = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some(run) = Run::named(&select.value()) {
                    dispatch.emit(Action::PickRun(run));
                }
            }
        })
    };

    let table_ref = use_node_ref();
    {
        // Keep the marked row in view inside the table's scroll box.
        let table_ref = table_ref.clone();
        use_effect_with(plan.size_class, move |_| {
            use wasm_bindgen::JsCast;
            if let Some(wrap) = table_ref.cast::<web_sys::HtmlElement>() {
                let row = wrap
                    .query_selector("tr.current")
                    .ok()
                    .flatten()
                    .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(row) = row {
                    wrap.set_scroll_top((row.offset_top() - 80).max(0));
                }
            }
        });
    }

    let requests = sim.requests();
    let current = sim.current_request();
    html! {
        <div class="widget alloc-widget">
            { view_notices(&notices) }
            <div class="controls">
                <NumberField id="alloc-size" label="Size in bytes" noun="The size" value={params.size.0} min={0} max={SIZE_LIMIT} on_change={on_size} />
                <label class="check">
                    <input id="alloc-pointers" type="checkbox" checked={params.pointers} onchange={on_pointers} />
                    { " contains pointers" }
                </label>
                <CopyLink />
            </div>
            <p class="alloc-summary" aria-live="polite">
                if hidden {
                    { format!("Where {} B lands shows once you answer the prediction below.", plan.size) }
                } else {
                    <strong>{ summary(&plan) }</strong>
                }
            </p>
            <div class="alloc-grid">
                { path_steps(&plan, hidden) }
                if !hidden { { plan_facts(&plan) } }
            </div>
            <div class="table-wrap class-table-wrap" tabindex="0" role="region" aria-label="Size class table" ref={table_ref}>
                { class_table(&plan, hidden) }
            </div>

            <h3 class="widget-sub">{ "A run of allocations, step by step" }</h3>
            <div class="controls">
                <label for="alloc-run">{ "Run" }</label>
                <select id="alloc-run" onchange={on_run}>
                    <option value={Run::Mixed.name()} selected={params.run == Run::Mixed}>{ "Mixed: tiny, 8 KB, large, GC, reuse" }</option>
                    <option value={Run::Yours.name()} selected={params.run == Run::Yours}>{ format!("Your size: allocations of {} B", params.size.0) }</option>
                </select>
                <label class="check">
                    <input id="alloc-predict" type="checkbox" checked={params.predict} onchange={on_predict} />
                    { " Ask me which size class each new size lands in" }
                </label>
            </div>
            if params.own_run_too_big() {
                <p class="notice" role="status">{ format!("The step-by-step run draws sizes up to {} B; this plays the mixed run instead.", OWN_RUN_LIMIT) }</p>
            }
            <div class="alloc-anim" tabindex="-1" onkeydown={stepper.onkeydown.clone()}>
                { stepper.player("Allocation playback") }
                <CheckpointView {question} state={checkpoint.clone()} step={stepper.step} name="alloc-predict" />
                <p class="narration" aria-live="polite">
                    { match &event {
                        None => html! { { "Press Step (or →) to serve the first request." } },
                        Some(e) => html! {
                            <>
                                <strong>{ format!("Step {}: ", e.tick) }</strong>{ e.text.clone() }{ " " }
                                { go_function(e.go_function, source_file(e.go_function)) }
                            </>
                        },
                    } }
                </p>
                <ol class="requests" aria-label="Requests">
                    { for requests.iter().enumerate().map(|(i, r)| {
                        let here = current == Some(i) && event.is_some();
                        html! {
                            <li class={classes!(here.then_some("current"))} aria-current={here.then_some("step")}>
                                if here { <span class="now-mark">{ "▶ " }</span> }
                                { request_text(r) }
                            </li>
                        }
                    }) }
                </ol>
                { sim_view(sim, event.as_ref()) }
            </div>
            <p class="fine-print">
                { "The model has one P (so one mcache), sweeps every span at once when a GC \
                   starts, and leaves out scavenging, arenas and 32-bit sizes. The numbers \
                   follow Go 1.27's malloc.go and sizeclasses.go on 64-bit systems." }
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::state::Scenario;
    use super::*;

    #[test]
    fn a_recording_reaches_each_step_as_stepping_from_the_start_does() {
        let scenario = Scenario::FillSpans {
            size: 8192,
            noscan: true,
        };
        let recording = Recording::new(scenario.sim(), u64::MAX);
        let events = scenario.sim().run();
        assert_eq!(recording.last, events.len() as u64);
        for step in [5, 0, recording.last, 3] {
            let (timeline, mut history) = recording.at(step, 1);
            let event = history.pop();
            assert_eq!(
                event.map(|e| e.tick),
                step.checked_sub(1).map(|s| events[s as usize].tick)
            );
            let mut straight = scenario.sim();
            straight.run_until(step);
            assert_eq!(timeline.sim().tick(), straight.tick());
            assert_eq!(timeline.sim().current_request(), straight.current_request());
        }
    }
}
