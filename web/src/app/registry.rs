//! The one list of pages and widgets. Navigation, routes, `embed/<widget>`,
//! typed links and the mount-everything tests all read these two tables, so
//! a new widget is a folder under `widgets/` plus one entry here.
//!
//! Pages mount their widgets through [`mount`], inside an element whose id
//! is the widget's slug: that is where a link to the widget lands, and
//! where the wasm mounts the live widget into the static page (an island,
//! see [`super::islands`]).
//!
//! The pages' table exists only with the `pages` feature (the build-time
//! renderer and the tests): the release wasm carries the widgets alone.

// A lean build (one embed's widgets) leaves some helpers below unused.
#![cfg_attr(not(feature = "all-widgets"), allow(dead_code, unused_imports))]

use yew::prelude::*;

use super::links;
#[cfg(feature = "pages")]
use super::pages;
use crate::kit::query::{Key, Params};
use crate::widgets;

/// A page of the site, one per part of the reference.
#[cfg(feature = "pages")]
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
    /// The URL keys the widget reads (its `Params::KEYS`); two widgets on
    /// one page never share one.
    pub keys: &'static [Key],
    /// What the widget says of a query string: the notices its `Params`
    /// give (none when it reads every value).
    pub notices: fn(&str) -> Vec<String>,
    /// The live widget, given its island's data (see [`island_data`]).
    pub view: fn(&str) -> Html,
}

/// The keys of a widget's `Params`.
const fn keys<P: Params>() -> &'static [Key] {
    P::KEYS
}

/// The notices a widget's `Params` give for a query string.
fn notices<P: Params>(query: &str) -> Vec<String> {
    crate::kit::query::decode::<P>(query).notices
}

/// For widgets without URL state.
fn no_notices(_: &str) -> Vec<String> {
    Vec::new()
}

/// Keys the embed frame reads for itself (`kit::host`): no widget may use
/// them.
pub const HOST_KEYS: [&str; 2] = ["origin", "frame"];

#[cfg(feature = "pages")]
impl Page {
    /// The page's address: `/` for the overview, else `/<slug>`.
    pub fn path(&self) -> String {
        format!("/{}", self.slug)
    }
}

#[cfg(feature = "pages")]
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
        summary: "Five common symptoms, the mechanism behind each, your own program's GC and scheduler logs, and the recurring traps.",
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
    #[cfg(feature = "widget-scheduler")]
    Widget {
        slug: "scheduler",
        title: "The G-M-P scheduler, step by step",
        page: "scheduler",
        keys: keys::<widgets::scheduler::state::Params>(),
        notices: notices::<widgets::scheduler::state::Params>,
        view: |_| html! { <widgets::scheduler::SchedulerWidget /> },
    },
    #[cfg(feature = "widget-allocator")]
    Widget {
        slug: "allocator",
        title: "The allocator: size classes and mcache, mcentral, mheap",
        page: "memory",
        keys: keys::<widgets::allocator::state::Params>(),
        notices: notices::<widgets::allocator::state::Params>,
        view: |_| html! { <widgets::allocator::Allocator /> },
    },
    #[cfg(feature = "widget-big-picture")]
    Widget {
        slug: "big-picture",
        title: "The big picture",
        page: "",
        keys: &[],
        notices: no_notices,
        view: |_| html! { <widgets::big_picture::BigPicture /> },
    },
    #[cfg(feature = "widget-gc-marking")]
    Widget {
        slug: "gc-marking",
        title: "Tricolor marking and the write barrier",
        page: "gc",
        keys: keys::<widgets::gc_marking::state::Params>(),
        notices: notices::<widgets::gc_marking::state::Params>,
        view: |_| html! { <widgets::gc_marking::GcMarkWidget /> },
    },
    #[cfg(feature = "widget-gc-pacer")]
    Widget {
        slug: "gc-pacer",
        title: "The GC pacer under GOGC and GOMEMLIMIT",
        page: "gc",
        keys: keys::<widgets::gc_pacer::state::Params>(),
        notices: notices::<widgets::gc_pacer::state::Params>,
        view: |_| html! { <widgets::gc_pacer::GcPacerWidget /> },
    },
    #[cfg(feature = "widget-build-explorer")]
    Widget {
        slug: "build-explorer",
        title: "Build explorer: what the flags do to a Go binary",
        page: "knobs",
        keys: keys::<widgets::build_explorer::state::Params>(),
        notices: notices::<widgets::build_explorer::state::Params>,
        view: |_| html! { <widgets::build_explorer::BuildExplorer /> },
    },
    #[cfg(feature = "widget-escape")]
    Widget {
        slug: "escape",
        title: "Escape analysis: what -gcflags=-m says and why",
        page: "memory",
        keys: keys::<widgets::escape::state::Params>(),
        notices: notices::<widgets::escape::state::Params>,
        view: |_| html! { <widgets::escape::EscapeCatalogue /> },
    },
    #[cfg(feature = "widget-interfaces")]
    Widget {
        slug: "interfaces",
        title: "Interfaces: the two words, line by line",
        page: "values",
        keys: keys::<widgets::interfaces::state::Params>(),
        notices: notices::<widgets::interfaces::state::Params>,
        view: |_| html! { <widgets::interfaces::IfaceExplainer /> },
    },
    #[cfg(feature = "widget-quiz")]
    Widget {
        slug: "quiz",
        title: "Quiz: the Go runtime in five questions",
        page: "quiz",
        keys: &[],
        notices: no_notices,
        view: |data| html! { <widgets::quiz::QuizWidget see={links::from_lines(data)} /> },
    },
    #[cfg(feature = "widget-layout-lab")]
    Widget {
        slug: "layout-lab",
        title: "Struct layout lab",
        page: "values",
        keys: keys::<widgets::layout_lab::state::Params>(),
        notices: notices::<widgets::layout_lab::state::Params>,
        view: |_| {
            let alloc_link = Callback::from(|(size, pointers)| links::allocator(size, pointers));
            html! { <widgets::layout_lab::LayoutLab alloc_link={Some(alloc_link)} /> }
        },
    },
    #[cfg(feature = "widget-logs")]
    Widget {
        slug: "logs",
        title: "Paste your program's log",
        page: "diagnose",
        keys: keys::<widgets::logs::state::Params>(),
        notices: notices::<widgets::logs::state::Params>,
        view: |_| html! { <widgets::logs::LogsWidget /> },
    },
    #[cfg(feature = "widget-stack")]
    Widget {
        slug: "stack",
        title: "A goroutine stack grows and shrinks",
        page: "memory",
        keys: keys::<widgets::stack::state::Params>(),
        notices: notices::<widgets::stack::state::Params>,
        view: |_| html! { <widgets::stack::StackGrowth /> },
    },
    #[cfg(feature = "widget-trace")]
    Widget {
        slug: "trace",
        title: "Your program: a real trace on the lanes",
        page: "scheduler",
        keys: keys::<widgets::trace::state::Params>(),
        notices: notices::<widgets::trace::state::Params>,
        view: |_| html! { <widgets::trace::TraceWidget /> },
    },
    #[cfg(feature = "widget-traps")]
    Widget {
        slug: "traps",
        title: "The recurring traps: good idea or trap?",
        page: "diagnose",
        keys: &[],
        notices: no_notices,
        view: |_| html! { <widgets::traps::Traps /> },
    },
    #[cfg(feature = "widget-value-table")]
    Widget {
        slug: "value-table",
        title: "Value representation by GOARCH",
        page: "values",
        keys: keys::<widgets::value_table::state::Params>(),
        notices: notices::<widgets::value_table::state::Params>,
        view: |_| html! { <widgets::value_table::ValueTable /> },
    },
];

