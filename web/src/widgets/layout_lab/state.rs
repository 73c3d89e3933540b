//! The layout lab's URL state: the declarations, the GOARCH, the type
//! shown, and whether it asks a struct's size before drawing it
//! (`?src=type+T+...&layout-goarch=386&type=T&layout-predict=1`).
//!
//! The GOARCH key was `goarch` until the value table, on the same page,
//! needed it too; [`Params::upgrade`](query::Params::upgrade) reads the
//! old key in a layout-lab link.

use runtime_model::values::GoArch;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

pub use crate::kit::choices::GoArches;
use crate::kit::query::{self, Key, OneOf};

/// What the lab shows until the learner edits it.
pub const DEFAULT_SRC: &str = "\
// Edit me, or paste a whole Go file.
type T struct {
\ta bool
\tb int64
\tc bool
}

type Session struct {
\tactive  bool
\tid      uint64
\tname    string
\tretries uint8
\tpeers   []*Session
\tmu      sync.Mutex
\thits    atomic.Int64
}
";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// The declarations; `None` for [`DEFAULT_SRC`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
    /// `None` for amd64. Every change the lab makes names it, even amd64,
    /// so that its links never fall under the upgrade of the old `goarch`
    /// key (a typed link with `src` or `ty` should name it too).
    #[serde(rename = "layout-goarch", skip_serializing_if = "Option::is_none")]
    pub goarch: Option<OneOf<GoArches>>,
    /// The type shown; `None` for the first struct.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// Ask a struct's size before its layout is drawn (`layout-predict=1`).
    #[serde(rename = "layout-predict", with = "crate::kit::query::flag")]
    pub predict: bool,
}

impl Params {
    pub fn src(&self) -> &str {
        self.src.as_deref().unwrap_or(DEFAULT_SRC)
    }

    pub fn arch(&self) -> GoArch {
        GoArch::from_name(self.goarch.unwrap_or_default().name()).unwrap_or(GoArch::Amd64)
    }
}

impl query::Params for Params {
    const WIDGET: &'static str = "layout-lab";
    const KEYS: &'static [Key] = &[
        Key {
            name: "src",
            notice: |_| {
                "The link's declarations could not be read; showing the example.".to_owned()
            },
        },
        Key {
            name: "layout-goarch",
            notice: |v| format!("There is no GOARCH {v:?}; showing amd64."),
        },
        Key {
            name: "type",
            notice: |v| {
                format!("The link's type {v:?} could not be read; showing the first struct.")
            },
        },
        Key {
            name: "layout-predict",
            notice: |v| format!("The link's layout-predict {v:?} is not 0 or 1; not asking."),
        },
    ];

    /// Links made before the rename said `goarch`, a key the value table
    /// on the same page also read. It is the lab's only in a link that
    /// also has `src` or `type` and no `layout-goarch`: `/values?goarch=386`
    /// sets the value table alone.
    fn upgrade(pairs: &mut Vec<(String, String)>) {
        let has = |pairs: &[(String, String)], key: &str| pairs.iter().any(|(k, _)| k == key);
        if (has(pairs, "src") || has(pairs, "type")) && !has(pairs, "layout-goarch") {
            if let Some((k, _)) = pairs.iter_mut().find(|(k, _)| k == "goarch") {
                "layout-goarch".clone_into(k);
            }
        }
    }
}

pub enum Action {
    /// New declarations, typed or from "Apply this order".
    Edit(String),
    Arch(OneOf<GoArches>),
    /// Show the type with this name.
    Show(String),
    /// Ask (or stop asking) each struct's size first.
    Predict(bool),
}

impl Reducible for Params {
    type Action = Action;

    fn reduce(self: std::rc::Rc<Self>, action: Action) -> std::rc::Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(text) => next.src = (text != DEFAULT_SRC).then_some(text),
            Action::Arch(goarch) => next.goarch = Some(goarch),
            Action::Show(name) => next.ty = Some(name),
            Action::Predict(on) => next.predict = on,
        }
        next.goarch.get_or_insert_with(OneOf::default);
        std::rc::Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::query::{decode, to_query};

    fn arm() -> Option<OneOf<GoArches>> {
        OneOf::new("arm")
    }

    #[test]
    fn a_link_sets_the_source_the_arch_and_the_type() {
        let d = decode::<Params>("src=type+S+struct%7B%7D%0A&layout-goarch=wasm&type=S");
        assert_eq!(d.params.src(), "type S struct{}\n");
        assert_eq!(
            (d.params.arch(), d.params.ty.as_deref()),
            (GoArch::Wasm, Some("S"))
        );
        assert!(d.notices.is_empty());
        let d = decode::<Params>("");
        assert_eq!(
            (d.params.src(), d.params.arch()),
            (DEFAULT_SRC, GoArch::Amd64)
        );
    }

    #[test]
    fn an_unknown_goarch_is_named_and_the_rest_applies() {
        let d = decode::<Params>("layout-goarch=sparc&type=T");
        assert_eq!(d.params.arch(), GoArch::Amd64);
        assert_eq!(d.notices, ["There is no GOARCH \"sparc\"; showing amd64."]);
        assert_eq!(d.params.ty.as_deref(), Some("T"));
    }

    #[test]
    fn an_old_link_reads_goarch_as_the_labs() {
        // As the site wrote it before the rename.
        let d = decode::<Params>("src=type+T+struct+%7B+a+bool%3B+b+int64+%7D&goarch=arm&type=T");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(
            d.params,
            Params {
                src: Some("type T struct { a bool; b int64 }".into()),
                goarch: arm(),
                ty: Some("T".into()),
                predict: false,
            }
        );
    }

    #[test]
    fn the_value_tables_goarch_is_not_the_labs() {
        assert_eq!(decode::<Params>("goarch=386").params, Params::default());
        // The new key wins over the old one.
        let d = decode::<Params>("goarch=386&layout-goarch=arm&type=T");
        assert_eq!(d.params.goarch, arm());
    }

    #[test]
    fn every_change_names_the_arch_so_the_old_key_no_longer_applies() {
        // The value table's GOARCH is on the page; the learner edits the lab.
        let p = std::rc::Rc::new(decode::<Params>("goarch=386").params);
        let p = p.reduce(Action::Edit("type U int\n".into()));
        let query = format!("goarch=386&{}", to_query(p.as_ref()));
        assert_eq!(decode::<Params>(&query).params.arch(), GoArch::Amd64);
        // Back to the example: the source key goes.
        let p = p.reduce(Action::Edit(DEFAULT_SRC.into()));
        assert_eq!(to_query(p.as_ref()), "layout-goarch=amd64");
        let p = p.reduce(Action::Show("Session".into()));
        assert_eq!(p.ty.as_deref(), Some("Session"));
        let p = p.reduce(Action::Predict(true));
        assert_eq!(
            to_query(p.as_ref()),
            "layout-goarch=amd64&type=Session&layout-predict=1"
        );
        assert!(!Params::default().predict, "off by default");
        let d = decode::<Params>("layout-predict=on");
        assert_eq!(
            d.notices,
            ["The link's layout-predict \"on\" is not 0 or 1; not asking."]
        );
    }
}
