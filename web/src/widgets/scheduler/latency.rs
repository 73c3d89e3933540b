//! Scheduler latency: how long each goroutine waited runnable before it
//! ran, the delay `go tool trace` profiles as "scheduler latency". The
//! model notes when a goroutine becomes runnable and, at each `execute`,
//! how long it waited (`G::last_wait`); this module sums those waits up
//! into a histogram, per-goroutine figures and the tail. Plain data, no
//! markup.

use std::collections::BTreeMap;

use runtime_model::sched::{human, GId};

/// One wait: the goroutine, the step whose `execute` ended it, and how long
/// it was runnable, ns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait {
    pub g: GId,
    pub step: u64,
    pub ns: u64,
}

/// The histogram's buckets: upper bounds in ns, each ten times the last;
/// the last bucket is open.
pub const BUCKETS: [u64; 5] = [1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/// A bucket's label: "under 1 µs", "1 µs to 10 µs", ..., "10 ms or more".
pub fn bucket_label(i: usize) -> String {
    match i {
        0 => format!("under {}", human(BUCKETS[0])),
        i if i < BUCKETS.len() => format!("{} to {}", human(BUCKETS[i - 1]), human(BUCKETS[i])),
        _ => format!("{} or more", human(BUCKETS[BUCKETS.len() - 1])),
    }
}

/// The bucket a wait of `ns` falls in.
pub fn bucket(ns: u64) -> usize {
    BUCKETS
        .iter()
        .position(|&b| ns < b)
        .unwrap_or(BUCKETS.len())
}

/// One goroutine's waits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PerG {
    pub waits: u32,
    pub longest: u64,
    pub total: u64,
}

/// The waits up to a step, summed up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Latency {
    /// How many waits fall in each bucket ([`BUCKETS`], then the open one).
    pub histogram: [u32; BUCKETS.len() + 1],
    pub per_g: BTreeMap<GId, PerG>,
    /// Every wait's length, ascending (for the tail).
    sorted: Vec<u64>,
}

impl Latency {
    /// The waits ended by `step` (inclusive).
    pub fn by(waits: &[Wait], step: u64) -> Latency {
        let mut l = Latency::default();
        for w in waits.iter().take_while(|w| w.step <= step) {
            l.histogram[bucket(w.ns)] += 1;
            let g = l.per_g.entry(w.g).or_default();
            g.waits += 1;
            g.longest = g.longest.max(w.ns);
            g.total += w.ns;
            l.sorted.push(w.ns);
        }
        l.sorted.sort_unstable();
        l
    }

    /// How many waits there are.
    pub fn count(&self) -> usize {
        self.sorted.len()
    }

    /// The longest wait, if any.
    pub fn longest(&self) -> Option<u64> {
        self.sorted.last().copied()
    }

    /// The `q`-quantile (0 to 1) of the waits, nearest rank.
    pub fn quantile(&self, q: f64) -> Option<u64> {
        let n = self.sorted.len();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        Some(self.sorted[rank - 1])
    }

    /// The median and the longest wait in words.
    pub fn summary(&self) -> String {
        match (self.quantile(0.5), self.longest()) {
            (Some(only), Some(_)) if self.count() == 1 => {
                format!("1 wait so far, of {}.", human(only))
            }
            (Some(median), Some(longest)) => format!(
                "{} wait{} so far: half of them {} or less, the longest {}.",
                self.count(),
                if self.count() == 1 { "" } else { "s" },
                human(median),
                human(longest)
            ),
            _ => String::from("No goroutine has waited to run yet."),
        }
    }
}

/// How async preemption shortens the tail, from the longest wait of the
/// same scenario with it (`on`) and without it (`off`, asyncpreemptoff=1).
pub fn preemption_tail(on: &Latency, off: &Latency) -> Option<String> {
    let (on_max, off_max) = (on.longest()?, off.longest()?);
    let (on_p90, off_p90) = (on.quantile(0.9)?, off.quantile(0.9)?);
    let verdict = if on_max < off_max {
        format!(
            "async preemption cuts the tail: sysmon stops the hog after {}, so no one waits much longer",
            human(runtime_model::sched::FORCE_PREEMPT_NS)
        )
    } else {
        String::from("here async preemption does not shorten the tail")
    };
    Some(format!(
        "Over the whole run, with async preemption the longest wait is {} (90% of waits {} or less); with \
         GODEBUG=asyncpreemptoff=1 it is {} (90% {} or less): {verdict}.",
        human(on_max),
        human(on_p90),
        human(off_max),
        human(off_p90),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(g: GId, step: u64, ns: u64) -> Wait {
        Wait { g, step, ns }
    }

    #[test]
    fn waits_fall_in_decade_buckets_and_sum_up_per_goroutine() {
        assert_eq!(
            (bucket(0), bucket(999), bucket(1_000), bucket(50_000_000)),
            (0, 0, 1, 5)
        );
        assert_eq!(bucket_label(0), "under 1 µs");
        assert_eq!(bucket_label(2), "10 µs to 100 µs");
        assert_eq!(bucket_label(5), "10 ms or more");
        let waits = [
            w(2, 3, 500),
            w(3, 5, 20_000),
            w(2, 9, 12_000_000),
            w(3, 20, 1),
        ];
        let l = Latency::by(&waits, 9);
        assert_eq!(l.histogram, [1, 0, 1, 0, 0, 1]);
        assert_eq!(
            l.per_g[&2],
            PerG {
                waits: 2,
                longest: 12_000_000,
                total: 12_000_500
            }
        );
        assert_eq!(
            (l.count(), l.longest(), l.quantile(0.5)),
            (3, Some(12_000_000), Some(20_000))
        );
        assert_eq!(
            l.summary(),
            "3 waits so far: half of them 20 µs or less, the longest 12 ms."
        );
        assert_eq!(
            Latency::by(&waits, 0).summary(),
            "No goroutine has waited to run yet."
        );
    }
}
