//! Fuzzing the layout lab's parser and checker: 1,000,000 generated inputs
//! (random bytes, token soup, mutated valid declarations, deep nesting and
//! inputs at the length limit), each analysed for some GOARCH, with the
//! byte grid and the rewrite exercised on whatever parses. Nothing may
//! panic (overflow checks are on in tests), and every input must be
//! answered quickly: work is bounded by the length and depth limits.
//!
//! The root Cargo.toml builds this package with opt-level 3 under
//! `cargo test` so that the full million runs in seconds.

use std::time::{Duration, Instant};

use runtime_model::layout::{analyze, MAX_DEPTH, MAX_INPUT};
use runtime_model::rand::CheapRand;
use runtime_model::values::GoArch;

const INPUTS: u32 = 1_000_000;

const CORPUS: &[&str] = &[
    "type T struct { a bool; b int64; c bool }",
    "package p\nimport \"sync/atomic\"\ntype T struct {\n\tn atomic.Int64 // counter\n\tp atomic.Pointer[T]\n\t_ [0]func()\n}\n",
    "const (\n\tA = 1 << iota\n\tB\n\tC = B * 3\n)\ntype X [C]struct{ x, y int16; s string `json:\"s\"` }\ntype Y = X\n",
    "type L struct { next *L; v any; e error; m map[string][]*L; ch <-chan struct{} }",
    "type F struct { f func(a, b int, c ...string) (int, error); i interface{ M(x L) int; error } }",
    "type A [0x10]complex128\ntype B [1e3]byte\ntype C [-1]int\ntype D [1<<62]int64",
    "type T struct{ t T }\ntype U struct{ v V }\ntype V struct{ u [1]U }",
    "type W struct { sync.Mutex; *T; rw sync.RWMutex; wg sync.WaitGroup; o sync.Once; v atomic.Value }\ntype T struct{}",
    "type (\n\tP struct{ x uintptr; y unsafe.Pointer; z rune; w byte }\n\tQ [2][3]P\n)",
    // Whole files: what the lab reads past must never trip it.
    "package main\n\nimport (\n\t\"fmt\"\n\tt \"time\"\n)\n\nvar x = map[string]int{\"}\": 1}\n\nconst D = 5 * t.Second\n\ntype S struct {\n\tat t.Time `json:\"at\"`\n\td  t.Duration\n\tb  bytes.Buffer\n}\n\nfunc (s *S) M() { fmt.Println('{', `}`) /* } */ }\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t}\n}\n",
    "type L[T any] struct{ v T; next *L[T] }\ntype U struct{ l L[int]; p *L[U]; h http.Header; c context.Context }\nfunc (l *L[T]) Get() T { return l.v }\nvar _ = L[int]{}\n",
    "const (\n\tA = len(\"x\")\n\tB\n)\ntype X [A]byte\ntype Y struct{ b strings.Builder; e error; w sync.WaitGroup; o sync.Once; m sync.Mutex }\nfunc f() {\n\tswitch {\n\tcase true:\n\t}\n}\n",
];

const TOKENS: &[&str] = &[
    "type",
    "struct",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "*",
    "map",
    "chan",
    "<-",
    "func",
    "interface",
    "const",
    "=",
    ";",
    "\n",
    ",",
    ".",
    "int",
    "int64",
    "bool",
    "string",
    "T",
    "U",
    "x",
    "_",
    "atomic",
    "Int64",
    "Pointer",
    "sync",
    "Mutex",
    "unsafe",
    "1",
    "0",
    "1<<62",
    "-",
    "+",
    "iota",
    "\"tag\"",
    "`raw`",
    "//c\n",
    "/*c*/",
    "...",
    "any",
    "error",
    "~",
    "|",
    "package",
    "import",
    "'a'",
    "var",
    "func",
    "return",
    "time",
    "Time",
    "List[int]",
    "[T any]",
    "1.5",
    "0x_1",
    "é",
];

fn random_bytes(r: &mut CheapRand) -> String {
    let n = r.cheaprandn(64) as usize;
    let bytes: Vec<u8> = (0..n)
        .map(|_| match r.cheaprandn(4) {
            0 => r.cheaprand() as u8,
            _ => {
                let alphabet = b" \n\t{}[]()*;,.=<-\"`/abcTxyz0123456789_";
                alphabet[r.cheaprandn(alphabet.len() as u32) as usize]
            }
        })
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn token_soup(r: &mut CheapRand) -> String {
    let n = r.cheaprandn(40) as usize;
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(TOKENS[r.cheaprandn(TOKENS.len() as u32) as usize]);
        s.push(' ');
    }
    s
}

