//! `gopherscope alloc SIZE [--noscan]`: the path mallocgc takes for a size.

use runtime_model::malloc::{plan_alloc, AllocPath};

/// `gopherscope alloc SIZE [--noscan] [--json]`.
#[derive(clap::Args)]
pub struct AllocArgs {
    /// The size to allocate, in bytes
    #[arg(value_name = "SIZE", value_parser = parse_size, allow_negative_numbers = true)]
    size: u64,
    /// The object holds no pointers (a noscan allocation, as for []byte)
    #[arg(long)]
    noscan: bool,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

/// Plans the allocation of SIZE bytes.
pub fn command(args: &AllocArgs) -> Result<String, String> {
    let (size, noscan, as_json) = (args.size, args.noscan, args.json);
    let p = plan_alloc(size, noscan);
    if as_json {
        let doc = serde_json::json!({
            "size": p.size, "noscan": p.noscan, "path": p.path.name(), "size_class": p.size_class,
            "header": p.header, "slot": p.slot, "usable": p.usable, "waste": p.waste,
            "npages": p.npages, "objects_per_span": p.objects_per_span, "go_function": p.go_function,
            "generic_function": p.generic_function(), "size_specialized": p.size_specialized(),
        });
        let mut s = serde_json::to_string_pretty(&doc).expect("a JSON value always serialises");
        s.push('\n');
        return Ok(s);
    }
    let kind = if noscan {
        "pointer-free"
    } else {
        "with pointers"
    };
    let mut s = format!(
        "mallocgc({size} B, {kind}) -> {} via {}\n",
        p.path.name(),
        p.go_function
    );
    if p.size_specialized() {
        s.push_str(&format!(
            "  generated for this size class (size-specialised malloc, on by default); without it (e.g. -race): {}, same class\n",
            p.generic_function()
        ));
    }
    match p.path {
        AllocPath::ZeroBase => s.push_str("  no memory: the pointer is &zerobase\n"),
        AllocPath::Tiny => s.push_str(&format!(
            "  packed with other tiny objects into a 16-byte block of size class {} ({} blocks per {}-page span)\n",
            p.size_class, p.objects_per_span, p.npages
        )),
        AllocPath::Small => {
            s.push_str(&format!(
                "  size class {}: {} B slots, {} per {}-page span\n",
                p.size_class, p.slot, p.objects_per_span, p.npages
            ));
            if p.header > 0 {
                s.push_str("  plus an 8-byte malloc header (the type), since it has pointers and is over 512 B\n");
            }
        }
        AllocPath::Large => s.push_str(&format!(
            "  large object: {} page(s) = {} B straight from mheap\n",
            p.npages, p.slot
        )),
    }
    s.push_str(&format!(
        "  rounding waste: {} B; usable (roundupsize): {} B\n",
        p.waste, p.usable
    ));
    Ok(s)
}

fn parse_size(s: &str) -> Result<u64, String> {
    let n: u64 = s
        .parse()
        .map_err(|_| format!("SIZE must be a whole number of bytes, got {s:?}"))?;
    // A size whose page rounding would overflow cannot be allocated.
    if n > 1 << 48 {
        return Err(format!("SIZE {n} is larger than any Go heap (2^48 bytes)"));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use crate::run;

    fn run_args(args: &[&str]) -> Result<String, String> {
        run(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_small_size_names_its_class_and_waste() {
        let out = run_args(&["alloc", "33", "--noscan"]).unwrap();
        assert!(out.contains("size class 5: 48 B slots"), "{out}");
        assert!(out.contains("rounding waste: 15 B"), "{out}");
        assert!(run_args(&["alloc", "8"]).unwrap().contains("small"));
        assert!(run_args(&["alloc", "8", "--noscan"])
            .unwrap()
            .contains("tiny"));
        assert!(run_args(&["alloc", "40000"]).unwrap().contains("5 page(s)"));
    }

    #[test]
    fn bad_sizes_are_refused() {
        assert!(run_args(&["alloc"]).unwrap_err().contains("<SIZE>"));
        assert!(run_args(&["alloc", "-5"])
            .unwrap_err()
            .contains("whole number"));
        assert!(run_args(&["alloc", "12kb"])
            .unwrap_err()
            .contains("whole number"));
        assert!(run_args(&["alloc", "99999999999999999999"]).is_err());
        assert!(run_args(&["alloc", "1", "2"]).is_err());
    }
}
