//! The marking widget's URL state: the heap (a marking preset), the write
//! barrier, the random mutator's seed, whether to ask before each
//! barriered write, and the step (`?heap=hide-pointer&barrier=none&step=9`).
//!
//! The heap's key was `preset` until the pacer, on the same page, needed a
//! key of its own: [`Params::upgrade`] reads an old link's `preset` as the
//! heap unless it names a pacer workload.

use std::rc::Rc;

use runtime_model::gc::barrier::BarrierMode;
use runtime_model::gc::heap::{Holder, ObjectId};
use runtime_model::gc::pacer::pacer_presets;
use runtime_model::gc::presets::{mark_preset, mark_presets, MarkPreset};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::kit::query::{self, Choices, Key, OneOf};

/// The marking presets of `runtime_model::gc::presets`, by name.
pub struct Heaps;

impl Choices for Heaps {
    const DEFAULT: &'static str = "hide-pointer";
    fn names() -> Vec<&'static str> {
        mark_presets().iter().map(|p| p.name).collect()
    }
}

/// The write barriers, by the names the model gives them.
pub struct Barriers;

impl Choices for Barriers {
    const DEFAULT: &'static str = "hybrid";
    fn names() -> Vec<&'static str> {
        BarrierMode::ALL.iter().map(|b| b.name()).collect()
    }
}

/// The random mutator's seed; 1 unless a link says otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Seed(pub u64);

impl Default for Seed {
    fn default() -> Seed {
        Seed(1)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// The marking preset; `None` is [`Heaps::DEFAULT`]. A pick from the
    /// menu is always written (even the default), so that an old link's
    /// `preset`, still in the URL, cannot take over again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heap: Option<OneOf<Heaps>>,
    /// The write barrier; `None` is [`Barriers::DEFAULT`]. Like the heap,
    /// a pick from the menu is always written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub barrier: Option<OneOf<Barriers>>,
    pub seed: Seed,
    /// Ask which objects the barrier shades before each barriered write.
    #[serde(with = "crate::kit::query::flag")]
    pub predict: bool,
    /// Steps taken so far.
    pub step: u64,
}

/// Whether `name` is one of the pacer's workloads: an old `preset` that
/// names one is the pacer's, not the heap.
fn is_pacer_workload(name: &str) -> bool {
    pacer_presets().iter().any(|p| p.name == name)
}

impl query::Params for Params {
    const WIDGET: &'static str = "gc-marking";
    const KEYS: &'static [Key] = &[
        Key {
            name: "heap",
            notice: |v| {
                format!(
                    "There is no marking preset {v:?}; showing {}. Presets: {}.",
                    Heaps::DEFAULT,
                    Heaps::allowed()
                )
            },
        },
        Key {
            name: "barrier",
            notice: |v| {
                format!(
                    "There is no barrier {v:?}; using {}. Barriers: {}.",
                    Barriers::DEFAULT,
                    Barriers::allowed()
                )
            },
        },
        Key {
            name: "seed",
            notice: |_| "The seed must be a whole number; using 1.".to_owned(),
        },
        Key {
            name: "predict",
            notice: |v| format!("The link's predict {v:?} is not 0 or 1; not asking."),
        },
        query::STEP,
    ];

    /// Links made before the rename wrote the heap as `preset`; on the GC
    /// page the pacer's workload was `preset` too. An old `preset` is the
    /// heap unless it names a pacer workload or the link also has `heap`.
    fn upgrade(pairs: &mut Vec<(String, String)>) {
        if pairs.iter().any(|(k, _)| k == "heap") {
            return;
        }
        if let Some((k, v)) = pairs.iter_mut().find(|(k, _)| k == "preset") {
            if !is_pacer_workload(v) {
                *k = "heap".to_owned();
            }
        }
    }
}

impl Params {
    /// The heap's name, the default when the link names none.
    pub fn heap_name(&self) -> &'static str {
        self.heap.unwrap_or_default().name()
    }

    /// The marking preset the heap names.
    pub fn preset(&self) -> MarkPreset {
        mark_preset(self.heap_name()).expect("Heaps lists the marking presets")
    }

    pub fn barrier_mode(&self) -> BarrierMode {
        BarrierMode::from_name(self.barrier.unwrap_or_default().name())
            .expect("Barriers lists every barrier")
    }

    /// What makes a run: when it changes, the run is recorded afresh.
    pub fn run(&self) -> (&'static str, BarrierMode, u64) {
        (self.heap_name(), self.barrier_mode(), self.seed.0)
    }
}

pub enum Action {
    /// Another heap, from its first step.
    Heap(OneOf<Heaps>),
    /// Another barrier, from the first step.
    Barrier(OneOf<Barriers>),
    /// Ask (or stop asking) before barriered writes, from the first step.
    Predict(bool),
    Seek(u64),
}

