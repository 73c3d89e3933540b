//! Small helpers that turn the reference content, kept as plain data, into
//! accessible markup: text with `code` spans, and captioned fact tables.

use yew::prelude::*;

/// `s` with its first letter in upper case.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Renders text in which `backticks` mark code.
pub fn rich(text: &str) -> Html {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part.to_owned() }</code> }
            } else {
                html! { { part.to_owned() } }
            }
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct FactTableProps {
    pub caption: AttrValue,
    pub head: &'static [&'static str],
    /// Each row's cells; the first cell heads its row.
    pub rows: &'static [&'static [&'static str]],
}

/// A captioned table with column and row headers, in a keyboard-scrollable
/// box so that it never forces the page wider than a phone.
#[function_component(FactTable)]
pub fn fact_table(props: &FactTableProps) -> Html {
    html! {
        <div class="table-wrap" tabindex="0" role="region" aria-label={props.caption.clone()}>
            <table>
                <caption>{ props.caption.clone() }</caption>
                <thead>
                    <tr>{ for props.head.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr>
                </thead>
                <tbody>
                    { for props.rows.iter().map(|row| html! {
                        <tr>
                            { for row.iter().enumerate().map(|(i, cell)| if i == 0 {
                                html! { <th scope="row">{ rich(cell) }</th> }
                            } else {
                                html! { <td>{ rich(cell) }</td> }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
