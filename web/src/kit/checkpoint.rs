//! Predict-then-reveal: before a step is shown, the widget asks what it
//! will do; the learner answers, the step is revealed, and the answer is
//! scored and sent to an embedding host as an xAPI statement.
//!
//! A widget builds a [`Question`] from the model's state at the current
//! step (`None` where there is nothing to predict), keeps a
//! [`Checkpoint`] reducer from [`use_checkpoint`], holds its stepper while
//! [`Checkpoint::is_open`], and shows [`CheckpointView`]. A widget without
//! steps (a form: pick an example, see the answer) numbers what it asks
//! about instead, holds back its answer while the question is open, and
//! sets [`CheckpointViewProps::stepless`].
//!
//! The view sits in a live region, so that a question coming up and the
//! feedback on an answer are both announced; after an answer, focus moves
//! to the feedback (so the keyboard stays inside the widget, where its
//! shortcuts still work). The feedback keeps a running score.

use std::rc::Rc;

use yew::prelude::*;

use super::host::use_host;
use super::xapi;

/// One question, asked before step `step + 1` is revealed.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// The step the question is asked at (in a stepless widget: the number
    /// of what it asks about, so that a new one asks again).
    pub step: u64,
    /// The checkpoint's xAPI id (`.../checkpoint#<id>`) and its prompt.
    pub id: &'static str,
    pub prompt: &'static str,
    /// The question as the learner reads it.
    pub legend: String,
    /// Each option: the response it sends, and its label.
    pub options: Vec<(String, String)>,
    /// Tick any number of options (checkboxes), or one (radio buttons).
    pub multiple: bool,
    /// The indexes of the right options (none: "nothing" is right).
    pub correct: Vec<usize>,
    /// Said after the answer, right or wrong: what happens and why.
    pub reveal: String,
    /// A hint under the options.
    pub hint: Option<&'static str>,
}

/// What the learner did with a question.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub step: u64,
    pub right: bool,
    pub reveal: String,
}

/// The checkpoint's state: the options ticked, the last answer, and the
/// score so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checkpoint {
    pub picks: Vec<usize>,
    pub answered: Option<Outcome>,
    /// Questions answered, and how many of them right.
    pub asked: u32,
    pub right: u32,
}

pub enum CheckpointAction {
    /// Ticks or unticks an option (for one-answer questions, picks it).
    Pick {
        option: usize,
        on: bool,
        multiple: bool,
    },
    /// Scores the picks against the question.
    Answer(Rc<Question>),
}

impl Checkpoint {
    /// Whether `q` still waits for an answer (so the step must wait).
    pub fn is_open(&self, q: Option<&Question>) -> bool {
        q.is_some_and(|q| self.answered.as_ref().map(|a| a.step) != Some(q.step))
    }

    /// The outcome to show at `step`: the answer just given, while its
    /// step, or the one it revealed, is on screen.
    pub fn feedback_at(&self, step: u64) -> Option<&Outcome> {
        self.answered
            .as_ref()
            .filter(|a| a.step == step || a.step + 1 == step)
    }

    /// The outcome to show in a stepless widget: the answer to the
    /// question numbered `key`, while it is on screen.
    pub fn feedback_for(&self, key: u64) -> Option<&Outcome> {
        self.answered.as_ref().filter(|a| a.step == key)
    }

    /// The running score, as the feedback says it.
    pub fn score_text(&self) -> String {
        match self.asked {
            0 => String::new(),
            1 => format!("Score: {} of 1 prediction right.", self.right),
            n => format!("Score: {} of {n} predictions right.", self.right),
        }
    }

    /// Whether the picks are exactly the right options.
    pub fn scores(&self, q: &Question) -> bool {
        // As sets: a pick is an option, chosen or not.
        let (mine, right) = (&self.picks, &q.correct);
        mine.iter().all(|p| right.contains(p)) && right.iter().all(|r| mine.contains(r))
    }
}

impl Reducible for Checkpoint {
    type Action = CheckpointAction;

