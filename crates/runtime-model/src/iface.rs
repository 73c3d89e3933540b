//! Interfaces: the two words behind every interface value, and step-through
//! snippets that show them change line by line.
//!
//! Mirrors runtime/runtime2.go `eface{_type, data}` (for `any`) and
//! `iface{tab, data}` (for interfaces with methods), internal/abi/iface.go
//! `ITab{Inter, Type, Hash, Fun}`, and how a value gets into the data word:
//! cmd/compile/internal/walk/convert.go `dataWord` and runtime/iface.go
//! `convT`, `convTnoptr`, `convT16`, `convT32`, `convT64`, `convTstring`,
//! `convTslice` (go1.27). The rules, in the order the compiler tries them:
//!
//! 1. A pointer-shaped value (pointer, map, chan, func, unsafe.Pointer, or a
//!    struct/array with exactly one such element: `types.IsDirectIface`) is
//!    its own data word; nothing is allocated.
//! 2. A zero-size value points at `zerobase`.
//! 3. A bool or a one-byte integer points into `staticuint64s`, a read-only
//!    table holding 0..255.
//! 4. A constant, or a read-only global, points at a read-only copy the
//!    compiler lays down.
//! 5. If the interface does not escape, the value is copied to a stack
//!    temporary (up to 1024 bytes).
//! 6. Otherwise the runtime boxes it: `convT64` and friends, which still
//!    point small values (< 256) into `staticuint64s` and empty strings and
//!    nil slices at `zeroVal`, and `mallocgc` a copy of anything else.
//!
//! An interface is nil only when its type word is nil, and the compiler
//! checks `x != nil` with one inline test of that word, calling nothing.
//! Two interfaces are equal when their types are identical and their values
//! are equal (the type words are compared inline, then `efaceeq`/`ifaceeq`
//! compare the values); if the type is not comparable that comparison
//! panics.
//!
//! Left out on purpose: an interpreter. Each snippet is data: its Go source
//! and, for each step, the words of its variables and what the program has
//! printed; the conformance tests run every snippet with real Go and check
//! the output, the panic, the type hashes and the compiler's own account of
//! each conversion (`-d=escapedebug=1`). Itab caching (`itabTable`), type
//! assertions and method calls through the itab are described, not run.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// What the runtime's type descriptor (`abi.Type`) says about a type the
/// snippets use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoType {
    /// As `%T` prints it.
    pub name: &'static str,
    /// `Size_`, amd64.
    pub size: u64,
    /// `Hash`: the compiler's hash of the type's link name
    /// (cmd/compile/internal/types TypeHash). Itabs copy it; type switches
    /// compare it first.
    pub hash: u32,
    /// `types.IsDirectIface`: one word holding a pointer.
    pub direct_iface: bool,
    /// Whether `==` is defined on it.
    pub comparable: bool,
}

/// The types the snippets use (amd64, go1.27). Checked against the real
/// runtime's type descriptors by the conformance tests.
pub const GO_TYPES: [GoType; 10] = [
    go_type("*main.MyErr", 8, 2_840_986_696, true, true),
    go_type("main.point", 16, 3_331_950_396, false, true),
    go_type("main.empty", 0, 2_450_473_282, false, true),
    go_type("int", 8, 881_633_426, false, true),
    go_type("int64", 8, 1_713_971_779, false, true),
    go_type("uint8", 1, 1_787_590_265, false, true),
    go_type("string", 16, 4_169_609_912, false, true),
    go_type("[]int", 24, 1_720_224_899, false, false),
    go_type("*int", 8, 1_168_613_991, true, true),
    go_type("map[string]int", 8, 836_767_293, true, false),
];

const fn go_type(
    name: &'static str,
    size: u64,
    hash: u32,
    direct_iface: bool,
    comparable: bool,
) -> GoType {
    GoType {
        name,
        size,
        hash,
        direct_iface,
        comparable,
    }
}

/// Looks a type up in [`GO_TYPES`] by its `%T` name.
pub fn find_type(name: &str) -> Option<GoType> {
    GO_TYPES.into_iter().find(|t| t.name == name)
}

