//! The web app's layers import one way: `app -> widgets -> kit ->
//! runtime_model`. This test reads the source and fails when a file under
//! `kit/` names the app or a widget, or a file under `widgets/` names the app
//! or another widget, with the file and line of each such use.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules of this crate a line of code names: `crate::app`,
/// `crate::{app, kit}` and `crate::widgets::quiz` give `app`, `kit` and
/// `widgets::quiz`.
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or_default();
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let group = rest
            .strip_prefix('{')
            .map(|g| g.split('}').next().unwrap_or_default());
        let names: Vec<&str> = match group {
            Some(g) => g.split(',').collect(),
            None => vec![rest],
        };
        for name in names {
            let path: String = name
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut parts = path.split("::").filter(|p| !p.is_empty());
            match (parts.next(), parts.next()) {
                (Some("widgets"), Some(w)) => found.push(format!("widgets::{w}")),
                (Some(top), _) => found.push(top.to_owned()),
                _ => {}
            }
        }
    }
    found
}

/// The widget a `super::...` path names from a module `depth` levels below
/// `widgets` (1 for `widgets/x/mod.rs`, 2 for `widgets/x/state.rs`, one
/// more inside an inline `mod`), if it climbs up to `widgets`.
fn super_target(line: &str, depth: usize) -> Option<String> {
    let code = line.split("//").next().unwrap_or_default();
    let i = code.find("super::")?;
    let mut rest = &code[i..];
    let mut climbs = 0;
    while let Some(r) = rest.strip_prefix("super::") {
        climbs += 1;
        rest = r;
    }
    (climbs == depth).then(|| {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    })
}

/// Every use that breaks the layers, as `file:line: text`.
fn violations(src: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    for layer in ["kit", "widgets"] {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        for file in files {
            let rel = file
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // `widgets/<name>/...`: the widget this file belongs to.
            let own = rel
                .strip_prefix("widgets/")
                .and_then(|r| r.split('/').next())
                .map(|w| w.trim_end_matches(".rs").to_owned());
            let text = std::fs::read_to_string(&file).unwrap();
            let file_depth = if rel.ends_with("/mod.rs") { 1 } else { 2 };
            // The indentation of each inline `mod name {` we are inside.
            let mut inline: Vec<usize> = Vec::new();
            for (n, line) in text.lines().enumerate() {
                let indent = line.len() - line.trim_start().len();
                if line.trim_start().starts_with('}') && inline.last() == Some(&indent) {
                    inline.pop();
                }
                let t = line.trim_start();
                if (t.starts_with("mod ") || t.starts_with("pub mod ")) && t.ends_with('{') {
                    inline.push(indent);
                }
                for path in crate_paths(line) {
                    let wrong = match layer {
                        "kit" => path == "app" || path.starts_with("widgets"),
                        _ => {
                            path == "app"
                                || path
                                    .strip_prefix("widgets::")
                                    .is_some_and(|w| Some(w) != own.as_deref())
                        }
                    };
                    if wrong {
                        bad.push(format!(
                            "web/src/{rel}:{}: names crate::{path}: {}",
                            n + 1,
                            line.trim()
                        ));
                    }
                }
                if layer == "widgets" {
                    let depth = file_depth + inline.len();
                    if let Some(w) = super_target(line, depth).filter(|w| Some(w) != own.as_ref()) {
                        bad.push(format!(
                            "web/src/{rel}:{}: names widgets::{w} through super: {}",
                            n + 1,
                            line.trim()
                        ));
                    }
                }
            }
        }
    }
    bad
}

#[test]
fn kit_and_widgets_never_import_upwards_or_sideways() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bad = violations(&src);
    assert!(
        bad.is_empty(),
        "imports against the layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_check_sees_each_kind_of_wrong_import() {
    assert_eq!(crate_paths("use crate::app::registry;"), ["app"]);
    assert_eq!(crate_paths("use crate::{app, kit::query};"), ["app", "kit"]);
    assert_eq!(
        crate_paths("    x: crate::widgets::quiz::Q, // crate::app"),
        ["widgets::quiz"]
    );
    assert!(crate_paths("// use crate::app;").is_empty());
    // A planted wrong import in a copy of the tree is found.
    let dir = std::env::temp_dir().join(format!("gopherscope-layers-{}", std::process::id()));
    for (path, text) in [
        ("kit/a.rs", "use crate::app::routes::Route;\n"),
        (
            "widgets/one/mod.rs",
            "use crate::widgets::two::X;\nuse crate::widgets::one::Y;\n",
        ),
        (
            "widgets/two/mod.rs",
            "use super::one::Z;\nmod tests {\n    use super::super::two::W;\n}\n",
        ),
        (
            "widgets/two/state.rs",
            "use super::super::one::Z;\nuse super::view::V;\n",
        ),
    ] {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
    }
    let bad = violations(&dir);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(bad.len(), 4, "{bad:#?}");
}
