//! The struct layout lab: paste a Go file (or just its type declarations:
//! whatever declares no type, or cannot be laid out, is read past and
//! named in one line), pick a GOARCH, and see
//! every field's offset, size and alignment, the padding as a byte grid,
//! the prefix the GC must scan (up to the end of the last pointer), what `fieldalignment` would suggest
//! (one click to apply), and what a value and a slice of them cost on the
//! heap. It can first ask a struct's size before drawing it
//! ([`predict`]). State in the URL:
//! `?layout-goarch=386&type=T&src=...&layout-predict=1` (see [`state`]).
//!
//! All numbers come from `runtime_model::layout`, which the test suite
//! checks against go/types and the compiler for 1,000 random types per
//! GOARCH.

pub mod draw;
pub mod predict;
pub mod state;
pub mod view;

use std::rc::Rc;

use runtime_model::layout::{self, Analysis};
use runtime_model::values::GoArch;
use yew::prelude::*;

use self::state::{Action, Params};
use self::view::view_report;
use crate::kit::browser;
use crate::kit::checkpoint::{use_checkpoint, CheckpointView};
use crate::kit::controls::CopyLink;
use crate::kit::link::Link;
use crate::kit::query::{use_params, view_notices, OneOf};

#[derive(Properties, PartialEq)]
pub struct LayoutLabProps {
    /// The link that follows one value of `size` bytes (with pointers or
    /// not) through the allocator. The app builds it, since the lab does
    /// not know that widget; without it there is no such link.
    #[prop_or_default]
    pub alloc_link: Option<Callback<(u64, bool), Link>>,
}

