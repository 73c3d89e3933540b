//! Where the small heap's drawing puts each object and how it routes each
//! pointer: plain geometry, no markup, so that a native test can check it.
//!
//! Objects are laid out in layers by their distance from the roots: the
//! roots in a column on the left, then one column per distance. The layout
//! is made once per run, from the whole run, so nothing moves while it is
//! played (an object does not jump when an edge changes): an object's
//! layer is its distance from the roots when it is first reachable, and
//! within a layer objects are ordered by the mean row of everything that
//! ever points to them, which keeps most pointers short and flat.
//!
//! A pointer is drawn straight when the straight line is clear: it passes
//! through no object or root box but its own two ends, and it runs along no
//! pointer already drawn. Otherwise it bends, as a quadratic curve pulled
//! further and further to one side until it is clear. A pointer from an
//! object to itself is a small loop above it.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use runtime_model::gc::heap::{Edge, Holder, ObjectId};

/// The radius of an object's circle.
pub const R: f64 = 19.0;
/// The root boxes' left edge, width and height.
pub const ROOT_X: f64 = 14.0;
pub const ROOT_W: f64 = 92.0;
pub const ROOT_H: f64 = 40.0;
/// The distance between rows, and the first row's centre.
pub const ROW_H: f64 = 80.0;
const ROW_Y0: f64 = 40.0;
/// The first object column's centre and the distance between columns.
const COL_X0: f64 = 190.0;
const COL_W: f64 = 130.0;
/// How far a route keeps from an object it passes (beyond its circle).
const CLEARANCE: f64 = 5.0;
/// The gap between an arrow's tip and its target's circle.
const ARROW_GAP: f64 = 3.0;
/// Points along a curve that the checks and the tests look at.
const CURVE_SAMPLES: usize = 24;
/// How much each further try bends a curve, and how many tries each side.
const BEND_STEP: f64 = 26.0;
const BENDS: usize = 8;

/// The most rows a column has before its layer wraps into another column.
const MAX_ROWS: usize = 8;
/// Room below the last row and right of the last column for the pointers
/// routed there.
const GAP_MARGIN: f64 = 24.0;
/// How many more tracks a pointer along the channels tries.
const CHANNEL_TRIES: usize = 6;
/// The distance between two pointers side by side in a channel.
const TRACK: f64 = 3.5;

/// Object column `c`'s centre.
fn col_x(c: usize) -> f64 {
    COL_X0 + c as f64 * COL_W
}

/// Row `r`'s centre.
fn row_y(r: usize) -> f64 {
    ROW_Y0 + r as f64 * ROW_H
}

/// The middle of the vertical channel left of object column `c` (channel 0
/// runs between the root boxes and the first column).
fn channel_x(c: usize) -> f64 {
    match c {
        0 => (ROOT_X + ROOT_W + COL_X0 - R) / 2.0,
        c => col_x(c) - COL_W / 2.0,
    }
}

/// The middle of the horizontal gap above row `r`.
fn gap_y(r: usize) -> f64 {
    row_y(r) - ROW_H / 2.0
}

/// The `k`th track's offset from a channel's middle: 0, +1, -1, +2, ...
fn track(k: usize) -> f64 {
    let n = k.div_ceil(2) as f64 * TRACK;
    if k % 2 == 1 {
        n
    } else {
        -n
    }
}

/// A pointer's holder as the drawing places it: a root box or an object.
fn root_row(h: Holder) -> Option<usize> {
    match h {
        Holder::Global => Some(0),
        Holder::Stack(g) => Some(g as usize + 1),
        Holder::Object(_) => None,
    }
}

/// The centre of root row `row`.
fn root_centre(row: usize) -> (f64, f64) {
    (ROOT_X + ROOT_W / 2.0, ROW_Y0 + row as f64 * ROW_H)
}

/// Where every object and root of one run sits, computed once per run.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Each object's centre, by id.
    objects: Vec<(f64, f64)>,
    /// Each object's column and row, by id.
    cols: Vec<usize>,
    rows: Vec<usize>,
    /// The first and last step each object is drawn at, by id.
    lifetimes: Vec<(u64, u64)>,
    roots: usize,
    pub width: f64,
    pub height: f64,
}

