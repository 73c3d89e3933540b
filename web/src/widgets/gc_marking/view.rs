//! The marking widget's views in words: the phase banner, the narration of
//! the last step, the invariant violations, the legends and the heap as a
//! list.

use runtime_model::gc::barrier::BarrierMode;
use runtime_model::gc::sim::{Event as GcEvent, GcSim};
use yew::prelude::*;

use super::draw::SimAt;
use crate::kit::link::go_function;

/// How the barrier menu names each barrier.
pub fn barrier_label(b: BarrierMode) -> &'static str {
    match b {
        BarrierMode::Hybrid => "Go's hybrid barrier (shade old and new)",
        BarrierMode::Dijkstra => "Dijkstra insertion (shade new; re-scan stacks)",
        BarrierMode::Yuasa => "Yuasa deletion (shade old)",
        BarrierMode::None => "No barrier",
    }
}

/// The grey queue in words: every object while there are few, else the
/// count and the last 16 pushed.
fn queue_text(sim: &GcSim) -> String {
    let names = |objects: &[_]| {
        objects
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    match sim.grey_queue() {
        [] => "empty".to_owned(),
        queue if queue.len() <= 16 => names(queue),
        queue => format!(
            "{} objects; the last 16 pushed: {}",
            queue.len(),
            names(&queue[queue.len() - 16..])
        ),
    }
}

/// The write barrier's state, from the phase and the run's barrier: on
/// only while marking, and never in a run with no barrier.
pub fn barrier_status(sim: &GcSim) -> String {
    match (sim.config().barrier, sim.phase().barrier_on()) {
        (BarrierMode::None, true) => "no write barrier: this run has none".to_owned(),
        (BarrierMode::None, false) => "no write barrier (this run has none)".to_owned(),
        (b, true) => format!("{} write barrier ON", b.name()),
        (b, false) => format!("{} write barrier off until the next mark", b.name()),
    }
}

/// The phase, whether the world is stopped and the barrier on, the cycle
/// and the grey queue.
pub fn phase_banner(sim: &GcSim) -> Html {
    let phase = sim.phase();
    html! {
        <p class={classes!("phase-banner", phase.world_stopped().then_some("stopped"))}>
            <strong>{ format!("Phase: {}", phase.name()) }</strong>
            { if phase.world_stopped() { " · ■ the world is stopped" } else { " · ▶ goroutines run" } }
            { format!(" · {}", barrier_status(sim)) }
            { format!(" · cycle {} · grey queue: {}", sim.cycle(), queue_text(sim)) }
        </p>
    }
}

/// What the last step did, with a link to the Go function it models.
/// Silent to screen readers while playing (`live` off), so that playback
/// does not flood them.
pub fn narration(current: Option<&GcEvent>, live: bool) -> Html {
    html! {
        <p class="narration" aria-live={if live { "polite" } else { "off" }}>
            { match current {
                None => html! { { "Step 0: the heap before the cycle. Press Play or Step (→)." } },
                Some(e) => html! {
                    <>
                        <strong>{ format!("Step {}: ", e.step) }</strong>{ e.sentence.clone() }{ " " }
                        { go_function(e.go_function, Some(e.go_file)) }
                    </>
                },
            } }
        </p>
    }
}

/// The invariant violations found so far, newest first, each with the
/// step it appeared at, so they stay on screen after the cycle moves on.
pub fn violations(broken: &[(u64, String)]) -> Html {
    if broken.is_empty() {
        return Html::default();
    }
    html! {
        <div class="notice" role="alert">
            <strong>{ "Tricolor invariant broken: " }</strong>
            { for broken.iter().map(|(at, text)| html! { <span>{ format!("step {at}: {text} ") }</span> }) }
        </div>
    }
}

/// The legend of the SVG graph.
pub fn graph_legend() -> Html {
    html! {
        <p class="legend">
            <span class="swatch white">{ "W" }</span>{ " white: not reached yet " }
            <span class="swatch grey">{ "G" }</span>{ " grey: reached, not scanned " }
            <span class="swatch black">{ "B" }</span>{ " black: scanned " }
            <span class="swatch freed">{ "✕" }</span>{ " freed by sweep · ✓ root scanned · thick outline: touched by this step" }
        </p>
    }
}

/// The legend of the canvas, where shape says the colour.
pub fn canvas_legend() -> Html {
    html! {
        <p class="legend">
            { "Shape says the colour too: ● circle, white: not reached yet · ◆ diamond, grey: reached, not scanned · \
               ■ square, black: scanned · ✕ freed by sweep · \
               ✓ root scanned · ring: touched by this step (a thick ring: freed while still reachable). \
               A heap this big is drawn on a canvas, without names or arrowheads; \"The heap in words\" lists every object and pointer." }
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct ObjectListProps {
    pub sim: SimAt,
}

/// The heap in words, for screen readers and for anyone who prefers a list.
/// It is built only while open: a big heap has thousands of entries.
#[function_component(ObjectList)]
pub fn object_list(props: &ObjectListProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            if let Some(d) = e.target_dyn_into::<web_sys::HtmlDetailsElement>() {
                open.set(d.open());
            }
        })
    };
    html! {
        <details class="object-list" {ontoggle}>
            <summary>{ "The heap in words" }</summary>
            if *open {
                <ul>{ for object_entries(&props.sim.0).into_iter().map(|t| html! { <li>{ t }</li> }) }</ul>
            }
        </details>
    }
}

/// One line per object: its colour (or how it was freed) and what it
/// points to.
fn object_entries(sim: &GcSim) -> Vec<String> {
    let heap = sim.heap();
    heap.objects
        .iter()
        .map(|o| {
            let targets: Vec<String> = heap
                .slots(o.id)
                .iter()
                .flatten()
                .map(|t| t.to_string())
                .collect();
            let state = if o.freed_while_reachable {
                "freed while still reachable (lost)".to_owned()
            } else if o.freed {
                "freed by sweep".to_owned()
            } else {
                heap.color(o.id).name().to_owned()
            };
            format!(
                "{}: {state}; points to {}",
                o.id,
                if targets.is_empty() {
                    "nothing".to_owned()
                } else {
                    targets.join(", ")
                }
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::gc::presets::mark_presets;
    use runtime_model::gc::sim::Phase;

    /// With "No barrier" picked, the banner said "write barrier ON" while
    /// marking; now every step's banner and narration agree with the pick.
    #[test]
    fn the_barrier_label_follows_the_run_s_barrier_and_phase() {
        for preset in mark_presets().iter().filter(|p| !p.random_mutator) {
            for barrier in BarrierMode::ALL {
                let mut sim = preset.build(barrier, 1);
                let mut seen_on = false;
                loop {
                    let status = barrier_status(&sim);
                    let marking = sim.phase().barrier_on();
                    if barrier == BarrierMode::None {
                        assert!(!status.contains("ON"), "{status}");
                        assert!(status.contains("this run has none"), "{status}");
                    } else {
                        assert!(status.starts_with(barrier.name()), "{status}");
                        assert_eq!(status.contains("ON"), marking, "{status}");
                        seen_on |= marking;
                    }
                    let Some(e) = sim.step() else { break };
                    if barrier == BarrierMode::None {
                        assert!(
                            !e.sentence.contains("with the write barrier on")
                                && !e.sentence.contains("turns the write barrier"),
                            "{}: {}",
                            preset.name,
                            e.sentence
                        );
                    }
                }
                assert!(barrier == BarrierMode::None || seen_on, "{}", preset.name);
            }
        }
        assert!(
            Phase::Mark.barrier_on(),
            "the phase alone still says Go's barrier is on"
        );
    }
}
