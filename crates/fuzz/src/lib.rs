//! A small, deterministic, seeded mutational fuzzer for every decoder a
//! user or a link can reach (`cargo xtask fuzz`; a short run is part of
//! `cargo xtask test`).
//!
//! Each [`Target`] is one decoder with a seed corpus taken from real
//! inputs (the checked-in data files, the presets, the URLs the tests and
//! docs use, Go's own sources), a dictionary of the grammar's tokens, and
//! a generator that writes inputs in the grammar. Every input is either
//! generated or a mutation of a corpus entry (bit flips, byte inserts and
//! deletes, splices, dictionary tokens, numeric edge values, huge
//! repeats). An input whose outcome (the decoder's answer, with numbers
//! and quoted text blotted out) has not been seen before joins the corpus,
//! a cheap stand-in for coverage feedback.
//!
//! Each input runs under `catch_unwind` and a clock: a panic (or a broken
//! property that the target asserts, such as "a link the widget writes
//! reads back the same") is recorded with the input, then minimised; an
//! input slower than the limit is recorded as slow. The same seed gives
//! the same inputs, so every finding can be replayed.

pub mod corpus;
pub mod targets;

use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// SplitMix64: small, fast and the same everywhere.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True `per_mille` times in a thousand.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.next_u64() % 1000 < per_mille
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A length that is usually small and sometimes large, up to `max`.
    pub fn len(&mut self, max: usize) -> usize {
        match self.below(8) {
            0..=4 => self.below(max.min(8) + 1),
            5 | 6 => self.below(max.min(64) + 1),
            _ => self.below(max + 1),
        }
    }
}

/// The checker of one input: the input's outcome in a few words (the
/// same words for inputs the decoder treats alike), or a panic.
pub type Check = Box<dyn Fn(&[u8]) -> String>;

/// A generator of inputs in the target's grammar.
pub type Generate = Box<dyn Fn(&mut Rng) -> Vec<u8>>;

/// One decoder to fuzz.
pub struct Target {
    /// `params/scheduler`, `scenario`, `gogc`, ...
    pub name: String,
    /// What the decoder is and where its input comes from.
    pub about: String,
    /// Real inputs to start from.
    pub seeds: Vec<Vec<u8>>,
    /// Tokens of the grammar, for the mutator.
    pub dict: Vec<Vec<u8>>,
    /// The longest input the mutator makes.
    pub max_len: usize,
    pub generate: Generate,
    pub check: Check,
}

/// How a run goes.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub inputs: u64,
    pub seed: u64,
    /// An input that takes longer than this is a finding.
    pub slow: Duration,
}

/// A panicking or slow input.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The panic's message and place, or the time taken.
    pub what: String,
    /// The input as found.
    pub input: Vec<u8>,
    /// A smaller input with the same panic (the same as `input` for a
    /// slow one).
    pub minimized: Vec<u8>,
}

/// What a run of one target found.
#[derive(Clone, Debug)]
pub struct Report {
    pub target: String,
    pub inputs: u64,
    pub elapsed: Duration,
    /// CPU time the process spent on the run (user and system), where the
    /// system says (Linux's /proc): on a shared machine, inputs per CPU
    /// second vary less than inputs per second.
    pub cpu: Option<Duration>,
    /// Distinct outcomes seen (a rough measure of the paths reached).
    pub outcomes: usize,
    /// Inputs in the corpus at the end (seeds and new outcomes).
    pub corpus: usize,
    pub slowest: Duration,
    /// Inputs that panicked, and one finding per distinct panic.
    pub panicked: u64,
    pub panics: Vec<Finding>,
    /// Inputs slower than the limit, and the first few of them.
    pub slow_inputs: u64,
    pub slow: Vec<Finding>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.panicked == 0 && self.slow_inputs == 0
    }

    pub fn per_second(&self) -> f64 {
        self.inputs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn per_cpu_second(&self) -> Option<f64> {
        self.cpu
            .map(|c| self.inputs as f64 / c.as_secs_f64().max(0.01))
    }
}

/// The CPU time of this process so far, from /proc/self/stat (fields 14
/// and 15, in clock ticks of 1/100 s); `None` where there is no /proc.
pub fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

thread_local! {
    /// The last panic on this thread: its message and place.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic hook, as `std::panic::take_hook` gives it.
type Hook = Box<dyn Fn(&panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

/// Replaces the panic hook with one that records the panic quietly, for
/// as long as the guard lives.
struct QuietPanics {
    previous: Option<Hook>,
}

impl QuietPanics {
    fn install() -> QuietPanics {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(|info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            let place = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{message} (at {place})")));
        }));
        QuietPanics {
            previous: Some(previous),
        }
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            panic::set_hook(previous);
        }
    }
}

