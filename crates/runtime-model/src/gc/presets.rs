//! Marking presets: small heaps and scripts that each show one thing about
//! barriers, as data. Run them under every [`BarrierMode`] to see which
//! barrier saves the object and which loses it.

use alloc::vec::Vec;

use super::barrier::BarrierMode;
use super::heap::{Color, Heap, Holder, ObjectId};
use super::sim::{Action, Config, GcSim, Op};

/// A preset: the heap, the roots, the script and what it teaches.
#[derive(Clone, Debug)]
pub struct MarkPreset {
    pub name: &'static str,
    pub explanation: &'static str,
    /// Objects by index: (size in bytes, pointer slots).
    pub objects: Vec<(u32, u32)>,
    pub globals: usize,
    pub goroutines: u32,
    pub stack_slots: usize,
    /// Initial pointers: holder, slot, target object index.
    pub edges: Vec<(Holder, u32, u32)>,
    pub script: Vec<Op>,
    /// After the script, a seeded random mutator keeps going.
    pub random_mutator: bool,
}

impl MarkPreset {
    /// Builds the simulation for this preset under `barrier` and `seed`.
    pub fn build(&self, barrier: BarrierMode, seed: u64) -> GcSim {
        let mut heap = Heap::new(self.globals, self.goroutines, self.stack_slots);
        for &(size, slots) in &self.objects {
            heap.alloc(size, slots, Color::White);
        }
        for &(holder, slot, to) in &self.edges {
            heap.set_slot(holder, slot, Some(ObjectId(to)));
        }
        let config = Config {
            barrier,
            seed,
            ..Config::default()
        };
        GcSim::new(heap, self.script.clone(), self.random_mutator, config)
    }
}

fn o(i: u32) -> ObjectId {
    ObjectId(i)
}

fn m(a: Action) -> Op {
    Op::Mutator(a)
}

/// The marking presets, in menu order.
pub fn mark_presets() -> Vec<MarkPreset> {
    use Op::{Collect, Drain, FinishCycle};
    let obj = |i| Holder::Object(o(i));
    alloc::vec![
        MarkPreset {
            name: "hide-pointer",
            explanation: "Hide a pointer from the collector: the program copies o2 out of grey o1 into black o0, then deletes it from o1. With no barrier o2 is never shaded and is swept while o0 and G1 still point to it.",
            objects: alloc::vec![(16, 1), (16, 1), (16, 1)],
            globals: 1,
            goroutines: 2,
            stack_slots: 2,
            edges: alloc::vec![(Holder::Global, 0, 1), (Holder::Stack(1), 0, 0), (obj(1), 0, 2)],
            script: alloc::vec![
                Collect, Collect, Collect, Collect, Collect, Collect,
                m(Action::Load { g: 1, slot: 1, from: o(1), from_slot: 0 }),
                m(Action::Write { holder: obj(0), slot: 0, to: Some(o(2)) }),
                m(Action::Write { holder: obj(1), slot: 0, to: None }),
            ],
            random_mutator: false,
        },
        MarkPreset {
            name: "stack-only-pointer",
            explanation: "G1 loads o1 onto its already-scanned stack and the heap's last pointer to it is deleted. The deletion (Yuasa, hybrid) barrier shades o1; Dijkstra's barrier does not, and needs the stack re-scan at mark termination to find it.",
            objects: alloc::vec![(16, 1), (16, 0)],
            globals: 1,
            goroutines: 2,
            stack_slots: 1,
            edges: alloc::vec![(Holder::Global, 0, 0), (obj(0), 0, 1)],
            script: alloc::vec![
                Collect, Collect, Collect, Collect, Collect,
                m(Action::Load { g: 1, slot: 0, from: o(0), from_slot: 0 }),
                m(Action::Write { holder: obj(0), slot: 0, to: None }),
            ],
            random_mutator: false,
        },
        MarkPreset {
            name: "unscanned-stack-hands-off",
            explanation: "G1's stack, not yet scanned, holds the only pointer to o1. G1 stores it into black o0 and drops it from its stack. Yuasa's barrier shades only the overwritten pointer (nil) and loses o1; the hybrid barrier also shades the new pointer, which is why Go needs no stack snapshot.",
            objects: alloc::vec![(32, 1), (32, 0)],
            globals: 1,
            goroutines: 2,
            stack_slots: 1,
            edges: alloc::vec![(Holder::Global, 0, 0), (Holder::Stack(1), 0, 1)],
            script: alloc::vec![
                Collect, Collect, Collect, Drain,
                m(Action::Write { holder: obj(0), slot: 0, to: Some(o(1)) }),
                m(Action::StackWrite { g: 1, slot: 0, to: None }),
            ],
            random_mutator: false,
        },
        MarkPreset {
            name: "allocate-black",
            explanation: "An object allocated during mark is black at once, so it survives this cycle even though the program drops it straight away (floating garbage); the next cycle frees it.",
            objects: alloc::vec![(48, 2)],
            globals: 1,
            goroutines: 1,
            stack_slots: 2,
            edges: alloc::vec![(Holder::Global, 0, 0)],
            script: alloc::vec![
                Collect, Collect, Collect,
                m(Action::Alloc { g: 0, slot: 0, size: 64, slots: 1 }),
                m(Action::StackWrite { g: 0, slot: 0, to: None }),
                FinishCycle,
                Collect,
            ],
            random_mutator: false,
        },
        random_preset(),
        large_random_preset(),
    ]
}

