//! The escape catalogue's views: a case's source with the line the
//! compiler talks about marked, and its verdict with the reason.

use runtime_model::escape::EscapeCase;
use yew::prelude::*;

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

/// A case as the example picker lists it: what the program does, never
/// what the compiler decides (that is the verdict panel's to reveal).
pub fn option_label(case: &EscapeCase) -> &'static str {
    case.title
}

/// The program, its verdict's line marked in text as well as by colour.
pub fn source_view(case: &EscapeCase) -> Html {
    html! {
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
    }
}

/// What `go build -gcflags=-m` says on the line, and why.
pub fn verdict_view(case: &EscapeCase) -> Html {
    let (kind, badge) = verdict_kind(case);
    html! {
        <div class="escape-verdict" aria-live="polite">
            <p class={classes!("verdict-badge", kind)}>{ badge }</p>
            <p class="verdict-label">{ format!("go build -gcflags=-m, line {}:", case.line) }</p>
            <pre class="verdict"><code>{ format!("./main.go:{}: {}", case.line, case.verdict) }</code></pre>
            <p class="verdict-line">
                { "On " }<code>{ case.line_text().trim().to_owned() }</code>
            </p>
            <p class="why"><strong>{ "Why: " }</strong>{ case.why }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::escape::catalogue;

    #[test]
    fn each_case_reads_as_heap_stack_or_leak() {
        let cases = catalogue();
        let kind = |name: &str| verdict_kind(cases.iter().find(|c| c.name == name).unwrap()).0;
        assert_eq!(kind("return-address"), "heap");
        assert_eq!(kind("pass-down"), "stack");
        assert_eq!(kind("leak-to-result"), "leaks");
        assert_eq!(kind("stored-in-global"), "heap");
    }

    /// Issue 11: the picker said "— heap" or "— stack" after each example,
    /// and some titles said it too ("not kept", "stays local").
    #[test]
    fn the_picker_does_not_give_the_verdict_away() {
        for case in catalogue() {
            let label = option_label(&case).to_lowercase();
            for giveaway in ["heap", "stack", "escape", "leak", "kept", "stays", "—"] {
                assert!(
                    !label.contains(giveaway),
                    "{}: {label:?} says {giveaway:?}",
                    case.name
                );
            }
            // The verdict itself is still shown once the case is picked.
            assert!(!verdict_kind(&case).1.is_empty());
        }
    }
}
