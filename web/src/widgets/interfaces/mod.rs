//! The interfaces explainer: pick a snippet, step through it line by line,
//! and watch each interface's two words (type or itab, data) change; it
//! can first ask whether an interface will be nil ([`predict`]). State in
//! the URL: `?snippet=typed-nil&iface-predict=1&step=3` (see [`state`]).

pub mod predict;
pub mod state;
pub mod view;

use std::rc::Rc;

use runtime_model::iface;
use yew::prelude::*;

use self::state::{Action, Params};
use self::view::{source_file, view_var};
use crate::kit::checkpoint::{use_checkpoint, CheckpointView};
use crate::kit::controls::CopyLink;
use crate::kit::link::go_function;
use crate::kit::query::{use_params, view_notices, OneOf};
use crate::kit::stepper::use_stepper;

#[function_component(IfaceExplainer)]
pub fn iface_explainer() -> Html {
    let url = use_params::<Params>();
    let params = url.params.clone();
    let snippet = use_memo(params.snippet, |s| {
        iface::snippet(s.name()).expect("Params holds known snippets")
    });
    let last = snippet.steps.len() as u64;
    let stepper = use_stepper(
        "step",
        params.step,
        last,
        params.snippet,
        url.dispatch.reform(Action::Seek),
    );
    let notices = url.notices_with(stepper.notice.clone());
    let step = stepper.step as usize;
    let question = params
        .predict
        .then(|| predict::question_at(&snippet, stepper.step))
        .flatten()
        .map(Rc::new);
    let checkpoint = use_checkpoint();
    stepper.hold(checkpoint.is_open(question.as_deref()));
    let nothing_to_ask = params.predict && !predict::nil_in_play(&snippet);
    let on_predict = {
        let (dispatch, stepper) = (url.dispatch.clone(), stepper.clone());
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                stepper.stop();
                dispatch.emit(Action::Predict(input.checked()));
            }
        })
    };
    let onkeydown = stepper.onkeydown.clone();
    let on_pick = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(snippet) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| OneOf::new(&s.value()))
            {
                dispatch.emit(Action::Pick(snippet));
            }
        })
    };
    let snippets = use_memo((), |_| iface::snippets());
    let current = step.checked_sub(1).map(|i| &snippet.steps[i]);
    let output: String = snippet.steps[..step]
        .iter()
        .map(|s| s.printed.as_str())
        .collect();
    let panic = snippet.steps[..step].iter().find_map(|s| s.panic.clone());
    let line = current.map(|s| s.line);
    html! {
        <div class="widget iface-widget" tabindex="-1" {onkeydown}>
            { view_notices(&notices) }
            <div class="controls">
                <label for="iface-snippet">{ "Snippet" }</label>
                <select id="iface-snippet" onchange={on_pick}>
                    { for snippets.iter().map(|s| html! {
                        <option value={s.name} selected={s.name == snippet.name}>{ s.title }</option>
                    }) }
                </select>
                <label class="check">
                    <input id="iface-predict" type="checkbox" checked={params.predict} onchange={on_predict} />
                    { " Ask me before each line that sets an interface whether it will be nil" }
                </label>
                <CopyLink />
            </div>
            { stepper.player("Snippet playback") }
            if nothing_to_ask {
                <p class="fine-print">
                    { format!("No interface in this snippet is ever nil, so it has nothing to ask. These do: {}.",
                        snippets.iter().filter(|s| predict::nil_in_play(s)).map(|s| s.name).collect::<Vec<_>>().join(", ")) }
                </p>
            }
            <CheckpointView {question} state={checkpoint.clone()} step={stepper.step} name="iface-predict" />
            <div class="iface-grid">
                <pre class="source" aria-label="Go source"><code>
                    { for snippet.lines().enumerate().map(|(i, text)| {
                        let here = line == Some(i + 1);
                        html! {
                            <span class={classes!("src-line", here.then_some("current"))} aria-current={here.then_some("step")}>
                                <span class="gutter" aria-hidden="true">{ if here { "▶" } else { " " } }</span>
                                <span class="lineno" aria-hidden="true">{ format!("{:>2} ", i + 1) }</span>
                                { text.replace('\t', "    ") }{ "\n" }
                            </span>
                        }
                    }) }
                </code></pre>
                <div class="iface-state">
                    <p class="narration" aria-live="polite">
                        { match current {
                            None => html! { { "Press Step (or →) to run the first line." } },
                            Some(s) => html! {
                                <>
                                    <strong>{ format!("Line {}: ", s.line) }</strong>{ s.text.clone() }
                                    { " " }
                                    { go_function(s.go_function, source_file(s.go_function)) }
                                </>
                            },
                        } }
                    </p>
                    <div class="vars">
                        { for current.map(|s| s.vars.iter().map(view_var).collect::<Html>()) }
                    </div>
                    <div class="console" aria-label="Program output">
                        <span class="console-label">{ "Output" }</span>
                        <pre>{ output }{ panic.map(|p| format!("{p}\n")).unwrap_or_default() }</pre>
                    </div>
                </div>
            </div>
            <p class="fine-print">
                { "Each snippet is a complete Go program; the tests run it with Go 1.27 and check that the output, \
                   the panic, the type hashes and the compiler's account of every conversion match what you see here. \
                   Addresses are left out: the model shows where each word points, not the number." }
            </p>
        </div>
    }
}
