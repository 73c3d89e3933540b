//! Events: one per step, saying what happened, to whom, why, and in which
//! Go function. Narration, animation and logs are all derived from these.

use alloc::format;
use alloc::string::String;

use super::types::{GId, MId, PId, WaitReason};

/// Why sysmon's `retake` took the P of a goroutine in a syscall (proc.go):
/// it leaves the P alone for a first tick, and after that while its run
/// queue is empty, an M spins or a P is idle, and the syscall is younger
/// than 10 ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetakeWhy {
    /// The P ran one schedtick for 10 ms (`sysretake`): `preemptone`
    /// cannot stop a goroutine that is not running Go code.
    TimeSlice,
    /// Work is queued on the P, or no M spins and no P is idle to take it.
    Work,
    /// Nothing else to do, but the syscall has lasted 10 ms.
    Long,
}

/// Where `findRunnable` found the goroutine it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `runqget`: the P's runnext slot; inherits the time slice.
    Runnext,
    /// `runqget`: the head of the P's local queue.
    LocalRunq,
    /// `globrunqget`: the every-61st-schedtick fairness check.
    GlobalFairness,
    /// `globrunqgetbatch`: a batch of n from the global queue.
    GlobalBatch(u32),
    /// `netpoll(0)`: a goroutine whose I/O is ready.
    Netpoll,
    /// `runqsteal`: n goroutines stolen from another P's queue.
    Steal { victim: PId, n: u32 },
    /// `runqsteal` on the last pass: the other P's runnext.
    StealRunnext { victim: PId },
}

/// What a step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// The run begins: main runs on M0 with P0.
    Start,
    /// `execute`: the M runs g; `inherit` means schedtick did not advance.
    Execute { source: Source, inherit: bool },
    /// `newproc`: g created by the running goroutine and put in runnext.
    Newproc { parent: GId },
    /// `runqput`: the old runnext was kicked to the tail of the local queue.
    RunnextKicked,
    /// `runqputslow`: the local queue was full; n Gs moved to the global queue.
    Runqputslow { n: u32 },
    /// The goroutine computes for `ns`.
    Compute { ns: u64 },
    /// `Gosched` (`goschedImpl`): to the global queue.
    Gosched,
    /// A channel, mutex or wait group op that did not block.
    SyncOp { op: &'static str },
    /// `gopark`: g waits.
    Park { reason: WaitReason },
    /// `ready`/`goready`: g woken by the running goroutine (or a timer), put
    /// in runnext.
    Ready { by: Option<GId> },
    /// A timer expired: `timers.check` calls `(*timers).run`, which calls
    /// `(*timer).unlockAndRun`; a sleeping g's timer function is
    /// `goroutineReady`, which calls `goready`, so g will be readied.
    TimerFired,
    /// `entersyscall`: g enters a syscall of `ns`, keeping its P.
    Entersyscall { ns: u64 },
    /// `entersyscallblock`: g enters a blocking syscall; the P is handed off.
    Entersyscallblock { ns: u64 },
    /// `exitsyscall` fast path: the M still had its P.
    ExitsyscallFast,
    /// `exitsyscall` via `exitsyscallTryGetP`: it took its old P back from
    /// a thread in a syscall (`old`), or got an idle P.
    ExitsyscallTryGetP { old: bool },
    /// `exitsyscallNoP`: no P free; g to the global queue, the M stops.
    ExitsyscallNoP,
    /// sysmon `retake`: the P of a goroutine stuck in a syscall is taken.
    Retake { why: RetakeWhy },
    /// `handoffp`: the P gets a new M, or goes idle.
    Handoffp { started: bool },
    /// `startm`: an M is woken (or created) for a P.
    Startm { spinning: bool, created: bool },
    /// `wakep` could not find an idle P; `needspinning` set.
    NeedSpinning,
    /// An M begins spinning (`becomeSpinning`) to look for work.
    Spinning,
    /// The M found nothing: it releases its P (`pidleput`) and stops.
    Stopm,
    /// The M blocks in `netpoll(delay)` without a P.
    NetpollBlock,
    /// netpoll found n goroutines whose I/O is ready.
    Netpoll { n: u32 },
    /// `injectglist`: n readied goroutines spread over the queues.
    Injectglist { n: u32, global: u32 },
    /// sysmon woke up (it sleeps 20us, doubling up to 10ms when idle).
    SysmonTick { delay_us: u32 },
    /// sysmon: g ran for 10ms: `preemptone`, async (a signal).
    AsyncPreempt,
    /// sysmon: g ran for 10ms, async preemption is off: only the flag.
    PreemptRequest,
    /// g saw its preempt flag at a function call (`gopreempt_m`).
    Preempted,
    /// `procresize`: GOMAXPROCS changed from `old` to `new`.
    Procresize { old: u32, new: u32 },
    /// `goexit0`: g finished.
    Goexit,
    /// A schedtrace line is due (`schedtrace`); the view can print it.
    Schedtrace,
    /// main returned: the program exits.
    Exit,
    /// `checkdead`: every goroutine is asleep.
    Deadlock,
}

