//! The escape-analysis catalogue: pick a program, see the line the compiler
//! talks about, what `go build -gcflags=-m` says on it, and why. State in
//! the URL: `?escape=return-address`.

use runtime_model::escape::{catalogue, EscapeCase};
use yew::prelude::*;

use crate::kit::controls::CopyLink;
use crate::kit::query::{param, use_query_state};

/// How a verdict reads at a glance: a shape and a word, not a colour.
pub fn verdict_kind(case: &EscapeCase) -> (&'static str, &'static str) {
    if case.verdict.starts_with("leaking param") && case.verdict.contains("to result") {
        ("leaks", "◆ Leaks to the result: the caller decides")
    } else if case.to_heap() {
        ("heap", "▲ Heap")
    } else {
        ("stack", "▼ Stays on the stack")
    }
}

/// The case the URL names, or the first with a sentence saying why.
pub fn resolve(cases: &[EscapeCase], asked: Option<&str>) -> (usize, Option<String>) {
    match asked {
        None => (0, None),
        Some(name) => match cases.iter().position(|c| c.name == name) {
            Some(i) => (i, None),
            None => (
                0,
                Some(format!(
                    "There is no escape example \"{name}\"; showing \"{}\". Examples: {}.",
                    cases[0].name,
                    cases.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
                )),
            ),
        },
    }
}

#[function_component(EscapeCatalogue)]
pub fn escape_catalogue() -> Html {
    let (query, set_query) = use_query_state();
    let cases = use_memo((), |_| catalogue());
    let (index, notice) = resolve(&cases, param(&query, "escape").as_deref());
    let case = &cases[index];
    let on_pick = Callback::from(move |e: Event| {
        if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
            set_query.emit(vec![("escape", Some(select.value()))]);
        }
    });
    let (kind, badge) = verdict_kind(case);
    html! {
        <div class="widget escape-widget" data-case={case.name}>
            if let Some(text) = notice {
                <p class="notice" role="status">{ text }</p>
            }
            <div class="controls">
                <label for="escape-case">{ format!("Example ({} of {})", index + 1, cases.len()) }</label>
                <select id="escape-case" onchange={on_pick}>
                    { for cases.iter().map(|c| html! {
                        <option value={c.name} selected={c.name == case.name}>
                            { format!("{} — {}", c.title, verdict_kind(c).0) }
                        </option>
                    }) }
                </select>
                <CopyLink />
            </div>
            <div class="iface-grid">
                <pre class="source" aria-label={format!("Go source of {}, main.go", case.title)}><code>
                    { for case.source.lines().enumerate().map(|(i, text)| {
                        let here = i + 1 == case.line;
                        html! {
                            <span class={classes!("src-line", here.then_some("current"))}>
                                <span class="gutter" aria-hidden="true">{ if here { "▶" } else { " " } }</span>
                                <span class="lineno" aria-hidden="true">{ format!("{:>2} ", i + 1) }</span>
                                if here { <span class="visually-hidden">{ "(the line the verdict is about) " }</span> }
                                { text.replace('\t', "    ") }{ "\n" }
                            </span>
                        }
                    }) }
                </code></pre>
                <div class="escape-verdict" aria-live="polite">
                    <p class={classes!("verdict-badge", kind)}>{ badge }</p>
                    <p class="verdict-label">{ format!("go build -gcflags=-m, line {}:", case.line) }</p>
                    <pre class="verdict"><code>{ format!("./main.go:{}: {}", case.line, case.verdict) }</code></pre>
                    <p class="verdict-line">
                        { "On " }<code>{ case.line_text().trim().to_owned() }</code>
                    </p>
                    <p class="why"><strong>{ "Why: " }</strong>{ case.why }</p>
                </div>
            </div>
            <p class="fine-print">
                { "These are recorded compiler messages, not a live analysis; the test suite builds \
                   each program with Go 1.27 and checks that the compiler still says exactly this \
                   (the column after the line number is left out here). Programs use //go:noinline \
                   where inlining would hide the decision." }
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_fall_back_to_the_first_and_list_the_others() {
        let cases = catalogue();
        assert_eq!(resolve(&cases, Some("pass-down")).0, 10);
        let (i, notice) = resolve(&cases, Some("nope"));
        assert_eq!(i, 0);
        assert!(notice.unwrap().contains("closure-capture"));
    }

    #[test]
    fn each_case_reads_as_heap_stack_or_leak() {
        let cases = catalogue();
        let kind = |name: &str| verdict_kind(cases.iter().find(|c| c.name == name).unwrap()).0;
        assert_eq!(kind("return-address"), "heap");
        assert_eq!(kind("pass-down"), "stack");
        assert_eq!(kind("leak-to-result"), "leaks");
        assert_eq!(kind("stored-in-global"), "heap");
    }
}
