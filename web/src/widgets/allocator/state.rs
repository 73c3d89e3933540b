//! The allocator's URL state: the size typed, whether the object has
//! pointers, which run the animation plays, whether it asks for a size
//! class before each new size, and how far it has got
//! (`?size=33&pointers=1&run=yours&alloc-predict=1&alloc-step=12`).
//!
//! The layout lab links here with `size` and `pointers` (a struct's size
//! and whether it holds pointers), so those two keep their names and
//! meanings.

use std::rc::Rc;

use runtime_model::malloc::{plan_alloc, AllocRequest, AllocSim};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::kit::controls::parse_whole;
use crate::kit::query::{self, Key, Whole};

/// The largest size the field takes: 1 TB.
pub const SIZE_LIMIT: u64 = 1 << 40;
/// The size a link without one shows.
pub const DEFAULT_SIZE: u64 = 33;
/// Past this the "your size" run would map more pages than is worth
/// drawing; the mixed run is shown instead.
pub const OWN_RUN_LIMIT: u64 = 1 << 20;

/// Which run of allocations the animation plays (`run=mixed|yours`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Run {
    /// A fixed teaching run: tiny packing, spans that fill, a large object,
    /// a GC, and reuse after it.
    #[default]
    Mixed,
    /// Allocations of the size in the field.
    Yours,
}

impl Run {
    pub const ALL: [Run; 2] = [Run::Mixed, Run::Yours];

    /// The run a link (or the run picker) names.
    pub fn named(name: &str) -> Option<Run> {
        Run::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The name a link writes.
    pub fn name(self) -> &'static str {
        match self {
            Run::Mixed => "mixed",
            Run::Yours => "yours",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// The size asked of `mallocgc`, in bytes.
    pub size: Whole<0, SIZE_LIMIT>,
    /// Whether the object contains pointers (`pointers=1`): not noscan.
    #[serde(with = "crate::kit::query::flag")]
    pub pointers: bool,
    pub run: Run,
    /// Ask which size class each new size lands in before the step that
    /// takes it (`alloc-predict=1`).
    #[serde(rename = "alloc-predict", with = "crate::kit::query::flag")]
    pub predict: bool,
    /// Steps of the animation taken.
    #[serde(rename = "alloc-step")]
    pub step: u64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            size: Whole(DEFAULT_SIZE),
            pointers: false,
            run: Run::Mixed,
            predict: false,
            step: 0,
        }
    }
}

impl query::Params for Params {
    const WIDGET: &'static str = "allocator";
    const KEYS: &'static [Key] = &[
        Key {
            name: "size",
            notice: |v| {
                let why = parse_whole(v, "The size", 0, SIZE_LIMIT)
                    .err()
                    .unwrap_or_else(|| {
                        format!(
                            "\"{v}\" is not allowed: The size must be a whole number from 0 to {SIZE_LIMIT}."
                        )
                    });
                format!("The link's size is not usable ({why}); showing {DEFAULT_SIZE} bytes.")
            },
        },
        Key {
            name: "pointers",
            notice: |v| {
                format!(
                    "The link's pointers value {v:?} is not 0 or 1; showing a pointer-free object."
                )
            },
        },
        Key {
            name: "run",
            notice: |v| {
                format!("There is no run {v:?}; playing the mixed run. Runs: mixed, yours.")
            },
        },
        Key {
            name: "alloc-predict",
            notice: |v| format!("The link's alloc-predict {v:?} is not 0 or 1; not asking."),
        },
        Key {
            name: "alloc-step",
            notice: |v| {
                format!(
                    "The link's alloc-step is not a number from 0 to the run's last step ({v:?}); starting at 0."
                )
            },
        },
    ];

    /// Links once wrote, and the widget read, `pointers=true` and
    /// `pointers=false` as well as 1 and 0.
    fn upgrade(pairs: &mut Vec<(String, String)>) {
        for (k, v) in pairs.iter_mut() {
            if k == "pointers" {
                match v.as_str() {
                    "true" => "1".clone_into(v),
                    "false" => "0".clone_into(v),
                    _ => {}
                }
            }
        }
    }
}

/// What the animation plays: the one thing its steps count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// The fixed mixed run, whatever the size.
    Mixed,
    /// Allocations of one size, enough to fill a span and start the next.
    FillSpans { size: u64, noscan: bool },
}

