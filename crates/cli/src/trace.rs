//! `gopherscope trace FILE --print parsed|summary`: a Go execution trace,
//! read by the model's reader (`runtime_model::trace`), printed event by
//! event as `go tool trace -d=parsed FILE` prints it, or summed up: each
//! goroutine's time by state, the GC cycles with their pauses, GOMAXPROCS.

use std::io::{Read, Write};

use runtime_model::trace::summary::{summarize, Pause, Summary};
use runtime_model::trace::Reader;

/// What `--print` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Print {
    /// Every event and its stack, in order, as `go tool trace -d=parsed` prints them
    Parsed,
    /// Per goroutine: time running, runnable, in syscalls, blocked by reason; GC cycles; GOMAXPROCS
    Summary,
    /// Only read: every event, without printing it; then one line with the
    /// number of events and bytes and the time the reading took
    /// (`events=N bytes=N parse_ns=N`, for `cargo xtask bench trace`)
    Count,
}

/// `gopherscope trace FILE --print parsed|summary`.
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
        Print::Summary => {
            let events: Result<Vec<_>, _> = Reader::new(&data)
                .and_then(|r| r.collect())
                .map_err(|e| format!("trace: {name}: {e}"));
            let text = summary_text(&summarize(events?));
            let _ = out.write_all(text.as_bytes());
        }
        Print::Count => {
            let start = std::time::Instant::now();
            let events = count_events(&data).map_err(|e| format!("trace: {name}: {e}"))?;
            let ns = start.elapsed().as_nanos();
            let _ = writeln!(out, "events={events} bytes={} parse_ns={ns}", data.len());
        }
    }
    Ok(String::new())
}

/// Reads every event (as `--print parsed` does, without the text).
fn count_events(data: &[u8]) -> Result<u64, String> {
    let mut r = Reader::new(data).map_err(|e| e.to_string())?;
    let mut n = 0;
    while r.read_event().map_err(|e| e.to_string())?.is_some() {
        n += 1;
    }
    Ok(n)
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

/// Mirrors time/time.go (Duration).String (go1.27). So 1500 ns reads 1.5µs,
/// and 123.25 s reads 2m3.25s.
fn duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let sign = if ns < 0 { "-" } else { "" };
    let u = ns.unsigned_abs();
    let frac = |v: u64, unit: u64, digits: usize| {
        let whole = v / unit;
        let rest = v % unit;
        if rest == 0 {
            whole.to_string()
        } else {
            let f = format!("{rest:0digits$}");
            format!("{whole}.{}", f.trim_end_matches('0'))
        }
    };
    let body = if u < 1_000 {
        format!("{u}ns")
    } else if u < 1_000_000 {
        format!("{}µs", frac(u, 1_000, 3))
    } else if u < 1_000_000_000 {
        format!("{}ms", frac(u, 1_000_000, 6))
    } else {
        let secs = u / 1_000_000_000;
        let s = frac(u % 60_000_000_000, 1_000_000_000, 9);
        let (h, m) = (secs / 3600, secs / 60 % 60);
        match (h, m) {
            (0, 0) => format!("{s}s"),
            (0, m) => format!("{m}m{s}s"),
            (h, m) => format!("{h}h{m}m{s}s"),
        }
    };
    format!("{sign}{body}")
}