impl Reducible for Params {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Heap(heap) => {
                next.heap = Some(heap);
                next.step = 0;
            }
            Action::Barrier(barrier) => {
                next.barrier = Some(barrier);
                next.step = 0;
            }
            Action::Predict(predict) => {
                next.predict = predict;
                next.step = 0;
            }
            Action::Seek(step) => next.step = step,
        }
        Rc::new(next)
    }
}

/// What a recorded run showed, for its description: every object the
/// collector freed while it was still reachable, with the step that swept
/// it, and how many steps the run has.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub lost: Vec<(u64, ObjectId)>,
    pub steps: u64,
    /// Whether the run ended by itself (a random mutator never does).
    pub finished: bool,
}

/// `n` with a comma between each group of three digits: 2,000.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The barrier as the description names it.
fn under(barrier: BarrierMode) -> String {
    match barrier {
        BarrierMode::None => "With no write barrier".to_owned(),
        b => format!("Under the {} barrier", b.name()),
    }
}

/// The preset's description, made from the parameters in force (the
/// barrier, the seed) and from what the run under them showed: the lesson,
/// with the heap's own figures, then what happens in this run.
pub fn description(preset: &MarkPreset, barrier: BarrierMode, seed: u64, run: &Outcome) -> String {
    let lesson = if preset.random_mutator {
        let sim = preset.build(barrier, seed);
        let heap = sim.heap();
        let objects = heap.objects.len();
        let live = heap.reachable().iter().filter(|r| **r).count();
        let root_pointers = preset
            .edges
            .iter()
            .filter(|(h, _, _)| !matches!(h, Holder::Object(_)))
            .count();
        let starts = if preset.script.is_empty() {
            "Cycle after cycle runs while the mutator allocates, links, unlinks and drops roots"
        } else {
            "The first cycle starts at once, and cycle after cycle follows while the mutator allocates, links, unlinks and drops roots"
        };
        format!(
            "A random heap that starts with {} objects, {} of them reachable from its {root_pointers} root pointers (in {} globals and {} goroutine stacks), \
             and a random mutator seeded with {seed}. {starts}. Marking takes one step per object scanned, so marking the live heap takes \
             at least {} steps; sweep then frees the white objects span by span.",
            grouped(objects),
            grouped(live),
            preset.globals,
            preset.goroutines,
            grouped(live),
        )
    } else {
        preset.explanation.to_owned()
    };
    let lost: Vec<String> = run
        .lost
        .iter()
        .map(|(step, o)| format!("{o} at step {step}"))
        .collect();
    let within = if run.finished {
        " in this run".to_owned()
    } else {
        format!(" in the first {} steps", grouped(run.steps as usize))
    };
    let outcome = if lost.is_empty() {
        format!("{}, no object is lost{within}.", under(barrier))
    } else {
        format!(
            "{}, sweep frees {} while still reachable{within}.",
            under(barrier),
            lost.join(" and ")
        )
    };
    format!("{lesson} {outcome}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, encode, merge, to_query, Params as _};

    #[test]
    fn a_link_names_the_heap_barrier_seed_predict_and_step() {
        let d = decode::<Params>("heap=random&barrier=yuasa&seed=7&predict=1&step=12");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let p = d.params;
        assert_eq!(p.run(), ("random", BarrierMode::Yuasa, 7));
        assert!(p.predict);
        assert_eq!(p.step, 12);
        assert_eq!(
            to_query(&p),
            "heap=random&barrier=yuasa&seed=7&predict=1&step=12"
        );
        assert_eq!(to_query(&Params::default()), "");
        assert_eq!(
            Params::default().run(),
            ("hide-pointer", BarrierMode::Hybrid, 1)
        );
    }

    #[test]
    fn bad_values_give_their_notice_and_the_rest_applies() {
        let d = decode::<Params>("heap=nope&barrier=steele&seed=x&predict=yes&step=3");
        assert_eq!(d.params.run(), ("hide-pointer", BarrierMode::Hybrid, 1));
        assert_eq!(d.params.step, 3);
        assert_eq!(d.notices.len(), 4, "{:?}", d.notices);
        assert!(d.notices[0].starts_with(
            "There is no marking preset \"nope\"; showing hide-pointer. Presets: hide-pointer, "
        ));
        assert_eq!(
            d.notices[1],
            "There is no barrier \"steele\"; using hybrid. Barriers: hybrid, dijkstra, yuasa, none."
        );
        assert_eq!(d.notices[2], "The seed must be a whole number; using 1.");
        assert!(d.notices[3].contains("predict \"yes\""));
    }

    #[test]
    fn a_knob_change_starts_the_run_again() {
        let p = Rc::new(decode::<Params>("heap=random&step=40").params);
        assert_eq!(p.clone().reduce(Action::Seek(41)).step, 41);
        let next = p
            .clone()
            .reduce(Action::Barrier(OneOf::new("none").unwrap()));
        assert_eq!(to_query(next.as_ref()), "heap=random&barrier=none");
        let next = p.clone().reduce(Action::Predict(true));
        assert_eq!(to_query(next.as_ref()), "heap=random&predict=1");
        let next = p.reduce(Action::Heap(OneOf::default()));
        assert_eq!(to_query(next.as_ref()), "heap=hide-pointer");
        let next = next.reduce(Action::Barrier(OneOf::default()));
        assert_eq!(
            to_query(next.as_ref()),
            "heap=hide-pointer&barrier=hybrid",
            "a pick is written, even the default"
        );
    }

    /// The link as the site wrote it before the rename.
    #[test]
    fn an_old_link_opens_the_same_moment() {
        let d = decode::<Params>("preset=hide-pointer&barrier=none&step=9");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(d.params.run(), ("hide-pointer", BarrierMode::None, 1));
        assert_eq!(d.params.step, 9);
        let d = decode::<Params>("preset=large-random&step=400");
        assert_eq!((d.params.heap_name(), d.params.step), ("large-random", 400));
        // A name that is nobody's is still the heap's, with its notice.
        let d = decode::<Params>("preset=bogus");
        assert!(d.notices[0].starts_with("There is no marking preset \"bogus\""));
    }

    #[test]
    fn an_old_preset_that_names_a_pacer_workload_is_the_pacers() {
        let d = decode::<Params>("preset=leak");
        assert_eq!((d.params, d.notices), (Params::default(), vec![]));
        let d = decode::<Params>("preset=hide-pointer&heap=random");
        assert_eq!(d.params.heap_name(), "random", "heap wins over preset");
    }

    #[test]
    fn picking_the_default_heap_after_an_old_link_keeps_it() {
        let old = "preset=stack-only-pointer&step=4";
        let p = Rc::new(decode::<Params>(old).params);
        let next = p.reduce(Action::Heap(OneOf::default()));
        let query = merge(old, &Params::owns, &encode(next.as_ref()));
        assert_eq!(decode::<Params>(&query).params.heap_name(), "hide-pointer");
    }

    /// The numbers in `text` that stand alone (not part of a name such as
    /// o2 or G1), commas removed.
    fn numbers(text: &str) -> Vec<u64> {
        text.split(|c: char| !(c.is_alphanumeric() || c == ','))
            .map(|w| w.trim_matches(','))
            .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == ','))
            .map(|w| w.replace(',', "").parse().unwrap())
            .collect()
    }

    /// Every preset under every barrier and a seed other than the default:
    /// the description names the barrier in force and the objects this run
    /// loses, every number in it is one the run's parameters give, and no
    /// bare "N" stands in for one.
    #[test]
    fn every_description_follows_the_knobs_in_force() {
        use crate::widgets::gc_marking::MarkRun;
        for preset in mark_presets() {
            for barrier in BarrierMode::ALL {
                for seed in [1, 7] {
                    let run = MarkRun::record(preset.build(barrier, seed));
                    let text = description(&preset, barrier, seed, run.outcome());
                    let at = format!("{} {barrier:?} seed {seed}: {text}", preset.name);
                    assert!(
                        !text.split(|c: char| !c.is_alphanumeric()).any(|w| w == "N"),
                        "a bare N in {at}"
                    );
                    assert!(text.contains(&under(barrier)), "{at}");
                    let (end, _) = run.at(run.last());
                    let lost = end.lost();
                    for o in &lost {
                        assert!(text.contains(&format!("{o} at step")), "{o} lost: {at}");
                    }
                    assert_eq!(lost.is_empty(), text.contains("no object is lost"), "{at}");
                    let heap = preset.build(barrier, seed);
                    let heap = heap.heap();
                    let mut allowed: Vec<u64> = vec![
                        seed,
                        heap.objects.len() as u64,
                        heap.reachable().iter().filter(|r| **r).count() as u64,
                        preset.globals as u64,
                        u64::from(preset.goroutines),
                        heap.edges()
                            .filter(|e| !matches!(e.holder, Holder::Object(_)))
                            .count() as u64,
                        run.last(),
                    ];
                    allowed.extend(run.outcome().lost.iter().map(|(step, _)| step));
                    for n in numbers(&text) {
                        assert!(allowed.contains(&n), "{n} is none of {allowed:?}: {at}");
                    }
                }
            }
        }
        // The check sees a number the knobs contradict.
        assert_eq!(
            numbers("seeded with 1, 2,000 objects; o2 and G1"),
            [1, 2000]
        );
    }

    /// A random preset names the link's seed, and a run that has not ended
    /// says how far it was recorded.
    #[test]
    fn a_random_preset_names_the_seed_in_force() {
        let preset = mark_preset("random").unwrap();
        let run = Outcome {
            steps: 2000,
            ..Outcome::default()
        };
        let text = description(&preset, BarrierMode::Yuasa, 42, &run);
        assert!(text.contains("seeded with 42"), "{text}");
        assert!(
            text.ends_with("Under the yuasa barrier, no object is lost in the first 2,000 steps."),
            "{text}"
        );
    }
}
