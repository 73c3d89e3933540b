//! "Paste your program's log": the output of `GODEBUG=gctrace=1` or
//! `GODEBUG=schedtrace=1000[,scheddetail=1]` from a real program, read by
//! `runtime_model::logs` and drawn. GC lines become that program's real
//! cycles (heap before, after and live, the goal, GC CPU and the pauses),
//! like the pacer's chart; scheduler lines become each P's run queue and
//! the thread counts over time. Lines that do not parse are listed with
//! their number and why, and the rest still draw.
//!
//! The text stays in the page: nothing is uploaded, and the URL holds only
//! which shipped example is open (`?log=schedtrace`, see [`state`]).

pub mod draw;
pub mod state;
pub mod view;

use std::rc::Rc;

use runtime_model::logs::parse;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use self::draw::{cost_chart, heap_chart, sched_chart};
use self::state::{Action, Params, EXAMPLES};
use self::view::{
    gc_table, heap_caveat, heap_legend, sched_caveat, sched_table, summary, unread_lines,
};
use crate::kit::query::{use_params, view_notices, OneOf};

/// The largest file the picker reads (a log of that size is hundreds of
/// thousands of lines).
const MAX_FILE_BYTES: f64 = 32.0 * 1024.0 * 1024.0;

/// Where the text came from.
#[derive(Clone, PartialEq)]
enum Source {
    /// The URL's example.
    Example,
    /// Typed or pasted.
    Pasted(Rc<str>),
    /// A file, by name.
    File(String, Rc<str>),
}

#[function_component(LogsWidget)]
pub fn logs_widget() -> Html {
    let url = use_params::<Params>();
    let example = url.params.example();
    let source = use_state_eq(|| Source::Example);
    let file_error = use_state_eq(|| None::<String>);
    let text: Rc<str> = match &*source {
        Source::Example => Rc::from(example.text),
        Source::Pasted(t) | Source::File(_, t) => t.clone(),
    };
    let log = use_memo(text.clone(), |t| parse(t));

    let oninput = {
        let (source, file_error) = (source.clone(), file_error.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                file_error.set(None);
                source.set(Source::Pasted(Rc::from(area.value())));
            }
        })
    };
    let pick_example = |name: &'static str| {
        let (dispatch, source, file_error) =
            (url.dispatch.clone(), source.clone(), file_error.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(log) = OneOf::new(name) {
                dispatch.emit(Action::Example(log));
            }
            file_error.set(None);
            source.set(Source::Example);
        })
    };
    let area_ref = use_node_ref();
    let onclear = {
        let (source, area_ref) = (source.clone(), area_ref.clone());
        Callback::from(move |_: MouseEvent| {
            source.set(Source::Pasted(Rc::from("")));
            if let Some(area) = area_ref.cast::<web_sys::HtmlElement>() {
                let _ = area.focus();
            }
        })
    };
    let onfile = {
        let (source, file_error) = (source.clone(), file_error.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let name = file.name();
            if file.size() > MAX_FILE_BYTES {
                file_error.set(Some(format!(
                    "{name} is {:.0} MB; this page reads logs up to 32 MB. Paste the part you want to see.",
                    file.size() / 1024.0 / 1024.0
                )));
                return;
            }
            let (source, file_error) = (source.clone(), file_error.clone());
            let promise = file.text();
            yew::platform::spawn_local(async move {
                match JsFuture::from(promise).await {
                    Ok(v) => match v.as_string() {
                        Some(t) => {
                            file_error.set(None);
                            source.set(Source::File(name, Rc::from(t)));
                        }
                        None => file_error.set(Some(format!("{name} could not be read as text."))),
                    },
                    Err(err) => {
                        let why = err
                            .dyn_ref::<js_sys::Error>()
                            .map(|e| String::from(e.message()))
                            .unwrap_or_else(|| "the browser refused".to_owned());
                        file_error.set(Some(format!("{name} could not be read: {why}.")));
                    }
                }
            });
        })
    };

    let from = match &*source {
        Source::Example => format!("Showing the example {}: {}", example.name, example.how),
        Source::Pasted(t) if t.is_empty() => String::new(),
        Source::Pasted(_) => "Showing what you pasted.".to_owned(),
        Source::File(name, _) => format!("Showing the file {name}."),
    };
    let open = |name: &str| *source == Source::Example && example.name == name;
    html! {
        <div class="widget logs" data-source={match &*source { Source::Example => example.name, Source::Pasted(_) => "pasted", Source::File(..) => "file" }}>
            { view_notices(&url.notices) }
            <p class="logs-privacy">{ "What you paste or open here stays in this browser: it is read on your machine and never sent anywhere." }</p>
            <div class="logs-input">
                <label for="logs-text">{ "Your program's log (GODEBUG=gctrace=1 or schedtrace=1000, standard error)" }</label>
                <textarea id="logs-text" class="logs-text" rows="8" spellcheck="false" autocomplete="off"
                    aria-describedby="logs-summary"
                    value={text.to_string()} {oninput} ref={area_ref} />
                <div class="controls">
                    <label class="logs-file">
                        { "Open a log file: " }
                        <input type="file" accept=".txt,.log,text/plain" onchange={onfile} />
                    </label>
                    <span role="group" aria-label="Try an example" class="logs-examples">
                        { "Try an example: " }
                        { for EXAMPLES.iter().map(|e| html! {
                            <button type="button" onclick={pick_example(e.name)} aria-pressed={open(e.name).to_string()}>{ e.button }</button>
                        }) }
                    </span>
                    <button type="button" onclick={onclear}>{ "Clear" }</button>
                </div>
                if let Some(err) = &*file_error {
                    <p class="notice" role="alert">{ err.clone() }</p>
                }
            </div>
            <p class="logs-from muted">{ from }</p>
            <p id="logs-summary" class="logs-summary" aria-live="polite">{ summary(&log) }</p>
            if !log.gc.is_empty() {
                <section class="logs-gc" aria-label="GC cycles">
                    <h3>{ "GC cycles: the heap" }</h3>
                    { heap_legend() }
                    { heap_chart(&log.gc) }
                    { heap_caveat(&log) }
                    <h3>{ "What each cycle cost" }</h3>
                    { cost_chart(&log.gc) }
                    <p class="muted logs-caveat">{ "GC CPU is the runtime's running total since the program started, not this cycle's alone. The pauses are the two stop-the-world phases: sweep termination when a cycle starts, mark termination when it ends." }</p>
                    { gc_table(&log.gc) }
                </section>
            }
            if !log.sched.is_empty() {
                <section class="logs-sched" aria-label="Scheduler samples">
                    <h3>{ "The scheduler: run queues and threads" }</h3>
                    { sched_chart(&log.sched) }
                    { sched_caveat(&log) }
                    { sched_table(&log.sched) }
                </section>
            }
            { unread_lines(&log) }
        </div>
    }
}
