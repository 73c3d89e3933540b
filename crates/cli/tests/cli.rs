//! The built `gopherscope` binary: help, usage errors and exit codes, and
//! the output of representative invocations (as before clap parsed them).

use std::io::Write;
use std::process::{Command, Output, Stdio};

const COMMANDS: &[&str] = &[
    "values",
    "iface",
    "escape",
    "alloc",
    "sched",
    "layout",
    "sizeclasses",
    "gc",
    "gc mark",
    "gc pacer",
    "logs",
];

fn gopherscope(args: &str) -> Output {
    gopherscope_with_stdin(args, "")
}

fn gopherscope_with_stdin(args: &str, stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gopherscope"))
        .args(args.split_whitespace())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Stdout of a run that must succeed.
fn ok(args: &str) -> String {
    let out = gopherscope(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args}: {stderr}");
    assert!(stderr.is_empty(), "{args}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// Stderr of a run that must fail with exit code 2 and print nothing.
fn fails(args: &str) -> String {
    let out = gopherscope(args);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args}: {stderr}");
    assert!(out.stdout.is_empty(), "{args}");
    stderr
}

fn temp_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("gopherscope-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

const STRUCT: &str = "package p\ntype T struct { a bool; b int64; c bool }\n";

#[test]
fn no_arguments_and_help_list_every_command() {
    let help = ok("help");
    assert_eq!(ok(""), help);
    assert_eq!(ok("--help"), help);
    assert_eq!(ok("-h"), help);
    assert!(help.starts_with("The Go runtime model on the command line"));
    // The top-level commands: the table's entries without a subcommand.
    for cmd in COMMANDS.iter().filter(|c| !c.contains(' ')) {
        assert!(help.contains(&format!("\n  {cmd} ")), "{cmd}: {help}");
    }
    // The benchmark-only `gc bench` stays out of the help.
    assert!(!ok("gc --help").contains("bench"));
}

#[test]
fn every_command_has_help_that_exits_0() {
    for cmd in COMMANDS {
        let help = ok(&format!("{cmd} --help"));
        assert!(
            help.contains(&format!("Usage: gopherscope {cmd}")),
            "{cmd}: {help}"
        );
        assert_eq!(ok(&format!("help {cmd}")), help, "{cmd}");
    }
    assert!(ok("layout --help").contains("<FILE>"));
    assert!(ok("values --help").contains("[possible values: amd64, arm64, 386"));
    assert!(ok("gc mark --help").contains("[possible values: hybrid, dijkstra, yuasa, none]"));
    let sched = ok("sched --help");
    assert!(
        sched.contains("run-order") && !sched.contains("rewind"),
        "{sched}"
    );
}

#[test]
fn an_unknown_flag_exits_2_and_names_it() {
    for cmd in COMMANDS {
        let args = if *cmd == "alloc" {
            "alloc 8 --bogus".to_owned()
        } else {
            format!("{cmd} --bogus")
        };
        let err = fails(&args);
        assert!(
            err.contains("unexpected argument '--bogus'"),
            "{args}: {err}"
        );
    }
    assert!(fails("frobnicate").contains("unrecognized subcommand 'frobnicate'"));
    assert!(fails("gc bogus").contains("unrecognized subcommand 'bogus'"));
    assert!(fails("values --goarch").contains("a value is required for '--goarch <ARCH>'"));
    assert!(fails("sched --preset spawn-order extra").contains("unexpected argument 'extra'"));
    assert!(fails("alloc 1 2").contains("unexpected argument '2'"));
}

#[test]
fn a_bad_value_names_what_is_allowed() {
    let cases = [
        (
            "values --goarch x86",
            "invalid value 'x86' for '--goarch <ARCH>'",
            "amd64, arm64, 386, arm, wasm",
        ),
        (
            "sched --preset spawn-order --print bogus",
            "invalid value 'bogus' for '--print <WHAT>'",
            "[possible values: run-order, schedtrace, events]",
        ),
        (
            "sched --preset nope",
            "invalid value 'nope' for '--preset <NAME>'",
            "presets: spawn-order, fan-out",
        ),
        (
            "iface --snippet nope",
            "invalid value 'nope' for '--snippet <NAME>'",
            "known: typed-nil, typed-nil-fix",
        ),
        (
            "gc mark --preset hide-pointer --barrier bogus",
            "invalid value 'bogus' for '--barrier <B>'",
            "[possible values: hybrid, dijkstra, yuasa, none]",
        ),
        (
            "gc mark --preset bogus",
            "invalid value 'bogus' for '--preset <NAME>'",
            "allowed: hide-pointer",
        ),
        (
            "gc pacer --seconds 1 --print bogus",
            "invalid value 'bogus' for '--print <WHAT>'",
            "[possible values: gctrace, summary]",
        ),
        (
            "gc pacer --seconds 1 --gogc 1e2",
            "invalid value '1e2' for '--gogc <N|off>'",
            "\"off\" or a decimal integer",
        ),
        (
            "gc pacer --seconds 1 --gomemlimit 512MB",
            "invalid value '512MB' for '--gomemlimit <LIMIT>'",
            "B, KiB, MiB, GiB or TiB",
        ),
        (
            "alloc 12kb",
            "invalid value '12kb' for '<SIZE>'",
            "SIZE must be a whole number of bytes",
        ),
        (
            "alloc -5",
            "invalid value '-5' for '<SIZE>'",
            "SIZE must be a whole number of bytes",
        ),
        (
            "sched --preset spawn-order --n -3",
            "invalid value '-3' for '--n <N>'",
            "is negative",
        ),
        (
            "sched --preset spawn-order --schedtrace x",
            "invalid value 'x' for '--schedtrace <DUR>'",
            "not a duration like 250ns, 20us, 10ms or 2s",
        ),
        (
            "gc pacer --seconds 1 --gomaxprocs 0",
            "invalid value '0' for '--gomaxprocs <P>'",
            "at least 1",
        ),
    ];
    for (args, what, allowed) in cases {
        let err = fails(args);
        assert!(err.starts_with(&format!("error: {what}")), "{args}: {err}");
        assert!(err.contains(allowed), "{args}: {err}");
    }
}

#[test]
fn missing_arguments_are_usage_errors() {
    for (args, missing) in [
        ("layout", "<FILE>"),
        ("logs", "<FILE>"),
        ("alloc", "<SIZE>"),
        ("gc mark", "--preset <NAME>"),
        ("gc pacer", "--seconds <S>"),
    ] {
        let err = fails(args);
        assert!(
            err.starts_with("error: the following required arguments were not provided:"),
            "{args}: {err}"
        );
        assert!(err.contains(missing), "{args}: {err}");
    }
    assert!(fails("gc").contains("Usage: gopherscope gc <COMMAND>"));
    let both = fails(&format!(
        "sched --preset spawn-order --scenario {}",
        temp_file("both.sched", "func main\nend\n")
    ));
    assert!(both.contains("'--preset <NAME>' cannot be used with '--scenario <FILE>'"));
}

/// Errors about the input, not the command line: `gopherscope: ` and the
/// message, exit 2, as before clap.
#[test]
fn input_errors_keep_their_messages() {
    let bad = temp_file("bad.go", "type T struct {\n\tx T\n}\n");
    assert_eq!(
        fails(&format!("layout {bad}")),
        format!("gopherscope: {bad}:1:6: invalid recursive type: T refers to itself\n")
    );
    assert!(fails("layout /nonexistent/x.go")
        .starts_with("gopherscope: cannot read /nonexistent/x.go: "));
    assert_eq!(
        fails("sched"),
        "gopherscope: sched needs --preset NAME or --scenario FILE (sched --list shows presets)\n"
    );
    assert_eq!(
        fails("sched --preset spawn-order --gomaxprocs 0"),
        "gopherscope: GOMAXPROCS 0 is out of range: it must be between 1 and 256\n"
    );
    assert_eq!(
        fails("sched --preset spawn-order --n 10000000"),
        "gopherscope: preset spawn-order: the scenario creates 10000001 goroutines; the limit is 10000\n"
    );
    let scenario = temp_file("bad.sched", "gomaxprocs 2\nfunc main\n  sleep -1ms\nend\n");
    assert_eq!(
        fails(&format!("sched --scenario {scenario}")),
        format!("gopherscope: {scenario}: line 3: duration \"-1ms\" is negative; durations cannot be negative\n")
    );
    assert_eq!(
        fails(&format!("sched --scenario {scenario} --n 3")),
        "gopherscope: --n applies to presets; a scenario file sets its own sizes\n"
    );
    assert_eq!(
        fails("alloc 281474976710657"),
        "error: invalid value '281474976710657' for '<SIZE>': SIZE 281474976710657 is larger than any Go heap (2^48 bytes)\n\nFor more information, try '--help'.\n"
    );
}

#[test]
fn representative_outputs_are_unchanged() {
    assert_eq!(
        ok("alloc 33 --noscan"),
        "mallocgc(33 B, pointer-free) -> small via mallocgcSmallNoScanSC5\n  \
         generated for this size class (size-specialised malloc, on by default); without it (e.g. -race): mallocgcSmallNoscan, same class\n  \
         size class 5: 48 B slots, 170 per 1-page span\n  \
         rounding waste: 15 B; usable (roundupsize): 48 B\n"
    );
    assert_eq!(
        ok("alloc 0"),
        "mallocgc(0 B, with pointers) -> zerobase via mallocgc\n  \
         no memory: the pointer is &zerobase\n  \
         rounding waste: 0 B; usable (roundupsize): 0 B\n"
    );
    let t = temp_file("t.go", STRUCT);
    let layout = ok(&format!("layout {t}"));
    let body = layout.split_once("\n\n").unwrap().1;
    assert_eq!(
        body,
        "type T struct: size 24, align 8, pointer bytes 0
  offset   size align  field
       0      1     1  a bool
       1      7        (padding)
       8      8     8  b int64
      16      1     1  c bool
      17      7        (trailing padding)
  fieldalignment: b, a, c -> size 16, pointer bytes 0 (8 bytes saved)
  heap: 24 B via mallocgcSmallNoScanSC3, size class 3, 0 B lost
"
    );
    assert!(layout.starts_with("GOARCH=amd64 (word 8 B), after go"));
    // FILE may be `-`, and options may follow it.
    let out = gopherscope_with_stdin("layout - --goarch 386 --json", STRUCT);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["T"]["size"], 16);
    assert_eq!(ok("sched --preset spawn-order --n 5"), "4 0 1 2 3\n");
    assert_eq!(ok("sched --preset=spawn-order --n=5"), "4 0 1 2 3\n");
    let sizes = ok("sizeclasses");
    assert_eq!(sizes.lines().count(), 68);
    assert_eq!(
        sizes.lines().next().unwrap(),
        "class  bytes/obj  bytes/span  objects  tail waste  max waste  min align"
    );
    assert!(ok("values --goarch 386").starts_with("GOARCH=386 (word 4 B, max align 4 B), after go"));
    assert!(ok("iface")
        .starts_with("interface snippets (gopherscope iface --snippet NAME):\n\n  typed-nil "));
    assert!(ok("escape").starts_with("escape analysis, as go build -gcflags=-m reports it (go"));
    assert!(ok("gc mark --preset hide-pointer --barrier none")
        .ends_with("# freed while reachable: o2\n"));
    let summary = ok("gc pacer --live-mb 64 --alloc-mb-per-sec 256 --seconds 2 --print summary");
    let keys: Vec<&str> = summary
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(keys, ["GCs", "GCCPUFraction", "peak memory"]);
}

/// Leaving an option out is the same as giving its default.
#[test]
fn defaults_are_unchanged() {
    let t = temp_file("d.go", STRUCT);
    for (short, explicit) in [
        ("values", "values --goarch amd64".to_owned()),
        (&format!("layout {t}"), format!("layout --goarch=amd64 {t}")),
        ("iface", "iface".to_owned()),
        (
            "sched --preset fan-out",
            "sched --preset fan-out --print run-order --max-steps 100000000".to_owned(),
        ),
        (
            "gc mark --preset random",
            "gc mark --preset random --barrier hybrid --seed 1 --steps 400".to_owned(),
        ),
        (
            "gc pacer --seconds 3",
            "gc pacer --seconds 3 --live-mb 0 --alloc-mb-per-sec 0 --gogc 100 --gomemlimit off \
             --object-bytes 64 --pointer-bytes 32 --shape fanout --stacks-kb 8 --globals-kb 160 --gomaxprocs 2 --print gctrace"
                .to_owned(),
        ),
    ] {
        assert_eq!(ok(short), ok(&explicit), "{short}");
    }
    let pacer = "gc pacer --live-mb 64 --alloc-mb-per-sec 256 --seconds 2";
    assert_eq!(
        ok(pacer),
        ok(&format!(
            "{pacer} --gogc 100 --object-bytes 64 --pointer-bytes 32 --shape fanout --stacks-kb 8 --globals-kb 160 --gomaxprocs 2"
        ))
    );
    assert_ne!(ok(pacer), ok(&format!("{pacer} --gogc 50")));
}

/// The options `cargo xtask bench` passes are still accepted.
#[test]
fn benchmark_options_still_work() {
    let t = temp_file("b.go", STRUCT);
    assert!(ok(&format!("layout --repeat 3 {t}")).starts_with("3 analyses in "));
    let stats = ok("sched --preset yield --n 10 --max-steps 1000 --print stats");
    assert!(stats.starts_with("events=1000 "), "{stats}");
    let rewind = ok("sched --preset yield --n 10 --max-steps 1000 --print rewind");
    assert!(rewind.starts_with("steps=1000 "), "{rewind}");
    let bench = ok("gc bench --objects 1000 --slots 2");
    assert!(bench.starts_with("mark drain=greentea workers=1 objects=1000 slots=2 "));
    assert!(ok("gc bench --help").contains("--objects <N>"));
}

/// `logs`: a pasted log read back, the lines it did not understand listed
/// with their numbers, and nothing understood is an input error.
#[test]
fn logs_reads_gctrace_and_schedtrace_and_lists_the_rest() {
    let log = "gc 1 @0.006s 3%: 0.099+0.40+0.040 ms clock, 0.19+0.081/0.24/0+0.080 ms cpu, 3->3->2 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n\
               hello from main\n\
               gc 2 @1.250s 12%: 1.1+15+0.002 ms clock, 2.3+0/0.13/0.087+0.005 ms cpu, 66->70->37 MB, 72 MB goal, 1 MB stacks, 0 MB globals, 2 P (forced)\n\
               SCHED 1004ms: gomaxprocs=2 idleprocs=0 threads=5 spinningthreads=1 needspinning=0 idlethreads=2 runqueue=7 [ 3 0 ] schedticks=[ 10 4 ]\n";
    let out = gopherscope_with_stdin("logs -", log);
    assert_eq!(out.status.code(), Some(0));
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.starts_with(
            "# 4 lines: 2 GC cycles, 1 schedtrace samples, 0 scavenger lines, 1 not understood\n"
        ),
        "{out}"
    );
    let rows: Vec<Vec<&str>> = out
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split_whitespace().collect())
        .collect();
    // line, cycle, at, before, after, live, goal, CPU, STW start, mark, STW end, P, note
    assert_eq!(
        rows[0],
        ["1", "1", "0.006", "3", "3", "2", "4", "3%", "0.099", "0.40", "0.040", "2"]
    );
    assert_eq!(
        rows[1][..12],
        ["3", "2", "1.250", "66", "70", "37", "72", "12%", "1.1", "15", "0.002", "2"]
    );
    assert!(rows[1].join(" ").ends_with("forced (runtime.GC)"));
    assert_eq!(
        rows[2],
        ["4", "1004", "2", "0", "5", "1", "2", "7", "[3", "0]"]
    );
    assert!(
        out.contains("line 2: not a gctrace or schedtrace line"),
        "{out}"
    );
    assert!(out.contains("    | hello from main"), "{out}");
    let file = temp_file("gc.log", log);
    assert_eq!(ok(&format!("logs {file}")), out);
    let none = fails(&format!("logs {}", temp_file("none.log", "just text\n")));
    assert!(none.starts_with("gopherscope: "), "{none}");
    assert!(
        none.contains("no gctrace or schedtrace line in 1 lines"),
        "{none}"
    );
    assert!(none.contains("line 1: not a gctrace"), "{none}");
    assert!(fails("logs /nonexistent/x.log")
        .starts_with("gopherscope: cannot read /nonexistent/x.log: "));
}
