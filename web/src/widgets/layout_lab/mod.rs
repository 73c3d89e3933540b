//! The struct layout lab: paste Go type declarations, pick a GOARCH, and see
//! every field's offset, size and alignment, the padding as a byte grid,
//! the pointer bytes the GC must scan, what `fieldalignment` would suggest
//! (one click to apply), and what a value and a slice of them cost on the
//! heap. State in the URL: `?goarch=386&type=T&src=...`.
//!
//! All numbers come from `runtime_model::layout`, which the test suite
//! checks against go/types and the compiler for 1,000 random types per
//! GOARCH.

use std::rc::Rc;

use runtime_model::layout::{self, Analysis, ByteKind, PaddingKind, TypeReport};
use runtime_model::sizeclasses::{self, AllocPath, Allocation};
use runtime_model::values::GoArch;
use yew::prelude::*;

use crate::kit::controls::CopyLink;
use crate::kit::query::{param, use_query_state};

pub const DEFAULT_SRC: &str = "\
// Edit me: any Go type declarations.
type T struct {
\ta bool
\tb int64
\tc bool
}

type Session struct {
\tactive  bool
\tid      uint64
\tname    string
\tretries uint8
\tpeers   []*Session
\tmu      sync.Mutex
\thits    atomic.Int64
}
";

/// Bytes of a value drawn in the grid before it is cut short.
const GRID_LIMIT: u64 = 512;

fn alloc_text(a: &Allocation) -> String {
    match a.path {
        AllocPath::ZeroBase => {
            "no allocation: every zero-size value points at runtime.zerobase".to_owned()
        }
        AllocPath::Tiny => format!(
            "{} B packed into a shared 16 B block by the tiny allocator",
            a.size
        ),
        AllocPath::Small => format!(
            "size class {}: a block of {} B{} for {} B, {} B lost",
            a.class(),
            a.block,
            if a.has_header() {
                " (with an 8 B malloc header)"
            } else {
                ""
            },
            a.size,
            a.waste
        ),
        AllocPath::Large => format!(
            "a large object: {} whole 8 KiB pages ({} B) for {} B, {} B lost",
            a.large_pages(),
            a.block,
            a.size,
            a.waste
        ),
    }
}

fn view_grid(analysis: &Analysis, index: usize, report: &TypeReport) -> Html {
    let grid = analysis.byte_grid(index, GRID_LIMIT);
    if grid.size == 0 {
        return html! { <p class="empty">{ "This type has no bytes." }</p> };
    }
    let label = |b: &layout::GridByte| -> (String, &'static str, String) {
        let field = b.field.and_then(|f| report.fields.get(f as usize));
        let name = field.map_or("", |f| report.field_name(f));
        let short: String = name.chars().take(3).collect();
        match b.kind {
            ByteKind::Data => (short, "data", format!("byte {}: {name}", b.offset)),
            ByteKind::Pointer => (
                format!("{short}*"),
                "ptr",
                format!("byte {}: {name}, pointer (GC scans it)", b.offset),
            ),
            ByteKind::InternalPadding => (
                "pad".into(),
                "pad-internal",
                format!("byte {}: padding between fields", b.offset),
            ),
            ByteKind::TrailingPadding => (
                "end".into(),
                "pad-trailing",
                format!("byte {}: trailing padding", b.offset),
            ),
        }
    };
    html! {
        <div class="byte-grid" role="img" aria-label={format!(
            "{} bytes: {} of padding between fields, {} of trailing padding, {} pointer bytes to scan",
            report.layout.size,
            report.padding_bytes(PaddingKind::Internal),
            report.padding_bytes(PaddingKind::Trailing),
            report.layout.ptrdata
        )}>
            { for grid.rows.iter().map(|row| html! {
                <div class="grid-row">
                    <span class="grid-offset" aria-hidden="true">{ format!("+{}", row.first().map_or(0, |b| b.offset)) }</span>
                    { for row.iter().map(|b| {
                        let (text, class, title) = label(b);
                        let parity = b.field.map_or("", |f| if f % 2 == 0 { "even" } else { "odd" });
                        html! { <span class={classes!("byte", class, parity)} {title}>{ text }</span> }
                    }) }
                </div>
            }) }
            if grid.truncated {
                <p class="fine-print">{ format!("Only the first {GRID_LIMIT} bytes are drawn.") }</p>
            }
        </div>
    }
}