/// Mirrors internal/abi.ITab: which interface, which concrete type, the
/// type's hash, and the method table (`Fun`), in the interface's method
/// order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Itab {
    /// `Inter`: the interface type, e.g. `error`.
    pub inter: &'static str,
    /// `Type`: the concrete (dynamic) type.
    pub typ: GoType,
    /// `Hash`: a copy of `Type.Hash`.
    pub hash: u32,
    /// `Fun`: one code pointer per interface method, named here.
    pub fun: Vec<&'static str>,
}

/// The first word of an interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeWord {
    /// No dynamic type: the interface is nil.
    Nil,
    /// `eface._type`, for `any`.
    Type(GoType),
    /// `iface.tab`, for an interface with methods.
    Itab(Itab),
}

/// The second word of an interface: where the value is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataWord {
    /// Nothing (a nil interface).
    Nil,
    /// The value itself: a pointer-shaped value is its own data word.
    Direct { value: String },
    /// A pointer to a copy `mallocgc` made (`via`, e.g. "convT64").
    Heap {
        value: String,
        size: u64,
        via: &'static str,
    },
    /// A pointer to `staticuint64s[index]`: no allocation.
    StaticUint64s { index: u8 },
    /// A pointer to `zerobase`: zero-size values.
    Zerobase,
    /// A pointer to `zeroVal`: the runtime's zero bytes, for "" and nil
    /// slices boxed by convTstring/convTslice.
    ZeroVal,
    /// A pointer to a read-only copy the compiler laid down (a constant).
    ReadOnly { value: String },
    /// A pointer to a copy in the function's own stack frame.
    StackTemp { value: String },
}

/// How a conversion to an interface made its data word, as the compiler
/// decides in walk/convert.go dataWord.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// Pointer-shaped: the value is the word.
    Direct,
    /// Zero-size: `zerobase`.
    ZeroSized,
    /// Bool or one-byte integer: `staticuint64s`, decided at compile time.
    SingleByte,
    /// A constant: a read-only global copy.
    ReadOnlyGlobal,
    /// The interface does not escape: a stack temporary.
    StackTemporary,
    /// A call into the runtime, e.g. "convT64".
    Runtime(&'static str),
}

impl Conversion {
    /// What `go build -gcflags=-d=escapedebug=1` prints for this conversion
    /// (the text after "convert: "), if anything.
    pub const fn diagnostic(self) -> Option<&'static str> {
        match self {
            Conversion::Direct | Conversion::Runtime(_) => None,
            Conversion::ZeroSized => Some("using global for zero-sized interface value"),
            Conversion::SingleByte => Some("using global for single-byte interface value"),
            Conversion::ReadOnlyGlobal => Some("using global for interface value"),
            Conversion::StackTemporary => Some("using stack temporary for interface value"),
        }
    }
}

/// One variable as the UI draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Var {
    /// An interface variable: its static type ("any", "error") and words.
    Iface {
        name: &'static str,
        static_type: &'static str,
        tab: TypeWord,
        data: DataWord,
    },
    /// Any other variable, shown by value.
    Plain {
        name: &'static str,
        go_type: &'static str,
        value: String,
    },
}

impl Var {
    pub fn name(&self) -> &'static str {
        match self {
            Var::Iface { name, .. } | Var::Plain { name, .. } => name,
        }
    }
    /// True for an interface whose type word is nil.
    pub fn is_nil_interface(&self) -> bool {
        matches!(
            self,
            Var::Iface {
                tab: TypeWord::Nil,
                ..
            }
        )
    }
}

/// The state after one line has run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// 1-based line in the snippet's source.
    pub line: usize,
    /// Every variable in scope, in declaration order.
    pub vars: Vec<Var>,
    /// What this line printed.
    pub printed: String,
    /// The panic's first line, if this line panics.
    pub panic: Option<String>,
    /// The conversion on this line, if one makes an interface worth
    /// checking: (variable, how).
    pub conversion: Option<(&'static str, Conversion)>,
    /// The Go function at work, e.g. "convT64", "efaceeq".
    pub go_function: &'static str,
    /// One plain-English sentence.
    pub text: String,
}

/// A complete, runnable Go program and its steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub name: &'static str,
    pub title: &'static str,
    /// A complete `package main`.
    pub source: &'static str,
    pub steps: Vec<Step>,
}

