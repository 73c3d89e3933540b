//! The static site: every page, every `embed/<widget>` and the not-found
//! page rendered to HTML by Yew's server-side renderer at build time
//! (`gopherscope-prerender`, run by `cargo xtask build`), from the same
//! components the tests mount.
//!
//! Each document is Trunk's `index.html` with the page's title, summary and
//! body filled in, so it carries the site's CSS, the wasm loader and the
//! preload of the wasm. Readers without WebAssembly, and search engines,
//! get all the prose, tables and links; the wasm then mounts each widget
//! into its island ([`super::islands`]).

use yew::prelude::*;

use super::pages::PageBody;
use super::registry::{self, PAGES, WIDGETS};
use super::shell::{EmbedFrame, NotFound, SiteLayout};

/// One HTML file of the static site.
#[derive(Debug)]
pub struct Document {
    /// The address it answers: `/`, `/gc`, `/embed/quiz`; empty for the
    /// not-found page.
    pub path: String,
    /// Where it goes under `dist/`: `index.html`, `gc/index.html`,
    /// `embed/quiz/index.html`, `404.html`.
    pub file: String,
    /// The document title, ending in "· Gopherscope".
    pub title: String,
    /// The meta description.
    pub description: String,
    /// What goes in `<body>`.
    pub body: String,
}

