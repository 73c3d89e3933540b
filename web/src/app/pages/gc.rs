//! The garbage collector page: phases, barriers, the pacer and its number.

use yew::prelude::*;

use crate::app::registry::mount;

use super::PageHead;
use crate::kit::content::FactTable;

const GLANCE: &[&[&str]] = &[
    &[
        "GC",
        "Concurrent tricolor mark and sweep. It runs alongside your goroutines, never moves objects, and relies on a write barrier while marking.",
    ],
    &[
        "`GCCPUFraction`",
        "The share of CPU time the collector has used since the program started (in `runtime.MemStats`). It answers \"is GC my problem?\"; a few percent is normal.",
    ],
];

const PHASES: &[&[&str]] = &[
    &[
        "Sweep termination",
        "Stop the world",
        "Finish sweeping the last cycle, turn the write barrier on.",
    ],
    &[
        "Mark",
        "Concurrent",
        "Scan roots (globals, goroutine stacks) and follow pointers, colouring objects grey then black. New objects are allocated black.",
    ],
    &[
        "Mark termination",
        "Stop the world",
        "Make sure no grey work is left, turn the barrier off.",
    ],
    &[
        "Sweep",
        "Concurrent",
        "Free every object still white, span by span, lazily as allocation needs space.",
    ],
];

#[function_component(Gc)]
pub fn gc() -> Html {
    html! {
        <article class="page">
            <PageHead slug="gc" />
            <FactTable caption="The collector at a glance" head={&["Concept", "Key fact"][..]} rows={GLANCE} />

            <section aria-labelledby="tricolor">
                <h2 id="tricolor">{ "Tricolor marking" }</h2>
                <p>
                    { "Every object is in one of three sets. " }<strong>{ "White" }</strong>
                    { ": not reached yet; whatever is still white at the end is garbage. " }
                    <strong>{ "Grey" }</strong>
                    { ": reached, but its pointers have not been followed. " }<strong>{ "Black" }</strong>
                    { ": reached and fully scanned. Marking takes grey objects one by one, shades \
                       what they point to and turns them black, until no grey is left." }
                </p>
                <p>
                    { "Because your goroutines keep running during the mark, they could hide a \
                       white object behind a black one. The write barrier prevents that: while \
                       marking, every pointer write also shades the pointer being overwritten and \
                       the one being written (Go's hybrid barrier, runtime/mbarrier.go), so \
                       goroutine stacks need scanning only once." }
                </p>
                <FactTable caption="The phases of one cycle (runtime/mgc.go)" head={&["Phase", "World", "What happens"][..]} rows={PHASES} />
                <p>{ "Step through a cycle, and switch the barrier off to see an object lost:" }</p>
                { mount("gc-marking") }
            </section>

            <section aria-labelledby="pacer">
                <h2 id="pacer">{ "The pacer: when the next cycle starts" }</h2>
                <p>
                    { "After each cycle the pacer (runtime/mgcpacer.go) sets a heap goal: the live \
                       heap plus " }<code>{ "GOGC" }</code>
                    { " percent of the live heap, stacks and globals, and at least 4 MB at the \
                       default. With " }<code>{ "GOGC=100" }</code>
                    { " a program with 50 MB live collects again at about 100 MB. " }
                    <code>{ "GOMEMLIMIT" }</code>
                    { " adds a second goal derived from a total memory limit; the lower goal \
                       wins. The next cycle starts a little before the goal is reached, so that \
                       marking can finish in time; goroutines that allocate fast while marking \
                       are made to help (mark assists)." }
                </p>
                <p>
                    { "Background mark workers use a quarter of GOMAXPROCS. When a memory limit \
                       forces collection after collection, a CPU limiter keeps the GC to about half \
                       of the CPU so that the program can still make progress. If nothing else \
                       triggers a cycle, one is forced every two minutes." }
                </p>
                { mount("gc-pacer") }
            </section>
        </article>
    }
}
