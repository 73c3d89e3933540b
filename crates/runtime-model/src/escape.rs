//! Escape analysis: where the compiler puts a variable, stack or heap, and
//! why, as a catalogue of small programs with the compiler's own verdicts.
//!
//! Mirrors cmd/compile/internal/escape (go1.27), whose `-gcflags=-m` output
//! each entry quotes for the line it concerns, and the size limits in
//! cmd/compile/internal/ir/cfg.go: `MaxStackVarSize` (128 KB, explicit
//! variables), `MaxImplicitStackVarSize` (64 KB, make/new/&T{}), and
//! `base.Debug.VariableMakeThreshold` (32 bytes, the stack buffer a
//! variable-size make gets).
//!
//! The rule behind every verdict: a value may live in a function's frame
//! only if the compiler can prove no pointer to it outlives the frame and it
//! is not too big. Otherwise it is "moved to heap" (a named variable) or
//! "escapes to heap" (an expression: a closure, a conversion, a make). A
//! parameter the function keeps is "leaking"; one it only reads "does not
//! escape".
//!
//! Left out on purpose: running escape analysis. Entries are data, and the
//! conformance tests check every verdict against `go build -gcflags=-m`
//! with the pinned toolchain, so a new Go release that changes a verdict
//! fails the tests instead of teaching something stale.

use alloc::vec::Vec;

/// One program and the verdict on one of its lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EscapeCase {
    /// A short stable id, e.g. "return-address".
    pub name: &'static str,
    pub title: &'static str,
    /// A complete `package main`, built as main.go.
    pub source: &'static str,
    /// The 1-based line the verdict is about.
    pub line: usize,
    /// What `go build -gcflags=-m` prints for that line, after
    /// "./main.go:LINE:COL: ".
    pub verdict: &'static str,
    /// Why, in plain words.
    pub why: &'static str,
}

/// Where a verdict leaves what it is about, in the three ways
/// `-gcflags=-m` says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// "does not escape": it lives in the function's frame.
    Stack,
    /// "moved to heap", "escapes to heap", or "leaking param" (a parameter
    /// kept past the call, so callers must pass heap memory).
    Heap,
    /// "leaking param: p to result": it flows only to the result, so the
    /// caller's own analysis decides.
    ToResult,
}

impl EscapeCase {
    /// Where the verdict leaves what it is about, read from the compiler's
    /// words (cmd/compile/internal/escape's `leaking param ... to result`,
    /// `moved to heap`, `escapes to heap`, `does not escape`).
    pub fn placement(&self) -> Placement {
        if self.verdict.starts_with("leaking param") && self.verdict.contains(" to result ") {
            Placement::ToResult
        } else if self.to_heap() {
            Placement::Heap
        } else {
            Placement::Stack
        }
    }

    /// True when the verdict puts something on the heap.
    pub fn to_heap(&self) -> bool {
        self.verdict.contains("heap") || self.verdict.starts_with("leaking param")
    }
    /// The source line the verdict is about.
    pub fn line_text(&self) -> &'static str {
        self.source.lines().nth(self.line - 1).unwrap_or("")
    }
}

const RETURN_ADDRESS: &str = r#"package main

type point struct{ x, y int }

//go:noinline
func newPoint() *point {
	p := point{1, 2}
	return &p
}

func main() {
	println(newPoint().x)
}
"#;

const CLOSURE: &str = r#"package main

//go:noinline
func counter() func() int {
	n := 0
	return func() int {
		n++
		return n
	}
}

func main() {
	next := counter()
	next()
	println(next())
}
"#;

const TO_INTERFACE: &str = r#"package main

var sink any

//go:noinline
func keep(v int) {
	sink = v
}

func main() {
	keep(1000)
	println(sink.(int))
}
"#;

const FMT_PRINTLN: &str = r#"package main

import (
	"fmt"
	"os"
)

func main() {
	n := len(os.Args)
	fmt.Println(n)
}
"#;

const MAKE_VARIABLE: &str = r#"package main

import "os"

func main() {
	n := len(os.Args) + 10
	buf := make([]byte, n)
	println(len(buf))
}
"#;

const MAKE_CONSTANT: &str = r#"package main

func main() {
	buf := make([]byte, 64)
	buf[0] = 1
	println(len(buf), buf[0])
}
"#;

const LARGE_ARRAY: &str = r#"package main

func main() {
	var big [128<<10 + 1]byte
	big[0] = 1
	println(big[0])
}
"#;

const LARGE_MAKE: &str = r#"package main

func main() {
	buf := make([]byte, 64<<10+1)
	buf[0] = 1
	println(len(buf))
}
"#;

const GOROUTINE: &str = r#"package main

func main() {
	done := make(chan bool)
	n := 0
	go func() {
		n++
		done <- true
	}()
	<-done
	println(n)
}
"#;

