//! The G-M-P scheduler, live: each P a lane with its runnext slot, local run
//! queue and M; the global queue, the netpoller, sysmon and the threads
//! without a P; goroutines moving event by event. Play, step, step back,
//! scrub, change the speed, GOMAXPROCS, async preemption, the seed, or write
//! a scenario. State in the URL (`?preset=work-stealing&gomaxprocs=4&step=40`).
//!
//! The widget computes nothing about scheduling itself: every frame is a
//! view of `runtime_model::sched::Sim` at a step, reached through its
//! `Timeline` (snapshots plus replay), and every sentence comes from the
//! model's events.

use std::cell::RefCell;
use std::rc::Rc;

use runtime_model::sched::{
    human, parse_scenario, presets, Config, Event as SchedEvent, EventKind, GId, GStatus, MState,
    PStatus, Sim, Timeline,
};
use yew::prelude::*;

use crate::kit::controls::CopyLink;
use crate::kit::link::go_source as source_link;
use crate::kit::query::{param, use_query_state};
use crate::kit::stepper::use_stepper;

/// The view replays at most this many steps; longer runs stop here (said
/// in the UI).
pub const MAX_VIEW_STEPS: u64 = 200_000;
/// GOMAXPROCS the knob offers.
pub const MAX_KNOB_PROCS: u32 = 64;
/// Goroutines drawn per queue before "+N more".
const SHOWN_PER_QUEUE: usize = 24;
const DEFAULT_PRESET: &str = "fan-out";

/// Everything the URL can set. Unknown or malformed values become defaults
/// and a notice, never a failure.
#[derive(Clone, Debug, PartialEq)]
pub struct Knobs {
    pub preset: &'static str,
    /// The custom scenario's text, when `preset` is "custom".
    pub scenario: Option<String>,
    pub n: Option<u32>,
    pub gomaxprocs: Option<u32>,
    pub asyncpreemptoff: bool,
    pub seed: Option<u64>,
    pub schedtrace_ms: Option<u64>,
}

impl Knobs {
    /// Reads the knobs from a query string; the notices say what was wrong.
    pub fn from_query(query: &str) -> (Knobs, Vec<String>) {
        let mut notices = Vec::new();
        let mut number = |name: &str, max: u64, min: u64| -> Option<u64> {
            let raw = param(query, name)?;
            match raw.parse::<u64>() {
                Ok(v) if (min..=max).contains(&v) => Some(v),
                _ => {
                    notices.push(format!(
                        "The link's {name}={raw:?} is not a whole number from {min} to {max}; using the default."
                    ));
                    None
                }
            }
        };
        let n = number(
            "n",
            u64::from(runtime_model::sched::DEFAULT_GOROUTINE_LIMIT),
            1,
        )
        .map(|v| v as u32);
        let gomaxprocs = number("gomaxprocs", u64::from(MAX_KNOB_PROCS), 1).map(|v| v as u32);
        let seed = number("seed", u64::MAX, 0);
        let schedtrace_ms = number("schedtrace", 10_000, 1);
        let asyncpreemptoff = match param(query, "asyncpreemptoff").as_deref() {
            None | Some("0") => false,
            Some("1") => true,
            Some(other) => {
                notices.push(format!(
                    "The link's asyncpreemptoff={other:?} should be 0 or 1; using 0."
                ));
                false
            }
        };
        let scenario = param(query, "scenario");
        let preset = match param(query, "preset").as_deref() {
            None => DEFAULT_PRESET,
            Some("custom") if scenario.is_some() => "custom",
            Some(name) => match presets::preset(name) {
                Some(p) => p.name,
                None => {
                    let names: Vec<&str> = presets::PRESETS.iter().map(|p| p.name).collect();
                    notices.push(format!(
                        "There is no preset {name:?}; showing {DEFAULT_PRESET}. Presets: {}.",
                        names.join(", ")
                    ));
                    DEFAULT_PRESET
                }
            },
        };
        let knobs = Knobs {
            preset,
            scenario: (preset == "custom").then_some(scenario).flatten(),
            n,
            gomaxprocs,
            asyncpreemptoff,
            seed,
            schedtrace_ms,
        };
        (knobs, notices)
    }

