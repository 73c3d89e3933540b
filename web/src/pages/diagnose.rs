//! Diagnose: symptom, mechanism, fix; and the traps people keep falling into.

use yew::prelude::*;

use super::PageHead;
use crate::content::{rich, FactTable};

const SYMPTOMS: &[&[&str]] = &[
    &[
        "Latency spikes",
        "GC pauses and assists, or goroutines starved of a P.",
        "Read `GODEBUG=gctrace=1` and `schedtrace`; allocate less; set `GOMEMLIMIT` instead of collecting constantly.",
    ],
    &[
        "Memory keeps growing",
        "Something still reachable: a goroutine that never exits, a map or cache that is never pruned. The GC cannot free what can be reached.",
        "Watch `runtime.NumGoroutine()`, take a heap profile, fix the reference that is held.",
    ],
    &[
        "Allocations you did not expect",
        "Values escaping to the heap.",
        "`-gcflags=-m`; avoid boxing into interfaces; return values rather than pointers where you can.",
    ],
    &[
        "A big binary",
        "The runtime is linked in, plus the symbol table and DWARF.",
        "`-ldflags=\"-s -w\"`, `CGO_ENABLED=0`.",
    ],
    &[
        "Will not start on a `scratch` image",
        "cgo linked the binary dynamically against libc, which the image lacks.",
        "`CGO_ENABLED=0`.",
    ],
];

const TRAPS: &[(&str, &str)] = &[
    (
        "Calling `runtime.GC()` to relieve GC pressure.",
        "A forced collection adds work; it does not remove garbage. Allocate less instead.",
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

#[function_component(Diagnose)]
pub fn diagnose() -> Html {
    html! {
        <article class="page">
            <PageHead slug="diagnose" />
            <FactTable caption="Symptom, mechanism, fix" head={&["Symptom", "Likely mechanism", "What to check and do"][..]} rows={SYMPTOMS} />
            <section aria-labelledby="traps">
                <h2 id="traps">{ "The recurring traps" }</h2>
                <dl class="traps">
                    { for TRAPS.iter().map(|(trap, why)| html! {
                        <>
                            <dt>{ rich(trap) }</dt>
                            <dd>{ rich(why) }</dd>
                        </>
                    }) }
                </dl>
            </section>
        </article>
    }
}
