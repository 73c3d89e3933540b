//! The recurring traps as checks: "would you do this?", then the why. A
//! widget (live buttons in the static Diagnose page, and embeddable); it
//! keeps no URL state, and so has no `state.rs`.

use yew::prelude::*;

use crate::kit::content::rich;

/// A trap, and whether doing it is a good idea (never, here).
const TRAPS: &[(&str, &str)] = &[
    (
        "Calling `runtime.GC()` to relieve GC pressure.",
        "It does free what is unreachable, but it runs a whole cycle and blocks the caller until that cycle (sweep included) is done, and the program allocates just as fast afterwards. Allocate less instead.",
    ),
    (
        "`GOGC=off` in production.",
        "With no goal the heap grows until the process is killed. Use `GOMEMLIMIT` to cap memory.",
    ),
    (
        "Returning a typed nil as an `error`.",
        "The interface's type word is set, so `err != nil` holds. Return a literal `nil`.",
    ),
    (
        "Keeping an address in a `uintptr`.",
        "A `uintptr` is just a number to the GC: it keeps nothing alive and is not updated when a stack moves. Never carry one from one statement to the next.",
    ),
    (
        "Hard-coding offsets or expecting particular assembly.",
        "Layout and code generation change with the architecture and the Go release.",
    ),
    (
        "Tuning before measuring.",
        "Profile with pprof and benchmarks first; reach for internals second.",
    ),
];

#[derive(Properties, PartialEq)]
struct TrapProps {
    index: usize,
}

/// One trap as a check: "would you do this?", then the why.
#[function_component(TrapCheck)]
fn trap_check(props: &TrapProps) -> Html {
    let (trap, why) = TRAPS[props.index];
    let answer = use_state(|| None::<bool>);
    let pick = |good: bool| {
        let answer = answer.clone();
        Callback::from(move |_: MouseEvent| answer.set(Some(good)))
    };
    html! {
        <li class="trap">
            <p class="trap-text">{ rich(trap) }</p>
            <div class="trap-buttons" role="group" aria-label="Good idea or trap?">
                <button type="button" onclick={pick(true)} aria-pressed={(*answer == Some(true)).to_string()}>{ "Good idea" }</button>
                <button type="button" onclick={pick(false)} aria-pressed={(*answer == Some(false)).to_string()}>{ "Trap" }</button>
            </div>
            <p class="trap-why" aria-live="polite">
                { match *answer {
                    None => html! {},
                    Some(false) => html! { <><strong>{ "✓ Yes, a trap. " }</strong>{ rich(why) }</> },
                    Some(true) => html! { <><strong>{ "✗ It is a trap. " }</strong>{ rich(why) }</> },
                } }
            </p>
        </li>
    }
}

/// Every trap, each with its own pair of answers.
#[function_component(Traps)]
pub fn traps() -> Html {
    html! {
        <ul class="trap-checks">
            { for (0..TRAPS.len()).map(|index| html! { <TrapCheck {index} /> }) }
        </ul>
    }
}
