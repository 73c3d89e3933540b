//! The allocator's views: the path `mallocgc` takes for the size, the
//! facts of its plan, the size-class table, and the pieces the animation's
//! narration is made of.

use runtime_model::malloc::{malloc_source_file, AllocPath, AllocPlan, AllocRequest};
use runtime_model::sizeclasses::{class_to_size, size_classes, PAGE_SIZE, TINY_SIZE_CLASS};
use yew::prelude::*;

use crate::kit::link::go_function;

/// One row of the size-class table, with the columns of the comment at the
/// top of internal/runtime/gc/sizeclasses.go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassRow {
    pub class: u8,
    pub bytes_per_obj: u64,
    pub bytes_per_span: u64,
    pub objects: u64,
    /// Bytes at the end of a span that no object covers.
    pub tail_waste: u64,
    /// The most bytes of a span that can be lost: every object one byte
    /// bigger than the class below, plus the tail. Shown as a share of
    /// the span, like sizeclasses.go's "max waste" column.
    pub max_waste: u64,
}

/// `part / whole` as a percentage with `decimals` places, rounded half to
/// even like Go's `%.2f`; integer arithmetic keeps float formatting out of
/// the bundle.
pub fn percent(part: u64, whole: u64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let whole = whole.max(1);
    // Callers pass sizes up to 2^40, so this stays far below u64::MAX.
    let num = part.saturating_mul(scale * 100);
    let (q, r) = (num / whole, num % whole);
    let q = if 2 * r > whole || (2 * r == whole && q % 2 == 1) {
        q + 1
    } else {
        q
    };
    let (int, frac) = (q / scale, q % scale);
    if decimals == 0 {
        format!("{int}%")
    } else {
        format!("{int}.{frac:0width$}%", width = decimals as usize)
    }
}

/// The 67 classes from the model's size-class table, with the worst-case
/// waste in bytes (sizeclasses.go's "max waste" column as bytes).
pub fn class_rows() -> Vec<ClassRow> {
    size_classes()
        .map(|c| {
            let prev = if c.class > 1 {
                class_to_size(c.class - 1)
            } else {
                0
            };
            ClassRow {
                class: c.class,
                bytes_per_obj: c.size,
                bytes_per_span: c.span_bytes,
                objects: c.objects,
                tail_waste: c.tail_waste,
                max_waste: (c.size - prev - 1) * c.objects + c.tail_waste,
            }
        })
        .collect()
}

/// Where the Go function an event names lives in the Go source.
pub fn source_file(function: &str) -> Option<&'static str> {
    match function {
        f if f.starts_with("mallocgc") => Some(malloc_source_file(f)),
        "nextFreeFast" => Some("runtime/malloc.go"),
        f if f.starts_with("mcache.") => Some("runtime/mcache.go"),
        f if f.starts_with("mcentral.") => Some("runtime/mcentral.go"),
        f if f.starts_with("mheap.") => Some("runtime/mheap.go"),
        "mspan.sweep" | "sweepone" => Some("runtime/mgcsweep.go"),
        _ => None,
    }
}

/// The four paths `mallocgc` can take, the one this size takes marked
/// (none while a prediction about this size is open: `hidden`).
pub fn path_steps(plan: &AllocPlan, hidden: bool) -> Html {
    let steps = [
        (AllocPath::ZeroBase, "Size 0: no memory at all, the address of runtime.zerobase."),
        (
            AllocPath::Tiny,
            "Pointer-free and under 16 B: the tiny allocator packs it into a shared 16-byte block.",
        ),
        (
            AllocPath::Small,
            "Up to 32,760 B: rounded up to a size class and taken from the mcache's span, with no lock.",
        ),
        (
            AllocPath::Large,
            "Larger: its own run of whole 8 KB pages, straight from mheap.",
        ),
    ];
    html! {
        <ol class="alloc-path" aria-label="The paths mallocgc can take">
            { for steps.iter().map(|(path, text)| {
                let taken = !hidden && *path == plan.path;
                html! {
                    <li class={classes!(taken.then_some("taken"))} aria-current={taken.then_some("true")}>
                        <span class="path-mark">{ if taken { "✔ this one: " } else { "" } }</span>
                        { *text }
                    </li>
                }
            }) }
        </ol>
    }
}

/// A byte count in the largest unit that divides it exactly.
pub fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 && n % (1 << 30) == 0 => format!("{} GB", n >> 30),
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KB", n >> 10),
        n => format!("{n} B"),
    }
}

