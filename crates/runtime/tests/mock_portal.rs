//! The runtime against `bitrix24-mock` for what a portal does to a long-running client: OAuth
//! tokens that expire (refreshed once, then the call goes through), and the per-method
//! execution-time limit (`OPERATION_TIME_LIMIT`, held until `operating_reset_at`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bitrix24_mock::{Entity, Latency, OperatingLimit, Portal};
use bitrix24_runtime::{ApiVersion, Client, OAuth, Tokens};
use serde_json::json;

#[tokio::test(start_paused = true)]
async fn expired_tokens_are_refreshed_at_the_mocks_token_endpoint() {
    let portal = Portal::builder().bucket(None).start().await.unwrap();
    let app = portal.oauth_app();
    let renewed = Arc::new(Mutex::new(0));
    let seen = renewed.clone();
    let oauth = OAuth::new(
        &app.client_endpoint,
        app.client_id.clone(),
        app.client_secret.clone(),
        Tokens::new(app.access_token.clone(), app.refresh_token.clone()),
    )
    .unwrap()
    .with_refresh_url(&app.token_url)
    .unwrap()
    .on_refresh(move |_| *seen.lock().unwrap() += 1);
    let client = Client::builder(oauth).build().unwrap();
    let me = client
        .call_raw(ApiVersion::V2, "user.current", json!({}))
        .await
        .unwrap();
    assert_eq!(me.result["ID"], "1");
    portal.expire_tokens();
    let me = client
        .call_raw(ApiVersion::V2, "user.current", json!({}))
        .await
        .unwrap();
    assert_eq!(me.result["ID"], "1");
    assert_eq!(*renewed.lock().unwrap(), 1);
}

#[tokio::test(start_paused = true)]
async fn operation_time_limit_holds_the_method_until_the_window_resets() {
    let portal = Portal::builder()
        .seed(Entity::Deal, 3)
        .bucket(None)
        .latency(Latency {
            per_request: Duration::from_millis(10),
            per_call: Duration::ZERO,
        })
        .operating(OperatingLimit {
            budget: Duration::from_millis(25),
            window: Duration::from_secs(60),
        })
        .start()
        .await
        .unwrap();
    let client = Client::webhook(&portal.webhook_url()).unwrap();
    let started = tokio::time::Instant::now();
    for id in 1..=4 {
        let deal = client
            .call_raw(
                ApiVersion::V2,
                "crm.deal.get",
                json!({"id": (id - 1) % 3 + 1}),
            )
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "call {id} after {:?}, {:?}: {e}",
                    started.elapsed(),
                    portal.stats()
                )
            });
        assert!(deal.result["ID"].is_string());
    }
    // Three calls spend 30 ms of a 25 ms budget; the fourth waits for the next window.
    assert!(
        started.elapsed() >= Duration::from_secs(55),
        "{:?}",
        started.elapsed()
    );
    // Other methods were never held.
    let other = client
        .call_raw(ApiVersion::V2, "user.current", json!({}))
        .await;
    assert!(other.is_ok());
}
