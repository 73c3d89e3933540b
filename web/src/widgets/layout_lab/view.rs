//! The layout lab's views: the report on one type, and what an allocation
//! of it costs.

use runtime_model::layout::{Analysis, PaddingKind, TypeReport};
use runtime_model::sizeclasses::{self, AllocPath, Allocation};
use yew::prelude::*;

use super::draw::view_grid;
use super::state::Action;
use crate::kit::link::{Link, SiteLink};

/// What the allocator does with a request, in one sentence.
pub fn alloc_text(a: &Allocation) -> String {
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

/// What the GC scans of a value, in words: not a count of pointers but
/// the prefix up to the end of the last pointer word, inside which
/// pointer-free fields are scanned too. Go calls it `PtrBytes`
/// (internal/abi/type.go: "number of (prefix) bytes in the type that can
/// contain pointers"; the compiler's `PtrDataSize`).
pub fn scan_text(ptrdata: u64, size: u64) -> String {
    if ptrdata == 0 {
        "no pointers, so the GC never scans it (PtrBytes 0)".to_owned()
    } else if ptrdata == size {
        format!("GC scan prefix: all {size} B, since its last pointer ends at its end (PtrBytes {ptrdata})")
    } else {
        format!(
            "GC scan prefix: the first {ptrdata} of {size} B, up to the end of its last pointer (PtrBytes {ptrdata})"
        )
    }
}

/// The report on one type: the type picker, the summary, the field table,
/// the byte grid, fieldalignment's order and what the heap makes of it.
/// A `stale` report (the source has an error) offers no "Apply this
/// order": it would rewrite the last source that parsed over the text.
/// The checkpoint (`ask`) comes under the type picker; while its question
/// is open (`asking`), nothing else shows.
#[allow(clippy::too_many_arguments)]
pub fn view_report(
    analysis: &Analysis,
    index: usize,
    report: &TypeReport,
    slice_n: u64,
    dispatch: &Callback<Action>,
    alloc_link: Option<&Callback<(u64, bool), Link>>,
    stale: bool,
    asking: bool,
    ask: Html,
) -> Html {
    let apply = (!stale)
        .then(|| analysis.apply_optimal_order(index))
        .flatten()
        .map(|new_src| {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.emit(Action::Edit(new_src.clone())))
        });
    let on_type = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                dispatch.emit(Action::Show(s.value()));
            }
        })
    };
    // The GOARCH the layout is for (a stale one keeps its own).
    let arch = analysis.arch;
    let has_ptrs = report.layout.ptrdata > 0;
    // The padding after each field, in one pass (a struct may have 1,000).
    let mut pad_after = vec![0_u64; report.fields.len()];
    for p in &report.padding {
        if let Some(slot) = p.after_field.and_then(|i| pad_after.get_mut(i)) {
            *slot += p.len;
        }
    }
    let slice = sizeclasses::makeslice(report.layout.size, slice_n, has_ptrs, arch);
    let picker = html! {
        <div class="controls">
            <label for="layout-type">{ "Type" }</label>
            <select id="layout-type" onchange={on_type}>
                { for analysis.types.iter().map(|t| html! {
                    <option value={t.name.clone()} selected={t.name == report.name}>{ format!("{} ({})", t.name, t.kind) }</option>
                }) }
            </select>
        </div>
    };
    // Three children either way, so that the checkpoint keeps its place
    // (and its state) when the rest appears.
    if asking {
        return html! {
            <>
                { picker }
                { ask }
                <p class="layout-held">{ format!("The layout of {} is drawn once you answer the prediction above.", report.name) }</p>
            </>
        };
    }
    let rest = html! {
        <>
            <p class="layout-summary">
                <strong>{ format!("{}: {} bytes, aligned to {}", report.name, report.layout.size, report.layout.align) }</strong>
                { format!(" · {} · padding: {} B between fields, {} B at the end",
                    scan_text(report.layout.ptrdata, report.layout.size),
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
                <span class="byte ptr even">{ "a*" }</span>{ " a pointer word " }
                <span class="byte pad-internal">{ "pad" }</span>{ " padding between fields " }
                <span class="byte pad-trailing">{ "end" }</span>{ " trailing padding" }
            </p>
            { match &report.optimal {
                Some(o) if o.improves => html! {
                    <div class="suggestion">
                        <p>
                            <strong>{ "fieldalignment would reorder it: " }</strong>
                            <code>{ report.optimal_field_names().join(", ") }</code>
                            { format!(" → {} bytes ({} saved){}.", o.layout.size, o.bytes_saved,
                                if report.layout.ptrdata > 0 {
                                    format!(", GC scan prefix {} B ({} B shorter)", o.layout.ptrdata, o.pointer_bytes_saved)
                                } else {
                                    String::new()
                                }) }
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
                if let Some(link) = alloc_link {
                    <SiteLink to={link.emit((report.layout.size, has_ptrs))}>
                        { "Follow it through the allocator" }
                    </SiteLink>
                }
            </p>
            <p>
                <strong>{ format!("make([]{}, {slice_n}): ", report.name) }</strong>
                { match &slice {
                    Ok(a) => alloc_text(a),
                    Err(e) => format!("{e}"),
                } }
            </p>
        </>
    };
    html! { <>{ picker }{ ask }{ rest }</> }
}

#[cfg(test)]
mod tests {
    use super::scan_text;

    /// Issue 11: "128 pointer bytes to scan" read as 128 bytes of pointers.
    #[test]
    fn the_scan_prefix_is_named_for_what_it_is() {
        // struct { p *int; a [120]byte; q *int } on amd64: 2 pointer words,
        // a 136-byte prefix.
        let t = scan_text(136, 136);
        assert!(t.starts_with("GC scan prefix: all 136 B"), "{t}");
        let t = scan_text(8, 24);
        assert!(
            t.contains("first 8 of 24 B, up to the end of its last pointer"),
            "{t}"
        );
        assert!(!t.contains("pointer bytes"), "{t}");
        assert!(scan_text(0, 16).starts_with("no pointers"));
    }
}
