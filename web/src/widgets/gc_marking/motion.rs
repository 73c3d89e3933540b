//! What one step of marking shows in motion, worked out from the step's
//! event and the heap before and after it; both drawings (the SVG graph and
//! the canvas) play it. Progress `p` runs from 0 (the heap before the
//! step) to 1 (after it); stepping back plays the same motion from 1 to 0.
//!
//! - `scanobject` (and a root job): the holder's pointers light up in turn,
//!   and each target it shades turns grey as its pointer lights.
//! - A pointer write: the pointer travels to its place (from another
//!   holder of the same value, as a copy moves; else its head swings from
//!   the old target to the new one), an overwritten pointer fades out, and
//!   each object the write barrier greys gets a pulse.
//! - Sweep: the white objects it frees fade out.
//!
//! Motion carries nothing that the still picture and the narration do not
//! also say: at `p = 1` the drawing is the step's own picture.

use runtime_model::gc::heap::{Color, Edge, Heap, Holder, ObjectId};
use runtime_model::gc::sim::{Event as GcEvent, EventKind};

/// A pointer that moves during a write: `holder.slot = to`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Travel {
    /// The value was copied from `from`, another holder of it: the
    /// pointer's tail travels from there to `holder`.
    Tail { from: Holder, edge: Edge },
    /// The slot held `old`: the pointer's head swings to the new target.
    Head { old: ObjectId, edge: Edge },
    /// The slot was nil and nothing else held the value: the pointer grows
    /// from its holder.
    Grow { edge: Edge },
}

impl Travel {
    /// The pointer as it ends up.
    pub fn edge(&self) -> Edge {
        match *self {
            Travel::Tail { edge, .. } | Travel::Head { edge, .. } | Travel::Grow { edge } => edge,
        }
    }
}

/// One step's motion.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepMotion {
    /// Pointers that light up in turn (a scan): each lights during its
    /// share of the motion, in slot order.
    pub lit: Vec<Edge>,
    /// The pointer a write moves.
    pub travel: Option<Travel>,
    /// A pointer the step removes (overwritten or set to nil): it fades
    /// out.
    pub removed: Option<Edge>,
    /// Objects the write barrier greys: each gets a pulse.
    pub pulses: Vec<ObjectId>,
    /// Objects sweep frees: each fades out.
    pub fades: Vec<ObjectId>,
    /// Objects whose colour the step changes, with the moment (0..=1) it
    /// changes and the colours before and after.
    pub flips: Vec<(ObjectId, f64, Color, Color)>,
}

/// When a write's pointer has finished travelling.
const TRAVEL_END: f64 = 0.6;
/// When a write's barrier shades (its pulses are at their brightest).
const SHADE_AT: f64 = 0.5;

impl StepMotion {
    /// The motion of `event`, the step from `before` to `after`.
    pub fn of(event: &GcEvent, before: &Heap, after: &Heap) -> StepMotion {
        let mut m = StepMotion::default();
        match &event.kind {
            EventKind::ScanObject { obj, .. } => {
                m.lit = holder_edges(after, Holder::Object(*obj));
            }
            EventKind::MarkRootGlobals { .. } => m.lit = holder_edges(after, Holder::Global),
            EventKind::ScanStack { g, .. } | EventKind::RescanStack { g, .. } => {
                m.lit = holder_edges(after, Holder::Stack(*g));
            }
            EventKind::Write {
                holder,
                slot,
                old,
                new,
                shaded,
            } => {
                if let Some(to) = *new {
                    let edge = Edge {
                        holder: *holder,
                        slot: *slot,
                        to,
                    };
                    let copy = before
                        .edges()
                        .filter(|e| e.to == to && e.holder != *holder)
                        .min_by_key(|e| match e.holder {
                            Holder::Object(_) => 0,
                            Holder::Stack(_) => 1,
                            Holder::Global => 2,
                        });
                    m.travel = Some(match (copy, *old) {
                        (Some(c), _) => Travel::Tail {
                            from: c.holder,
                            edge,
                        },
                        (None, Some(old)) if old != to => Travel::Head { old, edge },
                        _ => Travel::Grow { edge },
                    });
                }
                // An overwritten pointer fades; one whose head swings to
                // the new target does not (it is the one that moves).
                if let Some(o) = *old {
                    let swings = matches!(m.travel, Some(Travel::Head { .. }));
                    if Some(o) != *new && !swings {
                        m.removed = Some(Edge {
                            holder: *holder,
                            slot: *slot,
                            to: o,
                        });
                    }
                }
                m.pulses = shaded.clone();
            }
            EventKind::Sweep { freed, .. } => m.fades = freed.clone(),
            _ => {}
        }
        let n = m.lit.len().max(1) as f64;
        for o in &after.objects {
            let (was, is) = (before_color(before, o.id), after.color(o.id));
            if before.objects.len() <= o.id.0 as usize || was == is {
                continue;
            }
            let at = match m.lit.iter().position(|e| e.to == o.id) {
                // A target turns grey as its pointer lights up.
                Some(i) => (i as f64 + 0.5) / n,
                // The scanned object turns black once its pointers are done.
                None if matches!(&event.kind, EventKind::ScanObject { obj, .. } if *obj == o.id) => {
                    1.0
                }
                None => SHADE_AT,
            };
            m.flips.push((o.id, at, was, is));
        }
        m
    }

