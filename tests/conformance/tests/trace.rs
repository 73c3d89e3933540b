//! The trace reader against Go's own: traces recorded now, with the pinned
//! Go, from the programs Go tests its reader with
//! (`src/internal/trace/testdata/testprog`, those that build without cgo),
//! each once as is and once with a new generation as often as the runtime
//! can start one (`GODEBUG=traceadvanceperiod=0`, as Go's stress tests
//! do). For every trace, `gopherscope trace FILE --print parsed` must print
//! exactly what `go tool trace -d=parsed FILE` prints, byte for byte. So
//! must the traces of our own sample programs (tests/conformance/go/traces,
//! recorded at test time by their script), and the samples the site ships.

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

/// `gopherscope trace --print parsed FILE` against `go tool trace
/// -d=parsed FILE`: what differs, if anything; and Go's lines.
fn compare_parsed(cli: &Path, file: &Path) -> (Option<String>, usize) {
    let go = go_command()
        .args(["tool", "trace", "-d=parsed"])
        .arg(file)
        .env("TZ", "UTC")
        .output()
        .expect("go tool trace runs");
    let ours = Command::new(cli)
        .args(["trace", "--print", "parsed"])
        .arg(file)
        .output()
        .expect("gopherscope runs");
    let lines = go.stdout.iter().filter(|&&b| b == b'\n').count();
    let name = file.display();
    if !go.status.success() || !ours.status.success() {
        return (
            Some(format!(
                "{name}: go tool trace: {}; gopherscope: {}",
                String::from_utf8_lossy(&go.stderr),
                String::from_utf8_lossy(&ours.stderr)
            )),
            lines,
        );
    }
    if ours.stdout != go.stdout {
        return (
            Some(format!(
                "{name}: the outputs differ at {}",
                first_difference(&ours.stdout, &go.stdout)
            )),
            lines,
        );
    }
    (None, lines)
}

