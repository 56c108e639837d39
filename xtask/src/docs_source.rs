//! Where the docs come from: `--docs DIR` or the `B24_DOCS` environment variable.

use std::path::PathBuf;

use anyhow::{bail, Result};

/// The docs checkout named on the command line or in `B24_DOCS`, if any.
pub fn resolve(arg: Option<PathBuf>) -> Result<Option<PathBuf>> {
    let path = arg.or_else(|| {
        std::env::var_os("B24_DOCS")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    match path {
        Some(p) if !p.exists() => bail!("{}: docs directory does not exist", p.display()),
        other => Ok(other),
    }
}
