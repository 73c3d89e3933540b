//! Knobs and toolchain: the environment variables and flags, and the tools.

use yew::prelude::*;

use super::PageHead;
use crate::content::FactTable;

const KNOBS: &[&[&str]] = &[
    &[
        "`GOGC=100`",
        "Start a collection when the heap has grown by this percentage over what was live after the last one. Higher means fewer collections and more memory; `off` turns the percentage trigger off.",
        "`100`",
    ],
    &[
        "`GOMEMLIMIT=512MiB`",
        "A soft limit on the memory the Go runtime uses in total; the GC works harder as it gets close. Go 1.19 and later. The knob for containers.",
        "no limit",
    ],
    &[
        "`GOMAXPROCS=N`",
        "How many Ps, so how many goroutines run Go code in parallel. In a container it should match the CPU limit; since Go 1.25 the default does that on Linux by itself.",
        "the CPUs the process may use",
    ],
    &[
        "`GODEBUG=gctrace=1`",
        "Print one line to standard error for every collection: timings, heap sizes, goal.",
        "off",
    ],
    &[
        "`GODEBUG=schedtrace=1000`",
        "Print the scheduler's state every 1000 ms: Ps, threads, queue lengths.",
        "off",
    ],
    &[
        "`-gcflags=-m`",
        "Make the compiler explain its escape-analysis and inlining decisions.",
        "off",
    ],
    &[
        "`-gcflags=-S`",
        "Make the compiler print the assembly it generates.",
        "off",
    ],
    &[
        "`-ldflags=\"-s -w\"`",
        "Leave out the symbol table (`-s`) and DWARF debug information (`-w`): a smaller binary, harder to debug.",
        "both kept",
    ],
    &[
        "`-ldflags=\"-X pkg.v=1.2.3\"`",
        "Set a package-level string variable at link time, e.g. a version stamp.",
        "none",
    ],
    &[
        "`CGO_ENABLED=0`",
        "Build without cgo: pure Go, statically linked, no libc needed at run time.",
        "`1` when a C compiler is found (native builds)",
    ],
    &[
        "`GOOS` / `GOARCH`",
        "The operating system and architecture to build for; set them to cross-compile.",
        "the host's",
    ],
];

const TOOLS: &[&[&str]] = &[
    &[
        "`go tool compile -S`",
        "Compile Go source and show the assembly.",
    ],
    &[
        "`go tool link`",
        "Combine compiled packages and the runtime into an executable.",
    ],
    &[
        "`go tool nm`",
        "List the symbols in a binary or object file.",
    ],
    &[
        "`go version -m ./bin`",
        "Show the Go version, modules and build settings recorded in a binary.",
    ],
    &[
        "`go tool pprof`",
        "Find where CPU time and memory go, from a profile.",
    ],
    &[
        "`go tool trace`",
        "See when things happened: a timeline of goroutines, Ps, syscalls and GC.",
    ],
];

#[function_component(Knobs)]
pub fn knobs() -> Html {
    html! {
        <article class="page">
            <PageHead slug="knobs" />
            <FactTable caption="Runtime and build knobs" head={&["Knob", "What it does", "Default"][..]} rows={KNOBS} />
            <FactTable caption="The toolchain" head={&["Tool", "What it is for"][..]} rows={TOOLS} />
        </article>
    }
}
