//! The log widget's words and tables: what was read, the lines that were
//! not, the charts' keys, and every number in a table.

use runtime_model::gc::trace::{fmt_ns_as_ms, itoa_div};
use runtime_model::logs::{GcCycle, Log, SchedSample};
use yew::prelude::*;

use super::draw::{MAX_DRAWN, MAX_P_STRIPS};

/// The most rows a table or the list of unread lines shows.
pub const MAX_ROWS: usize = 500;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One sentence on what was read, announced when it changes.
pub fn summary(log: &Log) -> String {
    let read = log.gc.len() + log.sched.len() + log.scav.len() + log.forced_gc.len();
    if log.lines == 0 || (read == 0 && log.errors.is_empty()) {
        return "Nothing to read yet: paste a log, open a file, or try an example.".to_owned();
    }
    if read == 0 {
        return format!(
            "No GC or scheduler line in {}. Run your program with GODEBUG=gctrace=1 (or GODEBUG=schedtrace=1000) and paste what it prints to standard error.",
            plural(log.lines, "line", "lines")
        );
    }
    let mut parts = Vec::new();
    if !log.gc.is_empty() {
        parts.push(plural(log.gc.len(), "GC cycle", "GC cycles"));
    }
    if !log.sched.is_empty() {
        parts.push(plural(
            log.sched.len(),
            "scheduler sample",
            "scheduler samples",
        ));
    }
    if !log.scav.is_empty() {
        parts.push(plural(log.scav.len(), "scavenger line", "scavenger lines"));
    }
    if !log.forced_gc.is_empty() {
        parts.push(plural(
            log.forced_gc.len(),
            "timer-forced GC notice",
            "timer-forced GC notices",
        ));
    }
    let unread = match log.errors.first() {
        None => "every line was understood.".to_owned(),
        Some(e) => format!(
            "{} not understood (the first is line {}).",
            plural(log.errors.len(), "line", "lines"),
            e.line
        ),
    };
    format!(
        "Read {} from {}; {unread}",
        parts.join(", "),
        plural(log.lines, "line", "lines")
    )
}

/// The lines that did not parse, each with its number and why.
pub fn unread_lines(log: &Log) -> Html {
    if log.errors.is_empty() {
        return html! {};
    }
    let more = log.errors.len().saturating_sub(MAX_ROWS);
    html! {
        <section class="logs-errors" aria-labelledby="logs-errors-title">
            <h3 id="logs-errors-title">{ format!("Lines not understood ({})", log.errors.len()) }</h3>
            <p class="muted">{ "They are left out of the charts; everything else still draws. A line from your own program (not from the runtime) lands here too." }</p>
            <ol class="logs-error-list">
                { for log.errors.iter().take(MAX_ROWS).map(|e| html! {
                    <li data-line={e.line.to_string()}>
                        <span class="logs-line-no">{ format!("Line {}: ", e.line) }</span>
                        { e.reason.clone() }
                        <code class="logs-line-text">{ e.text.clone() }</code>
                    </li>
                }) }
            </ol>
            if more > 0 {
                <p>{ format!("… and {more} more.") }</p>
            }
        </section>
    }
}

/// The keys of the heap chart.
pub fn heap_legend() -> Html {
    html! {
        <p class="legend chart-keys">
            <span class="key heap">{ "━ heap in use" }</span>
            <span class="key">{ "╌ goal" }</span>
            <span class="key">{ "┈ marked live" }</span>
            <span class="key">{ "┆ forced by runtime.GC()" }</span>
        </p>
    }
}

/// What the drawing can and cannot say.
pub fn heap_caveat(log: &Log) -> Html {
    let cut = log.gc.len() > MAX_DRAWN;
    html! {
        <p class="muted logs-caveat">
            { "Each cycle starts at the heap size when it began, rises to the size when marking ended, and drops to what marking found live. The runtime prints whole megabytes and times to two digits, so small heaps look like steps; between cycles it prints nothing, so the line there is straight." }
            if cut {
                { format!(" Only the first {MAX_DRAWN} cycles are drawn; the table has them all.") }
            }
        </p>
    }
}

pub fn sched_caveat(log: &Log) -> Html {
    let procs = log.sched.iter().map(|s| s.runq.len()).max().unwrap_or(0);
    html! {
        <p class="muted logs-caveat">
            { "Each bar holds from one sample to the next. The runtime reads these counts without stopping anything, so a sample can catch a queue mid-change." }
            if procs > MAX_P_STRIPS {
                { format!(" The chart shows the first {MAX_P_STRIPS} of {procs} Ps; the table has them all.") }
            }
            if log.sched.len() > MAX_DRAWN {
                { format!(" Only the first {MAX_DRAWN} samples are drawn; the table has them all.") }
            }
        </p>
    }
}

fn ms(ns: u64) -> String {
    fmt_ns_as_ms(ns)
}

