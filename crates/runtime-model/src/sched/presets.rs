//! Preset scenarios: each teaches one mechanism, written in the scenario
//! text format (see [`super`]) with `$N` standing for its size parameter.

use alloc::string::String;

use super::script::{parse_scenario, Config, ConfigError};

/// A preset: a name for URLs and the CLI, a title, a short explanation, the
/// default size and the scenario text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    pub title: &'static str,
    pub explanation: &'static str,
    /// What `$N` means in this preset, and its default.
    pub n_meaning: &'static str,
    pub default_n: u32,
    pub text: &'static str,
}

impl Preset {
    /// The scenario with `$N` replaced by `n`.
    pub fn config(&self, n: u32) -> Result<Config, ConfigError> {
        let text = self.text.replace("$N", &alloc::format!("{n}"));
        parse_scenario(&text)
    }

    /// The scenario text with `$N` replaced by `n`, for editing.
    pub fn text_for(&self, n: u32) -> String {
        self.text.replace("$N", &alloc::format!("{n}"))
    }
}

/// Looks a preset up by name.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// Every preset, in teaching order.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "spawn-order",
        title: "GOMAXPROCS=1 spawn order",
        explanation: "main starts N goroutines and waits. Each go statement puts the new G in runnext and kicks the previous one to the local queue, so they first run in the order N-1, 0, 1, ..., N-2. Past 256 the local queue overflows to the global queue and the every-61st-schedtick check joins in.",
        n_meaning: "goroutines",
        default_n: 10,
        text: "\
gomaxprocs 1
func worker
  done wg
end
func main
  add wg $N
  go worker $N
  wait wg
end
",
    },
    Preset {
        name: "fan-out",
        title: "Fan-out of CPU-bound work",
        explanation: "main starts N workers that each compute for 3 ms on 4 Ps. wakep starts a spinning M, which steals half of main's queue; each thief wakes another, until every P is busy.",
        n_meaning: "workers",
        default_n: 16,
        text: "\
gomaxprocs 4
func worker
  compute 3ms
  done wg
end
func main
  add wg $N
  go worker $N
  wait wg
end
",
    },
    Preset {
        name: "work-stealing",
        title: "Work stealing from an overloaded P",
        explanation: "One goroutine on P0 spawns N short tasks in a burst while the other Ps are idle. Spinning Ms on the idle Ps steal half of P0's queue at a time (runqgrab, rounded up), in a random order of victims.",
        n_meaning: "tasks",
        default_n: 64,
        text: "\
gomaxprocs 4
func task
  compute 200us
  done wg
end
func main
  add wg $N
  go task $N
  compute 1ms
  wait wg
end
",
    },
    Preset {
        name: "syscall-handoff",
        title: "A blocking syscall and its P handed off",
        explanation: "A goroutine makes a 5 ms syscall while N others wait on its P. entersyscall keeps the P; sysmon's retake sees the syscall outlast a tick and hands the P to another M (handoffp). The second call uses entersyscallblock, which hands off at once. On return, exitsyscall looks for a P.",
        n_meaning: "waiting goroutines",
        default_n: 4,
        text: "\
gomaxprocs 2
func busy
  compute 2ms
  done wg
end
func caller
  syscall 5ms
  compute 500us
  syscallblock 5ms
  compute 500us
  done wg
end
func main
  add wg $N
  add wg 1
  go caller
  go busy $N
  wait wg
end
",
    },
    Preset {
        name: "netpoller",
        title: "A network server parked on the netpoller",
        explanation: "N connection handlers read from sockets that become ready at different times. Parked on the netpoller they hold no M; when idle, an M blocks in netpoll until I/O is ready, and findRunnable or sysmon hands the ready Gs out (injectglist).",
        n_meaning: "connections",
        default_n: 6,
        text: "\
gomaxprocs 2
func conn
  repeat 3
    netread 2ms
    compute 300us
  end
  done wg
end
func main
  add wg $N
  go conn $N
  wait wg
end
",
    },
    Preset {
        name: "preempt",
        title: "A CPU hog preempted by sysmon",
        explanation: "A goroutine computes for 50 ms in a tight loop on the only P while N others wait. Every 10 ms (forcePreemptNS) sysmon signals it (async preemption, Go 1.14+): it goes to the global queue and the others get their turn.",
        n_meaning: "waiting goroutines",
        default_n: 2,
        text: "\
gomaxprocs 1
func hog
  compute 50ms
  done wg
end
func small
  compute 1ms
  done wg
end
func main
  add wg 1
  add wg $N
  go hog
  go small $N
  wait wg
end
",
    },
    Preset {
        name: "preempt-off",
        title: "The same hog with asyncpreemptoff=1",
        explanation: "As before, but with GODEBUG=asyncpreemptoff=1, as before Go 1.14: sysmon can only set the preempt flag, which a loop without function calls never checks. The others wait the whole 50 ms.",
        n_meaning: "waiting goroutines",
        default_n: 2,
        text: "\
gomaxprocs 1
asyncpreemptoff 1
func hog
  compute 50ms
  done wg
end
func small
  compute 1ms
  done wg
end
func main
  add wg 1
  add wg $N
  go hog
  go small $N
  wait wg
end
",
    },
    Preset {
        name: "overflow",
        title: "A local queue overflowing to the global queue",
        explanation: "main starts N goroutines on one P. The 257th finds runq full: runqputslow moves half of it (128) plus the kicked G to the global queue in one batch. They come back via the every-61st-schedtick check and global batches.",
        n_meaning: "goroutines",
        default_n: 300,
        text: "\
gomaxprocs 1
func worker
  compute 10us
  done wg
end
func main
  add wg $N
  go worker $N
  wait wg
end
",
    },
    Preset {
        name: "gomaxprocs",
        title: "Changing GOMAXPROCS during a run",
        explanation: "N workers run on 2 Ps; main then raises GOMAXPROCS to 4 (procresize: new Ps, idle ones get Ms) and later lowers it to 1 (destroyed Ps move their Gs to the global queue).",
        n_meaning: "workers",
        default_n: 8,
        text: "\
gomaxprocs 2
func worker
  repeat 4
    compute 1ms
  end
  done wg
end
func main
  add wg $N
  go worker $N
  sleep 1ms
  gomaxprocs 4
  sleep 1ms
  gomaxprocs 1
  wait wg
end
",
    },
    Preset {
        name: "yield",
        title: "Goroutines yielding in turn",
        explanation: "N goroutines each call runtime.Gosched 1000 times on one P: each yield goes to the global queue and the next comes from the global queue or a global batch.",
        n_meaning: "goroutines",
        default_n: 10,
        text: "\
gomaxprocs 1
func yielder
  repeat 1000
    gosched
  end
  done wg
end
func main
  add wg $N
  go yielder $N
  wait wg
end
",
    },
];
