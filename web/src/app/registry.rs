//! The one list of pages and widgets. Navigation, routes, `embed/<widget>`
//! and the mount-everything tests all read these two tables, so adding an
//! entry here is all it takes to put it on the site.

use yew::prelude::*;

use super::pages;
use crate::widgets;

/// A page of the site, one per part of the reference.
#[derive(Debug)]
pub struct Page {
    /// The URL path segment; empty for the overview at `/`.
    pub slug: &'static str,
    /// The short name in the navigation.
    pub nav: &'static str,
    /// The page's heading and document title.
    pub title: &'static str,
    /// One sentence for the overview's list of pages.
    pub summary: &'static str,
    pub view: fn() -> Html,
}

/// A live piece a course author can embed at `embed/<slug>`.
#[derive(Debug)]
pub struct Widget {
    pub slug: &'static str,
    pub title: &'static str,
    /// The slug of the page that hosts the widget.
    pub page: &'static str,
    pub view: fn() -> Html,
}

pub const PAGES: &[Page] = &[
    Page {
        slug: "",
        nav: "Overview",
        title: "The Go runtime at a glance",
        summary: "How the pieces fit, from your source to the CPUs.",
        view: || html! { <pages::overview::Overview /> },
    },
    Page {
        slug: "scheduler",
        nav: "Scheduler",
        title: "The scheduler",
        summary: "Goroutines, threads and processors (G, M, P), sysmon and preemption.",
        view: || html! { <pages::scheduler::Scheduler /> },
    },
    Page {
        slug: "memory",
        nav: "Memory",
        title: "Memory: stacks, heap and the allocator",
        summary: "Where values live, who decides, and how the allocator hands out bytes.",
        view: || html! { <pages::memory::Memory /> },
    },
    Page {
        slug: "gc",
        nav: "Garbage collector",
        title: "The garbage collector",
        summary: "Concurrent tricolor mark and sweep, write barriers, and the pacer.",
        view: || html! { <pages::gc::Gc /> },
    },
    Page {
        slug: "values",
        nav: "Values",
        title: "Values in memory",
        summary: "Sizes, alignment, struct padding and the two words of an interface.",
        view: || html! { <pages::values::Values /> },
    },
    Page {
        slug: "knobs",
        nav: "Knobs & toolchain",
        title: "Knobs and the toolchain",
        summary: "Environment variables and build flags that steer the runtime, and the tools that look inside.",
        view: || html! { <pages::knobs::Knobs /> },
    },
    Page {
        slug: "diagnose",
        nav: "Diagnose",
        title: "From symptom to fix",
        summary: "Five common symptoms, the mechanism behind each, and the recurring traps.",
        view: || html! { <pages::diagnose::Diagnose /> },
    },
    Page {
        slug: "quiz",
        nav: "Quiz",
        title: "Check your understanding",
        summary: "Five questions that tie the track together.",
        view: || html! { <pages::quiz::Quiz /> },
    },
];

pub const WIDGETS: &[Widget] = &[
    Widget {
        slug: "scheduler",
        title: "The G-M-P scheduler, step by step",
        page: "scheduler",
        view: || html! { <widgets::scheduler::SchedulerWidget /> },
    },
    Widget {
        slug: "allocator",
        title: "The allocator: size classes and mcache, mcentral, mheap",
        page: "memory",
        view: || html! { <widgets::allocator::Allocator /> },
    },
    Widget {
        slug: "big-picture",
        title: "The big picture",
        page: "",
        view: || html! { <widgets::big_picture::BigPicture /> },
    },
    Widget {
        slug: "gc-marking",
        title: "Tricolor marking and the write barrier",
        page: "gc",
        view: || html! { <widgets::gc_marking::GcMarkWidget /> },
    },
    Widget {
        slug: "gc-pacer",
        title: "The GC pacer under GOGC and GOMEMLIMIT",
        page: "gc",
        view: || html! { <widgets::gc_pacer::GcPacerWidget /> },
    },
    Widget {
        slug: "build-explorer",
        title: "Build explorer: what the flags do to a Go binary",
        page: "knobs",
        view: || html! { <widgets::build_explorer::BuildExplorer /> },
    },
    Widget {
        slug: "escape",
        title: "Escape analysis: what -gcflags=-m says and why",
        page: "memory",
        view: || html! { <widgets::escape::EscapeCatalogue /> },
    },
    Widget {
        slug: "interfaces",
        title: "Interfaces: the two words, line by line",
        page: "values",
        view: || html! { <widgets::interfaces::IfaceExplainer /> },
    },
    Widget {
        slug: "quiz",
        title: "Quiz: the Go runtime in five questions",
        page: "quiz",
        view: || html! { <widgets::quiz::QuizWidget /> },
    },
    Widget {
        slug: "layout-lab",
        title: "Struct layout lab",
        page: "values",
        view: || html! { <widgets::layout_lab::LayoutLab /> },
    },
    Widget {
        slug: "stack",
        title: "A goroutine stack grows and shrinks",
        page: "memory",
        view: || html! { <widgets::stack::StackGrowth /> },
    },
    Widget {
        slug: "value-table",
        title: "Value representation by GOARCH",
        page: "values",
        view: || html! { <widgets::value_table::ValueTable /> },
    },
];

/// The page with this slug (`""` is the overview).
pub fn page(slug: &str) -> Option<&'static Page> {
    PAGES.iter().find(|p| p.slug == slug)
}

/// The widget with this slug.
pub fn widget(slug: &str) -> Option<&'static Widget> {
    WIDGETS.iter().find(|w| w.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_unique_and_url_safe(slugs: &[&str]) {
        for (i, a) in slugs.iter().enumerate() {
            assert!(
                a.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{a:?}"
            );
            assert!(!slugs[i + 1..].contains(a), "duplicate slug {a:?}");
        }
    }

    #[test]
    fn slugs_are_unique_and_url_safe() {
        // Pages live at /<slug>, widgets at /embed/<slug>: two namespaces.
        assert_unique_and_url_safe(&PAGES.iter().map(|p| p.slug).collect::<Vec<_>>());
        assert_unique_and_url_safe(&WIDGETS.iter().map(|w| w.slug).collect::<Vec<_>>());
        // "embed" and "not-found" are routes of their own.
        assert!(page("embed").is_none() && page("not-found").is_none());
    }

    #[test]
    fn every_widget_lives_on_a_page() {
        for w in WIDGETS {
            assert!(page(w.page).is_some(), "{} names page {:?}", w.slug, w.page);
        }
    }
}
