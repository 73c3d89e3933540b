//! The interfaces explainer: pick a snippet, step through it line by line,
//! and watch each interface's two words (type or itab, data) change.
//! State in the URL: `?snippet=typed-nil&step=3`.

use runtime_model::iface::{self, DataWord, Snippet, TypeWord, Var};
use yew::prelude::*;

use crate::controls::CopyLink;
use crate::player::{self, Player};
use crate::urlstate::{param, use_query_state};

const DEFAULT: &str = "typed-nil";

/// Where the Go function a step names lives in the Go source.
fn source_file(function: &str) -> Option<&'static str> {
    match function {
        f if f.starts_with("convT") || f == "getitab" || f == "assertE2I" => {
            Some("runtime/iface.go")
        }
        "efaceeq" | "ifaceeq" | "panicdottype" => Some("runtime/alg.go"),
        "mallocgc" => Some("runtime/malloc.go"),
        "dataWord" => Some("cmd/compile/internal/walk/convert.go"),
        _ => None,
    }
}

/// A link to `file` in the Go 1.27 source.
pub fn source_link(file: &str) -> String {
    format!("https://cs.opensource.google/go/go/+/refs/tags/go1.27.3:src/{file}")
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

fn view_var(var: &Var) -> Html {
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

#[function_component(IfaceExplainer)]
pub fn iface_explainer() -> Html {
    let (query, set_query) = use_query_state();
    let snippets = use_memo((), |_| iface::snippets());
    let asked = param(&query, "snippet");
    let (snippet, mut notice): (&Snippet, Option<String>) = match asked.as_deref() {
        None => (
            snippets
                .iter()
                .find(|s| s.name == DEFAULT)
                .unwrap_or(&snippets[0]),
            None,
        ),
        Some(name) => match snippets.iter().find(|s| s.name == name) {
            Some(s) => (s, None),
            None => (
                &snippets[0],
                Some(format!(
                    "There is no snippet \"{name}\"; showing \"{}\". Snippets: {}.",
                    snippets[0].name,
                    snippets
                        .iter()
                        .map(|s| s.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ),
        },
    };
    let last = snippet.steps.len();
    let step = match param(&query, "step").map(|s| s.parse::<usize>()) {
        None => 0,
        Some(Ok(n)) if n <= last => n,
        Some(_) => {
            notice.get_or_insert(format!(
                "The link's step is not a number from 0 to {last}; starting at 0."
            ));
            0
        }
    };
    let playback = {
        let set_query = set_query.clone();
        player::use_playback(Callback::from(move |s: usize| {
            set_query.emit(vec![("step", Some(s.to_string()))]);
        }))
    };
    playback.at(step, last, false);
    let playing = playback.playing.clone();
    let onkeydown = playback.onkeydown.clone();
    let on_pick = {
        let set_query = set_query.clone();
        let playing = playing.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                playing.set(false);
                set_query.emit(vec![
                    ("snippet", Some(select.value())),
                    ("step", Some("0".into())),
                ]);
            }
        })
    };

    let current = step.checked_sub(1).map(|i| &snippet.steps[i]);
    let output: String = snippet.steps[..step]
        .iter()
        .map(|s| s.printed.as_str())
        .collect();
    let panic = snippet.steps[..step].iter().find_map(|s| s.panic.clone());
    let line = current.map(|s| s.line);
    html! {
        <div class="widget iface-widget" tabindex="-1" {onkeydown}>
            if let Some(text) = notice {
                <p class="notice" role="status">{ text }</p>
            }
            <div class="controls">
                <label for="iface-snippet">{ "Snippet" }</label>
                <select id="iface-snippet" onchange={on_pick}>
                    { for snippets.iter().map(|s| html! {
                        <option value={s.name} selected={s.name == snippet.name}>{ s.title }</option>
                    }) }
                </select>
                <CopyLink />
            </div>
            <Player step={step} last={last} playing={*playing} speed={playback.speed} on={playback.on.clone()} label="Snippet playback" />
            <div class="iface-grid">
                <pre class="source" aria-label="Go source"><code>
                    { for snippet.lines().enumerate().map(|(i, text)| {
                        let here = line == Some(i + 1);
                        html! {
                            <span class={classes!("src-line", here.then_some("current"))} aria-current={here.then_some("step")}>
                                <span class="gutter" aria-hidden="true">{ if here { "▶" } else { " " } }</span>
                                <span class="lineno" aria-hidden="true">{ format!("{:>2} ", i + 1) }</span>
                                { text.replace('\t', "    ") }{ "\n" }
                            </span>
                        }
                    }) }
                </code></pre>
                <div class="iface-state">
                    <p class="narration" aria-live="polite">
                        { match current {
                            None => html! { { "Press Step (or →) to run the first line." } },
                            Some(s) => html! {
                                <>
                                    <strong>{ format!("Line {}: ", s.line) }</strong>{ s.text.clone() }
                                    { " " }
                                    { match source_file(s.go_function) {
                                        Some(file) => html! { <a href={source_link(file)} target="_blank" rel="noopener">{ format!("{} ({file})", s.go_function) }</a> },
                                        None if !s.go_function.is_empty() => html! { <code>{ s.go_function }</code> },
                                        None => html! {},
                                    } }
                                </>
                            },
                        } }
                    </p>
                    <div class="vars">
                        { for current.map(|s| s.vars.iter().map(view_var).collect::<Html>()) }
                    </div>
                    <div class="console" aria-label="Program output">
                        <span class="console-label">{ "Output" }</span>
                        <pre>{ output }{ panic.map(|p| format!("{p}\n")).unwrap_or_default() }</pre>
                    </div>
                </div>
            </div>
            <p class="fine-print">
                { "Each snippet is a complete Go program; the tests run it with Go 1.27 and check that the output, \
                   the panic, the type hashes and the compiler's account of every conversion match what you see here. \
                   Addresses are left out: the model shows where each word points, not the number." }
            </p>
        </div>
    }
}
