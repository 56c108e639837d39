//! `cargo xtask examples`: runs the generated crate's strict example gate and writes its
//! per-method table (every documented request and response example: pass, patched, doc defect
//! or failing) to a file, then prints the summary line.
//!
//! The gate itself is `generated/tests/examples.rs`; this command only runs it with
//! `B24_EXAMPLES_REPORT` set, so the table is exactly what `cargo test` checks.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::codegen::repo_root;

/// Arguments of `cargo xtask examples`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the per-method table (markdown).
    #[arg(long, default_value = "target/examples.md")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let root = repo_root();
    let out = if args.out.is_absolute() {
        args.out
    } else {
        root.join(args.out)
    };
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let _ = std::fs::remove_file(&out);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        // `--workspace` builds with the features `cargo test --workspace` uses (the generated
        // crate with `full`), so the run reuses that build.
        .args(["test", "--workspace", "--test", "examples", "--quiet"])
        .env("B24_EXAMPLES_REPORT", &out)
        .status()
        .context("running the example gate")?;
    let table = std::fs::read_to_string(&out)
        .with_context(|| format!("the gate wrote no table at {}", out.display()))?;
    eprintln!("per-method table: {}", out.display());
    println!("{}", table.lines().last().unwrap_or_default());
    if !status.success() {
        bail!("the example gate fails; see the table for the failing rows");
    }
    Ok(())
}
