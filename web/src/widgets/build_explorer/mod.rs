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

use serde::Deserialize;
use yew::prelude::*;

pub use self::state::Choice;
use self::state::{Action, Params, PROGRAMS, TARGETS};
use self::view::{summary, view_build};
use crate::kit::controls::CopyLink;
use crate::kit::data::{self, load_status, DataFile, Load};
use crate::kit::query::{use_params, view_notices, OneOf};

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Binary {
    pub size_bytes: u64,
    pub format: String,
    /// "static" or "dynamic".
    pub linking: String,
    pub interpreter: Option<String>,
    #[serde(deserialize_with = "data::null_as_default")]
    pub needed: Vec<String>,
    pub linking_note: String,
    pub symbol_table: Option<String>,
    pub symbols: u64,
    pub defined_symbols: u64,
    pub keeps_symbols: bool,
    #[serde(deserialize_with = "data::null_as_default")]
    pub dwarf_sections: Vec<String>,
    pub keeps_dwarf: bool,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Program {
    pub name: String,
    pub about: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(try_from = "File")]
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

/// `build-explorer.json` as written, before [`BuildData`] gives it the
/// shape the views read.
#[derive(Deserialize)]
struct File {
    schema: String,
    go_version: String,
    host: Host,
    #[serde(deserialize_with = "data::null_as_default")]
    build_flags: Vec<String>,
    version_flag: String,
    programs: Vec<Program>,
    targets: Vec<Target>,
    #[serde(deserialize_with = "data::null_as_default")]
    notes: Vec<String>,
    builds: Vec<Record>,
}

#[derive(Deserialize)]
struct Host {
    goos: String,
    goarch: String,
    c_compiler: String,
}

#[derive(Deserialize)]
struct Target {
    goos: String,
    goarch: String,
}

#[derive(Deserialize)]
struct RunOutput {
    output: String,
}

/// One build as written: a binary, or Go's error.
#[derive(Deserialize)]
struct Record {
    id: String,
    command: String,
    ldflags: String,
    uses_cgo: bool,
    cgo_note: String,
    built: bool,
    build_error: Option<String>,
    binary: Option<Binary>,
    #[serde(default, deserialize_with = "data::null_as_default")]
    version_m: Vec<String>,
    run: Option<RunOutput>,
    scratch: Option<Scratch>,
}

impl TryFrom<Record> for Build {
    type Error = String;

    fn try_from(r: Record) -> Result<Build, String> {
        let outcome = if r.built {
            Ok(Built {
                binary: r.binary.ok_or(format!("{} has no binary", r.id))?,
                version_m: r.version_m,
                run_output: r.run.map(|run| run.output),
                scratch: r.scratch.ok_or(format!("{} has no scratch", r.id))?,
            })
        } else {
            Err(r.build_error.unwrap_or_default())
        };
        Ok(Build {
            id: r.id,
            command: r.command,
            ldflags: r.ldflags,
            uses_cgo: r.uses_cgo,
            cgo_note: r.cgo_note,
            outcome,
        })
    }
}

impl TryFrom<File> for BuildData {
    type Error = String;

    fn try_from(f: File) -> Result<BuildData, String> {
        if f.schema != "gopherscope/build-explorer/1" {
            return Err(format!(
                "its schema is {:?}, not gopherscope/build-explorer/1",
                f.schema
            ));
        }
        let names: Vec<&str> = f.programs.iter().map(|p| p.name.as_str()).collect();
        if names != PROGRAMS {
            return Err(format!("its programs are {names:?}, not {PROGRAMS:?}"));
        }
        let targets: Vec<String> = f
            .targets
            .iter()
            .map(|t| format!("{}-{}", t.goos, t.goarch))
            .collect();
        if targets != TARGETS {
            return Err(format!("its targets are {targets:?}, not {TARGETS:?}"));
        }
        Ok(BuildData {
            go_version: f.go_version,
            host: format!("{}-{}", f.host.goos, f.host.goarch),
            c_compiler: f.host.c_compiler,
            build_flags: f.build_flags,
            version_flag: f.version_flag,
            programs: f.programs,
            notes: f.notes,
            builds: f
                .builds
                .into_iter()
                .map(Build::try_from)
                .collect::<Result<_, _>>()?,
        })
    }
}

impl DataFile for BuildData {
    const URL: &'static str = data::BUILD_EXPLORER;

    /// Every combination the controls can make must have its record.
    fn check(&self) -> Result<(), String> {
        for (c, cgo) in Choice::every() {
            let id = c.id(cgo);
            if self.build(&id).is_none() {
                return Err(format!("it has no record {id}"));
            }
        }
        Ok(())
    }
}

impl BuildData {
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

/// The widget: loads the data, then shows [`Explorer`].
#[function_component(BuildExplorer)]
pub fn build_explorer() -> Html {
    let (load, retry) = data::use_data_file::<BuildData>();
    html! {
        <div class="widget build-explorer">
            { match load {
                Load::Ready(d) => html! { <Explorer data={d} /> },
                Load::Loading => html! { { load_status("the build records", None, &retry) } },
                Load::Failed(e) => html! { { load_status("the build records", Some(&e), &retry) } },
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
            { view_notices(&url.notices) }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checked_in_records_parse_and_every_choice_has_one() {
        let data: BuildData =
            data::parse(include_str!("../../../data/build-explorer.json")).unwrap();
        assert_eq!(data.host, "linux-amd64");
        assert_eq!(data.builds.len(), PROGRAMS.len() * TARGETS.len() * 8);
        let failed = data.builds.iter().filter(|b| b.outcome.is_err()).count();
        assert!(failed > 0, "the records include a build Go refused");
    }

    #[test]
    fn a_record_that_lost_its_binary_is_named() {
        let text = include_str!("../../../data/build-explorer.json").replacen(
            "\"binary\": {",
            "\"binary_gone\": {",
            1,
        );
        let e = data::parse::<BuildData>(&text).unwrap_err();
        assert!(e.contains("has no binary"), "{e}");
    }
}
