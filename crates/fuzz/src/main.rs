//! `gopherscope-fuzz [TARGET...] [--inputs N] [--seed S] [--slow-ms MS] [--list]`:
//! fuzzes the named targets (a name, or a prefix such as `params/`), or all
//! of them, and prints per target the inputs, inputs per second, distinct
//! outcomes and what it found. Run by `cargo xtask fuzz` (a million inputs
//! per target) and by `cargo xtask test` (a short run). The last line is
//! in cargo test's form (`test result: ok. N passed; M failed`), one
//! check per target, so that `cargo xtask test` counts it.

use std::process::ExitCode;
use std::time::Duration;

use gopherscope_fuzz::{run, show, targets, Settings};

const USAGE: &str =
    "usage: gopherscope-fuzz [TARGET...] [--inputs N] [--seed S] [--slow-ms MS] [--list]";

fn number(args: &mut impl Iterator<Item = String>, flag: &str) -> Result<u64, String> {
    let v = args
        .next()
        .ok_or(format!("{flag} needs a number\n{USAGE}"))?;
    v.replace('_', "")
        .parse()
        .map_err(|_| format!("{flag} {v:?} is not a whole number\n{USAGE}"))
}

fn main() -> ExitCode {
    match real_main() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn real_main() -> Result<bool, String> {
    let mut settings = Settings {
        inputs: 1_000_000,
        seed: 0x5eed,
        slow: Duration::from_millis(1000),
    };
    let mut wanted = Vec::new();
    let mut list = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--inputs" => settings.inputs = number(&mut args, "--inputs")?,
            "--seed" => settings.seed = number(&mut args, "--seed")?,
            "--slow-ms" => settings.slow = Duration::from_millis(number(&mut args, "--slow-ms")?),
            "--list" => list = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(true);
            }
            flag if flag.starts_with('-') => {
                return Err(format!("unknown option {flag:?}\n{USAGE}"))
            }
            name => wanted.push(name.to_owned()),
        }
    }
    let all = targets::all();
    if list {
        for t in &all {
            println!("{:<24} {}", t.name, t.about);
        }
        return Ok(true);
    }
    for w in &wanted {
        if !all.iter().any(|t| t.name.starts_with(w.as_str())) {
            let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
            return Err(format!(
                "no fuzz target {w:?}; the targets are {}",
                names.join(", ")
            ));
        }
    }
    let chosen: Vec<_> = all
        .iter()
        .filter(|t| wanted.is_empty() || wanted.iter().any(|w| t.name.starts_with(w.as_str())))
        .collect();
    println!(
        "fuzzing {} targets, {} inputs each (seed {:#x}; an input slower than {:?} is a finding)",
        chosen.len(),
        settings.inputs,
        settings.seed,
        settings.slow
    );
    println!(
        "{:<24} {:>10} {:>9} {:>10} {:>12} {:>9} {:>7} {:>10}  found",
        "target", "inputs", "seconds", "inputs/s", "per CPU s", "outcomes", "corpus", "slowest"
    );
    let (mut passed, mut failed) = (0, 0);
    let mut total_inputs = 0;
    for t in chosen {
        let r = run(t, &settings);
        total_inputs += r.inputs;
        let found = if r.ok() {
            "nothing".to_owned()
        } else {
            format!("{} panics, {} slow", r.panicked, r.slow_inputs)
        };
        let per_cpu = r
            .per_cpu_second()
            .map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"));
        println!(
            "{:<24} {:>10} {:>9.1} {:>10.0} {:>12} {:>9} {:>7} {:>10}  {found}",
            r.target,
            r.inputs,
            r.elapsed.as_secs_f64(),
            r.per_second(),
            per_cpu,
            r.outcomes,
            r.corpus,
            format!("{:.2?}", r.slowest),
        );
        for f in &r.panics {
            println!("    PANIC: {}", f.what);
            println!(
                "      input     ({} bytes): {}",
                f.input.len(),
                show(&f.input, 300)
            );
            println!(
                "      minimized ({} bytes): {}",
                f.minimized.len(),
                show(&f.minimized, 300)
            );
        }
        for f in &r.slow {
            println!("    SLOW: {}", f.what);
            println!(
                "      input ({} bytes): {}",
                f.input.len(),
                show(&f.input, 300)
            );
        }
        if r.ok() {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    println!("{total_inputs} inputs in all");
    println!("test result: {verdict}. {passed} passed; {failed} failed (one per fuzz target)");
    Ok(failed == 0)
}
