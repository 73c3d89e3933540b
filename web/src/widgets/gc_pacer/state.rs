//! The pacer widget's URL state: the workload, the two knobs in Go's own
//! syntax, the program's side (GOMAXPROCS, allocation rate, leak), the
//! live heap's shape (each object's size, the bytes at its start that hold
//! pointers, and how marking reaches the objects), whether the gctrace
//! lines are open, and the chart's window
//! (`?workload=leak&gogc=200&gomemlimit=512MiB&object=64&pointers=8&reach=list&gctrace=1&zoom=16&pan=2400`:
//! a sixteenth of the run, from 2.4 s).
//!
//! The workload's key was `preset` until the marking widget, on the same
//! page, needed a key of its own: [`Params::upgrade`] reads an old link's
//! `preset` as the workload when it names one.

use std::borrow::Cow;
use std::rc::Rc;

use runtime_model::gc::cost::{HeapShape, Reach, MAX_OBJECT_BYTES};
use runtime_model::gc::knobs::{self, parse_gogc, parse_gomemlimit};
use runtime_model::gc::pacer::{pacer_presets, PacerPreset};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use yew::prelude::*;

use crate::kit::query::{self, Choices, Key, OneOf, Whole};

/// The pacer workloads of `runtime_model::gc::pacer`, by name.
pub struct Workloads;

impl Choices for Workloads {
    const DEFAULT: &'static str = "steady";
    fn names() -> Vec<&'static str> {
        pacer_presets().iter().map(|p| p.name).collect()
    }
}

/// How marking reaches the live objects, by `runtime_model::gc::cost`'s
/// names.
pub struct Reaches;

impl Choices for Reaches {
    const DEFAULT: &'static str = "fanout";
    fn names() -> Vec<&'static str> {
        Reach::ALL.iter().map(|r| r.name()).collect()
    }
}

/// The plain words for a way of reaching the heap, for the menu.
pub fn reach_words(reach: Reach) -> &'static str {
    match reach {
        Reach::Fanout => "from slices and maps (fan-out)",
        Reach::Tree => "from object to object (a tree)",
        Reach::List => "along one chain (a linked list)",
    }
}

/// Bytes of one object or of its pointer prefix.
pub type Bytes = Whole<0, MAX_OBJECT_BYTES>;

/// `GOGC` as the link wrote it (`off`, `200`), read with the runtime's
/// `readGOGC` rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Gogc {
    text: String,
    value: knobs::Gogc,
}

impl Gogc {
    /// `text` if Go reads it as GOGC, else Go's rule for it.
    pub fn new(text: &str) -> Result<Gogc, String> {
        parse_gogc(text).map(|value| Gogc {
            text: text.to_owned(),
            value,
        })
    }

    /// As written, for the text box.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn value(&self) -> knobs::Gogc {
        self.value
    }
}

impl Serialize for Gogc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Gogc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Gogc, D::Error> {
        Gogc::new(&Cow::<'de, str>::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// `GOMEMLIMIT` as the link wrote it (`off`, `512MiB`), read with the
/// runtime's `readGOMEMLIMIT` rules.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryLimit {
    text: String,
    /// Bytes; `None` is off.
    value: Option<u64>,
}

impl MemoryLimit {
    /// `text` if Go reads it as GOMEMLIMIT, else Go's rule for it.
    pub fn new(text: &str) -> Result<MemoryLimit, String> {
        parse_gomemlimit(text).map(|value| MemoryLimit {
            text: text.to_owned(),
            value,
        })
    }