impl Layout {
    /// The layout of a run whose objects are drawn over the steps in
    /// `lifetimes` (first and last step, by id: every id the run ever
    /// allocates), at the distances from the roots in `first_layers` (see
    /// [`distances`]; `None` for an object no root ever leads to), with
    /// `roots` root boxes (the globals and each stack) and, in `edges`,
    /// every pointer it ever has, as holder and target.
    pub fn new(
        lifetimes: &[(u64, u64)],
        first_layers: &[Option<usize>],
        roots: usize,
        edges: &BTreeSet<(Holder, ObjectId)>,
    ) -> Layout {
        let objects = lifetimes.len();
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); objects];
        for &(h, to) in edges {
            if let Holder::Object(from) = h {
                out[from.0 as usize].push(to.0 as usize);
            }
        }
        let mut layer = first_layers.to_vec();
        layer.resize(objects, None);
        let mut work = VecDeque::new();
        // Objects no root ever leads to come after the reachable ones,
        // layered by distance from the first of them.
        let bfs = |work: &mut VecDeque<usize>, layer: &mut Vec<Option<usize>>| {
            while let Some(i) = work.pop_front() {
                let next = layer[i].unwrap_or(1) + 1;
                for &j in &out[i] {
                    if layer[j].is_none() {
                        layer[j] = Some(next);
                        work.push_back(j);
                    }
                }
            }
        };
        while let Some(first) = layer.iter().position(Option::is_none) {
            let after = layer.iter().flatten().max().copied().unwrap_or(0) + 1;
            layer[first] = Some(after);
            work.push_back(first);
            bfs(&mut work, &mut layer);
        }
        // Rows: each layer in turn, ordered by when the object is first
        // drawn, then by the mean row of what points to it from earlier
        // layers (roots count by their own row). Each takes the first row
        // free for all of its lifetime, so an object swept in an earlier
        // cycle leaves its place to a newer one.
        let layers = layer.iter().flatten().max().copied().unwrap_or(0);
        let mut row: Vec<usize> = vec![0; objects];
        let mut rows_used = roots;
        let mut parents: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
        for l in 1..=layers {
            let mut members: Vec<usize> = (0..objects).filter(|&i| layer[i] == Some(l)).collect();
            parents.clear();
            for &(h, to) in edges {
                let t = to.0 as usize;
                if layer[t] != Some(l) {
                    continue;
                }
                let at = match h {
                    Holder::Object(from) if layer[from.0 as usize] < Some(l) => {
                        Some(row[from.0 as usize] as f64)
                    }
                    Holder::Object(_) => None,
                    _ => root_row(h).map(|r| r as f64),
                };
                if let Some(at) = at {
                    parents.entry(t).or_default().push(at);
                }
            }
            let mean = |i: &usize| {
                parents
                    .get(i)
                    .map_or(f64::MAX, |p| p.iter().sum::<f64>() / p.len() as f64)
            };
            members.sort_by(|a, b| {
                lifetimes[*a]
                    .0
                    .cmp(&lifetimes[*b].0)
                    .then(mean(a).total_cmp(&mean(b)))
                    .then(a.cmp(b))
            });
            // Each row's occupants' lifetimes.
            let mut taken: Vec<Vec<(u64, u64)>> = Vec::new();
            for &i in &members {
                let (a, b) = lifetimes[i];
                let free = |r: &Vec<(u64, u64)>| r.iter().all(|&(c, d)| b < c || d < a);
                let r = match taken.iter().position(free) {
                    Some(r) => r,
                    None => {
                        taken.push(Vec::new());
                        taken.len() - 1
                    }
                };
                taken[r].push((a, b));
                row[i] = r;
            }
            rows_used = rows_used.max(taken.len());
        }
        // A layer taller than MAX_ROWS wraps into further columns.
        let mut first_col = vec![0; layers + 2];
        for l in 1..=layers {
            let tall = (0..objects)
                .filter(|&i| layer[i] == Some(l))
                .map(|i| row[i] + 1)
                .max()
                .unwrap_or(1);
            first_col[l + 1] = first_col[l] + tall.div_ceil(MAX_ROWS);
        }
        let cols: Vec<usize> = (0..objects)
            .map(|i| first_col[layer[i].unwrap_or(1)] + row[i] / MAX_ROWS)
            .collect();
        let rows: Vec<usize> = row.iter().map(|r| r % MAX_ROWS).collect();
        let rows_used = rows_used.min(MAX_ROWS.max(roots));
        let columns = first_col[layers + 1].max(1);
        Layout {
            objects: (0..objects)
                .map(|i| (col_x(cols[i]), row_y(rows[i])))
                .collect(),
            cols,
            rows,
            lifetimes: lifetimes.to_vec(),
            roots,
            width: channel_x(columns) + GAP_MARGIN,
            height: row_y(rows_used) - ROW_H / 2.0 + GAP_MARGIN,
        }
    }

    /// Whether object `id` is drawn at `step`.
    pub fn shown(&self, id: ObjectId, step: u64) -> bool {
        self.lifetimes
            .get(id.0 as usize)
            .is_some_and(|&(a, b)| a <= step && step <= b)
    }

    /// An object's centre.
    pub fn object(&self, id: ObjectId) -> (f64, f64) {
        self.objects[id.0 as usize]
    }

    /// A root box's centre: row 0 is the globals, row g + 1 goroutine g's
    /// stack.
    pub fn root(&self, row: usize) -> (f64, f64) {
        root_centre(row)
    }

    /// Whether a route stays inside the drawing and clear of every object
    /// drawn at `step` and every root box, except the route's own two ends.
    fn clear(&self, points: &[(f64, f64)], step: u64, ends: (Holder, ObjectId)) -> bool {
        let (from, to) = ends;
        let boxes = (0..self.roots)
            .filter(|&r| root_row(from) != Some(r))
            .map(root_centre);
        let circles = (0..self.objects.len() as u32)
            .map(ObjectId)
            .filter(|&i| i != to && from != Holder::Object(i) && self.shown(i, step))
            .map(|i| self.object(i));
        let inside = |&(x, y): &(f64, f64)| {
            (0.0..=self.width).contains(&x) && (0.0..=self.height).contains(&y)
        };
        if !points.iter().all(inside) {
            return false;
        }
        let segments = || points.windows(2).map(|w| (w[0], w[1]));
        for c in circles {
            if segments().any(|(a, b)| segment_point_distance(a, b, c) < R + CLEARANCE) {
                return false;
            }
        }
        for (cx, cy) in boxes {
            let half = (ROOT_W / 2.0 + CLEARANCE, ROOT_H / 2.0 + CLEARANCE);
            if segments().any(|(a, b)| segment_hits_box(a, b, (cx, cy), half)) {
                return false;
            }
        }
        true
    }

    /// Routes the pointers drawn at `step`, in the order given: each the
    /// first of its [candidates](Self::candidates) that is clear and runs
    /// along no pointer routed before it, else along the channels between
    /// rows and columns ([`Self::channels`]), which is always clear.
    pub fn route(&self, edges: &[Edge], step: u64) -> Vec<Route> {
        let mut placed: Vec<Route> = Vec::with_capacity(edges.len());
        let mut used = Channels::default();
        for e in edges {
            let route = self
                .candidates(e)
                .find(|r| {
                    self.clear(&r.points, step, (e.holder, e.to))
                        && placed.iter().all(|p| !overlap(&p.points, &r.points))
                })
                .unwrap_or_else(|| {
                    // Each try takes fresh tracks and a fresh height to
                    // enter at, until one runs along no pointer placed.
                    let mut r = self.channels(e, &mut used);
                    for _ in 0..CHANNEL_TRIES {
                        if placed.iter().all(|p| !overlap(&p.points, &r.points)) {
                            break;
                        }
                        r = self.channels(e, &mut used);
                    }
                    r
                });
            placed.push(route);
        }
        placed
    }

    /// Pointer `e` along the channels: out of its holder to the right, along
    /// the vertical channel there, along the gap between rows next to its
    /// target, down the channel left of the target and into it. Every
    /// pointer in a channel gets a track of its own, and every pointer
    /// leaving or entering an object its own height, so that none runs
    /// along another.
    fn channels(&self, e: &Edge, used: &mut Channels) -> Route {
        let slot_off = track(e.slot as usize + 1) * 2.0;
        let (start, from_channel, from_row) = match e.holder {
            Holder::Object(o) => {
                let (x, y) = self.object(o);
                let dx = (R * R - slot_off * slot_off).sqrt();
                (
                    (x + dx, y + slot_off),
                    self.cols[o.0 as usize] + 1,
                    Some(self.rows[o.0 as usize]),
                )
            }
            h => {
                let (x, y) = root_centre(root_row(h).unwrap_or(0));
                ((x + ROOT_W / 2.0, y + slot_off), 0, None)
            }
        };
        let t = e.to.0 as usize;
        let (tx, ty) = self.object(e.to);
        let entry = used.entries.entry(t).or_default();
        // Halfway between the heights pointers leave at, so that a pointer
        // entering here never runs along one leaving a root box beside it.
        let k = *entry % 6;
        let in_off = (k / 2) as f64 * 2.0 * TRACK + TRACK;
        let in_off = if k % 2 == 0 { in_off } else { -in_off };
        *entry += 1;
        let dx = ((R + ARROW_GAP).powi(2) - in_off * in_off).sqrt();
        let end = (tx - dx, ty + in_off);
        let to_channel = self.cols[t];
        let mut next = |key: (bool, usize)| {
            let k = used.tracks.entry(key).or_default();
            *k += 1;
            track(*k - 1)
        };
        let x1 = channel_x(from_channel) + next((false, from_channel));
        let mut points = vec![start, (x1, start.1)];
        if from_channel == to_channel {
            points.push((x1, end.1));
        } else {
            // The gap above the target, or below it when the pointer comes
            // from below (or the target is on the first row).
            let below = self.rows[t] == 0 || from_row.is_some_and(|r| r > self.rows[t]);
            let gap = self.rows[t] + usize::from(below);
            let gy = gap_y(gap) + next((true, gap));
            let x2 = channel_x(to_channel) + next((false, to_channel));
            points.extend([(x1, gy), (x2, gy), (x2, end.1)]);
        }
        points.push(end);
        let mut d = format!("M {:.1} {:.1}", points[0].0, points[0].1);
        for p in &points[1..] {
            d.push_str(&format!(" L {:.1} {:.1}", p.0, p.1));
        }
        Route { d, points }
    }

    /// Where a pointer from `h` leaves: a root box's right edge, or an
    /// object's centre (trimmed to its circle by the route).
    fn start(&self, h: Holder) -> ((f64, f64), bool) {
        match (h, root_row(h)) {
            (Holder::Object(o), _) => (self.object(o), true),
            (_, Some(row)) => {
                let (x, y) = root_centre(row);
                ((x + ROOT_W / 2.0, y), false)
            }
            _ => unreachable!("a holder is an object or a root"),
        }
    }

    /// The ways to draw pointer `e`, best first: straight, then curves bent
    /// further and further, alternately to each side. A pointer to its own
    /// holder has one way: a loop.
    fn candidates(&self, e: &Edge) -> impl Iterator<Item = Route> + '_ {
        let (from, trim_start) = self.start(e.holder);
        let to = self.object(e.to);
        let self_loop = e.holder == Holder::Object(e.to);
        let bends = (0..=2 * BENDS).map(|k| match k {
            0 => 0.0,
            k if k % 2 == 1 => BEND_STEP * k.div_ceil(2) as f64,
            k => -BEND_STEP * (k / 2) as f64,
        });
        let take = if self_loop { 1 } else { 2 * BENDS + 1 };
        bends.take(take).map(move |bend| {
            if self_loop {
                Route::self_loop(to)
            } else {
                Route::bent(from, to, trim_start, bend)
            }
        })
    }
}

