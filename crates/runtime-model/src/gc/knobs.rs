//! The two knobs the pacer reads from the environment, parsed with Go's own
//! rules: `GOGC` (runtime/mgcpacer.go `readGOGC`) and `GOMEMLIMIT`
//! (`readGOMEMLIMIT`, which calls runtime/string.go `parseByteCount`).
//!
//! One deliberate difference: the runtime silently falls back to GOGC=100
//! when `GOGC` does not parse, and throws "malformed GOMEMLIMIT" for a bad
//! limit. A teaching tool refuses both with the rule spelled out instead, so
//! nothing the learner typed is silently replaced.

use alloc::format;
use alloc::string::String;

/// GOGC: a percentage, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gogc {
    /// The heap may grow by this percentage over the live heap.
    Percent(u32),
    /// `GOGC=off` (or any negative value): no percentage goal at all.
    Off,
}

impl Gogc {
    /// The `gcPercent` the runtime stores: -1 for off.
    pub fn gc_percent(self) -> i64 {
        match self {
            Gogc::Percent(p) => i64::from(p),
            Gogc::Off => -1,
        }
    }
}

impl core::fmt::Display for Gogc {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Gogc::Percent(p) => write!(f, "{p}"),
            Gogc::Off => f.write_str("off"),
        }
    }
}

/// The rule for GOGC, as the error message says it.
pub const GOGC_RULE: &str = "GOGC must be \"off\" or a decimal integer that fits in 32 bits \
(e.g. 50, 100, 200; a negative value means off); the runtime itself would silently use 100";

/// The rule for GOMEMLIMIT, as the error message says it.
pub const GOMEMLIMIT_RULE: &str = "GOMEMLIMIT must be \"off\" or a non-negative decimal \
number of bytes, optionally followed by B, KiB, MiB, GiB or TiB (e.g. 512MiB, 2GiB, 1000000); \
no spaces, no decimals, no KB/MB/GB, at most 2^63-1 bytes";

/// Mirrors runtime/mgcpacer.go `readGOGC` (go1.27): "off" is off, else
/// `strconv.ParseInt(p, 10, 32)`; `setGCPercent` turns any negative value
/// into off.
pub fn parse_gogc(s: &str) -> Result<Gogc, String> {
    if s == "off" {
        return Ok(Gogc::Off);
    }
    match parse_int(s).filter(|n| i32::try_from(*n).is_ok()) {
        Some(n) if n < 0 => Ok(Gogc::Off),
        Some(n) => Ok(Gogc::Percent(n as u32)),
        None => Err(format!("invalid GOGC {s:?}: {GOGC_RULE}")),
    }
}

/// Mirrors runtime/mgcpacer.go `readGOMEMLIMIT` (go1.27): "" and "off" mean
/// no limit (`math.MaxInt64`), anything else goes through `parseByteCount`.
/// `None` is no limit.
pub fn parse_gomemlimit(s: &str) -> Result<Option<u64>, String> {
    if s.is_empty() || s == "off" {
        return Ok(None);
    }
    parse_byte_count(s)
        .map(Some)
        .ok_or_else(|| format!("invalid GOMEMLIMIT {s:?}: {GOMEMLIMIT_RULE}"))
}

/// Mirrors runtime/string.go `parseByteCount` (go1.27).
pub fn parse_byte_count(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let last = *b.last()?;
    // "Handle the easy non-suffix case."
    if last.is_ascii_digit() {
        return parse_int(s).and_then(|n| u64::try_from(n).ok());
    }
    // "Failing a trailing digit, this must always end in 'B'."
    if last != b'B' || b.len() < 2 {
        return None;
    }
    // "The one before that must always be a digit or 'i'."
    let c = b[b.len() - 2];
    if c.is_ascii_digit() {
        return parse_int(&s[..s.len() - 1]).and_then(|n| u64::try_from(n).ok());
    } else if c != b'i' || b.len() < 4 {
        return None;
    }
    let power = match b[b.len() - 3] {
        b'K' => 1,
        b'M' => 2,
        b'G' => 3,
        b'T' => 4,
        _ => return None,
    };
    let n = u64::try_from(parse_int(&s[..s.len() - 3])?).ok()?;
    // "Overflow." twice: past u64, then past MaxInt64.
    n.checked_mul(1u64 << (10 * power))
        .filter(|&v| v <= i64::MAX as u64)
}

/// `strconv.ParseInt(s, 10, 64)`: an optional sign, then decimal digits only.
fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gogc_is_an_integer_or_off() {
        assert_eq!(parse_gogc("100"), Ok(Gogc::Percent(100)));
        assert_eq!(parse_gogc("+50"), Ok(Gogc::Percent(50)));
        assert_eq!(parse_gogc("off"), Ok(Gogc::Off));
        assert_eq!(parse_gogc("-1"), Ok(Gogc::Off));
        for bad in ["", "OFF", "1e2", "100%", "3000000000", " 100", "12.5"] {
            let err = parse_gogc(bad).unwrap_err();
            assert!(err.contains("\"off\" or a decimal integer"), "{err}");
        }
    }

    #[test]
    fn gomemlimit_takes_binary_suffixes_only() {
        assert_eq!(parse_gomemlimit("off"), Ok(None));
        assert_eq!(parse_gomemlimit("512MiB"), Ok(Some(512 << 20)));
        assert_eq!(parse_gomemlimit("2GiB"), Ok(Some(2 << 30)));
        assert_eq!(parse_gomemlimit("1TiB"), Ok(Some(1 << 40)));
        assert_eq!(parse_gomemlimit("4096"), Ok(Some(4096)));
        assert_eq!(parse_gomemlimit("4096B"), Ok(Some(4096)));
        assert_eq!(parse_gomemlimit("1KiB"), Ok(Some(1024)));
        for bad in [
            "512MB",
            "512M",
            "1.5GiB",
            "-1",
            "iB",
            "KiB",
            "8EiB",
            "9999999TiB",
            "B",
        ] {
            let err = parse_gomemlimit(bad).unwrap_err();
            assert!(err.contains("KiB, MiB, GiB or TiB"), "{bad}: {err}");
        }
    }
}
