//! The emitter's format cache on disk: formatting ~15 MB of generated Rust (syn, prettyplease,
//! rustfmt) is most of a `codegen` run, and most runs change few files.
//!
//! Entries live under `target/codegen-cache/<identity>/`, where the identity names this xtask
//! binary (size and modification time) and the rustfmt that formats (`rustfmt --version`):
//! a rebuilt emitter or another rustfmt starts an empty cache, and older ones are removed.
//! Each entry is two files named by a hash of the unformatted source: `<hash>.in` (the source)
//! and `<hash>.out` (the formatted text). A hit needs the stored source to equal the asked one
//! byte for byte, so a hash collision costs a re-format, never a wrong file. Any IO error is a
//! miss (the file is formatted); the cache never fails a run.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use b24_emit::FormatCache;

/// A [`FormatCache`] in a directory.
#[derive(Debug)]
pub struct DiskCache {
    dir: PathBuf,
}

impl DiskCache {
    /// The cache of this binary and rustfmt under `root` (`target/codegen-cache`); `None` when
    /// the identity cannot be known or the directory cannot be made (then nothing is cached).
    pub fn open(root: &Path) -> Option<DiskCache> {
        let identity = identity()?;
        let dir = root.join(&identity);
        std::fs::create_dir_all(&dir).ok()?;
        remove_others(root, &identity);
        Some(DiskCache { dir })
    }

    /// The directory of this binary's and rustfmt's entries (other caches of the same
    /// identity, such as the output memo, live there too).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn entry(&self, source: &str) -> (PathBuf, PathBuf) {
        let name = format!("{:016x}", hash(source));
        (
            self.dir.join(format!("{name}.in")),
            self.dir.join(format!("{name}.out")),
        )
    }
}

impl FormatCache for DiskCache {
    fn get(&self, source: &str) -> Option<String> {
        let (input, output) = self.entry(source);
        let stored = std::fs::read(input).ok()?;
        if stored != source.as_bytes() {
            return None;
        }
        std::fs::read_to_string(output).ok()
    }

    fn put(&self, source: &str, formatted: &str) {
        let (input, output) = self.entry(source);
        // The output first: an entry whose `.in` exists is complete. A failed write leaves a
        // miss behind, which is harmless.
        if write_atomic(&output, formatted).is_ok() {
            let _ = write_atomic(&input, source);
        }
    }
}

/// Writes through a temporary file and a rename, so a reader never sees half an entry (two
/// codegen runs may share the cache).
fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

/// A stable hash of `text` within one build of xtask (the identity includes the binary).
fn hash(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// This binary and the rustfmt that formats, as a directory name.
fn identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let version = std::process::Command::new(&rustfmt)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())?
        .stdout;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (
        exe,
        meta.len(),
        modified.as_nanos(),
        rustfmt,
        String::from_utf8_lossy(&version),
    )
        .hash(&mut hasher);
    Some(format!("{:016x}", hasher.finish()))
}

/// Removes the caches of other binaries or rustfmt versions: they can never hit again.
fn remove_others(root: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name() != keep && entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hit_needs_the_same_source_and_survives_a_reopen() {
        let root = tempfile::tempdir().unwrap();
        let Some(cache) = DiskCache::open(root.path()) else {
            // No rustfmt on PATH: nothing is cached, which `open` reports as `None`.
            assert!(identity().is_none());
            return;
        };
        assert_eq!(cache.get("fn a() {}"), None);
        cache.put("fn a() {}", "fn a() {}\n");
        assert_eq!(cache.get("fn a() {}").as_deref(), Some("fn a() {}\n"));
        assert_eq!(cache.get("fn b() {}"), None);
        let again = DiskCache::open(root.path()).unwrap();
        assert_eq!(again.get("fn a() {}").as_deref(), Some("fn a() {}\n"));
    }

    #[test]
    fn a_colliding_entry_is_a_miss() {
        let root = tempfile::tempdir().unwrap();
        let Some(cache) = DiskCache::open(root.path()) else {
            return;
        };
        // Another source stored under this source's name, as a hash collision would leave it.
        let (input, output) = cache.entry("fn a() {}");
        std::fs::write(&input, "fn other() {}").unwrap();
        std::fs::write(&output, "fn other() {}\n").unwrap();
        assert_eq!(cache.get("fn a() {}"), None);
    }

    #[test]
    fn caches_of_other_identities_are_removed() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("0000000000000000")).unwrap();
        if DiskCache::open(root.path()).is_some() {
            assert!(!root.path().join("0000000000000000").exists());
        }
    }
}
