//! `docs/spec-diff-rules.md` must match the rule catalogue. When it does not, the test rewrites
//! it and fails, so `cargo test -p b24-spec-diff` twice (and a commit) brings it up to date.

use std::path::Path;

use b24_spec_diff::catalog_doc::{render, RULES_DOC};

#[test]
fn rules_doc_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(RULES_DOC);
    let expected = render();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != expected {
        std::fs::write(&path, &expected)
            .unwrap_or_else(|e| panic!("cannot update {}: {e}", path.display()));
        panic!("{RULES_DOC} was stale and has been regenerated; review and commit it");
    }
}
