//! The interfaces explainer's views: an interface's two words, and a plain
//! variable.

use runtime_model::iface::{DataWord, TypeWord, Var};
use yew::prelude::*;

/// Where the Go function a step names lives in the Go source.
pub fn source_file(function: &str) -> Option<&'static str> {
    match function {
        f if f.starts_with("convT") || f == "getitab" || f == "assertE2I" => {
            Some("runtime/iface.go")
        }
        "efaceeq" | "ifaceeq" | "panicdottype" => Some("runtime/alg.go"),
        "mallocgc" => Some("runtime/malloc.go"),
        "dataWord" | "walkConvInterface" => Some("cmd/compile/internal/walk/convert.go"),
        _ => None,
    }
}

fn type_word(tab: &TypeWord) -> Html {
    match tab {
        TypeWord::Nil => html! { <span class="word nil">{ "nil" }</span> },
        TypeWord::Type(t) => html! {
            <span class="word set">{ "*_type → " }<code>{ t.name }</code></span>
        },
        TypeWord::Itab(itab) => html! {
            <span class="word set">
                { "*itab → " }
                <dl class="itab">
                    <dt>{ "Inter" }</dt><dd><code>{ itab.inter }</code></dd>
                    <dt>{ "Type" }</dt><dd><code>{ itab.typ.name }</code></dd>
                    <dt>{ "Hash" }</dt><dd><code>{ format!("{:#010x}", itab.hash) }</code></dd>
                    <dt>{ "Fun" }</dt><dd>{ for itab.fun.iter().map(|f| html! { <code>{ *f }</code> }) }</dd>
                </dl>
            </span>
        },
    }
}

fn data_word(data: &DataWord) -> Html {
    let (class, text) = match data {
        DataWord::Nil => ("nil", "nil".to_owned()),
        DataWord::Direct { value } => ("set", format!("the value itself: {value}")),
        DataWord::Heap { value, size, via } => (
            "set",
            format!("→ heap copy of {value} ({size} B, made by {via})"),
        ),
        DataWord::StaticUint64s { index } => {
            ("set", format!("→ staticuint64s[{index}] (no allocation)"))
        }
        DataWord::Zerobase => ("set", "→ runtime.zerobase (zero-size value)".to_owned()),
        DataWord::ZeroVal => ("set", "→ runtime.zeroVal (zero bytes)".to_owned()),
        DataWord::ReadOnly { value } => ("set", format!("→ read-only copy of {value}")),
        DataWord::StackTemp { value } => ("set", format!("→ stack copy of {value}")),
    };
    html! { <span class={classes!("word", class)}>{ text }</span> }
}

pub fn view_var(var: &Var) -> Html {
    match var {
        Var::Iface {
            name,
            static_type,
            tab,
            data,
        } => {
            let nil = matches!(tab, TypeWord::Nil);
            let first = if *static_type == "any" {
                "type word (_type)"
            } else {
                "itab word (tab)"
            };
            html! {
                <div class="iface-var">
                    <p class="var-name">
                        <code>{ format!("{name} {static_type}") }</code>
                        <span class={classes!("nil-badge", if nil { "is-nil" } else { "not-nil" })}>
                            { if nil { format!(" {name} == nil: both words are nil") } else { format!(" {name} != nil: its type word is set") } }
                        </span>
                    </p>
                    <div class="words">
                        <div class="word-box"><span class="word-label">{ first }</span>{ type_word(tab) }</div>
                        <div class="word-box"><span class="word-label">{ "data word" }</span>{ data_word(data) }</div>
                    </div>
                </div>
            }
        }
        Var::Plain {
            name,
            go_type,
            value,
        } => html! {
            <div class="plain-var"><code>{ format!("{name} {go_type} = {value}") }</code></div>
        },
    }
}

#[cfg(test)]
mod tests {
    use super::source_file;
    use crate::kit::link::go_line;
    use runtime_model::iface;

    #[test]
    fn every_function_a_snippet_cites_links_to_its_line() {
        let mut missing = Vec::new();
        for snippet in iface::snippets() {
            for step in snippet.steps.iter().filter(|s| !s.go_function.is_empty()) {
                let f = step.go_function;
                match source_file(f) {
                    Some(file) if go_line(file, f).is_some() => {}
                    Some(file) => missing.push(format!("{file}:{f}")),
                    None => missing.push(format!("?:{f} (no file in source_file)")),
                }
            }
        }
        assert!(
            missing.is_empty(),
            "add these with `cargo xtask gen-golines FILE:FUNCTION ...`: {missing:?}"
        );
    }
}
