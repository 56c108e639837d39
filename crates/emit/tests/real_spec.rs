//! The emitter's decisions over the committed spec (`spec/`, or `B24_SPEC`), as reviewable
//! snapshots: every wire name → Rust name and every documented type name → Rust type. The
//! examples are checked by the generated crate's own strict gate (`generated/tests/examples.rs`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use b24_emit::model::CrateModel;
use b24_spec::Spec;

fn spec_dir() -> PathBuf {
    std::env::var_os("B24_SPEC").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec"),
        Into::into,
    )
}

fn loaded() -> &'static (Spec, CrateModel) {
    static LOADED: OnceLock<(Spec, CrateModel)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let dir = spec_dir();
        let spec = b24_spec::layout::load(&dir)
            .unwrap_or_else(|e| panic!("spec at {}: {e}", dir.display()));
        let model = b24_emit::build::build(&spec);
        (spec, model)
    })
}

#[test]
fn real_naming_table() {
    insta::assert_snapshot!(b24_emit::review::naming_table(&loaded().1));
}

#[test]
fn real_type_table() {
    insta::assert_snapshot!(b24_emit::review::type_table(&loaded().1));
}

#[test]
fn real_spec_generates_every_group() {
    let (spec, model) = loaded();
    let files = b24_emit::generate(spec).unwrap();
    for group in &model.groups {
        let v2 = PathBuf::from(format!("src/{}.rs", group.module));
        let v3 = PathBuf::from(format!("src/v3/{}.rs", group.module));
        assert!(
            files.contains_key(&v2) || files.contains_key(&v3),
            "{}",
            group.group
        );
    }
    assert!(files[Path::new("Cargo.toml")].contains("full = ["));
}
