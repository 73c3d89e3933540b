//! The decoders, one [`Target`] each: every registry widget's URL
//! parameters, the scheduler's scenario format, the GOGC and GOMEMLIMIT
//! knobs, the data files, the layout lab's parser, the quiz's saved
//! progress and the number fields.

use std::collections::BTreeSet;

use gopherscope_web::app::registry::{self, HOST_KEYS, WIDGETS};
use gopherscope_web::kit::host::{self, Incoming, MessageData};
use gopherscope_web::kit::query::{self, Key, Params};
use gopherscope_web::widgets;
use runtime_model::gc::knobs::{parse_gogc, parse_gomemlimit, Gogc};
use runtime_model::sched::{parse_scenario, presets, Sim};
use serde_json::Value;

use crate::corpus;
use crate::{shape, Rng, Target, NUMBERS};

fn bytes(items: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<Vec<u8>> {
    items
        .into_iter()
        .map(|s| s.as_ref().as_bytes().to_vec())
        .collect()
}

fn text(input: &[u8]) -> String {
    String::from_utf8_lossy(input).into_owned()
}

/// One widget's `Params` type, as a fuzz target reads it: decode, check
/// the link it writes reads back the same, then what the widget computes
/// from the settings straight away.
pub struct Typed {
    pub slug: &'static str,
    pub keys: &'static [Key],
    pub check: fn(&str) -> String,
}

/// Decodes `q` as `P`, and checks the link the widget would write for
/// what it read: it must read back as the same settings, with no notice,
/// and be written the same again.
fn round_trip<P: Params>(q: &str) -> (P, String) {
    let d = query::decode::<P>(q);
    let link = query::to_query(&d.params);
    let again = query::decode::<P>(&link);
    assert!(
        again.notices.is_empty(),
        "{}: the link {link:?} that the widget writes for {q:?} is refused on the way back: {:?}",
        P::WIDGET,
        again.notices
    );
    assert!(
        again.params == d.params,
        "{}: the link {link:?} that the widget writes for {q:?} reads back as other settings",
        P::WIDGET
    );
    assert_eq!(
        query::to_query(&again.params),
        link,
        "{}: a link is not written the same twice",
        P::WIDGET
    );
    (d.params, notices_outcome(q, P::KEYS, &d.notices))
}

/// The notices of a query in a few words: the key each notice is about
/// (its `Key::notice` for the link's value), or the notice shaped when it
/// is about the settings together.
fn notices_outcome(q: &str, keys: &[Key], notices: &[String]) -> String {
    if notices.is_empty() {
        return String::new();
    }
    // The first value of each key, as `query::decode` reads them: a link
    // that repeats a key a thousand times costs a thousand notices here
    // otherwise, not in the widget.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in query::pairs(q) {
        if !pairs.iter().any(|(seen, _)| *seen == k) {
            pairs.push((k, v));
        }
    }
    let mut out = Vec::new();
    for n in notices {
        let key = pairs.iter().find_map(|(k, v)| {
            keys.iter()
                .find(|key| key.name == k && (key.notice)(v) == *n)
                .map(|key| key.name.to_owned())
        });
        out.push(key.unwrap_or_else(|| shape(n)));
    }
    out.join(" | ")
}

macro_rules! typed {
    ($($slug:literal => $module:ident $(, |$p:ident| $deeper:expr)?;)*) => {
        &[$(Typed {
            slug: $slug,
            keys: <widgets::$module::state::Params as Params>::KEYS,
            check: |q| {
                #[allow(unused_variables)]
                let (p, outcome) = round_trip::<widgets::$module::state::Params>(q);
                $(let $p = &p; let deeper: String = $deeper; return format!("{outcome} / {deeper}");)?
                #[allow(unreachable_code)]
                outcome
            },
        }),*]
    };
}

/// Every widget with URL state. A test checks that this lists exactly
/// the registry's widgets that have keys, with the same keys.
pub const TYPED: &[Typed] = typed! {
    "scheduler" => scheduler, |p| match p.config() {
        Ok(c) => format!("runs on {} Ps {}", c.gomaxprocs, p.description().is_some()),
        Err(e) => shape(&e),
    };
    "allocator" => allocator, |p| format!("{:?} {}", std::mem::discriminant(&p.scenario()), p.own_run_too_big());
    "gc-marking" => gc_marking, |p| format!("{:?}", p.run().1);
    "gc-pacer" => gc_pacer, |p| {
        let preset = p.preset();
        let (from, to) = p.window(preset.seconds);
        assert!(from <= to, "gc-pacer: the window ends before it starts");
        preset.name.to_owned()
    };
    "build-explorer" => build_explorer, |p| p.choice().plain().id(false);
    "escape" => escape;
    "interfaces" => interfaces;
    "layout-lab" => layout_lab, |p| match runtime_model::layout::analyze(p.src(), p.arch()) {
        Ok(a) => format!("{} types", a.types.len().min(3)),
        Err(e) => shape(&e.to_string()),
    };
    "stack" => stack, |p| {
        let _sim = widgets::stack::state::scenario(p.run());
        format!("{}", p.run().1.min(1))
    };
    "value-table" => value_table, |p| format!("{:?}", p.arch());
    "logs" => logs, |p| p.example().name.to_owned();
    "trace" => trace, |p| format!("{} at {} following {:?}", p.sample().name, p.step(), p.follow.map(|g| g.0));
};

/// Tokens of a query string.
const QUERY_TOKENS: &[&str] = &[
    "&",
    "=",
    "&&",
    "==",
    "%",
    "%2",
    "%20",
    "%26",
    "%3D",
    "%25",
    "%2B",
    "+",
    "?",
    "#",
    ";",
    "%C3%A9",
    "%FF",
    "%00",
    "%0A",
    "%E2%82",
    "%F0%9F%98%80",
    "%EF%BB%BF",
];

