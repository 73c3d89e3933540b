//! Goroutine stacks: born at 2 KB, doubled and copied when a call would
//! overflow, halved at GC when mostly empty, fatal past the limit.
//!
//! Mirrors runtime/stack.go (go1.27): `stackMin`, `stackGuard`, the function
//! prologue's check against the G's `stackguard0`, which the compiler
//! emits (`stacksplit` in cmd/internal/obj), `morestack` -> `newstack` -> `copystack`, `shrinkstack`,
//! and `maxstacksize` (set in proc.go `main`: 1,000,000,000 bytes on 64-bit,
//! decimal "because they look nicer in the stack overflow failure message").
//!
//! The stack is drawn as `size` bytes with `used` bytes from its top (`hi`)
//! down to the stack pointer. A call of a function with a frame of `frame`
//! bytes first checks that it fits above the guard; if not, `newstack`
//! allocates a stack twice as big (more if the frame needs it), copies the
//! old one and adjusts every pointer into it, and the call goes on.
//!
//! Left out on purpose: the stack cache and pools (`stackalloc`), the
//! starting size GC adapts (`startingStackSize`, GODEBUG adaptivestackstart),
//! preemption requests through `stackguard0`, and system stacks (g0,
//! gsignal). The guard assumes linux/amd64 (`stackSystem` 0, no race
//! detector).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::timeline::Simulation;

/// Mirrors stack.go stackMin: every goroutine starts with 2048 bytes.
pub const STACK_MIN: u64 = 2048;
/// Mirrors stack.go fixedStack (= stackMin rounded to a power of two, plus
/// stackSystem, which is 0 on linux): stacks never shrink below it.
pub const FIXED_STACK: u64 = STACK_MIN;
/// Mirrors internal/abi StackNosplitBase (without the race multiplier).
pub const STACK_NOSPLIT: u64 = 800;
/// Mirrors internal/abi StackSmall: frames this small check SP alone.
pub const STACK_SMALL: u64 = 128;
/// Mirrors stack.go stackGuard = stackNosplit + stackSystem + StackSmall.
pub const STACK_GUARD: u64 = STACK_NOSPLIT + STACK_SMALL;
/// Mirrors proc.go main: `maxstacksize = 1000000000` on 64-bit.
pub const MAX_STACK_SIZE_64: u64 = 1_000_000_000;

/// One thing the goroutine does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StackAction {
    /// Call a function whose frame is this many bytes.
    Call { frame: u64 },
    /// Return from the innermost call.
    Return,
    /// A GC scans the stack and may shrink it.
    Gc,
}

/// What one step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StackEventKind {
    /// The call fit: the frame was pushed.
    Call { frame: u64, depth: usize },
    /// The prologue saw the frame would cross the guard: `newstack` made a
    /// new stack and `copystack` moved the frames (the call then goes on).
    Grow {
        old_size: u64,
        new_size: u64,
        used: u64,
    },
    /// A frame was popped.
    Return { frame: u64, depth: usize },
    /// `shrinkstack` halved the stack.
    Shrink {
        old_size: u64,
        new_size: u64,
        used: u64,
    },
    /// `shrinkstack` kept the size; `reason` says which rule.
    KeepSize {
        size: u64,
        used: u64,
        reason: &'static str,
    },
    /// The stack would pass `maxstacksize`: the program dies.
    Overflow {
        size: u64,
        limit: u64,
        message: String,
    },
    /// The script is over.
    Done,
}

/// One step, for narration and drawing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackEvent {
    pub tick: u64,
    pub kind: StackEventKind,
    /// The Go function that does this, e.g. "newstack".
    pub go_function: &'static str,
    /// One plain-English sentence.
    pub text: String,
}

/// A goroutine's stack, step by step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackSim {
    /// Bytes in the stack (`stack.hi - stack.lo`).
    size: u64,
    /// Bytes of frames, counted down from `hi` (including `base`).
    used: u64,
    /// Frame sizes, outermost first.
    frames: Vec<u64>,
    max_stack_size: u64,
    script: Vec<StackAction>,
    next: usize,
    tick: u64,
    /// Sizes the stack has had, in order: 2048, 4096, ...
    history: Vec<u64>,
    /// Set when the goroutine died of a stack overflow.
    dead: bool,
    /// A call that is waiting for its grown stack.
    pending_call: Option<u64>,
}

