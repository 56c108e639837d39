//! The five methods this product started from, checked field by field against their markdown
//! pages in the newest snapshot (expected values read off the pages by hand).

use std::path::PathBuf;

use b24_spec::{ApiVersion, Method};

fn docs() -> PathBuf {
    std::env::var_os("B24_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/docs/b24restdocs-2026-08-21")
        })
}

fn method(page: &str) -> Method {
    method_reporting(page, &[])
}

/// The method, and exactly these diagnostics (line, kind) about its page.
fn method_reporting(page: &str, expected: &[(u32, b24_docs::DiagnosticKind)]) -> Method {
    let (kind, method, diagnostics) = b24_docs::extract_one(&docs(), page);
    assert_eq!(kind, b24_docs::PageKind::Method, "{page}");
    let found: Vec<(u32, b24_docs::DiagnosticKind)> =
        diagnostics.iter().map(|d| (d.line, d.kind)).collect();
    assert_eq!(found, expected, "{page}: {diagnostics:?}");
    method.expect("a method page")
}

fn params(m: &Method) -> Vec<(String, String, bool)> {
    m.params
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.ty.as_ref().map(|t| t.to_string()).unwrap_or_default(),
                p.required,
            )
        })
        .collect()
}

fn errors(m: &Method) -> Vec<(Option<u16>, String)> {
    m.errors
        .iter()
        .map(|e| (e.status, e.code.clone()))
        .collect()
}

fn owned(items: &[(&str, &str, bool)]) -> Vec<(String, String, bool)> {
    items
        .iter()
        .map(|(n, t, r)| ((*n).to_owned(), (*t).to_owned(), *r))
        .collect()
}

fn codes(items: &[(Option<u16>, &str)]) -> Vec<(Option<u16>, String)> {
    items.iter().map(|(s, c)| (*s, (*c).to_owned())).collect()
}

fn common(m: &Method, name: &str, scope: &[&str], access: &str) {
    assert_eq!(m.method, name);
    assert_eq!(m.api, ApiVersion::V2);
    assert_eq!(m.scope, scope);
    assert_eq!(m.access.as_deref(), Some(access));
    assert!(!m.deprecated.is_deprecated());
    assert!(m.system_errors);
    let result: Vec<&str> = m.result.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(result, ["result", "time"]);
    assert!(m.examples.response.is_some(), "{name}: response example");
}

#[test]
fn event_unbind() {
    let m = method("api-reference/events/event-unbind.md");
    common(&m, "event.unbind", &[], "any user");
    assert_eq!(
        params(&m),
        owned(&[
            ("event", "string", true),
            ("handler", "string", true),
            ("auth_type", "integer", false),
            ("event_type", "string", false)
        ])
    );
    assert_eq!(m.params[3].default.as_deref(), Some("online"));
    assert_eq!(
        errors(&m),
        codes(&[(Some(403), "ACCESS_DENIED"), (Some(403), "ACCESS_DENIED")])
    );
    assert!(m.errors[0]
        .message
        .starts_with("Access denied! Offline events unbinding"));
    let request = m.examples.request.as_ref().unwrap();
    assert_eq!(request["event"], "ONCRMLEADADD");
    assert!(request.get("auth").is_none());
}

#[test]
fn event_bind() {
    let m = method("api-reference/events/event-bind.md");
    common(&m, "event.bind", &[], "any user");
    assert_eq!(
        params(&m),
        owned(&[
            ("event", "string", true),
            ("handler", "string", true),
            ("auth_type", "integer", false),
            ("event_type", "string", false),
            ("auth_connector", "string", false),
            ("options", "object", false),
        ])
    );
    assert_eq!(
        errors(&m),
        codes(&[
            (Some(400), "ERROR_EVENT_NOT_FOUND"),
            (Some(403), "ACCESS_DENIED"),
            (Some(403), "ACCESS_DENIED")
        ])
    );
    assert_eq!(m.errors[0].message, "Event not found");
    assert_eq!(
        m.errors[0].description,
        "The event is incorrectly specified"
    );
}

#[test]
fn im_v2_event_unsubscribe() {
    let m = method("api-reference/chat-bots/chat-bots-v2/im.v2/events/event-unsubscribe.md");
    common(&m, "im.v2.Event.unsubscribe", &["im"], "authorized user");
    assert_eq!(params(&m), vec![]);
    assert_eq!(errors(&m), vec![]);
}

#[test]
fn imconnector_unregister() {
    // The table types `result` as a boolean; the page's response example sends an object.
    let m = method_reporting(
        "api-reference/imopenlines/imconnector/imconnector-unregister.md",
        &[(184, b24_docs::DiagnosticKind::WireShape)],
    );
    common(&m, "imconnector.unregister", &["imopenlines"], "any user");
    assert_eq!(params(&m), owned(&[("ID", "string", true)]));
    assert_eq!(
        errors(&m),
        codes(&[
            (Some(200), "APPLICATION_UNREGISTRATION_ERROR"),
            (Some(200), "NO_APPLICATION_ID"),
            (Some(403), "WRONG_AUTH_TYPE")
        ])
    );
    assert_eq!(m.errors[1].message, "Failed to retrieve application ID");
}

#[test]
fn crm_activity_binding_delete() {
    let m = method("api-reference/crm/timeline/activities/binding/crm-activity-binding-delete.md");
    common(
        &m,
        "crm.activity.binding.delete",
        &["crm"],
        "user with permission to edit CRM entities",
    );
    assert_eq!(
        params(&m),
        owned(&[
            ("activityId", "integer", true),
            ("entityTypeId", "integer", true),
            ("entityId", "integer", true)
        ])
    );
    assert_eq!(
        errors(&m),
        codes(&[
            (None, "100"),
            (None, "NOT_FOUND"),
            (None, "OWNER_NOT_FOUND"),
            (None, "ACCESS_DENIED"),
            (None, "BINDING_NOT_FOUND"),
            (None, "LAST_BINDING_CANNOT_BE_DELETED"),
        ])
    );
    assert_eq!(m.errors[0].description, "Required fields are not provided");
}
