//! `cargo xtask codegen`: docs → spec/ (when a docs checkout is given) → generated/ and the
//! OpenAPI document.
//!
//! Without `--docs`/`B24_DOCS` the committed spec/ is validated and everything downstream is
//! regenerated from it, which is what a fresh clone can do. `--check` writes nothing and fails
//! naming every stale or orphan file.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

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
    let mut drift = String::new();
    let spec = match docs_source::resolve(args.docs.clone())? {
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
            print_changes(&spec_dir, &extraction.spec);
            let files = extract::spec_files(&extraction.spec)?;
            drift.push_str(&apply(
                &spec_dir,
                &files,
                &extract::is_spec_file,
                args.check,
            )?);
            extraction.spec
        }
        None => {
            let spec = b24_spec::layout::load(&spec_dir)?;
            refuse_invalid(&spec)?;
            eprintln!(
                "spec/: {} methods, {} events, valid",
                spec.methods.len(),
                spec.events.len()
            );
            spec
        }
    };
    if args.out.is_none() {
        let (files, typing) = b24_emit::generate_reported(&spec)?;
        eprintln!("typing: {typing}");
        drift.push_str(&apply(
            &root.join("generated"),
            &files,
            &b24_emit::is_generated_path,
            args.check,
        )?);
        let document = root.join(b24_openapi::PATH);
        drift.push_str(&crate::openapi::apply(&document, &spec, args.check)?);
    }
    if !drift.is_empty() {
        bail!("generated files are stale; run `cargo xtask codegen` to update them:\n{drift}");
    }
    Ok(())
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
/// currently on disk (skipped when there is none yet or it does not load).
fn print_changes(spec_dir: &Path, new: &b24_spec::Spec) {
    if let Ok(old) = b24_spec::layout::load(spec_dir) {
        let report = b24_spec_diff::diff(&old, new);
        eprintln!(
            "changes against {}: {}",
            spec_dir.display(),
            b24_spec_diff::summary_line(&report)
        );
    }
}

/// Writes (or, with `check`, compares) one generated tree; returns the drift report in check
/// mode.
pub(crate) fn apply(
    dir: &Path,
    files: &std::collections::BTreeMap<PathBuf, String>,
    owned: &dyn Fn(&Path) -> bool,
    check: bool,
) -> Result<String> {
    if check {
        let drift = sync::diff(dir, files, owned)?;
        return Ok(drift.describe(dir));
    }
    let drift = sync::write(dir, files, owned)?;
    if drift.is_clean() {
        eprintln!("{}: {} files, up to date", dir.display(), files.len());
        return Ok(String::new());
    }
    eprintln!(
        "{}: {} files, {} written, {} removed",
        dir.display(),
        files.len(),
        drift.stale.len(),
        drift.orphans.len()
    );
    for path in &drift.foreign {
        eprintln!(
            "warning: {} was not written by codegen; left alone",
            dir.join(path).display()
        );
    }
    Ok(String::new())
}
