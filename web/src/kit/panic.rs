//! A panic must never leave a blank page: the hook replaces the app with a
//! panel that says what happened and offers a reload.

use std::panic::PanicHookInfo;

/// Installs the hook; later panics show [`show_panel`]'s panel.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = describe(info);
        web_sys::console::error_1(&format!("Gopherscope panicked: {message}").into());
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            show_panel(&body, &message);
        }
    }));
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
/// panel. Works with bare DOM calls because Yew's own state can no longer be
/// trusted after a panic.
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
        b.set_attribute("onclick", "location.reload()").ok();
        for child in [&h, &p, &pre, &b] {
            panel.append_child(child).ok();
        }
    }
    host.set_inner_html("");
    host.append_child(&panel).ok();
}
