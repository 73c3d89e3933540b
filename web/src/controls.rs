//! Small controls shared by the widgets.

use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
enum Copy {
    Idle,
    Copied,
    /// The clipboard refused; the link is shown to copy by hand.
    Manual(String),
}

/// "Copy link": puts the current URL, which holds the widget's whole state,
/// on the clipboard, and says so (aria-live). Where the clipboard is not
/// available, it shows the link, selected, to copy by hand.
#[function_component(CopyLink)]
pub fn copy_link() -> Html {
    let status = use_state(|| Copy::Idle);
    let onclick = {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let url = window.location().href().unwrap_or_default();
            let status = status.clone();
            let promise = window.navigator().clipboard().write_text(&url);
            yew::platform::spawn_local(async move {
                match JsFuture::from(promise).await {
                    Ok(_) => status.set(Copy::Copied),
                    Err(_) => status.set(Copy::Manual(url)),
                }
            });
        })
    };
    let manual_ref = use_node_ref();
    {
        let manual_ref = manual_ref.clone();
        use_effect_with((*status).clone(), move |s| {
            if let (Copy::Manual(_), Some(input)) =
                (s, manual_ref.cast::<web_sys::HtmlInputElement>())
            {
                input.select();
            }
        });
    }
    html! {
        <span class="copy-link">
            <button type="button" {onclick}>{ "Copy link" }</button>
            <span aria-live="polite" class="copy-status">
                { match &*status {
                    Copy::Idle => html! {},
                    Copy::Copied => html! { { "Link copied: it opens this exact view." } },
                    Copy::Manual(url) => html! {
                        <label>
                            { "Copy this link: " }
                            <input type="text" readonly=true value={url.clone()} ref={manual_ref.clone()} />
                        </label>
                    },
                } }
            </span>
        </span>
    }
}