impl Snippet {
    /// Everything the program prints to standard output.
    pub fn output(&self) -> String {
        self.steps.iter().map(|s| s.printed.as_str()).collect()
    }
    /// The first line of the panic, if the program panics.
    pub fn panic(&self) -> Option<&str> {
        self.steps.iter().find_map(|s| s.panic.as_deref())
    }
    /// The source's lines, for drawing.
    pub fn lines(&self) -> impl Iterator<Item = &'static str> {
        self.source.lines()
    }
}

/// Steps through a snippet one line at a time.
#[derive(Clone, Debug)]
pub struct IfaceStepper {
    snippet: Snippet,
    next: usize,
}

impl IfaceStepper {
    pub fn new(snippet: Snippet) -> IfaceStepper {
        IfaceStepper { snippet, next: 0 }
    }
    pub fn snippet(&self) -> &Snippet {
        &self.snippet
    }
    /// The state after the last step taken (None before the first).
    pub fn current(&self) -> Option<&Step> {
        self.next.checked_sub(1).map(|i| &self.snippet.steps[i])
    }
    /// Output printed so far.
    pub fn output_so_far(&self) -> String {
        self.snippet.steps[..self.next]
            .iter()
            .map(|s| s.printed.as_str())
            .collect()
    }
    pub fn is_done(&self) -> bool {
        self.next >= self.snippet.steps.len()
    }
    /// Runs the next line; None at the end.
    pub fn step(&mut self) -> Option<&Step> {
        let step = self.snippet.steps.get(self.next)?;
        self.next += 1;
        Some(step)
    }
    /// Takes steps while the next step's event happens at or before `n`
    /// on the simulation's clock (the step number: the k-th step's event
    /// happens at k; a step is one line), stopping early when the run ends; returns the events of
    /// the steps taken, oldest first: the steps of the lines that ran.
    /// Like every `run_until`, it never goes back.
    pub fn run_until(&mut self, n: usize) -> &[Step] {
        let from = self.next;
        self.next = from.max(n.min(self.snippet.steps.len()));
        &self.snippet.steps[from..self.next]
    }
}

/// Builds a snippet's steps, each from the one before.
struct Script {
    snippet: Snippet,
    vars: Vec<Var>,
}

impl Script {
    fn new(name: &'static str, title: &'static str, source: &'static str) -> Script {
        Script {
            snippet: Snippet {
                name,
                title,
                source,
                steps: Vec::new(),
            },
            vars: Vec::new(),
        }
    }

    /// A step at the one line containing `fragment`.
    fn at(mut self, fragment: &str, go_function: &'static str, text: &str) -> Script {
        let mut hits = self
            .snippet
            .source
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains(fragment));
        let line = match (hits.next(), hits.next()) {
            (Some((i, _)), None) => i + 1,
            _ => panic!(
                "{}: {fragment:?} must be on exactly one line",
                self.snippet.name
            ),
        };
        self.snippet.steps.push(Step {
            line,
            vars: self.vars.clone(),
            printed: String::new(),
            panic: None,
            conversion: None,
            go_function,
            text: String::from(text),
        });
        self
    }

    fn last(&mut self) -> &mut Step {
        self.snippet.steps.last_mut().expect("at() comes first")
    }

    /// Sets (or declares) a variable on the current step.
    fn set(mut self, var: Var) -> Script {
        match self.vars.iter_mut().find(|v| v.name() == var.name()) {
            Some(old) => *old = var,
            None => self.vars.push(var),
        }
        self.last().vars = self.vars.clone();
        self
    }

    fn iface(
        self,
        name: &'static str,
        static_type: &'static str,
        tab: TypeWord,
        data: DataWord,
    ) -> Script {
        self.set(Var::Iface {
            name,
            static_type,
            tab,
            data,
        })
    }

    fn plain(self, name: &'static str, go_type: &'static str, value: &str) -> Script {
        self.set(Var::Plain {
            name,
            go_type,
            value: String::from(value),
        })
    }

    fn converts(mut self, var: &'static str, how: Conversion) -> Script {
        self.last().conversion = Some((var, how));
        self
    }

    fn prints(mut self, out: &str) -> Script {
        self.last().printed.push_str(out);
        self
    }

    fn panics(mut self, first_line: &str) -> Script {
        self.last().panic = Some(String::from(first_line));
        self
    }

    fn done(self) -> Snippet {
        self.snippet
    }
}

