//! xAPI-shaped statements: what a quiz or checkpoint answer tells the page
//! that embeds a widget. The actor is anonymous: no personal data.

use wasm_bindgen::JsValue;

use super::host::obj;

/// A language map: `{"en-US": text}`.
pub fn lang(text: &str) -> JsValue {
    obj(&[("en-US", JsValue::from_str(text))])
}

/// An xAPI-shaped statement with an anonymous actor: no personal data.
pub fn statement(verb: &str, object: JsValue, result: JsValue) -> JsValue {
    obj(&[
        (
            "actor",
            obj(&[
                ("objectType", "Agent".into()),
                (
                    "account",
                    obj(&[
                        ("homePage", "https://gopherscope.invalid".into()),
                        ("name", "anonymous".into()),
                    ]),
                ),
            ]),
        ),
        (
            "verb",
            obj(&[
                (
                    "id",
                    format!("http://adlnet.gov/expapi/verbs/{verb}").into(),
                ),
                ("display", lang(verb)),
            ]),
        ),
        ("object", object),
        ("result", result),
        ("timestamp", js_sys::Date::new_0().to_iso_string().into()),
    ])
}

/// An xAPI statement for a predict-then-reveal checkpoint in a widget
/// (`id` names the checkpoint; `response` is what the learner chose).
pub fn checkpoint_statement(id: &str, prompt: &str, success: bool, response: &str) -> JsValue {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let object = obj(&[
        ("objectType", "Activity".into()),
        ("id", format!("{origin}/checkpoint#{id}").into()),
        (
            "definition",
            obj(&[
                (
                    "type",
                    "http://adlnet.gov/expapi/activities/cmi.interaction".into(),
                ),
                ("interactionType", "choice".into()),
                ("name", lang(prompt)),
            ]),
        ),
    ]);
    statement(
        "answered",
        object,
        obj(&[("success", success.into()), ("response", response.into())]),
    )
}