/// The page with this slug (`""` is the overview).
#[cfg(feature = "pages")]
pub fn page(slug: &str) -> Option<&'static Page> {
    PAGES.iter().find(|p| p.slug == slug)
}

/// The widget with this slug.
pub fn widget(slug: &str) -> Option<&'static Widget> {
    WIDGETS.iter().find(|w| w.slug == slug)
}

/// What the app tells a live widget, written into its island's
/// `data-island` at build time, so that the wasm of that widget need not
/// carry what it takes to make it: the quiz's "see it" links, built from
/// four other widgets' `Params`, as one address per line.
#[cfg(feature = "pages")]
pub fn island_data(slug: &str) -> String {
    match slug {
        "quiz" => links::to_lines(&links::quiz_see()),
        _ => String::new(),
    }
}

/// The address of a widget alone, for an iframe.
pub fn embed_path(slug: &str) -> String {
    format!("/embed/{slug}")
}

/// A widget on its page: inside an element whose id is its slug, so that a
/// link to the widget lands on it (focusable, for keyboard users), and
/// that names the widget for the wasm to mount (`data-gopherscope`).
///
/// Rendered at build time, the widget inside is its first frame at the
/// default settings: a still of the right size that the live widget
/// replaces (it cannot be used, so it is `inert`).
#[cfg(feature = "pages")]
pub fn mount(slug: &str) -> Html {
    let Some(w) = widget(slug) else {
        return html! {};
    };
    let data = island_data(w.slug);
    let attr = (!data.is_empty()).then(|| data.clone());
    html! {
        <div id={w.slug} class="widget-host" tabindex="-1" aria-label={w.title} data-gopherscope={w.slug} data-island={attr}>
            <noscript>
                <p class="startup-error">{ "This live widget needs JavaScript and WebAssembly; what you see is its first frame." }</p>
            </noscript>
            <div class="widget-still" inert=true>{ (w.view)(&data) }</div>
        </div>
    }
}

#[cfg(all(test, feature = "pages"))]
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
    fn two_widgets_on_one_page_never_share_a_key() {
        for page in PAGES {
            let mut seen: Vec<(&str, &str)> =
                HOST_KEYS.iter().map(|k| (*k, "the embed frame")).collect();
            seen.push((crate::kit::motion::KEY, "the motion toggle"));
            for w in WIDGETS.iter().filter(|w| w.page == page.slug) {
                for key in w.keys {
                    if let Some((_, other)) = seen.iter().find(|(k, _)| *k == key.name) {
                        panic!(
                            "on /{}: {} and {other} both read {:?}",
                            page.slug, w.slug, key.name
                        );
                    }
                    seen.push((key.name, w.slug));
                }
            }
        }
    }

    #[test]
    fn every_widget_lives_on_a_page() {
        for w in WIDGETS {
            assert!(page(w.page).is_some(), "{} names page {:?}", w.slug, w.page);
        }
    }
}
