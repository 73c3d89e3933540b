//! The build explorer: pick a program, a target and the build flags, and
//! see what the real toolchain made of them: size, linking, symbols, DWARF,
//! whether it runs on an empty scratch image, and `go version -m`.
//!
//! Nothing here is modelled: every number is a record of a real build by
//! `tests/buildlab` (Go 1.27.3 on linux/amd64), fetched from
//! `data/build-explorer.json` (see [`crate::kit::data`]). State in the URL:
//! `?program=netserver&target=linux-amd64&cgo=1&strip=1&x=1`.

use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::kit::content::capitalise;
use crate::kit::controls::CopyLink;
use crate::kit::data::{self, Load, LoadStatus, Obj};
use crate::kit::query::use_query_state;

/// The programs the data measures, in the order the picker shows them.
pub const PROGRAMS: [&str; 2] = ["hello", "netserver"];
/// The targets, as `GOOS-GOARCH`; the first is the machine that built them.
pub const TARGETS: [&str; 4] = [
    "linux-amd64",
    "linux-arm64",
    "windows-amd64",
    "darwin-arm64",
];
/// Every query parameter the widget reads.
pub const PARAMS: [&str; 5] = ["program", "target", "cgo", "strip", "x"];

/// What the learner picked. `cgo: None` leaves CGO_ENABLED unset, so Go
/// decides (see [`BuildData::cgo_default`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Choice {
    pub program: usize,
    pub target: usize,
    pub cgo: Option<bool>,
    pub strip: bool,
    pub set_version: bool,
}

/// The raw value of `key`. The widget's values are plain ASCII words, so
/// nothing is decoded: anything else is reported as it stands.
fn param(query: &str, key: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
        .map(str::to_owned)
}

fn flag(query: &str, key: &str, what: &str, notices: &mut Vec<String>) -> Option<bool> {
    match param(query, key).as_deref() {
        None => None,
        Some("1") => Some(true),
        Some("0") => Some(false),
        Some(other) => {
            notices.push(format!(
                "{what}: the link says {key}={other:?}, but only 0 (off) and 1 (on) are allowed; showing the default."
            ));
            None
        }
    }
}

fn pick(query: &str, key: &str, allowed: &[&str], notices: &mut Vec<String>) -> usize {
    match param(query, key) {
        None => 0,
        Some(v) => allowed.iter().position(|a| *a == v).unwrap_or_else(|| {
            notices.push(format!(
                "There is no {key} {v:?}; showing {}. Allowed: {}.",
                allowed[0],
                allowed.join(", ")
            ));
            0
        }),
    }
}

impl Choice {
    /// Reads the widget's parameters from a query string; each malformed
    /// one falls back to its default and adds a notice naming what is
    /// allowed. Parameters the widget does not own are ignored.
    pub fn from_query(query: &str) -> (Choice, Vec<String>) {
        let mut notices = Vec::new();
        let choice = Choice {
            program: pick(query, "program", &PROGRAMS, &mut notices),
            target: pick(query, "target", &TARGETS, &mut notices),
            cgo: flag(query, "cgo", "CGO_ENABLED", &mut notices),
            strip: flag(query, "strip", "-ldflags=\"-s -w\"", &mut notices).unwrap_or(false),
            set_version: flag(query, "x", "-X main.version", &mut notices).unwrap_or(false),
        };
        (choice, notices)
    }

    pub fn program(&self) -> &'static str {
        PROGRAMS[self.program]
    }

    pub fn target(&self) -> &'static str {
        TARGETS[self.target]
    }

    /// The build Go makes when you only name the program and the target.
    pub fn plain(&self) -> Choice {
        Choice {
            program: self.program,
            target: self.target,
            ..Choice::default()
        }
    }

    /// The id of the record in `build-explorer.json`.
    pub fn id(&self, cgo: bool) -> String {
        format!(
            "{}.{}.cgo{}.{}.{}",
            self.program(),
            self.target(),
            u8::from(cgo),
            if self.strip { "sw" } else { "nosw" },
            if self.set_version { "x" } else { "nox" }
        )
    }
}

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

