//! The host side of embedding: talking to the page that embeds a widget
//! in an iframe.
//!
//! The host names itself in the URL: `/embed/<widget>?origin=https://course.example&frame=f1`.
//! Messages then go to that origin only (never `"*"` when one is named), and
//! messages from any other origin are ignored. Without `origin`, messages go
//! to `"*"`: they carry no personal data (a height, anonymous xAPI
//! statements). A malformed `origin` turns messaging off and says so.
//!
//! Outgoing messages are plain objects (see the README):
//! - `{type: "gopherscope:resize", widget, frame, height}`
//! - `{type: "gopherscope:statement", widget, frame, statement}` (xAPI-shaped)
//! - `{type: "gopherscope:error", widget, frame, message}`: the widget
//!   panicked and shows its error panel ([`super::panic`])
//!
//! Incoming, from the named origin only:
//! - `{type: "gopherscope:request-size"}`: answered with a resize message.

use std::rc::Rc;

use gloo::events::EventListener;
use js_sys::{Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use super::query::value;

/// Where messages for the host go, read from the embed URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Host {
    pub widget: &'static str,
    /// The host's origin, when it named a valid one.
    pub origin: Option<String>,
    /// The host's name for this frame, echoed in every message.
    pub frame: Option<String>,
    /// Set when `origin` was malformed: messaging is off and this says why.
    pub problem: Option<String>,
}

/// Checks that `origin` is exactly an http(s) origin, like
/// `https://a.example:8443`: a scheme, a host name or IPv4 address, an
/// optional port, and nothing else.
pub fn valid_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    let (host, port) = match rest.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()));
    host_ok && port_ok
}

impl Host {
    pub fn from_query(widget: &'static str, query: &str) -> Host {
        let frame = value(query, "frame").filter(|f| f.len() <= 64);
        match value(query, "origin") {
            None => Host { widget, origin: None, frame, problem: None },
            Some(o) if valid_origin(&o) => Host { widget, origin: Some(o), frame, problem: None },
            Some(o) => Host {
                widget,
                origin: None,
                frame,
                problem: Some(format!(
                    "The embed's origin parameter {o:?} is not an origin like https://course.example or http://127.0.0.1:8000, so this widget will not send messages to the page around it (no auto-height, no xAPI statements)."
                )),
            },
        }
    }

    fn target(&self) -> Option<&str> {
        match (&self.origin, &self.problem) {
            (_, Some(_)) => None,
            (Some(o), None) => Some(o),
            (None, None) => Some("*"),
        }
    }

    /// Accepts an incoming message only from the named origin.
    pub fn accepts_from(&self, origin: &str) -> bool {
        self.origin.as_deref() == Some(origin)
    }

    /// Posts `{type, widget, frame, ...fields}` to the parent window.
    pub fn post(&self, kind: &str, fields: &[(&str, JsValue)]) {
        let Some(target) = self.target() else { return };
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(Some(parent)) = window.parent() else {
            return;
        };
        if parent == window {
            return; // Not in a frame: nobody to tell.
        }
        let msg = obj(&[
            ("type", JsValue::from_str(kind)),
            ("widget", JsValue::from_str(self.widget)),
            (
                "frame",
                self.frame
                    .as_deref()
                    .map_or(JsValue::NULL, JsValue::from_str),
            ),
        ]);
        for (k, v) in fields {
            Reflect::set(&msg, &JsValue::from_str(k), v).ok();
        }
        parent.post_message(&msg, target).ok();
    }
}

/// A plain JS object from key-value pairs.
pub fn obj(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &JsValue::from_str(k), v).ok();
    }
    o.into()
}

/// The host a widget is embedded in, when it is (the embed frame provides
/// it); `None` on the site's own pages.
#[hook]
pub fn use_host() -> Option<Rc<Host>> {
    use_context::<Rc<Host>>()
}

/// Sends an xAPI statement to the host, when there is one.
pub fn send_statement(host: &Option<Rc<Host>>, statement: JsValue) {
    if let Some(host) = host {
        host.post("gopherscope:statement", &[("statement", statement)]);
    }
}

/// What keeps the size reporting alive; dropping it stops it.
pub struct SizeWatch {
    observer: web_sys::ResizeObserver,
    _on_resize: Closure<dyn FnMut()>,
    _on_message: EventListener,
}

impl Drop for SizeWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

pub fn watch_size(host: Rc<Host>, main: web_sys::Element) -> Option<SizeWatch> {
    let report = {
        let host = host.clone();
        let main = main.clone();
        move || {
            let height = main.get_bounding_client_rect().height().ceil();
            host.post("gopherscope:resize", &[("height", height.into())]);
        }
    };
    // Report once now: browsers skip rendering (and so ResizeObserver) in
    // cross-origin frames that are off screen, and the host needs a height
    // to lay out its page before the reader scrolls there.
    report();
    let on_resize = Closure::<dyn FnMut()>::new(report.clone());
    let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
    observer.observe(&main);
    let window = web_sys::window()?;
    let on_message = EventListener::new(&window, "message", move |e| {
        let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
            return;
        };
        if !host.accepts_from(&e.origin()) {
            return; // Only the host that named itself may ask.
        }
        let kind = Reflect::get(&e.data(), &"type".into())
            .ok()
            .and_then(|t| t.as_string());
        if kind.as_deref() == Some("gopherscope:request-size") {
            report();
        }
    });
    Some(SizeWatch {
        observer,
        _on_resize: on_resize,
        _on_message: on_message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_must_be_scheme_host_and_port_only() {
        for ok in [
            "https://course.example",
            "http://127.0.0.1:8000",
            "https://a-b.c.example:8443",
        ] {
            assert!(valid_origin(ok), "{ok}");
        }
        for bad in [
            "*",
            "",
            "course.example",
            "javascript:alert(1)",
            "https://course.example/path",
            "https://",
            "https://host:port",
            "ftp://files.example",
            "https://a.example:123456",
        ] {
            assert!(!valid_origin(bad), "{bad}");
        }
    }
}
