//! The value-representation table, computed by `runtime_model::values` for
//! the GOARCH the learner picks. The choice lives in the URL (`?goarch=386`,
//! see [`state`]) so a shared link opens the same table.

pub mod state;
pub mod view;

use runtime_model::values::{value_table, GoArch};
use yew::prelude::*;

use self::state::{Action, Params};
use self::view::view_row;
use crate::kit::controls::CopyLink;
use crate::kit::query::{use_params, view_notices, OneOf};

#[function_component(ValueTable)]
pub fn value_table_widget() -> Html {
    let url = use_params::<Params>();
    let arch = url.params.arch();

    let onchange = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            // The option values are GOARCH names.
            if let Some(goarch) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| OneOf::new(&s.value()))
            {
                dispatch.emit(Action::Pick(goarch));
            }
        })
    };

    let sizes = arch.sizes();
    let option =
        |a: GoArch| html! { <option value={a.name()} selected={a == arch}>{ a.name() }</option> };
    html! {
        <div class="widget value-table" data-goarch={arch.name()}>
            { view_notices(&url.notices) }
            <div class="controls">
                <label for="goarch-select">{ "GOARCH" }</label>
                <select id="goarch-select" {onchange}>
                    <optgroup label="Common targets">
                        { for GoArch::TAUGHT.into_iter().map(option) }
                    </optgroup>
                    <optgroup label="Other targets">
                        { for GoArch::ALL.into_iter().filter(|a| !GoArch::TAUGHT.contains(a)).map(option) }
                    </optgroup>
                </select>
                <CopyLink />
                <span class="arch-facts" aria-live="polite">
                    { format!("{}: a word is {} bytes, the largest alignment {} bytes.", arch, sizes.word_size, sizes.max_align) }
                </span>
            </div>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Sizes and alignment table">
                <table>
                    <caption>{ format!("Size and alignment of Go's built-in kinds on {arch}, in bytes") }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Type" }</th>
                            <th scope="col" class="num">{ "Size" }</th>
                            <th scope="col" class="num">{ "Align" }</th>
                            <th scope="col">{ "Layout" }</th>
                            <th scope="col">{ "Note" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for value_table(arch).map(|row| view_row(row, arch)) }
                    </tbody>
                </table>
            </div>
            <p class="fine-print">
                { "Computed by the model from Go's own rules (go/types gcsizes.go); the test \
                   suite checks every number against the real Go toolchain for every GOARCH." }
            </p>
        </div>
    }
}
