//! The quiz page: the five questions of the track as a live quiz.

use yew::prelude::*;

use crate::app::registry::mount;

use super::PageHead;

#[function_component(Quiz)]
pub fn quiz() -> Html {
    html! {
        <article class="page">
            <PageHead slug="quiz" />
            <p>
                { "Pick an answer, then check it to see why it is right or wrong. Your progress \
                   stays in this browser; try again any time with the options shuffled." }
            </p>
            { mount("quiz") }
        </article>
    }
}
