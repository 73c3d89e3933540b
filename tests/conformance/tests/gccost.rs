//! The collector's costs against go1.27: calibrate the model's marking
//! costs afresh from known heaps under load, then check that four heap
//! shapes under load at GOGC 50, 100 and 200 reach the same steady state
//! in real Go and in the model fed those constants (see
//! `conformance::gccost` for what "steady" means). It runs [`ROUNDS`]
//! rounds of calibration and comparison and judges each row by the
//! median of its rounds, so that a burst of load from elsewhere on the
//! machine spoils one round, not the verdict.
//!
//! The model is told the program never blocks (its goroutines spin
//! between bursts), so assists do most of the marking, as they do in Go.
//! The summary marks each row against issue 13's bounds (10% on the heap
//! goal and the marked heap, 25% on GC CPU), which most rounds meet on all
//! but a row or two. What it asserts is what holds on this project's
//! shared two-core machine even under load: the heap goal and the marked
//! heap within 25% of Go's on every row, and no fitted cost below zero.
//! GC CPU is printed, not asserted: under load Go's own mark and pause
//! times move two- or threefold, and a pointer-free heap's GC CPU is a
//! fraction of a percent made of pauses.

use conformance::gccost::{calibrate, compare, describe, medians, summary, table, GOGCS, SHAPES};

/// Rounds of calibration and comparison.
const ROUNDS: usize = 3;

#[test]
fn the_pacer_with_measured_costs_reaches_go_s_steady_state() {
    let bin = conformance::build_go("gccost");
    let mut rounds = Vec::new();
    let mut text = String::new();
    for round in 1..=ROUNDS {
        let cal = calibrate(&bin);
        let mut rows = Vec::new();
        for heap in &SHAPES {
            for gogc in GOGCS {
                rows.push(compare(&bin, heap, gogc, &cal));
            }
        }
        let c = cal.cost;
        for k in [
            c.per_cycle_ns,
            c.per_object_ns,
            c.per_pointer_word_ns,
            c.per_span_pointer_word_ns,
            c.per_scan_byte_ns,
            c.per_span_ns,
            c.per_linked_span_ns,
            c.per_hop_ns,
        ] {
            assert!(
                k >= 0.0 && k.is_finite(),
                "a cost below zero:\n{}",
                describe(&cal)
            );
        }
        text.push_str(&format!(
            "round {round}: {}{}\n",
            describe(&cal),
            table(&rows)
        ));
        rounds.push(rows);
    }
    let judged = medians(&rounds);
    text.push_str(&summary(&judged));
    println!("{text}");
    for r in &judged {
        let [goal, marked, _] = r.errors;
        assert!(
            goal.abs() <= 0.25 && marked.abs() <= 0.25,
            "{} at GOGC={}: the model's goal or marked heap is more than 25% from Go's:\n{text}",
            r.heap.name,
            r.gogc
        );
    }
}