fn ty(name: &str) -> GoType {
    find_type(name).unwrap_or_else(|| panic!("{name} is missing from GO_TYPES"))
}

fn eface(name: &str) -> TypeWord {
    TypeWord::Type(ty(name))
}

/// The itab for `*main.MyErr` as an `error`.
fn myerr_error_itab() -> TypeWord {
    let typ = ty("*main.MyErr");
    TypeWord::Itab(Itab {
        inter: "error",
        typ,
        hash: typ.hash,
        fun: alloc::vec!["(*main.MyErr).Error"],
    })
}

fn direct(value: &str) -> DataWord {
    DataWord::Direct {
        value: String::from(value),
    }
}

fn s(text: &str) -> String {
    String::from(text)
}

const TYPED_NIL: &str = r#"package main

import "fmt"

type MyErr struct{ msg string }

func (e *MyErr) Error() string { return e.msg }

func find(ok bool) error {
	var p *MyErr
	if !ok {
		p = &MyErr{"not found"}
	}
	return p
}

func main() {
	err := find(true)
	fmt.Println(err != nil)
	fmt.Printf("%T\n", err)
}
"#;

fn typed_nil() -> Snippet {
    Script::new("typed-nil", "The typed-nil trap: a nil pointer in an error is not a nil error", TYPED_NIL)
        .at("var p *MyErr", "", "find declares p, a nil *MyErr: a plain pointer, not an interface.")
        .plain("p", "*MyErr", "nil")
        .at("return p", "", "Returning p as an error fills both words: the itab for (error, *MyErr) and the nil pointer itself, stored directly.")
        .at("err := find(true)", "", "err's type word is the itab, so err is not nil, although its data word is.")
        .iface("err", "error", myerr_error_itab(), direct("nil (*MyErr)(nil)"))
        .at("fmt.Println(err != nil)", "", "Comparing with nil calls nothing: the compiler tests the type word inline. It is set, so err != nil is true.")
        .prints("true\n")
        .at("fmt.Printf(", "", "The dynamic type is still there for %T to print.")
        .prints("*main.MyErr\n")
        .done()
}

const TYPED_NIL_FIX: &str = r#"package main

import "fmt"

type MyErr struct{ msg string }

func (e *MyErr) Error() string { return e.msg }

func find(ok bool) error {
	if !ok {
		return &MyErr{"not found"}
	}
	return nil
}

func main() {
	err := find(true)
	fmt.Println(err == nil)
	err = find(false)
	fmt.Println(err == nil, err)
}
"#;

fn typed_nil_fix() -> Snippet {
    Script::new("typed-nil-fix", "The fix: return a literal nil, not a nil pointer", TYPED_NIL_FIX)
        .at("return nil", "", "A literal nil error has both words nil.")
        .at("err := find(true)", "", "err is a nil interface: no itab, no data.")
        .iface("err", "error", TypeWord::Nil, DataWord::Nil)
        .at("fmt.Println(err == nil)", "", "Both words are nil, so err == nil.")
        .prints("true\n")
        .at("return &MyErr{", "", "A real error: the itab for (error, *MyErr) and a pointer to a new MyErr, stored directly (a pointer is pointer-shaped).")
        .at("err = find(false)", "", "err now holds the itab and the pointer.")
        .iface("err", "error", myerr_error_itab(), direct("&MyErr{msg: \"not found\"}"))
        .at("fmt.Println(err == nil, err)", "", "Not nil; printing it calls Error through the itab's Fun[0].")
        .prints("false not found\n")
        .done()
}

const NIL_INTERFACE: &str = r#"package main

import "fmt"

func main() {
	var e error
	var a any
	fmt.Println(e == nil, a == nil)
	fmt.Printf("%v %T\n", a, a)
	a = e
	fmt.Println(a == nil)
	var p *int
	a = p
	fmt.Println(a == nil, p == nil)
}
"#;