/// Values worth trying for any key.
const ANY_VALUE: &[&str] = &[
    "",
    " ",
    "true",
    "false",
    "on",
    "off",
    "yes",
    "null",
    "undefined",
    "custom",
    "%",
    "%ZZ",
    "\u{0}",
    "é",
    "\n",
    "+",
    "a%26b%3Dc",
];

/// The words in a key's notice for a value it cannot use: notices say
/// what is allowed, so they name the presets, the choices and the bounds.
fn notice_words(slug: &str, key: &Key) -> Vec<String> {
    let Some(w) = registry::widget(slug) else {
        return Vec::new();
    };
    let mut words = Vec::new();
    for bad in ["\u{1}", "x"] {
        for n in (w.notices)(&format!("{}={bad}", key.name)) {
            for word in n.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')) {
                let word = word.trim_end_matches('.');
                if !word.is_empty() && word.len() < 40 {
                    words.push(word.to_owned());
                }
            }
        }
    }
    words.sort();
    words.dedup();
    words
}

/// The URL parameters of one widget.
fn params_target(w: &'static registry::Widget, links: &[String]) -> Target {
    let keys: Vec<&'static str> = w.keys.iter().map(|k| k.name).collect();
    let owns = |q: &str| {
        query::pairs(q)
            .iter()
            .any(|(k, _)| keys.contains(&k.as_str()))
    };
    let mut seeds: Vec<String> = links.iter().filter(|q| owns(q)).cloned().collect();
    seeds.insert(0, String::new());
    // Values per key: from the links, and from the key's own notice.
    let mut values: Vec<Vec<String>> = Vec::new();
    for key in w.keys {
        let mut v: Vec<String> = links
            .iter()
            .flat_map(|q| query::pairs(q))
            .filter(|(k, _)| k == key.name)
            .map(|(_, v)| v)
            .collect();
        v.extend(notice_words(w.slug, key));
        v.sort();
        v.dedup();
        values.push(v);
    }
    let others: Vec<&'static str> = WIDGETS
        .iter()
        .flat_map(|o| o.keys.iter().map(|k| k.name))
        .chain(HOST_KEYS)
        .filter(|k| !keys.contains(k))
        .collect();
    let mut dict: Vec<String> = QUERY_TOKENS.iter().map(|s| (*s).to_owned()).collect();
    dict.extend(keys.iter().map(|k| format!("{k}=")));
    dict.extend(keys.iter().map(|k| format!("&{k}=")));
    dict.extend(values.iter().flatten().cloned());
    dict.extend(NUMBERS.iter().map(|s| (*s).to_owned()));
    let typed = TYPED.iter().find(|t| t.slug == w.slug).map(|t| t.check);
    let generate_keys = keys.clone();
    Target {
        name: format!("params/{}", w.slug),
        about: format!(
            "the URL parameters of the {} widget ({} keys), decoded as a link to /embed/{} gives them",
            w.slug,
            keys.len(),
            w.slug
        ),
        seeds: bytes(seeds),
        dict: bytes(dict),
        max_len: 16 << 10,
        generate: Box::new(move |r| generate_query(r, &generate_keys, &values, &others)),
        check: Box::new(move |input| {
            let q = text(input);
            match typed {
                Some(check) => check(&q),
                None => {
                    notices_outcome(&q, w.keys, &(w.notices)(&q))
                }
            }
        }),
    }
}

/// Percent-encodes a random choice of `s`'s bytes.
fn percent(r: &mut Rng, s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if r.chance(150) || !(b.is_ascii_alphanumeric() || b"-._~".contains(&b)) && r.chance(700) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
    out
}

fn generate_query(r: &mut Rng, keys: &[&str], values: &[Vec<String>], others: &[&str]) -> Vec<u8> {
    let mut parts = Vec::new();
    for _ in 0..r.len(12) {
        let (key, value_pool) = match r.below(20) {
            0 => (r.pick(others).to_string(), None),
            1 => (r.pick(ANY_VALUE).to_string(), None),
            _ if keys.is_empty() => ("step".to_owned(), None),
            _ => {
                let i = r.below(keys.len());
                (keys[i].to_owned(), Some(&values[i]))
            }
        };
        let value = match r.below(10) {
            0..=4 => match value_pool {
                Some(v) if !v.is_empty() => r.pick(v).clone(),
                _ => r.pick(NUMBERS).to_string(),
            },
            5 | 6 => r.pick(NUMBERS).to_string(),
            7 => r.pick(ANY_VALUE).to_string(),
            8 => {
                // A value repeated until it is long.
                let piece = match value_pool {
                    Some(v) if !v.is_empty() => r.pick(v).clone(),
                    _ => "9".to_owned(),
                };
                piece.repeat(1 + r.len(2000))
            }
            _ => (0..r.len(16))
                .map(|_| char::from(32 + r.below(95) as u8))
                .collect(),
        };
        let pair = match r.below(12) {
            0 => key,
            1 => format!("{key}="),
            2 => format!("={value}"),
            _ => format!("{}={}", percent(r, &key), percent(r, &value)),
        };
        parts.push(pair);
    }
    let sep = if r.chance(50) { ";" } else { "&" };
    let mut q = parts.join(sep);
    if r.chance(100) {
        q.insert(0, '?');
    }
    q.into_bytes()
}