/// Each object's distance from the roots (1 for an object a root points
/// to) over the pointers `edges`, by id; `None` where no root leads.
pub fn distances(edges: &[Edge], objects: usize) -> Vec<Option<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); objects];
    let mut layer: Vec<Option<usize>> = vec![None; objects];
    let mut work = VecDeque::new();
    for e in edges {
        let to = e.to.0 as usize;
        match e.holder {
            Holder::Object(from) => out[from.0 as usize].push(to),
            _ if layer[to].is_none() => {
                layer[to] = Some(1);
                work.push_back(to);
            }
            _ => {}
        }
    }
    while let Some(i) = work.pop_front() {
        for &j in &out[i] {
            if layer[j].is_none() {
                layer[j] = layer[i].map(|d| d + 1);
                work.push_back(j);
            }
        }
    }
    layer
}

/// The tracks taken so far in one step's routing: by channel (horizontal
/// or not, and its index), and by target for the heights pointers enter
/// at.
#[derive(Default)]
struct Channels {
    tracks: BTreeMap<(bool, usize), usize>,
    entries: BTreeMap<usize, usize>,
}

/// One pointer as drawn: an SVG path and the points along it.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// The SVG path's `d`.
    pub d: String,
    /// Points along the path, start to end, for the checks.
    pub points: Vec<(f64, f64)>,
}

