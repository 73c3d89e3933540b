//! The interfaces explainer's checkpoint: before a line that sets an
//! interface, will it be nil afterwards? The typed-nil trap is the reason
//! to ask: an interface holding a nil pointer is not nil. The right answer
//! is the model's state after the line (`Var::is_nil_interface`: a nil
//! type word).

use runtime_model::iface::{Snippet, Var};

use crate::kit::checkpoint::Question;

/// Whether a nil is in play anywhere in the snippet: a nil interface, or a
/// nil pointer that could end up in one. Only those snippets ask: in the
/// others no interface is ever nil, so the question would teach nothing.
pub fn nil_in_play(snippet: &Snippet) -> bool {
    snippet
        .steps
        .iter()
        .flat_map(|s| &s.vars)
        .any(|v| v.is_nil_interface() || matches!(v, Var::Plain { value, .. } if value == "nil"))
}

/// The checkpoint after `step` lines of `snippet` have run: `Some` when the
/// next line sets an interface (declares it, or gives it a new value).
pub fn question_at(snippet: &Snippet, step: u64) -> Option<Question> {
    if !nil_in_play(snippet) {
        return None;
    }
    let i = usize::try_from(step).ok()?;
    let next = snippet.steps.get(i)?;
    let before: &[Var] = i
        .checked_sub(1)
        .map_or(&[], |p| snippet.steps[p].vars.as_slice());
    let set = next
        .vars
        .iter()
        .find(|v| matches!(v, Var::Iface { .. }) && !before.contains(v))?;
    let Var::Iface { name, .. } = set else {
        return None;
    };
    let nil = set.is_nil_interface();
    let code = snippet
        .lines()
        .nth(next.line - 1)
        .unwrap_or_default()
        .trim();
    let verdict = if nil {
        format!("Yes: {name} == nil, since its type word is nil.")
    } else {
        format!("No: {name} != nil, since its type word is set, whatever its data word holds.")
    };
    Some(Question {
        step,
        id: "iface-is-nil",
        prompt: "Is the interface nil after this line?",
        legend: format!(
            "Predict: line {} runs next: {code}. After it, is {name} nil?",
            next.line
        ),
        options: vec![
            ("nil".to_owned(), format!("Yes: {name} == nil")),
            ("not-nil".to_owned(), format!("No: {name} != nil")),
        ],
        multiple: false,
        correct: vec![usize::from(!nil)],
        reveal: format!("{verdict} {}", next.text),
        hint: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::iface;

    /// (line, variable, nil?) of each question a snippet asks.
    fn asked(name: &str) -> Vec<(usize, String, bool)> {
        let s = iface::snippet(name).unwrap();
        (0..=s.steps.len() as u64)
            .filter_map(|step| {
                let q = question_at(&s, step)?;
                let next = &s.steps[step as usize];
                let name = q.options[0].1.trim_start_matches("Yes: ");
                let name = name.trim_end_matches(" == nil").to_owned();
                Some((next.line, name, q.options[q.correct[0]].0 == "nil"))
            })
            .collect()
    }

    #[test]
    fn the_typed_nil_trap_asks_about_err_and_it_is_not_nil() {
        assert_eq!(asked("typed-nil"), [(18, "err".to_owned(), false)]);
        let s = iface::snippet("typed-nil").unwrap();
        let q = question_at(&s, 2).unwrap();
        assert!(
            q.legend.starts_with(
                "Predict: line 18 runs next: err := find(true). After it, is err nil?"
            ),
            "{}",
            q.legend
        );
        assert!(q.reveal.starts_with("No: err != nil"), "{}", q.reveal);
        assert!(
            q.reveal.contains("although its data word is"),
            "{}",
            q.reveal
        );
    }

    #[test]
    fn each_answer_is_the_models_state_after_the_line() {
        assert_eq!(
            asked("typed-nil-fix"),
            [(17, "err".to_owned(), true), (19, "err".to_owned(), false)]
        );
        assert_eq!(
            asked("nil-interface"),
            [
                (6, "e".to_owned(), true),
                (7, "a".to_owned(), true),
                (13, "a".to_owned(), false)
            ]
        );
        for s in iface::snippets() {
            for step in 0..s.steps.len() as u64 {
                let Some(q) = question_at(&s, step) else {
                    continue;
                };
                let after = &s.steps[step as usize].vars;
                let name = q.options[0]
                    .1
                    .trim_start_matches("Yes: ")
                    .trim_end_matches(" == nil");
                let var = after.iter().find(|v| v.name() == name).unwrap();
                assert_eq!(q.correct, [usize::from(!var.is_nil_interface())]);
            }
        }
    }

    #[test]
    fn snippets_with_no_nil_in_play_ask_nothing() {
        let names: Vec<&str> = iface::snippets()
            .iter()
            .filter(|s| nil_in_play(s))
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["typed-nil", "typed-nil-fix", "nil-interface"]);
        assert!(asked("compare").is_empty() && asked("data-word").is_empty());
    }
}
