//! The layout lab's checkpoint: before the grid of a struct is drawn, how
//! many bytes does it take? The right answer is the model's layout
//! (`TypeReport::layout.size`, checked against go/types and the compiler),
//! and the wrong ones are the usual slips, computed from the same fields:
//! adding the field sizes (no padding), padding every field out to the
//! struct's alignment, and the size fieldalignment's order would reach.

use runtime_model::layout::{PaddingKind, TypeReport};
use runtime_model::values::GoArch;

use crate::kit::checkpoint::Question;

/// The lab has no steps: a question is numbered by what it asks about (the
/// GOARCH, the type's name and its fields), so that a change to any of
/// them asks again and anything else (a comment, another type) does not.
/// FNV-1a, cut to 62 bits so that the checkpoint's step arithmetic stays
/// far from overflowing.
pub fn fingerprint(arch: GoArch, report: &TypeReport) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let text = format!("{arch}\0{}\0{}", report.name, report.text);
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h >> 2
}

/// The sizes offered, ascending: the slips and the right one, and, when
/// they coincide, neighbours one and two alignments away.
pub fn options(report: &TypeReport) -> Vec<u64> {
    let size = report.layout.size;
    let align = report.layout.align.max(1);
    let sum: u64 = report.fields.iter().map(|f| f.size).sum();
    // Every field padded out to the struct's alignment.
    let widest: u64 = report
        .fields
        .iter()
        .map(|f| f.size.next_multiple_of(align))
        .sum();
    let mut out = vec![sum, size, widest];
    if let Some(o) = report.optimal.as_ref().filter(|o| o.improves) {
        out.push(o.layout.size);
    }
    for extra in [size + align, size.saturating_sub(align), size + 2 * align] {
        out.sort_unstable();
        out.dedup();
        if out.len() >= 3 {
            break;
        }
        if extra > 0 {
            out.push(extra);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The checkpoint for the struct `report` on `arch`; `None` for a type
/// that is not a struct with fields (nothing to add up).
pub fn question(arch: GoArch, report: &TypeReport) -> Option<Question> {
    if report.kind != "struct" || report.fields.is_empty() {
        return None;
    }
    let size = report.layout.size;
    let options = options(report);
    let sum: u64 = report.fields.iter().map(|f| f.size).sum();
    let (between, end) = (
        report.padding_bytes(PaddingKind::Internal),
        report.padding_bytes(PaddingKind::Trailing),
    );
    let name = &report.name;
    let mut reveal = if size == sum {
        format!("{name} is {size} bytes on {arch}: its fields take exactly that, with no padding.")
    } else {
        format!(
            "{name} is {size} bytes on {arch}: its fields take {sum} B, and padding adds {between} B between fields and {end} B at the end, so that every field, and the next {name} in an array, is aligned (to {} here).",
            report.layout.align
        )
    };
    if let Some(o) = report
        .optimal
        .as_ref()
        .filter(|o| o.improves && o.bytes_saved > 0)
    {
        reveal.push_str(&format!(
            " In the order fieldalignment suggests it would take {} B.",
            o.layout.size
        ));
    }
    Some(Question {
        step: fingerprint(arch, report),
        id: "layout-struct-size",
        prompt: "How many bytes does this struct take?",
        legend: format!(
            "Predict: on {arch}, how many bytes does one {name} take (what unsafe.Sizeof says)?"
        ),
        correct: options.iter().position(|&o| o == size).into_iter().collect(),
        options: options
            .iter()
            .map(|o| (format!("{o}"), format!("{o} bytes")))
            .collect(),
        multiple: false,
        reveal,
        hint: Some("Each field starts at a multiple of its alignment, and the size is a multiple of the struct's."),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::layout;

    fn report(src: &str, arch: GoArch, name: &str) -> TypeReport {
        layout::analyze(src, arch)
            .unwrap()
            .get(name)
            .unwrap()
            .clone()
    }

    const T: &str = "type T struct {\n\ta bool\n\tb int64\n\tc bool\n}\n";

    #[test]
    fn the_answer_is_the_models_size_among_the_usual_slips() {
        let r = report(T, GoArch::Amd64, "T");
        let q = question(GoArch::Amd64, &r).unwrap();
        // 1 + 8 + 1 without padding; 24 as laid out; 16 reordered.
        let sizes: Vec<&str> = q.options.iter().map(|o| o.0.as_str()).collect();
        assert_eq!(sizes, ["10", "16", "24"]);
        assert_eq!(q.options[q.correct[0]].0, "24");
        assert!(
            q.reveal.contains(
                "fields take 10 B, and padding adds 7 B between fields and 7 B at the end"
            ),
            "{}",
            q.reveal
        );
        assert!(q.reveal.contains("would take 16 B"), "{}", q.reveal);
        // On 386 an int64 is 4-aligned: 16 bytes.
        let r = report(T, GoArch::I386, "T");
        let q = question(GoArch::I386, &r).unwrap();
        assert_eq!(q.options[q.correct[0]].0, "16");
        assert!(
            q.legend
                .starts_with("Predict: on 386, how many bytes does one T take"),
            "{}",
            q.legend
        );
    }

    #[test]
    fn a_struct_without_padding_still_has_three_options_and_non_structs_none() {
        let src = "type P struct {\n\tx int64\n\ty int64\n}\ntype N int32\n";
        let r = report(src, GoArch::Amd64, "P");
        let q = question(GoArch::Amd64, &r).unwrap();
        assert_eq!(q.options.len(), 3, "{:?}", q.options);
        assert_eq!(q.options[q.correct[0]].0, "16");
        assert!(q.reveal.contains("no padding"));
        assert!(question(GoArch::Amd64, &report(src, GoArch::Amd64, "N")).is_none());
        let empty = report("type E struct{}\n", GoArch::Amd64, "E");
        assert!(question(GoArch::Amd64, &empty).is_none());
    }

    #[test]
    fn the_fingerprint_follows_the_fields_and_the_arch_only() {
        let a = fingerprint(GoArch::Amd64, &report(T, GoArch::Amd64, "T"));
        let commented = format!("// a comment\n{T}");
        assert_eq!(
            a,
            fingerprint(GoArch::Amd64, &report(&commented, GoArch::Amd64, "T"))
        );
        assert_ne!(a, fingerprint(GoArch::I386, &report(T, GoArch::I386, "T")));
        let changed = T.replace("c bool", "c int32");
        assert_ne!(
            a,
            fingerprint(GoArch::Amd64, &report(&changed, GoArch::Amd64, "T"))
        );
        assert!(a < u64::MAX >> 1);
    }
}
