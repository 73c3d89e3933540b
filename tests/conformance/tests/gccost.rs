//! The collector's costs against go1.27: calibrate the model's marking
//! costs afresh from forced collections of known heaps, then check that
//! four heap shapes under load at GOGC 50, 100 and 200 reach the same
//! steady state in real Go and in the model fed those constants (see
//! `conformance::gccost` for what "steady" means). The table is printed
//! with each row marked against issue 13's bounds (10% on the heap goal
//! and the marked heap, 25% on GC CPU), which the model does not yet meet
//! on every row. The test asserts what holds on this project's shared
//! two-core machine even under load: at GOGC 50 and 100 the heap goal and
//! the marked heap within 25% of Go's, and no fitted cost below zero. GC
//! CPU is printed, not asserted: Go's own mark times move two- or
//! threefold with the machine's load.

use conformance::gccost::{calibrate, compare, describe, table, GOGCS, SHAPES};

#[test]
fn the_pacer_with_measured_costs_reaches_go_s_steady_state() {
    let bin = conformance::build_go("gccost");
    let cal = calibrate(&bin);
    let mut rows = Vec::new();
    for heap in &SHAPES {
        for gogc in GOGCS {
            rows.push(compare(&bin, heap, gogc, cal.cost));
        }
    }
    let text = format!("{}{}", describe(&cal), table(&rows));
    println!("{text}");
    let c = cal.cost;
    for k in [
        c.per_cycle_ns,
        c.per_object_ns,
        c.per_pointer_word_ns,
        c.per_scan_byte_ns,
        c.per_span_ns,
        c.per_linked_span_ns,
        c.per_hop_ns,
    ] {
        assert!(k >= 0.0 && k.is_finite(), "a cost below zero:\n{text}");
    }
    println!(
        "{} of {} rows within issue 13's bounds",
        rows.iter().filter(|r| r.agrees()).count(),
        rows.len()
    );
    // What holds on a shared, loaded machine too: at GOGC 50 and 100 the
    // model's heap goal and marked heap stay within 25% of Go's. GC CPU and
    // the GOGC=200 rows move with the machine's load by more than that
    // (long marks under load add floating garbage), so they are printed,
    // not asserted; `cargo xtask bench gc` prints the same table.
    for r in rows.iter().filter(|r| r.gogc <= 100) {
        let [goal, marked, _] = r.errors();
        assert!(
            goal.abs() <= 0.25 && marked.abs() <= 0.25,
            "{} at GOGC={}: the model's goal or marked heap is more than 25% from Go's:\n{text}",
            r.heap.name,
            r.gogc
        );
    }
}
