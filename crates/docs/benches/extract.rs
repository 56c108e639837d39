//! `cargo bench -p b24-docs --bench extract -- --docs DIR`: docs → spec for a whole snapshot,
//! against the floor measured in the same run: reading every `.md` file under `api-reference/`
//! and running pulldown-cmark over it (no YFM, no extraction), on the same thread pool.
//!
//! Prints the median of several runs of each and their ratio; the machines are noisy, so only
//! the ratio is meaningful across runs. On a loaded machine wall time is unreliable even as a
//! ratio; `--only floor` / `--only extract` run one side (once, after the warm-up run) so a
//! counter such as `perf stat -e instructions` can compare the work of each.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

const RUNS: usize = 5;

// The same allocator as `cargo xtask`, for floor and extraction alike: the page model is
// allocation-heavy (many small strings and vectors), the system allocator is slow at that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let docs = docs_dir();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(docs.join("api-reference"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    match only() {
        Some(side) if side == "floor" => return once(|| floor(&files)),
        Some(side) if side == "extract" => {
            return once(|| {
                let extraction = b24_docs::extract(&docs).expect("docs");
                std::hint::black_box(extraction.spec.methods.len());
            })
        }
        Some(other) => panic!("--only takes `floor` or `extract`, not {other}"),
        None => {}
    }
    let floor = median(|| floor(&files));
    let full = median(|| {
        let extraction = b24_docs::extract(&docs).expect("docs");
        std::hint::black_box(extraction.spec.methods.len());
    });
    println!("files:        {}", files.len());
    println!("floor (read + pulldown-cmark): {:>8.1} ms", ms(floor));
    println!("docs → spec (full extraction): {:>8.1} ms", ms(full));
    println!(
        "ratio: {:.2}x the floor",
        full.as_secs_f64() / floor.as_secs_f64()
    );
}

fn floor(files: &[PathBuf]) {
    let events: usize = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            pulldown_cmark::Parser::new(&text).count()
        })
        .sum();
    std::hint::black_box(events);
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
fn once(mut run: impl FnMut()) {
    run();
    let start = Instant::now();
    run();
    println!("one run: {:.1} ms", ms(start.elapsed()));
}

fn median(mut run: impl FnMut()) -> Duration {
    run(); // warm the page cache
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
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
