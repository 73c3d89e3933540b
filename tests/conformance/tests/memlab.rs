//! The memory lab against the real Go toolchain: every interface snippet's
//! output and panic, the type descriptors and conversions behind its data
//! words, every escape verdict, the stack's growth and shrinking, and the
//! allocator's rounding and tiny path.

use std::path::{Path, PathBuf};
use std::process::Output;

use conformance::{go_command, run_go};
use runtime_model::escape::catalogue;
use runtime_model::iface::{snippets, GO_TYPES};
use runtime_model::malloc::{plan_alloc, roundupsize, AllocPath};
use runtime_model::stack::{StackEventKind, StackSim};
use serde_json::Value;

/// A fresh directory holding `source` as main.go of its own module.
fn module_dir(name: &str, source: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("gopherscope-memlab-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("go.mod"), "module snippet\n\ngo 1.27\n").expect("go.mod");
    std::fs::write(dir.join("main.go"), source).expect("main.go");
    dir
}

/// `go build` in `dir` with `gcflags`; returns the compiler's diagnostics.
fn build(dir: &Path, gcflags: &str) -> String {
    let out = go_command()
        .args(["build", "-o", "prog", &format!("-gcflags={gcflags}"), "."])
        .current_dir(dir)
        .output()
        .expect("go build runs");
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "go build failed in {}:\n{text}",
        dir.display()
    );
    text
}

fn run_built(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(dir.join("prog"))
        .args(args)
        .output()
        .expect("the built program runs")
}

/// Diagnostics on `line` of main.go, without the "./main.go:L:C: " prefix.
fn diagnostics_on_line(diags: &str, line: usize) -> Vec<String> {
    let prefix = format!("./main.go:{line}:");
    diags
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|rest| rest.split_once(": ").map(|(_col, msg)| msg.to_owned()))
        .collect()
}

