//! The scheduler widget's views, each of the model's state at one step:
//! the P lanes, the rest of the machine, the narration, the legend, the
//! recent events, the schedtrace panel and the scenario editor.

use runtime_model::sched::{human, Event, GId, GStatus, MState, PStatus, Sim, M};
use yew::prelude::*;

use super::latency::{bucket_label, Latency, BUCKETS};
use super::run::{narration_text, Run};
use crate::kit::link::go_function;

/// Goroutines drawn per queue before "+N more".
const SHOWN_PER_QUEUE: usize = 24;
/// Timers drawn per P.
const SHOWN_TIMERS: usize = 6;

/// One goroutine: its name, a cue for its status (not only a colour), and
/// a highlight when the last event moved it. `place` says where it is
/// drawn (`p3 runq`, `global`, ...): when a step changes it, the chip
/// travels there (`kit::motion`).
fn g_chip(sim: &Sim, g: GId, moved: Option<GId>, place: &str) -> Html {
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
    let info = sim.g(g);
    // Its scheduler latency: runnable so far, or the wait before it last ran.
    let latency = match status {
        GStatus::Runnable => format!(
            " · runnable for {} so far",
            human(sim.now().saturating_sub(info.runnable_since))
        ),
        _ if info.first_ran.is_some() => {
            format!(" · waited {} before it last ran", human(info.last_wait))
        }
        _ => String::new(),
    };
    let title = format!("G{g} {} ({}){latency}", sim.func_name(g), status.name());
    html! {
        <span class={classes!("g", class, here.then_some("moved"))} {title}
            data-flip={format!("g{g}")} data-place={place.to_owned()}>
            if !cue.is_empty() { <span class="cue" aria-hidden="true">{ cue }</span> }
            { format!("G{g}") }
        </span>
    }
}

fn queue(sim: &Sim, gs: &[GId], moved: Option<GId>, empty: &'static str, place: &str) -> Html {
    if gs.is_empty() {
        return html! { <span class="empty">{ empty }</span> };
    }
    let more = gs.len().saturating_sub(SHOWN_PER_QUEUE);
    html! {
        <>
            { for gs.iter().take(SHOWN_PER_QUEUE).map(|&g| g_chip(sim, g, moved, place)) }
            if more > 0 { <span class="more">{ format!("+{more} more") }</span> }
        </>
    }
}

/// Each live P as a lane: its status and schedtick, its M and what that M
/// runs, `runnext`, the local run queue and the P's timers.
pub fn lanes(sim: &Sim, moved: Option<GId>) -> Html {
    html! {
        <div class="lanes" role="list" aria-label="Processors (Ps)">
            { for sim.ps().iter().filter(|p| p.status != PStatus::Dead).map(|p| {
                let m = p.m.map(|m| &sim.ms()[m as usize]);
                let runq: Vec<GId> = p.runq().collect();
                let timers = p.timers();
                let at = |slot: &str| format!("p{} {slot}", p.id);
                let status = match p.status {
                    PStatus::Idle => "_Pidle",
                    PStatus::Running => "_Prunning",
                    PStatus::Dead => "_Pdead",
                };
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
                                        <span class={classes!("m", m.spinning.then_some("spinning"))}
                                            data-flip={format!("m{}", m.id)} data-place={format!("p{}", p.id)}>
                                            { format!("M{}", m.id) }{ if m.spinning { " spinning" } else { "" } }
                                        </span>
                                        { m.curg.map(|g| html! { <>{ " runs " }{ g_chip(sim, g, moved, &at("m")) }</> }).unwrap_or_default() }
                                    </>
                                },
                                None => html! { <span class="empty">{ "no M" }</span> },
                            } }
                        </div>
                        <div class="slot runnext">
                            <span class="slot-label">{ "runnext" }</span>
                            { queue(sim, p.runnext.as_slice(), moved, "empty", &at("runnext")) }
                        </div>
                        <div class="slot runq">
                            <span class="slot-label">{ format!("runq {}/256", runq.len()) }</span>
                            { queue(sim, &runq, moved, "empty", &at("runq")) }
                        </div>
                        if !timers.is_empty() {
                            <div class="slot timers">
                                <span class="slot-label">{ "timers" }</span>
                                { for timers.iter().take(SHOWN_TIMERS).map(|(when, g)| html! {
                                    <span class="timer">{ g_chip(sim, *g, moved, &at("timers")) }{ format!(" at {}", human(*when)) }</span>
                                }) }
                            </div>
                        }
                    </div>
                }
            }) }
        </div>
    }
}

