//! `cargo xtask gen-buildlab`: rebuilds the build explorer's grid and the
//! toolchain excerpts with the pinned Go and rewrites
//! `web/data/build-explorer.json` and `web/data/toolchain.json`
//! (`tests/buildlab`, `go run . write`). Needs root and gcc, like the
//! generator itself: it runs native binaries in an empty root with chroot.

use crate::{root, run, step, tools};
use std::process::Command;

pub fn run_generator() -> Result<(), String> {
    let go = tools::go_binary();
    if !go.exists() {
        return Err(format!(
            "no Go at {}: run `cargo xtask setup` first",
            go.display()
        ));
    }
    step("Building every combination of tests/buildlab with the pinned Go (about a minute with a warm cache)");
    run(Command::new(&go)
        .args(["run", ".", "write"])
        .env("GOPHERSCOPE_GO", &go)
        .env("GOTOOLCHAIN", "local")
        .env("GOPROXY", "off")
        .current_dir(root().join("tests/buildlab")))
}
