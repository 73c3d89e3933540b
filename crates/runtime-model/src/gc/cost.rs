//! What marking costs: CPU per object visited, per pointer word scanned,
//! per byte of scan work and per span, plus the wall-clock time of
//! following one chain, which no number of mark workers can share.
//!
//! Go 1.27 marks with Green Tea by default (runtime/mgcmark_greenteagc.go):
//! a pointer to a small object sets the object's bit in its span and
//! queues the span (`tryDeferToSpanScan`); a worker later takes the span
//! and scans every object marked in it at once (`scanSpan`), reading only
//! the words the type says hold pointers. Larger objects go through
//! `scanObject`, and pointer-free objects are marked and never scanned.
//! So a heap's marking cost is, to a first approximation, a sum over what
//! it holds: objects, pointer words, bytes of scan work (what `scanSpan`
//! and `scanObject` credit to `heapScanWork`) and spans.
//!
//! The constants are not guessed: the conformance test
//! `tests/conformance/tests/gccost.rs` builds known heap shapes with the
//! pinned Go (the program in the conformance crate's gccost folder),
//! runs each under load and times its concurrent marks under
//! GODEBUG=gctrace=1 (assists and background workers, as a running
//! program marks, not the idle workers of a forced collection), and fits
//! them with [`fit`]; the chain's hop comes from forced collections of a
//! list, where one worker follows it flat out. [`MarkCost::MEASURED`] is
//! one such fit, recorded on the development machine (2 shared cores,
//! GOMAXPROCS=2); another machine gives other figures, which is why the
//! test calibrates afresh each time and checks the pacer with its own fit.
//!
//! What it leaves out: caches (a heap that fits in cache marks faster per
//! object), the order objects were allocated in, contention between
//! workers on the span queue, the size-class rounding of each object, and
//! what the pointers point to (the counts take every pointer word as
//! read, nil or not; a fan-out heap's pointers are all in its array).

use alloc::string::String;
use alloc::vec::Vec;

/// How marking reaches the live objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// The objects are found from an array of pointers (a slice of
    /// pointers, a map's buckets): every mark worker finds work, so
    /// marking shares out over them, and the pointers come in address
    /// order.
    Fanout,
    /// Each object is found through a pointer in another small object (a
    /// tree): the workers still share the work, but a span's objects are
    /// found one at a time, so the span is queued and scanned many times.
    Tree,
    /// One chain (a linked list): each object is found only by scanning
    /// the one before it, so one worker at a time can make progress and
    /// the others find nothing to do.
    List,
}

impl Reach {
    pub const ALL: [Reach; 3] = [Reach::Fanout, Reach::Tree, Reach::List];

    /// The name the CLI and the widget's links use.
    pub fn name(self) -> &'static str {
        match self {
            Reach::Fanout => "fanout",
            Reach::Tree => "tree",
            Reach::List => "list",
        }
    }

    pub fn from_name(name: &str) -> Option<Reach> {
        Reach::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// Mirrors internal/runtime/gc `MinSizeForMallocHeader` on 64-bit
/// (`goarch.PtrSize * goarch.PtrBits`): objects up to this size keep their
/// pointer bits in the span and are scanned a span at a time.
pub const MIN_SIZE_FOR_MALLOC_HEADER: u64 = 8 * 64;
/// runtime/malloc.go `_PageSize` (8 KiB): the model counts one page per
/// span of small objects, as most small size classes have.
pub const SPAN_BYTES: u64 = 8192;
/// Mirrors internal/runtime/gc `MaxSmallSize`: bigger objects get a span
/// each.
pub const MAX_SMALL_SIZE: u64 = 32768;
/// The largest object the model accepts: 1 GiB.
pub const MAX_OBJECT_BYTES: u64 = 1 << 30;

/// The live heap, described by the shape of the objects in it: all the
/// same size, with the same pointer-holding prefix, reached in one way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeapShape {
    /// Bytes of each live object.
    pub object_bytes: u64,
    /// How many of its leading bytes hold pointers (0: pointer-free,
    /// like a `[]byte`'s backing array).
    pub pointer_bytes: u64,
    pub reach: Reach,
}