/// `1234567` as "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `numer / denom` rounded to `decimals` places, computed in integers.
pub fn fixed(numer: u64, denom: u64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let scaled = (numer * scale + denom / 2) / denom;
    let (int, frac) = (scaled / scale, scaled % scale);
    if decimals == 0 {
        int.to_string()
    } else {
        format!("{int}.{frac:0width$}", width = decimals as usize)
    }
}

/// Bytes in MiB with two decimals.
pub fn mib(bytes: u64) -> String {
    fixed(bytes, 1_048_576, 2)
}

/// A size as "2.23 MiB (2,338,030 bytes)".
pub fn size_text(bytes: u64) -> String {
    format!("{} MiB ({} bytes)", mib(bytes), thousands(bytes))
}

/// How a size compares with the default build's.
pub fn diff_text(bytes: u64, base: u64) -> String {
    if bytes == base {
        return "the same size as the default build".to_owned();
    }
    let (sign, d) = if bytes > base {
        ('+', bytes - base)
    } else {
        ('−', base - bytes)
    };
    format!(
        "{sign}{} bytes ({sign}{}%) against the default build",
        thousands(d),
        fixed(d * 100, base, 1)
    )
}

/// What the scratch check says, in a few words with a shape cue.
pub fn scratch_verdict(s: &Scratch) -> (&'static str, &'static str) {
    match s.runs {
        Some(true) => ("✓", "runs on an empty scratch image"),
        Some(false) => ("✗", "does not run on an empty scratch image"),
        None => ("–", "scratch does not apply: not a Linux binary"),
    }
}

/// How the scratch verdict was reached, when the note does not say.
fn scratch_method(s: &Scratch) -> String {
    match s.method.as_str() {
        "chroot" => format!(
            "Tested: {} exited with code {}. ",
            s.command,
            s.exit_code.map_or("none".to_owned(), |c| c.to_string())
        ),
        "derived" if !s.note.starts_with("Derived") => {
            "Derived from the linking facts, not run. ".to_owned()
        }
        _ => String::new(),
    }
}

