//! Tricolor marking, live: the heap as a graph of white, grey and black
//! objects (each also lettered W, G or B), the roots, the mutator's writes
//! during mark and what the write barrier shades, a phase banner that marks
//! stop-the-world time, and sweep reclaiming objects. The barrier can be
//! switched: Go's hybrid, Dijkstra insertion, Yuasa deletion, or none.
//! State in the URL: `?heap=hide-pointer&barrier=none&step=9` (see
//! [`state`]).
//!
//! Every frame is a view of `runtime_model::gc::sim::GcSim` at a step,
//! reached through the model's [`Timeline`]: one per run, recorded once.

pub mod draw;
pub mod layout;
pub mod motion;
pub mod state;
pub mod strip;
pub mod view;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use runtime_model::gc::barrier::BarrierMode;
use runtime_model::gc::heap::{Color, Holder, ObjectId};
use runtime_model::gc::presets::{mark_preset, mark_presets};
use runtime_model::gc::sim::{Event as GcEvent, EventKind, GcSim, Phase};
use runtime_model::timeline::Timeline;
use yew::prelude::*;

use self::draw::{
    drawn_edges, touched, HeapCanvas, HeapGraph, Play, SimAt, Transition, CANVAS_FROM_OBJECTS,
};
use self::layout::{distances, Layout};
use self::motion::StepMotion;
use self::state::{description, Action, Outcome, Params};
use self::view::{
    barrier_label, canvas_legend, graph_legend, narration, phase_banner, violations, ObjectList,
};
use crate::kit::checkpoint::{use_checkpoint, CheckpointView, Question};
use crate::kit::controls::CopyLink;
use crate::kit::motion::{use_motion, Timing};
use crate::kit::query::{use_params, view_notices, OneOf};
use crate::kit::stepper::{use_stepper, PlayerMsg};

/// Random-mutator runs never end; the view records this many steps.
pub const MAX_VIEW_STEPS: u64 = 2_000;
/// Steps between the timeline's snapshots: a step back replays at most
/// this many steps less one.
const SNAPSHOT_EVERY: u64 = 32;
/// Room for a snapshot every [`SNAPSHOT_EVERY`] steps of the longest run.
const MAX_SNAPSHOTS: usize = (MAX_VIEW_STEPS / SNAPSHOT_EVERY) as usize + 1;
/// How many of the violations found so far stay on screen.
const VIOLATIONS_SHOWN: usize = 4;

/// One recorded run: the timeline to seek in, and every invariant
/// violation the checker found along it.
pub struct MarkRun {
    timeline: RefCell<Timeline<GcSim>>,
    /// Each violation with the step it appeared at, oldest first.
    violations: Vec<(u64, String)>,
    last: u64,
    /// Where the SVG graph puts everything, for the whole run; `None` for
    /// a heap drawn on the canvas.
    layout: Option<Layout>,
    /// What the run showed, for the description.
    outcome: Outcome,
    /// The steps where a write barrier shades something, in order.
    shades: Vec<u64>,
    /// The steps that start a GC phase, in order, with the phase.
    phases: Vec<(u64, Phase)>,
    /// The whole run at a glance, for the strip.
    overview: strip::Overview,
}

