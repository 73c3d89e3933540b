//! The timeline under the lanes: the whole run at a glance, one row per P
//! over virtual time, as `go tool trace` draws its procs. Each row shows
//! what its P does (runs a goroutine, waits with a goroutine in a
//! syscall, looks for work, or sits idle), each in its own colour and
//! pattern, with marks where a steal, a handoff (sysmon's `retake`,
//! `handoffp`) or a preemption happens. Built from the model's state after
//! each event while the run is recorded ([`Builder`]), once per run.
//!
//! The model leaves the GC out, so no P ever does GC work here.

use std::rc::Rc;

use runtime_model::sched::{human, Event, Highlight, MState, PStatus, Sim, P};
use yew::prelude::*;

use super::run::Run;
use crate::kit::strip::{bucket, mark_columns, paths_by_kind, Axis, Draw, Lane, Strip};

/// What a P does, as its row shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doing {
    /// Its M runs a goroutine's code.
    Runs,
    /// Its M is in a system call with the goroutine, holding the P.
    Syscall,
    /// Its M is in `schedule`/`findRunnable`, looking for work (spinning
    /// or not).
    Looking,
    /// No M: the P is on the idle list.
    Idle,
    /// `_Pdead`: above GOMAXPROCS.
    Unused,
}

impl Doing {
    const ALL: [Doing; 4] = [Doing::Runs, Doing::Syscall, Doing::Looking, Doing::Idle];

    /// What `p` does in `sim`.
    pub fn of(sim: &Sim, p: &P) -> Doing {
        match (p.status, p.m.map(|m| &sim.ms()[m as usize])) {
            (PStatus::Dead, _) => Doing::Unused,
            (PStatus::Idle, _) | (_, None) => Doing::Idle,
            (_, Some(m)) => match m.state {
                MState::Running if m.curg.is_some() => Doing::Runs,
                MState::Syscall => Doing::Syscall,
                _ => Doing::Looking,
            },
        }
    }

    fn class(self) -> &'static str {
        match self {
            Doing::Runs => "k-runs",
            Doing::Syscall => "k-syscall",
            Doing::Looking => "k-looking",
            Doing::Idle => "k-idle",
            Doing::Unused => "k-unused",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Doing::Runs => "runs a goroutine",
            Doing::Syscall => "in a syscall (keeps its P)",
            Doing::Looking => "looks for work",
            Doing::Idle => "idle",
            Doing::Unused => "not in use",
        }
    }
}

/// The marks a row carries: the widget's interesting events.
fn mark_class(h: Highlight) -> &'static str {
    match h {
        Highlight::Steal => "mark-steal",
        Highlight::Handoff => "mark-handoff",
        Highlight::Preemption => "mark-preempt",
    }
}

/// The timeline of one run: where each step sits in virtual time, each
/// P's row, and the marks.
#[derive(Debug, PartialEq)]
pub struct Overview {
    pub axis: Rc<Axis>,
    /// Row `i` is P`i`'s.
    pub rows: Vec<Lane<Doing>>,
    /// Each turning point: the P, its time, what it is.
    pub marks: Vec<(u32, u64, Highlight)>,
}

/// Builds an [`Overview`] while a run is recorded.
pub struct Builder {
    xs: Vec<u64>,
    rows: Vec<Lane<Doing>>,
    marks: Vec<(u32, u64, Highlight)>,
}

impl Builder {
    /// Starts from the state at step 0.
    pub fn new(sim: &Sim) -> Builder {
        let mut b = Builder {
            xs: vec![0],
            rows: Vec::new(),
            marks: Vec::new(),
        };
        b.sample(sim, 0);
        b
    }

    fn sample(&mut self, sim: &Sim, t: u64) {
        if self.rows.len() < sim.ps().len() {
            self.rows.resize_with(sim.ps().len(), Lane::default);
        }
        for (row, p) in self.rows.iter_mut().zip(sim.ps()) {
            row.set(t, Doing::of(sim, p));
        }
    }

    /// Notes the state after event `e` (the state may be a little ahead
    /// of the event within one action; at the same virtual time).
    pub fn note(&mut self, sim: &Sim, e: &Event) {
        let t = e.t_ns.max(*self.xs.last().unwrap_or(&0));
        self.xs.push(t);
        self.sample(sim, t);
        if let (Some(h), Some(p)) = (e.kind.highlight(), e.p) {
            self.marks.push((p, t, h));
        }
    }