/// What a thread without a P is doing, in words.
fn m_doing(m: &M) -> &'static str {
    match m.state {
        MState::Idle => "idle",
        MState::Syscall => "in a syscall",
        MState::Netpoll => "blocked in netpoll",
        MState::Schedule => "looking for work",
        MState::Running => "running",
        MState::Sysmon => "sysmon",
    }
}

/// Everything outside the Ps: the global run queue, the netpoller,
/// sysmon and the threads without a P.
pub fn machine(sim: &Sim, moved: Option<GId>) -> Html {
    let global: Vec<GId> = sim.global_runq().collect();
    let netpoll: Vec<GId> = sim.netpoll_waiters().map(|(_, g)| g).collect();
    let loose: Vec<&M> = sim
        .ms()
        .iter()
        .filter(|m| m.p.is_none() && m.state != MState::Sysmon)
        .collect();
    html! {
        <div class="machine">
            <div class="row global">
                <span class="slot-label">{ format!("global runq ({})", global.len()) }</span>
                { queue(sim, &global, moved, "empty", "global") }
            </div>
            <div class="row netpoller">
                <span class="slot-label">{ format!("netpoller ({} parked)", netpoll.len()) }</span>
                { queue(sim, &netpoll, moved, "nobody waits for I/O", "netpoller") }
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
                    let what = m_doing(m);
                    html! {
                        <span class={classes!("m", "loose", format!("m-{}", what.replace(' ', "-")))}
                            data-flip={format!("m{}", m.id)} data-place="no P">
                            { format!("M{} {what}", m.id) }
                            { m.curg.map(|g| html! { <>{ " with " }{ g_chip(sim, g, moved, &format!("m{} no P", m.id)) }</> }).unwrap_or_default() }
                        </span>
                    }
                }) }
            </div>
        </div>
    }
}

/// The last event in words (saying so when it changes nothing drawn, and
/// how many hidden routine steps came just before it, and which goroutine
/// it pushed out of runnext), with a link to the Go function it mirrors;
/// before the first step, how to start. Announced politely unless playing.
pub fn narration(
    current: Option<&Event>,
    changes_nothing: bool,
    folded: u64,
    pushed_out: Option<GId>,
    playing: bool,
) -> Html {
    html! {
        <p class="narration" aria-live={if playing { "off" } else { "polite" }}>
            { match current {
                Some(e) => html! {
                    <>
                        <strong>{ format!("Step {} · {}: ", e.step + 1, human(e.t_ns)) }</strong>
                        { narration_text(e, changes_nothing) }{ " " }
                        if let Some(old) = pushed_out {
                            { format!("G{old}, pushed out of runnext, is in no queue for this one step: the next step puts it at the tail of the local queue. ") }
                        }
                        if folded > 0 {
                            { format!("(The {folded} routine step{} before it are hidden.) ", if folded == 1 { "" } else { "s" }) }
                        }
                        { go_function(e.go_func(), Some(e.go_file())) }
                        { for e.kind.called_from().iter().enumerate().map(|(i, &(func, file))| html! {
                            <>
                                { if i == 0 { ", reached from " } else { " → " } }
                                { go_function(func, Some(file)) }
                            </>
                        }) }
                    </>
                },
                None => html! { { "Step 0: nothing has run yet. Press Play, or Step (→), to start." } },
            } }
        </p>
    }
}

/// What the chips mean, then the clock and how far the run goes.
pub fn legend(sim: &Sim, step: u64, run: &Run) -> Html {
    html! {
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
    }
}

/// The recent events, newest first, each numbered by its step (as the
/// narration and the link number it) and with the Go function it mirrors.
pub fn event_log(recent: &[Event]) -> Html {
    html! {
        <section aria-label="Recent events">
            <h3>{ "Recent events" }</h3>
            <ol class="event-log">
                { for recent.iter().rev().map(|e| html! {
                    <li value={(e.step + 1).to_string()}>
                        <code>{ e.go_func() }</code>{ " " }{ e.sentence() }
                    </li>
                }) }
            </ol>
        </section>
    }
}

