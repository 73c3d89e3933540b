use super::*;
use alloc::vec::Vec;

#[test]
fn a_header_alone_is_one_begin_step() {
    let l = Lanes::read(b"go 1.26 trace\x00\x00\x00").unwrap();
    assert_eq!(l.steps.len(), 1);
    assert_eq!(l.step(0).kind, StepKind::Begin);
    assert_eq!(l.state_at(5).step, 0);
}

#[test]
fn not_a_trace_says_so() {
    let Err(Broken {
        partial: None,
        error,
    }) = Lanes::read(b"hello")
    else {
        panic!("read a non-trace")
    };
    assert!(error.to_string().contains("not a Go execution trace"));
}

/// A scratch look at a trace named by GOPHERSCOPE_LANES_TRACE (not part of
/// the suite's checks).
#[test]
#[ignore]
fn scratch() {
    extern crate std;
    use std::println;
    let Ok(path) = std::env::var("GOPHERSCOPE_LANES_TRACE") else {
        return;
    };
    let data = std::fs::read(path).unwrap();
    let t0 = std::time::Instant::now();
    let mut b = Builder::new(&data).unwrap();
    let mut worst = std::time::Duration::ZERO;
    loop {
        let t = std::time::Instant::now();
        let done = b.advance(1024).unwrap();
        worst = worst.max(t.elapsed());
        if done {
            break;
        }
    }
    let l = b.finish();
    println!(
        "slowest slice of 1024 events: {worst:?}; steps take {} bytes ({:.2}x the file)",
        l.steps.bytes(),
        l.steps.bytes() as f64 / data.len() as f64
    );
    println!(
        "read in {:?}: {} events, {} steps, {} gs, {} locs, {} keyframes, bytes/event {:.2}",
        t0.elapsed(),
        l.events,
        l.steps.len(),
        l.gs.len(),
        l.locs.len(),
        l.keyframes.len(),
        data.len() as f64 / l.events as f64
    );
    for i in 0..40.min(l.steps.len() as u32) {
        println!("{i}: {}", l.say(i));
    }
    let t0 = std::time::Instant::now();
    for k in 0..1000u32 {
        let _ = l.state_at(k * 37 % l.last());
    }
    println!("1000 seeks {:?}", t0.elapsed());
    let mut kinds = BTreeMap::new();
    for (_, s) in l.steps.iter_from(0) {
        *kinds.entry(std::format!("{:?}", s.kind)).or_insert(0) += 1;
    }
    println!("chunks bytes {}", l.steps.bytes());
    let kf: usize = l
        .keyframes
        .iter()
        .map(|k| k.live.len() * 16 + k.procs.len() * 12 + 48)
        .sum();
    println!(
        "heap {} goal {} keyframes {} ({} bytes) locs {} reasons {} logs {} gs {} threads {}",
        l.heap.len(),
        l.goal.len(),
        l.keyframes.len(),
        kf,
        l.locs.len(),
        l.reasons.len(),
        l.logs.len(),
        l.gs.len(),
        l.threads.len()
    );
    println!("{kinds:?}");
}

/// The sample traces the site ships (recorded from real go1.27.3
/// programs by tests/conformance/go/traces/record.sh), and any trace
/// named by GOPHERSCOPE_LANES_TRACE.
fn traces() -> Vec<(String, Vec<u8>)> {
    extern crate std;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/data/traces");
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "trace") {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    if let Ok(p) = std::env::var("GOPHERSCOPE_LANES_TRACE") {
        out.push((p.clone(), std::fs::read(&p).unwrap()));
    }
    out.sort();
    out
}

#[test]
fn the_samples_are_there() {
    assert!(
        traces().len() >= 5,
        "expected the five sample traces under web/data/traces"
    );
}

#[test]
fn any_step_reached_by_a_jump_is_the_step_reached_by_playing() {
    for (name, data) in traces() {
        let l = Lanes::read(&data).map_err(|b| b.error).unwrap();
        let mut s = l.state_at(0);
        for (i, step) in l.steps.iter_from(1) {
            s.apply(i, &step);
            if i % 97 == 0 || i == l.last() {
                assert_eq!(s, l.state_at(i), "{name}: step {i}");
            }
        }
    }
}

#[test]
fn each_running_goroutine_is_on_one_p_that_runs_it() {
    for (name, data) in traces() {
        let l = Lanes::read(&data).map_err(|b| b.error).unwrap();
        let mut s = l.state_at(0);
        for (i, step) in l.steps.iter_from(1) {
            s.apply(i, &step);
            for (gi, g) in s.gs.iter().enumerate() {
                if g.state == GState::Running {
                    let p = s.procs.get(g.p as usize);
                    assert!(
                        p.is_some_and(|p| p.g == gi as u32 && p.running),
                        "{name}: step {i} ({}): {} runs on P{} which runs {:?}",
                        l.say(i),
                        l.g_label(gi as u32),
                        g.p,
                        p.map(|p| p.g)
                    );
                }
            }
            for (pi, p) in s.procs.iter().enumerate() {
                if p.g != NONE {
                    let g = s.gs[p.g as usize];
                    assert!(
                        matches!(g.state, GState::Running | GState::Syscall) && g.p as usize == pi,
                        "{name}: step {i} ({}): P{pi} holds {} which is {:?} on P{}",
                        l.say(i),
                        l.g_label(p.g),
                        g.state,
                        g.p
                    );
                }
            }
        }
    }
}

#[test]
fn time_running_per_goroutine_is_what_gos_summary_counts() {
    for (name, data) in traces() {
        let l = Lanes::read(&data).map_err(|b| b.error).unwrap();
        let mut events = Vec::new();
        let mut r = Reader::new(&data).unwrap();
        while let Some(e) = r.read_event().unwrap() {
            events.push(e);
        }
        let summary = super::super::summary::summarize(events);
        let mut running = alloc::vec![0_i64; l.gs.len()];
        let mut s = l.state_at(0);
        let mut last_t = 0;
        for (i, step) in l.steps.iter_from(1) {
            let dt = step.time() - last_t;
            for (gi, g) in s.gs.iter().enumerate() {
                if g.state == GState::Running {
                    running[gi] += dt;
                }
            }
            last_t = step.time();
            s.apply(i, &step);
        }
        let mut checked = 0;
        for (gi, info) in l.gs.iter().enumerate() {
            let Some(g) = summary.goroutines.get(&info.id) else {
                continue;
            };
            checked += 1;
            let ours = running[gi];
            let theirs = g.exec_time;
            // The lanes end at the last step; the summary at the last event.
            let slack = l.duration - last_t + 1_000;
            assert!(
                (ours - theirs).abs() <= slack,
                "{name}: G{} ran {ours} ns here, {theirs} ns in the summary",
                info.id
            );
        }
        assert!(checked > 3, "{name}: only {checked} goroutines compared");
    }
}
