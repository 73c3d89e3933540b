//! The G-M-P scheduler, live: each P a lane with its runnext slot, local run
//! queue and M; the global queue, the netpoller, sysmon and the threads
//! without a P; goroutines moving event by event. Play, step, step back,
//! scrub, change the speed, GOMAXPROCS, async preemption, the seed, or write
//! a scenario. State in the URL (`?preset=work-stealing&gomaxprocs=4&step=40`,
//! see [`state`]).
//!
//! The widget computes nothing about scheduling itself: every frame is a
//! view of `runtime_model::sched::Sim` right after the step's event (the
//! model's `Timeline`, snapshots plus replay, and `Sim::frame` within an
//! action that queues several events; see [`run`]), and every sentence
//! comes from the model's events. A step that changes nothing drawn says
//! so. "Next interesting event" (n/N) jumps to the next steal, handoff,
//! preemption or event of one goroutine; routine steps (idle sysmon ticks,
//! schedtrace lines, repeated go statements) can be hidden; "skip the
//! setup" goes to where the preset's lesson starts. The [`latency`] panel
//! shows how long goroutines waited runnable.

pub mod latency;
pub mod run;
pub mod state;
pub mod strip;
pub mod view;

use std::rc::Rc;

use runtime_model::sched::{parse_scenario, presets, EventKind, Highlight, Sim, MAX_GOMAXPROCS};
use yew::prelude::*;

use self::latency::Latency;
use self::run::{lesson, next_goroutine_question, preemption_tail, Run};
use self::state::{Action, Jumps, Params, CUSTOM, FOLLOW};
use crate::kit::checkpoint::{use_checkpoint, CheckpointView};
use crate::kit::controls::CopyLink;
use crate::kit::motion::{use_flip, use_motion};
use crate::kit::query::Choices;
use crate::kit::query::{use_params, view_notices, OneOf, Whole};
use crate::kit::stepper::{use_stepper, Course, PlayerMsg};

/// Events listed under "Recent events".
const RECENT_EVENTS: u64 = 8;
/// schedtrace lines shown.
const SHOWN_TRACES: usize = 12;

/// A callback that sends `knob` the action `f` reads from the event, if
/// any (a value the control cannot hold sends nothing).
fn when<E: 'static>(
    knob: &Callback<Action>,
    f: impl Fn(E) -> Option<Action> + 'static,
) -> Callback<E> {
    let knob = knob.clone();
    Callback::from(move |e: E| {
        if let Some(action) = f(e) {
            knob.emit(action);
        }
    })
}