    /// The scenario text these knobs start from.
    pub fn scenario_text(&self) -> String {
        match (&self.scenario, presets::preset(self.preset)) {
            (Some(text), _) => text.clone(),
            (None, Some(p)) => p.text_for(self.n.unwrap_or(p.default_n)),
            (None, None) => String::new(),
        }
    }

    /// The model's configuration, or the model's own error message.
    pub fn config(&self) -> Result<Config, String> {
        let mut config = parse_scenario(&self.scenario_text()).map_err(|e| e.to_string())?;
        if let Some(p) = self.gomaxprocs {
            config.gomaxprocs = p;
        }
        if self.asyncpreemptoff {
            config.asyncpreemptoff = true;
        }
        if let Some(seed) = self.seed {
            config.seed = seed;
        }
        let trace_ms = self.schedtrace_ms.unwrap_or(1);
        if config.schedtrace_ns.is_none() {
            config.schedtrace_ns = Some(trace_ms * 1_000_000);
        }
        config.validate().map_err(|e| e.to_string())?;
        Ok(config)
    }
}

/// One recorded run: the timeline to seek in, its length, and the
/// schedtrace lines printed along the way.
pub struct Run {
    timeline: RefCell<Timeline>,
    /// GOMAXPROCS when the run starts.
    pub procs: u32,
    pub last: u64,
    pub finished: bool,
    pub traces: Vec<(u64, String)>,
}

impl Run {
    /// Runs `config` to its end (or [`MAX_VIEW_STEPS`]) once, keeping
    /// snapshots so that any step can be reached quickly later.
    pub fn record(config: Config) -> Result<Run, String> {
        let detailed = config.scheddetail;
        let procs = config.gomaxprocs;
        let sim = Sim::new(config).map_err(|e| e.to_string())?;
        let mut timeline = Timeline::new(sim);
        let mut traces = Vec::new();
        while timeline.step_index() < MAX_VIEW_STEPS {
            match timeline.step() {
                Some(e) if e.kind == EventKind::Schedtrace => {
                    traces.push((timeline.step_index(), timeline.sim().schedtrace(detailed)));
                }
                Some(_) => {}
                None => break,
            }
        }
        let last = timeline.step_index();
        let finished = timeline.sim().finished();
        timeline.seek(0);
        Ok(Run {
            timeline: RefCell::new(timeline),
            procs,
            last,
            finished,
            traces,
        })
    }

    /// The state at `step` and the events that led to it (the most recent
    /// last, at most `history` of them).
    pub fn at(&self, step: u64, history: u64) -> (Sim, Vec<SchedEvent>) {
        let mut tl = self.timeline.borrow_mut();
        let from = step.saturating_sub(history);
        tl.seek(from);
        let mut events = Vec::new();
        while tl.step_index() < step {
            match tl.step() {
                Some(e) => events.push(e),
                None => break,
            }
        }
        (tl.sim().clone(), events)
    }
}

impl PartialEq for Run {
    fn eq(&self, other: &Run) -> bool {
        std::ptr::eq(self, other)
    }
}

fn g_chip(sim: &Sim, g: GId, moved: Option<GId>) -> Html {
    let status = sim.g(g).status;
    let (class, cue) = match status {
        GStatus::Running => ("running", "▶"),
        GStatus::Runnable => ("runnable", ""),
        GStatus::Syscall => ("syscall", "S"),
        GStatus::Waiting => ("waiting", "z"),
        GStatus::Dead => ("dead", "✕"),
        GStatus::Idle => ("idle", ""),
    };
    let here = moved == Some(g);
    let name = format!("G{g}");
    let title = format!("G{g} {} ({})", sim.func_name(g), status.name());
    html! {
        <span class={classes!("g", class, here.then_some("moved"))} {title}>
            if !cue.is_empty() { <span class="cue" aria-hidden="true">{ cue }</span> }
            { name }
        </span>
    }
}

