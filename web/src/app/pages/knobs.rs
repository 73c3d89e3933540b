//! Knobs and toolchain: the environment variables and flags, each with a
//! link that opens the widget where it acts; the build explorer; and the
//! tools, with real output from `web/data/toolchain.json`.

use wasm_bindgen::JsValue;
use yew::prelude::*;
use yew_router::prelude::*;
use yew_router::query::Raw;

use super::PageHead;
use crate::app::routes::{path_route, Route};
use crate::kit::content::rich;
use crate::kit::data::{self, Load, LoadStatus, Obj};
use crate::widgets::build_explorer::BuildExplorer;

/// A link that opens a widget preset to show a knob's effect.
#[derive(Debug, PartialEq)]
pub struct TryIt {
    pub label: &'static str,
    /// A site path: `/scheduler`, `/knobs`.
    pub path: &'static str,
    /// The query the widget there reads, without `?`.
    pub query: &'static str,
    /// An element to bring into view on that page, without `#`.
    pub anchor: &'static str,
}

impl TryIt {
    pub fn href(&self) -> String {
        let mut href = self.path.to_owned();
        if !self.query.is_empty() {
            href.push('?');
            href.push_str(self.query);
        }
        if !self.anchor.is_empty() {
            href.push('#');
            href.push_str(self.anchor);
        }
        href
    }
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
    pub try_it: &'static [TryIt],
}

