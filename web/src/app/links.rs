//! Typed links to widgets: each is built from the target widget's `Params`,
//! so it carries only keys the target reads, and it lands on the widget on
//! its page (the element whose id is the widget's slug; see
//! [`registry::mount`]).
//!
//! [`registered`] lists every link the site's pages and widgets offer (the
//! knobs' "Try it", the diagnose scenarios, the quiz's "see it", the
//! overview); the tests walk it.
//!
//! The pages use most of these builders, and the release wasm carries no
//! pages (only the widgets' own links, [`quiz_see`] and [`allocator`]), so
//! without the `pages` feature the others go unused.
#![cfg_attr(not(feature = "pages"), allow(dead_code, unused_imports))]

use std::rc::Rc;

#[cfg(feature = "pages")]
use super::pages::{diagnose, knobs};
use super::registry;
#[cfg(feature = "pages")]
use super::registry::PAGES;
use crate::kit::link::Link;
use crate::kit::query::{self, Choices, OneOf, Params, Whole};
use crate::widgets::{
    allocator, big_picture, build_explorer, escape, gc_pacer, interfaces, layout_lab, scheduler,
    value_table,
};

/// A link that opens `P`'s widget on its page, set up by `params`.
pub fn widget<P: Params>(params: &P) -> Link {
    let page = registry::widget(P::WIDGET).map_or("", |w| w.page);
    Link {
        path: format!("/{page}"),
        query: query::to_query(params),
        anchor: P::WIDGET.to_owned(),
    }
}

/// The name `name` of `C`. Links are written in the source, so an unknown
/// name is a mistake in it; the tests open every link.
pub fn named<C: Choices>(name: &str) -> OneOf<C> {
    OneOf::new(name).unwrap_or_else(|| panic!("{name:?} is not one of {}", C::allowed()))
}

/// The scheduler on `preset`, with `f` applied.
pub fn scheduler(preset: &str, f: fn(&mut scheduler::state::Params)) -> Link {
    let mut p = scheduler::state::Params {
        preset: named(preset),
        ..Default::default()
    };
    f(&mut p);
    widget(&p)
}

/// The pacer with the gctrace lines open, a `GOGC` and perhaps a
/// `GOMEMLIMIT`, both in Go's own syntax.
pub fn pacer(gogc: &str, gomemlimit: Option<&str>) -> Link {
    widget(&gc_pacer::state::Params {
        gogc: gc_pacer::state::Gogc::new(gogc).ok(),
        gomemlimit: gomemlimit.and_then(|l| gc_pacer::state::MemoryLimit::new(l).ok()),
        gctrace: true,
        ..Default::default()
    })
}

/// The pacer's default workload with its gctrace lines open.
pub fn pacer_gctrace() -> Link {
    widget(&gc_pacer::state::Params {
        gctrace: true,
        ..Default::default()
    })
}

/// The pacer on `workload`, with `f` applied.
pub fn pacer_workload(workload: &str, f: fn(&mut gc_pacer::state::Params)) -> Link {
    let mut p = gc_pacer::state::Params {
        workload: (workload != gc_pacer::state::Workloads::DEFAULT).then(|| named(workload)),
        ..Default::default()
    };
    f(&mut p);
    widget(&p)
}

/// The escape catalogue on the case `name`.
pub fn escape(name: &str) -> Link {
    widget(&escape::state::Params {
        escape: named(name),
        ..Default::default()
    })
}

/// The build explorer on `program`, with `f` applied.
pub fn build(program: &str, f: fn(&mut build_explorer::state::Params)) -> Link {
    let mut p = build_explorer::state::Params {
        program: named(program),
        ..Default::default()
    };
    f(&mut p);
    widget(&p)
}

/// The value table for `goarch`.
pub fn value_table(goarch: &str) -> Link {
    widget(&value_table::state::Params {
        goarch: named(goarch),
    })
}

/// The layout lab on `src`, showing its first type.
pub fn layout(src: &str) -> Link {
    widget(&layout_lab::state::Params {
        src: Some(src.to_owned()),
        goarch: Some(named("amd64")),
        ..Default::default()
    })
}

/// The interfaces explainer on the snippet `name`.
pub fn interfaces(name: &str) -> Link {
    widget(&interfaces::state::Params {
        snippet: named(name),
        ..Default::default()
    })
}

/// The allocator for an object of `size` bytes, with or without pointers:
/// where the layout lab sends a type's size.
pub fn allocator(size: u64, pointers: bool) -> Link {
    widget(&allocator::state::Params {
        size: Whole(size.min(allocator::state::SIZE_LIMIT)),
        pointers,
        ..Default::default()
    })
}