/// What the plan says about the size: its class, slot, header, waste.
pub fn plan_facts(plan: &AllocPlan) -> Html {
    let fact = |term: &str, value: String| {
        html! { <><dt>{ term.to_owned() }</dt><dd>{ value }</dd></> }
    };
    let pct = |part: u64, of: u64| {
        if of == 0 {
            String::new()
        } else {
            format!(" ({} of the slot)", percent(part, of, 1))
        }
    };
    let class = match plan.path {
        AllocPath::ZeroBase => "none: nothing is allocated".to_owned(),
        AllocPath::Large => "none: large objects have no class (class 0)".to_owned(),
        AllocPath::Tiny => format!(
            "{} (16-byte blocks shared by tiny objects)",
            TINY_SIZE_CLASS
        ),
        AllocPath::Small => format!(
            "{} ({} span class)",
            plan.size_class,
            if plan.noscan { "noscan" } else { "scan" }
        ),
    };
    let slot = match plan.path {
        AllocPath::ZeroBase => "0 B".to_owned(),
        AllocPath::Tiny => format!("{} B inside a 16-byte block", plan.slot),
        AllocPath::Large => format!("{} B = {} page(s) of 8 KB", plan.slot, plan.npages),
        AllocPath::Small => format!("{} B", plan.slot),
    };
    let header = if plan.header > 0 {
        format!(
            "{} B in front of the object: it has pointers and is over 512 B, so its type is kept in a header",
            plan.header
        )
    } else if plan.path == AllocPath::Small && !plan.noscan {
        "none: up to 512 B, the pointer bitmap sits at the end of the span".to_owned()
    } else {
        "none".to_owned()
    };
    let waste = match plan.path {
        AllocPath::Tiny => "0 B of its own; the block's unused bytes are shared".to_owned(),
        _ => format!("{} B{}", plan.waste, pct(plan.waste, plan.slot)),
    };
    let per_span = match plan.path {
        AllocPath::ZeroBase => "no span".to_owned(),
        AllocPath::Large => "1: the span is the object".to_owned(),
        AllocPath::Tiny => format!(
            "{} blocks of 16 B in a {}-page span",
            plan.objects_per_span, plan.npages
        ),
        AllocPath::Small => format!(
            "{} in a span of {} page(s) ({})",
            plan.objects_per_span,
            plan.npages,
            bytes(plan.npages * PAGE_SIZE)
        ),
    };
    html! {
        <dl class="plan-facts">
            <dt>{ "Go function" }</dt>
            <dd>
                { go_function(plan.go_function, Some(malloc_source_file(plan.go_function))) }
                if plan.size_specialized() {
                    { " (generated for this size class; without size specialisation, e.g. under " }
                    <code>{ "-race" }</code>{ ", it is " }
                    { go_function(plan.generic_function(), Some("runtime/malloc.go")) }
                    { ", with the same class)" }
                }
            </dd>
            { fact("Size class", class) }
            { fact("Slot size", slot) }
            { fact("Malloc header", header) }
            { fact("Rounding waste", waste) }
            { fact("Objects per span", per_span) }
            { fact("roundupsize (what append grows to)", format!("{} B", plan.usable)) }
        </dl>
    }
}

