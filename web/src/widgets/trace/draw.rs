//! What the trace widget draws at one step: the scheduler's lanes (one per
//! P, with its M and the goroutine it runs, in the scheduler widget's
//! classes, so both read alike), the goroutines that are runnable, in
//! system calls and waiting (grouped by why), the GC banner, and the heap
//! and its goal over the trace with the moment marked.

use runtime_model::trace::lanes::{human_ns, GState, Lanes, State, NONE, NONE16};
use yew::prelude::*;

/// Goroutines drawn per group before "+N more".
const SHOWN_PER_GROUP: usize = 24;
/// The heap chart's size in SVG units, and the most points it draws.
const W: f64 = 720.0;
const H: f64 = 150.0;
const PAD: f64 = 52.0;
const MAX_POINTS: usize = 600;

/// One goroutine as a chip: its ID, a cue for its state that is not only
/// a colour, the highlight when the step is about it, and `data-flip` so
/// that it travels when a step moves it (`kit::motion`).
pub fn g_chip(lanes: &Lanes, st: &State, g: u32, moved: Option<u32>, place: &str) -> Html {
    let Some(now) = st.gs.get(g as usize) else {
        return Html::default();
    };
    let (class, cue) = match now.state {
        GState::Running => ("running", "▶"),
        GState::Runnable => ("runnable", ""),
        GState::Syscall => ("syscall", "S"),
        GState::Waiting => ("waiting", "z"),
        GState::NotExist => ("dead", "✕"),
    };
    let since = lanes.steps.get(now.since).map_or(0, |s| s.time());
    let at = lanes.steps.get(st.step).map_or(0, |s| s.time());
    let reason = lanes.reason(now.reason);
    let why = if now.state == GState::Waiting && !reason.is_empty() {
        format!(", {reason}")
    } else {
        String::new()
    };
    let title = format!(
        "{} ({}{why}) for {}{}",
        lanes.g_name(g),
        state_name(now.state),
        human_ns(at - since),
        if now.assist { ", in a mark assist" } else { "" }
    );
    let id = lanes.gs.get(g as usize).map_or(0, |i| i.id);
    html! {
        <span class={classes!("g", class, (moved == Some(g)).then_some("moved"), now.assist.then_some("assist"))} {title}
            data-flip={format!("g{id}")} data-place={place.to_owned()}>
            if !cue.is_empty() { <span class="cue" aria-hidden="true">{ cue }</span> }
            { format!("G{id}") }
            if now.assist { <span class="cue" aria-hidden="true">{ "A" }</span> }
        </span>
    }
}

pub fn state_name(s: GState) -> &'static str {
    match s {
        GState::Running => "running",
        GState::Runnable => "runnable",
        GState::Syscall => "in a system call",
        GState::Waiting => "waiting",
        GState::NotExist => "ended",
    }
}

fn chips(lanes: &Lanes, st: &State, gs: &[u32], moved: Option<u32>, place: &str) -> Html {
    if gs.is_empty() {
        return html! { <span class="empty">{ "none" }</span> };
    }
    let more = gs.len().saturating_sub(SHOWN_PER_GROUP);
    // The goroutine the step is about is drawn even past the cut.
    let hidden_moved = moved.filter(|m| gs.iter().skip(SHOWN_PER_GROUP).any(|g| g == m));
    html! {
        <>
            { for gs.iter().take(SHOWN_PER_GROUP).map(|&g| g_chip(lanes, st, g, moved, place)) }
            { for hidden_moved.map(|g| g_chip(lanes, st, g, moved, place)) }
            if more > 0 { <span class="more">{ format!("+{more} more") }</span> }
        </>
    }
}

/// Each P that exists, as a lane: running or idle, its M, and what it
/// runs (or the goroutine whose system call holds it).
pub fn p_lanes(lanes: &Lanes, st: &State, moved: Option<u32>) -> Html {
    html! {
        <div class="lanes" role="list" aria-label="Processors (Ps)">
            { for st.procs.iter().enumerate().filter(|(_, p)| p.exists).map(|(i, p)| {
                let status = if p.running { "running" } else { "idle" };
                let g = (p.g != NONE).then_some(p.g);
                let in_syscall = g.and_then(|g| st.gs.get(g as usize)).is_some_and(|g| g.state == GState::Syscall);
                let m = (p.m != NONE16).then(|| lanes.m_label(p.m));
                let thread = lanes.threads.get(p.m as usize).copied();
                html! {
                    <div class={classes!("lane", (!p.running).then_some("idle"))} role="listitem">
                        <div class="lane-head">
                            <strong>{ format!("P{i}") }</strong>
                            <span class="pstatus">{ status }</span>
                            if p.sweeping { <span class="tick">{ "sweeping" }</span> }
                        </div>
                        <div class="lane-m">
                            { match m {
                                Some(m) => html! {
                                    <>
                                        <span class="m" data-flip={format!("m{}", p.m)} data-place={format!("p{i}")}
                                            title={thread.map(|t| format!("thread {t} in the trace")).unwrap_or_default()}>{ m }</span>
                                        { match g {
                                            Some(g) if in_syscall => html! { <>{ " is in a system call for " }{ g_chip(lanes, st, g, moved, &format!("p{i}")) }</> },
                                            Some(g) => html! { <>{ " runs " }{ g_chip(lanes, st, g, moved, &format!("p{i}")) }</> },
                                            None => html! { <span class="empty">{ " runs nothing (scheduling)" }</span> },
                                        } }
                                    </>
                                },
                                None => html! { <span class="empty">{ "no M: nothing to run" }</span> },
                            } }
                        </div>
                    </div>
                }
            }) }
        </div>
    }
}

