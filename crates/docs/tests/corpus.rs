//! The real corpus: both docs snapshots under `../shared/docs` (or `B24_DOCS` /
//! `B24_DOCS_OLD`). The summary is snapshotted so a docs refresh that breaks extraction shows
//! up as a count change in review.

use std::path::PathBuf;

fn docs(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/docs")
            .join(default)
    })
}

fn summary(extraction: &b24_docs::Extraction) -> String {
    let mut out = String::new();
    for (kind, n) in &extraction.stats.pages {
        out.push_str(&format!("pages.{}: {n}\n", kind.as_str()));
    }
    let v3 = extraction
        .spec
        .methods
        .iter()
        .filter(|m| m.api == b24_spec::ApiVersion::V3)
        .count();
    out.push_str(&format!(
        "methods: {}\nmethods.v3: {v3}\n",
        extraction.spec.methods.len()
    ));
    out.push_str(&format!(
        "system_errors: {}\n",
        extraction.spec.system_errors.len()
    ));
    let entities = &extraction.spec.entities;
    out.push_str(&format!(
        "entities: {}\nentities.fields: {}\nentities.used_by: {}\n",
        entities.len(),
        entities.iter().map(|e| e.fields.len()).sum::<usize>(),
        entities.iter().map(|e| e.used_by.len()).sum::<usize>()
    ));
    out.push_str(&format!(
        "placements: {}\n",
        extraction.spec.placements.len()
    ));
    for (kind, n) in extraction.diagnostics_by_kind() {
        out.push_str(&format!("diagnostics.{kind}: {n}\n"));
    }
    out
}

#[test]
fn newest_snapshot_extracts_the_whole_api() {
    let extraction = b24_docs::extract(&docs("B24_DOCS", "b24restdocs-2026-08-21")).unwrap();
    assert!(
        extraction.spec.methods.len() >= 1640,
        "{}",
        extraction.spec.methods.len()
    );
    assert_eq!(b24_spec::validate::validate(&extraction.spec), vec![]);
    let has_otl = extraction
        .spec
        .system_errors
        .iter()
        .any(|e| e.code == "OPERATION_TIME_LIMIT" && e.status == 429);
    assert!(has_otl, "OPERATION_TIME_LIMIT missing from the catalogue");
    insta::assert_snapshot!(summary(&extraction));
}

#[test]
fn older_snapshot_extracts_with_similar_counts() {
    let extraction = b24_docs::extract(&docs("B24_DOCS_OLD", "b24restdocs-2026-05-07")).unwrap();
    assert!(
        extraction.spec.methods.len() >= 1500,
        "{}",
        extraction.spec.methods.len()
    );
    assert_eq!(b24_spec::validate::validate(&extraction.spec), vec![]);
    insta::assert_snapshot!(summary(&extraction));
}