    /// Whether there is anything to play.
    pub fn is_empty(&self) -> bool {
        self.lit.is_empty()
            && self.travel.is_none()
            && self.removed.is_none()
            && self.pulses.is_empty()
            && self.fades.is_empty()
            && self.flips.is_empty()
    }

    /// Object `o`'s colour at progress `p`, if the step changes it.
    pub fn color_at(&self, o: ObjectId, p: f64) -> Option<Color> {
        self.flips
            .iter()
            .find(|f| f.0 == o)
            .map(|&(_, at, was, is)| if p < at { was } else { is })
    }

    /// How lit pointer `i` is at `p`: 0 before its turn, rising to 1 in
    /// the first half of its turn and staying lit after.
    pub fn lit_at(&self, i: usize, p: f64) -> f64 {
        let n = self.lit.len().max(1) as f64;
        ease(window(p, i as f64 / n, (i as f64 + 0.5) / n))
    }

    /// How far the travelling pointer has gone at `p` (0..=1).
    pub fn travel_at(p: f64) -> f64 {
        ease(window(p, 0.0, TRAVEL_END))
    }

    /// How visible the removed pointer still is at `p` (1 to 0).
    pub fn removed_at(p: f64) -> f64 {
        1.0 - ease(window(p, TRAVEL_END * 0.5, 1.0))
    }

    /// A pulse at `p`: how far its ring has grown (0..=1) and how strong
    /// it is (0..=1). It starts at the shade and dies away.
    pub fn pulse_at(p: f64) -> (f64, f64) {
        let t = window(p, SHADE_AT * 0.5, 1.0);
        (ease(t), if t > 0.0 { 1.0 - t } else { 0.0 })
    }

    /// How much of a swept object is still there at `p` (1 to 0).
    pub fn fade_at(p: f64) -> f64 {
        1.0 - ease(p.clamp(0.0, 1.0))
    }
}

/// An object's colour in `before`, white when it did not exist yet.
fn before_color(before: &Heap, o: ObjectId) -> Color {
    if (o.0 as usize) < before.objects.len() {
        before.color(o)
    } else {
        Color::White
    }
}

/// The pointers `holder` holds in `heap`, in slot order.
fn holder_edges(heap: &Heap, holder: Holder) -> Vec<Edge> {
    heap.edges().filter(|e| e.holder == holder).collect()
}

/// Where `p` is within `[a, b]`, as 0..=1.
pub fn window(p: f64, a: f64, b: f64) -> f64 {
    if b <= a {
        return if p >= b { 1.0 } else { 0.0 };
    }
    ((p - a) / (b - a)).clamp(0.0, 1.0)
}

