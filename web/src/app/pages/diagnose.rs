//! Diagnose: symptom, mechanism, fix, each opening a guided scenario in the
//! widget where the mechanism shows (the problem, then the fix applied);
//! and the recurring traps as short checks.

use runtime_model::gc::pacer::Workload;
use runtime_model::gc::pacer::{pacer_presets, simulate};
use runtime_model::sched::{human, presets, EventKind, Sim};
use yew::prelude::*;

use super::PageHead;
use crate::app::links;
use crate::app::registry::mount;
use crate::kit::content::FactTable;
use crate::kit::link::{Link, SiteLink};
use crate::kit::query::Whole;

const SYMPTOMS: &[&[&str]] = &[
    &[
        "Latency spikes",
        "GC pauses and assists, or goroutines starved of a P.",
        "Read `GODEBUG=gctrace=1` and `schedtrace`; allocate less; set `GOMEMLIMIT` instead of collecting constantly.",
    ],
    &[
        "Memory keeps growing",
        "Something still reachable: a goroutine that never exits, a map or cache that is never pruned. The GC cannot free what can be reached.",
        "Watch `runtime.NumGoroutine()`, take a heap profile, fix the reference that is held.",
    ],
    &[
        "Allocations you did not expect",
        "Values escaping to the heap.",
        "`-gcflags=-m`; avoid boxing into interfaces; return values rather than pointers where you can.",
    ],
    &[
        "A big binary",
        "The runtime is linked in, plus the symbol table and DWARF.",
        "`-ldflags=\"-s -w\"`, `CGO_ENABLED=0`.",
    ],
    &[
        "Will not start on a `scratch` image",
        "cgo linked the binary dynamically against libc, which the image lacks.",
        "`CGO_ENABLED=0`.",
    ],
];

/// A guided scenario: the problem in a widget, then the same widget with
/// the fix applied, and what to look for in each.
pub struct Guide {
    pub symptom: &'static str,
    /// What to look for; its numbers come from the model's presets.
    look: fn() -> String,
    /// The widget showing the problem, built from its `Params`.
    pub problem: fn() -> Link,
    fix_text: fn() -> String,
    /// The same widget with the fix applied.
    pub fix: fn() -> Link,
    /// The effect, measured by the model when the page renders.
    effect: fn() -> String,
}

/// What a run of the pacer did, for the before/after sentences.
struct RunFacts {
    peak: u64,
    gc_cpu: f64,
    cycles: usize,
    /// The live heap at the run's end.
    live_end: u64,
    /// The highest heap goal, and the most one cycle marked.
    max_goal: u64,
    max_marked: u64,
    /// All the cycles marked, added up.
    marked_total: u64,
    /// On average: the heap the program allocates between one cycle's end
    /// and the next one's start, and a mark's length (ns).
    room: u64,
    mark_ns: u64,
    limited: usize,
}

fn facts(p: &runtime_model::gc::pacer::Pacer) -> RunFacts {
    let r = &p.records;
    let n = r.len().max(1) as u64;
    let room: u64 = r
        .windows(2)
        .map(|w| w[1].trace.heap[0].saturating_sub(w[0].trace.heap[2]))
        .sum::<u64>()
        / (r.len().max(2) as u64 - 1);
    RunFacts {
        peak: p.peak_memory,
        gc_cpu: p.gc_cpu_fraction(),
        cycles: r.len(),
        live_end: p.workload.live_at(p.now),
        max_goal: r.iter().map(|c| c.goal).max().unwrap_or(0),
        max_marked: r.iter().map(|c| c.trace.heap[2]).max().unwrap_or(0),
        marked_total: r.iter().map(|c| c.trace.heap[2]).sum(),
        room,
        mark_ns: r.iter().map(|c| c.trace.clock_ns[1]).sum::<u64>() / n,
        limited: r.iter().filter(|c| c.limiter_on).count(),
    }
}

/// "falls", "rises" or "stays about the same", from `a` to `b`.
fn direction(a: f64, b: f64) -> &'static str {
    if b < a * 0.95 {
        "falls"
    } else if b > a * 1.05 {
        "rises"
    } else {
        "stays about the same"
    }
}

