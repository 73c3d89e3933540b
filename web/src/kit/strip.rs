//! A strip of the whole run at a glance (like `go tool trace`'s timeline):
//! rows of spans over the run's axis, drawn once per run and width as an
//! SVG of a few paths, with a cursor at the current step. Clicking or
//! dragging on it seeks; focused, it is a slider that the arrow keys,
//! Page Up/Down, Home and End move.
//!
//! A widget builds its rows once per run ([`Lane`], from the model's
//! events), says where each step sits on the axis ([`Axis`]), and hands a
//! [`Draw`] that turns them into SVG for a number of pixel columns. The
//! kit buckets spans by pixel column ([`bucket`]), so that a run of
//! millions of steps still draws a bounded number of elements, and merges
//! each kind's rectangles into one path ([`paths_by_kind`]). Only the
//! cursor changes from step to step: the body is a component whose props
//! (the drawing and the width) stay equal, so Yew leaves it alone.

use std::rc::Rc;

use yew::prelude::*;

/// Where each step of a run sits on a strip's axis (virtual time, or the
/// step itself), and where the axis ends.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// `xs[s]`: the position of step `s`, never decreasing; `xs[0]` is 0.
    xs: Vec<u64>,
    end: u64,
}

impl Axis {
    /// An axis with step `s` at `xs[s]` (made non-decreasing), ending at
    /// `end` (at least the last position, and at least 1).
    pub fn new(mut xs: Vec<u64>, end: u64) -> Axis {
        if xs.is_empty() {
            xs.push(0);
        }
        let mut most = 0;
        for x in &mut xs {
            most = most.max(*x);
            *x = most;
        }
        Axis {
            end: end.max(most).max(1),
            xs,
        }
    }

    /// An axis of the steps themselves: step `s` at `s`, each as wide as
    /// the next (the last one too).
    pub fn of_steps(last: u64) -> Axis {
        Axis::new((0..=last).collect(), last + 1)
    }

    /// The last step.
    pub fn last(&self) -> u64 {
        self.xs.len() as u64 - 1
    }

    /// Where the axis ends.
    pub fn end(&self) -> u64 {
        self.end
    }

    /// The position of `step` (the last one's past the end).
    pub fn x(&self, step: u64) -> u64 {
        self.xs[step.min(self.last()) as usize]
    }

    /// The pixel column, of `columns`, that position `x` falls in.
    pub fn column(&self, x: u64, columns: u32) -> u32 {
        let c = u128::from(x) * u128::from(columns) / u128::from(self.end);
        (c as u32).min(columns.saturating_sub(1))
    }

    /// The column of `step`.
    pub fn column_of(&self, step: u64, columns: u32) -> u32 {
        self.column(self.x(step), columns)
    }

    /// The step shown at `column`: the last one that starts at or before
    /// it (step 0 before any).
    pub fn step_at(&self, column: u32, columns: u32) -> u64 {
        let n = self
            .xs
            .partition_point(|&x| self.column(x, columns) <= column);
        n.saturating_sub(1) as u64
    }

    /// The step `n` columns after `step`'s, or further when those show the
    /// same step; the last step past the end.
    pub fn step_after(&self, step: u64, n: u32, columns: u32) -> u64 {
        let mut c = self.column_of(step, columns).saturating_add(n.max(1));
        while c < columns {
            let s = self.step_at(c, columns);
            if s > step {
                return s;
            }
            c += 1;
        }
        self.last()
    }

    /// The step `n` columns before `step`'s (step 0 before the start).
    pub fn step_before(&self, step: u64, n: u32, columns: u32) -> u64 {
        match self.column_of(step, columns).checked_sub(n.max(1)) {
            Some(c) => self.step_at(c, columns).min(step.saturating_sub(1)),
            None => 0,
        }
    }
}

/// One row of a strip: what it shows from each position on, as the points
/// where that changes (ascending, each kind unlike the one before).
#[derive(Clone, Debug, PartialEq)]
pub struct Lane<K> {
    changes: Vec<(u64, K)>,
}

