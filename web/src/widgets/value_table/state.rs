//! The value table's URL state: the GOARCH whose sizes it shows
//! (`?goarch=386`).

use runtime_model::values::GoArch;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

pub use crate::kit::choices::GoArches;
use crate::kit::query::{self, Choices, Key, OneOf};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    pub goarch: OneOf<GoArches>,
}

impl Params {
    /// The architecture the table shows.
    pub fn arch(&self) -> GoArch {
        GoArch::from_name(self.goarch.name()).unwrap_or(GoArch::Amd64)
    }
}

impl query::Params for Params {
    const WIDGET: &'static str = "value-table";
    const KEYS: &'static [Key] = &[Key {
        name: "goarch",
        notice: |v| {
            format!(
                "The link asked for GOARCH \"{v}\", which Go does not know, so this shows {}. Allowed: {}.",
                GoArches::DEFAULT,
                GoArches::allowed()
            )
        },
    }];
}

pub enum Action {
    Pick(OneOf<GoArches>),
}

impl Reducible for Params {
    type Action = Action;

    fn reduce(self: std::rc::Rc<Self>, action: Action) -> std::rc::Rc<Self> {
        match action {
            Action::Pick(goarch) => std::rc::Rc::new(Params { goarch }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, to_query};

    #[test]
    fn the_link_picks_the_arch_wherever_goarch_sits() {
        let d = decode::<Params>("x=1&goarch=wasm&y");
        assert_eq!(d.params.arch(), GoArch::Wasm);
        assert!(d.notices.is_empty());
        assert_eq!(decode::<Params>("").params.arch(), GoArch::Amd64);
        assert_eq!(
            decode::<Params>("notgoarch=arm").params.arch(),
            GoArch::Amd64
        );
    }

    #[test]
    fn an_unknown_goarch_falls_back_to_amd64_and_says_which_exist() {
        let d = decode::<Params>("goarch=%3Cscript%3E");
        assert_eq!(d.params, Params::default());
        assert_eq!(d.notices.len(), 1);
        assert!(d.notices[0].contains("\"<script>\", which Go does not know"));
        assert!(
            d.notices[0].contains("Allowed: amd64, arm64, 386, arm, wasm"),
            "{:?}",
            d.notices
        );
    }

    #[test]
    fn picking_amd64_leaves_the_link_without_goarch() {
        let p = std::rc::Rc::new(decode::<Params>("goarch=arm").params);
        let p = p.reduce(Action::Pick(OneOf::new("386").unwrap()));
        assert_eq!(to_query(p.as_ref()), "goarch=386");
        let p = p.reduce(Action::Pick(OneOf::default()));
        assert_eq!(to_query(p.as_ref()), "");
    }

    #[test]
    fn an_old_link_opens_the_same_table() {
        // As the site wrote it before Params: `/values?goarch=386`.
        let d = decode::<Params>("goarch=386");
        assert_eq!(d.params.arch(), GoArch::I386);
        assert!(d.notices.is_empty());
    }
}
