//! `gopherscope layout`: the struct layout lab on the command line.

use std::io::Read;

use runtime_model::layout::{analyze, Analysis, PaddingKind, TypeReport};
use runtime_model::values::GoArch;
use serde_json::{json, Map, Value};

/// `gopherscope layout [--goarch ARCH] FILE [--json]`; FILE may be `-`.
#[derive(clap::Args)]
pub struct LayoutArgs {
    /// The Go source whose struct types to lay out, or - for standard input
    #[arg(value_name = "FILE")]
    file: String,
    /// The GOARCH to lay the types out for
    #[arg(long, value_name = "ARCH", default_value = "amd64", value_parser = crate::arch_parser())]
    goarch: GoArch,
    /// Print JSON (an object keyed by type name) instead of text
    #[arg(long)]
    json: bool,
    /// Time N analyses instead of printing one (for `cargo xtask bench`)
    #[arg(long, value_name = "N", hide = true)]
    repeat: Option<u32>,
}

/// Lays out the struct types of FILE.
pub fn command(args: &LayoutArgs) -> Result<String, String> {
    let (arch, as_json, repeat) = (args.goarch, args.json, args.repeat);
    let file = args.file.as_str();
    let src = if file == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        s
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?
    };
    let name = if file == "-" { "<stdin>" } else { file };
    if let Some(n) = repeat {
        // For `cargo xtask bench`: time the model alone, no output.
        let start = std::time::Instant::now();
        for _ in 0..n {
            analyze(&src, arch).map_err(|e| format!("{name}:{e}"))?;
        }
        let micros = start.elapsed().as_secs_f64() * 1e6;
        return Ok(format!(
            "{n} analyses in {micros:.0} us: {:.1} us each\n",
            micros / f64::from(n.max(1))
        ));
    }
    let analysis = analyze(&src, arch).map_err(|e| format!("{name}:{e}"))?;
    Ok(if as_json {
        let mut s = serde_json::to_string_pretty(&layout_json(&analysis))
            .expect("a JSON value always serialises");
        s.push('\n');
        s
    } else {
        layout_text(&analysis)
    })
}

/// An object keyed by type name.
pub fn layout_json(analysis: &Analysis) -> Value {
    let mut out = Map::new();
    for t in &analysis.types {
        out.insert(t.name.clone(), type_json(t));
    }
    Value::Object(out)
}

fn type_json(t: &TypeReport) -> Value {
    let optimal = t.optimal.as_ref();
    json!({
        "kind": t.kind,
        "size": t.layout.size,
        "align": t.layout.align,
        "ptrdata": t.layout.ptrdata,
        "fields": t.fields.iter().map(|f| json!({
            "name": t.field_name(f),
            "type": t.field_type(f),
            "offset": f.offset,
            "size": f.size,
            "align": f.align,
            "ptrdata": f.ptrdata,
            "embedded": f.embedded,
        })).collect::<Vec<_>>(),
        "padding": t.padding.iter().map(|p| json!({
            "offset": p.offset,
            "len": p.len,
            "kind": match p.kind { PaddingKind::Internal => "internal", PaddingKind::Trailing => "trailing" },
        })).collect::<Vec<_>>(),
        "optimal_order": t.optimal_field_names(),
        "optimal_size": optimal.map_or(t.layout.size, |o| o.layout.size),
        "optimal_ptrdata": optimal.map_or(t.layout.ptrdata, |o| o.layout.ptrdata),
        "bytes_saved": optimal.map_or(0, |o| o.bytes_saved),
        "heap": {
            "function": t.heap.go_function(),
            "size_class": t.heap.class(),
            "block": t.heap.block,
            "waste": t.heap.waste,
        },
    })
}

