//! The allocator's checkpoint: before the step that takes a new request,
//! which size class will it land in? The right answer is the model's
//! plan for the request (`plan_alloc`, the function the animation's
//! `mallocgc` uses), and the options come from the model's size-class
//! table.

use runtime_model::malloc::{plan_alloc, AllocPath, AllocPlan, AllocRequest, AllocSim};
use runtime_model::sizeclasses::{
    class_to_size, size_to_class, MALLOC_HEADER_SIZE, NUM_SIZE_CLASSES, TINY_SIZE_CLASS,
};

use crate::kit::checkpoint::Question;

/// The largest size class (67).
const LAST_CLASS: u8 = (NUM_SIZE_CLASSES - 1) as u8;
/// Size classes offered, besides "no class".
const WINDOW: u8 = 4;

/// Where a request lands, as the checkpoint names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Landing {
    Class(u8),
    /// Size 0 (zerobase) and large objects have no size class.
    NoClass,
}

impl Landing {
    /// Where the model's plan puts the request.
    pub fn of(plan: &AllocPlan) -> Landing {
        match plan.path {
            AllocPath::Tiny | AllocPath::Small => Landing::Class(plan.size_class),
            AllocPath::ZeroBase | AllocPath::Large => Landing::NoClass,
        }
    }

    /// The response a statement carries.
    fn id(self) -> String {
        match self {
            Landing::Class(c) => format!("class-{c}"),
            Landing::NoClass => "no-class".to_owned(),
        }
    }

    fn label(self) -> String {
        match self {
            Landing::Class(c) => format!("class {c} ({} B slots)", class_to_size(c)),
            Landing::NoClass => "no size class at all".to_owned(),
        }
    }
}

/// The options for a request of `size` bytes, the `nth` of its run: four
/// neighbouring classes around the smallest class whose slots hold `size`
/// bytes, then "no class". Where the four start moves with `nth` (0, 1 or
/// 2 classes below that class), so that the right one's place does not
/// give it away; the right class is added if the four miss it.
pub fn options(size: u64, answer: Landing, nth: usize) -> Vec<Landing> {
    let fits = match size_to_class(size) {
        0 if size == 0 => 1,
        0 => LAST_CLASS,
        c => c,
    };
    let below = (nth % 3) as u8;
    let start = fits.saturating_sub(below).clamp(1, LAST_CLASS + 1 - WINDOW);
    let mut out: Vec<Landing> = (start..start + WINDOW).map(Landing::Class).collect();
    if let (Landing::Class(_), false) = (answer, out.contains(&answer)) {
        out.push(answer);
        out.sort_by_key(|l| match l {
            Landing::Class(c) => *c,
            Landing::NoClass => u8::MAX,
        });
    }
    out.push(Landing::NoClass);
    out
}

/// Why the request lands where the plan puts it, in words.
fn why(plan: &AllocPlan) -> String {
    let size = plan.size;
    match plan.path {
        AllocPath::ZeroBase => {
            "Size 0 needs no memory: mallocgc hands back the address of runtime.zerobase, so no class is used.".to_owned()
        }
        AllocPath::Large => format!(
            "{size} B is more than 32,760 B, so it is a large object: it skips the size classes and gets {} whole 8 KB page(s) of its own from mheap.",
            plan.npages
        ),
        AllocPath::Tiny => {
            let fits = size_to_class(size);
            let also = if fits != TINY_SIZE_CLASS {
                format!(
                    " Class {fits}'s {} B slots would hold it, but objects this small without pointers share blocks instead.",
                    class_to_size(fits)
                )
            } else {
                String::new()
            };
            format!(
                "{size} B without pointers is under 16 B, so the tiny allocator packs it into a shared 16-byte block, and those blocks are class {TINY_SIZE_CLASS}'s slots.{also}"
            )
        }
        AllocPath::Small if plan.header > 0 => format!(
            "{size} B with pointers is over 512 B, so an {MALLOC_HEADER_SIZE}-byte malloc header (its type) goes in front: {} B rounds up to class {}, whose slots are {} B.",
            size + MALLOC_HEADER_SIZE,
            plan.size_class,
            plan.slot
        ),
        AllocPath::Small => {
            let smaller = plan
                .size_class
                .checked_sub(1)
                .filter(|&c| c >= 1)
                .map(|c| format!(" Class {c}'s {} B slots are too small.", class_to_size(c)))
                .unwrap_or_default();
            format!(
                "{size} B rounds up to the smallest class whose slots hold it: class {}, {} B slots, {} B wasted.{smaller}",
                plan.size_class, plan.slot, plan.waste
            )
        }
    }
}

/// A question, and the request it is about.
pub struct Asked {
    pub question: Question,
    pub size: u64,
    pub noscan: bool,
}