    /// As written, for the text box.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Bytes; `None` is off.
    pub fn value(&self) -> Option<u64> {
        self.value
    }
}

impl Serialize for MemoryLimit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for MemoryLimit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<MemoryLimit, D::Error> {
        MemoryLimit::new(&Cow::<'de, str>::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// MiB per second, as the Diagnose page's "apply the fix" links write it.
pub type MibPerSecond = Whole<0, 4096>;

/// Every field but `gctrace` is `None` where the workload's own setting
/// applies.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// The workload; `None` is [`Workloads::DEFAULT`]. A pick from the
    /// menu is always written (even the default), so that an old link's
    /// `preset`, still in the URL, cannot take over again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<OneOf<Workloads>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gogc: Option<Gogc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gomemlimit: Option<MemoryLimit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gomaxprocs: Option<Whole<1, 256>>,
    /// Allocation rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<MibPerSecond>,
    /// Of the rate, what stays live for ever.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leak: Option<MibPerSecond>,
    /// Bytes of each live object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<Whole<1, MAX_OBJECT_BYTES>>,
    /// How many of its leading bytes hold pointers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointers: Option<Bytes>,
    /// How marking reaches the objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reach: Option<OneOf<Reaches>>,
    /// Whether the `GODEBUG=gctrace=1` lines are open.
    #[serde(with = "crate::kit::query::flag")]
    pub gctrace: bool,
    /// How many times the chart is magnified: it shows 1/`zoom` of the
    /// run; `None` is the whole run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zoom: Option<Whole<1, MAX_ZOOM>>,
    /// Where the zoomed window starts, ms into the run; `None` is 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pan: Option<Whole<0, 86_400_000>>,
}

/// The most the chart magnifies: a 60 s run down to 59 ms, shorter than
/// any cycle of the workloads but the first.
pub const MAX_ZOOM: u64 = 1024;

/// Today's wording for a knob the chart could not take.
pub fn refused(why: &str) -> String {
    format!("{why} The chart shows the last valid setting.")
}

fn rate_notice(name: &str, v: &str) -> String {
    format!("{name} {v:?} must be a whole number of MiB per second from 0 to 4096.")
}

impl query::Params for Params {
    const WIDGET: &'static str = "gc-pacer";
    const KEYS: &'static [Key] = &[
        Key {
            name: "workload",
            notice: |v| {
                format!(
                    "There is no pacer workload {v:?}; showing {}. Workloads: {}.",
                    Workloads::DEFAULT,
                    Workloads::allowed()
                )
            },
        },
        Key {
            name: "gogc",
            notice: |v| refused(&Gogc::new(v).err().unwrap_or_default()),
        },
        Key {
            name: "gomemlimit",
            notice: |v| refused(&MemoryLimit::new(v).err().unwrap_or_default()),
        },
        Key {
            name: "gomaxprocs",
            notice: |v| {
                format!(
                    "GOMAXPROCS {v:?} must be a whole number from 1 to 256; using the workload's."
                )
            },
        },
        Key {
            name: "rate",
            notice: |v| rate_notice("rate", v),
        },
        Key {
            name: "leak",
            notice: |v| rate_notice("leak", v),
        },
        Key {
            name: "object",
            notice: |v| {
                format!("object {v:?} must be a whole number of bytes from 1 to {MAX_OBJECT_BYTES}; using the workload's.")
            },
        },
        Key {
            name: "pointers",
            notice: |v| {
                format!("pointers {v:?} must be a whole number of bytes, a multiple of 8, no more than the object; using the workload's.")
            },
        },
        Key {
            name: "reach",
            notice: |v| {
                format!(
                    "There is no way of reaching the heap called {v:?}; allowed: {}. Using the workload's.",
                    Reaches::allowed()
                )
            },
        },
        Key {
            name: "gctrace",
            notice: |v| format!("The link's gctrace {v:?} is not 0 or 1; the lines stay closed."),
        },
        Key {
            name: "zoom",
            notice: |v| {
                format!("zoom {v:?} must be a whole number from 1 to {MAX_ZOOM}; showing the whole run.")
            },
        },
        Key {
            name: "pan",
            notice: |v| {
                format!("pan {v:?} must be a whole number of milliseconds; showing the start of the run.")
            },
        },
    ];

