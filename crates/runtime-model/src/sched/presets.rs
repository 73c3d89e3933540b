//! Preset scenarios: each teaches one mechanism, written in the scenario
//! text format (see [`super`]) with `$N` standing for its size parameter.

use alloc::format;
use alloc::string::String;

use super::script::{parse_scenario, Config, ConfigError};
use super::types::RUNQ_LEN;

/// A preset: a name for URLs and the CLI, a title, the default size and
/// the scenario text; [`Preset::describe`] explains it for the settings
/// in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    pub title: &'static str,
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

    /// What the preset shows, in words that follow the settings in force:
    /// its size `n`, the GOMAXPROCS it starts with and whether async
    /// preemption is off. Every number in it is one of these, one derived
    /// from them, or a constant of the scenario or of the runtime.
    pub fn describe(&self, n: u32, gomaxprocs: u32, asyncpreemptoff: bool) -> String {
        let p = gomaxprocs;
        let on_ps = if p == 1 {
            String::from("on the only P")
        } else {
            format!("on {p} Ps")
        };
        let many = |n: u32, one: &str, more: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {more}")
            }
        };
        match self.name {
            "spawn-order" => {
                let gs = many(n, "goroutine", "goroutines");
                let order = match n {
                    1 => String::from("so the one goroutine simply runs"),
                    2 => String::from("so they first run in the order 1, 0"),
                    3 => String::from("so they first run in the order 2, 0, 1"),
                    _ => format!(
                        "so they first run in the order {}, 0, 1, …, {}",
                        n - 1,
                        n - 2
                    ),
                };
                // runnext holds one and the local queue RUNQ_LEN; the go
                // statement after those finds the queue full.
                let fills = RUNQ_LEN + 2;
                let overflow = if n >= fills {
                    format!(
                        " With {n} of them, go statement {fills} finds the local queue full: it overflows to \
                         the global queue, and the every-61st-schedtick check joins in."
                    )
                } else {
                    format!(" From {fills} of them on, the local queue would overflow to the global queue.")
                };
                if p == 1 {
                    format!(
                        "main starts {gs} {on_ps} and waits. Each go statement puts the new G in runnext and \
                         kicks the previous one to the local queue, {order}.{overflow}"
                    )
                } else {
                    format!(
                        "main starts {gs} {on_ps} and waits. Each go statement puts the new G in runnext and \
                         kicks the previous one to the local queue; the other Ps steal some of them, so the \
                         clean one-P order (the last first, then the rest in order) mixes. Set GOMAXPROCS to 1 \
                         to see it."
                    )
                }
            }
            "fan-out" => {
                let workers = many(n, "worker that computes", "workers that each compute");
                if p == 1 {
                    format!(
                        "main starts {workers} for 3 ms {on_ps}. There is no idle P to wake a thread for, so \
                         nothing is stolen: the workers run one after another."
                    )
                } else {
                    format!(
                        "main starts {workers} for 3 ms {on_ps}. wakep starts a spinning M, which steals half \
                         of main's queue; each thief wakes another, until every P is busy or no work is left."
                    )
                }
            }
            "work-stealing" => {
                let tasks = many(n, "short task", "short tasks");
                if p == 1 {
                    format!(
                        "One goroutine on P0 spawns {tasks} in a burst. With GOMAXPROCS at 1 there is no other \
                         P to steal them: P0 runs them all, in queue order."
                    )
                } else {
                    format!(
                        "One goroutine on P0 spawns {tasks} in a burst while the other {} idle. Spinning Ms on \
                         the idle Ps steal half of P0's queue at a time (runqgrab, rounded up), in a random \
                         order of victims.",
                        if p == 2 {
                            String::from("P (of 2 Ps) is")
                        } else {
                            format!("{} of the {p} Ps are", p - 1)
                        }
                    )
                }
            }
            "syscall-handoff" => format!(
                "A goroutine makes a 5 ms syscall while {} {on_ps}. entersyscall keeps the P; sysmon's \
                 retake sees the syscall outlast a tick and hands the P to another M (handoffp). The second \
                 call uses entersyscallblock, which hands off at once. On return, exitsyscall looks for a P.",
                many(n, "other goroutine waits", "others wait"),
            ),
            "netpoller" => format!(
                "{} from sockets that become ready at different times, {on_ps}. Parked on the netpoller they \
                 hold no M; when idle, an M blocks in netpoll until I/O is ready, and findRunnable or sysmon \
                 hands the ready Gs out (injectglist).",
                many(n, "connection handler reads", "connection handlers read"),
            ),
            "preempt" | "preempt-off" => {
                let others = many(n, "other waits", "others wait");
                let where_ = if p == 1 {
                    format!("on the only P while {others}")
                } else {
                    format!(
                        "{on_ps} while {others}; the other Ps run them meanwhile, so the hog delays \
                         no one much (set GOMAXPROCS to 1 to see preemption matter)"
                    )
                };
                let stops = if asyncpreemptoff {
                    format!(
                        "With GODEBUG=asyncpreemptoff=1, as before Go 1.14, sysmon can only set the preempt \
                         flag every 10 ms (forcePreemptNS), which a loop without function calls never checks{}.",
                        if p == 1 { ": the others wait the whole 50 ms" } else { "" }
                    )
                } else {
                    String::from(
                        "Every 10 ms (forcePreemptNS) sysmon signals it (async preemption, Go 1.14+): it goes \
                         to the global queue and the others get their turn.",
                    )
                };
                format!("A goroutine computes for 50 ms in a tight loop {where_}. {stops}")
            }
            "overflow" => {
                let gs = many(n, "goroutine", "goroutines");
                // runnext holds one, the local queue RUNQ_LEN: the go
                // statement after those finds the queue full.
                let fills = RUNQ_LEN + 2;
                let story = if n < fills {
                    format!(
                        "With {n} the queue never fills (it holds {RUNQ_LEN}, plus one in runnext): raise the \
                         count to {fills} or more to see runqputslow."
                    )
                } else {
                    format!(
                        "Go statement {fills} finds runq full: runqputslow moves half of it ({}) plus the \
                         kicked G to the global queue in one batch. They come back via the every-61st-schedtick \
                         check and global batches.",
                        RUNQ_LEN / 2
                    )
                };
                let steal = if p == 1 {
                    String::new()
                } else {
                    format!(" With {p} Ps, the idle ones also steal from that queue while it fills.")
                };
                format!("main starts {gs} on P0. {story}{steal}")
            }
            "gomaxprocs" => {
                let change = |to: u32, from: u32| match to.cmp(&from) {
                    core::cmp::Ordering::Greater => format!("raises GOMAXPROCS to {to}"),
                    core::cmp::Ordering::Less => format!("lowers GOMAXPROCS to {to}"),
                    core::cmp::Ordering::Equal => {
                        format!("sets GOMAXPROCS to {to} again (procresize still stops the world)")
                    }
                };
                format!(
                    "{} {on_ps}; main then {} (procresize: new Ps, idle ones get Ms) and later {} (destroyed \
                     Ps move their Gs to the global queue).",
                    many(n, "worker runs", "workers run"),
                    change(4, p),
                    change(1, 4)
                )
            }
            "yield" => format!(
                "{} runtime.Gosched 1000 times {on_ps}: each yield goes to the global queue and the next \
                 comes from the global queue or a global batch.",
                many(n, "goroutine calls", "goroutines each call"),
            ),
            _ => String::new(),
        }
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

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::super::{EventKind, Sim};
    use super::*;

    /// The numbers in `text` that stand alone (not in a name like P0 or
    /// G12), decimals kept whole ("1.14").
    fn numbers(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let starts = chars[i].is_ascii_digit()
                && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'));
            if !starts {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_digit()
                    || chars[j] == '.' && chars.get(j + 1).is_some_and(char::is_ascii_digit))
            {
                j += 1;
            }
            out.push(chars[i..j].iter().collect());
            i = j;
        }
        out
    }

    /// Whether `text` has a bare capital N (a placeholder left in).
    fn bare_n(text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        (0..chars.len()).any(|i| {
            chars[i] == 'N'
                && (i == 0 || !chars[i - 1].is_alphanumeric())
                && chars.get(i + 1).is_none_or(|c| !c.is_alphanumeric())
        })
    }

    /// The numbers a preset's text may say: those of its scenario (but
    /// not its GOMAXPROCS setting, which the knob overrides), the runtime's
    /// constants, and the Go versions named.
    fn constants(preset: &Preset) -> Vec<String> {
        let mut ok: Vec<String> = preset
            .text
            .lines()
            .filter(|l| !l.starts_with("gomaxprocs"))
            .flat_map(numbers)
            .collect();
        for c in ["0", "1", "256", "257", "258", "128", "61", "10", "1.14"] {
            ok.push(c.into());
        }
        ok
    }

    #[test]
    fn every_description_follows_its_settings() {
        for preset in PRESETS {
            for n in [1, 2, 3, 7, 300] {
                for p in [1, 2, 3, 5] {
                    for off in [false, true] {
                        let text = preset.describe(n, p, off);
                        assert!(!text.is_empty(), "{}", preset.name);
                        assert!(!bare_n(&text), "{}: a bare N: {text}", preset.name);
                        let mut ok = constants(preset);
                        for v in [n, n.saturating_sub(1), n.saturating_sub(2), p, p - 1] {
                            ok.push(format!("{v}"));
                        }
                        for num in numbers(&text) {
                            assert!(
                                ok.contains(&num),
                                "{} n={n} gomaxprocs={p}: {num} contradicts the settings: {text}",
                                preset.name
                            );
                        }
                    }
                }
            }
        }
        let fan_out = preset("fan-out").unwrap().describe(16, 1, false);
        assert!(!fan_out.contains("4 Ps"), "{fan_out}");
        assert!(fan_out.contains("16 workers") && fan_out.contains("the only P"));
    }

    #[test]
    fn the_numbers_a_description_gives_are_the_models() {
        // spawn-order on one P: the order it states.
        for n in [1_u32, 2, 3, 10, 257] {
            let mut sim = Sim::new(preset("spawn-order").unwrap().config(n).unwrap()).unwrap();
            sim.run_to_step(u64::MAX);
            let order = sim.children_run_order(1);
            let mut want: Vec<u32> = (0..n.saturating_sub(1)).collect();
            want.insert(0, n - 1);
            assert_eq!(order, want, "n={n}");
            let text = preset("spawn-order").unwrap().describe(n, 1, false);
            if n >= 4 {
                assert!(
                    text.contains(&format!("{}, 0, 1, …, {}", n - 1, n - 2)),
                    "{text}"
                );
            }
        }
        // overflow: go statement 258 is the first to find runq full.
        for (n, first) in [(257, None), (300, Some(258))] {
            let mut sim = Sim::new(preset("overflow").unwrap().config(n).unwrap()).unwrap();
            let mut spawned = 0;
            let mut at = None;
            while let Some(e) = sim.step() {
                match e.kind {
                    EventKind::Newproc { .. } => spawned += 1,
                    EventKind::Runqputslow { .. } if at.is_none() => at = Some(spawned),
                    _ => {}
                }
            }
            assert_eq!(at, first, "n={n}");
        }
    }
}
