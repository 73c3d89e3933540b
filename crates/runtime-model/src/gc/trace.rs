//! `GODEBUG=gctrace=1` lines, printed exactly as runtime/mgc.go
//! `gcMarkTermination` prints them (go1.27), with its helpers `itoaDiv` and
//! `fmtNSAsMS`. The field meanings are documented in runtime/extern.go:
//!
//! ```text
//! gc # @#s #%: #+#+# ms clock, #+#/#/#+# ms cpu, #->#-># MB, # MB goal, # MB stacks, #MB globals, # P
//! ```

use alloc::string::String;
use core::fmt::Write;

/// What one gctrace line reports about one cycle. Times are nanoseconds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GcTrace {
    /// `memstats.numgc`, counting from 1.
    pub numgc: u32,
    /// `work.tSweepTerm - runtimeInitTime`.
    pub start_ns: u64,
    /// `memstats.gc_cpu_fraction`, 0..1.
    pub gc_cpu_fraction: f64,
    /// Wall clock: sweep termination (STW), concurrent mark, mark termination (STW).
    pub clock_ns: [u64; 3],
    /// CPU: STW sweep termination, assist, background (dedicated +
    /// fractional), idle, STW mark termination.
    pub cpu_ns: [u64; 5],
    /// `work.heap0`, `work.heap1`, `work.heap2` in bytes.
    pub heap: [u64; 3],
    /// `gcController.lastHeapGoal`.
    pub goal: u64,
    /// `gcController.lastStackScan`.
    pub stacks: u64,
    /// `gcController.globalsScan`.
    pub globals: u64,
    /// `work.maxprocs`.
    pub procs: u32,
    /// `work.userForced`: the cycle came from runtime.GC().
    pub forced: bool,
}

impl GcTrace {
    /// The line, without its newline. Mirrors runtime/mgc.go
    /// `gcMarkTermination` (go1.27), the `debug.gctrace > 0` block.
    pub fn line(&self) -> String {
        let mut s = String::new();
        let util = (self.gc_cpu_fraction * 100.0) as i64;
        let _ = write!(
            s,
            "gc {} @{}s {}%: ",
            self.numgc,
            itoa_div(self.start_ns / 1_000_000, 3),
            util
        );
        for (i, ns) in self.clock_ns.iter().enumerate() {
            if i != 0 {
                s.push('+');
            }
            s.push_str(&fmt_ns_as_ms(*ns));
        }
        s.push_str(" ms clock, ");
        for (i, ns) in self.cpu_ns.iter().enumerate() {
            // "Separate mark time components with /."
            if i == 2 || i == 3 {
                s.push('/');
            } else if i != 0 {
                s.push('+');
            }
            s.push_str(&fmt_ns_as_ms(*ns));
        }
        let _ = write!(
            s,
            " ms cpu, {}->{}->{} MB, {} MB goal, {} MB stacks, {} MB globals, {} P",
            self.heap[0] >> 20,
            self.heap[1] >> 20,
            self.heap[2] >> 20,
            self.goal >> 20,
            self.stacks >> 20,
            self.globals >> 20,
            self.procs
        );
        if self.forced {
            s.push_str(" (forced)");
        }
        s
    }
}

/// Mirrors runtime/mgc.go `itoaDiv` (go1.27): `val` printed with a decimal
/// point `dec` digits from the right.
pub fn itoa_div(mut val: u64, dec: usize) -> String {
    let mut buf = [0u8; 24];
    let mut i = buf.len() - 1;
    let idec = i as isize - dec as isize;
    while val >= 10 || i as isize >= idec {
        buf[i] = (val % 10) as u8 + b'0';
        i -= 1;
        if i as isize == idec {
            buf[i] = b'.';
            i -= 1;
        }
        val /= 10;
    }
    buf[i] = val as u8 + b'0';
    buf[i..].iter().map(|&b| b as char).collect()
}

/// Mirrors runtime/mgc.go `fmtNSAsMS` (go1.27): whole milliseconds from
/// 10 ms up, else "two digits of precision, with at most three decimal
/// places".
pub fn fmt_ns_as_ms(ns: u64) -> String {
    if ns >= 10_000_000 {
        return itoa_div(ns / 1_000_000, 0);
    }
    let mut x = ns / 1000;
    if x == 0 {
        return String::from("0");
    }
    let mut dec = 3;
    while x >= 100 {
        x /= 10;
        dec -= 1;
    }
    itoa_div(x, dec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_keep_two_significant_digits() {
        assert_eq!(fmt_ns_as_ms(0), "0");
        assert_eq!(fmt_ns_as_ms(999), "0");
        assert_eq!(fmt_ns_as_ms(5_000), "0.005");
        assert_eq!(fmt_ns_as_ms(140_000), "0.14");
        assert_eq!(fmt_ns_as_ms(1_100_000), "1.1");
        assert_eq!(fmt_ns_as_ms(9_990_000), "9.9");
        assert_eq!(fmt_ns_as_ms(12_345_678), "12");
        assert_eq!(itoa_div(0, 3), "0.000");
        assert_eq!(itoa_div(1185, 3), "1.185");
    }

    #[test]
    fn the_line_has_go_s_shape() {
        let t = GcTrace {
            numgc: 1,
            start_ns: 0,
            gc_cpu_fraction: 0.06,
            clock_ns: [140_000, 140_000, 5_000],
            cpu_ns: [280_000, 10_000, 47_000, 130_000, 10_000],
            heap: [4 << 20, 4 << 20, 4 << 20],
            goal: 4 << 20,
            stacks: 0,
            globals: 0,
            procs: 2,
            forced: false,
        };
        assert_eq!(
            t.line(),
            "gc 1 @0.000s 6%: 0.14+0.14+0.005 ms clock, 0.28+0.010/0.047/0.13+0.010 ms cpu, \
             4->4->4 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P"
        );
    }
}