    /// Links made before the rename wrote the workload as `preset`; on the
    /// GC page the marking widget's heap was `preset` too. An old `preset`
    /// is the workload when it names one, unless the link also has
    /// `workload`.
    fn upgrade(pairs: &mut Vec<(String, String)>) {
        if pairs.iter().any(|(k, _)| k == "workload") {
            return;
        }
        if let Some((k, v)) = pairs.iter_mut().find(|(k, _)| k == "preset") {
            if Workloads::names().contains(&v.as_str()) {
                *k = "workload".to_owned();
            }
        }
    }
}

impl Params {
    /// The workload, with every setting the link makes applied.
    pub fn preset(&self) -> PacerPreset {
        let name = self.workload.unwrap_or_default().name();
        let mut preset = pacer_presets()
            .into_iter()
            .find(|p| p.name == name)
            .expect("Workloads lists the pacer presets");
        let w = &mut preset.workload;
        if let Some(g) = &self.gogc {
            w.gogc = g.value();
        }
        if let Some(l) = &self.gomemlimit {
            w.gomemlimit = l.value();
        }
        if let Some(Whole(n)) = self.gomaxprocs {
            w.gomaxprocs = n as u32;
        }
        if let Some(Whole(mib)) = self.rate {
            w.alloc_per_sec = mib << 20;
        }
        if let Some(Whole(mib)) = self.leak {
            w.leak_per_sec = mib << 20;
        }
        if let Ok(shape) = self.shape(w.shape) {
            w.shape = shape;
        }
        preset
    }

    /// The heap's shape with the link's settings applied to `base`, or why
    /// the combination cannot be (each value can be valid on its own and
    /// still not fit the others: 16 pointer bytes in an 8-byte object).
    pub fn shape(&self, base: HeapShape) -> Result<HeapShape, String> {
        let reach = self
            .reach
            .and_then(|r| Reach::from_name(r.name()))
            .unwrap_or(base.reach);
        HeapShape::new(
            self.object.map_or(base.object_bytes, |Whole(b)| b),
            self.pointers.map_or(base.pointer_bytes, |Whole(b)| b),
            reach,
        )
    }

    /// Why the link's heap shape cannot be, if it cannot; the chart then
    /// shows the workload's own shape.
    pub fn shape_error(&self) -> Option<String> {
        let base = self.workload_preset().workload.shape;
        self.shape(base)
            .err()
            .map(|e| format!("The heap's shape: {e}. The chart shows the workload's own shape."))
    }

    /// The workload as the menu defines it, no knobs applied.
    fn workload_preset(&self) -> PacerPreset {
        let name = self.workload.unwrap_or_default().name();
        pacer_presets()
            .into_iter()
            .find(|p| p.name == name)
            .expect("Workloads lists the pacer presets")
    }

    /// The chart's window, ns into the run: 1/`zoom` of `seconds`,
    /// starting at `pan` but never past the run's end.
    pub fn window(&self, seconds: u64) -> (u64, u64) {
        let run = seconds * 1_000_000_000;
        let span = run / self.zoom.map_or(1, |Whole(z)| z);
        let from = self.pan.map_or(0, |Whole(ms)| ms * 1_000_000);
        let from = from.min(run - span);
        (from, from + span)
    }

    /// `zoom` and `pan` for a window of 1/`zoom` of the run centred on
    /// `centre` ns (in whole ms, clamped to the run).
    fn set_window(&mut self, zoom: u64, centre: u64, seconds: u64) {
        let zoom = zoom.clamp(1, MAX_ZOOM);
        let run = seconds * 1_000_000_000;
        let span = run / zoom;
        let from = centre.saturating_sub(span / 2).min(run - span);
        self.zoom = (zoom > 1).then_some(Whole(zoom));
        self.pan = (zoom > 1 && from >= 1_000_000).then_some(Whole(from / 1_000_000));
    }
}

/// A move of the chart's window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Move {
    /// Twice the magnification, about the same centre.
    ZoomIn,
    /// Half the magnification.
    ZoomOut,
    /// Half a window earlier.
    Earlier,
    /// Half a window later.
    Later,
    /// The window at the run's start.
    Start,
    /// The window at the run's end.
    End,
    /// The whole run.
    All,
    /// Magnified `zoom` times about the same centre (see
    /// [`few_cycles_zoom`]).
    Zoom(u64),
}

/// The zoom, a power of two, at which a `seconds`-long run shows about
/// three cycles that come every `period` ns.
pub fn few_cycles_zoom(seconds: u64, period: u64) -> u64 {
    let run = seconds * 1_000_000_000;
    let want = run / (3 * period.max(1)).max(1);
    want.max(1).next_power_of_two().clamp(1, MAX_ZOOM)
}