fn gc_row(c: &GcCycle) -> Html {
    let mut note = Vec::new();
    if c.forced {
        note.push("forced");
    }
    if c.leak_check {
        note.push("leak check");
    }
    html! {
        <tr data-cycle={c.numgc.to_string()}>
            <td>{ c.line }</td>
            <th scope="row">{ c.numgc }</th>
            <td>{ itoa_div(c.start_ms, 3) }</td>
            <td>{ c.heap_mb[0] }</td>
            <td>{ c.heap_mb[1] }</td>
            <td>{ c.heap_mb[2] }</td>
            <td>{ c.goal_mb }</td>
            <td>{ format!("{}%", c.cpu_percent) }</td>
            <td>{ ms(c.clock_ns[0]) }</td>
            <td>{ ms(c.clock_ns[1]) }</td>
            <td>{ ms(c.clock_ns[2]) }</td>
            <td>{ c.procs }</td>
            <td>{ note.join(", ") }</td>
        </tr>
    }
}

/// Every cycle's numbers, as printed.
pub fn gc_table(cycles: &[GcCycle]) -> Html {
    let more = cycles.len().saturating_sub(MAX_ROWS);
    html! {
        <details class="logs-table">
            <summary>{ format!("The numbers of each cycle ({})", cycles.len()) }</summary>
            <div class="table-wrap" tabindex="0" role="region" aria-label="GC cycles table">
                <table class="logs-gc-table">
                    <caption>{ "Heap sizes in MB and times in ms, as the runtime printed them" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Line" }</th>
                        <th scope="col">{ "Cycle" }</th>
                        <th scope="col">{ "At (s)" }</th>
                        <th scope="col">{ "Heap before" }</th>
                        <th scope="col">{ "After" }</th>
                        <th scope="col">{ "Live" }</th>
                        <th scope="col">{ "Goal" }</th>
                        <th scope="col">{ "GC CPU" }</th>
                        <th scope="col">{ "Pause at start" }</th>
                        <th scope="col">{ "Mark" }</th>
                        <th scope="col">{ "Pause at end" }</th>
                        <th scope="col">{ "Ps" }</th>
                        <th scope="col">{ "Note" }</th>
                    </tr></thead>
                    <tbody>{ for cycles.iter().take(MAX_ROWS).map(gc_row) }</tbody>
                </table>
            </div>
            if more > 0 {
                <p>{ format!("… and {more} more cycles (the CLI prints them all: gopherscope logs FILE).") }</p>
            }
        </details>
    }
}

fn sched_row(s: &SchedSample) -> Html {
    let runq: Vec<String> = s.runq.iter().map(u64::to_string).collect();
    html! {
        <tr data-ms={s.ms.to_string()}>
            <td>{ s.line }</td>
            <th scope="row">{ s.ms }</th>
            <td>{ s.gomaxprocs }</td>
            <td>{ s.idleprocs }</td>
            <td>{ s.runqueue }</td>
            <td class="logs-runq">{ runq.join(" ") }</td>
            <td>{ s.threads }</td>
            <td>{ s.idlethreads }</td>
            <td>{ s.spinningthreads }</td>
            <td>{ s.detail.as_ref().map_or(String::new(), |d| d.gs.len().to_string()) }</td>
        </tr>
    }
}

/// Every sample's numbers.
pub fn sched_table(samples: &[SchedSample]) -> Html {
    let more = samples.len().saturating_sub(MAX_ROWS);
    html! {
        <details class="logs-table">
            <summary>{ format!("The numbers of each sample ({})", samples.len()) }</summary>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Scheduler samples table">
                <table class="logs-sched-table">
                    <caption>{ "Counts as the runtime printed them" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Line" }</th>
                        <th scope="col">{ "Time (ms)" }</th>
                        <th scope="col">{ "Ps" }</th>
                        <th scope="col">{ "Idle Ps" }</th>
                        <th scope="col">{ "Global queue" }</th>
                        <th scope="col">{ "Local queues, P0 first" }</th>
                        <th scope="col">{ "Threads" }</th>
                        <th scope="col">{ "Idle threads" }</th>
                        <th scope="col">{ "Spinning" }</th>
                        <th scope="col">{ "Goroutines (detail)" }</th>
                    </tr></thead>
                    <tbody>{ for samples.iter().take(MAX_ROWS).map(sched_row) }</tbody>
                </table>
            </div>
            if more > 0 {
                <p>{ format!("… and {more} more samples (the CLI prints them all: gopherscope logs FILE).") }</p>
            }
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runtime_model::logs::parse;

    #[test]
    fn the_summary_counts_and_points_at_the_first_unread_line() {
        assert!(summary(&parse("")).starts_with("Nothing to read yet"));
        assert!(summary(&parse("hello\n")).starts_with("No GC or scheduler line in 1 line."));
        let log = parse(
            "gc 1 @0.001s 2%: 0.1+0.2+0.01 ms clock, 0.2+0/0.1/0+0.02 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\nbad\n",
        );
        assert_eq!(
            summary(&log),
            "Read 1 GC cycle from 2 lines; 1 line not understood (the first is line 2)."
        );
    }
}