impl Route {
    /// From `from` to the circle around `to`, bent `bend` to the left of
    /// the way (straight when 0). With `trim_start`, the route starts on the
    /// circle around `from`.
    fn bent(from: (f64, f64), to: (f64, f64), trim_start: bool, bend: f64) -> Route {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let mid = (from.0 + dx / 2.0, from.1 + dy / 2.0);
        // A quadratic curve with this control point bends `bend` at its
        // middle.
        let ctrl = (mid.0 - dy / len * bend * 2.0, mid.1 + dx / len * bend * 2.0);
        let towards = |p: (f64, f64), q: (f64, f64), by: f64| {
            let (ux, uy) = (q.0 - p.0, q.1 - p.1);
            let l = (ux * ux + uy * uy).sqrt().max(1.0);
            (p.0 + ux / l * by, p.1 + uy / l * by)
        };
        let start = if trim_start {
            towards(from, ctrl, R)
        } else {
            from
        };
        let end = towards(to, ctrl, R + ARROW_GAP);
        if bend == 0.0 {
            return Route {
                d: format!(
                    "M {:.1} {:.1} L {:.1} {:.1}",
                    start.0, start.1, end.0, end.1
                ),
                points: vec![start, end],
            };
        }
        Route {
            d: format!(
                "M {:.1} {:.1} Q {:.1} {:.1} {:.1} {:.1}",
                start.0, start.1, ctrl.0, ctrl.1, end.0, end.1
            ),
            points: quad_points(start, ctrl, end),
        }
    }

