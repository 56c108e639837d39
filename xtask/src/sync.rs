//! Writing a generated tree to disk, or checking that it is up to date.
//!
//! Every generator returns its output as `relative path → contents`; this module is the only
//! place that compares that with a directory. Unchanged files are not rewritten (so mtimes and
//! incremental builds survive), and files the generator no longer produces are orphans: removed
//! on write, reported on check.
//!
//! Writes stay where they belong: an existing file counts as the generator's (and may be
//! removed as an orphan) only when it starts with the `@generated` header, so pointing `--out`
//! at a folder of other YAML deletes nothing of it; and nothing is written through a symlink
//! below the root (a linked folder would carry the write out of the tree).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::io::Read;

use anyhow::{Context, Result};

use crate::output_memo::{digest, TreeDigest};

/// What differs between the generated files and the directory.
#[derive(Debug, Default)]
pub struct Drift {
    /// Files that are missing or whose contents differ.
    pub stale: Vec<PathBuf>,
    /// Generated files (with the `@generated` header) that the generator no longer produces.
    pub orphans: Vec<PathBuf>,
    /// Files where the generator writes that it did not write (no header): never removed, but
    /// `--check` names them, since a loader would read them.
    pub foreign: Vec<PathBuf>,
}

impl Drift {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.orphans.is_empty() && self.foreign.is_empty()
    }

    /// One line per file, named relative to the repository.
    pub fn describe(&self, root: &Path) -> String {
        let mut out = String::new();
        for path in &self.stale {
            out.push_str(&format!("stale:  {}\n", root.join(path).display()));
        }
        for path in &self.orphans {
            out.push_str(&format!("orphan: {}\n", root.join(path).display()));
        }
        for path in &self.foreign {
            out.push_str(&format!(
                "foreign: {} (not written by codegen)\n",
                root.join(path).display()
            ));
        }
        out
    }
}

/// Compares `files` with the contents of `root`; `owned` says which existing files the
/// generator is responsible for (others, such as a hand-written README, are left alone).
pub fn diff(
    root: &Path,
    files: &BTreeMap<PathBuf, String>,
    owned: impl Fn(&Path) -> bool,
) -> Result<Drift> {
    let mut drift = Drift::default();
    for (path, contents) in files {
        // A file of another length differs without being read.
        if !same_file(&root.join(path), contents.len() as u64, |bytes| {
            bytes == contents.as_bytes()
        }) {
            drift.stale.push(path.clone());
        }
    }
    find_orphans(root, |path| files.contains_key(path), owned, &mut drift)?;
    Ok(drift)
}

/// [`diff`] against each file's length and digest instead of its contents (what the output
/// memo keeps).
pub fn diff_digests(
    root: &Path,
    files: &TreeDigest,
    owned: impl Fn(&Path) -> bool,
) -> Result<Drift> {
    let mut drift = Drift::default();
    for (path, (len, expected)) in files {
        if !same_file(&root.join(path), *len, |bytes| digest(bytes) == *expected) {
            drift.stale.push(path.clone());
        }
    }
    find_orphans(root, |path| files.contains_key(path), owned, &mut drift)?;
    Ok(drift)
}

/// Whether the file at `path` (followed like a read follows it) is `len` bytes long and its
/// bytes pass `same`; a file that cannot be read is not the same.
fn same_file(path: &Path, len: u64, same: impl FnOnce(&[u8]) -> bool) -> bool {
    std::fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.len() == len)
        && std::fs::read(path).is_ok_and(|bytes| same(&bytes))
}

/// Adds to `drift` every existing file the generator owns but no longer makes.
fn find_orphans(
    root: &Path,
    made: impl Fn(&Path) -> bool,
    owned: impl Fn(&Path) -> bool,
    drift: &mut Drift,
) -> Result<()> {
    for path in existing_files(root)? {
        if owned(&path) && !made(&path) {
            if is_generated(&root.join(&path)) {
                drift.orphans.push(path);
            } else {
                drift.foreign.push(path);
            }
        }
    }
    Ok(())
}

/// The marker every generated file carries in its first line.
pub const GENERATED_MARKER: &str = "@generated";

/// True when the file's first line carries [`GENERATED_MARKER`].
fn is_generated(path: &Path) -> bool {
    use std::io::{BufRead, BufReader};
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut first = Vec::new();
    // One line is enough; a hostile or binary file must not be read whole.
    let mut reader = BufReader::new(file).take(512);
    if reader.read_until(b'\n', &mut first).is_err() {
        return false;
    }
    String::from_utf8_lossy(&first).contains(GENERATED_MARKER)
}

/// Fails if `path` (relative to `root`), or any folder on the way to it, is a symlink.
fn refuse_symlinks(root: &Path, path: &Path) -> Result<()> {
    let mut at = root.to_owned();
    for component in path.components() {
        at.push(component);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                anyhow::bail!(
                    "{}: is a symlink; refusing to write through it",
                    at.display()
                )
            }
            Ok(_) => {}
            // Nothing there yet: nothing below it can be a link either.
            Err(_) => break,
        }
    }
    Ok(())
}

/// Brings `root` in line with `files`: writes stale files, deletes orphans. Returns what changed.
/// (Codegen computes the drift first and calls [`write_drift`]; this is the tests' shorthand.)
#[cfg(test)]
pub fn write(
    root: &Path,
    files: &BTreeMap<PathBuf, String>,
    owned: impl Fn(&Path) -> bool,
) -> Result<Drift> {
    let drift = diff(root, files, owned)?;
    write_drift(root, files, &drift)?;
    Ok(drift)
}

