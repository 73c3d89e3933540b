//! The functions of runtime/proc.go (go1.27), one method each, named as Go
//! names them. Each step of [`Sim`] calls into these.

use alloc::collections::VecDeque;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cmp::Reverse;

use super::event::{EventKind, RetakeWhy, Source};
use super::script::Op;
use super::types::{GId, GStatus, MId, MState, PId, PStatus, WaitReason, M, P, RUNQ_LEN};
use super::Sim;

/// `forcePreemptNS`: the time slice sysmon enforces (proc.go).
pub const FORCE_PREEMPT_NS: u64 = 10_000_000;
/// sysmon polls the network if nobody has for this long (proc.go sysmon).
pub const SYSMON_NETPOLL_NS: u64 = 10_000_000;
/// `forcegcperiod / 2`: the longest deep sleep of sysmon.
pub const SYSMON_DEEP_SLEEP_NS: u64 = 60_000_000_000;
/// `stealTries` in stealWork.
pub const STEAL_TRIES: u32 = 4;

/// Mirrors runtime/proc.go `randomOrder` (go1.27): enumerates all Ps in a
/// pseudo-random order without repeats, stepping by a number coprime with
/// the count.
#[derive(Clone, Debug, Default)]
pub struct RandomOrder {
    count: u32,
    coprimes: Vec<u32>,
}

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl RandomOrder {
    /// Mirrors `randomOrder.reset`.
    pub fn reset(&mut self, count: u32) {
        self.count = count;
        self.coprimes = (1..=count).filter(|&i| gcd(i, count) == 1).collect();
    }

    /// Mirrors `randomOrder.start` + `randomEnum`: the positions visited,
    /// in order, for the random value `i`.
    pub fn start(&self, i: u32) -> impl Iterator<Item = u32> {
        let count = self.count;
        let inc = self.coprimes[(i / count) as usize % self.coprimes.len()];
        let mut pos = i % count;
        (0..count).map(move |_| {
            let here = pos;
            pos = (pos + inc) % count;
            here
        })
    }
}

impl Sim {
    // ---- run queues -------------------------------------------------------

    /// Mirrors runtime/proc.go `runqput` (go1.27).
    pub(crate) fn runqput(&mut self, pp: PId, gp: GId, next: bool) {
        let mut gp = gp;
        if next {
            // "runqput puts g in the pp.runnext slot", kicking the old one.
            let old = self.ps[pp as usize].runnext.replace(gp);
            // The event that announced this put (newproc, ready) shows gp
            // in runnext.
            self.repaint();
            match old {
                None => return,
                Some(old) => {
                    gp = old;
                    self.emit(EventKind::RunnextKicked, Some(old), None, Some(pp));
                }
            }
        }
        let p = &mut self.ps[pp as usize];
        if p.runqsize() < RUNQ_LEN {
            p.runq[(p.runqtail % RUNQ_LEN) as usize] = gp;
            p.runqtail = p.runqtail.wrapping_add(1);
            if next {
                // The kick shows the old runnext at the tail.
                self.repaint();
            }
            return;
        }
        self.runqputslow(pp, gp);
    }

    /// Mirrors runtime/proc.go `runqputslow` (go1.27): "Put g and a batch
    /// of work from local runnable queue on global queue": half the full
    /// queue (128) plus g, in queue order.
    fn runqputslow(&mut self, pp: PId, gp: GId) {
        let p = &mut self.ps[pp as usize];
        let n = p.runqsize() / 2;
        for i in 0..n {
            let g = p.runq[(p.runqhead.wrapping_add(i) % RUNQ_LEN) as usize];
            self.runq.push_back(g);
        }
        p.runqhead = p.runqhead.wrapping_add(n);
        self.runq.push_back(gp);
        self.emit(
            EventKind::Runqputslow { n: n + 1 },
            Some(gp),
            None,
            Some(pp),
        );
    }

    /// Mirrors runtime/proc.go `runqget` (go1.27): runnext first, and then
    /// `inheritTime` is true; else the head of the queue.
    pub(crate) fn runqget(&mut self, pp: PId) -> Option<(GId, bool)> {
        let p = &mut self.ps[pp as usize];
        if let Some(next) = p.runnext.take() {
            return Some((next, true));
        }
        if p.runqhead == p.runqtail {
            return None;
        }
        let g = p.runq[(p.runqhead % RUNQ_LEN) as usize];
        p.runqhead = p.runqhead.wrapping_add(1);
        Some((g, false))
    }

    /// Mirrors runtime/proc.go `runqputbatch`: as many as fit, in order.
    fn runqputbatch(&mut self, pp: PId, q: &mut VecDeque<GId>) {
        let p = &mut self.ps[pp as usize];
        while p.runqsize() < RUNQ_LEN {
            let Some(g) = q.pop_front() else { break };
            p.runq[(p.runqtail % RUNQ_LEN) as usize] = g;
            p.runqtail = p.runqtail.wrapping_add(1);
        }
    }

    /// Mirrors runtime/proc.go `globrunqgetbatch` (go1.27):
    /// `n = min(n, sched.runq.size, sched.runq.size/gomaxprocs+1)`.
    fn globrunqgetbatch(&mut self, n: u32) -> Option<(GId, VecDeque<GId>)> {
        let size = self.runq.len() as u32;
        if size == 0 {
            return None;
        }
        let n = n.min(size).min(size / self.gomaxprocs + 1);
        let gp = self.runq.pop_front()?;
        let q: VecDeque<GId> = self.runq.drain(..(n - 1) as usize).collect();
        Some((gp, q))
    }

    /// Takes a global batch into `pp`'s queue and returns the first G.
    fn take_global_batch(&mut self, pp: PId) -> Option<(GId, u32)> {
        let (gp, mut q) = self.globrunqgetbatch(RUNQ_LEN / 2)?;
        let n = q.len() as u32 + 1;
        self.runqputbatch(pp, &mut q);
        Some((gp, n))
    }

