//! Plain calls against a loopback server: URLs, headers, envelopes, error bodies, malformed
//! bodies, REST 3.0 and the documented domain-change redirect to a trusted host (hostile
//! redirects are in `redirects.rs`).

mod support;

use bitrix24_runtime::{ApiVersion, Client, Error, Method, Webhook};
use serde::{Deserialize, Serialize};
use serde_json::json;
use support::{scripted, Reply};

#[derive(Serialize)]
struct DealGet {
    id: u64,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Deal {
    #[serde(rename = "ID", deserialize_with = "bitrix24_runtime::lenient::int")]
    id: u64,
    #[serde(
        rename = "OPENED",
        deserialize_with = "bitrix24_runtime::lenient::yes_no"
    )]
    opened: bool,
}

impl Method for DealGet {
    const NAME: &'static str = "crm.deal.get";
    const API: ApiVersion = ApiVersion::V2;
    const IDEMPOTENT: bool = true;
    type Response = Deal;
}

#[derive(Serialize)]
struct TaskGet {
    id: u64,
}

impl Method for TaskGet {
    const NAME: &'static str = "tasks.task.get";
    const API: ApiVersion = ApiVersion::V3;
    const IDEMPOTENT: bool = true;
    type Response = serde_json::Value;
}

#[tokio::test(start_paused = true)]
async fn typed_call_posts_json_to_the_webhook_url_and_decodes_result() {
    let (base, server) = scripted(|_, _| {
        Reply::json(200, json!({"result": {"ID": "42", "OPENED": "Y"}, "time": {"start": 1, "finish": 2, "operating": 0.5, "operating_reset_at": 1700000000}}))
    })
    .await;
    let client = Client::webhook(&format!("{base}/rest/1/webhookcode/")).unwrap();
    let envelope = client.call_envelope(&DealGet { id: 42 }).await.unwrap();
    assert_eq!(
        envelope.result,
        Deal {
            id: 42,
            opened: true
        }
    );
    assert_eq!(envelope.time.unwrap().operating, Some(0.5));
    let request = &server.requests()[0];
    assert_eq!(request.path, "/rest/1/webhookcode/crm.deal.get");
    assert_eq!(request.body, json!({"id": 42}));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert!(request
        .header("user-agent")
        .unwrap()
        .starts_with("bitrix24-rust-sdk/"));
}

#[tokio::test(start_paused = true)]
async fn rest_v3_goes_under_rest_api() {
    let (base, server) = scripted(|_, _| Reply::ok(json!({"item": {"id": 7}}))).await;
    let client = Client::webhook(&format!("{base}/rest/1/webhookcode/")).unwrap();
    let result = client.call(&TaskGet { id: 7 }).await.unwrap();
    assert_eq!(result, json!({"item": {"id": 7}}));
    assert_eq!(
        server.requests()[0].path,
        "/rest/api/1/webhookcode/tasks.task.get"
    );
    assert!(
        server.requests()[0].header("idempotency-key").is_none(),
        "reads need no key"
    );
}

#[tokio::test(start_paused = true)]
async fn raw_call_keeps_total_and_next() {
    let (base, _server) =
        scripted(|_, _| Reply::json(200, json!({"result": [1, 2], "total": 120, "next": 50})))
            .await;
    let client = Client::webhook(&format!("{base}/rest/1/code/")).unwrap();
    let envelope = client
        .call_raw(ApiVersion::V2, "crm.deal.list", json!({}))
        .await
        .unwrap();
    assert_eq!((envelope.total, envelope.next), (Some(120), Some(50)));
}

#[tokio::test(start_paused = true)]
async fn error_bodies_become_api_errors() {
    let (base, _server) = scripted(|_, _| {
        Reply::json(
            400,
            json!({"error": "ERROR_CORE", "error_description": "bad filter"}),
        )
    })
    .await;
    let client = Client::webhook(&format!("{base}/rest/1/code/")).unwrap();
    let err = client.call(&DealGet { id: 1 }).await.unwrap_err();
    match err {
        Error::Api {
            status,
            code,
            description,
        } => assert_eq!(
            (status, code.as_str(), description.as_str()),
            (400, "ERROR_CORE", "bad filter")
        ),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn malformed_and_truncated_bodies_are_decode_errors() {
    for body in [
        "",
        "{\"result\": {\"ID\": \"4",
        "<html>oops</html>",
        "{\"result\": {\"ID\": \"x\", \"OPENED\": \"Y\"}}",
    ] {
        let body = body.to_owned();
        let (base, _server) = scripted(move |_, _| Reply::raw(200, &body)).await;
        let client = Client::webhook(&format!("{base}/rest/1/code/")).unwrap();
        let err = client.call(&DealGet { id: 1 }).await.unwrap_err();
        assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn address_change_redirect_repeats_the_post_and_sticks() {
    let (new_base, new_server) =
        scripted(|_, _| Reply::ok(json!({"ID": "1", "OPENED": "N"}))).await;
    let target = new_base.clone();
    let (old_base, old_server) =
        scripted(move |_, r| Reply::raw(302, "").header("location", format!("{target}{}", r.path)))
            .await;
    // The documented address change: the caller trusts the portal's new address.
    let new_host = new_base.trim_start_matches("http://").to_owned();
    let client = Client::builder(Webhook::from_url(&format!("{old_base}/rest/1/code/")).unwrap())
        .trust_redirect_host(new_host)
        .build()
        .unwrap();
    let deal = client.call(&DealGet { id: 1 }).await.unwrap();
    assert!(!deal.opened);
    assert_eq!(
        new_server.requests()[0].body,
        json!({"id": 1}),
        "the POST body survives the redirect"
    );
    client.call(&DealGet { id: 2 }).await.unwrap();
    assert_eq!(
        old_server.count(),
        1,
        "later calls go to the new address directly"
    );
    assert_eq!(new_server.count(), 2);
    assert_eq!(new_server.requests()[1].path, "/rest/1/code/crm.deal.get");
}