impl HeapShape {
    /// Checks the shape: what is wrong and what is allowed, if anything.
    pub fn new(object_bytes: u64, pointer_bytes: u64, reach: Reach) -> Result<HeapShape, String> {
        if object_bytes == 0 || object_bytes > MAX_OBJECT_BYTES {
            return Err(alloc::format!(
                "object bytes must be from 1 to {MAX_OBJECT_BYTES} (1 GiB), got {object_bytes}"
            ));
        }
        if pointer_bytes > object_bytes {
            return Err(alloc::format!(
                "pointer bytes must be from 0 to the object's {object_bytes} bytes, got {pointer_bytes}"
            ));
        }
        if pointer_bytes % 8 != 0 {
            return Err(alloc::format!(
                "pointer bytes must be a whole number of 8-byte pointer words, got {pointer_bytes}"
            ));
        }
        let least = match reach {
            Reach::Fanout => 0,
            Reach::List => 8,
            Reach::Tree => 16,
        };
        if pointer_bytes < least {
            return Err(alloc::format!(
                "a {}'s objects hold pointers to the next ones: pointer bytes must be at least {least} for that shape, got {pointer_bytes}",
                reach.name()
            ));
        }
        Ok(HeapShape {
            object_bytes,
            pointer_bytes,
            reach,
        })
    }

    /// Pointer-free 64 KiB chunks: a `[]byte` cache.
    pub const BYTES: HeapShape = HeapShape {
        object_bytes: 64 << 10,
        pointer_bytes: 0,
        reach: Reach::Fanout,
    };

    /// What marking `live` bytes of this shape has to do. A fan-out
    /// heap's objects are found from one array of pointers to them (a
    /// slice's backing array), which `live` includes: each object comes
    /// with its 8-byte slot, and the array is one large object that
    /// `scanObject` reads word by word.
    pub fn counts(&self, live: u64) -> MarkCounts {
        let array = self.reach == Reach::Fanout;
        let each = self.object_bytes + if array { 8 } else { 0 };
        let n = live / each;
        let objects = n as f64;
        let objects_live = n * self.object_bytes;
        let words = (self.pointer_bytes / 8) as f64;
        let scans = self.pointer_bytes > 0;
        // heapScanWork: scanSpan credits a whole slot per object of a
        // span-scanned class, scanObject the bytes up to the last pointer.
        let small = self.object_bytes <= MIN_SIZE_FOR_MALLOC_HEADER && self.object_bytes >= 16;
        let scan_bytes = match (scans, small) {
            (false, _) => 0.0,
            (true, true) => objects * self.object_bytes as f64,
            (true, false) => objects * self.pointer_bytes as f64,
        };
        let spans = match (scans, self.object_bytes <= MAX_SMALL_SIZE) {
            (false, _) => 0.0,
            (true, true) => (objects_live as f64 / SPAN_BYTES as f64).ceil_approx(),
            (true, false) => objects,
        };
        let heap = MarkCounts {
            objects,
            // scanSpan reads a small object's pointer words from the
            // span's bitmap, a span at a time; scanObject walks a larger
            // one's word by word from its header.
            pointer_words: if small { 0.0 } else { objects * words },
            span_pointer_words: if small { objects * words } else { 0.0 },
            scan_bytes,
            spans,
            // In a tree the objects of a span are found one by one, from
            // parents all over the heap, so each span is queued and
            // scanned again and again; a list's next object is usually its
            // neighbour in memory (allocated just before), and a slice
            // marks a span's objects in a row.
            linked_spans: match self.reach {
                Reach::Fanout | Reach::List => 0.0,
                Reach::Tree => spans,
            },
            chain: match self.reach {
                Reach::List => objects,
                Reach::Fanout | Reach::Tree => 0.0,
            },
        };
        if !array || n == 0 {
            return heap;
        }
        heap.plus(&MarkCounts {
            objects: 1.0,
            pointer_words: objects,
            scan_bytes: objects * 8.0,
            spans: 1.0,
            ..MarkCounts::default()
        })
    }
}

trait CeilApprox {
    fn ceil_approx(self) -> f64;
}

impl CeilApprox for f64 {
    /// `ceil` without std: whole numbers stay, anything else rounds up.
    fn ceil_approx(self) -> f64 {
        let t = self as u64 as f64;
        if t < self {
            t + 1.0
        } else {
            t
        }
    }
}

/// What one collection has to do to mark a heap.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MarkCounts {
    /// Objects marked.
    pub objects: f64,
    /// Pointer words read one at a time: those of objects scanned by
    /// `scanObject` (bigger than [`MIN_SIZE_FOR_MALLOC_HEADER`]) and of
    /// the roots.
    pub pointer_words: f64,
    /// Pointer words of small objects, which `scanSpan` reads a span at a
    /// time from the span's pointer bitmap.
    pub span_pointer_words: f64,
    /// Bytes of scan work, as `heapScanWork` counts it.
    pub scan_bytes: f64,
    /// Spans holding objects to scan.
    pub spans: f64,
    /// Spans whose objects are found one at a time through pointers in
    /// other objects (a tree's), rather than together from an array.
    pub linked_spans: f64,
    /// Objects that can only be found one after another.
    pub chain: f64,
}

