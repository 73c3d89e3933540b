//! Scenario tests: each reads like the run it checks.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::presets::preset;
use super::*;

fn sim(text: &str) -> Sim {
    Sim::new(parse_scenario(text).unwrap()).unwrap()
}

fn run_all(s: &mut Sim) -> Vec<Event> {
    let mut out = Vec::new();
    while let Some(e) = s.step() {
        out.push(e);
        assert!(out.len() < 5_000_000, "the run does not end");
    }
    out
}

fn spawn_order(n: u32, schedtick: u32, runtime_gs: u32) -> Vec<u32> {
    let mut cfg = preset("spawn-order").unwrap().config(n).unwrap();
    cfg.schedticks = alloc::vec![schedtick];
    cfg.runtime_gs = runtime_gs;
    let mut s = Sim::new(cfg).unwrap();
    run_all(&mut s);
    s.children_run_order(1)
}

fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(Event::go_func).collect()
}

#[test]
fn spawn_three_then_block_main_runs_g2_g0_g1() {
    assert_eq!(spawn_order(3, 0, 0), [2, 0, 1]);
    assert_eq!(spawn_order(10, 7, 1), [9, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn spawn_256_with_two_runtime_gs_overflows_to_the_global_queue() {
    let order = spawn_order(256, 0, 2);
    assert_eq!(order[0], 255);
    assert_eq!(order.len(), 256);
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..256).collect::<Vec<_>>());
    // 128 of the first went to the global queue, so local ones run first.
    assert_ne!(order[1], 0);
}

#[test]
fn newproc_kicks_runnext_to_the_tail() {
    let mut s = sim("func w\nend\nfunc main\n  go w 2\n  wait wg\nend\n");
    let ev = run_all(&mut s);
    let k = kinds(&ev);
    let kick = k.iter().position(|&f| f == "runqput").unwrap();
    assert_eq!(k[kick - 1], "newproc");
    assert_eq!(ev[kick].g, Some(2));
}

#[test]
fn runnext_inherits_the_time_slice() {
    let mut s = sim("func w\n  send c\nend\nfunc main\n  go w\n  recv c\nend\n");
    let ev = run_all(&mut s);
    let exec = ev
        .iter()
        .find(|e| matches!(e.kind, EventKind::Execute { .. }))
        .unwrap();
    assert_eq!(
        exec.kind,
        EventKind::Execute {
            source: Source::Runnext,
            inherit: true
        }
    );
    assert_eq!(s.ps()[0].schedtick, 0, "runnext did not advance schedtick");
}

#[test]
fn full_runq_moves_half_plus_one_to_global() {
    let mut s = sim("func w\nend\nfunc main\n  go w 258\n  wait wg\nend\n");
    let ev = run_all(&mut s);
    let slow = ev
        .iter()
        .find(|e| matches!(e.kind, EventKind::Runqputslow { .. }))
        .unwrap();
    assert_eq!(slow.kind, EventKind::Runqputslow { n: 129 });
}

#[test]
fn same_seed_same_trace_different_seed_may_differ() {
    let text = preset("work-stealing").unwrap().text_for(64);
    let a = run_all(&mut sim(&text));
    let b = run_all(&mut sim(&text));
    assert_eq!(a, b);
    assert!(a.iter().any(|e| matches!(
        e.kind,
        EventKind::Execute {
            source: Source::Steal { .. },
            ..
        }
    )));
}

#[test]
fn sysmon_preempts_a_hog_after_10ms_and_not_with_asyncpreemptoff() {
    let on = run_all(&mut Sim::new(preset("preempt").unwrap().config(2).unwrap()).unwrap());
    let first = on
        .iter()
        .find(|e| e.kind == EventKind::AsyncPreempt)
        .unwrap();
    // sysmon notices at its own tick, which has backed off to a few ms.
    assert!(
        (FORCE_PREEMPT_NS..2 * FORCE_PREEMPT_NS + 1_000_000).contains(&first.t_ns),
        "{first:?}"
    );
    let off = run_all(&mut Sim::new(preset("preempt-off").unwrap().config(2).unwrap()).unwrap());
    assert!(!off.iter().any(|e| e.kind == EventKind::AsyncPreempt));
    assert!(off.iter().any(|e| e.kind == EventKind::PreemptRequest));
    // The small ones first ran only after the hog's 50 ms.
    let small_start = |ev: &[Event]| {
        ev.iter()
            .find(|e| matches!(e.kind, EventKind::Execute { .. }) && e.g == Some(3))
            .unwrap()
            .t_ns
    };
    assert!(small_start(&on) <= first.t_ns + 1_000);
    assert!(small_start(&off) >= 50_000_000);
}

#[test]
fn a_long_syscall_is_retaken_and_handed_off() {
    let ev = run_all(&mut Sim::new(preset("syscall-handoff").unwrap().config(4).unwrap()).unwrap());
    let k = kinds(&ev);
    assert!(k.contains(&"retake"), "{k:?}");
    assert!(k.contains(&"entersyscallblock"));
    assert!(k.contains(&"handoffp"));
    assert!(ev.iter().any(|e| e.kind == EventKind::Exit));
}

#[test]
fn netpoller_wakes_readers() {
    let ev = run_all(&mut Sim::new(preset("netpoller").unwrap().config(6).unwrap()).unwrap());
    assert!(ev
        .iter()
        .any(|e| matches!(e.kind, EventKind::Netpoll { .. })));
    assert!(ev.iter().any(|e| e.kind == EventKind::Exit));
}

#[test]
fn every_preset_runs_to_exit() {
    for p in presets::PRESETS {
        let mut s = Sim::new(p.config(p.default_n).unwrap()).unwrap();
        let ev = run_all(&mut s);
        assert_eq!(
            ev.last().map(|e| e.kind),
            Some(EventKind::Exit),
            "{} ended with {:?}",
            p.name,
            ev.last()
        );
        for e in &ev {
            assert!(!e.sentence().is_empty());
        }
    }
}

#[test]
fn procresize_shrinks_and_grows() {
    let mut s = Sim::new(preset("gomaxprocs").unwrap().config(8).unwrap()).unwrap();
    let ev = run_all(&mut s);
    let sizes: Vec<(u32, u32)> = ev
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Procresize { old, new } => Some((old, new)),
            _ => None,
        })
        .collect();
    assert_eq!(sizes, [(2, 4), (4, 1)]);
    assert_eq!(s.ps().len(), 1);
}

