//! What the last run made, keyed by the spec it was made from: when a run's spec is the same,
//! its spec files, generated crate and OpenAPI document are too, so rendering YAML, building
//! the emit model, making every file's tokens and rendering the OpenAPI document (most of a
//! warm run besides extraction) can be skipped when the trees on disk already hold them.
//!
//! Everything downstream of extraction is a function of the spec alone (the emitter and the
//! OpenAPI writer take nothing else), of this binary and of rustfmt. The memo lives in the
//! format cache's directory, whose name is exactly that identity (see `format_cache`), so a
//! rebuilt xtask or another rustfmt never reads an older memo.
//!
//! The memo holds digests, not contents: the SHA-256 of the whole spec serialised as JSON (the
//! key), the typing report, and each output file's length and SHA-256. A run whose key matches
//! compares the files on disk with those digests (`sync::diff_digests`); `--check` is then
//! done, and so is a plain run when nothing differs. A plain run with something to write
//! makes the trees as if there were no memo. A collision of SHA-256 is what it would take for
//! the memo to pass a file it should not.
//!
//! One file, `outputs.memo`, written through a temporary file and a rename: a magic line, the
//! key, the typing report, then each tree (present flag, entries of path, length and digest),
//! every length a little-endian `u64`. Any IO or format error is a miss; the memo never fails a
//! run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use b24_spec::Spec;
use sha2::{Digest as _, Sha256};

/// The first bytes of a memo file; a new layout gets a new magic.
const MAGIC: &[u8; 8] = b"b24memo2";
/// The memo's file name inside the cache directory.
const FILE: &str = "outputs.memo";

/// One tree of outputs: relative path → contents.
pub type Tree = BTreeMap<PathBuf, String>;

/// A SHA-256 digest.
pub type Digest = [u8; 32];

/// One tree as the memo knows it: relative path → (length, digest of the contents).
pub type TreeDigest = BTreeMap<PathBuf, (u64, Digest)>;

/// The outputs of one run. A tree is `None` when that run did not make it (`--out` makes no
/// generated crate; a run without docs renders no spec files).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Outputs {
    /// The spec files (relative to the spec directory).
    pub spec: Option<Tree>,
    /// The generated crate (relative to `generated/`).
    pub generated: Option<Tree>,
    /// The typing report line the emitter gave with `generated`.
    pub typing: String,
    /// The OpenAPI document (relative to its folder).
    pub openapi: Option<Tree>,
}

/// What the memo keeps of [`Outputs`].
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Manifest {
    /// The spec files.
    pub spec: Option<TreeDigest>,
    /// The generated crate.
    pub generated: Option<TreeDigest>,
    /// The typing report line.
    pub typing: String,
    /// The OpenAPI document.
    pub openapi: Option<TreeDigest>,
}

impl Manifest {
    /// The digests of `outputs`.
    pub fn of(outputs: &Outputs) -> Manifest {
        let digests = |tree: &Option<Tree>| {
            tree.as_ref().map(|tree| {
                tree.iter()
                    .map(|(path, text)| {
                        (path.clone(), (text.len() as u64, digest(text.as_bytes())))
                    })
                    .collect()
            })
        };
        Manifest {
            spec: digests(&outputs.spec),
            generated: digests(&outputs.generated),
            typing: outputs.typing.clone(),
            openapi: digests(&outputs.openapi),
        }
    }
}

/// The SHA-256 of `bytes`.
pub fn digest(bytes: &[u8]) -> Digest {
    Sha256::digest(bytes).into()
}

/// The memo key of `spec`: the digest of every part of it, as JSON.
pub fn key(spec: &Spec) -> Digest {
    // Destructured so that a new part of the spec cannot be left out of the key unnoticed.
    let Spec {
        snapshot,
        system_errors,
        methods,
        entities,
        placements,
        events,
    } = spec;
    let parts = (
        snapshot,
        system_errors,
        methods,
        entities,
        placements,
        events,
    );
    let mut hasher = HashWriter(Sha256::new());
    // The spec types serialise to JSON without fail (they are written as YAML the same way);
    // should one ever not, the key is one no memo is stored under.
    if serde_json::to_writer(&mut hasher, &parts).is_err() {
        return [0; 32];
    }
    hasher.0.finalize().into()
}

/// Feeds serialised bytes straight into the hasher: the JSON text is never held whole.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The memo in the cache directory `dir`.
#[derive(Debug)]
pub struct OutputMemo {
    file: PathBuf,
}

impl OutputMemo {
    /// The memo kept in `dir` (the format cache's directory of this binary and rustfmt).
    pub fn in_dir(dir: &Path) -> OutputMemo {
        OutputMemo {
            file: dir.join(FILE),
        }
    }

    /// What the run whose spec had `key` made, if that was the last run stored.
    pub fn get(&self, key: &Digest) -> Option<Manifest> {
        if key == &[0; 32] {
            return None;
        }
        let bytes = std::fs::read(&self.file).ok()?;
        let mut at = Cursor {
            bytes: &bytes,
            at: 0,
        };
        if at.take(MAGIC.len())? != MAGIC || at.take(32)? != key {
            return None;
        }
        let typing = at.text()?;
        let spec = at.tree()?;
        let generated = at.tree()?;
        let openapi = at.tree()?;
        (at.at == bytes.len()).then_some(Manifest {
            spec,
            generated,
            typing,
            openapi,
        })
    }