impl MarkCounts {
    /// These counts plus `other`'s (a heap of two shapes).
    pub fn plus(&self, other: &MarkCounts) -> MarkCounts {
        MarkCounts {
            objects: self.objects + other.objects,
            pointer_words: self.pointer_words + other.pointer_words,
            span_pointer_words: self.span_pointer_words + other.span_pointer_words,
            scan_bytes: self.scan_bytes + other.scan_bytes,
            spans: self.spans + other.spans,
            linked_spans: self.linked_spans + other.linked_spans,
            chain: self.chain + other.chain,
        }
    }

    /// The columns [`fit`] fits: one, objects, pointer words, span
    /// pointer words, scan bytes, spans, linked spans.
    pub fn columns(&self) -> [f64; COLUMNS] {
        [
            1.0,
            self.objects,
            self.pointer_words,
            self.span_pointer_words,
            self.scan_bytes,
            self.spans,
            self.linked_spans,
        ]
    }
}

/// How many coefficients [`fit`] fits.
pub const COLUMNS: usize = 7;

/// The cost of marking, per thing marked, and the two pauses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MarkCost {
    /// CPU ns every mark phase takes whatever the heap (roots, flushing
    /// the per-P caches, `gcMarkDone`'s handshakes).
    pub per_cycle_ns: f64,
    /// CPU ns per object marked.
    pub per_object_ns: f64,
    /// CPU ns per pointer word scanned one at a time (`scanObject`, roots).
    pub per_pointer_word_ns: f64,
    /// CPU ns per pointer word of a small object (`scanSpan`).
    pub per_span_pointer_word_ns: f64,
    /// CPU ns per byte of scan work.
    pub per_scan_byte_ns: f64,
    /// CPU ns per span scanned.
    pub per_span_ns: f64,
    /// CPU ns more per span whose objects are found one at a time.
    pub per_linked_span_ns: f64,
    /// Wall-clock ns per link of a chain: the time from finding one object
    /// to finding the next (a cache miss and a scan), which no second
    /// worker can shorten.
    pub per_hop_ns: f64,
    /// The shortest mark phase, wall-clock ns, however little there is to
    /// mark: the phase ends only after `gcMarkDone` has reached every P,
    /// which waits on the program's goroutines reaching a safe point.
    pub min_mark_ns: f64,
    /// The sweep-termination pause (`gcStart`'s stop-the-world) of a heap
    /// without small objects to scan, ns.
    pub sweep_term_ns: f64,
    /// How much longer that pause is per span of small objects to scan,
    /// ns: with the program allocating flat out, the background sweeper
    /// has not finished, and `finishsweep_m` waits on it with the world
    /// stopped.
    pub sweep_term_per_span_ns: f64,
    /// The mark-termination pause (`gcMarkTermination`), ns.
    pub mark_term_ns: f64,
}

impl MarkCost {
    /// A calibration recorded on the development machine (2 cores shared
    /// with other work, go1.27.3, GOMAXPROCS=2): the CPU coefficients are
    /// the GC-cost conformance test's fit to concurrent marks of its
    /// calibration heaps under load at GOGC=100 (2026-12-02, the second of
    /// its three rounds), the hop time from forced collections of its
    /// list; the pauses and the shortest mark are from a pointer-free heap
    /// under load while the machine was nearly idle (2026-12-01), and the
    /// pause's growth per span from a 64-byte slice allocating flat out at
    /// the same time (sweep-termination pauses of about 2.3 ms over 9,200
    /// spans: with the program allocating flat out the sweeper has not
    /// finished when the next cycle starts), because on a busy machine
    /// they measure the operating system's scheduling more than Go. A
    /// measurement of one machine, not of Go.
    pub const MEASURED: MarkCost = MarkCost {
        per_cycle_ns: 179_666.0,
        per_object_ns: 10.11,
        per_pointer_word_ns: 3.04,
        per_span_pointer_word_ns: 0.19,
        per_scan_byte_ns: 0.0,
        per_span_ns: 325.8,
        per_linked_span_ns: 2_196.2,
        per_hop_ns: 31.5,
        min_mark_ns: 1_000_000.0,
        sweep_term_ns: 150_000.0,
        sweep_term_per_span_ns: 250.0,
        mark_term_ns: 50_000.0,
    };