fn mutated(r: &mut CheapRand) -> String {
    let mut b: Vec<u8> = CORPUS[r.cheaprandn(CORPUS.len() as u32) as usize]
        .as_bytes()
        .to_vec();
    for _ in 0..1 + r.cheaprandn(4) {
        let at = r.cheaprandn(b.len() as u32 + 1) as usize;
        match r.cheaprandn(5) {
            0 if at < b.len() => {
                b.remove(at);
            }
            1 => {
                let alphabet = b"{}[]()*;\n\"`x0-";
                b.insert(at, alphabet[r.cheaprandn(alphabet.len() as u32) as usize]);
            }
            2 if at < b.len() => b[at] = r.cheaprand() as u8,
            3 => {
                let tok = TOKENS[r.cheaprandn(TOKENS.len() as u32) as usize];
                b.splice(at..at, tok.bytes());
            }
            _ => {
                let end = (at + r.cheaprandn(16) as usize).min(b.len());
                let piece = b[at..end].to_vec();
                b.splice(at..at, piece);
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn deep(r: &mut CheapRand) -> String {
    let n = r.cheaprandn(2 * MAX_DEPTH) as usize;
    let (open, close) = [
        ("[1]", ""),
        ("*", ""),
        ("struct{ a ", " }"),
        ("(", ")"),
        ("[]", ""),
        ("map[int]", ""),
        ("func(", ")"),
    ][r.cheaprandn(7) as usize];
    format!("type T {}int{}", open.repeat(n), close.repeat(n))
}

fn check(src: &str, arch: GoArch, worst: &mut Duration, limit: Duration) {
    let start = Instant::now();
    if let Ok(a) = analyze(src, arch) {
        for i in 0..a.types.len().min(3) {
            let _ = a.byte_grid(i, 256);
            let _ = a.apply_optimal_order(i);
        }
    }
    let took = start.elapsed();
    *worst = (*worst).max(took);
    assert!(
        took < limit,
        "{took:?} for {:?}",
        &src[..src.len().min(200)]
    );
}

#[test]
fn a_million_generated_inputs_never_panic_and_answer_quickly() {
    let mut r = CheapRand::new(0x5eed_f022);
    let mut worst = Duration::ZERO;
    for i in 0..INPUTS {
        let src = match i % 4 {
            0 => random_bytes(&mut r),
            1 => token_soup(&mut r),
            2 => mutated(&mut r),
            _ if i % 64 == 3 => deep(&mut r),
            _ => mutated(&mut r),
        };
        let arch = GoArch::ALL[(i % 16) as usize];
        check(&src, arch, &mut worst, Duration::from_secs(1));
    }
    eprintln!("{INPUTS} inputs, slowest {worst:?}");
}

#[test]
fn inputs_at_the_length_limit_answer_in_bounded_time() {
    let mut worst = Duration::ZERO;
    let limit = Duration::from_secs(5);
    let field = "\tf int64; g bool\n";
    let many_fields = format!(
        "type T struct {{\n{}}}\n",
        field.repeat(MAX_INPUT / field.len() - 2)
    );
    let many_types: String = (0..MAX_INPUT / 40)
        .map(|i| format!("type T{i} [1]T{}\n", i + 1))
        .collect();
    let long_comment = format!("/*{}*/", "x".repeat(MAX_INPUT - 4));
    let long_ident = format!("type {} int", "a".repeat(MAX_INPUT - 9));
    let parens = format!(
        "const X = {}1{}",
        "(".repeat(MAX_INPUT / 2 - 8),
        ")".repeat(2)
    );
    let over = "x".repeat(MAX_INPUT + 1);
    // Bodies the parser reads past: deeply nested and very long.
    let deep_body = format!(
        "func f() {}{}\n",
        "{".repeat(MAX_INPUT / 2 - 8),
        "}".repeat(MAX_INPUT / 2 - 8)
    );
    let long_var = format!("var x = []int{{{}}}\n", "1, ".repeat(MAX_INPUT / 3 - 8));
    let many_generic_fields = format!(
        "type L[T any] struct{{}}\ntype T struct {{\n{}}}\n",
        "\tf L[int]\n".repeat(MAX_INPUT / 10 - 8)
    );
    for src in [
        &many_fields,
        &many_types,
        &long_comment,
        &long_ident,
        &parens,
        &over,
        &deep_body,
        &long_var,
        &many_generic_fields,
    ] {
        assert!(src.len() <= MAX_INPUT + 1);
        check(src, GoArch::Amd64, &mut worst, limit);
    }
    eprintln!("slowest long input: {worst:?}");
}
