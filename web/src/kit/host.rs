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
//! Besides our own, an embed speaks the two resize protocols course
//! platforms and notebooks already listen for, under the same origin rules:
//! - H5P's, as H5P content does it (`h5p.js`, its external embed): `{context:
//!   "h5p", action: "hello"}` until the host's `h5p-resizer.js` answers
//!   hello, then `{context: "h5p", action: "prepareResize", scrollHeight,
//!   clientHeight}` on every change and, once the resizer answers
//!   "resizePrepared", `{context: "h5p", action: "resize", scrollHeight}`.
//!   Both heights are the content's height. The handshake needs the
//!   resizer's answers, so it works only when the host names its origin.
//! - Embedly's (also what Observable's embeds send), a JSON string:
//!   `{"src": <this frame's URL>, "context": "iframe.resize", "height": h}`.
//!
//! Incoming, from the named origin only, and only in exactly these shapes
//! (see [`decode_message`]; anything else changes nothing):
//! - `{type: "gopherscope:request-size"}`: answered with a resize message.
//! - `{context: "h5p", action: "ready" | "hello" | "resizePrepared" | "resize"}`:
//!   what H5P's resizer (`h5p-resizer.js`) on the host page says to a frame.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::EventListener;
use js_sys::{JsString, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use super::query::value;
use super::xapi::valid_activity;

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
    /// The course page's own xAPI activity (`activity=`), an absolute
    /// http(s) IRI: the parent of every statement.
    pub activity: Option<String>,
    /// Set when `activity` was malformed: statements go without it.
    pub activity_problem: Option<String>,
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
        let (origin, problem) = match value(query, "origin") {
            None => (None, None),
            Some(o) if valid_origin(&o) => (Some(o), None),
            Some(o) => (None, Some(format!(
                "The embed's origin parameter {o:?} is not an origin like https://course.example or http://127.0.0.1:8000, so this widget will not send messages to the page around it (no auto-height, no xAPI statements)."
            ))),
        };
        let (activity, activity_problem) = match value(query, "activity") {
            None => (None, None),
            Some(a) if valid_activity(&a) => (Some(a), None),
            Some(a) => {
                let shown: String = a.chars().take(80).collect();
                (None, Some(format!(
                    "The embed's activity parameter {shown:?} is not an absolute web address like https://course.example/lesson-3, so answers are reported without the course page's activity."
                )))
            }
        };
        Host {
            widget,
            origin,
            frame,
            problem,
            activity,
            activity_problem,
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

    /// The window around this frame, when there is one.
    fn parent() -> Option<web_sys::Window> {
        let window = web_sys::window()?;
        let parent = window.parent().ok()??;
        // Not in a frame: nobody to tell.
        (parent != window).then_some(parent)
    }

    /// Posts `msg` as it is to the parent window, at the named origin.
    fn send(&self, msg: &JsValue) {
        let Some(target) = self.target() else { return };
        if let Some(parent) = Host::parent() {
            parent.post_message(msg, target).ok();
        }
    }

    /// Posts `{type, widget, frame, ...fields}` to the parent window.
    pub fn post(&self, kind: &str, fields: &[(&str, JsValue)]) {
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
        self.send(&msg);
    }

    /// Posts H5P's `{context: "h5p", action, ...fields}`.
    fn post_h5p(&self, action: &str, fields: &[(&str, JsValue)]) {
        let msg = obj(&[("context", "h5p".into()), ("action", action.into())]);
        for (k, v) in fields {
            Reflect::set(&msg, &JsValue::from_str(k), v).ok();
        }
        self.send(&msg);
    }

    /// Posts Embedly's `{"src", "context": "iframe.resize", "height"}`, as
    /// the JSON string its listeners parse.
    fn post_iframe_resize(&self, src: &str, height: f64) {
        let msg = obj(&[
            ("src", src.into()),
            ("context", "iframe.resize".into()),
            ("height", height.into()),
        ]);
        if let Ok(text) = js_sys::JSON::stringify(&msg) {
            self.send(&text.into());
        }
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

/// A message with more own keys than this is not one of ours, and is not
/// read further.
pub const MAX_FIELDS: usize = 4;

/// Strings longer than this many UTF-16 code units are never copied out of
/// JavaScript: no message of ours holds one.
pub const MAX_TEXT: u32 = 64;

/// One field of a message, as far as the embed reads it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string of at most [`MAX_TEXT`] UTF-16 code units.
    Text(String),
    /// A longer string, left in JavaScript.
    LongText,
    Number(f64),
    Bool(bool),
    /// `null`, `undefined`, an object, an array, a symbol, a bigint...
    Other,
}

/// What the embed reads of a message event's `data`, built by
/// [`MessageData::read`] with bounded work: at most [`MAX_FIELDS`] fields
/// and [`MAX_TEXT`] code units per string are copied, whatever was sent.
#[derive(Clone, Debug, PartialEq)]
pub enum MessageData {
    /// Not a plain object: `null`, `undefined`, a number, a string of any
    /// length, a boolean, an array, a `Date`, a `Map`...
    NotObject,
    /// A plain object with more than [`MAX_FIELDS`] own keys, or with a key
    /// that is a symbol or longer than [`MAX_TEXT`].
    TooBig,
    /// A plain object's own keys and their values, in key order.
    Object(Vec<(String, Value)>),
}

impl Value {
    fn read(v: &JsValue) -> Value {
        if let Some(s) = v.dyn_ref::<JsString>() {
            return if s.length() > MAX_TEXT {
                Value::LongText
            } else {
                Value::Text(String::from(s))
            };
        }
        if let Some(n) = v.as_f64() {
            Value::Number(n)
        } else if let Some(b) = v.as_bool() {
            Value::Bool(b)
        } else {
            Value::Other
        }
    }
}

impl MessageData {
    /// Reads a message event's `data`. Every JavaScript operation on it is
    /// one that cannot run page code unguarded (`Reflect`, which reports a
    /// throwing proxy trap as an error) and its cost does not grow with the
    /// size of what was sent beyond counting its keys: a 10 MB string is
    /// measured, never copied.
    pub fn read(data: &JsValue) -> MessageData {
        if !data.is_object() {
            return MessageData::NotObject;
        }
        let plain = Reflect::get_prototype_of(&Object::new()).ok();
        let proto = Reflect::get_prototype_of(data).ok();
        match (plain, proto) {
            (Some(plain), Some(proto)) if Object::is(&plain, &proto) => {}
            _ => return MessageData::NotObject,
        }
        let Ok(keys) = Reflect::own_keys(data) else {
            return MessageData::NotObject;
        };
        if keys.length() as usize > MAX_FIELDS {
            return MessageData::TooBig;
        }
        let mut fields = Vec::new();
        for key in keys.iter() {
            let Value::Text(name) = Value::read(&key) else {
                return MessageData::TooBig;
            };
            let value = Reflect::get(data, &key).map_or(Value::Other, |v| Value::read(&v));
            fields.push((name, value));
        }
        MessageData::Object(fields)
    }
}

/// A message the embed accepts from its host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Incoming {
    /// `{type: "gopherscope:request-size"}`: answer with the current height.
    RequestSize,
    /// `{context: "h5p", action}` from H5P's resizer on the host page.
    H5p(H5pAction),
}

/// What H5P's resizer (`h5p-resizer.js`) says to a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum H5pAction {
    /// `ready`: the resizer has started (after the frame); say hello.
    Ready,
    /// `hello`: the resizer answered our hello and will size the frame.
    Hello,
    /// "resizePrepared": the resizer answered "prepareResize"; send "resize".
    ResizePrepared,
    /// `resize`: the host window changed size; measure again.
    Resize,
}

