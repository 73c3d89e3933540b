//! The scheduler widget's URL state: the scenario (a preset and its size,
//! or a custom scenario's text), the knobs that override it (GOMAXPROCS,
//! async preemption, the seed, the schedtrace period), whether to ask
//! predictions, which events "next interesting event" jumps to, whether
//! routine steps are hidden, and the step
//! (`?preset=work-stealing&gomaxprocs=4&asyncpreemptoff=1&seed=7&step=40`).

use std::rc::Rc;

use runtime_model::sched::{
    parse_scenario, presets, Config, DEFAULT_GOROUTINE_LIMIT, MAX_GOMAXPROCS,
};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::kit::query::{self, Choices, Key, OneOf, Whole};

/// The `preset` value of a scenario written by hand (its text is in
/// `scenario`).
pub const CUSTOM: &str = "custom";

/// The presets of `runtime_model::sched::presets`, by name, and
/// [`CUSTOM`].
pub struct Presets;

impl Choices for Presets {
    const DEFAULT: &'static str = "fan-out";
    fn names() -> Vec<&'static str> {
        presets::PRESETS
            .iter()
            .map(|p| p.name)
            .chain([CUSTOM])
            .collect()
    }
}

/// The presets a link may name, for a notice: "spawn-order, fan-out, ...".
fn preset_names() -> String {
    let names: Vec<&str> = presets::PRESETS.iter().map(|p| p.name).collect();
    names.join(", ")
}

fn no_preset(name: &str) -> String {
    format!(
        "There is no preset {name:?}; showing {}. Presets: {}.",
        Presets::DEFAULT,
        preset_names()
    )
}

/// What "next interesting event" jumps to: a steal, a handoff, a
/// preemption, any of the three, or the next event of one goroutine.
pub struct Jumps;

/// [`Jumps`]' value for "the next event of the goroutine in `follow`".
pub const FOLLOW: &str = "goroutine";

impl Choices for Jumps {
    const DEFAULT: &'static str = "any";
    fn names() -> Vec<&'static str> {
        vec![Self::DEFAULT, "steal", "handoff", "preemption", FOLLOW]
    }
}

/// A goroutine id a link may follow.
pub type Goid = Whole<1, 1_000_000>;

/// Goroutines a preset may start (its `$N`).
pub type GoroutineCount = Whole<1, { DEFAULT_GOROUTINE_LIMIT as u64 }>;
/// GOMAXPROCS, as the model and the CLI take it.
pub type Procs = Whole<1, { MAX_GOMAXPROCS as u64 }>;
/// The seed of the scheduler's random choices.
pub type Seed = Whole<0, { u64::MAX }>;
/// The `GODEBUG=schedtrace` period, in milliseconds.
pub type TraceMs = Whole<1, 10_000>;

/// Everything the URL can set. Missing keys leave the scenario's own
/// setting (or the model's default).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// A preset's name, or [`CUSTOM`] when `scenario` holds the text.
    pub preset: OneOf<Presets>,
    /// The custom scenario's text (only with `preset=custom`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// The preset's size (`$N`), instead of its default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<GoroutineCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gomaxprocs: Option<Procs>,
    /// `GODEBUG=asyncpreemptoff=1`.
    #[serde(with = "crate::kit::query::flag")]
    pub asyncpreemptoff: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<Seed>,
    /// The `GODEBUG=schedtrace` period in ms, where the scenario sets none
    /// (1 ms when neither does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedtrace: Option<TraceMs>,
    /// Ask "which goroutine runs next?" before each `execute`.
    #[serde(with = "crate::kit::query::flag")]
    pub predict: bool,
    /// What "next interesting event" jumps to (default: any steal,
    /// handoff or preemption).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<OneOf<Jumps>>,
    /// The goroutine whose events `next=goroutine` jumps between (default
    /// G1, main).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow: Option<Goid>,
    /// Hide routine steps (sysmon ticks with nothing to do, schedtrace
    /// lines, repeated go statements) from stepping, the narration and the
    /// step count.
    #[serde(with = "crate::kit::query::flag")]
    pub hideroutine: bool,
    /// Events taken so far.
    pub step: u64,
}

/// The notice for a number a link got wrong; the same words for every key.
macro_rules! number_key {
    ($name:literal, $min:expr, $max:expr) => {
        Key {
            name: $name,
            notice: |v| {
                format!(
                    "The link's {}={v:?} is not a whole number from {} to {}; using the default.",
                    $name, $min, $max
                )
            },
        }
    };
}

/// The notice for a 0/1 flag a link got wrong.
macro_rules! flag_key {
    ($name:literal) => {
        Key {
            name: $name,
            notice: |v| format!("The link's {}={v:?} should be 0 or 1; using 0.", $name),
        }
    };
}