fn queue(sim: &Sim, gs: &[GId], moved: Option<GId>, empty: &'static str) -> Html {
    if gs.is_empty() {
        return html! { <span class="empty">{ empty }</span> };
    }
    let more = gs.len().saturating_sub(SHOWN_PER_QUEUE);
    html! {
        <>
            { for gs.iter().take(SHOWN_PER_QUEUE).map(|&g| g_chip(sim, g, moved)) }
            if more > 0 { <span class="more">{ format!("+{more} more") }</span> }
        </>
    }
}

fn view_lanes(sim: &Sim, moved: Option<GId>) -> Html {
    html! {
        <div class="lanes" role="list" aria-label="Processors (Ps)">
            { for sim.ps().iter().filter(|p| p.status != PStatus::Dead).map(|p| {
                let m = p.m.map(|m| &sim.ms()[m as usize]);
                let runq: Vec<GId> = p.runq().collect();
                let timers = p.timers();
                let status = match p.status { PStatus::Idle => "_Pidle", PStatus::Running => "_Prunning", PStatus::Dead => "_Pdead" };
                html! {
                    <div class={classes!("lane", (p.status == PStatus::Idle).then_some("idle"))} role="listitem">
                        <div class="lane-head">
                            <strong>{ format!("P{}", p.id) }</strong>
                            <span class="pstatus">{ status }</span>
                            <span class="tick">{ format!("schedtick {}", p.schedtick) }</span>
                        </div>
                        <div class="lane-m">
                            { match m {
                                Some(m) => html! {
                                    <>
                                        <span class={classes!("m", m.spinning.then_some("spinning"))}>
                                            { format!("M{}", m.id) }{ if m.spinning { " spinning" } else { "" } }
                                        </span>
                                        { m.curg.map(|g| html! { <>{ " runs " }{ g_chip(sim, g, moved) }</> }).unwrap_or_default() }
                                    </>
                                },
                                None => html! { <span class="empty">{ "no M" }</span> },
                            } }
                        </div>
                        <div class="slot runnext">
                            <span class="slot-label">{ "runnext" }</span>
                            { queue(sim, p.runnext.as_slice(), moved, "empty") }
                        </div>
                        <div class="slot runq">
                            <span class="slot-label">{ format!("runq {}/256", runq.len()) }</span>
                            { queue(sim, &runq, moved, "empty") }
                        </div>
                        if !timers.is_empty() {
                            <div class="slot timers">
                                <span class="slot-label">{ "timers" }</span>
                                { for timers.iter().take(6).map(|(when, g)| html! {
                                    <span class="timer">{ g_chip(sim, *g, moved) }{ format!(" at {}", human(*when)) }</span>
                                }) }
                            </div>
                        }
                    </div>
                }
            }) }
        </div>
    }
}

fn view_machine(sim: &Sim, moved: Option<GId>) -> Html {
    let global: Vec<GId> = sim.global_runq().collect();
    let netpoll: Vec<GId> = sim.netpoll_waiters().map(|(_, g)| g).collect();
    let loose: Vec<&runtime_model::sched::M> = sim
        .ms()
        .iter()
        .filter(|m| m.p.is_none() && m.state != MState::Sysmon)
        .collect();
    html! {
        <div class="machine">
            <div class="row global">
                <span class="slot-label">{ format!("global runq ({})", global.len()) }</span>
                { queue(sim, &global, moved, "empty") }
            </div>
            <div class="row netpoller">
                <span class="slot-label">{ format!("netpoller ({} parked)", netpoll.len()) }</span>
                { queue(sim, &netpoll, moved, "nobody waits for I/O") }
            </div>
            <div class="row sysmon">
                <span class="slot-label">{ "sysmon" }</span>
                <span>{ if sim.sysmon_sleeping() { "sleeping (no P)" } else { "awake (no P)" } }</span>
            </div>
            <div class="row threads">
                <span class="slot-label">{ "Ms without a P" }</span>
                if loose.is_empty() {
                    <span class="empty">{ "none" }</span>
                }
                { for loose.iter().map(|m| {
                    let what = match m.state {
                        MState::Idle => "idle".to_owned(),
                        MState::Syscall => "in a syscall".to_owned(),
                        MState::Netpoll => "blocked in netpoll".to_owned(),
                        MState::Schedule => "looking for work".to_owned(),
                        MState::Running => "running".to_owned(),
                        MState::Sysmon => "sysmon".to_owned(),
                    };
                    html! {
                        <span class={classes!("m", "loose", format!("m-{what}").replace(' ', "-"))}>
                            { format!("M{} {what}", m.id) }
                            { m.curg.map(|g| html! { <>{ " with " }{ g_chip(sim, g, moved) }</> }).unwrap_or_default() }
                        </span>
                    }
                }) }
            </div>
        </div>
    }
}