#[function_component(LayoutLab)]
pub fn layout_lab(props: &LayoutLabProps) -> Html {
    let url = use_params::<Params>();
    let params = url.params.clone();
    let arch = params.arch();
    let src = params.src().to_owned();
    // Timed with the browser's clock: the widget says how long the model took.
    let timed = use_memo((src.clone(), arch), |(src, arch)| {
        let start = browser::now_ms();
        let result = layout::analyze(src, *arch).map(Rc::new);
        (result, browser::now_ms() - start)
    });
    let (analysis, took_ms) = (&timed.0, timed.1);
    // While the input is being fixed, the last layout that worked stays.
    let last_good = use_mut_ref(|| None::<Rc<Analysis>>);
    let error = match analysis {
        Ok(a) => {
            *last_good.borrow_mut() = Some(a.clone());
            None
        }
        Err(e) => Some(e.clone()),
    };
    let shown = last_good.borrow().clone();
    // The layout on screen while an error shows is the last good one.
    let stale = error.is_some() && shown.is_some();
    // What the lab read past, for the input as it is now.
    let skipped = analysis.as_ref().ok().and_then(|a| a.skipped_summary());
    let slice_n = use_state(|| 1000_u64);
    let slice_error = use_state(|| None::<String>);
    let checkpoint = use_checkpoint();
    let mut notices = (*url.notices).clone();

    let on_src = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                dispatch.emit(Action::Edit(t.value()));
            }
        })
    };
    let on_arch = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(goarch) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| OneOf::new(&s.value()))
            {
                dispatch.emit(Action::Arch(goarch));
            }
        })
    };
    let on_n = {
        let (slice_n, slice_error) = (slice_n.clone(), slice_error.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                match i.value().trim().parse::<u64>() {
                    Ok(n) => {
                        slice_n.set(n);
                        slice_error.set(None);
                    }
                    Err(_) => {
                        slice_error.set(Some("N is a whole number of elements, 0 or more.".into()));
                    }
                }
            }
        })
    };

    // The type shown: the link's, else the first struct.
    let index = shown.as_ref().map(|a| {
        let wanted = params.ty.as_deref();
        let index = wanted
            .and_then(|w| a.types.iter().position(|t| t.name == w))
            .or_else(|| a.types.iter().position(|t| t.kind == "struct"))
            .unwrap_or(0);
        if let (Some(w), None) = (wanted, a.get(wanted.unwrap_or_default())) {
            notices.push(format!(
                "There is no type {w:?} here; showing {}.",
                a.types.get(index).map_or("", |t| t.name.as_str())
            ));
        }
        index
    });
    let report = shown.as_ref().zip(index).and_then(|(a, i)| a.types.get(i));
    let question = report
        .zip(shown.as_ref())
        .filter(|_| params.predict)
        .and_then(|(r, a)| predict::question(a.arch, r))
        .map(Rc::new);
    // Until the question is answered, the layout is not drawn.
    let asking = checkpoint.is_open(question.as_deref());
    let key = question.as_ref().map_or(0, |q| q.step);
    let ask = html! {
        <CheckpointView {question} state={checkpoint.clone()} step={key} name="layout-predict" stepless=true />
    };
    let body = match (&shown, index, report) {
        (Some(a), Some(index), Some(report)) => view_report(
            a,
            index,
            report,
            *slice_n,
            &url.dispatch,
            props.alloc_link.as_ref(),
            stale,
            asking,
            ask,
        ),
        (Some(_), _, _) => {
            html! { <p class="empty">{ "No type here can be laid out: declare one, e.g. type T struct { a bool; b int64 }." }</p> }
        }
        (None, _, _) => html! {},
    };
    let on_predict = {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                dispatch.emit(Action::Predict(i.checked()));
            }
        })
    };

    let option =
        |a: GoArch| html! { <option value={a.name()} selected={a == arch}>{ a.name() }</option> };
    html! {
        <div class="widget layout-lab">
            { view_notices(&notices) }
            <div class="controls">
                <label for="layout-goarch">{ "GOARCH" }</label>
                <select id="layout-goarch" onchange={on_arch}>
                    { for GoArch::ALL.into_iter().map(option) }
                </select>
                <label class="check">
                    <input id="layout-predict" type="checkbox" checked={params.predict} onchange={on_predict} />
                    { " Ask me a struct's size before drawing it" }
                </label>
                <CopyLink />
            </div>
            <div class="layout-grid">
                <div>
                    <label for="layout-src" class="field-label">{ "Go source: a whole file, or just type declarations" }</label>
                    <textarea id="layout-src" rows="16" spellcheck="false" value={src} oninput={on_src}
                        aria-invalid={error.is_some().then_some("true")} aria-describedby="layout-error" />
                    <p id="layout-error" class="parse-status" aria-live="polite">
                        { match &error {
                            Some(e) => html! { <span class="notice error-line">{ format!("line {}, column {}: {}", e.line, e.col, e.message) }{ if shown.is_some() { " (the layout below is stale: it is the last one that parsed)" } else { "" } }</span> },
                            None => html! { { format!("Parsed and laid out in {took_ms:.2} ms.") } },
                        } }
                    </p>
                    if let Some(line) = skipped {
                        <p class="layout-skipped">{ line }</p>
                    }
                </div>
                <div class={classes!("layout-result", stale.then_some("stale"))} role="region"
                    aria-label={if stale { "Layout (stale: the last source that parsed)" } else { "Layout" }}>
                    if stale {
                        <p id="layout-stale" class="stale-note">
                            <strong>{ "Stale" }</strong>
                            { format!(": this is the last layout that parsed, not the text as it is now. Fix line {} to update it.",
                                error.as_ref().map_or(0, |e| e.line)) }
                        </p>
                    }
                    <div class="stale-body">
                        { body }
                    </div>
                    <div class="slice-cost">
                        <label for="layout-n">{ "Elements in a slice: " }</label>
                        <input id="layout-n" type="text" inputmode="numeric" value={slice_n.to_string()} oninput={on_n} />
                        if let Some(e) = &*slice_error { <span class="notice">{ e.clone() }</span> }
                    </div>
                </div>
            </div>
            <p class="fine-print">
                { "Sizes follow the gc compiler for the chosen GOARCH. The lab knows sync and sync/atomic, time.Time and \
                   time.Duration, strings.Builder, bytes.Buffer, context.Context and error as Go 1.27 declares them \
                   (atomic.Int64 stays 8-aligned on 32-bit targets); a pointer, slice, map or chan of any other type \
                   is laid out too, since its size does not depend on what it points to. The suggested order is the one fieldalignment looks \
                   for: the smallest size, then the shortest GC scan prefix." }
            </p>
        </div>
    }
}
