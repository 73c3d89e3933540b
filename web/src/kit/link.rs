//! Links: one type for a place on the site (a page, or a widget on its page
//! set up by its `Params`), and links into the pinned Go source.
//!
//! The kit does not know which page hosts which widget: the app layer
//! builds widget links (it has the registry) and provides a [`Navigate`]
//! context so that a plain click moves within the app instead of loading
//! the page again. Every link is still a real `<a href>`, so it opens in a
//! new tab and works before, or without, the app.

use yew::prelude::*;

/// A place on the site: a path, a query the widget there reads, and the id
/// of the element to bring into view and focus.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    /// A site path: `/`, `/gc`.
    pub path: String,
    /// Without `?`; empty for none.
    pub query: String,
    /// An element id, without `#`; empty for the top of the page.
    pub anchor: String,
}

impl Link {
    /// The top of a page.
    pub fn page(path: &str) -> Link {
        Link {
            path: path.to_owned(),
            ..Link::default()
        }
    }

    /// The same link, landing on the element `anchor`.
    pub fn at(mut self, anchor: &str) -> Link {
        anchor.clone_into(&mut self.anchor);
        self
    }

    /// The link an [`Link::href`] wrote (`/gc?workload=leak#gc-pacer`).
    pub fn parse(href: &str) -> Link {
        let (rest, anchor) = href.split_once('#').unwrap_or((href, ""));
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        Link {
            path: path.to_owned(),
            query: query.to_owned(),
            anchor: anchor.to_owned(),
        }
    }

    pub fn href(&self) -> String {
        let mut href = self.path.clone();
        if !self.query.is_empty() {
            href.push('?');
            href.push_str(&self.query);
        }
        if !self.anchor.is_empty() {
            href.push('#');
            href.push_str(&self.anchor);
        }
        href
    }
}

/// Where a `#anchor` link lands: the app moves there without a reload.
#[derive(Clone, PartialEq)]
pub struct Navigate(pub Callback<Link>);

#[derive(Properties, PartialEq)]
pub struct SiteLinkProps {
    pub to: Link,
    #[prop_or_default]
    pub class: Classes,
    /// Marks the current page with `aria-current`, not only with colour.
    #[prop_or_default]
    pub current: bool,
    pub children: Html,
}

/// The click handler of a link to `to`: a plain left click moves within
/// the app (when it provides [`Navigate`]); any other click, or no app, is
/// left to the browser. For anchors that cannot be a [`SiteLink`], such as
/// an SVG `<a>`.
pub fn follow(navigate: Option<Navigate>, to: Link) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        let modified = e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key();
        if let (false, 0, Some(Navigate(nav))) = (modified, e.button(), navigate.as_ref()) {
            e.prevent_default();
            nav.emit(to.clone());
        }
    })
}

/// A real `<a href>` that, on a plain left click, navigates in the app and
/// lands on the link's anchor, scrolled into view with focus on it.
#[function_component(SiteLink)]
pub fn site_link(props: &SiteLinkProps) -> Html {
    let onclick = follow(use_context::<Navigate>(), props.to.clone());
    let mut class = props.class.clone();
    if props.current {
        class.push("current");
    }
    html! {
        <a href={props.to.href()} {onclick} {class} aria-current={props.current.then_some("page")}>
            { props.children.clone() }
        </a>
    }
}

/// Scrolls the element with this id into view and focuses it, after the
/// re-render that a navigation starts. Elements that are not focusable by
/// nature get `tabindex="-1"` first.
pub fn bring_into_view(id: String) {
    yew::platform::spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_millis(0)).await;
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id));
        if let Some(el) = el {
            if !el.has_attribute("tabindex") {
                el.set_attribute("tabindex", "-1").ok();
            }
            el.scroll_into_view();
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                el.focus().ok();
            }
        }
    });
}

/// The Go release whose source the links open.
pub const GO_SOURCE_TAG: &str = "go1.27.3";

