//! docs → spec: runs the docs frontend and renders the spec files, with the run summary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use b24_docs::{Extraction, Format};
use b24_spec::Spec;

/// Extracts the docs at `docs` (a folder or one page) read as `format`, printing the summary
/// (and every diagnostic when `verbose`). `known` helps text copies recover what they lost.
pub fn extract(
    docs: &Path,
    format: Format,
    known: Option<&Spec>,
    verbose: bool,
) -> Result<Extraction> {
    let started = Instant::now();
    let extraction = b24_docs::extract_with(docs, format, known)
        .with_context(|| format!("reading {} docs at {}", format.as_str(), docs.display()))?;
    if verbose {
        for d in &extraction.diagnostics {
            eprintln!("{d}");
        }
    }
    eprintln!("{}", summary(&extraction, started.elapsed().as_secs_f64()));
    Ok(extraction)
}

/// The short summary printed after extraction.
pub fn summary(extraction: &Extraction, seconds: f64) -> String {
    let pages: Vec<String> = extraction
        .stats
        .pages
        .iter()
        .map(|(k, n)| format!("{} {n}", k.as_str()))
        .collect();
    let diagnostics: Vec<String> = extraction
        .diagnostics_by_kind()
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    format!(
        "pages: {}\nmethods written: {}\nentities written: {}\nevents written: {} ({} payload members)\ndiagnostics: {} ({})\nelapsed: {seconds:.2}s",
        pages.join(", "),
        extraction.spec.methods.len(),
        extraction.spec.entities.len(),
        extraction.spec.events.len(),
        extraction
            .spec
            .events
            .iter()
            .map(b24_spec::Event::member_count)
            .sum::<usize>(),
        extraction.diagnostics.len(),
        if diagnostics.is_empty() {
            "none".to_owned()
        } else {
            diagnostics.join(", ")
        },
    )
}

/// The spec as files relative to the spec root.
pub fn spec_files(spec: &Spec) -> Result<BTreeMap<PathBuf, String>> {
    Ok(b24_spec::layout::render(spec)?)
}

/// Files under spec/ that extraction owns (everything but hand-kept files).
pub fn is_spec_file(path: &Path) -> bool {
    // `patches/` is the reviewed input of the patch layer, never written by extraction.
    path.extension().is_some_and(|e| e == "yaml") && !path.starts_with(PATCHES_DIR)
}

/// Where the reviewed patches live, relative to the spec directory.
pub const PATCHES_DIR: &str = "patches";

/// Applies the reviewed patches (`spec/patches/`) to a freshly extracted spec. When the spec
/// is meant to replace spec/ (`strict`), a patch that no longer applies or is redundant fails
/// the run with its file and line; otherwise (another docs snapshot, one page) it is a warning.
pub fn apply_patches(spec: &mut Spec, spec_dir: &Path, strict: bool) -> Result<()> {
    let patches = b24_spec::patch::PatchSet::load(&spec_dir.join(PATCHES_DIR))?;
    let errors = patches.apply(spec);
    eprintln!(
        "patches: {} applied, {} not",
        patches.patches.len() - errors.len(),
        errors.len()
    );
    if errors.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
    if strict {
        anyhow::bail!("reviewed patches do not apply:\n{}", list.join("\n"));
    }
    for line in list {
        eprintln!("warning: {line}");
    }
    Ok(())
}

/// Arguments of `cargo xtask spec`.
#[derive(Debug, clap::Args)]
pub struct SpecArgs {
    /// Print the spec as JSON (the default).
    #[arg(long, conflicts_with = "yaml")]
    json: bool,
    /// Print the spec as one YAML document instead.
    #[arg(long)]
    yaml: bool,
    /// Extract from this docs checkout instead of reading the committed spec/.
    #[arg(long)]
    docs: Option<PathBuf>,
}

/// `cargo xtask spec [--json | --yaml]`: the whole spec as one document on stdout.
pub fn print_spec(args: SpecArgs) -> Result<()> {
    let spec = match crate::docs_source::resolve(args.docs)? {
        Some(docs) => {
            let format = crate::docs_source::format(&docs, None)?;
            let spec_dir = crate::codegen::repo_root().join("spec");
            let known = crate::docs_source::known_spec(format, &spec_dir);
            extract(&docs, format, known.as_ref(), false)?.spec
        }
        None => b24_spec::layout::load(&crate::codegen::repo_root().join("spec"))?,
    };
    let whole = serde_json::json!({
        "snapshot": spec.snapshot,
        "system_errors": spec.system_errors,
        "methods": spec.methods,
        "entities": spec.entities,
        "events": spec.events,
    });
    if args.yaml && !args.json {
        print!("{}", b24_spec::codec::to_yaml(&whole)?);
    } else {
        println!("{}", serde_json::to_string_pretty(&whole)?);
    }
    Ok(())
}
