//! Live mode: the wasm mounts each widget into its island of a static page.
//!
//! A page is static HTML made at build time ([`super::prerender`]), with
//! each widget's first frame inside `<div data-gopherscope="<slug>">`. When
//! the wasm has loaded, [`start`] mounts the live widget into every such
//! element. Each island gets the contexts the kit reads:
//!
//! - [`QueryContext`]: the page's query string. A widget's change replaces
//!   it in the address bar (no history entry) and every island of the page
//!   re-reads it, so two widgets on one page share one URL.
//! - [`Navigate`]: a link to another page is a plain page load; a link to
//!   this page replaces the query and lands on its anchor.
//! - On `embed/<widget>` (`data-embed` on the frame), the [`Host`]: the
//!   origin rules, resize messages and xAPI statements.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use super::registry;
use crate::kit::host::{watch_size, Host};
use crate::kit::link::{bring_into_view, Link, Navigate};
use crate::kit::panic;
use crate::kit::query::{in_playback, QueryContext};

thread_local! {
    /// What each live island runs when the query changes.
    static LISTENERS: RefCell<Vec<(u32, Callback<()>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: RefCell<u32> = const { RefCell::new(0) };
    /// The address the islands have agreed on but the address bar does
    /// not show yet (see [`replace_query`]).
    static PENDING: RefCell<Option<String>> = const { RefCell::new(None) };
    /// When the address bar was last written (ms, `Date.now()`), and the
    /// timer that writes [`PENDING`], while one is set.
    static WRITTEN_AT: std::cell::Cell<f64> = const { std::cell::Cell::new(f64::NEG_INFINITY) };
    static FLUSH: RefCell<Option<gloo::timers::callback::Timeout>> = const { RefCell::new(None) };
}

/// While a player plays, the address bar is written at most once per this
/// many milliseconds.
///
/// Each `history.replaceState` costs the page: in Chromium it re-fetches the
/// page's icon and re-runs its navigation bookkeeping, about a tenth of the
/// main thread for a widget playing at 64x, where every step changes the
/// URL. The islands still hear each change at once; only the address bar
/// lags, by at most this long, and shows the last state when it catches up
/// or when the learner acts (pause, a step, any control), which writes it
/// at once.
const ADDRESS_BAR_INTERVAL_MS: f64 = 250.0;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The current query string, without `?`: the one the islands agreed on
/// last, which the address bar may not show yet.
fn current_query() -> String {
    if let Some(url) = PENDING.with(|p| p.borrow().clone()) {
        return query_of(&url).to_owned();
    }
    window()
        .and_then(|w| w.location().search().ok())
        .map(|s| s.trim_start_matches('?').to_owned())
        .unwrap_or_default()
}

/// The query string of a site-relative address, without `?` or fragment.
fn query_of(url: &str) -> &str {
    let url = url.split('#').next().unwrap_or_default();
    url.split_once('?').map(|(_, q)| q).unwrap_or_default()
}

/// The fragment of a site-relative address, with its `#`, or "".
fn hash_of(url: &str) -> &str {
    url.find('#').map(|i| &url[i..]).unwrap_or_default()
}

fn current_path() -> String {
    window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// Makes `query` (and `anchor`, or else the current fragment) the page's
/// address, without a history entry, and tells every island. The address
/// bar shows it at once, unless it is playback ([`in_playback`]) less than
/// [`ADDRESS_BAR_INTERVAL_MS`] after the last write: then when that
/// interval is over.
fn replace_query(query: &str, anchor: Option<&str>) {
    let Some(w) = window() else { return };
    let hash = match anchor {
        Some(a) if !a.is_empty() => format!("#{a}"),
        Some(_) => String::new(),
        None => match PENDING.with(|p| p.borrow().clone()) {
            Some(url) => hash_of(&url).to_owned(),
            None => w.location().hash().unwrap_or_default(),
        },
    };
    let mut url = current_path();
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url.push_str(&hash);
    PENDING.with(|p| *p.borrow_mut() = Some(url));
    let wait = WRITTEN_AT.with(|t| t.get()) + ADDRESS_BAR_INTERVAL_MS - js_sys::Date::now();
    if !in_playback() || wait <= 0.0 {
        write_address_bar();
    } else if FLUSH.with(|f| f.borrow().is_none()) {
        let timer = gloo::timers::callback::Timeout::new(wait.ceil() as u32, || {
            FLUSH.with(|f| f.borrow_mut().take());
            write_address_bar();
        });
        FLUSH.with(|f| *f.borrow_mut() = Some(timer));
    }
    let listeners: Vec<Callback<()>> =
        LISTENERS.with(|l| l.borrow().iter().map(|(_, c)| c.clone()).collect());
    for listener in listeners {
        listener.emit(());
    }
}

/// Writes the pending address, if any, into the address bar now.
fn write_address_bar() {
    let Some(url) = PENDING.with(|p| p.borrow_mut().take()) else {
        return;
    };
    WRITTEN_AT.with(|t| t.set(js_sys::Date::now()));
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
        history.replace_state_with_url(&state, "", Some(&url)).ok();
    }
}

/// Calls `on_change` after every query change until the guard is dropped.
fn subscribe(on_change: Callback<()>) -> impl Drop {
    let id = NEXT_ID.with(|n| {
        let mut n = n.borrow_mut();
        *n += 1;
        *n
    });
    LISTENERS.with(|l| l.borrow_mut().push((id, on_change)));
    Unsubscribe(id)
}

struct Unsubscribe(u32);

impl Drop for Unsubscribe {
    fn drop(&mut self) {
        LISTENERS.with(|l| l.borrow_mut().retain(|(id, _)| *id != self.0));
    }
}

/// A link click: another page loads as a page; this page's link replaces
/// the query and brings its anchor into view.
fn navigate(link: Link) {
    let Some(w) = window() else { return };
    let here = current_path();
    let same = link.path == here || link.path.trim_end_matches('/') == here.trim_end_matches('/');
    if !same {
        // The page left keeps its latest state in its history entry.
        write_address_bar();
        w.location().assign(&link.href()).ok();
        return;
    }
    replace_query(&link.query, Some(&link.anchor));
    write_address_bar();
    if !link.anchor.is_empty() {
        bring_into_view(link.anchor);
    }
}

#[derive(Properties, PartialEq)]
pub struct IslandProps {
    pub widget: &'static str,
    /// The island's `data-island`, for the widget's view.
    pub data: String,
    /// In `embed/<widget>`: talk to the host page.
    pub embed: bool,
}

/// One live widget, with the contexts the kit reads.
#[function_component(Island)]
pub fn island(props: &IslandProps) -> Html {
    let query = use_state(current_query);
    {
        let query = query.setter();
        use_effect_with((), move |()| {
            let guard = subscribe(Callback::from(move |()| query.set(current_query())));
            move || drop(guard)
        });
    }
    let context = QueryContext {
        query: Rc::from(query.as_str()),
        replace: Callback::from(|next: String| replace_query(&next, None)),
        read: Callback::from(|()| current_query()),
        flush: Callback::from(|()| write_address_bar()),
    };
    #[cfg(feature = "panic-probe")]
    probe(&query);
    let Some(w) = registry::widget(props.widget) else {
        return html! {};
    };
    let widget = html! {
        <ContextProvider<QueryContext> context={context}>
            <ContextProvider<Navigate> context={Navigate(Callback::from(navigate))}>
                { (w.view)(&props.data) }
            </ContextProvider<Navigate>>
        </ContextProvider<QueryContext>>
    };
    if props.embed {
        html! { <EmbedHost widget={w.slug} query={(*query).clone()}>{ widget }</EmbedHost> }
    } else {
        widget
    }
}

/// Test-only builds (`--features panic-probe`, made by `cargo xtask test
/// e2e`, never shipped): `?gopherscope-panic=1` panics while the widget
/// renders, so the tests see the panic panel and the host's message.
#[cfg(feature = "panic-probe")]
fn probe(query: &str) {
    if crate::kit::query::value(query, "gopherscope-panic").as_deref() == Some("1") {
        panic!("the panic probe: ?gopherscope-panic=1 asked this test build to panic");
    }
}

#[derive(Properties, PartialEq)]
struct EmbedHostProps {
    widget: &'static str,
    query: String,
    children: Html,
}

/// Provides the [`Host`] named by the embed URL, reports the frame's
/// height whenever it changes and answers a host's size request (from the
/// named origin only).
#[function_component(EmbedHost)]
fn embed_host(props: &EmbedHostProps) -> Html {
    let host = use_memo((props.widget, props.query.clone()), |(widget, query)| {
        Host::from_query(widget, query)
    });
    {
        let host = host.clone();
        use_effect_with(host, move |host| {
            let main = window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("main"));
            let listeners = main.map(|main| watch_size(host.clone(), main));
            move || drop(listeners)
        });
    }
    html! {
        <ContextProvider<Rc<Host>> context={host.clone()}>
            if let Some(problem) = &host.problem {
                <p class="notice" role="status">{ problem.clone() }</p>
            }
            if let Some(problem) = &host.activity_problem {
                <p class="notice" role="status">{ problem.clone() }</p>
            }
            { props.children.clone() }
        </ContextProvider<Rc<Host>>>
    }
}