/// The before/after figures of a pacer fix, each with the sentence that
/// says why it moved, all measured on the two runs.
fn pacer_effect(preset: &str, fix: fn(&mut Workload)) -> String {
    let Some(p) = pacer_presets().into_iter().find(|p| p.name == preset) else {
        return String::new();
    };
    let before = simulate(p.workload.clone(), p.seconds as f64);
    let mut fixed = p.workload.clone();
    fix(&mut fixed);
    let (rate_a, rate_b) = (p.workload.alloc_per_sec >> 20, fixed.alloc_per_sec >> 20);
    let after = simulate(fixed, p.seconds as f64);
    let (a, b) = (facts(&before), facts(&after));
    let mib = |x: u64| format!("{} MiB", x >> 20);
    let gib = |x: u64| format!("{:.1} GiB", x as f64 / f64::from(1u32 << 30));
    let ms = |ns: u64| format!("{:.0} ms", ns as f64 / 1e6);
    let mut s = format!(
        "In the model over {} s: peak memory {} → {}, GC CPU {:.1}% → {:.1}%, {} → {} cycles.",
        p.seconds,
        mib(a.peak),
        mib(b.peak),
        a.gc_cpu * 100.0,
        b.gc_cpu * 100.0,
        a.cycles,
        b.cycles
    );
    s.push_str(&format!(
        " Peak memory {}: each goal is set from what the cycle before marked, and the most one cycle marked goes from {} to {} (the live heap ends at {} before, {} after), so the highest goal goes from {} to {}.",
        direction(a.peak as f64, b.peak as f64),
        mib(a.max_marked),
        mib(b.max_marked),
        mib(a.live_end),
        mib(b.live_end),
        mib(a.max_goal),
        mib(b.max_goal)
    ));
    if a.live_end == b.live_end && a.max_marked != b.max_marked {
        s.push_str(" With the same live heap, the difference in what is marked is floating garbage: what the program allocates during each mark.");
    }
    s.push_str(&format!(
        " GC CPU {}: marking costs CPU for what it marks, {} over all the cycles before against {} after{}.",
        direction(a.gc_cpu, b.gc_cpu),
        gib(a.marked_total),
        gib(b.marked_total),
        if a.limited > b.limited {
            format!(
                ", and before the fix the CPU limiter had to hold GC back in {} cycles",
                a.limited
            )
        } else {
            String::new()
        }
    ));
    let cycles = if b.cycles > a.cycles {
        "There are more cycles after the fix"
    } else if b.cycles < a.cycles {
        "There are fewer cycles after the fix"
    } else {
        "The number of cycles stays the same"
    };
    s.push_str(&format!(
        " {cycles}: a cycle starts each time the program has allocated the room from the last marked heap up to the trigger, on average {} at {rate_a} MiB/s before and {} at {rate_b} MiB/s after, and then marks for {} on average before, {} after.",
        mib(a.room),
        mib(b.room),
        ms(a.mark_ns),
        ms(b.mark_ns)
    ));
    // Time between cycle starts: allocating the room, then the mark.
    let gap = |f: &RunFacts, rate: u64| {
        f.room as f64 / ((rate.max(1) << 20) as f64) * 1e9 + f.mark_ns as f64
    };
    let (gap_a, gap_b) = (gap(&a, rate_a), gap(&b, rate_b));
    s.push_str(&format!(
        " That is one cycle about every {:.2} s before and {:.2} s after",
        gap_a / 1e9,
        gap_b / 1e9
    ));
    let room_change = gap_a - a.mark_ns as f64 - (gap_b - b.mark_ns as f64);
    let mark_change = a.mark_ns as f64 - b.mark_ns as f64;
    if room_change.signum() != mark_change.signum() && mark_change.abs() > room_change.abs() {
        s.push_str(&format!(
            ": before the fix the marks are {} (there is {} live heap to scan), and that outweighs the {} room.",
            if mark_change > 0.0 { "longer" } else { "shorter" },
            if mark_change > 0.0 { "more" } else { "less" },
            if room_change > 0.0 { "larger" } else { "smaller" }
        ));
    } else {
        s.push('.');
    }
    if b.cycles > a.cycles && b.gc_cpu < a.gc_cpu {
        s.push_str(" More cycles can cost less: each of them marks less.");
    }
    s
}