impl StackSim {
    /// A new goroutine whose entry frames already take `base` bytes, that
    /// will run `script`, with the 64-bit limit.
    pub fn new(base: u64, script: Vec<StackAction>) -> StackSim {
        StackSim {
            size: STACK_MIN,
            used: base,
            frames: Vec::new(),
            max_stack_size: MAX_STACK_SIZE_64,
            script,
            next: 0,
            tick: 0,
            history: alloc::vec![STACK_MIN],
            dead: false,
            pending_call: None,
        }
    }

    /// Like `runtime/debug.SetMaxStack(limit)`.
    pub fn with_max_stack_size(mut self, limit: u64) -> StackSim {
        self.max_stack_size = limit;
        self
    }

    /// A recursion `depth` calls deep with frames of `frame` bytes, back up
    /// again, then `gcs` garbage collections.
    pub fn recursion(base: u64, frame: u64, depth: usize, gcs: usize) -> StackSim {
        let mut script = Vec::new();
        script.extend((0..depth).map(|_| StackAction::Call { frame }));
        script.extend((0..depth).map(|_| StackAction::Return));
        script.extend((0..gcs).map(|_| StackAction::Gc));
        StackSim::new(base, script)
    }

    pub fn size(&self) -> u64 {
        self.size
    }
    pub fn used(&self) -> u64 {
        self.used
    }
    /// Frame sizes, outermost first.
    pub fn frames(&self) -> &[u64] {
        &self.frames
    }
    /// Every size the stack has had, in order.
    pub fn history(&self) -> &[u64] {
        &self.history
    }
    pub fn tick(&self) -> u64 {
        self.tick
    }
    pub fn is_done(&self) -> bool {
        self.dead || (self.pending_call.is_none() && self.next >= self.script.len())
    }

    /// The script's next action, when the next step starts one: `None`
    /// once the run is over, and while a call waits for the stack that
    /// grew for it (the next step pushes its frame).
    pub fn next_action(&self) -> Option<StackAction> {
        if self.dead || self.pending_call.is_some() {
            return None;
        }
        self.script.get(self.next).copied()
    }

    /// Takes steps while the next step's event happens at or before `tick`
    /// on the simulation's clock (the step number: the k-th step's event
    /// happens at k), stopping early when the run ends; returns the events
    /// of the steps taken, oldest first.
    pub fn run_until(&mut self, tick: u64) -> Vec<StackEvent> {
        let mut events = Vec::new();
        while self.tick < tick && !self.is_done() {
            events.push(self.step());
        }
        events
    }

    /// Runs the whole script.
    pub fn run(&mut self) -> Vec<StackEvent> {
        let mut events = Vec::new();
        while !self.is_done() {
            events.push(self.step());
        }
        events
    }

    /// One step: a call whose frame does not fit first grows the stack (one
    /// step), then is pushed (the next step); returns pop; a GC may shrink.
    /// Once [`StackSim::is_done`], each further step is a `Done` event (the
    /// [`Simulation`] impl returns `None` instead and does not tick).
    pub fn step(&mut self) -> StackEvent {
        self.tick += 1;
        let (go_function, kind, text) = if self.dead {
            (
                "",
                StackEventKind::Done,
                String::from("The program has died."),
            )
        } else if let Some(frame) = self.pending_call.take() {
            self.push(frame)
        } else {
            match self.script.get(self.next).copied() {
                None => (
                    "",
                    StackEventKind::Done,
                    String::from("The script is over."),
                ),
                Some(action) => {
                    self.next += 1;
                    match action {
                        StackAction::Call { frame } => self.call(frame),
                        StackAction::Return => self.ret(),
                        StackAction::Gc => self.shrinkstack(),
                    }
                }
            }
        };
        StackEvent {
            tick: self.tick,
            kind,
            go_function,
            text,
        }
    }

    /// The prologue's check (cmd/internal/obj/x86 stacksplit): a frame up to
    /// StackSmall compares SP with stackguard0; a bigger one compares
    /// SP - (frame - StackSmall). stackguard0 sits stackGuard above `lo`.
    fn needs_morestack(&self, frame: u64) -> bool {
        self.used + frame.saturating_sub(STACK_SMALL) + STACK_GUARD >= self.size
    }

