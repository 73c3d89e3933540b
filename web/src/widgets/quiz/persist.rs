//! The quiz's saved form, one short versioned line:
//! `v1;attempt=2;best=4;picked=1.-.2.-.-;checked=10100;order=0123.3120.0123.0123.0123`.
//! Anything that does not parse exactly is reported, never guessed at.

use super::state::{QuizState, N};

pub const KEY: &str = "gopherscope.quiz.v1";

pub fn encode(s: &QuizState) -> String {
    let picked: Vec<String> = s
        .picked
        .iter()
        .map(|p| p.map_or("-".to_owned(), |o| o.to_string()))
        .collect();
    let checked: String = s
        .checked
        .iter()
        .map(|&c| if c { '1' } else { '0' })
        .collect();
    let order: Vec<String> = s
        .order
        .iter()
        .map(|o| o.iter().map(|d| char::from(b'0' + d)).collect())
        .collect();
    format!(
        "v1;attempt={};best={};picked={};checked={checked};order={}",
        s.attempt,
        s.best.map_or("-".to_owned(), |b| b.to_string()),
        picked.join("."),
        order.join(".")
    )
}

pub fn decode(text: &str) -> Result<QuizState, String> {
    let mut fields = text.split(';');
    if fields.next() != Some("v1") {
        return Err("unknown format".to_owned());
    }
    let mut state = QuizState::new();
    let mut seen = 0;
    for field in fields {
        let (name, value) = field
            .split_once('=')
            .ok_or_else(|| format!("field {field:?} has no value"))?;
        match name {
            "attempt" => {
                state.attempt = value
                    .parse()
                    .ok()
                    .filter(|&a| a >= 1)
                    .ok_or("attempt is not a positive number")?;
            }
            "best" => {
                state.best = match value {
                    "-" => None,
                    v => Some(
                        v.parse()
                            .ok()
                            .filter(|&b| b as usize <= N)
                            .ok_or("best is not a score")?,
                    ),
                };
            }
            "picked" => {
                let parts: Vec<&str> = value.split('.').collect();
                if parts.len() != N {
                    return Err("picked has the wrong length".to_owned());
                }
                for (slot, p) in state.picked.iter_mut().zip(parts) {
                    *slot = match p {
                        "-" => None,
                        v => Some(
                            v.parse()
                                .ok()
                                .filter(|&o| o < 4)
                                .ok_or("picked is not an option")?,
                        ),
                    };
                }
            }
            "checked" => {
                if value.len() != N || !value.bytes().all(|b| b == b'0' || b == b'1') {
                    return Err("checked is malformed".to_owned());
                }
                for (slot, b) in state.checked.iter_mut().zip(value.bytes()) {
                    *slot = b == b'1';
                }
            }
            "order" => {
                let parts: Vec<&str> = value.split('.').collect();
                if parts.len() != N {
                    return Err("order has the wrong length".to_owned());
                }
                for (slot, p) in state.order.iter_mut().zip(parts) {
                    let digits: Vec<u8> = p.bytes().map(|b| b.wrapping_sub(b'0')).collect();
                    let mut sorted = digits.clone();
                    sorted.sort_unstable();
                    if sorted != [0, 1, 2, 3] {
                        return Err("order is not a permutation".to_owned());
                    }
                    slot.copy_from_slice(&digits);
                }
            }
            other => return Err(format!("unknown field {other:?}")),
        }
        seen += 1;
    }
    if seen != 5 {
        return Err("fields are missing".to_owned());
    }
    if (0..N).any(|q| state.checked[q] && state.picked[q].is_none()) {
        return Err("an answer is checked but none is picked".to_owned());
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::super::state::Action;
    use super::*;

    #[test]
    fn progress_round_trips() {
        let s = QuizState::new()
            .apply(Action::Retry { seed: 5 })
            .unwrap()
            .apply(Action::Pick {
                question: 2,
                option: 3,
            })
            .unwrap()
            .apply(Action::Check { question: 2 })
            .unwrap();
        assert_eq!(decode(&encode(&s)), Ok(s.clone()));
        assert_eq!(decode(&encode(&QuizState::new())), Ok(QuizState::new()));
    }

    #[test]
    fn anything_malformed_is_reported_not_guessed() {
        for bad in [
            "",
            "{\"json\": true}",
            "v2;attempt=1",
            "v1;attempt=0;best=-;picked=-.-.-.-.-;checked=00000;order=0123.0123.0123.0123.0123",
            "v1;attempt=1;best=9;picked=-.-.-.-.-;checked=00000;order=0123.0123.0123.0123.0123",
            "v1;attempt=1;best=-;picked=-.-.-.-;checked=00000;order=0123.0123.0123.0123.0123",
            "v1;attempt=1;best=-;picked=-.-.-.-.-;checked=10000;order=0123.0123.0123.0123.0123",
            "v1;attempt=1;best=-;picked=-.-.-.-.-;checked=00000;order=0113.0123.0123.0123.0123",
            "v1;attempt=1;best=-;picked=-.-.-.-.-;checked=00000",
        ] {
            assert!(decode(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