/// Mounts a live widget into every island under `root`, and fills in the
/// not-found page's address; the handles keep the widgets (the tests
/// destroy them, the page keeps them for its life).
pub fn mount_islands(root: &Element) -> Vec<AppHandle<Island>> {
    if let Ok(Some(code)) = root.query_selector("[data-requested-path]") {
        code.set_text_content(Some(&current_path()));
    }
    let mut handles = Vec::new();
    let Ok(found) = root.query_selector_all("[data-gopherscope]") else {
        return handles;
    };
    for i in 0..found.length() {
        let Some(el) = found.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let Some(widget) = el
            .get_attribute("data-gopherscope")
            .and_then(|slug| registry::widget(&slug))
        else {
            continue;
        };
        let embed = el.closest("main.embed").ok().flatten().is_some();
        el.remove_attribute("inert").ok();
        let props = IslandProps {
            widget: widget.slug,
            data: el.get_attribute("data-island").unwrap_or_default(),
            embed,
        };
        handles.push(yew::Renderer::<Island>::with_root_and_props(el, props).render());
    }
    handles
}

/// Installs the panic panel, mounts every island of the page, fills in the
/// not-found page's address, lands on the URL's `#anchor` and, on the
/// site's own pages, caches the site for offline use.
pub fn start() {
    let Some(document) = window().and_then(|w| w.document()) else {
        panic::install(None);
        return;
    };
    // In an embed, a panic also tells the host page which widget stopped.
    let embedded = document
        .query_selector("main.embed [data-gopherscope]")
        .ok()
        .flatten()
        .and_then(|el| el.get_attribute("data-gopherscope"))
        .and_then(|slug| registry::widget(&slug))
        .map(|w| w.slug);
    panic::install(embedded);
    let Some(root) = document.document_element() else {
        return;
    };
    for handle in mount_islands(&root) {
        // The islands live as long as the page.
        std::mem::forget(handle);
    }
    // Land on the anchor and say "live" once the islands have rendered and
    // run their first effects (Yew finishes those in microtasks; a zero
    // timeout comes after them), so a linked widget is set up when it
    // takes focus.
    let page = root.clone();
    gloo::timers::callback::Timeout::new(0, move || {
        let hash = window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        if let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) {
            bring_into_view(id.to_owned());
        }
        page.set_attribute("data-islands", "live").ok();
    })
    .forget();
    if document
        .query_selector("main.embed")
        .ok()
        .flatten()
        .is_none()
    {
        cache_for_offline();
    }
}

/// Registers the service worker (`/sw.js`, written by `cargo xtask build`)
/// that caches the whole site for offline use after this first visit. Not
/// from an embed: a course page's iframe installs nothing.
fn cache_for_offline() {
    let Some(w) = window() else { return };
    if !js_sys::Reflect::has(&w.navigator(), &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let registered = w.navigator().service_worker().register("/sw.js");
    // A refusal (a private window, a host without HTTPS) only means no
    // offline copy: nothing to tell the reader.
    let ignore = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| {});
    let _ = registered.catch(&ignore);
    ignore.forget();
}
