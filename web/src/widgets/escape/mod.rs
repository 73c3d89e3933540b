//! The escape-analysis catalogue: pick a program, see the line the compiler
//! talks about, what `go build -gcflags=-m` says on it, and why. State in
//! the URL: `?escape=return-address` (see [`state`]).

pub mod state;
pub mod view;

use runtime_model::escape::catalogue;
use yew::prelude::*;

use self::state::{Action, Params};
use self::view::{option_label, source_view, verdict_view};
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
                <CopyLink />
            </div>
            <div class="iface-grid">
                { source_view(case) }
                { verdict_view(case) }
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