/// The scheduler's scenario format (a custom scenario in the URL or the
/// editor): parsed, checked, and on success run for a few hundred steps.
fn scenario_target() -> Target {
    let mut seeds: Vec<String> = Vec::new();
    for p in presets::PRESETS {
        seeds.push(p.text_for(p.default_n));
        seeds.push(p.text_for(1));
    }
    let dict = bytes(SCENARIO_WORDS.iter().chain(DURATIONS).chain(NUMBERS));
    Target {
        name: "scenario".into(),
        about: "the scheduler's scenario format (preset=custom&scenario=... or the editor), parsed, validated and run for up to 300 steps".into(),
        seeds: bytes(seeds),
        dict,
        max_len: 16 << 10,
        generate: Box::new(generate_scenario),
        check: Box::new(|input| match parse_scenario(&text(input)) {
            Ok(config) => {
                let procs = config.gomaxprocs;
                let mut sim = Sim::new(config).expect("a parsed scenario is a valid config");
                let mut steps = 0;
                while steps < 300 && sim.step().is_some() {
                    steps += 1;
                }
                format!("ok {} {}", procs.min(4), steps.min(10))
            }
            Err(e) => shape(&e.to_string()),
        }),
    }
}

const SCENARIO_WORDS: &[&str] = &[
    "gomaxprocs",
    "seed",
    "asyncpreemptoff",
    "schedtrace",
    "detail",
    "schedtick",
    "runtime-gs",
    "limit",
    "func",
    "main",
    "worker",
    "end",
    "compute",
    "gosched",
    "go",
    "netread",
    "syscall",
    "syscallblock",
    "sleep",
    "recv",
    "send",
    "lock",
    "unlock",
    "add",
    "done",
    "wait",
    "repeat",
    "exit",
    "#",
    "\n",
    " ",
    "\t",
    "main.main",
    "a.b",
    "ch",
    "mu",
    "wg",
];

const DURATIONS: &[&str] = &[
    "0",
    "1ns",
    "250ns",
    "20us",
    "20µs",
    "10ms",
    "2s",
    "3600s",
    "3601s",
    "3600000ms",
    "18446744073709551615ns",
    "18446744073709551616ns",
    "-5us",
    "1.5ms",
    "10xs",
    "ms",
    "1m",
    "1h",
];

fn generate_scenario(r: &mut Rng) -> Vec<u8> {
    let names = ["main", "worker", "w", "a.b", "main.main", "x"];
    let objects = ["ch", "c2", "mu", "wg", "é", "0"];
    let mut s = String::new();
    for _ in 0..r.len(4) {
        let line = match r.below(8) {
            0 => format!("gomaxprocs {}", r.pick(NUMBERS)),
            1 => format!("seed {}", r.pick(NUMBERS)),
            2 => format!("asyncpreemptoff {}", r.pick(&["0", "1", "2", ""])),
            3 => format!(
                "schedtrace {} {}",
                r.pick(DURATIONS),
                r.pick(&["", "detail", "x"])
            ),
            4 => format!("schedtick {} {}", r.pick(NUMBERS), r.pick(NUMBERS)),
            5 => format!("runtime-gs {}", r.pick(NUMBERS)),
            6 => format!("limit {}", r.pick(NUMBERS)),
            _ => format!("# {}", r.pick(SCENARIO_WORDS)),
        };
        s.push_str(&line);
        s.push('\n');
    }
    let funcs = 1 + r.len(4);
    for f in 0..funcs {
        let name = if f == funcs - 1 {
            "main"
        } else {
            r.pick(&names)
        };
        s.push_str(&format!("func {name}\n"));
        let mut depth = 0usize;
        for _ in 0..r.len(24) {
            let indent = "  ".repeat(depth + 1);
            let op = match r.below(16) {
                0 => format!("compute {}", r.pick(DURATIONS)),
                1 => "gosched".to_owned(),
                2 => format!(
                    "go {} {}",
                    r.pick(&names),
                    r.pick(&["", "1", "4", "10000", "99999999"])
                ),
                3 => format!("netread {}", r.pick(DURATIONS)),
                4 => format!("syscall {}", r.pick(DURATIONS)),
                5 => format!("syscallblock {}", r.pick(DURATIONS)),
                6 => format!("sleep {}", r.pick(DURATIONS)),
                7 => format!("{} {}", r.pick(&["recv", "send"]), r.pick(&objects)),
                8 => format!("{} {}", r.pick(&["lock", "unlock"]), r.pick(&objects)),
                9 => format!("add {} {}", r.pick(&objects), r.pick(NUMBERS)),
                10 => format!("{} {}", r.pick(&["done", "wait"]), r.pick(&objects)),
                11 => format!("gomaxprocs {}", r.pick(NUMBERS)),
                12 => {
                    depth += 1;
                    format!("repeat {}", r.pick(&["2", "3", "0", "1000", "4294967295"]))
                }
                13 if depth > 0 => {
                    depth -= 1;
                    "end".to_owned()
                }
                14 => "exit".to_owned(),
                _ => r.pick(SCENARIO_WORDS).to_string(),
            };
            s.push_str(&indent);
            s.push_str(&op);
            s.push('\n');
        }
        for _ in 0..depth {
            s.push_str("  end\n");
        }
        if !r.chance(20) {
            s.push_str("end\n");
        }
    }
    s.into_bytes()
}

