//! What the widget reads from the model: one recorded run of a scenario,
//! to revisit at any step, and the question it asks before an `execute`.

use std::collections::BTreeMap;

use runtime_model::sched::{Config, Event, EventKind, GId, Highlight, Sim, Source};

use super::latency::{self, Latency, Wait};
use super::strip::{Builder, Overview};
use crate::kit::checkpoint::Question;
use crate::kit::recording::Recording;

/// The view replays at most this many steps; longer runs stop here (said
/// in the UI).
pub const MAX_VIEW_STEPS: u64 = 200_000;

/// One recorded run: the timeline to seek in, its length, and the
/// schedtrace lines printed along the way.
pub struct Run {
    recording: Recording<Sim>,
    /// GOMAXPROCS when the run starts.
    pub procs: u32,
    /// The seed of the run's random choices.
    pub seed: u64,
    pub last: u64,
    /// Whether the run ended by `last` (else the view stops there).
    pub finished: bool,
    /// Each schedtrace line, with the step that printed it.
    pub traces: Vec<(u64, String)>,
    /// The steps after which the model's action still has events queued,
    /// ascending: there the timeline's state is ahead of the step's event,
    /// and [`Run::frame`] replays the action to draw the step.
    unsettled: Vec<u64>,
    /// Every event, in order: event `i` is the one of step `i + 1`.
    pub events: Vec<Event>,
    /// Whether each event is routine (see [`routine_events`]), by index.
    routine: Vec<bool>,
    /// Every wait of a runnable goroutine, in step order.
    pub waits: Vec<Wait>,
    /// The whole run at a glance, for the strip under the lanes.
    pub overview: Overview,
}

impl Run {
    /// Runs `config` to its end (or [`MAX_VIEW_STEPS`]) once, keeping the
    /// timeline's snapshots so that any step can be reached quickly later.
    pub fn record(config: Config) -> Result<Run, String> {
        let detailed = config.scheddetail;
        let (procs, seed) = (config.gomaxprocs, config.seed);
        let sim = Sim::new(config).map_err(|e| e.to_string())?;
        let mut traces = Vec::new();
        let mut unsettled = Vec::new();
        let mut events = Vec::new();
        let mut waits = Vec::new();
        let mut overview = Builder::new(&sim);
        let recording = Recording::with(sim, MAX_VIEW_STEPS, |timeline, e| {
            events.push(*e);
            overview.note(timeline.sim(), e);
            if let Some(wait) = wait_of(timeline.sim(), e, timeline.step_index()) {
                waits.push(wait);
            }
            if e.kind == EventKind::Schedtrace {
                traces.push((timeline.step_index(), timeline.sim().schedtrace(detailed)));
            }
            if !timeline.sim().settled() {
                unsettled.push(timeline.step_index());
            }
        });
        Ok(Run {
            procs,
            seed,
            last: recording.last,
            finished: recording.finished,
            traces,
            routine: routine_events(&events, &unsettled),
            unsettled,
            events,
            waits,
            recording,
            overview: overview.finish(),
        })
    }

    /// Whether the event of `step` is routine.
    pub fn is_routine(&self, step: u64) -> bool {
        step > 0 && self.routine.get(step as usize - 1) == Some(&true)
    }

    /// The steps left when routine ones are hidden: 0, every step whose
    /// event is not routine, and the last.
    pub fn stops(&self) -> Vec<u64> {
        let mut stops: Vec<u64> = std::iter::once(0)
            .chain((1..=self.last).filter(|&s| !self.is_routine(s)))
            .collect();
        if stops.last() != Some(&self.last) {
            stops.push(self.last);
        }
        stops
    }

    /// How many routine steps lie just before `step` (what stepping with
    /// routine steps hidden folded into it).
    pub fn folded_before(&self, step: u64) -> u64 {
        (1..step).rev().take_while(|&s| self.is_routine(s)).count() as u64
    }