impl MarkRun {
    /// Runs `sim` to its end, or for [`MAX_VIEW_STEPS`] steps, once. For
    /// a small heap, also lays it out from every pointer the run ever has.
    pub fn record(sim: GcSim) -> MarkRun {
        let small = sim.heap().objects.len() < CANVAS_FROM_OBJECTS;
        let roots = sim.heap().stacks.len() + 1;
        let mut timeline = Timeline::with_limits(sim, SNAPSHOT_EVERY, MAX_SNAPSHOTS);
        let mut violations = Vec::new();
        let mut edges = BTreeSet::new();
        let mut lifetimes: Vec<(u64, u64)> = Vec::new();
        let mut layers: Vec<Option<usize>> = Vec::new();
        let mut freed_this_cycle: BTreeSet<ObjectId> = BTreeSet::new();
        let mut collect = |sim: &GcSim, event: Option<&GcEvent>| {
            if !small {
                return;
            }
            let step = sim.steps();
            match event.map(|e| &e.kind) {
                Some(EventKind::SweepTermination) => freed_this_cycle.clear(),
                Some(EventKind::Sweep { freed, .. }) => freed_this_cycle.extend(freed),
                _ => {}
            }
            let drawn = drawn_edges(sim.heap());
            edges.extend(drawn.iter().map(|e| (e.holder, e.to)));
            let objects = sim.heap().objects.len();
            lifetimes.resize(objects, (step, step));
            layers.resize(objects, None);
            if layers.iter().any(Option::is_none) {
                for (mine, now) in layers.iter_mut().zip(distances(&drawn, objects)) {
                    *mine = mine.or(now);
                }
            }
            for o in &sim.heap().objects {
                let shown = !o.freed
                    || freed_this_cycle.contains(&o.id)
                    || drawn.iter().any(|e| e.to == o.id);
                if shown {
                    lifetimes[o.id.0 as usize].1 = step;
                }
            }
        };
        let mut outcome = Outcome::default();
        let (mut shades, mut phases) = (Vec::new(), Vec::new());
        let mut phase = timeline.sim().phase();
        let mut overview = strip::Builder::new(timeline.sim());
        collect(timeline.sim(), None);
        while timeline.step_index() < MAX_VIEW_STEPS {
            let Some(e) = timeline.step() else {
                outcome.finished = true;
                break;
            };
            violations.extend(e.violations.iter().map(|v| (e.step, v.sentence())));
            if matches!(&e.kind, EventKind::Write { shaded, .. } if !shaded.is_empty()) {
                shades.push(e.step);
            }
            if e.phase != phase {
                phases.push((e.step, e.phase));
                phase = e.phase;
            }
            if let EventKind::Sweep {
                freed_while_reachable,
                ..
            } = &e.kind
            {
                outcome
                    .lost
                    .extend(freed_while_reachable.iter().map(|&o| (e.step, o)));
            }
            overview.note(timeline.sim(), &e);
            collect(timeline.sim(), Some(&e));
        }
        outcome.steps = timeline.step_index();
        MarkRun {
            outcome,
            shades,
            phases,
            overview: overview.finish(),
            last: timeline.step_index(),
            timeline: RefCell::new(timeline),
            violations,
            layout: small.then(|| Layout::new(&lifetimes, &layers, roots, &edges)),
        }
    }

    /// The first step after `step` where the write barrier shades an
    /// object.
    pub fn next_shade(&self, step: u64) -> Option<u64> {
        next_after(&self.shades, step)
    }

    /// The first step after `step` that starts a GC phase, and the phase.
    pub fn next_phase(&self, step: u64) -> Option<(u64, Phase)> {
        let i = self.phases.partition_point(|&(s, _)| s <= step);
        self.phases.get(i).copied()
    }

    /// What the run showed: the objects lost, and its length.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// The SVG graph's layout, for a small heap.
    pub fn layout(&self) -> Option<&Layout> {
        self.layout.as_ref()
    }

    /// The last step there is.
    pub fn last(&self) -> u64 {
        self.last
    }

    /// The state after `step` steps, and the event of that step (none at
    /// the start).
    pub fn at(&self, step: u64) -> (GcSim, Option<GcEvent>) {
        let mut timeline = self.timeline.borrow_mut();
        let event = timeline.seek_with_history(step.min(self.last), 1).pop();
        (timeline.sim().clone(), event)
    }

    /// The newest violations found up to `step`, newest first.
    pub fn violations_to(&self, step: u64) -> Vec<(u64, String)> {
        let found = self.violations.partition_point(|(at, _)| *at <= step);
        self.violations[..found]
            .iter()
            .rev()
            .take(VIOLATIONS_SHOWN)
            .cloned()
            .collect()
    }
}

