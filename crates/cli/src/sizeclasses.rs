//! `gopherscope sizeclasses`: the allocator's size-class table.

use runtime_model::sizeclasses::size_classes;

/// `gopherscope sizeclasses [--json]`.
#[derive(clap::Args)]
pub struct SizeclassesArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
}

/// Prints the size-class table.
pub fn command(args: &SizeclassesArgs) -> Result<String, String> {
    let as_json = args.json;
    if as_json {
        let rows: Vec<serde_json::Value> = size_classes()
            .map(|c| {
                serde_json::json!({
                    "class": c.class,
                    "bytes_per_obj": c.size,
                    "bytes_per_span": c.span_bytes,
                    "objects": c.objects,
                    "tail_waste": c.tail_waste,
                    "max_waste_percent": c.max_waste_bp as f64 / 100.0,
                    "min_align": c.min_align,
                })
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&rows).expect("a JSON value always serialises");
        s.push('\n');
        return Ok(s);
    }
    // The same columns as the comment in internal/runtime/gc/sizeclasses.go.
    let mut s = format!(
        "{:<5}  {:<9}  {:<10}  {:<7}  {:<10}  {:<9}  {:<9}\n",
        "class", "bytes/obj", "bytes/span", "objects", "tail waste", "max waste", "min align"
    );
    for c in size_classes() {
        s.push_str(&format!(
            "{:5}  {:9}  {:10}  {:7}  {:10}  {:5}.{:02}%  {:9}\n",
            c.class,
            c.size,
            c.span_bytes,
            c.objects,
            c.tail_waste,
            c.max_waste_bp / 100,
            c.max_waste_bp % 100,
            c.min_align
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use crate::run;

    #[test]
    fn the_table_has_67_rows_like_the_go_comment() {
        let out = run(&["sizeclasses".to_string()]).unwrap();
        assert_eq!(out.lines().count(), 68);
        assert!(out.lines().nth(1).unwrap().contains("87.50%"));
        let json = run(&["sizeclasses".to_string(), "--json".to_string()]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v[66]["bytes_per_obj"], 32768);
    }
}