fn knob_target(name: &str, about: &str, seeds: &[&str], check: crate::Check) -> Target {
    let suffixes = [
        "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "iB", "KB", "MB", "K", "i", "b",
    ];
    let dict = bytes(
        suffixes
            .iter()
            .chain(NUMBERS)
            .chain(&["off", "OFF", "+", "-", " ", "_"]),
    );
    Target {
        name: name.to_owned(),
        about: about.to_owned(),
        seeds: bytes(seeds),
        dict,
        max_len: 256,
        generate: Box::new(move |r| {
            let mut s = String::new();
            if r.chance(200) {
                let signs: [&str; 4] = ["+", "-", " ", "0"];
                s.push_str(r.pick::<&str>(&signs));
            }
            for _ in 0..r.len(25) {
                s.push(char::from(b'0' + r.below(10) as u8));
            }
            if r.chance(600) {
                s.push_str(r.pick::<&str>(&suffixes));
            }
            if r.chance(50) {
                let tails: [&str; 4] = [" ", "\n", "B", "é"];
                s.push_str(r.pick::<&str>(&tails));
            }
            s.into_bytes()
        }),
        check,
    }
}

fn gogc_target() -> Target {
    knob_target(
        "gogc",
        "the GOGC knob (runtime/mgcpacer.go readGOGC's rules): gc-pacer's gogc=, the CLI's --gogc",
        &["100", "off", "50", "-1", "200", "+50", "0", "2147483647"],
        Box::new(|input| {
            let s = text(input);
            match parse_gogc(&s) {
                Ok(g) => {
                    // What the widget shows reads back as the same knob.
                    assert_eq!(
                        parse_gogc(&g.to_string()),
                        Ok(g),
                        "GOGC {s:?} prints as {g}"
                    );
                    match g {
                        Gogc::Off => "off".to_owned(),
                        Gogc::Percent(p) => format!("percent {}", p.min(1)),
                    }
                }
                Err(e) => shape(&e),
            }
        }),
    )
}

fn gomemlimit_target() -> Target {
    knob_target(
        "gomemlimit",
        "the GOMEMLIMIT knob (readGOMEMLIMIT and runtime/string.go parseByteCount): gc-pacer's gomemlimit=, the CLI's --gomemlimit",
        &["off", "512MiB", "2GiB", "1TiB", "4096", "4096B", "1KiB", "8191PiB", "9223372036854775807"],
        Box::new(|input| {
            let s = text(input);
            match parse_gomemlimit(&s) {
                Ok(None) => "off".to_owned(),
                Ok(Some(v)) => {
                    assert!(v <= i64::MAX as u64, "GOMEMLIMIT {s:?} is {v}, past MaxInt64");
                    assert_eq!(parse_gomemlimit(&v.to_string()), Ok(Some(v)), "{s:?}");
                    format!("bytes {}", v.min(1))
                }
                Err(e) => shape(&e),
            }
        }),
    )
}

/// Numbers at the edges of what JSON readers take.
const NUMBER_TEXTS: [&str; 7] = [
    "0",
    "-1",
    "1e308",
    "18446744073709551615",
    "18446744073709551616",
    "1.5",
    "-0",
];

/// Mutations of a JSON document's structure: a node replaced by one of
/// another type, a key dropped or renamed, an array element dropped or
/// doubled, deep nesting.
fn mutate_json(r: &mut Rng, v: &mut Value, depth: u32) {
    let descend = depth < 12 && r.chance(800);
    match v {
        Value::Object(map) if descend && !map.is_empty() => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let k = r.pick(&keys).clone();
            match r.below(10) {
                0 => {
                    map.remove(&k);
                }
                1 => {
                    if let Some(x) = map.remove(&k) {
                        map.insert(format!("{k}_"), x);
                    }
                }
                _ => mutate_json(r, map.get_mut(&k).expect("a key of the map"), depth + 1),
            }
        }
        Value::Array(items) if descend && !items.is_empty() => {
            let i = r.below(items.len());
            match r.below(10) {
                0 => {
                    items.remove(i);
                }
                1 => {
                    let x = items[i].clone();
                    items.insert(i, x);
                }
                2 => items.truncate(i),
                _ => mutate_json(r, &mut items[i], depth + 1),
            }
        }
        _ => {
            let next = match r.below(12) {
                0 => Value::Null,
                1 => Value::Bool(r.chance(500)),
                2 => serde_json::from_str(r.pick::<&str>(&NUMBER_TEXTS)).unwrap_or(Value::Null),
                3 => Value::String(String::new()),
                4 => Value::String("x".repeat(r.len(100_000))),
                5 => Value::Array(Vec::new()),
                6 => Value::Object(serde_json::Map::new()),
                7 => {
                    let mut x = v.take();
                    for _ in 0..r.len(200) {
                        x = Value::Array(vec![x]);
                    }
                    x
                }
                8 => match &mut *v {
                    Value::String(s) => {
                        Value::String(text(&crate::mutate(r, s.as_bytes(), &[], &[], 4096)))
                    }
                    other => other.take(),
                },
                9 => match &mut *v {
                    Value::Number(n) => Value::String(n.to_string()),
                    Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
                    other => Value::Array(vec![other.take()]),
                },
                _ => Value::String(
                    r.pick(&[
                        "hello",
                        "linux-amd64",
                        "gopherscope/build-explorer/1",
                        "gopherscope/toolchain/1",
                        "ELF",
                    ])
                    .to_string(),
                ),
            };
            *v = next;
        }
    }
}