fn nil_interface() -> Snippet {
    Script::new(
        "nil-interface",
        "A nil interface: both words nil",
        NIL_INTERFACE,
    )
    .at(
        "var e error",
        "",
        "A zero error: itab word nil, data word nil.",
    )
    .iface("e", "error", TypeWord::Nil, DataWord::Nil)
    .at("var a any", "", "A zero any: type word nil, data word nil.")
    .iface("a", "any", TypeWord::Nil, DataWord::Nil)
    .at(
        "fmt.Println(e == nil, a == nil)",
        "",
        "Both are nil interfaces.",
    )
    .prints("true true\n")
    .at(
        "fmt.Printf(",
        "",
        "fmt prints a nil interface as <nil>, and its type as <nil> too: there is none.",
    )
    .prints("<nil> <nil>\n")
    .at(
        "a = e",
        "walkConvInterface",
        "Converting a nil error to any gives a nil any: there is no type to carry over.",
    )
    .at("fmt.Println(a == nil)", "", "Still nil.")
    .prints("true\n")
    .at("var p *int", "", "p is a nil *int, a plain pointer.")
    .plain("p", "*int", "nil")
    .at(
        "a = p",
        "",
        "Now a has a type word (*int) and a nil pointer stored directly: a is no longer nil.",
    )
    .iface("a", "any", eface("*int"), direct("nil (*int)(nil)"))
    .converts("a", Conversion::Direct)
    .at(
        "fmt.Println(a == nil, p == nil)",
        "",
        "a is not nil (it has a type); p is.",
    )
    .prints("false true\n")
    .done()
}

const COMPARE: &str = r#"package main

import "fmt"

type MyErr struct{ msg string }

func (e *MyErr) Error() string { return e.msg }

func main() {
	var a any = 3
	var b any = 3
	fmt.Println(a == b)
	var c any = int64(3)
	fmt.Println(a == c)
	var e1 error = &MyErr{"x"}
	var e2 error = &MyErr{"x"}
	fmt.Println(e1 == e2)
	var s1 any = []int{1}
	var s2 any = []int{1}
	fmt.Println(s1 == s2)
}
"#;

fn compare() -> Snippet {
    Script::new(
        "compare",
        "Comparing interfaces: same type and equal values, or a panic",
        COMPARE,
    )
    .at(
        "var a any = 3",
        "",
        "A constant: the data word points at a read-only copy of 3 the compiler laid down.",
    )
    .iface(
        "a",
        "any",
        eface("int"),
        DataWord::ReadOnly { value: s("3") },
    )
    .converts("a", Conversion::ReadOnlyGlobal)
    .at("var b any = 3", "", "Another read-only copy of 3.")
    .iface(
        "b",
        "any",
        eface("int"),
        DataWord::ReadOnly { value: s("3") },
    )
    .converts("b", Conversion::ReadOnlyGlobal)
    .at(
        "fmt.Println(a == b)",
        "efaceeq",
        "Same type word; efaceeq then compares the values the data words point at: 3 == 3.",
    )
    .prints("true\n")
    .at("var c any = int64(3)", "", "Also 3, but of type int64.")
    .iface(
        "c",
        "any",
        eface("int64"),
        DataWord::ReadOnly { value: s("3") },
    )
    .converts("c", Conversion::ReadOnlyGlobal)
    .at(
        "fmt.Println(a == c)",
        "efaceeq",
        "The type words differ (int vs int64), so the values are never compared: false.",
    )
    .prints("false\n")
    .at("var e1 error = &MyErr{", "", "A pointer, stored directly.")
    .iface(
        "e1",
        "error",
        myerr_error_itab(),
        direct("&MyErr{msg: \"x\"} (first)"),
    )
    .converts("e1", Conversion::Direct)
    .at(
        "var e2 error = &MyErr{",
        "",
        "Another pointer to another MyErr with the same text.",
    )
    .iface(
        "e2",
        "error",
        myerr_error_itab(),
        direct("&MyErr{msg: \"x\"} (second)"),
    )
    .converts("e2", Conversion::Direct)
    .at(
        "fmt.Println(e1 == e2)",
        "ifaceeq",
        "Same itab; the values are pointers, compared as pointers: they differ, so false.",
    )
    .prints("false\n")
    .at(
        "var s1 any = []int{1}",
        "",
        "This interface never escapes: its slice header is copied to a stack temporary.",
    )
    .iface(
        "s1",
        "any",
        eface("[]int"),
        DataWord::StackTemp {
            value: s("[]int{1}"),
        },
    )
    .converts("s1", Conversion::StackTemporary)
    .at(
        "var s2 any = []int{1}",
        "",
        "Another []int in another stack temporary.",
    )
    .iface(
        "s2",
        "any",
        eface("[]int"),
        DataWord::StackTemp {
            value: s("[]int{1}"),
        },
    )
    .converts("s2", Conversion::StackTemporary)
    .at(
        "fmt.Println(s1 == s2)",
        "efaceeq",
        "The types match, but []int has no ==: efaceeq panics.",
    )
    .panics("panic: runtime error: comparing uncomparable type []int")
    .done()
}