    /// Mirrors runtime/proc.go `runqgrab` (go1.27): half of p2's queue,
    /// rounded up (`n - n/2`); if that is none and `steal_runnext`, its
    /// runnext.
    fn runqgrab(&mut self, p2: PId, steal_runnext: bool) -> Vec<GId> {
        let p = &mut self.ps[p2 as usize];
        let n = p.runqsize();
        let n = n - n / 2;
        if n == 0 {
            if steal_runnext {
                if let Some(next) = p.runnext.take() {
                    return alloc::vec![next];
                }
            }
            return Vec::new();
        }
        let batch = (0..n)
            .map(|i| p.runq[(p.runqhead.wrapping_add(i) % RUNQ_LEN) as usize])
            .collect();
        p.runqhead = p.runqhead.wrapping_add(n);
        batch
    }

    /// Mirrors runtime/proc.go `runqsteal` (go1.27): grabbed Gs go to the
    /// tail of pp's queue; the last one grabbed is returned to run.
    fn runqsteal(&mut self, pp: PId, p2: PId, steal_runnext: bool) -> Option<(GId, Source)> {
        let had_runq = self.ps[p2 as usize].runqsize() > 0;
        let mut batch = self.runqgrab(p2, steal_runnext);
        let gp = batch.pop()?;
        let n = batch.len() as u32 + 1;
        let mut q: VecDeque<GId> = batch.into();
        self.runqputbatch(pp, &mut q);
        let source = if had_runq {
            Source::Steal { victim: p2, n }
        } else {
            Source::StealRunnext { victim: p2 }
        };
        Some((gp, source))
    }

    // ---- Ps and Ms --------------------------------------------------------

    /// Mirrors runtime/proc.go `pidleput`: onto the idle P stack.
    fn pidleput(&mut self, pp: PId) {
        let p = &mut self.ps[pp as usize];
        p.status = PStatus::Idle;
        p.m = None;
        self.pidle.push(pp);
    }

    /// Mirrors runtime/proc.go `pidleget`: the most recently idled P.
    fn pidleget(&mut self) -> Option<PId> {
        self.pidle.pop()
    }

    /// Mirrors runtime/proc.go `pidlegetSpinning`: as pidleget, but when no
    /// P is idle, set `needspinning` so a P about to idle looks again.
    fn pidleget_spinning(&mut self) -> Option<PId> {
        let pp = self.pidleget();
        if pp.is_none() && !self.needspinning {
            self.needspinning = true;
            self.emit(EventKind::NeedSpinning, None, None, None);
        }
        pp
    }

    pub(crate) fn npidle(&self) -> u32 {
        self.pidle.len() as u32
    }

    /// Mirrors runtime/proc.go `acquirep`.
    fn acquirep(&mut self, mi: MId, pp: PId) {
        self.ms[mi as usize].p = Some(pp);
        let p = &mut self.ps[pp as usize];
        p.m = Some(mi);
        p.status = PStatus::Running;
    }

    /// Mirrors runtime/proc.go `releasep`.
    fn releasep(&mut self, mi: MId) -> Option<PId> {
        let pp = self.ms[mi as usize].p.take()?;
        self.ps[pp as usize].m = None;
        Some(pp)
    }

    /// Mirrors `becomeSpinning`: `spinning=true; nmspinning++; needspinning=0`.
    fn become_spinning(&mut self, mi: MId) {
        self.ms[mi as usize].spinning = true;
        self.nmspinning += 1;
        self.needspinning = false;
    }

    /// Mirrors runtime/proc.go `startm` (go1.27): an idle M (`mget`), or a
    /// new one (`newm`), is given `pp` (or an idle P) and woken.
    pub(crate) fn startm(&mut self, pp: Option<PId>, spinning: bool) {
        let Some(pp) = pp.or_else(|| self.pidleget()) else {
            if spinning {
                // "The caller incremented nmspinning, but there are no
                // idle Ps, so it's okay to just undo the increment."
                self.nmspinning -= 1;
            }
            return;
        };
        let (mi, created) = match self.midle.pop() {
            Some(mi) => (mi, false),
            None => {
                let id = self.ms.len() as MId;
                self.ms.push(M {
                    id,
                    state: MState::Idle,
                    p: None,
                    oldp: None,
                    curg: None,
                    spinning: false,
                    next_at: u64::MAX,
                });
                (id, true)
            }
        };
        self.acquirep(mi, pp);
        let m = &mut self.ms[mi as usize];
        m.spinning = spinning;
        m.state = MState::Schedule;
        m.next_at = self.now + self.cfg.wake_ns;
        self.emit(
            EventKind::Startm { spinning, created },
            None,
            Some(mi),
            Some(pp),
        );
    }

    /// Mirrors runtime/proc.go `wakep` (go1.27): "only start one [spinning
    /// M] if none exist already", and only if a P is idle.
    pub(crate) fn wakep(&mut self) {
        if self.nmspinning != 0 {
            return;
        }
        self.nmspinning = 1;
        match self.pidleget_spinning() {
            Some(pp) => self.startm(Some(pp), true),
            None => self.nmspinning -= 1,
        }
    }

    /// Mirrors runtime/proc.go `handoffp` (go1.27): "handoffp must start an
    /// M in any situation where findRunnable would return a G to run on pp".
    pub(crate) fn handoffp(&mut self, pp: PId) {
        self.ps[pp as usize].m = None;
        // "if it has local work, start it straight away"
        if !self.ps[pp as usize].runqempty() || !self.runq.is_empty() {
            self.emit(EventKind::Handoffp { started: true }, None, None, Some(pp));
            return self.startm(Some(pp), false);
        }
        // "no local work, check that there are no spinning/idle M's,
        // otherwise our help is not required"
        if self.nmspinning + self.npidle() == 0 {
            self.nmspinning = 1;
            self.needspinning = false;
            self.emit(EventKind::Handoffp { started: true }, None, None, Some(pp));
            return self.startm(Some(pp), true);
        }
        // "If this is the last running P and nobody is polling network,
        // need to wakeup another M to poll network."
        if self.npidle() == self.gomaxprocs - 1 && !self.polling {
            self.emit(EventKind::Handoffp { started: true }, None, None, Some(pp));
            return self.startm(Some(pp), false);
        }
        let when = self.ps[pp as usize].wake_time();
        self.pidleput(pp);
        self.emit(EventKind::Handoffp { started: false }, None, None, Some(pp));
        if when.is_some() && !self.polling {
            // wakeNetPoller: "try to get one [thread] there so it can
            // handle new timers".
            self.wakep();
        }
    }

