//! `cargo xtask codegen`: docs → spec/ (when a docs checkout is given) → generated/ and the
//! OpenAPI document.
//!
//! Without `--docs`/`B24_DOCS` the committed spec/ is validated and everything downstream is
//! regenerated from it, which is what a fresh clone can do. `--check` writes nothing and fails
//! naming every stale or orphan file.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::format_cache::DiskCache;
use crate::output_memo::{self, Manifest, OutputMemo, Outputs, Tree};
use crate::timings::Timings;
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
    /// Format every generated file, ignoring the caches of earlier runs
    /// (`target/codegen-cache/`: the format cache and the output memo).
    #[arg(long)]
    pub no_format_cache: bool,
    /// Make every tree even when the output memo says the files on disk already hold what
    /// this spec makes (as a run after a spec change does; the format cache is still used).
    #[arg(long)]
    pub no_output_memo: bool,
    /// Print each phase's wall time to stderr at the end (also `B24_TIMINGS=1`).
    #[arg(long)]
    pub timings: bool,
}

/// The repository root (xtask lives one level below it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default()
}

pub fn run(args: Args) -> Result<()> {
    let timings = Timings::default();
    let result = run_timed(&args, &timings);
    if args.timings || crate::timings::requested_by_env() {
        eprint!("{}", timings.report());
    }
    result
}

fn run_timed(args: &Args, timings: &Timings) -> Result<()> {
    let root = repo_root();
    let spec_dir = args.out.clone().unwrap_or_else(|| root.join("spec"));
    std::thread::scope(|scope| {
        // Opening the format cache asks rustfmt for its version (a process, about 0.1 s):
        // it runs while the docs are read, not after.
        let cache = scope.spawn(|| {
            timings.time("format cache: open", || {
                (!args.no_format_cache)
                    .then(|| DiskCache::open(&target_dir(&root).join("codegen-cache")))
                    .flatten()
            })
        });
        let spec = obtain_spec(args, &root, &spec_dir, timings);
        let cache = cache.join().ok().flatten();
        let (spec, extracted) = spec?;
        let run = Run {
            args,
            root: &root,
            spec_dir: &spec_dir,
            spec: &spec,
            extracted,
            timings,
        };
        run.outputs(cache.as_ref())
    })
}

/// The spec of this run: extracted from the docs (patched and validated), else the committed
/// one; and whether it was extracted (then spec/ is written too).
fn obtain_spec(
    args: &Args,
    root: &Path,
    spec_dir: &Path,
    timings: &Timings,
) -> Result<(b24_spec::Spec, bool)> {
    let Some(docs) = docs_source::resolve(args.docs.clone())? else {
        let spec = timings.time("spec: load", || b24_spec::layout::load(spec_dir))?;
        timings.time("validate", || refuse_invalid(&spec))?;
        eprintln!(
            "spec/: {} methods, {} events, valid",
            spec.methods.len(),
            spec.events.len()
        );
        return Ok((spec, false));
    };
    if docs.is_file() && args.out.is_none() {
        bail!(
            "{}: one page makes a partial spec; pass --out DIR so spec/ is not replaced",
            docs.display()
        );
    }
    let format = docs_source::format(&docs, args.format)?;
    let known = timings.time("known spec", || {
        docs_source::known_spec(format, &root.join("spec"))
    });
    let mut extraction = timings.time("extract", || {
        extract::extract(&docs, format, known.as_ref(), args.verbose)
    })?;
    let full_spec = args.out.is_none();
    timings.time("patches", || {
        extract::apply_patches(&mut extraction.spec, &root.join("spec"), full_spec)
    })?;
    // An invalid spec is never written: it would break the next plain `codegen`, and
    // half-written output is worse than none. Nothing on disk has changed yet.
    timings.time("validate", || refuse_invalid(&extraction.spec))?;
    Ok((extraction.spec, true))
}