/// The motion from the state shown before, `before`, to the state shown
/// now, `now`: the step forward from one to the other, or the same step
/// played backward when `now` is the step before. `None` when they are
/// not one step apart or the step moves nothing.
fn between(
    id: u64,
    before: &(SimAt, Option<GcEvent>),
    now: &(SimAt, Option<GcEvent>),
    ms: f64,
) -> Option<Transition> {
    let (a, b) = (before.0 .0.steps(), now.0 .0.steps());
    let (from, to, event, forward) = if b == a + 1 {
        (&before.0, &now.0, now.1.as_ref()?, true)
    } else if a == b + 1 {
        (&now.0, &before.0, before.1.as_ref()?, false)
    } else {
        return None;
    };
    let motion = StepMotion::of(event, from.0.heap(), to.0.heap());
    (!motion.is_empty()).then(|| Transition {
        id,
        motion,
        before: from.clone(),
        after: to.clone(),
        forward,
        ms,
    })
}

/// Where a jump found nothing more: the run, or the steps recorded of a
/// run that never ends.
fn recorded(run: &MarkRun) -> String {
    if run.outcome().finished {
        "in this run".to_owned()
    } else {
        format!("in the {} steps recorded", run.last())
    }
}

/// The first of the ascending `steps` after `step`.
fn next_after(steps: &[u64], step: u64) -> Option<u64> {
    steps.get(steps.partition_point(|&s| s <= step)).copied()
}

/// The widget's own jumps, on top of the stepper's keys: b to the next
/// barrier shade, p to the next phase. Keys aimed at a form control, or
/// with a modifier, are left alone, as the stepper leaves them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Jump {
    Shade,
    Phase,
}

impl Jump {
    fn from_key(e: &KeyboardEvent) -> Option<Jump> {
        let tag = e
            .target_dyn_into::<web_sys::Element>()
            .map(|t| t.tag_name())
            .unwrap_or_default();
        if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA")
            || e.ctrl_key()
            || e.meta_key()
            || e.alt_key()
        {
            return None;
        }
        match e.key().as_str() {
            "b" => Some(Jump::Shade),
            "p" => Some(Jump::Phase),
            _ => None,
        }
    }

    /// Where this jump lands from `step`.
    fn target(self, run: &MarkRun, step: u64) -> Option<u64> {
        match self {
            Jump::Shade => run.next_shade(step),
            Jump::Phase => run.next_phase(step).map(|(at, _)| at),
        }
    }
}

impl PartialEq for MarkRun {
    fn eq(&self, other: &MarkRun) -> bool {
        std::ptr::eq(self, other)
    }
}

/// The checkpoint's switch, in the run's terms: with no barrier there are
/// no barriered writes, only pointer writes while marking.
fn predict_label(barrier: BarrierMode) -> String {
    match barrier {
        BarrierMode::None => " Ask me before each pointer write while marking".to_owned(),
        b => format!(" Ask me before each write the {} barrier sees", b.name()),
    }
}

/// One answer the checkpoint offers: a set of objects the barrier might
/// shade, and how the option reads.
struct Choice {
    objects: Vec<ObjectId>,
    label: String,
}

/// The checkpoint's choices for the write `holder.slot = new` over `old`:
/// nothing, the old value, the new value, both, and the object written
/// into. They come from the write alone, never from the colours or the
/// barrier, so that which ones are offered does not give the answer away.
fn choices(holder: Holder, old: Option<ObjectId>, new: Option<ObjectId>) -> Vec<Choice> {
    let mut out = vec![Choice {
        objects: Vec::new(),
        label: "nothing".to_owned(),
    }];
    let old = old.filter(|o| Some(*o) != new);
    if let Some(o) = old {
        out.push(Choice {
            objects: vec![o],
            label: format!("only {o}, the value overwritten"),
        });
    }
    if let Some(n) = new {
        out.push(Choice {
            objects: vec![n],
            label: format!("only {n}, the value written"),
        });
    }
    if let (Some(o), Some(n)) = (old, new) {
        out.push(Choice {
            objects: vec![o, n],
            label: format!("both {o} and {n}"),
        });
    }
    if let Holder::Object(h) = holder {
        if Some(h) != old && Some(h) != new {
            out.push(Choice {
                objects: vec![h],
                label: format!("only {h}, the object written into"),
            });
        }
    }
    out
}