    pub fn finish(self) -> Overview {
        let end = *self.xs.last().unwrap_or(&0);
        Overview {
            axis: Rc::new(Axis::new(self.xs, end)),
            rows: self.rows,
            marks: self.marks,
        }
    }
}

/// Rows drawn at most; a bigger GOMAXPROCS draws the first ones and says so.
pub const MAX_ROWS: usize = 64;
/// Room for the row names.
const GUTTER: u32 = 30;

/// Each row's height (px) for `rows` rows.
fn row_height(rows: usize) -> u32 {
    (176 / rows.max(1) as u32).clamp(3, 14)
}

impl Overview {
    fn shown_rows(&self) -> usize {
        self.rows.len().min(MAX_ROWS)
    }

    /// The body's height.
    pub fn height(&self) -> u32 {
        row_height(self.shown_rows()) * self.shown_rows() as u32
    }

    /// The blocks of each drawn row over `columns` columns.
    pub fn blocks(&self, columns: u32) -> Vec<Vec<crate::kit::strip::Block<Doing>>> {
        let end = self.axis.end();
        self.rows
            .iter()
            .take(MAX_ROWS)
            .map(|row| bucket(row, end, columns, |_| false))
            .collect()
    }

    /// The SVG body for `columns` columns: patterns, the rows' paths (one
    /// per kind), the marks (one path per kind) and the row names.
    fn svg(&self, columns: u32) -> Html {
        let rh = row_height(self.shown_rows());
        let (h, gap) = (f64::from(rh), if rh >= 6 { 1.0 } else { 0.0 });
        let (paths, marks) = self.paths(columns);
        let every = (9 / rh.max(1) + 1) as usize;
        html! {
            <g class="sched-strip-body">
                { patterns() }
                { for paths.into_iter().map(|(k, d)| html! { <path class={k.class()} {d} /> }) }
                { for marks.into_iter().map(|(k, d)| html! { <path class={classes!("mark", mark_class(k))} {d} /> }) }
                if rh >= 6 {
                    { for (0..self.shown_rows()).step_by(every).map(|i| html! {
                        <text class="strip-label" x="2" y={(i as f64 * h + h - gap - 1.0).to_string()}>{ format!("P{i}") }</text>
                    }) }
                }
            </g>
        }
    }

    /// The rows' paths (one per kind) and the marks' (one per kind).
    #[allow(clippy::type_complexity)]
    fn paths(&self, columns: u32) -> (Vec<(Doing, String)>, Vec<(Highlight, String)>) {
        let rh = row_height(self.shown_rows());
        let h = f64::from(rh);
        let gap = if rh >= 6 { 1.0 } else { 0.0 };
        let rows: Vec<(f64, f64, _)> = self
            .blocks(columns)
            .into_iter()
            .enumerate()
            .map(|(i, b)| (i as f64 * h, h - gap, b))
            .collect();
        // Idle is a thin line through the row, not a filled block.
        let (idle, filled): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .map(|(top, height, blocks)| {
                let (idle, rest): (Vec<_>, Vec<_>) =
                    blocks.into_iter().partition(|b| b.kind == Doing::Idle);
                ((top + height / 2.0 - 0.5, 1.0, idle), (top, height, rest))
            })
            .unzip();
        let mut paths = paths_by_kind(&filled, f64::from(GUTTER));
        paths.extend(paths_by_kind(&idle, f64::from(GUTTER)));
        let r = (h / 2.0).clamp(1.5, 4.0);
        let mut marks: Vec<(Highlight, String)> = Vec::new();
        for kind in [Highlight::Handoff, Highlight::Preemption, Highlight::Steal] {
            let mut d = String::new();
            for row in 0..self.shown_rows() as u32 {
                let xs = self
                    .marks
                    .iter()
                    .filter(|&&(p, _, k)| p == row && k == kind)
                    .map(|&(_, t, _)| t);
                let top = f64::from(row) * h;
                for c in mark_columns(&self.axis, xs, columns) {
                    let x = f64::from(GUTTER + c) + 0.5;
                    d.push_str(&match kind {
                        // ▼ at the top of the row.
                        Highlight::Handoff => {
                            format!("M{} {top}h{}l-{r} {}z", x - r, 2.0 * r, 2.0 * r)
                        }
                        // ▲ at its bottom.
                        Highlight::Preemption => {
                            format!(
                                "M{} {}h{}l-{r} -{}z",
                                x - r,
                                top + h - gap,
                                2.0 * r,
                                2.0 * r
                            )
                        }
                        // ◆ in its middle.
                        Highlight::Steal => {
                            let cy = top + h / 2.0;
                            format!("M{x} {}l{r} {r}l-{r} {r}l-{r} -{r}z", cy - r)
                        }
                    });
                }
            }
            if !d.is_empty() {
                marks.push((kind, d));
            }
        }
        (paths, marks)
    }