fn pauses_text(pauses: &[Pause]) -> String {
    pauses
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                String::from_utf8_lossy(&p.name),
                duration(p.duration)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The summary as text: times are from the trace's start.
fn summary_text(s: &Summary) -> String {
    let t0 = s.span.0;
    let mut out = format!(
        "Trace: {} from the first event to the last\n\nGoroutines ({}): running / runnable / in syscall (P held) / in syscall (P lost) / blocked by reason\n",
        duration(s.span.1 - t0),
        s.goroutines.len()
    );
    for g in s.goroutines.values() {
        let name = if g.name.is_empty() {
            "(no stack)".to_string()
        } else {
            String::from_utf8_lossy(&g.name).into_owned()
        };
        let blocked: Vec<String> = g
            .block_time_by_reason
            .iter()
            .map(|(r, t)| {
                let r = String::from_utf8_lossy(r);
                format!(
                    "{} {}",
                    if r.is_empty() { "(no reason)" } else { &r },
                    duration(*t)
                )
            })
            .collect();
        out.push_str(&format!(
            "  G{} {name}: running {}, runnable {}, syscall {}, syscall without P {}, blocked {}{}\n",
            g.id,
            duration(g.exec_time),
            duration(g.sched_wait_time),
            duration(g.syscall_time),
            duration(g.syscall_block_time),
            if blocked.is_empty() { "0s".to_string() } else { blocked.join(", ") },
            if g.end_time != 0 {
                format!(" (ended at {})", duration(g.end_time - t0))
            } else {
                String::new()
            }
        ));
    }
    out.push_str(&format!("\nGC cycles ({}):\n", s.gc_cycles.len()));
    for (i, c) in s.gc_cycles.iter().enumerate() {
        let mark = match c.end {
            Some(end) => format!(
                "mark {} from {}",
                duration(end - c.start),
                duration(c.start - t0)
            ),
            None => format!(
                "mark from {} to the end of the trace",
                duration(c.start - t0)
            ),
        };
        let stw: i64 = c.pauses.iter().map(|p| p.duration).sum();
        out.push_str(&format!(
            "  #{} {mark}; stop-the-world {} in {} pauses{}{}\n",
            i + 1,
            duration(stw),
            c.pauses.len(),
            if c.pauses.is_empty() { "" } else { ": " },
            pauses_text(&c.pauses)
        ));
    }
    if !s.other_pauses.is_empty() {
        out.push_str(&format!(
            "  other pauses: {}\n",
            pauses_text(&s.other_pauses)
        ));
    }
    out.push_str("\nGOMAXPROCS:\n");
    for (t, n) in &s.gomaxprocs {
        out.push_str(&format!("  {n} from {}\n", duration(t - t0)));
    }
    out
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
    fn durations_read_as_go_prints_them() {
        for (ns, s) in [
            (0, "0s"),
            (999, "999ns"),
            (1_500, "1.5µs"),
            (2_000_000, "2ms"),
            (1_234_567, "1.234567ms"),
            (61_500_000_000, "1m1.5s"),
            (3_723_000_000_000, "1h2m3s"),
        ] {
            assert_eq!(duration(ns), s);
        }
    }

    #[test]
    fn the_summary_of_a_real_trace_accounts_for_every_goroutine() {
        let data = include_bytes!("../../runtime-model/tests/data/annotations.trace");
        let events: Vec<_> = Reader::new(data).unwrap().map(Result::unwrap).collect();
        let s = summarize(events);
        let span = s.span.1 - s.span.0;
        assert!(!s.goroutines.is_empty());
        for g in s.goroutines.values() {
            let blocked: i64 = g.block_time_by_reason.values().sum();
            let total =
                g.exec_time + g.sched_wait_time + g.syscall_time + g.syscall_block_time + blocked;
            assert!(total <= span && total >= 0, "G{}: {total} of {span}", g.id);
        }
        assert!(!s.gomaxprocs.is_empty());
        let text = summary_text(&s);
        assert!(
            text.contains("main.main") && text.contains("GOMAXPROCS:\n  "),
            "{text}"
        );
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

    #[test]
    fn count_reads_as_many_events_as_parsed_prints() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../runtime-model/tests/data/annotations.trace"
        );
        let data = std::fs::read(path).unwrap();
        let events = Reader::new(&data).unwrap().count();
        let mut out = Vec::new();
        let args = TraceArgs {
            file: path.into(),
            print: Print::Count,
        };
        command(&args, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with(&format!("events={events} bytes={} parse_ns=", data.len())),
            "{out}"
        );
    }
}
