//! `gopherscope-prerender DIST`: writes every page, every embed and the
//! not-found page of the site as static HTML into `DIST`, using Trunk's
//! `DIST/index.html` as the template (it carries the CSS, the wasm loader
//! and the preload). Run by `cargo xtask build` after Trunk.
//!
//! The data files in `DIST/data/` are read first, so that what a page shows
//! from them (the knobs page's tool excerpts) is in its HTML.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gopherscope_web::app::prerender::{documents, fill, sitemap};
use gopherscope_web::kit::data;

fn main() -> ExitCode {
    let Some(dist) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!(
            "usage: gopherscope-prerender DIST (the folder Trunk built, with its index.html)"
        );
        return ExitCode::from(2);
    };
    match run(&dist) {
        Ok(n) => {
            println!("wrote {n} static documents into {}", dist.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gopherscope-prerender: {e}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn run(dist: &Path) -> Result<usize, String> {
    // Trunk's own index.html, kept aside so that a second run still has it.
    let kept = dist.join("template.html");
    let template = match read(&kept) {
        Ok(t) => t,
        Err(_) => {
            let t = read(&dist.join("index.html"))?;
            write(&kept, &t)?;
            t
        }
    };
    for url in [data::TOOLCHAIN, data::BUILD_EXPLORER] {
        let file = dist.join(url.trim_start_matches('/'));
        data::preload(url, &read(&file)?);
    }
    let docs = documents();
    for doc in &docs {
        write(&dist.join(&doc.file), &fill(&template, doc)?)?;
    }
    std::fs::remove_file(&kept).ok();
    // Crawlers: every page, at the address the site is served from (the
    // sitemap protocol wants absolute addresses; `GOPHERSCOPE_ORIGIN`
    // names it, http://127.0.0.1:8080 as `cargo xtask serve` serves it).
    let origin =
        std::env::var("GOPHERSCOPE_ORIGIN").unwrap_or_else(|_| "http://127.0.0.1:8080".to_owned());
    write(&dist.join("sitemap.xml"), &sitemap(&origin))?;
    write(
        &dist.join("robots.txt"),
        &format!("User-agent: *\nAllow: /\n\nSitemap: {origin}/sitemap.xml\n"),
    )?;
    Ok(docs.len())
}
