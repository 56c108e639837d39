//! Turning a `spec-diff` argument into a [`Spec`]: a spec directory, a docs checkout, a
//! repository root (its `spec/`), or a git revision of this repository.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use b24_spec::Spec;

/// Loads the spec one side of the diff names.
pub fn load(arg: &str, repo_root: &Path) -> Result<Spec> {
    let path = Path::new(arg);
    if path.is_dir() {
        return load_dir(path);
    }
    if path.exists() {
        bail!("{arg} is a file; expected a spec directory, a docs checkout or a git revision");
    }
    load_revision(arg, repo_root)
}

fn load_dir(dir: &Path) -> Result<Spec> {
    if dir.join(b24_spec::layout::SOURCE_FILE).is_file() {
        return Ok(b24_spec::layout::load(dir)?);
    }
    if dir.join("api-reference").is_dir() {
        return extract_docs(dir);
    }
    let nested = dir.join("spec");
    if nested.join(b24_spec::layout::SOURCE_FILE).is_file() {
        return Ok(b24_spec::layout::load(&nested)?);
    }
    bail!(
        "{} is neither a spec directory (no {}) nor a docs checkout (no api-reference/)",
        dir.display(),
        b24_spec::layout::SOURCE_FILE
    )
}

fn extract_docs(dir: &Path) -> Result<Spec> {
    let extraction =
        b24_docs::extract(dir).with_context(|| format!("extracting {}", dir.display()))?;
    eprintln!(
        "extracted {} methods from {} ({} diagnostics)",
        extraction.spec.methods.len(),
        dir.display(),
        extraction.diagnostics.len()
    );
    Ok(extraction.spec)
}

/// Writes `spec/` as of `revision` into a temporary directory and loads it.
fn load_revision(revision: &str, repo_root: &Path) -> Result<Spec> {
    let commit = resolve_commit(revision, repo_root)?;
    let temp = tempfile::tempdir().context("creating a temporary directory")?;
    let mut archive = Command::new("git")
        .args(["archive", "--format=tar", &commit, "spec"])
        .current_dir(repo_root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running git archive")?;
    let tar_input = archive.stdout.take().context("git archive has no stdout")?;
    let untar = Command::new("tar")
        .arg("-x")
        .current_dir(temp.path())
        .stdin(tar_input)
        .output()
        .context("running tar")?;
    let archived = archive
        .wait_with_output()
        .context("waiting for git archive")?;
    if !archived.status.success() {
        bail!(
            "revision {revision} has no spec/ directory ({})",
            String::from_utf8_lossy(&archived.stderr).trim()
        );
    }
    if !untar.status.success() {
        bail!(
            "tar failed: {}",
            String::from_utf8_lossy(&untar.stderr).trim()
        );
    }
    Ok(b24_spec::layout::load(&temp.path().join("spec"))?)
}

fn resolve_commit(revision: &str, repo_root: &Path) -> Result<String> {
    let output = Command::new("git")
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{revision}^{{commit}}"))
        .current_dir(repo_root)
        .output()
        .context("running git rev-parse")?;
    if !output.status.success() {
        bail!("{revision} is not a directory, and not a git revision of this repository");
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    fn one_method_spec() -> Spec {
        let method = b24_spec::codec::from_yaml(
            "method: user.get\napi: v2\ngroup: users\ntitle: Get users\nsource: api-reference/users/user-get.md\n",
            "fixture",
        )
        .unwrap();
        Spec {
            methods: vec![method],
            ..Default::default()
        }
    }

    #[test]
    fn a_git_revision_means_its_spec_directory() {
        let repo = tempfile::tempdir().unwrap();
        let spec = one_method_spec();
        for (path, text) in b24_spec::layout::render(&spec).unwrap() {
            let path = repo.path().join("spec").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        git(repo.path(), &["init", "-q"]);
        git(repo.path(), &["add", "spec"]);
        git(repo.path(), &["commit", "-q", "-m", "spec"]);
        std::fs::remove_dir_all(repo.path().join("spec")).unwrap();

        let loaded = load_revision("HEAD", repo.path()).unwrap();
        assert_eq!(loaded, spec);
    }

    #[test]
    fn an_unknown_name_is_neither_directory_nor_revision() {
        let repo = tempfile::tempdir().unwrap();
        git(repo.path(), &["init", "-q"]);
        let err = load("no-such-thing", repo.path()).unwrap_err();
        assert!(err.to_string().contains("not a git revision"), "{err}");
    }
}
