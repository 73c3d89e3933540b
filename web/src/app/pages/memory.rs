//! The memory page: stacks, the heap, escape analysis and the allocator.

use yew::prelude::*;

use crate::app::registry::mount;

use super::PageHead;
use crate::kit::content::FactTable;

const GLANCE: &[&[&str]] = &[
    &[
        "Stack",
        "One per goroutine. Starts small (2 KB), grows by copying to a bigger one, and costs nothing to free: a function's frame is gone when it returns.",
    ],
    &[
        "Heap",
        "Shared by the whole process and managed by the garbage collector. Values that outlive their function, or are too big or too dynamic for a stack, live here.",
    ],
    &[
        "Escape analysis",
        "The compiler decides, value by value, stack or heap. `go build -gcflags=-m` prints its reasoning.",
    ],
    &[
        "Allocator",
        "Three tiers: `mcache` (one per P, no locks) asks `mcentral` (one per size class) which asks `mheap` (pages from the OS).",
    ],
    &[
        "Size classes",
        "Small objects are rounded up to one of 67 fixed sizes (8 B to 32 KB), which makes allocation O(1) at the price of some wasted bytes per object.",
    ],
];

#[function_component(Memory)]
pub fn memory() -> Html {
    html! {
        <article class="page">
            <PageHead slug="memory" />
            <FactTable caption="Memory at a glance" head={&["Concept", "Key fact"][..]} rows={GLANCE} />

            <section aria-labelledby="stack-h">
                <h2 id="stack-h">{ "Stacks" }</h2>
                <p>
                    { "A new goroutine gets a 2 KB stack (" }<code>{ "stackMin" }</code>
                    { " in runtime/stack.go). When a call would overflow it, the function's \
                       prologue notices and the runtime allocates a stack twice the size, copies \
                       the frames over and fixes up pointers into the stack (" }
                    <code>{ "newstack" }</code>{ ", " }<code>{ "copystack" }</code>
                    { "). During a collection a stack that uses less than a quarter of its space \
                       is shrunk by half. On 64-bit systems a stack may grow to 1 GB." }
                </p>
                <p>
                    { "Watch it happen: a function calls itself, each call taking a frame of the size \
                       you choose. Step through the calls, the copies, the returns and the \
                       collections that follow." }
                </p>
                { mount("stack") }
            </section>

            <section aria-labelledby="heap">
                <h2 id="heap">{ "The heap and escape analysis" }</h2>
                <p>
                    { "Whether a value lives on the stack or the heap is not up to you: the \
                       compiler proves, where it can, that a value does not outlive its function \
                       and keeps it on the stack. When it cannot prove that (its address is \
                       returned, it is stored in something long-lived, it is converted to an \
                       interface that escapes, its size is unknown at compile time) the value \
                       escapes to the heap, and the garbage collector must later find and free it." }
                </p>
                <p>
                    { "Run " }<code>{ "go build -gcflags=-m ./..." }</code>
                    { " to see each decision (" }<code>{ "moved to heap: x" }</code>{ ", " }
                    <code>{ "... escapes to heap" }</code>{ ", " }<code>{ "does not escape" }</code>
                    { "). Fewer escapes means less garbage, which means less GC work." }
                </p>
                <p>
                    { "Each example below is a whole program with the line the compiler reports \
                       on, its message, and the reason behind it." }
                </p>
                { mount("escape") }
            </section>

            <section aria-labelledby="allocator-h">
                <h2 id="allocator-h">{ "The allocator" }</h2>
                <ul>
                    <li>
                        { "Each P has an " }<code>{ "mcache" }</code>
                        { " with one span per size class, so most allocations take no lock at all." }
                    </li>
                    <li>
                        { "When a span fills, the mcache gets a fresh one from that class's " }
                        <code>{ "mcentral" }</code>{ "; when mcentral has none, it asks the " }
                        <code>{ "mheap" }</code>{ " for pages (8 KB each), and the mheap asks the OS." }
                    </li>
                    <li>
                        { "Pointer-free objects under 16 bytes go to the tiny allocator, which packs \
                           several into one 16-byte block." }
                    </li>
                    <li>
                        { "Objects over 32 KB skip the size classes and get their own run of pages \
                           straight from the mheap." }
                    </li>
                    <li>
                        { "The size classes (internal/runtime/gc/sizeclasses.go) are 67 sizes from 8 \
                           to 32,768 bytes; a 33-byte object takes a 48-byte slot, so up to about an \
                           eighth of a slot can be wasted." }
                    </li>
                </ul>
                <p>
                    { "Type a size to see which path it takes and where it lands in the table, \
                       then play a run of allocations through the three tiers." }
                </p>
                { mount("allocator") }
            </section>
        </article>
    }
}