const EXPLORER: &str = "build-explorer";

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
        try_it: &[
            TryIt { label: "GOGC=50 in the pacer: more, smaller cycles", path: "/gc", query: "gogc=50&gctrace=1", anchor: "" },
            TryIt { label: "GOGC=200: fewer cycles, a bigger heap", path: "/gc", query: "gogc=200&gctrace=1", anchor: "" },
        ],
    },
    Knob {
        id: "gomemlimit",
        name: "GOMEMLIMIT",
        what: "A soft cap on all the memory the Go runtime manages (heap, stacks, its own structures), not on what the OS sees for the whole process. Near the cap the collector runs more often, whatever `GOGC` says. The usual container setting is a limit a little under the container's memory, often with `GOGC=off`.",
        syntax: "`GOMEMLIMIT=512MiB` (suffixes `B`, `KiB`, `MiB`, `GiB`, `TiB`); in the program: `debug.SetMemoryLimit(n)`",
        default: "no limit (`math.MaxInt64`)",
        since: "Go 1.19",
        try_it: &[TryIt { label: "GOGC=off with a 512 MiB limit", path: "/gc", query: "gogc=off&gomemlimit=512MiB&gctrace=1", anchor: "" }],
    },
    Knob {
        id: "gomaxprocs",
        name: "GOMAXPROCS",
        what: "The number of Ps: how many goroutines can run Go code at the same moment. Goroutines blocked in system calls do not count against it.",
        syntax: "`GOMAXPROCS=4`; in the program: `runtime.GOMAXPROCS(4)`",
        default: "the number of CPUs the process may use (it was 1 before Go 1.5); since Go 1.25 on Linux also capped by the container's CPU limit, and updated when that limit changes",
        since: "Go 1.0",
        try_it: &[
            TryIt { label: "GOMAXPROCS changing during a run", path: "/scheduler", query: "preset=gomaxprocs", anchor: "" },
            TryIt { label: "The same fan-out with GOMAXPROCS=1", path: "/scheduler", query: "preset=fan-out&gomaxprocs=1", anchor: "" },
        ],
    },
    Knob {
        id: "gctrace",
        name: "GODEBUG=gctrace=1",
        what: "Prints one line to standard error per collection: when it ran, how long each phase took, the heap before, after and live, the next goal, and how many Ps it used.",
        syntax: "`GODEBUG=gctrace=1`; several settings are joined with commas: `GODEBUG=gctrace=1,schedtrace=1000`",
        default: "off",
        since: "Go 1.2 (Go 1.0 and 1.1 read `GOGCTRACE=1`)",
        try_it: &[TryIt { label: "Watch the gctrace lines in the GC widget", path: "/gc", query: "gctrace=1", anchor: "" }],
    },
    Knob {
        id: "schedtrace",
        name: "GODEBUG=schedtrace=1000",
        what: "Prints the scheduler's state every 1000 ms (the number is the period): Ps, idle Ps, threads, spinning threads, the global queue and each P's local queue. Add `scheddetail=1` for every G, M and P.",
        syntax: "`GODEBUG=schedtrace=1000`, `GODEBUG=schedtrace=1000,scheddetail=1`",
        default: "off",
        since: "Go 1.2",
        try_it: &[TryIt { label: "SCHED lines while Ms steal work", path: "/scheduler", query: "preset=work-stealing&schedtrace=1", anchor: "" }],
    },
    Knob {
        id: "asyncpreemptoff",
        name: "GODEBUG=asyncpreemptoff=1",
        what: "Turns off signal-based preemption, so a loop without function calls keeps its P until it ends, as before Go 1.14. Useful for ruling preemption out when debugging.",
        syntax: "`GODEBUG=asyncpreemptoff=1`",
        default: "`0`: asynchronous preemption on",
        since: "Go 1.14 (with asynchronous preemption itself)",
        try_it: &[
            TryIt { label: "A CPU hog preempted by sysmon", path: "/scheduler", query: "preset=preempt", anchor: "" },
            TryIt { label: "The same hog with asyncpreemptoff=1", path: "/scheduler", query: "preset=preempt-off&asyncpreemptoff=1", anchor: "" },
        ],
    },
    Knob {
        id: "gcflags-m",
        name: "-gcflags=-m",
        what: "Makes the compiler say what it decided: which variables move to the heap and why, which calls it inlines. `-m -m` explains each decision at length.",
        syntax: "`go build -gcflags=-m ./...`; `-gcflags=all=-m` for every package, not just the named ones",
        default: "off",
        since: "Go 1.0",
        try_it: &[TryIt { label: "\"moved to heap: p\" in the escape widget", path: "/memory", query: "snippet=return-address", anchor: "" }],
    },
    Knob {
        id: "gcflags-s",
        name: "-gcflags=-S",
        what: "Makes the compiler print the assembly it generates for each function of the named packages.",
        syntax: "`go build -gcflags=-S`, or for one file `go tool compile -S file.go`",
        default: "off",
        since: "Go 1.0",
        try_it: &[TryIt { label: "Real compile -S output, below", path: "/knobs", query: "", anchor: "tool-compile" }],
    },
    Knob {
        id: "ldflags-sw",
        name: "-ldflags=\"-s -w\"",
        what: "Tells the linker to leave out the symbol table (`-s`) and the DWARF debug information (`-w`): a binary about a third smaller that debuggers and `go tool nm` can no longer read. Today `-s` alone also drops DWARF unless `-w=0` is given. Panics still print function names: those come from the runtime's own tables, not the symbol table.",
        syntax: "`go build -ldflags=\"-s -w\"`",
        default: "both kept",
        since: "Go 1.0",
        try_it: &[TryIt { label: "Strip hello in the build explorer", path: "/knobs", query: "strip=1", anchor: EXPLORER }],
    },
    Knob {
        id: "ldflags-x",
        name: "-ldflags=\"-X main.version=1.2.3\"",
        what: "Sets a package-level string variable when linking, for a version or commit stamp. It only works on a `var` of type string (not a constant) whose value is a constant or unset.",
        syntax: "`-ldflags=\"-X importpath.name=value\"`, repeatable",
        default: "no variable set",
        since: "Go 1.0 as `-X name value`; the `name=value` form since Go 1.5",
        try_it: &[TryIt { label: "Set main.version in the build explorer", path: "/knobs", query: "x=1", anchor: EXPLORER }],
    },
    Knob {
        id: "cgo-enabled",
        name: "CGO_ENABLED=0",
        what: "Builds without cgo: no C compiler, no C library. Packages with a pure-Go fallback use it (on Linux, the net package's DNS resolver), so the binary is statically linked and runs on an empty image.",
        syntax: "`CGO_ENABLED=0 go build` (or `1` to ask for cgo)",
        default: "`1` for a native build when a C compiler is found, `0` when cross-compiling or (since Go 1.20) when none is found",
        since: "Go 1.0",
        try_it: &[
            TryIt { label: "netserver with cgo: dynamic, fails on scratch", path: "/knobs", query: "program=netserver&cgo=1", anchor: EXPLORER },
            TryIt { label: "netserver with CGO_ENABLED=0: static, runs on scratch", path: "/knobs", query: "program=netserver&cgo=0", anchor: EXPLORER },
        ],
    },
    Knob {
        id: "goos-goarch",
        name: "GOOS / GOARCH",
        what: "The operating system and processor to build for. Set them to cross-compile: any Go installation builds for every supported target, no extra toolchain needed unless cgo is on. GOARCH also decides the size of `int`, pointers and everything built on them.",
        syntax: "`GOOS=windows GOARCH=amd64 go build`; `go tool dist list` prints every pair",
        default: "the machine's own",
        since: "Go 1.0; cross-compiling from any Go installation since Go 1.5",
        try_it: &[
            TryIt { label: "hello for windows/amd64", path: "/knobs", query: "target=windows-amd64", anchor: EXPLORER },
            TryIt { label: "Value sizes with GOARCH=386", path: "/values", query: "goarch=386", anchor: "" },
        ],
    },
];

