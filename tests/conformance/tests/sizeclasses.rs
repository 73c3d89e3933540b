//! The size-class table against GOROOT's internal/runtime/gc/sizeclasses.go,
//! parsed at test time: every array, every constant and every number of the
//! comment table. The same parser writes the model's generated tables when
//! `GOPHERSCOPE_WRITE_SIZECLASSES=1` is set.

use std::path::PathBuf;

use runtime_model::sizeclasses::{self, size_class, size_to_class, NUM_SIZE_CLASSES};

/// The parts of sizeclasses.go the model mirrors.
struct GoSizeClasses {
    consts: Vec<(String, u64)>,
    arrays: Vec<(String, Vec<u64>)>,
    /// class, bytes/obj, bytes/span, objects, tail waste, max waste (basis
    /// points), min align.
    comment_rows: Vec<[u64; 7]>,
}

impl GoSizeClasses {
    fn read() -> GoSizeClasses {
        let path = conformance::goroot().join("src/internal/runtime/gc/sizeclasses.go");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let mut consts = Vec::new();
        let mut arrays = Vec::new();
        let mut comment_rows = Vec::new();
        let mut in_const = false;
        for line in text.lines() {
            if line.starts_with("const (") {
                in_const = true;
            } else if in_const && line.starts_with(')') {
                in_const = false;
            } else if in_const {
                if let Some((name, value)) = line.split_once('=') {
                    consts.push((name.trim().to_owned(), value.trim().parse().unwrap()));
                }
            } else if let Some(rest) = line.strip_prefix("var ") {
                let name = rest.split_whitespace().next().unwrap().to_owned();
                let body = &rest[rest.find('{').unwrap() + 1..rest.rfind('}').unwrap()];
                let values = body
                    .split(',')
                    .map(|v| {
                        let v = v.trim();
                        // SizeClassToDivMagic spells entries as ^uint32(0)/size + 1.
                        if let Some(d) = v.strip_prefix("^uint32(0)/") {
                            let d: u64 = d.trim_end_matches(" + 1").parse().unwrap();
                            u64::from(u32::MAX) / d + 1
                        } else {
                            v.parse().unwrap()
                        }
                    })
                    .collect();
                arrays.push((name, values));
            } else if let Some(rest) = line.strip_prefix("//") {
                let cols: Vec<&str> = rest.split_whitespace().collect();
                if cols.len() == 7 && cols[5].ends_with('%') && cols[0].parse::<u64>().is_ok() {
                    let pct = cols[5].trim_end_matches('%').replace('.', "");
                    let mut row = [0u64; 7];
                    for (i, c) in cols.iter().enumerate() {
                        row[i] = if i == 5 {
                            pct.parse().unwrap()
                        } else {
                            c.parse().unwrap()
                        };
                    }
                    comment_rows.push(row);
                }
            }
        }
        GoSizeClasses {
            consts,
            arrays,
            comment_rows,
        }
    }

    fn array(&self, name: &str) -> &[u64] {
        &self
            .arrays
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("sizeclasses.go has no {name}"))
            .1
    }

    fn constant(&self, name: &str) -> u64 {
        self.consts
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("sizeclasses.go has no const {name}"))
            .1
    }

    /// The Rust source of the generated block in sizeclasses.rs.
    fn render_rust(&self) -> String {
        let mut s = String::new();
        for (go, rust, ty) in [
            ("SizeClassToSize", "CLASS_TO_SIZE", "u16"),
            ("SizeClassToNPages", "CLASS_TO_NPAGES", "u8"),
            ("SizeToSizeClass8", "SIZE_TO_CLASS8", "u8"),
            ("SizeToSizeClass128", "SIZE_TO_CLASS128", "u8"),
        ] {
            let values = self.array(go);
            s.push_str(&format!(
                "/// Mirrors internal/runtime/gc `{go}`.\n#[rustfmt::skip]\npub const {rust}: [{ty}; {}] = [\n",
                values.len()
            ));
            for chunk in values.chunks(16) {
                let row: Vec<String> = chunk.iter().map(u64::to_string).collect();
                s.push_str(&format!("    {},\n", row.join(", ")));
            }
            s.push_str("];\n");
        }
        s
    }
}

const BEGIN: &str = "// BEGIN GENERATED from internal/runtime/gc/sizeclasses.go\n";
const END: &str = "// END GENERATED\n";