    /// Parks the M: `stopm` puts it on the idle M list.
    fn stopm(&mut self, mi: MId) {
        let m = &mut self.ms[mi as usize];
        m.state = MState::Idle;
        m.next_at = u64::MAX;
        m.spinning = false;
        self.midle.push(mi);
        self.checkdead();
    }

    /// Mirrors runtime/proc.go `checkdead`: no M runs, no timer or I/O will
    /// wake anyone: "all goroutines are asleep - deadlock!".
    fn checkdead(&mut self) {
        let running = self.ms.iter().any(|m| {
            matches!(
                m.state,
                MState::Schedule | MState::Running | MState::Syscall | MState::Netpoll
            )
        });
        let timers = self.ps.iter().any(|p| !p.timers.is_empty());
        if !running && !timers && self.netpoll.is_empty() && !self.finished {
            self.finished = true;
            self.emit(EventKind::Deadlock, None, None, None);
        }
    }

    // ---- goroutine transitions -------------------------------------------

    /// Mirrors runtime/proc.go `execute` (go1.27): "if !inheritTime {
    /// mp.p.ptr().schedtick++ }".
    fn execute(&mut self, mi: MId, gp: GId, inherit: bool, source: Source) {
        let pp = self.ms[mi as usize].p.expect("execute needs a P");
        // schedule: "if mp.spinning { resetspinning() }"
        let was_spinning = self.ms[mi as usize].spinning;
        if was_spinning {
            self.ms[mi as usize].spinning = false;
            self.nmspinning -= 1;
        }
        if !inherit {
            self.ps[pp as usize].schedtick = self.ps[pp as usize].schedtick.wrapping_add(1);
        }
        let m = &mut self.ms[mi as usize];
        m.curg = Some(gp);
        m.state = MState::Running;
        m.next_at = self.now + self.cfg.op_cost_ns;
        let step = self.steps + self.pending.len() as u64;
        let now = self.now;
        let g = self.g_mut(gp);
        g.last_wait = now - g.runnable_since;
        g.status = GStatus::Running;
        g.m = Some(mi);
        g.preempt = false;
        if g.first_ran.is_none() {
            g.first_ran = Some(step);
            self.run_order.push(gp);
        }
        self.emit(
            EventKind::Execute { source, inherit },
            Some(gp),
            Some(mi),
            Some(pp),
        );
        if was_spinning {
            // resetspinning: "check if we need to wakeup another P here".
            self.wakep();
        }
    }

    /// Mirrors runtime/proc.go `ready` (go1.27): Grunnable, `runqput(pp,
    /// gp, next=true)`, `wakep()`.
    fn ready(&mut self, pp: PId, gp: GId, by: Option<GId>) {
        let now = self.now;
        let g = self.g_mut(gp);
        g.status = GStatus::Runnable;
        g.runnable_since = now;
        self.emit(EventKind::Ready { by }, Some(gp), None, Some(pp));
        self.runqput(pp, gp, true);
        self.wakep();
    }

    /// Drops the M's current G (`dropg`) and sends the M back to
    /// `schedule`.
    fn dropg(&mut self, mi: MId) {
        let m = &mut self.ms[mi as usize];
        if let Some(gp) = m.curg.take() {
            self.gs[(gp - 1) as usize].m = None;
        }
        m.state = MState::Schedule;
        m.next_at = self.now + self.cfg.op_cost_ns;
    }

    /// Mirrors runtime/proc.go `goschedImpl` (go1.27): Grunnable, then
    /// `globrunqput`, then `wakep`. `preempted` is `gopreempt_m`.
    fn gosched_impl(&mut self, mi: MId, gp: GId, kind: EventKind) {
        let pp = self.ms[mi as usize].p;
        let now = self.now;
        let g = self.g_mut(gp);
        g.status = GStatus::Runnable;
        g.runnable_since = now;
        self.dropg(mi);
        self.runq.push_back(gp);
        self.emit(kind, Some(gp), Some(mi), pp);
        self.wakep();
    }

    /// Mirrors runtime/proc.go `gopark`/`park_m`.
    fn gopark(&mut self, mi: MId, gp: GId, reason: WaitReason) {
        let pp = self.ms[mi as usize].p;
        let g = self.g_mut(gp);
        g.status = GStatus::Waiting;
        g.waitreason = reason;
        self.dropg(mi);
        self.emit(EventKind::Park { reason }, Some(gp), Some(mi), pp);
    }

    /// Mirrors runtime/proc.go `newproc` (go1.27): `runqput(pp, newg,
    /// true)` then, since main has started, `wakep()`.
    fn newproc(&mut self, mi: MId, parent: GId, func: u16) {
        let pp = self.ms[mi as usize].p.expect("newproc runs with a P");
        let index = self.g(parent).spawned_total;
        self.g_mut(parent).spawned_total += 1;
        let gp = self.new_g(func, Some(parent), index);
        self.emit(EventKind::Newproc { parent }, Some(gp), Some(mi), Some(pp));
        self.runqput(pp, gp, true);
        self.wakep();
    }

    /// Mirrors runtime/proc.go `injectglist` (go1.27): with no P, all go to
    /// the global queue and idle Ps are started; with a P, one G per idle P
    /// to the global queue, the rest to the local queue.
    fn injectglist(&mut self, mut list: VecDeque<GId>, pp: Option<PId>) {
        if list.is_empty() {
            return;
        }
        let n = list.len() as u32;
        let now = self.now;
        for &g in &list {
            let g = self.g_mut(g);
            g.status = GStatus::Runnable;
            g.runnable_since = now;
        }
        let Some(pp) = pp else {
            self.runq.extend(list);
            self.emit(EventKind::Injectglist { n, global: n }, None, None, None);
            for _ in 0..n {
                match self.pidleget_spinning() {
                    Some(p) => self.startm(Some(p), false),
                    None => break,
                }
            }
            return;
        };
        let npidle = self.npidle() as usize;
        let global = npidle.min(list.len());
        self.runq.extend(list.drain(..global));
        self.emit(
            EventKind::Injectglist {
                n,
                global: global as u32,
            },
            None,
            None,
            Some(pp),
        );
        for _ in 0..global {
            match self.pidleget_spinning() {
                Some(p) => self.startm(Some(p), false),
                None => break,
            }
        }
        self.runqputbatch(pp, &mut list);
        self.runq.extend(list);
        self.wakep();
    }

    // ---- timers and the netpoller ------------------------------------------

