//! Talking to the page that embeds a widget in an iframe.
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
//!
//! Incoming, from the named origin only:
//! - `{type: "gopherscope:request-size"}`: answered with a resize message.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

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

/// The value of `name` in a query string (`a=1&b=2`), percent-decoded
/// (`+` is a space, as in form encoding).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        .map(percent_decode)
}

/// Decodes `%XX` escapes and `+`; malformed escapes are kept as written,
/// and invalid UTF-8 becomes U+FFFD, so the caller can report it.
pub fn percent_decode(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| char::from(c).to_digit(16);
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
        let frame = query_param(query, "frame").filter(|f| f.len() <= 64);
        match query_param(query, "origin") {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_decoded() {
        assert_eq!(
            query_param("a=1&origin=https%3A%2F%2Fx.example&b", "origin").as_deref(),
            Some("https://x.example")
        );
        assert_eq!(
            query_param("src=type+T+int%0A", "src").as_deref(),
            Some("type T int\n")
        );
        assert_eq!(query_param("x=100%", "x").as_deref(), Some("100%"));
        assert_eq!(query_param("x=%zz", "x").as_deref(), Some("%zz"));
        assert_eq!(query_param("notx=1", "x"), None);
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