fn model_source_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../crates/runtime-model/src/sizeclasses.rs")
}

#[test]
fn the_generated_tables_are_rendered_from_the_go_file() {
    let go = GoSizeClasses::read();
    let path = model_source_path();
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find(BEGIN).expect("begin marker") + BEGIN.len();
    let end = text.find(END).expect("end marker");
    let rendered = go.render_rust();
    if std::env::var_os("GOPHERSCOPE_WRITE_SIZECLASSES").is_some() {
        let new = format!("{}{}{}", &text[..start], rendered, &text[end..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    assert_eq!(
        &text[start..end],
        rendered,
        "sizeclasses.rs is stale: rerun with GOPHERSCOPE_WRITE_SIZECLASSES=1"
    );
}

#[test]
fn every_array_and_constant_equals_goroot() {
    let go = GoSizeClasses::read();
    assert_eq!(go.constant("NumSizeClasses") as usize, NUM_SIZE_CLASSES);
    for (name, model) in [
        ("MinHeapAlign", sizeclasses::MIN_HEAP_ALIGN),
        ("MaxSmallSize", sizeclasses::MAX_SMALL_SIZE),
        ("SmallSizeDiv", sizeclasses::SMALL_SIZE_DIV),
        ("SmallSizeMax", sizeclasses::SMALL_SIZE_MAX),
        ("LargeSizeDiv", sizeclasses::LARGE_SIZE_DIV),
        ("PageShift", u64::from(sizeclasses::PAGE_SHIFT)),
        ("MaxObjsPerSpan", sizeclasses::MAX_OBJS_PER_SPAN),
        ("MaxSizeClassNPages", sizeclasses::MAX_SIZE_CLASS_NPAGES),
        ("TinySize", sizeclasses::TINY_SIZE),
        ("TinySizeClass", u64::from(sizeclasses::TINY_SIZE_CLASS)),
    ] {
        assert_eq!(go.constant(name), model, "{name}");
    }
    let widen = |v: &[u16]| v.iter().map(|&x| u64::from(x)).collect::<Vec<_>>();
    let widen8 = |v: &[u8]| v.iter().map(|&x| u64::from(x)).collect::<Vec<_>>();
    assert_eq!(
        go.array("SizeClassToSize"),
        widen(&sizeclasses::CLASS_TO_SIZE)
    );
    assert_eq!(
        go.array("SizeClassToNPages"),
        widen8(&sizeclasses::CLASS_TO_NPAGES)
    );
    assert_eq!(
        go.array("SizeToSizeClass8"),
        widen8(&sizeclasses::SIZE_TO_CLASS8)
    );
    assert_eq!(
        go.array("SizeToSizeClass128"),
        widen8(&sizeclasses::SIZE_TO_CLASS128)
    );
    // The divide magic is not in the model, but it must agree with the sizes.
    let sizes = go.array("SizeClassToSize");
    for (c, magic) in go.array("SizeClassToDivMagic").iter().enumerate().skip(1) {
        assert_eq!(*magic, u64::from(u32::MAX) / sizes[c] + 1);
    }
}

#[test]
fn every_row_of_the_comment_table_equals_the_model() {
    let go = GoSizeClasses::read();
    assert_eq!(go.comment_rows.len(), NUM_SIZE_CLASSES - 1);
    for row in &go.comment_rows {
        let m = size_class(row[0] as u8);
        let model = [
            u64::from(m.class),
            m.size,
            m.span_bytes,
            m.objects,
            m.tail_waste,
            m.max_waste_bp,
            m.min_align,
        ];
        assert_eq!(&model, row, "class {}", row[0]);
    }
}

#[test]
fn size_to_class_agrees_with_the_go_lookup_for_every_small_size() {
    let go = GoSizeClasses::read();
    let (c8, c128) = (go.array("SizeToSizeClass8"), go.array("SizeToSizeClass128"));
    for size in 1..=go.constant("MaxSmallSize") {
        let want = if size <= 1024 - 8 {
            c8[size.div_ceil(8) as usize]
        } else {
            // Go's uintptr arithmetic wraps for 1017..=1023.
            c128[(size.wrapping_sub(1024).wrapping_add(127) / 128) as usize]
        };
        assert_eq!(u64::from(size_to_class(size)), want, "size {size}");
    }
}