/// The goroutines not on a P: runnable, in system calls without a P, and
/// waiting, by reason.
pub fn groups(lanes: &Lanes, st: &State, moved: Option<u32>) -> Html {
    let mut runnable = Vec::new();
    let mut syscall = Vec::new();
    let mut waiting: Vec<(&'static str, Vec<u32>)> = Vec::new();
    for (i, g) in st.gs.iter().enumerate() {
        let i = i as u32;
        match g.state {
            GState::Runnable => runnable.push(i),
            GState::Syscall if g.p == NONE16 => syscall.push(i),
            GState::Waiting => {
                let group = Lanes::wait_group(lanes.reason(g.reason));
                match waiting.iter_mut().find(|(name, _)| *name == group) {
                    Some((_, gs)) => gs.push(i),
                    None => waiting.push((group, vec![i])),
                }
            }
            _ => {}
        }
    }
    waiting.sort_by_key(|(name, _)| WAIT_ORDER.iter().position(|w| w == name));
    html! {
        <div class="machine trace-groups">
            <div class="row">
                <span class="slot-label">{ format!("runnable {}", runnable.len()) }</span>
                { chips(lanes, st, &runnable, moved, "runnable") }
            </div>
            <div class="row">
                <span class="slot-label">{ format!("syscall, no P {}", syscall.len()) }</span>
                { chips(lanes, st, &syscall, moved, "syscall") }
            </div>
            if waiting.is_empty() {
                <div class="row"><span class="slot-label">{ "waiting 0" }</span><span class="empty">{ "none" }</span></div>
            }
            { for waiting.iter().map(|(name, gs)| html! {
                <div class="row">
                    <span class="slot-label">{ format!("waiting: {name} {}", gs.len()) }</span>
                    { chips(lanes, st, gs, moved, &format!("wait {name}")) }
                </div>
            }) }
        </div>
    }
}

const WAIT_ORDER: [&str; 8] = [
    "channel", "select", "network", "sleep", "sync", "GC", "system", "other",
];

/// The GC's phase and whether the world is stopped, in words and with a
/// cue beyond colour (the stopped banner is striped).
pub fn banner(lanes: &Lanes, st: &State) -> Html {
    let at = lanes.steps.get(st.step).map_or(0, |s| s.time());
    let since = |step: u32| human_ns(at - lanes.steps.get(step).map_or(at, |s| s.time()));
    let sweeping = st.procs.iter().filter(|p| p.sweeping).count();
    let gc = match st.gc {
        Some(step) => format!(
            "GC cycle {}: concurrent mark, for {} so far",
            st.gc_cycles,
            since(step)
        ),
        None if st.gc_cycles == 0 => "No GC cycle yet".to_owned(),
        None => format!("GC off between cycles ({} so far)", st.gc_cycles),
    };
    let sweep = if sweeping > 0 {
        format!(
            "; {sweeping} P{} sweeping",
            if sweeping == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    html! {
        <div class={classes!("phase-banner", st.stw.is_some().then_some("stopped"))} role="status">
            { match st.stw {
                Some((step, reason)) => html! { <strong>{ format!("World stopped ({}) for {} so far. ", lanes.reason(reason), since(step)) }</strong> },
                None => Html::default(),
            } }
            { format!("{gc}{sweep}. GOMAXPROCS={}.", st.gomaxprocs) }
        </div>
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// A series cut to at most [`MAX_POINTS`] points: the largest value in
/// each slice of time, so that no peak is lost.
fn thin(series: &[(i64, u64)], end: i64) -> Vec<(i64, u64)> {
    if series.len() <= MAX_POINTS {
        return series.to_vec();
    }
    let width = (end.max(1) as f64) / MAX_POINTS as f64;
    let mut out: Vec<(i64, u64)> = Vec::with_capacity(MAX_POINTS + 1);
    let mut bucket = -1_i64;
    for &(t, v) in series {
        let b = (t as f64 / width) as i64;
        match out.last_mut() {
            Some(last) if b == bucket => last.1 = last.1.max(v),
            _ => {
                out.push((t, v));
                bucket = b;
            }
        }
    }
    out
}

/// Trace time onto the chart's width, and bytes onto its height.
struct Frame {
    end: i64,
    top: u64,
}

impl Frame {
    fn x(&self, t: i64) -> f64 {
        PAD + (t as f64 / self.end as f64) * (W - PAD - 8.0)
    }
    fn y(&self, v: u64) -> f64 {
        H - 18.0 - (v as f64 / self.top as f64) * (H - 30.0)
    }
    /// A series as a path of steps: each value holds until the next.
    fn path(&self, s: &[(i64, u64)]) -> String {
        let mut d = String::new();
        for (i, &(t, v)) in s.iter().enumerate() {
            let (px, py) = (self.x(t), self.y(v));
            if i == 0 {
                d.push_str(&format!("M{px:.1} {py:.1}"));
            } else {
                d.push_str(&format!("H{px:.1}V{py:.1}"));
            }
        }
        d.push_str(&format!("H{:.1}", self.x(self.end)));
        d
    }
}

/// The heap's allocated bytes and its goal over the whole trace, each GC
/// mark phase shaded, and a line at the moment shown. Only the line moves
/// from step to step; the rest is drawn once per trace ([`thinned`]).
pub fn heap_chart(lanes: &Lanes, chart: &Thinned, now: i64) -> Html {
    if lanes.heap.is_empty() {
        return html! { <p class="muted">{ "This trace has no heap metrics." }</p> };
    }
    let f = Frame {
        end: lanes.duration.max(1),
        top: chart.top,
    };
    let alloc_now = Lanes::value_at(&lanes.heap, now).unwrap_or(0);
    let goal_now = Lanes::value_at(&lanes.goal, now).unwrap_or(0);
    let label = format!(
        "Heap over the trace: {:.1} MB allocated, goal {:.1} MB at the moment shown; peak {:.1} MB",
        mb(alloc_now),
        mb(goal_now),
        mb(chart.top)
    );
    let x_now = format!("{:.1}", f.x(now));
    html! {
        <figure class="trace-heap">
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={label} preserveAspectRatio="xMinYMin meet">
                { chart.drawn.clone() }
                <line class="now-line" x1={x_now.clone()} y1="4" x2={x_now} y2={(H - 18.0).to_string()} />
            </svg>
            <figcaption class="legend">
                <span class="key heap">{ "━ heap allocated" }</span>
                <span class="key goal">{ "┅ heap goal" }</span>
                <span class="key gc">{ "▒ GC mark phase" }</span>
                <span class="key now">{ "│ the moment shown" }</span>
                <span>{ format!("Now: {:.1} MB of a {:.1} MB goal.", mb(alloc_now), mb(goal_now)) }</span>
            </figcaption>
        </figure>
    }
}

/// The heap chart's parts that do not move: its scale, the GC phases, the
/// axes and the two lines (drawn once per trace).
pub struct Thinned {
    top: u64,
    drawn: Html,
}

pub fn thinned(lanes: &Lanes) -> Thinned {
    let top = lanes
        .heap
        .iter()
        .chain(lanes.goal.iter())
        .map(|&(_, v)| v)
        .max()
        .unwrap_or(1)
        .max(1);
    let f = Frame {
        end: lanes.duration.max(1),
        top,
    };
    let heap = thin(&lanes.heap, lanes.duration);
    let goal = thin(&lanes.goal, lanes.duration);
    let drawn = html! {
        <>
            { for lanes.gc_spans.iter().map(|&(t0, t1)| {
                let (a, b) = (f.x(t0), f.x(t1.unwrap_or(f.end)));
                html! { <rect class="gc-span" x={format!("{a:.1}")} y="8" width={format!("{:.1}", (b - a).max(1.0))} height={format!("{:.1}", H - 26.0)} /> }
            }) }
            <line class="axis" x1={PAD.to_string()} y1={(H - 18.0).to_string()} x2={(W - 8.0).to_string()} y2={(H - 18.0).to_string()} />
            <text class="tick-label" x="2" y="14">{ format!("{:.1} MB", mb(top)) }</text>
            <text class="tick-label" x="2" y={(H - 20.0).to_string()}>{ "0" }</text>
            <text class="tick-label" x={PAD.to_string()} y={(H - 4.0).to_string()}>{ "0" }</text>
            <text class="tick-label" x={(W - 8.0).to_string()} y={(H - 4.0).to_string()} text-anchor="end">{ human_ns(f.end) }</text>
            if !goal.is_empty() { <path class="goal-line" d={f.path(&goal)} /> }
            <path class="heap-line" d={f.path(&heap)} />
        </>
    };
    Thinned { top, drawn }
}
