//! The struct layout lab against the real Go toolchain.
//!
//! 1,000+ random struct types (nesting, arrays including zero-length ones,
//! zero-size fields and zero-size last fields, every basic kind, pointers,
//! slices, maps, chans, funcs, strings, interfaces, sync and sync/atomic
//! types, embedded and blank fields) are written as Go source, parsed and
//! laid out by the model, and compared with:
//!
//! - go/types.SizesFor("gc", arch) for every GOARCH the model knows (size,
//!   alignment, every field offset);
//! - the compiler and runtime on this machine and on 386 (a generated
//!   program built with GOARCH=386 runs on amd64 Linux): unsafe.Sizeof and
//!   Alignof, reflect's field offsets and the runtime type's `PtrBytes`
//!   (internal/abi.Type, the GC's pointer prefix; no public API exposes it,
//!   so the program reads the type word of an interface).

use std::fmt::Write as _;
use std::path::PathBuf;

use conformance::{go_command, run_go};
use runtime_model::layout::analyze;
use runtime_model::values::GoArch;
use serde_json::Value;

const TYPES: usize = 1000;

/// A tiny seeded generator, so the random structs are the same every run.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const BASIC: &[&str] = &[
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "int",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uint",
    "uintptr",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "string",
    "byte",
    "rune",
];
const WORDY: &[&str] = &[
    "*int",
    "[]byte",
    "map[string]int",
    "chan int",
    "<-chan string",
    "func()",
    "func(a, b int) (string, error)",
    "any",
    "error",
    "interface{ M() int }",
    "unsafe.Pointer",
    "interface{}",
    "*S0",
];
const SYNC: &[&str] = &[
    "atomic.Int64",
    "atomic.Uint64",
    "atomic.Int32",
    "atomic.Uint32",
    "atomic.Bool",
    "atomic.Uintptr",
    "atomic.Value",
    "atomic.Pointer[int]",
    "sync.Mutex",
    "sync.RWMutex",
    "sync.WaitGroup",
    "sync.Once",
];

/// A random type expression; `named` is how many `S<i>` exist already.
fn random_type(rng: &mut XorShift, named: &[bool], depth: u32) -> String {
    let roll = rng.below(100);
    match roll {
        0..=39 => rng.pick(BASIC).to_owned(),
        40..=54 => rng.pick(WORDY).to_owned(),
        55..=62 => rng.pick(SYNC).to_owned(),
        63..=66 => "struct{}".to_owned(),
        67..=72 if !named.is_empty() => format!("S{}", rng.below(named.len())),
        73..=82 if depth < 3 => {
            let len = ["0", "1", "2", "3", "1 << 2", "N"][rng.below(6)];
            format!("[{len}]{}", random_type(rng, named, depth + 1))
        }
        83..=92 if depth < 3 => random_struct(rng, named, depth + 1, 5),
        _ => rng.pick(BASIC).to_owned(),
    }
}

fn random_struct(rng: &mut XorShift, named: &[bool], depth: u32, max_fields: usize) -> String {
    let n = rng.below(max_fields + 1);
    let mut s = String::from("struct {");
    let mut embedded = Vec::new();
    for i in 0..n {
        let name = format!("f{depth}_{i}");
        match rng.below(12) {
            0 => write!(s, " _ {};", random_type(rng, named, depth)).unwrap(),
            // Go embeds only type names that are not pointers or
            // unsafe.Pointer: embed the struct types.
            1 if !named.is_empty() => {
                let e = rng.below(named.len());
                if named[e] && !embedded.contains(&e) {
                    embedded.push(e);
                    write!(s, " {}S{e};", if rng.below(2) == 0 { "*" } else { "" }).unwrap();
                }
            }
            2 => write!(s, " {name}, {name}b {};", random_type(rng, named, depth)).unwrap(),
            _ => write!(s, " {name} {};", random_type(rng, named, depth)).unwrap(),
        }
    }
    // A zero-size last field, now and then.
    if rng.below(8) == 0 {
        s.push_str(" zz [0]int64;");
    }
    s.push_str(" }");
    s
}

