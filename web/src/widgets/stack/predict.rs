//! The stack's checkpoints: before a call, will it grow the stack? Before
//! a collection, will it shrink it? The right answer is what the model's
//! next step does (`StackSim::step` on a copy: the prologue's check,
//! `newstack`, `shrinkstack`).

use runtime_model::stack::{StackAction, StackEventKind, StackSim};

use crate::kit::checkpoint::Question;

/// A call's options: it fits, the stack grows, the stack cannot grow.
const CALL: [(&str, &str); 3] = [
    ("fits", "No: the frame fits in the stack it has"),
    (
        "grows",
        "Yes: the runtime copies the stack into a bigger one first",
    ),
    (
        "overflow",
        "It cannot grow enough: the stack would pass its limit",
    ),
];

/// A collection's options.
const GC: [(&str, &str); 2] = [
    ("keeps", "No: the stack keeps its size"),
    ("shrinks", "Yes: the stack is copied into one half the size"),
];

fn options(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(id, label)| ((*id).to_owned(), (*label).to_owned()))
        .collect()
}

/// The checkpoint at `step`, where the stack is in the state `sim`:
/// before each call the script makes (not the push that finishes a call
/// the stack grew for) and before each collection. `None` before a
/// return, and once the run is over.
pub fn question_at(sim: &StackSim, step: u64) -> Option<Question> {
    let action = sim.next_action()?;
    let next = sim.clone().step();
    let (size, used) = (sim.size(), sim.used());
    match action {
        StackAction::Return => None,
        StackAction::Call { frame } => {
            let (answer, outcome) = match next.kind {
                StackEventKind::Call { .. } => (0, "It fits."),
                StackEventKind::Grow { .. } => (1, "It grows."),
                StackEventKind::Overflow { .. } => (2, "It cannot grow enough."),
                _ => return None,
            };
            let depth = sim.frames().len() + 1;
            Some(Question {
                step,
                id: "stack-call-grows",
                prompt: "Will this call grow the stack?",
                legend: format!(
                    "Predict: call {depth} needs a {frame}-byte frame. The stack is {size} B with {used} B in use. Will this call grow the stack?"
                ),
                options: options(&CALL),
                multiple: false,
                correct: vec![answer],
                reveal: format!("{outcome} {}", next.text),
                hint: Some("A frame may not reach into the guard at the stack's low end (hatched in the bar below)."),
            })
        }
        StackAction::Gc => {
            let answer = match next.kind {
                StackEventKind::KeepSize { .. } => 0,
                StackEventKind::Shrink { .. } => 1,
                _ => return None,
            };
            Some(Question {
                step,
                id: "stack-gc-shrinks",
                prompt: "Will this collection shrink the stack?",
                legend: format!(
                    "Predict: a GC scans the stack now, {used} of {size} B in use. Will it shrink the stack?"
                ),
                options: options(&GC),
                multiple: false,
                correct: vec![answer],
                reveal: next.text,
                hint: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widgets::stack::state::{scenario, FRAME_LIMIT};

    /// Every question of a run, with what the step after it did.
    fn asked(run: (u64, u64)) -> Vec<(Question, StackEventKind)> {
        let mut sim = scenario(run);
        let mut out = Vec::new();
        while !sim.is_done() {
            let q = question_at(&sim, sim.tick());
            let e = sim.step();
            out.extend(q.map(|q| (q, e.kind)));
        }
        out
    }

    fn answer(q: &Question) -> &str {
        q.options[q.correct[0]].0.as_str()
    }

    #[test]
    fn every_call_and_collection_is_asked_and_answered_by_the_next_step() {
        let all = asked((256, 40));
        let calls: Vec<_> = all
            .iter()
            .filter(|(q, _)| q.id == "stack-call-grows")
            .collect();
        let gcs: Vec<_> = all
            .iter()
            .filter(|(q, _)| q.id == "stack-gc-shrinks")
            .collect();
        assert_eq!((calls.len(), gcs.len()), (40, 4));
        for (q, kind) in &all {
            let want = match kind {
                StackEventKind::Call { .. } => "fits",
                StackEventKind::Grow { .. } => "grows",
                StackEventKind::Overflow { .. } => "overflow",
                StackEventKind::KeepSize { .. } => "keeps",
                StackEventKind::Shrink { .. } => "shrinks",
                other => panic!("asked before {other:?}"),
            };
            assert_eq!(answer(q), want, "{}", q.legend);
        }
        // The default run grows three times (2 -> 4 -> 8 -> 16 KB) and
        // shrinks three times back to 2 KB.
        let grows = calls.iter().filter(|(q, _)| answer(q) == "grows").count();
        let shrinks = gcs.iter().filter(|(q, _)| answer(q) == "shrinks").count();
        assert_eq!((grows, shrinks), (3, 3));
    }

    #[test]
    fn the_push_after_a_grow_is_not_a_new_call_and_an_overflow_is_asked() {
        // 1 MB frames: the stack keeps growing, and the last call would
        // take it past 1 GB.
        let all = asked((FRAME_LIMIT, 1000));
        assert!(all.iter().all(|(q, _)| q.id == "stack-call-grows"));
        let last = all.last().unwrap();
        assert_eq!(answer(&last.0), "overflow");
        assert!(
            last.0.reveal.contains("stack overflow"),
            "{}",
            last.0.reveal
        );
        let first = &all[0].0;
        assert_eq!(answer(first), "grows");
        assert!(
            first
                .legend
                .starts_with("Predict: call 1 needs a 1048576-byte frame. The stack is 2048 B with 200 B in use."),
            "{}",
            first.legend
        );
        // Each call is asked once, though a grown call takes two steps.
        let calls: Vec<&str> = all.iter().map(|(q, _)| q.legend.as_str()).collect();
        let mut unique = calls.clone();
        unique.dedup();
        assert_eq!(calls, unique);
    }

    #[test]
    fn nothing_is_asked_before_a_return_or_after_the_end() {
        let mut sim = scenario((256, 3));
        let mut returns = 0;
        while !sim.is_done() {
            let q = question_at(&sim, sim.tick());
            if let StackEventKind::Return { .. } = sim.step().kind {
                returns += 1;
                assert!(q.is_none());
            }
        }
        assert_eq!(returns, 3);
        assert!(question_at(&sim, sim.tick()).is_none());
    }
}
