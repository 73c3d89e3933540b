//! Component tests in a real browser (wasm-bindgen-test in headless
//! Chromium): every registry entry mounts, routes resolve, the value table
//! follows its URL and its GOARCH switch, and the panic panel renders.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gopherscope_web::app::islands::{mount_islands, Island};
use gopherscope_web::app::prerender::{content_for, render};
use gopherscope_web::app::registry::{PAGES, WIDGETS};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlSelectElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A page as the site serves it: its static HTML (rendered here by the same
/// renderer as at build time) with the live widgets mounted into its
/// islands, at `path` in the address bar.
struct Mounted {
    root: Element,
    apps: Vec<AppHandle<Island>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        for app in self.apps.drain(..) {
            app.destroy();
        }
        self.root.remove();
    }
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(50)).await;
}

/// Waits (up to two seconds) until `ready` holds: a loaded machine can take
/// longer than one settle to route a URL change and re-render.
async fn settle_until(ready: impl Fn() -> bool) {
    for _ in 0..100 {
        if ready() {
            return;
        }
        settle().await;
    }
}

async fn mount(path: &str) -> Mounted {
    let history = gloo::utils::window().history().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    root.set_inner_html(&render(content_for(path)).await);
    gloo::utils::body().append_child(&root).unwrap();
    let apps = mount_islands(&root);
    settle().await;
    Mounted { root, apps }
}

fn text(el: &Element, selector: &str) -> String {
    el.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector} in {}", el.inner_html()))
        .text_content()
        .unwrap_or_default()
}

fn cell(m: &Mounted, kind: &str, column: &str) -> String {
    text(&m.root, &format!("tr[data-kind=\"{kind}\"] td.{column}"))
}

#[wasm_bindgen_test]
async fn every_page_mounts_with_its_title_and_the_navigation() {
    for page in PAGES {
        let m = mount(&page.path()).await;
        assert_eq!(text(&m.root, "main h1"), page.title, "page {:?}", page.slug);
        let nav_links = m.root.query_selector_all("nav a").unwrap().length();
        assert_eq!(nav_links as usize, PAGES.len());
        let current = text(&m.root, "nav a[aria-current=\"page\"]");
        assert_eq!(current, page.nav);
    }
}

#[wasm_bindgen_test]
async fn every_widget_mounts_alone_in_its_embed_route() {
    for widget in WIDGETS {
        let m = mount(&format!("/embed/{}", widget.slug)).await;
        assert!(
            m.root.query_selector("nav").unwrap().is_none(),
            "embed has no chrome"
        );
        let main = m
            .root
            .query_selector("main.embed")
            .unwrap()
            .expect("an embed frame");
        assert_eq!(
            main.get_attribute("data-widget").as_deref(),
            Some(widget.slug)
        );
        let island = main
            .query_selector(&format!("[data-gopherscope=\"{}\"]", widget.slug))
            .unwrap()
            .expect("the widget's island");
        assert!(
            island.child_element_count() > 0 && island.query_selector("[inert]").unwrap().is_none(),
            "{} is not live",
            widget.slug
        );
        assert_eq!(text(&m.root, "h1"), widget.title);
    }
}

#[wasm_bindgen_test]
async fn unknown_routes_show_not_found_with_navigation() {
    for path in ["/no-such-page", "/embed/no-such-widget"] {
        let m = mount(path).await;
        assert_eq!(text(&m.root, "main h1"), "Page not found", "{path}");
        assert!(m.root.query_selector("nav").unwrap().is_some());
        assert!(
            text(&m.root, "main").contains("no-such"),
            "names what was asked for"
        );
    }
}

#[wasm_bindgen_test]
async fn value_table_follows_the_url_and_the_goarch_switch() {
    let m = mount("/values?goarch=386").await;
    assert_eq!(cell(&m, "string", "size"), "8");
    assert_eq!(cell(&m, "int64", "align"), "4");
    no_notice(&m);

    let select: HtmlSelectElement = m
        .root
        .query_selector("#goarch-select")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(select.value(), "386");
    select.set_value("arm64");
    fire(&select, "change");
    settle().await;
    assert_eq!(cell(&m, "string", "size"), "16");
    assert_eq!(cell(&m, "slice", "size"), "24");
    assert_eq!(cell(&m, "int64", "align"), "8");
}