/// The turning points a learner may jump to (the views' "next
/// interesting event").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Highlight {
    /// `runqsteal`: a P ran a goroutine taken from another P.
    Steal,
    /// A P changes hands around a system call: sysmon's `retake`,
    /// `handoffp`, or `entersyscallblock` handing off at once.
    Handoff,
    /// sysmon preempts a long-running goroutine (`preemptone`), or the
    /// goroutine stops at its preempt flag (`gopreempt_m`).
    Preemption,
}

impl EventKind {
    /// Which turning point this event is, if any.
    pub const fn highlight(&self) -> Option<Highlight> {
        match self {
            EventKind::Execute {
                source: Source::Steal { .. } | Source::StealRunnext { .. },
                ..
            } => Some(Highlight::Steal),
            EventKind::Retake { .. }
            | EventKind::Handoffp { .. }
            | EventKind::Entersyscallblock { .. } => Some(Highlight::Handoff),
            EventKind::AsyncPreempt | EventKind::PreemptRequest | EventKind::Preempted => {
                Some(Highlight::Preemption)
            }
            _ => None,
        }
    }
}

/// One step of the simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// Step number, from 0.
    pub step: u64,
    /// Virtual time, ns.
    pub t_ns: u64,
    pub kind: EventKind,
    pub g: Option<GId>,
    pub m: Option<MId>,
    pub p: Option<PId>,
}

impl EventKind {
    /// The Go function this event mirrors.
    pub const fn go_func(&self) -> &'static str {
        match self {
            EventKind::Start => "main",
            EventKind::Execute { source, .. } => match source {
                Source::Runnext | Source::LocalRunq => "runqget",
                Source::GlobalFairness => "globrunqget",
                Source::GlobalBatch(_) => "globrunqgetbatch",
                Source::Netpoll => "netpoll",
                Source::Steal { .. } | Source::StealRunnext { .. } => "runqsteal",
            },
            EventKind::Newproc { .. } => "newproc",
            EventKind::RunnextKicked => "runqput",
            EventKind::Runqputslow { .. } => "runqputslow",
            EventKind::Compute { .. } => "execute",
            EventKind::Gosched => "goschedImpl",
            EventKind::SyncOp { op } => op,
            EventKind::Park { .. } => "gopark",
            EventKind::Ready { .. } => "ready",
            EventKind::TimerFired => "timer.unlockAndRun",
            EventKind::Entersyscall { .. } => "entersyscall",
            EventKind::Entersyscallblock { .. } => "entersyscallblock",
            EventKind::ExitsyscallFast => "exitsyscall",
            EventKind::ExitsyscallTryGetP { .. } => "exitsyscallTryGetP",
            EventKind::ExitsyscallNoP => "exitsyscallNoP",
            EventKind::Retake { .. } => "retake",
            EventKind::Handoffp { .. } => "handoffp",
            EventKind::Startm { .. } => "startm",
            EventKind::NeedSpinning => "wakep",
            EventKind::Spinning => "findRunnable",
            EventKind::Stopm => "stopm",
            EventKind::NetpollBlock | EventKind::Netpoll { .. } => "netpoll",
            EventKind::Injectglist { .. } => "injectglist",
            EventKind::SysmonTick { .. } => "sysmon",
            EventKind::AsyncPreempt | EventKind::PreemptRequest => "preemptone",
            EventKind::Preempted => "gopreempt_m",
            EventKind::Procresize { .. } => "procresize",
            EventKind::Goexit => "goexit0",
            EventKind::Schedtrace => "schedtrace",
            EventKind::Exit => "main",
            EventKind::Deadlock => "checkdead",
        }
    }

    /// The Go source file of [`EventKind::go_func`].
    pub fn go_file(&self) -> &'static str {
        match self {
            EventKind::SyncOp { op } => match *op {
                "chanrecv" | "chansend" => "runtime/chan.go",
                op if op.starts_with("sync.(*Mutex)") => "sync/mutex.go",
                op if op.starts_with("sync.(*WaitGroup)") => "sync/waitgroup.go",
                _ => "runtime/proc.go",
            },
            EventKind::TimerFired => "runtime/time.go",
            // `netpoll` is each platform's poller; the model's is Linux's.
            EventKind::Netpoll { .. }
            | EventKind::NetpollBlock
            | EventKind::Execute {
                source: Source::Netpoll,
                ..
            } => "runtime/netpoll_epoll.go",
            _ => "runtime/proc.go",
        }
    }
}

