//! Writing a generated tree to disk, or checking that it is up to date.
//!
//! Every generator returns its output as `relative path → contents`; this module is the only
//! place that compares that with a directory. Unchanged files are not rewritten (so mtimes and
//! incremental builds survive), and files the generator no longer produces are orphans: removed
//! on write, reported on check.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// What differs between the generated files and the directory.
#[derive(Debug, Default)]
pub struct Drift {
    /// Files that are missing or whose contents differ.
    pub stale: Vec<PathBuf>,
    /// Files in the directory that the generator does not produce.
    pub orphans: Vec<PathBuf>,
}

impl Drift {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.orphans.is_empty()
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
        let current = std::fs::read_to_string(root.join(path)).ok();
        if current.as_deref() != Some(contents.as_str()) {
            drift.stale.push(path.clone());
        }
    }
    for path in existing_files(root)? {
        if owned(&path) && !files.contains_key(&path) {
            drift.orphans.push(path);
        }
    }
    Ok(drift)
}

/// Brings `root` in line with `files`: writes stale files, deletes orphans. Returns what changed.
pub fn write(
    root: &Path,
    files: &BTreeMap<PathBuf, String>,
    owned: impl Fn(&Path) -> bool,
) -> Result<Drift> {
    let drift = diff(root, files, owned)?;
    for path in &drift.stale {
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
    Ok(drift)
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

fn remove_empty_dirs(root: &Path) -> Result<()> {
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
        let first = files(&[("a/x.yaml", "1"), ("b.yaml", "2")]);
        write(dir.path(), &first, |_| true).unwrap();
        assert!(diff(dir.path(), &first, |_| true).unwrap().is_clean());

        let second = files(&[("b.yaml", "3")]);
        let drift = diff(dir.path(), &second, |_| true).unwrap();
        assert_eq!(drift.stale, vec![PathBuf::from("b.yaml")]);
        assert_eq!(drift.orphans, vec![PathBuf::from("a/x.yaml")]);
        write(dir.path(), &second, |_| true).unwrap();
        assert!(!dir.path().join("a").exists(), "empty folder left behind");
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
