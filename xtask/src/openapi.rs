//! `cargo xtask openapi`: spec/ → `openapi/bitrix24.openapi.json` (see `b24_openapi`).
//! `--check` writes nothing and fails when the document is stale; `cargo xtask codegen` writes
//! (and `codegen --check` checks) it with everything else generated from the spec.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::codegen;

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
    let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
        bail!("{}: not a file path", file.display());
    };
    let name = PathBuf::from(name);
    let files = BTreeMap::from([(name.clone(), b24_openapi::render(spec))]);
    if !check {
        std::fs::create_dir_all(dir)?;
    }
    let owned = move |path: &Path| path == name;
    codegen::apply(dir, &files, &owned, check)
}