    /// The steps "next interesting event" stops at: those whose event is
    /// the `highlight` (any of them if `None`), or, with `follow`, the
    /// steps whose event is about that goroutine.
    pub fn marks(&self, highlight: Option<Highlight>, follow: Option<GId>) -> Vec<u64> {
        self.events
            .iter()
            .enumerate()
            .filter(|(_, e)| match follow {
                Some(g) => e.g == Some(g),
                None => e
                    .kind
                    .highlight()
                    .is_some_and(|h| highlight.is_none_or(|want| h == want)),
            })
            .map(|(i, _)| i as u64 + 1)
            .collect()
    }

    /// The first step whose event `lesson` picks: where a preset's lesson
    /// starts, for "skip the setup".
    pub fn first_step(&self, lesson: impl Fn(&EventKind) -> bool) -> Option<u64> {
        self.events
            .iter()
            .position(|e| lesson(&e.kind))
            .map(|i| i as u64 + 1)
    }

    /// The state to draw at `step`: the model's state right after the
    /// step's event, even when the action that queued it has already
    /// done more (see `runtime_model::sched::Sim::frame`).
    pub fn frame(&self, step: u64) -> Sim {
        let step = step.min(self.last);
        let is_unsettled = |s: u64| self.unsettled.binary_search(&s).is_ok();
        if step == 0 || !is_unsettled(step) {
            return self.at(step, 0).0;
        }
        // Back to the state before the action that queued this event.
        let mut start = step - 1;
        while start > 0 && is_unsettled(start) {
            start -= 1;
        }
        let (sim, _) = self.at(start, 0);
        sim.frame((step - start - 1) as usize)
            .expect("the recorded run has this step")
    }

    /// Whether the event of `step` changes nothing that the view draws
    /// (the clock aside): its picture is the one of the step before.
    pub fn changes_nothing(&self, step: u64) -> bool {
        step > 0 && self.frame(step - 1).picture() == self.frame(step).picture()
    }

    /// The state at `step` and the events that led to it (the most recent
    /// last, at most `history` of them).
    pub fn at(&self, step: u64, history: u64) -> (Sim, Vec<Event>) {
        let (timeline, events) = self.recording.at(step, history);
        (timeline.sim().clone(), events)
    }

    /// The schedtrace lines printed by `step`, the last `n` of them.
    pub fn traces_by(&self, step: u64, n: usize) -> Vec<&str> {
        let printed: Vec<&str> = self
            .traces
            .iter()
            .take_while(|(s, _)| *s <= step)
            .map(|(_, line)| line.as_str())
            .collect();
        printed[printed.len().saturating_sub(n)..].to_vec()
    }
}

impl PartialEq for Run {
    fn eq(&self, other: &Run) -> bool {
        std::ptr::eq(self, other)
    }
}

/// The wait that the event of `step` ended, if it is an `execute`: the
/// model noted how long its goroutine had been runnable.
fn wait_of(sim: &Sim, e: &Event, step: u64) -> Option<Wait> {
    let (EventKind::Execute { .. }, Some(g)) = (e.kind, e.g) else {
        return None;
    };
    Some(Wait {
        g,
        step,
        ns: sim.g(g).last_wait,
    })
}

/// Every wait of a run of `config`, to its end (or [`MAX_VIEW_STEPS`]).
pub fn waits_of(config: Config) -> Vec<Wait> {
    let Ok(mut sim) = Sim::new(config) else {
        return Vec::new();
    };
    let mut waits = Vec::new();
    while sim.steps() < MAX_VIEW_STEPS {
        let Some(e) = sim.step() else { break };
        waits.extend(wait_of(&sim, &e, sim.steps()));
    }
    waits
}

/// For a scenario with a CPU hog, the tail of its waits with and without
/// async preemption, in words (see [`latency::preemption_tail`]).
pub fn preemption_tail(config: &Config) -> Option<String> {
    let with = |off: bool| {
        let mut c = config.clone();
        c.asyncpreemptoff = off;
        let waits = waits_of(c);
        Latency::by(&waits, u64::MAX)
    };
    latency::preemption_tail(&with(false), &with(true))
}

/// Which events an event test picks.
pub type Picks = fn(&EventKind) -> bool;