#[test]
fn deadlock_is_reported() {
    let ev = run_all(&mut sim("func main\n  recv c\nend\n"));
    assert_eq!(ev.last().unwrap().kind, EventKind::Deadlock);
}

#[test]
fn sleep_uses_a_timer_and_the_netpoller_thread() {
    let mut s = sim("func main\n  sleep 1ms\nend\n");
    let ev = run_all(&mut s);
    assert!(ev.iter().any(|e| e.kind == EventKind::TimerFired));
    assert!(ev.last().unwrap().t_ns >= 1_000_000);
}

#[test]
fn schedtrace_has_go_1_27_shape() {
    let mut s = sim("gomaxprocs 2\nschedtrace 1ms\nfunc w\n  compute 3ms\nend\nfunc main\n  go w 3\n  compute 2ms\nend\n");
    let mut lines = Vec::new();
    while let Some(e) = s.step() {
        if e.kind == EventKind::Schedtrace {
            lines.push(s.schedtrace(false));
        }
    }
    assert!(
        lines[0].starts_with("SCHED 0ms: gomaxprocs=2 idleprocs="),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(" ]\n"), "{}", lines[0]);
    assert!(lines[0].contains("runqueue=0 [ "), "{}", lines[0]);
    let detail = s.schedtrace(true);
    assert!(detail.contains("\n  P0: status="), "{detail}");
    assert!(
        detail.contains("\n  G1: status=6() m=nil lockedm=nil\n"),
        "{detail}"
    );
}

#[test]
fn timeline_rewinds_to_the_same_state() {
    let cfg = preset("work-stealing").unwrap().config(64).unwrap();
    let mut straight = Sim::new(cfg.clone()).unwrap();
    let mut tl = Timeline::with_limits(Sim::new(cfg).unwrap(), 16, 4);
    while tl.step().is_some() {}
    let end = tl.horizon();
    assert!(tl.snapshot_count() <= 4);
    for target in [0, 1, 17, end / 2, end - 1, 5] {
        tl.seek(target);
        straight = Sim::new(straight.config().clone()).unwrap();
        straight.run_to_step(target);
        assert_eq!(tl.step_index(), target);
        assert_eq!(tl.sim().schedtrace(true), straight.schedtrace(true));
        assert_eq!(tl.sim().now(), straight.now());
    }
}

