//! The marking widget's timeline: the whole run at a glance, step by step
//! (one step is the model's unit of work): the collector's phase (off,
//! sweep termination, mark, mark termination, sweep), the grey queue's
//! length as a small area chart, and marks where the write barrier shades
//! an object or the checker finds a broken invariant. Built from the
//! model's events while the run is recorded ([`Builder`]), once per run.

use std::rc::Rc;

use runtime_model::gc::sim::{Event, EventKind, GcSim, Phase};
use yew::prelude::*;

use super::MarkRun;
use crate::kit::strip::{bucket, mark_columns, paths_by_kind, Axis, Block, Draw, Lane, Strip};

/// The whole run, for the strip.
#[derive(Debug, PartialEq)]
pub struct Overview {
    pub axis: Rc<Axis>,
    /// The phase after each step.
    pub phases: Lane<Phase>,
    /// The grey queue's length after each step (index: the step).
    pub grey: Vec<u32>,
    /// The steps where the write barrier shades something.
    pub shades: Vec<u64>,
    /// The steps where the checker finds a broken invariant.
    pub violations: Vec<u64>,
}

/// Builds an [`Overview`] while a run is recorded.
pub struct Builder {
    phases: Lane<Phase>,
    grey: Vec<u32>,
    shades: Vec<u64>,
    violations: Vec<u64>,
}

impl Builder {
    /// Starts from the state at step 0.
    pub fn new(sim: &GcSim) -> Builder {
        let mut phases = Lane::default();
        phases.set(0, sim.phase());
        Builder {
            phases,
            grey: vec![sim.grey_queue().len() as u32],
            shades: Vec::new(),
            violations: Vec::new(),
        }
    }

    /// Notes the state after event `e`.
    pub fn note(&mut self, sim: &GcSim, e: &Event) {
        self.phases.set(e.step, e.phase);
        self.grey.push(sim.grey_queue().len() as u32);
        if matches!(&e.kind, EventKind::Write { shaded, .. } if !shaded.is_empty()) {
            self.shades.push(e.step);
        }
        if !e.violations.is_empty() {
            self.violations.push(e.step);
        }
    }

    pub fn finish(self) -> Overview {
        let last = self.grey.len() as u64 - 1;
        Overview {
            axis: Rc::new(Axis::of_steps(last)),
            phases: self.phases,
            grey: self.grey,
            shades: self.shades,
            violations: self.violations,
        }
    }
}

/// Room for the row names.
const GUTTER: u32 = 40;
/// The marks row, the phase row and the grey queue's chart: top, height.
const MARKS: (f64, f64) = (0.0, 8.0);
const PHASE: (f64, f64) = (9.0, 14.0);
const GREY: (f64, f64) = (25.0, 32.0);
const HEIGHT: u32 = 58;
/// The narrowest a stop-the-world phase is drawn, in columns.
const STW_MIN: u32 = 4;

fn phase_class(p: Phase) -> &'static str {
    match p {
        Phase::Off => "k-off",
        Phase::SweepTermination => "k-sweepterm",
        Phase::Mark => "k-mark",
        Phase::MarkTermination => "k-markterm",
        Phase::Sweep => "k-sweep",
    }
}

const PHASES: [Phase; 5] = [
    Phase::Off,
    Phase::SweepTermination,
    Phase::Mark,
    Phase::MarkTermination,
    Phase::Sweep,
];

impl Overview {
    /// The phase row over `columns` columns: a stop-the-world phase shows
    /// wherever it is, however short.
    pub fn phase_blocks(&self, columns: u32) -> Vec<Block<Phase>> {
        bucket(&self.phases, self.axis.end(), columns, Phase::world_stopped)
    }

    /// The grey queue's length per column: the most it holds during the
    /// column's steps (or, in a column no step starts in, what the step in
    /// force holds).
    pub fn grey_columns(&self, columns: u32) -> Vec<u32> {
        let mut out: Vec<Option<u32>> = vec![None; columns as usize];
        for (s, &g) in self.grey.iter().enumerate() {
            let c = self.axis.column_of(s as u64, columns) as usize;
            out[c] = Some(out[c].map_or(g, |m| m.max(g)));
        }
        (0..columns)
            .map(|c| {
                out[c as usize].unwrap_or_else(|| self.grey[self.axis.step_at(c, columns) as usize])
            })
            .collect()
    }

    /// The most the grey queue ever holds.
    pub fn most_grey(&self) -> u32 {
        self.grey.iter().copied().max().unwrap_or(0)
    }

