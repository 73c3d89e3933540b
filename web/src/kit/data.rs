//! Data files the site reads at run time instead of compiling them in.
//!
//! The build explorer's record of 64 real builds (`web/data/build-explorer.json`,
//! 140 KB) and the toolchain excerpts (`web/data/toolchain.json`) are copied
//! to `dist/data/` by Trunk and fetched by the widgets that show them, so
//! the wasm every page loads does not carry them. A loaded file is kept for
//! the rest of the visit; a failed fetch says why and offers a retry.
//!
//! Each file is a [`DataFile`]: a serde type. In the browser the text goes
//! through the browser's own `JSON.parse` and serde reads the value
//! (`serde-wasm-bindgen`), so the bundle carries no JSON parser; natively,
//! where the unit tests check the checked-in files, `serde_json` reads the
//! same types from the text. Either way the error names what was wrong (a
//! missing field, a wrong type).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::kit::content::capitalise;

pub const BUILD_EXPLORER: &str = "/data/build-explorer.json";
pub const TOOLCHAIN: &str = "/data/toolchain.json";

/// A data file the site fetches: its address, and the checks beyond its
/// shape (a schema name) that serde's derive cannot express.
pub trait DataFile: DeserializeOwned + 'static {
    const URL: &'static str;

    fn check(&self) -> Result<(), String> {
        Ok(())
    }
}

/// Reads a data file's text: not JSON, JSON of the wrong shape, and a file
/// that fails its own checks each say what was found.
pub fn parse<T: DataFile>(text: &str) -> Result<T, String> {
    if text.trim_start().starts_with('<') {
        return Err(format!(
            "{} came back as a web page (HTML), not as the JSON data file; the server may be sending its error page for it",
            T::URL
        ));
    }
    let value: T = read(text)?;
    value
        .check()
        .map_err(|e| format!("{} does not have the shape this page expects: {e}", T::URL))?;
    Ok(value)
}

/// In the browser: its own `JSON.parse`, then serde over the value.
#[cfg(target_arch = "wasm32")]
fn read<T: DataFile>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text)
        .map_err(|e| format!("{} is not valid JSON ({})", T::URL, describe(&e)))?;
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| format!("{} does not have the shape this page expects: {e}", T::URL))
}

/// Natively (the unit tests): serde_json over the text, into the same types.
#[cfg(not(target_arch = "wasm32"))]
fn read<T: DataFile>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            format!("{} does not have the shape this page expects: {e}", T::URL)
        }
        _ => format!("{} is not valid JSON ({e})", T::URL),
    })
}

/// For fields that a file may write as `null` to mean "none": the type's
/// default (an empty list, say).
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

thread_local! {
    /// Files already read this visit, parsed. A page reads a handful, so a
    /// list (a map would add its code to every bundle).
    static CACHE: RefCell<Vec<(&'static str, Rc<dyn Any>)>> = const { RefCell::new(Vec::new()) };
    /// Texts the tests put in place of a fetch.
    static PRELOADED: RefCell<Vec<(&'static str, String)>> = const { RefCell::new(Vec::new()) };
}

/// Puts a file's text in place, as if it had been fetched. The tests use it
/// to mount the widgets with the checked-in data.
pub fn preload(url: &'static str, text: &str) {
    PRELOADED.with(|p| put(&mut p.borrow_mut(), url, text.to_owned()));
}

fn cached<T: DataFile>() -> Option<Load<T>> {
    if let Some(v) = CACHE.with(|c| get(&c.borrow(), T::URL).cloned()) {
        return v.downcast::<T>().ok().map(Load::Ready);
    }
    let text = PRELOADED.with(|p| get(&p.borrow(), T::URL).cloned())?;
    Some(settle(parse::<T>(&text)))
}

fn get<'a, V>(list: &'a [(&'static str, V)], url: &str) -> Option<&'a V> {
    list.iter().find(|(u, _)| *u == url).map(|(_, v)| v)
}

fn put<V>(list: &mut Vec<(&'static str, V)>, url: &'static str, value: V) {
    match list.iter_mut().find(|(u, _)| *u == url) {
        Some((_, v)) => *v = value,
        None => list.push((url, value)),
    }
}

fn settle<T: DataFile>(parsed: Result<T, String>) -> Load<T> {
    match parsed {
        Ok(t) => {
            let t = Rc::new(t);
            CACHE.with(|c| put(&mut c.borrow_mut(), T::URL, t.clone() as Rc<dyn Any>));
            Load::Ready(t)
        }
        Err(e) => Load::Failed(format!("{e}.")),
    }
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

async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| {
            format!(
                "the network request failed ({}); you may be offline",
                describe(&e)
            )
        })?;
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
    Ok(text.as_string().unwrap_or_default())
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Loads `T`'s file once per visit; the callback fetches again after a
/// failure.
#[hook]
pub fn use_data_file<T: DataFile>() -> (Load<T>, Callback<()>) {
    let attempt = use_state(|| 0u32);
    let state = use_state(|| cached::<T>().unwrap_or(Load::Loading));
    {
        let state = state.clone();
        use_effect_with(*attempt, move |_| {
            if matches!(*state, Load::Ready(_)) {
                return;
            }
            if let Some(loaded) = cached::<T>() {
                state.set(loaded);
                return;
            }
            state.set(Load::Loading);
            yew::platform::spawn_local(async move {
                match fetch_text(T::URL).await {
                    Ok(text) => state.set(settle(parse::<T>(&text))),
                    Err(e) => state.set(Load::Failed(format!("Could not load {}: {e}.", T::URL))),
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

/// The loading line while `error` is `None`, else the error with a retry
/// button. `what` names what is loading ("the build records").
pub fn load_status(what: &str, error: Option<&str>, on_retry: &Callback<()>) -> Html {
    match error {
        None => html! {
            <p class="data-loading" role="status">
                <span class="spinner" aria-hidden="true"></span>{ format!(" Loading {what}…") }
            </p>
        },
        Some(error) => {
            let onclick = on_retry.reform(|_: MouseEvent| ());
            html! {
                <div class="data-error notice" role="alert">
                    <p>{ format!("⚠ {} could not be shown. {error}", capitalise(what)) }</p>
                    <button type="button" {onclick}>{ "Try again" }</button>
                </div>
            }
        }
    }
}