impl query::Params for Params {
    const WIDGET: &'static str = "scheduler";
    const KEYS: &'static [Key] = &[
        Key {
            name: "preset",
            notice: no_preset,
        },
        Key {
            name: "scenario",
            notice: |_| "The link's scenario could not be read; showing the preset.".to_owned(),
        },
        number_key!("n", 1, DEFAULT_GOROUTINE_LIMIT),
        number_key!("gomaxprocs", 1, MAX_GOMAXPROCS),
        flag_key!("asyncpreemptoff"),
        number_key!("seed", 0, u64::MAX),
        number_key!("schedtrace", 1, 10_000),
        flag_key!("predict"),
        Key {
            name: "next",
            notice: |v| {
                format!(
                    "The link's next={v:?} is none of {}; jumping to any steal, handoff or preemption.",
                    Jumps::names().join(", ")
                )
            },
        },
        number_key!("follow", 1, 1_000_000),
        flag_key!("hideroutine"),
        query::STEP,
    ];

    /// `preset=custom` needs its `scenario`; a `scenario` without
    /// `preset=custom` is ignored.
    fn check(&mut self) -> Vec<String> {
        let mut notices = Vec::new();
        if self.preset.name() == CUSTOM {
            if self.scenario.is_none() {
                notices.push(no_preset(CUSTOM));
                self.preset = OneOf::default();
            }
        } else {
            self.scenario = None;
        }
        notices
    }
}

impl Params {
    /// The preset, unless the scenario is custom.
    pub fn preset(&self) -> Option<&'static presets::Preset> {
        presets::preset(self.preset.name())
    }

    pub fn is_custom(&self) -> bool {
        self.preset.name() == CUSTOM
    }

    /// What identifies the recorded run: everything but the step, the
    /// questions and how to move through it.
    pub fn run(&self) -> Params {
        Params {
            predict: false,
            next: None,
            follow: None,
            hideroutine: false,
            step: 0,
            ..self.clone()
        }
    }

    /// The preset's explanation for the settings in force (its size, the
    /// GOMAXPROCS it starts with, async preemption); `None` for a custom
    /// scenario or one that cannot run.
    pub fn description(&self) -> Option<String> {
        let preset = self.preset()?;
        let config = self.config().ok()?;
        let n = self.n.map_or(preset.default_n, |n| n.0 as u32);
        Some(preset.describe(n, config.gomaxprocs, config.asyncpreemptoff))
    }

    /// What "next interesting event" jumps to.
    pub fn jump(&self) -> &'static str {
        self.next.unwrap_or_default().name()
    }

    /// The goroutine `next=goroutine` follows.
    pub fn followed(&self) -> u32 {
        self.follow.map_or(1, |g| g.0 as u32)
    }

    /// The scenario text these params start from.
    pub fn scenario_text(&self) -> String {
        match (&self.scenario, self.preset()) {
            (Some(text), _) => text.clone(),
            (None, Some(p)) => p.text_for(self.n.map_or(p.default_n, |n| n.0 as u32)),
            (None, None) => String::new(),
        }
    }

    /// The model's configuration, or the model's own error message.
    pub fn config(&self) -> Result<Config, String> {
        let mut config = parse_scenario(&self.scenario_text()).map_err(|e| e.to_string())?;
        if let Some(p) = self.gomaxprocs {
            config.gomaxprocs = p.0 as u32;
        }
        if self.asyncpreemptoff {
            config.asyncpreemptoff = true;
        }
        if let Some(seed) = self.seed {
            config.seed = seed.0;
        }
        if config.schedtrace_ns.is_none() {
            config.schedtrace_ns = Some(self.schedtrace.map_or(1, |ms| ms.0) * 1_000_000);
        }
        config.validate().map_err(|e| e.to_string())?;
        Ok(config)
    }
}

/// What the controls do. Every change to the run starts it again at step 0.
pub enum Action {
    /// Another preset, at its default size.
    Preset(OneOf<Presets>),
    Gomaxprocs(Procs),
    AsyncPreemptOff(bool),
    Seed(Seed),
    /// Ask (or stop asking) which goroutine runs next.
    Predict(bool),
    /// Run a scenario written by hand (already checked to parse).
    ApplyScenario(String),
    /// Back to the default scenario, at its own GOMAXPROCS (after a
    /// scenario that cannot run).
    OpenDefault,
    Seek(u64),
    /// What "next interesting event" jumps to (the step stays).
    Jump(OneOf<Jumps>),
    /// The goroutine to follow (the step stays).
    Follow(Goid),
    /// Hide (or show) routine steps (the step stays).
    HideRoutine(bool),
}

