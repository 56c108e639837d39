//! `cargo xtask openapi`: spec/ → `openapi/bitrix24.openapi.json` (see `b24_openapi`).
//! `--check` writes nothing and fails when the document is stale; `cargo xtask codegen` writes
//! (and `codegen --check` checks) it with everything else generated from the spec.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::codegen;
use crate::output_memo::Tree;
use crate::timings::Timings;

/// Arguments of `cargo xtask openapi`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec directory to read (else the committed spec/).
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// The document to write (else openapi/bitrix24.openapi.json).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Change nothing; fail if the document is stale.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: Args) -> Result<()> {
    let root = codegen::repo_root();
    let spec = b24_spec::layout::load(&args.spec.unwrap_or_else(|| root.join("spec")))?;
    let out = args.out.unwrap_or_else(|| root.join(b24_openapi::PATH));
    let applied = apply(&out, &spec, args.check)?;
    eprint!("{}", applied.log);
    let drift = applied.drift;
    if !drift.is_empty() {
        bail!("the OpenAPI document is stale; run `cargo xtask openapi` to update it:\n{drift}");
    }
    Ok(())
}

/// Writes (or, with `check`, compares) the document for `spec` at `file`; returns the drift
/// report in check mode and the lines to print.
pub fn apply(file: &Path, spec: &b24_spec::Spec, check: bool) -> Result<codegen::Applied> {
    let timings = Timings::default();
    let files = tree(file, spec, &timings)?;
    apply_tree(file, &files, check, &timings)
}

/// The document for `spec` as a tree of one file, named as `file`'s name.
pub fn tree(file: &Path, spec: &b24_spec::Spec, timings: &Timings) -> Result<Tree> {
    let Some(name) = file.file_name() else {
        bail!("{}: not a file path", file.display());
    };
    let document = timings.time("openapi: document", || b24_openapi::document(spec));
    let text = timings.time("openapi: JSON text", || b24_openapi::to_text(&document));
    // Dropping the tree of ~1M JSON values is measurable too.
    timings.time("openapi: drop document", || drop(document));
    Ok(BTreeMap::from([(PathBuf::from(name), text)]))
}

/// Writes (or, with `check`, compares) the document tree made by [`tree`] at `file`.
pub fn apply_tree(
    file: &Path,
    files: &Tree,
    check: bool,
    timings: &Timings,
) -> Result<codegen::Applied> {
    let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
        bail!("{}: not a file path", file.display());
    };
    if !check {
        std::fs::create_dir_all(dir)?;
    }
    let owned = move |path: &Path| path == Path::new(name);
    timings.time("openapi: write", || {
        codegen::apply(dir, files, &owned, check)
    })
}
