//! The build explorer's URL state: the program, the target and the build
//! flags (`?program=netserver&target=linux-amd64&cgo=1&strip=1&x=1`), and
//! the [`Choice`] they name in the data.

use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::kit::query::{self, Choices, Key, OneOf};

/// The programs the data measures, in the order the picker shows them.
pub const PROGRAMS: [&str; 2] = ["hello", "netserver"];
/// The targets, as `GOOS-GOARCH`; the first is the machine that built them.
pub const TARGETS: [&str; 4] = [
    "linux-amd64",
    "linux-arm64",
    "windows-amd64",
    "darwin-arm64",
];

/// [`PROGRAMS`], as a URL names them.
pub struct Programs;

impl Choices for Programs {
    const DEFAULT: &'static str = PROGRAMS[0];
    fn names() -> Vec<&'static str> {
        PROGRAMS.to_vec()
    }
}

/// [`TARGETS`], as a URL names them.
pub struct Targets;

impl Choices for Targets {
    const DEFAULT: &'static str = TARGETS[0];
    fn names() -> Vec<&'static str> {
        TARGETS.to_vec()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    pub program: OneOf<Programs>,
    pub target: OneOf<Targets>,
    /// CGO_ENABLED; `None` leaves it unset, so Go decides.
    #[serde(with = "cgo_enabled", skip_serializing_if = "Option::is_none")]
    pub cgo: Option<bool>,
    /// `-ldflags="-s -w"`.
    #[serde(with = "query::flag")]
    pub strip: bool,
    /// `-X main.version=...`.
    #[serde(rename = "x", with = "query::flag")]
    pub set_version: bool,
}

/// CGO_ENABLED as a link writes it: `0`, `1`, or no key for unset.
mod cgo_enabled {
    use serde::{Deserializer, Serializer};

    use crate::kit::query::flag;

    pub fn serialize<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(on) => flag::serialize(on, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        flag::deserialize(d).map(Some)
    }
}

/// The notice for a flag that is not 0 or 1.
fn not_a_flag(what: &str, key: &str, value: &str) -> String {
    format!(
        "{what}: the link says {key}={value:?}, but only 0 (off) and 1 (on) are allowed; showing the default."
    )
}

/// The notice for a name that is not one of `C`'s.
fn no_such<C: Choices>(key: &str, value: &str) -> String {
    format!(
        "There is no {key} {value:?}; showing {}. Allowed: {}.",
        C::DEFAULT,
        C::allowed()
    )
}

impl query::Params for Params {
    const WIDGET: &'static str = "build-explorer";
    const KEYS: &'static [Key] = &[
        Key {
            name: "program",
            notice: |v| no_such::<Programs>("program", v),
        },
        Key {
            name: "target",
            notice: |v| no_such::<Targets>("target", v),
        },
        Key {
            name: "cgo",
            notice: |v| not_a_flag("CGO_ENABLED", "cgo", v),
        },
        Key {
            name: "strip",
            notice: |v| not_a_flag("-ldflags=\"-s -w\"", "strip", v),
        },
        Key {
            name: "x",
            notice: |v| not_a_flag("-X main.version", "x", v),
        },
    ];
}

impl Params {
    /// The build these parameters pick.
    pub fn choice(&self) -> Choice {
        let index = |all: &[&str], name| all.iter().position(|n| *n == name).unwrap_or(0);
        Choice {
            program: index(&PROGRAMS, self.program.name()),
            target: index(&TARGETS, self.target.name()),
            cgo: self.cgo,
            strip: self.strip,
            set_version: self.set_version,
        }
    }
}

pub enum Action {
    Program(OneOf<Programs>),
    Target(OneOf<Targets>),
    /// CGO_ENABLED, or `None` to unset it.
    Cgo(Option<bool>),
    Strip(bool),
    SetVersion(bool),
}

impl Reducible for Params {
    type Action = Action;

    fn reduce(self: std::rc::Rc<Self>, action: Action) -> std::rc::Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Program(p) => next.program = p,
            Action::Target(t) => next.target = t,
            Action::Cgo(c) => next.cgo = c,
            Action::Strip(on) => next.strip = on,
            Action::SetVersion(on) => next.set_version = on,
        }
        std::rc::Rc::new(next)
    }
}

/// What the learner picked, as indexes into [`PROGRAMS`] and [`TARGETS`].
/// `cgo: None` leaves CGO_ENABLED unset, so Go decides (see
/// [`BuildData::cgo_default`](super::BuildData::cgo_default)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Choice {
    pub program: usize,
    pub target: usize,
    pub cgo: Option<bool>,
    pub strip: bool,
    pub set_version: bool,
}