/// One run once its spec is known.
struct Run<'a> {
    args: &'a Args,
    root: &'a Path,
    spec_dir: &'a Path,
    spec: &'a b24_spec::Spec,
    extracted: bool,
    timings: &'a Timings,
}

impl Run<'_> {
    /// Makes the spec files, the generated crate and the OpenAPI document (unless the memo
    /// shows the trees on disk already hold them), then writes or checks each tree.
    fn outputs(&self, cache: Option<&DiskCache>) -> Result<()> {
        let timings = self.timings;
        let makes_generated = self.args.out.is_none();
        let memo = cache.filter(|_| !self.args.no_output_memo).map(|cache| {
            let key = timings.time("memo: key", || output_memo::key(self.spec));
            (OutputMemo::in_dir(cache.dir()), key)
        });
        let remembered = memo
            .as_ref()
            .and_then(|(memo, key)| timings.time("memo: read", || memo.get(key)))
            .filter(|known| {
                (!self.extracted || known.spec.is_some())
                    && (!makes_generated || (known.generated.is_some() && known.openapi.is_some()))
            });
        if let Some(manifest) = &remembered {
            if let Some(applied) = self.against_manifest(manifest)? {
                return report(applied);
            }
        }
        let format_cache: &dyn b24_emit::FormatCache = match cache {
            Some(disk) => disk,
            None => &b24_emit::NoCache,
        };
        let made = self.make(makes_generated, format_cache)?;
        // Every tree is made before any is written: a failure leaves every file as it was.
        // The three trees are written side by side, and their reports printed in this order.
        let applied = std::thread::scope(|scope| {
            // What this run made replaces the memo (a later run asking for a tree this one did
            // not make, such as the generated crate after `--out`, misses and stores again).
            // A remembered spec whose files differed on disk is stored already.
            if let (Some((memo, key)), None) = (&memo, &remembered) {
                scope.spawn(|| timings.time("memo: store", || memo.put(key, &Manifest::of(&made))));
            }
            let spec_side = made
                .spec
                .as_ref()
                .map(|files| scope.spawn(|| self.write_spec(files)));
            let openapi = made.openapi.as_ref().map(|files| {
                scope.spawn(|| {
                    let file = self.root.join(b24_openapi::PATH);
                    crate::openapi::apply_tree(&file, files, self.args.check, timings)
                })
            });
            let generated = made
                .generated
                .as_ref()
                .map(|files| self.write_generated(files, &made.typing));
            [spec_side.map(join), generated, openapi.map(join)]
        });
        report(applied)
    }

    /// Compares the trees on disk with what the memo says this spec makes, side by side. In
    /// check mode that is the whole check; a plain run is done only when nothing differs
    /// (`None`: the trees must be made and written).
    fn against_manifest(
        &self,
        manifest: &Manifest,
    ) -> Result<Option<[Option<Result<Applied>>; 3]>> {
        let timings = self.timings;
        let openapi_file = self.root.join(b24_openapi::PATH);
        let openapi_dir = openapi_file.parent().unwrap_or(self.root);
        let generated_dir = self.root.join("generated");
        let (spec_side, generated, openapi) = std::thread::scope(|scope| {
            let spec_side = manifest
                .spec
                .as_ref()
                .filter(|_| self.extracted)
                .map(|files| {
                    scope.spawn(|| {
                        timings.time("spec: compare digests", || {
                            sync::diff_digests(self.spec_dir, files, extract::is_spec_file)
                        })
                    })
                });
            let openapi = manifest
                .openapi
                .as_ref()
                .filter(|_| self.args.out.is_none())
                .map(|files| {
                    scope.spawn(|| {
                        timings.time("openapi: compare digests", || {
                            sync::diff_digests(openapi_dir, files, |path| files.contains_key(path))
                        })
                    })
                });
            let generated = manifest
                .generated
                .as_ref()
                .filter(|_| self.args.out.is_none())
                .map(|files| {
                    timings.time("generated: compare digests", || {
                        sync::diff_digests(&generated_dir, files, b24_emit::is_generated_path)
                    })
                });
            (spec_side.map(join), generated, openapi.map(join))
        });
        let (spec_side, generated, openapi) = (
            spec_side.transpose()?,
            generated.transpose()?,
            openapi.transpose()?,
        );
        let clean = [&spec_side, &generated, &openapi]
            .into_iter()
            .flatten()
            .all(sync::Drift::is_clean);
        if !self.args.check && !clean {
            return Ok(None);
        }
        let count = |tree: &Option<output_memo::TreeDigest>| tree.as_ref().map_or(0, |t| t.len());
        let side = |dir: &Path, drift: sync::Drift, files: usize| -> Result<Applied> {
            if !self.args.check {
                sync::remove_empty_dirs(dir)?;
            }
            Ok(reported(dir, files, &drift, self.args.check))
        };
        let spec_side = spec_side.map(|drift| {
            let mut log = self.change_log(&drift);
            let mut applied = side(self.spec_dir, drift, count(&manifest.spec))?;
            log.push_str(&applied.log);
            applied.log = log;
            Ok(applied)
        });
        let generated = generated.map(|drift| {
            let mut applied = side(&generated_dir, drift, count(&manifest.generated))?;
            applied.log = format!("typing: {}\n{}", manifest.typing, applied.log);
            Ok(applied)
        });
        let openapi = openapi.map(|drift| side(openapi_dir, drift, count(&manifest.openapi)));
        Ok(Some([spec_side, generated, openapi]))
    }

    /// Makes the trees this run writes, side by side: the spec files (for an extracted spec),
    /// the generated crate and the OpenAPI document (unless `--out`).
    fn make(&self, makes_generated: bool, cache: &dyn b24_emit::FormatCache) -> Result<Outputs> {
        let timings = self.timings;
        std::thread::scope(|scope| {
            let spec_side = self.extracted.then(|| {
                scope.spawn(|| timings.time("spec: render YAML", || extract::spec_files(self.spec)))
            });
            let openapi = makes_generated.then(|| {
                scope.spawn(|| {
                    crate::openapi::tree(&self.root.join(b24_openapi::PATH), self.spec, timings)
                })
            });
            let generated = makes_generated.then(|| {
                let started = std::time::Instant::now();
                let generated = b24_emit::generate_reported(self.spec, cache)?;
                record_emit(timings, started, &generated.timings);
                anyhow::Ok(generated)
            });
            let generated = generated.transpose()?;
            Ok(Outputs {
                spec: spec_side.map(join).transpose()?,
                typing: generated
                    .as_ref()
                    .map(|g| g.typing.to_string())
                    .unwrap_or_default(),
                generated: generated.map(|g| g.files),
                openapi: openapi.map(join).transpose()?,
            })
        })
    }

    /// The line saying what the new spec changes for users (`changes`); a spec identical to
    /// the files on disk changes nothing, and loading them to say so would cost a third of a
    /// warm run.
    fn change_log(&self, drift: &sync::Drift) -> String {
        if drift.is_clean() {
            return format!(
                "changes against {}: spec changes: none\n",
                self.spec_dir.display()
            );
        }
        self.timings
            .time("spec: changes", || changes(self.spec_dir, self.spec, drift))
    }

    /// Writes (or checks) spec/ for a freshly extracted spec, saying first what it changes.
    fn write_spec(&self, files: &Tree) -> Result<Applied> {
        let timings = self.timings;
        let drift = timings.time("spec: compare", || {
            sync::diff(self.spec_dir, files, extract::is_spec_file)
        })?;
        let mut log = self.change_log(&drift);
        let mut applied = timings.time("spec: write", || {
            apply_drift(self.spec_dir, files, drift, self.args.check)
        })?;
        log.push_str(&applied.log);
        applied.log = log;
        Ok(applied)
    }

    /// Writes (or checks) generated/, with the typing report.
    fn write_generated(&self, files: &Tree, typing: &str) -> Result<Applied> {
        let mut applied = self.timings.time("generated: write", || {
            apply(
                &self.root.join("generated"),
                files,
                &b24_emit::is_generated_path,
                self.args.check,
            )
        })?;
        applied.log = format!("typing: {typing}\n{}", applied.log);
        Ok(applied)
    }
}