impl EventKind {
    /// The path from the program's call to [`EventKind::go_func`], where
    /// it starts outside the scheduler: (function, file) pairs, outermost
    /// first. A goroutine that blocks on a `sync.Mutex` or in
    /// `sync.WaitGroup.Wait` parks through the semaphores of
    /// runtime/sema.go.
    pub fn called_from(&self) -> &'static [(&'static str, &'static str)] {
        match self {
            EventKind::Park {
                reason: WaitReason::SyncMutexLock,
            } => &[
                ("sync.(*Mutex).Lock", "sync/mutex.go"),
                ("internal_sync_runtime_SemacquireMutex", "runtime/sema.go"),
                ("semacquire1", "runtime/sema.go"),
            ],
            EventKind::Park {
                reason: WaitReason::SyncWaitGroupWait,
            } => &[
                ("sync.(*WaitGroup).Wait", "sync/waitgroup.go"),
                ("sync_runtime_SemacquireWaitGroup", "runtime/sema.go"),
                ("semacquire1", "runtime/sema.go"),
            ],
            EventKind::Park {
                reason: WaitReason::ChanReceive,
            } => &[("chanrecv", "runtime/chan.go")],
            _ => &[],
        }
    }
}

fn id(prefix: char, x: Option<u32>) -> String {
    match x {
        Some(x) => format!("{prefix}{x}"),
        None => format!("no {prefix}"),
    }
}

