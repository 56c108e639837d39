//! `cargo bench -p b24-docs --bench html`: the HTML frontend against the markdown frontend on
//! the same pages (the 400 of `../shared/html`, one page at a time), in one run; prints both
//! times and their ratio.

use std::path::{Path, PathBuf};
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn shared(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared")
            .join(default)
    })
}

fn main() {
    let html_root = shared("B24_HTML", "html");
    let docs_root = shared("B24_DOCS", "docs/b24restdocs-2026-08-21");
    let manifest = std::fs::read_to_string(html_root.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    let pages: Vec<&str> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|p| p.ends_with(".html"))
        .collect();
    let started = Instant::now();
    for page in &pages {
        std::hint::black_box(b24_docs::html::site::extract_one(&html_root, page));
    }
    let html = started.elapsed();
    let started = Instant::now();
    for page in &pages {
        let md = b24_docs::html::path::with_md_extension(page);
        std::hint::black_box(b24_docs::extract_one(&docs_root, &md));
    }
    let md = started.elapsed();
    println!("pages: {}", pages.len());
    println!("html frontend:     {:>8.1} ms", html.as_secs_f64() * 1000.0);
    println!("markdown frontend: {:>8.1} ms", md.as_secs_f64() * 1000.0);
    println!("ratio: {:.2}x", html.as_secs_f64() / md.as_secs_f64());
}