/// Smooth start and end (smoothstep).
pub fn ease(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// The point `t` of the way from `a` to `b`.
pub fn lerp(a: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::gc::barrier::BarrierMode;
    use runtime_model::gc::presets::mark_preset;
    use runtime_model::gc::sim::GcSim;

    /// Each step of a preset with the state before it.
    fn steps(preset: &str, barrier: BarrierMode) -> Vec<(GcSim, GcEvent, GcSim)> {
        let mut sim = mark_preset(preset).unwrap().build(barrier, 1);
        let mut out = Vec::new();
        loop {
            let before = sim.clone();
            let Some(e) = sim.step() else { break };
            out.push((before, e, sim.clone()));
        }
        out
    }

    fn o(i: u32) -> ObjectId {
        ObjectId(i)
    }

    #[test]
    fn the_timing_curves_start_at_the_before_picture_and_end_at_the_after() {
        assert_eq!((ease(0.0), ease(1.0), ease(0.5)), (0.0, 1.0, 0.5));
        assert!(ease(0.25) < 0.25 && ease(0.75) > 0.75, "slow in, slow out");
        assert_eq!(window(0.1, 0.2, 0.4), 0.0);
        assert!((window(0.3, 0.2, 0.4) - 0.5).abs() < 1e-9);
        assert_eq!(window(0.9, 0.2, 0.4), 1.0);
        assert_eq!(window(0.5, 0.5, 0.5), 1.0, "an empty window is a switch");
        assert_eq!(lerp((0.0, 10.0), (10.0, 20.0), 0.25), (2.5, 12.5));
        assert_eq!(StepMotion::travel_at(0.0), 0.0);
        assert_eq!(StepMotion::travel_at(1.0), 1.0);
        assert_eq!(StepMotion::removed_at(0.0), 1.0);
        assert_eq!(StepMotion::removed_at(1.0), 0.0);
        assert_eq!(
            StepMotion::pulse_at(0.0).1,
            0.0,
            "no pulse before the shade"
        );
        assert!(StepMotion::pulse_at(SHADE_AT).1 > 0.5);
        assert_eq!(StepMotion::pulse_at(1.0).1, 0.0, "the pulse has died away");
        assert_eq!(
            (StepMotion::fade_at(0.0), StepMotion::fade_at(1.0)),
            (1.0, 0.0)
        );
    }

    /// hide-pointer: o2's pointer is copied out of o1 into o0 (so it
    /// travels from o1), then o1's copy is deleted (so it fades), and the
    /// hybrid barrier's shades pulse.
    #[test]
    fn in_hide_pointer_the_pointer_to_o2_travels_from_o1_to_o0_then_o1_s_copy_fades() {
        let all = steps("hide-pointer", BarrierMode::Hybrid);
        let writes: Vec<(StepMotion, &GcEvent)> = all
            .iter()
            .filter(|(_, e, _)| matches!(e.kind, EventKind::Write { .. }))
            .map(|(b, e, a)| (StepMotion::of(e, b.heap(), a.heap()), e))
            .collect();
        assert_eq!(writes.len(), 2, "hide-pointer writes twice");
        let (copy, _) = &writes[0];
        assert_eq!(
            copy.travel,
            Some(Travel::Tail {
                from: Holder::Object(o(1)),
                edge: Edge {
                    holder: Holder::Object(o(0)),
                    slot: 0,
                    to: o(2)
                }
            })
        );
        assert_eq!(copy.removed, None);
        let (delete, e) = &writes[1];
        assert_eq!(delete.travel, None);
        assert_eq!(
            delete.removed,
            Some(Edge {
                holder: Holder::Object(o(1)),
                slot: 0,
                to: o(2)
            })
        );
        let EventKind::Write { shaded, .. } = &e.kind else {
            unreachable!()
        };
        assert_eq!(&delete.pulses, shaded);
        for (m, _) in &writes {
            for p in &m.pulses {
                let at = m.flips.iter().find(|f| f.0 == *p);
                assert!(
                    at.is_none_or(|f| f.2 == Color::White && f.3 == Color::Grey),
                    "a pulse greys a white object: {at:?}"
                );
            }
        }
        let none = steps("hide-pointer", BarrierMode::None);
        assert!(
            none.iter()
                .map(|(b, e, a)| StepMotion::of(e, b.heap(), a.heap()))
                .all(|m| m.pulses.is_empty()),
            "no barrier, no pulse"
        );
    }

    /// Every step of every small preset: the motion at 0 shows the colours
    /// before the step and at 1 those after it, and a scan's targets turn
    /// grey in the order their pointers light.
    #[test]
    fn every_step_s_motion_runs_from_the_picture_before_to_the_picture_after() {
        let mut scans = 0;
        let mut sweeps = 0;
        for preset in [
            "hide-pointer",
            "stack-only-pointer",
            "unscanned-stack-hands-off",
        ] {
            for barrier in BarrierMode::ALL {
                for (before, e, after) in steps(preset, barrier) {
                    let m = StepMotion::of(&e, before.heap(), after.heap());
                    for obj in &after.heap().objects {
                        if (obj.id.0 as usize) >= before.heap().objects.len() {
                            continue;
                        }
                        let at0 = m
                            .color_at(obj.id, 0.0)
                            .unwrap_or(after.heap().color(obj.id));
                        let at1 = m
                            .color_at(obj.id, 1.0)
                            .unwrap_or(after.heap().color(obj.id));
                        assert_eq!(at0, before.heap().color(obj.id), "{preset} step {}", e.step);
                        assert_eq!(at1, after.heap().color(obj.id), "{preset} step {}", e.step);
                    }
                    if let EventKind::ScanObject { shaded, .. } = &e.kind {
                        scans += 1;
                        let times: Vec<f64> = shaded
                            .iter()
                            .map(|s| m.flips.iter().find(|f| f.0 == *s).unwrap().1)
                            .collect();
                        assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
                        for i in 0..m.lit.len() {
                            assert_eq!(m.lit_at(i, 0.0), 0.0);
                            assert_eq!(m.lit_at(i, 1.0), 1.0);
                        }
                    }
                    if let EventKind::Sweep { freed, .. } = &e.kind {
                        sweeps += usize::from(!freed.is_empty());
                        assert_eq!(&m.fades, freed);
                    }
                }
            }
        }
        assert!(scans > 0 && sweeps > 0, "scans {scans}, sweeps {sweeps}");
    }
}
