//! The log widget's URL state: which shipped example it opens with
//! (`?log=schedtrace`). A log the learner pastes or opens is never in the
//! URL: it stays in the page, in this browser.

use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::kit::query::{self, Choices, Key, OneOf};

/// A log recorded from a real go1.27.3 program: the conformance tests'
/// logs program, by the `record.sh` next to it.
#[derive(Debug)]
pub struct Example {
    /// Its name in the URL.
    pub name: &'static str,
    /// The button's words.
    pub button: &'static str,
    /// How it was recorded, in plain words.
    pub how: &'static str,
    pub text: &'static str,
}

pub const EXAMPLES: [Example; 2] = [
    Example {
        name: "gctrace",
        button: "GC log",
        how: "GOMAXPROCS=2 GODEBUG=gctrace=1 ./logs -ms 700 2>&1: a program that churns garbage while its live heap grows and shrinks, and calls runtime.GC() every 300 ms. Its last line is the program's own output.",
        text: include_str!("../../../data/logs/gctrace.txt"),
    },
    Example {
        name: "schedtrace",
        button: "Scheduler log",
        how: "GOMAXPROCS=4 GODEBUG=schedtrace=100 ./logs -ms 1500 -busy 2>&1: sixteen goroutines that never block, on four Ps, sampled every 100 ms. Its last line is the program's own output.",
        text: include_str!("../../../data/logs/schedtrace.txt"),
    },
];

/// The examples' names.
pub struct Examples;

impl Choices for Examples {
    const DEFAULT: &'static str = "gctrace";
    fn names() -> Vec<&'static str> {
        EXAMPLES.iter().map(|e| e.name).collect()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    pub log: OneOf<Examples>,
}

impl Params {
    /// The example the URL names.
    pub fn example(&self) -> &'static Example {
        EXAMPLES
            .iter()
            .find(|e| e.name == self.log.name())
            .unwrap_or(&EXAMPLES[0])
    }
}

impl query::Params for Params {
    const WIDGET: &'static str = "logs";
    const KEYS: &'static [Key] = &[Key {
        name: "log",
        notice: |v| {
            format!(
                "The link asked for the example log \"{v}\", which does not exist, so this shows the {} one. Allowed: {}.",
                Examples::DEFAULT,
                Examples::allowed()
            )
        },
    }];
}

pub enum Action {
    Example(OneOf<Examples>),
}

impl Reducible for Params {
    type Action = Action;

    fn reduce(self: std::rc::Rc<Self>, action: Action) -> std::rc::Rc<Self> {
        match action {
            Action::Example(log) => std::rc::Rc::new(Params { log }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, to_query};
    use runtime_model::logs::parse;

    #[test]
    fn the_link_names_an_example() {
        assert_eq!(decode::<Params>("").params.example().name, "gctrace");
        let d = decode::<Params>("log=schedtrace");
        assert_eq!(d.params.example().name, "schedtrace");
        assert!(d.notices.is_empty());
        let bad = decode::<Params>("log=%3Cb%3E");
        assert_eq!(bad.params.example().name, "gctrace");
        assert!(bad.notices[0].contains("\"<b>\", which does not exist"));
        assert!(bad.notices[0].contains("Allowed: gctrace, schedtrace"));
        let p = std::rc::Rc::new(Params::default())
            .reduce(Action::Example(OneOf::new("schedtrace").unwrap()));
        assert_eq!(to_query(p.as_ref()), "log=schedtrace");
    }

    #[test]
    fn the_examples_hold_what_their_buttons_promise() {
        let gc = parse(EXAMPLES[0].text);
        assert!(gc.gc.len() >= 10 && gc.sched.is_empty());
        let sched = parse(EXAMPLES[1].text);
        assert!(sched.sched.len() >= 5 && sched.gc.is_empty());
        assert!(sched.sched.iter().all(|s| s.gomaxprocs == 4));
        // Each ends with the program's own line, which the list shows.
        for log in [gc, sched] {
            assert_eq!(log.errors.len(), 1);
            assert_eq!(log.errors[0].line, log.lines);
        }
    }
}