/// The barrier's name in a sentence, without its rule (the question must
/// not state it).
fn proper_name(b: BarrierMode) -> &'static str {
    match b {
        BarrierMode::Hybrid => "Go's hybrid barrier",
        BarrierMode::Dijkstra => "Dijkstra's insertion barrier",
        BarrierMode::Yuasa => "Yuasa's deletion barrier",
        BarrierMode::None => "No barrier",
    }
}

/// What the barrier does with one object of the write, and why.
fn fate(sim: &GcSim, barrier: BarrierMode, role: &str, o: ObjectId, looks: bool) -> String {
    let colour = sim.heap().color(o).name();
    match (looks, sim.heap().color(o)) {
        (false, _) if barrier == BarrierMode::None => {
            format!("{o}, {role}, stays {colour}, since nothing looks at it")
        }
        (false, _) => format!(
            "{o}, {role}, is not one the {} barrier shades",
            barrier.name()
        ),
        (true, Color::White) => format!("{o}, {role}, is white, so it turns grey"),
        (true, _) => format!("{o}, {role}, is already {colour}, so it stays {colour}"),
    }
}

/// The checkpoint: before a pointer write while marking, which objects
/// will the barrier shade? `None` when the next step is not one.
fn question_at(sim: &GcSim, step: u64, barrier: BarrierMode) -> Option<Question> {
    let answer = sim.next_barrier_shades()?;
    let EventKind::Write {
        holder,
        slot,
        old,
        new,
        ..
    } = sim.peek()?.kind
    else {
        return None;
    };
    let name = |o: Option<ObjectId>| o.map_or("nil".to_owned(), |o| o.to_string());
    let write = format!("{holder}.{slot} = {} (it held {})", name(new), name(old));
    let options = choices(holder, old, new);
    let mut shaded = answer.clone();
    shaded.sort_unstable();
    let correct: Vec<usize> = options
        .iter()
        .position(|c| {
            let mut mine = c.objects.clone();
            mine.sort_unstable();
            mine == shaded
        })
        .into_iter()
        .collect();
    let legend = match barrier {
        BarrierMode::None => format!(
            "Predict: the next step is a pointer write while marking: {write}. This run has no write barrier. Which objects will be shaded grey?"
        ),
        b => format!(
            "Predict: the next step is a pointer write while marking: {write}. {} is on. Which objects will it shade grey?",
            proper_name(b)
        ),
    };
    let [looks_old, looks_new] = barrier.candidates(old, new).map(|c| c.is_some());
    let mut why: Vec<String> = Vec::new();
    why.push(match barrier {
        BarrierMode::None => "With no write barrier the collector does not see the write at all, whatever the colours".to_owned(),
        b => b.explanation().trim_end_matches('.').to_owned(),
    });
    if let Some(o) = old.filter(|o| Some(*o) != new) {
        why.push(fate(sim, barrier, "the value overwritten", o, looks_old));
    }
    if let Some(n) = new {
        why.push(fate(sim, barrier, "the value written", n, looks_new));
    }
    if let Holder::Object(h) = holder {
        why.push(format!(
            "{h}, the object written into, is not shaded: a write barrier shades the pointers a write moves, not the object that holds them"
        ));
    }
    let answer_text = if answer.is_empty() {
        "nothing".to_owned()
    } else {
        answer
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" and ")
    };
    Some(Question {
        step,
        id: "gc-barrier-shade",
        prompt: "Which objects does the barrier shade?",
        legend,
        options: options
            .iter()
            .map(|c| {
                let response = if c.objects.is_empty() {
                    "nothing".to_owned()
                } else {
                    c.objects
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("+")
                };
                (response, c.label.clone())
            })
            .collect(),
        multiple: false,
        correct,
        reveal: format!("{}. So the write shades {answer_text}.", why.join("; ")),
        hint: None,
    })
}