/// Where a preset's lesson starts, for "skip the setup": what happens
/// there, and the event that picks it. `None`: it starts at once.
pub fn lesson(preset: &str) -> Option<(&'static str, Picks)> {
    let steal: Picks = |k| k.highlight() == Some(Highlight::Steal);
    Some(match preset {
        "fan-out" | "work-stealing" => ("the first steal", steal),
        "syscall-handoff" => ("the first system call", |k| {
            matches!(k, EventKind::Entersyscall { .. })
        }),
        "netpoller" => ("the first read parks on the netpoller", |k| {
            matches!(
                k,
                EventKind::Park {
                    reason: runtime_model::sched::WaitReason::IoWait
                }
            )
        }),
        "preempt" | "preempt-off" => ("the first preemption", |k| {
            k.highlight() == Some(Highlight::Preemption)
        }),
        "overflow" => ("the local queue overflows", |k| {
            matches!(k, EventKind::Runqputslow { .. })
        }),
        "gomaxprocs" => ("GOMAXPROCS changes", |k| {
            matches!(k, EventKind::Procresize { .. })
        }),
        "yield" => ("the first runtime.Gosched", |k| *k == EventKind::Gosched),
        _ => return None,
    })
}

/// Whether events `i` and `i + 1` come from one action: the model still
/// had events queued after the step of event `i`.
fn same_action(unsettled: &[u64], i: usize) -> bool {
    unsettled.binary_search(&(i as u64 + 1)).is_ok()
}

/// Goroutines of one run of `go` statements whose steps stay shown: the
/// first two (they show runnext and the kick) and the last.
const SHOWN_SPAWNS: usize = 2;

/// Which events are routine, by index: a sysmon tick whose round does
/// nothing (no retake, no preemption, no netpoll; at most a schedtrace
/// line), a schedtrace line (the panel prints it anyway), and, in a run of
/// `go` statements by one goroutine (nothing else of it in between), every
/// `newproc` after the first two but the last, each with the `runqput`
/// kick it causes.
pub fn routine_events(events: &[Event], unsettled: &[u64]) -> Vec<bool> {
    let mut routine = vec![false; events.len()];
    // The newproc events of each parent's current run of go statements.
    let mut runs: BTreeMap<GId, Vec<usize>> = BTreeMap::new();
    let close = |run: Vec<usize>, routine: &mut Vec<bool>| {
        for &i in run
            .iter()
            .take(run.len().saturating_sub(1))
            .skip(SHOWN_SPAWNS)
        {
            routine[i] = true;
            if same_action(unsettled, i)
                && events
                    .get(i + 1)
                    .is_some_and(|e| e.kind == EventKind::RunnextKicked)
            {
                routine[i + 1] = true;
            }
        }
    };
    for (i, e) in events.iter().enumerate() {
        match e.kind {
            EventKind::Schedtrace => routine[i] = true,
            EventKind::SysmonTick { .. } => {
                let next = same_action(unsettled, i).then(|| events[i + 1].kind);
                routine[i] = matches!(next, None | Some(EventKind::Schedtrace));
            }
            EventKind::Newproc { parent } => runs.entry(parent).or_default().push(i),
            EventKind::RunnextKicked => {}
            _ => {
                if let Some(run) = e.g.and_then(|g| runs.remove(&g)) {
                    close(run, &mut routine);
                }
            }
        }
    }
    for run in std::mem::take(&mut runs).into_values() {
        close(run, &mut routine);
    }
    routine
}

/// What the narration says of a step's event: its sentence, and, when the
/// step changes nothing drawn (a sysmon tick with nothing to do, say), that
/// only the clock moves.
pub fn narration_text(e: &Event, changes_nothing: bool) -> String {
    let sentence = e.sentence();
    if changes_nothing {
        format!("{sentence} Nothing visible changes: only the clock moves on.")
    } else {
        sentence
    }
}

/// Where a goroutine sits, as the prediction names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Runnext(u32),
    /// A P's local queue, and the position in it (0: the head).
    Local(u32, usize),
    /// The global queue, and the position in it.
    Global(usize),
    /// Parked on the netpoller; whether its I/O is ready.
    Netpoll(bool),
    /// Asleep on a timer of this P.
    Timer(u32),
    /// None of these: its status.
    Elsewhere(&'static str),
}