    /// CPU ns to mark a heap with these counts, all workers together.
    pub fn cpu_ns(&self, c: &MarkCounts) -> f64 {
        let [one, objects, words, span_words, bytes, spans, linked_spans] = c.columns();
        one * self.per_cycle_ns
            + objects * self.per_object_ns
            + words * self.per_pointer_word_ns
            + span_words * self.per_span_pointer_word_ns
            + bytes * self.per_scan_byte_ns
            + spans * self.per_span_ns
            + linked_spans * self.per_linked_span_ns
    }

    /// The sweep-termination pause for a heap with these counts, ns.
    pub fn sweep_term_pause_ns(&self, c: &MarkCounts) -> f64 {
        self.sweep_term_ns + self.sweep_term_per_span_ns * c.spans
    }

    /// The shortest wall-clock time the mark can take however many
    /// workers it has: following the chain, ns.
    pub fn serial_ns(&self, c: &MarkCounts) -> f64 {
        c.chain * self.per_hop_ns
    }

    /// The fitted CPU coefficients in [`MarkCounts::columns`] order.
    pub fn with_coefficients(self, k: [f64; COLUMNS]) -> MarkCost {
        MarkCost {
            per_cycle_ns: k[0],
            per_object_ns: k[1],
            per_pointer_word_ns: k[2],
            per_span_pointer_word_ns: k[3],
            per_scan_byte_ns: k[4],
            per_span_ns: k[5],
            per_linked_span_ns: k[6],
            ..self
        }
    }
}

/// One calibration run: what its heap held and the CPU one collection of
/// it took (gctrace's assist, background and idle mark times), ns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub counts: MarkCounts,
    pub cpu_ns: f64,
}

/// Fits [`MarkCost`]'s CPU coefficients to `samples` by least squares on
/// the relative error (each run weighs the same, big heap or small), with
/// no coefficient below zero: a column whose coefficient comes out
/// negative is dropped (set to 0) and the rest refitted, the simplest
/// active-set method. `None` if the samples cannot determine the
/// remaining columns (fewer runs than columns, or two runs alike).
pub fn fit(samples: &[Sample]) -> Option<[f64; COLUMNS]> {
    let mut active = [true; COLUMNS];
    loop {
        let cols: Vec<usize> = (0..COLUMNS).filter(|&i| active[i]).collect();
        let n = cols.len();
        if n == 0 || samples.len() < n {
            return None;
        }
        // Normal equations of the weighted problem: rows scaled by 1/y.
        let mut a = [[0.0f64; COLUMNS + 1]; COLUMNS];
        for s in samples {
            if s.cpu_ns <= 0.0 {
                continue;
            }
            let x = s.counts.columns();
            let w = 1.0 / s.cpu_ns;
            for (r, &i) in cols.iter().enumerate() {
                for (c, &j) in cols.iter().enumerate() {
                    a[r][c] += x[i] * w * x[j] * w;
                }
                a[r][n] += x[i] * w * s.cpu_ns * w;
            }
        }
        let solved = solve(&mut a, n)?;
        let mut k = [0.0; COLUMNS];
        for (r, &i) in cols.iter().enumerate() {
            k[i] = solved[r];
        }
        match cols
            .iter()
            .copied()
            .filter(|&i| k[i] < 0.0)
            .min_by(|&x, &y| k[x].total_cmp(&k[y]))
        {
            Some(worst) => active[worst] = false,
            None => return Some(k),
        }
    }
}