#[function_component(SchedulerWidget)]
pub fn scheduler_widget() -> Html {
    let url = use_params::<Params>();
    let params = url.params.clone();
    let run = use_memo(params.run(), |p| {
        p.config().and_then(Run::record).map(Rc::new)
    });
    let stepper = use_stepper(
        "step",
        params.step,
        run.as_ref().as_ref().map_or(0, |r| r.last),
        params.run(),
        url.dispatch.reform(Action::Seek),
    );
    // The scenario as edited but not yet applied, and why it was refused.
    let draft = use_state(|| None::<String>);
    let draft_error = use_state(|| None::<String>);
    let checkpoint = use_checkpoint();
    // Chips that change place travel there (off: the highlight alone).
    let motion = use_motion();
    let diagram = use_node_ref();
    use_flip(diagram.clone(), stepper.step, motion.timing(stepper.speed));
    let notices = url.notices_with(stepper.notice.clone());
    // A knob change restarts the run from step 0 with the new setting.
    let knob = {
        let (dispatch, stepper, draft) = (url.dispatch.clone(), stepper.clone(), draft.clone());
        Callback::from(move |action: Action| {
            stepper.stop();
            draft.set(None);
            dispatch.emit(action);
        })
    };

    // With a CPU hog, the same run with and without async preemption.
    let tail = use_memo(params.run(), |p| {
        p.preset()
            .filter(|preset| preset.name.starts_with("preempt"))
            .and_then(|_| p.config().ok())
            .and_then(|c| preemption_tail(&c))
    });
    let run = match run.as_ref() {
        Ok(run) => run.clone(),
        Err(message) => {
            let reset = knob.reform(|_: MouseEvent| Action::OpenDefault);
            return html! {
                <div class="widget scheduler-widget">
                    { view_notices(&notices) }
                    <p class="notice" role="alert">{ format!("This scenario cannot run: {message}") }</p>
                    <button type="button" onclick={reset}>{ "Open the default scenario" }</button>
                </div>
            };
        }
    };
    let step = stepper.step;
    let (highlight, mark_name) = match params.jump() {
        "steal" => (Some(Highlight::Steal), "steal".to_owned()),
        "handoff" => (Some(Highlight::Handoff), "handoff".to_owned()),
        "preemption" => (Some(Highlight::Preemption), "preemption".to_owned()),
        FOLLOW => (None, format!("event of G{}", params.followed())),
        _ => (None, "steal, handoff or preemption".to_owned()),
    };
    let follow = (params.jump() == FOLLOW).then(|| params.followed());
    stepper.set_course(Course {
        stops: params.hideroutine.then(|| Rc::new(run.stops())),
        marks: Rc::new(run.marks(highlight, follow)),
        mark_name,
        ..Course::default()
    });
    let (sim, history) = run.at(step, RECENT_EVENTS * 8);
    // With routine steps hidden, the log leaves them out too.
    let mut recent: Vec<_> = history
        .into_iter()
        .filter(|e| !params.hideroutine || !run.is_routine(e.step + 1))
        .collect();
    recent.drain(..recent.len().saturating_sub(RECENT_EVENTS as usize));
    let folded = if params.hideroutine {
        run.folded_before(step)
    } else {
        0
    };
    // The picture: the state right after this step's event (the model's
    // action may already have done more; `sim` is used to look ahead).
    let shown = run.frame(step);
    let unchanged = run.changes_nothing(step);
    let current = recent.last();
    // A go statement or a wake-up that pushes the old runnext out: the
    // next step puts it in the queue, so say where it went meanwhile.
    let pushed_out = current
        .filter(|e| matches!(e.kind, EventKind::Newproc { .. } | EventKind::Ready { .. }))
        .and_then(|e| {
            run.events
                .get(step as usize)
                .filter(|n| n.kind == EventKind::RunnextKicked && n.p == e.p)
        })
        .and_then(|n| n.g);
    let moved = current.and_then(|e| e.g);
    let question = params
        .predict
        .then(|| next_goroutine_question(&shown, &sim, step))
        .flatten()
        .map(Rc::new);
    stepper.hold(checkpoint.is_open(question.as_deref()));

    let on_preset = when(&knob, |e: Event| {
        e.target_dyn_into::<web_sys::HtmlSelectElement>()
            .and_then(|s| OneOf::new(&s.value()))
            .map(Action::Preset)
    });
    let on_procs = when(&knob, |e: Event| {
        e.target_dyn_into::<web_sys::HtmlSelectElement>()
            .and_then(|s| s.value().parse().ok())
            .map(|p| Action::Gomaxprocs(Whole(p)))
    });
    let checked = |e: &Event| {
        e.target_dyn_into::<web_sys::HtmlInputElement>()
            .map(|i| i.checked())
    };
    let on_async = when(&knob, move |e: Event| {
        checked(&e).map(Action::AsyncPreemptOff)
    });
    let on_predict = when(&knob, move |e: Event| checked(&e).map(Action::Predict));
    let on_hide = when(&url.dispatch, move |e: Event| {
        checked(&e).map(Action::HideRoutine)
    });
    let on_jump = when(&url.dispatch, |e: Event| {
        e.target_dyn_into::<web_sys::HtmlSelectElement>()
            .and_then(|s| OneOf::new(&s.value()))
            .map(Action::Jump)
    });
    let on_follow = when(&url.dispatch, |e: Event| {
        let input = e.target_dyn_into::<web_sys::HtmlInputElement>()?;
        input
            .value()
            .trim()
            .trim_start_matches(['G', 'g'])
            .parse()
            .ok()
            .map(|g| Action::Follow(Whole(g)))
    });
    // "Skip the setup": to the step where the preset's lesson starts.
    let skip = params
        .preset()
        .and_then(|p| lesson(p.name))
        .and_then(|(what, picks)| run.first_step(picks).map(|at| (what, at)))
        .filter(|&(_, at)| step < at)
        .map(|(what, at)| {
            let go = url.dispatch.clone();
            let stepper = stepper.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                stepper.stop();
                go.emit(Action::Seek(at));
            });
            html! {
                <button type="button" class="skip-setup" {onclick}>
                    { format!("Skip the setup: to step {at}, {what}") }
                </button>
            }
        });
    let on_seed = when(&knob, |e: Event| {
        let input = e.target_dyn_into::<web_sys::HtmlInputElement>()?;
        let seed = input.value().trim().parse::<u64>().ok();
        input.set_custom_validity(if seed.is_some() {
            ""
        } else {
            "The seed is a whole number from 0 to 18446744073709551615."
        });
        input.report_validity();
        seed.map(|s| Action::Seed(Whole(s)))
    });

    let scenario_text = (*draft).clone().unwrap_or_else(|| params.scenario_text());
    let on_draft = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                draft.set(Some(t.value()));
            }
        })
    };
    let on_apply = {
        let (knob, draft_error, text) = (knob.clone(), draft_error.clone(), scenario_text.clone());
        Callback::from(move |_: MouseEvent| {
            // Check first: a bad scenario leaves the running one untouched.
            match parse_scenario(&text).and_then(|c| Sim::new(c).map(|_| ())) {
                Ok(()) => {
                    draft_error.set(None);
                    knob.emit(Action::ApplyScenario(text.clone()));
                }
                Err(e) => draft_error.set(Some(e.to_string())),
            }
        })
    };
    let seed = params.seed.map_or(run.seed, |s| s.0).to_string();
    html! {
        <div class={classes!("widget", "scheduler-widget", motion.class(stepper.speed))} onkeydown={stepper.onkeydown.clone()}>
            { view_notices(&notices) }
            <div class="controls">
                <label for="sched-preset">{ "Scenario" }</label>
                <select id="sched-preset" onchange={on_preset}>
                    { for presets::PRESETS.iter().map(|p| html! {
                        <option value={p.name} selected={p.name == params.preset.name()}>{ p.title }</option>
                    }) }
                    if params.is_custom() {
                        <option value={CUSTOM} selected=true>{ "Your own scenario" }</option>
                    }
                </select>
                <label for="sched-procs">{ "GOMAXPROCS" }</label>
                <select id="sched-procs" onchange={on_procs}>
                    { for (1..=MAX_GOMAXPROCS).map(|n| html! {
                        <option value={n.to_string()} selected={n == run.procs}>{ n }</option>
                    }) }
                </select>
                <label class="check">
                    <input type="checkbox" checked={params.asyncpreemptoff} onchange={on_async} />
                    { " GODEBUG=asyncpreemptoff=1" }
                </label>
                <label class="check">
                    <input type="checkbox" checked={params.predict} onchange={on_predict} />
                    { " Ask me which goroutine runs next" }
                </label>
                <label class="check">
                    <input type="checkbox" checked={params.hideroutine} onchange={on_hide} />
                    { " Hide routine steps (sysmon ticks with nothing to do, schedtrace lines, repeated go statements)" }
                </label>
                <label for="sched-jump">{ "Next interesting event" }</label>
                <select id="sched-jump" onchange={on_jump}>
                    { for Jumps::names().into_iter().map(|name| {
                        let label = match name {
                            "steal" => "a steal".to_owned(),
                            "handoff" => "a handoff (retake, handoffp)".to_owned(),
                            "preemption" => "a preemption".to_owned(),
                            FOLLOW => "an event of one goroutine".to_owned(),
                            _ => "a steal, handoff or preemption".to_owned(),
                        };
                        html! { <option value={name} selected={name == params.jump()}>{ label }</option> }
                    }) }
                </select>
                if params.jump() == FOLLOW {
                    <label for="sched-follow">{ "Goroutine" }</label>
                    <input id="sched-follow" class="seed" type="text" inputmode="numeric"
                        value={format!("G{}", params.followed())} onchange={on_follow} />
                }
                <label for="sched-seed">{ "Seed" }</label>
                <input id="sched-seed" class="seed" type="text" inputmode="numeric" value={seed} onchange={on_seed} />
                <CopyLink />
            </div>
            if let Some(text) = params.description() {
                <p class="explanation">{ text }</p>
            }
            { stepper.player("Scheduler playback") }
            { skip.unwrap_or_default() }
            <CheckpointView {question} state={checkpoint.clone()} {step} name="sched-predict" />
            { view::narration(current, unchanged, folded, pushed_out, stepper.playing) }
            <div class="sched-diagram" ref={diagram}>
                { view::lanes(&shown, moved) }
                { view::machine(&shown, moved) }
            </div>
            <strip::RunStrip run={run.clone()} {step} on_seek={stepper.on.reform(|s: u64| PlayerMsg::Seek(s as usize))} />
            { view::legend(&shown, step, &run) }
            { view::latency(&Latency::by(&run.waits, step), tail.as_deref()) }
            <div class="sched-lower">
                { view::event_log(&recent) }
                { view::schedtrace(&run.traces_by(step, SHOWN_TRACES), &shown) }
            </div>
            { view::scenario_editor(
                scenario_text,
                draft_error.as_deref(),
                params.is_custom() || draft_error.is_some(),
                on_draft,
                on_apply,
            ) }
            <p class="fine-print">
                { "A model of runtime/proc.go (Go 1.27): the queues, ticks and the order in which findRunnable looks \
                   for work follow the source; time is virtual, every scheduler action costs 100 ns, waking a thread \
                   5 µs, and the GC, locked threads and cgo are left out." }
            </p>
        </div>
    }
}