#[test]
fn every_interface_snippet_prints_and_panics_as_the_model_says() {
    let mut wrong = Vec::new();
    for snip in snippets() {
        let dir = module_dir(snip.name, snip.source);
        build(&dir, "");
        let out = run_built(&dir, &[]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stdout != snip.output() {
            wrong.push(format!(
                "{}: Go prints {stdout:?}, the model {:?}",
                snip.name,
                snip.output()
            ));
        }
        let first = stderr.lines().next();
        match snip.panic() {
            Some(p) if first != Some(p) || out.status.code() != Some(2) => wrong.push(format!(
                "{}: Go exits {:?} with {first:?}, the model panics {p:?}",
                snip.name,
                out.status.code()
            )),
            None if !out.status.success() => wrong.push(format!(
                "{}: Go fails with {stderr}, the model does not",
                snip.name
            )),
            _ => {}
        }
        let _ = std::fs::remove_dir_all(dir);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_data_word_claim_matches_the_compilers_conversion() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for snip in snippets() {
        let dir = module_dir(&format!("conv-{}", snip.name), snip.source);
        let diags = build(&dir, "-m -d=escapedebug=1");
        for step in &snip.steps {
            let Some((var, how)) = step.conversion else {
                continue;
            };
            checked += 1;
            let real: Vec<String> = diagnostics_on_line(&diags, step.line)
                .into_iter()
                .filter_map(|m| {
                    m.strip_prefix("convert: ")
                        .map(|m| m.split(':').next().unwrap_or("").to_owned())
                })
                .collect();
            let model: Vec<String> = how.diagnostic().map(str::to_owned).into_iter().collect();
            if real != model {
                wrong.push(format!(
                    "{} line {} ({var}): the compiler says {real:?}, the model {how:?} implies {model:?}",
                    snip.name, step.line
                ));
            }
        }
        let _ = std::fs::remove_dir_all(dir);
    }
    assert!(checked >= 10, "only {checked} conversions checked");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn type_words_carry_the_runtimes_sizes_and_hashes() {
    let answer: Value = serde_json::from_str(&run_go("memlab_types", &[], "")).expect("JSON");
    let mut wrong = Vec::new();
    for t in GO_TYPES {
        let real = &answer[t.name];
        if real["size"].as_u64() != Some(t.size)
            || real["hash"].as_u64() != Some(u64::from(t.hash))
            || real["direct"].as_bool() != Some(t.direct_iface)
        {
            wrong.push(format!("{}: Go says {real}, the model {t:?}", t.name));
        }
    }
    // An itab's Hash is a copy of its concrete type's.
    let myerr = GO_TYPES
        .iter()
        .find(|t| t.name == "*main.MyErr")
        .expect("MyErr");
    assert_eq!(
        answer["itab(error,*main.MyErr)"]["hash"].as_u64(),
        Some(u64::from(myerr.hash))
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_escape_verdict_matches_go_build_gcflags_m() {
    let mut wrong = Vec::new();
    for case in catalogue() {
        let dir = module_dir(&format!("esc-{}", case.name), case.source);
        let diags = build(&dir, "-m");
        let on_line = diagnostics_on_line(&diags, case.line);
        if !on_line.iter().any(|m| m == case.verdict) {
            wrong.push(format!(
                "{} line {}: the model says {:?}, go build -gcflags=-m says {on_line:?}",
                case.name, case.line, case.verdict
            ));
        }
        let _ = std::fs::remove_dir_all(dir);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The bytes in use each time the model's stack grows.
fn model_grow_points(base: u64, frame: u64, depth: usize) -> Vec<u64> {
    let mut sim = StackSim::recursion(base, frame, depth, 0);
    sim.run()
        .into_iter()
        .filter_map(|e| match e.kind {
            StackEventKind::Grow { used, .. } => Some(used),
            _ => None,
        })
        .collect()
}

#[test]
fn stacks_grow_by_doubling_and_shrink_by_halving_like_real_go() {
    let answer: Value = serde_json::from_str(&run_go("memlab_stack", &[], "")).expect("JSON");
    let frame = answer["frame"].as_u64().expect("frame size");
    let real: Vec<usize> = answer["move_depths"]
        .as_array()
        .expect("moves")
        .iter()
        .map(|v| v.as_u64().expect("depth") as usize)
        .collect();
    assert!(real.len() >= 8, "too few stack moves seen: {answer}");
    // The bytes the goroutine uses before the first frame are unknown: find
    // a base for which the model's growth points are exactly Go's.
    let fits: Vec<u64> = (0..2048u64)
        .filter(|&base| {
            let depths: Vec<usize> = model_grow_points(base, frame, 6001)
                .iter()
                .map(|&used| ((used - base) / frame) as usize)
                .collect();
            depths == real
        })
        .collect();
    assert!(
        !fits.is_empty(),
        "no starting offset makes the model grow at Go's depths {real:?} (frame {frame} B)"
    );
    // Only a narrow band of bases fits, so the growth points really pin
    // the rule down.
    assert!(fits.len() as u64 <= frame, "{} bases fit", fits.len());
    // With that base, the model's sizes double from 2 KB each time.
    let base = fits[0];
    let mut sim = StackSim::recursion(base, frame, 6001, 12);
    sim.run();
    let history = sim.history();
    let grown = real.len() + 1;
    let expected: Vec<u64> = (0..grown).map(|i| 2048u64 << i).collect();
    assert_eq!(&history[..grown], &expected[..], "2K, 4K, 8K, ...");
    // Each GC halves a mostly idle stack once, until a quarter is in use.
    let real_shrinks = answer["shrinks"]
        .as_array()
        .expect("shrinks")
        .iter()
        .filter(|v| v.as_bool() == Some(true))
        .count();
    let model_shrinks = history.len() - grown;
    let parked_extra = 0..=1024u64;
    let possible: Vec<usize> = parked_extra
        .map(|extra| {
            let mut s = StackSim::recursion(base + extra, frame, 6001, 12);
            s.run();
            s.history().len() - grown
        })
        .collect();
    assert!(
        possible.contains(&real_shrinks),
        "Go shrank {real_shrinks} times over 12 GCs; the model {model_shrinks} (up to 1 KB more in use when parked: {possible:?})"
    );
}

#[test]
fn a_stack_past_the_limit_dies_with_gos_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("go/memlab_stack");
    let tmp = module_dir(
        "overflow",
        &std::fs::read_to_string(dir.join("main.go")).expect("source"),
    );
    build(&tmp, "");
    let out = run_built(&tmp, &["overflow"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut sim = StackSim::recursion(0, 192, 1 << 20, 0).with_max_stack_size(1 << 20);
    let events = sim.run();
    let Some(StackEventKind::Overflow { message, .. }) = events.last().map(|e| e.kind.clone())
    else {
        panic!("the model does not overflow");
    };
    let (first, last) = message.split_once('\n').expect("two lines");
    assert_eq!(stderr.lines().next(), Some(first), "{stderr}");
    assert!(stderr.lines().any(|l| l == last), "{stderr}");
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(tmp);
}

#[test]
fn allocation_rounding_and_the_tiny_path_match_the_runtime() {
    let mut sizes: Vec<u64> = (0..=4096).collect();
    sizes.extend((4097..=40_000).step_by(8));
    sizes.extend(32_750..=32_780);
    sizes.extend([65_536, 100_000, 1 << 20, (1 << 20) + 1]);
    sizes.sort_unstable();
    sizes.dedup();
    let input: String = sizes.iter().map(|s| format!("{s}\n")).collect();
    let rows: Value = serde_json::from_str(&run_go("memlab_alloc", &[], &input)).expect("JSON");
    let mut wrong = Vec::new();
    for row in rows.as_array().expect("rows") {
        let n = row["size"].as_u64().expect("size");
        if row["noscan"].as_u64() != Some(roundupsize(n, true)) {
            wrong.push(format!(
                "{n} B noscan: Go rounds to {}, the model {}",
                row["noscan"],
                roundupsize(n, true)
            ));
        }
        if n % 8 == 0 && row["scan"].as_u64() != Some(roundupsize(n, false)) {
            wrong.push(format!(
                "{n} B scan: Go rounds to {}, the model {}",
                row["scan"],
                roundupsize(n, false)
            ));
        }
        if n <= 64 {
            let model_tiny = plan_alloc(n, true).path == AllocPath::Tiny;
            if row["tiny"].as_bool() != Some(model_tiny) {
                wrong.push(format!(
                    "{n} B: Go tiny={}, the model {model_tiny}",
                    row["tiny"]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
