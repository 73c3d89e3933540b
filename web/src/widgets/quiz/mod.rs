//! The five-question quiz: four options each, an explanation after each
//! answer, a score out of five, retries with shuffled options, progress kept
//! in localStorage, and (when embedded) anonymous xAPI statements to the host.
//! It keeps nothing in the URL: its progress is the learner's, not a link's.

pub mod persist;
pub mod state;
pub mod view;

use std::rc::Rc;

use wasm_bindgen::JsValue;
use yew::prelude::*;

use self::state::{Action, QuizState, LETTERS, N, QUESTIONS};
use self::view::view_question;
use crate::kit::controls::{AnonymousId, CopyLink};
use crate::kit::host::use_host;
use crate::kit::link::Link;
use crate::kit::storage;
use crate::kit::xapi;

/// Reads saved progress; a problem becomes a notice and a fresh start.
fn load() -> (QuizState, Option<String>) {
    match storage::load(persist::KEY) {
        Ok(None) => (QuizState::new(), None),
        Ok(Some(text)) => match persist::decode(&text) {
            Ok(state) => (state, None),
            Err(why) => (
                QuizState::new(),
                Some(storage::StorageProblem::Corrupt(why).notice()),
            ),
        },
        Err(problem) => (QuizState::new(), Some(problem.notice())),
    }
}

/// The xAPI activity of the quiz, or of one question.
fn activity(question: Option<usize>) -> JsValue {
    match question {
        None => xapi::assessment("/quiz", "Gopherscope: the Go runtime quiz"),
        Some(q) => {
            let question = &QUESTIONS[q];
            let choices: Vec<(&str, &str)> = question
                .options
                .iter()
                .enumerate()
                .map(|(i, text)| (LETTERS[i], *text))
                .collect();
            xapi::choice_question(
                &format!("/quiz#{}", question.id),
                question.prompt,
                &choices,
                Some(LETTERS[question.answer as usize]),
            )
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct QuizProps {
    /// Where each question's "See it live" goes, one link per question in
    /// [`QUESTIONS`] order, so that the app can open the widget there in
    /// the right state. Empty: each question's page (`Question::see`).
    #[prop_or_default]
    pub see: Rc<Vec<Link>>,
}

#[function_component(QuizWidget)]
pub fn quiz_widget(props: &QuizProps) -> Html {
    let loaded = use_memo((), |_| load());
    let state = {
        let loaded = loaded.clone();
        use_reducer(move || loaded.0.clone())
    };
    let notice = use_state(|| loaded.1.clone());
    let announce = use_state(String::new);
    let host = use_host();

    {
        let notice = notice.clone();
        use_effect_with((*state).clone(), move |s| {
            if let Err(problem) = storage::save(persist::KEY, &persist::encode(s)) {
                notice.set(Some(problem.notice()));
            }
        });
    }

    let check = |q: usize| {
        let state = state.clone();
        let announce = announce.clone();
        let host = host.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(next) = state.apply(Action::Check { question: q }) else {
                return;
            };
            let picked = next.picked[q].unwrap_or_default();
            let right = picked == QUESTIONS[q].answer;
            let mut text = format!(
                "Question {}: {}. Score {} of {N}.",
                q + 1,
                if right { "correct" } else { "not quite" },
                next.score()
            );
            xapi::answered(&host, activity(Some(q)), right, &[LETTERS[picked as usize]]);
            if next.finished() {
                text.push_str(&format!(" Quiz finished: {} out of {N}.", next.score()));
                xapi::completed(&host, activity(None), u32::from(next.score()), N as u32);
            }
            announce.set(text);
            state.dispatch(Action::Check { question: q });
        })
    };
    let retry = {
        let state = state.clone();
        let announce = announce.clone();
        Callback::from(move |_: MouseEvent| {
            let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
            state.dispatch(Action::Retry { seed });
            announce.set("A new attempt: the options are shuffled.".to_owned());
        })
    };

    let embedded = host.is_some();
    let answered = state.checked.iter().filter(|&&c| c).count();
    html! {
        <div class="widget quiz-widget">
            if let Some(text) = &*notice {
                <p class="notice" role="status">{ text.clone() }</p>
            }
            <p class="visually-hidden" aria-live="polite" aria-atomic="true">{ (*announce).clone() }</p>
            <ol class="quiz">
                { for (0..N).map(|q| {
                    let see = props
                        .see
                        .get(q)
                        .cloned()
                        .unwrap_or_else(|| Link::page(QUESTIONS[q].see.1));
                    view_question(q, &state, check(q), embedded, see)
                }) }
            </ol>
            <div class="quiz-footer">
                <p class="score">
                    <strong>{ format!("Score: {} / {N}", state.score()) }</strong>
                    { format!(" · {answered} of {N} answered · attempt {}", state.attempt) }
                    if let Some(best) = state.best {
                        { format!(" · best {best} / {N}") }
                    }
                </p>
                <button type="button" onclick={retry} disabled={answered == 0}>
                    { "Try again with shuffled options" }
                </button>
                <CopyLink />
            </div>
            if embedded {
                <AnonymousId />
            }
        </div>
    }
}