#[wasm_bindgen_test]
async fn a_bad_goarch_in_the_url_shows_defaults_and_says_why() {
    let m = mount("/embed/value-table?goarch=sparc").await;
    let notice = text(&m.root, ".notice");
    assert!(notice.contains("\"sparc\""), "{notice}");
    assert!(notice.contains("amd64, arm64, 386, arm, wasm"), "{notice}");
    assert_eq!(cell(&m, "string", "size"), "16", "falls back to amd64");
}

/// Puts the checked-in data files where the widgets would fetch them from.
fn preload_data() {
    use gopherscope_web::kit::data;
    data::preload(
        data::BUILD_EXPLORER,
        include_str!("../data/build-explorer.json"),
    );
    data::preload(data::TOOLCHAIN, include_str!("../data/toolchain.json"));
}

fn choose(m: &Mounted, selector: &str, value: &str) {
    let select: HtmlSelectElement = m
        .root
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value(value);
    fire(&select, "change");
}

fn shown_build(m: &Mounted) -> String {
    m.root
        .query_selector("[data-build]")
        .unwrap()
        .and_then(|e| e.get_attribute("data-build"))
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn cgo_on_the_net_program_makes_it_dynamic_and_it_no_longer_runs_on_scratch() {
    preload_data();
    let m = mount("/embed/build-explorer?program=netserver&cgo=0").await;
    assert_eq!(shown_build(&m), "netserver.linux-amd64.cgo0.nosw.nox");
    assert!(text(&m.root, ".linking").contains("static"));
    assert!(text(&m.root, ".scratch").contains("✓ Runs on an empty scratch image"));
    no_notice(&m);

    choose(&m, "#bx-cgo", "1");
    settle().await;
    assert_eq!(shown_build(&m), "netserver.linux-amd64.cgo1.nosw.nox");
    assert!(text(&m.root, ".linking").contains("dynamic"));
    let scratch = text(&m.root, ".scratch");
    assert!(scratch.contains("✗ Does not run"), "{scratch}");
    assert!(
        scratch.contains("chroot"),
        "says it was really run: {scratch}"
    );
    assert!(text(&m.root, ".size").contains("8,681,105 bytes"));
    assert!(text(&m.root, ".narration").contains("does not run on an empty scratch image"));
}

#[wasm_bindgen_test]
async fn a_build_that_failed_shows_go_s_error() {
    preload_data();
    let m = mount("/embed/build-explorer?program=netserver&target=linux-arm64&cgo=1").await;
    assert!(text(&m.root, ".build-failed").contains("aarch64-linux-gnu-gcc"));
    assert!(m.root.query_selector(".build-facts").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_malformed_build_explorer_url_shows_a_notice_and_the_defaults() {
    preload_data();
    let m = mount("/embed/build-explorer?program=rust&cgo=maybe&strip=1").await;
    let notices = text(&m.root, ".explorer");
    assert!(
        notices.contains("There is no program \"rust\""),
        "{notices}"
    );
    assert!(notices.contains("Allowed: hello, netserver."), "{notices}");
    assert!(notices.contains("only 0 (off) and 1 (on)"), "{notices}");
    // Unset CGO_ENABLED on the machine's own target with gcc: Go picks 1.
    assert_eq!(shown_build(&m), "hello.linux-amd64.cgo1.sw.nox");
}

#[wasm_bindgen_test]
async fn the_knobs_page_lists_every_knob_and_renders_the_tool_excerpts() {
    preload_data();
    let m = mount("/knobs").await;
    let knobs = m.root.query_selector_all(".knob").unwrap().length() as usize;
    assert_eq!(knobs, gopherscope_web::app::pages::knobs::KNOBS.len());
    assert!(m.root.query_selector_all("a.try-it").unwrap().length() as usize > knobs);
    assert_eq!(
        m.root.query_selector_all("section.tool").unwrap().length(),
        6
    );
    assert!(text(&m.root, "#tool-compile pre").contains("main.sum STEXT"));
    assert!(text(&m.root, "#tool-version figcaption").contains("go1.27.3"));
}

#[wasm_bindgen_test]
fn the_panic_panel_offers_a_reload() {
    let host = gloo::utils::document().create_element("div").unwrap();
    gopherscope_web::kit::panic::show_panel(&host, "index out of range");
    assert_eq!(
        text(&host, "[role=alert] h1"),
        "Gopherscope stopped working"
    );
    assert_eq!(text(&host, "pre"), "index out of range");
    assert_eq!(text(&host, "button"), "Reload the page");
    // A listener, not an inline onclick (the site's policy blocks those).
    let button = host.query_selector("button").unwrap().unwrap();
    assert_eq!(button.get_attribute("onclick"), None);
}

/// The same seeded run gives the same event trace in the browser as
/// natively: both check the snapshot files of
/// crates/runtime-model/tests/trace_snapshots.rs.
#[wasm_bindgen_test]
fn scheduler_traces_match_the_native_snapshots() {
    use runtime_model::sched::{presets, Sim};
    for (want, preset, n, seed) in [
        (
            include_str!("../../crates/runtime-model/tests/snapshots/work-stealing-seed3.trace"),
            "work-stealing",
            24,
            3,
        ),
        (
            include_str!("../../crates/runtime-model/tests/snapshots/syscall-handoff-seed1.trace"),
            "syscall-handoff",
            4,
            1,
        ),
    ] {
        let mut config = presets::preset(preset).unwrap().config(n).unwrap();
        config.seed = seed;
        let mut sim = Sim::new(config).unwrap();
        let mut got = String::new();
        while let Some(e) = sim.step() {
            got.push_str(&e.trace_line());
            got.push('\n');
        }
        assert!(
            got == want,
            "{preset} seed {seed}: the wasm trace differs from the native snapshot"
        );
    }
}

#[wasm_bindgen_test]
async fn scheduler_widget_steps_and_refuses_a_bad_scenario_without_losing_the_run() {
    let m = mount("/embed/scheduler?preset=spawn-order&n=3&step=0").await;
    assert!(text(&m.root, ".narration").contains("Step 0"));
    let forward: web_sys::HtmlElement = m
        .root
        .query_selector("[aria-label='Step forward']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    forward.click();
    settle_until(|| text(&m.root, ".narration").contains("Step 1")).await;
    assert!(
        text(&m.root, ".narration").contains("Step 1"),
        "{}",
        text(&m.root, ".narration")
    );
    let lanes = m.root.query_selector_all(".lane").unwrap().length();
    assert_eq!(lanes, 1, "spawn-order runs with GOMAXPROCS=1");

    // A scenario with an error is refused, naming the line; the run stays.
    type_area(
        &m.root,
        "#sched-scenario",
        "gomaxprocs 4\nfunc main\n  compute -5ms\nend\n",
    );
    settle().await;
    let apply: web_sys::HtmlElement = m
        .root
        .query_selector(".scenario-editor button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    apply.click();
    settle().await;
    let alert = text(&m.root, ".scenario-editor [role=alert]");
    assert!(alert.contains("line 3"), "{alert}");
    assert!(
        text(&m.root, ".narration").contains("Step 1"),
        "the running scenario is untouched"
    );
}

/// The narration links the event's Go function, and each function on the
/// path that reached it, at the line it starts on.
#[wasm_bindgen_test]
async fn the_scheduler_narration_links_each_go_function_at_its_line() {
    use gopherscope_web::kit::link::go_line;
    use runtime_model::sched::{presets, EventKind, Sim, WaitReason};
    let config = presets::preset("spawn-order").unwrap().config(3).unwrap();
    let mut sim = Sim::new(config).unwrap();
    let park = std::iter::from_fn(|| sim.step())
        .find(|e| {
            e.kind
                == EventKind::Park {
                    reason: WaitReason::SyncWaitGroupWait,
                }
        })
        .expect("main waits for its workers");
    let m = mount(&format!(
        "/embed/scheduler?preset=spawn-order&n=3&step={}",
        park.step + 1
    ))
    .await;
    let narration = text(&m.root, ".narration");
    assert!(
        narration.contains(&format!("Step {}", park.step + 1))
            && narration.contains("reached from"),
        "{narration}"
    );
    let links = m.root.query_selector_all(".narration a").unwrap();
    let hrefs: Vec<String> = (0..links.length())
        .filter_map(|i| links.item(i))
        .filter_map(|a| a.dyn_into::<Element>().ok())
        .filter_map(|a| a.get_attribute("href"))
        .collect();
    let mut want = vec![("runtime/proc.go", "gopark")];
    want.extend(park.kind.called_from().iter().map(|&(f, file)| (file, f)));
    assert_eq!(hrefs.len(), want.len(), "{hrefs:?}");
    for (href, (file, function)) in hrefs.iter().zip(want) {
        let line = go_line(file, function).unwrap_or_else(|| panic!("{file}:{function}"));
        assert!(href.ends_with(&format!("src/{file};l={line}")), "{href}");
    }
}

/// The widget once stopped GOMAXPROCS at 64; the model and the CLI take 256.
#[wasm_bindgen_test]
async fn scheduler_widget_runs_with_up_to_256_ps() {
    let m = mount("/embed/scheduler?preset=fan-out&gomaxprocs=200").await;
    assert!(
        m.root.query_selector(".notice").unwrap().is_none(),
        "{}",
        m.root.inner_html()
    );
    let procs: HtmlSelectElement = m
        .root
        .query_selector("#sched-procs")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(procs.value(), "200");
    assert_eq!(procs.length(), 256, "the knob offers 1 to 256");
    assert_eq!(m.root.query_selector_all(".lane").unwrap().length(), 200);
}

fn type_area(el: &Element, selector: &str, value: &str) {
    let area: web_sys::HtmlTextAreaElement = el
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    area.set_value(value);
    fire(&area, "input");
}

#[wasm_bindgen_test]
async fn layout_lab_reports_errors_keeps_the_last_layout_and_applies_the_optimal_order() {
    let m = mount("/embed/layout-lab?type=T").await;
    assert!(
        text(&m.root, ".layout-summary").starts_with("T: 24 bytes"),
        "{}",
        text(&m.root, ".layout-summary")
    );

    // A syntax error: it names line and column; the last good layout stays.
    // (An undefined name is no longer one: see the whole-file test.)
    type_area(
        &m.root,
        "#layout-src",
        "type T struct {\n\ta bool\n\tb [4 int64\n}\n",
    );
    settle_until(|| text(&m.root, "#layout-error").contains("line")).await;
    let status = text(&m.root, "#layout-error");
    assert!(
        status.contains("line 3, column 7") && status.contains("expected ']'"),
        "{status}"
    );
    // The layout kept on screen is marked stale, visibly and by name.
    assert!(status.contains("stale"), "{status}");
    let result = m.root.query_selector(".layout-result").unwrap().unwrap();
    assert!(result
        .get_attribute("class")
        .unwrap_or_default()
        .contains("stale"));
    assert_eq!(
        result.get_attribute("aria-label").as_deref(),
        Some("Layout (stale: the last source that parsed)")
    );
    assert!(
        text(&m.root, ".stale-note").contains("Fix line 3"),
        "{}",
        text(&m.root, ".stale-note")
    );
    // Applying the stale order would overwrite the text being fixed.
    assert!(m
        .root
        .query_selector(".suggestion button")
        .unwrap()
        .is_none());
    assert!(text(&m.root, ".layout-summary").starts_with("T: 24 bytes"));

    // Fixed, then reordered with one click: 24 -> 16 bytes.
    type_area(
        &m.root,
        "#layout-src",
        "type T struct {\n\ta bool\n\tb int64\n\tc bool\n}\n",
    );
    settle().await;
    let apply: web_sys::HtmlElement = m
        .root
        .query_selector(".suggestion button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    apply.click();
    settle().await;
    assert!(
        text(&m.root, ".layout-summary").starts_with("T: 16 bytes"),
        "{}",
        text(&m.root, ".layout-summary")
    );
    assert!(text(&m.root, ".layout-lab").contains("already optimal"));
    // Fixed: no longer stale.
    assert!(m
        .root
        .query_selector(".layout-result.stale")
        .unwrap()
        .is_none());
    assert!(m.root.query_selector(".stale-note").unwrap().is_none());
}

fn fire(el: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

/// Types `value` into the text field `selector` as one input event.
async fn type_into(m: &Mounted, selector: &str, value: &str) {
    let input: web_sys::HtmlInputElement = m
        .root
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value(value);
    fire(&input, "input");
    settle().await;
}

async fn click(m: &Mounted, selector: &str) {
    let el: web_sys::HtmlElement = m
        .root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap();
    el.click();
    settle().await;
}

#[wasm_bindgen_test]
async fn the_allocator_rounds_33_bytes_to_class_5_and_keeps_it_through_a_bad_entry() {
    let m = mount("/embed/allocator?size=33").await;
    let summary = text(&m.root, ".alloc-summary");
    assert!(summary.contains("size class 5"), "{summary}");
    assert!(summary.contains("48 B slot, 15 B wasted"), "{summary}");
    let marked = m.root.query_selector("tr.current").unwrap().unwrap();
    assert_eq!(marked.get_attribute("data-class").as_deref(), Some("5"));
    assert!(
        text(&marked, "th").contains('▶'),
        "a text marker, not only colour"
    );

    type_into(&m, "#alloc-size", "12x").await;
    let error = text(&m.root, "#alloc-size-error");
    assert!(error.contains("\"12x\" is not allowed"), "{error}");
    assert!(error.contains("from 0 to 1099511627776"), "{error}");
    assert_eq!(
        text(&m.root, ".alloc-summary"),
        summary,
        "last good result stays"
    );
    type_into(&m, "#alloc-size", "1099511627777").await;
    assert!(text(&m.root, "#alloc-size-error").contains("out of range"));
    assert_eq!(text(&m.root, ".alloc-summary"), summary);

    type_into(&m, "#alloc-size", "8").await;
    assert_eq!(text(&m.root, "#alloc-size-error"), "");
    assert!(text(&m.root, ".alloc-summary").contains("tiny allocator"));
    click(&m, "#alloc-pointers").await;
    let summary = text(&m.root, ".alloc-summary");
    assert!(summary.contains("with pointers: size class 1"), "{summary}");
    type_into(&m, "#alloc-size", "40000").await;
    let summary = text(&m.root, ".alloc-summary");
    assert!(
        summary.contains("large object, 5 page(s) = 40960 B"),
        "{summary}"
    );
    assert!(m.root.query_selector("tr.current").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_allocator_animation_names_the_go_function_and_links_its_file() {
    let m = mount("/embed/allocator?alloc-step=1").await;
    click(&m, ".alloc-anim button[aria-label='Step forward']").await;
    settle_until(|| text(&m.root, ".alloc-anim .narration").starts_with("Step 2:")).await;
    let narration = text(&m.root, ".alloc-anim .narration");
    assert!(narration.starts_with("Step 2:"), "{narration}");
    assert!(narration.contains("mcache.refill"), "{narration}");
    let link = m
        .root
        .query_selector(".alloc-anim .narration a")
        .unwrap()
        .unwrap();
    // The link opens at the function's line, from the table generated
    // from the pinned GOROOT.
    let line = gopherscope_web::kit::link::go_line("runtime/mcache.go", "mcache.refill").unwrap();
    let href = link.get_attribute("href").unwrap();
    assert!(
        href.ends_with(&format!("src/runtime/mcache.go;l={line}")),
        "{href}"
    );
    for _ in 0..3 {
        click(&m, ".alloc-anim button[aria-label='Step forward']").await;
    }
    assert!(text(&m.root, ".tier[aria-label^=mheap]").contains("512 pages mapped"));
}

#[wasm_bindgen_test]
async fn bad_allocator_url_state_opens_the_defaults_with_a_notice() {
    let m = mount("/embed/allocator?size=-1&pointers=yes&alloc-step=9999").await;
    let notices = text(&m.root, ".alloc-widget");
    assert!(
        notices.contains("The link's size is not usable"),
        "{notices}"
    );
    assert!(notices.contains("pointers value \"yes\""), "{notices}");
    assert!(
        notices.contains("alloc-step is not a number from 0 to"),
        "{notices}"
    );
    assert!(text(&m.root, ".alloc-summary").contains("33 B without pointers"));
}

#[wasm_bindgen_test]
async fn stepping_the_stack_grows_it_from_2048_to_4096() {
    let m = mount("/embed/stack?stack-step=4").await;
    assert!(text(&m.root, ".stack-size").contains("(2048 B)"));
    click(&m, ".stack-anim button[aria-label='Step forward']").await;
    assert!(text(&m.root, ".stack-size").contains("(4096 B)"));
    let narration = text(&m.root, ".stack-anim .narration");
    assert!(
        narration.contains("newstack") && narration.contains("copystack"),
        "{narration}"
    );
    assert!(
        m.root.query_selector(".stack-bar.old").unwrap().is_some(),
        "old stack drawn beside the new"
    );

    // A bad depth says what is allowed and keeps the stack on screen.
    type_into(&m, "#stack-depth", "0").await;
    assert!(text(&m.root, "#stack-depth-error").contains("from 1 to 1000"));
    assert!(text(&m.root, ".stack-size").contains("(4096 B)"));
    // A good one restarts the run.
    type_into(&m, "#stack-frame", "4000").await;
    assert!(text(&m.root, ".stack-size").contains("(2048 B)"));
    click(&m, ".stack-anim button[aria-label='Step forward']").await;
    assert!(
        text(&m.root, ".stack-size").contains("(8192 B)"),
        "a big frame grows by more than double"
    );
}

#[wasm_bindgen_test]
async fn the_escape_catalogue_follows_the_url_and_marks_the_line() {
    let m = mount("/embed/escape?escape=pass-down").await;
    assert!(text(&m.root, "pre.verdict").contains("./main.go:4: xs does not escape"));
    assert!(text(&m.root, ".verdict-badge").contains("Stays on the stack"));
    let line = text(&m.root, ".src-line.current");
    assert!(line.contains('▶') || text(&m.root, ".src-line.current .gutter") == "▶");
    assert!(line.contains("func sum(xs *[4]int) int"), "{line}");

    let select: HtmlSelectElement = m
        .root
        .query_selector("#escape-case")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value("return-address");
    fire(&select, "change");
    settle().await;
    assert!(text(&m.root, "pre.verdict").contains("moved to heap: p"));
    assert!(text(&m.root, ".verdict-badge").contains("Heap"));

    let m = mount("/embed/escape?escape=nope").await;
    assert!(text(&m.root, ".notice").contains("no escape example \"nope\""));
}

fn select_value(m: &Mounted, selector: &str) -> String {
    m.root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into::<HtmlSelectElement>()
        .unwrap()
        .value()
}

/// Whether the pacer's gctrace panel is open, and the text it shows (the
/// rendered text: a closed panel shows only its summary).
fn gctrace_panel(m: &Mounted) -> (bool, String) {
    let details: web_sys::HtmlDetailsElement = m
        .root
        .query_selector(".gc-pacer details.gctrace-output")
        .unwrap()
        .expect("the gctrace panel")
        .dyn_into()
        .unwrap();
    (details.open(), details.inner_text())
}

#[wasm_bindgen_test]
async fn gctrace_1_opens_the_pacers_gctrace_lines() {
    let m = mount("/embed/gc-pacer?gctrace=1").await;
    let (open, shown) = gctrace_panel(&m);
    assert!(open, "gctrace=1 opens the lines");
    assert!(shown.contains("GODEBUG=gctrace=1"), "{shown}");
    assert!(shown.contains("\ngc 1 @"), "the lines are shown: {shown}");
    drop(m);

    let m = mount("/embed/gc-pacer").await;
    let (open, shown) = gctrace_panel(&m);
    assert!(!open, "closed without gctrace");
    assert!(shown.contains("GODEBUG=gctrace=1"), "{shown}");
    assert!(!shown.contains("gc 1 @"), "the lines are hidden: {shown}");
}

/// No notice about the link (the marking widget's invariant alert is a
/// `div.notice`, and stays).
fn no_notice(m: &Mounted) {
    if let Some(n) = m.root.query_selector("p.notice").unwrap() {
        panic!("a notice: {:?}", n.text_content());
    }
}

#[wasm_bindgen_test]
async fn an_old_gc_link_opens_each_widgets_preset_and_no_notice() {
    // A pacer workload: the pacer's, and the marking widget's default.
    let m = mount("/gc?preset=leak").await;
    assert_eq!(select_value(&m, "#pacer-preset"), "leak");
    assert_eq!(select_value(&m, "#gc-preset"), "hide-pointer");
    no_notice(&m);
    // A marking preset: the marking widget's, and the pacer's default.
    drop(m);
    let m = mount("/gc?preset=stack-only-pointer&barrier=none&step=9").await;
    assert_eq!(select_value(&m, "#gc-preset"), "stack-only-pointer");
    assert_eq!(select_value(&m, "#gc-barrier"), "none");
    assert!(text(&m.root, ".gc-mark .step-count").starts_with("9 / "));
    assert_eq!(select_value(&m, "#pacer-preset"), "steady");
    no_notice(&m);
    // The new keys, side by side.
    drop(m);
    let m = mount("/gc?heap=random&workload=container").await;
    assert_eq!(select_value(&m, "#gc-preset"), "random");
    assert_eq!(select_value(&m, "#pacer-preset"), "container");
    // A name that is nobody's is still the marking widget's notice.
    drop(m);
    let m = mount("/embed/gc-marking?preset=bogus").await;
    assert!(text(&m.root, ".notice").contains("There is no marking preset \"bogus\""));
}
#[wasm_bindgen_test]
async fn choosing_a_pacer_workload_on_gc_leaves_the_marking_widget_alone_and_back() {
    // Both widgets used to read `preset`: picking a workload made the
    // marking widget say there was no such preset, and the other way round.
    let m = mount("/gc").await;
    choose(&m, "#pacer-preset", "leak");
    settle_until(|| select_value(&m, "#pacer-preset") == "leak").await;
    settle().await;
    assert_eq!(select_value(&m, "#pacer-preset"), "leak");
    assert_eq!(select_value(&m, "#gc-preset"), "hide-pointer");
    no_notice(&m);
    choose(&m, "#gc-preset", "random");
    settle_until(|| select_value(&m, "#gc-preset") == "random").await;
    settle().await;
    assert_eq!(
        select_value(&m, "#pacer-preset"),
        "leak",
        "the pacer keeps its workload"
    );
    no_notice(&m);
}

/// The widget element a link lands on, or the first one of its page.
fn widget_html(m: &Mounted, slug: &str) -> String {
    m.root
        .query_selector(&format!("[id=\"{slug}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no #{slug} on the page"))
        .inner_html()
}

#[wasm_bindgen_test]
async fn every_registered_link_opens_its_widget_with_no_notice_and_changes_what_it_shows() {
    use gopherscope_web::app::{links, registry};
    preload_data();
    let all = links::registered();
    assert!(all.len() >= 30, "only {} links registered", all.len());
    for r in all {
        let Some(w) = registry::widget(&r.link.anchor) else {
            // A link to a page, or to an element of one: the page exists.
            let m = mount(&r.link.path).await;
            settle_until(|| m.root.query_selector("main h1").unwrap().is_some()).await;
            let h1 = text(&m.root, "main h1");
            assert_ne!(h1, "Page not found", "{}: {}", r.from, r.link.href());
            if !r.link.anchor.is_empty() {
                let anchor = format!("[id=\"{}\"]", r.link.anchor);
                settle_until(|| m.root.query_selector(&anchor).unwrap().is_some()).await;
                assert!(
                    !widget_html(&m, &r.link.anchor).is_empty(),
                    "{}",
                    r.link.href()
                );
            }
            continue;
        };
        let at = format!("{}?{}", r.link.path, r.link.query);
        let m = mount(&at).await;
        settle_until(|| !widget_html(&m, w.slug).contains("Loading")).await;
        let shown = widget_html(&m, w.slug);
        assert!(
            !shown.contains("class=\"notice\""),
            "{}: {at} shows a notice:\n{shown}",
            r.from
        );
        drop(m);
        if r.link.query.is_empty() {
            continue;
        }
        let bare = mount(&r.link.path).await;
        settle_until(|| !widget_html(&bare, w.slug).contains("Loading")).await;
        assert_ne!(
            widget_html(&bare, w.slug),
            shown,
            "{}: {at} shows what {} shows",
            r.from,
            r.link.path
        );
    }
}

/// A whole Go file: the lab lays out what it can and names, in one line,
/// what it read past and why.
#[wasm_bindgen_test]
async fn layout_lab_takes_a_whole_go_file_and_names_what_it_skipped() {
    let m = mount("/embed/layout-lab").await;
    type_area(
        &m.root,
        "#layout-src",
        "package p\n\nimport (\n\t\"net/http\"\n\t\"time\"\n)\n\nvar n = map[string]int{\"}\": 1}\n\ntype T struct {\n\tat time.Time\n\tr  *http.Request\n}\n\ntype H struct{ h http.Header }\n\nfunc (t *T) M() { _ = `}` }\n",
    );
    settle_until(|| text(&m.root, ".layout-summary").starts_with("T: 32")).await;
    assert!(
        text(&m.root, "#layout-error").contains("Parsed"),
        "{}",
        text(&m.root, "#layout-error")
    );
    let skipped = text(&m.root, ".layout-skipped");
    assert_eq!(
        skipped,
        "Skipped: 1 var declaration and 1 method (they declare no types); \
         type H (line 15: needs the size of http.Header, from net/http, a package the lab does not know)."
    );
}

/// The embed reads a message's data with bounded work and without letting
/// it throw: huge strings are measured, not copied; proxies, arrays and
/// objects with many keys are not read.
#[wasm_bindgen_test]
fn message_data_reads_real_js_values_with_bounded_work() {
    use gopherscope_web::kit::host::{decode_message, obj, Incoming, MessageData, Value};
    use js_sys::{Array, Function, JsString, Object, Proxy, Reflect};
    use wasm_bindgen::JsValue;

    let request = obj(&[("type", "gopherscope:request-size".into())]);
    assert_eq!(
        decode_message(&MessageData::read(&request)),
        Some(Incoming::RequestSize)
    );
    let huge: JsValue = JsString::from("x").repeat(10_000_000).into();
    assert_eq!(MessageData::read(&huge), MessageData::NotObject);
    let huge_type = obj(&[("type", huge.clone())]);
    assert_eq!(
        MessageData::read(&huge_type),
        MessageData::Object(vec![("type".to_owned(), Value::LongText)])
    );
    let huge_key = Object::new();
    Reflect::set(&huge_key, &huge, &1.into()).unwrap();
    assert_eq!(MessageData::read(&huge_key), MessageData::TooBig);
    let many = Object::new();
    for i in 0..1000 {
        Reflect::set(&many, &JsValue::from_str(&format!("k{i}")), &1.into()).unwrap();
    }
    assert_eq!(MessageData::read(&many), MessageData::TooBig);
    for not in [
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::from(42),
        JsValue::from(true),
        JsValue::from_str("gopherscope:request-size"),
        Array::of1(&request).into(),
        js_sys::Date::new_0().into(),
        Object::create(&Object::new()).into(),
    ] {
        assert_eq!(MessageData::read(&not), MessageData::NotObject, "{not:?}");
    }
    // A proxy whose every trap throws: read reports it, nothing throws.
    let throws = Function::new_no_args("throw new Error('trap')");
    let handler = Object::new();
    for trap in [
        "get",
        "ownKeys",
        "getPrototypeOf",
        "has",
        "getOwnPropertyDescriptor",
    ] {
        Reflect::set(&handler, &trap.into(), &throws).unwrap();
    }
    let proxy: JsValue = Proxy::new(&request, &handler).into();
    assert_eq!(decode_message(&MessageData::read(&proxy)), None);
    // Only the get trap throws: the keys are read, the value is not.
    let handler = obj(&[("get", throws.into())]);
    let proxy: JsValue = Proxy::new(&request, handler.unchecked_ref()).into();
    assert_eq!(
        MessageData::read(&proxy),
        MessageData::Object(vec![("type".to_owned(), Value::Other)])
    );
}
