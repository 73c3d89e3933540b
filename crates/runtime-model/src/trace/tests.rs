//! The reader on real traces (recorded with go1.27.3 from Go's own test
//! programs, with what `go tool trace -d=parsed` printed for them) and on
//! broken ones.

use alloc::string::ToString;
use alloc::vec::Vec;

use super::*;

const ANNOTATIONS: &[u8] = include_bytes!("../../tests/data/annotations.trace");
const ANNOTATIONS_PARSED: &[u8] = include_bytes!("../../tests/data/annotations.parsed");
const ITER_PULL: &[u8] = include_bytes!("../../tests/data/iter-pull.trace");
const ITER_PULL_PARSED: &[u8] = include_bytes!("../../tests/data/iter-pull.parsed");

fn parsed(data: &[u8]) -> Result<Vec<u8>, TraceError> {
    let mut out = Vec::new();
    print_parsed(data, &mut out)?;
    Ok(out)
}

fn all_events(data: &[u8]) -> Result<Vec<Event>, TraceError> {
    Reader::new(data)?.collect()
}

#[test]
fn real_traces_print_as_go_tool_trace_printed_them() {
    assert_eq!(parsed(ANNOTATIONS).unwrap(), ANNOTATIONS_PARSED);
    assert_eq!(parsed(ITER_PULL).unwrap(), ITER_PULL_PARSED);
}

#[test]
fn the_events_carry_tasks_regions_logs_and_state_transitions() {
    let events = all_events(ANNOTATIONS).unwrap();
    let kinds: Vec<EventKind> = events.iter().map(Event::kind).collect();
    assert_eq!(kinds.first(), Some(&EventKind::Sync));
    assert_eq!(kinds.last(), Some(&EventKind::Sync));
    for k in [
        EventKind::TaskBegin,
        EventKind::TaskEnd,
        EventKind::RegionBegin,
        EventKind::RegionEnd,
        EventKind::Log,
        EventKind::Metric,
        EventKind::RangeBegin,
        EventKind::RangeEnd,
        EventKind::StateTransition,
    ] {
        assert!(kinds.contains(&k), "no {k:?} event");
    }
    let task = events.iter().find_map(Event::task).unwrap();
    assert_eq!(&*task.typ, b"task0");
    let first_sync = events[0].sync().unwrap();
    assert_eq!(first_sync.n, 1);
    assert!(first_sync.clock_snapshot.is_some());
    // Time never goes back.
    assert!(events.windows(2).all(|w| w[0].time() < w[1].time()));
    // Goroutine stacks have frames with files and lines.
    let stack = events
        .iter()
        .filter_map(Event::stack)
        .find(|s| !s.frames().is_empty())
        .unwrap();
    assert!(stack.frames()[0].line > 0);
}

#[test]
fn coroutine_switches_become_a_block_and_a_start() {
    let events = all_events(ITER_PULL).unwrap();
    let switches = events
        .iter()
        .filter(|e| e.wire_type() == spec::ev::GO_SWITCH);
    assert!(switches.count() > 0);
    assert!(events.iter().any(|e| e
        .state_transition()
        .is_some_and(|s| s.goroutine() == (GoState::Waiting, GoState::Runnable))));
}

#[test]
fn text_that_is_not_a_trace_says_what_it_starts_with() {
    for input in [&b""[..], b"hello, world", b"go 1.x trace", b"\x00\x01\x02"] {
        let e = Reader::new(input).unwrap_err();
        assert!(
            matches!(e, TraceError::NotATrace { .. }),
            "{input:?}: {e:?}"
        );
        let msg = e.to_string();
        assert!(msg.contains("not a Go execution trace"), "{msg}");
        assert!(msg.contains("go 1.26 trace"), "{msg}");
    }
    let msg = Reader::new(b"PK\x03\x04zipfile").unwrap_err().to_string();
    assert!(msg.contains(r#""PK\x03\x04zipfile""#), "{msg}");
}

#[test]
fn a_v1_trace_names_the_go_that_wrote_it() {
    for minor in [11, 19, 21] {
        let header = alloc::format!("go 1.{minor} trace\x00\x00\x00\x00\x01");
        let e = Reader::new(header.as_bytes()).unwrap_err();
        assert_eq!(e, TraceError::UnsupportedVersion { minor });
        let msg = e.to_string();
        assert!(msg.contains(&alloc::format!("Go 1.{minor}")), "{msg}");
        assert!(msg.contains("v1") && msg.contains("1.22"), "{msg}");
    }
    let msg = Reader::new(b"go 1.24 trace\x00\x00\x00")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("go 1.24") && msg.contains("1.26"), "{msg}");
}

#[test]
fn every_cut_of_a_trace_ends_in_the_events_before_it_and_a_truncation_error() {
    let whole = all_events(ANNOTATIONS).unwrap().len();
    let mut truncated = 0;
    for n in 16..ANNOTATIONS.len() {
        match all_events(&ANNOTATIONS[..n]) {
            Ok(events) => assert!(events.len() < whole),
            Err(TraceError::Truncated(msg)) => {
                truncated += 1;
                assert!(!msg.is_empty());
            }
            Err(e) => panic!("cut at {n}: {e:?}"),
        }
    }
    assert!(truncated > ANNOTATIONS.len() / 2, "{truncated}");
    let msg = all_events(&ANNOTATIONS[..ANNOTATIONS.len() - 1])
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("truncated trace: "), "{msg}");
}