    /// A pointer from an object to itself: a loop over its top.
    fn self_loop(c: (f64, f64)) -> Route {
        let a = std::f64::consts::FRAC_PI_4;
        let start = (c.0 - R * a.sin(), c.1 - R * a.cos());
        let end = (
            c.0 + (R + ARROW_GAP) * a.sin(),
            c.1 - (R + ARROW_GAP) * a.cos(),
        );
        let (c1, c2) = ((c.0 - 30.0, c.1 - 48.0), (c.0 + 30.0, c.1 - 48.0));
        let points = (0..=CURVE_SAMPLES)
            .map(|i| {
                let t = i as f64 / CURVE_SAMPLES as f64;
                let u = 1.0 - t;
                let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                (
                    w[0] * start.0 + w[1] * c1.0 + w[2] * c2.0 + w[3] * end.0,
                    w[0] * start.1 + w[1] * c1.1 + w[2] * c2.1 + w[3] * end.1,
                )
            })
            .collect();
        Route {
            d: format!(
                "M {:.1} {:.1} C {:.1} {:.1} {:.1} {:.1} {:.1} {:.1}",
                start.0, start.1, c1.0, c1.1, c2.0, c2.1, end.0, end.1
            ),
            points,
        }
    }
}

/// Points along the quadratic curve from `a` through control `c` to `b`.
fn quad_points(a: (f64, f64), c: (f64, f64), b: (f64, f64)) -> Vec<(f64, f64)> {
    (0..=CURVE_SAMPLES)
        .map(|i| {
            let t = i as f64 / CURVE_SAMPLES as f64;
            let u = 1.0 - t;
            (
                u * u * a.0 + 2.0 * u * t * c.0 + t * t * b.0,
                u * u * a.1 + 2.0 * u * t * c.1 + t * t * b.1,
            )
        })
        .collect()
}

/// The distance from point `p` to the segment `a`–`b`.
pub fn segment_point_distance(a: (f64, f64), b: (f64, f64), p: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let l2 = dx * dx + dy * dy;
    let t = if l2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0)
    };
    let (qx, qy) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - qx).powi(2) + (p.1 - qy).powi(2)).sqrt()
}

