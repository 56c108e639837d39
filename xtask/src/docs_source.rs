//! Where the docs come from: `--docs PATH` or the `B24_DOCS` environment variable, and what
//! they are written in: `--format md|html|text`, or detected from the files there. PATH may be
//! a docs folder or a single page file.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use b24_docs::Format;

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

/// Parses a `--format` value (for clap).
pub fn parse_format(value: &str) -> Result<Format, String> {
    Format::parse(value).ok_or_else(|| format!("`{value}` is not a docs format (md, html, text)"))
}

/// The format given, else the one detected at `docs`.
pub fn format(docs: &Path, given: Option<Format>) -> Result<Format> {
    if let Some(format) = given {
        return Ok(format);
    }
    match b24_docs::detect_format(docs) {
        Some(format) => Ok(format),
        None => bail!(
            "{}: no markdown, HTML or text pages found; pass --format md|html|text",
            docs.display()
        ),
    }
}

/// The spec a text copy's lost error codes are recovered from and its methods placed by: the
/// committed one, when it loads.
pub fn known_spec(format: Format, spec_dir: &Path) -> Option<b24_spec::Spec> {
    (format == Format::Text)
        .then(|| b24_spec::layout::load(spec_dir).ok())
        .flatten()
}