const PASS_DOWN: &str = r#"package main

//go:noinline
func sum(xs *[4]int) int {
	return xs[0] + xs[1] + xs[2] + xs[3]
}

func main() {
	a := [4]int{1, 2, 3, 4}
	println(sum(&a))
}
"#;

const METHOD_VALUE: &str = r#"package main

type counter struct{ n int }

func (c *counter) inc() { c.n++ }

var hook func()

func main() {
	c := counter{}
	hook = c.inc
	hook()
	println(c.n)
}
"#;

const GLOBAL: &str = r#"package main

var keep *int

//go:noinline
func remember(p *int) {
	keep = p
}

func main() {
	x := 7
	remember(&x)
	println(*keep)
}
"#;

const LEAK_TO_RESULT: &str = r#"package main

//go:noinline
func identity(p *int) *int {
	return p
}

func main() {
	x := 5
	println(*identity(&x))
}
"#;

const NEW_LOCAL: &str = r#"package main

func main() {
	p := new(int)
	*p = 3
	println(*p)
}
"#;

const STRING_CONCAT: &str = r#"package main

import "os"

//go:noinline
func greet(name string) string {
	return "hello, " + name
}

func main() {
	println(greet(os.Args[0]))
}
"#;

const DEFER_CLOSURE: &str = r#"package main

func main() {
	x := 1
	defer func() {
		println(x)
	}()
	x = 2
}
"#;

const MAP_LITERAL: &str = r#"package main

func main() {
	m := map[string]int{"a": 1}
	m["b"] = 2
	println(len(m))
}
"#;

const APPEND_RETURNED: &str = r#"package main

//go:noinline
func collect(n int) []int {
	var out []int
	for i := 0; i < n; i++ {
		out = append(out, i)
	}
	return out
}

func main() {
	println(len(collect(5)))
}
"#;

/// The catalogue, in teaching order.
pub fn catalogue() -> Vec<EscapeCase> {
    alloc::vec![

        EscapeCase {
            name: "return-address",
            title: "Returning the address of a local",
            source: RETURN_ADDRESS,
            line: 7,
            verdict: "moved to heap: p",
            why: "p's address outlives newPoint's frame, so p cannot live on the stack: the compiler allocates it on the heap instead.",
        },

        EscapeCase {
            name: "closure-capture",
            title: "A closure capturing a variable",
            source: CLOSURE,
            line: 5,
            verdict: "moved to heap: n",
            why: "The returned closure keeps using n after counter returns, and it changes n, so n lives on the heap where the closure can reach it.",
        },

        EscapeCase {
            name: "closure-escapes",
            title: "A returned closure",
            source: CLOSURE,
            line: 6,
            verdict: "func literal escapes to heap",
            why: "The closure (code pointer plus a pointer to n) is returned, so its context object must outlive the frame.",
        },

        EscapeCase {
            name: "to-interface",
            title: "Converting an int to an interface",
            source: TO_INTERFACE,
            line: 7,
            verdict: "v escapes to heap",
            why: "An interface's data word is a pointer; v is copied to the heap (convT64) because the interface is stored in a global.",
        },

        EscapeCase {
            name: "fmt-println",
            title: "fmt.Println arguments",
            source: FMT_PRINTLN,
            line: 10,
            verdict: "n escapes to heap",
            why: "fmt.Println takes ...any and the compiler cannot prove fmt keeps no reference, so each argument converted to any escapes (the ... slice itself does not).",
        },

        EscapeCase {
            name: "make-variable",
            title: "make with a size known only at run time",
            source: MAKE_VARIABLE,
            line: 7,
            verdict: "make([]byte, n) does not escape",
            why: "The slice stays in main. Since Go 1.25 the compiler gives a variable-size make a 32-byte stack buffer (VariableMakeThreshold) and calls makeslice on the heap only when n is larger.",
        },

        EscapeCase {
            name: "make-constant",
            title: "make with a constant size",
            source: MAKE_CONSTANT,
            line: 4,
            verdict: "make([]byte, 64) does not escape",
            why: "The size is known and small and the slice never leaves main, so its 64-byte backing array lives in main's frame.",
        },

        EscapeCase {
            name: "large-array",
            title: "A local array over 128 KB",
            source: LARGE_ARRAY,
            line: 4,
            verdict: "moved to heap: big",
            why: "Explicit variables larger than ir.MaxStackVarSize (128 KB) go to the heap even when they do not escape, to keep stacks small.",
        },

        EscapeCase {
            name: "large-make",
            title: "make of more than 64 KB",
            source: LARGE_MAKE,
            line: 4,
            verdict: "make([]byte, 65537) escapes to heap",
            why: "Implicit allocations (make, new, &T{}) larger than ir.MaxImplicitStackVarSize (64 KB) always go to the heap.",
        },

        EscapeCase {
            name: "goroutine-capture",
            title: "A goroutine capturing a variable",
            source: GOROUTINE,
            line: 5,
            verdict: "moved to heap: n",
            why: "The goroutine may run after main's frame changes and on its own stack, so the variable it shares with main lives on the heap.",
        },

        EscapeCase {
            name: "pass-down",
            title: "A pointer passed down to a callee",
            source: PASS_DOWN,
            line: 4,
            verdict: "xs does not escape",
            why: "sum only reads through xs and keeps no copy, so callers may pass the address of a stack variable: a stays on main's stack.",
        },

        EscapeCase {
            name: "method-value",
            title: "A method value",
            source: METHOD_VALUE,
            line: 11,
            verdict: "c.inc escapes to heap",
            why: "c.inc makes a closure bound to &c; stored in a global, the closure and c (moved to heap: c) must outlive main's frame.",
        },

        EscapeCase {
            name: "stored-in-global",
            title: "A parameter stored in a global",
            source: GLOBAL,
            line: 6,
            verdict: "leaking param: p",
            why: "remember stores p where it outlives the call, so callers must pass heap memory: x in main is moved to the heap.",
        },

        EscapeCase {
            name: "leak-to-result",
            title: "A parameter returned to the caller",
            source: LEAK_TO_RESULT,
            line: 4,
            verdict: "leaking param: p to result ~r0 level=0",
            why: "p flows only to the result: whether it escapes is up to the caller, and here x can stay on main's stack.",
        },

        EscapeCase {
            name: "new-local",
            title: "new(int) inside main",
            source: NEW_LOCAL,
            line: 4,
            verdict: "new(int) does not escape",
            why: "new does not mean heap: the pointer never leaves main, so the int lives in main's frame.",
        },

        EscapeCase {
            name: "string-concat",
            title: "A string built and returned",
            source: STRING_CONCAT,
            line: 7,
            verdict: "\"hello, \" + name escapes to heap",
            why: "The concatenation's bytes are returned to the caller, so they must be on the heap; name itself is only read.",
        },

        EscapeCase {
            name: "defer-closure",
            title: "A deferred closure",
            source: DEFER_CLOSURE,
            line: 5,
            verdict: "func literal does not escape",
            why: "A defer at the top level of a function runs before the frame goes away, so the closure and x stay on the stack.",
        },

        EscapeCase {
            name: "map-literal",
            title: "A local map",
            source: MAP_LITERAL,
            line: 4,
            verdict: "map[string]int{...} does not escape",
            why: "A map that never leaves the function can have its header and first bucket group on the stack.",
        },

        EscapeCase {
            name: "append-returned",
            title: "append to a slice that is returned",
            source: APPEND_RETURNED,
            line: 7,
            verdict: "append escapes to heap",
            why: "The slice append grows is returned, so each backing array growslice makes must be on the heap.",
        },

    ]
}

