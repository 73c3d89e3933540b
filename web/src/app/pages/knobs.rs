//! Knobs and toolchain: the environment variables and flags, each with a
//! link that opens the widget where it acts; the build explorer; and the
//! tools, with real output from `web/data/toolchain.json`.

use serde::Deserialize;
use yew::prelude::*;

use super::PageHead;
use crate::app::links;
use crate::app::registry::mount;
use crate::kit::content::rich;
use crate::kit::data::{self, load_status, DataFile, Load};
use crate::kit::link::{Link, SiteLink};
use crate::kit::query::Whole;

/// A link that opens the widget where a knob acts, set up to show it.
#[derive(Debug, PartialEq)]
pub struct TryIt {
    pub label: &'static str,
    pub to: Link,
}

fn try_it(label: &'static str, to: Link) -> TryIt {
    TryIt { label, to }
}

/// One knob. Text fields may mark code with backticks.
#[derive(Debug)]
pub struct Knob {
    /// The element id, `knob-<id>`.
    pub id: &'static str,
    pub name: &'static str,
    pub what: &'static str,
    pub syntax: &'static str,
    pub default: &'static str,
    /// The Go release that brought it, checked against the Go source and
    /// release history.
    pub since: &'static str,
    /// Built from the target widgets' `Params` (see `app::links`).
    pub try_it: fn() -> Vec<TryIt>,
}

