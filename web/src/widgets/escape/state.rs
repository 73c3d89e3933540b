//! The escape catalogue's URL state: which example it shows, and whether
//! it asks stack or heap before the verdict (`?escape=return-address&escape-predict=1`).

use std::rc::Rc;

use runtime_model::escape::catalogue;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::kit::query::{self, Choices, Key, OneOf};

/// The cases of `runtime_model::escape::catalogue`, by name.
pub struct Cases;

impl Choices for Cases {
    /// The catalogue's first case.
    const DEFAULT: &'static str = "return-address";
    fn names() -> Vec<&'static str> {
        catalogue().iter().map(|c| c.name).collect()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// The example shown.
    pub escape: OneOf<Cases>,
    /// Ask stack or heap before showing the verdict (`escape-predict=1`).
    #[serde(rename = "escape-predict", with = "crate::kit::query::flag")]
    pub predict: bool,
}

impl query::Params for Params {
    const WIDGET: &'static str = "escape";
    const KEYS: &'static [Key] = &[
        Key {
            name: "escape",
            notice: |v| {
                format!(
                    "There is no escape example {v:?}; showing \"{}\". Examples: {}.",
                    Cases::DEFAULT,
                    Cases::allowed()
                )
            },
        },
        Key {
            name: "escape-predict",
            notice: |v| format!("The link's escape-predict {v:?} is not 0 or 1; not asking."),
        },
    ];
}

pub enum Action {
    Pick(OneOf<Cases>),
    /// Ask (or stop asking) before each verdict.
    Predict(bool),
}

impl Reducible for Params {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Pick(escape) => next.escape = escape,
            Action::Predict(on) => next.predict = on,
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, to_query};

    #[test]
    fn the_default_is_the_catalogues_first_case() {
        assert_eq!(Cases::DEFAULT, catalogue()[0].name);
        assert_eq!(to_query(&Params::default()), "");
    }

    #[test]
    fn unknown_names_fall_back_to_the_first_and_list_the_others() {
        let d = decode::<Params>("escape=nope");
        assert_eq!(d.params, Params::default());
        assert_eq!(d.notices.len(), 1);
        assert!(
            d.notices[0].starts_with(
                "There is no escape example \"nope\"; showing \"return-address\". Examples: \
                 return-address, closure-capture,"
            ),
            "{:?}",
            d.notices
        );
        let d = decode::<Params>("escape=%3Cb%3E");
        assert!(d.notices[0].contains("no escape example \"<b>\""));
    }

    /// A link as the site wrote it before `Params`: the same example, no
    /// notice.
    #[test]
    fn an_old_link_opens_the_same_example() {
        let d = decode::<Params>("escape=pass-down");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(d.params.escape.name(), "pass-down");
        let picked = Rc::new(Params::default()).reduce(Action::Pick(d.params.escape));
        assert_eq!(to_query(picked.as_ref()), "escape=pass-down");
    }

    #[test]
    fn asking_is_off_by_default_kept_in_the_link_and_kept_across_examples() {
        assert!(!Params::default().predict);
        let asking = Rc::new(Params::default()).reduce(Action::Predict(true));
        assert_eq!(to_query(asking.as_ref()), "escape-predict=1");
        let next = asking.reduce(Action::Pick(OneOf::new("pass-down").unwrap()));
        assert_eq!(to_query(next.as_ref()), "escape=pass-down&escape-predict=1");
        let d = decode::<Params>("escape-predict=maybe");
        assert_eq!(
            d.notices,
            ["The link's escape-predict \"maybe\" is not 0 or 1; not asking."]
        );
    }
}