/// The entry called `name`.
pub fn case(name: &str) -> Option<EscapeCase> {
    catalogue().into_iter().find(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_at_least_twelve_distinct_entries() {
        let all = catalogue();
        assert!(all.len() >= 12);
        let mut names: Vec<_> = all.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }

    #[test]
    fn each_verdict_names_something_on_its_line() {
        for c in catalogue() {
            assert!(!c.line_text().trim().is_empty(), "{}", c.name);
            assert!(c.source.starts_with("package main\n"), "{}", c.name);
        }
        assert_eq!(
            case("return-address").unwrap().line_text().trim(),
            "p := point{1, 2}"
        );
    }

    #[test]
    fn every_verdict_has_one_placement_in_the_compilers_words() {
        for c in catalogue() {
            let p = c.placement();
            let said = match p {
                Placement::Stack => c.verdict.ends_with("does not escape"),
                Placement::Heap => {
                    c.verdict.starts_with("moved to heap:")
                        || c.verdict.ends_with("escapes to heap")
                        || (c.verdict.starts_with("leaking param:")
                            && !c.verdict.contains("to result"))
                }
                Placement::ToResult => c.verdict.starts_with("leaking param:"),
            };
            assert!(said, "{}: {:?} for {:?}", c.name, p, c.verdict);
        }
        assert_eq!(case("pass-down").unwrap().placement(), Placement::Stack);
        assert_eq!(case("return-address").unwrap().placement(), Placement::Heap);
        assert_eq!(
            case("stored-in-global").unwrap().placement(),
            Placement::Heap
        );
        assert_eq!(
            case("leak-to-result").unwrap().placement(),
            Placement::ToResult
        );
    }

    #[test]
    fn both_stack_and_heap_verdicts_are_taught() {
        let heap = catalogue().iter().filter(|c| c.to_heap()).count();
        assert!(heap >= 6 && heap < catalogue().len());
        assert!(!case("pass-down").unwrap().to_heap());
    }
}