    /// Mirrors runtime/time.go `timers.check` on the owner's heap, run by the M
    /// holding `pp`: expired sleep timers `goready` their G onto `pp`.
    /// Returns whether any ran.
    fn check_timers(&mut self, owner: PId, pp: PId) -> bool {
        let mut ran = false;
        while let Some(&Reverse((when, _, gp))) = self.ps[owner as usize].timers.peek() {
            if when > self.now {
                break;
            }
            self.ps[owner as usize].timers.pop();
            self.emit(EventKind::TimerFired, Some(gp), None, Some(owner));
            self.ready(pp, gp, None);
            ran = true;
        }
        ran
    }

    /// The earliest timer of any P.
    pub(crate) fn earliest_timer(&self) -> Option<u64> {
        self.ps[..self.gomaxprocs as usize]
            .iter()
            .filter_map(P::wake_time)
            .min()
    }

    /// Mirrors `netpoll(0)` (runtime/netpoll_epoll.go on Linux): Gs whose I/O is ready.
    fn netpoll(&mut self) -> VecDeque<GId> {
        let mut list = VecDeque::new();
        while let Some(&(ready, gp)) = self.netpoll.first() {
            if ready > self.now {
                break;
            }
            self.netpoll.pop_first();
            list.push_back(gp);
        }
        if !list.is_empty() {
            self.emit(
                EventKind::Netpoll {
                    n: list.len() as u32,
                },
                None,
                None,
                None,
            );
        }
        list
    }

    // ---- the scheduler ------------------------------------------------------

    /// Mirrors runtime/proc.go `schedule` + `findRunnable` (go1.27), in Go's
    /// order; one call is one step of an M that holds a P.
    pub(crate) fn find_runnable(&mut self, mi: MId) {
        let pp = self.ms[mi as usize].p.expect("findRunnable runs with a P");
        self.check_timers(pp, pp);
        let poll_until = self.ps[pp as usize].wake_time();
        // "Check the global runnable queue once in a while to ensure
        // fairness": every 61st schedtick.
        if self.ps[pp as usize].schedtick % 61 == 0 {
            if let Some(gp) = self.runq.pop_front() {
                return self.execute(mi, gp, false, Source::GlobalFairness);
            }
        }
        // local runq
        if let Some((gp, inherit)) = self.runqget(pp) {
            let source = if inherit {
                Source::Runnext
            } else {
                Source::LocalRunq
            };
            return self.execute(mi, gp, inherit, source);
        }
        // global runq
        if let Some((gp, n)) = self.take_global_batch(pp) {
            return self.execute(mi, gp, false, Source::GlobalBatch(n));
        }
        // "Poll network. This netpoll is only an optimization before we
        // resort to stealing."
        if self.netpoll_inited && !self.netpoll.is_empty() && !self.polling {
            let mut list = self.netpoll();
            if let Some(gp) = list.pop_front() {
                self.injectglist(list, Some(pp));
                return self.execute(mi, gp, false, Source::Netpoll);
            }
        }
        // "Limit the number of spinning Ms to half the number of busy Ps."
        let busy = i64::from(self.gomaxprocs) - i64::from(self.npidle());
        if self.ms[mi as usize].spinning || 2 * i64::from(self.nmspinning) < busy {
            if !self.ms[mi as usize].spinning {
                self.become_spinning(mi);
                self.emit(EventKind::Spinning, None, Some(mi), Some(pp));
            }
            if let Some((gp, inherit, source)) = self.steal_work(pp) {
                return self.execute(mi, gp, inherit, source);
            }
        }
        // "return P and block"
        if let Some((gp, n)) = self.take_global_batch(pp) {
            return self.execute(mi, gp, false, Source::GlobalBatch(n));
        }
        if !self.ms[mi as usize].spinning && self.needspinning {
            // "Delicate dance": someone found work but no P; look again.
            self.become_spinning(mi);
            self.emit(EventKind::Spinning, None, Some(mi), Some(pp));
            self.ms[mi as usize].next_at = self.now + self.cfg.op_cost_ns;
            return;
        }
        self.releasep(mi);
        self.pidleput(pp);
        let was_spinning = self.ms[mi as usize].spinning;
        let mut poll_until = poll_until;
        if was_spinning {
            self.ms[mi as usize].spinning = false;
            self.nmspinning -= 1;
            // "Check global and P runqueues again."
            if !self.runq.is_empty() {
                if let Some(p2) = self.pidleget_spinning() {
                    self.acquirep(mi, p2);
                    self.become_spinning(mi);
                    let (gp, n) = self
                        .take_global_batch(p2)
                        .expect("global queue is not empty");
                    return self.execute(mi, gp, false, Source::GlobalBatch(n));
                }
            }
            // checkRunqsNoP
            let work = (0..self.gomaxprocs).any(|i| {
                self.ps[i as usize].status != PStatus::Idle && !self.ps[i as usize].runqempty()
            });
            if work {
                if let Some(p2) = self.pidleget_spinning() {
                    self.acquirep(mi, p2);
                    self.become_spinning(mi);
                    let m = &mut self.ms[mi as usize];
                    m.state = MState::Schedule;
                    m.next_at = self.now + self.cfg.op_cost_ns;
                    self.emit(EventKind::Spinning, None, Some(mi), Some(p2));
                    return;
                }
            }
            // checkTimersNoP
            poll_until = self.earliest_timer();
        }
        self.emit(EventKind::Stopm, None, Some(mi), Some(pp));
        // "Poll network until next timer."
        if self.netpoll_inited
            && (!self.netpoll.is_empty() || poll_until.is_some())
            && !self.polling
        {
            self.polling = true;
            let m = &mut self.ms[mi as usize];
            m.state = MState::Netpoll;
            m.next_at = u64::MAX;
            m.spinning = was_spinning;
            self.emit(EventKind::NetpollBlock, None, Some(mi), None);
            return;
        }
        self.stopm(mi);
    }