impl Event {
    /// The Go function this step mirrors, e.g. `runqget`.
    pub const fn go_func(&self) -> &'static str {
        self.kind.go_func()
    }

    /// The file it lives in, e.g. `runtime/proc.go`.
    pub fn go_file(&self) -> &'static str {
        self.kind.go_file()
    }

    /// One compact line for trace snapshots: step, virtual time, Go
    /// function, G, M, P.
    pub fn trace_line(&self) -> String {
        format!(
            "{} {} {} {:?} {:?} {:?}",
            self.step,
            self.t_ns,
            self.go_func(),
            self.g,
            self.m,
            self.p
        )
    }

    /// One plain-English sentence saying what happened.
    pub fn sentence(&self) -> String {
        let g = id('G', self.g);
        let m = id('M', self.m);
        let p = id('P', self.p);
        match self.kind {
            EventKind::Start => format!("The program starts: {g} (main) runs on {m} with {p}."),
            EventKind::Execute { source, inherit } => {
                let from = match source {
                    Source::Runnext => String::from("from the runnext slot"),
                    Source::LocalRunq => String::from("from the head of its local run queue"),
                    Source::GlobalFairness => {
                        String::from("from the global queue, as every 61st schedtick must")
                    }
                    Source::GlobalBatch(n) => {
                        format!("from the global queue, taking a batch of {n}")
                    }
                    Source::Netpoll => String::from("from the netpoller: its I/O is ready"),
                    Source::Steal { victim, n } => {
                        format!(
                            "stolen from P{victim}'s queue, with {} other(s) moved to {p}",
                            n - 1
                        )
                    }
                    Source::StealRunnext { victim } => {
                        format!("stolen from P{victim}'s runnext slot")
                    }
                };
                let slice = if inherit {
                    "it shares the current time slice (schedtick unchanged)"
                } else {
                    "a new time slice begins (schedtick advances)"
                };
                format!("{p} on {m} runs {g} {from}; {slice}.")
            }
            EventKind::Newproc { parent } => {
                format!("G{parent} starts {g} with a go statement; {g} goes into {p}'s runnext slot.")
            }
            EventKind::RunnextKicked => {
                format!("{g} is kicked out of {p}'s runnext slot to the tail of the local queue.")
            }
            EventKind::Runqputslow { n } => format!(
                "{p}'s local queue is full: half of it plus {g}, {n} goroutines, move to the global queue."
            ),
            EventKind::Compute { ns } => format!("{g} computes for {} on {p}.", human(ns)),
            EventKind::Gosched => {
                format!("{g} calls runtime.Gosched and goes to the tail of the global queue.")
            }
            EventKind::SyncOp { op } => format!("{g} calls {op} and carries on without blocking."),
            EventKind::Park { reason } => {
                format!("{g} parks ({}); {m} looks for other work.", reason.as_str())
            }
            EventKind::Ready { by } => match by {
                Some(b) => format!("G{b} wakes {g}, which goes into {p}'s runnext slot."),
                None => format!("{g} is ready again and goes into {p}'s runnext slot."),
            },
            EventKind::TimerFired => format!("{g}'s sleep timer fires on {p}."),
            EventKind::Entersyscall { ns } => format!(
                "{g} enters a {} system call; {m} keeps {p} for now.",
                human(ns)
            ),
            EventKind::Entersyscallblock { ns } => format!(
                "{g} enters a blocking {} system call; {m} hands {p} off at once.",
                human(ns)
            ),
            EventKind::ExitsyscallFast => {
                format!("{g} returns from its syscall; {m} still holds {p} and carries on.")
            }
            EventKind::ExitsyscallTryGetP { old } => {
                if old {
                    format!(
                        "{g} returns from its syscall; {m} takes its old {p} back from the thread that holds it in a syscall of its own, and carries on."
                    )
                } else {
                    format!("{g} returns from its syscall; {m} takes the idle {p} and carries on.")
                }
            }
            EventKind::ExitsyscallNoP => format!(
                "{g} returns from its syscall but no P is free: {g} goes to the global queue and {m} sleeps."
            ),
            EventKind::Retake { why } => match why {
                RetakeWhy::Work => format!(
                    "sysmon retakes {p}: {g} has been in a syscall for more than a sysmon tick and there is other work."
                ),
                RetakeWhy::Long => format!(
                    "sysmon retakes {p}: {g} has been in a syscall for 10 ms, so the P is taken although there is no other work."
                ),
                RetakeWhy::TimeSlice => format!(
                    "sysmon retakes {p}: its time slice has lasted 10 ms and {g}, in a syscall, cannot be preempted."
                ),
            },
            EventKind::Handoffp { started } => {
                if started {
                    // runtime/proc.go handoffp: local or global work, no M
                    // spinning and no P idle, or the last P with nobody
                    // polling the network: each calls startm(pp, ...).
                    format!(
                        "handoffp may not leave {p} idle (work is queued; or no M is spinning and no P is \
                         idle to pick up new work; or it is the last running P and nobody polls the \
                         network), so it calls startm to give {p} a thread: the next step names it."
                    )
                } else {
                    format!("handoffp finds no work for {p}; it goes on the idle list.")
                }
            }
            EventKind::Startm { spinning, created } => format!(
                "{} {m} for {p}{}.",
                if created { "A new thread" } else { "An idle thread" },
                if spinning { ", to spin looking for work" } else { "" }
            ),
            EventKind::NeedSpinning => {
                String::from("wakep finds no idle P; needspinning is set so a P about to idle looks again.")
            }
            EventKind::Spinning => {
                format!("{m} on {p} has no local work and starts spinning, looking to steal.")
            }
            EventKind::Stopm => format!("{m} finds no work anywhere; {p} goes idle and {m} sleeps."),
            EventKind::NetpollBlock => {
                format!("{m} has no P and blocks in the netpoller until I/O or a timer is due.")
            }
            EventKind::Netpoll { n } => format!("The netpoller reports {n} goroutine(s) with ready I/O."),
            EventKind::Injectglist { n, global } => format!(
                "injectglist: {n} readied goroutine(s), {global} to the global queue, the rest to {p}'s queue."
            ),
            EventKind::SysmonTick { delay_us } => {
                format!("sysmon wakes (it had slept {delay_us} µs) and checks every P.")
            }
            EventKind::AsyncPreempt => format!(
                "{g} has run on {p} for 10 ms: sysmon preempts it with a signal; it goes to the global queue."
            ),
            EventKind::PreemptRequest => format!(
                "{g} has run on {p} for 10 ms: sysmon sets its preempt flag, but with asyncpreemptoff=1 it stops only at a function call."
            ),
            EventKind::Preempted => format!(
                "{g} sees its preempt flag at a function call and goes to the global queue."
            ),
            EventKind::Procresize { old, new } => format!(
                "{g} sets GOMAXPROCS from {old} to {new}: the world stops and procresize rebuilds the Ps."
            ),
            EventKind::Goexit => format!("{g} returns and is dead; {m} looks for other work."),
            EventKind::Schedtrace => String::from("sysmon prints a schedtrace line."),
            EventKind::Exit => format!("main returns ({g}): the program exits."),
            EventKind::Deadlock => String::from(
                "fatal error: all goroutines are asleep - deadlock! (no thread runs and nothing will wake)",
            ),
        }
    }
}