impl<K> Default for Lane<K> {
    fn default() -> Lane<K> {
        Lane {
            changes: Vec::new(),
        }
    }
}

impl<K: Copy + PartialEq> Lane<K> {
    /// From `x` on, the row shows `kind`. A change at the position of the
    /// last one replaces it (the earlier one lasted no time).
    pub fn set(&mut self, x: u64, kind: K) {
        if let Some(&(at, _)) = self.changes.last() {
            if at >= x {
                self.changes.pop();
            }
        }
        if self.changes.last().map(|&(_, k)| k) != Some(kind) {
            self.changes.push((x, kind));
        }
    }

    /// What the row shows at `x`, if it has begun.
    pub fn at(&self, x: u64) -> Option<K> {
        let i = self.changes.partition_point(|&(at, _)| at <= x);
        i.checked_sub(1).map(|i| self.changes[i].1)
    }

    /// The spans up to `end`: (from, to, kind), each longer than nothing.
    pub fn spans(&self, end: u64) -> impl Iterator<Item = (u64, u64, K)> + '_ {
        self.changes
            .iter()
            .enumerate()
            .filter_map(move |(i, &(from, k))| {
                let to = self.changes.get(i + 1).map_or(end, |&(x, _)| x).min(end);
                (to > from).then_some((from, to, k))
            })
    }

    /// How many changes the row has.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Whether the row never shows anything.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// A run of pixel columns that show one kind: `from..to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block<K> {
    pub from: u32,
    pub to: u32,
    pub kind: K,
}

/// The row `lane` over `columns` pixel columns of an axis ending at `end`:
/// each column shows the kind that fills most of it, except that a kind
/// `keep` picks shows wherever it is at all (a stop-the-world phase of one
/// step in a long run, say); equal columns side by side are merged. At
/// most `columns` blocks, whatever the number of spans.
pub fn bucket<K: Copy + PartialEq>(
    lane: &Lane<K>,
    end: u64,
    columns: u32,
    keep: impl Fn(K) -> bool,
) -> Vec<Block<K>> {
    let scale = f64::from(columns) / end.max(1) as f64;
    // Per column: how much of it each kind fills.
    let mut fill: Vec<Vec<(K, f64)>> = vec![Vec::new(); columns as usize];
    for (from, to, kind) in lane.spans(end) {
        let (a, b) = (from as f64 * scale, to as f64 * scale);
        let first = (a.floor() as usize).min(fill.len().saturating_sub(1));
        let last = ((b.ceil() as usize).max(first + 1)).min(fill.len());
        for (c, column) in fill.iter_mut().enumerate().take(last).skip(first) {
            let part = b.min(c as f64 + 1.0) - a.max(c as f64);
            if part <= 0.0 {
                continue;
            }
            match column.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, f)) => *f += part,
                None => column.push((kind, part)),
            }
        }
    }
    let mut blocks: Vec<Block<K>> = Vec::new();
    for (c, column) in fill.iter().enumerate() {
        let best = |kept: bool| {
            column.iter().filter(|(k, _)| !kept || keep(*k)).fold(
                None,
                |best: Option<(K, f64)>, &(k, f)| match best {
                    Some((_, bf)) if bf >= f => best,
                    _ => Some((k, f)),
                },
            )
        };
        let Some((kind, _)) = best(true).or_else(|| best(false)) else {
            continue;
        };
        let c = c as u32;
        match blocks.last_mut() {
            Some(b) if b.kind == kind && b.to == c => b.to = c + 1,
            _ => blocks.push(Block {
                from: c,
                to: c + 1,
                kind,
            }),
        }
    }
    blocks
}

/// The columns, ascending and each once, that the positions `xs` fall in.
pub fn mark_columns(axis: &Axis, xs: impl Iterator<Item = u64>, columns: u32) -> Vec<u32> {
    let mut cols: Vec<u32> = xs.map(|x| axis.column(x, columns)).collect();
    cols.sort_unstable();
    cols.dedup();
    cols
}

