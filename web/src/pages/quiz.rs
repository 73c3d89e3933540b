//! The quiz page: the five questions of the track, each with its answer
//! behind a disclosure so that learners can think first.

use yew::prelude::*;

use super::PageHead;
use crate::content::rich;

/// A question and the explanation of its answer.
pub const QUESTIONS: &[(&str, &str)] = &[
    (
        "Your service shows a high `GCCPUFraction` and collects very often. What should you try first?",
        "Create less garbage. The collector's cost follows the allocation rate, so cut escapes, reuse buffers, size slices up front and prefer values to pointers. Calling `runtime.GC()` adds work, and `GOGC=off` risks running out of memory.",
    ),
    (
        "Why does `struct{ a bool; b int64; c bool }` waste memory, and how do you fix it?",
        "The `int64` must sit at a multiple of 8, so seven bytes of padding follow `a`, and the struct is padded to 24 bytes. Put the widest field first and it packs into 16. The `fieldalignment` analyzer finds such structs.",
    ),
    (
        "Which environment variable keeps a Go program under a container's memory limit?",
        "`GOMEMLIMIT`. `GOGC` is relative to the live heap and can overshoot a fixed limit during a burst; `GOMEMLIMIT` gives the collector an absolute target to stay under.",
    ),
    (
        "An `error` that holds a nil `*T` compares `!= nil`. Why?",
        "An interface is nil only when both its words are nil. Storing a typed nil pointer fills in the type word, so the interface is not nil. Return a literal `nil` when there is no error.",
    ),
    (
        "How do you build a small, fully static binary for a `scratch` container?",
        "`CGO_ENABLED=0` builds pure Go with no libc dependency, and `-ldflags=\"-s -w\"` drops the symbol table and DWARF. The result runs on an empty image.",
    ),
];

#[function_component(Quiz)]
pub fn quiz() -> Html {
    html! {
        <article class="page">
            <PageHead slug="quiz" />
            <p>{ "Think of your answer first, then open the explanation." }</p>
            <ol class="quiz">
                { for QUESTIONS.iter().map(|(q, a)| html! {
                    <li>
                        <p class="question">{ rich(q) }</p>
                        <details>
                            <summary>{ "Show the answer" }</summary>
                            <p>{ rich(a) }</p>
                        </details>
                    </li>
                }) }
            </ol>
        </article>
    }
}