pub enum Action {
    /// Another workload, with its own GOGC, GOMEMLIMIT and GOMAXPROCS.
    Workload(OneOf<Workloads>),
    Gogc(Gogc),
    MemoryLimit(MemoryLimit),
    /// Bytes of each live object.
    ObjectBytes(u64),
    /// Bytes at the start of each object that hold pointers.
    PointerBytes(u64),
    /// How marking reaches the objects.
    Reach(OneOf<Reaches>),
    /// Open or close the gctrace lines.
    Gctrace(bool),
    /// Zoom or pan the chart.
    Window(Move),
}

impl Reducible for Params {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Workload(w) => {
                next.workload = Some(w);
                next.gogc = None;
                next.gomemlimit = None;
                next.gomaxprocs = None;
                next.object = None;
                next.pointers = None;
                next.reach = None;
                next.zoom = None;
                next.pan = None;
            }
            Action::Gogc(g) => next.gogc = Some(g),
            Action::MemoryLimit(l) => next.gomemlimit = Some(l),
            Action::ObjectBytes(b) => next.object = Some(Whole(b.clamp(1, MAX_OBJECT_BYTES))),
            Action::PointerBytes(b) => next.pointers = Some(Whole(b.min(MAX_OBJECT_BYTES))),
            Action::Reach(r) => next.reach = Some(r),
            Action::Gctrace(open) => next.gctrace = open,
            Action::Window(m) => {
                let seconds = self.preset().seconds;
                let run = seconds * 1_000_000_000;
                let (from, to) = self.window(seconds);
                let (span, centre) = (to - from, from + (to - from) / 2);
                let zoom = self.zoom.map_or(1, |Whole(z)| z);
                match m {
                    Move::ZoomIn => next.set_window(zoom * 2, centre, seconds),
                    Move::ZoomOut => next.set_window(zoom / 2, centre, seconds),
                    Move::Earlier => {
                        next.set_window(zoom, centre.saturating_sub(span / 2), seconds);
                    }
                    Move::Later => next.set_window(zoom, centre + span / 2, seconds),
                    Move::Start => next.set_window(zoom, 0, seconds),
                    Move::End => next.set_window(zoom, run, seconds),
                    Move::All => next.set_window(1, 0, seconds),
                    Move::Zoom(z) => next.set_window(z, centre, seconds),
                }
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, encode, merge, to_query, Params as _};
    use runtime_model::gc::knobs::Gogc as GoGogc;

    #[test]
    fn knobs_come_from_the_url_in_gos_syntax_and_go_back_as_written() {
        let query = "workload=leak&gogc=200&gomemlimit=1GiB&gomaxprocs=8&gctrace=1";
        let d = decode::<Params>(query);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let p = d.params.preset();
        assert_eq!(
            (
                p.name,
                p.workload.gogc,
                p.workload.gomemlimit,
                p.workload.gomaxprocs
            ),
            ("leak", GoGogc::Percent(200), Some(1 << 30), 8)
        );
        assert!(d.params.gctrace);
        assert_eq!(to_query(&d.params), query);
        let d = decode::<Params>("gogc=-1&gomemlimit=off");
        assert_eq!(d.params.preset().workload.gogc, GoGogc::Off);
        assert_eq!(to_query(&d.params), "gogc=-1&gomemlimit=off");
        assert_eq!(to_query(&Params::default()), "");
    }

    #[test]
    fn bad_values_spell_out_gos_rule_and_the_workloads_value_stays() {
        let d = decode::<Params>("workload=leak&gogc=fast&gomemlimit=1GB&gomaxprocs=0&gctrace=2");
        let p = d.params.preset();
        assert_eq!(p.name, "leak", "the rest of the link still applies");
        assert_eq!(p.workload.gogc, GoGogc::Percent(100));
        assert_eq!(p.workload.gomemlimit, Some(512 << 20));
        let n = &d.notices;
        assert_eq!(n.len(), 4, "{n:?}");
        assert!(
            n[0].contains("GOGC must be \"off\" or a decimal integer"),
            "{n:?}"
        );
        assert!(n[0].ends_with(" The chart shows the last valid setting."));
        assert!(n[1].contains("KiB, MiB, GiB or TiB"), "{n:?}");
        assert!(n[2].starts_with("GOMAXPROCS \"0\" must be a whole number from 1 to 256"));
        assert!(n[3].contains("gctrace \"2\""));
        let d = decode::<Params>("workload=fast");
        assert!(d.notices[0].starts_with(
            "There is no pacer workload \"fast\"; showing steady. Workloads: steady, spike, leak"
        ));
    }

