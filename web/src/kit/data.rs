//! Data files the site reads at run time instead of compiling them in.
//!
//! The build explorer's record of 64 real builds (`web/data/build-explorer.json`,
//! 140 KB) and the toolchain excerpts (`web/data/toolchain.json`) are copied
//! to `dist/data/` by Trunk and fetched by the widgets that show them, so
//! the wasm every page loads does not carry them. A loaded file is kept for
//! the rest of the visit; a failed fetch says why and offers a retry.
//!
//! The files are parsed with the browser's `JSON.parse` and read field by
//! field with [`Obj`], which names the missing or mistyped field when the
//! file does not match the schema.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::kit::content::capitalise;

pub const BUILD_EXPLORER: &str = "/data/build-explorer.json";
pub const TOOLCHAIN: &str = "/data/toolchain.json";

thread_local! {
    static CACHE: RefCell<BTreeMap<&'static str, JsValue>> = const { RefCell::new(BTreeMap::new()) };
}

/// Puts a parsed file in the cache, as if it had been fetched. The tests use
/// it to mount the widgets with the checked-in data.
pub fn preload(url: &'static str, value: JsValue) {
    CACHE.with(|c| c.borrow_mut().insert(url, value));
}

fn cached(url: &str) -> Option<JsValue> {
    CACHE.with(|c| c.borrow().get(url).cloned())
}

/// Where a data file is.
#[derive(Debug)]
pub enum Load<T> {
    Loading,
    Ready(Rc<T>),
    Failed(String),
}

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        match self {
            Load::Loading => Load::Loading,
            Load::Ready(t) => Load::Ready(Rc::clone(t)),
            Load::Failed(e) => Load::Failed(e.clone()),
        }
    }
}

async fn fetch_json(url: &str) -> Result<JsValue, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("the network request failed ({})", describe(&e)))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| "the answer was not an HTTP response".to_owned())?;
    if !response.ok() {
        return Err(format!(
            "the server answered {} {}",
            response.status(),
            response.status_text()
        ));
    }
    let text = response
        .text()
        .map_err(|e| describe(&e))
        .map(JsFuture::from)?
        .await
        .map_err(|e| format!("reading the answer failed ({})", describe(&e)))?;
    js_sys::JSON::parse(&text.as_string().unwrap_or_default())
        .map_err(|e| format!("it is not valid JSON ({})", describe(&e)))
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Loads `url` once per visit and parses it with `parse`; the callback
/// fetches again after a failure.
#[hook]
pub fn use_data<T: 'static>(
    url: &'static str,
    parse: fn(&JsValue) -> Result<T, String>,
) -> (Load<T>, Callback<()>) {
    let attempt = use_state(|| 0u32);
    let state = use_state(|| match cached(url) {
        Some(v) => settle(url, &v, parse),
        None => Load::Loading,
    });
    {
        let state = state.clone();
        use_effect_with(*attempt, move |_| {
            if matches!(*state, Load::Ready(_)) {
                return;
            }
            if let Some(v) = cached(url) {
                state.set(settle(url, &v, parse));
                return;
            }
            state.set(Load::Loading);
            yew::platform::spawn_local(async move {
                match fetch_json(url).await {
                    Ok(v) => {
                        let loaded = settle(url, &v, parse);
                        if matches!(loaded, Load::Ready(_)) {
                            preload(url, v);
                        }
                        state.set(loaded);
                    }
                    Err(e) => state.set(Load::Failed(format!("Could not load {url}: {e}."))),
                }
            });
        });
    }
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |()| attempt.set(*attempt + 1))
    };
    ((*state).clone(), retry)
}

fn settle<T>(url: &str, v: &JsValue, parse: fn(&JsValue) -> Result<T, String>) -> Load<T> {
    match parse(v) {
        Ok(t) => Load::Ready(Rc::new(t)),
        Err(e) => Load::Failed(format!(
            "{url} does not have the shape this page expects: {e}."
        )),
    }
}

#[derive(Properties, PartialEq)]
pub struct LoadStatusProps {
    /// What is loading, for the messages ("the build records").
    pub what: AttrValue,
    /// `None` while loading.
    pub error: Option<String>,
    pub on_retry: Callback<()>,
}