/// `v` with every string longer than `max` cut short: a small document
/// of the same shape (ids and schema names are short, so it stays valid).
fn compact(v: &Value, max: usize) -> Value {
    match v {
        Value::String(s) if s.chars().count() > max => Value::String(s.chars().take(max).collect()),
        Value::Array(items) => Value::Array(items.iter().map(|x| compact(x, max)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, x)| (k.clone(), compact(x, max)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn data_target<T: gopherscope_web::kit::data::DataFile>(file: &str) -> Target {
    let path = corpus::root().join("web/data").join(file);
    let real = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let value: Value =
        serde_json::from_str(&real).unwrap_or_else(|e| panic!("{file} is not JSON: {e}"));
    // The real file, and smaller ones of the same shape that mutate fast.
    let small = compact(&value, 40);
    let tiny = compact(&value, 2);
    let docs = [value, small, tiny];
    let seeds = vec![
        real.clone().into_bytes(),
        serde_json::to_vec(&docs[1]).expect("a value writes"),
        serde_json::to_vec_pretty(&docs[2]).expect("a value writes"),
    ];
    let url = T::URL;
    let dict = bytes([
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "null",
        "true",
        "false",
        "0",
        "-1",
        "1e999",
        "\\u0000",
        "\\ud800",
        "\\",
        "\"schema\":",
        "\"builds\":",
        "\"id\":",
        "[[[[[[[[[[",
        "{\"a\":",
    ]);
    Target {
        name: format!("data/{}", file.trim_end_matches(".json")),
        about: format!("the data file {url}: its serde types and its checks (kit::data::parse)"),
        seeds,
        dict,
        max_len: 1 << 20,
        generate: Box::new(move |r| {
            // Mostly the small documents: the real one parses in a
            // fraction of a millisecond, but a million of them add up.
            let base = if r.chance(20) {
                &docs[0]
            } else {
                &docs[1 + r.below(2)]
            };
            let mut v = base.clone();
            for _ in 0..1 + r.len(4) {
                mutate_json(r, &mut v, 0);
            }
            if r.chance(500) {
                serde_json::to_vec(&v).expect("a value writes")
            } else {
                serde_json::to_vec_pretty(&v).expect("a value writes")
            }
        }),
        check: Box::new(
            |input| match gopherscope_web::kit::data::parse::<T>(&text(input)) {
                Ok(_) => "ok".to_owned(),
                Err(e) => shape(&e),
            },
        ),
    }
}

/// A pasted `GODEBUG=gctrace=1` or `schedtrace` log (the logs widget's
/// text box and file picker, the CLI's `logs FILE`), read line by line.
fn logs_target() -> Target {
    use runtime_model::logs::parse;
    let seeds: Vec<String> = widgets::logs::state::EXAMPLES
        .iter()
        .map(|e| e.text.to_owned())
        .chain([
            "SCHED 0ms: gomaxprocs=2 idleprocs=0 threads=3 spinningthreads=1 needspinning=0 idlethreads=0 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false\n  P0: status=1 schedtick=0 syscalltick=0 m=0 runqsize=0 gfreecnt=0 timerslen=0\n  M0: p=0 curg=1 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=false lockedg=1\n  G1: status=2() m=0 lockedm=0\n  G2: status=4(force gc (idle)) m=nil lockedm=nil\n".to_owned(),
            "scav 12 KiB work (bg), 0 KiB work (eager), 3400 KiB now, 97% util [controller reset]\nGC forced\n".to_owned(),
        ])
        .collect();
    let dict = bytes([
        "gc ",
        " @",
        "s ",
        "%: ",
        "+",
        "/",
        " ms clock, ",
        " ms cpu, ",
        "->",
        " MB, ",
        " MB goal, ",
        " MB stacks, ",
        " MB globals, ",
        " P",
        " (forced)",
        " (checking for goroutine leaks)",
        "SCHED ",
        "ms: gomaxprocs=",
        " idleprocs=",
        " runqueue=",
        " [ ",
        " ]",
        " schedticks=[ ",
        " gcwaiting=",
        "  P0: ",
        "  M1: ",
        "  G7: ",
        "status=",
        "(",
        ") m=",
        "nil",
        "true",
        "false",
        "scav ",
        "GC forced",
        "\n",
        "\r\n",
        ".",
        "0.010",
        "99999999999999999999",
    ]);
    Target {
        name: "logs".into(),
        about: "a pasted GODEBUG=gctrace=1 or schedtrace log (the logs widget, gopherscope logs), read line by line".into(),
        seeds: bytes(seeds),
        dict,
        max_len: 16 << 10,
        generate: Box::new(|r| {
            let ex = r.pick(&widgets::logs::state::EXAMPLES);
            let lines: Vec<&str> = ex.text.lines().collect();
            let mut s = String::new();
            for _ in 0..r.len(12) {
                s.push_str(r.pick::<&str>(&lines));
                s.push('\n');
            }
            s.into_bytes()
        }),
        check: Box::new(|input| {
            let t = text(input);
            let log = parse(&t);
            let read = log.gc.len() + log.sched.len() + log.scav.len() + log.forced_gc.len();
            assert!(log.lines <= t.lines().count(), "more lines read than the text has");
            for c in &log.gc {
                // A cycle read back prints as a gc line again.
                assert!(c.line().starts_with("gc "), "{c:?}");
            }
            for e in &log.errors {
                assert!(e.line >= 1 && e.line <= log.lines, "error on line {} of {}", e.line, log.lines);
            }
            format!("{} read, {} refused", read.min(3), log.errors.len().min(3))
        }),
    }
}

fn layout_target() -> Target {
    use runtime_model::layout::{analyze, MAX_INPUT};
    use runtime_model::values::GoArch;
    let mut seeds: Vec<String> = vec![widgets::layout_lab::state::DEFAULT_SRC.to_owned()];
    seeds.extend(corpus::go_sources(8 << 10));
    let dict = bytes([
        "type",
        "struct",
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        "*",
        "map",
        "chan",
        "<-",
        "func",
        "interface",
        "const",
        "=",
        ";",
        "\n",
        ",",
        ".",
        "int",
        "int64",
        "bool",
        "string",
        "T",
        "x",
        "_",
        "atomic.Int64",
        "sync.Mutex",
        "unsafe.Pointer",
        "1<<62",
        "iota",
        "\"tag\"",
        "`raw`",
        "//c\n",
        "/*",
        "*/",
        "...",
        "any",
        "error",
        "~",
        "|",
        "package",
        "import",
        "'a'",
        "var",
        "[T any]",
        "1.5",
        "0x_1",
    ]);
    Target {
        name: "layout".into(),
        about: "the layout lab's Go parser and checker (src= or the editor), on every GOARCH, with the byte grid and the reordering".into(),
        seeds: bytes(seeds),
        dict,
        max_len: 64 << 10,
        generate: Box::new(|r| {
            let kinds = ["int", "bool", "*T", "[3]byte", "string", "any", "[]int", "map[int]T", "struct{ a int8; b int64 }", "atomic.Int64", "func()", "chan int", "[1<<40]int64"];
            let mut s = String::from("type T struct {\n");
            for i in 0..r.len(40) {
                s.push_str(&format!("\tf{i} {}\n", r.pick(&kinds)));
            }
            s.push_str("}\n");
            s.into_bytes()
        }),
        check: Box::new(|input| {
            let src = text(input);
            assert!(src.len() <= MAX_INPUT);
            let arch = GoArch::ALL[src.len() % GoArch::ALL.len()];
            match analyze(&src, arch) {
                Ok(a) => {
                    for i in 0..a.types.len().min(3) {
                        let _ = a.byte_grid(i, 256);
                        let _ = a.apply_optimal_order(i);
                    }
                    format!("ok {}", a.types.len().min(4))
                }
                Err(e) => shape(&e.to_string()),
            }
        }),
    }
}

fn quiz_storage_target() -> Target {
    use widgets::quiz::persist;
    use widgets::quiz::state::QuizState;
    let fresh = persist::encode(&QuizState::new());
    Target {
        name: "storage/quiz".into(),
        about: "the quiz's saved progress in localStorage (what another tab, an old version or a broken disk may leave)".into(),
        seeds: bytes([
            fresh,
            "v1;attempt=2;best=4;picked=1.-.2.-.-;checked=10100;order=0123.3120.0123.0123.0123".to_owned(),
        ]),
        dict: bytes(["v1", ";", "=", ".", "-", "attempt", "best", "picked", "checked", "order", "0123", "3120", "10100"]),
        max_len: 1024,
        generate: Box::new(|r| {
            let mut s = String::from("v1");
            for _ in 0..r.len(7) {
                let field = r.pick(&["attempt", "best", "picked", "checked", "order", "x"]);
                let value: String = (0..r.len(24)).map(|_| char::from(*r.pick(b"0123456789.-;=x"))).collect();
                s.push_str(&format!(";{field}={value}"));
            }
            s.into_bytes()
        }),
        check: Box::new(|input| match persist::decode(&text(input)) {
            Ok(state) => {
                assert_eq!(persist::decode(&persist::encode(&state)), Ok(state), "saved progress does not read back");
                "ok".to_owned()
            }
            Err(e) => shape(&e),
        }),
    }
}

fn number_field_target() -> Target {
    use gopherscope_web::kit::controls::parse_whole;
    Target {
        name: "number-field".into(),
        about: "the number fields (stack frame size and depth, allocator size, ...): kit::controls::parse_whole".into(),
        seeds: bytes(["8", " 64 ", "4096", "0", ""]),
        dict: bytes(NUMBERS.iter().chain(&[" ", "\t", "_", "e", "\u{2009}"])),
        max_len: 256,
        generate: Box::new(|r| r.pick(NUMBERS).as_bytes().to_vec()),
        check: Box::new(|input| {
            let t = text(input);
            let (min, max) = (1 + t.len() as u64 % 7, 1 << (t.len() % 64));
            match parse_whole(&t, "The value", min, max) {
                Ok(v) => {
                    assert!((min..=max).contains(&v), "{t:?} read as {v}");
                    "ok".to_owned()
                }
                Err(e) => shape(&e.replace(t.trim(), "…")),
            }
        }),
    }
}

/// A message event's `data` as the embed reads it (`MessageData::read`,
/// which runs in the browser), made from JSON text: an object is its
/// fields in order; an array of `[key, value]` pairs is an object too, so
/// that repeated keys are tried; anything else is not an object. Strings
/// longer than `MAX_TEXT` UTF-16 units stay long, as the reader leaves
/// them in JavaScript.
fn message_data(input: &[u8]) -> MessageData {
    fn value(v: &Value) -> host::Value {
        match v {
            Value::String(s) if s.encode_utf16().count() > host::MAX_TEXT as usize => {
                host::Value::LongText
            }
            Value::String(s) => host::Value::Text(s.clone()),
            Value::Number(n) => host::Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::Bool(b) => host::Value::Bool(*b),
            _ => host::Value::Other,
        }
    }
    let fields: Vec<(String, host::Value)> = match serde_json::from_slice::<Value>(input) {
        Ok(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), value(v))).collect(),
        Ok(Value::Array(items)) if items.len() <= 16 && !items.is_empty() => {
            let mut fields = Vec::new();
            for item in &items {
                match item.as_array().map(Vec::as_slice) {
                    Some([Value::String(k), v]) => fields.push((k.clone(), value(v))),
                    _ => return MessageData::NotObject,
                }
            }
            fields
        }
        _ => return MessageData::NotObject,
    };
    let long_key = fields
        .iter()
        .any(|(k, _)| k.encode_utf16().count() > host::MAX_TEXT as usize);
    if fields.len() > host::MAX_FIELDS || long_key {
        return MessageData::TooBig;
    }
    MessageData::Object(fields)
}

fn messages_target() -> Target {
    let seeds = [
        r#"{"type":"gopherscope:request-size"}"#,
        r#"{"context":"h5p","action":"hello"}"#,
        r#"{"context":"h5p","action":"ready"}"#,
        r#"{"context":"h5p","action":"resizePrepared"}"#,
        r#"{"context":"h5p","action":"resize"}"#,
        r#"{"context":"iframe.resize","height":420,"src":"https://course.example/"}"#,
        r#"[["type","gopherscope:request-size"],["type","gopherscope:request-size"]]"#,
        r#"{"type":"gopherscope:request-size","extra":1}"#,
        r#""gopherscope:request-size""#,
        "null",
    ];
    Target {
        name: "messages".into(),
        about: "the messages an embed accepts from its host page (kit::host::decode_message), as MessageData::read hands them over".into(),
        seeds: bytes(seeds),
        dict: bytes([
            "\"type\"", "\"context\"", "\"action\"", "\"h5p\"", "\"gopherscope:request-size\"",
            "\"hello\"", "\"ready\"", "\"resize\"", "\"resizePrepared\"", "\"prepareResize\"",
            "\"iframe.resize\"", "\"height\"", "{", "}", "[", "]", ",", ":", "null", "1e400", "\"\\u0000\"",
        ]),
        max_len: 1 << 16,
        generate: Box::new(|r| {
            let keys = ["type", "context", "action", "height", "src", "widget", "frame", "__proto__", ""];
            let values = [
                "\"gopherscope:request-size\"", "\"h5p\"", "\"hello\"", "\"ready\"", "\"resize\"",
                "\"resizePrepared\"", "1", "true", "null", "[]", "{}", "\"GOPHERSCOPE:REQUEST-SIZE\"",
            ];
            let mut fields = Vec::new();
            for _ in 0..r.len(6) {
                let value = if r.chance(50) {
                    format!("\"{}\"", "x".repeat(r.len(100_000)))
                } else {
                    r.pick(&values).to_string()
                };
                fields.push(format!("\"{}\":{value}", r.pick(&keys)));
            }
            format!("{{{}}}", fields.join(",")).into_bytes()
        }),
        check: Box::new(|input| {
            let data = message_data(input);
            let answer = host::decode_message(&data);
            // Only the exact shapes are accepted.
            if let Some(incoming) = answer {
                let MessageData::Object(fields) = &data else {
                    panic!("{incoming:?} accepted from a message that is not an object");
                };
                let text = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                match incoming {
                    Incoming::RequestSize => assert!(
                        fields.len() == 1 && text("type") == Some(host::Value::Text("gopherscope:request-size".into())),
                        "request-size accepted from {fields:?}"
                    ),
                    Incoming::H5p(_) => assert!(
                        fields.len() == 2 && text("context") == Some(host::Value::Text("h5p".into())),
                        "an H5P message accepted from {fields:?}"
                    ),
                }
            }
            format!("{answer:?} {}", shape(&format!("{:?}", std::mem::discriminant(&data))))
        }),
    }
}

/// The execution-trace reader (runtime-model's `trace`, behind
/// `gopherscope trace` and the trace widget) and the widget's lanes read
/// from it (`trace::lanes`: every step's state and words): real traces
/// recorded with the pinned Go (the reader's test data and the widget's
/// samples), Go's own fuzz corpus for its reader, and generated batches.
fn trace_target() -> Target {
    use runtime_model::trace::{print_parsed, spec::ev, TraceError};
    let data = corpus::root().join("crates/runtime-model/tests/data");
    let samples = corpus::root().join("web/data/traces");
    let mut seeds: Vec<Vec<u8>> = corpus::files(&data, &[".trace"])
        .iter()
        .chain(corpus::files(&samples, &[".trace"]).iter())
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    let real = seeds.len();
    assert!(real > 0, "no real trace in {}", data.display());
    seeds.extend(corpus::go_trace_fuzz_corpus());
    let headers: Vec<Vec<u8>> = [22, 23, 25, 26, 21, 24]
        .iter()
        .map(|v| format!("go 1.{v} trace\x00\x00\x00").into_bytes())
        .collect();
    seeds.extend(headers.iter().cloned());
    let mut dict = headers.clone();
    dict.extend(
        (0..=ev::END_OF_GENERATION)
            .chain(ev::SPAN..ev::MAX_EXPERIMENTAL_EVENT)
            .map(|t| vec![t]),
    );
    dict.extend(bytes(["\u{80}\u{1}", "\u{7f}"]));
    Target {
        name: "trace".into(),
        about: format!(
            "Go execution traces (v2, go 1.22 to 1.26 headers), read and printed as go tool trace -d=parsed prints them: {real} real traces, Go's fuzz corpus"
        ),
        seeds,
        dict,
        max_len: 64 << 10,
        generate: Box::new(move |r| generate_trace(r, &headers)),
        check: Box::new(|input| {
            let mut out = Vec::new();
            let lanes = match runtime_model::trace::lanes::Lanes::read(input) {
                Ok(l) => Some(l),
                Err(b) => b.partial.map(|l| *l),
            };
            if let Some(l) = lanes {
                // Every step's words, a jump to each tenth and to the end.
                let last = l.last();
                for i in (0..=last).step_by(((last / 200) as usize).max(1)) {
                    let _ = l.say(i);
                }
                for k in 0..=10 {
                    let _ = l.state_at(last / 10 * k);
                }
                let _ = l.next_of(0, 0);
                let _ = l.step_before_time(l.duration / 2);
            }
            match print_parsed(input, &mut out) {
                Ok(()) => "ok".into(),
                Err(TraceError::NotATrace { .. }) => "not a trace".into(),
                Err(TraceError::UnsupportedVersion { .. }) => "unsupported version".into(),
                Err(TraceError::Truncated(m)) => format!("truncated: {}", shape(m.lines().next().unwrap_or(""))),
                Err(TraceError::Corrupt(m)) => shape(m.lines().next().unwrap_or("")),
            }
        }),
    }
}

/// A Go varint.
fn push_uvarint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A header, then a few batches in the format's shape: a sync batch, a
/// strings or stacks batch, event batches of timed events with small
/// arguments, experimental batches, the end of a generation.
fn generate_trace(r: &mut Rng, headers: &[Vec<u8>]) -> Vec<u8> {
    use runtime_model::trace::spec::{ev, SPECS};
    let mut out = r.pick(headers).clone();
    let small = |r: &mut Rng| r.below(6) as u64;
    for gen in 1..=(1 + r.below(3) as u64) {
        for _ in 0..r.len(6) {
            let mut data = Vec::new();
            match r.below(5) {
                0 => {
                    data.extend_from_slice(&[ev::SYNC, ev::FREQUENCY]);
                    push_uvarint(&mut data, 1_000_000_000);
                    data.push(ev::CLOCK_SNAPSHOT);
                    for _ in 0..4 {
                        push_uvarint(&mut data, small(r));
                    }
                }
                1 => {
                    data.push(ev::STRINGS);
                    for id in 1..=r.len(4) as u64 {
                        data.extend_from_slice(&[ev::STRING, id as u8, 1, b'a' + id as u8]);
                    }
                }
                2 => {
                    data.extend_from_slice(&[ev::STACKS, ev::STACK, 1, 1, 0x10, 1, 2, 7]);
                }
                _ => {
                    for _ in 0..r.len(12) {
                        let typ = if r.chance(100) {
                            ev::SPAN + r.below(9) as u8
                        } else {
                            ev::PROCS_CHANGE
                                + r.below((ev::CLOCK_SNAPSHOT - ev::PROCS_CHANGE) as usize) as u8
                        };
                        data.push(typ);
                        let nargs = SPECS[typ as usize].args.len().max(1);
                        for _ in 0..nargs {
                            push_uvarint(&mut data, small(r));
                        }
                    }
                }
            }
            if r.chance(100) {
                out.extend_from_slice(&[ev::EXPERIMENTAL_BATCH, 1]);
            } else {
                out.push(ev::EVENT_BATCH);
            }
            push_uvarint(&mut out, gen);
            push_uvarint(&mut out, small(r));
            push_uvarint(&mut out, 1 + small(r));
            push_uvarint(&mut out, data.len() as u64);
            out.extend_from_slice(&data);
        }
        if !r.chance(200) {
            out.push(ev::END_OF_GENERATION);
        }
    }
    out
}

/// Every target, in a fixed order.
pub fn all() -> Vec<Target> {
    let links: Vec<String> = {
        let mut all: BTreeSet<String> = BTreeSet::new();
        for t in corpus::link_sources() {
            all.extend(corpus::queries(&t));
        }
        all.into_iter().collect()
    };
    let mut out: Vec<Target> = WIDGETS.iter().map(|w| params_target(w, &links)).collect();
    out.push(scenario_target());
    out.push(gogc_target());
    out.push(gomemlimit_target());
    out.push(data_target::<widgets::build_explorer::BuildData>(
        "build-explorer.json",
    ));
    out.push(data_target::<gopherscope_web::app::pages::knobs::Toolchain>("toolchain.json"));
    out.push(layout_target());
    out.push(logs_target());
    out.push(quiz_storage_target());
    out.push(number_field_target());
    out.push(messages_target());
    out.push(trace_target());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registry_widget_has_a_target_and_every_keyed_one_a_typed_check() {
        let names: Vec<String> = all().into_iter().map(|t| t.name).collect();
        for w in WIDGETS {
            assert!(
                names.contains(&format!("params/{}", w.slug)),
                "no fuzz target for {}",
                w.slug
            );
            let typed = TYPED.iter().find(|t| t.slug == w.slug);
            if w.keys.is_empty() {
                assert!(typed.is_none(), "{} has no keys but a typed check", w.slug);
                continue;
            }
            let typed = typed.unwrap_or_else(|| {
                panic!("{} reads URL keys but TYPED in crates/fuzz/src/targets.rs does not list its Params", w.slug)
            });
            let a: Vec<&str> = typed.keys.iter().map(|k| k.name).collect();
            let b: Vec<&str> = w.keys.iter().map(|k| k.name).collect();
            assert_eq!(a, b, "{}: TYPED names another widget's Params", w.slug);
        }
        for t in TYPED {
            assert!(
                registry::widget(t.slug).is_some(),
                "TYPED lists {}, which the registry does not",
                t.slug
            );
        }
    }

    #[test]
    fn every_key_of_every_widget_has_values_to_try() {
        let links: Vec<String> = corpus::link_sources()
            .iter()
            .flat_map(|t| corpus::queries(t))
            .collect();
        for w in WIDGETS {
            for key in w.keys {
                let from_links = links
                    .iter()
                    .flat_map(|q| query::pairs(q))
                    .any(|(k, _)| k == key.name);
                assert!(
                    from_links || !notice_words(w.slug, key).is_empty(),
                    "{}: no link in the tests or docs sets {:?}, and its notice names no value",
                    w.slug,
                    key.name
                );
            }
        }
    }
}
