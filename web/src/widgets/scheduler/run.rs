//! What the widget reads from the model: one recorded run of a scenario,
//! to revisit at any step, and the question it asks before an `execute`.

use runtime_model::sched::{Config, Event, EventKind, GId, Sim};

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
        let recording = Recording::with(sim, MAX_VIEW_STEPS, |timeline, e| {
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
            unsettled,
            recording,
        })
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

/// The checkpoint before an `execute`: which goroutine will the P run?
/// The options are the places `findRunnable` looks, each with the G found
/// there; `None` when the next event is no `execute`, or only one place
/// has a G (nothing to predict).
pub fn next_goroutine_question(sim: &Sim, step: u64) -> Option<Question> {
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
        return None;
    }
    options.sort_by_key(|(g, _)| *g);
    Some(Question {
        step,
        id: "sched-next-goroutine",
        prompt: "Which goroutine runs next?",
        legend: format!("Predict: P{p} is about to pick its next goroutine. Which one runs?"),
        correct: options
            .iter()
            .position(|(g, _)| *g == answer)
            .into_iter()
            .collect(),
        options: options
            .iter()
            .map(|(g, why)| (format!("G{g}"), format!("G{g} ({why})")))
            .collect(),
        multiple: false,
        reveal: format!("G{answer} runs next; the narration below says why."),
        hint: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::state::Params;
    use super::*;
    use crate::kit::query::decode;
    use runtime_model::sched::presets;

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
            .find_map(|s| next_goroutine_question(&run.at(s, 0).0, s).map(|q| (s, q)))
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
        assert!(label.starts_with(&format!("{response} (")), "{label}");
        assert_eq!(
            q.reveal,
            format!("{response} runs next; the narration below says why.")
        );
        let (_, next) = run.at(step + 1, 1);
        assert!(matches!(next[0].kind, EventKind::Execute { .. }));
        assert_eq!(format!("G{}", next[0].g.unwrap()), *response);
    }
}