#[derive(Properties, PartialEq)]
struct TryLinkProps {
    target: &'static TryIt,
}

/// A real link (it opens in a new tab) that, on a plain click, navigates in
/// the app; on this page it changes the query in place and brings the
/// anchored element into view and focus.
#[function_component(TryLink)]
fn try_link(props: &TryLinkProps) -> Html {
    let navigator = use_navigator();
    let here = use_route::<Route>();
    let t = props.target;
    let onclick = Callback::from(move |e: MouseEvent| {
        let modified = e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key();
        let Some(nav) = navigator.as_ref().filter(|_| !modified && e.button() == 0) else {
            return;
        };
        e.prevent_default();
        let route = path_route(t.path);
        let query = Raw(t.query);
        if here.as_ref() == Some(&route) {
            if !t.query.is_empty() {
                nav.replace_with_query(&route, query).ok();
            }
        } else {
            nav.push_with_query(&route, query).ok();
        }
        if !t.anchor.is_empty() {
            bring_into_view(t.anchor);
        }
    });
    html! {
        <a class="try-it" href={t.href()} {onclick}>{ "Try it: " }{ t.label }</a>
    }
}

fn bring_into_view(id: &'static str) {
    yew::platform::spawn_local(async move {
        // After the re-render that the query change starts.
        yew::platform::time::sleep(std::time::Duration::from_millis(0)).await;
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id));
        if let Some(el) = el {
            el.scroll_into_view();
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                el.focus().ok();
            }
        }
    });
}

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
                { for k.try_it.iter().map(|t| html! { <li><TryLink target={t} /></li> }) }
            </ul>
        </li>
    }
}

/// One tool of `toolchain.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct Tool {
    pub name: String,
    pub tool: String,
    pub purpose: String,
    pub command: String,
    pub excerpt: Vec<String>,
    pub note: String,
    pub deterministic: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Toolchain {
    pub go_version: String,
    pub tools: Vec<Tool>,
}