/// The quiz's "see it" links, in question order: each opens the widget
/// that shows the question's answer.
pub fn quiz_see() -> Rc<Vec<Link>> {
    Rc::new(vec![
        pacer_workload("steady", |p| p.gctrace = true),
        layout("type T struct {\n\ta bool\n\tb int64\n\tc bool\n}\n"),
        pacer("off", Some("512MiB")),
        interfaces("typed-nil"),
        build("netserver", |p| {
            p.cgo = Some(false);
            p.strip = true;
        }),
    ])
}

/// Links as one address per line, for an island's data.
pub fn to_lines(links: &[Link]) -> String {
    links.iter().map(Link::href).collect::<Vec<_>>().join("\n")
}

/// The links of [`to_lines`] back; an empty text gives none.
pub fn from_lines(text: &str) -> Rc<Vec<Link>> {
    Rc::new(
        text.lines()
            .filter(|l| !l.is_empty())
            .map(Link::parse)
            .collect(),
    )
}

/// A link the site offers, and where it is offered.
#[cfg(feature = "pages")]
#[derive(Debug)]
pub struct Registered {
    pub from: String,
    pub link: Link,
}

/// Every link the pages offer into the site: the knobs' "Try it", the
/// diagnose scenarios (problem and fix), the quiz's "see it", the
/// overview's list of pages and the big picture's nodes.
#[cfg(feature = "pages")]
pub fn registered() -> Vec<Registered> {
    let mut all = Vec::new();
    let mut add = |from: String, link: Link| all.push(Registered { from, link });
    for k in knobs::KNOBS {
        for t in (k.try_it)() {
            add(format!("knobs: {}: {}", k.name, t.label), t.to);
        }
    }
    for g in diagnose::GUIDES {
        add(
            format!("diagnose: {} (the problem)", g.symptom),
            (g.problem)(),
        );
        add(format!("diagnose: {} (the fix)", g.symptom), (g.fix)());
    }
    for (i, link) in quiz_see().iter().enumerate() {
        add(format!("quiz: question {} see it", i + 1), link.clone());
    }
    for p in PAGES {
        add(format!("overview: page {}", p.nav), Link::page(&p.path()));
    }
    for page in big_picture::draw::pages() {
        add(format!("big picture: {page}"), Link::page(page));
    }
    all
}

#[cfg(all(test, feature = "pages"))]
mod tests {
    use super::*;

    #[test]
    fn every_registered_link_is_read_by_its_target_with_no_notice() {
        let all = registered();
        assert!(all.len() >= 30, "{}", all.len());
        for r in all {
            let page = r.link.path.trim_start_matches('/');
            assert!(
                registry::page(page).is_some(),
                "{}: no page {}",
                r.from,
                r.link.path
            );
            match registry::widget(&r.link.anchor) {
                Some(w) => {
                    assert_eq!(
                        w.page, page,
                        "{}: {} is not on {}",
                        r.from, w.slug, r.link.path
                    );
                    let notices = (w.notices)(&r.link.query);
                    assert!(
                        notices.is_empty(),
                        "{}: {}: {notices:?}",
                        r.from,
                        r.link.href()
                    );
                    for (key, _) in query::pairs(&r.link.query) {
                        assert!(
                            w.keys.iter().any(|k| k.name == key),
                            "{}: {key} is not read by {}",
                            r.from,
                            w.slug
                        );
                    }
                }
                None => assert!(
                    r.link.query.is_empty()
                        && ["", "tool-compile"].contains(&r.link.anchor.as_str()),
                    "{}: {} lands on no widget",
                    r.from,
                    r.link.href()
                ),
            }
        }
    }

    #[test]
    fn the_quiz_links_survive_the_trip_through_the_page() {
        let see = quiz_see();
        assert_eq!(*from_lines(&to_lines(&see)), *see);
        assert!(from_lines("").is_empty());
    }

    #[test]
    fn the_knobs_escape_link_opens_the_escape_widget_on_its_case() {
        // It used to say snippet=return-address, which the escape widget
        // does not read.
        let link = escape("return-address");
        assert_eq!(link.href(), "/memory#escape");
        let link = escape("pass-down");
        assert_eq!(link.href(), "/memory?escape=pass-down#escape");
        let knob = knobs::KNOBS
            .iter()
            .find(|k| k.id == "gcflags-m")
            .map(|k| (k.try_it)());
        let links: Vec<String> = knob.into_iter().flatten().map(|t| t.to.href()).collect();
        assert_eq!(
            links,
            ["/memory#escape"],
            "return-address is the catalogue's default"
        );
    }

    #[test]
    fn the_gctrace_links_open_the_pacer_with_its_trace() {
        let link = pacer("off", Some("512MiB"));
        assert_eq!(
            link.href(),
            "/gc?gogc=off&gomemlimit=512MiB&gctrace=1#gc-pacer"
        );
        let p = query::decode::<gc_pacer::state::Params>(&link.query);
        assert!(p.params.gctrace && p.notices.is_empty());
    }
}