/// Runs `check` on `input`: its outcome, or the panic's message.
fn attempt(check: &Check, input: &[u8]) -> Result<String, String> {
    LAST_PANIC.with(|p| p.borrow_mut().take());
    panic::catch_unwind(AssertUnwindSafe(|| check(input))).map_err(|_| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "a panic".to_owned())
    })
}

/// The place a panic message names (`file:line`), which identifies it.
fn panic_place(message: &str) -> &str {
    message.rsplit(" (at ").next().unwrap_or(message)
}

/// A smaller input that still panics at the same place: chunks removed,
/// halves first, then single bytes, within a budget of attempts.
pub fn minimize(check: &Check, input: &[u8], message: &str) -> Vec<u8> {
    let place = panic_place(message).to_owned();
    let still =
        |candidate: &[u8]| attempt(check, candidate).is_err_and(|m| panic_place(&m) == place);
    let mut best = input.to_vec();
    let mut budget = 4000u32;
    let mut chunk = best.len().div_ceil(2).max(1);
    loop {
        let mut at = 0;
        while at < best.len() && budget > 0 {
            budget -= 1;
            let end = (at + chunk).min(best.len());
            let mut candidate = best[..at].to_vec();
            candidate.extend_from_slice(&best[end..]);
            if still(&candidate) {
                best = candidate;
            } else {
                at += chunk;
            }
        }
        if chunk == 1 || budget == 0 {
            break;
        }
        chunk = chunk.div_ceil(2);
    }
    best
}

/// Integers at the edges of the types decoders read into.
pub const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "-0",
    "+1",
    "00",
    "01",
    "7",
    "255",
    "256",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "99999999999999999999999999999999999999999999",
    "1e3",
    "1e309",
    "1.5",
    "-0.0",
    "0x10",
    "NaN",
    "Infinity",
    "-inf",
    "1_000",
    "\u{ff11}",
    "\u{663}",
];

/// Grows `input` by one mutation.
fn mutate_once(rng: &mut Rng, b: &mut Vec<u8>, corpus: &[Vec<u8>], dict: &[Vec<u8>], max: usize) {
    let at = rng.below(b.len() + 1);
    match rng.below(14) {
        0 if !b.is_empty() => {
            let i = rng.below(b.len());
            b[i] ^= 1 << rng.below(8);
        }
        1 if !b.is_empty() => {
            let i = rng.below(b.len());
            b[i] = rng.next_u64() as u8;
        }
        2 => {
            let byte = if rng.chance(500) {
                *rng.pick(b" \t\n\r\0=&;%+#?{}[]()\"'`\\,.:-_/<>*!")
            } else {
                rng.next_u64() as u8
            };
            b.insert(at, byte);
        }
        3 | 4 if !b.is_empty() => {
            let end = (at + 1 + rng.len(16)).min(b.len());
            if at < end {
                b.drain(at..end);
            } else {
                b.pop();
            }
        }
        5 | 6 if !dict.is_empty() => {
            let token = rng.pick(dict).clone();
            if rng.chance(300) && at < b.len() {
                let end = (at + token.len()).min(b.len());
                b.splice(at..end, token);
            } else {
                b.splice(at..at, token);
            }
        }
        7 => {
            // A run of digits becomes a number at some edge.
            let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
            let number = rng.pick(NUMBERS).as_bytes().to_vec();
            if digits.is_empty() {
                b.splice(at..at, number);
            } else {
                let start = *rng.pick(&digits);
                let mut end = start;
                while end < b.len() && b[end].is_ascii_digit() {
                    end += 1;
                }
                let mut begin = start;
                while begin > 0 && b[begin - 1].is_ascii_digit() {
                    begin -= 1;
                }
                b.splice(begin..end, number);
            }
        }
        8 if !b.is_empty() => {
            // Duplicate a chunk somewhere else.
            let start = rng.below(b.len());
            let end = (start + 1 + rng.len(64)).min(b.len());
            let piece = b[start..end].to_vec();
            let to = rng.below(b.len() + 1);
            b.splice(to..to, piece);
        }
        9 if !corpus.is_empty() => {
            // Splice: our head, another entry's tail.
            let other = rng.pick(corpus);
            let from = rng.below(other.len() + 1);
            b.truncate(at);
            b.extend_from_slice(&other[from..]);
        }
        10 => {
            // A huge repeat of a small piece.
            let piece: Vec<u8> = if !b.is_empty() && rng.chance(600) {
                let start = rng.below(b.len());
                let end = (start + 1 + rng.below(16)).min(b.len());
                b[start..end].to_vec()
            } else if !dict.is_empty() {
                rng.pick(dict).clone()
            } else {
                vec![b'x']
            };
            if !piece.is_empty() {
                let room = max.saturating_sub(b.len()) / piece.len();
                let times = rng.len(room.min(1 << 16));
                let repeated: Vec<u8> = piece.repeat(times);
                b.splice(at..at, repeated);
            }
        }
        11 => b.truncate(at),
        12 if !corpus.is_empty() && !b.is_empty() => {
            // Overwrite a chunk with one of another entry.
            let other = rng.pick(corpus);
            if !other.is_empty() {
                let from = rng.below(other.len());
                let len = (1 + rng.len(32)).min(other.len() - from);
                let end = (at + len).min(b.len());
                b.splice(at..end, other[from..from + len].iter().copied());
            }
        }
        _ => {
            // A multi-byte character, split or whole.
            let chars = ["é", "€", "𝄞", "\u{feff}", "\u{200b}", "\u{0}", "\u{7f}"];
            let c = rng.pick(&chars).as_bytes();
            let n = if rng.chance(200) { 1 } else { c.len() };
            b.splice(at..at, c[..n].iter().copied());
        }
    }
    b.truncate(max);
}

