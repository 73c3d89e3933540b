//! `GODEBUG=schedtrace=X` and `scheddetail=1` lines, as
//! runtime/proc.go `schedtrace` (go1.27) prints them.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use super::types::{GStatus, MState};
use super::Sim;

impl Sim {
    /// Mirrors runtime/proc.go `schedtrace(detailed)` (go1.27). The time is
    /// milliseconds since the first schedtrace event (`starttime`). The
    /// non-detailed form is one line; the detailed form adds `P`, `M` and
    /// `G` lines. Every line ends with a newline.
    pub fn schedtrace(&self, detailed: bool) -> String {
        let start = self.trace_start.unwrap_or(self.now);
        let mut s = format!(
            "SCHED {}ms: gomaxprocs={} idleprocs={} threads={} spinningthreads={} needspinning={} idlethreads={} runqueue={}",
            (self.now - start) / 1_000_000,
            self.gomaxprocs,
            self.npidle(),
            self.ms.len(),
            self.nmspinning,
            u32::from(self.needspinning),
            self.midle.len(),
            self.runq.len(),
        );
        if detailed {
            let _ = writeln!(
                s,
                " gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait={}",
                self.sysmon.sleeping
            );
        }
        let n = self.gomaxprocs as usize;
        for (i, p) in self.ps[..n].iter().enumerate() {
            if detailed {
                let m = p.m.map_or(String::from("nil"), |m| format!("{m}"));
                let _ = writeln!(
                    s,
                    "  P{i}: status={} schedtick={} syscalltick={} m={m} runqsize={} gfreecnt=0 timerslen={}",
                    p.status.code(),
                    p.schedtick,
                    p.syscalltick,
                    p.runqsize(),
                    p.timers.len()
                );
            } else {
                s.push(' ');
                if i == 0 {
                    s.push_str("[ ");
                }
                let _ = write!(s, "{}", p.runqsize());
                if i == n - 1 {
                    s.push_str(" ]");
                }
            }
        }
        if !detailed {
            s.push_str(" schedticks=[ ");
            for p in &self.ps[..n] {
                let _ = write!(s, "{} ", p.schedtick);
            }
            s.push_str("]\n");
            return s;
        }
        // allm is a linked list, newest M first.
        for m in self.ms.iter().rev() {
            let p = m.p.map_or(String::from("nil"), |p| format!("{p}"));
            let curg = m.curg.map_or(String::from("nil"), |g| format!("{g}"));
            let _ = writeln!(
                s,
                "  M{}: p={p} curg={curg} mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning={} blocked={} lockedg=nil",
                m.id,
                m.spinning,
                matches!(m.state, MState::Idle)
            );
        }
        for g in &self.gs {
            let m = g.m.map_or(String::from("nil"), |m| format!("{m}"));
            let code = if g.status == GStatus::Dead {
                6
            } else {
                g.status.code()
            };
            let _ = writeln!(
                s,
                "  G{}: status={code}({}) m={m} lockedm=nil",
                g.goid,
                g.waitreason.as_str()
            );
        }
        s
    }
}