    fn svg(&self, columns: u32) -> Html {
        let left = f64::from(GUTTER);
        // Off is a thin line through the row, the others fill it; a
        // stop-the-world phase is drawn last and at least STW_MIN wide.
        let (stw, rest): (Vec<_>, Vec<_>) = self
            .phase_blocks(columns)
            .into_iter()
            .partition(|b| b.kind.world_stopped());
        let (off, filled): (Vec<_>, Vec<_>) = rest.into_iter().partition(|b| b.kind == Phase::Off);
        let stw: Vec<Block<Phase>> = stw
            .into_iter()
            .map(|b| {
                let from = b.from.min(columns.saturating_sub(STW_MIN));
                Block {
                    from,
                    to: b.to.max(from + STW_MIN).min(columns),
                    kind: b.kind,
                }
            })
            .collect();
        let mut paths = paths_by_kind(&[(PHASE.0, PHASE.1, filled)], left);
        paths.extend(paths_by_kind(
            &[(PHASE.0 + PHASE.1 / 2.0 - 0.5, 1.0, off)],
            left,
        ));
        paths.extend(paths_by_kind(&[(PHASE.0, PHASE.1, stw)], left));
        let most = f64::from(self.most_grey().max(1));
        let base = GREY.0 + GREY.1;
        let mut area = format!("M{left} {base}");
        for g in self.grey_columns(columns) {
            let y = base - f64::from(g) / most * GREY.1;
            area.push_str(&format!("V{y}h1"));
        }
        area.push_str(&format!("V{base}z"));
        let r = 3.5;
        let mark = |steps: &[u64], shape: fn(f64, f64) -> String| {
            mark_columns(&self.axis, steps.iter().copied(), columns)
                .into_iter()
                .map(|c| shape(left + f64::from(c) + 0.5, r))
                .collect::<String>()
        };
        let shades = mark(&self.shades, |x, r| {
            format!("M{} 0h{}l-{r} {}z", x - r, 2.0 * r, 2.0 * r)
        });
        let broken = mark(&self.violations, |x, r| {
            format!(
                "M{} 0.5h{}v{}h-{}z",
                x - r + 0.5,
                2.0 * r - 1.0,
                2.0 * r - 1.0,
                2.0 * r - 1.0
            )
        });
        html! {
            <g class="gc-strip-body">
                { patterns() }
                { for paths.into_iter().map(|(k, d)| html! { <path class={phase_class(k)} {d} /> }) }
                <path class="grey-area" d={area} />
                <line class="grey-base" x1={left.to_string()} x2={(left + f64::from(columns)).to_string()}
                    y1={base.to_string()} y2={base.to_string()} />
                if !shades.is_empty() { <path class="mark mark-shade" d={shades} /> }
                if !broken.is_empty() { <path class="mark mark-broken" d={broken} /> }
                <text class="strip-label" x="2" y={(MARKS.0 + MARKS.1).to_string()}>{ "marks" }</text>
                <text class="strip-label" x="2" y={(PHASE.0 + PHASE.1 - 3.0).to_string()}>{ "phase" }</text>
                <text class="strip-label" x="2" y={(base - 2.0).to_string()}>{ "grey" }</text>
            </g>
        }
    }
}

fn patterns() -> Html {
    html! {
        <defs>
            <pattern id="gc-strip-mark" patternUnits="userSpaceOnUse" width="6" height="6">
                <rect class="pat-bg mark" width="6" height="6" />
                <path class="pat-ink mark" d="M-1 1l2-2M0 6l6-6M5 7l2-2" />
            </pattern>
            <pattern id="gc-strip-sweep" patternUnits="userSpaceOnUse" width="4" height="4">
                <rect class="pat-bg sweep" width="4" height="4" />
                <rect class="pat-dot sweep" x="1" y="1" width="2" height="2" />
            </pattern>
            <pattern id="gc-strip-markterm" patternUnits="userSpaceOnUse" width="3" height="3">
                <rect class="pat-bg stw" width="3" height="3" />
                <rect class="pat-line stw" y="2" width="3" height="1" />
            </pattern>
        </defs>
    }
}