impl Params {
    /// The run the animation plays for these settings: the mixed one,
    /// also when "yours" asks for more than [`OWN_RUN_LIMIT`].
    pub fn scenario(&self) -> Scenario {
        if self.run == Run::Yours && self.size.0 <= OWN_RUN_LIMIT {
            Scenario::FillSpans {
                size: self.size.0,
                noscan: !self.pointers,
            }
        } else {
            Scenario::Mixed
        }
    }

    /// "yours" was asked for a size too big to animate.
    pub fn own_run_too_big(&self) -> bool {
        self.run == Run::Yours && self.size.0 > OWN_RUN_LIMIT
    }
}

fn alloc(size: u64, keep: bool) -> AllocRequest {
    AllocRequest::Alloc {
        size,
        noscan: true,
        keep,
    }
}

impl Scenario {
    /// The simulation, at its first step.
    pub fn sim(self) -> AllocSim {
        match self {
            Scenario::FillSpans { size, noscan } => {
                let plan = plan_alloc(size, noscan);
                // Enough to fill one span and start the next, but not hundreds.
                let n = (plan.objects_per_span + 1).clamp(3, 12) as usize;
                AllocSim::scenario_fill_spans(size, noscan, n, 2)
            }
            Scenario::Mixed => AllocSim::new(vec![
                alloc(4, true),
                alloc(8, false),
                alloc(12, true),
                alloc(8192, true),
                alloc(8192, false),
                alloc(8192, true),
                alloc(100_000, false),
                AllocRequest::Gc,
                alloc(8192, true),
                alloc(6, true),
            ]),
        }
    }
}

pub enum Action {
    /// A new size from the field (already checked against the limits).
    Size(u64),
    Pointers(bool),
    PickRun(Run),
    /// Ask (or stop asking) before each new size, from the run's start.
    Predict(bool),
    Seek(u64),
}

impl Reducible for Params {
    type Action = Action;