/// The sample programs of tests/conformance/go/traces, recorded now by
/// their script (record.sh) into a temporary folder, and the samples the
/// site ships (web/data/traces, recorded the same way): each prints as
/// `go tool trace -d=parsed` prints it, and `--print summary` reads it.
#[test]
fn our_sample_traces_print_as_go_tool_trace_prints_them() {
    const SAMPLES: [&str; 5] = ["netpoll", "pipeline", "syscalls", "gc", "gomaxprocs"];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cli = gopherscope();
    let tmp = std::env::temp_dir().join(format!("gopherscope-samples-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("a temporary folder");
    let recorded = Command::new("sh")
        .arg(root.join("tests/conformance/go/traces/record.sh"))
        .arg(conformance::go())
        .arg(&tmp)
        .output()
        .expect("record.sh runs");
    assert!(
        recorded.status.success(),
        "record.sh failed: {}{}",
        String::from_utf8_lossy(&recorded.stdout),
        String::from_utf8_lossy(&recorded.stderr)
    );
    let shipped = root.join("web/data/traces");
    let mut failures = Vec::new();
    let (mut checked, mut lines) = (0, 0);
    for dir in [&tmp, &shipped] {
        for sample in SAMPLES {
            let file = dir.join(format!("{sample}.trace"));
            assert!(file.exists(), "{} is missing", file.display());
            let (failure, n) = compare_parsed(&cli, &file);
            failures.extend(failure);
            lines += n;
            checked += 1;
            let summary = Command::new(&cli)
                .args(["trace", "--print", "summary"])
                .arg(&file)
                .output()
                .expect("gopherscope runs");
            let text = String::from_utf8_lossy(&summary.stdout);
            if !summary.status.success() || !text.contains("GC cycles") {
                failures.push(format!(
                    "{}: --print summary: {}{text}",
                    file.display(),
                    String::from_utf8_lossy(&summary.stderr)
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!(
        "sample traces: {} of {checked} (5 recorded now, 5 shipped in web/data/traces) print byte for byte as go tool trace -d=parsed ({lines} lines of Go's output)",
        checked - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A Go varint.
fn push_uvarint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The inside of a Go string literal, as strconv.Unquote reads it (the
/// escapes strconv.Quote writes).
fn go_unquote(s: &str) -> Option<Vec<u8>> {
    let s = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = Vec::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.extend_from_slice(c.to_string().as_bytes());
            continue;
        }
        match chars.next()? {
            'x' => {
                let d: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&d, 16).ok()?);
            }
            'u' | 'U' => return None,
            'a' => out.push(7),
            'b' => out.push(8),
            'f' => out.push(12),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            'v' => out.push(11),
            c @ ('\\' | '"' | '\'') => out.push(c as u8),
            _ => return None,
        }
    }
    Some(out)
}

/// `key=value` tokens of a text-format event line, in order.
fn text_args(line: &str) -> Vec<(String, String)> {
    line.split_whitespace()
        .skip(1)
        .take_while(|t| !t.starts_with('#'))
        .filter_map(|t| t.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Mirrors internal/trace/raw/textreader.go `TextReader` and
/// internal/trace/raw/writer.go `Writer` (go1.27): the text format of Go's
/// trace tests, written out in the binary format.
fn text_to_binary(text: &str) -> Result<Vec<u8>, String> {
    use runtime_model::trace::spec::Version;
    let mut lines = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty());
    let header = lines.next().ok_or("no header")?;
    let minor: u32 = header
        .strip_prefix("Trace Go1.")
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("bad header {header:?}"))?;
    let v = Version(minor);
    let specs = v.specs();
    let mut out = format!("go 1.{minor} trace\x00\x00\x00").into_bytes();
    while let Some(line) = lines.next() {
        let name = line.split_whitespace().next().unwrap_or("");
        let typ = specs
            .iter()
            .position(|s| s.name == name && !s.name.is_empty())
            .ok_or_else(|| format!("unidentified event: {name}"))?;
        let spec = &specs[typ];
        let args = text_args(line);
        if args.len() != spec.args.len() || args.iter().zip(spec.args).any(|((k, _), n)| k != n) {
            return Err(format!("bad arguments in {line:?}"));
        }
        out.push(typ as u8);
        let mut values = Vec::new();
        for (_, val) in &args {
            let x: u64 = val.parse().map_err(|_| format!("bad value in {line:?}"))?;
            values.push(x);
            push_uvarint(&mut out, x);
        }
        if spec.is_stack {
            for _ in 0..values[1] {
                let frame = lines.next().ok_or("unexpected EOF while reading stack")?;
                for (_, val) in text_args(&format!("frame {frame}")) {
                    push_uvarint(&mut out, val.parse().map_err(|_| "bad frame")?);
                }
            }
        }
        if spec.has_data {
            let data_line = lines.next().ok_or("unexpected EOF while reading data")?;
            let quoted = data_line
                .strip_prefix("data=")
                .ok_or_else(|| format!("malformed data: {data_line:?}"))?;
            let data = go_unquote(quoted.trim()).ok_or("bad data literal")?;
            push_uvarint(&mut out, data.len() as u64);
            out.extend_from_slice(&data);
        }
    }
    Ok(out)
}

#[test]
fn go_trace_tests_get_the_same_verdict_and_print_the_same() {
    let dir = goroot().join("src/internal/trace/testdata/tests");
    let mut tests: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "test"))
        .collect();
    tests.sort();
    assert!(tests.len() >= 20, "too few trace tests: {}", tests.len());
    let cli = gopherscope();
    let tmp = std::env::temp_dir().join(format!("gopherscope-txtar-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("a temporary folder");
    let (mut failing, mut failures) = (0, Vec::new());
    for path in &tests {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let txt = std::fs::read_to_string(path).expect("the test reads");
        // txtar: "-- expect --" then "-- trace --".
        let expect_at = txt.find("-- expect --\n").expect("an expect file") + 13;
        let trace_at = txt.find("-- trace --\n").expect("a trace file");
        let expect = txt[expect_at..trace_at].lines().next().unwrap_or("");
        let binary = text_to_binary(&txt[trace_at + 12..])
            .unwrap_or_else(|e| panic!("{name}: the text trace does not convert: {e}"));
        let file = tmp.join(format!("{name}.trace"));
        std::fs::write(&file, &binary).expect("the trace is written");
        let ours = Command::new(&cli)
            .args(["trace", "--print", "parsed"])
            .arg(&file)
            .output()
            .expect("gopherscope runs");
        let go = go_command()
            .args(["tool", "trace", "-d=parsed"])
            .arg(&file)
            .env("TZ", "UTC")
            .output()
            .expect("go tool trace runs");
        let stderr = String::from_utf8_lossy(&ours.stderr);
        if let Some(pattern) = expect.strip_prefix("FAILURE ") {
            failing += 1;
            let pattern = go_unquote(pattern).expect("a quoted pattern");
            let re = regex::Regex::new(&String::from_utf8_lossy(&pattern)).expect("a regexp");
            if ours.status.success() || !re.is_match(&stderr) {
                failures.push(format!(
                    "{name}: want an error matching {re}, got: {stderr}"
                ));
            }
        } else if expect == "SUCCESS" {
            if !ours.status.success() {
                failures.push(format!("{name}: want success, got: {stderr}"));
            }
        } else {
            panic!("{name}: unknown expectation {expect:?}");
        }
        if go.status.success() != ours.status.success() || go.stdout != ours.stdout {
            failures.push(format!(
                "{name}: the output differs from go tool trace's at {}",
                first_difference(&ours.stdout, &go.stdout)
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!(
        "trace tests: {} of {} of Go's internal/trace/testdata/tests give Go's verdict ({failing} expect a failure) and print byte for byte as go tool trace -d=parsed",
        tests.len() - failures.len(),
        tests.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