fn swatch(class: &'static str) -> Html {
    html! {
        <svg class="strip-swatch" viewBox="0 0 18 10" aria-hidden="true">
            { match class {
                "k-off" => html! { <rect class={class} x="0" y="4.5" width="18" height="1" /> },
                "mark-shade" => html! { <path class="mark mark-shade" d="M5.5 1h7l-3.5 7z" /> },
                "mark-broken" => html! { <path class="mark mark-broken" d="M6 2h6v6h-6z" /> },
                "grey-area" => html! { <path class="grey-area" d="M0 10V6h4V3h5V1h4V5h5V10z" /> },
                _ => html! { <rect class={class} width="18" height="10" /> },
            } }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct MarkStripProps {
    pub run: Rc<MarkRun>,
    pub step: u64,
    pub on_seek: Callback<u64>,
}

/// The strip and its legend.
#[function_component(MarkStrip)]
pub fn mark_strip(props: &MarkStripProps) -> Html {
    let run = props.run.clone();
    let draw = use_memo(run.clone(), |run| {
        let run = run.clone();
        Draw(Rc::new(move |columns| run.overview.svg(columns)))
    });
    let o = &run.overview;
    let step = props.step.min(o.axis.last());
    let phase = o.phases.at(step).unwrap_or(Phase::Off);
    let grey = o.grey[step as usize];
    let valuetext = format!(
        "step {step} of {}: {}, {grey} object{} in the grey queue",
        o.axis.last(),
        phase.name(),
        if grey == 1 { "" } else { "s" }
    );
    let help = "The whole run, step by step: the marks row (▼ the barrier shades, ■ the checker finds a broken invariant), \
                the collector's phase, and how many objects wait in the grey queue; the line is this step. \
                Click or drag to go to a step (on the row names: to step 0); focused, ← and → move one column, Page Up and Page Down ten, \
                Home and End to the ends.";
    html! {
        <section class="gc-strip" aria-label="Timeline of the whole run">
            <h3>{ "The whole run" }</h3>
            <Strip id="gc-strip" label="Timeline of the whole run: seek" help={help}
                valuetext={valuetext} axis={o.axis.clone()} {step} height={HEIGHT} gutter={GUTTER}
                draw={(*draw).clone()} on_seek={props.on_seek.clone()} />
            <ul class="strip-legend" aria-label="What the strip shows">
                { for PHASES.iter().map(|&p| html! {
                    <li>{ swatch(phase_class(p)) }{ p.name() }{ if p.world_stopped() { " (world stopped)" } else { "" } }</li>
                }) }
                <li>{ swatch("grey-area") }{ format!("grey queue, up to {} objects", o.most_grey()) }</li>
                <li>{ swatch("mark-shade") }{ "barrier shade" }</li>
                <li>{ swatch("mark-broken") }{ "broken invariant" }</li>
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::gc::barrier::BarrierMode;
    use runtime_model::gc::presets::{mark_preset, mark_presets};

    fn run(heap: &str, barrier: BarrierMode) -> MarkRun {
        MarkRun::record(mark_preset(heap).unwrap().build(barrier, 1))
    }

    #[test]
    fn the_phase_row_and_the_grey_queue_follow_the_models_events() {
        for preset in mark_presets() {
            let run = run(preset.name, BarrierMode::Hybrid);
            let o = &run.overview;
            assert_eq!(o.axis.last(), run.last(), "{}", preset.name);
            for step in 0..=run.last() {
                let (sim, event) = run.at(step);
                let phase = event.as_ref().map_or(sim.phase(), |e| e.phase);
                assert_eq!(
                    o.phases.at(step),
                    Some(phase),
                    "{} step {step}",
                    preset.name
                );
                assert_eq!(o.grey[step as usize] as usize, sim.grey_queue().len());
            }
        }
    }

    #[test]
    fn every_phase_of_a_cycle_shows_in_order_even_when_one_step_long() {
        let run = run("large-random", BarrierMode::Hybrid);
        let o = &run.overview;
        for columns in [120, 320, 900] {
            let blocks = o.phase_blocks(columns);
            assert!(blocks.len() <= columns as usize);
            let mut seen: Vec<Phase> = blocks.iter().map(|b| b.kind).collect();
            seen.dedup();
            let cycle = [
                Phase::SweepTermination,
                Phase::Mark,
                Phase::MarkTermination,
                Phase::Sweep,
            ];
            let at = seen
                .iter()
                .position(|&p| p == Phase::SweepTermination)
                .expect("a cycle starts");
            assert_eq!(&seen[at..at + 4], cycle, "{columns} columns: {seen:?}");
        }
        // The grey queue fills while marking and is empty outside it.
        let grey = o.grey_columns(320);
        assert!(grey.iter().any(|&g| g > 0));
        assert_eq!(grey.iter().copied().max(), Some(o.most_grey()));
        for (s, &g) in o.grey.iter().enumerate() {
            if o.phases.at(s as u64) == Some(Phase::Off) {
                assert_eq!(g, 0, "step {s}");
            }
        }
    }

    #[test]
    fn shades_and_broken_invariants_are_marked_where_they_happen() {
        let kept = run("hide-pointer", BarrierMode::Hybrid);
        let mut at = 0;
        let mut shades = Vec::new();
        while let Some(s) = kept.next_shade(at) {
            shades.push(s);
            at = s;
        }
        assert!(!shades.is_empty());
        assert_eq!(kept.overview.shades, shades);
        assert!(kept.overview.violations.is_empty());
        let lost = run("hide-pointer", BarrierMode::None);
        let found: Vec<u64> = lost.violations.iter().map(|v| v.0).collect();
        let mut steps = found.clone();
        steps.dedup();
        assert!(!steps.is_empty());
        assert_eq!(lost.overview.violations, steps);
    }
}