    /// Stores `manifest` under `key`, replacing whatever was there.
    pub fn put(&self, key: &Digest, manifest: &Manifest) {
        if key == &[0; 32] {
            return;
        }
        let mut bytes = Vec::new();
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(key);
        put_bytes(&mut bytes, manifest.typing.as_bytes());
        for tree in [&manifest.spec, &manifest.generated, &manifest.openapi] {
            encode_tree(&mut bytes, tree.as_ref());
        }
        let tmp = self
            .file
            .with_extension(format!("tmp{}", std::process::id()));
        // A failed write leaves the old memo or none: a miss next time, never wrong output.
        if std::fs::write(&tmp, &bytes).is_err() || std::fs::rename(&tmp, &self.file).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

fn encode_tree(bytes: &mut Vec<u8>, tree: Option<&TreeDigest>) {
    let Some(tree) = tree else {
        bytes.push(0);
        return;
    };
    bytes.push(1);
    bytes.extend_from_slice(&(tree.len() as u64).to_le_bytes());
    for (path, (len, digest)) in tree {
        put_bytes(bytes, path.to_string_lossy().as_bytes());
        bytes.extend_from_slice(&len.to_le_bytes());
        bytes.extend_from_slice(digest);
    }
}

fn put_bytes(bytes: &mut Vec<u8>, data: &[u8]) {
    bytes.extend_from_slice(&(data.len() as u64).to_le_bytes());
    bytes.extend_from_slice(data);
}

/// A reading position in a memo's bytes; every read is bounds-checked.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take(&mut self, len: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(len)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn number(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn text(&mut self) -> Option<String> {
        let len = usize::try_from(self.number()?).ok()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }

    fn tree(&mut self) -> Option<Option<TreeDigest>> {
        match self.take(1)? {
            [0] => Some(None),
            [1] => {
                let count = self.number()?;
                let mut tree = TreeDigest::new();
                for _ in 0..count {
                    let path = PathBuf::from(self.text()?);
                    let len = self.number()?;
                    let digest: Digest = self.take(32)?.try_into().ok()?;
                    tree.insert(path, (len, digest));
                }
                Some(Some(tree))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs() -> Outputs {
        let tree = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(p, c)| (PathBuf::from(p), (*c).to_owned()))
                .collect::<Tree>()
        };
        Outputs {
            spec: Some(tree(&[
                ("methods/a/a.b.yaml", "x: 1\n"),
                ("source.yaml", ""),
            ])),
            generated: Some(tree(&[("src/lib.rs", "// lib — ünïcode\n")])),
            typing: "responses: 1".into(),
            openapi: None,
        }
    }

    #[test]
    fn a_stored_run_comes_back_only_for_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let memo = OutputMemo::in_dir(dir.path());
        let (one, two) = (digest(b"spec one"), digest(b"spec two"));
        assert_eq!(memo.get(&one), None);
        let manifest = Manifest::of(&outputs());
        memo.put(&one, &manifest);
        assert_eq!(memo.get(&one), Some(manifest.clone()));
        assert_eq!(memo.get(&two), None);
        let mut other = outputs();
        other.openapi = Some(Tree::new());
        memo.put(&two, &Manifest::of(&other));
        assert_eq!(memo.get(&one), None);
        assert_eq!(memo.get(&two), Some(Manifest::of(&other)));
    }

    #[test]
    fn the_manifest_holds_each_file_length_and_digest() {
        let manifest = Manifest::of(&outputs());
        let generated = manifest.generated.unwrap();
        let text = "// lib — ünïcode\n";
        assert_eq!(
            generated[Path::new("src/lib.rs")],
            (text.len() as u64, digest(text.as_bytes()))
        );
        assert_ne!(digest(b"a"), digest(b"b"));
        assert_eq!(manifest.openapi, None);
    }

    #[test]
    fn a_damaged_memo_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let memo = OutputMemo::in_dir(dir.path());
        let key = digest(b"k");
        memo.put(&key, &Manifest::of(&outputs()));
        let path = dir.path().join(FILE);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(memo.get(&key), None);
        let mut longer = bytes.clone();
        longer.push(0);
        std::fs::write(&path, &longer).unwrap();
        assert_eq!(memo.get(&key), None);
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&key);
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(&path, &huge).unwrap();
        assert_eq!(memo.get(&key), None);
    }

    #[test]
    fn the_key_changes_with_any_part_of_the_spec() {
        let mut spec = Spec::default();
        let empty = key(&spec);
        assert_eq!(key(&spec), empty, "the key is a function of the spec");
        spec.snapshot.commit = "abc".into();
        assert_ne!(key(&spec), empty);
        let commit_only = key(&spec);
        spec.system_errors.push(b24_spec::SystemError::default());
        assert_ne!(key(&spec), commit_only);
    }
}
