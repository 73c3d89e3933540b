//! The build explorer's and the toolchain page's data against the real
//! toolchain: `web/data/build-explorer.json` and `web/data/toolchain.json`
//! are written by `tests/buildlab` (`go run . write`); here a representative
//! subset is built again and the deterministic tool excerpts are captured
//! again, and both must equal what is checked in. After a Go upgrade this
//! fails until the data is regenerated.
//!
//! Needs root on linux/amd64 with gcc, like the generator: native binaries
//! are run alone in an empty root with chroot.

use conformance::{go, go_command, go_version};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Rebuilt on every run: hello natively with and without `-s -w` (and with
/// -X), netserver natively with and without cgo, and cross targets: a
/// static linux/arm64 ELF, a PE, and the cgo build Go refuses without a
/// cross compiler.
const REBUILT: &[&str] = &[
    "hello.linux-amd64.cgo0.nosw.nox",
    "hello.linux-amd64.cgo0.sw.nox",
    "hello.linux-amd64.cgo0.nosw.x",
    "netserver.linux-amd64.cgo1.nosw.nox",
    "netserver.linux-amd64.cgo0.nosw.nox",
    "hello.linux-arm64.cgo0.sw.x",
    "hello.windows-amd64.cgo0.nosw.nox",
    "netserver.linux-arm64.cgo1.nosw.nox",
];

/// The tools whose output does not change from run to run (pprof samples
/// and trace timestamps do).
const RECAPTURED: &[&str] = &["compile", "link", "nm", "version"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn checked_in(name: &str) -> Value {
    let path = root().join("web/data").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Runs the generator (`go run . MODE ARGS...` in tests/buildlab) and parses
/// the JSON array it prints.
fn generator(mode: &str, args: &[&str]) -> Vec<Value> {
    let out = go_command()
        .args(["run", ".", mode])
        .args(args)
        .env("GOPHERSCOPE_GO", go())
        .current_dir(root().join("tests/buildlab"))
        .output()
        .expect("go run starts");
    assert!(
        out.status.success(),
        "go run . {mode} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout).expect("the generator prints JSON") {
        Value::Array(records) => records,
        other => panic!("expected a JSON array, got {other}"),
    }
}

/// The record in `records` whose `key` field is `value`.
fn find<'a>(records: &'a Value, key: &str, value: &str) -> &'a Value {
    records
        .as_array()
        .expect("an array of records")
        .iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("no record with {key} {value}"))
}

/// The fields in which two records differ, each with both values.
fn differences(recorded: &Value, fresh: &Value) -> Vec<String> {
    let (Some(a), Some(b)) = (recorded.as_object(), fresh.as_object()) else {
        return vec![format!("recorded {recorded}\n  now {fresh}")];
    };
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| {
            format!(
                "{k}: recorded {}\n  now {}",
                a.get(k).unwrap_or(&Value::Null),
                b.get(k).unwrap_or(&Value::Null)
            )
        })
        .collect()
}

fn assert_same(what: &str, recorded: &Value, fresh: &Value) {
    let diff = differences(recorded, fresh);
    assert!(
        diff.is_empty(),
        "{what} no longer matches the toolchain (regenerate with `go run . write` in tests/buildlab):\n{}",
        diff.join("\n")
    );
}

#[test]
fn the_data_was_made_by_this_go() {
    let version = go_version();
    for file in ["build-explorer.json", "toolchain.json"] {
        assert_eq!(
            checked_in(file)["go_version"],
            version.as_str(),
            "web/data/{file} was generated with another Go"
        );
    }
}

#[test]
fn rebuilding_gives_the_recorded_binaries() {
    let data = checked_in("build-explorer.json");
    let fresh = generator("builds", REBUILT);
    assert_eq!(fresh.len(), REBUILT.len());
    for record in &fresh {
        let id = record["id"].as_str().expect("an id");
        assert_same(id, find(&data["builds"], "id", id), record);
    }
}

#[test]
fn deterministic_tool_excerpts_come_from_this_go() {
    let data = checked_in("toolchain.json");
    for record in generator("tools", RECAPTURED) {
        let name = record["name"].as_str().expect("a name");
        assert_eq!(record["deterministic"], true, "{name}");
        assert_same(name, find(&data["tools"], "name", name), &record);
    }
    let version = &find(&data["tools"], "name", "version")["excerpt"][0];
    assert_eq!(*version, format!("hello: {}", go_version()));
}

/// The facts the explorer teaches hold across the whole checked-in grid,
/// not only in the rebuilt subset.
#[test]
fn the_grid_is_complete_and_tells_the_lessons() {
    let data = checked_in("build-explorer.json");
    let builds = data["builds"].as_array().expect("builds");
    let ids: std::collections::BTreeSet<&str> = builds
        .iter()
        .map(|b| b["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 2 * 4 * 2 * 2 * 2, "one record per combination");

    for b in builds {
        let id = b["id"].as_str().unwrap_or_default();
        if b["built"] == false {
            // Only cgo code for another machine may fail to build.
            assert!(
                b["cgo_enabled"] == true && b["uses_cgo"] == true && b["native"] == false,
                "{id}"
            );
            assert!(
                b["build_error"]
                    .as_str()
                    .is_some_and(|e| e.contains("C compiler")),
                "{id}"
            );
            continue;
        }
        let bin = &b["binary"];
        let stripped = b["strip"] == true;
        assert_eq!(
            bin["keeps_symbols"], !stripped,
            "{id}: -s removes the symbol table"
        );
        assert_eq!(bin["keeps_dwarf"], !stripped, "{id}: -w removes DWARF");
        if b["goos"] == "linux" {
            let dynamic = b["uses_cgo"] == true;
            assert_eq!(
                bin["linking"],
                if dynamic { "dynamic" } else { "static" },
                "{id}"
            );
            assert_eq!(
                b["scratch"]["runs"], !dynamic,
                "{id}: only static binaries run on scratch"
            );
        }
        if b["native"] == true {
            assert_eq!(b["scratch"]["method"], "chroot", "{id}");
            let version = if b["set_version"] == true {
                "1.2.3"
            } else {
                "dev"
            };
            assert_eq!(b["run"]["printed_version"], version, "{id}");
        }
    }
}