/// The one field named `key`, if there is exactly one.
fn field<'a>(fields: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
    let mut found = fields.iter().filter(|(k, _)| k == key);
    let first = found.next()?;
    found.next().is_none().then_some(&first.1)
}

/// Decodes a message from the host into one the embed accepts, or `None`.
///
/// Only the exact shapes listed in the module documentation are accepted:
/// the right keys, each once, with a string value from the listed ones, and
/// no other key. Anything else (not an object, an unknown type, a missing,
/// extra, repeated or wrong-typed field) is `None`. Pure and total: it
/// never panics and does work bounded by [`MAX_FIELDS`] and [`MAX_TEXT`].
pub fn decode_message(data: &MessageData) -> Option<Incoming> {
    let MessageData::Object(fields) = data else {
        return None;
    };
    let text = |key| match field(fields, key) {
        Some(Value::Text(t)) => Some(t.as_str()),
        _ => None,
    };
    match fields.len() {
        1 if text("type") == Some("gopherscope:request-size") => Some(Incoming::RequestSize),
        2 if text("context") == Some("h5p") => {
            let action = match text("action")? {
                "ready" => H5pAction::Ready,
                "hello" => H5pAction::Hello,
                "resizePrepared" => H5pAction::ResizePrepared,
                "resize" => H5pAction::Resize,
                _ => return None,
            };
            Some(Incoming::H5p(action))
        }
        _ => None,
    }
}

