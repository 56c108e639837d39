//! `docs/docs-lint-2026-08-21.md` is what `cargo xtask docs-lint` writes for that snapshot
//! today: a change to the checks that changes the report must commit the new report.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the repository")
        .to_path_buf()
}

#[test]
fn committed_report_is_current() {
    let docs = std::env::var_os("B24_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/docs/b24restdocs-2026-08-21"));
    assert!(
        docs.join("SNAPSHOT").is_file(),
        "{} is not a docs snapshot",
        docs.display()
    );
    let snapshot = std::fs::read_to_string(docs.join("SNAPSHOT")).unwrap();
    if !snapshot.contains("2026-08-21") {
        // B24_DOCS points at another snapshot: the committed report is not about it.
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report.md");
    let status = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["docs-lint", "--docs"])
        .arg(&docs)
        .arg("--out")
        .arg(&report)
        .status()
        .unwrap();
    assert!(status.success());
    let fresh = std::fs::read_to_string(&report).unwrap();
    let committed =
        std::fs::read_to_string(repo_root().join("docs/docs-lint-2026-08-21.md")).unwrap();
    assert!(
        fresh == committed,
        "docs/docs-lint-2026-08-21.md is stale: rerun `cargo xtask docs-lint --docs {} --out docs/docs-lint-2026-08-21.md`",
        docs.display()
    );
}