/// The workload of a pacer preset (an empty one if the preset is gone,
/// which a test below rules out).
fn workload(preset: &str) -> Workload {
    pacer_presets()
        .into_iter()
        .find(|p| p.name == preset)
        .map(|p| p.workload)
        .unwrap_or_else(|| Workload::steady(0, 0))
}

/// The longest stretch of computing in a scheduler preset's run: the hog's
/// loop when nothing preempts it.
fn longest_compute_ns(preset: &str) -> u64 {
    let Some(config) = presets::preset(preset).and_then(|p| p.config(p.default_n).ok()) else {
        return 0;
    };
    let Ok(mut sim) = Sim::new(config) else {
        return 0;
    };
    let mut longest = 0;
    while let Some(e) = sim.step() {
        if let EventKind::Compute { ns } = e.kind {
            longest = longest.max(ns);
        }
    }
    longest
}

/// Virtual time until every goroutine of a preset has run at least once.
fn last_first_run_ms(preset: &str) -> Option<f64> {
    let config = presets::preset(preset)?
        .config(presets::preset(preset)?.default_n)
        .ok()?;
    let mut sim = Sim::new(config).ok()?;
    let mut last = 0;
    let mut seen = 0;
    while let Some(e) = sim.step() {
        if sim.run_order().len() > seen {
            seen = sim.run_order().len();
            last = e.t_ns;
        }
    }
    Some(last as f64 / 1e6)
}