#[test]
fn random_order_visits_every_p_once() {
    let mut o = RandomOrder::default();
    o.reset(6);
    for i in [0, 5, 17, 123_456] {
        let mut seen: Vec<u32> = o.start(i).collect();
        seen.sort_unstable();
        assert_eq!(seen, [0, 1, 2, 3, 4, 5]);
    }
}

#[test]
fn limits_are_refused_with_their_names() {
    let bad = |c: Config| Sim::new(c).unwrap_err().to_string();
    let c = Config {
        gomaxprocs: 10_000,
        ..Config::default()
    };
    assert!(bad(c).contains("between 1 and 256"));
    let c = Config {
        gomaxprocs: 0,
        ..Config::default()
    };
    assert!(bad(c).contains("GOMAXPROCS 0"));
    let mut c = preset("spawn-order").unwrap().config(5).unwrap();
    c.runtime_gs = 1000;
    assert!(bad(c).contains("limit is 256"));
    let e = preset("spawn-order")
        .unwrap()
        .config(10_000_000)
        .unwrap_err();
    assert!(e.to_string().contains("the limit is 10000"), "{e}");
}

#[test]
fn run_until_stops_at_the_time() {
    let mut s = Sim::new(preset("fan-out").unwrap().config(16).unwrap()).unwrap();
    let events = s.run_until(1_000_000);
    assert_eq!(s.now(), 1_000_000);
    assert_eq!(events.len() as u64, s.steps());
    assert!(events.iter().all(|e| e.t_ns <= 1_000_000));
    let running = s
        .gs()
        .iter()
        .filter(|g| g.status == GStatus::Running)
        .count();
    assert_eq!(running, 4, "all four Ps busy after 1 ms");
    let names: Vec<String> = s
        .gs()
        .iter()
        .map(|g| s.func_name(g.goid).to_string())
        .collect();
    assert_eq!(names[1], "main.worker");
}

#[test]
fn retake_waits_10ms_for_a_syscall_when_there_is_no_other_work() {
    let ev = run_all(&mut sim("gomaxprocs 2\nfunc main\n  syscall 30ms\nend\n"));
    let enter = ev
        .iter()
        .find(|e| matches!(e.kind, EventKind::Entersyscall { .. }))
        .unwrap();
    let retake = ev
        .iter()
        .find(|e| matches!(e.kind, EventKind::Retake { .. }))
        .unwrap();
    // The time slice (sysretake) and the 10 ms syscall rule both apply
    // from 10 ms on; retake checks the time slice first.
    assert!(
        matches!(
            retake.kind,
            EventKind::Retake {
                why: RetakeWhy::TimeSlice | RetakeWhy::Long
            }
        ),
        "{:?}",
        retake.kind
    );
    assert!(
        retake.t_ns >= enter.t_ns + 10_000_000,
        "{} {}",
        retake.t_ns,
        enter.t_ns
    );
    assert!(retake.sentence().contains("10 ms"), "{}", retake.sentence());
    // Its old P went idle; exitsyscallTryGetP takes an idle P with plain
    // pidleget, not "its old P" by preference.
    let back = ev
        .iter()
        .find(|e| matches!(e.kind, EventKind::ExitsyscallTryGetP { .. }))
        .unwrap();
    assert_eq!(back.kind, EventKind::ExitsyscallTryGetP { old: false });
}

#[test]
fn retake_takes_a_syscalling_p_after_one_tick_when_work_waits() {
    let ev = run_all(&mut sim(
        "gomaxprocs 1\nfunc w\n  compute 1ms\nend\nfunc main\n  go w\n  syscall 5ms\nend\n",
    ));
    let enter = ev
        .iter()
        .find(|e| matches!(e.kind, EventKind::Entersyscall { .. }))
        .unwrap();
    let retake = ev
        .iter()
        .find(|e| matches!(e.kind, EventKind::Retake { .. }))
        .unwrap();
    assert_eq!(
        retake.kind,
        EventKind::Retake {
            why: RetakeWhy::Work
        }
    );
    assert!(
        retake.t_ns < enter.t_ns + 1_000_000,
        "{} {}",
        retake.t_ns,
        enter.t_ns
    );
}