#[function_component(LayoutLab)]
pub fn layout_lab() -> Html {
    let (query, set_query) = use_query_state();
    let mut notices = Vec::new();
    let arch = match param(&query, "goarch") {
        None => GoArch::Amd64,
        Some(name) => GoArch::from_name(&name).unwrap_or_else(|| {
            notices.push(format!("There is no GOARCH {name:?}; showing amd64."));
            GoArch::Amd64
        }),
    };
    let src = param(&query, "src").unwrap_or_else(|| DEFAULT_SRC.to_owned());
    // Timed with the browser's clock: the widget says how long the model took.
    let timed = use_memo((src.clone(), arch), |(src, arch)| {
        let now = || {
            web_sys::window()
                .and_then(|w| w.performance())
                .map_or(0.0, |p| p.now())
        };
        let start = now();
        let result = layout::analyze(src, *arch).map(Rc::new);
        (result, now() - start)
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
    let slice_n = use_state(|| 1000_u64);
    let slice_error = use_state(|| None::<String>);

    let on_src = {
        let set_query = set_query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                let text = t.value();
                let value = (text != DEFAULT_SRC).then_some(text);
                set_query.emit(vec![("src", value)]);
            }
        })
    };
    let on_arch = {
        let set_query = set_query.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                set_query.emit(vec![("goarch", Some(s.value()))]);
            }
        })
    };
    let on_type = {
        let set_query = set_query.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                set_query.emit(vec![("type", Some(s.value()))]);
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

    let body = match &shown {
        None => html! {},
        Some(a) => {
            let wanted = param(&query, "type");
            let index = wanted
                .as_deref()
                .and_then(|w| a.types.iter().position(|t| t.name == w))
                .or_else(|| a.types.iter().position(|t| t.kind == "struct"))
                .unwrap_or(0);
            if let (Some(w), None) = (&wanted, a.get(wanted.as_deref().unwrap_or_default())) {
                notices.push(format!(
                    "There is no type {w:?} here; showing {}.",
                    a.types.get(index).map_or("", |t| t.name.as_str())
                ));
            }
            match a.types.get(index) {
                None => {
                    html! { <p class="empty">{ "Declare a type, e.g. type T struct { a bool; b int64 }." }</p> }
                }
                Some(report) => view_report(
                    a,
                    index,
                    report,
                    arch,
                    *slice_n,
                    &set_query,
                    on_type.clone(),
                ),
            }
        }
    };

    let option =
        |a: GoArch| html! { <option value={a.name()} selected={a == arch}>{ a.name() }</option> };
    html! {
        <div class="widget layout-lab">
            { for notices.iter().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
            <div class="controls">
                <label for="layout-goarch">{ "GOARCH" }</label>
                <select id="layout-goarch" onchange={on_arch}>
                    { for GoArch::ALL.into_iter().map(option) }
                </select>
                <CopyLink />
            </div>
            <div class="layout-grid">
                <div>
                    <label for="layout-src" class="field-label">{ "Go type declarations" }</label>
                    <textarea id="layout-src" rows="16" spellcheck="false" value={src} oninput={on_src}
                        aria-invalid={error.is_some().then_some("true")} aria-describedby="layout-error" />
                    <p id="layout-error" class="parse-status" aria-live="polite">
                        { match &error {
                            Some(e) => html! { <span class="notice error-line">{ format!("line {}, column {}: {}", e.line, e.col, e.message) }{ if shown.is_some() { " (the last layout that parsed stays below)" } else { "" } }</span> },
                            None => html! { { format!("Parsed and laid out in {took_ms:.2} ms.") } },
                        } }
                    </p>
                </div>
                <div class="layout-result">
                    { body }
                    <div class="slice-cost">
                        <label for="layout-n">{ "Elements in a slice: " }</label>
                        <input id="layout-n" type="text" inputmode="numeric" value={slice_n.to_string()} oninput={on_n} />
                        if let Some(e) = &*slice_error { <span class="notice">{ e.clone() }</span> }
                    </div>
                </div>
            </div>
            <p class="fine-print">
                { "Sizes follow the gc compiler for the chosen GOARCH; sync and sync/atomic types are laid out as Go 1.27 declares \
                   them (atomic.Int64 stays 8-aligned on 32-bit targets). The suggested order is the one fieldalignment looks \
                   for: the smallest size, then the fewest pointer bytes." }
            </p>
        </div>
    }
}

fn view_report(
    analysis: &Analysis,
    index: usize,
    report: &TypeReport,
    arch: GoArch,
    slice_n: u64,
    set_query: &crate::kit::query::SetQuery,
    on_type: Callback<Event>,
) -> Html {
    let apply = analysis.apply_optimal_order(index).map(|new_src| {
        let set_query = set_query.clone();
        Callback::from(move |_: MouseEvent| set_query.emit(vec![("src", Some(new_src.clone()))]))
    });
    let has_ptrs = report.layout.ptrdata > 0;
    // The padding after each field, in one pass (a struct may have 1,000).
    let mut pad_after = vec![0_u64; report.fields.len()];
    for p in &report.padding {
        if let Some(slot) = p.after_field.and_then(|i| pad_after.get_mut(i)) {
            *slot += p.len;
        }
    }
    let slice = sizeclasses::makeslice(report.layout.size, slice_n, has_ptrs, arch);
    html! {
        <>
            <div class="controls">
                <label for="layout-type">{ "Type" }</label>
                <select id="layout-type" onchange={on_type}>
                    { for analysis.types.iter().map(|t| html! {
                        <option value={t.name.clone()} selected={t.name == report.name}>{ format!("{} ({})", t.name, t.kind) }</option>
                    }) }
                </select>
            </div>
            <p class="layout-summary">
                <strong>{ format!("{}: {} bytes, aligned to {}", report.name, report.layout.size, report.layout.align) }</strong>
                { format!(" · {} pointer bytes to scan · padding: {} B between fields, {} B at the end",
                    report.layout.ptrdata,
                    report.padding_bytes(PaddingKind::Internal),
                    report.padding_bytes(PaddingKind::Trailing)) }
            </p>
            if !report.fields.is_empty() {
                <div class="table-wrap" tabindex="0" role="region" aria-label="Fields">
                    <table class="fields">
                        <caption>{ format!("Fields of {} on {arch}", report.name) }</caption>
                        <thead><tr>
                            <th scope="col">{ "Field" }</th><th scope="col">{ "Type" }</th>
                            <th scope="col" class="num">{ "Offset" }</th><th scope="col" class="num">{ "Size" }</th>
                            <th scope="col" class="num">{ "Align" }</th><th scope="col" class="num">{ "Padding after" }</th>
                        </tr></thead>
                        <tbody>
                            { for report.fields.iter().zip(pad_after).map(|(f, pad)| {
                                html! {
                                    <tr>
                                        <th scope="row"><code>{ if f.embedded { format!("{} (embedded)", report.field_name(f)) } else { report.field_name(f).to_owned() } }</code></th>
                                        <td><code>{ report.field_type(f) }</code></td>
                                        <td class="num">{ f.offset }</td><td class="num">{ f.size }</td><td class="num">{ f.align }</td>
                                        <td class="num">{ if pad > 0 { pad.to_string() } else { "–".into() } }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }
            { view_grid(analysis, index, report) }
            <p class="legend">
                <span class="byte data even">{ "a" }</span>{ " data " }
                <span class="byte ptr even">{ "a*" }</span>{ " pointer bytes " }
                <span class="byte pad-internal">{ "pad" }</span>{ " padding between fields " }
                <span class="byte pad-trailing">{ "end" }</span>{ " trailing padding" }
            </p>
            { match &report.optimal {
                Some(o) if o.improves => html! {
                    <div class="suggestion">
                        <p>
                            <strong>{ "fieldalignment would reorder it: " }</strong>
                            <code>{ report.optimal_field_names().join(", ") }</code>
                            { format!(" → {} bytes ({} saved), {} pointer bytes ({} fewer to scan).",
                                o.layout.size, o.bytes_saved, o.layout.ptrdata, o.pointer_bytes_saved) }
                        </p>
                        if let Some(onclick) = apply {
                            <button type="button" {onclick}>{ "Apply this order" }</button>
                        }
                    </div>
                },
                Some(_) => html! { <p>{ "✓ This field order is already optimal." }</p> },
                None => html! {},
            } }
            <p>
                <strong>{ "One value on the heap: " }</strong>{ alloc_text(&report.heap) }{ format!(" ({}). ", report.heap.go_function()) }
                <a href={format!("/memory?size={}&pointers={}", report.layout.size, u8::from(has_ptrs))}>
                    { "Follow it through the allocator" }
                </a>
            </p>
            <p>
                <strong>{ format!("make([]{}, {slice_n}): ", report.name) }</strong>
                { match &slice {
                    Ok(a) => alloc_text(a),
                    Err(e) => format!("{e}"),
                } }
            </p>
        </>
    }
}
