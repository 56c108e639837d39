//! `cargo xtask codegen`: docs → spec/ (when a docs checkout is given) → generated/ and the
//! OpenAPI document.
//!
//! Without `--docs`/`B24_DOCS` the committed spec/ is validated and everything downstream is
//! regenerated from it, which is what a fresh clone can do. `--check` writes nothing and fails
//! naming every stale or orphan file.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::format_cache::DiskCache;
use crate::{docs_source, extract, sync};

/// Arguments of `cargo xtask codegen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The docs checkout to extract (else `B24_DOCS`; else use the committed spec/).
    #[arg(long)]
    pub docs: Option<PathBuf>,
    /// Write the spec here instead of spec/ (and skip generated/). Required for a single page.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// What the docs are written in: md, html or text (else detected from the files).
    #[arg(long, value_parser = docs_source::parse_format)]
    pub format: Option<b24_docs::Format>,
    /// Change nothing; fail if anything generated is stale.
    #[arg(long)]
    pub check: bool,
    /// Print every diagnostic, not only the summary.
    #[arg(long, short)]
    pub verbose: bool,
    /// Format every generated file, ignoring the cache of earlier runs
    /// (`target/codegen-cache/`).
    #[arg(long)]
    pub no_format_cache: bool,
}

/// The repository root (xtask lives one level below it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default()
}

pub fn run(args: Args) -> Result<()> {
    let root = repo_root();
    let spec_dir = args.out.clone().unwrap_or_else(|| root.join("spec"));
    let (spec, extracted) = match docs_source::resolve(args.docs.clone())? {
        Some(docs) => {
            if docs.is_file() && args.out.is_none() {
                bail!(
                    "{}: one page makes a partial spec; pass --out DIR so spec/ is not replaced",
                    docs.display()
                );
            }
            let format = docs_source::format(&docs, args.format)?;
            let known = docs_source::known_spec(format, &root.join("spec"));
            let mut extraction = extract::extract(&docs, format, known.as_ref(), args.verbose)?;
            let full_spec = args.out.is_none();
            extract::apply_patches(&mut extraction.spec, &root.join("spec"), full_spec)?;
            // An invalid spec is never written: it would break the next plain `codegen`, and
            // half-written output is worse than none. Nothing on disk has changed yet.
            refuse_invalid(&extraction.spec)?;
            (extraction.spec, true)
        }
        None => {
            let spec = b24_spec::layout::load(&spec_dir)?;
            refuse_invalid(&spec)?;
            eprintln!(
                "spec/: {} methods, {} events, valid",
                spec.methods.len(),
                spec.events.len()
            );
            (spec, false)
        }
    };
    // The spec files, the generated crate and the OpenAPI document depend on the spec alone:
    // they are made and written side by side, and their reports printed in this order.
    let outputs = std::thread::scope(|scope| {
        let spec_side = extracted.then(|| scope.spawn(|| write_spec(&spec_dir, &spec, args.check)));
        let openapi = args.out.is_none().then(|| {
            scope.spawn(|| crate::openapi::apply(&root.join(b24_openapi::PATH), &spec, args.check))
        });
        let generated = args
            .out
            .is_none()
            .then(|| write_generated(&root, &spec, &args));
        [spec_side.map(join), generated, openapi.map(join)]
    });
    let mut drift = String::new();
    for output in outputs.into_iter().flatten() {
        let applied = output?;
        eprint!("{}", applied.log);
        drift.push_str(&applied.drift);
    }
    if !drift.is_empty() {
        bail!("generated files are stale; run `cargo xtask codegen` to update them:\n{drift}");
    }
    Ok(())
}

/// A writer thread's result; a panic becomes an error.
fn join(handle: std::thread::ScopedJoinHandle<'_, Result<Applied>>) -> Result<Applied> {
    handle
        .join()
        .unwrap_or_else(|_| Err(anyhow::anyhow!("a codegen writer thread panicked")))
}