/// The checkpoint: before an `execute`, which goroutine will the P run?
#[derive(Clone, Debug, PartialEq)]
struct NextRun {
    step: u64,
    p: u32,
    answer: GId,
    /// Candidates with where they sit, the answer among them.
    options: Vec<(GId, &'static str)>,
}

fn next_run_question(sim: &Sim, step: u64) -> Option<NextRun> {
    let mut peek = sim.clone();
    let e = peek.step()?;
    let (EventKind::Execute { .. }, Some(answer), Some(p)) = (e.kind, e.g, e.p) else {
        return None;
    };
    let lane = sim.ps().get(p as usize)?;
    let mut options: Vec<(GId, &'static str)> = Vec::new();
    let mut add = |g: Option<GId>, why: &'static str| {
        if let Some(g) = g {
            if !options.iter().any(|(x, _)| *x == g) {
                options.push((g, why));
            }
        }
    };
    add(lane.runnext, "in runnext");
    add(lane.runq().next(), "head of the local run queue");
    add(sim.global_runq().next(), "head of the global run queue");
    add(
        sim.ps()
            .iter()
            .filter(|o| o.id != p)
            .find_map(|o| o.runq().next().or(o.runnext)),
        "on another P",
    );
    add(Some(answer), "elsewhere: netpoll or a steal");
    if options.len() < 2 {
        return None; // Only one place to look: nothing to predict.
    }
    options.sort_by_key(|(g, _)| *g);
    Some(NextRun {
        step,
        p,
        answer,
        options,
    })
}

fn narration(e: &SchedEvent) -> Html {
    html! {
        <>
            <strong>{ format!("Step {} · {}: ", e.step + 1, human(e.t_ns)) }</strong>
            { e.sentence() }{ " " }
            <a href={source_link(e.go_file())} target="_blank" rel="noopener">
                { format!("{} ({})", e.go_func(), e.go_file()) }
            </a>
        </>
    }
}

#[function_component(SchedulerWidget)]
pub fn scheduler_widget() -> Html {
    let (query, set_query) = use_query_state();
    let (knobs, mut notices) = Knobs::from_query(&query);
    let run = use_memo(knobs.clone(), |k| {
        k.config().and_then(Run::record).map(Rc::new)
    });
    let playback = {
        let set_query = set_query.clone();
        let asked = param(&query, "step").map_or(0, |s| s.parse::<u64>().unwrap_or(u64::MAX));
        let last = run.as_ref().as_ref().map_or(0, |r| r.last);
        use_stepper(
            "step",
            asked,
            last,
            knobs.clone(),
            Callback::from(move |s: u64| set_query.emit(vec![("step", Some(s.to_string()))])),
        )
    };
    let playing = playback.clone();
    let draft = use_state(|| None::<String>);
    let draft_error = use_state(|| None::<String>);
    let answered = use_state(|| None::<(u64, bool, GId)>);
    let pick = use_state(|| None::<GId>);
    let host = use_context::<Rc<crate::kit::host::Host>>();

    let Ok(run) = run.as_ref().clone() else {
        let message = run.as_ref().as_ref().err().cloned().unwrap_or_default();
        let reset = {
            let set_query = set_query.clone();
            Callback::from(move |_: MouseEvent| {
                set_query.emit(vec![
                    ("preset", None),
                    ("scenario", None),
                    ("gomaxprocs", None),
                    ("n", None),
                    ("step", None),
                ]);
            })
        };
        return html! {
            <div class="widget scheduler-widget">
                <p class="notice" role="alert">{ format!("This scenario cannot run: {message}") }</p>
                <button type="button" onclick={reset}>{ "Open the default scenario" }</button>
            </div>
        };
    };
    notices.extend(playback.notice.clone());
    let step = playback.step;
    let (sim, recent) = run.at(step, 8);
    let current = recent.last().copied();
    let moved = current.and_then(|e| e.g);
    let predict = param(&query, "predict").as_deref() == Some("1");
    let question = if predict {
        next_run_question(&sim, step)
    } else {
        None
    };
    let blocked = question
        .as_ref()
        .is_some_and(|q| answered.as_ref().map(|a| a.0) != Some(q.step));

    playback.hold(blocked);
    let onkeydown = playback.onkeydown.clone();
    // A knob change restarts the run from step 0 with the new setting.
    let knob = |name: &'static str| {
        let set_query = set_query.clone();
        let playing = playing.clone();
        let draft = draft.clone();
        move |value: Option<String>| {
            playing.stop();
            draft.set(None);
            let mut updates = vec![(name, value), ("step", None)];
            if name == "preset" {
                updates.extend([("scenario", None), ("n", None)]);
            }
            set_query.emit(updates);
        }
    };
    let on_preset = {
        let set = knob("preset");
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                set(Some(s.value()));
            }
        })
    };
    let on_procs = {
        let set = knob("gomaxprocs");
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                set(Some(s.value()));
            }
        })
    };
    let on_async = {
        let set = knob("asyncpreemptoff");
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                set(i.checked().then(|| "1".to_owned()));
            }
        })
    };
    let on_seed = {
        let set = knob("seed");
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                match i.value().trim().parse::<u64>() {
                    Ok(v) => set(Some(v.to_string())),
                    Err(_) => i.set_custom_validity(
                        "The seed is a whole number from 0 to 18446744073709551615.",
                    ),
                }
                i.report_validity();
            }
        })
    };
    let scenario_text = (*draft).clone().unwrap_or_else(|| knobs.scenario_text());
    let on_draft = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                draft.set(Some(t.value()));
            }
        })
    };
    let on_apply = {
        let (draft, draft_error, set_query, playing) = (
            draft.clone(),
            draft_error.clone(),
            set_query.clone(),
            playing.clone(),
        );
        let text = scenario_text.clone();
        Callback::from(move |_: MouseEvent| {
            // Check first: a bad scenario leaves the running one untouched.
            match parse_scenario(&text).and_then(|c| Sim::new(c).map(|_| ())) {
                Ok(()) => {
                    draft_error.set(None);
                    draft.set(None);
                    playing.stop();
                    set_query.emit(vec![
                        ("preset", Some("custom".into())),
                        ("scenario", Some(text.clone())),
                        ("n", None),
                        ("step", None),
                    ]);
                }
                Err(e) => draft_error.set(Some(e.to_string())),
            }
        })
    };

    let on_predict = {
        let set = knob("predict");
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                set(i.checked().then(|| "1".to_owned()));
            }
        })
    };
    let on_answer = {
        let (answered, pick, host) = (answered.clone(), pick.clone(), host.clone());
        let question = question.clone();
        Callback::from(move |_: MouseEvent| {
            let (Some(q), Some(chosen)) = (&question, *pick) else {
                return;
            };
            let ok = chosen == q.answer;
            if let Some(host) = &host {
                host.post(
                    "gopherscope:statement",
                    &[(
                        "statement",
                        crate::kit::xapi::checkpoint_statement(
                            "sched-next-goroutine",
                            "Which goroutine runs next?",
                            ok,
                            &format!("G{chosen}"),
                        ),
                    )],
                );
            }
            answered.set(Some((q.step, ok, q.answer)));
            pick.set(None);
        })
    };
    let preset = presets::preset(knobs.preset);
    let traces: Vec<&String> = run
        .traces
        .iter()
        .filter(|(s, _)| *s <= step)
        .map(|(_, l)| l)
        .collect();
    let shown_traces = &traces[traces.len().saturating_sub(12)..];
    html! {
        <div class="widget scheduler-widget" {onkeydown}>
            { for notices.iter().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
            <div class="controls">
                <label for="sched-preset">{ "Scenario" }</label>
                <select id="sched-preset" onchange={on_preset}>
                    { for presets::PRESETS.iter().map(|p| html! {
                        <option value={p.name} selected={p.name == knobs.preset}>{ p.title }</option>
                    }) }
                    if knobs.preset == "custom" {
                        <option value="custom" selected=true>{ "Your own scenario" }</option>
                    }
                </select>
                <label for="sched-procs">{ "GOMAXPROCS" }</label>
                <select id="sched-procs" onchange={on_procs}>
                    { for (1..=MAX_KNOB_PROCS).map(|n| html! {
                        <option value={n.to_string()} selected={n == run.procs}>{ n }</option>
                    }) }
                </select>
                <label class="check">
                    <input type="checkbox" checked={knobs.asyncpreemptoff} onchange={on_async} />
                    { " GODEBUG=asyncpreemptoff=1" }
                </label>
                <label class="check">
                    <input type="checkbox" checked={predict} onchange={on_predict} />
                    { " Ask me which goroutine runs next" }
                </label>
                <label for="sched-seed">{ "Seed" }</label>
                <input id="sched-seed" class="seed" type="text" inputmode="numeric" value={knobs.seed.map(|s| s.to_string()).unwrap_or_else(|| "1".into())} onchange={on_seed} />
                <CopyLink />
            </div>
            if let Some(p) = preset {
                <p class="explanation">{ p.explanation }</p>
            }
            { playback.player("Scheduler playback") }
            if let (Some(q), true) = (&question, blocked) {
                <fieldset class="checkpoint">
                    <legend>{ format!("Predict: P{} is about to pick its next goroutine. Which one runs?", q.p) }</legend>
                    { for q.options.iter().map(|(g, why)| {
                        let g = *g;
                        let pick_state = pick.clone();
                        let onchange = Callback::from(move |_: Event| pick_state.set(Some(g)));
                        html! {
                            <label class="check option-line">
                                <input type="radio" name="sched-predict" checked={*pick == Some(g)} {onchange} />
                                { format!(" G{g} ({why})") }
                            </label>
                        }
                    }) }
                    <button type="button" onclick={on_answer} disabled={pick.is_none()}>{ "Check my prediction" }</button>
                </fieldset>
            }
            if let Some((_, ok, g)) = answered.as_ref().filter(|a| a.0 + 1 == step || a.0 == step) {
                <p class={classes!("feedback", if *ok { "right" } else { "wrong" })} role="status">
                    <strong>{ if *ok { "✓ Right. " } else { "✗ Not quite. " } }</strong>
                    { format!("G{g} runs next; the narration below says why.") }
                </p>
            }
            <p class="narration" aria-live={if playing.playing { "off" } else { "polite" }}>
                { match current {
                    Some(e) => narration(&e),
                    None => html! { { "Step 0: nothing has run yet. Press Play, or Step (→), to start." } },
                } }
            </p>
            <div class="sched-diagram">
                { view_lanes(&sim, moved) }
                { view_machine(&sim, moved) }
            </div>
            <p class="legend">
                { "Goroutines: " }
                <span class="g running"><span class="cue" aria-hidden="true">{ "▶" }</span>{ "running" }</span>
                <span class="g runnable">{ "runnable" }</span>
                <span class="g syscall"><span class="cue" aria-hidden="true">{ "S" }</span>{ "in a syscall" }</span>
                <span class="g waiting"><span class="cue" aria-hidden="true">{ "z" }</span>{ "waiting" }</span>
                <span class="g moved">{ "just moved" }</span>
                { format!(" · virtual time {} · {} of {} steps{}", human(sim.now()), step, run.last,
                    if run.finished { "" } else { " (the view stops here)" }) }
            </p>
            <div class="sched-lower">
                <section aria-label="Recent events">
                    <h3>{ "Recent events" }</h3>
                    <ol class="event-log" reversed=true>
                        { for recent.iter().rev().map(|e| html! {
                            <li><code>{ e.go_func() }</code>{ " " }{ e.sentence() }</li>
                        }) }
                    </ol>
                </section>
                <section aria-label="schedtrace output">
                    <h3><code>{ "GODEBUG=schedtrace" }</code>{ " output" }</h3>
                    <pre class="console-out">{ for shown_traces.iter().map(|l| html! { <>{ (*l).clone() }{ "\n" }</> }) }</pre>
                    <p class="sched-now">{ "The same line for this very step: " }<code>{ sim.schedtrace(false) }</code></p>
                </section>
            </div>
            <details class="scenario-editor" open={knobs.preset == "custom" || draft_error.is_some()}>
                <summary>{ "Write your own scenario" }</summary>
                <p class="fine-print">
                    { "Settings, then functions; main is required. Ops: compute D, gosched, go F [N], netread D, \
                       syscall D, syscallblock D, sleep D, send/recv C, lock/unlock M, add W N, done W, wait W, \
                       gomaxprocs N, repeat N … end, exit. GOMAXPROCS 1 to 256, up to 10,000 goroutines." }
                </p>
                <label for="sched-scenario" class="visually-hidden">{ "Scenario text" }</label>
                <textarea id="sched-scenario" rows="12" spellcheck="false" value={scenario_text} oninput={on_draft} />
                if let Some(err) = &*draft_error {
                    <p class="notice" role="alert">{ format!("Not applied: {err}. The running scenario is unchanged.") }</p>
                }
                <button type="button" onclick={on_apply}>{ "Run this scenario" }</button>
            </details>
            <p class="fine-print">
                { "A model of runtime/proc.go (Go 1.27): the queues, ticks and the order in which findRunnable looks \
                   for work follow the source; time is virtual, every scheduler action costs 100 ns, waking a thread \
                   5 µs, and the GC, locked threads and cgo are left out." }
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knobs_come_from_the_url_and_bad_values_become_notices() {
        let (k, notes) =
            Knobs::from_query("preset=work-stealing&gomaxprocs=8&asyncpreemptoff=1&seed=7");
        assert_eq!(
            (k.preset, k.gomaxprocs, k.asyncpreemptoff, k.seed),
            ("work-stealing", Some(8), true, Some(7))
        );
        assert!(notes.is_empty());
        let (k, notes) = Knobs::from_query("preset=nope&gomaxprocs=0&n=-3&asyncpreemptoff=yes");
        assert_eq!(
            (k.preset, k.gomaxprocs, k.n, k.asyncpreemptoff),
            (DEFAULT_PRESET, None, None, false)
        );
        assert_eq!(notes.len(), 4, "{notes:?}");
    }

    #[test]
    fn a_recorded_run_can_be_revisited_at_any_step() {
        let (k, _) = Knobs::from_query("preset=spawn-order&n=5");
        let run = Run::record(k.config().unwrap()).unwrap();
        assert!(run.finished && run.last > 10);
        let (late, _) = run.at(run.last, 4);
        let (early, events) = run.at(3, 8);
        assert_eq!(early.steps(), 3);
        assert_eq!(events.len(), 3);
        assert!(late.finished());
        let (again, _) = run.at(3, 8);
        assert_eq!(format!("{:?}", again.gs()), format!("{:?}", early.gs()));
    }

    #[test]
    fn the_gomaxprocs_knob_overrides_the_scenario() {
        let (k, _) = Knobs::from_query("preset=fan-out&gomaxprocs=2");
        assert_eq!(k.config().unwrap().gomaxprocs, 2);
    }
}
