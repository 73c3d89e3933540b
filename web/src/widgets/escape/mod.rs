//! The escape-analysis catalogue: pick a program, see the line the compiler
//! talks about, what `go build -gcflags=-m` says on it, and why; it can
//! first ask stack or heap ([`predict`]). State in the URL:
//! `?escape=return-address&escape-predict=1` (see [`state`]).

pub mod predict;
pub mod state;
pub mod view;

use std::rc::Rc;

use runtime_model::escape::catalogue;
use yew::prelude::*;

use self::state::{Action, Params};
use self::view::{option_label, source_view, verdict_view};
use crate::kit::checkpoint::{use_checkpoint, CheckpointView};
use crate::kit::controls::CopyLink;
use crate::kit::query::{use_params, view_notices, OneOf};

#[function_component(EscapeCatalogue)]
pub fn escape_catalogue() -> Html {
    let url = use_params::<Params>();
    let cases = use_memo((), |_| catalogue());
    let index = cases
        .iter()
        .position(|c| c.name == url.params.escape.name())
        .expect("Params holds known cases");
    let case = &cases[index];
    let question = url
        .params
        .predict
        .then(|| Rc::new(predict::question(index, case)));
    let checkpoint = use_checkpoint();
    // The verdict waits for the prediction.
    let asking = checkpoint.is_open(question.as_deref());
    let on_predict = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                dispatch.emit(Action::Predict(i.checked()));
            }
        })
    };
    let on_pick = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(escape) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| OneOf::new(&s.value()))
            {
                dispatch.emit(Action::Pick(escape));
            }
        })
    };
    html! {
        <div class="widget escape-widget" data-case={case.name}>
            { view_notices(&url.notices) }
            <div class="controls">
                <label for="escape-case">{ format!("Example ({} of {})", index + 1, cases.len()) }</label>
                <select id="escape-case" onchange={on_pick}>
                    { for cases.iter().map(|c| html! {
                        <option value={c.name} selected={c.name == case.name}>
                            { option_label(c) }
                        </option>
                    }) }
                </select>
                <label class="check">
                    <input id="escape-predict" type="checkbox" checked={url.params.predict} onchange={on_predict} />
                    { " Ask me stack or heap before the verdict" }
                </label>
                <CopyLink />
            </div>
            <div class="iface-grid">
                { source_view(case) }
                <div class="escape-side">
                    <CheckpointView {question} state={checkpoint.clone()} step={index as u64} name="escape-predict" stepless=true />
                    if asking {
                        <p class="escape-held">{ "The compiler's verdict shows once you answer." }</p>
                    } else {
                        { verdict_view(case) }
                    }
                </div>
            </div>
            <p class="fine-print">
                { "These are recorded compiler messages, not a live analysis; the test suite builds \
                   each program with Go 1.27 and checks that the compiler still says exactly this \
                   (the column after the line number is left out here). Programs use //go:noinline \
                   where inlining would hide the decision." }
            </p>
        </div>
    }
}