/// The `GODEBUG=schedtrace` lines printed so far, and the line for this
/// very step.
pub fn schedtrace(lines: &[&str], sim: &Sim) -> Html {
    html! {
        <section aria-label="schedtrace output">
            <h3><code>{ "GODEBUG=schedtrace" }</code>{ " output" }</h3>
            <pre class="console-out">{ for lines.iter().map(|l| html! { <>{ *l }{ "\n" }</> }) }</pre>
            <p class="sched-now">{ "The same line for this very step: " }<code>{ sim.schedtrace(false) }</code></p>
        </section>
    }
}

/// The scenario editor: the text to edit, the reason the last one was not
/// applied, and the button that runs it.
pub fn scenario_editor(
    text: String,
    error: Option<&str>,
    open: bool,
    on_draft: Callback<InputEvent>,
    on_apply: Callback<MouseEvent>,
) -> Html {
    html! {
        <details class="scenario-editor" {open}>
            <summary>{ "Write your own scenario" }</summary>
            <p class="fine-print">
                { "Settings, then functions; main is required. Ops: compute D, gosched, go F [N], netread D, \
                   syscall D, syscallblock D, sleep D, send/recv C, lock/unlock M, add W N, done W, wait W, \
                   gomaxprocs N, repeat N … end, exit. GOMAXPROCS 1 to 256, up to 10,000 goroutines." }
            </p>
            <label for="sched-scenario" class="visually-hidden">{ "Scenario text" }</label>
            <textarea id="sched-scenario" rows="12" spellcheck="false" value={text} oninput={on_draft} />
            if let Some(err) = error {
                <p class="notice" role="alert">{ format!("Not applied: {err}. The running scenario is unchanged.") }</p>
            }
            <button type="button" onclick={on_apply}>{ "Run this scenario" }</button>
        </details>
    }
}

/// Goroutines listed in the per-goroutine latency table.
const SHOWN_LATENCIES: usize = 64;

/// Scheduler latency so far: a histogram of how long goroutines waited
/// runnable before they ran (a table, its bars drawn from the counts), the
/// tail with and without async preemption where the scenario has a hog,
/// and each goroutine's waits.
pub fn latency(l: &Latency, tail: Option<&str>) -> Html {
    let most = l.histogram.iter().copied().max().unwrap_or(0).max(1);
    html! {
        <section class="sched-latency" aria-label="Scheduler latency">
            <h3>{ "Scheduler latency" }</h3>
            <p class="fine-print">
                { "How long each goroutine waited runnable (in a run queue, or readied) before a P ran it: the \
                   delay go tool trace profiles as scheduler latency. " }
                { l.summary() }
            </p>
            if let Some(tail) = tail {
                <p class="latency-tail">{ tail }</p>
            }
            <table class="latency-histogram">
                <caption class="visually-hidden">{ "Waits by length" }</caption>
                <thead><tr><th scope="col">{ "Wait" }</th><th scope="col">{ "Waits" }</th><th scope="col"><span class="visually-hidden">{ "Bar" }</span></th></tr></thead>
                <tbody>
                    { for (0..=BUCKETS.len()).map(|i| {
                        let n = l.histogram[i];
                        // A bucket with waits gets at least a sliver of a bar.
                        let pct = f64::from(n) * 100.0 / f64::from(most);
                        let width = format!("{}%", if n > 0 { pct.max(1.0) } else { 0.0 });
                        html! {
                            <tr>
                                <th scope="row">{ bucket_label(i) }</th>
                                <td class="count">{ n }</td>
                                <td class="bar-cell"><svg class="bar" aria-hidden="true"><rect {width} height="100%" /></svg></td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <details class="latency-per-g">
                <summary>{ format!("Per goroutine ({})", l.per_g.len()) }</summary>
                <table>
                    <thead><tr>
                        <th scope="col">{ "Goroutine" }</th><th scope="col">{ "Waits" }</th>
                        <th scope="col">{ "Longest" }</th><th scope="col">{ "Total" }</th>
                    </tr></thead>
                    <tbody>
                        { for l.per_g.iter().take(SHOWN_LATENCIES).map(|(g, w)| html! {
                            <tr>
                                <th scope="row">{ format!("G{g}") }</th><td>{ w.waits }</td>
                                <td>{ human(w.longest) }</td><td>{ human(w.total) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if l.per_g.len() > SHOWN_LATENCIES {
                    <p class="fine-print">{ format!("The first {SHOWN_LATENCIES} goroutines are listed.") }</p>
                }
            </details>
        </section>
    }
}