impl Reducible for Params {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Seek(step) => {
                next.step = step;
                return Rc::new(next);
            }
            Action::Jump(jump) => {
                next.next = (jump != OneOf::default()).then_some(jump);
                return Rc::new(next);
            }
            Action::Follow(g) => {
                next.follow = Some(g);
                return Rc::new(next);
            }
            Action::HideRoutine(on) => {
                next.hideroutine = on;
                return Rc::new(next);
            }
            Action::Preset(preset) => {
                next.preset = preset;
                next.scenario = None;
                next.n = None;
            }
            Action::Gomaxprocs(p) => next.gomaxprocs = Some(p),
            Action::AsyncPreemptOff(on) => next.asyncpreemptoff = on,
            Action::Seed(seed) => next.seed = Some(seed),
            Action::Predict(on) => next.predict = on,
            Action::ApplyScenario(text) => {
                next.preset = OneOf::new(CUSTOM).expect("custom is one of the presets");
                next.scenario = Some(text);
                next.n = None;
            }
            Action::OpenDefault => {
                next.preset = OneOf::default();
                next.scenario = None;
                next.gomaxprocs = None;
                next.n = None;
            }
        }
        next.step = 0;
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, to_query};

    fn reduce(query: &str, action: Action) -> String {
        to_query(
            Rc::new(decode::<Params>(query).params)
                .reduce(action)
                .as_ref(),
        )
    }

    #[test]
    fn the_knobs_come_from_the_url_and_bad_values_become_notices() {
        let d = decode::<Params>("preset=work-stealing&gomaxprocs=8&asyncpreemptoff=1&seed=7");
        let p = &d.params;
        assert_eq!(
            (p.preset.name(), p.gomaxprocs, p.asyncpreemptoff, p.seed),
            ("work-stealing", Some(Whole(8)), true, Some(Whole(7)))
        );
        assert!(d.notices.is_empty(), "{:?}", d.notices);

        let d = decode::<Params>(
            "preset=nope&gomaxprocs=0&n=-3&asyncpreemptoff=yes&predict=2&seed=7&step=5",
        );
        let p = &d.params;
        assert_eq!(
            (p.preset.name(), p.gomaxprocs, p.n, p.asyncpreemptoff),
            (Presets::DEFAULT, None, None, false)
        );
        assert_eq!(
            (p.seed, p.step),
            (Some(Whole(7)), 5),
            "the rest of the link applies"
        );
        assert_eq!(d.notices.len(), 5, "{:?}", d.notices);
        assert!(d.notices.contains(
            &"The link's gomaxprocs=\"0\" is not a whole number from 1 to 256; using the default."
                .to_owned()
        ));
        assert!(d
            .notices
            .contains(&"The link's asyncpreemptoff=\"yes\" should be 0 or 1; using 0.".to_owned()));
        assert!(
            d.notices[0].starts_with("There is no preset \"nope\"; showing fan-out. Presets: "),
            "{:?}",
            d.notices
        );
        assert!(!d.notices[0].contains(CUSTOM), "{:?}", d.notices);
    }

    /// The live bug: the widget stopped GOMAXPROCS at 64, the model and the
    /// CLI take 256.
    #[test]
    fn gomaxprocs_goes_up_to_256_as_in_the_model() {
        let d = decode::<Params>("gomaxprocs=200");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(d.params.config().unwrap().gomaxprocs, 200);
        let d = decode::<Params>("gomaxprocs=256");
        assert_eq!(d.params.config().unwrap().gomaxprocs, 256);
        let d = decode::<Params>("gomaxprocs=257");
        assert_eq!(d.params.gomaxprocs, None);
        assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
    }

    #[test]
    fn the_gomaxprocs_knob_overrides_the_scenario() {
        let d = decode::<Params>("preset=fan-out&gomaxprocs=2");
        assert_eq!(d.params.config().unwrap().gomaxprocs, 2);
        assert_eq!(decode::<Params>("").params.config().unwrap().gomaxprocs, 4);
    }

    #[test]
    fn a_custom_scenario_needs_its_text_and_a_preset_ignores_one() {
        let d = decode::<Params>("preset=custom&scenario=gomaxprocs+3%0Afunc+main%0Aend%0A");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert!(d.params.is_custom());
        assert_eq!(d.params.config().unwrap().gomaxprocs, 3);

        let d = decode::<Params>("preset=custom&seed=4");
        assert_eq!(d.params.preset.name(), Presets::DEFAULT);
        assert_eq!(d.params.seed, Some(Whole(4)));
        assert!(d.notices[0].starts_with("There is no preset \"custom\""));

        let d = decode::<Params>("preset=spawn-order&scenario=func+main%0Aend%0A");
        assert_eq!(d.params.scenario, None);
        assert!(d.notices.is_empty());
    }

    #[test]
    fn a_preset_runs_at_its_size_and_a_bad_scenario_says_why() {
        let p = decode::<Params>("preset=spawn-order&n=5").params;
        assert!(p.scenario_text().contains("go worker 5"));
        let p =
            decode::<Params>("preset=custom&scenario=func+main%0A++compute+-5ms%0Aend%0A").params;
        assert!(
            p.config().unwrap_err().contains("line 2"),
            "{:?}",
            p.config()
        );
    }

    #[test]
    fn every_change_to_the_run_starts_it_again() {
        let q = "preset=spawn-order&n=5&gomaxprocs=3&seed=2&step=9";
        assert_eq!(
            reduce(q, Action::Preset(OneOf::new("work-stealing").unwrap())),
            "preset=work-stealing&gomaxprocs=3&seed=2",
            "another preset drops the size and keeps the knobs"
        );
        assert_eq!(
            reduce(q, Action::Gomaxprocs(Whole(200))),
            "preset=spawn-order&n=5&gomaxprocs=200&seed=2"
        );
        assert_eq!(
            reduce(q, Action::AsyncPreemptOff(true)),
            "preset=spawn-order&n=5&gomaxprocs=3&asyncpreemptoff=1&seed=2"
        );
        assert_eq!(
            reduce(q, Action::Seed(Whole(8))),
            "preset=spawn-order&n=5&gomaxprocs=3&seed=8"
        );
        assert_eq!(
            reduce(q, Action::Predict(true)),
            "preset=spawn-order&n=5&gomaxprocs=3&seed=2&predict=1"
        );
        assert_eq!(
            reduce(q, Action::ApplyScenario("func main\nend\n".into())),
            "preset=custom&scenario=func+main%0Aend%0A&gomaxprocs=3&seed=2"
        );
        assert_eq!(reduce(q, Action::OpenDefault), "seed=2");
        assert_eq!(
            reduce(q, Action::Seek(4)),
            "preset=spawn-order&n=5&gomaxprocs=3&seed=2&step=4"
        );
    }

    #[test]
    fn the_description_follows_the_knobs() {
        let fan_out = decode::<Params>("preset=fan-out&gomaxprocs=1").params;
        let text = fan_out.description().unwrap();
        assert!(
            !text.contains("4 Ps") && text.contains("the only P"),
            "{text}"
        );
        for preset in presets::PRESETS {
            let q = format!("preset={}&n=3&gomaxprocs=5&asyncpreemptoff=1", preset.name);
            let text = decode::<Params>(&q).params.description().unwrap();
            assert!(text.contains("5 Ps"), "{q}: {text}");
            assert!(
                !text.split(|c: char| !c.is_alphanumeric()).any(|w| w == "N"),
                "{text}"
            );
        }
        let p = decode::<Params>("preset=preempt&asyncpreemptoff=1").params;
        assert!(p.description().unwrap().contains("asyncpreemptoff=1"));
        let custom = decode::<Params>("preset=custom&scenario=func+main%0Aend%0A").params;
        assert_eq!(custom.description(), None);
    }

    #[test]
    fn how_to_move_through_a_run_is_kept_in_the_link_and_keeps_the_step() {
        let q = "preset=work-stealing&step=9";
        let jumped = reduce(q, Action::Jump(OneOf::new("steal").unwrap()));
        assert_eq!(jumped, "preset=work-stealing&next=steal&step=9");
        assert_eq!(
            reduce(&jumped, Action::Jump(OneOf::default())),
            q,
            "the default jump is not written"
        );
        assert_eq!(
            reduce(q, Action::Follow(Whole(3))),
            "preset=work-stealing&follow=3&step=9"
        );
        assert_eq!(
            reduce(q, Action::HideRoutine(true)),
            "preset=work-stealing&hideroutine=1&step=9"
        );
        let d = decode::<Params>("next=teleport&hideroutine=2");
        assert_eq!((d.params.jump(), d.params.hideroutine), ("any", false));
        assert_eq!(d.notices.len(), 2, "{:?}", d.notices);
        let p = decode::<Params>("next=goroutine&follow=5&hideroutine=1").params;
        assert_eq!(
            (p.jump(), p.followed(), p.run()),
            ("goroutine", 5, Params::default())
        );
    }

    #[test]
    fn an_old_link_opens_the_same_moment() {
        let old = "preset=work-stealing&gomaxprocs=4&asyncpreemptoff=1&seed=7&step=40";
        let d = decode::<Params>(old);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let p = &d.params;
        assert_eq!(
            (
                p.preset.name(),
                p.gomaxprocs,
                p.asyncpreemptoff,
                p.seed,
                p.step
            ),
            ("work-stealing", Some(Whole(4)), true, Some(Whole(7)), 40)
        );
        let config = p.config().unwrap();
        assert_eq!(
            (config.gomaxprocs, config.asyncpreemptoff, config.seed),
            (4, true, 7)
        );
        assert_eq!(to_query(p), old);
    }
}
