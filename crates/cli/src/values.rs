//! `gopherscope values`: the value-representation table as text or JSON.

use runtime_model::values::{value_table, GoArch};

/// `gopherscope values [--goarch ARCH] [--json]`.
#[derive(clap::Args)]
pub struct ValuesArgs {
    /// The GOARCH whose sizes to print
    #[arg(long, value_name = "ARCH", default_value = "amd64", value_parser = crate::arch_parser())]
    goarch: GoArch,
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
}

/// Prints the value table for the chosen GOARCH.
pub fn command(args: &ValuesArgs) -> Result<String, String> {
    let (arch, json) = (args.goarch, args.json);
    Ok(if json {
        values_json(arch)
    } else {
        values_text(arch)
    })
}

fn values_json(arch: GoArch) -> String {
    let sizes = arch.sizes();
    let rows: Vec<serde_json::Value> = value_table(arch)
        .map(|row| {
            serde_json::json!({
                "kind": row.kind.id(),
                "go": row.kind.go_syntax(),
                "size": row.layout.size,
                "align": row.layout.align,
                "parts": row.kind.parts(arch).iter().map(|p| serde_json::json!({
                    "name": p.name, "role": p.role, "size": p.size,
                })).collect::<Vec<_>>(),
                "note": row.kind.note(),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "goarch": arch.name(),
        "word_size": sizes.word_size,
        "max_align": sizes.max_align,
        "go_version": runtime_model::GO_VERSION,
        "values": rows,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("a JSON value always serialises");
    s.push('\n');
    s
}

fn values_text(arch: GoArch) -> String {
    let sizes = arch.sizes();
    let mut s = format!(
        "GOARCH={} (word {} B, max align {} B), after {}\n\n{:<16} {:>5} {:>6}  note\n",
        arch,
        sizes.word_size,
        sizes.max_align,
        runtime_model::GO_VERSION,
        "type",
        "size",
        "align"
    );
    for row in value_table(arch) {
        s.push_str(&format!(
            "{:<16} {:>5} {:>6}  {}\n",
            row.kind.go_syntax(),
            row.layout.size,
            row.layout.align,
            row.kind.note()
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

    #[test]
    fn text_table_lists_string_as_two_words() {
        let out = run_args(&["values", "--goarch", "386"]).unwrap();
        let line = out.lines().find(|l| l.starts_with("string ")).unwrap();
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(&cols[1..3], &["8", "4"]);
    }

    #[test]
    fn json_has_every_kind() {
        let out = run_args(&["values", "--json"]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["goarch"], "amd64");
        let rows = v["values"].as_array().unwrap();
        assert_eq!(rows.len(), runtime_model::values::Kind::ALL.len());
        let slice = rows.iter().find(|r| r["kind"] == "slice").unwrap();
        assert_eq!(slice["size"], 24);
    }

    #[test]
    fn bad_arch_names_what_is_allowed() {
        let err = run_args(&["values", "--goarch", "x86"]).unwrap_err();
        assert!(
            err.contains("invalid value 'x86' for '--goarch <ARCH>'"),
            "{err}"
        );
        assert!(err.contains("amd64, arm64, 386"), "{err}");
        assert!(run_args(&["values", "--goarch"]).is_err());
        assert!(run_args(&["frobnicate"]).is_err());
    }
}