/// The checkpoint at `step`, where the allocator is in the state `sim`:
/// `Some` when the next step takes a request for a size and pointer kind
/// the run has not asked before.
pub fn question_at(sim: &AllocSim, step: u64) -> Option<Asked> {
    if sim.is_done() {
        return None;
    }
    let next = sim.clone().step();
    let index = next.request.filter(|&i| Some(i) != sim.current_request())?;
    let requests = sim.requests();
    let AllocRequest::Alloc { size, noscan, .. } = *requests.get(index)? else {
        return None;
    };
    let seen = requests[..index].iter().any(|r| {
        matches!(*r, AllocRequest::Alloc { size: s, noscan: n, .. } if (s, n) == (size, noscan))
    });
    if seen {
        return None;
    }
    let plan = plan_alloc(size, noscan);
    let answer = Landing::of(&plan);
    let options = options(size, answer, index);
    let kind = if noscan {
        "without pointers"
    } else {
        "with pointers"
    };
    let question = Question {
        step,
        id: "alloc-size-class",
        prompt: "Which size class does this allocation land in?",
        legend: format!(
            "Predict: the next request is {size} B {kind}. Which size class will it land in?"
        ),
        correct: options
            .iter()
            .position(|o| *o == answer)
            .into_iter()
            .collect(),
        options: options.iter().map(|o| (o.id(), o.label())).collect(),
        multiple: false,
        reveal: format!(
            "It lands in {}. {}",
            match answer {
                Landing::Class(c) => format!("class {c}"),
                Landing::NoClass => "no size class".to_owned(),
            },
            why(&plan)
        ),
        hint: Some("The table above lists every class's slot size."),
    };
    Some(Asked {
        question,
        size,
        noscan,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widgets::allocator::state::Scenario;
    use runtime_model::malloc::AllocEventKind;

    /// Every question of a run, by the step it is asked at.
    fn questions(scenario: Scenario) -> Vec<Question> {
        let mut sim = scenario.sim();
        let mut out = Vec::new();
        while !sim.is_done() {
            out.extend(question_at(&sim, sim.tick()).map(|a| a.question));
            sim.step();
        }
        out
    }

    fn answer(q: &Question) -> &str {
        q.options[q.correct[0]].0.as_str()
    }

    #[test]
    fn the_mixed_run_asks_once_per_new_size_before_mallocgc_takes_it() {
        let qs = questions(Scenario::Mixed);
        let asked: Vec<(&str, &str)> = qs.iter().map(|q| (q.legend.as_str(), answer(q))).collect();
        let sizes = ["4 B", "8 B", "12 B", "8192 B", "100000 B", "6 B"];
        assert_eq!(asked.len(), sizes.len(), "{asked:?}");
        for ((legend, _), size) in asked.iter().zip(sizes) {
            assert!(
                legend.contains(&format!("request is {size} without")),
                "{legend}"
            );
        }
        // Tiny objects land in class 2's blocks; 8 KB in class 51; a large
        // object in none.
        let answers: Vec<&str> = asked.iter().map(|a| a.1).collect();
        assert_eq!(
            answers,
            ["class-2", "class-2", "class-2", "class-51", "no-class", "class-2"]
        );
        for q in &qs {
            assert_eq!(q.correct.len(), 1);
            assert!(q.options.len() >= 5, "{:?}", q.options);
            let right = &q.options[q.correct[0]].1;
            assert!(
                !q.legend.contains(right.as_str()),
                "the legend names no class"
            );
        }
    }

    #[test]
    fn the_answer_is_the_class_the_next_step_takes() {
        for scenario in [
            Scenario::Mixed,
            Scenario::FillSpans {
                size: 640,
                noscan: false,
            },
            Scenario::FillSpans {
                size: 33,
                noscan: true,
            },
            Scenario::FillSpans {
                size: 0,
                noscan: true,
            },
        ] {
            let mut sim = scenario.sim();
            while !sim.is_done() {
                let q = question_at(&sim, sim.tick()).map(|a| a.question);
                let e = sim.step();
                let Some(q) = q else { continue };
                let taken = match e.kind {
                    AllocEventKind::Malloc { plan } => Landing::of(&plan),
                    AllocEventKind::TinyPacked { .. } => Landing::Class(TINY_SIZE_CLASS),
                    AllocEventKind::ZeroBase => Landing::NoClass,
                    other => panic!("asked before {other:?}"),
                };
                assert_eq!(answer(&q), taken.id(), "{}", q.legend);
            }
        }
    }

    #[test]
    fn the_traps_are_explained_by_the_plan() {
        // 640 B with pointers: the header moves it up a class.
        let q = &questions(Scenario::FillSpans {
            size: 640,
            noscan: false,
        })[0];
        let plan = plan_alloc(640, false);
        assert_eq!(answer(q), format!("class-{}", plan.size_class));
        assert!(plan.size_class > size_to_class(640));
        assert!(q.reveal.contains("648 B rounds up"), "{}", q.reveal);
        // Only one question: the run asks about a size once.
        assert_eq!(
            questions(Scenario::FillSpans {
                size: 640,
                noscan: false
            })
            .len(),
            1
        );
        let q = &questions(Scenario::FillSpans {
            size: 4,
            noscan: true,
        })[0];
        assert!(
            q.reveal.contains("Class 1's 8 B slots would hold it"),
            "{}",
            q.reveal
        );
        let q = &questions(Scenario::FillSpans {
            size: 0,
            noscan: true,
        })[0];
        assert_eq!(answer(q), "no-class");
        assert!(q.reveal.contains("zerobase"));
    }

    #[test]
    fn the_options_move_so_their_order_gives_nothing_away() {
        let places: Vec<usize> = (0..3)
            .map(|nth| {
                let opts = options(48, Landing::Class(size_to_class(48)), nth);
                opts.iter()
                    .position(|o| *o == Landing::Class(size_to_class(48)))
                    .unwrap()
            })
            .collect();
        assert_eq!(places, [0, 1, 2]);
        // At the ends of the table the window stays inside it.
        let top = options(100_000, Landing::NoClass, 0);
        assert_eq!(top.first(), Some(&Landing::Class(LAST_CLASS + 1 - WINDOW)));
        assert_eq!(top.last(), Some(&Landing::NoClass));
        let bottom = options(1, Landing::Class(TINY_SIZE_CLASS), 2);
        assert_eq!(bottom[0], Landing::Class(1));
        assert!(bottom.contains(&Landing::Class(TINY_SIZE_CLASS)));
    }
}