/// The address this frame was loaded from, which is its iframe's `src`
/// (Embedly's hosts find the frame by it) even after the widget has
/// written its state into the URL.
fn loaded_url() -> String {
    let window = web_sys::window();
    let navigation = window.as_ref().and_then(|w| w.performance()).and_then(|p| {
        let entry = p.get_entries_by_type("navigation").get(0);
        Reflect::get(&entry, &"name".into()).ok()?.as_string()
    });
    navigation
        .or_else(|| window?.location().href().ok())
        .unwrap_or_default()
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

/// Reports the height of `main` to the host whenever it changes, in all
/// three protocols (see the module documentation), and answers the host's
/// messages: a size request, and H5P's resizer.
pub fn watch_size(host: Rc<Host>, main: web_sys::Element) -> Option<SizeWatch> {
    let measure = {
        let main = main.clone();
        move || main.get_bounding_client_rect().height().ceil()
    };
    // Whether H5P's resizer has answered our hello.
    let h5p_ready = Rc::new(Cell::new(false));
    let src = loaded_url();
    let report = {
        let (host, measure, h5p_ready) = (host.clone(), measure.clone(), h5p_ready.clone());
        move || {
            let height = measure();
            host.post("gopherscope:resize", &[("height", height.into())]);
            if h5p_ready.get() {
                let h = JsValue::from(height);
                host.post_h5p(
                    "prepareResize",
                    &[("scrollHeight", h.clone()), ("clientHeight", h)],
                );
            } else {
                host.post_h5p("hello", &[]);
            }
            host.post_iframe_resize(&src, height);
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
        let from_parent = match (e.source(), Host::parent()) {
            (Some(source), Some(parent)) => Object::is(&source, &parent),
            _ => false,
        };
        if !from_parent || !host.accepts_from(&e.origin()) {
            return; // Only the host that named itself may ask.
        }
        match decode_message(&MessageData::read(&e.data())) {
            Some(Incoming::RequestSize | Incoming::H5p(H5pAction::Resize)) => report(),
            Some(Incoming::H5p(H5pAction::Ready)) => host.post_h5p("hello", &[]),
            Some(Incoming::H5p(H5pAction::Hello)) => {
                h5p_ready.set(true);
                report();
            }
            Some(Incoming::H5p(H5pAction::ResizePrepared)) => {
                host.post_h5p("resize", &[("scrollHeight", measure().into())]);
            }
            None => {}
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

    fn object(fields: &[(&str, Value)]) -> MessageData {
        MessageData::Object(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    fn text(t: &str) -> Value {
        Value::Text(t.to_owned())
    }

    #[test]
    fn the_accepted_messages_decode() {
        assert_eq!(
            decode_message(&object(&[("type", text("gopherscope:request-size"))])),
            Some(Incoming::RequestSize)
        );
        for (action, want) in [
            ("ready", H5pAction::Ready),
            ("hello", H5pAction::Hello),
            ("resizePrepared", H5pAction::ResizePrepared),
            ("resize", H5pAction::Resize),
        ] {
            // h5p-resizer.js sets action before context; either order decodes.
            let sent = object(&[("action", text(action)), ("context", text("h5p"))]);
            assert_eq!(decode_message(&sent), Some(Incoming::H5p(want)), "{action}");
            let sent = object(&[("context", text("h5p")), ("action", text(action))]);
            assert_eq!(decode_message(&sent), Some(Incoming::H5p(want)), "{action}");
        }
    }

    #[test]
    fn anything_else_decodes_to_nothing() {
        let request = ("type", text("gopherscope:request-size"));
        let malformed = [
            MessageData::NotObject,
            MessageData::TooBig,
            object(&[]),
            // The right type with something more, or less, or repeated.
            object(&[request.clone(), ("extra", text("x"))]),
            object(&[request.clone(), ("frame", text("f1"))]),
            object(&[request.clone(), request.clone()]),
            object(&[("__proto__", text("x")), request.clone()]),
            // The wrong type, or a right-looking type of the wrong kind.
            object(&[("type", text("gopherscope:resize"))]),
            object(&[("type", text("gopherscope:request-size "))]),
            object(&[("type", text("GOPHERSCOPE:REQUEST-SIZE"))]),
            object(&[("type", Value::LongText)]),
            object(&[("type", Value::Number(1.0))]),
            object(&[("type", Value::Bool(true))]),
            object(&[("type", Value::Other)]),
            object(&[("Type", text("gopherscope:request-size"))]),
            // H5P: unknown actions (including the ones frames send), other
            // contexts, wrong types, extra fields.
            object(&[("context", text("h5p")), ("action", text("prepareResize"))]),
            object(&[("context", text("h5p")), ("action", text("fullScreen"))]),
            object(&[("context", text("h5p")), ("action", text("toString"))]),
            object(&[("context", text("h5p")), ("action", text(""))]),
            object(&[("context", text("h5p")), ("action", Value::Number(0.0))]),
            object(&[("context", text("h5p")), ("action", Value::LongText)]),
            object(&[("context", text("h5p"))]),
            object(&[("context", text("H5P")), ("action", text("hello"))]),
            object(&[
                ("context", text("iframe.resize")),
                ("action", text("hello")),
            ]),
            object(&[("context", Value::Other), ("action", text("hello"))]),
            object(&[
                ("context", text("h5p")),
                ("action", text("hello")),
                ("scrollHeight", Value::Number(10.0)),
            ]),
            object(&[("context", text("h5p")), ("context", text("h5p"))]),
            object(&[request.clone(), ("context", text("h5p"))]),
        ];
        for m in &malformed {
            assert_eq!(decode_message(m), None, "{m:?}");
        }
    }

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
