//! The output memo (`target/codegen-cache/<identity>/outputs.memo`) lets a run whose spec is
//! unchanged compare digests instead of making the trees; it must still find every edited
//! file, even one edited to the same length, and a plain run must still repair it.

use std::path::Path;
use std::process::{Command, Output};

fn codegen(target: &Path, out: &Path, extra: &[&str]) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--timings", "--docs"])
        .arg(root.join("crates/docs/tests/fixtures/docs"))
        .arg("--out")
        .arg(out)
        .args(extra)
        // Its own cache directory, so no other run's memo or format cache is involved.
        .env("CARGO_TARGET_DIR", target)
        .current_dir(root)
        .output()
        .expect("run xtask")
}

#[test]
fn a_remembered_run_finds_a_file_edited_to_the_same_length() {
    let target = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let first = codegen(target.path(), out.path(), &[]);
    assert!(first.status.success(), "{first:?}");
    let check = codegen(target.path(), out.path(), &["--check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    if !stderr.contains("spec: compare digests") {
        // No memo without a format cache, and no format cache without rustfmt.
        let rustfmt = Command::new("rustfmt").arg("--version").output();
        assert!(
            rustfmt.is_err() || !rustfmt.unwrap().status.success(),
            "rustfmt is there, yet the memo was not used:\n{stderr}"
        );
        return;
    }

    let file = out.path().join("methods/gadgets/gadget.gear.add.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen("gadget", "gidget", 1);
    assert_ne!(edited, text);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&file, &edited).unwrap();
    let stale = codegen(target.path(), out.path(), &["--check"]);
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(!stale.status.success(), "{stderr}");
    assert!(stderr.contains("spec: compare digests"), "{stderr}");
    assert!(
        stderr.contains("stale:") && stderr.contains("gadget.gear.add.yaml"),
        "{stderr}"
    );

    let repair = codegen(target.path(), out.path(), &[]);
    assert!(repair.status.success(), "{repair:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    let again = codegen(target.path(), out.path(), &["--check"]);
    assert!(again.status.success(), "{again:?}");
}
