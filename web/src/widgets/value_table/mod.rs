//! The value-representation table, computed by `runtime_model::values` for
//! the GOARCH the learner picks. The choice lives in the URL (`?goarch=386`)
//! so a shared link opens the same table.

use runtime_model::values::{value_table, GoArch, Kind, ValueRow};
use yew::prelude::*;

use crate::kit::query::use_query_state;

/// The widget's URL state: `?goarch=NAME`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValueQuery {
    pub goarch: Option<String>,
}

impl ValueQuery {
    /// Reads `goarch` from a query string (`a=1&goarch=386`); GOARCH names
    /// are plain ASCII, so nothing needs decoding, and anything else is
    /// reported as an unknown name rather than guessed at.
    pub fn parse(query: &str) -> ValueQuery {
        let goarch = query
            .trim_start_matches('?')
            .split('&')
            .find_map(|pair| pair.strip_prefix("goarch="))
            .map(str::to_owned);
        ValueQuery { goarch }
    }
}

/// What the URL asked for, resolved: the architecture to show and, when the
/// URL named one Go does not know, that name for the notice.
pub fn resolve(query: &ValueQuery) -> (GoArch, Option<String>) {
    match query.goarch.as_deref() {
        None | Some("") => (GoArch::Amd64, None),
        Some(name) => match GoArch::from_name(name) {
            Some(arch) => (arch, None),
            None => (GoArch::Amd64, Some(name.to_owned())),
        },
    }
}

fn allowed_list() -> String {
    GoArch::ALL
        .iter()
        .map(|a| a.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[function_component(ValueTable)]
pub fn value_table_widget() -> Html {
    let (query, set_query) = use_query_state();
    let (arch, unknown) = resolve(&ValueQuery::parse(&query));

    let onchange = Callback::from(move |e: Event| {
        if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
            // The URL is the state; the option values are GOARCH names.
            set_query.emit(vec![("goarch", Some(select.value()))]);
        }
    });

    let sizes = arch.sizes();
    let option =
        |a: GoArch| html! { <option value={a.name()} selected={a == arch}>{ a.name() }</option> };
    html! {
        <div class="widget value-table" data-goarch={arch.name()}>
            if let Some(name) = unknown {
                <p class="notice" role="status">
                    { format!("The link asked for GOARCH \"{name}\", which Go does not know, so this shows amd64. Allowed: {}.", allowed_list()) }
                </p>
            }
            <div class="controls">
                <label for="goarch-select">{ "GOARCH" }</label>
                <select id="goarch-select" {onchange}>
                    <optgroup label="Common targets">
                        { for GoArch::TAUGHT.into_iter().map(option) }
                    </optgroup>
                    <optgroup label="Other targets">
                        { for GoArch::ALL.into_iter().filter(|a| !GoArch::TAUGHT.contains(a)).map(option) }
                    </optgroup>
                </select>
                <crate::kit::controls::CopyLink />
                <span class="arch-facts" aria-live="polite">
                    { format!("{}: a word is {} bytes, the largest alignment {} bytes.", arch, sizes.word_size, sizes.max_align) }
                </span>
            </div>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Sizes and alignment table">
                <table>
                    <caption>{ format!("Size and alignment of Go's built-in kinds on {arch}, in bytes") }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Type" }</th>
                            <th scope="col" class="num">{ "Size" }</th>
                            <th scope="col" class="num">{ "Align" }</th>
                            <th scope="col">{ "Layout" }</th>
                            <th scope="col">{ "Note" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for value_table(arch).map(|row| view_row(row, arch)) }
                    </tbody>
                </table>
            </div>
            <p class="fine-print">
                { "Computed by the model from Go's own rules (go/types gcsizes.go); the test \
                   suite checks every number against the real Go toolchain for every GOARCH." }
            </p>
        </div>
    }
}

fn view_row(row: ValueRow, arch: GoArch) -> Html {
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
        let style = format!("--bytes: {bytes}");
        let text = if name.is_empty() {
            format!("{bytes} B")
        } else {
            format!("{name} {bytes} B")
        };
        html! { <span class="part" {style}>{ text }</span> }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn q(goarch: Option<&str>) -> ValueQuery {
        ValueQuery {
            goarch: goarch.map(str::to_owned),
        }
    }

    #[test]
    fn the_query_string_is_read_wherever_goarch_sits() {
        assert_eq!(ValueQuery::parse("?goarch=arm"), q(Some("arm")));
        assert_eq!(ValueQuery::parse("x=1&goarch=wasm&y"), q(Some("wasm")));
        assert_eq!(ValueQuery::parse(""), q(None));
        assert_eq!(ValueQuery::parse("notgoarch=1"), q(None));
    }

    #[test]
    fn the_url_picks_the_arch_and_bad_names_fall_back_with_a_notice() {
        assert_eq!(resolve(&q(None)), (GoArch::Amd64, None));
        assert_eq!(resolve(&q(Some("386"))), (GoArch::I386, None));
        assert_eq!(
            resolve(&q(Some("x86"))),
            (GoArch::Amd64, Some("x86".to_owned()))
        );
    }
}