    /// Mirrors runtime/proc.go `stealWork` (go1.27): `stealTries = 4`
    /// passes over the Ps in `stealOrder`; timers and runnext only on the
    /// last pass.
    fn steal_work(&mut self, pp: PId) -> Option<(GId, bool, Source)> {
        for i in 0..STEAL_TRIES {
            let last = i == STEAL_TRIES - 1;
            let r = self.rand.cheaprand();
            let order: Vec<u32> = self.stealorder.start(r).collect();
            for p2 in order {
                if p2 == pp {
                    continue;
                }
                if last && !self.ps[p2 as usize].timers.is_empty() && self.check_timers(p2, pp) {
                    // "Running the timers may have made an arbitrary number
                    // of G's ready and added them to this P's local run
                    // queue."
                    if let Some((gp, inherit)) = self.runqget(pp) {
                        let s = if inherit {
                            Source::Runnext
                        } else {
                            Source::LocalRunq
                        };
                        return Some((gp, inherit, s));
                    }
                }
                // "Don't bother to attempt to steal if p2 is idle."
                if self.ps[p2 as usize].status != PStatus::Idle {
                    if let Some((gp, source)) = self.runqsteal(pp, p2, last) {
                        return Some((gp, false, source));
                    }
                }
            }
        }
        None
    }

    /// The M blocked in netpoll wakes: I/O is ready or a timer is due.
    /// Mirrors the end of runtime/proc.go `findRunnable` (go1.27).
    pub(crate) fn netpoll_wake(&mut self, mi: MId) {
        self.polling = false;
        self.lastpoll = self.now;
        let mut list = self.netpoll();
        let was_spinning = self.ms[mi as usize].spinning;
        self.ms[mi as usize].spinning = false;
        let Some(pp) = self.pidleget() else {
            self.injectglist(list, None);
            self.emit(EventKind::Stopm, None, Some(mi), None);
            return self.stopm(mi);
        };
        self.acquirep(mi, pp);
        if let Some(gp) = list.pop_front() {
            self.injectglist(list, Some(pp));
            return self.execute(mi, gp, false, Source::Netpoll);
        }
        if was_spinning {
            self.become_spinning(mi);
        }
        let m = &mut self.ms[mi as usize];
        m.state = MState::Schedule;
        m.next_at = self.now + self.cfg.op_cost_ns;
        self.emit(
            EventKind::Startm {
                spinning: was_spinning,
                created: false,
            },
            None,
            Some(mi),
            Some(pp),
        );
    }

    // ---- system calls -------------------------------------------------------

    /// Mirrors runtime/proc.go `exitsyscall` (go1.27): the fast path keeps
    /// the P; else `exitsyscallTryGetP`, which takes the old P back only
    /// from a thread that holds it in a syscall of its own
    /// (`setBlockOnExitSyscall`), and otherwise any idle P (`pidleget`,
    /// waking sysmon from its deep sleep); else `exitsyscallNoP` puts the
    /// G on the global queue and stops the M.
    pub(crate) fn exitsyscall(&mut self, mi: MId) {
        let gp = self.ms[mi as usize]
            .curg
            .expect("a syscall has a goroutine");
        if let Some(pp) = self.ms[mi as usize].p {
            let p = &mut self.ps[pp as usize];
            p.syscalltick = p.syscalltick.wrapping_add(1);
            return self.resume_after_syscall(mi, gp, pp, EventKind::ExitsyscallFast);
        }
        let oldp = self.ms[mi as usize].oldp.take();
        // "Try to steal our old P back": setBlockOnExitSyscall succeeds
        // only while the P is _Prunning and its M's G is in a syscall;
        // takeP then unwires it from that M.
        let holder = oldp.and_then(|o| {
            let p = &self.ps[o as usize];
            let om = p.m.filter(|_| p.status == PStatus::Running)?;
            let in_syscall = self.ms[om as usize]
                .curg
                .is_some_and(|g| self.g(g).status == GStatus::Syscall);
            (om != mi && in_syscall).then_some((o, om))
        });
        let got = match holder {
            Some((o, om)) => {
                self.releasep(om);
                self.ms[om as usize].oldp = Some(o);
                Some((o, true))
            }
            // "Try to get an idle P."
            None => {
                let pp = self.pidleget();
                if pp.is_some() {
                    self.wake_sysmon();
                }
                pp.map(|p| (p, false))
            }
        };
        if let Some((pp, old)) = got {
            self.acquirep(mi, pp);
            let p = &mut self.ps[pp as usize];
            p.syscalltick = p.syscalltick.wrapping_add(1);
            return self.resume_after_syscall(mi, gp, pp, EventKind::ExitsyscallTryGetP { old });
        }
        let now = self.now;
        let g = self.g_mut(gp);
        g.status = GStatus::Runnable;
        g.runnable_since = now;
        g.m = None;
        self.ms[mi as usize].curg = None;
        self.runq.push_back(gp);
        self.emit(EventKind::ExitsyscallNoP, Some(gp), Some(mi), None);
        self.stopm(mi);
    }

    fn resume_after_syscall(&mut self, mi: MId, gp: GId, pp: PId, kind: EventKind) {
        self.g_mut(gp).status = GStatus::Running;
        let m = &mut self.ms[mi as usize];
        m.state = MState::Running;
        m.next_at = self.now + self.cfg.op_cost_ns;
        self.emit(kind, Some(gp), Some(mi), Some(pp));
    }

    // ---- sysmon -------------------------------------------------------------

    /// Wakes sysmon from its deep sleep (`notewakeup(&sched.sysmonnote)`),
    /// which resets its back-off (`syscallWake` in proc.go's sysmon). Go
    /// does this in four places only: `startTheWorldWithSema`,
    /// `entersyscall`, `exitsyscallTryGetP` and `exitsyscallNoP` when they
    /// get an idle P. A P that gets work any other way (a timer, the
    /// netpoller, `startm`) leaves sysmon asleep until its sleep ends.
    pub(crate) fn wake_sysmon(&mut self) {
        if self.sysmon.sleeping {
            self.sysmon.sleeping = false;
            self.ms[1].next_at = self.now.max(self.ms[1].next_at.min(self.now + 20_000));
            self.sysmon.idle = 0;
            self.sysmon.delay_us = 20;
        }
    }