impl Place {
    /// Where goroutine `g` sits in `sim`.
    pub fn of(sim: &Sim, g: GId) -> Place {
        for p in sim.ps() {
            if p.runnext == Some(g) {
                return Place::Runnext(p.id);
            }
            if let Some(i) = p.runq().position(|x| x == g) {
                return Place::Local(p.id, i);
            }
            if p.timers().iter().any(|&(_, x)| x == g) {
                return Place::Timer(p.id);
            }
        }
        if let Some(i) = sim.global_runq().position(|x| x == g) {
            return Place::Global(i);
        }
        if let Some((ready, _)) = sim.netpoll_waiters().find(|&(_, x)| x == g) {
            return Place::Netpoll(ready <= sim.now());
        }
        Place::Elsewhere(sim.g(g).status.name())
    }

    /// In words that say nothing of what runs next: "in P0's runnext",
    /// "3rd in P1's local queue", "parked on the netpoller, its I/O ready".
    pub fn words(self) -> String {
        let nth = |i: usize| match i {
            0 => String::from("head"),
            1 => String::from("2nd"),
            2 => String::from("3rd"),
            _ => format!("{}th", i + 1),
        };
        match self {
            Place::Runnext(p) => format!("in P{p}'s runnext"),
            Place::Local(p, i) => format!("{} of P{p}'s local queue", nth(i)),
            Place::Global(i) => format!("{} of the global queue", nth(i)),
            Place::Netpoll(ready) => format!(
                "parked on the netpoller, its I/O {}",
                if ready { "ready" } else { "not ready yet" }
            ),
            Place::Timer(p) => format!("asleep on a timer of P{p}"),
            Place::Elsewhere(status) => String::from(status),
        }
    }

    /// Why a goroutine here was not the one P `p` picked from `source`.
    fn why_not(self, p: u32, source: Source, schedtick: u32) -> String {
        let steal_from = match source {
            Source::Steal { victim, .. } | Source::StealRunnext { victim } => Some(victim),
            _ => None,
        };
        let first = "another goroutine comes before it in findRunnable's order";
        match self {
            Place::Runnext(q) | Place::Local(q, 0) if q == p && source == Source::GlobalFairness => {
                format!("schedtick is {schedtick}, a multiple of 61, so the global queue comes first")
            }
            Place::Local(q, 0) if q == p && source == Source::Runnext => {
                String::from("runnext comes before the local queue")
            }
            Place::Local(q, _) if steal_from == Some(q) => format!(
                "a steal takes half of P{q}'s queue from the head and runs the last goroutine it took"
            ),
            Place::Runnext(q) if steal_from == Some(q) => {
                String::from("a runnext is stolen only on the last pass, from a P with an empty queue")
            }
            Place::Local(_, i) if i > 0 => String::from("it is not at the head of its queue"),
            Place::Runnext(q) | Place::Local(q, _) if q != p => match steal_from {
                Some(v) => format!("the random steal order tried P{v} first"),
                None => String::from(
                    "stealing comes last, after the P's own queue, the global queue and the netpoller",
                ),
            },
            Place::Global(i) if i > 0 => String::from("it is not at the head of the global queue"),
            Place::Global(_) if matches!(source, Source::Runnext | Source::LocalRunq) => format!(
                "the P's own queue comes first; the global queue goes first only on every 61st schedtick \
                 (it is {schedtick})"
            ),
            Place::Netpoll(false) => String::from("its I/O is not ready yet"),
            Place::Netpoll(true) => {
                String::from("the netpoller is polled only when the P's and the global queues are empty")
            }
            Place::Timer(_) => String::from("its timer has not fired yet"),
            Place::Elsewhere(_) => String::from("it is not runnable"),
            _ => String::from(first),
        }
    }
}

