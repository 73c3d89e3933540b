//! Links: one type for a place on the site (a page, or a widget on its page
//! set up by its `Params`), and links into the pinned Go source.
//!
//! The kit does not know which page hosts which widget: the app layer
//! builds widget links (it has the registry) and provides a [`Navigate`]
//! context so that a plain click moves within the app instead of loading
//! the page again. Every link is still a real `<a href>`, so it opens in a
//! new tab and works before, or without, the app.

use yew::prelude::*;

/// A place on the site: a path, a query the widget there reads, and the id
/// of the element to bring into view and focus.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    /// A site path: `/`, `/gc`.
    pub path: String,
    /// Without `?`; empty for none.
    pub query: String,
    /// An element id, without `#`; empty for the top of the page.
    pub anchor: String,
}

impl Link {
    /// The top of a page.
    pub fn page(path: &str) -> Link {
        Link {
            path: path.to_owned(),
            ..Link::default()
        }
    }

    /// The same link, landing on the element `anchor`.
    pub fn at(mut self, anchor: &str) -> Link {
        anchor.clone_into(&mut self.anchor);
        self
    }

    pub fn href(&self) -> String {
        let mut href = self.path.clone();
        if !self.query.is_empty() {
            href.push('?');
            href.push_str(&self.query);
        }
        if !self.anchor.is_empty() {
            href.push('#');
            href.push_str(&self.anchor);
        }
        href
    }
}

/// Where a `#anchor` link lands: the app moves there without a reload.
#[derive(Clone, PartialEq)]
pub struct Navigate(pub Callback<Link>);

#[derive(Properties, PartialEq)]
pub struct SiteLinkProps {
    pub to: Link,
    #[prop_or_default]
    pub class: Classes,
    /// Marks the current page with `aria-current`, not only with colour.
    #[prop_or_default]
    pub current: bool,
    pub children: Html,
}

/// The click handler of a link to `to`: a plain left click moves within
/// the app (when it provides [`Navigate`]); any other click, or no app, is
/// left to the browser. For anchors that cannot be a [`SiteLink`], such as
/// an SVG `<a>`.
pub fn follow(navigate: Option<Navigate>, to: Link) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        let modified = e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key();
        if let (false, 0, Some(Navigate(nav))) = (modified, e.button(), navigate.as_ref()) {
            e.prevent_default();
            nav.emit(to.clone());
        }
    })
}

/// A real `<a href>` that, on a plain left click, navigates in the app and
/// lands on the link's anchor, scrolled into view with focus on it.
#[function_component(SiteLink)]
pub fn site_link(props: &SiteLinkProps) -> Html {
    let onclick = follow(use_context::<Navigate>(), props.to.clone());
    let mut class = props.class.clone();
    if props.current {
        class.push("current");
    }
    html! {
        <a href={props.to.href()} {onclick} {class} aria-current={props.current.then_some("page")}>
            { props.children.clone() }
        </a>
    }
}

/// Scrolls the element with this id into view and focuses it, after the
/// re-render that a navigation starts. Elements that are not focusable by
/// nature get `tabindex="-1"` first.
pub fn bring_into_view(id: String) {
    yew::platform::spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_millis(0)).await;
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id));
        if let Some(el) = el {
            if !el.has_attribute("tabindex") {
                el.set_attribute("tabindex", "-1").ok();
            }
            el.scroll_into_view();
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                el.focus().ok();
            }
        }
    });
}

/// The Go release whose source the links open.
pub const GO_SOURCE_TAG: &str = "go1.27.3";

/// A link to `file` (such as `runtime/proc.go`) in the Go 1.27 source.
pub fn go_source(file: &str) -> String {
    format!("https://cs.opensource.google/go/go/+/refs/tags/{GO_SOURCE_TAG}:src/{file}")
}

/// A Go function's name, linked to its file in the Go source when the file
/// is known.
pub fn go_function(function: &str, file: Option<&str>) -> Html {
    match file {
        Some(file) => html! {
            <a href={go_source(file)} target="_blank" rel="noopener">
                <code>{ function.to_owned() }</code>{ format!(" ({file})") }
            </a>
        },
        None if !function.is_empty() => html! { <code>{ function.to_owned() }</code> },
        None => html! {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_writes_its_query_and_anchor() {
        let l = Link {
            path: "/gc".into(),
            query: "workload=leak".into(),
            anchor: String::new(),
        }
        .at("gc-pacer");
        assert_eq!(l.href(), "/gc?workload=leak#gc-pacer");
        assert_eq!(Link::page("/").href(), "/");
    }
}
