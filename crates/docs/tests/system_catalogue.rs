//! The system error catalogue read from every page shape that documents codes for all calls
//! (fixtures of our own text under `fixtures/catalogue`): the include's table, a limits table
//! whose status is in a sentence, a status-less OAuth table whose message is in an example,
//! HTTP examples, a REST 3.0 table with one code under two statuses, a sentence-only code, a
//! PHP error array.

use std::path::Path;

fn catalogue() -> Vec<(Option<u16>, String, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogue");
    let extraction = b24_docs::extract(&root).expect("fixture docs are readable");
    assert_eq!(b24_spec::validate::validate(&extraction.spec), vec![]);
    extraction
        .spec
        .system_errors
        .into_iter()
        .map(|e| (e.status, e.code, e.message, e.source))
        .collect()
}

fn entry(
    status: Option<u16>,
    code: &str,
    message: &str,
    source: &str,
) -> (Option<u16>, String, String, String) {
    (status, code.into(), message.into(), source.into())
}

#[test]
fn every_general_page_adds_its_codes_with_their_source() {
    const OAUTH: &str = "settings/oauth/error-codes.md";
    const V3: &str = "api-reference/rest-v3.md";
    const CONFIRM: &str = "api-reference/scopes/confirmation.md";
    assert_eq!(
        catalogue(),
        [
            entry(
                Some(503),
                "TOO_FAST",
                "Slow down please",
                "_includes/system-errors.md"
            ),
            entry(
                Some(500),
                "BROKEN",
                "Something broke",
                "_includes/system-errors.md"
            ),
            entry(
                Some(429),
                "SLOW_METHOD",
                "The method used its time budget",
                "limits.md"
            ),
            entry(None, "bad_grant", "The grant is not valid", OAUTH),
            entry(
                None,
                "wide_scope",
                "More was asked than the card allows",
                OAUTH
            ),
            entry(
                None,
                "odd_scope",
                "More was asked than the card allows",
                OAUTH
            ),
            entry(None, "PLAN_EXPIRED", "Plan expired", OAUTH),
            entry(Some(401), "CONFIRM_PENDING", "Pending", CONFIRM),
            entry(Some(403), "CONFIRM_REFUSED", "Refused", CONFIRM),
            entry(Some(400), "BAD_BODY_V3", "Body is not JSON", V3),
            entry(Some(423), "GEAR_LOCKED", "Someone holds the gear", V3),
            entry(Some(409), "GEAR_LOCKED", "The gear moved meanwhile", V3),
            entry(Some(404), "NO_SUCH_METHOD", "", V3),
            entry(
                None,
                "stale_token",
                "Token is stale",
                "settings/cloud-and-on-premise/on-premise/custom-auth-provider.md"
            ),
        ]
    );
}

#[test]
fn table_columns_land_in_description_and_remedy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogue");
    let spec = b24_docs::extract(&root).unwrap().spec;
    let slow = spec
        .system_errors
        .iter()
        .find(|e| e.code == "SLOW_METHOD")
        .unwrap();
    assert_eq!(slow.description, "The method used its time budget");
    assert_eq!(slow.remedy, "Wait for `reset_at`");
    let missing = spec
        .system_errors
        .iter()
        .find(|e| e.code == "NO_SUCH_METHOD")
        .unwrap();
    assert_eq!(
        missing.description,
        "A method only the new REST has returns the error `NO_SUCH_METHOD` with status 404 when called the old way."
    );
    let pending = spec
        .system_errors
        .iter()
        .find(|e| e.code == "CONFIRM_PENDING")
        .unwrap();
    assert_eq!(
        pending.description,
        "Some calls wait for the administrator."
    );
    // The paragraph right before an example ("When the administrator says no:") is not a
    // description: the section's lead paragraph is.
    let refused = spec
        .system_errors
        .iter()
        .find(|e| e.code == "CONFIRM_REFUSED")
        .unwrap();
    assert_eq!(
        refused.description,
        "Some calls wait for the administrator."
    );
}