/// Prints each tree's report in order and fails naming every stale file in check mode.
fn report(applied: [Option<Result<Applied>>; 3]) -> Result<()> {
    let mut drift = String::new();
    for applied in applied.into_iter().flatten() {
        let applied = applied?;
        eprint!("{}", applied.log);
        drift.push_str(&applied.drift);
    }
    if !drift.is_empty() {
        bail!("generated files are stale; run `cargo xtask codegen` to update them:\n{drift}");
    }
    Ok(())
}

/// A writer thread's result; a panic becomes an error.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    handle
        .join()
        .unwrap_or_else(|_| Err(anyhow::anyhow!("a codegen writer thread panicked")))
}

/// Records the emitter's phases; the per-file ones are sums over rayon's workers.
fn record_emit(timings: &Timings, started: std::time::Instant, emit: &b24_emit::EmitTimings) {
    let after_model = started + emit.model;
    let jobs_start = after_model + emit.typing;
    let phases = [
        ("generated: emit model", started, emit.model, String::new()),
        (
            "generated: typing report",
            after_model,
            emit.typing,
            String::new(),
        ),
        (
            "generated: file jobs (wall)",
            jobs_start,
            emit.jobs_wall,
            String::new(),
        ),
        (
            "generated:   source text (sum)",
            jobs_start,
            emit.source,
            String::new(),
        ),
        (
            "generated:   format cache get (sum)",
            jobs_start,
            emit.cache_get,
            format!("{} hits, {} misses", emit.hits, emit.misses),
        ),
        (
            "generated:   format (sum)",
            jobs_start,
            emit.format,
            String::new(),
        ),
        (
            "generated:   format cache put (sum)",
            jobs_start,
            emit.cache_put,
            String::new(),
        ),
    ];
    for (name, at, took, detail) in phases {
        timings.record(name, at, took, detail);
    }
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
/// currently on disk (nothing when there is none yet or it does not load). Only the files
/// `drift` names are read: the others hold exactly what the new spec renders to.
fn changes(spec_dir: &Path, new: &b24_spec::Spec, drift: &sync::Drift) -> String {
    let changed: Vec<PathBuf> = [&drift.stale, &drift.orphans, &drift.foreign]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    match b24_spec::layout::load_changed(spec_dir, new, &changed) {
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
    let drift = sync::diff(dir, files, owned)?;
    apply_drift(dir, files, drift, check)
}

/// [`apply`] once `drift` (from [`sync::diff`] of the same tree) is known.
pub(crate) fn apply_drift(
    dir: &Path,
    files: &std::collections::BTreeMap<PathBuf, String>,
    drift: sync::Drift,
    check: bool,
) -> Result<Applied> {
    if !check {
        sync::write_drift(dir, files, &drift)?;
    }
    Ok(reported(dir, files.len(), &drift, check))
}

/// What writing (or checking) a tree of `files` files that had `drift` reports: the drift in
/// check mode, else what was written and removed.
fn reported(dir: &Path, files: usize, drift: &sync::Drift, check: bool) -> Applied {
    if check {
        return Applied {
            drift: drift.describe(dir),
            log: String::new(),
        };
    }
    if drift.is_clean() {
        return Applied {
            drift: String::new(),
            log: format!("{}: {files} files, up to date\n", dir.display()),
        };
    }
    let mut log = format!(
        "{}: {files} files, {} written, {} removed\n",
        dir.display(),
        drift.stale.len(),
        drift.orphans.len()
    );
    for path in &drift.foreign {
        log.push_str(&format!(
            "warning: {} was not written by codegen; left alone\n",
            dir.join(path).display()
        ));
    }
    Applied {
        drift: String::new(),
        log,
    }
}
