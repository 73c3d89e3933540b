//! `gopherscope trace FILE --print parsed`: a Go execution trace, read by
//! the model's reader (`runtime_model::trace`), printed event by event as
//! `go tool trace -d=parsed FILE` prints it.

use std::io::{Read, Write};

use runtime_model::trace::Reader;

/// What `--print` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Print {
    /// Every event and its stack, in order, as `go tool trace -d=parsed` prints them
    Parsed,
}

/// `gopherscope trace FILE --print parsed`.
#[derive(clap::Args)]
pub struct TraceArgs {
    /// The trace file (from runtime/trace.Start or `go test -trace`); `-` reads standard input
    file: String,
    /// What to print
    #[arg(long, value_enum, default_value = "parsed")]
    print: Print,
}

/// Reads the trace and writes its events to `out` as they are read; on a
/// broken trace, the events before the break are written, then the error.
pub fn command(args: &TraceArgs, out: &mut dyn Write) -> Result<String, String> {
    let mut data = Vec::new();
    let read = if args.file == "-" {
        std::io::stdin().lock().read_to_end(&mut data)
    } else {
        std::fs::File::open(&args.file).and_then(|mut f| f.read_to_end(&mut data))
    };
    read.map_err(|e| format!("trace: cannot read {}: {e}", args.file))?;
    let name = if args.file == "-" {
        "standard input"
    } else {
        &args.file
    };
    match args.print {
        Print::Parsed => print_parsed(&data, out).map_err(|e| format!("trace: {name}: {e}"))?,
    }
    Ok(String::new())
}

/// Streams the events, flushing every 64 KiB of text.
fn print_parsed(data: &[u8], out: &mut dyn Write) -> Result<(), String> {
    let mut r = Reader::new(data).map_err(|e| e.to_string())?;
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 17);
    let result = loop {
        match r.read_event() {
            Ok(Some(e)) => {
                e.write_string(&mut buf);
                buf.push(b'\n');
                if buf.len() >= 1 << 16 {
                    if out.write_all(&buf).is_err() {
                        // A closed pipe (`| head`): stop quietly.
                        return Ok(());
                    }
                    buf.clear();
                }
            }
            Ok(None) => break Ok(()),
            Err(e) => break Err(e.to_string()),
        }
    };
    let _ = out.write_all(&buf);
    let _ = out.flush();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(data: &[u8]) -> (Vec<u8>, Result<(), String>) {
        let mut out = Vec::new();
        let r = print_parsed(data, &mut out);
        (out, r)
    }

    #[test]
    fn a_file_that_is_not_a_trace_is_refused_with_what_it_starts_with() {
        let (out, r) = run_on(b"hello world, this is text");
        assert!(out.is_empty());
        let e = r.unwrap_err();
        assert!(e.contains("not a Go execution trace"), "{e}");
        assert!(e.contains("\"hello world, thi\""), "{e}");
    }

    #[test]
    fn a_v1_trace_says_which_go_wrote_it() {
        let (_, r) = run_on(b"go 1.21 trace\x00\x00\x00\x00");
        let e = r.unwrap_err();
        assert!(e.contains("go 1.21") && e.contains("v1"), "{e}");
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let args = TraceArgs {
            file: "/nonexistent/x.trace".into(),
            print: Print::Parsed,
        };
        let e = command(&args, &mut Vec::new()).unwrap_err();
        assert!(e.contains("/nonexistent/x.trace"), "{e}");
    }
}
