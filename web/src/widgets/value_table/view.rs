//! The value table's views: one row per kind, and a value drawn as the
//! strip of its parts.

use runtime_model::values::{GoArch, Kind, ValueRow};
use yew::prelude::*;

/// One kind's row: its size, alignment, parts and note on `arch`.
pub fn view_row(row: ValueRow, arch: GoArch) -> Html {
    let kind = row.kind;
    let aliases = kind.aliases();
    html! {
        <tr data-kind={kind.id()}>
            <th scope="row">
                <code>{ kind.go_syntax() }</code>
                if !aliases.is_empty() {
                    <span class="alias">{ format!(" ({aliases})") }</span>
                }
            </th>
            <td class="num size">{ row.layout.size }</td>
            <td class="num align">{ row.layout.align }</td>
            <td>{ view_parts(kind, arch, row.layout.size) }</td>
            <td>{ kind.note() }</td>
        </tr>
    }
}

/// The value drawn as a strip of its parts, each as wide as its bytes.
fn view_parts(kind: Kind, arch: GoArch, size: u64) -> Html {
    if size == 0 {
        return html! { <span class="parts empty">{ "no bytes" }</span> };
    }
    let parts = kind.parts(arch);
    let label = |name: &str, bytes: u64| {
        // A class per size, not an inline style (which the site's Content
        // Security Policy forbids): a part's bytes are 1, 2, 4, 8 or 16.
        let class = classes!("part", format!("bytes-{bytes}"));
        let text = if name.is_empty() {
            format!("{bytes} B")
        } else {
            format!("{name} {bytes} B")
        };
        html! { <span {class}>{ text }</span> }
    };
    html! {
        <span class="parts">
            if parts.is_empty() {
                { label("", size) }
            } else {
                { for parts.iter().map(|p| label(p.name, p.size)) }
            }
        </span>
    }
}