/// A duration for people: 250 ns, 20 µs, 1.5 ms, 2 s.
pub fn human(ns: u64) -> String {
    if ns < 1_000 {
        format!("{ns} ns")
    } else if ns < 1_000_000 {
        trim(ns as f64 / 1e3, "µs")
    } else if ns < 1_000_000_000 {
        trim(ns as f64 / 1e6, "ms")
    } else {
        trim(ns as f64 / 1e9, "s")
    }
}

fn trim(v: f64, unit: &str) -> String {
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    format!("{s} {unit}")
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::*;

    /// The pinned GOROOT's source directory.
    fn goroot_src() -> std::path::PathBuf {
        let root = std::env::var("GOROOT")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../.tools/venv/lib/python3.11/site-packages/go")
            });
        root.join("src")
    }

    /// Whether `file` in the pinned Go source declares function `name`
    /// (a method as `sync.(*Mutex).Lock`).
    fn declares(file: &str, name: &str) -> bool {
        let text = std::fs::read_to_string(goroot_src().join(file))
            .unwrap_or_else(|e| panic!("{file}: {e} (set GOROOT to the pinned Go)"));
        let decl = match name.rsplit_once(").") {
            Some((recv, method)) => {
                let ty = recv.rsplit("(*").next().unwrap_or(recv);
                alloc::format!(" *{ty}) {method}(")
            }
            None => alloc::format!("func {}(", name.rsplit('.').next().unwrap()),
        };
        text.lines()
            .any(|l| l.starts_with("func ") && l.contains(decl.trim_start_matches("func ")))
    }

    #[test]
    fn sync_events_cite_sync_and_sema_go_with_names_that_exist_there() {
        let kinds = [
            EventKind::SyncOp {
                op: "sync.(*Mutex).Lock",
            },
            EventKind::SyncOp {
                op: "sync.(*Mutex).Unlock",
            },
            EventKind::SyncOp {
                op: "sync.(*WaitGroup).Add",
            },
            EventKind::SyncOp {
                op: "sync.(*WaitGroup).Done",
            },
            EventKind::SyncOp {
                op: "sync.(*WaitGroup).Wait",
            },
            EventKind::SyncOp { op: "chanrecv" },
            EventKind::SyncOp { op: "chansend" },
            EventKind::Park {
                reason: WaitReason::SyncMutexLock,
            },
            EventKind::Park {
                reason: WaitReason::SyncWaitGroupWait,
            },
            EventKind::Park {
                reason: WaitReason::ChanReceive,
            },
            EventKind::Handoffp { started: true },
        ];
        for kind in kinds {
            let mut cited: Vec<(&str, &str)> = kind.called_from().to_vec();
            cited.push((kind.go_func(), kind.go_file()));
            for (name, file) in cited {
                assert!(declares(file, name), "{kind:?}: {file} has no func {name}");
            }
        }
        assert_eq!(
            EventKind::SyncOp {
                op: "sync.(*WaitGroup).Done"
            }
            .go_file(),
            "sync/waitgroup.go"
        );
        assert_eq!(
            EventKind::SyncOp {
                op: "sync.(*Mutex).Lock"
            }
            .go_file(),
            "sync/mutex.go"
        );
        let wait = EventKind::Park {
            reason: WaitReason::SyncWaitGroupWait,
        };
        assert!(wait
            .called_from()
            .iter()
            .any(|&(_, f)| f == "runtime/sema.go"));
    }

    #[test]
    fn a_handoff_that_starts_an_m_does_not_name_one_it_has_not_started() {
        let e = Event {
            step: 86,
            t_ns: 0,
            kind: EventKind::Handoffp { started: true },
            g: None,
            m: None,
            p: Some(1),
        };
        let said = e.sentence();
        assert!(
            !said.contains("to no M") && !said.contains("gives P1"),
            "{said}"
        );
        assert!(said.contains("calls startm to give P1 a thread"), "{said}");
    }
}