/// A seeded random heap of `n` objects with a random mutator that never
/// stops: sizes cycle through 16, 32, 48 and 64 bytes, each object has 1 to
/// 3 pointer slots and each slot points to a random object two times in
/// three. Two globals and three goroutine stacks hold the roots.
fn random_heap(
    name: &'static str,
    explanation: &'static str,
    n: u32,
    seed: u64,
    script: Vec<Op>,
) -> MarkPreset {
    let mut rng = crate::rand::CheapRand::new(seed);
    let objects: Vec<(u32, u32)> = (0..n)
        .map(|i| ([16, 32, 48, 64][i as usize % 4], 1 + rng.cheaprandn(3)))
        .collect();
    let mut edges = Vec::new();
    for (i, &(_, slots)) in objects.iter().enumerate() {
        for s in 0..slots {
            if rng.cheaprandn(3) != 0 {
                edges.push((Holder::Object(o(i as u32)), s, rng.cheaprandn(n)));
            }
        }
    }
    edges.push((Holder::Global, 0, 0));
    edges.push((Holder::Global, 1, 5));
    for g in 0..3 {
        edges.push((Holder::Stack(g), 0, 7 + 3 * g));
    }
    MarkPreset {
        name,
        explanation,
        objects,
        globals: 2,
        goroutines: 3,
        stack_slots: 3,
        edges,
        script,
        random_mutator: true,
    }
}

/// 16 objects, cycle after cycle.
fn random_preset() -> MarkPreset {
    random_heap(
        "random",
        "A random heap and a seeded random mutator that allocates, links, unlinks and drops roots while cycle after cycle runs. Switch the barrier off and watch the checker.",
        16,
        0x9c,
        Vec::new(),
    )
}

/// Objects in the `large-random` preset (issue 4's animation benchmark
/// draws 2,000).
pub const LARGE_RANDOM_OBJECTS: u32 = 2000;

/// The `random` preset at scale. Its first cycle starts at once: with a
/// heap this size the mutator would otherwise allocate for thousands of
/// steps before reaching the GOGC goal.
fn large_random_preset() -> MarkPreset {
    random_heap(
        "large-random",
        "The random heap at scale: 2,000 objects, about half of them unreachable from the five roots. The first cycle starts at once. Marking takes one step per object scanned, so the grey wave needs over a thousand steps to cross the heap; sweep then frees the white objects span by span.",
        LARGE_RANDOM_OBJECTS,
        0x2000,
        alloc::vec![Op::Collect],
    )
}