/// [`write`] once `drift` (from [`diff`] of the same files) is known.
pub fn write_drift(root: &Path, files: &BTreeMap<PathBuf, String>, drift: &Drift) -> Result<()> {
    for path in &drift.stale {
        refuse_symlinks(root, path)?;
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&full, &files[path])
            .with_context(|| format!("writing {}", full.display()))?;
    }
    for path in &drift.orphans {
        let full = root.join(path);
        std::fs::remove_file(&full).with_context(|| format!("removing {}", full.display()))?;
    }
    remove_empty_dirs(root)?;
    Ok(())
}

fn existing_files(root: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !root.exists() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.with_context(|| format!("listing {}", root.display()))?;
        if entry.file_type().is_file() {
            out.push(entry.path().strip_prefix(root)?.to_owned());
        }
    }
    Ok(out)
}

/// Removes every empty folder below `root` (a write leaves none behind).
pub fn remove_empty_dirs(root: &Path) -> Result<()> {
    if !root.exists() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(root)
        .contents_first(true)
        .min_depth(1)
    {
        let entry = entry?;
        if entry.file_type().is_dir() && std::fs::read_dir(entry.path())?.next().is_none() {
            std::fs::remove_dir(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
        pairs
            .iter()
            .map(|(p, c)| (PathBuf::from(p), (*c).to_owned()))
            .collect()
    }

    #[test]
    fn write_then_check_is_clean_and_orphans_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let first = files(&[
            ("a/x.yaml", "# @generated\n1"),
            ("b.yaml", "# @generated\n2"),
        ]);
        write(dir.path(), &first, |_| true).unwrap();
        assert!(diff(dir.path(), &first, |_| true).unwrap().is_clean());

        let second = files(&[("b.yaml", "# @generated\n3")]);
        let drift = diff(dir.path(), &second, |_| true).unwrap();
        assert_eq!(drift.stale, vec![PathBuf::from("b.yaml")]);
        assert_eq!(drift.orphans, vec![PathBuf::from("a/x.yaml")]);
        write(dir.path(), &second, |_| true).unwrap();
        assert!(!dir.path().join("a").exists(), "empty folder left behind");
    }

    #[test]
    fn digests_find_the_same_drift_as_contents() {
        let dir = tempfile::tempdir().unwrap();
        let set = files(&[
            ("a.yaml", "# @generated\n1"),
            ("b.yaml", "# @generated\n2"),
            ("c.yaml", "# @generated\n3"),
        ]);
        write(dir.path(), &set, |_| true).unwrap();
        let digests = |set: &BTreeMap<PathBuf, String>| -> TreeDigest {
            set.iter()
                .map(|(p, c)| (p.clone(), (c.len() as u64, digest(c.as_bytes()))))
                .collect()
        };
        assert!(diff_digests(dir.path(), &digests(&set), |_| true)
            .unwrap()
            .is_clean());
        // Same length, other bytes; another length; gone; an orphan.
        std::fs::write(dir.path().join("a.yaml"), "# @generated\n9").unwrap();
        std::fs::write(dir.path().join("b.yaml"), "# @generated\n22").unwrap();
        std::fs::remove_file(dir.path().join("c.yaml")).unwrap();
        std::fs::write(dir.path().join("d.yaml"), "# @generated\n4").unwrap();
        let by_digest = diff_digests(dir.path(), &digests(&set), |_| true).unwrap();
        let by_contents = diff(dir.path(), &set, |_| true).unwrap();
        let names = ["a.yaml", "b.yaml", "c.yaml"].map(PathBuf::from);
        assert_eq!(by_digest.stale, names);
        assert_eq!(by_contents.stale, names);
        assert_eq!(by_digest.orphans, [PathBuf::from("d.yaml")]);
        assert_eq!(by_contents.orphans, by_digest.orphans);
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let set = files(&[("a.yaml", "1")]);
        write(dir.path(), &set, |_| true).unwrap();
        let before = std::fs::metadata(dir.path().join("a.yaml"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let drift = write(dir.path(), &set, |_| true).unwrap();
        assert!(drift.is_clean());
        let after = std::fs::metadata(dir.path().join("a.yaml"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn only_files_with_the_generated_header_are_orphans() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("notes")).unwrap();
        std::fs::write(dir.path().join("notes/mine.yaml"), "hand: written\n").unwrap();
        std::fs::write(dir.path().join("old.yaml"), "# @generated by x\nold: 1\n").unwrap();
        let drift = write(dir.path(), &files(&[("a.yaml", "# @generated\n1")]), |_| {
            true
        })
        .unwrap();
        assert_eq!(drift.orphans, vec![PathBuf::from("old.yaml")]);
        assert_eq!(drift.foreign, vec![PathBuf::from("notes/mine.yaml")]);
        assert!(dir.path().join("notes/mine.yaml").exists());
        assert!(!dir.path().join("old.yaml").exists());
    }

    #[cfg(unix)]
    #[test]
    fn writes_never_go_through_a_symlinked_folder_or_file() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("methods")).unwrap();
        let err = write(dir.path(), &files(&[("methods/a.yaml", "x")]), |_| true).unwrap_err();
        assert!(err.to_string().contains("is a symlink"), "{err}");
        assert!(!outside.path().join("a.yaml").exists());

        let target = outside.path().join("target.yaml");
        std::fs::write(&target, "theirs").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("b.yaml")).unwrap();
        let err = write(dir.path(), &files(&[("b.yaml", "ours")]), |_| true).unwrap_err();
        assert!(err.to_string().contains("is a symlink"), "{err}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "theirs");
    }

    #[test]
    fn files_not_owned_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("README.md"), "hand-written").unwrap();
        let drift = write(dir.path(), &files(&[("a.yaml", "1")]), |p| {
            p.extension().is_some_and(|e| e == "yaml")
        })
        .unwrap();
        assert!(drift.orphans.is_empty());
        assert!(dir.path().join("README.md").exists());
    }
}