/// A link to `file` (such as `runtime/proc.go`) in the Go 1.27 source.
pub fn go_source(file: &str) -> String {
    format!("https://cs.opensource.google/go/go/+/refs/tags/{GO_SOURCE_TAG}:src/{file}")
}

/// The line `function` (a name such as `mallocgc`, or a method as
/// `mcache.refill` or as Go spells it, `sync.(*Mutex).Lock`) starts on in
/// `file`, from the table generated from the pinned GOROOT
/// ([`super::go_lines`]).
pub fn go_line(file: &str, function: &str) -> Option<u32> {
    let (receiver, method) = table_name(function);
    super::go_lines::GO_LINES
        .iter()
        .find(|(f, name, _)| {
            *f == file
                && match receiver {
                    Some(r) => name.split_once('.') == Some((r, method)),
                    None => *name == method,
                }
        })
        .map(|&(_, _, line)| line)
}

/// A function's name as the line table spells it: a method Go writes
/// `sync.(*Mutex).Lock` or `(*timers).run` is (`Some("Mutex")`, `"Lock"`),
/// as is `Mutex.Lock`; a plain function is (`None`, its name).
fn table_name(function: &str) -> (Option<&str>, &str) {
    match function.rsplit_once(").") {
        Some((receiver, method)) => {
            let ty = receiver.rsplit('(').next().unwrap_or(receiver);
            (Some(ty.trim_start_matches('*')), method)
        }
        None => match function.split_once('.') {
            Some((ty, method)) => (Some(ty), method),
            None => (None, function),
        },
    }
}

/// A link to `function` in `file` of the Go 1.27 source: to the line it
/// starts on when the table has it, else to the top of the file.
pub fn go_function_source(file: &str, function: &str) -> String {
    match go_line(file, function) {
        Some(line) => format!("{};l={line}", go_source(file)),
        None => go_source(file),
    }
}