    fn reduce(self: Rc<Self>, action: CheckpointAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            CheckpointAction::Pick {
                option,
                on,
                multiple,
            } => {
                if !multiple {
                    next.picks.clear();
                }
                next.picks.retain(|p| *p != option);
                if on {
                    next.picks.push(option);
                }
            }
            CheckpointAction::Answer(q) => {
                let right = next.scores(&q);
                next.answered = Some(Outcome {
                    step: q.step,
                    right,
                    reveal: q.reveal.clone(),
                });
                next.asked += 1;
                next.right += u32::from(right);
                next.picks.clear();
            }
        }
        Rc::new(next)
    }
}

#[hook]
pub fn use_checkpoint() -> UseReducerHandle<Checkpoint> {
    use_reducer(Checkpoint::default)
}

#[derive(Properties, PartialEq)]
pub struct CheckpointViewProps {
    pub question: Option<Rc<Question>>,
    pub state: UseReducerHandle<Checkpoint>,
    /// The step on screen.
    pub step: u64,
    /// The radio group's name, unique on the page.
    pub name: &'static str,
    /// A widget without steps: the feedback shows only while the question
    /// it answers is on screen (`step` is then that question's number).
    #[prop_or_default]
    pub stepless: bool,
}

/// The activity of a question in a statement: its prompt, its options as
/// choices, and the right ones as the correct response (none when "tick
/// nothing" is right: an empty pattern says nothing to a reader).
fn activity(q: &Question) -> wasm_bindgen::JsValue {
    let choices: Vec<(&str, &str)> = q
        .options
        .iter()
        .map(|(id, label)| (id.as_str(), label.as_str()))
        .collect();
    let correct = correct_pattern(q);
    xapi::choice_question(
        &format!("/checkpoint#{}", q.id),
        q.prompt,
        &choices,
        (!correct.is_empty()).then_some(correct.as_str()),
    )
}

/// The right options' responses, joined as xAPI joins choices (`[,]`).
pub fn correct_pattern(q: &Question) -> String {
    q.correct
        .iter()
        .filter_map(|&i| q.options.get(i).map(|o| o.0.as_str()))
        .collect::<Vec<_>>()
        .join("[,]")
}

