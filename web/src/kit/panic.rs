//! A panic must never leave a blank page: the hook replaces the app with a
//! panel that says what happened and offers a reload, and an embedded
//! widget tells the page around it (`gopherscope:error`, under the origin
//! rules of [`super::host`]).

use std::panic::PanicHookInfo;

use wasm_bindgen::JsCast;

use super::host::Host;

/// The longest panic message sent to a host page, in bytes.
const MAX_MESSAGE: usize = 1000;

/// Installs the hook; later panics show [`show_panel`]'s panel. In an
/// embed, `embedded` is the widget's slug: the hook then also posts
/// `{type: "gopherscope:error", widget, frame, message}` to the host the
/// embed URL names (and nowhere when that origin is malformed).
pub fn install(embedded: Option<&'static str>) {
    // Through Yew: its renderer replaces any hook set with `std::panic`
    // by its own console-only one, unless one was set this way.
    yew::set_custom_panic_hook(Box::new(move |info| {
        let message = describe(info);
        web_sys::console::error_1(&format!("Gopherscope panicked: {message}").into());
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(body) = window.document().and_then(|d| d.body()) else {
            return;
        };
        show_panel(&body, &message);
        if let Some(widget) = embedded {
            let query = window.location().search().unwrap_or_default();
            let host = Host::from_query(widget, query.trim_start_matches('?'));
            host.post(
                "gopherscope:error",
                &[("message", shorten(&message, MAX_MESSAGE).into())],
            );
            // The frame now shows the panel: size it for that.
            if let Ok(Some(panel)) = body.query_selector(".error-panel") {
                let height = panel.get_bounding_client_rect().height().ceil();
                host.post("gopherscope:resize", &[("height", height.into())]);
            }
        }
    }));
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn shorten(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn describe(info: &PanicHookInfo<'_>) -> String {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".to_owned());
    match info.location() {
        Some(loc) => format!("{payload} (at {}:{})", loc.file(), loc.line()),
        None => payload,
    }
}

/// Replaces what `host` (the page body, after a panic) shows with an error
/// panel, announced (`role="alert"`). Works with bare DOM calls because
/// Yew's own state can no longer be trusted after a panic, and its reload
/// button calls the browser's `location.reload` directly, not through the
/// wasm that just panicked (and not through an inline `onclick`, which the
/// site's Content Security Policy forbids).
pub fn show_panel(host: &web_sys::Element, message: &str) {
    let Some(document) = host.owner_document() else {
        return;
    };
    let Ok(panel) = document.create_element("main") else {
        return;
    };
    panel.set_class_name("error-panel");
    panel.set_attribute("role", "alert").ok();
    let heading = document.create_element("h1").ok();
    let text = document.create_element("p").ok();
    let detail = document.create_element("pre").ok();
    let button = document.create_element("button").ok();
    if let (Some(h), Some(p), Some(pre), Some(b)) = (heading, text, detail, button) {
        h.set_text_content(Some("Gopherscope stopped working"));
        p.set_text_content(Some(
            "Something went wrong inside the app. Reloading the page usually fixes it; \
             if it does not, please report the message below.",
        ));
        pre.set_text_content(Some(message));
        b.set_text_content(Some("Reload the page"));
        b.set_attribute("type", "button").ok();
        if let Some(reload) = reload_function() {
            b.add_event_listener_with_callback("click", &reload).ok();
        }
        for child in [&h, &p, &pre, &b] {
            panel.append_child(child).ok();
        }
    }
    host.set_inner_html("");
    host.append_child(&panel).ok();
}

/// `location.reload`, bound to the page's location.
fn reload_function() -> Option<js_sys::Function> {
    let location = web_sys::window()?.location();
    let reload = js_sys::Reflect::get(&location, &"reload".into()).ok()?;
    Some(reload.dyn_into::<js_sys::Function>().ok()?.bind0(&location))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_cut_at_a_character() {
        assert_eq!(shorten("abc", 10), "abc");
        assert_eq!(shorten("abcdef", 3), "abc");
        assert_eq!(shorten("aé", 2), "a");
    }
}
