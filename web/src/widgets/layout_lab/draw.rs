//! The layout lab's byte grid: every byte of a value as a cell, coloured by
//! what it holds (data, pointer, padding between fields, trailing padding).

use runtime_model::layout::{self, Analysis, ByteKind, PaddingKind, TypeReport};
use yew::prelude::*;

/// Bytes of a value drawn in the grid before it is cut short.
const GRID_LIMIT: u64 = 512;

/// The grid of the type at `index` of `analysis`, labelled as a whole for
/// screen readers and byte by byte in titles.
pub fn view_grid(analysis: &Analysis, index: usize, report: &TypeReport) -> Html {
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
                format!("byte {}: {name}, part of a pointer word", b.offset),
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
            "{} bytes: {} of padding between fields, {} of trailing padding; {}",
            report.layout.size,
            report.padding_bytes(PaddingKind::Internal),
            report.padding_bytes(PaddingKind::Trailing),
            super::view::scan_text(report.layout.ptrdata, report.layout.size)
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
