//! The trace reader against Go's own: traces recorded now, with the pinned
//! Go, from the programs Go tests its reader with
//! (`src/internal/trace/testdata/testprog`, those that build without cgo),
//! each once as is and once with a new generation as often as the runtime
//! can start one (`GODEBUG=traceadvanceperiod=0`, as Go's stress tests
//! do). For every trace, `gopherscope trace FILE --print parsed` must print
//! exactly what `go tool trace -d=parsed FILE` prints, byte for byte.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use conformance::{go_command, goroot};

/// The CLI binary, built by cargo for this test.
fn gopherscope() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "-p",
            "gopherscope",
            "--message-format=json",
        ])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo builds the CLI");
    assert!(out.status.success(), "cargo build -p gopherscope failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["target"]["name"] == "gopherscope")
        .find_map(|v| v["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the gopherscope executable")
}

/// The test programs that build without cgo, by file name.
fn testprogs(dir: &Path) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".go"))
        .collect();
    names.sort();
    names.into_iter().partition(|n| {
        let src = std::fs::read_to_string(dir.join(n)).unwrap_or_default();
        !src.contains("import \"C\"")
    })
}

/// The first line where two outputs differ, for the failure message.
fn first_difference(ours: &[u8], go: &[u8]) -> String {
    let ours: Vec<&[u8]> = ours.split(|&b| b == b'\n').collect();
    let go: Vec<&[u8]> = go.split(|&b| b == b'\n').collect();
    for i in 0..ours.len().max(go.len()) {
        let (a, b) = (ours.get(i), go.get(i));
        if a != b {
            let show = |l: Option<&&[u8]>| {
                l.map_or("(no line)".to_string(), |l| {
                    String::from_utf8_lossy(l).into_owned()
                })
            };
            return format!(
                "line {}:\n  gopherscope: {}\n  go:          {}",
                i + 1,
                show(a),
                show(b)
            );
        }
    }
    "no difference".into()
}

#[test]
fn every_testprog_trace_prints_as_go_tool_trace_prints_it() {
    let trace_dir = goroot().join("src/internal/trace");
    let (progs, cgo) = testprogs(&trace_dir.join("testdata/testprog"));
    assert!(progs.len() >= 10, "too few test programs found: {progs:?}");
    let cli = gopherscope();
    let tmp = std::env::temp_dir().join(format!("gopherscope-traces-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("a temporary folder");

    let mut checked = 0;
    let mut events = 0usize;
    let mut failures = Vec::new();
    for prog in &progs {
        let bin = tmp.join(prog.trim_end_matches(".go"));
        let built = go_command()
            .args(["build", "-o"])
            .arg(&bin)
            .arg(format!("./testdata/testprog/{prog}"))
            .current_dir(&trace_dir)
            .output()
            .expect("go build runs");
        assert!(
            built.status.success(),
            "go build {prog}: {}",
            String::from_utf8_lossy(&built.stderr)
        );
        for (mode, godebug) in [
            ("", "tracecheckstackownership=1"),
            (
                " (stress)",
                "tracecheckstackownership=1,traceadvanceperiod=0",
            ),
        ] {
            let run = Command::new(&bin)
                .env("GODEBUG", godebug)
                .output()
                .expect("the test program runs");
            assert!(
                run.status.success(),
                "{prog}{mode} failed: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            let file = tmp.join(format!("{prog}{}.trace", mode.trim()));
            std::fs::write(&file, &run.stdout).expect("the trace is written");

            let go = go_command()
                .args(["tool", "trace", "-d=parsed"])
                .arg(&file)
                .env("TZ", "UTC")
                .output()
                .expect("go tool trace runs");
            let ours = Command::new(&cli)
                .args(["trace", "--print", "parsed"])
                .arg(&file)
                .output()
                .expect("gopherscope runs");
            checked += 1;
            events += go.stdout.iter().filter(|&&b| b == b'\n').count();
            if go.status.success() != ours.status.success() {
                failures.push(format!(
                    "{prog}{mode}: go tool trace {} but gopherscope {}: {}{}",
                    if go.status.success() {
                        "succeeds"
                    } else {
                        "fails"
                    },
                    if ours.status.success() {
                        "succeeds"
                    } else {
                        "fails"
                    },
                    String::from_utf8_lossy(&go.stderr),
                    String::from_utf8_lossy(&ours.stderr)
                ));
            } else if ours.stdout != go.stdout {
                failures.push(format!(
                    "{prog}{mode}: the outputs differ at {}",
                    first_difference(&ours.stdout, &go.stdout)
                ));
            }
        }
    }

    // `-` reads the trace from standard input, and prints the same.
    let file = tmp.join(format!("{}.trace", progs[0]));
    let direct = Command::new(&cli)
        .args(["trace", "--print", "parsed"])
        .arg(&file)
        .output()
        .expect("gopherscope runs");
    let piped = Command::new(&cli)
        .args(["trace", "-", "--print", "parsed"])
        .stdin(std::fs::File::open(&file).expect("the trace opens"))
        .output()
        .expect("gopherscope runs");
    assert!(piped.status.success() && piped.stdout == direct.stdout);

    let _ = std::fs::remove_dir_all(&tmp);
    println!(
        "trace conformance: {} of {checked} traces from {} test programs print byte for byte as go tool trace -d=parsed ({events} lines of Go's output); skipped for cgo: {}",
        checked - failures.len(),
        progs.len(),
        cgo.join(", ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