    /// One sysmon wake-up. Mirrors runtime/proc.go `sysmon` (go1.27): sleep
    /// 20 µs, doubling after 1 ms (50 idle cycles) up to 10 ms; poll the
    /// network if nobody has for 10 ms; `retake`; print schedtrace.
    pub(crate) fn sysmon_tick(&mut self, mi: MId) {
        let slept = self.sysmon.delay_us;
        self.emit(
            EventKind::SysmonTick { delay_us: slept },
            None,
            Some(mi),
            None,
        );
        if self.netpoll_inited && !self.polling && self.lastpoll + SYSMON_NETPOLL_NS < self.now {
            self.lastpoll = self.now;
            let list = self.netpoll();
            self.injectglist(list, None);
        }
        if self.retake() != 0 {
            self.sysmon.idle = 0;
        } else {
            self.sysmon.idle += 1;
        }
        if let Some(period) = self.cfg.schedtrace_ns {
            if self.sysmon.lasttrace.is_none_or(|t| t + period <= self.now) {
                self.sysmon.lasttrace = Some(self.now);
                self.trace_start.get_or_insert(self.now);
                self.emit(EventKind::Schedtrace, None, Some(mi), None);
            }
        }
        // "start with 20us sleep... start doubling the sleep after 1ms...
        // up to 10ms"
        if self.sysmon.idle == 0 {
            self.sysmon.delay_us = 20;
        } else if self.sysmon.idle > 50 {
            self.sysmon.delay_us *= 2;
        }
        self.sysmon.delay_us = self.sysmon.delay_us.min(10_000);
        let mut next = self.now + u64::from(self.sysmon.delay_us) * 1_000;
        // Deep sleep when every P is idle and schedtrace is off: until the
        // next timer, at most forcegcperiod/2.
        if self.cfg.schedtrace_ns.is_none() && self.npidle() == self.gomaxprocs {
            let until = self
                .earliest_timer()
                .unwrap_or(u64::MAX)
                .min(self.now.saturating_add(SYSMON_DEEP_SLEEP_NS))
                .max(next);
            self.sysmon.sleeping = true;
            next = until;
        }
        self.ms[mi as usize].next_at = next;
    }

    /// Mirrors runtime/proc.go `retake` (go1.27): preempt a G running 10 ms
    /// on one schedtick; take the P of a G in a syscall once it has been
    /// there for more than one sysmon tick and there is other work, or
    /// once the syscall has lasted 10 ms, or at once when the time slice
    /// is over (`sysretake`).
    fn retake(&mut self) -> u32 {
        let mut n = 0;
        let now = self.now;
        for i in 0..self.gomaxprocs {
            let pp = i as usize;
            if self.ps[pp].status != PStatus::Running {
                continue;
            }
            let Some(mi) = self.ps[pp].m else { continue };
            let mut sysretake = false;
            let schedtick = self.ps[pp].schedtick;
            let pd = &mut self.ps[pp].sysmontick;
            if pd.schedtick != schedtick {
                pd.schedtick = schedtick;
                pd.schedwhen = now;
            } else if pd.schedwhen + FORCE_PREEMPT_NS <= now {
                self.preemptone(mi);
                sysretake = true;
            }
            let m = &self.ms[mi as usize];
            if m.state != MState::Syscall || m.p != Some(i) {
                continue;
            }
            let syscalltick = self.ps[pp].syscalltick;
            let pd = &mut self.ps[pp].sysmontick;
            // "Retake the P if it's there for more than 1 sysmon tick (at
            // least 20us)."
            if !sysretake && pd.syscalltick != syscalltick {
                pd.syscalltick = syscalltick;
                pd.syscallwhen = now;
                continue;
            }
            // "we don't want to retake Ps if there is no other work to do"
            let work = !self.ps[pp].runqempty() || self.nmspinning + self.npidle() == 0;
            let long = self.ps[pp].sysmontick.syscallwhen + 10_000_000 <= now;
            if !work && !long {
                continue;
            }
            let why = if sysretake {
                RetakeWhy::TimeSlice
            } else if work {
                RetakeWhy::Work
            } else {
                RetakeWhy::Long
            };
            let gp = self.ms[mi as usize].curg;
            self.releasep(mi);
            self.ms[mi as usize].oldp = Some(i);
            self.emit(EventKind::Retake { why }, gp, Some(mi), Some(i));
            n += 1;
            self.handoffp(i);
        }
        n
    }

    /// Mirrors runtime/proc.go `preemptone` (go1.27): set the
    /// preempt flag and, unless `asyncpreemptoff=1`, signal the thread
    /// (`preemptM`), which makes the G call `gopreempt_m` at once.
    fn preemptone(&mut self, mi: MId) {
        let m = &self.ms[mi as usize];
        if m.state != MState::Running {
            return;
        }
        let Some(gp) = m.curg else { return };
        let next_at = m.next_at;
        if self.cfg.asyncpreemptoff {
            if !self.g(gp).preempt {
                self.g_mut(gp).preempt = true;
                let pp = self.ms[mi as usize].p;
                self.emit(EventKind::PreemptRequest, Some(gp), Some(mi), pp);
            }
            return;
        }
        let now = self.now;
        let g = self.g_mut(gp);
        if g.computing {
            g.computing = false;
            g.left = next_at.saturating_sub(now);
            if g.left == 0 {
                g.pc += 1;
            }
        }
        self.gosched_impl(mi, gp, EventKind::AsyncPreempt);
    }

    // ---- running a goroutine's script ---------------------------------------

