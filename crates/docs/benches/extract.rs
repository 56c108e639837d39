//! `cargo bench -p b24-docs --bench extract -- --docs DIR`: docs → spec for a whole snapshot,
//! against the floor measured in the same run: finding every `.md` file under `api-reference/`
//! (the same sorted walk the extraction does), reading it and running pulldown-cmark over it
//! (no YFM, no extraction), on the same thread pool.
//!
//! The two sides run alternately, run after run, so a burst of load on a shared machine hits
//! both alike; the medians of each and their ratio are printed. Only the ratio is meaningful
//! across runs. The extraction's clock stops when the spec exists: tearing the spec down is not
//! part of making it (the floor keeps nothing to tear down). `--only floor` / `--only extract`
//! run one side (once, after the warm-up run) so a counter such as `perf stat -e instructions`
//! or callgrind can compare the work of each.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

const RUNS: usize = 9;

// The same allocator as `cargo xtask`, for floor and extraction alike: the page model is
// allocation-heavy (many small strings and vectors), the system allocator is slow at that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let docs = docs_dir();
    let reference = docs.join("api-reference");
    match only() {
        Some(side) if side == "floor" => return once(|| floor(&reference)),
        Some(side) if side == "extract" => return once(|| drop(extract(&docs).0)),
        Some(other) => panic!("--only takes `floor` or `extract`, not {other}"),
        None => {}
    }
    // Warm the page cache and the allocator.
    floor(&reference);
    drop(extract(&docs));
    let mut floors = Vec::with_capacity(RUNS);
    let mut extractions = Vec::with_capacity(RUNS);
    let mut files = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        files = floor(&reference);
        floors.push(start.elapsed());
        let (spec, took) = extract(&docs);
        extractions.push(took);
        drop(spec);
    }
    let (floor, full) = (median(floors), median(extractions));
    println!("files:        {files}");
    println!(
        "floor (walk + read + pulldown-cmark): {:>8.1} ms",
        ms(floor)
    );
    println!("docs → spec (full extraction):        {:>8.1} ms", ms(full));
    println!(
        "ratio: {:.2}x the floor (medians of {RUNS} alternating runs)",
        full.as_secs_f64() / floor.as_secs_f64()
    );
}

/// Finds, reads and parses every page; returns how many there were.
fn floor(reference: &Path) -> usize {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(reference)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let events: usize = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            pulldown_cmark::Parser::new(&text).count()
        })
        .sum();
    std::hint::black_box(events);
    files.len()
}

/// The whole extraction and how long it took to have the spec in hand.
fn extract(docs: &Path) -> (b24_docs::Extraction, Duration) {
    let start = Instant::now();
    let extraction = b24_docs::extract(docs).expect("docs");
    let took = start.elapsed();
    std::hint::black_box(extraction.spec.methods.len());
    (extraction, took)
}

/// The side named by `--only`, if any.
fn only() -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--only" {
            return args.next();
        }
    }
    None
}

/// One warm-up run and one measured run, for counters.
fn once<T>(mut run: impl FnMut() -> T) {
    run();
    let start = Instant::now();
    run();
    println!("one run: {:.1} ms", ms(start.elapsed()));
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn docs_dir() -> PathBuf {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--docs" {
            if let Some(dir) = args.next() {
                // `cargo bench` runs in the crate's folder; relative paths are meant from the
                // workspace root, where the command was typed.
                let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
                let dir = PathBuf::from(dir);
                return if dir.is_relative() {
                    workspace.join(dir)
                } else {
                    dir
                };
            }
        }
    }
    std::env::var_os("B24_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/docs/b24restdocs-2026-08-21")
        })
}