    /// What the Ps do at `step`, in words: "3 run a goroutine, 1 idle".
    pub fn census(&self, step: u64) -> String {
        let x = self.axis.x(step);
        let mut counts: Vec<(Doing, usize)> = Vec::new();
        for row in &self.rows {
            if let Some(k) = row.at(x).filter(|&k| k != Doing::Unused) {
                match counts.iter_mut().find(|(d, _)| *d == k) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((k, 1)),
                }
            }
        }
        counts.sort_by_key(|&(d, _)| Doing::ALL.iter().position(|&a| a == d));
        counts
            .iter()
            .map(|(d, n)| format!("{n} {}", d.words()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The fills that are patterns (colour is never the only cue).
fn patterns() -> Html {
    html! {
        <defs>
            <pattern id="sched-strip-syscall" patternUnits="userSpaceOnUse" width="6" height="6">
                <rect class="pat-bg syscall" width="6" height="6" />
                <path class="pat-ink syscall" d="M-1 1l2-2M0 6l6-6M5 7l2-2" />
            </pattern>
            <pattern id="sched-strip-looking" patternUnits="userSpaceOnUse" width="4" height="4">
                <rect class="pat-bg looking" width="4" height="4" />
                <rect class="pat-dot looking" x="1" y="1" width="2" height="2" />
            </pattern>
        </defs>
    }
}

/// One swatch of the legend.
fn swatch(class: &'static str) -> Html {
    html! {
        <svg class="strip-swatch" viewBox="0 0 18 10" aria-hidden="true">
            if class == "k-idle" {
                <rect class={class} x="0" y="4.5" width="18" height="1" />
            } else if class.starts_with("mark") {
                <path class={classes!("mark", class)} d={match class {
                    "mark-handoff" => "M5 0h8l-4 8z",
                    "mark-preempt" => "M5 10h8l-4-8z",
                    _ => "M9 1l4 4l-4 4l-4-4z",
                }} />
            } else {
                <rect class={class} width="18" height="10" />
            }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct RunStripProps {
    pub run: Rc<Run>,
    pub step: u64,
    pub on_seek: Callback<u64>,
}

/// The strip, its legend and what it leaves out.
#[function_component(RunStrip)]
pub fn run_strip(props: &RunStripProps) -> Html {
    let run = props.run.clone();
    let draw = use_memo(run.clone(), |run| {
        let run = run.clone();
        Draw(Rc::new(move |columns| run.overview.svg(columns)))
    });
    let o = &run.overview;
    let step = props.step;
    let valuetext = format!(
        "step {step} of {}, {}: {}",
        run.last,
        human(o.axis.x(step)),
        o.census(step)
    );
    let more = o.rows.len().saturating_sub(MAX_ROWS);
    let help = format!(
        "The whole run, one row per P over virtual time (0 to {}), as go tool trace shows procs; the line is this step. \
         Click or drag to go to a moment (on the row names: to step 0); focused, ← and → move one column, Page Up and Page Down ten, Home and End to the ends.{}",
        human(o.axis.end()),
        if more > 0 { format!(" Only P0 to P{} are drawn; {more} more are not.", MAX_ROWS - 1) } else { String::new() }
    );
    html! {
        <section class="sched-strip" aria-label="Timeline of the whole run">
            <h3>{ "The whole run" }</h3>
            <Strip id="sched-strip" label="Timeline of the whole run: seek" help={help}
                valuetext={valuetext} axis={o.axis.clone()} {step} height={o.height()} gutter={GUTTER}
                draw={(*draw).clone()} on_seek={props.on_seek.clone()} />
            <ul class="strip-legend" aria-label="What the strip shows">
                { for Doing::ALL.iter().map(|d| html! { <li>{ swatch(d.class()) }{ d.words() }</li> }) }
                <li>{ swatch("mark-steal") }{ "steal" }</li>
                <li>{ swatch("mark-handoff") }{ "handoff (retake, handoffp)" }</li>
                <li>{ swatch("mark-preempt") }{ "preemption" }</li>
            </ul>
            <p class="fine-print">{ "The model leaves the GC out, so no P does GC work here." }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::super::state::Params;
    use super::*;
    use crate::kit::query::decode;
    use runtime_model::sched::EventKind;

    fn record(query: &str) -> Run {
        Run::record(decode::<Params>(query).params.config().unwrap()).unwrap()
    }

    #[test]
    fn each_row_shows_what_its_p_does_at_each_settled_step() {
        for query in [
            "preset=syscall-handoff",
            "preset=work-stealing&gomaxprocs=3",
            "preset=gomaxprocs",
        ] {
            let run = record(query);
            let o = &run.overview;
            assert_eq!(o.axis.last(), run.last, "{query}");
            let mut checked = 0;
            for step in 0..=run.last {
                // The state at a step's time, where no later step has the
                // same time (several events of one action share it).
                let t = o.axis.x(step);
                if step < run.last && o.axis.x(step + 1) == t {
                    continue;
                }
                let sim = run.frame(step);
                for p in sim.ps() {
                    assert_eq!(
                        o.rows[p.id as usize].at(t),
                        Some(Doing::of(&sim, p)),
                        "{query} step {step} P{}",
                        p.id
                    );
                }
                checked += 1;
            }
            assert!(checked > 10, "{query}: {checked}");
        }
    }

    #[test]
    fn a_syscall_handoff_shows_a_syscall_and_a_handoff_mark() {
        let run = record("preset=syscall-handoff");
        let o = &run.overview;
        let syscall = o
            .rows
            .iter()
            .any(|r| r.spans(o.axis.end()).any(|(_, _, k)| k == Doing::Syscall));
        assert!(syscall);
        let handoffs = run.marks(Some(Highlight::Handoff), None);
        let marked: Vec<u64> = o
            .marks
            .iter()
            .filter(|m| m.2 == Highlight::Handoff)
            .map(|m| m.1)
            .collect();
        assert_eq!(marked.len(), handoffs.len());
        for (s, t) in handoffs.iter().zip(&marked) {
            assert_eq!(o.axis.x(*s), *t);
            assert!(matches!(
                run.events[*s as usize - 1].kind,
                EventKind::Retake { .. }
                    | EventKind::Handoffp { .. }
                    | EventKind::Entersyscallblock { .. }
            ));
        }
    }

    #[test]
    fn a_long_run_draws_a_bounded_number_of_elements() {
        let scenario = "gomaxprocs 16\nfunc worker\n  repeat 200\n    compute 20us\n    gosched\n  end\n  done wg\nend\nfunc main\n  add wg 200\n  go worker 200\n  wait wg\nend\n";
        let config = runtime_model::sched::parse_scenario(scenario).unwrap();
        let run = Run::record(config).unwrap();
        let o = &run.overview;
        let changes: usize = o.rows.iter().map(Lane::len).sum();
        assert!(changes > 10_000, "{changes}");
        for columns in [120, 320, 1200] {
            let blocks: usize = o.blocks(columns).iter().map(Vec::len).sum();
            assert!(blocks <= 16 * columns as usize, "{columns}: {blocks}");
            // Mostly running: few blocks.
            assert!(blocks < 16 * 40, "{columns}: {blocks}");
        }
        // Each kind is one path: a handful of elements.
        let (paths, marks) = o.paths(320);
        assert!(paths.len() <= Doing::ALL.len() + 1 && marks.len() <= 3);
        assert!(paths.iter().any(|(k, _)| *k == Doing::Runs));
    }

    #[test]
    fn the_census_counts_every_p_in_use() {
        let run = record("preset=work-stealing&gomaxprocs=4");
        let text = run.overview.census(run.last / 2);
        let total: usize = text
            .split(", ")
            .map(|part| part.split(' ').next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(total, 4, "{text}");
    }
}