/// The knobs, in the order a reader meets them: the runtime's environment
/// variables, then the build's flags and environment.
pub const KNOBS: &[Knob] = &[
    Knob {
        id: "gogc",
        name: "GOGC",
        what: "How far the heap may grow past what was live after the last collection before the next one starts, as a percentage. A higher value means fewer collections and more memory; `off` stops growth from triggering collections at all (a `GOMEMLIMIT` can still trigger them).",
        syntax: "`GOGC=50`, `GOGC=200`, `GOGC=off`; in the program: `debug.SetGCPercent(50)`",
        default: "`100`: the heap may double",
        since: "Go 1.0",
        try_it: || vec![
            try_it("GOGC=50 in the pacer: more, smaller cycles", links::pacer("50", None)),
            try_it("GOGC=200: fewer cycles, a bigger heap", links::pacer("200", None)),
        ],
    },
    Knob {
        id: "gomemlimit",
        name: "GOMEMLIMIT",
        what: "A soft cap on all the memory the Go runtime manages (heap, stacks, its own structures), not on what the OS sees for the whole process. Near the cap the collector runs more often, whatever `GOGC` says. The usual container setting is a limit a little under the container's memory, often with `GOGC=off`.",
        syntax: "`GOMEMLIMIT=512MiB` (suffixes `B`, `KiB`, `MiB`, `GiB`, `TiB`); in the program: `debug.SetMemoryLimit(n)`",
        default: "no limit (`math.MaxInt64`)",
        since: "Go 1.19",
        try_it: || vec![try_it("GOGC=off with a 512 MiB limit", links::pacer("off", Some("512MiB")))],
    },
    Knob {
        id: "gomaxprocs",
        name: "GOMAXPROCS",
        what: "The number of Ps: how many goroutines can run Go code at the same moment. Goroutines blocked in system calls do not count against it.",
        syntax: "`GOMAXPROCS=4`; in the program: `runtime.GOMAXPROCS(4)`",
        default: "the number of CPUs the process may use (it was 1 before Go 1.5); since Go 1.25 on Linux also capped by the container's CPU limit, and updated when that limit changes",
        since: "Go 1.0",
        try_it: || vec![
            try_it("GOMAXPROCS changing during a run", links::scheduler("gomaxprocs", |_| {})),
            try_it("The same fan-out with GOMAXPROCS=1", links::scheduler("fan-out", |p| p.gomaxprocs = Some(Whole(1)))),
        ],
    },
    Knob {
        id: "gctrace",
        name: "GODEBUG=gctrace=1",
        what: "Prints one line to standard error per collection: when it ran, how long each phase took, the heap before, after and live, the next goal, and how many Ps it used.",
        syntax: "`GODEBUG=gctrace=1`; several settings are joined with commas: `GODEBUG=gctrace=1,schedtrace=1000`",
        default: "off",
        since: "Go 1.2 (Go 1.0 and 1.1 read `GOGCTRACE=1`)",
        try_it: || vec![try_it("Watch the gctrace lines in the GC widget", links::pacer_gctrace())],
    },
    Knob {
        id: "schedtrace",
        name: "GODEBUG=schedtrace=1000",
        what: "Prints the scheduler's state every 1000 ms (the number is the period): Ps, idle Ps, threads, spinning threads, the global queue and each P's local queue. Add `scheddetail=1` for every G, M and P.",
        syntax: "`GODEBUG=schedtrace=1000`, `GODEBUG=schedtrace=1000,scheddetail=1`",
        default: "off",
        since: "Go 1.2",
        try_it: || vec![try_it("SCHED lines while Ms steal work", links::scheduler("work-stealing", |p| p.schedtrace = Some(Whole(1))))],
    },
    Knob {
        id: "asyncpreemptoff",
        name: "GODEBUG=asyncpreemptoff=1",
        what: "Turns off signal-based preemption, so a loop without function calls keeps its P until it ends, as before Go 1.14. Useful for ruling preemption out when debugging.",
        syntax: "`GODEBUG=asyncpreemptoff=1`",
        default: "`0`: asynchronous preemption on",
        since: "Go 1.14 (with asynchronous preemption itself)",
        try_it: || vec![
            try_it("A CPU hog preempted by sysmon", links::scheduler("preempt", |_| {})),
            try_it("The same hog with asyncpreemptoff=1", links::scheduler("preempt-off", |p| p.asyncpreemptoff = true)),
        ],
    },
    Knob {
        id: "gcflags-m",
        name: "-gcflags=-m",
        what: "Makes the compiler say what it decided: which variables move to the heap and why, which calls it inlines. `-m -m` explains each decision at length.",
        syntax: "`go build -gcflags=-m ./...`; `-gcflags=all=-m` for every package, not just the named ones",
        default: "off",
        since: "Go 1.0",
        try_it: || vec![try_it("\"moved to heap: p\" in the escape widget", links::escape("return-address"))],
    },
    Knob {
        id: "gcflags-s",
        name: "-gcflags=-S",
        what: "Makes the compiler print the assembly it generates for each function of the named packages.",
        syntax: "`go build -gcflags=-S`, or for one file `go tool compile -S file.go`",
        default: "off",
        since: "Go 1.0",
        try_it: || vec![try_it("Real compile -S output, below", Link::page("/knobs").at("tool-compile"))],
    },
    Knob {
        id: "ldflags-sw",
        name: "-ldflags=\"-s -w\"",
        what: "Tells the linker to leave out the symbol table (`-s`) and the DWARF debug information (`-w`): a binary about a third smaller (31 to 36% in the build explorer's 30 measured pairs below) that debuggers and `go tool nm` can no longer read. Today `-s` alone also drops DWARF unless `-w=0` is given. Panics still print function names: those come from the runtime's own tables, not the symbol table.",
        syntax: "`go build -ldflags=\"-s -w\"`",
        default: "both kept",
        since: "Go 1.0",
        try_it: || vec![try_it("Strip hello in the build explorer", links::build("hello", |p| p.strip = true))],
    },
    Knob {
        id: "ldflags-x",
        name: "-ldflags=\"-X main.version=1.2.3\"",
        what: "Sets a package-level string variable when linking, for a version or commit stamp. It only works on a `var` of type string (not a constant) whose value is a constant or unset.",
        syntax: "`-ldflags=\"-X importpath.name=value\"`, repeatable",
        default: "no variable set",
        since: "Go 1.0 as `-X name value`; the `name=value` form since Go 1.5",
        try_it: || vec![try_it("Set main.version in the build explorer", links::build("hello", |p| p.set_version = true))],
    },
    Knob {
        id: "cgo-enabled",
        name: "CGO_ENABLED=0",
        what: "Builds without cgo: no C compiler, no C library. Packages with a pure-Go fallback use it (on Linux, the net package's DNS resolver), so the binary is statically linked and runs on an empty image.",
        syntax: "`CGO_ENABLED=0 go build` (or `1` to ask for cgo)",
        default: "`1` for a native build when a C compiler is found, `0` when cross-compiling or (since Go 1.20) when none is found",
        since: "Go 1.0",
        try_it: || vec![
            try_it("netserver with cgo: dynamic, fails on scratch", links::build("netserver", |p| p.cgo = Some(true))),
            try_it("netserver with CGO_ENABLED=0: static, runs on scratch", links::build("netserver", |p| p.cgo = Some(false))),
        ],
    },
    Knob {
        id: "goos-goarch",
        name: "GOOS / GOARCH",
        what: "The operating system and processor to build for. Set them to cross-compile: any Go installation builds for every supported target, no extra toolchain needed unless cgo is on. GOARCH also decides the size of `int`, pointers and everything built on them.",
        syntax: "`GOOS=windows GOARCH=amd64 go build`; `go tool dist list` prints every pair",
        default: "the machine's own",
        since: "Go 1.0; cross-compiling from any Go installation since Go 1.5",
        try_it: || vec![
            try_it("hello for windows/amd64", links::build("hello", |p| p.target = links::named("windows-amd64"))),
            try_it("Value sizes with GOARCH=386", links::value_table("386")),
        ],
    },
];