/// One SVG path per kind for rows of blocks: each row is (its top, its
/// height, its blocks), drawn from `left`. The kinds come in the order
/// first seen.
pub fn paths_by_kind<K: Copy + PartialEq>(
    rows: &[(f64, f64, Vec<Block<K>>)],
    left: f64,
) -> Vec<(K, String)> {
    let mut paths: Vec<(K, String)> = Vec::new();
    for (top, height, blocks) in rows {
        for b in blocks {
            let d = format!(
                "M{} {top}h{}v{height}h-{}z",
                left + f64::from(b.from),
                b.to - b.from,
                b.to - b.from
            );
            match paths.iter_mut().find(|(k, _)| *k == b.kind) {
                Some((_, path)) => path.push_str(&d),
                None => paths.push((b.kind, d)),
            }
        }
    }
    paths
}

/// The SVG of a strip's body for a number of pixel columns; compared by
/// identity, so that one made once per run keeps the body from redrawing.
#[derive(Clone)]
pub struct Draw(pub Rc<dyn Fn(u32) -> Html>);

impl PartialEq for Draw {
    fn eq(&self, other: &Draw) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct BodyProps {
    draw: Draw,
    columns: u32,
}

/// The strip's body: redrawn only when the drawing or the width changes.
#[function_component(Body)]
fn body(props: &BodyProps) -> Html {
    (props.draw.0)(props.columns)
}

/// Columns drawn before the strip has been measured (at build time, say).
pub const DEFAULT_COLUMNS: u32 = 640;
/// The fewest columns drawn, however narrow the screen.
const MIN_COLUMNS: u32 = 120;

#[derive(Properties, PartialEq)]
pub struct StripProps {
    /// Unique on the page: the description's id is made from it.
    pub id: AttrValue,
    /// The slider's name, e.g. "Timeline of the run".
    pub label: AttrValue,
    /// What the strip shows and how to move on it, shown under it.
    pub help: AttrValue,
    /// What the current step shows, for screen readers.
    pub valuetext: AttrValue,
    pub axis: Rc<Axis>,
    pub step: u64,
    /// The body's height, and the room on its left for row names (SVG
    /// units, which are CSS pixels once measured).
    pub height: u32,
    pub gutter: u32,
    pub draw: Draw,
    /// Seeks the widget to a step.
    pub on_seek: Callback<u64>,
}

/// A seekable strip: the body, a cursor at the current step, pointer and
/// keyboard seeking, and its description. A click on the row names goes
/// to step 0 (the steps at the very start share the first column).
#[function_component(Strip)]
pub fn strip(props: &StripProps) -> Html {
    let node = use_node_ref();
    let columns = use_state_eq(|| DEFAULT_COLUMNS);
    {
        // Draw one column per pixel: measure now and on every resize.
        let (node, columns, gutter) = (node.clone(), columns.clone(), props.gutter);
        use_effect_with((), move |_| {
            let watch = node.cast::<web_sys::Element>().and_then(|el| {
                use wasm_bindgen::{closure::Closure, JsCast};
                let measure = {
                    let el = el.clone();
                    move || {
                        let width = el.client_width().max(0) as u32;
                        if width > 0 {
                            columns.set(width.saturating_sub(gutter).max(MIN_COLUMNS));
                        }
                    }
                };
                measure();
                let on_resize = Closure::<dyn FnMut()>::new(measure);
                let observer =
                    web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                observer.observe(&el);
                Some((observer, on_resize))
            });
            move || {
                if let Some((observer, _)) = watch {
                    observer.disconnect();
                }
            }
        });
    }
    let cols = *columns;
    let (axis, step, last) = (props.axis.clone(), props.step, props.axis.last());
    let onkeydown = {
        let (axis, on_seek) = (axis.clone(), props.on_seek.clone());
        Callback::from(move |e: KeyboardEvent| {
            let page = (cols / 10).max(1);
            let to = match e.key().as_str() {
                "ArrowRight" | "ArrowUp" => axis.step_after(step, 1, cols),
                "ArrowLeft" | "ArrowDown" => axis.step_before(step, 1, cols),
                "PageDown" => axis.step_after(step, page, cols),
                "PageUp" => axis.step_before(step, page, cols),
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            // The widget's own arrow keys step by one; these move a column.
            e.prevent_default();
            e.stop_propagation();
            if to != step {
                on_seek.emit(to);
            }
        })
    };
    let seek_at = {
        let on_seek = props.on_seek.clone();
        let (axis, gutter) = (axis.clone(), props.gutter);
        move |e: &PointerEvent, el: &web_sys::Element| {
            let rect = el.get_bounding_client_rect();
            let total = f64::from(gutter + cols);
            let x = (f64::from(e.client_x()) - rect.left()) * total / rect.width().max(1.0);
            // Left of the rows, on their names: the start of the run.
            let to = if x < f64::from(gutter) {
                0
            } else {
                let column = (x - f64::from(gutter)).min(f64::from(cols - 1));
                axis.step_at(column as u32, cols)
            };
            if to != step {
                on_seek.emit(to);
            }
        }
    };
    let onpointerdown = {
        let (seek_at, node) = (seek_at.clone(), node.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                e.prevent_default();
                let _ = el.set_pointer_capture(e.pointer_id());
                let _ = el.focus();
                seek_at(&e, &el);
            }
        })
    };
    let onpointermove = {
        let node = node.clone();
        Callback::from(move |e: PointerEvent| {
            if e.buttons() & 1 == 0 {
                return;
            }
            if let Some(el) = node.cast::<web_sys::Element>() {
                seek_at(&e, &el);
            }
        })
    };
    let (gutter, height) = (props.gutter, props.height);
    let cursor = f64::from(gutter + axis.column_of(step, cols)) + 0.5;
    let help_id = format!("{}-help", props.id);
    html! {
        <div class="strip">
            <div ref={node} class="strip-frame" id={props.id.clone()} tabindex="0" role="slider"
                aria-label={props.label.clone()} aria-describedby={help_id.clone()}
                aria-valuemin="0" aria-valuemax={last.to_string()} aria-valuenow={step.to_string()}
                aria-valuetext={props.valuetext.clone()} aria-orientation="horizontal"
                {onkeydown} {onpointerdown} {onpointermove}>
                <svg class="strip-svg" aria-hidden="true" width="100%" height={height.to_string()}
                    viewBox={format!("0 0 {} {height}", gutter + cols)} preserveAspectRatio="none">
                    <Body draw={props.draw.clone()} columns={cols} />
                    <line class="strip-cursor-halo" x1={cursor.to_string()} x2={cursor.to_string()}
                        y1="0" y2={height.to_string()} />
                    <line class="strip-cursor" x1={cursor.to_string()} x2={cursor.to_string()}
                        y1="0" y2={height.to_string()} />
                </svg>
            </div>
            <p class="strip-help fine-print" id={help_id}>{ props.help.clone() }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lane_keeps_only_its_changes() {
        let mut lane = Lane::default();
        lane.set(0, 'a');
        lane.set(5, 'a');
        lane.set(10, 'b');
        lane.set(10, 'c'); // b lasted no time
        lane.set(20, 'c');
        lane.set(30, 'a');
        assert_eq!(lane.changes, [(0, 'a'), (10, 'c'), (30, 'a')]);
        assert_eq!(lane.at(9), Some('a'));
        assert_eq!(lane.at(10), Some('c'));
        assert_eq!(
            lane.spans(40).collect::<Vec<_>>(),
            [(0, 10, 'a'), (10, 30, 'c'), (30, 40, 'a')]
        );
        // A change back to the kind before an instant one merges them.
        lane.set(30, 'c');
        assert_eq!(lane.changes, [(0, 'a'), (10, 'c')]);
    }

    #[test]
    fn buckets_merge_spans_and_stay_bounded() {
        // 100,000 spans alternating a (3 units) and b (1 unit).
        let mut lane = Lane::default();
        for i in 0..100_000u64 {
            lane.set(i * 4, 'a');
            lane.set(i * 4 + 3, 'b');
        }
        let blocks = bucket(&lane, 400_000, 300, |_| false);
        assert_eq!(
            blocks,
            [Block {
                from: 0,
                to: 300,
                kind: 'a'
            }],
            "a fills most of every column"
        );
        // Two long spans: column 5 is mostly b's.
        let mut lane = Lane::default();
        lane.set(0, 'a');
        lane.set(54, 'b');
        let blocks = bucket(&lane, 100, 10, |_| false);
        assert_eq!(
            blocks,
            [
                Block {
                    from: 0,
                    to: 5,
                    kind: 'a'
                },
                Block {
                    from: 5,
                    to: 10,
                    kind: 'b'
                }
            ]
        );
        // Whatever the spans, no more blocks than columns.
        let mut lane = Lane::default();
        for i in 0..10_000u64 {
            lane.set(i, if i % 2 == 0 { 'a' } else { 'b' });
        }
        assert!(bucket(&lane, 10_000, 333, |_| false).len() <= 333);
    }

    #[test]
    fn a_kept_kind_shows_however_short() {
        let mut lane = Lane::default();
        lane.set(0, 'm');
        lane.set(1000, 'S');
        lane.set(1001, 'm');
        let blocks = bucket(&lane, 2000, 100, |k| k == 'S');
        assert!(
            blocks.contains(&Block {
                from: 50,
                to: 51,
                kind: 'S'
            }),
            "{blocks:?}"
        );
        assert!(!bucket(&lane, 2000, 100, |_| false)
            .iter()
            .any(|b| b.kind == 'S'));
    }

    #[test]
    fn columns_map_to_steps_and_back() {
        // Steps at times 0, 10, 10, 50, 90; the axis ends at 100.
        let axis = Axis::new(vec![0, 10, 10, 50, 90], 100);
        assert_eq!(axis.last(), 4);
        assert_eq!(axis.column_of(3, 10), 5);
        // Column 1 shows the last step starting in it.
        assert_eq!(axis.step_at(1, 10), 2);
        // Columns 2 to 4 lie inside step 2's span.
        assert_eq!(axis.step_at(3, 10), 2);
        assert_eq!(axis.step_at(9, 10), 4);
        // Moving by columns skips the columns that show the same step.
        assert_eq!(axis.step_after(0, 1, 10), 2);
        assert_eq!(axis.step_after(2, 1, 10), 3);
        assert_eq!(axis.step_after(4, 1, 10), 4);
        assert_eq!(axis.step_before(3, 1, 10), 2);
        assert_eq!(axis.step_before(2, 1, 10), 0);
        assert_eq!(axis.step_before(0, 1, 10), 0);
        // Every step of a short run is reachable by arrows on a wide strip.
        let axis = Axis::of_steps(7);
        let mut s = 0;
        let mut seen = vec![0];
        while s < 7 {
            s = axis.step_after(s, 1, 600);
            seen.push(s);
        }
        assert_eq!(seen, (0..=7).collect::<Vec<_>>());
        // An axis that goes back is made non-decreasing.
        assert_eq!(Axis::new(vec![0, 5, 3], 4).xs, [0, 5, 5]);
    }

    #[test]
    fn each_kind_is_one_path() {
        let rows = vec![
            (
                0.0,
                4.0,
                vec![
                    Block {
                        from: 0,
                        to: 3,
                        kind: 'a',
                    },
                    Block {
                        from: 3,
                        to: 5,
                        kind: 'b',
                    },
                ],
            ),
            (
                5.0,
                4.0,
                vec![Block {
                    from: 1,
                    to: 2,
                    kind: 'a',
                }],
            ),
        ];
        let paths = paths_by_kind(&rows, 10.0);
        assert_eq!(
            paths,
            [
                ('a', "M10 0h3v4h-3zM11 5h1v4h-1z".to_owned()),
                ('b', "M13 0h2v4h-2z".to_owned())
            ]
        );
    }
}