    /// Runs the current G's next op. One call is one step of a running M.
    pub(crate) fn run_op(&mut self, mi: MId) {
        let gp = self.ms[mi as usize].curg.expect("a running M has a G");
        let pp = self.ms[mi as usize].p.expect("a running M has a P");
        let cost = self.cfg.op_cost_ns;
        {
            let g = self.g_mut(gp);
            if g.computing {
                g.computing = false;
                g.left = 0;
                g.pc += 1;
            }
        }
        loop {
            if self.g(gp).preempt {
                // The stack check at a function call sees the flag.
                return self.gosched_impl(mi, gp, EventKind::Preempted);
            }
            let g = self.g(gp);
            let op = self.cfg.funcs[usize::from(g.func)]
                .ops
                .get(usize::from(g.pc))
                .copied()
                .unwrap_or(Op::Exit);
            let now = self.now;
            self.ms[mi as usize].next_at = now + cost;
            match op {
                Op::Repeat(n) => {
                    let cfg = Rc::clone(&self.cfg);
                    let g = self.g_mut(gp);
                    if n == 0 {
                        g.pc = skip_block(&cfg.funcs[usize::from(g.func)].ops, g.pc);
                    } else {
                        g.loops[usize::from(g.depth)] = (g.pc + 1, n);
                        g.depth += 1;
                        g.pc += 1;
                    }
                }
                Op::End => {
                    let g = self.g_mut(gp);
                    let top = &mut g.loops[usize::from(g.depth) - 1];
                    top.1 -= 1;
                    if top.1 > 0 {
                        g.pc = top.0;
                    } else {
                        g.depth -= 1;
                        g.pc += 1;
                    }
                }
                Op::Compute(ns) => {
                    let g = self.g_mut(gp);
                    if g.left == 0 {
                        g.left = ns;
                    }
                    let left = g.left;
                    g.computing = true;
                    self.ms[mi as usize].next_at = now + left;
                    return self.emit(
                        EventKind::Compute { ns: left },
                        Some(gp),
                        Some(mi),
                        Some(pp),
                    );
                }
                Op::Gosched => {
                    self.g_mut(gp).pc += 1;
                    return self.gosched_impl(mi, gp, EventKind::Gosched);
                }
                Op::Go { func, count } => {
                    let g = self.g_mut(gp);
                    if count == 0 {
                        g.pc += 1;
                        continue;
                    }
                    g.spawned += 1;
                    if g.spawned == count {
                        g.spawned = 0;
                        g.pc += 1;
                    }
                    return self.newproc(mi, gp, func);
                }
                Op::NetRead(ns) => {
                    self.g_mut(gp).pc += 1;
                    self.netpoll_inited = true;
                    self.netpoll.insert((now + ns, gp));
                    return self.gopark(mi, gp, WaitReason::IoWait);
                }
                Op::Syscall(ns) => {
                    // entersyscall: the P stays with the M (go1.26+: no
                    // _Psyscall; the G's _Gsyscall says it all).
                    let g = self.g_mut(gp);
                    g.pc += 1;
                    g.status = GStatus::Syscall;
                    let m = &mut self.ms[mi as usize];
                    m.state = MState::Syscall;
                    m.next_at = now + ns;
                    self.emit(EventKind::Entersyscall { ns }, Some(gp), Some(mi), Some(pp));
                    return self.wake_sysmon();
                }
                Op::SyscallBlock(ns) => {
                    let g = self.g_mut(gp);
                    g.pc += 1;
                    g.status = GStatus::Syscall;
                    let p = &mut self.ps[pp as usize];
                    p.syscalltick = p.syscalltick.wrapping_add(1);
                    let m = &mut self.ms[mi as usize];
                    m.state = MState::Syscall;
                    m.next_at = now + ns;
                    self.emit(
                        EventKind::Entersyscallblock { ns },
                        Some(gp),
                        Some(mi),
                        Some(pp),
                    );
                    // "handoffp(releasep())"
                    self.releasep(mi);
                    return self.handoffp(pp);
                }
                Op::Sleep(ns) => {
                    self.g_mut(gp).pc += 1;
                    self.netpoll_inited = true;
                    self.timer_seq += 1;
                    let seq = self.timer_seq;
                    self.ps[pp as usize]
                        .timers
                        .push(Reverse((now + ns, seq, gp)));
                    return self.gopark(mi, gp, WaitReason::Sleep);
                }
                Op::Recv(c) => {
                    self.g_mut(gp).pc += 1;
                    let ch = self.sync_obj(c);
                    if ch.count > 0 {
                        ch.count -= 1;
                        return self.emit(
                            EventKind::SyncOp { op: "chanrecv" },
                            Some(gp),
                            Some(mi),
                            Some(pp),
                        );
                    }
                    ch.waiters.push_back(gp);
                    return self.gopark(mi, gp, WaitReason::ChanReceive);
                }
                Op::Send(c) => {
                    self.g_mut(gp).pc += 1;
                    let ch = self.sync_obj(c);
                    match ch.waiters.pop_front() {
                        Some(w) => return self.ready(pp, w, Some(gp)),
                        None => {
                            ch.count += 1;
                            return self.emit(
                                EventKind::SyncOp { op: "chansend" },
                                Some(gp),
                                Some(mi),
                                Some(pp),
                            );
                        }
                    }
                }
                Op::Lock(mu) => {
                    self.g_mut(gp).pc += 1;
                    let mu = self.sync_obj(0x4000 | mu);
                    if mu.count == 0 {
                        mu.count = 1;
                        return self.emit(
                            EventKind::SyncOp {
                                op: "sync.(*Mutex).Lock",
                            },
                            Some(gp),
                            Some(mi),
                            Some(pp),
                        );
                    }
                    mu.waiters.push_back(gp);
                    return self.gopark(mi, gp, WaitReason::SyncMutexLock);
                }
                Op::Unlock(mu) => {
                    self.g_mut(gp).pc += 1;
                    let mu = self.sync_obj(0x4000 | mu);
                    match mu.waiters.pop_front() {
                        // Ownership passes to the waiter (starvation-mode
                        // hand-off; normal mode would let them race).
                        Some(w) => return self.ready(pp, w, Some(gp)),
                        None => {
                            mu.count = 0;
                            return self.emit(
                                EventKind::SyncOp {
                                    op: "sync.(*Mutex).Unlock",
                                },
                                Some(gp),
                                Some(mi),
                                Some(pp),
                            );
                        }
                    }
                }
                Op::WgAdd(w, n) => {
                    self.g_mut(gp).pc += 1;
                    let wg = self.sync_obj(0x8000 | w);
                    wg.count = wg.count.saturating_add(n);
                    return self.emit(
                        EventKind::SyncOp {
                            op: "sync.(*WaitGroup).Add",
                        },
                        Some(gp),
                        Some(mi),
                        Some(pp),
                    );
                }
                Op::WgDone(w) => {
                    self.g_mut(gp).pc += 1;
                    let wg = self.sync_obj(0x8000 | w);
                    wg.count = wg.count.saturating_sub(1);
                    if wg.count == 0 && !wg.waiters.is_empty() {
                        let waiters = core::mem::take(&mut wg.waiters);
                        for wgp in waiters {
                            self.ready(pp, wgp, Some(gp));
                        }
                        return;
                    }
                    return self.emit(
                        EventKind::SyncOp {
                            op: "sync.(*WaitGroup).Done",
                        },
                        Some(gp),
                        Some(mi),
                        Some(pp),
                    );
                }
                Op::WgWait(w) => {
                    self.g_mut(gp).pc += 1;
                    let wg = self.sync_obj(0x8000 | w);
                    if wg.count == 0 {
                        return self.emit(
                            EventKind::SyncOp {
                                op: "sync.(*WaitGroup).Wait",
                            },
                            Some(gp),
                            Some(mi),
                            Some(pp),
                        );
                    }
                    wg.waiters.push_back(gp);
                    return self.gopark(mi, gp, WaitReason::SyncWaitGroupWait);
                }
                Op::Gomaxprocs(n) => {
                    self.g_mut(gp).pc += 1;
                    return self.procresize(mi, gp, n);
                }
                Op::Park(reason) => {
                    return self.gopark(mi, gp, reason);
                }
                Op::Exit => return self.goexit0(mi, gp),
            }
        }
    }