pub const GUIDES: &[Guide] = &[
    Guide {
        symptom: "Latency spikes: a goroutine hogs its P",
        look: || {
            format!(
            "With asynchronous preemption off (as before Go 1.14), a loop without function calls keeps the only P for its whole {}; the other goroutines wait in the queue.",
            human(longest_compute_ns("preempt-off"))
        )
        },
        problem: || links::scheduler("preempt-off", |_| {}),
        fix_text: || {
            format!(
            "Let sysmon preempt it (the default since Go 1.14): every {} the hog goes to the global queue and the others run.",
            human(runtime_model::sched::FORCE_PREEMPT_NS)
        )
        },
        fix: || links::scheduler("preempt", |_| {}),
        effect: || {
            match (last_first_run_ms("preempt-off"), last_first_run_ms("preempt")) {
            (Some(a), Some(b)) => format!(
                "In the model: the last waiting goroutine first runs at {a:.1} ms without preemption, at {b:.1} ms with it. \
                 Without preemption nothing takes the P from the hog until its loop ends; with it, sysmon preempts the hog once it \
                 has run {:.0} ms on one schedtick (forcePreemptNS), so the waiting goroutines get the P {:.1} times sooner.",
                runtime_model::sched::FORCE_PREEMPT_NS as f64 / 1e6,
                a / b.max(1e-9)
            ),
            _ => String::new(),
        }
        },
    },
    Guide {
        symptom: "Latency spikes: the collector works too hard",
        look: || {
            format!(
            "At {} MiB/s of garbage the heap saws up to its goal over and over, and the gctrace lines come thick and fast.",
            workload("steady").alloc_per_sec >> 20
        )
        },
        problem: || links::pacer_workload("steady", |_| {}),
        fix_text: || {
            "Allocate less (reuse buffers, size slices up front, avoid boxing): halve the allocation rate.".to_owned()
        },
        fix: || {
            links::pacer_workload("steady", |p| {
                p.rate = Some(Whole((workload("steady").alloc_per_sec / 2) >> 20));
            })
        },
        effect: || pacer_effect("steady", |w| w.alloc_per_sec /= 2),
    },
    Guide {
        symptom: "Memory keeps growing",
        look: || {
            format!(
            "{} MiB a second stays reachable (say, a map nobody prunes). The live heap climbs, the goal climbs with it, and near GOMEMLIMIT the collector runs back to back.",
            workload("leak").leak_per_sec >> 20
        )
        },
        problem: || links::pacer_workload("leak", |_| {}),
        fix_text: || {
            "Prune the map (or stop the goroutine that holds it): the leak goes to zero and the heap levels off.".to_owned()
        },
        fix: || links::pacer_workload("leak", |p| p.leak = Some(Whole(0))),
        effect: || pacer_effect("leak", |w| w.leak_per_sec = 0),
    },
    Guide {
        symptom: "Allocations you did not expect",
        look: || {
            "Returning the address of a local moves the local to the heap: -gcflags=-m says \"moved to heap\".".to_owned()
        },
        problem: || links::escape("return-address"),
        fix_text: || {
            "Keep the value in the caller and pass a pointer down (or return the value itself): nothing escapes.".to_owned()
        },
        fix: || links::escape("pass-down"),
        effect: || {
            use runtime_model::escape::case;
            match (case("return-address"), case("pass-down")) {
                (Some(a), Some(b)) => format!(
                    "The compiler says \"{}\", then \"{}\".",
                    a.verdict, b.verdict
                ),
                _ => String::new(),
            }
        },
    },
    Guide {
        symptom: "A big binary",
        look: || {
            "The net/http program keeps its symbol table and DWARF, several megabytes of the file."
                .to_owned()
        },
        problem: || links::build("netserver", |_| {}),
        fix_text: || {
            "Build with -ldflags=\"-s -w\" (and CGO_ENABLED=0): the same program, smaller."
                .to_owned()
        },
        fix: || {
            links::build("netserver", |p| {
                p.strip = true;
                p.cgo = Some(false);
            })
        },
        effect: || {
            "The explorer shows the exact sizes, measured from real go1.27.3 builds.".to_owned()
        },
    },
    Guide {
        symptom: "Will not start on a scratch image",
        look: || {
            "With cgo the net program links libc dynamically; in an empty image there is no loader and no libc, so it cannot even start.".to_owned()
        },
        problem: || links::build("netserver", |p| p.cgo = Some(true)),
        fix_text: || {
            "Build with CGO_ENABLED=0: pure Go, static, and it runs on scratch.".to_owned()
        },
        fix: || links::build("netserver", |p| p.cgo = Some(false)),
        effect: || {
            "The explorer's scratch line comes from really running each build in an empty chroot."
                .to_owned()
        },
    },
];

