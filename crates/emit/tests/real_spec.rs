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
        let dir = PathBuf::from(b24_emit::layout::group_dir(&group.feature));
        let manifest = &files[&dir.join("Cargo.toml")];
        let name = b24_emit::layout::group_crate(&group.feature);
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{manifest}"
        );
        let root = &files[&dir.join("src/lib.rs")];
        let module_files = files
            .keys()
            .filter(|p| p.starts_with(dir.join("src")) && p.extension().is_some_and(|e| e == "rs"))
            .count();
        assert!(module_files >= 1, "{}", group.group);
        if !group.v3.is_empty() {
            assert!(
                files.contains_key(&dir.join("src/v3.rs")),
                "{}",
                group.group
            );
            assert!(root.contains("pub mod v3;"), "{root}");
        }
    }
    // Every entity of crm.deal is in its own module, re-exported at the root.
    assert!(files.contains_key(Path::new("groups/crm/src/deal.rs")));
    assert!(files[Path::new("groups/crm/src/lib.rs")].contains("pub use deal::*;"));
    let facade = &files[Path::new("Cargo.toml")];
    assert!(facade.contains("full = ["));
    assert!(facade.contains("crm = [\"dep:bitrix24-crm\"]"), "{facade}");
}
