//! xAPI statements: what a quiz or checkpoint answer tells the page that
//! embeds a widget. This is the one place that builds them (the README
//! shows one of each verb).
//!
//! Every statement has a random UUID `id`, a `timestamp`, and an anonymous
//! `account` actor: a random id kept in this browser's localStorage (a new
//! one each visit when storage is blocked), which the learner can reset
//! ([`reset_anonymous_id`]). No name, no e-mail, nothing read from the host
//! page. When the embed URL names the course page's activity
//! (`activity=https://...`), it becomes the parent activity in the
//! statement's context. Names and descriptions are plain
//! text: the Markdown backticks of the prompts are taken out ([`plain`]).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;

use super::host::{obj, Host};
use super::storage::{self, StorageProblem};

/// Where the anonymous id is kept.
pub const ID_KEY: &str = "gopherscope:anonymous-id";

/// Formats 16 random bytes as a version 4 (random) UUID, setting the
/// version and variant bits (RFC 9562, section 5.4).
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Whether `s` is a lowercase version 4 UUID as [`uuid_v4`] writes them.
pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            14 => c == b'4',
            19 => matches!(c, b'8' | b'9' | b'a' | b'b'),
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        })
}

/// The text with Markdown code spans turned into plain text: the
/// backticks go, what they held stays.
pub fn plain(text: &str) -> String {
    text.replace('`', "")
}

