//! `gopherscope`: the runtime model on the command line, for course authors
//! who want the numbers in a script and for tests that compare with Go.
//!
//! The command line is parsed by clap: one [`Cli`] with a [`Command`] per
//! subcommand, whose options are an `Args` struct next to the command's
//! code. Usage errors (an unknown flag, a bad value) are clap's, exit 2;
//! a command that fails on its input prints `gopherscope: ...`, also exit 2.

use std::io::Write;
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, Parser, Subcommand};

mod alloc;
mod escape;
mod gc;
mod iface;
mod layout;
mod logs;
mod sched;
mod sizeclasses;
mod trace;
mod values;

use runtime_model::values::GoArch;

/// The Go runtime model on the command line: value sizes, struct layouts,
/// the allocator, interfaces, escape analysis, the scheduler and the GC,
/// and the GC and scheduler logs of a real program.
#[derive(Parser)]
#[command(name = "gopherscope")]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Sizes and alignments of Go's built-in kinds
    Values(values::ValuesArgs),
    /// Interface snippets, or one stepped line by line
    Iface(iface::IfaceArgs),
    /// The escape-analysis catalogue (-gcflags=-m verdicts)
    Escape(escape::EscapeArgs),
    /// mallocgc's path for SIZE bytes: class, rounding waste
    Alloc(alloc::AllocArgs),
    /// Simulate the Go scheduler (sched --list: presets)
    Sched(sched::SchedArgs),
    /// Struct layout: offsets, padding, pointer bytes, fieldalignment's order
    Layout(layout::LayoutArgs),
    /// The allocator's 67 size classes
    Sizeclasses(sizeclasses::SizeclassesArgs),
    /// The garbage collector: a marking preset's trace, or the pacer's gctrace
    Gc(gc::GcArgs),
    /// A Go execution trace, printed as `go tool trace -d=parsed` prints it
    Trace(trace::TraceArgs),
    /// Read a program's GODEBUG=gctrace=1 or schedtrace log (FILE or -)
    Logs(logs::LogsArgs),
}

fn main() -> ExitCode {
    // Help and usage errors: clap prints them, exit 0 for help, 2 for errors.
    let cli = Cli::try_parse().unwrap_or_else(|e| e.exit());
    match execute(cli) {
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

/// Runs one command line (without the program name); the output to print,
/// or the error to report (clap's usage errors rendered as text).
pub fn run(args: &[String]) -> Result<String, String> {
    let argv = std::iter::once("gopherscope").chain(args.iter().map(String::as_str));
    let cli = Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
    execute(cli)
}

/// Runs a parsed command line; no command prints the help.
fn execute(cli: Cli) -> Result<String, String> {
    match cli.command {
        Some(Command::Values(a)) => values::command(&a),
        Some(Command::Iface(a)) => iface::command(&a),
        Some(Command::Escape(a)) => escape::command(&a),
        Some(Command::Alloc(a)) => alloc::command(&a),
        Some(Command::Sched(a)) => sched::command(&a),
        Some(Command::Layout(a)) => layout::command(&a),
        Some(Command::Sizeclasses(a)) => sizeclasses::command(&a),
        Some(Command::Gc(a)) => gc::command(&a),
        Some(Command::Trace(a)) => trace::command(&a, &mut std::io::stdout().lock()),
        Some(Command::Logs(a)) => logs::command(&a),
        None => Ok(Cli::command().render_help().to_string()),
    }
}

/// A `--goarch` value: one of the model's GOARCH names, which clap lists in
/// the help and in the error for any other name.
pub fn arch_parser() -> impl TypedValueParser<Value = GoArch> {
    PossibleValuesParser::new(GoArch::ALL.map(GoArch::name))
        .map(|name| GoArch::from_name(&name).expect("clap only passes a listed name"))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
