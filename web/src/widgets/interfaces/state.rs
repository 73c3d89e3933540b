//! The interfaces explainer's URL state: which snippet, whether it asks
//! before each line that sets an interface, and how many of its lines
//! have run (`?snippet=typed-nil&iface-predict=1&step=3`).

use runtime_model::iface;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::kit::query::{self, Choices, Key, OneOf};

/// The snippets of `runtime_model::iface`, by name.
pub struct Snippets;

impl Choices for Snippets {
    const DEFAULT: &'static str = "typed-nil";
    fn names() -> Vec<&'static str> {
        iface::SNIPPET_NAMES.to_vec()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    pub snippet: OneOf<Snippets>,
    /// Ask whether an interface will be nil before each line that sets one
    /// (`iface-predict=1`).
    #[serde(rename = "iface-predict", with = "crate::kit::query::flag")]
    pub predict: bool,
    /// Lines run so far.
    pub step: u64,
}

impl query::Params for Params {
    const WIDGET: &'static str = "interfaces";
    const KEYS: &'static [Key] = &[
        Key {
            name: "snippet",
            notice: |v| {
                format!(
                    "There is no snippet {v:?}; showing \"{}\". Snippets: {}.",
                    Snippets::DEFAULT,
                    Snippets::allowed()
                )
            },
        },
        Key {
            name: "iface-predict",
            notice: |v| format!("The link's iface-predict {v:?} is not 0 or 1; not asking."),
        },
        query::STEP,
    ];
}

pub enum Action {
    /// Another snippet, from its first line.
    Pick(OneOf<Snippets>),
    /// Ask (or stop asking), from the first line.
    Predict(bool),
    Seek(u64),
}

impl Reducible for Params {
    type Action = Action;

    fn reduce(self: std::rc::Rc<Self>, action: Action) -> std::rc::Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Pick(snippet) => {
                next.snippet = snippet;
                next.step = 0;
            }
            Action::Predict(on) => {
                next.predict = on;
                next.step = 0;
            }
            Action::Seek(step) => next.step = step,
        }
        std::rc::Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, to_query};

    #[test]
    fn a_link_names_a_snippet_and_a_step_and_a_bad_one_says_which_exist() {
        let d = decode::<Params>("snippet=data-word&step=2");
        assert_eq!((d.params.snippet.name(), d.params.step), ("data-word", 2));
        assert!(d.notices.is_empty());
        let d = decode::<Params>("snippet=nope&step=2");
        assert_eq!(d.params.snippet.name(), "typed-nil");
        assert!(
            d.notices[0].contains("There is no snippet \"nope\""),
            "{:?}",
            d.notices
        );
        assert_eq!(d.params.step, 2, "the rest of the link still applies");
        let d = decode::<Params>("iface-predict=yes");
        assert!(!d.params.predict);
        assert_eq!(
            d.notices,
            ["The link's iface-predict \"yes\" is not 0 or 1; not asking."]
        );
    }

    #[test]
    fn asking_is_off_by_default_starts_from_the_top_and_is_linked() {
        assert!(!Params::default().predict);
        let p = std::rc::Rc::new(decode::<Params>("snippet=data-word&step=2").params);
        let next = p.reduce(Action::Predict(true));
        assert_eq!(to_query(next.as_ref()), "snippet=data-word&iface-predict=1");
        assert!(decode::<Params>("iface-predict=1").params.predict);
    }

    #[test]
    fn picking_a_snippet_starts_it_from_the_top() {
        let p = std::rc::Rc::new(decode::<Params>("snippet=data-word&step=2").params);
        let next = p.reduce(Action::Pick(OneOf::default()));
        assert_eq!(to_query(next.as_ref()), "");
    }
}