const DATA_WORD: &str = r#"package main

import (
	"fmt"
	"os"
)

type point struct{ x, y int }

type empty struct{}

func main() {
	n := len(os.Args) + 4
	var p any = &n
	var m any = map[string]int{}
	var small any = n
	var big any = n * 1000
	var b any = byte(n)
	var pt any = point{n, n}
	var z any = empty{}
	var s any = os.Args[0][:0]
	var k any = 42
	fmt.Println(p.(*int) == &n, m)
	fmt.Println(small, big, b, pt, z, k)
	fmt.Printf("%q\n", s)
}
"#;

fn data_word() -> Snippet {
    Script::new("data-word", "What the data word holds", DATA_WORD)
        .at("n := len(os.Args) + 4", "", "n is 5 when the program runs without arguments; the compiler cannot know that.")
        .plain("n", "int", "5")
        .at("var p any = &n", "", "A pointer is pointer-shaped: it is the data word itself.")
        .iface("p", "any", eface("*int"), direct("&n"))
        .converts("p", Conversion::Direct)
        .at("var m any = map[string]int{}", "", "A map value is a pointer to the runtime's map: stored directly too.")
        .iface("m", "any", eface("map[string]int"), direct("map[]"))
        .converts("m", Conversion::Direct)
        .at("var small any = n", "convT64", "convT64(5): 5 < 256, so the data word points at staticuint64s[5] and nothing is allocated.")
        .iface("small", "any", eface("int"), DataWord::StaticUint64s { index: 5 })
        .converts("small", Conversion::Runtime("convT64"))
        .at("var big any = n * 1000", "convT64", "convT64(5000): too big for staticuint64s, so mallocgc boxes it in 8 bytes on the heap.")
        .iface("big", "any", eface("int"), DataWord::Heap { value: s("5000"), size: 8, via: "convT64" })
        .converts("big", Conversion::Runtime("convT64"))
        .at("var b any = byte(n)", "", "A single byte: the compiler itself points into staticuint64s, no runtime call.")
        .iface("b", "any", eface("uint8"), DataWord::StaticUint64s { index: 5 })
        .converts("b", Conversion::SingleByte)
        .at("var pt any = point{n, n}", "convTnoptr", "A 16-byte struct without pointers: convTnoptr copies it to the heap.")
        .iface("pt", "any", eface("main.point"), DataWord::Heap { value: s("{5 5}"), size: 16, via: "convTnoptr" })
        .converts("pt", Conversion::Runtime("convTnoptr"))
        .at("var z any = empty{}", "", "Zero bytes to store: the data word points at zerobase.")
        .iface("z", "any", eface("main.empty"), DataWord::Zerobase)
        .converts("z", Conversion::ZeroSized)
        .at("var s any = os.Args[0][:0]", "convTstring", "convTstring of an empty string allocates nothing: it points at zeroVal.")
        .iface("s", "any", eface("string"), DataWord::ZeroVal)
        .converts("s", Conversion::Runtime("convTstring"))
        .at("var k any = 42", "", "A constant: a read-only copy laid down by the compiler.")
        .iface("k", "any", eface("int"), DataWord::ReadOnly { value: s("42") })
        .converts("k", Conversion::ReadOnlyGlobal)
        .at("fmt.Println(p.(*int) == &n, m)", "", "The type assertion checks the type word and returns the data word itself: &n.")
        .prints("true map[]\n")
        .at("fmt.Println(small, big, b, pt, z, k)", "", "fmt follows each data word to the value.")
        .prints("5 5000 5 {5 5} {} 42\n")
        .at("fmt.Printf(", "", "The empty string, quoted.")
        .prints("\"\"\n")
        .done()
}

