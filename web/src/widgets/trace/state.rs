//! The trace widget's URL state: which shipped sample trace is open
//! (`?trace=pipeline`), the moment (`at`, a step: one event that changes
//! the picture) and the goroutine followed (`g`, its ID; the scheduler
//! widget on the same page owns `follow`). A trace the
//! learner opens from their own machine is never in the URL: it stays in
//! the page, and the URL keeps the sample's moment.

use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::kit::query::{self, Choices, Key, OneOf, Whole};

/// A trace recorded from a small real Go program with go1.27.3, by the
/// recorder next to the conformance tests' trace programs ("record.sh"),
/// checked in under "web/data/traces" and fetched when opened.
#[derive(Debug)]
pub struct Sample {
    /// Its name in the URL and its file's stem.
    pub name: &'static str,
    /// The button's words.
    pub button: &'static str,
    /// What the program does, in plain words.
    pub how: &'static str,
}

pub const SAMPLES: [Sample; 5] = [
    Sample {
        name: "pipeline",
        button: "Channel pipeline",
        how: "stages joined by channels: goroutines block on channel sends and receives and wake each other",
    },
    Sample {
        name: "netpoll",
        button: "Network server",
        how: "a TCP server and its clients in one process: goroutines park on the network poller until their sockets are ready",
    },
    Sample {
        name: "syscalls",
        button: "System calls",
        how: "goroutines that make blocking system calls: a P is handed off or taken while its M is stuck in the kernel",
    },
    Sample {
        name: "gc",
        button: "Allocation and GC",
        how: "an allocation-heavy program: several GC cycles, with their stop-the-world pauses, mark assists and sweeping",
    },
    Sample {
        name: "gomaxprocs",
        button: "GOMAXPROCS changes",
        how: "a program that calls runtime.GOMAXPROCS while it runs: Ps appear and go away",
    },
];

impl Sample {
    /// Where the site serves it.
    pub fn url(&self) -> String {
        format!("/data/traces/{}.trace", self.name)
    }
}

/// The samples' names.
pub struct Samples;

impl Choices for Samples {
    const DEFAULT: &'static str = "pipeline";
    fn names() -> Vec<&'static str> {
        SAMPLES.iter().map(|s| s.name).collect()
    }
}

/// The largest step a link may name (the stepper checks it against the
/// trace).
pub const MAX_STEP: u64 = u32::MAX as u64;
/// The largest goroutine ID a link may follow.
pub const MAX_GOID: u64 = i64::MAX as u64;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    pub trace: OneOf<Samples>,
    /// The step shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Whole<0, MAX_STEP>>,
    /// The goroutine "next event of" follows, by ID.
    #[serde(rename = "g", skip_serializing_if = "Option::is_none")]
    pub follow: Option<Whole<0, MAX_GOID>>,
}

impl Params {
    /// The sample the URL names.
    pub fn sample(&self) -> &'static Sample {
        SAMPLES
            .iter()
            .find(|s| s.name == self.trace.name())
            .unwrap_or(&SAMPLES[0])
    }
    pub fn step(&self) -> u64 {
        self.at.map_or(0, |w| w.0)
    }
}

impl query::Params for Params {
    const WIDGET: &'static str = "trace";
    const KEYS: &'static [Key] = &[
        Key {
            name: "trace",
            notice: |v| {
                format!(
                    "The link asked for the sample trace \"{v}\", which does not exist, so this shows the {} one. Allowed: {}.",
                    Samples::DEFAULT,
                    Samples::allowed()
                )
            },
        },
        Key {
            name: "at",
            notice: |v| {
                format!("The link's moment at={v:?} is not a whole number of steps; starting at 0.")
            },
        },
        Key {
            name: "g",
            notice: |v| {
                format!(
                    "The link's g={v:?} is not a goroutine ID (a whole number); following none."
                )
            },
        },
    ];
}

pub enum Action {
    /// Open a sample, at its start.
    Sample(OneOf<Samples>),
    /// Show a step.
    At(u64),
    /// Follow a goroutine (by ID), or none.
    Follow(Option<u64>),
}

impl Reducible for Params {
    type Action = Action;

    fn reduce(self: std::rc::Rc<Self>, action: Action) -> std::rc::Rc<Self> {
        let mut p = (*self).clone();
        match action {
            Action::Sample(trace) => {
                p = Params {
                    trace,
                    ..Params::default()
                }
            }
            Action::At(step) => p.at = (step > 0).then_some(Whole(step.min(MAX_STEP))),
            Action::Follow(g) => p.follow = g.map(|g| Whole(g.min(MAX_GOID))),
        }
        std::rc::Rc::new(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, to_query};

    #[test]
    fn the_link_names_a_sample_a_moment_and_a_goroutine() {
        let d = decode::<Params>("trace=gc&at=120&g=17");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(d.params.sample().name, "gc");
        assert_eq!(d.params.step(), 120);
        assert_eq!(d.params.follow.map(|w| w.0), Some(17));
        let p = std::rc::Rc::new(d.params);
        assert_eq!(
            to_query(p.clone().reduce(Action::At(7)).as_ref()),
            "trace=gc&at=7&g=17"
        );
        assert_eq!(
            to_query(
                p.reduce(Action::Sample(OneOf::new("netpoll").unwrap()))
                    .as_ref()
            ),
            "trace=netpoll"
        );
    }

    #[test]
    fn a_bad_link_says_what_is_allowed() {
        let bad = decode::<Params>("trace=%3Cb%3E&at=x&g=-1");
        assert_eq!(bad.params.sample().name, "pipeline");
        assert_eq!(bad.params.step(), 0);
        assert_eq!(bad.params.follow, None);
        assert!(bad
            .notices
            .iter()
            .any(|n| n.contains("\"<b>\", which does not exist")
                && n.contains("Allowed: pipeline, netpoll, syscalls, gc, gomaxprocs")));
        assert!(bad.notices.iter().any(|n| n.contains("at=\"x\"")));
        assert!(bad.notices.iter().any(|n| n.contains("g=\"-1\"")));
    }

    #[test]
    fn every_sample_is_checked_in() {
        for s in &SAMPLES {
            let path = format!(
                "{}/data/traces/{}.trace",
                env!("CARGO_MANIFEST_DIR"),
                s.name
            );
            let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let lanes = runtime_model::trace::lanes::Lanes::read(&data)
                .unwrap_or_else(|b| panic!("{path}: {}", b.error));
            assert!(
                lanes.steps.len() > 100,
                "{path} has only {} steps",
                lanes.steps.len()
            );
        }
    }
}
