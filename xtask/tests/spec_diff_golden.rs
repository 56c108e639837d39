//! Golden test of `cargo xtask spec-diff` over two real docs snapshots: the report between them
//! is committed as a snapshot that a reviewer has read against the docs. Also checks that the
//! gate fails on unaccepted breaking changes and passes once they are accepted.
//!
//! The snapshots come from `B24_DOCS_OLD` and `B24_DOCS` (defaults: `../shared/docs/...` beside
//! the repository).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the repository")
        .to_path_buf()
}

fn docs_dir(var: &str, default: &str) -> PathBuf {
    let dir = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(default));
    assert!(
        dir.join("api-reference").is_dir(),
        "{} is not a docs snapshot; set {var} to one",
        dir.display()
    );
    dir
}

fn old_docs() -> PathBuf {
    docs_dir("B24_DOCS_OLD", "../shared/docs/b24restdocs-2026-05-07")
}

fn new_docs() -> PathBuf {
    docs_dir("B24_DOCS", "../shared/docs/b24restdocs-2026-08-21")
}

fn spec_diff(extra: &[&str], accepted: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("spec-diff")
        .arg(old_docs())
        .arg(new_docs())
        .arg("--accepted")
        .arg(accepted)
        .args(extra)
        .output()
        .expect("xtask runs")
}

#[test]
fn report_between_two_docs_snapshots() {
    let temp = tempfile::tempdir().unwrap();
    let output = spec_diff(&[], &temp.path().join("none.txt"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

/// Writes a one-method spec whose `id` parameter is required or not.
fn write_spec(dir: &Path, id_required: bool) {
    let method: b24_spec::Method = b24_spec::codec::from_yaml(
        &format!(
            "method: crm.deal.get\napi: v2\ngroup: crm\ntitle: Get a deal\nsource: api-reference/crm/deals/crm-deal-get.md\nparams:\n- name: id\n  type: integer\n  required: {id_required}\n"
        ),
        "fixture",
    )
    .unwrap();
    let spec = b24_spec::Spec {
        methods: vec![method],
        ..Default::default()
    };
    for (path, text) in b24_spec::layout::render(&spec).unwrap() {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn gate(old: &Path, new: &Path, accepted: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["spec-diff", "--fail-on", "err", "--accepted"])
        .arg(accepted)
        .arg(old)
        .arg(new)
        .output()
        .expect("xtask runs")
}

#[test]
fn gate_fails_until_every_breaking_change_is_accepted() {
    let temp = tempfile::tempdir().unwrap();
    let (old, new) = (temp.path().join("old"), temp.path().join("new"));
    write_spec(&old, false);
    write_spec(&new, true);
    let accepted = temp.path().join("accepted.txt");

    let failed = gate(&old, &new, &accepted);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success(), "{stderr}");
    assert!(
        stderr.contains("  param-became-required crm.deal.get(v2) id  # <why this is fine>"),
        "{stderr}"
    );

    std::fs::write(
        &accepted,
        "param-became-required crm.deal.get(v2) id  # upstream requires it\n\
         method-removed no.such.method(v2)  # stale on purpose\n",
    )
    .unwrap();
    let passed = gate(&old, &new, &accepted);
    let stderr = String::from_utf8_lossy(&passed.stderr);
    assert!(passed.status.success(), "{stderr}");
    assert!(
        stderr.contains("`method-removed no.such.method(v2)` matches no change"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&passed.stdout);
    assert!(
        stdout.contains("— accepted: upstream requires it"),
        "{stdout}"
    );
}
