//! The wire format's event types and their specifications.
//!
//! Mirrors internal/trace/tracev2/events.go `Specs` and internal/trace/tracev2/spec.go
//! `EventSpec` (go1.27), and the per-version tables of
//! internal/trace/version/version.go `Version`.

use alloc::string::String;

/// An event's type byte on the wire.
pub type EventType = u8;

/// Mirrors internal/trace/tracev2/events.go `EvNone` and the constants after it (go1.27).
#[allow(missing_docs)]
pub mod ev {
    use super::EventType;
    pub const NONE: EventType = 0;
    pub const EVENT_BATCH: EventType = 1;
    pub const STACKS: EventType = 2;
    pub const STACK: EventType = 3;
    pub const STRINGS: EventType = 4;
    pub const STRING: EventType = 5;
    pub const CPU_SAMPLES: EventType = 6;
    pub const CPU_SAMPLE: EventType = 7;
    pub const FREQUENCY: EventType = 8;
    pub const PROCS_CHANGE: EventType = 9;
    pub const PROC_START: EventType = 10;
    pub const PROC_STOP: EventType = 11;
    pub const PROC_STEAL: EventType = 12;
    pub const PROC_STATUS: EventType = 13;
    pub const GO_CREATE: EventType = 14;
    pub const GO_CREATE_SYSCALL: EventType = 15;
    pub const GO_START: EventType = 16;
    pub const GO_DESTROY: EventType = 17;
    pub const GO_DESTROY_SYSCALL: EventType = 18;
    pub const GO_STOP: EventType = 19;
    pub const GO_BLOCK: EventType = 20;
    pub const GO_UNBLOCK: EventType = 21;
    pub const GO_SYSCALL_BEGIN: EventType = 22;
    pub const GO_SYSCALL_END: EventType = 23;
    pub const GO_SYSCALL_END_BLOCKED: EventType = 24;
    pub const GO_STATUS: EventType = 25;
    pub const STW_BEGIN: EventType = 26;
    pub const STW_END: EventType = 27;
    pub const GC_ACTIVE: EventType = 28;
    pub const GC_BEGIN: EventType = 29;
    pub const GC_END: EventType = 30;
    pub const GC_SWEEP_ACTIVE: EventType = 31;
    pub const GC_SWEEP_BEGIN: EventType = 32;
    pub const GC_SWEEP_END: EventType = 33;
    pub const GC_MARK_ASSIST_ACTIVE: EventType = 34;
    pub const GC_MARK_ASSIST_BEGIN: EventType = 35;
    pub const GC_MARK_ASSIST_END: EventType = 36;
    pub const HEAP_ALLOC: EventType = 37;
    pub const HEAP_GOAL: EventType = 38;
    pub const GO_LABEL: EventType = 39;
    pub const USER_TASK_BEGIN: EventType = 40;
    pub const USER_TASK_END: EventType = 41;
    pub const USER_REGION_BEGIN: EventType = 42;
    pub const USER_REGION_END: EventType = 43;
    pub const USER_LOG: EventType = 44;
    pub const GO_SWITCH: EventType = 45;
    pub const GO_SWITCH_DESTROY: EventType = 46;
    pub const GO_CREATE_BLOCKED: EventType = 47;
    pub const GO_STATUS_STACK: EventType = 48;
    pub const EXPERIMENTAL_BATCH: EventType = 49;
    pub const SYNC: EventType = 50;
    pub const CLOCK_SNAPSHOT: EventType = 51;
    pub const END_OF_GENERATION: EventType = 52;
    pub const NUM_EVENTS: EventType = 53;
    pub const MAX_EVENT: EventType = 127;
    pub const SPAN: EventType = 128;
    pub const SPAN_ALLOC: EventType = 129;
    pub const SPAN_FREE: EventType = 130;
    pub const HEAP_OBJECT: EventType = 131;
    pub const HEAP_OBJECT_ALLOC: EventType = 132;
    pub const HEAP_OBJECT_FREE: EventType = 133;
    pub const GOROUTINE_STACK: EventType = 134;
    pub const GOROUTINE_STACK_ALLOC: EventType = 135;
    pub const GOROUTINE_STACK_FREE: EventType = 136;
    pub const MAX_EXPERIMENTAL_EVENT: EventType = 137;
    /// Mirrors internal/trace/event.go `evSync` (go1.27): the reader's own
    /// type for the Sync events it makes up.
    pub const SYNC_EVENT: EventType = 255;
}