/// Why `findRunnable` took its goroutine from `source`, in the order it
/// looks (runtime/proc.go): the fairness check, runnext, the local queue,
/// a global batch, the netpoller, stealing.
fn why_source(source: Source, schedtick: u32) -> String {
    match source {
        Source::GlobalFairness => format!(
            "schedtick is {schedtick}, a multiple of 61, so findRunnable looks at the global queue before \
             the P's own, for fairness."
        ),
        Source::Runnext => String::from("runqget takes the runnext slot before anything else."),
        Source::LocalRunq => String::from(
            "runnext is empty, so runqget takes the head of the P's local queue.",
        ),
        Source::GlobalBatch(n) => format!(
            "the P's runnext and local queue are empty, so findRunnable takes a batch of {n} from the \
             global queue and runs its head."
        ),
        Source::Netpoll => String::from(
            "the P's queues and the global queue are empty, so findRunnable polls the network: this \
             goroutine's I/O is ready.",
        ),
        Source::Steal { victim, n } => format!(
            "nothing is queued here, globally or on the netpoller, so the M steals half of P{victim}'s \
             queue ({n}) and runs the last goroutine it took."
        ),
        Source::StealRunnext { victim } => format!(
            "nothing is queued anywhere else, so on its last pass the M steals P{victim}'s runnext."
        ),
    }
}

