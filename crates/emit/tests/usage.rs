//! The generated crate in use: calls of different shapes (no parameters, nested fields, arrays,
//! a deprecated method, REST 3.0, an error) against a loopback server, checking the exact JSON
//! sent and the typed result.

#![allow(deprecated)]

use bitrix24::prelude::*;
use bitrix24::{crm, ErrorCode};
use serde_json::{json, Value};

mod support;
use support::{portal, Seen};

fn only(seen: &Seen) -> (String, Value) {
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    seen[0].clone()
}

#[tokio::test]
async fn method_without_parameters_sends_an_empty_object() {
    let (client, seen) = portal(json!({"result": {"ID": {"type": "integer"}}})).await;
    let fields = client.crm().deal().fields().await.unwrap();
    assert!(fields.contains_key("ID"));
    assert_eq!(
        only(&seen),
        ("/rest/1/code/crm.deal.fields".to_owned(), json!({}))
    );
}

#[tokio::test]
async fn nested_fields_keep_wire_names_and_yes_no_flags() {
    let (client, seen) = portal(json!({"result": 17})).await;
    let mut fields = crm::Deal::new();
    fields.title = Some("Lamps".into());
    fields.opened = Some(true);
    fields.opportunity = Some(99.5);
    fields.contact_ids = Some(vec![3, 4]);
    fields
        .extra
        .insert("UF_CRM_1700000000".into(), json!("custom"));
    let id = client.crm().deal().add(fields).await.unwrap();
    assert_eq!(id, 17);
    let (path, body) = only(&seen);
    assert_eq!(path, "/rest/1/code/crm.deal.add");
    assert_eq!(
        body,
        // The page's curl example spells the top-level keys `FIELDS`, `PARAMS`: sent as it does.
        json!({"FIELDS": {
            "TITLE": "Lamps",
            "OPPORTUNITY": 99.5,
            "CONTACT_IDS": [3, 4],
            "OPENED": "Y",
            "UF_CRM_1700000000": "custom"
        }})
    );
}

#[tokio::test]
async fn arrays_and_maps_are_sent_as_given() {
    let (client, seen) = portal(json!({"result": [{"ID": "1"}], "total": 1})).await;
    let filter = bitrix24::Filter::new().gt(crm::Deal::OPPORTUNITY, 100);
    let deals = client
        .crm()
        .deal()
        .list()
        .with(|r| {
            r.select([crm::Deal::ID, crm::Deal::TITLE])
                .filter(filter)
                .start(50)
        })
        .envelope()
        .await
        .unwrap();
    assert_eq!(deals.total, Some(1));
    assert_eq!(deals.result.len(), 1);
    assert_eq!(
        only(&seen).1,
        json!({"SELECT": ["ID", "TITLE"], "FILTER": {">OPPORTUNITY": 100}, "start": 50})
    );
}

#[tokio::test]
async fn deprecated_method_still_calls_and_decodes_leniently() {
    let reply = json!({"result": {"ID": "42", "TITLE": "Lamps", "OPENED": "Y", "OPPORTUNITY": "10.50",
        "LEAD_ID": null, "UF_CRM_5": "x"}});
    let (client, seen) = portal(reply).await;
    let deal = client.crm().deal().get(42).await.unwrap();
    assert_eq!(deal.id(), Some(42));
    assert_eq!(deal.title.as_deref(), Some("Lamps"));
    assert_eq!(deal.opened, Some(true));
    assert_eq!(deal.opportunity, Some(10.5));
    assert_eq!(deal.lead_id(), None);
    assert_eq!(deal.uf_crm.get("UF_CRM_5"), Some(&json!("x")));
    assert!(deal.extra.is_empty(), "{:?}", deal.extra);
    // The page's own example sends `ID` (REST v2 reads the name in any case).
    assert_eq!(only(&seen).1, json!({"ID": 42}));
}

#[tokio::test]
async fn rest_v3_methods_live_apart_and_use_the_api_path() {
    let (client, seen) = portal(json!({"result": {"item": {"id": 5, "title": "Docs"}}})).await;
    let task = client.v3().tasks().task().get(5).await.unwrap();
    assert_eq!(task.item.unwrap()["title"], json!("Docs"));
    let (path, body) = only(&seen);
    assert_eq!(path, "/rest/api/1/code/tasks.task.get");
    assert_eq!(body, json!({"id": 5}));
}

#[tokio::test]
async fn api_errors_map_to_error_codes() {
    let (client, _) = portal(json!({"error": "ACCESS_DENIED", "error_description": "no"})).await;
    let err = client.crm().deal().get(1).await.unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::AccessDenied));
    assert_eq!(
        ErrorCode::from("query_limit_exceeded"),
        ErrorCode::QueryLimitExceeded
    );
    assert!(ErrorCode::QueryLimitExceeded.is_retryable());
    assert!(!ErrorCode::OverloadLimit.is_retryable());
    assert_eq!(
        "NEW_CODE".parse::<ErrorCode>(),
        Ok(ErrorCode::Other("NEW_CODE".into()))
    );
}

