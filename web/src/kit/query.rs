//! Widget state in the URL, so that a link opens the exact moment.
//!
//! Each widget's `state.rs` has a `Params` struct that derives serde's
//! `Serialize` and `Deserialize` and implements [`Params`]: the keys it
//! reads, and for each key the notice to show when a link's value cannot be
//! used. This module is the one way those structs meet a query string:
//!
//! - [`decode`] reads a query with `serde_urlencoded`. A value that does not
//!   deserialize (a bad number, an unknown preset) is dropped with its
//!   key's notice, and the rest of the link still applies; keys the widget
//!   does not own (an embed's `origin`, another widget's state) are left
//!   alone.
//! - [`encode`] writes only what differs from the defaults, so links stay
//!   short, and [`merge`] puts it into the current query without touching
//!   the keys the widget does not own.
//! - [`use_params`] is the hook: the decoded `Params` and notices for the
//!   current URL, and a dispatcher that reduces an `Action` and writes the
//!   result back with `replace` (no history entry per step).
//!
//! The query itself comes from a [`QueryContext`] that the app layer
//! provides (it knows the router); nothing here names a route.

use std::marker::PhantomData;
use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use yew::prelude::*;

/// A key a widget reads from the URL, and what a link is told when the
/// key's value cannot be used.
#[derive(Clone, Copy)]
pub struct Key {
    pub name: &'static str,
    /// The notice for a value that does not deserialize, given the value
    /// as the link wrote it (decoded).
    pub notice: fn(&str) -> String,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// The `step` key of a step widget (the stepper checks it against the run;
/// this is the notice for a value that is not a number at all).
pub const STEP: Key = Key {
    name: "step",
    notice: |v| format!("The link's step {v:?} is not a whole number; starting at 0."),
};

/// A widget's URL state: plain data on serde, with the keys it owns.
///
/// Implementations derive `Serialize`, `Deserialize` (with
/// `#[serde(default)]`, so that a missing key takes its default) and
/// `Default`; every field's serde name is one of [`Params::KEYS`].
pub trait Params: Serialize + DeserializeOwned + Default + Clone + PartialEq + 'static {
    /// The widget's slug, as the registry lists it (`gc-marking`).
    const WIDGET: &'static str;

    /// Every key the widget reads. Two widgets on one page never share one
    /// (the registry checks).
    const KEYS: &'static [Key];

    /// Rewrites a link made before a key was renamed, in place. Called
    /// with the decoded pairs before anything else reads them.
    fn upgrade(_pairs: &mut Vec<(String, String)>) {}

    /// Checks what serde's types cannot (one field that needs another),
    /// fixes `self` and says why. Called after every decode.
    fn check(&mut self) -> Vec<String> {
        Vec::new()
    }

    /// Whether `name` is one of [`Params::KEYS`].
    fn owns(name: &str) -> bool {
        Self::KEYS.iter().any(|k| k.name == name)
    }
}

/// What a query string says for a widget: its state, and a notice for each
/// value that could not be used.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded<P> {
    pub params: P,
    pub notices: Vec<String>,
}

/// The query's key-value pairs, percent-decoded (`+` is a space).
pub fn pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query.trim_start_matches('?')).unwrap_or_default()
}