/// Every snippet, in teaching order.
pub fn snippets() -> Vec<Snippet> {
    alloc::vec![
        typed_nil(),
        typed_nil_fix(),
        nil_interface(),
        compare(),
        data_word(),
    ]
}

/// The snippets' names, in the order of [`snippets`]: for a list of
/// choices without building every snippet.
pub const SNIPPET_NAMES: [&str; 5] = [
    "typed-nil",
    "typed-nil-fix",
    "nil-interface",
    "compare",
    "data-word",
];

/// The snippet called `name`.
pub fn snippet(name: &str) -> Option<Snippet> {
    snippets().into_iter().find(|s| s.name == name)
}

/// The panic message Go prints when `==` meets a dynamic type without
/// equality. Mirrors runtime/alg.go efaceeq/ifaceeq:
/// `panic(errorString("comparing uncomparable type " + toRType(t).string()))`.
pub fn uncomparable_panic(type_name: &str) -> String {
    format!("panic: runtime error: comparing uncomparable type {type_name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_are_the_snippets_names_in_order() {
        let names: Vec<&str> = snippets().iter().map(|s| s.name).collect();
        assert_eq!(names, SNIPPET_NAMES);
    }

    fn var<'a>(step: &'a Step, name: &str) -> &'a Var {
        step.vars.iter().find(|v| v.name() == name).unwrap()
    }

    #[test]
    fn the_typed_nil_error_is_not_nil() {
        let snip = snippet("typed-nil").unwrap();
        let after = snip.steps.iter().find(|s| s.printed == "true\n").unwrap();
        // `err != nil` is one inline test of the itab word, no runtime call.
        assert_eq!(after.go_function, "");
        let err = var(after, "err");
        assert!(!err.is_nil_interface());
        assert_eq!(snip.output(), "true\n*main.MyErr\n");
    }

    #[test]
    fn the_fix_returns_a_nil_interface() {
        let snip = snippet("typed-nil-fix").unwrap();
        assert!(var(&snip.steps[1], "err").is_nil_interface());
        assert_eq!(snip.output(), "true\nfalse not found\n");
    }

    #[test]
    fn comparing_slices_in_interfaces_panics_like_go() {
        let snip = snippet("compare").unwrap();
        assert_eq!(snip.panic(), Some(uncomparable_panic("[]int").as_str()));
        assert!(!find_type("[]int").unwrap().comparable);
        // Nothing runs after the panic.
        assert!(snip.steps.last().unwrap().panic.is_some());
    }

    #[test]
    fn small_ints_and_bytes_point_into_staticuint64s() {
        let snip = snippet("data-word").unwrap();
        let last = snip.steps.last().unwrap();
        for name in ["small", "b"] {
            let Var::Iface { data, .. } = var(last, name) else {
                panic!("{name} is an interface");
            };
            assert_eq!(*data, DataWord::StaticUint64s { index: 5 });
        }
    }

    #[test]
    fn steps_sit_on_the_lines_they_describe() {
        for snip in snippets() {
            let lines: Vec<&str> = snip.lines().collect();
            for step in &snip.steps {
                if let Some((name, _)) = step.conversion {
                    assert!(
                        lines[step.line - 1].contains(name),
                        "{} line {}",
                        snip.name,
                        step.line
                    );
                }
            }
        }
    }

    #[test]
    fn the_stepper_accumulates_output() {
        let mut st = IfaceStepper::new(snippet("nil-interface").unwrap());
        assert_eq!(st.run_until(3).len(), 3);
        assert_eq!(st.output_so_far(), "true true\n");
        assert!(st.run_until(2).is_empty(), "run_until never goes back");
        while st.step().is_some() {}
        assert!(st.is_done());
        assert_eq!(st.output_so_far(), st.snippet().output());
    }
}