fn layout_text(analysis: &Analysis) -> String {
    let mut s = format!(
        "GOARCH={} (word {} B), after {}\n",
        analysis.arch,
        analysis.arch.sizes().word_size,
        runtime_model::GO_VERSION
    );
    if let Some(skipped) = analysis.skipped_summary() {
        s.push_str(&skipped);
        s.push('\n');
    }
    for t in &analysis.types {
        s.push_str(&format!(
            "\ntype {} {}: size {}, align {}, pointer bytes {}\n",
            t.name, t.kind, t.layout.size, t.layout.align, t.layout.ptrdata
        ));
        if !t.fields.is_empty() {
            s.push_str(&format!(
                "  {:>6} {:>6} {:>5}  field\n",
                "offset", "size", "align"
            ));
        }
        let mut pads = t.padding.iter().peekable();
        for f in &t.fields {
            while let Some(p) = pads.next_if(|p| p.offset <= f.offset) {
                s.push_str(&format!(
                    "  {:>6} {:>6} {:>5}  (padding)\n",
                    p.offset, p.len, ""
                ));
            }
            s.push_str(&format!(
                "  {:>6} {:>6} {:>5}  {} {}\n",
                f.offset,
                f.size,
                f.align,
                t.field_name(f),
                t.field_type(f)
            ));
        }
        for p in pads {
            s.push_str(&format!(
                "  {:>6} {:>6} {:>5}  ({} padding)\n",
                p.offset,
                p.len,
                "",
                if p.kind == PaddingKind::Trailing {
                    "trailing"
                } else {
                    "internal"
                }
            ));
        }
        if let Some(o) = t.optimal.as_ref().filter(|o| o.improves) {
            s.push_str(&format!(
                "  fieldalignment: {} -> size {}, pointer bytes {} ({} bytes saved)\n",
                t.optimal_field_names().join(", "),
                o.layout.size,
                o.layout.ptrdata,
                o.bytes_saved
            ));
        }
        s.push_str(&format!(
            "  heap: {} B via {}, size class {}, {} B lost\n",
            t.heap.block,
            t.heap.go_function(),
            t.heap.class(),
            t.heap.waste
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use crate::run;

    fn run_args(args: &[&str]) -> Result<String, String> {
        run(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn temp_file(name: &str, text: &str) -> String {
        let path = std::env::temp_dir().join(format!("gopherscope-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    #[test]
    fn json_is_keyed_by_type_name() {
        let f = temp_file(
            "t.go",
            "package p\ntype T struct { a bool; b int64; c bool }\n",
        );
        let out = run_args(&["layout", "--goarch", "386", &f, "--json"]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["T"]["size"], 16);
        assert_eq!(v["T"]["align"], 4);
        assert_eq!(v["T"]["ptrdata"], 0);
        assert_eq!(v["T"]["fields"][1]["offset"], 4);
        assert_eq!(v["T"]["optimal_order"], serde_json::json!(["b", "a", "c"]));
    }

    #[test]
    fn text_shows_padding_and_the_suggestion() {
        let f = temp_file("u.go", "type T struct { a bool; b int64; c bool }\n");
        let out = run_args(&["layout", &f]).unwrap();
        assert!(out.contains("size 24, align 8"), "{out}");
        assert!(out.contains("(padding)"), "{out}");
        assert!(out.contains("(trailing padding)"), "{out}");
        assert!(out.contains("fieldalignment: b, a, c -> size 16"), "{out}");
    }

    #[test]
    fn errors_carry_file_line_and_column() {
        let f = temp_file("bad.go", "type T struct {\n\tx T\n}\n");
        let err = run_args(&["layout", &f]).unwrap_err();
        assert!(
            err.ends_with("bad.go:1:6: invalid recursive type: T refers to itself"),
            "{err}"
        );
        // An undefined name is not an error: the type that needs it is
        // skipped, and the output says so.
        let f = temp_file("part.go", "type T struct {\n\tx Foo\n}\n");
        let out = run_args(&["layout", &f]).unwrap();
        assert!(
            out.contains("Skipped: type T (line 1: needs the size of Foo"),
            "{out}"
        );
        assert!(run_args(&["layout"]).is_err());
    }
}
