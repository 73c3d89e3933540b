//! The value table and struct layouts against the real Go toolchain:
//! go/types.SizesFor("gc", arch) for every GOARCH the model knows, and the
//! compiler (unsafe) and runtime (reflect.StructOf) on this machine.

use conformance::{go_version, run_go};
use runtime_model::values::{struct_layout, GoArch, Kind};
use serde_json::{json, Value};

/// A tiny seeded generator, so the random structs are the same every run.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Hand-picked shapes (the padding lesson, zero-size fields) plus random ones.
fn struct_shapes() -> Vec<Vec<Kind>> {
    use Kind::*;
    let mut shapes = vec![
        vec![Bool, Int64, Bool],
        vec![Int64, Bool, Bool],
        vec![Int32, EmptyStruct],
        vec![EmptyStruct, Int32],
        vec![EmptyStruct],
        vec![Int64, EmptyStruct],
        vec![Bool, Complex128],
        vec![Uint8, String, Uint16, Slice, Bool, EmptyInterface],
    ];
    let mut rng = XorShift(0x5eed_1234_abcd_0042);
    for _ in 0..300 {
        let n = 1 + rng.below(9);
        shapes.push(
            (0..n)
                .map(|_| Kind::ALL[rng.below(Kind::ALL.len())])
                .collect(),
        );
    }
    shapes
}

fn native_arch() -> GoArch {
    let out = conformance::go_command()
        .args(["env", "GOARCH"])
        .output()
        .expect("go env runs");
    let name = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    GoArch::from_name(&name)
        .unwrap_or_else(|| panic!("the model does not know this machine's GOARCH {name}"))
}

fn ask_go(shapes: &[Vec<Kind>]) -> Value {
    let request = json!({
        "arches": GoArch::ALL.iter().map(|a| a.name()).collect::<Vec<_>>(),
        "structs": shapes.iter().map(|s| s.iter().map(|k| k.id()).collect::<Vec<_>>()).collect::<Vec<_>>(),
    });
    serde_json::from_str(&run_go("values", &[], &request.to_string()))
        .expect("the oracle prints JSON")
}

fn check_answer(who: &str, arch: GoArch, answer: &Value, shapes: &[Vec<Kind>]) -> Vec<String> {
    let mut wrong = Vec::new();
    for kind in Kind::ALL {
        let go = &answer["kinds"][kind.id()];
        let model = (kind.size(arch), kind.align(arch));
        let real = (go["size"].as_u64(), go["align"].as_u64());
        if real != (Some(model.0), Some(model.1)) {
            wrong.push(format!(
                "{who} {arch}: {} is size/align {:?}/{:?} in Go but {}/{} in the model",
                kind.go_syntax(),
                real.0,
                real.1,
                model.0,
                model.1
            ));
        }
    }
    for (i, shape) in shapes.iter().enumerate() {
        let go = &answer["structs"][i];
        let (layout, offsets) = struct_layout(shape, arch);
        let real_offsets: Vec<u64> = go["offsets"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default();
        if go["size"].as_u64() != Some(layout.size)
            || go["align"].as_u64() != Some(layout.align)
            || real_offsets != offsets
        {
            let fields: Vec<&str> = shape.iter().map(|k| k.go_syntax()).collect();
            wrong.push(format!(
                "{who} {arch}: struct{{{}}} is {go} in Go but size {} align {} offsets {offsets:?} in the model",
                fields.join("; "), layout.size, layout.align
            ));
        }
    }
    wrong
}

#[test]
fn the_pinned_toolchain_is_go_1_27() {
    let v = go_version();
    assert!(
        v.starts_with("go1.27"),
        "the model cites go1.27 but the oracle is {v}"
    );
}

#[test]
fn value_table_and_struct_layouts_match_go_types_for_every_goarch() {
    let shapes = struct_shapes();
    let answer = ask_go(&shapes);
    let mut wrong = Vec::new();
    for arch in GoArch::ALL {
        wrong.extend(check_answer(
            "go/types",
            arch,
            &answer[arch.name()],
            &shapes,
        ));
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn value_table_and_struct_layouts_match_the_compiler_on_this_machine() {
    let shapes = struct_shapes();
    let answer = ask_go(&shapes);
    let arch = native_arch();
    let native = &answer[format!("native:{}", arch.name())];
    assert!(native.is_object(), "the oracle gave no native answer");
    let wrong = check_answer("unsafe/reflect", arch, native, &shapes);
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