fn view_knob(k: &'static Knob) -> Html {
    html! {
        <li class="knob" id={format!("knob-{}", k.id)}>
            <h3><code>{ k.name }</code></h3>
            <p>{ rich(k.what) }</p>
            <dl class="knob-facts">
                <div><dt>{ "Syntax" }</dt><dd>{ rich(k.syntax) }</dd></div>
                <div><dt>{ "Default" }</dt><dd>{ rich(k.default) }</dd></div>
                <div><dt>{ "Since" }</dt><dd>{ rich(k.since) }</dd></div>
            </dl>
            <ul class="try-list">
                { for (k.try_it)().into_iter().map(|t| html! {
                    <li><SiteLink to={t.to} class="try-it">{ "Try it: " }{ t.label }</SiteLink></li>
                }) }
            </ul>
        </li>
    }
}

/// One tool of `toolchain.json`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Tool {
    pub name: String,
    pub tool: String,
    pub purpose: String,
    pub command: String,
    #[serde(deserialize_with = "data::null_as_default")]
    pub excerpt: Vec<String>,
    pub note: String,
    pub deterministic: bool,
}

/// `toolchain.json` (schema "gopherscope/toolchain/1").
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Toolchain {
    pub schema: String,
    pub go_version: String,
    pub tools: Vec<Tool>,
}

impl DataFile for Toolchain {
    const URL: &'static str = data::TOOLCHAIN;

    fn check(&self) -> Result<(), String> {
        match self.schema.as_str() {
            "gopherscope/toolchain/1" => Ok(()),
            other => Err(format!(
                "its schema is {other:?}, not gopherscope/toolchain/1"
            )),
        }
    }
}

fn view_tool(t: &Tool, go_version: &str) -> Html {
    let id = format!("tool-{}", t.name);
    let caption = if t.deterministic {
        format!("Real output, {go_version}. {}", t.note)
    } else {
        format!(
            "Real output, {go_version}; timings and addresses differ on every run. {}",
            t.note
        )
    };
    html! {
        <section class="tool" id={id.clone()} tabindex="-1" aria-labelledby={format!("{id}-h")}>
            <h3 id={format!("{id}-h")}><code>{ t.tool.clone() }</code></h3>
            <p>{ t.purpose.clone() }</p>
            <p class="tool-command"><span class="console-label">{ "Command" }</span><code>{ format!("$ {}", t.command) }</code></p>
            <figure class="excerpt">
                <pre tabindex="0" aria-label={format!("Output of {}", t.tool)}><code>{ t.excerpt.join("\n") }</code></pre>
                <figcaption>{ caption }</figcaption>
            </figure>
        </section>
    }
}

#[function_component(ToolchainSection)]
fn toolchain_section() -> Html {
    let (load, retry) = data::use_data_file::<Toolchain>();
    match load {
        Load::Ready(tc) => html! {
            <>
                <p class="fine-print">
                    { format!("Every excerpt below was captured from {} by tests/buildlab, for two small programs in tests/buildlab/programs; \
                               the conformance test captures the stable ones again and fails when they change.", tc.go_version) }
                </p>
                { for tc.tools.iter().map(|t| view_tool(t, &tc.go_version)) }
            </>
        },
        Load::Loading => {
            html! { { load_status("the tool excerpts", None, &retry) } }
        }
        Load::Failed(e) => {
            html! { { load_status("the tool excerpts", Some(&e), &retry) } }
        }
    }
}