/// The one-sentence summary read out when the choice changes.
pub fn summary(data: &BuildData, c: &Choice) -> String {
    let cgo = u8::from(data.cgo(c));
    let flags = match (c.strip, c.set_version) {
        (false, false) => String::new(),
        (true, false) => ", -s -w".to_owned(),
        (false, true) => ", -X".to_owned(),
        (true, true) => ", -s -w and -X".to_owned(),
    };
    let head = format!(
        "{} for {} with CGO_ENABLED={cgo}{flags}",
        c.program(),
        c.target().replace('-', "/")
    );
    match data.record(c).map(|b| &b.outcome) {
        None => format!("{head}: no record."),
        Some(Err(_)) => format!("{head}: did not build."),
        Some(Ok(built)) => format!(
            "{head}: {} MiB, {}ally linked, {}.",
            mib(built.binary.size_bytes),
            built.binary.linking,
            scratch_verdict(&built.scratch).1
        ),
    }
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
    let (query, set_query) = use_query_state();
    let (choice, notices) = Choice::from_query(&query);
    let cgo = data.cgo(&choice);
    let cgo_default = data.cgo_default(choice.target());

    let on_select = |key: &'static str| {
        let set_query = set_query.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let v = select.value();
                let v = (!v.is_empty()).then_some(v);
                set_query.emit(vec![(key, v)]);
            }
        })
    };
    let on_check = |key: &'static str| {
        let set_query = set_query.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                set_query.emit(vec![(key, input.checked().then(|| "1".to_owned()))]);
            }
        })
    };
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
            { for notices.iter().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
            <div class="controls build-controls">
                <span class="control">
                    <label for="bx-program">{ "Program" }</label>
                    <select id="bx-program" onchange={on_select("program")}>
                        { for PROGRAMS.iter().enumerate().map(|(i, p)| html! {
                            <option value={*p} selected={i == choice.program}>
                                { if *p == "netserver" { "netserver (net/http)" } else { "hello" } }
                            </option>
                        }) }
                    </select>
                </span>
                <span class="control">
                    <label for="bx-target">{ "GOOS/GOARCH" }</label>
                    <select id="bx-target" onchange={on_select("target")}>
                        { for TARGETS.iter().enumerate().map(|(i, t)| html! {
                            <option value={*t} selected={i == choice.target}>{ t.replace('-', "/") }</option>
                        }) }
                    </select>
                </span>
                <span class="control">
                    <label for="bx-cgo">{ "CGO_ENABLED" }</label>
                    <select id="bx-cgo" onchange={on_select("cgo")}>
                        <option value="" selected={choice.cgo.is_none()}>
                            { format!("unset (Go picks {})", u8::from(cgo_default)) }
                        </option>
                        <option value="0" selected={cgo_value == "0"}>{ "0" }</option>
                        <option value="1" selected={cgo_value == "1"}>{ "1" }</option>
                    </select>
                </span>
                <span class="control check">
                    <input type="checkbox" id="bx-strip" checked={choice.strip} onchange={on_check("strip")} />
                    <label for="bx-strip"><code>{ "-ldflags=\"-s -w\"" }</code></label>
                </span>
                <span class="control check">
                    <input type="checkbox" id="bx-x" checked={choice.set_version} onchange={on_check("x")} />
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

fn view_build(build: &Build, base: Option<&Built>, is_default: bool, program: &str) -> Html {
    let command = html! {
        <div class="build-command">
            <span class="console-label">{ "Build command (run in tests/buildlab)" }</span>
            <pre tabindex="0" aria-label="Build command"><code>{ format!("$ {}", build.command) }</code></pre>
        </div>
    };
    let built = match &build.outcome {
        Err(error) => {
            return html! {
                <>
                    { command }
                    <div class="build-failed">
                        <p><strong>{ "✗ This combination did not build." }</strong>{ " " }{ build.cgo_note.clone() }</p>
                        <span class="console-label">{ "What go build said" }</span>
                        <pre tabindex="0" aria-label="Build error"><code>{ error.clone() }</code></pre>
                    </div>
                </>
            };
        }
        Ok(built) => built,
    };
    let bin = &built.binary;
    let size_note = if is_default {
        "this is the default build".to_owned()
    } else {
        match base {
            Some(b) => diff_text(bin.size_bytes, b.binary.size_bytes),
            None => "the default build did not build".to_owned(),
        }
    };
    let static_link = bin.linking == "static";
    let (mark, verdict) = scratch_verdict(&built.scratch);
    let symbols = match (&bin.symbol_table, bin.keeps_symbols) {
        (Some(table), true) => format!("✓ kept: {table}, {} symbols", thousands(bin.symbols)),
        (Some(table), false) => format!(
            "✗ stripped: {table} holds only {} imported symbols, none of the program's own",
            bin.symbols - bin.defined_symbols
        ),
        (None, _) => "✗ stripped: no symbol table".to_owned(),
    };
    let dwarf = if bin.keeps_dwarf {
        format!("✓ kept: {} sections", bin.dwarf_sections.len())
    } else {
        "✗ removed: no DWARF sections".to_owned()
    };
    let trimpath = !build.ldflags.is_empty();
    html! {
        <>
            { command }
            <dl class="build-facts">
                <div>
                    <dt>{ "Size" }</dt>
                    <dd class="size">{ size_text(bin.size_bytes) }<br /><span class="muted">{ size_note }</span></dd>
                </div>
                <div>
                    <dt>{ "Linking" }</dt>
                    <dd class={classes!("linking", bin.linking.clone())}>
                        <strong>{ if static_link { "■ static" } else { "◇ dynamic" } }</strong>
                        { format!(" ({})", bin.format) }<br />
                        <span class="muted">{ bin.linking_note.clone() }</span>
                    </dd>
                </div>
                <div>
                    <dt>{ "Symbols" }</dt>
                    <dd class="symbols">{ symbols }</dd>
                </div>
                <div>
                    <dt>{ "DWARF" }</dt>
                    <dd class="dwarf">{ dwarf }</dd>
                </div>
                <div>
                    <dt>{ "Scratch image" }</dt>
                    <dd class={classes!("scratch", match built.scratch.runs { Some(true) => "runs", Some(false) => "fails", None => "na" })}>
                        <strong>{ format!("{mark} {}", capitalise(verdict)) }</strong><br />
                        <span class="muted">{ scratch_method(&built.scratch) }{ built.scratch.note.clone() }</span>
                        if !built.scratch.output.is_empty() {
                            <pre tabindex="0" aria-label="What the scratch run printed"><code>{ built.scratch.output.clone() }</code></pre>
                        }
                    </dd>
                </div>
                <div>
                    <dt>{ "cgo" }</dt>
                    <dd class="cgo">{ build.cgo_note.clone() }</dd>
                </div>
                if let Some(out) = &built.run_output {
                    <div>
                        <dt>{ "When run" }</dt>
                        <dd><code>{ out.clone() }</code></dd>
                    </div>
                }
            </dl>
            <figure class="version-m">
                <pre tabindex="0" aria-label="go version -m output"><code>{ built.version_m.join("\n") }</code></pre>
                <figcaption>
                    <code>{ format!("go version -m {program}") }</code>
                    { ": the build information the binary carries." }
                    if trimpath {
                        <strong>{ " No -ldflags line? " }</strong>
                    } else {
                        { " " }
                    }
                    { "With -trimpath, go build leaves -ldflags out of this record, because linker flags can \
                       hold paths of the machine that built it (go.dev/issue/52372); without -trimpath you \
                       would see a build -ldflags=... line." }
                </figcaption>
            </figure>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_picks_the_build_and_bad_values_fall_back_with_a_notice() {
        let (c, n) = Choice::from_query("program=netserver&target=darwin-arm64&cgo=0&strip=1&x=1");
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(c.id(false), "netserver.darwin-arm64.cgo0.sw.x");
        assert_eq!(c.cgo, Some(false));

        let (c, n) = Choice::from_query("origin=https%3A%2F%2Fa.example");
        assert_eq!((c, n), (Choice::default(), vec![]));

        let (c, n) = Choice::from_query("program=rust&target=plan9-386&cgo=yes&strip=2");
        assert_eq!(c, Choice::default());
        assert_eq!(n.len(), 4, "{n:?}");
        assert!(n[0].contains("\"rust\"") && n[0].contains("hello, netserver"));
        assert!(n[1].contains("linux-amd64, linux-arm64, windows-amd64, darwin-arm64"));
        assert!(n[2].contains("only 0 (off) and 1 (on)"));
    }

    #[test]
    fn every_combination_of_controls_names_a_checked_in_record() {
        let json = include_str!("../../../data/build-explorer.json");
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
                    assert!(json.contains(&format!("\"id\": \"{id}\"")), "{id}");
                }
            }
        }
    }

    #[test]
    fn sizes_read_like_a_person_wrote_them() {
        assert_eq!(thousands(2338030), "2,338,030");
        assert_eq!(thousands(999), "999");
        assert_eq!(size_text(1_048_576), "1.00 MiB (1,048,576 bytes)");
        assert_eq!(
            diff_text(1507488, 2338030),
            "−830,542 bytes (−35.5%) against the default build"
        );
        assert_eq!(diff_text(5, 5), "the same size as the default build");
        assert_eq!(fixed(1, 3, 2), "0.33");
        assert_eq!(fixed(2, 3, 1), "0.7");
        assert_eq!(fixed(199, 100, 0), "2");
    }
}