#[tokio::test]
async fn an_error_with_an_empty_code_shows_its_message() {
    let (client, _) = portal(json!({"error": "", "error_description": "Rate is wrong"})).await;
    let err = client.crm().deal().get(1).await.unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::Empty));
    assert_eq!(err.to_string(), "Bitrix24 error (HTTP 400): Rate is wrong");
    assert_eq!(ErrorCode::Empty.to_string(), "(no code)");
    assert_eq!(ErrorCode::Empty.as_str(), "");
    assert_eq!(ErrorCode::from(" "), ErrorCode::Empty);
}

#[tokio::test]
async fn every_request_type_is_a_runtime_method() {
    use bitrix24::Method;
    assert_eq!(<crm::DealGet as Method>::NAME, "crm.deal.get");
    assert_eq!(
        (
            <crm::DealGet as Method>::IDEMPOTENT,
            <crm::DealAdd as Method>::IDEMPOTENT
        ),
        (true, false)
    );
    let (client, seen) = portal(json!({"result": {"ID": "1"}})).await;
    let deal = client.call(&crm::DealGet::new(1)).await.unwrap();
    assert_eq!(deal.id(), Some(1));
    assert_eq!(only(&seen).1, json!({"ID": 1}));
}

#[test]
fn debug_shows_the_type_and_what_travels_and_equality_follows_it() {
    let deal = crm::Deal::new().title("Lamps").opened(true);
    assert_eq!(
        format!("{deal:?}"),
        // In page order, as sent; unset fields are left out.
        r#"Deal {"TITLE":"Lamps","OPENED":"Y"}"#
    );
    assert!(format!("{deal:#?}").starts_with("Deal {\n  \"TITLE\": \"Lamps\",\n"));
    assert_eq!(deal, crm::Deal::new().opened(true).title("Lamps"));
    assert_ne!(deal, crm::Deal::new().title("Lamps"));
}

#[test]
fn a_bad_field_is_named_and_the_first_bad_field_in_page_order_wins() {
    let read = |body: Value| {
        serde_json::from_value::<crm::Deal>(body)
            .unwrap_err()
            .to_string()
    };
    let err = read(json!({"TITLE": "ok", "OPPORTUNITY": {"not": "a number"}}));
    assert!(err.starts_with("field `OPPORTUNITY`: "), "{err}");
    // The deal's page lists PROBABILITY before OPPORTUNITY.
    let err = read(json!({
        "OPPORTUNITY": {"not": "a number"},
        "PROBABILITY": {"not": "a number either"},
    }));
    assert!(err.starts_with("field `PROBABILITY`: "), "{err}");
    let ok: crm::Deal =
        serde_json::from_value(json!({"TITLE": "ok", "OPPORTUNITY": "10.5"})).unwrap();
    assert_eq!(ok.opportunity, Some(10.5));
}

/// `*.fields` answers describe each field under its name: typed, in the portal's order, and
/// written back exactly as read.
#[tokio::test]
async fn field_descriptions_are_typed_in_the_portals_order() {
    let answer = json!({
        "TITLE": {"type": "string", "isRequired": false, "isReadOnly": false, "title": "Name"},
        "ID": {"type": "integer", "isReadOnly": true, "upperName": "ID"},
    });
    let (client, _seen) = portal(json!({ "result": answer.clone() })).await;
    let fields = client.crm().lead().fields().await.unwrap();
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(names, ["TITLE", "ID"]);
    assert_eq!(fields["ID"].field_type.as_deref(), Some("integer"));
    assert_eq!(fields["ID"].is_read_only, Some(true));
    assert_eq!(fields["TITLE"].title.as_deref(), Some("Name"));
    assert_eq!(fields["ID"].extra["upperName"], json!("ID"));
    assert_eq!(serde_json::to_value(&fields).unwrap(), answer);
}

/// An object keyed by ID (a PHP array with ID keys) keeps its keys; PHP's empty array is an
/// empty map.
#[test]
fn keyed_answers_keep_their_keys_and_read_an_empty_array_as_empty() {
    let keyed: bitrix24::Keyed<i64> = serde_json::from_value(json!({"7": "3", "3": 5})).unwrap();
    assert_eq!(keyed.keys().collect::<Vec<_>>(), ["7", "3"]);
    assert_eq!(keyed["7"], 3);
    let empty: bitrix24::Keyed<i64> = serde_json::from_value(json!([])).unwrap();
    assert!(empty.is_empty());
    let error = serde_json::from_value::<bitrix24::Keyed<i64>>(json!({"9": "x"})).unwrap_err();
    assert!(error.to_string().contains("key `9`"), "{error}");
}