/// Mirrors internal/trace/tracev2/events.go `MaxTimedEventArgs` (go1.27).
pub const MAX_TIMED_EVENT_ARGS: usize = 5;
/// Mirrors internal/trace/tracev2/events.go `MaxBatchSize` (go1.27).
pub const MAX_BATCH_SIZE: u64 = 64 << 10;
/// Mirrors internal/trace/tracev2/events.go `MaxFramesPerStack` (go1.27).
pub const MAX_FRAMES_PER_STACK: u64 = 128;
/// Mirrors internal/trace/tracev2/events.go `MaxEventTrailerDataSize` (go1.27).
pub const MAX_EVENT_TRAILER_DATA_SIZE: u64 = 1 << 10;

/// Mirrors internal/trace/tracev2/spec.go `EventSpec` (go1.27).
#[derive(Debug, Clone, Copy)]
pub struct EventSpec {
    /// The event's name, as Go spells it.
    pub name: &'static str,
    /// The names of its arguments; the first of a timed event is `dt`.
    pub args: &'static [&'static str],
    /// Which arguments are string IDs (1-based, counting `dt`).
    pub string_ids: &'static [usize],
    /// Which arguments are stack IDs; the first is the event's own stack.
    pub stack_ids: &'static [usize],
    /// The "begin" event of a range, for an end or active event.
    pub start_ev: EventType,
    /// Whether the event has a timestamp and reaches the reader.
    pub is_timed_event: bool,
    /// Whether the event ends with a length and that many bytes of data.
    pub has_data: bool,
    /// Whether the event is a stack: a frame count, then four varints
    /// (PC, function, file, line) per frame.
    pub is_stack: bool,
    /// The experiment the event belongs to (0: none).
    pub experiment: u8,
}

const fn structural(name: &'static str, args: &'static [&'static str]) -> EventSpec {
    EventSpec {
        name,
        args,
        string_ids: &[],
        stack_ids: &[],
        start_ev: ev::NONE,
        is_timed_event: false,
        has_data: false,
        is_stack: false,
        experiment: 0,
    }
}

const fn timed(
    name: &'static str,
    args: &'static [&'static str],
    string_ids: &'static [usize],
    stack_ids: &'static [usize],
    start_ev: EventType,
) -> EventSpec {
    EventSpec {
        name,
        args,
        string_ids,
        stack_ids,
        start_ev,
        is_timed_event: true,
        has_data: false,
        is_stack: false,
        experiment: 0,
    }
}

