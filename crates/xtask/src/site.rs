//! The static site around Trunk's build: the pages written as HTML
//! (`gopherscope-prerender`), every text file precompressed, and a small
//! static server for `cargo xtask serve` and the benchmarks.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::tools::Env;
use crate::{root, run, step};

/// Files worth compressing: what a browser fetches as text, and the wasm.
const COMPRESSIBLE: [&str; 8] = ["html", "css", "js", "wasm", "json", "svg", "xml", "txt"];

/// Writes every page, embed and the not-found page into `dist` from
/// Trunk's `index.html`, with the same cargo settings as the rest of the
/// build (the native debug profile the unit tests already compiled).
pub fn prerender(dist: &Path) -> Result<(), String> {
    step("Writing the pages as static HTML (gopherscope-prerender)");
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "run",
                "--quiet",
                "-p",
                "gopherscope-web",
                "--bin",
                "gopherscope-prerender",
                "--",
            ])
            .arg(dist)
            .current_dir(root()),
    )
}

/// Writes `dist/sw.js` from `web/sw.js`: the service worker that caches
/// the whole site on the first visit, with the list of files to cache and
/// a version that changes whenever any of them does.
pub fn service_worker(dist: &Path) -> Result<(), String> {
    let template = std::fs::read_to_string(root().join("web/sw.js"))
        .map_err(|e| format!("cannot read web/sw.js: {e}"))?;
    // The site's pages and what they load; the embeds' own lean bundles
    // are for course pages, which do not install the worker.
    let mut wanted_code = Vec::new();
    for path in files(dist) {
        let name = path
            .strip_prefix(dist)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        if extension(&path) == "html" && !name.starts_with("embed") {
            let html = std::fs::read_to_string(&path).unwrap_or_default();
            if let Some((js, wasm)) = loader_of(&html) {
                wanted_code.extend([js, wasm]);
            }
            wanted_code.extend(start_script_of(&html));
        }
    }
    let mut urls = Vec::new();
    let mut version: u64 = 0xcbf2_9ce4_8422_2325;
    for path in files(dist) {
        let name = path
            .strip_prefix(dist)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let code = matches!(extension(&path), "js" | "wasm") && name != "embed.js";
        let skip = name.ends_with(".gz")
            || name.ends_with(".br")
            || name == "sw.js"
            || name == "template.html"
            || name.starts_with("course-example.")
            || (code && !wanted_code.contains(&format!("/{name}")));
        if skip {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {name}: {e}"))?;
        // FNV-1a over names and contents: any change makes a new cache.
        for b in name.bytes().chain(bytes) {
            version = (version ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        let url = match name.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{name}"),
        };
        urls.push(format!("{url:?}"));
    }
    let sw = template
        .replace("__VERSION__", &format!("{version:016x}"))
        .replace("__PRECACHE__", &format!("[\n  {}\n]", urls.join(",\n  ")));
    std::fs::write(dist.join("sw.js"), sw).map_err(|e| format!("cannot write dist/sw.js: {e}"))
}

/// The widgets a document mounts: its islands' `data-gopherscope` slugs,
/// sorted.
fn islands_of(html: &str) -> Vec<String> {
    let mut slugs: Vec<String> = html
        .split("data-gopherscope=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    slugs.sort();
    slugs.dedup();
    slugs
}

/// The value of the first `name="…"` attribute in `html`.
fn attribute(html: &str, name: &str) -> Option<String> {
    let open = format!(" {name}=\"");
    let start = html.find(&open)? + open.len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].to_owned())
}

/// The `/name.js` and `/name_bg.wasm` the loader in `html` starts (the
/// `data-module` and `data-wasm` of its `<script data-gopherscope-loader>`,
/// which `gopherscope-prerender` writes).
fn loader_of(html: &str) -> Option<(String, String)> {
    Some((
        attribute(html, "data-module")?,
        attribute(html, "data-wasm")?,
    ))
}

/// The loader script itself (`web/start.js`, under Trunk's hashed name).
fn start_script_of(html: &str) -> Option<String> {
    let at = html.find("data-gopherscope-loader")?;
    let tag = &html[html[..at].rfind("<script")?..];
    attribute(&tag[..tag.find('>')?], "src")
}

/// `sha384-…` of `bytes`, as Trunk writes `integrity` attributes.
fn integrity(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// A short, stable name part for a file's content.
fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h = (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Where the build keeps its intermediate files.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// A wasm bundle: its base name (`/NAME.js`, `/NAME_bg.wasm`), the
/// wasm-bindgen script and the optimised wasm.
struct Bundle {
    name: String,
    js: Vec<u8>,
    wasm: Vec<u8>,
}

/// Builds the release wasm with `features` only, runs wasm-bindgen and
/// `wasm-opt -Oz` as Trunk does, and names it `gopherscope-{label}-HASH`.
fn build_bundle(env: &Env, features: &[String], label: &str) -> Result<Bundle, String> {
    let target = target_dir();
    let work = target.join("lean-bundles");
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "build",
                "--quiet",
                "--release",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .args([
                "-p",
                "gopherscope-web",
                "--bin",
                "gopherscope-web",
                "--no-default-features",
            ])
            .args(["--features", &features.join(",")])
            .current_dir(root()),
    )?;
    std::fs::remove_dir_all(&work).ok();
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    run(env
        .command("wasm-bindgen")
        .args(["--target=web", "--no-typescript", "--out-name=lean"])
        .arg(format!("--out-dir={}", work.display()))
        .arg(target.join("wasm32-unknown-unknown/release/gopherscope-web.wasm")))?;
    run(env
        .command("wasm-opt")
        .arg("-Oz")
        .arg(format!("--output={}", work.join("opt.wasm").display()))
        .arg(work.join("lean_bg.wasm")))?;
    let read =
        |p: PathBuf| std::fs::read(&p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let (js, wasm) = (read(work.join("lean.js"))?, read(work.join("opt.wasm"))?);
    let hash = content_hash(&[&js[..], &wasm].concat());
    Ok(Bundle {
        name: format!("gopherscope-{label}-{}", &hash[..12]),
        js,
        wasm,
    })
}

impl Bundle {
    /// Writes the bundle's two files into `dir`.
    fn write(&self, dir: &Path) -> Result<(), String> {
        for (file, bytes) in [
            (format!("{}.js", self.name), &self.js),
            (format!("{}_bg.wasm", self.name), &self.wasm),
        ] {
            std::fs::write(dir.join(&file), bytes)
                .map_err(|e| format!("cannot write {file}: {e}"))?;
        }
        Ok(())
    }

    /// `html` with its loader pointed at this bundle, with the integrity of
    /// both files.
    fn point_loader(&self, html: &str) -> Result<String, String> {
        let (old_js, old_wasm) = loader_of(html).ok_or("a document lost its loader")?;
        let mut html = html
            .replace(
                &format!(" data-module=\"{old_js}\""),
                &format!(" data-module=\"/{}.js\"", self.name),
            )
            .replace(
                &format!(" data-wasm=\"{old_wasm}\""),
                &format!(" data-wasm=\"/{}_bg.wasm\"", self.name),
            );
        for (attr, bytes) in [
            ("data-module-integrity", &self.js),
            ("data-wasm-integrity", &self.wasm),
        ] {
            let value = format!(" {attr}=\"{}\"", integrity(bytes));
            match attribute(&html, attr) {
                Some(old) => html = html.replace(&format!(" {attr}=\"{old}\""), &value),
                None => {
                    let at = html
                        .find(" data-gopherscope-loader")
                        .ok_or("a document lost its loader")?;
                    html.insert_str(at, &value);
                }
            }
        }
        Ok(html)
    }
}

/// The documents of `dist` that start a wasm, by the widgets they mount.
fn documents_by_widgets(
    dist: &Path,
) -> Result<std::collections::BTreeMap<Vec<String>, Vec<PathBuf>>, String> {
    let mut sets: std::collections::BTreeMap<Vec<String>, Vec<PathBuf>> = Default::default();
    for path in files(dist) {
        if extension(&path) != "html" || path.ends_with("course-example.html") {
            continue;
        }
        let html = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if loader_of(&html).is_some() {
            sets.entry(islands_of(&html)).or_default().push(path);
        }
    }
    Ok(sets)
}

/// Lean wasm: each document loads a build with only the widgets it mounts.
///
/// Trunk builds the wasm with no widget at all (the island glue, for the
/// not-found page). Then, for every distinct set of widgets a document
/// mounts (one for each embed, one for each page), this builds the wasm
/// with just those widgets' registry entries (`--features widget-<slug>`;
/// the linker drops every other widget), runs wasm-bindgen and `wasm-opt
/// -Oz` as Trunk does, and points the documents' loader and its integrity
/// at it. Returns the bundles' file names, by widget set.
pub fn lean_bundles(env: &Env, dist: &Path) -> Result<Vec<(Vec<String>, String)>, String> {
    let mut built = Vec::new();
    // For a quick look while working on a few widgets:
    // GOPHERSCOPE_LEAN_ONLY=trace,scheduler builds only the sets made of
    // those (the other documents keep Trunk's wasm, which mounts nothing).
    let only = std::env::var("GOPHERSCOPE_LEAN_ONLY").ok();
    for (widgets, docs) in &documents_by_widgets(dist)? {
        if widgets.is_empty() {
            continue;
        }
        if let Some(only) = &only {
            if !widgets.iter().all(|w| only.split(',').any(|o| o == w)) {
                continue;
            }
        }
        step(&format!(
            "Lean wasm for {} ({} documents)",
            widgets.join("+"),
            docs.len()
        ));
        let features: Vec<String> = widgets.iter().map(|w| format!("widget-{w}")).collect();
        let label = if widgets.len() == 1 {
            widgets[0].clone()
        } else {
            widgets.len().to_string()
        };
        let bundle = build_bundle(env, &features, &label)?;
        bundle.write(dist)?;
        for doc in docs {
            let html = std::fs::read_to_string(doc)
                .map_err(|e| format!("cannot read {}: {e}", doc.display()))?;
            std::fs::write(doc, bundle.point_loader(&html)?)
                .map_err(|e| format!("cannot write {}: {e}", doc.display()))?;
        }
        built.push((widgets.clone(), bundle.name));
    }
    Ok(built)
}

/// The widget set of the panic-probe site: a page with two widgets, and
/// the embed of one of them.
const PROBE_PAGE: &str = "memory/index.html";
const PROBE_EMBED: &str = "embed/allocator/index.html";

/// A test-only copy of one page and one embed of `dist` whose wasm is the
/// release build with the `panic-probe` feature (`?gopherscope-panic=1`
/// panics), written to `$CARGO_TARGET_DIR/panic-probe/` for the e2e tests
/// of the panic panel (`GOPHERSCOPE_PROBE`). It never goes into `dist/`:
/// the site's own bundles are built without the feature, and an e2e test
/// checks that they ignore the query. Returns the folder.
pub fn panic_probe(env: &Env, dist: &Path) -> Result<PathBuf, String> {
    let out = target_dir().join("panic-probe");
    std::fs::remove_dir_all(&out).ok();
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    let page = read(&dist.join(PROBE_PAGE))?;
    let widgets = islands_of(&page);
    step(&format!(
        "Panic-probe wasm for {} (test only, into {})",
        widgets.join("+"),
        out.display()
    ));
    let mut features: Vec<String> = widgets.iter().map(|w| format!("widget-{w}")).collect();
    features.push("panic-probe".to_owned());
    let bundle = build_bundle(env, &features, "probe")?;
    // What the two documents load besides the bundle: the CSS, the loader,
    // the icon.
    for file in files(dist) {
        let name = file.strip_prefix(dist).unwrap_or(&file);
        let top = name.components().count() == 1;
        let file_name = name.to_string_lossy();
        let site_file = (file_name.starts_with("style-") && file_name.ends_with(".css"))
            || file_name == "favicon.svg";
        let wanted = (top && site_file)
            || start_script_of(&page).is_some_and(|s| name == Path::new(s.trim_start_matches('/')));
        if wanted {
            std::fs::create_dir_all(&out)
                .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
            std::fs::copy(&file, out.join(name))
                .map_err(|e| format!("cannot copy {}: {e}", file.display()))?;
        }
    }
    for doc in [PROBE_PAGE, PROBE_EMBED] {
        let html = bundle.point_loader(&read(&dist.join(doc))?)?;
        let to = out.join(doc);
        std::fs::create_dir_all(to.parent().unwrap_or(&out))
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        std::fs::write(&to, html).map_err(|e| format!("cannot write {}: {e}", to.display()))?;
    }
    bundle.write(&out)?;
    std::fs::copy(dist.join("404.html"), out.join("404.html"))
        .map_err(|e| format!("cannot copy 404.html: {e}"))?;
    Ok(out)
}

/// Every file under `dir`, recursively.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn extension(path: &Path) -> &str {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes).expect("writing to a Vec cannot fail");
    enc.finish().expect("finishing a Vec cannot fail")
}

pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
        .expect("compressing into a Vec cannot fail");
    out
}

/// Writes `FILE.gz` and `FILE.br` next to every compressible file, for
/// hosts that serve precompressed files (and for [`serve`]).
pub fn precompress(dist: &Path) -> Result<usize, String> {
    step("Precompressing (gzip and brotli next to each file)");
    let mut n = 0;
    for path in files(dist) {
        if !COMPRESSIBLE.contains(&extension(&path)) {
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for (suffix, packed) in [("gz", gzip(&bytes)), ("br", brotli(&bytes))] {
            let mut name = path.clone().into_os_string();
            name.push(".");
            name.push(suffix);
            std::fs::write(&name, packed)
                .map_err(|e| format!("cannot write {}: {e}", PathBuf::from(&name).display()))?;
        }
        n += 1;
    }
    println!("{n} files precompressed");
    Ok(n)
}

/// The Content Security Policy the site works under, sent with every
/// response (the README gives it to people who host the site themselves;
/// the e2e harness sends the same and checks every page and embed under
/// it). No `frame-ancestors`: anyone may embed the widgets.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

fn content_type(path: &Path) -> &'static str {
    match extension(path) {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The file for a request path: the file itself, a folder's `index.html`,
/// or `None` (the not-found page answers with 404).
pub fn resolve(dist: &Path, path: &str) -> Option<PathBuf> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    if path.split('/').any(|part| part == "..") {
        return None;
    }
    let file = dist.join(path.trim_start_matches('/'));
    if file.is_file() {
        return Some(file);
    }
    let index = file.join("index.html");
    index.is_file().then_some(index)
}

fn answer(dist: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let mut accepts = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("accept-encoding") {
                accepts = value.trim().to_owned();
            }
        }
    }
    let mut parts = request.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or("/");
    let (status, file) = match resolve(dist, target) {
        Some(f) => ("200 OK", f),
        None => ("404 Not Found", dist.join("404.html")),
    };
    let mut encoding = None;
    let mut body = std::fs::read(&file).unwrap_or_default();
    for (name, suffix) in [("br", "br"), ("gzip", "gz")] {
        if accepts.split(',').any(|a| a.trim().starts_with(name)) {
            let mut packed = file.clone().into_os_string();
            packed.push(".");
            packed.push(suffix);
            if let Ok(b) = std::fs::read(&packed) {
                body = b;
                encoding = Some(name);
                break;
            }
        }
    }
    let mut head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {}\r\ncontent-length: {}\r\ncache-control: no-cache\r\ncontent-security-policy: {CSP}\r\nconnection: close\r\n",
        content_type(&file),
        body.len()
    );
    if let Some(e) = encoding {
        head.push_str(&format!(
            "content-encoding: {e}\r\nvary: accept-encoding\r\n"
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// Serves `dist` on `address` until the process is stopped: files as they
/// are (precompressed when the browser accepts it), folders by their
/// `index.html`, anything else with the not-found page and status 404.
pub fn serve(dist: &Path, address: &str) -> Result<(), String> {
    let listener =
        TcpListener::bind(address).map_err(|e| format!("cannot listen on {address}: {e}"))?;
    for stream in listener.incoming().flatten() {
        let dist = dist.to_path_buf();
        std::thread::spawn(move || {
            answer(&dist, stream).ok();
        });
    }
    Ok(())
}

/// Serves `dist` on a free loopback port in the background (for the
/// benchmarks); returns the base URL.
pub fn serve_in_background(dist: &Path) -> Result<String, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen on loopback: {e}"))?;
    let url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let dist = dist.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dist = dist.clone();
            std::thread::spawn(move || {
                answer(&dist, stream).ok();
            });
        }
    });
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_to_files_folders_or_nothing() {
        let dir = std::env::temp_dir().join(format!("xtask-site-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("gc")).unwrap();
        std::fs::write(dir.join("gc/index.html"), "gc").unwrap();
        std::fs::write(dir.join("style.css"), "x").unwrap();
        assert_eq!(
            resolve(&dir, "/gc?heap=leak"),
            Some(dir.join("gc/index.html"))
        );
        assert_eq!(resolve(&dir, "/gc/"), Some(dir.join("gc/index.html")));
        assert_eq!(resolve(&dir, "/style.css"), Some(dir.join("style.css")));
        assert_eq!(resolve(&dir, "/nope"), None);
        assert_eq!(resolve(&dir, "/../etc/passwd"), None);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_server_sends_the_strict_policy_and_no_framing_limit() {
        let dir = std::env::temp_dir().join(format!("xtask-csp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<h1>x</h1>").unwrap();
        std::fs::write(dir.join("404.html"), "<h1>nope</h1>").unwrap();
        let url = serve_in_background(&dir).unwrap();
        for path in ["/", "/nope"] {
            let mut stream = TcpStream::connect(url.trim_start_matches("http://")).unwrap();
            write!(stream, "GET {path} HTTP/1.1\r\nhost: x\r\n\r\n").unwrap();
            let mut answer = String::new();
            std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
            let head = answer
                .split("\r\n\r\n")
                .next()
                .unwrap()
                .to_ascii_lowercase();
            assert!(
                head.contains(&format!("content-security-policy: {CSP}")),
                "{head}"
            );
            assert!(!head.contains("x-frame-options") && !head.contains("frame-ancestors"));
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_bundle_points_the_loader_at_itself_with_its_integrity() {
        let html = "<script src=\"/start-1.js\" data-gopherscope-loader data-module=\"/a.js\" data-module-integrity=\"sha384-old\" data-wasm=\"/a_bg.wasm\" defer></script>";
        assert_eq!(start_script_of(html).as_deref(), Some("/start-1.js"));
        let bundle = Bundle {
            name: "gopherscope-x-1".to_owned(),
            js: b"js".to_vec(),
            wasm: b"wasm".to_vec(),
        };
        let out = bundle.point_loader(html).unwrap();
        assert_eq!(
            loader_of(&out),
            Some((
                "/gopherscope-x-1.js".to_owned(),
                "/gopherscope-x-1_bg.wasm".to_owned()
            ))
        );
        assert_eq!(
            attribute(&out, "data-module-integrity"),
            Some(integrity(b"js"))
        );
        assert_eq!(
            attribute(&out, "data-wasm-integrity"),
            Some(integrity(b"wasm"))
        );
        assert!(!out.contains("sha384-old"), "{out}");
    }

    #[test]
    fn both_encodings_round_trip_in_size_order() {
        let text = "the quick brown fox ".repeat(500);
        let (gz, br) = (gzip(text.as_bytes()), brotli(text.as_bytes()));
        assert!(br.len() <= gz.len() && gz.len() < text.len());
    }
}
