//! `gopherscope iface`: the interface snippets, listed or stepped through.

use runtime_model::iface::{snippet, snippets, DataWord, Snippet, TypeWord, Var};
use serde_json::{json, Value};

/// `gopherscope iface [--snippet NAME] [--json]`.
#[derive(clap::Args)]
pub struct IfaceArgs {
    /// Step through one snippet line by line (without it: list them)
    #[arg(long = "snippet", value_name = "NAME", value_parser = parse_snippet)]
    snip: Option<Snippet>,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

/// A `--snippet` value: one of the model's snippets, by name.
fn parse_snippet(name: &str) -> Result<Snippet, String> {
    snippet(name).ok_or_else(|| {
        let known: Vec<&str> = snippets().iter().map(|s| s.name).collect();
        format!("unknown snippet {name:?}; known: {}", known.join(", "))
    })
}

/// Lists the snippets, or steps through one.
pub fn command(args: &IfaceArgs) -> Result<String, String> {
    let as_json = args.json;
    let Some(snip) = &args.snip else {
        return Ok(if as_json { list_json() } else { list_text() });
    };
    Ok(if as_json {
        pretty(&snippet_json(snip))
    } else {
        snippet_text(snip)
    })
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("a JSON value always serialises");
    s.push('\n');
    s
}

fn list_text() -> String {
    let mut s = String::from("interface snippets (gopherscope iface --snippet NAME):\n\n");
    for snip in snippets() {
        s.push_str(&format!("  {:<15} {}\n", snip.name, snip.title));
    }
    s
}

fn list_json() -> String {
    let all: Vec<Value> = snippets()
        .iter()
        .map(|s| json!({"name": s.name, "title": s.title}))
        .collect();
    pretty(&json!({ "go_version": runtime_model::GO_VERSION, "snippets": all }))
}

/// The type/itab word, one line.
pub fn type_word_text(tab: &TypeWord) -> String {
    match tab {
        TypeWord::Nil => "nil".to_owned(),
        TypeWord::Type(t) => format!("type {} (size {}, hash {:#010x})", t.name, t.size, t.hash),
        TypeWord::Itab(i) => format!(
            "itab{{Inter: {}, Type: {}, Hash: {:#010x}, Fun: [{}]}}",
            i.inter,
            i.typ.name,
            i.hash,
            i.fun.join(", ")
        ),
    }
}

/// The data word, one line.
pub fn data_word_text(data: &DataWord) -> String {
    match data {
        DataWord::Nil => "nil".to_owned(),
        DataWord::Direct { value } => format!("the value itself: {value}"),
        DataWord::Heap { value, size, via } => format!("-> heap copy of {value} ({size} B, {via})"),
        DataWord::StaticUint64s { index } => format!("-> staticuint64s[{index}]"),
        DataWord::Zerobase => "-> zerobase".to_owned(),
        DataWord::ZeroVal => "-> zeroVal".to_owned(),
        DataWord::ReadOnly { value } => format!("-> read-only copy of {value}"),
        DataWord::StackTemp { value } => format!("-> stack copy of {value}"),
    }
}

fn var_json(v: &Var) -> Value {
    match v {
        Var::Iface {
            name,
            static_type,
            tab,
            data,
        } => json!({
            "name": name, "static_type": static_type,
            "type_word": type_word_text(tab), "data_word": data_word_text(data),
            "nil": v.is_nil_interface(),
        }),
        Var::Plain {
            name,
            go_type,
            value,
        } => json!({"name": name, "go_type": go_type, "value": value}),
    }
}

fn snippet_json(snip: &Snippet) -> Value {
    let steps: Vec<Value> = snip
        .steps
        .iter()
        .map(|st| {
            json!({
                "line": st.line,
                "vars": st.vars.iter().map(var_json).collect::<Vec<_>>(),
                "printed": st.printed,
                "panic": st.panic,
                "go_function": st.go_function,
                "text": st.text,
            })
        })
        .collect();
    json!({
        "name": snip.name, "title": snip.title, "source": snip.source,
        "output": snip.output(), "panic": snip.panic(), "steps": steps,
    })
}

fn snippet_text(snip: &Snippet) -> String {
    let lines: Vec<&str> = snip.lines().collect();
    let mut s = format!("{}\n\n", snip.title);
    for (i, l) in lines.iter().enumerate() {
        s.push_str(&format!("{:>3}  {l}\n", i + 1));
    }
    for st in &snip.steps {
        s.push_str(&format!(
            "\nline {:>2}: {}\n",
            st.line,
            lines[st.line - 1].trim()
        ));
        s.push_str(&format!("         {}\n", st.text));
        for v in &st.vars {
            match v {
                Var::Iface {
                    name,
                    static_type,
                    tab,
                    data,
                } => s.push_str(&format!(
                    "         {name} ({static_type}): [{}] [{}]\n",
                    type_word_text(tab),
                    data_word_text(data)
                )),
                Var::Plain {
                    name,
                    go_type,
                    value,
                } => {
                    s.push_str(&format!("         {name} ({go_type}) = {value}\n"));
                }
            }
        }
        for out in st.printed.lines() {
            s.push_str(&format!("   stdout> {out}\n"));
        }
        if let Some(p) = &st.panic {
            s.push_str(&format!("   stderr> {p}\n"));
        }
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
    fn lists_the_snippets() {
        let out = run_args(&["iface"]).unwrap();
        assert!(out.contains("typed-nil"), "{out}");
    }

    #[test]
    fn steps_through_the_typed_nil_trap() {
        let out = run_args(&["iface", "--snippet", "typed-nil"]).unwrap();
        assert!(
            out.contains("itab{Inter: error, Type: *main.MyErr"),
            "{out}"
        );
        assert!(out.contains("stdout> true"), "{out}");
        let v: serde_json::Value =
            serde_json::from_str(&run_args(&["iface", "--snippet=compare", "--json"]).unwrap())
                .unwrap();
        assert_eq!(
            v["panic"],
            "panic: runtime error: comparing uncomparable type []int"
        );
    }

    #[test]
    fn an_unknown_snippet_names_the_known_ones() {
        let err = run_args(&["iface", "--snippet", "nope"]).unwrap_err();
        assert!(err.contains("known: typed-nil"), "{err}");
        assert!(run_args(&["iface", "--snippet"]).is_err());
    }
}