    #[test]
    fn the_program_side_can_be_fixed_from_the_url() {
        let d = decode::<Params>("workload=leak&leak=0&rate=64");
        let w = d.params.preset().workload;
        assert_eq!((w.leak_per_sec, w.alloc_per_sec), (0, 64 << 20));
        assert!(d.notices.is_empty());
        let d = decode::<Params>("rate=4097&leak=-1");
        assert_eq!(
            d.notices,
            [
                "rate \"4097\" must be a whole number of MiB per second from 0 to 4096.",
                "leak \"-1\" must be a whole number of MiB per second from 0 to 4096."
            ]
        );
    }

    #[test]
    fn another_workload_brings_its_own_knobs_and_keeps_the_program_side() {
        let p = Rc::new(
            decode::<Params>("gogc=50&gomemlimit=96MiB&gomaxprocs=4&rate=64&gctrace=1").params,
        );
        let next = p.reduce(Action::Workload(OneOf::new("spike").unwrap()));
        assert_eq!(to_query(next.as_ref()), "workload=spike&rate=64&gctrace=1");
        let next = next.reduce(Action::Gogc(Gogc::new("off").unwrap()));
        let next = next.reduce(Action::MemoryLimit(MemoryLimit::new("512MiB").unwrap()));
        let next = next.reduce(Action::Gctrace(false));
        assert_eq!(
            to_query(next.as_ref()),
            "workload=spike&gogc=off&gomemlimit=512MiB&rate=64"
        );
    }

    /// The chart zooms about its centre and pans by half a window, and
    /// the URL keeps the window.
    #[test]
    fn the_chart_zooms_and_pans_and_the_url_keeps_the_window() {
        let mut p = Rc::new(Params::default());
        assert_eq!(p.window(60), (0, 60_000_000_000));
        for _ in 0..4 {
            p = p.reduce(Action::Window(Move::ZoomIn));
        }
        // A sixteenth of 60 s about the middle: 28.125 s to 31.875 s.
        assert_eq!(to_query(p.as_ref()), "zoom=16&pan=28125");
        assert_eq!(p.window(60), (28_125_000_000, 31_875_000_000));
        let q = p.clone().reduce(Action::Window(Move::Later));
        assert_eq!(q.window(60).0, 30_000_000_000);
        let q = q.reduce(Action::Window(Move::End));
        assert_eq!(q.window(60).1, 60_000_000_000);
        let q = q.reduce(Action::Window(Move::Start));
        assert_eq!(to_query(q.as_ref()), "zoom=16");
        let q = q.reduce(Action::Window(Move::Earlier));
        assert_eq!(q.window(60).0, 0, "the window stops at the start");
        let q = q.reduce(Action::Window(Move::All));
        assert_eq!(to_query(q.as_ref()), "");
        // A link's window, past the end, is held inside the run.
        let d = decode::<Params>("zoom=4&pan=59000");
        assert!(d.notices.is_empty());
        assert_eq!(d.params.window(60), (45_000_000_000, 60_000_000_000));
        let d = decode::<Params>("zoom=0&pan=x");
        assert_eq!(d.notices.len(), 2, "{:?}", d.notices);
        // Another workload (another length) starts from the whole run.
        let p = p.reduce(Action::Workload(OneOf::new("leak").unwrap()));
        assert_eq!((p.zoom, p.pan), (None, None));
    }

