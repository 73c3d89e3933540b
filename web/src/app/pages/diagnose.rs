//! Diagnose: symptom, mechanism, fix, each opening a guided scenario in the
//! widget where the mechanism shows (the problem, then the fix applied);
//! and the recurring traps as short checks.

use runtime_model::gc::pacer::{pacer_presets, simulate};
use runtime_model::sched::{presets, Sim};
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
    look: &'static str,
    /// The widget showing the problem, built from its `Params`.
    pub problem: fn() -> Link,
    fix_text: &'static str,
    /// The same widget with the fix applied.
    pub fix: fn() -> Link,
    /// The effect, measured by the model when the page renders.
    effect: fn() -> String,
}

fn pacer_effect(preset: &str, fix: fn(&mut runtime_model::gc::pacer::Workload)) -> String {
    let Some(p) = pacer_presets().into_iter().find(|p| p.name == preset) else {
        return String::new();
    };
    let before = simulate(p.workload.clone(), p.seconds as f64);
    let mut fixed = p.workload.clone();
    fix(&mut fixed);
    let after = simulate(fixed, p.seconds as f64);
    format!(
        "In the model over {} s: peak memory {} MiB → {} MiB, GC CPU {:.1}% → {:.1}%, {} → {} cycles.",
        p.seconds,
        before.peak_memory >> 20,
        after.peak_memory >> 20,
        before.gc_cpu_fraction() * 100.0,
        after.gc_cpu_fraction() * 100.0,
        before.numgc,
        after.numgc
    )
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
        look: "With asynchronous preemption off (as before Go 1.14), a loop without function calls keeps the only P for its whole 50 ms; the other goroutines wait in the queue.",
        problem: || links::scheduler("preempt-off", |_| {}),
        fix_text: "Let sysmon preempt it (the default since Go 1.14): every 10 ms the hog goes to the global queue and the others run.",
        fix: || links::scheduler("preempt", |_| {}),
        effect: || match (last_first_run_ms("preempt-off"), last_first_run_ms("preempt")) {
            (Some(a), Some(b)) => format!("In the model: the last waiting goroutine first runs at {a:.1} ms without preemption, at {b:.1} ms with it."),
            _ => String::new(),
        },
    },
    Guide {
        symptom: "Latency spikes: the collector works too hard",
        look: "At 256 MiB/s of garbage the heap saws up to its goal over and over, and the gctrace lines come thick and fast.",
        problem: || links::pacer_workload("steady", |_| {}),
        fix_text: "Allocate less (reuse buffers, size slices up front, avoid boxing): halve the allocation rate.",
        fix: || links::pacer_workload("steady", |p| p.rate = Some(Whole(128))),
        effect: || pacer_effect("steady", |w| w.alloc_per_sec /= 2),
    },
    Guide {
        symptom: "Memory keeps growing",
        look: "4 MiB a second stays reachable (say, a map nobody prunes). The live heap climbs, the goal climbs with it, and near GOMEMLIMIT the collector runs back to back.",
        problem: || links::pacer_workload("leak", |_| {}),
        fix_text: "Prune the map (or stop the goroutine that holds it): the leak goes to zero and the heap levels off.",
        fix: || links::pacer_workload("leak", |p| p.leak = Some(Whole(0))),
        effect: || pacer_effect("leak", |w| w.leak_per_sec = 0),
    },
    Guide {
        symptom: "Allocations you did not expect",
        look: "Returning the address of a local moves the local to the heap: -gcflags=-m says \"moved to heap\".",
        problem: || links::escape("return-address"),
        fix_text: "Keep the value in the caller and pass a pointer down (or return the value itself): nothing escapes.",
        fix: || links::escape("pass-down"),
        effect: || {
            use runtime_model::escape::case;
            match (case("return-address"), case("pass-down")) {
                (Some(a), Some(b)) => format!("The compiler says \"{}\", then \"{}\".", a.verdict, b.verdict),
                _ => String::new(),
            }
        },
    },
    Guide {
        symptom: "A big binary",
        look: "The net/http program keeps its symbol table and DWARF, several megabytes of the file.",
        problem: || links::build("netserver", |_| {}),
        fix_text: "Build with -ldflags=\"-s -w\" (and CGO_ENABLED=0): the same program, smaller.",
        fix: || links::build("netserver", |p| {
            p.strip = true;
            p.cgo = Some(false);
        }),
        effect: || "The explorer shows the exact sizes, measured from real go1.27.3 builds.".to_owned(),
    },
    Guide {
        symptom: "Will not start on a scratch image",
        look: "With cgo the net program links libc dynamically; in an empty image there is no loader and no libc, so it cannot even start.",
        problem: || links::build("netserver", |p| p.cgo = Some(true)),
        fix_text: "Build with CGO_ENABLED=0: pure Go, static, and it runs on scratch.",
        fix: || links::build("netserver", |p| p.cgo = Some(false)),
        effect: || "The explorer's scratch line comes from really running each build in an empty chroot.".to_owned(),
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
                            <p>{ g.look }</p>
                            <p class="guide-links">
                                <SiteLink to={(g.problem)()}>{ "See the problem" }</SiteLink>
                                { " → " }
                                <SiteLink to={(g.fix)()}>{ "Apply the fix" }</SiteLink>
                            </p>
                            <p>{ g.fix_text }</p>
                            <p class="effect">{ (g.effect)() }</p>
                        </li>
                    }) }
                </ol>
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
}
