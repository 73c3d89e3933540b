//! The escape catalogue's checkpoint: before the compiler's verdict shows,
//! stack or heap? The right answer is the model's reading of the recorded
//! verdict (`EscapeCase::placement`), which the conformance tests check
//! against `go build -gcflags=-m`.

use runtime_model::escape::{EscapeCase, Placement};

use crate::kit::checkpoint::Question;

/// The options, the same for every case (so that none gives the answer
/// away), in the order of [`Placement`].
pub const OPTIONS: [(Placement, &str, &str); 3] = [
    (Placement::Stack, "stack", "It stays on the stack"),
    (Placement::Heap, "heap", "It goes to the heap"),
    (
        Placement::ToResult,
        "to-result",
        "It flows to the result: the caller decides",
    ),
];

/// The checkpoint for case number `index` of the catalogue, `case`.
pub fn question(index: usize, case: &EscapeCase) -> Question {
    let answer = case.placement();
    let said = match answer {
        Placement::Stack => "It stays on the stack",
        Placement::Heap => "It goes to the heap",
        Placement::ToResult => "It flows to the result, so the caller decides",
    };
    Question {
        step: index as u64,
        id: "escape-stack-or-heap",
        prompt: "Stack or heap?",
        legend: format!(
            "Predict: what does the compiler decide about line {}, {}: stack or heap?",
            case.line,
            case.line_text().trim()
        ),
        options: OPTIONS
            .iter()
            .map(|(_, id, label)| ((*id).to_owned(), (*label).to_owned()))
            .collect(),
        multiple: false,
        correct: OPTIONS
            .iter()
            .position(|(p, _, _)| *p == answer)
            .into_iter()
            .collect(),
        reveal: format!(
            "{said}: the compiler says \"{}\". {}",
            case.verdict, case.why
        ),
        hint: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::escape::catalogue;

    #[test]
    fn every_case_is_asked_and_answered_by_its_verdict() {
        let mut seen = [0; 3];
        for (i, case) in catalogue().iter().enumerate() {
            let q = question(i, case);
            assert_eq!(q.step, i as u64);
            let right = q.options[q.correct[0]].0.as_str();
            let want = match case.placement() {
                Placement::Stack => "stack",
                Placement::Heap => "heap",
                Placement::ToResult => "to-result",
            };
            assert_eq!(right, want, "{}", case.name);
            seen[q.correct[0]] += 1;
            assert!(q.reveal.contains(case.verdict), "{}", case.name);
            // The question names the line, never the verdict.
            assert!(q.legend.contains(case.line_text().trim()));
            for giveaway in ["escape", "moved", "leak"] {
                assert!(!q.legend.contains(giveaway), "{}: {}", case.name, q.legend);
            }
        }
        assert!(
            seen.iter().all(|&n| n > 0),
            "each answer is right somewhere: {seen:?}"
        );
    }

    #[test]
    fn the_first_case_goes_to_the_heap() {
        let case = &catalogue()[0];
        let q = question(0, case);
        assert_eq!(q.options[q.correct[0]].0, "heap");
        assert!(
            q.legend.contains("line 7, p := point{1, 2}"),
            "{}",
            q.legend
        );
        assert!(q
            .reveal
            .starts_with("It goes to the heap: the compiler says \"moved to heap: p\"."));
    }
}
