//! The build explorer: pick a program, a target and the build flags, and
//! see what the real toolchain made of them: size, linking, symbols, DWARF,
//! whether it runs on an empty scratch image, and `go version -m`.
//!
//! Nothing here is modelled: every number is a record of a real build by
//! `tests/buildlab` (Go 1.27.3 on linux/amd64), fetched from
//! `data/build-explorer.json` (see [`crate::kit::data`]). State in the URL:
//! `?program=netserver&target=linux-amd64&cgo=1&strip=1&x=1` (see
//! [`state`]).

pub mod state;
pub mod view;

use wasm_bindgen::JsValue;
use yew::prelude::*;

pub use self::state::Choice;
use self::state::{Action, Params, PROGRAMS, TARGETS};
use self::view::{summary, view_build};
use crate::kit::controls::CopyLink;
use crate::kit::data::{self, Load, LoadStatus, Obj};
use crate::kit::query::{use_params, Notices, OneOf};

#[derive(Clone, Debug, PartialEq)]
pub struct Binary {
    pub size_bytes: u64,
    pub format: String,
    /// "static" or "dynamic".
    pub linking: String,
    pub interpreter: Option<String>,
    pub needed: Vec<String>,
    pub linking_note: String,
    pub symbol_table: Option<String>,
    pub symbols: u64,
    pub defined_symbols: u64,
    pub keeps_symbols: bool,
    pub dwarf_sections: Vec<String>,
    pub keeps_dwarf: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scratch {
    /// `None` when the question does not apply (not a Linux binary).
    pub runs: Option<bool>,
    /// "chroot" (really run), "derived" or "not-applicable".
    pub method: String,
    pub command: String,
    pub output: String,
    pub exit_code: Option<i64>,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Built {
    pub binary: Binary,
    pub version_m: Vec<String>,
    /// What the binary printed when run here (native builds only).
    pub run_output: Option<String>,
    pub scratch: Scratch,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Build {
    pub id: String,
    pub command: String,
    pub ldflags: String,
    pub uses_cgo: bool,
    pub cgo_note: String,
    /// The binary, or Go's message when it could not build.
    pub outcome: Result<Built, String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub name: String,
    pub about: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BuildData {
    pub go_version: String,
    /// `GOOS-GOARCH` of the machine that built everything.
    pub host: String,
    pub c_compiler: String,
    pub build_flags: Vec<String>,
    pub version_flag: String,
    pub programs: Vec<Program>,
    pub notes: Vec<String>,
    pub builds: Vec<Build>,
}

impl BuildData {
    /// Reads `build-explorer.json` (schema "gopherscope/build-explorer/1").
    pub fn parse(v: &JsValue) -> Result<BuildData, String> {
        let root = Obj::new(v, "the file")?;
        let schema = root.str("schema")?;
        if schema != "gopherscope/build-explorer/1" {
            return Err(format!(
                "its schema is {schema:?}, not gopherscope/build-explorer/1"
            ));
        }
        let host = root.opt_obj("host", "host")?.ok_or("host is missing")?;
        let programs = root
            .list("programs")?
            .iter()
            .map(|p| {
                let p = Obj::new(p, "a program")?;
                Ok(Program {
                    name: p.str("name")?,
                    about: p.str("about")?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let names: Vec<&str> = programs.iter().map(|p| p.name.as_str()).collect();
        if names != PROGRAMS {
            return Err(format!("its programs are {names:?}, not {PROGRAMS:?}"));
        }
        let mut targets = Vec::new();
        for t in root.list("targets")? {
            let t = Obj::new(&t, "a target")?;
            targets.push(format!("{}-{}", t.str("goos")?, t.str("goarch")?));
        }
        if targets != TARGETS {
            return Err(format!("its targets are {targets:?}, not {TARGETS:?}"));
        }
        let builds = root
            .list("builds")?
            .iter()
            .map(parse_build)
            .collect::<Result<Vec<_>, String>>()?;
        let data = BuildData {
            go_version: root.str("go_version")?,
            host: format!("{}-{}", host.str("goos")?, host.str("goarch")?),
            c_compiler: host.str("c_compiler")?,
            build_flags: root.strings("build_flags")?,
            version_flag: root.str("version_flag")?,
            programs,
            notes: root.strings("notes")?,
            builds,
        };
        // Every combination the controls can make must have its record.
        for program in 0..PROGRAMS.len() {
            for target in 0..TARGETS.len() {
                for bits in 0..8u8 {
                    let c = Choice {
                        program,
                        target,
                        cgo: None,
                        strip: bits & 1 != 0,
                        set_version: bits & 2 != 0,
                    };
                    let id = c.id(bits & 4 != 0);
                    if data.build(&id).is_none() {
                        return Err(format!("it has no record {id}"));
                    }
                }
            }
        }
        Ok(data)
    }

    pub fn build(&self, id: &str) -> Option<&Build> {
        self.builds.iter().find(|b| b.id == id)
    }

    /// CGO_ENABLED when it is not set: Go turns cgo on for a native build
    /// when a C compiler is found, and off when cross-compiling
    /// (go/build's defaultContext).
    pub fn cgo_default(&self, target: &str) -> bool {
        target == self.host && !self.c_compiler.is_empty()
    }

    pub fn cgo(&self, c: &Choice) -> bool {
        c.cgo.unwrap_or_else(|| self.cgo_default(c.target()))
    }

    /// The record for a choice.
    pub fn record(&self, c: &Choice) -> Option<&Build> {
        self.build(&c.id(self.cgo(c)))
    }
}

fn parse_build(v: &JsValue) -> Result<Build, String> {
    let b = Obj::new(v, "a build")?;
    let id = b.str("id")?;
    let outcome = if b.bool("built")? {
        let bin = b
            .opt_obj("binary", "binary")?
            .ok_or(format!("{id} has no binary"))?;
        let scratch = b
            .opt_obj("scratch", "scratch")?
            .ok_or(format!("{id} has no scratch"))?;
        let run_output = match b.opt_obj("run", "run")? {
            Some(r) => Some(r.str("output")?),
            None => None,
        };
        Ok(Built {
            binary: Binary {
                size_bytes: bin.uint("size_bytes")?,
                format: bin.str("format")?,
                linking: bin.str("linking")?,
                interpreter: bin.opt_str("interpreter")?,
                needed: bin.strings("needed")?,
                linking_note: bin.str("linking_note")?,
                symbol_table: bin.opt_str("symbol_table")?,
                symbols: bin.uint("symbols")?,
                defined_symbols: bin.uint("defined_symbols")?,
                keeps_symbols: bin.bool("keeps_symbols")?,
                dwarf_sections: bin.strings("dwarf_sections")?,
                keeps_dwarf: bin.bool("keeps_dwarf")?,
            },
            version_m: b.strings("version_m")?,
            run_output,
            scratch: Scratch {
                runs: scratch.opt_bool("runs")?,
                method: scratch.str("method")?,
                command: scratch.str("command")?,
                output: scratch.str("output")?,
                exit_code: scratch.opt_int("exit_code")?,
                note: scratch.str("note")?,
            },
        })
    } else {
        Err(b.opt_str("build_error")?.unwrap_or_default())
    };
    Ok(Build {
        command: b.str("command")?,
        ldflags: b.str("ldflags")?,
        uses_cgo: b.bool("uses_cgo")?,
        cgo_note: b.str("cgo_note")?,
        outcome,
        id,
    })
}

/// The widget: loads the data, then shows [`Explorer`].
#[function_component(BuildExplorer)]
pub fn build_explorer() -> Html {
    let (load, retry) = data::use_data(data::BUILD_EXPLORER, BuildData::parse);
    html! {
        <div class="widget build-explorer" id="build-explorer" tabindex="-1">
            { match load {
                Load::Ready(d) => html! { <Explorer data={d} /> },
                Load::Loading => html! { <LoadStatus what="the build records" error={None::<String>} on_retry={retry} /> },
                Load::Failed(e) => html! { <LoadStatus what="the build records" error={Some(e)} on_retry={retry} /> },
            } }
        </div>
    }
}

#[derive(Properties)]
pub struct ExplorerProps {
    pub data: std::rc::Rc<BuildData>,
}

impl PartialEq for ExplorerProps {
    /// The data is loaded once and never changes: the same `Rc` is the
    /// same data, and a deep comparison would only cost code size.
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.data, &other.data)
    }
}

#[function_component(Explorer)]
fn explorer(props: &ExplorerProps) -> Html {
    let data = &props.data;
    let url = use_params::<Params>();
    let choice = url.params.choice();
    let cgo = data.cgo(&choice);
    let cgo_default = data.cgo_default(choice.target());

    // A select's value, read into an action (none for a value it cannot be).
    let on_select = |action: fn(&str) -> Option<Action>| {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(action) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| action(&s.value()))
            {
                dispatch.emit(action);
            }
        })
    };
    let on_check = |action: fn(bool) -> Action| {
        let dispatch = url.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                dispatch.emit(action(input.checked()));
            }
        })
    };
    let on_cgo = on_select(|v| match v {
        "" => Some(Action::Cgo(None)),
        "0" => Some(Action::Cgo(Some(false))),
        "1" => Some(Action::Cgo(Some(true))),
        _ => None,
    });
    let program_about = data
        .programs
        .get(choice.program)
        .map(|p| p.about.clone())
        .unwrap_or_default();
    let record = data.record(&choice);
    let base = data
        .record(&choice.plain())
        .and_then(|b| b.outcome.as_ref().ok());
    let is_default = choice.id(cgo) == choice.plain().id(cgo_default);
    let cgo_value = choice.cgo.map_or("", |c| if c { "1" } else { "0" });