#[function_component(GcMarkWidget)]
pub fn gc_mark_widget() -> Html {
    let url = use_params::<Params>();
    let params = url.params.clone();
    let presets = use_memo((), |_| mark_presets());
    let run = use_memo(params.run(), |&(heap, barrier, seed)| {
        MarkRun::record(
            mark_preset(heap)
                .expect("Params holds known presets")
                .build(barrier, seed),
        )
    });
    // The description follows the barrier and seed in force, and what the
    // run under them shows.
    let explanation = use_memo(run.clone(), |run| {
        let (_, barrier, seed) = params.run();
        description(&params.preset(), barrier, seed, run.outcome())
    });
    let stepper = use_stepper(
        "step",
        params.step,
        run.last(),
        params.run(),
        url.dispatch.reform(Action::Seek),
    );
    let step = stepper.step;
    let at = use_memo((run.clone(), step), |(run, step)| {
        let (sim, event) = run.at(*step);
        (SimAt(Rc::new(sim)), event)
    });
    let (sim, current) = (&at.0, at.1.as_ref());
    // The step's motion: from the state shown before to this one, when
    // they are one step apart and motion is on at this speed.
    let motion = use_motion();
    let timing = motion.timing(stepper.speed);
    let shown_before = use_mut_ref(|| None::<(usize, Rc<(SimAt, Option<GcEvent>)>)>);
    let transitions = use_mut_ref(|| 0_u64);
    let play = {
        let run_id = Rc::as_ptr(&run) as usize;
        use_memo(at.clone(), move |at| {
            let before = shown_before.replace(Some((run_id, at.clone())));
            let Timing::Travel { ms } = timing else {
                return None;
            };
            let (before_run, before) = before?;
            let id = {
                let mut n = transitions.borrow_mut();
                *n += 1;
                *n
            };
            (before_run == run_id)
                .then(|| between(id, &before, at, ms))
                .flatten()
                .map(|t| Play(Rc::new(t)))
        })
    };
    let barrier = params.barrier_mode();
    let question = use_memo((sim.clone(), params.predict), move |(sim, predict)| {
        predict
            .then(|| question_at(&sim.0, step, barrier))
            .flatten()
            .map(Rc::new)
    });
    let checkpoint = use_checkpoint();
    stepper.hold(checkpoint.is_open(question.as_ref().as_deref()));
    let all_pointers = use_state(|| false);
    let notices = Rc::new(
        url.notices
            .iter()
            .cloned()
            .chain(stepper.notice.clone())
            .collect::<Vec<_>>(),
    );

    // Every knob starts the run again from its first step.
    let on_heap = {
        let (dispatch, stepper) = (url.dispatch.clone(), stepper.clone());
        Callback::from(move |e: Event| {
            if let Some(heap) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| OneOf::new(&s.value()))
            {
                stepper.stop();
                dispatch.emit(Action::Heap(heap));
            }
        })
    };
    let on_barrier = {
        let (dispatch, stepper) = (url.dispatch.clone(), stepper.clone());
        Callback::from(move |e: Event| {
            if let Some(barrier) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| OneOf::new(&s.value()))
            {
                stepper.stop();
                dispatch.emit(Action::Barrier(barrier));
            }
        })
    };
    let on_predict = {
        let (dispatch, stepper) = (url.dispatch.clone(), stepper.clone());
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                stepper.stop();
                dispatch.emit(Action::Predict(i.checked()));
            }
        })
    };
    let on_all_pointers = {
        let all_pointers = all_pointers.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                all_pointers.set(i.checked());
            }
        })
    };

    // Jumps wait, like a step forward, while a prediction is open.
    let asking = checkpoint.is_open(question.as_ref().as_deref());
    let jump = {
        let (run, on) = (run.clone(), stepper.on.clone());
        Callback::from(move |j: Jump| {
            if let (false, Some(to)) = (asking, j.target(&run, step)) {
                on.emit(PlayerMsg::Seek(to as usize));
            }
        })
    };
    let onkeydown = {
        let (keys, jump) = (stepper.onkeydown.clone(), jump.clone());
        Callback::from(move |e: KeyboardEvent| match Jump::from_key(&e) {
            Some(j) => {
                e.prevent_default();
                jump.emit(j);
            }
            None => keys.emit(e),
        })
    };
    let next_shade = run.next_shade(step);
    let next_phase = run.next_phase(step);
    let shade_label = match (barrier, next_shade) {
        (BarrierMode::None, _) => "Next barrier shade (none: this run has no barrier)".to_owned(),
        (_, Some(at)) => format!("Next barrier shade (step {at}) [b]"),
        (_, None) => format!("Next barrier shade (no more {})", recorded(&run)),
    };
    let phase_label = match next_phase {
        Some((at, phase)) => format!("Next phase: {} (step {at}) [p]", phase.name()),
        None => format!("Next phase (no more {})", recorded(&run)),
    };
    let heap_name = params.heap_name();

    let heap = sim.0.heap();
    html! {
        <div class={classes!("widget", "gc-mark", motion.off_class())} {onkeydown}>
            { view_notices(&notices) }
            <div class="controls">
                <label for="gc-preset">{ "Scenario" }</label>
                <select id="gc-preset" onchange={on_heap}>
                    { for presets.iter().map(|p| html! { <option value={p.name} selected={p.name == heap_name}>{ p.name }</option> }) }
                </select>
                <label for="gc-barrier">{ "Write barrier" }</label>
                <select id="gc-barrier" onchange={on_barrier}>
                    { for BarrierMode::ALL.iter().map(|b| html! { <option value={b.name()} selected={*b == barrier}>{ barrier_label(*b) }</option> }) }
                </select>
                <label class="check"><input type="checkbox" checked={params.predict} onchange={on_predict} />{ predict_label(barrier) }</label>
                <CopyLink />
            </div>
            <p class="explanation">{ (*explanation).clone() }</p>
            { stepper.player("Marking playback") }
            <div class="jumps" role="group" aria-label="Jump ahead">
                <button type="button" class="next-shade" disabled={asking || next_shade.is_none()}
                    aria-keyshortcuts="b" onclick={jump.reform(|_| Jump::Shade)}>{ shade_label }</button>
                <button type="button" class="next-phase" disabled={asking || next_phase.is_none()}
                    aria-keyshortcuts="p" onclick={jump.reform(|_| Jump::Phase)}>{ phase_label }</button>
            </div>
            { phase_banner(&sim.0) }
            <CheckpointView question={(*question).clone()} state={checkpoint.clone()} {step} name="gc-barrier-shade" />
            { narration(current, !stepper.playing) }
            { violations(&run.violations_to(step)) }
            if run.layout().is_some() {
                <HeapGraph run={run.clone()} sim={sim.clone()} hot={touched(current)} play={(*play).clone()} />
                { graph_legend() }
            } else {
                <label class="check">
                    <input type="checkbox" class="all-pointers" checked={*all_pointers} onchange={on_all_pointers} />
                    { format!(" Draw every pointer ({} of them; slower). Otherwise only the pointers marking follows next: \
                               from the roots, from grey objects and from what this step touched.", heap.edges().count()) }
                </label>
                <HeapCanvas sim={sim.clone()} hot={touched(current)} all_pointers={*all_pointers} play={(*play).clone()} />
                { canvas_legend() }
            }
            <strip::MarkStrip run={run.clone()} {step} on_seek={stepper.on.reform(|s: u64| PlayerMsg::Seek(s as usize))} />
            <ObjectList sim={sim.clone()} />
            <p class="fine-print">
                { "A small model of runtime/mgc.go, mgcmark.go, mbarrier.go and mgcsweep.go (Go 1.27): one step is one unit \
                   of work (a root job, one object scanned, one span swept, or one mutator action). Real marking runs on \
                   several threads at once, spans hold many objects, and the checker is the model's own, not the runtime's. \
                   Objects are scanned one at a time, in the classic order; Go 1.27's default collector (Green Tea, \
                   mgcmark_greenteagc.go) queues whole spans instead and scans every marked object of a span together." }
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(heap: &str, barrier: BarrierMode) -> MarkRun {
        MarkRun::record(mark_preset(heap).unwrap().build(barrier, 1))
    }

    #[test]
    fn a_run_reaches_every_step_in_any_order_as_stepping_does() {
        let mut sim = mark_preset("random").unwrap().build(BarrierMode::Hybrid, 1);
        let events: Vec<GcEvent> = (0..300).map_while(|_| sim.step()).collect();
        let run = MarkRun::record(mark_preset("random").unwrap().build(BarrierMode::Hybrid, 1));
        assert_eq!(run.last(), MAX_VIEW_STEPS, "a random mutator never ends");
        for step in [0, 200, 201, 199, 5, 299, 64, 63] {
            let (at, event) = run.at(step);
            assert_eq!(at.steps(), step);
            assert_eq!(
                event.map(|e| e.sentence),
                step.checked_sub(1)
                    .map(|i| events[i as usize].sentence.clone()),
                "step {step}"
            );
        }
    }

    /// A step forward plays the step's motion; a step back from the step
    /// after it plays the same motion in reverse; a jump plays nothing.
    #[test]
    fn stepping_back_plays_the_step_s_motion_in_reverse() {
        let run = run("hide-pointer", BarrierMode::Hybrid);
        let at = |s| {
            let (sim, e) = run.at(s);
            (SimAt(Rc::new(sim)), e)
        };
        let write = (1..=run.last())
            .find(|&s| matches!(run.at(s).1.map(|e| e.kind), Some(EventKind::Write { .. })))
            .unwrap();
        let forward = between(1, &at(write - 1), &at(write), 300.0).unwrap();
        let back = between(2, &at(write), &at(write - 1), 300.0).unwrap();
        assert!(forward.forward && !back.forward);
        assert_eq!(forward.motion, back.motion);
        assert!(forward.motion.travel.is_some(), "the write moves a pointer");
        assert_eq!(
            (forward.before.0.steps(), forward.after.0.steps()),
            (back.before.0.steps(), back.after.0.steps())
        );
        assert!(
            between(3, &at(write - 1), &at(write + 1), 300.0).is_none(),
            "two steps apart is a jump: no motion"
        );
    }

    #[test]
    fn with_no_barrier_the_hidden_pointer_is_lost_and_the_checker_says_so() {
        let lost = run("hide-pointer", BarrierMode::None);
        let (end, _) = lost.at(lost.last());
        assert!(!end.lost().is_empty());
        let found = lost.violations_to(lost.last());
        assert!(!found.is_empty() && found.len() <= VIOLATIONS_SHOWN);
        assert!(
            lost.violations_to(0).is_empty(),
            "nothing found before step 1"
        );
        assert!(found.windows(2).all(|w| w[0].0 >= w[1].0), "newest first");
        let kept = run("hide-pointer", BarrierMode::Hybrid);
        assert!(kept.at(kept.last()).0.lost().is_empty());
        assert!(kept.violations_to(kept.last()).is_empty());
    }

    /// The checkpoint once offered one checkbox and did not say which write
    /// came next. Now it names the write, offers the same choices whatever
    /// the barrier (so they cannot give the answer away), has one right
    /// answer, and explains the fate of every object the choices name.
    #[test]
    fn the_checkpoint_names_the_write_and_explains_every_outcome() {
        for preset in mark_presets().iter().filter(|p| !p.random_mutator) {
            let mut offered: Vec<(u64, Vec<(String, String)>)> = Vec::new();
            for barrier in BarrierMode::ALL {
                let run = run(preset.name, barrier);
                let asked: Vec<Question> = (0..run.last())
                    .filter_map(|s| question_at(&run.at(s).0, s, barrier))
                    .collect();
                if preset.name == "hide-pointer" {
                    assert!(asked.len() >= 2, "hide-pointer writes twice while marking");
                }
                for q in &asked {
                    let at = format!("{} {barrier:?} step {}", preset.name, q.step);
                    let Some(EventKind::Write {
                        holder,
                        slot,
                        new,
                        shaded,
                        ..
                    }) = run.at(q.step + 1).1.map(|e| e.kind)
                    else {
                        panic!("{at}: the next step is not a write");
                    };
                    let target = new.map_or("nil".to_owned(), |n| n.to_string());
                    assert!(
                        q.legend.contains(&format!("{holder}.{slot} = {target}")),
                        "{at}: {}",
                        q.legend
                    );
                    assert!(!q.multiple && q.options.len() >= 2, "{at}");
                    assert_eq!(q.correct.len(), 1, "{at}");
                    let want = if shaded.is_empty() {
                        "nothing".to_owned()
                    } else {
                        let mut s = shaded.clone();
                        s.sort_unstable();
                        s.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("+")
                    };
                    let mut right: Vec<&str> = q.options[q.correct[0]].0.split('+').collect();
                    right.sort_unstable();
                    assert_eq!(right.join("+"), want, "{at}");
                    for (response, _) in &q.options {
                        for o in response.split('+').filter(|o| *o != "nothing") {
                            assert!(
                                q.reveal.contains(o),
                                "{at}: {o} unexplained in {}",
                                q.reveal
                            );
                        }
                    }
                    assert!(q.reveal.contains("So the write shades"), "{at}");
                    match offered.iter().find(|(s, _)| *s == q.step) {
                        Some((_, options)) => assert_eq!(
                            options, &q.options,
                            "{at}: the choices changed with the barrier"
                        ),
                        None => offered.push((q.step, q.options.clone())),
                    }
                }
            }
        }
        let (sim, _) = run("hide-pointer", BarrierMode::Hybrid).at(0);
        assert!(
            question_at(&sim, 0, BarrierMode::Hybrid).is_none(),
            "no write at the start"
        );
    }

    #[test]
    fn the_jumps_land_on_the_next_barrier_shade_and_the_next_phase() {
        let none = run("hide-pointer", BarrierMode::None);
        assert_eq!(none.next_shade(0), None, "no barrier, no shade");
        let run = run("hide-pointer", BarrierMode::Hybrid);
        let mut step = 0;
        let mut shades = Vec::new();
        while let Some(at) = run.next_shade(step) {
            let Some(EventKind::Write { shaded, .. }) = run.at(at).1.map(|e| e.kind) else {
                panic!("step {at} is not a write");
            };
            assert!(!shaded.is_empty(), "step {at} shades nothing");
            for s in step + 1..at {
                assert!(
                    !matches!(run.at(s).1.map(|e| e.kind), Some(EventKind::Write { shaded, .. }) if !shaded.is_empty()),
                    "step {s} shades, and the jump from {step} passed it"
                );
            }
            shades.push(at);
            step = at;
        }
        assert!(
            !shades.is_empty(),
            "the hybrid barrier shades in hide-pointer"
        );
        let mut step = 0;
        let mut seen = vec![run.at(0).0.phase()];
        while let Some((at, phase)) = run.next_phase(step) {
            assert_eq!(run.at(at).0.phase(), phase);
            assert_ne!(
                run.at(at - 1).0.phase(),
                phase,
                "step {at} starts {phase:?}"
            );
            seen.push(phase);
            step = at;
        }
        assert_eq!(
            seen,
            [
                Phase::Off,
                Phase::SweepTermination,
                Phase::Mark,
                Phase::MarkTermination,
                Phase::Sweep,
                Phase::Off
            ]
        );
    }
}