/// What a document shows, by the kind of address.
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    /// A page of the registry, by slug.
    Page(&'static str),
    /// A widget alone, by slug.
    Embed(&'static str),
    NotFound,
}

#[derive(Properties, PartialEq)]
pub struct StaticProps {
    pub content: Content,
}

/// The whole body of one document.
#[function_component(Static)]
pub fn static_body(props: &StaticProps) -> Html {
    match props.content {
        Content::Page(slug) => html! {
            <SiteLayout current={Some(slug)}><PageBody slug={slug} /></SiteLayout>
        },
        Content::Embed(slug) => html! { <EmbedFrame widget={slug} /> },
        Content::NotFound => html! {
            <SiteLayout><NotFound what="this address" /></SiteLayout>
        },
    }
}

/// What the address `path` shows (its query and fragment aside), if it
/// is a page or an embed of the registry.
pub fn content_for(path: &str) -> Content {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.trim_end_matches('/');
    if let Some(slug) = path.strip_prefix("/embed/") {
        return registry::widget(slug).map_or(Content::NotFound, |w| Content::Embed(w.slug));
    }
    registry::page(path.trim_start_matches('/'))
        .map_or(Content::NotFound, |p| Content::Page(p.slug))
}

/// The body HTML of `content`.
pub async fn render(content: Content) -> String {
    yew::LocalServerRenderer::<Static>::with_props(StaticProps { content })
        .hydratable(false)
        .render()
        .await
}

/// Every document of the site: the pages, the embeds, the not-found page.
pub fn documents() -> Vec<Document> {
    let mut docs = Vec::new();
    for p in PAGES {
        docs.push(Document {
            path: p.path(),
            file: if p.slug.is_empty() {
                "index.html".to_owned()
            } else {
                format!("{}/index.html", p.slug)
            },
            title: format!("{} · Gopherscope", p.title),
            description: p.summary.to_owned(),
            body: futures::executor::block_on(render(Content::Page(p.slug))),
        });
    }
    for w in WIDGETS {
        docs.push(Document {
            path: registry::embed_path(w.slug),
            file: format!("embed/{}/index.html", w.slug),
            title: format!("{} · Gopherscope", w.title),
            description: format!(
                "{}: a live widget from Gopherscope, to embed in a course page.",
                w.title
            ),
            body: futures::executor::block_on(render(Content::Embed(w.slug))),
        });
    }
    docs.push(Document {
        path: String::new(),
        file: "404.html".to_owned(),
        title: "Page not found · Gopherscope".to_owned(),
        description: "There is no page at this address; here are the pages and widgets that exist."
            .to_owned(),
        body: futures::executor::block_on(render(Content::NotFound)),
    });
    docs
}

/// Trunk's wasm loader, replaced by the site's own (`web/start.js`, which
/// Trunk copies under a hashed name): the inline module script Trunk writes
/// goes, and its bundle's script and wasm, with the integrity of Trunk's
/// preloads, become data attributes of the `<script data-gopherscope-loader>`
/// element. So no document has an inline script, and the site runs under a
/// Content Security Policy without `'unsafe-inline'` or a hash (README,
/// "Hosting it yourself").
///
/// The loader starts the wasm once the page has shown its text: after the
/// load event and the next frame. Lighthouse's mobile run counts a wasm
/// fetched before the largest paint into that paint; with Trunk's own
/// loader and its preloads the largest contentful paint of /values was
/// 1.96 s, deferred it is 0.90 s (three runs each). The preloads go too, for
/// the same reason.
pub fn defer_loader(html: &str) -> Result<String, String> {
    const IMPORT: &str = "import init, * as bindings from '";
    const WASM: &str = "await init({ module_or_path: '";
    const LOADER: &str = "data-gopherscope-loader";
    let at = html
        .find(IMPORT)
        .ok_or("the template has no Trunk loader")?;
    let open = html[..at]
        .rfind("<script type=\"module\">")
        .ok_or("the loader is not a module script")?;
    let close = at
        + html[at..]
            .find("</script>")
            .ok_or("the loader script does not end")?
        + "</script>".len();
    let js = between(html, IMPORT, "'").ok_or("the loader names no script")?;
    let wasm = between(html, WASM, "'").ok_or("the loader names no wasm")?;
    let (js, wasm) = (html[js.0..js.1].to_owned(), html[wasm.0..wasm.1].to_owned());
    let mut out = format!("{}{}", &html[..open], &html[close..]);
    let mut integrity = Vec::new();
    for kind in ["<link rel=\"modulepreload\"", "<link rel=\"preload\""] {
        while let Some(i) = out.find(kind) {
            let end = i + out[i..].find('>').ok_or("a preload link does not end")? + 1;
            let link = &out[i..end];
            if let (Some(href), Some(sri)) = (
                between(link, "href=\"", "\""),
                between(link, "integrity=\"", "\""),
            ) {
                integrity.push((
                    link[href.0..href.1].to_owned(),
                    link[sri.0..sri.1].to_owned(),
                ));
            }
            out.replace_range(i..end, "");
        }
    }
    let sri_of = |file: &str| {
        integrity
            .iter()
            .find(|(href, _)| href == file)
            .map(|(_, sri)| sri.clone())
    };
    let mut names = String::new();
    for (attr, file) in [("data-module", &js), ("data-wasm", &wasm)] {
        names.push_str(&format!(" {attr}=\"{}\"", escape(file)));
        if let Some(sri) = sri_of(file) {
            names.push_str(&format!(" {attr}-integrity=\"{}\"", escape(&sri)));
        }
    }
    // The attribute inside a <script> tag (not a mention in a comment).
    let loader = out
        .match_indices(LOADER)
        .map(|(i, _)| i)
        .find(|&i| {
            out[..i]
                .rfind('<')
                .is_some_and(|lt| out[lt..i].starts_with("<script ") && !out[lt..i].contains('>'))
        })
        .ok_or("the template has no <script data-gopherscope-loader> (web/start.js)")?;
    let after = loader
        + LOADER.len()
        + if out[loader + LOADER.len()..].starts_with("=\"\"") {
            3
        } else {
            0
        };
    out.insert_str(after, &names);
    Ok(out)
}

/// `template` (Trunk's `index.html`) with `doc`'s title, description and
/// body, and its loader deferred ([`defer_loader`]). The template must have
/// a `<title>`, a meta description, a `<body>` and Trunk's loader; an error
/// says which is missing.
pub fn fill(template: &str, doc: &Document) -> Result<String, String> {
    let template = &defer_loader(template)?;
    let title = between(template, "<title>", "</title>").ok_or("the template has no <title>")?;
    let description = between(template, "<meta name=\"description\" content=\"", "\"")
        .ok_or("the template has no <meta name=\"description\">")?;
    let body_open = template
        .find("<body>")
        .ok_or("the template has no <body>")?;
    let body_close = template
        .rfind("</body>")
        .ok_or("the template has no </body>")?;
    let mut out = String::with_capacity(template.len() + doc.body.len());
    out.push_str(&template[..description.0]);
    out.push_str(&escape(&doc.description));
    out.push_str(&template[description.1..title.0]);
    out.push_str(&escape(&doc.title));
    out.push_str(&template[title.1..body_open + "<body>".len()]);
    out.push('\n');
    out.push_str(&doc.body);
    out.push('\n');
    out.push_str(&template[body_close..]);
    Ok(out)
}

/// The byte range between the first `open` and the `close` after it.
fn between(s: &str, open: &str, close: &str) -> Option<(usize, usize)> {
    let start = s.find(open)? + open.len();
    let end = start + s[start..].find(close)?;
    Some((start, end))
}

/// Text for an HTML attribute or element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `sitemap.xml` for the pages (not the embeds, which are parts of them),
/// at `origin` (such as `https://gopherscope.example`).
pub fn sitemap(origin: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in PAGES {
        out.push_str(&format!("  <url><loc>{origin}{}</loc></url>\n", p.path()));
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "<!doctype html><html><head><meta name=\"description\" content=\"x\" /><title>Gopherscope</title><script src=\"/start-1.js\" defer=\"\" data-gopherscope-loader=\"\" integrity=\"sha384-s\"></script><script type=\"module\">\nimport init, * as bindings from '/a.js';\nconst wasm = await init({ module_or_path: '/a_bg.wasm' });\n</script><link rel=\"modulepreload\" href=\"/a.js\" crossorigin=\"anonymous\" integrity=\"sha384-j\"><link rel=\"preload\" href=\"/a_bg.wasm\" crossorigin=\"anonymous\" integrity=\"sha384-w\" as=\"fetch\"></head>\n<body>\n  <div id=\"app\"></div>\n</body>\n</html>";

    /// Every `<script>` tag of `html` loads a file: none is inline.
    fn inline_scripts(html: &str) -> Vec<&str> {
        html.match_indices("<script")
            .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap_or(0) + 1])
            .filter(|tag| !tag.contains(" src="))
            .collect()
    }

    #[test]
    fn every_page_and_embed_renders_with_its_heading_and_islands() {
        let docs = documents();
        assert_eq!(docs.len(), PAGES.len() + WIDGETS.len() + 1);
        for doc in &docs {
            assert!(doc.body.contains("<h1"), "{}: no heading", doc.file);
            let html = fill(TEMPLATE, doc).unwrap();
            assert!(html.contains(&format!("<title>{}</title>", escape(&doc.title))));
            assert!(
                html.contains("<script src=\"/start-1.js\" defer=\"\" data-gopherscope-loader=\"\" data-module=\"/a.js\" data-module-integrity=\"sha384-j\" data-wasm=\"/a_bg.wasm\" data-wasm-integrity=\"sha384-w\" integrity=\"sha384-s\"></script>"),
                "{html}"
            );
            assert_eq!(inline_scripts(&html), Vec::<&str>::new(), "{}", doc.file);
            assert!(!html.contains("preload"), "{html}");
            assert!(!html.contains(" style="), "{}: an inline style", doc.file);
            assert!(!html.contains("id=\"app\""), "{}", doc.file);
        }
        for w in WIDGETS {
            let island = format!("data-gopherscope=\"{}\"", w.slug);
            let pages = docs.iter().filter(|d| d.body.contains(&island)).count();
            // Its page and its embed.
            assert_eq!(pages, 2, "{} is an island on {pages} documents", w.slug);
        }
    }

    #[test]
    fn the_pages_prose_is_in_the_html() {
        let gc = futures::executor::block_on(render(Content::Page("gc")));
        assert!(gc.contains("Tricolor marking"), "{gc}");
        assert!(gc.contains("aria-current=\"page\""));
        let knobs = futures::executor::block_on(render(Content::Page("knobs")));
        assert!(knobs.contains("GOMAXPROCS"));
        // What the runtime does only sometimes is said with its condition.
        let memory = futures::executor::block_on(render(Content::Page("memory")));
        assert!(memory.contains("adaptivestackstart=1"), "{memory}");
        assert!(memory.contains("Until the first collection, a new goroutine gets a 2 KB stack"));
        let sched = futures::executor::block_on(render(Content::Page("scheduler")));
        assert!(sched.contains("isAsyncSafePoint"), "{sched}");
        assert!(sched.contains("or the call has lasted 10 ms"), "{sched}");
    }

    /// The levels of the headings in `html`, in order.
    fn heading_levels(html: &str) -> Vec<u8> {
        html.match_indices("<h")
            .filter_map(|(i, _)| html.as_bytes().get(i + 2).copied())
            .filter(|b| (b'1'..=b'6').contains(b))
            .map(|b| b - b'0')
            .collect()
    }

    #[test]
    fn no_page_skips_a_heading_level() {
        for p in PAGES {
            let body = futures::executor::block_on(render(Content::Page(p.slug)));
            let levels = heading_levels(&body);
            for w in levels.windows(2) {
                assert!(
                    w[1] <= w[0] + 1,
                    "/{}: an h{} after an h{}: {levels:?}",
                    p.slug,
                    w[1],
                    w[0]
                );
            }
        }
    }

    #[test]
    fn addresses_find_their_content() {
        assert_eq!(content_for("/"), Content::Page(""));
        assert_eq!(content_for("/gc?heap=leak#gc-pacer"), Content::Page("gc"));
        assert_eq!(content_for("/gc/"), Content::Page("gc"));
        assert_eq!(content_for("/embed/quiz?origin=x"), Content::Embed("quiz"));
        assert_eq!(content_for("/embed/nope"), Content::NotFound);
        assert_eq!(content_for("/nope"), Content::NotFound);
    }

    #[test]
    fn a_template_without_a_body_says_so() {
        let doc = &documents()[0];
        let err = fill(
            "<title>x</title><meta name=\"description\" content=\"y\">",
            doc,
        )
        .unwrap_err();
        assert!(err.contains("loader"), "{err}");
        let err = fill(&TEMPLATE.replace("data-gopherscope-loader", "data-x"), doc).unwrap_err();
        assert!(err.contains("web/start.js"), "{err}");
        let err = fill(&TEMPLATE.replace("<body>", "<bod>"), doc).unwrap_err();
        assert!(err.contains("<body>"), "{err}");
    }
}
