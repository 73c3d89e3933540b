//! `gopherscope`: the runtime model on the command line, for course authors
//! who want the numbers in a script and for tests that compare with Go.

use std::io::Write;
use std::process::ExitCode;

mod alloc;
mod escape;
mod gc;
mod iface;
mod layout;
mod sched;
mod sizeclasses;
mod values;

use runtime_model::values::GoArch;

const USAGE: &str = "\
usage: gopherscope <command> [options]

commands:
  values [--goarch ARCH] [--json]   sizes and alignments of Go's built-in kinds
  iface [--snippet NAME] [--json]   interface snippets, or one stepped line by line
  escape [--json]                   the escape-analysis catalogue (-gcflags=-m verdicts)
  alloc SIZE [--noscan] [--json]    mallocgc's path for SIZE bytes: class, rounding waste
  sched (--preset NAME | --scenario FILE) [--n N] [--gomaxprocs P]
        [--schedtick K] [--runtime-gs M] [--seed S] [--asyncpreemptoff]
        [--schedtrace DUR] [--scheddetail] [--until DUR] [--max-steps N]
        [--print run-order|schedtrace|events]
                                    simulate the Go scheduler (sched --list: presets)
  layout [--goarch ARCH] FILE [--json]
                                    struct layout: offsets, padding, pointer
                                    bytes, fieldalignment's order (FILE may be -;
                                    --repeat N times N analyses instead)
  sizeclasses [--json]              the allocator's 67 size classes
  gc mark --preset NAME [--barrier hybrid|dijkstra|yuasa|none] [--seed S] [--steps N]
                                    a marking preset's event trace
  gc pacer --live-mb L --alloc-mb-per-sec R [--stacks-kb K] [--globals-kb G]
           [--gogc N|off] [--gomemlimit 512MiB] [--gomaxprocs P]
           [--scan-fraction F] --seconds S [--print gctrace|summary]
                                    one gctrace line per simulated GC cycle
  help                              this text

ARCH is a GOARCH name: amd64 (default), arm64, 386, arm, wasm, amd64p32,
loong64, mips, mipsle, mips64, mips64le, ppc64, ppc64le, riscv64, s390x, sparc64.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            // A closed pipe (e.g. `| head`) is not an error worth a panic.
            let _ = std::io::stdout().write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("gopherscope: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command line; the output to print, or the error to report.
pub fn run(args: &[String]) -> Result<String, String> {
    match args.first().map(String::as_str) {
        Some("values") => values::command(&args[1..]),
        Some("iface") => iface::command(&args[1..]),
        Some("escape") => escape::command(&args[1..]),
        Some("alloc") => alloc::command(&args[1..]),
        Some("sched") => sched::command(&args[1..]),
        Some("layout") => layout::command(&args[1..]),
        Some("sizeclasses") => sizeclasses::command(&args[1..]),
        Some("gc") => gc::command(&args[1..]),
        Some("help" | "--help" | "-h") | None => Ok(format!("{USAGE}\n")),
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    }
}

/// Parses a GOARCH name, or says which names are allowed.
pub fn parse_arch(name: &str) -> Result<GoArch, String> {
    GoArch::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = GoArch::ALL.iter().map(|a| a.name()).collect();
        format!("unknown GOARCH {name:?}; allowed: {}", known.join(", "))
    })
}