/// A Go function's name, linked to where it starts in the Go source when
/// the file is known (to the top of the file for a name the line table
/// does not have, such as a description of a barrier-free write).
pub fn go_function(function: &str, file: Option<&str>) -> Html {
    match file {
        Some(file) => html! {
            <a href={go_function_source(file, function)} target="_blank" rel="noopener">
                <code>{ function.to_owned() }</code>{ format!(" ({file})") }
            </a>
        },
        None if !function.is_empty() => html! { <code>{ function.to_owned() }</code> },
        None => html! {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_writes_its_query_and_anchor() {
        let l = Link {
            path: "/gc".into(),
            query: "workload=leak".into(),
            anchor: String::new(),
        }
        .at("gc-pacer");
        assert_eq!(l.href(), "/gc?workload=leak#gc-pacer");
        assert_eq!(Link::page("/").href(), "/");
    }

    /// Every Go function the site links with [`go_function`] that the
    /// models name, as (file, function); the file is `None` where the
    /// widget, not the model, picks it.
    fn cited() -> Vec<(Option<&'static str>, &'static str)> {
        use runtime_model::gc::barrier::BarrierMode;
        use runtime_model::gc::presets::mark_presets;
        use runtime_model::malloc::{malloc_source_file, plan_alloc, AllocSim};
        use runtime_model::stack::StackSim;
        let mut out = Vec::new();
        for preset in mark_presets() {
            for barrier in BarrierMode::ALL {
                let mut sim = preset.build(barrier, 1);
                for e in sim.run_until(2_000) {
                    out.push((Some(e.go_file), e.go_function));
                }
            }
        }
        for size in (0..=40_000).step_by(8).chain(1..16) {
            for noscan in [false, true] {
                let plan = plan_alloc(size, noscan);
                out.push((Some(malloc_source_file(plan.go_function)), plan.go_function));
                out.push((Some("runtime/malloc.go"), plan.generic_function()));
            }
        }
        for (size, noscan) in [(8, true), (24, false), (1024, true), (40_000, false)] {
            let mut sim = AllocSim::scenario_fill_spans(size, noscan, 600, 3);
            out.extend(sim.run().iter().map(|e| (None, e.go_function)));
        }
        let mut stack = StackSim::recursion(2048, 512, 40, 3);
        out.extend(
            stack
                .run()
                .iter()
                .filter(|e| !e.go_function.is_empty())
                .map(|e| (Some("runtime/stack.go"), e.go_function)),
        );
        out.push((Some("runtime/stack.go"), "copystack"));
        for kind in sched_kinds() {
            out.push((Some(kind.go_file()), kind.go_func()));
            out.extend(kind.called_from().iter().map(|&(f, file)| (Some(file), f)));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every kind of scheduler event, one of each shape the narration can
    /// cite (each [`Source`], each wait reason, each sync op the model
    /// emits), and every event the presets produce.
    ///
    /// [`Source`]: runtime_model::sched::Source
    fn sched_kinds() -> Vec<runtime_model::sched::EventKind> {
        use runtime_model::sched::presets::PRESETS;
        use runtime_model::sched::{EventKind as K, Sim, Source as S, WaitReason as W};
        let sources = [
            S::Runnext,
            S::LocalRunq,
            S::GlobalFairness,
            S::GlobalBatch(2),
            S::Netpoll,
            S::Steal { victim: 0, n: 2 },
            S::StealRunnext { victim: 0 },
        ];
        let reasons = [
            W::Zero,
            W::IoWait,
            W::Sleep,
            W::ChanReceive,
            W::SyncMutexLock,
            W::SyncWaitGroupWait,
            W::ForceGCIdle,
            W::UpdateGOMAXPROCSIdle,
            W::GCSweepWait,
            W::GCScavengeWait,
        ];
        let ops = [
            "chanrecv",
            "chansend",
            "sync.(*Mutex).Lock",
            "sync.(*Mutex).Unlock",
            "sync.(*WaitGroup).Add",
            "sync.(*WaitGroup).Done",
            "sync.(*WaitGroup).Wait",
        ];
        let mut kinds = vec![
            K::Start,
            K::Newproc { parent: 0 },
            K::RunnextKicked,
            K::Runqputslow { n: 1 },
            K::Compute { ns: 1 },
            K::Gosched,
            K::Ready { by: None },
            K::TimerFired,
            K::Entersyscall { ns: 1 },
            K::Entersyscallblock { ns: 1 },
            K::ExitsyscallFast,
            K::ExitsyscallTryGetP { old: true },
            K::ExitsyscallNoP,
            K::Retake {
                why: runtime_model::sched::RetakeWhy::Work,
            },
            K::Retake {
                why: runtime_model::sched::RetakeWhy::Long,
            },
            K::Retake {
                why: runtime_model::sched::RetakeWhy::TimeSlice,
            },
            K::Handoffp { started: true },
            K::Startm {
                spinning: true,
                created: true,
            },
            K::NeedSpinning,
            K::Spinning,
            K::Stopm,
            K::NetpollBlock,
            K::Netpoll { n: 1 },
            K::Injectglist { n: 1, global: 0 },
            K::SysmonTick { delay_us: 20 },
            K::AsyncPreempt,
            K::PreemptRequest,
            K::Preempted,
            K::Procresize { old: 1, new: 2 },
            K::Goexit,
            K::Schedtrace,
            K::Exit,
            K::Deadlock,
        ];
        kinds.extend(sources.map(|source| K::Execute {
            source,
            inherit: false,
        }));
        kinds.extend(reasons.map(|reason| K::Park { reason }));
        kinds.extend(ops.map(|op| K::SyncOp { op }));
        for kind in &kinds {
            // A new kind of event fails to compile here until it is listed
            // above.
            match kind {
                K::Start
                | K::Execute { .. }
                | K::Newproc { .. }
                | K::RunnextKicked
                | K::Runqputslow { .. }
                | K::Compute { .. }
                | K::Gosched
                | K::SyncOp { .. }
                | K::Park { .. }
                | K::Ready { .. }
                | K::TimerFired
                | K::Entersyscall { .. }
                | K::Entersyscallblock { .. }
                | K::ExitsyscallFast
                | K::ExitsyscallTryGetP { .. }
                | K::ExitsyscallNoP
                | K::Retake { .. }
                | K::Handoffp { .. }
                | K::Startm { .. }
                | K::NeedSpinning
                | K::Spinning
                | K::Stopm
                | K::NetpollBlock
                | K::Netpoll { .. }
                | K::Injectglist { .. }
                | K::SysmonTick { .. }
                | K::AsyncPreempt
                | K::PreemptRequest
                | K::Preempted
                | K::Procresize { .. }
                | K::Goexit
                | K::Schedtrace
                | K::Exit
                | K::Deadlock => {}
            }
        }
        for preset in PRESETS {
            let mut sim = Sim::new(preset.config(preset.default_n).unwrap()).unwrap();
            for _ in 0..20_000 {
                match sim.step() {
                    Some(e) => kinds.push(e.kind),
                    None => break,
                }
            }
        }
        kinds
    }

    /// A Go identifier, or a method as `Type.name`: what the line table
    /// can hold (the models also name a few things that are not functions,
    /// such as "(write barrier switched off)").
    fn is_function(name: &str) -> bool {
        !name.is_empty()
            && name.split('.').count() <= 2
            && name.split('.').all(|part| {
                part.chars().next().is_some_and(|c| c.is_alphabetic())
                    && part.chars().all(|c| c.is_alphanumeric() || c == '_')
            })
    }

    /// `function` as the line table spells it: `Mutex.Lock` for
    /// `sync.(*Mutex).Lock`.
    fn spelled(function: &str) -> String {
        match table_name(function) {
            (Some(ty), method) => format!("{ty}.{method}"),
            (None, name) => name.to_owned(),
        }
    }

    #[test]
    fn every_function_the_models_cite_has_its_line() {
        let mut missing = Vec::new();
        // The allocator model's name for a method Go spells
        // `(*sweepLocked).sweep`: it links to its file.
        const NOT_IN_GO: &[&str] = &["mspan.sweep"];
        for (file, function) in cited()
            .into_iter()
            .filter(|(_, f)| is_function(&spelled(f)) && !NOT_IN_GO.contains(f))
        {
            let found = match file {
                Some(file) => go_line(file, function).is_some(),
                None => super::super::go_lines::GO_LINES
                    .iter()
                    .any(|(_, f, _)| *f == spelled(function)),
            };
            if !found {
                missing.push(format!("{}:{function}", file.unwrap_or("?")));
            }
        }
        assert!(
            missing.is_empty(),
            "add these to web/src/kit/go_lines.rs with `cargo xtask gen-golines FILE:FUNCTION ...`: {missing:?}"
        );
    }

    #[test]
    fn a_function_links_to_its_line_and_anything_else_to_its_file() {
        let (file, function, line) = super::super::go_lines::GO_LINES[0];
        assert_eq!(
            go_function_source(file, function),
            format!("https://cs.opensource.google/go/go/+/refs/tags/go1.27.3:src/{file};l={line}")
        );
        assert_eq!(
            go_function_source("runtime/mbarrier.go", "(write barrier switched off)"),
            go_source("runtime/mbarrier.go")
        );
        assert_eq!(
            go_line("sync/mutex.go", "sync.(*Mutex).Lock"),
            go_line("sync/mutex.go", "Mutex.Lock")
        );
        assert!(go_line("sync/mutex.go", "sync.(*Mutex).Lock").is_some());
        assert_eq!(spelled("(*sweepLocked).sweep"), "sweepLocked.sweep");
        assert!(is_function("mcache.refill") && is_function("gcStart"));
        assert!(!is_function("writeBarrier.enabled == false") && !is_function("(no barrier)"));
    }
}