/// Whether `iri` can be the parent activity's id: an absolute http(s) IRI
/// with a host, at most 2,000 characters, with no spaces, control
/// characters or characters that an IRI may not hold.
pub fn valid_activity(iri: &str) -> bool {
    let Some(rest) = iri
        .strip_prefix("https://")
        .or_else(|| iri.strip_prefix("http://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    iri.len() <= 2000
        && !host.is_empty()
        && !host.starts_with(':')
        && !iri
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
}

/// 16 bytes from the browser's cryptographic random source (Math.random
/// where it is missing: the id only has to be unlikely to repeat).
fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

/// A fresh random UUID.
pub fn random_uuid() -> String {
    uuid_v4(random_bytes())
}

thread_local! {
    /// The anonymous id of this visit, once read or made.
    static ANONYMOUS_ID: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Why the id could not be read or kept, when storage let us down.
    static ID_PROBLEM: RefCell<Option<StorageProblem>> = const { RefCell::new(None) };
}

/// Stores `id`, noting a refusal (full or blocked storage).
fn keep(id: &str) {
    if let Err(problem) = storage::save(ID_KEY, id) {
        ID_PROBLEM.with_borrow_mut(|p| *p = Some(problem));
    }
}

/// The anonymous id of this browser: the one stored, or a new one, stored
/// when storage lets us (otherwise it lasts for this visit, and
/// [`anonymous_id_notice`] says so).
pub fn anonymous_id() -> String {
    if let Some(id) = ANONYMOUS_ID.with_borrow(Clone::clone) {
        return id;
    }
    let id = match storage::load(ID_KEY) {
        Ok(Some(id)) if is_uuid_v4(&id) => id,
        found => {
            let problem = match found {
                Err(problem) => Some(problem),
                Ok(Some(_)) => Some(StorageProblem::Corrupt(
                    "what is stored is not an id this site made".to_owned(),
                )),
                Ok(None) => None,
            };
            ID_PROBLEM.with_borrow_mut(|p| *p = problem);
            let id = random_uuid();
            keep(&id);
            id
        }
    };
    ANONYMOUS_ID.with_borrow_mut(|slot| *slot = Some(id.clone()));
    id
}

/// Replaces the anonymous id with a new one (stored when storage lets us)
/// and returns it: statements from now on cannot be linked to earlier ones.
pub fn reset_anonymous_id() -> String {
    let id = random_uuid();
    ID_PROBLEM.with_borrow_mut(|p| *p = None);
    keep(&id);
    ANONYMOUS_ID.with_borrow_mut(|slot| *slot = Some(id.clone()));
    id
}

/// What the learner is told when storage would not keep the anonymous id:
/// what happened, and that answers still go out. `None` when it is kept.
pub fn anonymous_id_notice() -> Option<String> {
    let problem = ID_PROBLEM.with_borrow(Clone::clone)?;
    Some(match problem {
        StorageProblem::Blocked => "This browser does not let the page keep its anonymous id (storage is blocked), so each visit gets a new one and answers from different visits are not linked. Everything else works.".to_owned(),
        StorageProblem::Full => "The anonymous id could not be kept because the browser's storage is full, so the next visit gets a new one. Everything else works.".to_owned(),
        StorageProblem::Corrupt(why) => format!("The saved anonymous id could not be read ({why}), so a new one was made. Everything else works."),
    })
}

/// A language map: `{"en-US": text}`, as plain text.
fn lang(text: &str) -> JsValue {
    obj(&[("en-US", JsValue::from_str(&plain(text)))])
}

fn site_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The activity of a whole assessment at `path` on this site (the quiz).
pub fn assessment(path: &str, name: &str) -> JsValue {
    obj(&[
        ("objectType", "Activity".into()),
        ("id", format!("{}{path}", site_origin()).into()),
        (
            "definition",
            obj(&[
                (
                    "type",
                    "http://adlnet.gov/expapi/activities/assessment".into(),
                ),
                ("name", lang(name)),
            ]),
        ),
    ])
}

/// The activity of a choice question at `path` on this site (`/quiz#id`,
/// `/checkpoint#id`): its prompt, its choices as (id, text) and, when it
/// has one, the id of its right answer.
pub fn choice_question(
    path: &str,
    prompt: &str,
    choices: &[(&str, &str)],
    correct: Option<&str>,
) -> JsValue {
    let definition = obj(&[
        (
            "type",
            "http://adlnet.gov/expapi/activities/cmi.interaction".into(),
        ),
        ("interactionType", "choice".into()),
        ("name", lang(prompt)),
    ]);
    if let Some(correct) = correct {
        let pattern = js_sys::Array::of1(&correct.into());
        js_sys::Reflect::set(&definition, &"correctResponsesPattern".into(), &pattern).ok();
    }
    if !choices.is_empty() {
        let list = js_sys::Array::new();
        for (id, text) in choices {
            list.push(&obj(&[("id", (*id).into()), ("description", lang(text))]));
        }
        js_sys::Reflect::set(&definition, &"choices".into(), &list).ok();
    }
    obj(&[
        ("objectType", "Activity".into()),
        ("id", format!("{}{path}", site_origin()).into()),
        ("definition", definition),
    ])
}

/// The whole statement: `id`, anonymous actor, verb, object, result, the
/// host's parent activity when it named one, and the time.
fn statement(host: &Host, verb: &str, object: JsValue, result: JsValue) -> JsValue {
    let context = obj(&[("platform", "Gopherscope".into())]);
    if let Some(parent) = &host.activity {
        let parents = js_sys::Array::of1(&obj(&[
            ("objectType", "Activity".into()),
            ("id", parent.as_str().into()),
        ]));
        js_sys::Reflect::set(
            &context,
            &"contextActivities".into(),
            &obj(&[("parent", parents.into())]),
        )
        .ok();
    }
    obj(&[
        ("id", random_uuid().into()),
        (
            "actor",
            obj(&[
                ("objectType", "Agent".into()),
                (
                    "account",
                    obj(&[
                        ("homePage", site_origin().into()),
                        ("name", anonymous_id().into()),
                    ]),
                ),
            ]),
        ),
        (
            "verb",
            obj(&[
                (
                    "id",
                    format!("http://adlnet.gov/expapi/verbs/{verb}").into(),
                ),
                ("display", obj(&[("en-US", verb.into())])),
            ]),
        ),
        ("object", object),
        ("result", result),
        ("context", context),
        ("timestamp", js_sys::Date::new_0().to_iso_string().into()),
    ])
}

/// Sends "answered" for a question activity, when embedded: whether the
/// answer was right, and the chosen ids (several joined by `[,]`, as xAPI
/// writes choice responses).
pub fn answered(host: &Option<Rc<Host>>, question: JsValue, success: bool, response: &[&str]) {
    let Some(host) = host else { return };
    let result = obj(&[
        ("success", success.into()),
        ("response", response.join("[,]").into()),
    ]);
    let s = statement(host, "answered", question, result);
    host.post("gopherscope:statement", &[("statement", s)]);
}

/// Sends "completed" for an assessment, when embedded, with its score.
pub fn completed(host: &Option<Rc<Host>>, assessment: JsValue, raw: u32, max: u32) {
    let Some(host) = host else { return };
    let score = obj(&[
        ("raw", raw.into()),
        ("min", 0.into()),
        ("max", max.into()),
        ("scaled", (f64::from(raw) / f64::from(max.max(1))).into()),
    ]);
    let result = obj(&[("completion", true.into()), ("score", score)]);
    let s = statement(host, "completed", assessment, result);
    host.post("gopherscope:statement", &[("statement", s)]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4_with_the_rfc_variant() {
        let id = uuid_v4([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(is_uuid_v4(&id));
        let id = uuid_v4([0; 16]);
        assert_eq!(id, "00000000-0000-4000-8000-000000000000");
        assert!(is_uuid_v4(&id));
        for bad in [
            "",
            "anonymous",
            "00000000-0000-1000-8000-000000000000",
            "00000000-0000-4000-c000-000000000000",
            "00000000-0000-4000-8000-00000000000",
            "00000000-0000-4000-8000-0000000000000",
            "0000000000000-4000-8000-000000000000",
            "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF",
            "g0000000-0000-4000-8000-000000000000",
        ] {
            assert!(!is_uuid_v4(bad), "{bad}");
        }
    }

    #[test]
    fn names_lose_their_markdown_backticks() {
        assert_eq!(
            plain("A function returns an `error` holding a nil `*MyErr`."),
            "A function returns an error holding a nil *MyErr."
        );
        assert_eq!(plain("no code here"), "no code here");
    }

    #[test]
    fn parent_activities_are_absolute_http_iris() {
        for ok in [
            "https://course.example/go/lesson-3",
            "http://127.0.0.1:8000/book/chapter.html#quiz",
            "https://lms.example/activities?id=42",
            "https://exämple.org/lässon",
        ] {
            assert!(valid_activity(ok), "{ok}");
        }
        for bad in [
            "",
            "lesson-3",
            "/go/lesson-3",
            "javascript:alert(1)",
            "ftp://files.example/x",
            "https://",
            "https:///path",
            "https://:80/x",
            "https://course.example/a b",
            "https://course.example/<script>",
            "https://course.example/\"x\"",
            "https://course.example/\nx",
        ] {
            assert!(!valid_activity(bad), "{bad:?}");
        }
        assert!(!valid_activity(&format!(
            "https://course.example/{}",
            "a".repeat(2000)
        )));
    }
}