#[test]
fn every_corrupted_byte_gives_events_or_an_error_never_a_panic() {
    let mut errors = 0;
    for i in 16..ANNOTATIONS.len() {
        for flip in [0xffu8, 0x01, 0x80] {
            let mut data = ANNOTATIONS.to_vec();
            data[i] ^= flip;
            let mut out = Vec::new();
            if print_parsed(&data, &mut out).is_err() {
                errors += 1;
            }
        }
    }
    assert!(errors > 0);
}

#[test]
fn a_batch_that_claims_more_than_the_format_allows_is_refused_before_reading() {
    let mut data = b"go 1.26 trace\x00\x00\x00".to_vec();
    // EventBatch, gen 1, M 1, time 1, size 2^40.
    data.extend_from_slice(&[1, 1, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
    let e = all_events(&data).unwrap_err();
    assert!(
        matches!(&e, TraceError::Corrupt(m) if m.contains("invalid batch size")),
        "{e:?}"
    );
}

#[test]
fn a_generation_without_a_clock_is_corrupt() {
    let mut data = b"go 1.26 trace\x00\x00\x00".to_vec();
    // A sync batch with only a frequency, then the end of the generation.
    data.extend_from_slice(&[
        1,
        1,
        0,
        1,
        4,
        spec::ev::SYNC,
        spec::ev::FREQUENCY,
        0x80,
        0x01,
    ]);
    data.push(spec::ev::END_OF_GENERATION);
    let mut r = Reader::new(&data).unwrap();
    // As in Go, the reader first ends the (empty) generation with a Sync.
    assert_eq!(r.read_event().unwrap().unwrap().kind(), EventKind::Sync);
    assert_eq!(
        r.read_event().unwrap_err(),
        TraceError::Corrupt("no clock snapshot event found".into())
    );
    assert!(r.read_event().unwrap().is_none());
}

#[test]
fn numbers_print_as_the_formatter_prints_them() {
    use alloc::format;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut values = alloc::vec![0, 1, 9, 10, 15, 16, 99, 100, u64::MAX, i64::MAX as u64];
    for _ in 0..1000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        values.push(x >> (x % 64));
    }
    for v in values {
        let mut out = Vec::new();
        event::push_u64(&mut out, v);
        assert_eq!(out, format!("{v}").into_bytes());
        out.clear();
        event::push_hex(&mut out, v);
        assert_eq!(out, format!("{v:#x}").into_bytes());
        for i in [v as i64, (v as i64).wrapping_neg(), i64::MIN, -1] {
            out.clear();
            event::push_i64(&mut out, i);
            assert_eq!(out, format!("{i}").into_bytes());
        }
    }
}

#[test]
fn strings_quote_as_strconv_quote_does() {
    for (s, want) in [
        (&b""[..], r#""""#),
        (b"runtime.Gosched", r#""runtime.Gosched""#),
        (b"a\"b\\c", r#""a\"b\\c""#),
        (
            b"\x01\x07\x08\x0c\n\r\t\x0b\x7f",
            r#""\x01\a\b\f\n\r\t\v\x7f""#,
        ),
        (
            "é µs\u{ad}\u{2028}\u{feff}".as_bytes(),
            r#""é µs\u00ad\u2028\ufeff""#,
        ),
        (b"ok\xffno\xc3", r#""ok\xffno\xc3""#),
    ] {
        let mut out = Vec::new();
        event::quote(&mut out, s);
        assert_eq!(String::from_utf8(out).unwrap(), want, "{s:?}");
    }
}