/// Gaussian elimination with partial pivoting on the `n` x `n+1`
/// augmented matrix in the top-left of `a`, each column scaled to its
/// largest entry first so that counts in the millions and the constant
/// column compare fairly.
fn solve(a: &mut [[f64; COLUMNS + 1]; COLUMNS], n: usize) -> Option<[f64; COLUMNS]> {
    let mut scale = [1.0f64; COLUMNS];
    for (c, s) in scale.iter_mut().enumerate().take(n) {
        let m = (0..n).map(|r| a[r][c].abs()).fold(0.0, f64::max);
        if m == 0.0 {
            return None;
        }
        *s = m;
        for row in a.iter_mut().take(n) {
            row[c] /= m;
        }
    }
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let pivot_row = a[col];
        for (r, row) in a.iter_mut().enumerate().take(n) {
            if r != col {
                let f = row[col] / pivot_row[col];
                for (x, p) in row.iter_mut().zip(pivot_row).take(n + 1).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    let mut x = [0.0; COLUMNS];
    for (i, v) in x.iter_mut().enumerate().take(n) {
        *v = a[i][n] / a[i][i] / scale[i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_shapes_say_what_is_allowed() {
        assert!(HeapShape::new(0, 0, Reach::Fanout)
            .unwrap_err()
            .contains("from 1 to"));
        assert!(HeapShape::new(64, 72, Reach::Fanout)
            .unwrap_err()
            .contains("from 0 to the object's 64 bytes"));
        assert!(HeapShape::new(64, 12, Reach::Fanout)
            .unwrap_err()
            .contains("8-byte pointer words"));
        assert!(HeapShape::new(64, 0, Reach::List)
            .unwrap_err()
            .contains("at least 8"));
        assert!(HeapShape::new(64, 8, Reach::List).is_ok());
    }

    #[test]
    fn counts_follow_green_tea_s_scan_work() {
        let small = HeapShape::new(64, 8, Reach::List).unwrap().counts(64 << 20);
        assert_eq!(small.objects, (1 << 20) as f64);
        assert_eq!(small.span_pointer_words, (1 << 20) as f64);
        assert_eq!(small.pointer_words, 0.0);
        // A span-scanned class credits the whole slot.
        assert_eq!(small.scan_bytes, (64u64 << 20) as f64);
        assert_eq!(small.spans, 8192.0);
        assert_eq!(small.chain, small.objects);
        // Bigger objects credit only their pointer prefix; a fan-out
        // heap's objects come with their slots in one array of pointers.
        let big = HeapShape::new(4096, 16, Reach::List)
            .unwrap()
            .counts(64 << 20);
        assert_eq!(big.scan_bytes, 16.0 * 16384.0);
        assert_eq!(big.pointer_words, 2.0 * 16384.0);
        let fanout = HeapShape::new(4096, 16, Reach::Fanout)
            .unwrap()
            .counts(4104 * 1000);
        assert_eq!(fanout.objects, 1001.0);
        assert_eq!(fanout.pointer_words, 2.0 * 1000.0 + 1000.0);
        assert_eq!(fanout.scan_bytes, 16.0 * 1000.0 + 8.0 * 1000.0);
        assert_eq!(fanout.chain, 0.0);
        // Only the array to scan in a pointer-free heap.
        let bytes = HeapShape::BYTES.counts(64 << 20);
        assert_eq!(bytes.objects, 1023.0 + 1.0);
        assert_eq!(
            (bytes.scan_bytes, bytes.pointer_words, bytes.spans),
            (1023.0 * 8.0, 1023.0, 1.0)
        );
    }

    /// The fit recovers the coefficients that made the samples, and
    /// drops a column that would come out negative.
    #[test]
    fn the_fit_recovers_known_coefficients() {
        let want = [200_000.0, 12.0, 3.0, 0.5, 0.05, 40.0, 30.0];
        let truth = MarkCost::MEASURED.with_coefficients(want);
        let shapes = [
            HeapShape::new(64, 8, Reach::Fanout).unwrap(),
            HeapShape::new(64, 64, Reach::Fanout).unwrap(),
            HeapShape::new(512, 8, Reach::Fanout).unwrap(),
            HeapShape::new(4096, 4096, Reach::Fanout).unwrap(),
            HeapShape::new(65536, 8, Reach::Fanout).unwrap(),
            HeapShape::BYTES,
            HeapShape::new(64, 16, Reach::Tree).unwrap(),
        ];
        let mut samples: Vec<Sample> = shapes
            .iter()
            .map(|s| {
                let counts = s.counts(64 << 20);
                Sample {
                    counts,
                    cpu_ns: truth.cpu_ns(&counts),
                }
            })
            .collect();
        let half = shapes[0].counts(32 << 20);
        samples.push(Sample {
            counts: half,
            cpu_ns: truth.cpu_ns(&half),
        });
        let k = fit(&samples).unwrap();
        for (got, want) in k.iter().zip(want) {
            assert!((got - want).abs() <= want * 1e-6, "{k:?}");
        }
        // A per-span cost that makes things cheaper is refused.
        let skew =
            MarkCost::MEASURED.with_coefficients([200_000.0, 12.0, 3.0, 0.5, 0.05, -40.0, 30.0]);
        for s in &mut samples {
            s.cpu_ns = skew.cpu_ns(&s.counts).max(1.0);
        }
        let k = fit(&samples).unwrap();
        assert_eq!(k[5], 0.0, "{k:?}");
        assert!(k.iter().all(|&c| c >= 0.0));
        assert_eq!(fit(&samples[..2]), None);
    }
}