/// The checkpoint before an `execute`: which goroutine will the P run?
/// The options are the goroutines `findRunnable` could find, each with
/// where it sits now (the same words for every option, so no label gives
/// the answer away): the P's runnext and queue head, the head of the
/// global queue, a goroutine whose I/O is ready, and on each other P its
/// queue's head and the one a steal would run. The reveal says why the answer runs and why each
/// other option does not. `shown` is the state drawn at `step`
/// ([`Run::frame`]), `sim` the model's own (which may be ahead, and tells
/// the next event). `None` when the next event is no `execute`, or there
/// is only one option (nothing to predict).
pub fn next_goroutine_question(shown: &Sim, sim: &Sim, step: u64) -> Option<Question> {
    let e = sim.clone().step()?;
    let sim = shown;
    let (EventKind::Execute { source, .. }, Some(answer), Some(p)) = (e.kind, e.g, e.p) else {
        return None;
    };
    let lane = sim.ps().get(p as usize)?;
    let mut options: Vec<GId> = Vec::new();
    let mut add = |g: Option<GId>| {
        if let Some(g) = g {
            if !options.contains(&g) {
                options.push(g);
            }
        }
    };
    add(lane.runnext);
    add(lane.runq().next());
    add(sim.global_runq().next());
    add(sim
        .netpoll_waiters()
        .find(|&(ready, _)| ready <= sim.now())
        .map(|(_, g)| g));
    for other in sim.ps().iter().filter(|o| o.id != p) {
        // runqsteal takes half the queue, rounded up, and runs the last;
        // the head is the tempting wrong guess.
        let queue: Vec<GId> = other.runq().collect();
        let n = queue.len() - queue.len() / 2;
        add(queue.first().copied());
        add(n.checked_sub(1).map(|i| queue[i]).or(other.runnext));
    }
    add(Some(answer));
    if options.len() < 2 {
        return None;
    }
    options.sort_unstable();
    let places: Vec<Place> = options.iter().map(|&g| Place::of(sim, g)).collect();
    let schedtick = lane.schedtick;
    let others: Vec<String> = options
        .iter()
        .zip(&places)
        .filter(|(g, _)| **g != answer)
        .map(|(g, place)| {
            format!(
                "G{g} ({}): {}",
                place.words(),
                place.why_not(p, source, schedtick)
            )
        })
        .collect();
    Some(Question {
        step,
        id: "sched-next-goroutine",
        prompt: "Which goroutine runs next?",
        legend: format!("Predict: P{p} is about to pick its next goroutine. Which one runs?"),
        correct: options
            .iter()
            .position(|g| *g == answer)
            .into_iter()
            .collect(),
        options: options
            .iter()
            .zip(&places)
            .map(|(g, place)| (format!("G{g}"), format!("G{g}, {}", place.words())))
            .collect(),
        multiple: false,
        reveal: format!(
            "G{answer} runs next: {} Not the others: {}.",
            why_source(source, schedtick),
            others.join("; ")
        ),
        hint: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::state::Params;
    use super::*;
    use crate::kit::query::decode;
    use runtime_model::sched::{human, presets};

    fn record(query: &str) -> Run {
        Run::record(decode::<Params>(query).params.config().unwrap()).unwrap()
    }

    #[test]
    fn a_recorded_run_can_be_revisited_at_any_step() {
        let run = record("preset=spawn-order&n=5");
        assert!(run.finished && run.last > 10);
        let (late, _) = run.at(run.last, 4);
        let (early, events) = run.at(3, 8);
        assert_eq!(early.steps(), 3);
        assert_eq!(events.len(), 3);
        assert!(late.finished());
        let (again, _) = run.at(3, 8);
        assert_eq!(format!("{:?}", again.gs()), format!("{:?}", early.gs()));
        let (_, recent) = run.at(run.last, 4);
        assert_eq!(recent.len(), 4);
        assert_eq!(recent.last().unwrap().step + 1, run.last);
    }

    #[test]
    fn every_step_draws_the_state_right_after_its_event_or_says_nothing_changes() {
        for preset in presets::PRESETS {
            for procs in ["", "&gomaxprocs=3"] {
                let run = record(&format!("preset={}{procs}", preset.name));
                let mut sim = run.at(0, 0).0;
                let mut start = sim.clone();
                let mut before = sim.picture();
                for step in 1..=run.last {
                    let e = sim.step().unwrap();
                    let n = (sim.steps() - start.steps() - 1) as usize;
                    // The model's state right after this step's event.
                    let after = start.frame(n).unwrap().picture();
                    if sim.settled() {
                        start = sim.clone();
                    }
                    let shown = run.frame(step).picture();
                    assert_eq!(shown, after, "{} step {step}", preset.name);
                    let said = narration_text(&e, run.changes_nothing(step));
                    assert_eq!(
                        said.contains("Nothing visible changes"),
                        before == after,
                        "{} step {step}: {said}",
                        preset.name
                    );
                    before = after;
                }
            }
        }
    }

    #[test]
    fn work_stealing_announces_each_change_at_its_own_step() {
        let run = record("preset=work-stealing");
        // Step 3: G2 goes into runnext; M2 spins only from step 4.
        let (_, events) = run.at(4, 2);
        assert!(events[0].sentence().contains("G2 goes into P0's runnext"));
        assert!(
            events[1].sentence().contains("to spin"),
            "{}",
            events[1].sentence()
        );
        let m2 = |step| run.frame(step).ms().get(2).map(|m| m.spinning);
        assert_eq!(run.frame(3).ps()[0].runnext, Some(2));
        assert_eq!(m2(3), None, "no M2 yet at step 3");
        assert_eq!(m2(4), Some(true));
        // Steps 5 and 6 each change the picture.
        assert!(!run.changes_nothing(5) && !run.changes_nothing(6));
    }

    #[test]
    fn next_interesting_event_finds_the_steals_handoffs_preemptions_and_a_goroutine() {
        let run = record("preset=work-stealing");
        let steals = run.marks(Some(Highlight::Steal), None);
        assert!(!steals.is_empty());
        for &s in &steals {
            assert!(run.events[s as usize - 1]
                .sentence()
                .contains("stolen from"));
        }
        // Far from the start: ~100 go statements come first.
        assert!(steals[0] > 50, "{}", steals[0]);
        assert_eq!(
            run.first_step(lesson("work-stealing").unwrap().1),
            Some(steals[0]),
            "skip the setup lands on the first steal"
        );
        let handoffs = record("preset=syscall-handoff").marks(Some(Highlight::Handoff), None);
        assert!(handoffs.len() >= 2, "{handoffs:?}");
        let run = record("preset=preempt");
        let preemptions = run.marks(Some(Highlight::Preemption), None);
        assert!(preemptions.len() >= 3, "{preemptions:?}");
        let any = run.marks(None, None);
        assert!(preemptions.iter().all(|s| any.contains(s)));
        let g2 = run.marks(None, Some(2));
        assert!(!g2.is_empty());
        assert!(g2.iter().all(|&s| run.events[s as usize - 1].g == Some(2)));
        assert_eq!(
            g2.len(),
            run.events.iter().filter(|e| e.g == Some(2)).count()
        );
    }

    #[test]
    fn every_preset_but_spawn_order_can_skip_its_setup() {
        for preset in presets::PRESETS {
            let run = record(&format!("preset={}", preset.name));
            match lesson(preset.name) {
                Some((what, picks)) => {
                    let at = run.first_step(picks);
                    assert!(at.is_some_and(|s| s > 1), "{}: {what} {at:?}", preset.name);
                }
                None => assert_eq!(preset.name, "spawn-order"),
            }
        }
    }

    #[test]
    fn hiding_routine_steps_keeps_every_step_that_does_something() {
        let run = record("preset=syscall-handoff");
        let stops = run.stops();
        assert_eq!((stops[0], *stops.last().unwrap()), (0, run.last));
        assert!(
            stops.len() * 2 < run.last as usize,
            "{} of {}",
            stops.len(),
            run.last
        );
        for preset in presets::PRESETS {
            let run = record(&format!("preset={}", preset.name));
            for step in 1..=run.last {
                let e = &run.events[step as usize - 1];
                if !run.is_routine(step) {
                    continue;
                }
                match e.kind {
                    EventKind::SysmonTick { .. } | EventKind::Schedtrace => assert!(
                        run.changes_nothing(step),
                        "{} step {step}: a hidden step changes the picture: {}",
                        preset.name,
                        e.sentence()
                    ),
                    EventKind::Newproc { .. } | EventKind::RunnextKicked => {}
                    _ => panic!("{} step {step} hidden: {}", preset.name, e.sentence()),
                }
            }
        }
        // A burst of go statements keeps its first two and its last.
        let run = record("preset=spawn-order&n=10");
        let spawns: Vec<u64> = (1..=run.last)
            .filter(|&s| matches!(run.events[s as usize - 1].kind, EventKind::Newproc { .. }))
            .collect();
        let shown: Vec<u64> = spawns
            .iter()
            .copied()
            .filter(|&s| !run.is_routine(s))
            .collect();
        assert_eq!(shown, [spawns[0], spawns[1], spawns[9]]);
        assert_eq!(
            run.folded_before(spawns[9]),
            spawns[9] - spawns[1] - 2,
            "the kick after spawn 2 stays"
        );
    }

    #[test]
    fn the_prediction_gives_nothing_away_and_explains_every_outcome() {
        let mut asked = 0;
        for preset in presets::PRESETS {
            let run = record(&format!("preset={}", preset.name));
            for step in 0..run.last.min(3_000) {
                let sim = run.frame(step);
                let Some(q) = next_goroutine_question(&sim, &run.at(step, 0).0, step) else {
                    continue;
                };
                asked += 1;
                for (response, label) in &q.options {
                    // Every label is the goroutine and where it sits now,
                    // in the same words for the answer as for the others.
                    let g: GId = response[1..].parse().unwrap();
                    assert_eq!(
                        *label,
                        format!("{response}, {}", Place::of(&sim, g).words())
                    );
                    assert!(
                        !label.contains("elsewhere") && !label.contains("another P"),
                        "{label}"
                    );
                }
                assert!(!q.reveal.contains("narration below"), "{}", q.reveal);
                // The reveal explains the answer and each other option.
                let answer = &q.options[q.correct[0]].0;
                assert!(q.reveal.starts_with(&format!("{answer} runs next: ")));
                for (response, _) in q.options.iter().filter(|(r, _)| r != answer) {
                    assert!(
                        q.reveal.contains(&format!("{response} (")),
                        "{} step {step}: {response} not explained: {}",
                        preset.name,
                        q.reveal
                    );
                }
            }
        }
        assert!(asked > 20, "{asked}");
    }

    #[test]
    fn a_steal_is_predicted_among_goroutines_named_by_where_they_sit() {
        let run = record("preset=work-stealing");
        let steal = run.marks(Some(Highlight::Steal), None)[0];
        let (sim, _) = run.at(steal - 1, 0);
        let q = next_goroutine_question(&run.frame(steal - 1), &sim, steal - 1)
            .expect("a choice before the steal");
        let (answer, label) = &q.options[q.correct[0]];
        assert!(label.contains("of P0's local queue"), "{label}");
        assert!(
            q.reveal.contains("steals half of P0's queue"),
            "{}",
            q.reveal
        );
        assert!(
            q.reveal
                .contains("from the head and runs the last goroutine it took"),
            "{}",
            q.reveal
        );
        assert_eq!(
            Some(answer.as_str()),
            run.events[steal as usize - 1]
                .g
                .map(|g| format!("G{g}"))
                .as_deref()
        );
    }

    #[test]
    fn each_wait_is_the_time_from_runnable_to_running() {
        // spawn-order on one P: each child waits from its go statement to
        // its execute, as the events' clock says.
        let run = record("preset=spawn-order&n=5");
        let mut born = BTreeMap::new();
        let mut checked = 0;
        for e in &run.events {
            match e.kind {
                EventKind::Newproc { .. } => {
                    born.insert(e.g.unwrap(), e.t_ns);
                }
                EventKind::Execute { .. } => {
                    let g = e.g.unwrap();
                    let w = run.waits.iter().find(|w| w.step == e.step + 1).unwrap();
                    assert_eq!(w.g, g);
                    if let Some(t) = born.remove(&g) {
                        assert_eq!(w.ns, e.t_ns - t, "G{g}");
                        checked += 1;
                    }
                }
                _ => {}
            }
        }
        assert_eq!(checked, 5);
        assert_eq!(
            run.waits.len(),
            run.events
                .iter()
                .filter(|e| matches!(e.kind, EventKind::Execute { .. }))
                .count()
        );
    }

    #[test]
    fn async_preemption_shortens_the_tail_of_the_waits() {
        let on = Latency::by(&record("preset=preempt").waits, u64::MAX);
        let off = Latency::by(&record("preset=preempt-off").waits, u64::MAX);
        let (on_max, off_max) = (on.longest().unwrap(), off.longest().unwrap());
        // The hog runs 50 ms; preempted every 10 ms, no one waits much
        // longer than a slice.
        assert!(off_max >= 50_000_000, "{off_max}");
        assert!(on_max < 25_000_000, "{on_max}");
        let p = decode::<Params>("preset=preempt").params;
        let text = preemption_tail(&p.config().unwrap()).unwrap();
        assert!(
            text.contains(&format!("the longest wait is {}", human(on_max))),
            "{text}"
        );
        assert!(
            text.contains(&format!("it is {}", human(off_max))),
            "{text}"
        );
        assert!(text.contains("cuts the tail"), "{text}");
    }

    #[test]
    fn a_run_has_the_gomaxprocs_of_its_link() {
        let run = record("preset=fan-out&gomaxprocs=200");
        assert_eq!(run.procs, 200);
        let (sim, _) = run.at(0, 0);
        assert_eq!(sim.ps().len(), 200);
    }

    #[test]
    fn the_schedtrace_panel_shows_the_lines_printed_so_far() {
        let run = record("preset=fan-out");
        assert!(run.traces.len() > 2, "{}", run.traces.len());
        assert!(run.traces_by(0, 12).is_empty());
        let all = run.traces_by(run.last, 2);
        assert_eq!(all.len(), 2);
        assert_eq!(all[1], run.traces.last().unwrap().1);
    }

    #[test]
    fn the_question_before_an_execute_offers_the_places_findrunnable_looks() {
        let run = record("preset=spawn-order&n=3&predict=1");
        let (step, q) = (0..run.last)
            .find_map(|s| {
                next_goroutine_question(&run.frame(s), &run.at(s, 0).0, s).map(|q| (s, q))
            })
            .expect("spawn-order has a choice to predict");
        assert_eq!(
            (q.id, q.prompt, q.step),
            ("sched-next-goroutine", "Which goroutine runs next?", step)
        );
        assert!(
            q.legend.starts_with("Predict: P0 is about to pick"),
            "{}",
            q.legend
        );
        assert!(q.options.len() >= 2 && q.correct.len() == 1, "{q:?}");
        let (response, label) = &q.options[q.correct[0]];
        assert!(label.starts_with(&format!("{response}, ")), "{label}");
        assert!(
            q.reveal.starts_with(&format!("{response} runs next: ")),
            "{}",
            q.reveal
        );
        let (_, next) = run.at(step + 1, 1);
        assert!(matches!(next[0].kind, EventKind::Execute { .. }));
        assert_eq!(format!("G{}", next[0].g.unwrap()), *response);
    }
}