/// The first value of `name` in a query string, percent-decoded.
pub fn value(query: &str, name: &str) -> Option<String> {
    pairs(query)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Decoded key-value pairs.
type Pairs = [(String, String)];

fn from_pairs<P: Params>(pairs: &Pairs) -> Option<P> {
    serde_urlencoded::from_str(&join(pairs)).ok()
}

/// Pairs as a query string.
fn join(pairs: &[(String, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// The widget's pairs of a query (after `upgrade`), the first of each key:
/// a link that repeats a key means its first value, as
/// `URLSearchParams.get` does.
fn owned(
    query: &str,
    keys: &[Key],
    upgrade: fn(&mut Vec<(String, String)>),
) -> Vec<(String, String)> {
    let mut all = pairs(query);
    upgrade(&mut all);
    let mut owned: Vec<(String, String)> = Vec::new();
    for (k, v) in all {
        if keys.iter().any(|key| key.name == k) && !owned.iter().any(|(o, _)| *o == k) {
            owned.push((k, v));
        }
    }
    owned
}

/// Drops the pairs that `usable` refuses one at a time, with each key's
/// notice. Not generic, so that each widget's `Params` adds only its serde
/// code to the bundle.
fn drop_unusable(
    owned: &mut Vec<(String, String)>,
    keys: &[Key],
    usable: &dyn Fn(&Pairs) -> bool,
    notices: &mut Vec<String>,
) {
    owned.retain(|pair| {
        let ok = usable(std::slice::from_ref(pair));
        if !ok {
            let key = keys.iter().find(|k| k.name == pair.0);
            notices.push(key.map_or_else(String::new, |k| (k.notice)(&pair.1)));
        }
        ok
    });
}

/// Reads `P` from a query string. Values that cannot be used are dropped,
/// one key at a time, each with its key's notice; what remains applies.
pub fn decode<P: Params>(query: &str) -> Decoded<P> {
    let mut owned = owned(query, P::KEYS, P::upgrade);
    let mut notices = Vec::new();
    let mut params = match from_pairs::<P>(&owned) {
        Some(p) => p,
        None => {
            let usable = |p: &Pairs| from_pairs::<P>(p).is_some();
            drop_unusable(&mut owned, P::KEYS, &usable, &mut notices);
            from_pairs::<P>(&owned).unwrap_or_else(|| {
                notices.push(
                    "The link's settings do not fit together; showing the defaults.".to_owned(),
                );
                P::default()
            })
        }
    };
    notices.extend(params.check());
    Decoded { params, notices }
}

/// `text`'s pairs that are not among `defaults`'.
fn differing(text: &str, defaults: &str) -> Vec<(String, String)> {
    let defaults = pairs(defaults);
    pairs(text)
        .into_iter()
        .filter(|pair| !defaults.contains(pair))
        .collect()
}

/// The pairs that say `params`: every key whose value differs from the
/// default, in the struct's field order.
pub fn encode<P: Params>(params: &P) -> Vec<(String, String)> {
    let text = |p: &P| serde_urlencoded::to_string(p).unwrap_or_default();
    differing(&text(params), &text(&P::default()))
}

/// The query string for `params` alone, as a link to the widget carries it.
pub fn to_query<P: Params>(params: &P) -> String {
    join(&encode(params))
}

/// `query` with the keys `owns` accepts replaced by `pairs`: other keys stay
/// as they were written and where they were, an owned key keeps its place
/// when it stays, and new keys go at the end.
pub fn merge(query: &str, owns: &dyn Fn(&str) -> bool, new: &[(String, String)]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut written = vec![false; new.len()];
    for raw in query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let key = pairs(raw).into_iter().next().map(|(k, _)| k);
        let Some(key) = key.filter(|k| owns(k)) else {
            out.push(raw.to_owned());
            continue;
        };
        if let Some(i) = new.iter().position(|(k, _)| *k == key) {
            if !written[i] {
                written[i] = true;
                out.push(serde_urlencoded::to_string([&new[i]]).unwrap_or_default());
            }
        }
    }
    for (i, pair) in new.iter().enumerate() {
        if !written[i] {
            out.push(serde_urlencoded::to_string([pair]).unwrap_or_default());
        }
    }
    out.join("&")
}

/// The URL's query, and how to replace it: provided by the app layer.
#[derive(Clone, PartialEq)]
pub struct QueryContext {
    /// The query string without `?`.
    pub query: Rc<str>,
    /// Replaces the query string (without `?`); no new history entry.
    pub replace: Callback<String>,
    /// The query string as it is now, which may be newer than `query`:
    /// two key presses can land before the widget renders the first.
    pub read: Callback<(), String>,
    /// Shows in the address bar at once a query that [`during_playback`]
    /// left for later.
    pub flush: Callback<()>,
}

/// The current query string and its setter. Outside the app (a component
/// mounted alone), an empty query that cannot be changed.
#[hook]
pub fn use_query() -> QueryContext {
    use_context::<QueryContext>().unwrap_or_else(|| QueryContext {
        query: Rc::from(""),
        replace: Callback::noop(),
        read: Callback::from(|()| String::new()),
        flush: Callback::noop(),
    })
}

thread_local! {
    static PLAYBACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` as playback: the query changes it makes are a player's clock
/// moving on, or a scrubber being dragged (an input event a frame), which
/// the app may show in the address bar a moment later (the widgets see
/// them at once; the last one is written within 250 ms). A learner's other
/// actions are never playback: their URL is in the address bar straight
/// away.
pub fn during_playback<R>(f: impl FnOnce() -> R) -> R {
    let was = PLAYBACK.with(|p| p.replace(true));
    let out = f();
    PLAYBACK.with(|p| p.set(was));
    out
}

/// Whether the query change under way comes from [`during_playback`].
pub fn in_playback() -> bool {
    PLAYBACK.with(|p| p.get())
}

/// A widget's state from the URL, with notices, and its dispatcher.
pub struct UseParams<P: Params + Reducible> {
    pub params: Rc<P>,
    pub notices: Rc<Vec<String>>,
    pub dispatch: Callback<P::Action>,
}

impl<P: Params + Reducible> UseParams<P> {
    /// The URL's notices and `more` (the stepper's, say), for [`view_notices`].
    pub fn notices_with(&self, more: Option<String>) -> Rc<Vec<String>> {
        match more {
            None => self.notices.clone(),
            Some(m) => Rc::new(self.notices.iter().cloned().chain([m]).collect()),
        }
    }
}

impl<P: Params + Reducible> Clone for UseParams<P> {
    fn clone(&self) -> Self {
        UseParams {
            params: self.params.clone(),
            notices: self.notices.clone(),
            dispatch: self.dispatch.clone(),
        }
    }
}

/// `P` as the URL says it, and a dispatcher that reduces an action and
/// writes the new state back into the URL.
#[hook]
pub fn use_params<P>() -> UseParams<P>
where
    P: Params + Reducible,
    P::Action: 'static,
{
    let ctx = use_query();
    let decoded = use_memo(ctx.query.clone(), |q| decode::<P>(q));
    let params = Rc::new(decoded.params.clone());
    let notices = Rc::new(decoded.notices.clone());
    let dispatch = {
        let (params, ctx) = (params.clone(), ctx.clone());
        Callback::from(move |action: P::Action| {
            // The action applies to the state as the URL holds it now, not
            // as it was when this render's callback was made: otherwise a
            // second key press before the next render would undo the first.
            let now = ctx.read.emit(());
            let current = if now == *ctx.query {
                params.clone()
            } else {
                Rc::new(decode::<P>(&now).params)
            };
            let next = current.reduce(action);
            let query = merge(&now, &P::owns, &encode(next.as_ref()));
            if query != now {
                ctx.replace.emit(query);
            }
        })
    };
    UseParams {
        params,
        notices,
        dispatch,
    }
}

/// A deserializer for flags that links write as `0` or `1`.
pub mod flag {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if *v { "1" } else { "0" })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        match <std::borrow::Cow<'de, str>>::deserialize(d)?.as_ref() {
            "1" => Ok(true),
            "0" => Ok(false),
            other => Err(serde::de::Error::custom(format!("{other:?} is not 0 or 1"))),
        }
    }
}

/// A fixed set of names a key may take: presets, snippets, barriers.
pub trait Choices: 'static {
    /// The name a missing key means.
    const DEFAULT: &'static str;
    /// Every name allowed, in the order the widget offers them.
    fn names() -> Vec<&'static str>;

    /// The names, for a notice: "a, b, c".
    fn allowed() -> String {
        Self::names().join(", ")
    }
}

/// One of the names of `C`, as a URL holds it.
pub struct OneOf<C: Choices>(&'static str, PhantomData<fn() -> C>);

impl<C: Choices> OneOf<C> {
    /// The name, if `C` has it.
    pub fn new(name: &str) -> Option<OneOf<C>> {
        C::names()
            .into_iter()
            .find(|n| *n == name)
            .map(|n| OneOf(n, PhantomData))
    }

    pub fn name(&self) -> &'static str {
        self.0
    }
}

impl<C: Choices> Default for OneOf<C> {
    fn default() -> Self {
        OneOf(C::DEFAULT, PhantomData)
    }
}

impl<C: Choices> Clone for OneOf<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: Choices> Copy for OneOf<C> {}

impl<C: Choices> PartialEq for OneOf<C> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<C: Choices> Eq for OneOf<C> {}

impl<C: Choices> std::fmt::Debug for OneOf<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl<C: Choices> Serialize for OneOf<C> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de, C: Choices> serde::Deserialize<'de> for OneOf<C> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        OneOf::new(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is not one of {}", C::allowed()))
        })
    }
}

/// A whole number from `MIN` to `MAX`, as links write it: plain digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Whole<const MIN: u64, const MAX: u64>(pub u64);

impl<const MIN: u64, const MAX: u64> Serialize for Whole<MIN, MAX> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de, const MIN: u64, const MAX: u64> serde::Deserialize<'de> for Whole<MIN, MAX> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        match text.parse::<u64>() {
            Ok(v) if text.bytes().all(|b| b.is_ascii_digit()) && (MIN..=MAX).contains(&v) => {
                Ok(Whole(v))
            }
            _ => Err(serde::de::Error::custom(format!(
                "{text:?} is not a whole number from {MIN} to {MAX}"
            ))),
        }
    }
}

/// The notices a widget shows above itself (a link it could not use, a
/// value it refused), each announced politely to screen readers. A plain
/// function, not a component: it has no state of its own.
pub fn view_notices(notices: &[String]) -> Html {
    notices
        .iter()
        .map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Demo {
        #[serde(skip_serializing_if = "Option::is_none")]
        n: Option<Whole<1, 9>>,
        #[serde(with = "flag")]
        on: bool,
        #[serde(rename = "demo-step")]
        step: u64,
    }

    impl Params for Demo {
        const WIDGET: &'static str = "demo";
        const KEYS: &'static [Key] = &[
            Key {
                name: "n",
                notice: |v| format!("n={v:?} is not 1 to 9"),
            },
            Key {
                name: "on",
                notice: |v| format!("on={v:?} is not 0 or 1"),
            },
            Key {
                name: "demo-step",
                notice: |v| format!("demo-step={v:?} is not a number"),
            },
        ];

        fn upgrade(pairs: &mut Vec<(String, String)>) {
            for (k, _) in pairs.iter_mut() {
                if k == "step" {
                    *k = "demo-step".into();
                }
            }
        }
    }

    #[test]
    fn a_bad_value_is_dropped_with_its_notice_and_the_rest_applies() {
        let d = decode::<Demo>("origin=https%3A%2F%2Fa.example&n=12&on=1&demo-step=3");
        assert_eq!(
            d.params,
            Demo {
                n: None,
                on: true,
                step: 3
            }
        );
        assert_eq!(d.notices, ["n=\"12\" is not 1 to 9"]);
        let d = decode::<Demo>("n=4&on=yes&demo-step=x");
        assert_eq!(d.params.n, Some(Whole(4)));
        assert_eq!(d.notices.len(), 2, "{:?}", d.notices);
    }

    #[test]
    fn old_keys_are_upgraded_and_repeated_keys_mean_the_first() {
        let d = decode::<Demo>("step=5&n=2&n=3");
        assert_eq!((d.params.step, d.params.n), (5, Some(Whole(2))));
        assert!(d.notices.is_empty());
    }

    #[test]
    fn only_what_differs_from_the_defaults_is_written() {
        let p = Demo {
            n: Some(Whole(7)),
            on: false,
            step: 0,
        };
        assert_eq!(to_query(&p), "n=7");
        assert_eq!(decode::<Demo>(&to_query(&p)).params, p);
        assert_eq!(to_query(&Demo::default()), "");
    }

    #[test]
    fn merging_keeps_what_the_widget_does_not_own() {
        let q = "origin=https%3A%2F%2Fa.example&frame=f1&demo-step=3&n=2";
        let new = encode(&Demo {
            n: None,
            on: true,
            step: 4,
        });
        assert_eq!(
            merge(q, &Demo::owns, &new),
            "origin=https%3A%2F%2Fa.example&frame=f1&demo-step=4&on=1"
        );
        assert_eq!(
            merge("", &Demo::owns, &[("n".into(), "a b&c".into())]),
            "n=a+b%26c"
        );
    }

    #[test]
    fn values_are_percent_decoded() {
        assert_eq!(
            value("a=1&origin=https%3A%2F%2Fx.example&b", "origin").as_deref(),
            Some("https://x.example")
        );
        assert_eq!(
            value("src=type+T+int%0A", "src").as_deref(),
            Some("type T int\n")
        );
        assert_eq!(value("notx=1", "x"), None);
    }
}