/// Whether the segment `a`–`b` enters the box of centre `c` and half sizes
/// `half` (by clipping the segment to the box's slabs).
pub fn segment_hits_box(a: (f64, f64), b: (f64, f64), c: (f64, f64), half: (f64, f64)) -> bool {
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, d, lo, hi) in [
        (a.0, b.0 - a.0, c.0 - half.0, c.0 + half.0),
        (a.1, b.1 - a.1, c.1 - half.1, c.1 + half.1),
    ] {
        if d.abs() < 1e-9 {
            if p < lo || p > hi {
                return false;
            }
        } else {
            let (u, v) = ((lo - p) / d, (hi - p) / d);
            t0 = t0.max(u.min(v));
            t1 = t1.min(u.max(v));
        }
    }
    t0 < t1
}

/// Whether two drawn pointers run along each other for a length: some
/// segment of one lies on (within a pixel and a half of) some segment of
/// the other, nearly parallel, for more than three pixels.
pub fn overlap(p: &[(f64, f64)], q: &[(f64, f64)]) -> bool {
    const NEAR: f64 = 1.5;
    const LENGTH: f64 = 3.0;
    let bbox = |pts: &[(f64, f64)]| {
        pts.iter().fold(
            (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
            |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
        )
    };
    let (a, b) = (bbox(p), bbox(q));
    if a.0 > b.2 + NEAR || b.0 > a.2 + NEAR || a.1 > b.3 + NEAR || b.1 > a.3 + NEAR {
        return false;
    }
    for s in p.windows(2) {
        for t in q.windows(2) {
            let (s, t) = ((s[0], s[1]), (t[0], t[1]));
            if segments_overlap(s, t, NEAR, LENGTH) || segments_overlap(t, s, NEAR, LENGTH) {
                return true;
            }
        }
    }
    false
}

/// Whether segment `t` runs along segment `s`: the part of `t` within
/// `near` of `s`'s line, projected on `s`, is longer than `length`, with
/// the two nearly parallel.
fn segments_overlap(
    s: ((f64, f64), (f64, f64)),
    t: ((f64, f64), (f64, f64)),
    near: f64,
    length: f64,
) -> bool {
    let (sx, sy) = (s.1 .0 - s.0 .0, s.1 .1 - s.0 .1);
    let (tx, ty) = (t.1 .0 - t.0 .0, t.1 .1 - t.0 .1);
    let (ls, lt) = ((sx * sx + sy * sy).sqrt(), (tx * tx + ty * ty).sqrt());
    if ls < length || lt < length {
        return false;
    }
    // Nearly parallel: the sine of the angle between them is small.
    if (sx * ty - sy * tx).abs() / (ls * lt) > 0.05 {
        return false;
    }
    // Both of t's ends near s's line (an infinite line: the projection
    // below bounds the length).
    let off = |p: (f64, f64)| ((p.0 - s.0 .0) * sy - (p.1 - s.0 .1) * sx).abs() / ls;
    if off(t.0) > near || off(t.1) > near {
        return false;
    }
    let along = |p: (f64, f64)| ((p.0 - s.0 .0) * sx + (p.1 - s.0 .1) * sy) / ls;
    let (u, v) = (along(t.0), along(t.1));
    let (lo, hi) = (u.min(v).max(0.0), u.max(v).min(ls));
    hi - lo > length
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widgets::gc_marking::draw::drawn_edges;
    use crate::widgets::gc_marking::MarkRun;
    use runtime_model::gc::barrier::BarrierMode;
    use runtime_model::gc::presets::mark_presets;

    /// What is wrong with the drawing at the run's step `step`: a pointer
    /// outside the drawing, through an object or root box other than its
    /// ends, or two pointers along each other.
    fn faults(run: &MarkRun, layout: &Layout, step: u64) -> Vec<String> {
        let (sim, _) = run.at(step);
        let heap = sim.heap();
        let edges = drawn_edges(heap);
        let routes = layout.route(&edges, step);
        let mut found = Vec::new();
        for (e, r) in edges.iter().zip(&routes) {
            if let Some(p) = r.points.iter().find(|(x, y)| {
                !(0.0..=layout.width).contains(x) || !(0.0..=layout.height).contains(y)
            }) {
                found.push(format!("{e} leaves the drawing at {p:?}"));
            }
            let segments = || r.points.windows(2).map(|w| (w[0], w[1]));
            for o in heap.objects.iter().filter(|o| layout.shown(o.id, step)) {
                let own = o.id == e.to || e.holder == Holder::Object(o.id);
                let c = layout.object(o.id);
                if !own && segments().any(|(a, b)| segment_point_distance(a, b, c) < R) {
                    found.push(format!("{e} passes through {}", o.id));
                }
            }
            for row in 0..=heap.stacks.len() {
                let half = (ROOT_W / 2.0, ROOT_H / 2.0);
                if root_row(e.holder) != Some(row)
                    && segments().any(|(a, b)| segment_hits_box(a, b, layout.root(row), half))
                {
                    found.push(format!("{e} passes through root box {row}"));
                }
            }
        }
        for i in 0..routes.len() {
            for j in 0..i {
                if overlap(&routes[i].points, &routes[j].points) {
                    found.push(format!(
                        "{} runs along {} ({} / {})",
                        edges[i], edges[j], routes[i].d, routes[j].d
                    ));
                }
            }
        }
        found
    }

    #[test]
    fn no_pointer_crosses_an_object_or_runs_along_another_at_any_step() {
        for preset in mark_presets() {
            for barrier in BarrierMode::ALL {
                let run = MarkRun::record(preset.build(barrier, 1));
                let Some(layout) = run.layout() else {
                    assert_eq!(preset.name, "large-random", "only the big heap is a canvas");
                    continue;
                };
                // The drawing is a function of the pointers drawn and the
                // objects shown: a step that changes neither (most steps
                // only recolour) draws what the step before it drew.
                let mut before = None;
                for step in 0..=run.last() {
                    let (sim, _) = run.at(step);
                    let shown: Vec<u32> = (0..sim.heap().objects.len() as u32)
                        .filter(|&i| layout.shown(ObjectId(i), step))
                        .collect();
                    let now = Some((drawn_edges(sim.heap()), shown));
                    if now == before {
                        continue;
                    }
                    before = now;
                    let f = faults(&run, layout, step);
                    assert!(
                        f.is_empty(),
                        "{} {barrier:?} step {step}: {f:?}",
                        preset.name
                    );
                }
            }
        }
    }

    #[test]
    fn the_geometry_checks_catch_what_they_look_for() {
        let line = [(0.0, 0.0), (100.0, 0.0)];
        assert!(segment_point_distance(line[0], line[1], (50.0, 10.0)) < R);
        assert!(segment_point_distance(line[0], line[1], (130.0, 0.0)) > R);
        assert!(overlap(&line, &[(20.0, 0.5), (60.0, 0.5)]));
        assert!(!overlap(&line, &[(20.0, 30.0), (60.0, 30.0)]));
        assert!(
            !overlap(&line, &[(50.0, -50.0), (50.0, 50.0)]),
            "crossing is not overlapping"
        );
        assert!(segment_hits_box(
            (0.0, 0.0),
            (10.0, 10.0),
            (5.0, 5.0),
            (1.0, 1.0)
        ));
        assert!(!segment_hits_box(
            (0.0, 0.0),
            (10.0, 0.0),
            (5.0, 5.0),
            (1.0, 1.0)
        ));
    }

    /// The old grid put every object of hide-pointer on one line, so that
    /// globals → o1 ran behind o0 and o0 → o2 behind o1: the picture read
    /// as the chain globals → o0 → o1 → o2.
    #[test]
    fn hide_pointer_is_laid_out_by_distance_from_the_roots() {
        let run = MarkRun::record(
            runtime_model::gc::presets::mark_preset("hide-pointer")
                .unwrap()
                .build(BarrierMode::None, 1),
        );
        let layout = run.layout().unwrap();
        let x = |i| layout.object(ObjectId(i)).0;
        assert_eq!(x(0), x(1), "o0 and o1 are one pointer from a root");
        assert!(x(2) > x(1), "o2 is two pointers from a root");
        assert_ne!(layout.object(ObjectId(0)), layout.object(ObjectId(1)));
    }
}