    /// Mirrors runtime/proc.go `goexit0`: the G is dead; main returning
    /// ends the program.
    fn goexit0(&mut self, mi: MId, gp: GId) {
        let pp = self.ms[mi as usize].p;
        // gdestroy: "gp.waitreason = waitReasonZero"; the reason otherwise
        // stays after a wake-up, as schedtrace shows.
        let g = self.g_mut(gp);
        g.status = GStatus::Dead;
        g.waitreason = WaitReason::Zero;
        self.dropg(mi);
        if gp == 1 {
            self.finished = true;
            return self.emit(EventKind::Exit, Some(gp), Some(mi), pp);
        }
        self.emit(EventKind::Goexit, Some(gp), Some(mi), pp);
    }

    /// Mirrors runtime/proc.go `procresize` (go1.27) inside `GOMAXPROCS`'s
    /// stop-the-world: destroyed Ps move their Gs to the head of the global
    /// queue (`destroy`), Ps are rebuilt from the highest id down, Ps with
    /// work get an M, the others go idle; then `startTheWorld` calls
    /// `wakep`.
    fn procresize(&mut self, mi: MId, gp: GId, nprocs: u32) {
        let old = self.gomaxprocs;
        let cur = self.ms[mi as usize].p.expect("GOMAXPROCS runs with a P");
        self.emit(
            EventKind::Procresize { old, new: nprocs },
            Some(gp),
            Some(mi),
            Some(cur),
        );
        // Stop the world: every other M lets go of its P. A running G is
        // kept in its P's runnext ("If preempted for STW, keep the G on the
        // local P in runnext").
        let mut oldm: Vec<Option<MId>> = alloc::vec![None; self.ps.len().max(nprocs as usize)];
        for i in 0..self.ms.len() {
            let other = i as MId;
            if other == mi {
                continue;
            }
            let Some(pp) = self.ms[i].p else { continue };
            match self.ms[i].state {
                MState::Running => {
                    let g = self.ms[i].curg.expect("running M has a G");
                    let now = self.now;
                    let next_at = self.ms[i].next_at;
                    let gg = self.g_mut(g);
                    if gg.computing {
                        gg.computing = false;
                        gg.left = next_at.saturating_sub(now);
                        if gg.left == 0 {
                            gg.pc += 1;
                        }
                    }
                    gg.status = GStatus::Runnable;
                    gg.runnable_since = now;
                    gg.m = None;
                    self.ms[i].curg = None;
                    self.runqput(pp, g, true);
                    oldm[pp as usize] = Some(other);
                }
                MState::Syscall => {
                    self.ms[i].oldp = Some(pp);
                }
                _ => {
                    oldm[pp as usize] = Some(other);
                }
            }
            self.releasep(other);
            if self.ms[i].state != MState::Syscall {
                self.ms[i].state = MState::Idle;
                self.ms[i].next_at = u64::MAX;
                self.ms[i].spinning = false;
                self.midle.push(other);
            }
        }
        self.nmspinning = 0;
        self.needspinning = false;
        self.pidle.clear();
        // Grow: new Ps (or dead ones revived).
        while self.ps.len() < nprocs as usize {
            let id = self.ps.len() as PId;
            self.ps.push(P::new(id, 0));
        }
        // Shrink: p.destroy().
        let dest = if cur < nprocs { cur } else { 0 };
        for i in nprocs..old {
            let p = &mut self.ps[i as usize];
            let mut moved: Vec<GId> = p.runq().collect();
            if let Some(next) = p.runnext.take() {
                moved.insert(0, next);
            }
            p.runqhead = p.runqtail;
            p.status = PStatus::Dead;
            p.m = None;
            let timers = core::mem::take(&mut p.timers);
            for g in moved.into_iter().rev() {
                self.runq.push_front(g);
            }
            self.ps[dest as usize].timers.extend(timers);
        }
        if cur >= nprocs {
            self.releasep(mi);
            self.ps[cur as usize].status = PStatus::Dead;
            self.acquirep(mi, 0);
        }
        let cur = self.ms[mi as usize].p.expect("acquired above");
        self.gomaxprocs = nprocs;
        self.stealorder.reset(nprocs);
        let mut runnable = Vec::new();
        for i in (0..nprocs).rev() {
            if i == cur {
                continue;
            }
            self.ps[i as usize].status = PStatus::Idle;
            if self.ps[i as usize].runqempty() {
                self.pidleput(i);
            } else {
                runnable.push(i);
            }
        }
        // The procresize step shows the world rebuilt, before any M starts.
        self.repaint();
        // startTheWorldWithSema: "if sched.sysmonwait.Load() { ...
        // notewakeup(&sched.sysmonnote) }", then each P with work gets an M.
        self.wake_sysmon();
        // startTheWorld: each P with work gets its old M back if it can.
        for pp in runnable.into_iter().rev() {
            if let Some(m) = oldm.get(pp as usize).copied().flatten() {
                if let Some(at) = self.midle.iter().position(|&x| x == m) {
                    self.midle.remove(at);
                    self.midle.push(m);
                }
            }
            self.startm(Some(pp), false);
        }
        self.wakep();
    }
}

/// The pc just after the `End` matching the `Repeat` at `pc`.
fn skip_block(ops: &[Op], pc: u16) -> u16 {
    let mut depth = 0;
    for (i, op) in ops.iter().enumerate().skip(usize::from(pc)) {
        match op {
            Op::Repeat(_) => depth += 1,
            Op::End => {
                depth -= 1;
                if depth == 0 {
                    return i as u16 + 1;
                }
            }
            _ => {}
        }
    }
    ops.len() as u16
}