const fn alloc_free(name: &'static str, args: &'static [&'static str]) -> EventSpec {
    EventSpec {
        name,
        args,
        string_ids: &[],
        stack_ids: &[],
        start_ev: ev::NONE,
        is_timed_event: true,
        has_data: false,
        is_stack: false,
        experiment: ALLOC_FREE,
    }
}

const EMPTY: EventSpec = structural("", &[]);

/// Mirrors internal/trace/tracev2/events.go `AllocFree` (go1.27).
pub const ALLOC_FREE: u8 = 1;

/// Mirrors internal/trace/tracev2/events.go `Experiments` (go1.27).
pub const EXPERIMENTS: [&str; 2] = ["None", "AllocFree"];

/// Mirrors internal/trace/tracev2/events.go `specs` (go1.27): every event
/// type of the newest format, indexed by its type byte.
pub static SPECS: [EventSpec; ev::MAX_EXPERIMENTAL_EVENT as usize] = {
    use ev::*;
    let mut s = [EMPTY; MAX_EXPERIMENTAL_EVENT as usize];
    s[EVENT_BATCH as usize] = structural("EventBatch", &["gen", "m", "time", "size"]);
    s[STACKS as usize] = structural("Stacks", &[]);
    s[STACK as usize] = EventSpec {
        is_stack: true,
        ..structural("Stack", &["id", "nframes"])
    };
    s[STRINGS as usize] = structural("Strings", &[]);
    s[STRING as usize] = EventSpec {
        has_data: true,
        ..structural("String", &["id"])
    };
    s[CPU_SAMPLES as usize] = structural("CPUSamples", &[]);
    s[CPU_SAMPLE as usize] = EventSpec {
        stack_ids: &[4],
        ..structural("CPUSample", &["time", "m", "p", "g", "stack"])
    };
    s[FREQUENCY as usize] = structural("Frequency", &["freq"]);
    s[EXPERIMENTAL_BATCH as usize] = EventSpec {
        has_data: true,
        ..structural("ExperimentalBatch", &["exp", "gen", "m", "time"])
    };
    s[SYNC as usize] = structural("Sync", &[]);
    s[END_OF_GENERATION as usize] = structural("EndOfGeneration", &[]);

    s[PROCS_CHANGE as usize] = timed(
        "ProcsChange",
        &["dt", "procs_value", "stack"],
        &[],
        &[2],
        NONE,
    );
    s[PROC_START as usize] = timed("ProcStart", &["dt", "p", "p_seq"], &[], &[], NONE);
    s[PROC_STOP as usize] = timed("ProcStop", &["dt"], &[], &[], NONE);
    s[PROC_STEAL as usize] = timed("ProcSteal", &["dt", "p", "p_seq", "m"], &[], &[], NONE);
    s[PROC_STATUS as usize] = timed("ProcStatus", &["dt", "p", "pstatus"], &[], &[], NONE);
    s[GO_CREATE as usize] = timed(
        "GoCreate",
        &["dt", "new_g", "new_stack", "stack"],
        &[],
        &[3, 2],
        NONE,
    );
    s[GO_CREATE_SYSCALL as usize] = timed("GoCreateSyscall", &["dt", "new_g"], &[], &[], NONE);
    s[GO_START as usize] = timed("GoStart", &["dt", "g", "g_seq"], &[], &[], NONE);
    s[GO_DESTROY as usize] = timed("GoDestroy", &["dt"], &[], &[], NONE);
    s[GO_DESTROY_SYSCALL as usize] = timed("GoDestroySyscall", &["dt"], &[], &[], NONE);
    s[GO_STOP as usize] = timed(
        "GoStop",
        &["dt", "reason_string", "stack"],
        &[1],
        &[2],
        NONE,
    );
    s[GO_BLOCK as usize] = timed(
        "GoBlock",
        &["dt", "reason_string", "stack"],
        &[1],
        &[2],
        NONE,
    );
    s[GO_UNBLOCK as usize] = timed("GoUnblock", &["dt", "g", "g_seq", "stack"], &[], &[3], NONE);
    s[GO_SYSCALL_BEGIN as usize] =
        timed("GoSyscallBegin", &["dt", "p_seq", "stack"], &[], &[2], NONE);
    s[GO_SYSCALL_END as usize] = timed("GoSyscallEnd", &["dt"], &[], &[], GO_SYSCALL_BEGIN);
    s[GO_SYSCALL_END_BLOCKED as usize] =
        timed("GoSyscallEndBlocked", &["dt"], &[], &[], GO_SYSCALL_BEGIN);
    s[GO_STATUS as usize] = timed("GoStatus", &["dt", "g", "m", "gstatus"], &[], &[], NONE);
    s[STW_BEGIN as usize] = timed(
        "STWBegin",
        &["dt", "kind_string", "stack"],
        &[1],
        &[2],
        NONE,
    );
    s[STW_END as usize] = timed("STWEnd", &["dt"], &[], &[], STW_BEGIN);
    s[GC_ACTIVE as usize] = timed("GCActive", &["dt", "gc_seq"], &[], &[], GC_BEGIN);
    s[GC_BEGIN as usize] = timed("GCBegin", &["dt", "gc_seq", "stack"], &[], &[2], NONE);
    s[GC_END as usize] = timed("GCEnd", &["dt", "gc_seq"], &[], &[], GC_BEGIN);
    s[GC_SWEEP_ACTIVE as usize] = timed("GCSweepActive", &["dt", "p"], &[], &[], GC_SWEEP_BEGIN);
    s[GC_SWEEP_BEGIN as usize] = timed("GCSweepBegin", &["dt", "stack"], &[], &[1], NONE);
    s[GC_SWEEP_END as usize] = timed(
        "GCSweepEnd",
        &["dt", "swept_value", "reclaimed_value"],
        &[],
        &[],
        GC_SWEEP_BEGIN,
    );
    s[GC_MARK_ASSIST_ACTIVE as usize] = timed(
        "GCMarkAssistActive",
        &["dt", "g"],
        &[],
        &[],
        GC_MARK_ASSIST_BEGIN,
    );
    s[GC_MARK_ASSIST_BEGIN as usize] =
        timed("GCMarkAssistBegin", &["dt", "stack"], &[], &[1], NONE);
    s[GC_MARK_ASSIST_END as usize] =
        timed("GCMarkAssistEnd", &["dt"], &[], &[], GC_MARK_ASSIST_BEGIN);
    s[HEAP_ALLOC as usize] = timed("HeapAlloc", &["dt", "heapalloc_value"], &[], &[], NONE);
    s[HEAP_GOAL as usize] = timed("HeapGoal", &["dt", "heapgoal_value"], &[], &[], NONE);
    s[GO_LABEL as usize] = timed("GoLabel", &["dt", "label_string"], &[1], &[], NONE);
    s[USER_TASK_BEGIN as usize] = timed(
        "UserTaskBegin",
        &["dt", "task", "parent_task", "name_string", "stack"],
        &[3],
        &[4],
        NONE,
    );
    s[USER_TASK_END as usize] = timed("UserTaskEnd", &["dt", "task", "stack"], &[], &[2], NONE);
    s[USER_REGION_BEGIN as usize] = timed(
        "UserRegionBegin",
        &["dt", "task", "name_string", "stack"],
        &[2],
        &[3],
        NONE,
    );
    s[USER_REGION_END as usize] = timed(
        "UserRegionEnd",
        &["dt", "task", "name_string", "stack"],
        &[2],
        &[3],
        USER_REGION_BEGIN,
    );
    s[USER_LOG as usize] = timed(
        "UserLog",
        &["dt", "task", "key_string", "value_string", "stack"],
        &[2, 3],
        &[4],
        NONE,
    );
    s[GO_SWITCH as usize] = timed("GoSwitch", &["dt", "g", "g_seq"], &[], &[], NONE);
    s[GO_SWITCH_DESTROY as usize] = timed("GoSwitchDestroy", &["dt", "g", "g_seq"], &[], &[], NONE);
    s[GO_CREATE_BLOCKED as usize] = timed(
        "GoCreateBlocked",
        &["dt", "new_g", "new_stack", "stack"],
        &[],
        &[3, 2],
        NONE,
    );
    s[GO_STATUS_STACK as usize] = timed(
        "GoStatusStack",
        &["dt", "g", "m", "gstatus", "stack"],
        &[],
        &[4],
        NONE,
    );
    s[CLOCK_SNAPSHOT as usize] = timed(
        "ClockSnapshot",
        &["dt", "mono", "sec", "nsec"],
        &[],
        &[],
        NONE,
    );

    s[SPAN as usize] = alloc_free("Span", &["dt", "id", "npages_value", "kindclass"]);
    s[SPAN_ALLOC as usize] = alloc_free("SpanAlloc", &["dt", "id", "npages_value", "kindclass"]);
    s[SPAN_FREE as usize] = alloc_free("SpanFree", &["dt", "id"]);
    s[HEAP_OBJECT as usize] = alloc_free("HeapObject", &["dt", "id", "type"]);
    s[HEAP_OBJECT_ALLOC as usize] = alloc_free("HeapObjectAlloc", &["dt", "id", "type"]);
    s[HEAP_OBJECT_FREE as usize] = alloc_free("HeapObjectFree", &["dt", "id"]);
    s[GOROUTINE_STACK as usize] = alloc_free("GoroutineStack", &["dt", "id", "order"]);
    s[GOROUTINE_STACK_ALLOC as usize] = alloc_free("GoroutineStackAlloc", &["dt", "id", "order"]);
    s[GOROUTINE_STACK_FREE as usize] = alloc_free("GoroutineStackFree", &["dt", "id"]);
    s
};

/// The spec of a type byte, or an empty one for a byte no event has.
pub fn spec(typ: EventType) -> &'static EventSpec {
    SPECS.get(typ as usize).unwrap_or(&EMPTY)
}

