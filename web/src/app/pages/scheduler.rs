//! The scheduler page: the vocabulary of G, M and P and the monitor thread.

use yew::prelude::*;

use crate::app::registry::mount;

use super::PageHead;
use crate::kit::content::FactTable;

const TERMS: &[&[&str]] = &[
    &[
        "G, M, P",
        "A G is a goroutine, an M is an OS thread (a \"machine\"), a P is a logical processor: the right to run Go code, with its own queue of runnable goroutines. An M must hold a P to run a G.",
    ],
    &[
        "`GOMAXPROCS`",
        "How many Ps exist, and so how many goroutines can run Go code at the same instant. It defaults to the number of CPUs the process may use.",
    ],
    &[
        "Handoff",
        "When a goroutine enters a system call, its M keeps the P at first: the P stays `_Prunning`. sysmon's `retake` takes it away and gives it to another M only once the call has lasted a sysmon tick (20 µs or more) and other goroutines wait, or no M is spinning and no P is idle, or the call has lasted 10 ms. A call known to block (`entersyscallblock`) hands the P off at once.",
    ],
    &[
        "Work stealing",
        "A P with an empty queue takes about half of another P's queue, so work spreads without a central lock.",
    ],
    &[
        "Netpoller",
        "The runtime's wrapper over epoll, kqueue or IOCP. A goroutine waiting on a socket is parked there, and its thread is free for other work.",
    ],
    &[
        "sysmon",
        "A monitor thread that runs without a P. It preempts goroutines that run too long, takes Ps back from threads stuck in system calls, polls the network and kicks off periodic GC.",
    ],
    &[
        "Asynchronous preemption",
        "Since Go 1.14 sysmon can stop a goroutine that has run for 10 ms even in a tight loop without function calls: it sends the thread a signal (`SIGURG`), and the handler stops the goroutine only if it is at an async safe point (`isAsyncSafePoint`: for instance not in the runtime or a write barrier, and with stack room for the injected call). Otherwise it runs on until its next function call or a later signal. The model preempts at the next step.",
    ],
];

#[function_component(Scheduler)]
pub fn scheduler() -> Html {
    html! {
        <article class="page">
            <PageHead slug="scheduler" />
            <p>
                { "Go runs many goroutines on few threads (an M:N scheduler). Each P keeps a \
                   local run queue of up to 256 goroutines plus a one-slot " }<code>{ "runnext" }</code>
                { " for the goroutine that should run next; a global queue catches the overflow. \
                   Idle Ps steal, blocked threads hand their P off, and sysmon watches over it all." }
            </p>
            <section aria-labelledby="watch-it-run">
                <h2 id="watch-it-run">{ "Watch it run" }</h2>
                { mount("scheduler") }
            </section>
            <section aria-labelledby="your-program">
                <h2 id="your-program">{ "Your program" }</h2>
                <p>{ "The widget above is a model. Here is the real thing: an execution trace of a Go program, on the same lanes. Open one of yours (record it with runtime/trace or go test -trace) or a sample, then step through its events, play it in its own time, or jump to the next GC cycle, the next stop-the-world or the next event of a goroutine." }</p>
                { mount("trace") }
            </section>
            <FactTable caption="Scheduler vocabulary" head={&["Term", "What it means"][..]} rows={TERMS} />
        </article>
    }
}