#[function_component(Diagnose)]
pub fn diagnose() -> Html {
    html! {
        <article class="page">
            <PageHead slug="diagnose" />
            <FactTable caption="Symptom, mechanism, fix" head={&["Symptom", "Likely mechanism", "What to check and do"][..]} rows={SYMPTOMS} />
            <section aria-labelledby="guided">
                <h2 id="guided">{ "See each one happen, then fix it" }</h2>
                <ol class="guides">
                    { for GUIDES.iter().map(|g| html! {
                        <li class="guide">
                            <h3>{ g.symptom }</h3>
                            <p>{ (g.look)() }</p>
                            <p class="guide-links">
                                <SiteLink to={(g.problem)()}>{ "See the problem" }</SiteLink>
                                { " → " }
                                <SiteLink to={(g.fix)()}>{ "Apply the fix" }</SiteLink>
                            </p>
                            <p>{ (g.fix_text)() }</p>
                            <p class="effect">{ (g.effect)() }</p>
                        </li>
                    }) }
                </ol>
            </section>
            <section aria-labelledby="your-log">
                <h2 id="your-log">{ "Paste your program's log" }</h2>
                <p>{ "The scenarios above are models. To see your own program, run it with GODEBUG=gctrace=1 (one line per GC cycle) or GODEBUG=schedtrace=1000 (one line a second about the scheduler; add ,scheddetail=1 for every P, M and G), and paste what it prints to standard error: the symptom, in the runtime's own numbers." }</p>
                { mount("logs") }
            </section>
            <section aria-labelledby="traps">
                <h2 id="traps">{ "The recurring traps" }</h2>
                <p>{ "Would you do it? Decide, then read why." }</p>
                { mount("traps") }
            </section>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guides_numbers_are_the_presets() {
        let hog = longest_compute_ns("preempt-off");
        assert_eq!(hog, 50_000_000, "the hog's loop in the preempt-off preset");
        assert!((GUIDES[0].look)().contains(&format!("its whole {}", human(hog))));
        assert!((GUIDES[0].fix_text)().contains("every 10 ms"));
        let steady = workload("steady").alloc_per_sec >> 20;
        assert!(steady > 0);
        assert!((GUIDES[1].look)().starts_with(&format!("At {steady} MiB/s")));
        let half = (GUIDES[1].fix)().query;
        assert!(half.contains(&format!("rate={}", steady / 2)), "{half}");
        let leak = workload("leak").leak_per_sec >> 20;
        assert!(leak > 0);
        assert!((GUIDES[2].look)().starts_with(&format!("{leak} MiB a second")));
    }

    #[test]
    fn every_guide_measures_an_effect() {
        // Where its links lead is checked with every other link's, in
        // app::links.
        for g in GUIDES {
            assert!(!(g.effect)().is_empty(), "{}", g.symptom);
        }
    }

    #[test]
    fn the_fixes_really_help_in_the_model() {
        let (a, b) = (
            last_first_run_ms("preempt-off").unwrap(),
            last_first_run_ms("preempt").unwrap(),
        );
        assert!(b < a, "preemption lets the others run sooner: {b} vs {a}");
        assert!(pacer_effect("leak", |w| w.leak_per_sec = 0).contains("MiB"));
    }

    /// "393 -> 472 cycles" came with no word on why (issue 11): every
    /// figure now has its sentence, with the two runs' own numbers.
    #[test]
    fn every_before_and_after_figure_says_why() {
        let (a, b) = (
            last_first_run_ms("preempt-off").unwrap(),
            last_first_run_ms("preempt").unwrap(),
        );
        let sched = (GUIDES[0].effect)();
        assert!(
            sched.contains(&format!(
                "has run 10 ms on one schedtick (forcePreemptNS), so the waiting goroutines get the P {:.1} times sooner.",
                a / b
            )),
            "{sched}"
        );
        let leak = pacer_effect("leak", |w| w.leak_per_sec = 0);
        assert!(leak.contains("575 → 530 cycles"), "{leak}");
        assert!(leak.contains("Peak memory falls:"), "{leak}");
        assert!(
            leak.contains("the live heap ends at 664 MiB before, 64 MiB after"),
            "{leak}"
        );
        assert!(leak.contains("GC CPU falls:"), "{leak}");
        assert!(
            leak.contains("the CPU limiter had to hold GC back in 100 cycles"),
            "{leak}"
        );
        assert!(
            leak.contains("There are fewer cycles after the fix:"),
            "{leak}"
        );
        assert!(
            leak.ends_with("That is one cycle about every 0.25 s before and 0.28 s after."),
            "{leak}"
        );
        // More cycles with the leak: the room between them is smaller,
        // and that outweighs its longer marks (more live heap to scan).
        assert!(leak.contains("on average 34 MiB at 256 MiB/s before and 64 MiB at 256 MiB/s after, and then marks for 115 ms on average before, 31 ms after"), "{leak}");
        assert!(!leak.contains("More cycles can cost less"), "{leak}");
        let steady = pacer_effect("steady", |w| w.alloc_per_sec /= 2);
        assert!(
            steady.contains("There are fewer cycles after the fix:"),
            "{steady}"
        );
        assert!(
            steady.contains("at 256 MiB/s before") && steady.contains("at 128 MiB/s after"),
            "{steady}"
        );
        assert!(!steady.contains("More cycles can cost less"), "{steady}");
        assert!(
            steady.contains("the difference in what is marked is floating garbage"),
            "{steady}"
        );
    }
}