/// A trace format version: the minor Go version its header names.
///
/// Mirrors internal/trace/version/version.go `Version` (go1.27).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32);

impl Version {
    /// Mirrors internal/trace/version/version.go `Go122` (go1.27).
    pub const GO122: Version = Version(22);
    /// Mirrors internal/trace/version/version.go `Go123` (go1.27).
    pub const GO123: Version = Version(23);
    /// Mirrors internal/trace/version/version.go `Go125` (go1.27).
    pub const GO125: Version = Version(25);
    /// Mirrors internal/trace/version/version.go `Go126` (go1.27).
    pub const GO126: Version = Version(26);

    /// Whether this reader reads the version (the v2 format).
    pub fn is_v2(self) -> bool {
        matches!(self.0, 22 | 23 | 25 | 26)
    }

    /// Whether the version is one of the old v1 format (Go 1.11 to 1.21).
    pub fn is_v1(self) -> bool {
        matches!(self.0, 11 | 19 | 21)
    }

    /// Mirrors internal/trace/version/version.go (Version).Specs (go1.27):
    /// the event types the version knows, by type byte.
    pub fn specs(self) -> &'static [EventSpec] {
        &SPECS[..self.num_specs()]
    }

    /// How many event types the version knows.
    fn num_specs(self) -> usize {
        match self.0 {
            22 => ev::USER_LOG as usize + 1,
            23 => ev::EXPERIMENTAL_BATCH as usize + 1,
            25 => ev::CLOCK_SNAPSHOT as usize + 1,
            _ => SPECS.len(),
        }
    }

    /// Mirrors internal/trace/version/version.go (Version).EventName (go1.27).
    pub fn event_name(self, typ: EventType) -> String {
        let n = self.num_specs();
        if (typ as usize) < n && !SPECS[typ as usize].name.is_empty() {
            SPECS[typ as usize].name.into()
        } else {
            alloc::format!("Invalid({typ})")
        }
    }
}

