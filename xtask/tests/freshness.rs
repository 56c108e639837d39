//! The committed spec/ (and everything generated from it) must match what `cargo xtask
//! codegen` produces, rust-analyzer style: an ordinary test runs the `--check` path.

use std::process::Command;

#[test]
fn committed_spec_and_generated_files_are_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let docs = std::env::var_os("B24_DOCS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/docs/b24restdocs-2026-08-21"));
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check", "--docs"])
        .arg(&docs)
        .current_dir(root)
        .output()
        .expect("run xtask");
    assert!(
        output.status.success(),
        "spec/ or generated/ is stale; run `cargo xtask codegen --docs {}`:\n{}",
        docs.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn check_fails_and_names_a_stale_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let fixture = root.join("crates/docs/tests/fixtures/docs");
    let out = tempfile::tempdir().unwrap();
    let run = |check: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.args(["codegen", "--docs"])
            .arg(&fixture)
            .arg("--out")
            .arg(out.path());
        if check {
            cmd.arg("--check");
        }
        cmd.output().expect("run xtask")
    };
    assert!(run(false).status.success());
    assert!(run(true).status.success(), "fresh output must pass --check");
    let stale = out.path().join("methods/gadgets/gadget.gear.add.yaml");
    std::fs::write(&stale, "edited by hand\n").unwrap();
    std::fs::write(out.path().join("methods/gadgets/orphan.yaml"), "x\n").unwrap();
    let output = run(true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("stale:") && stderr.contains("gadget.gear.add.yaml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("orphan:") && stderr.contains("orphan.yaml"),
        "{stderr}"
    );
}
