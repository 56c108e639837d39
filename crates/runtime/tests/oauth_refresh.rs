//! OAuth: refresh only on 401 `expired_token`, exactly once however many calls hit the expiry,
//! new tokens handed to the hook, and the call repeated with the new token.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bitrix24_runtime::{ApiVersion, Client, Error, OAuth, Tokens};
use serde_json::json;
use support::{scripted, Reply};

async fn portal() -> (String, Arc<support::Scripted>) {
    scripted(|_, r| {
        if r.path.starts_with("/oauth/token") {
            assert!(r.query.contains("grant_type=refresh_token") && r.query.contains("refresh_token=old-refresh") && r.query.contains("client_id=app.1"));
            // A slow authorisation server widens the window in which calls pile up.
            return Reply::json(200, json!({"access_token": "new-access", "refresh_token": "new-refresh", "expires": 1780319382, "member_id": "m1"})).after(Duration::from_millis(200));
        }
        match r.body.get("auth").and_then(|a| a.as_str()) {
            Some("new-access") => Reply::ok(json!({"ok": true})),
            _ => Reply::json(401, json!({"error": "expired_token", "error_description": "The access token provided has expired."})),
        }
    })
    .await
}

fn client(base: &str, saved: Arc<Mutex<Vec<Tokens>>>) -> Client {
    let oauth = OAuth::new(
        &format!("{base}/rest/"),
        "app.1",
        "client-secret",
        Tokens::new("old-access", "old-refresh"),
    )
    .unwrap()
    .with_refresh_url(&format!("{base}/oauth/token/"))
    .unwrap()
    .on_refresh(move |tokens| saved.lock().unwrap().push(tokens.clone()));
    Client::builder(oauth).build().unwrap()
}

#[tokio::test(start_paused = true)]
async fn many_concurrent_expiries_cause_exactly_one_refresh() {
    let (base, server) = portal().await;
    let saved = Arc::new(Mutex::new(Vec::new()));
    let client = client(&base, saved.clone());
    let calls: Vec<_> = (0..25)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .call_raw(ApiVersion::V2, "crm.deal.get", json!({ "id": i }))
                    .await
            })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().result, json!({"ok": true}));
    }
    let refreshes = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/oauth/token"))
        .count();
    assert_eq!(refreshes, 1);
    let saved = saved.lock().unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].access_token.expose(), "new-access");
    assert_eq!(saved[0].refresh_token.expose(), "new-refresh");
    // OAuth calls go to client_endpoint + method with the token in the body.
    let call = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/rest/crm.deal.get")
        .unwrap();
    assert!(call.body.get("auth").is_some() && call.body.get("id").is_some());
}

#[tokio::test(start_paused = true)]
async fn no_refresh_without_expired_token() {
    let (base, server) = scripted(|_, r| {
        if r.path.starts_with("/oauth/token") {
            panic!("refresh must not be called");
        }
        Reply::json(
            401,
            json!({"error": "NO_AUTH_FOUND", "error_description": "Wrong authorization data"}),
        )
    })
    .await;
    let client = client(&base, Arc::new(Mutex::new(Vec::new())));
    let err = client
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
        .await
        .unwrap_err();
    assert!(err.is_code("NO_AUTH_FOUND"));
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failed_refresh_is_shared_and_reported_without_secrets() {
    let (base, server) = scripted(|_, r| {
        if r.path.starts_with("/oauth/token") {
            return Reply::json(
                400,
                json!({"error": "invalid_grant", "error_description": "refresh token expired"}),
            )
            .after(Duration::from_millis(100));
        }
        Reply::json(
            401,
            json!({"error": "expired_token", "error_description": ""}),
        )
    })
    .await;
    let client = client(&base, Arc::new(Mutex::new(Vec::new())));
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
                    .await
            })
        })
        .collect();
    for call in calls {
        let err = call.await.unwrap().unwrap_err();
        let Error::Refresh { cause } = &err else {
            panic!("not a refresh failure: {err:?}");
        };
        assert!(cause.is_code("invalid_grant"), "{cause:?}");
        let source = std::error::Error::source(&err).expect("the cause is the source");
        assert!(source.to_string().contains("refresh token expired"));
        let text = format!("{err} {err:?}");
        assert!(text.contains("invalid_grant"));
        for secret in ["old-access", "old-refresh", "client-secret"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
    let refreshes = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/oauth/token"))
        .count();
    assert_eq!(
        refreshes, 1,
        "waiters share the failure instead of retrying the refresh"
    );
}
