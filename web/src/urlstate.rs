//! Widget state in the URL, so that a link opens the exact moment. Widgets
//! read their parameters from the query string and write them back with
//! `replace` (no history entry per step), keeping every parameter they do
//! not own, such as an embed's `origin` and `frame`.

use yew::prelude::*;
use yew_router::prelude::*;
use yew_router::query::Raw;

use crate::routes::Route;

pub use crate::embed::query_param as param;

/// The query string with `updates` set (a `None` value removes the key),
/// other parameters kept in their order.
pub fn with_params(query: &str, updates: &[(&str, Option<String>)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (p.to_owned(), String::new()),
        })
        .collect();
    for (key, value) in updates {
        match (pairs.iter().position(|(k, _)| k == key), value) {
            (Some(i), Some(v)) => pairs[i].1 = encode(v),
            (Some(i), None) => {
                pairs.remove(i);
            }
            (None, Some(v)) => pairs.push(((*key).to_owned(), encode(v))),
            (None, None) => {}
        }
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes what a query value must not contain raw.
fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Sets some query parameters (a `None` value removes one).
pub type SetQuery = Callback<Vec<(&'static str, Option<String>)>>;

/// The current query string and a setter that replaces some parameters.
#[hook]
pub fn use_query_state() -> (String, SetQuery) {
    let location = use_location();
    let navigator = use_navigator();
    let route = use_route::<Route>().unwrap_or(Route::Home);
    let query = location
        .map(|l| l.query_str().trim_start_matches('?').to_owned())
        .unwrap_or_default();
    let set = {
        let query = query.clone();
        Callback::from(move |updates: Vec<(&'static str, Option<String>)>| {
            if let Some(nav) = &navigator {
                let next = with_params(&query, &updates);
                if next != query {
                    nav.replace_with_query(&route, Raw(next)).ok();
                }
            }
        })
    };
    (query, set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_keep_what_they_do_not_own() {
        let q = "origin=https%3A%2F%2Fa.example&frame=f1&step=3";
        assert_eq!(
            with_params(
                q,
                &[
                    ("step", Some("4".into())),
                    ("snippet", Some("typed-nil".into()))
                ]
            ),
            "origin=https%3A%2F%2Fa.example&frame=f1&step=4&snippet=typed-nil"
        );
        assert_eq!(
            with_params(q, &[("step", None)]),
            "origin=https%3A%2F%2Fa.example&frame=f1"
        );
        assert_eq!(
            with_params("", &[("goarch", Some("386".into()))]),
            "goarch=386"
        );
        assert_eq!(
            with_params("", &[("x", Some("a b&c".into()))]),
            "x=a%20b%26c"
        );
    }
}