    fn call(&mut self, frame: u64) -> (&'static str, StackEventKind, String) {
        if !self.needs_morestack(frame) {
            return self.push(frame);
        }
        self.newstack(frame)
    }

    fn push(&mut self, frame: u64) -> (&'static str, StackEventKind, String) {
        self.frames.push(frame);
        self.used += frame;
        let depth = self.frames.len();
        let text = format!(
            "Call {depth} pushes a {frame}-byte frame: {} of {} bytes in use.",
            self.used, self.size
        );
        ("", StackEventKind::Call { frame, depth }, text)
    }

    /// Mirrors stack.go newstack (go1.27): "newsize := oldsize * 2", then
    /// "grow at least as much as needed to fit the new frame", then the
    /// maxstacksize check, then copystack.
    fn newstack(&mut self, frame: u64) -> (&'static str, StackEventKind, String) {
        let old_size = self.size;
        let mut new_size = old_size * 2;
        let needed = frame + STACK_GUARD;
        while new_size - self.used < needed {
            new_size *= 2;
        }
        if new_size > self.max_stack_size {
            self.dead = true;
            let message = format!(
                "runtime: goroutine stack exceeds {}-byte limit\nfatal error: stack overflow",
                self.max_stack_size
            );
            let text = format!(
                "The stack would grow to {new_size} bytes, past the {}-byte limit: the runtime throws \"stack overflow\" and the program dies.",
                self.max_stack_size
            );
            return (
                "newstack",
                StackEventKind::Overflow {
                    size: new_size,
                    limit: self.max_stack_size,
                    message,
                },
                text,
            );
        }
        self.size = new_size;
        self.history.push(new_size);
        self.pending_call = Some(frame);
        let text = format!(
            "A {frame}-byte frame does not fit above the guard ({} of {old_size} bytes in use): morestack asks newstack for a {new_size}-byte stack, and copystack moves every frame and fixes the pointers into it.",
            self.used
        );
        (
            "newstack",
            StackEventKind::Grow {
                old_size,
                new_size,
                used: self.used,
            },
            text,
        )
    }

    fn ret(&mut self) -> (&'static str, StackEventKind, String) {
        let depth = self.frames.len();
        let Some(frame) = self.frames.pop() else {
            return (
                "",
                StackEventKind::Done,
                String::from("Nothing to return from."),
            );
        };
        self.used -= frame;
        let text = format!(
            "Return from call {depth}: {} of {} bytes in use; the stack does not shrink until a GC.",
            self.used, self.size
        );
        ("", StackEventKind::Return { frame, depth }, text)
    }

    /// Mirrors stack.go shrinkstack (go1.27): "newsize := oldsize / 2",
    /// not below fixedStack, and only if "gp is using less than a quarter
    /// of its current stack" (counting stackNosplit).
    fn shrinkstack(&mut self) -> (&'static str, StackEventKind, String) {
        let old_size = self.size;
        let new_size = old_size / 2;
        let keep = |reason: &'static str, text: String| {
            (
                "shrinkstack",
                StackEventKind::KeepSize {
                    size: old_size,
                    used: self.used,
                    reason,
                },
                text,
            )
        };
        if new_size < FIXED_STACK {
            return keep(
                "already at the minimum size",
                format!("GC: the stack is already {old_size} bytes, the minimum; it stays."),
            );
        }
        if self.used + STACK_NOSPLIT >= old_size / 4 {
            return keep(
                "a quarter or more is in use",
                format!(
                    "GC: {} bytes in use (plus {STACK_NOSPLIT} of guard) is a quarter or more of {old_size}; the stack stays.",
                    self.used
                ),
            );
        }
        self.size = new_size;
        self.history.push(new_size);
        let text = format!(
            "GC: only {} of {old_size} bytes in use (less than a quarter): shrinkstack copies the stack into {new_size} bytes.",
            self.used
        );
        (
            "shrinkstack",
            StackEventKind::Shrink {
                old_size,
                new_size,
                used: self.used,
            },
            text,
        )
    }
}

