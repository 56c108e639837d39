//! The mock over HTTP, as any client sees it: webhook and OAuth URLs of both REST versions,
//! validation errors in the documented shapes, state round-trips, batch, limits and OAuth.

use bitrix24_mock::{Entity, Fault, Portal};
use serde_json::{json, Value};

async fn post(url: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn every_spec_method_is_served_and_validated() {
    let portal = Portal::builder().bucket(None).start().await.unwrap();
    assert!(portal.methods() > 1500, "{}", portal.methods());
    let hook = portal.webhook_url();
    // A documented example answers a valid call of a method without state.
    let (status, body) = post(&format!("{hook}crm.deal.fields"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["result"]["TITLE"].is_object(), "{body}");
    assert!(body["time"]["operating_reset_at"].is_number());
    // A missing required member: the page's own error (v2).
    let (status, body) = post(&format!("{hook}crm.deal.get"), json!({})).await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (400, Some("ID is not defined or invalid"))
    );
    // REST 3.0 at /rest/api/: strict, with a validation list.
    let v3 = hook.replace("/rest/", "/rest/api/");
    let (status, body) = post(&format!("{v3}tasks.task.get"), json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["code"],
        "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION"
    );
    assert_eq!(body["error"]["validation"][0]["field"], "id");
    let (status, body) = post(&format!("{hook}no.such.method"), json!({})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("ERROR_METHOD_NOT_FOUND"))
    );
    let (status, _) = post(
        &format!("{}/rest/1/wrongcode/user.current", portal.base_url()),
        json!({}),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn core_entities_round_trip_through_a_webhook() {
    let portal = Portal::builder().bucket(None).start().await.unwrap();
    let hook = portal.webhook_url();
    let (_, added) = post(
        &format!("{hook}crm.contact.add"),
        json!({"fields": {"NAME": "Ann"}}),
    )
    .await;
    let id = added["result"].as_u64().unwrap();
    let (_, got) = post(&format!("{hook}crm.contact.get"), json!({"id": id})).await;
    assert_eq!(got["result"]["NAME"], "Ann");
    post(
        &format!("{hook}crm.contact.update"),
        json!({"id": id, "fields": {"NAME": "Bo"}}),
    )
    .await;
    let (_, list) = post(
        &format!("{hook}crm.contact.list"),
        json!({"filter": {"NAME": "Bo"}}),
    )
    .await;
    assert_eq!(
        (list["result"][0]["ID"].as_str(), list["total"].as_u64()),
        (Some("1"), Some(1))
    );
    let (_, deleted) = post(&format!("{hook}crm.contact.delete"), json!({"id": id})).await;
    assert_eq!(deleted["result"], true);
    let (status, _) = post(&format!("{hook}crm.contact.get"), json!({"id": id})).await;
    assert_eq!(status, 400);
    assert_eq!(portal.count(Entity::Contact), 0);
}

#[tokio::test]
async fn batch_pages_and_references_as_documented() {
    let portal = Portal::builder()
        .seed(Entity::Deal, 120)
        .bucket(None)
        .start()
        .await
        .unwrap();
    let hook = portal.webhook_url();
    let cmd = json!({
        "p0": "crm.deal.list?start=-1&order[ID]=ASC&select[]=ID",
        "p1": "crm.deal.list?start=-1&order[ID]=ASC&filter[>ID]=$result[p0][49][ID]",
        "bad": "crm.deal.get?id=999",
    });
    let (_, body) = post(&format!("{hook}batch"), json!({"halt": 0, "cmd": cmd})).await;
    let result = &body["result"];
    assert_eq!(result["result"]["p1"][0]["ID"], "51");
    assert_eq!(result["result"]["p1"].as_array().unwrap().len(), 50);
    assert!(result["result_error"]["bad"]["error_description"].is_string());
    assert_eq!(portal.stats().requests, 1);
    let (_, page) = post(&format!("{hook}crm.deal.list"), json!({"start": 100})).await;
    assert_eq!(
        (page["total"].as_u64(), page.get("next")),
        (Some(120), None)
    );
}

#[tokio::test]
async fn limits_faults_and_oauth_expiry() {
    let portal = Portal::start().await.unwrap();
    let hook = portal.webhook_url();
    portal.fill_bucket();
    let (status, body) = post(&format!("{hook}user.current"), json!({})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("QUERY_LIMIT_EXCEEDED"))
    );
    assert_eq!(portal.stats().refused, 1);

    let portal = Portal::builder().bucket(None).start().await.unwrap();
    let hook = portal.webhook_url();
    portal.inject(Fault::error(
        "user.current",
        1,
        500,
        "INTERNAL_SERVER_ERROR",
        "boom",
    ));
    assert_eq!(post(&format!("{hook}user.current"), json!({})).await.0, 500);
    assert_eq!(post(&format!("{hook}user.current"), json!({})).await.0, 200);
    portal.set_overloaded(true);
    let (status, body) = post(&format!("{hook}user.current"), json!({})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("OVERLOAD_LIMIT"))
    );
    portal.set_overloaded(false);

    let app = portal.oauth_app();
    let call = format!("{}user.current", app.client_endpoint);
    let (status, _) = post(&call, json!({"auth": app.access_token})).await;
    assert_eq!(status, 200);
    portal.expire_tokens();
    let (status, body) = post(&call, json!({"auth": app.access_token})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("expired_token"))
    );
    let refreshed: Value = reqwest::Client::new()
        .get(&app.token_url)
        .query(&[
            ("grant_type", "refresh_token"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.as_str()),
            ("refresh_token", app.refresh_token.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (status, _) = post(&call, json!({"auth": refreshed["access_token"]})).await;
    assert_eq!(status, 200);
}