/// The open question (a fieldset with its options and "Check my
/// prediction"), or the feedback on the last answer.
#[function_component(CheckpointView)]
pub fn checkpoint_view(props: &CheckpointViewProps) -> Html {
    let host = use_host();
    let state = &props.state;
    let feedback_ref = use_node_ref();
    // Focus follows an answer to its feedback (the fieldset it was in is
    // gone), only when the learner has answered in this view.
    let answered_here = use_mut_ref(|| false);
    {
        let (feedback_ref, answered_here) = (feedback_ref.clone(), answered_here.clone());
        use_effect_with(state.asked, move |_| {
            if std::mem::take(&mut *answered_here.borrow_mut()) {
                if let Some(p) = feedback_ref.cast::<web_sys::HtmlElement>() {
                    p.focus().ok();
                }
            }
        });
    }
    let open = props
        .question
        .as_ref()
        .filter(|q| state.is_open(Some(q.as_ref())));
    let question = open.map(|q| {
        let on_check = {
            let (q, state, host) = (q.clone(), state.clone(), host.clone());
            let answered_here = answered_here.clone();
            Callback::from(move |_: MouseEvent| {
                let response: Vec<&str> = state
                    .picks
                    .iter()
                    .filter_map(|&i| q.options.get(i).map(|o| o.0.as_str()))
                    .collect();
                xapi::answered(&host, activity(&q), state.scores(&q), &response);
                *answered_here.borrow_mut() = true;
                state.dispatch(CheckpointAction::Answer(q.clone()));
            })
        };
        let input = if q.multiple { "checkbox" } else { "radio" };
        html! {
            <fieldset class="checkpoint">
                <legend>{ q.legend.clone() }</legend>
                { for q.options.iter().enumerate().map(|(i, (_, label))| {
                    let checked = state.picks.contains(&i);
                    let multiple = q.multiple;
                    let onchange = {
                        let state = state.clone();
                        Callback::from(move |e: Event| {
                            let on = e.target_dyn_into::<web_sys::HtmlInputElement>().is_some_and(|i| i.checked());
                            state.dispatch(CheckpointAction::Pick { option: i, on, multiple });
                        })
                    };
                    html! {
                        <label class="check option-line">
                            <input type={input} name={props.name} {checked} {onchange} />
                            { format!(" {label}") }
                        </label>
                    }
                }) }
                if let Some(hint) = q.hint {
                    <span class="fine-print">{ format!(" {hint}") }</span>
                }
                <button type="button" onclick={on_check} disabled={!q.multiple && state.picks.is_empty()}>
                    { "Check my prediction" }
                </button>
            </fieldset>
        }
    });
    let shown = if props.stepless {
        state.feedback_for(props.step)
    } else {
        state.feedback_at(props.step)
    };
    // Right and wrong differ in a mark and a word, and in the border's
    // style, not in colour alone.
    let feedback = shown.map(|a| {
        html! {
            <p class={classes!("feedback", if a.right { "right" } else { "wrong" })} tabindex="-1" ref={feedback_ref.clone()}>
                <strong>{ if a.right { "✓ Right. " } else { "✗ Not quite. " } }</strong>
                { a.reveal.clone() }
                <span class="checkpoint-score">{ format!(" {}", state.score_text()) }</span>
            </p>
        }
    });
    // One live region that is always there: what comes into it (a question,
    // or the feedback on an answer) is announced.
    html! {
        <div class="checkpoint-live" aria-live="polite">
            { question.unwrap_or_default() }{ feedback.unwrap_or_default() }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(multiple: bool, correct: Vec<usize>) -> Rc<Question> {
        Rc::new(Question {
            step: 4,
            id: "demo",
            prompt: "Which?",
            legend: "Which one?".into(),
            options: vec![("a".into(), "A".into()), ("b".into(), "B".into())],
            multiple,
            correct,
            reveal: "B, because.".into(),
            hint: None,
        })
    }

    fn run(actions: Vec<CheckpointAction>) -> Checkpoint {
        let mut s = Rc::new(Checkpoint::default());
        for a in actions {
            s = s.reduce(a);
        }
        (*s).clone()
    }

    #[test]
    fn one_answer_questions_keep_one_pick_and_score_it() {
        let q = question(false, vec![1]);
        let pick = |option| CheckpointAction::Pick {
            option,
            on: true,
            multiple: false,
        };
        let s = run(vec![pick(0), pick(1), CheckpointAction::Answer(q.clone())]);
        let a = s.answered.clone().unwrap();
        assert!(a.right && a.step == 4 && s.picks.is_empty());
        assert!(!s.is_open(Some(&q)), "answered");
        assert!(s.feedback_at(5).is_some() && s.feedback_at(6).is_none());
        // A stepless widget shows it for its own question only.
        assert!(s.feedback_for(4).is_some() && s.feedback_for(5).is_none());
        assert_eq!(correct_pattern(&q), "b");
    }

    #[test]
    fn many_answer_questions_score_the_exact_set_and_none_can_be_right() {
        let q = question(true, vec![]);
        assert!(
            run(vec![CheckpointAction::Answer(q.clone())])
                .answered
                .unwrap()
                .right
        );
        let tick = |option, on| CheckpointAction::Pick {
            option,
            on,
            multiple: true,
        };
        let q = question(true, vec![0, 1]);
        let s = run(vec![
            tick(1, true),
            tick(0, true),
            CheckpointAction::Answer(q.clone()),
        ]);
        assert!(s.answered.unwrap().right);
        let s = run(vec![
            tick(1, true),
            tick(1, false),
            CheckpointAction::Answer(q.clone()),
        ]);
        assert!(!s.answered.unwrap().right);
        assert_eq!(correct_pattern(&q), "a[,]b");
        assert_eq!(correct_pattern(&question(true, vec![])), "");
    }

    #[test]
    fn the_score_counts_every_answer_and_the_right_ones() {
        let q = question(false, vec![1]);
        let pick = |option| CheckpointAction::Pick {
            option,
            on: true,
            multiple: false,
        };
        let s = run(vec![]);
        assert_eq!((s.asked, s.right, s.score_text()), (0, 0, String::new()));
        let s = run(vec![pick(0), CheckpointAction::Answer(q.clone())]);
        assert_eq!(s.score_text(), "Score: 0 of 1 prediction right.");
        let s = run(vec![
            pick(0),
            CheckpointAction::Answer(q.clone()),
            pick(1),
            CheckpointAction::Answer(q.clone()),
            pick(1),
            CheckpointAction::Answer(q),
        ]);
        assert_eq!((s.asked, s.right), (3, 2));
        assert_eq!(s.score_text(), "Score: 2 of 3 predictions right.");
    }
}