/// A mutation of `input`: one to a few changes, now and then many.
pub fn mutate(
    rng: &mut Rng,
    input: &[u8],
    corpus: &[Vec<u8>],
    dict: &[Vec<u8>],
    max: usize,
) -> Vec<u8> {
    let mut b = input.to_vec();
    let rounds = if rng.chance(50) {
        1 + rng.below(32)
    } else {
        1 + rng.below(4)
    };
    for _ in 0..rounds {
        mutate_once(rng, &mut b, corpus, dict, max);
    }
    b
}

/// Blots out what varies between inputs treated alike: numbers become
/// `#` and quoted text `"…"`, so the outcome says which path was taken.
pub fn shape(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(256));
    let mut quoted = false;
    let mut escaped = false;
    let mut last_digit = false;
    for c in text.chars() {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    quoted = false;
                    out.push_str("…\"");
                }
                _ => {}
            }
            continue;
        }
        if c == '"' {
            quoted = true;
            out.push('"');
            last_digit = false;
        } else if c.is_ascii_digit() {
            if !last_digit {
                out.push('#');
            }
            last_digit = true;
        } else {
            out.push(c);
            last_digit = false;
        }
        if out.len() > 512 {
            break;
        }
    }
    out
}

fn hash_of(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// The most corpus entries a run keeps.
const CORPUS_CAP: usize = 4096;
/// Distinct panics kept (and minimised) per target.
const PANICS_KEPT: usize = 8;
/// Slow inputs kept per target.
const SLOW_KEPT: usize = 4;

/// Fuzzes one target.
pub fn run(target: &Target, settings: &Settings) -> Report {
    let _quiet = QuietPanics::install();
    let mut rng = Rng::new(settings.seed ^ hash_of(&target.name));
    let mut corpus: Vec<Vec<u8>> = target.seeds.clone();
    if corpus.is_empty() {
        corpus.push(Vec::new());
    }
    let seeds = corpus.len();
    let mut outcomes: HashSet<u64> = HashSet::new();
    let mut panic_places: HashSet<String> = HashSet::new();
    let mut report = Report {
        target: target.name.clone(),
        inputs: 0,
        elapsed: Duration::ZERO,
        cpu: None,
        outcomes: 0,
        corpus: 0,
        slowest: Duration::ZERO,
        panicked: 0,
        panics: Vec::new(),
        slow_inputs: 0,
        slow: Vec::new(),
    };
    let start = Instant::now();
    let cpu_start = cpu_time();
    for i in 0..settings.inputs {
        let input = if (i as usize) < seeds {
            corpus[i as usize].clone()
        } else if rng.chance(250) {
            let mut g = (target.generate)(&mut rng);
            g.truncate(target.max_len);
            g
        } else {
            // Half the time the smaller of two entries: short inputs run
            // fast, and the big ones stay in play.
            let mut base = rng.below(corpus.len());
            if rng.chance(500) {
                let other = rng.below(corpus.len());
                if corpus[other].len() < corpus[base].len() {
                    base = other;
                }
            }
            mutate(
                &mut rng,
                &corpus[base],
                &corpus,
                &target.dict,
                target.max_len,
            )
        };
        let began = Instant::now();
        let result = attempt(&target.check, &input);
        let mut took = began.elapsed();
        if took > settings.slow {
            // On a busy machine the clock also counts time the process was
            // not running: the fastest of three runs is the input's time.
            for _ in 0..2 {
                let again = Instant::now();
                let _ = attempt(&target.check, &input);
                took = took.min(again.elapsed());
            }
        }
        report.inputs += 1;
        report.slowest = report.slowest.max(took);
        if took > settings.slow {
            report.slow_inputs += 1;
            if report.slow.len() < SLOW_KEPT {
                report.slow.push(Finding {
                    what: format!("took {took:?} (the limit is {:?})", settings.slow),
                    minimized: input.clone(),
                    input: input.clone(),
                });
            }
        }
        match result {
            Ok(outcome) => {
                if outcomes.insert(hash_of(&outcome)) {
                    if corpus.len() < CORPUS_CAP {
                        corpus.push(input);
                    } else {
                        let slot = seeds + rng.below(CORPUS_CAP - seeds.min(CORPUS_CAP - 1));
                        if slot < corpus.len() {
                            corpus[slot] = input;
                        }
                    }
                }
            }
            Err(message) => {
                report.panicked += 1;
                let place = panic_place(&message).to_owned();
                if panic_places.insert(place) && report.panics.len() < PANICS_KEPT {
                    let minimized = minimize(&target.check, &input, &message);
                    report.panics.push(Finding {
                        what: message,
                        input,
                        minimized,
                    });
                }
            }
        }
    }
    report.elapsed = start.elapsed();
    report.cpu = cpu_start.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
    report.outcomes = outcomes.len();
    report.corpus = corpus.len();
    report
}

/// An input as a Rust string literal, cut to `max` bytes.
pub fn show(input: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(&input[..input.len().min(max)]).into_owned();
    let more = if input.len() > max {
        format!(" … ({} bytes in all)", input.len())
    } else {
        String::new()
    };
    format!("{text:?}{more}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(check: Check) -> Target {
        Target {
            name: "demo".into(),
            about: String::new(),
            seeds: vec![b"abc=1".to_vec()],
            dict: vec![b"boom".to_vec()],
            max_len: 256,
            generate: Box::new(|r| vec![b'a'; r.below(8)]),
            check,
        }
    }

    #[test]
    fn a_panic_is_caught_recorded_and_minimised() {
        let t = target(Box::new(|b| {
            let s = String::from_utf8_lossy(b);
            assert!(!s.contains("boom"), "found the word");
            shape(&s)
        }));
        let settings = Settings {
            inputs: 20_000,
            seed: 1,
            slow: Duration::from_secs(5),
        };
        let r = run(&t, &settings);
        assert!(r.panicked > 0 && !r.ok());
        assert_eq!(r.panics.len(), 1);
        assert_eq!(r.panics[0].minimized, b"boom");
        assert!(
            r.panics[0].what.starts_with("found the word (at "),
            "{}",
            r.panics[0].what
        );
    }

    #[test]
    fn a_slow_input_is_a_finding() {
        let t = target(Box::new(|b| {
            if b.len() > 200 {
                std::thread::sleep(Duration::from_millis(3));
            }
            String::new()
        }));
        let settings = Settings {
            inputs: 3_000,
            seed: 2,
            slow: Duration::from_millis(2),
        };
        let r = run(&t, &settings);
        assert!(r.slow_inputs > 0 && !r.ok());
        assert!(r.slow[0].input.len() > 200);
    }

    #[test]
    fn the_same_seed_gives_the_same_inputs() {
        let seen = std::rc::Rc::new(RefCell::new(Vec::new()));
        let log = seen.clone();
        let t = target(Box::new(move |b| {
            log.borrow_mut().push(b.to_vec());
            shape(&String::from_utf8_lossy(b))
        }));
        let settings = Settings {
            inputs: 500,
            seed: 3,
            slow: Duration::from_secs(5),
        };
        run(&t, &settings);
        let first = seen.borrow_mut().split_off(0);
        run(&t, &settings);
        assert_eq!(first, *seen.borrow());
        assert!(
            first.iter().collect::<HashSet<_>>().len() > 300,
            "inputs vary"
        );
    }

    #[test]
    fn shapes_blot_out_numbers_and_quotes() {
        assert_eq!(
            shape(r#"n="12\"x" is not 1 to 9"#),
            r#"n="…" is not # to #"#
        );
    }
}