/// All 67 size classes, with the plan's class marked (none while a
/// prediction about this size is open: `hidden`).
pub fn class_table(plan: &AllocPlan, hidden: bool) -> Html {
    let marked = match plan.path {
        _ if hidden => None,
        AllocPath::Small | AllocPath::Tiny => Some(plan.size_class),
        AllocPath::ZeroBase | AllocPath::Large => None,
    };
    let caption = match marked {
        None if hidden => format!(
            "All 67 size classes (64-bit). Where {} B lands is marked once you answer the prediction below.",
            plan.size
        ),
        Some(c) => format!(
            "All 67 size classes (64-bit). Marked ▶: class {c}, where {} B lands.",
            plan.size
        ),
        None => format!(
            "All 67 size classes (64-bit). {} B uses no class, so no row is marked.",
            plan.size
        ),
    };
    html! {
        <table class="class-table">
            <caption>{ caption }</caption>
            <thead>
                <tr>
                    <th scope="col" class="num">{ "Class" }</th>
                    <th scope="col" class="num">{ "Bytes/obj" }</th>
                    <th scope="col" class="num">{ "Bytes/span" }</th>
                    <th scope="col" class="num">{ "Objects" }</th>
                    <th scope="col" class="num">{ "Tail waste" }</th>
                    <th scope="col" class="num">{ "Max waste" }</th>
                </tr>
            </thead>
            <tbody>
                { for class_rows().into_iter().map(|r| {
                    let here = marked == Some(r.class);
                    html! {
                        <tr data-class={r.class.to_string()} class={classes!(here.then_some("current"))}>
                            <th scope="row" class="num">
                                if here {
                                    <span class="row-mark" aria-hidden="true">{ "▶ " }</span>
                                    <span class="visually-hidden">{ "your size's class: " }</span>
                                }
                                { r.class }
                            </th>
                            <td class="num">{ r.bytes_per_obj }</td>
                            <td class="num">{ r.bytes_per_span }</td>
                            <td class="num">{ r.objects }</td>
                            <td class="num">{ r.tail_waste }</td>
                            <td class="num">{ percent(r.max_waste, r.bytes_per_span, 2) }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

/// A request of the run, in words.
pub fn request_text(req: &AllocRequest) -> String {
    match *req {
        AllocRequest::Gc => "GC".to_owned(),
        AllocRequest::Alloc { size, noscan, keep } => format!(
            "{size} B{}{}",
            if noscan { "" } else { " with pointers" },
            if keep { "" } else { " (dies before the GC)" }
        ),
    }
}

/// The plan in one sentence, as the summary above the table says it.
pub fn summary(plan: &AllocPlan) -> String {
    match plan.path {
        AllocPath::ZeroBase => {
            "0 B: mallocgc returns the address of zerobase; nothing is allocated.".to_owned()
        }
        AllocPath::Tiny => format!(
            "{} B without pointers: tiny allocator, packed into a 16-byte block (class 2).",
            plan.size
        ),
        AllocPath::Small => format!(
            "{} B {}: size class {}, a {} B slot, {} B wasted.",
            plan.size,
            if plan.noscan {
                "without pointers"
            } else {
                "with pointers"
            },
            plan.size_class,
            plan.slot,
            plan.waste
        ),
        AllocPath::Large => format!(
            "{} B: a large object, {} page(s) = {} B straight from mheap, {} B wasted.",
            plan.size, plan.npages, plan.slot, plan.waste
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_matches_the_comment_in_sizeclasses_go() {
        let rows = class_rows();
        assert_eq!(rows.len(), 67);
        let r = rows[0];
        assert_eq!(
            (r.bytes_per_obj, r.bytes_per_span, r.objects, r.tail_waste),
            (8, 8192, 1024, 0)
        );
        assert_eq!(percent(r.max_waste, r.bytes_per_span, 2), "87.50%");
        // "5 48 8192 170 32 31.52%"
        let r = rows[4];
        assert_eq!((r.bytes_per_obj, r.objects, r.tail_waste), (48, 170, 32));
        assert_eq!(percent(r.max_waste, r.bytes_per_span, 2), "31.52%");
        // "67 32768 32768 1 0 12.50%"
        let r = rows[66];
        assert_eq!((r.bytes_per_span, r.objects, r.tail_waste), (32768, 1, 0));
        assert_eq!(percent(r.max_waste, r.bytes_per_span, 2), "12.50%");
    }

    #[test]
    fn generated_malloc_functions_link_to_their_file() {
        assert_eq!(
            source_file("mallocgcSmallNoScanSC5"),
            Some("runtime/malloc_generated.go")
        );
        assert_eq!(
            source_file("mallocgcTinySC2"),
            Some("runtime/malloc_generated.go")
        );
        assert_eq!(
            source_file("mallocgcSmallNoscan"),
            Some("runtime/malloc.go")
        );
        assert_eq!(source_file("nextFreeFast"), Some("runtime/malloc.go"));
    }

    #[test]
    fn percentages_round_half_to_even() {
        assert_eq!(percent(15, 48, 1), "31.2%");
        assert_eq!(percent(1, 8, 2), "12.50%");
        assert_eq!(percent(1, 8, 1), "12.5%");
        assert_eq!(percent(1, 16, 2), "6.25%");
        assert_eq!(percent(1, 1600, 1), "0.1%");
        assert_eq!(percent(5, 1000, 0), "0%");
        assert_eq!(percent(15, 1000, 0), "2%");
        assert_eq!(percent(3, 3, 2), "100.00%");
    }
}