/// Mirrors internal/trace/tracev2/events.go `GoStatus` (go1.27).
pub mod go_status {
    #![allow(missing_docs)]
    pub const BAD: u64 = 0;
    pub const RUNNABLE: u64 = 1;
    pub const RUNNING: u64 = 2;
    pub const SYSCALL: u64 = 3;
    pub const WAITING: u64 = 4;

    /// Mirrors internal/trace/tracev2/events.go (GoStatus).String (go1.27).
    pub fn name(s: u64) -> &'static str {
        match s {
            RUNNABLE => "Runnable",
            RUNNING => "Running",
            SYSCALL => "Syscall",
            WAITING => "Waiting",
            _ => "Bad",
        }
    }
}

/// Mirrors internal/trace/tracev2/events.go `ProcStatus` (go1.27).
pub mod proc_status {
    #![allow(missing_docs)]
    pub const BAD: u64 = 0;
    pub const RUNNING: u64 = 1;
    pub const IDLE: u64 = 2;
    pub const SYSCALL: u64 = 3;
    pub const SYSCALL_ABANDONED: u64 = 4;

    /// Mirrors internal/trace/tracev2/events.go (ProcStatus).String (go1.27).
    pub fn name(s: u64) -> &'static str {
        match s {
            RUNNING => "Running",
            IDLE => "Idle",
            SYSCALL => "Syscall",
            SYSCALL_ABANDONED => "SyscallAbandoned",
            _ => "Bad",
        }
    }
}