/// The loading line, or the error with a retry button.
#[function_component(LoadStatus)]
pub fn load_status(props: &LoadStatusProps) -> Html {
    match &props.error {
        None => html! {
            <p class="data-loading" role="status">
                <span class="spinner" aria-hidden="true"></span>{ format!(" Loading {}…", props.what) }
            </p>
        },
        Some(error) => {
            let onclick = props.on_retry.reform(|_: MouseEvent| ());
            html! {
                <div class="data-error notice" role="alert">
                    <p>{ format!("⚠ {} could not be shown. {error}", capitalise(&props.what)) }</p>
                    <button type="button" {onclick}>{ "Try again" }</button>
                </div>
            }
        }
    }
}

/// A JSON object read field by field; errors name the field.
#[derive(Clone, Debug)]
pub struct Obj<'a> {
    value: JsValue,
    path: &'a str,
}

impl<'a> Obj<'a> {
    pub fn new(value: &JsValue, path: &'a str) -> Result<Obj<'a>, String> {
        if value.is_object() && !Array::is_array(value) {
            Ok(Obj {
                value: value.clone(),
                path,
            })
        } else {
            Err(format!("{path} is not an object"))
        }
    }

    fn raw(&self, key: &str) -> JsValue {
        Reflect::get(&self.value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn wrong(&self, key: &str, want: &str) -> String {
        format!("{}.{key} is not {want}", self.path)
    }

    pub fn str(&self, key: &str) -> Result<String, String> {
        self.raw(key)
            .as_string()
            .ok_or_else(|| self.wrong(key, "a string"))
    }

    /// A string or null.
    pub fn opt_str(&self, key: &str) -> Result<Option<String>, String> {
        let v = self.raw(key);
        if v.is_null() || v.is_undefined() {
            return Ok(None);
        }
        v.as_string()
            .map(Some)
            .ok_or_else(|| self.wrong(key, "a string or null"))
    }

    pub fn bool(&self, key: &str) -> Result<bool, String> {
        self.raw(key)
            .as_bool()
            .ok_or_else(|| self.wrong(key, "true or false"))
    }

    /// true, false or null.
    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>, String> {
        let v = self.raw(key);
        if v.is_null() || v.is_undefined() {
            return Ok(None);
        }
        v.as_bool()
            .map(Some)
            .ok_or_else(|| self.wrong(key, "true, false or null"))
    }

    /// A whole number or null.
    pub fn opt_int(&self, key: &str) -> Result<Option<i64>, String> {
        let v = self.raw(key);
        if v.is_null() || v.is_undefined() {
            return Ok(None);
        }
        match v.as_f64() {
            Some(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(Some(n as i64)),
            _ => Err(self.wrong(key, "a whole number or null")),
        }
    }

    pub fn uint(&self, key: &str) -> Result<u64, String> {
        match self.opt_int(key)? {
            Some(n) if n >= 0 => Ok(n as u64),
            _ => Err(self.wrong(key, "a whole number")),
        }
    }

    /// An object, or `None` for null.
    pub fn opt_obj<'b>(&self, key: &str, path: &'b str) -> Result<Option<Obj<'b>>, String> {
        let v = self.raw(key);
        if v.is_null() || v.is_undefined() {
            return Ok(None);
        }
        Obj::new(&v, path).map(Some)
    }

    /// The elements of an array.
    pub fn list(&self, key: &str) -> Result<Vec<JsValue>, String> {
        let v = self.raw(key);
        if Array::is_array(&v) {
            Ok(Array::from(&v).iter().collect())
        } else {
            Err(self.wrong(key, "a list"))
        }
    }

    /// An array of strings, or an empty list for null.
    pub fn strings(&self, key: &str) -> Result<Vec<String>, String> {
        if self.raw(key).is_null() {
            return Ok(Vec::new());
        }
        self.list(key)?
            .iter()
            .map(|s| {
                s.as_string()
                    .ok_or_else(|| self.wrong(key, "a list of strings"))
            })
            .collect()
    }
}