impl Toolchain {
    /// Reads `toolchain.json` (schema "gopherscope/toolchain/1").
    pub fn parse(v: &JsValue) -> Result<Toolchain, String> {
        let root = Obj::new(v, "the file")?;
        let schema = root.str("schema")?;
        if schema != "gopherscope/toolchain/1" {
            return Err(format!(
                "its schema is {schema:?}, not gopherscope/toolchain/1"
            ));
        }
        let tools = root
            .list("tools")?
            .iter()
            .map(|t| {
                let t = Obj::new(t, "a tool")?;
                Ok(Tool {
                    name: t.str("name")?,
                    tool: t.str("tool")?,
                    purpose: t.str("purpose")?,
                    command: t.str("command")?,
                    excerpt: t.strings("excerpt")?,
                    note: t.str("note")?,
                    deterministic: t.bool("deterministic")?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Toolchain {
            go_version: root.str("go_version")?,
            tools,
        })
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
    let (load, retry) = data::use_data(data::TOOLCHAIN, Toolchain::parse);
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
            html! { <LoadStatus what="the tool excerpts" error={None::<String>} on_retry={retry} /> }
        }
        Load::Failed(e) => {
            html! { <LoadStatus what="the tool excerpts" error={Some(e)} on_retry={retry} /> }
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
                <BuildExplorer />
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
    use crate::app::registry;
    use crate::widgets::build_explorer::{Choice, PARAMS};
    use runtime_model::values::GoArch;

    fn pairs(query: &str) -> Vec<(&str, &str)> {
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap_or((p, "")))
            .collect()
    }

    fn memory_limit(v: &str) -> bool {
        let digits = v.trim_end_matches(char::is_alphabetic);
        let unit = &v[digits.len()..];
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
            && ["", "B", "KiB", "MiB", "GiB", "TiB"].contains(&unit)
    }

    /// Whether the widget on `page` reads `key=value`. The scheduler, GC and
    /// escape widgets announce these parameters in their issues; names of
    /// presets and snippets come from the model they will run.
    fn understood(page: &str, key: &str, value: &str) -> bool {
        match (page, key) {
            ("scheduler", "preset") => runtime_model::sched::presets::preset(value).is_some(),
            ("scheduler", "gomaxprocs") => {
                value.parse::<u32>().is_ok_and(|n| (1..=256).contains(&n))
            }
            ("scheduler", "asyncpreemptoff") => value == "1",
            // The period in ms of the SCHED lines.
            ("scheduler", "schedtrace") => value
                .parse::<u32>()
                .is_ok_and(|n| (1..=10_000).contains(&n)),
            ("gc", "gogc") => value == "off" || value.parse::<u32>().is_ok(),
            ("gc", "gomemlimit") => memory_limit(value),
            ("gc", "gctrace") => value == "1",
            ("gc", "barrier") => ["hybrid", "dijkstra", "yuasa", "none"].contains(&value),
            ("memory", "snippet") => runtime_model::escape::case(value).is_some(),
            ("values", "goarch") => GoArch::from_name(value).is_some(),
            ("knobs", k) => PARAMS.contains(&k),
            _ => false,
        }
    }

    #[test]
    fn every_try_it_opens_an_existing_page_with_parameters_it_reads() {
        for knob in KNOBS {
            assert!(!knob.try_it.is_empty(), "{} has no Try it", knob.name);
            for t in knob.try_it {
                let page = match path_route(t.path) {
                    Route::Page { page } => page,
                    other => panic!("{} leads to {other:?}", t.href()),
                };
                assert!(registry::page(&page).is_some(), "{} is not a page", t.path);
                for (k, v) in pairs(t.query) {
                    assert!(understood(&page, k, v), "{}: {k}={v}", t.href());
                }
                if page == "knobs" {
                    let (_, notices) = Choice::from_query(t.query);
                    assert!(notices.is_empty(), "{}: {notices:?}", t.href());
                    assert!(
                        ["", "build-explorer", "tool-compile"].contains(&t.anchor),
                        "{}",
                        t.href()
                    );
                }
            }
        }
    }

    #[test]
    fn knob_ids_are_unique_and_every_knob_says_since_when() {
        for (i, k) in KNOBS.iter().enumerate() {
            assert!(KNOBS[i + 1..].iter().all(|o| o.id != k.id), "{}", k.id);
            assert!(k.since.starts_with("Go 1."), "{}: {}", k.name, k.since);
        }
    }

    #[test]
    fn the_anchor_of_compile_s_names_a_tool_of_the_data() {
        let json = include_str!("../../../data/toolchain.json");
        assert!(json.contains("\"name\": \"compile\""));
    }
}
