//! The struct layout lab's benchmarks (issue 5): laying out a struct of
//! 1,000 fields (budget 1 ms in the browser; this is the native number,
//! the UI measures the browser's), and the CLI's rate on 10,000 random
//! structs (budget >= 10,000 structs per second, process start and JSON
//! output included).

use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

const KINDS: &[&str] = &[
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "int",
    "uint8",
    "uint64",
    "uintptr",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "string",
    "[]byte",
    "*int",
    "map[string]int",
    "any",
    "error",
    "[3]int16",
    "struct{ a bool; b int32 }",
    "atomic.Int64",
    "sync.Mutex",
    "struct{}",
];

fn random_structs(count: usize, fields: usize, seed: u64) -> String {
    let mut x = seed;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let mut s = String::from("package p\n\nimport (\n\t\"sync\"\n\t\"sync/atomic\"\n)\n\n");
    for i in 0..count {
        writeln!(s, "type S{i} struct {{").unwrap();
        for f in 0..fields.max(1 + next(fields.max(1))) {
            writeln!(s, "\tf{f} {}", KINDS[next(KINDS.len())]).unwrap();
        }
        s.push_str("}\n\n");
    }
    s
}

pub fn run() -> Result<(), String> {
    crate::step("Struct layout lab: building the CLI with the bench-native profile");
    let root = crate::root();
    crate::run(
        Command::new("cargo")
            .args(["build", "--profile", "bench-native", "-p", "gopherscope"])
            .current_dir(&root),
    )?;
    let exe = root.join("target/bench-native/gopherscope");
    let dir = root.join("target/bench-layout");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    let wide = dir.join("wide.go");
    std::fs::write(&wide, random_structs(1, 1000, 0x1000)).map_err(|e| e.to_string())?;
    let out = Command::new(&exe)
        .args(["layout", "--repeat", "1000"])
        .arg(&wide)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    println!(
        "layout of a 1,000-field struct (parse, check, layout, optimal order; native): {} (budget 1 ms in the browser)",
        String::from_utf8_lossy(&out.stdout).trim()
    );

    let many = dir.join("many.go");
    let count = 10_000;
    std::fs::write(&many, random_structs(count, 8, 0x5eed)).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let out = Command::new(&exe)
        .args(["layout", "--json"])
        .arg(&many)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let secs = start.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let rate = count as f64 / secs;
    println!(
        "gopherscope layout --json on {count} random structs: {:.0} ms, {rate:.0} structs/s ({} the 10,000/s budget)",
        secs * 1e3,
        if rate >= 10_000.0 { "within" } else { "BELOW" }
    );
    Ok(())
}