    /// A change that changes the run the animation plays starts it over;
    /// one that does not (the size, while the mixed run plays) keeps the
    /// step.
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Size(size) => next.size = Whole(size.min(SIZE_LIMIT)),
            Action::Pointers(pointers) => next.pointers = pointers,
            Action::PickRun(run) => next.run = run,
            Action::Predict(predict) => {
                next.predict = predict;
                next.step = 0;
            }
            Action::Seek(step) => next.step = step,
        }
        if next.scenario() != self.scenario() {
            next.step = 0;
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, to_query};

    #[test]
    fn a_link_names_size_pointers_run_and_step() {
        let d = decode::<Params>("size=100&pointers=1&run=yours&alloc-step=2");
        assert_eq!(
            d.params,
            Params {
                size: Whole(100),
                pointers: true,
                run: Run::Yours,
                predict: false,
                step: 2
            }
        );
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(
            to_query(&d.params),
            "size=100&pointers=1&run=yours&alloc-step=2"
        );
        assert_eq!(to_query(&Params::default()), "");
        assert_eq!(
            decode::<Params>("size=1099511627776").params.size,
            Whole(SIZE_LIMIT)
        );
        for run in Run::ALL {
            let p = Params {
                run,
                ..Params::default()
            };
            assert_eq!(decode::<Params>(&format!("run={}", run.name())).params, p);
            assert_eq!(Run::named(run.name()), Some(run));
        }
        assert!(decode::<Params>("pointers=true").params.pointers);
        assert!(!decode::<Params>("pointers=false").params.pointers);
    }

    #[test]
    fn bad_values_fall_back_with_a_notice_and_the_rest_applies() {
        let d = decode::<Params>("size=1e3&pointers=yes&run=fast&alloc-predict=sure&alloc-step=x");
        assert_eq!(d.params, Params::default());
        assert_eq!(
            d.notices,
            [
                "The link's size is not usable (\"1e3\" is not allowed: The size must be a whole \
                 number from 0 to 1099511627776.); showing 33 bytes.",
                "The link's pointers value \"yes\" is not 0 or 1; showing a pointer-free object.",
                "There is no run \"fast\"; playing the mixed run. Runs: mixed, yours.",
                "The link's alloc-predict \"sure\" is not 0 or 1; not asking.",
                "The link's alloc-step is not a number from 0 to the run's last step (\"x\"); \
                 starting at 0.",
            ]
        );
        let d = decode::<Params>("size=1099511627777&run=yours");
        assert_eq!((d.params.size, d.params.run), (Whole(33), Run::Yours));
        assert!(d.notices[0].contains("out of range"), "{:?}", d.notices);
        let d = decode::<Params>("size=-4");
        assert!(
            d.notices[0].contains("\"-4\" is not allowed"),
            "{:?}",
            d.notices
        );
    }

    /// A link as the site wrote it before `Params`: the same moment, no
    /// notice.
    #[test]
    fn an_old_link_opens_the_same_moment() {
        let d = decode::<Params>("size=33&pointers=1&run=yours&alloc-step=3");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(
            (
                d.params.size.0,
                d.params.pointers,
                d.params.run,
                d.params.step
            ),
            (33, true, Run::Yours, 3)
        );
        assert_eq!(
            d.params.scenario(),
            Scenario::FillSpans {
                size: 33,
                noscan: false
            }
        );
        // The layout lab's link into the allocator.
        let d = decode::<Params>("size=24&pointers=0");
        assert!(d.notices.is_empty());
        assert_eq!((d.params.size.0, d.params.pointers), (24, false));
    }

    #[test]
    fn a_change_to_the_run_starts_it_over_and_others_keep_the_step() {
        let at = |q: &str| Rc::new(decode::<Params>(q).params);
        let mixed = at("size=100&alloc-step=7");
        assert_eq!(mixed.clone().reduce(Action::Size(64)).step, 7);
        assert_eq!(mixed.clone().reduce(Action::Pointers(true)).step, 7);
        assert_eq!(mixed.clone().reduce(Action::PickRun(Run::Yours)).step, 0);
        let yours = at("size=100&run=yours&alloc-step=7");
        assert_eq!(yours.clone().reduce(Action::Size(64)).step, 0);
        assert_eq!(yours.clone().reduce(Action::Pointers(true)).step, 0);
        assert_eq!(yours.clone().reduce(Action::Seek(3)).step, 3);
        // Asking starts the run over, and the link keeps it.
        let asking = yours.clone().reduce(Action::Predict(true));
        assert_eq!(asking.step, 0);
        assert_eq!(
            to_query(asking.as_ref()),
            "size=100&run=yours&alloc-predict=1"
        );
        assert!(decode::<Params>("alloc-predict=1").params.predict);
        assert_eq!(to_query(&Params::default()), "", "off by default");
        // Too big to animate: the mixed run plays, so its step stays.
        let big = at("size=2000000&run=yours&alloc-step=7");
        assert!(big.own_run_too_big());
        assert_eq!(big.clone().reduce(Action::Size(3_000_000)).step, 7);
        assert_eq!(big.reduce(Action::Size(64)).step, 0);
    }

    #[test]
    fn the_mixed_run_shows_every_tier_and_reuse_after_gc() {
        let events = Params::default().scenario().sim().run();
        let fns: Vec<_> = events.iter().map(|e| e.go_function).collect();
        for f in [
            "mallocgcTinySC2",
            "mcache.refill",
            "mcentral.grow",
            "mcentral.cacheSpan",
            "mheap.grow",
            "mheap.alloc",
            "mcache.allocLarge",
            "mcache.releaseAll",
            "mspan.sweep",
        ] {
            assert!(fns.contains(&f), "{f} missing from {fns:?}");
        }
        assert!(events.len() < 60, "{} steps", events.len());
    }

    #[test]
    fn every_size_up_to_the_limit_plans_without_panicking() {
        for size in [
            0,
            1,
            15,
            16,
            33,
            512,
            513,
            32760,
            32761,
            1 << 20,
            SIZE_LIMIT,
        ] {
            for pointers in [false, true] {
                let p = Params {
                    size: Whole(size),
                    pointers,
                    run: Run::Yours,
                    predict: false,
                    step: 0,
                };
                let _ = plan_alloc(size, !pointers);
                if size <= OWN_RUN_LIMIT {
                    assert!(p.scenario().sim().run().len() < 200, "{size}");
                }
            }
        }
    }
}
