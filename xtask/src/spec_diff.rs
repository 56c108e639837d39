//! `cargo xtask spec-diff OLD NEW`: what changed for users between two specs.
//!
//! Each side is a spec directory, a docs checkout (extracted on the fly with the same frontend
//! codegen uses) or a git revision of this repository (its `spec/` at that revision). Prints the
//! markdown report (or JSON) on stdout; with `--fail-on`, exits non-zero unless every change at
//! that level is accepted in `spec/accepted-changes.txt`.

mod input;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use b24_spec_diff::{gate, report, Accepted, Level};

/// Arguments of `cargo xtask spec-diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old side: a spec directory, a docs checkout (with `api-reference/`), or a git revision.
    old: String,
    /// The new side, in the same forms.
    new: String,
    /// Output for people (markdown) or tools (json).
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Exit non-zero unless every change at this level or above is accepted.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// The accepted-changes file [default: spec/accepted-changes.txt; a missing file accepts nothing].
    #[arg(long)]
    accepted: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Err,
    Warn,
    Info,
}

impl FailOn {
    fn level(self) -> Level {
        match self {
            FailOn::Err => Level::Err,
            FailOn::Warn => Level::Warn,
            FailOn::Info => Level::Info,
        }
    }
}

/// Runs the subcommand.
pub fn run(args: Args) -> Result<()> {
    let root = crate::codegen::repo_root();
    let old = input::load(&args.old, &root).with_context(|| format!("OLD side {:?}", args.old))?;
    let new = input::load(&args.new, &root).with_context(|| format!("NEW side {:?}", args.new))?;
    let report = b24_spec_diff::diff(&old, &new);
    let accepted_path = args
        .accepted
        .unwrap_or_else(|| root.join("spec/accepted-changes.txt"));
    let accepted = read_accepted(&accepted_path)?;
    match args.format {
        Format::Markdown => print!("{}", report::markdown::render(&report, &accepted)),
        Format::Json => println!("{}", report::json::render(&report, &accepted)?),
    }
    eprintln!("{}", report.summary_line());
    match args.fail_on {
        Some(threshold) => enforce(&report, &accepted, threshold.level(), &accepted_path),
        None => Ok(()),
    }
}

fn read_accepted(path: &Path) -> Result<Accepted> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Accepted::default()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    Ok(Accepted::parse(&text, &path.display().to_string())?)
}

fn enforce(
    report: &b24_spec_diff::Report,
    accepted: &Accepted,
    threshold: Level,
    accepted_path: &Path,
) -> Result<()> {
    let outcome = gate::check(report, accepted, threshold);
    for entry in &outcome.stale {
        eprintln!(
            "stale: {}:{}: `{}` matches no change in this diff",
            accepted_path.display(),
            entry.line,
            entry.id
        );
    }
    if outcome.passed() {
        return Ok(());
    }
    eprintln!(
        "{} change(s) at {threshold} or above are not accepted; fix them, or add to {} one line each:",
        outcome.unaccepted.len(),
        accepted_path.display()
    );
    for change in &outcome.unaccepted {
        eprintln!("  {}  # <why this is fine>", change.id);
    }
    bail!("spec-diff gate failed");
}