/// Writes (or checks) spec/ for a freshly extracted spec, saying first what it changes.
fn write_spec(spec_dir: &Path, spec: &b24_spec::Spec, check: bool) -> Result<Applied> {
    let files = extract::spec_files(spec)?;
    let drift = sync::diff(spec_dir, &files, extract::is_spec_file)?;
    // Files identical to the ones on disk (none stale, orphaned or foreign) load as this very
    // spec: there is nothing to compare, and loading 1,700 YAML files to say so is a third of
    // a warm run.
    let mut log = if drift.is_clean() {
        format!(
            "changes against {}: spec changes: none\n",
            spec_dir.display()
        )
    } else {
        changes(spec_dir, spec)
    };
    let mut applied = apply(spec_dir, &files, &extract::is_spec_file, check)?;
    log.push_str(&applied.log);
    applied.log = log;
    Ok(applied)
}

/// Generates the crate and writes (or checks) generated/, with the typing report.
fn write_generated(root: &Path, spec: &b24_spec::Spec, args: &Args) -> Result<Applied> {
    let disk = (!args.no_format_cache)
        .then(|| DiskCache::open(&target_dir(root).join("codegen-cache")))
        .flatten();
    let cache: &dyn b24_emit::FormatCache = match &disk {
        Some(disk) => disk,
        None => &b24_emit::NoCache,
    };
    let (files, typing) = b24_emit::generate_reported(spec, cache)?;
    let mut applied = apply(
        &root.join("generated"),
        &files,
        &b24_emit::is_generated_path,
        args.check,
    )?;
    applied.log = format!("typing: {typing}\n{}", applied.log);
    Ok(applied)
}

/// Cargo's target directory: `CARGO_TARGET_DIR`, else `target/` in the repository.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// Fails, listing every issue, when `spec` does not pass validation.
fn refuse_invalid(spec: &b24_spec::Spec) -> Result<()> {
    let issues = b24_spec::validate::validate(spec);
    if issues.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    bail!(
        "the spec is invalid; nothing was written:\n{}",
        list.join("\n")
    )
}

/// Tells the maintainer at once what the new spec changes for users, against the spec
/// currently on disk (nothing when there is none yet or it does not load).
fn changes(spec_dir: &Path, new: &b24_spec::Spec) -> String {
    match b24_spec::layout::load(spec_dir) {
        Ok(old) => format!(
            "changes against {}: {}\n",
            spec_dir.display(),
            b24_spec_diff::summary_line(&b24_spec_diff::diff(&old, new))
        ),
        Err(_) => String::new(),
    }
}

/// What writing (or checking) one generated tree found: the drift report in check mode, and
/// the lines to print.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    pub drift: String,
    pub log: String,
}

/// Writes (or, with `check`, compares) one generated tree; returns the drift report in check
/// mode and the lines to print.
pub(crate) fn apply(
    dir: &Path,
    files: &std::collections::BTreeMap<PathBuf, String>,
    owned: &dyn Fn(&Path) -> bool,
    check: bool,
) -> Result<Applied> {
    if check {
        let drift = sync::diff(dir, files, owned)?;
        return Ok(Applied {
            drift: drift.describe(dir),
            log: String::new(),
        });
    }
    let drift = sync::write(dir, files, owned)?;
    if drift.is_clean() {
        return Ok(Applied {
            drift: String::new(),
            log: format!("{}: {} files, up to date\n", dir.display(), files.len()),
        });
    }
    let mut log = format!(
        "{}: {} files, {} written, {} removed\n",
        dir.display(),
        files.len(),
        drift.stale.len(),
        drift.orphans.len()
    );
    for path in &drift.foreign {
        log.push_str(&format!(
            "warning: {} was not written by codegen; left alone\n",
            dir.join(path).display()
        ));
    }
    Ok(Applied {
        drift: String::new(),
        log,
    })
}