#[function_component(Knobs)]
pub fn knobs() -> Html {
    html! {
        <article class="page">
            <PageHead slug="knobs" />
            <section aria-labelledby="knobs-h">
                <h2 id="knobs-h">{ "Runtime and build knobs" }</h2>
                <p>
                    { "The first six are read by the runtime when the program starts, so they change a \
                       binary you already have. The rest are given to " }<code>{ "go build" }</code>
                    { " and change the binary itself. Each \"Try it\" opens the widget where the knob acts, \
                       set up to show what it does." }
                </p>
                <ul class="knob-list">
                    { for KNOBS.iter().map(view_knob) }
                </ul>
            </section>
            <section aria-labelledby="explorer-h">
                <h2 id="explorer-h">{ "The build explorer" }</h2>
                <p>
                    { "Two small programs built with every combination of the flags below, for four targets: \
                       pick one and see what came out. The net/http server is the interesting one, because on \
                       Linux its name resolver uses the C library when cgo is on." }
                </p>
                { mount("build-explorer") }
            </section>
            <section aria-labelledby="toolchain-h">
                <h2 id="toolchain-h">{ "The toolchain" }</h2>
                <p>{ "The tools that show what the compiler and linker made, and what the program did when it ran." }</p>
                <ToolchainSection />
            </section>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knob_ids_are_unique_and_every_knob_says_since_when() {
        for (i, k) in KNOBS.iter().enumerate() {
            assert!(KNOBS[i + 1..].iter().all(|o| o.id != k.id), "{}", k.id);
            assert!(k.since.starts_with("Go 1."), "{}: {}", k.name, k.since);
        }
    }

    /// The `-s -w` card's figure is read against the measured builds in
    /// `build-explorer.json`: each stripped binary next to the same build
    /// unstripped.
    #[test]
    fn the_strip_cards_figure_is_what_the_measured_builds_show() {
        use crate::widgets::build_explorer::BuildData;
        let data: BuildData =
            data::parse(include_str!("../../../data/build-explorer.json")).unwrap();
        let size = |id: &str| {
            let b = data.builds.iter().find(|b| b.id == id)?;
            b.outcome.as_ref().ok().map(|o| o.binary.size_bytes as f64)
        };
        let mut shrink: Vec<f64> = data
            .builds
            .iter()
            .filter(|b| b.id.contains(".sw."))
            .filter_map(|b| Some(1.0 - size(&b.id)? / size(&b.id.replace(".sw.", ".nosw."))?))
            .collect();
        shrink.sort_by(f64::total_cmp);
        let (lo, hi) = (
            (shrink[0] * 100.0) as u32,
            (shrink[shrink.len() - 1] * 100.0).round() as u32,
        );
        let card = KNOBS.iter().find(|k| k.id == "ldflags-sw").unwrap();
        let claim = format!(
            "about a third smaller ({lo} to {hi}% in the build explorer's {} measured pairs",
            shrink.len()
        );
        assert!(card.what.contains(&claim), "the card should say: {claim}");
        assert!(
            lo >= 25 && hi <= 40,
            "no longer about a third: {lo} to {hi}%"
        );
    }

    /// The quiz's scratch question rests on the measured builds: the
    /// net/http server built with `CGO_ENABLED=0` is static and ran on an
    /// empty image; with cgo it links libc dynamically and did not.
    #[test]
    fn the_scratch_questions_answer_is_what_the_measured_builds_show() {
        use crate::widgets::build_explorer::BuildData;
        use crate::widgets::quiz::state::QUESTIONS;
        let data: BuildData =
            data::parse(include_str!("../../../data/build-explorer.json")).unwrap();
        let built = |id: &str| {
            let b = data.builds.iter().find(|b| b.id == id).unwrap();
            b.outcome.clone().unwrap()
        };
        let pure = built("netserver.linux-amd64.cgo0.sw.nox");
        let cgo = built("netserver.linux-amd64.cgo1.sw.nox");
        assert_eq!(
            (pure.binary.linking.as_str(), pure.scratch.runs),
            ("static", Some(true))
        );
        assert_eq!(
            (cgo.binary.linking.as_str(), cgo.scratch.runs),
            ("dynamic", Some(false))
        );
        let q = QUESTIONS.iter().find(|q| q.id == "scratch-binary").unwrap();
        assert!(q.options[q.answer as usize].starts_with("`CGO_ENABLED=0"));
        assert!(q.explanation.contains("so it runs on an empty image"));
        assert!(q
            .explanation
            .contains("packages such as `net` link against the system's C library"));
    }

    #[test]
    fn the_checked_in_toolchain_file_parses_and_compile_is_one_of_its_tools() {
        let tc: Toolchain = data::parse(include_str!("../../../data/toolchain.json")).unwrap();
        assert!(tc.tools.iter().any(|t| t.name == "compile"));
        assert!(tc.tools.iter().all(|t| !t.excerpt.is_empty()));
    }

    #[test]
    fn a_broken_toolchain_file_says_what_is_wrong() {
        let html = data::parse::<Toolchain>("<!doctype html><p>Not found</p>").unwrap_err();
        assert!(html.contains("came back as a web page (HTML)"), "{html}");
        let junk = data::parse::<Toolchain>("{tools: nope").unwrap_err();
        assert!(junk.contains("is not valid JSON"), "{junk}");
        let shape = data::parse::<Toolchain>(
            r#"{"schema": "gopherscope/toolchain/1", "go_version": "go1.27.3"}"#,
        )
        .unwrap_err();
        assert!(shape.contains("missing field `tools`"), "{shape}");
        let schema =
            data::parse::<Toolchain>(r#"{"schema": "x/2", "go_version": "g", "tools": []}"#)
                .unwrap_err();
        assert!(schema.contains("not gopherscope/toolchain/1"), "{schema}");
    }
}