/// For a [`crate::timeline::Timeline`]: the run ends when the script does
/// (or the goroutine dies), and the steps are the ticks.
impl Simulation for StackSim {
    type Event = StackEvent;

    fn step(&mut self) -> Option<StackEvent> {
        (!self.is_done()).then(|| StackSim::step(self))
    }

    fn steps(&self) -> u64 {
        self.tick
    }

    fn approx_bytes(&self) -> usize {
        use core::mem::size_of;
        size_of::<StackSim>()
            + (self.frames.capacity() + self.history.capacity()) * size_of::<u64>()
            + self.script.capacity() * size_of::<StackAction>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grows(events: &[StackEvent]) -> Vec<u64> {
        events
            .iter()
            .filter_map(|e| match e.kind {
                StackEventKind::Grow { new_size, .. } => Some(new_size),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_next_action_is_the_scripts_except_while_a_call_waits() {
        let mut sim = StackSim::recursion(200, 1200, 2, 1);
        let mut seen = Vec::new();
        while !sim.is_done() {
            let next = sim.next_action();
            let e = sim.step();
            seen.push((next, e.kind));
        }
        assert_eq!(sim.next_action(), None);
        let call = Some(StackAction::Call { frame: 1200 });
        // 200 B in use, a 1200 B frame and the 928 B guard pass 2 KB: the
        // first call grows, then its frame is pushed with no action of its
        // own.
        assert_eq!(seen[0].0, call);
        assert!(matches!(seen[0].1, StackEventKind::Grow { .. }));
        assert_eq!(seen[1].0, None);
        assert!(matches!(seen[1].1, StackEventKind::Call { .. }));
        assert_eq!(seen.last().unwrap().0, Some(StackAction::Gc));
        let dead = StackSim::recursion(0, 1 << 20, 10, 0).with_max_stack_size(1 << 21);
        let mut dead = dead;
        dead.run();
        assert_eq!(dead.next_action(), None, "a dead goroutine does nothing");
    }

    #[test]
    fn a_deep_recursion_doubles_the_stack_each_time_it_fills() {
        let mut sim = StackSim::recursion(200, 96, 200, 0);
        let events = sim.run();
        // 200 frames of 96 B = 19,400 B: 2K -> 4K -> 8K -> 16K -> 32K.
        assert_eq!(grows(&events), [4096, 8192, 16384, 32768]);
        assert_eq!(sim.used(), 200);
        assert_eq!(sim.size(), 32768);
    }

    #[test]
    fn a_huge_frame_grows_by_more_than_double() {
        let mut sim = StackSim::new(200, vec![StackAction::Call { frame: 10_000 }]);
        assert_eq!(grows(&sim.run()), [16384]);
    }

    #[test]
    fn gc_halves_a_mostly_empty_stack_down_to_where_a_quarter_is_used() {
        let mut sim = StackSim::recursion(300, 96, 200, 6);
        sim.run();
        // 300 + 800 < size/4 holds for 32K, 16K, 8K, not for 4K.
        assert_eq!(
            sim.history(),
            [2048, 4096, 8192, 16384, 32768, 16384, 8192, 4096]
        );
    }

    #[test]
    fn a_stack_past_the_limit_is_fatal() {
        let mut sim = StackSim::recursion(200, 1000, 10_000, 0).with_max_stack_size(1 << 20);
        let events = sim.run();
        let StackEventKind::Overflow { message, size, .. } = &events.last().unwrap().kind else {
            panic!("expected an overflow, got {:?}", events.last());
        };
        assert_eq!(*size, 2 << 20);
        assert_eq!(
            message,
            "runtime: goroutine stack exceeds 1048576-byte limit\nfatal error: stack overflow"
        );
        assert!(sim.is_done());
    }

    #[test]
    fn the_64_bit_limit_lets_the_stack_reach_512_mb_but_not_1_gb() {
        let mut sim = StackSim::recursion(0, 1 << 20, 1000, 0);
        let events = sim.run();
        assert_eq!(*sim.history().last().unwrap(), 512 << 20);
        assert!(matches!(
            events.last().unwrap().kind,
            StackEventKind::Overflow {
                size: 0x4000_0000,
                ..
            }
        ));
    }
}
