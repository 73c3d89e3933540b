//! `gopherscope escape`: the escape-analysis catalogue.

use runtime_model::escape::catalogue;

/// `gopherscope escape [--json]`.
#[derive(clap::Args)]
pub struct EscapeArgs {
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

/// Prints the catalogue with each case's verdict.
pub fn command(args: &EscapeArgs) -> Result<String, String> {
    let as_json = args.json;
    let cases = catalogue();
    if as_json {
        let rows: Vec<serde_json::Value> = cases
            .iter()
            .map(|c| {
                serde_json::json!({
                    "name": c.name, "title": c.title, "source": c.source, "line": c.line,
                    "verdict": c.verdict, "to_heap": c.to_heap(), "why": c.why,
                })
            })
            .collect();
        let doc = serde_json::json!({ "go_version": runtime_model::GO_VERSION, "cases": rows });
        let mut s = serde_json::to_string_pretty(&doc).expect("a JSON value always serialises");
        s.push('\n');
        return Ok(s);
    }
    let mut s = format!(
        "escape analysis, as go build -gcflags=-m reports it ({})\n",
        runtime_model::GO_VERSION
    );
    for c in cases {
        s.push_str(&format!(
            "\n{} ({})\n  line {}: {}\n  -m: {}\n  why: {}\n",
            c.title,
            c.name,
            c.line,
            c.line_text().trim(),
            c.verdict,
            c.why
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use crate::run;

    #[test]
    fn prints_every_verdict() {
        let out = run(&["escape".to_owned()]).unwrap();
        assert!(out.contains("-m: moved to heap: p"), "{out}");
        let json = run(&["escape".to_owned(), "--json".to_owned()]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(v["cases"].as_array().unwrap().len() >= 12);
        assert!(run(&["escape".to_owned(), "-x".to_owned()]).is_err());
    }
}