/// The preset called `name`.
pub fn mark_preset(name: &str) -> Option<MarkPreset> {
    mark_presets().into_iter().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gc::sim::{EventKind, Phase};
    use alloc::string::String;

    /// Runs a preset to its end; (objects lost, edges the checker named).
    fn outcome(name: &str, barrier: BarrierMode) -> (Vec<ObjectId>, Vec<String>) {
        let mut sim = mark_preset(name).unwrap().build(barrier, 1);
        let events = sim.run(500);
        assert!(sim.finished(), "{name} did not finish");
        let named = events
            .iter()
            .flat_map(|e| e.violations.iter().map(|v| alloc::format!("{}", v.edge)))
            .collect();
        (sim.lost(), named)
    }

    #[test]
    fn hiding_a_pointer_loses_the_object_only_without_a_barrier() {
        for barrier in [
            BarrierMode::Hybrid,
            BarrierMode::Dijkstra,
            BarrierMode::Yuasa,
        ] {
            assert_eq!(
                outcome("hide-pointer", barrier),
                (Vec::new(), Vec::new()),
                "{barrier:?}"
            );
        }
        let (lost, named) = outcome("hide-pointer", BarrierMode::None);
        assert_eq!(lost, [o(2)]);
        assert!(named.contains(&String::from("o0.0 → o2")), "{named:?}");
    }

    #[test]
    fn dijkstra_finds_a_stack_only_pointer_by_re_scanning_the_stack() {
        let mut sim = mark_preset("stack-only-pointer")
            .unwrap()
            .build(BarrierMode::Dijkstra, 1);
        let events = sim.run(500);
        let rescans: Vec<&EventKind> = events
            .iter()
            .map(|e| &e.kind)
            .filter(|k| matches!(k, EventKind::RescanStack { .. }))
            .collect();
        assert_eq!(
            rescans[1],
            &EventKind::RescanStack {
                g: 1,
                shaded: alloc::vec![o(1)]
            }
        );
        assert!(events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::RescanStack { .. }))
            .all(|e| e.world_stopped));
        assert!(sim.lost().is_empty());
        // The hybrid barrier never re-scans and still keeps o1.
        let mut hybrid = mark_preset("stack-only-pointer")
            .unwrap()
            .build(BarrierMode::Hybrid, 1);
        let events = hybrid.run(500);
        assert!(!events
            .iter()
            .any(|e| matches!(e.kind, EventKind::RescanStack { .. })));
        assert!(hybrid.lost().is_empty());
        assert_eq!(outcome("stack-only-pointer", BarrierMode::None).0, [o(1)]);
    }

    #[test]
    fn yuasa_alone_loses_a_pointer_handed_off_by_an_unscanned_stack() {
        let (lost, named) = outcome("unscanned-stack-hands-off", BarrierMode::Yuasa);
        assert_eq!(lost, [o(1)]);
        assert_eq!(named, ["o0.0 → o1"]);
        assert_eq!(
            outcome("unscanned-stack-hands-off", BarrierMode::Hybrid).0,
            []
        );
        assert_eq!(
            outcome("unscanned-stack-hands-off", BarrierMode::Dijkstra).0,
            []
        );
    }

    #[test]
    fn an_object_allocated_during_mark_survives_one_cycle_as_floating_garbage() {
        let mut sim = mark_preset("allocate-black")
            .unwrap()
            .build(BarrierMode::Hybrid, 1);
        let events = sim.run(500);
        let born = events.iter().find_map(|e| match e.kind {
            EventKind::Alloc { obj, black, .. } => Some((obj, black, e.cycle)),
            _ => None,
        });
        assert_eq!(born, Some((o(1), true, 0)));
        let freed_in: Vec<u32> = events
            .iter()
            .filter(|e| matches!(&e.kind, EventKind::Sweep { freed, .. } if freed.contains(&o(1))))
            .map(|e| e.cycle)
            .collect();
        assert_eq!(freed_in, [1]);
    }

    #[test]
    fn a_cycle_walks_through_the_phases_of_mgc_go() {
        let mut sim = mark_preset("hide-pointer")
            .unwrap()
            .build(BarrierMode::Hybrid, 1);
        let events = sim.run(500);
        let mut phases: Vec<(Phase, &str)> = Vec::new();
        for e in &events {
            if phases.last().map(|p| p.0) != Some(e.phase) {
                phases.push((e.phase, e.go_function));
            }
        }
        assert_eq!(
            phases,
            [
                (Phase::SweepTermination, "gcStart"),
                (Phase::Mark, "gcStart"),
                (Phase::MarkTermination, "gcMarkDone"),
                (Phase::Sweep, "gcMarkTermination"),
                (Phase::Off, "sweepone"),
            ]
        );
        assert!(events
            .iter()
            .all(|e| e.world_stopped == e.phase.world_stopped()));
    }

    #[test]
    fn the_checkpoint_predicts_what_the_barrier_shades() {
        let mut sim = mark_preset("hide-pointer")
            .unwrap()
            .build(BarrierMode::Dijkstra, 1);
        while sim.next_barrier_shades().is_none() {
            sim.step().unwrap();
        }
        // The first barriered write is o0.0 = o2: Dijkstra shades o2.
        assert_eq!(sim.next_barrier_shades(), Some(alloc::vec![o(2)]));
        let e = sim.step().unwrap();
        assert!(matches!(e.kind, EventKind::Write { ref shaded, .. } if shaded == &[o(2)]));
    }

    #[test]
    fn a_random_run_is_the_same_for_the_same_seed_and_safe_with_the_hybrid_barrier() {
        let preset = mark_preset("random").unwrap();
        let mut a = preset.build(BarrierMode::Hybrid, 7);
        let mut b = preset.build(BarrierMode::Hybrid, 7);
        let ea = a.run_until(3000);
        assert_eq!(ea, b.run_until(3000));
        assert!(a.cycle() >= 3, "only {} cycles", a.cycle());
        assert!(a.lost().is_empty());
        assert!(ea.iter().all(|e| e.violations.is_empty()));
        // Rewind: a clone taken mid-run replays the same future.
        let mut c = preset.build(BarrierMode::Hybrid, 7);
        c.run_until(1000);
        let mut d = c.clone();
        assert_eq!(c.run_until(1200), d.run_until(1200));
    }

    #[test]
    fn the_large_random_heap_is_seeded_and_safe_with_the_hybrid_barrier() {
        let preset = mark_preset("large-random").unwrap();
        assert_eq!(preset.objects.len(), LARGE_RANDOM_OBJECTS as usize);
        let again = mark_preset("large-random").unwrap();
        assert_eq!(
            (&preset.objects, &preset.edges),
            (&again.objects, &again.edges)
        );
        let mut a = preset.build(BarrierMode::Hybrid, 1);
        let live = a.heap().reachable().iter().filter(|r| **r).count();
        // About half the heap is garbage: marking has work and so has sweep.
        assert!((800..1200).contains(&live), "{live} live");
        let ea = a.run_until(2000);
        // The first cycle starts at once; its sweep begins within the
        // 2,000 steps the marking widget records.
        assert_eq!(ea[0].go_function, "gcStart");
        assert!(ea.iter().any(|e| e.phase == Phase::Sweep && e.cycle == 0));
        assert_eq!(ea, preset.build(BarrierMode::Hybrid, 1).run_until(2000));
        assert!(a.lost().is_empty());
        assert!(ea.iter().all(|e| e.violations.is_empty()));
    }

    #[test]
    fn without_a_barrier_the_random_mutator_eventually_loses_objects() {
        let preset = mark_preset("random").unwrap();
        let lost = (1..20).any(|seed| {
            let mut sim = preset.build(BarrierMode::None, seed);
            sim.run_until(3000);
            !sim.lost().is_empty()
        });
        assert!(lost);
    }
}