    /// "3 cycles" zooms so that about three cycles fill the chart.
    #[test]
    fn three_cycles_is_a_zoom_the_period_gives() {
        // Steady's cycles come every 0.32 s of a 60 s run: 64 times shows
        // 0.94 s, about three.
        assert_eq!(few_cycles_zoom(60, 318_000_000), 64);
        assert_eq!(few_cycles_zoom(60, 60_000_000_000), 1);
        assert_eq!(few_cycles_zoom(60, 1), MAX_ZOOM);
        let p = Rc::new(Params::default()).reduce(Action::Window(Move::Zoom(64)));
        assert_eq!(p.window(60).1 - p.window(60).0, 937_500_000);
    }

    #[test]
    fn the_heap_s_shape_comes_from_the_url_and_bad_shapes_are_said() {
        let d = decode::<Params>("workload=byte-cache&object=64&pointers=8&reach=list");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let s = d.params.preset().workload.shape;
        assert_eq!(
            (s.object_bytes, s.pointer_bytes, s.reach),
            (64, 8, Reach::List)
        );
        assert_eq!(d.params.shape_error(), None);
        assert_eq!(
            to_query(&d.params),
            "workload=byte-cache&object=64&pointers=8&reach=list"
        );
        // Each value valid, the three together not: the workload's shape
        // stays, and the widget says why.
        let d = decode::<Params>("object=8&pointers=16");
        assert!(d.notices.is_empty());
        assert_eq!(d.params.preset().workload.shape.object_bytes, 64);
        let e = d.params.shape_error().unwrap();
        assert!(
            e.contains("pointer bytes must be from 0 to the object's 8 bytes, got 16"),
            "{e}"
        );
        let d = decode::<Params>("object=0&pointers=x&reach=ring");
        assert_eq!(d.notices.len(), 3, "{:?}", d.notices);
        assert!(d.notices[2].contains("allowed: fanout, tree, list"));
        // Another workload brings its own shape.
        let p = Rc::new(decode::<Params>("object=4096&reach=tree").params);
        let next = p.reduce(Action::Workload(OneOf::new("linked-list").unwrap()));
        let s = next.preset().workload.shape;
        assert_eq!((s.object_bytes, s.reach), (64, Reach::List));
        let next = next.reduce(Action::PointerBytes(0));
        assert!(next.shape_error().unwrap().contains("at least 8"));
    }

    #[test]
    fn gctrace_opens_the_lines() {
        assert!(decode::<Params>("gctrace=1").params.gctrace);
        assert!(!decode::<Params>("gctrace=0").params.gctrace);
        assert!(!decode::<Params>("").params.gctrace);
    }

    /// Links as the site wrote them before the rename.
    #[test]
    fn old_links_open_the_same_workload() {
        let d = decode::<Params>("preset=container");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(d.params.preset().name, "container");
        // The Knobs page's link.
        let d = decode::<Params>("gogc=off&gomemlimit=512MiB&gctrace=1");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let w = d.params.preset().workload;
        assert_eq!((w.gogc, w.gomemlimit), (GoGogc::Off, Some(512 << 20)));
        assert!(d.params.gctrace);
        // The Diagnose page's fix.
        let d = decode::<Params>("preset=leak&leak=0");
        assert_eq!(d.params.preset().name, "leak");
        assert_eq!(d.params.preset().workload.leak_per_sec, 0);
    }

    /// On the GC page an old `preset` is one widget's or the other's.
    #[test]
    fn an_old_preset_that_names_a_marking_heap_is_not_the_pacers() {
        let d = decode::<Params>("preset=leak");
        assert!(d.notices.is_empty());
        assert_eq!(d.params.preset().name, "leak");
        let d = decode::<Params>("preset=hide-pointer&barrier=none");
        assert_eq!((d.params, d.notices), (Params::default(), vec![]));
        let d = decode::<Params>("preset=leak&workload=spike");
        assert_eq!(d.params.preset().name, "spike", "workload wins over preset");
    }

    #[test]
    fn picking_the_default_workload_after_an_old_link_keeps_it() {
        let old = "preset=leak";
        let p = Rc::new(decode::<Params>(old).params);
        let next = p.reduce(Action::Workload(OneOf::default()));
        let query = merge(old, &Params::owns, &encode(next.as_ref()));
        assert_eq!(decode::<Params>(&query).params.preset().name, "steady");
    }
}