/// Go source declaring `S0`..`S<TYPES-1>` (mostly structs) and the
/// program's imports.
fn random_source(seed: u64, package: &str) -> String {
    let mut rng = XorShift(seed);
    let mut s = format!(
        "package {package}\n\nimport (\n\t\"sync\"\n\t\"sync/atomic\"\n\t\"unsafe\"\n)\n\nconst N = 3\n\n"
    );
    let mut is_struct = Vec::new();
    for i in 0..TYPES {
        let body = if i > 0 && rng.below(10) == 0 {
            random_type(&mut rng, &is_struct, 1)
        } else {
            random_struct(&mut rng, &is_struct, 1, 9)
        };
        is_struct.push(body.starts_with("struct"));
        writeln!(s, "type S{i} {body}").unwrap();
    }
    s
}

/// What Go needs on top: every import used.
const USE_IMPORTS: &str = "\nvar _ atomic.Int64\nvar _ sync.Mutex\nvar _ unsafe.Pointer\n";

const SEED: u64 = 0x001a_7007_5eed_2027;

fn compare(who: &str, arch: GoArch, src: &str, answer: &Value, with_ptrdata: bool) -> Vec<String> {
    let analysis =
        analyze(src, arch).unwrap_or_else(|e| panic!("the model rejects the source: {e}"));
    let mut wrong = Vec::new();
    for t in &analysis.types {
        let go = &answer[&t.name];
        let offsets: Vec<u64> = t.fields.iter().map(|f| f.offset).collect();
        let go_offsets: Vec<u64> = go["offsets"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default();
        let mut ok = go["size"].as_u64() == Some(t.layout.size)
            && go["align"].as_u64() == Some(t.layout.align)
            && go_offsets == offsets;
        if with_ptrdata {
            ok &= go["ptrdata"].as_u64() == Some(t.layout.ptrdata);
        }
        if !ok {
            wrong.push(format!(
                "{who} {arch}: type {} is {go} in Go but size {} align {} ptrdata {} offsets {offsets:?} in the model",
                t.name, t.layout.size, t.layout.align, t.layout.ptrdata
            ));
        }
    }
    if analysis.types.len() < TYPES {
        wrong.push(format!("{who} {arch}: only {} types", analysis.types.len()));
    }
    wrong
}

#[test]
fn random_structs_match_go_types_for_every_goarch() {
    let src = random_source(SEED, "p");
    let arches: Vec<&str> = GoArch::ALL.iter().map(|a| a.name()).collect();
    let go_src = format!("{src}{USE_IMPORTS}");
    let answer: Value =
        serde_json::from_str(&run_go("layout", &arches, &go_src)).expect("the oracle prints JSON");
    let mut wrong = Vec::new();
    for arch in GoArch::ALL {
        wrong.extend(compare("go/types", arch, &src, &answer[arch.name()], false));
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A `package main` that prints what the compiler and runtime say about
/// every type: unsafe.Sizeof/Alignof, reflect's field offsets and the
/// runtime type's PtrBytes.
fn native_program() -> String {
    let mut s = random_source(SEED, "main") + USE_IMPORTS;
    s = s.replace(
        "import (\n",
        "import (\n\t\"encoding/json\"\n\t\"os\"\n\t\"reflect\"\n",
    );
    s.push_str(
        r#"
type eface struct{ typ, data unsafe.Pointer }

// abiType is the head of internal/abi.Type (go1.27): Size_, then PtrBytes,
// "number of (prefix) bytes in the type that can contain pointers".
type abiType struct{ Size_, PtrBytes uintptr }

type layout struct {
	Size    uintptr   `json:"size"`
	Align   uintptr   `json:"align"`
	PtrData uintptr   `json:"ptrdata"`
	Offsets []uintptr `json:"offsets"`
}

var out = map[string]layout{}

func record[T any](name string) {
	var x T
	t := reflect.TypeFor[T]()
	l := layout{Size: unsafe.Sizeof(x), Align: unsafe.Alignof(x), Offsets: []uintptr{}}
	// A reflect.Type holds a *rtype, which starts with the abi.Type.
	l.PtrData = (*abiType)((*eface)(unsafe.Pointer(&t)).data).PtrBytes
	if t.Kind() == reflect.Struct {
		for i := 0; i < t.NumField(); i++ {
			l.Offsets = append(l.Offsets, t.Field(i).Offset)
		}
	}
	out[name] = l
}

func main() {
"#,
    );
    for i in 0..TYPES {
        writeln!(s, "\trecord[S{i}](\"S{i}\")").unwrap();
    }
    s.push_str("\tif err := json.NewEncoder(os.Stdout).Encode(out); err != nil {\n\t\tpanic(err)\n\t}\n}\n");
    s
}

/// Builds the native program for `goarch` and runs it on this machine.
fn run_native(goarch: &str) -> Value {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("layout-native-{goarch}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("go.mod"),
        "module gopherscope.test/native\n\ngo 1.27\n",
    )
    .unwrap();
    std::fs::write(dir.join("main.go"), native_program()).unwrap();
    let exe = dir.join("native");
    let build = go_command()
        .args(["build", "-o"])
        .arg(&exe)
        .arg(".")
        .env("GOARCH", goarch)
        .current_dir(&dir)
        .output()
        .expect("go build runs");
    assert!(
        build.status.success(),
        "go build ({goarch}) failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let run = std::process::Command::new(&exe)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the {goarch} program: {e}"));
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("the program prints JSON")
}

fn native_arch() -> GoArch {
    let out = go_command()
        .args(["env", "GOARCH"])
        .output()
        .expect("go env runs");
    let name = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    GoArch::from_name(&name).unwrap_or_else(|| panic!("unknown native GOARCH {name}"))
}

#[test]
fn random_structs_match_the_compiler_and_runtime_on_this_machine() {
    let arch = native_arch();
    let answer = run_native(arch.name());
    let wrong = compare(
        "unsafe/reflect",
        arch,
        &random_source(SEED, "main"),
        &answer,
        true,
    );
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// 386 is where atomic.Int64's align64 matters; amd64 Linux runs 386
/// binaries, so the compiler's own answer can be read there too.
#[test]
fn random_structs_match_the_compiler_and_runtime_on_386() {
    assert_eq!(
        native_arch(),
        GoArch::Amd64,
        "this check runs 386 programs on amd64"
    );
    let answer = run_native("386");
    let wrong = compare(
        "unsafe/reflect",
        GoArch::I386,
        &random_source(SEED, "main"),
        &answer,
        true,
    );
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The standard-library types the lab knows, each as the only field of a
/// struct (same size, alignment and pointer bytes), in a whole `package
/// main` that the lab reads as it is: its `var` and `func` are read past.
const STD_TYPES: &[&str] = &[
    "time.Time",
    "time.Duration",
    "sync.Mutex",
    "sync.WaitGroup",
    "sync.Once",
    "sync.RWMutex",
    "strings.Builder",
    "bytes.Buffer",
    "context.Context",
    "error",
];

fn std_types_source() -> String {
    let mut s = String::from(
        "package main\n\nimport (\n\t\"bytes\"\n\t\"context\"\n\t\"strings\"\n\t\"sync\"\n\t\"time\"\n)\n\n",
    );
    for (i, t) in STD_TYPES.iter().enumerate() {
        writeln!(s, "type W{i} struct{{ x {t} }}").unwrap();
    }
    s.push_str("\nvar sink []any\n\nfunc main() {\n\tsink = append(sink");
    for i in 0..STD_TYPES.len() {
        write!(s, ", W{i}{{}}").unwrap();
    }
    s.push_str(")\n}\n");
    s
}

/// What the compiler itself writes in a type's descriptor for `goarch`:
/// the head of internal/abi.Type (go1.27) is `Size_ uintptr`, `PtrBytes
/// uintptr`, `Hash uint32`, `TFlag`, `Align_`, `FieldAlign_`, `Kind_`
/// (one byte each). `go build -gcflags=-S` prints every data symbol of
/// package main, `type:main.W0` among them, as hex bytes.
fn compiler_descriptors(goarch: &str, src: &str, count: usize) -> Vec<(u64, u64, u64)> {
    let arch = GoArch::from_name(goarch).unwrap();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("layout-std-{goarch}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("go.mod"),
        "module gopherscope.test/std\n\ngo 1.27\n",
    )
    .unwrap();
    std::fs::write(dir.join("main.go"), src).unwrap();
    let out = go_command()
        .args(["build", "-gcflags=-S", "-o", "/dev/null", "."])
        .env("GOARCH", goarch)
        .env("GOOS", if goarch == "wasm" { "js" } else { "linux" })
        .current_dir(&dir)
        .output()
        .expect("go build runs");
    let listing = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "go build ({goarch}) failed:\n{listing}"
    );
    let big_endian = matches!(goarch, "mips" | "mips64" | "ppc64" | "s390x");
    let w = arch.sizes().word_size as usize;
    let word = |b: &[u8]| -> u64 {
        let mut v = 0u64;
        for i in 0..b.len() {
            let byte = if big_endian { b[i] } else { b[b.len() - 1 - i] };
            v = v << 8 | u64::from(byte);
        }
        v
    };
    (0..count)
        .map(|i| {
            let head = format!("type:main.W{i} SRODATA");
            let mut lines = listing
                .lines()
                .skip_while(|l| !l.starts_with(&head))
                .skip(1);
            let mut bytes = Vec::new();
            while bytes.len() < 2 * w + 8 {
                let line = lines
                    .next()
                    .unwrap_or_else(|| panic!("{goarch}: no descriptor for W{i}"));
                bytes.extend(
                    line.split_whitespace()
                        .skip(1)
                        .take(16)
                        .take_while(|t| t.len() == 2)
                        .map(|t| u8::from_str_radix(t, 16).unwrap()),
                );
            }
            let size = word(&bytes[..w]);
            let ptrdata = word(&bytes[w..2 * w]);
            let align = u64::from(bytes[2 * w + 5]);
            (size, align, ptrdata)
        })
        .collect()
}

/// time.Time, time.Duration, sync's Mutex, WaitGroup, Once and RWMutex,
/// strings.Builder, bytes.Buffer, context.Context and error, against
/// go/types for every GOARCH the lab knows (size, alignment), and against
/// the compiler's own type descriptors (size, alignment and PtrBytes) for
/// every one the toolchain builds for: all but amd64p32 and sparc64, which
/// go/types still sizes but Go no longer compiles to.
#[test]
fn standard_library_types_match_go_types_and_the_compiler() {
    let src = std_types_source();
    let arches: Vec<&str> = GoArch::ALL.iter().map(|a| a.name()).collect();
    let answer: Value =
        serde_json::from_str(&run_go("layout", &arches, &src)).expect("the oracle prints JSON");
    let mut wrong = Vec::new();
    let mut checked = 0;
    for arch in GoArch::ALL {
        let a = analyze(&src, arch).unwrap_or_else(|e| panic!("the model rejects the file: {e}"));
        assert_eq!(
            a.types.len(),
            STD_TYPES.len(),
            "{arch}: {:?}",
            a.skipped_summary()
        );
        let compiled = (!matches!(arch, GoArch::Amd64p32 | GoArch::Sparc64))
            .then(|| compiler_descriptors(arch.name(), &src, STD_TYPES.len()));
        for (i, t) in a.types.iter().enumerate() {
            let l = t.layout;
            let go = &answer[arch.name()][&t.name];
            if go["size"].as_u64() != Some(l.size) || go["align"].as_u64() != Some(l.align) {
                wrong.push(format!(
                    "go/types {arch}: {} is {go}, the model size {} align {}",
                    STD_TYPES[i], l.size, l.align
                ));
            }
            if let Some(c) = &compiled {
                checked += 1;
                if c[i] != (l.size, l.align, l.ptrdata) {
                    wrong.push(format!(
                        "compiler {arch}: {} is (size, align, ptrdata) {:?}, the model ({}, {}, {})",
                        STD_TYPES[i], c[i], l.size, l.align, l.ptrdata
                    ));
                }
            }
        }
    }
    assert_eq!(checked, 14 * STD_TYPES.len());
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