impl Choice {
    pub fn program(&self) -> &'static str {
        PROGRAMS[self.program]
    }

    pub fn target(&self) -> &'static str {
        TARGETS[self.target]
    }

    /// The build Go makes when you only name the program and the target.
    pub fn plain(&self) -> Choice {
        Choice {
            program: self.program,
            target: self.target,
            ..Choice::default()
        }
    }

    /// Every choice the controls can make, each with cgo off and on: one
    /// checked-in record apiece.
    pub fn every() -> impl Iterator<Item = (Choice, bool)> {
        (0..PROGRAMS.len()).flat_map(|program| {
            (0..TARGETS.len()).flat_map(move |target| {
                (0..8u8).map(move |bits| {
                    let c = Choice {
                        program,
                        target,
                        cgo: None,
                        strip: bits & 1 != 0,
                        set_version: bits & 2 != 0,
                    };
                    (c, bits & 4 != 0)
                })
            })
        })
    }

    /// The id of the record in `build-explorer.json`.
    pub fn id(&self, cgo: bool) -> String {
        format!(
            "{}.{}.cgo{}.{}.{}",
            self.program(),
            self.target(),
            u8::from(cgo),
            if self.strip { "sw" } else { "nosw" },
            if self.set_version { "x" } else { "nox" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, to_query};

    #[test]
    fn the_url_picks_the_build_and_bad_values_fall_back_with_a_notice() {
        let d = decode::<Params>("program=netserver&target=darwin-arm64&cgo=0&strip=1&x=1");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let c = d.params.choice();
        assert_eq!(c.id(false), "netserver.darwin-arm64.cgo0.sw.x");
        assert_eq!(c.cgo, Some(false));

        let d = decode::<Params>("origin=https%3A%2F%2Fa.example");
        assert_eq!((d.params.choice(), d.notices), (Choice::default(), vec![]));

        let d = decode::<Params>("program=rust&target=plan9-386&cgo=yes&strip=2&x=1");
        assert_eq!(
            d.params.choice(),
            Choice {
                set_version: true,
                ..Choice::default()
            }
        );
        let n = d.notices;
        assert_eq!(n.len(), 4, "{n:?}");
        assert_eq!(
            n[0],
            "There is no program \"rust\"; showing hello. Allowed: hello, netserver."
        );
        assert_eq!(
            n[1],
            "There is no target \"plan9-386\"; showing linux-amd64. \
             Allowed: linux-amd64, linux-arm64, windows-amd64, darwin-arm64."
        );
        assert_eq!(
            n[2],
            "CGO_ENABLED: the link says cgo=\"yes\", but only 0 (off) and 1 (on) are allowed; \
             showing the default."
        );
        assert!(n[3].starts_with("-ldflags=\"-s -w\": the link says strip=\"2\""));
    }

    #[test]
    fn values_are_percent_decoded() {
        let d = decode::<Params>("program=net%73erver&target=linux%2Darm64");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(
            d.params.choice().id(false),
            "netserver.linux-arm64.cgo0.nosw.nox"
        );
    }

    #[test]
    fn the_controls_write_only_what_differs_from_go_build() {
        let p = std::rc::Rc::new(Params::default());
        let p = p.reduce(Action::Program(OneOf::new("netserver").unwrap()));
        let p = p.reduce(Action::Cgo(Some(false)));
        assert_eq!(to_query(p.as_ref()), "program=netserver&cgo=0");
        let p = p.reduce(Action::Strip(true)).reduce(Action::Cgo(None));
        assert_eq!(to_query(p.as_ref()), "program=netserver&strip=1");
        let p = p
            .reduce(Action::Strip(false))
            .reduce(Action::SetVersion(true));
        assert_eq!(to_query(p.as_ref()), "program=netserver&x=1");
    }

    #[test]
    fn an_old_link_opens_the_same_build() {
        // As the site wrote it before Params.
        let d = decode::<Params>("program=netserver&target=windows-amd64&x=1");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(
            d.params.choice(),
            Choice {
                program: 1,
                target: 2,
                cgo: None,
                strip: false,
                set_version: true,
            }
        );
    }

    #[test]
    fn every_combination_of_controls_names_a_checked_in_record() {
        let json = include_str!("../../../data/build-explorer.json");
        assert_eq!(Choice::every().count(), 64);
        for (c, cgo) in Choice::every() {
            let id = c.id(cgo);
            assert!(json.contains(&format!("\"id\": \"{id}\"")), "{id}");
        }
    }
}