    html! {
        <div class="explorer" data-build={record.map(|b| b.id.clone())}>
            <Notices notices={url.notices.clone()} />
            <div class="controls build-controls">
                <span class="control">
                    <label for="bx-program">{ "Program" }</label>
                    <select id="bx-program" onchange={on_select(|v| OneOf::new(v).map(Action::Program))}>
                        { for PROGRAMS.iter().enumerate().map(|(i, p)| html! {
                            <option value={*p} selected={i == choice.program}>
                                { if *p == "netserver" { "netserver (net/http)" } else { "hello" } }
                            </option>
                        }) }
                    </select>
                </span>
                <span class="control">
                    <label for="bx-target">{ "GOOS/GOARCH" }</label>
                    <select id="bx-target" onchange={on_select(|v| OneOf::new(v).map(Action::Target))}>
                        { for TARGETS.iter().enumerate().map(|(i, t)| html! {
                            <option value={*t} selected={i == choice.target}>{ t.replace('-', "/") }</option>
                        }) }
                    </select>
                </span>
                <span class="control">
                    <label for="bx-cgo">{ "CGO_ENABLED" }</label>
                    <select id="bx-cgo" onchange={on_cgo}>
                        <option value="" selected={choice.cgo.is_none()}>
                            { format!("unset (Go picks {})", u8::from(cgo_default)) }
                        </option>
                        <option value="0" selected={cgo_value == "0"}>{ "0" }</option>
                        <option value="1" selected={cgo_value == "1"}>{ "1" }</option>
                    </select>
                </span>
                <span class="control check">
                    <input type="checkbox" id="bx-strip" checked={choice.strip} onchange={on_check(Action::Strip)} />
                    <label for="bx-strip"><code>{ "-ldflags=\"-s -w\"" }</code></label>
                </span>
                <span class="control check">
                    <input type="checkbox" id="bx-x" checked={choice.set_version} onchange={on_check(Action::SetVersion)} />
                    <label for="bx-x"><code>{ format!("-X {}", data.version_flag.trim_start_matches("-X ")) }</code></label>
                </span>
                <CopyLink />
            </div>
            <p class="fine-print program-about">{ program_about }</p>
            <p class="narration" aria-live="polite">{ summary(data, &choice) }</p>
            { match record {
                None => html! { <p class="notice">{ format!("The data has no record {}.", choice.id(cgo)) }</p> },
                Some(build) => view_build(build, base, is_default, choice.program()),
            } }
            <p class="fine-print provenance">
                { format!(
                    "Where these numbers come from: real builds with {} on {}, made by tests/buildlab \
                     (every build passes {}), written to web/data/build-explorer.json; a conformance \
                     test rebuilds a sample and fails when they no longer match. Nothing here is simulated. \
                     \"Unset\" CGO_ENABLED follows Go's rule: on for a native build when a C compiler is \
                     found ({}), off when cross-compiling.",
                    data.go_version,
                    data.host.replace('-', "/"),
                    data.build_flags.join(" "),
                    data.c_compiler
                ) }
            </p>
            <details class="build-notes">
                <summary>{ "Notes on these builds" }</summary>
                <ul>{ for data.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
            </details>
        </div>
    }
}

/// Transitional, for the test in `app/pages/knobs.rs` until it reads
/// [`Params`] (with `query::Params::owns` and `query::decode`): the keys
/// the widget reads.
pub const PARAMS: [&str; 5] = ["program", "target", "cgo", "strip", "x"];

impl Choice {
    /// Transitional, like [`PARAMS`]: the choice and notices of a query.
    pub fn from_query(query: &str) -> (Choice, Vec<String>) {
        let d = crate::kit::query::decode::<Params>(query);
        (d.params.choice(), d.notices)
    }
}
