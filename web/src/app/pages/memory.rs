//! The memory page: stacks, the heap, escape analysis and the allocator.

use yew::prelude::*;

use runtime_model::malloc::plan_alloc;
use runtime_model::sizeclasses::{
    size_classes, SizeClass, MAX_SMALL_SIZE, NUM_SIZE_CLASSES, NUM_SPAN_CLASSES, PAGE_SIZE,
    TINY_SIZE,
};
use runtime_model::stack::STACK_MIN;

use crate::app::registry::mount;

use super::PageHead;
use crate::kit::content::FactTable;

const GLANCE: &[&[&str]] = &[
    &[
        "Stack",
        "One per goroutine. Starts small (2 KB before the first collection, then about the average stack use), grows by copying to a bigger one, and costs nothing to free: a function's frame is gone when it returns.",
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
        "Three tiers: `mcache` (one per P, no locks) asks `mcentral` (one per span class: a size class, for objects with or without pointers) which asks `mheap` (pages from the OS).",
    ],
    &[
        "Size classes",
        "Small objects are rounded up to one of 67 fixed sizes (8 B to 32 KB), which makes allocation O(1) at the price of some wasted bytes per object.",
    ],
];

/// A class's worst-case waste, as sizeclasses.go prints it ("31.52%").
fn max_waste(c: &SizeClass) -> String {
    format!("{}.{:02}%", c.max_waste_bp / 100, c.max_waste_bp % 100)
}

fn class_row(class: u8) -> SizeClass {
    size_classes()
        .find(|c| c.class == class)
        .expect("every class from 1 to 67 has a row")
}

/// How much rounding up to a size class can cost, computed from the model's
/// tables rather than typed in.
fn size_class_waste() -> String {
    let p = plan_alloc(33, true);
    let class = class_row(p.size_class);
    let first = class_row(1);
    let last = class_row((NUM_SIZE_CLASSES - 1) as u8);
    format!(
        "The size classes (internal/runtime/gc/sizeclasses.go) are {} sizes from {} to {} bytes. \
         A {}-byte object takes a {}-byte slot and loses {} bytes; at worst, objects of class {} \
         ({} B) waste {} of their span. The generator (runtime/_mkmalloc/mksizeclasses.go) aims \
         to keep rounding under 12.5%, but alignment pushes the smallest classes past it: \
         class {} ({} B) can lose up to {}.",
        NUM_SIZE_CLASSES - 1,
        first.size,
        last.size,
        p.size,
        p.slot,
        p.waste,
        class.class,
        class.size,
        max_waste(&class),
        first.class,
        first.size,
        max_waste(&first),
    )
}

#[function_component(Memory)]
pub fn memory() -> Html {
    html! {
        <article class="page">
            <PageHead slug="memory" />
            <FactTable caption="Memory at a glance" head={&["Concept", "Key fact"][..]} rows={GLANCE} />

            <section aria-labelledby="stack-h">
                <h2 id="stack-h">{ "Stacks" }</h2>
                <p>
                    { format!("Until the first collection, a new goroutine gets a {} KB stack (", STACK_MIN >> 10) }<code>{ "stackMin" }</code>
                    { " in runtime/stack.go). After that it gets what goroutines have been using: with \
                       GODEBUG=adaptivestackstart=1, which is the default (runtime1.go), the end of \
                       each mark phase sets the starting size to the average stack use it scanned plus \
                       the guard, rounded up to a power of two and never below 2 KB (" }
                    <code>{ "gcComputeStartingStackSize" }</code>
                    { "). The lab below always starts at 2 KB. When a call would overflow it, the function's \
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
                        { " with one span per span class (each size class twice, for objects with \
                           and without pointers), so most allocations take no lock at all." }
                    </li>
                    <li>
                        { "When a span fills, the mcache gets a fresh one from that span class's " }
                        <code>{ "mcentral" }</code>
                        { format!(" (there are {NUM_SPAN_CLASSES}, one per span class); when mcentral has none, it asks the ") }
                        <code>{ "mheap" }</code>{ format!(" for pages ({} KB each), and the mheap asks the OS.", PAGE_SIZE >> 10) }
                    </li>
                    <li>
                        { format!("Pointer-free objects under {TINY_SIZE} bytes go to the tiny allocator, which packs \
                           several into one {TINY_SIZE}-byte block.") }
                    </li>
                    <li>
                        { format!("Objects over {} KB skip the size classes and get their own run of pages \
                           straight from the mheap.", MAX_SMALL_SIZE >> 10) }
                    </li>
                    <li>{ size_class_waste() }</li>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glance_table_says_what_the_model_computes() {
        // The table is static text (it renders before any model runs), so
        // its numbers are checked against the model here.
        let row = |name: &str| GLANCE.iter().find(|r| r[0] == name).unwrap()[1];
        let classes: Vec<SizeClass> = size_classes().collect();
        let sizes = format!(
            "one of {} fixed sizes ({} B to {} KB)",
            classes.len(),
            classes[0].size,
            classes.last().unwrap().size >> 10
        );
        assert!(row("Size classes").contains(&sizes), "{sizes}");
        let stack = format!("{} KB before the first collection", STACK_MIN >> 10);
        assert!(row("Stack").contains(&stack), "{stack}");
    }

    #[test]
    fn the_waste_sentence_matches_sizeclasses_go() {
        // internal/runtime/gc/sizeclasses.go: class 5 (48 B) max waste
        // 31.52%, class 1 (8 B) 87.50%.
        let s = size_class_waste();
        assert!(s.contains("are 67 sizes from 8 to 32768 bytes"), "{s}");
        assert!(
            s.contains("A 33-byte object takes a 48-byte slot and loses 15 bytes"),
            "{s}"
        );
        assert!(s.contains("class 5 (48 B) waste 31.52%"), "{s}");
        assert!(s.contains("class 1 (8 B) can lose up to 87.50%"), "{s}");
        assert_eq!(NUM_SPAN_CLASSES, 136);
    }
}
