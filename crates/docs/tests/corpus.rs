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
    let events = &extraction.spec.events;
    out.push_str(&format!(
        "events: {}\nevents.payload_members: {}\nevents.methods: {}\nevents.examples: {}\n",
        events.len(),
        events
            .iter()
            .map(b24_spec::Event::member_count)
            .sum::<usize>(),
        events.iter().map(|e| e.methods.len()).sum::<usize>(),
        events.iter().filter(|e| e.example.is_some()).count()
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
    let documented = |status: Option<u16>, code: &str, source: &str| {
        extraction
            .spec
            .system_errors
            .iter()
            .any(|e| e.status == status && e.code == code && e.source == source)
    };
    for (status, code, source) in [
        (Some(429), "OPERATION_TIME_LIMIT", "limits.md"),
        (None, "invalid_grant", "settings/oauth/error-codes.md"),
        (None, "invalid_client", "settings/oauth/error-codes.md"),
        (None, "PAYMENT_REQUIRED", "settings/oauth/error-codes.md"),
        (
            Some(401),
            "METHOD_CONFIRM_WAITING",
            "api-reference/scopes/confirmation.md",
        ),
        (
            Some(403),
            "METHOD_CONFIRM_DENIED",
            "api-reference/scopes/confirmation.md",
        ),
        (
            Some(404),
            "ERROR_METHOD_NOT_FOUND",
            "api-reference/rest-v3.md",
        ),
    ] {
        assert!(
            documented(status, code, source),
            "{code} missing from the catalogue"
        );
    }
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
