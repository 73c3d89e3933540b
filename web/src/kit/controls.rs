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
    let query = crate::kit::query::use_query().query;
    let onclick = {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else {
                return;
            };
            // The page's state is the query the islands share, which the
            // address bar may show a moment later (it is written at most a
            // few times a second).
            let location = window.location();
            let mut url = format!(
                "{}{}",
                location.origin().unwrap_or_default(),
                location.pathname().unwrap_or_default()
            );
            if !query.is_empty() {
                url.push('?');
                url.push_str(&query);
            }
            url.push_str(&location.hash().unwrap_or_default());
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

/// Reads `text` as a whole number from `min` to `max`, or says what is
/// allowed. Underscores and thin spaces are not accepted: what the URL and
/// the field hold is plain digits.
pub fn parse_whole(text: &str, what: &str, min: u64, max: u64) -> Result<u64, String> {
    let t = text.trim();
    let allowed = format!("{what} must be a whole number from {min} to {max}");
    if t.is_empty() {
        return Err(format!("Enter a value: {allowed}."));
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("\"{t}\" is not allowed: {allowed}."));
    }
    match t.parse::<u64>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(format!("{t} is out of range: {allowed}.")),
    }
}

#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    /// The element id; the error message gets `<id>-error`.
    pub id: AttrValue,
    pub label: AttrValue,
    /// What the value is, to start a sentence: "The size".
    pub noun: AttrValue,
    /// The last good value, shown while the field is not being fixed.
    pub value: u64,
    pub min: u64,
    pub max: u64,
    /// Called with each new good value.
    pub on_change: Callback<u64>,
}

/// A whole-number field that checks what is typed. A bad entry shows a
/// message naming what is allowed and is not passed on, so the widget keeps
/// showing the last good result. A text field with a numeric keyboard, not
/// `type=number`, so that the message can quote exactly what was typed.
#[function_component(NumberField)]
pub fn number_field(props: &NumberFieldProps) -> Html {
    // (what was typed, why it is refused) while the entry is bad.
    let bad = use_state(|| None::<(String, String)>);
    let oninput = {
        let (bad, on_change) = (bad.clone(), props.on_change.clone());
        let (min, max, what) = (props.min, props.max, props.noun.clone());
        Callback::from(move |e: InputEvent| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let text = input.value();
            match parse_whole(&text, &what, min, max) {
                Ok(v) => {
                    bad.set(None);
                    on_change.emit(v);
                }
                Err(why) => bad.set(Some((text, why))),
            }
        })
    };
    let error_id = format!("{}-error", props.id);
    let (value, error) = match &*bad {
        Some((text, why)) => (text.clone(), Some(why.clone())),
        None => (props.value.to_string(), None),
    };
    html! {
        <span class="number-field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <input id={props.id.clone()} type="text" inputmode="numeric" autocomplete="off" spellcheck="false"
                size="10" {value} {oninput}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={error.is_some().then(|| error_id.clone())} />
            <span id={error_id} class="field-error" aria-live="polite">
                if let Some(why) = error {
                    <span class="field-error-text">{ format!("⚠ {why} What you see is still for {}.", props.value) }</span>
                }
            </span>
        </span>
    }
}

/// What an embedded widget says about the anonymous id its answers go out
/// under ([`super::xapi`]), with a button that replaces it with a new one.
#[function_component(AnonymousId)]
pub fn anonymous_id() -> Html {
    let id = use_state(String::new);
    let status = use_state(String::new);
    // Why storage would not keep the id (blocked, full, unreadable).
    let problem = use_state(|| None::<String>);
    {
        let (id, problem) = (id.clone(), problem.clone());
        use_effect_with((), move |()| {
            id.set(super::xapi::anonymous_id());
            problem.set(super::xapi::anonymous_id_notice());
        });
    }
    let onclick = {
        let (id, status, problem) = (id.clone(), status.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let fresh = super::xapi::reset_anonymous_id();
            status.set(format!(
                "New anonymous id {}…: answers from now on are not linked to earlier ones.",
                short(&fresh)
            ));
            id.set(fresh);
            problem.set(super::xapi::anonymous_id_notice());
        })
    };
    html! {
        <>
        if let Some(p) = &*problem {
            <p class="notice anonymous-id-notice" role="status">{ p.clone() }</p>
        }
        <p class="anonymous-id fine-print">
            { "Your answers reach this course page under a random id, never your name" }
            if !id.is_empty() {
                { " (" }<code>{ format!("{}…", short(&id)) }</code>{ ")" }
            }
            { ". " }
            <button type="button" {onclick}>{ "Reset anonymous id" }</button>
            <span class="anonymous-id-status" aria-live="polite">{ format!(" {}", *status) }</span>
        </p>
        </>
    }
}

/// The first eight characters of an id.
fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}
