//! The quiz's views: one question, its options and its feedback.

use yew::prelude::*;

use super::state::{Action, QuizState, LETTERS, N, QUESTIONS};
use crate::kit::content::rich;
use crate::kit::link::{Link, SiteLink};

/// Question `q`: its options in this attempt's order, the check button,
/// and once checked the verdict, the explanation and where to see it live
/// (`see`; in a new tab when embedded, since the host page is not the site).
pub fn view_question(
    q: usize,
    state: &UseReducerHandle<QuizState>,
    on_check: Callback<MouseEvent>,
    embedded: bool,
    see: Link,
) -> Html {
    let question = &QUESTIONS[q];
    let picked = state.picked[q];
    let checked = state.checked[q];
    let options = state.order[q].iter().map(|&option| {
        let state = state.clone();
        let onchange = Callback::from(move |_: Event| {
            state.dispatch(Action::Pick {
                question: q,
                option,
            });
        });
        let is_answer = option == question.answer;
        let is_picked = picked == Some(option);
        let mark = match (checked, is_answer, is_picked) {
            (true, true, _) => Some(("right", "✓ right answer")),
            (true, false, true) => Some(("wrong", "✗ your answer")),
            _ => None,
        };
        html! {
            <li class={classes!("option", mark.map(|m| m.0))}>
                <label>
                    <input type="radio" name={format!("quiz-q{q}")} value={LETTERS[option as usize]}
                        checked={is_picked} disabled={checked} {onchange} />
                    <span>{ rich(question.options[option as usize]) }</span>
                    if let Some((_, text)) = mark {
                        <span class="mark">{ format!(" ({text})") }</span>
                    }
                </label>
            </li>
        }
    });
    let right = picked == Some(question.answer);
    html! {
        <li class="quiz-question">
            <fieldset>
                <legend>
                    <span class="visually-hidden">{ format!("Question {} of {N}: ", q + 1) }</span>
                    { rich(question.prompt) }
                </legend>
                <ul class="options">{ for options }</ul>
                <button type="button" onclick={on_check} disabled={picked.is_none() || checked}>
                    { "Check answer" }
                </button>
                if checked {
                    <div class={classes!("feedback", if right { "right" } else { "wrong" })}>
                        <p><strong>{ if right { "✓ Correct." } else { "✗ Not quite." } }</strong>{ " " }{ rich(question.explanation) }</p>
                        <p>
                            { "See it live: " }
                            if embedded {
                                <a href={see.href()} target="_blank" rel="noopener">{ question.see.0 }</a>
                            } else {
                                <SiteLink to={see}>{ question.see.0 }</SiteLink>
                            }
                        </p>
                    </div>
                }
            </fieldset>
        </li>
    }
}
