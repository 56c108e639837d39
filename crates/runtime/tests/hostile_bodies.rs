//! Bodies a hostile or broken server sends: endless, announced as huge, trickling a byte at a
//! time, for method calls and token refreshes alike. The client reads at most
//! `max_response_bytes` and spends at most `call_deadline` on a call.

mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use bitrix24_runtime::{ApiVersion, Client, Error, OAuth, Tokens, TransportKind, Webhook};
use serde_json::json;
use support::stream::{endless, Shape};
use support::{scripted, Reply};

const MIB: u64 = 1 << 20;

fn client(base: &str, limit: u64) -> Client {
    Client::builder(Webhook::from_url(&format!("{base}/rest/1/code/")).unwrap())
        .max_response_bytes(limit)
        .build()
        .unwrap()
}

fn assert_too_large(err: &Error, limit: u64) {
    match err {
        Error::TooLarge { limit: l, .. } => assert_eq!(*l, limit),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_cap_while_reading() {
    let shape = Shape {
        chunk: 64 * 1024,
        every: Duration::ZERO,
        announced: None,
    };
    let (base, sent) = endless(shape).await;
    let err = client(&base, MIB)
        .call_raw(ApiVersion::V2, "crm.deal.list", json!({}))
        .await
        .unwrap_err();
    assert_too_large(&err, MIB);
    // The connection is dropped: the server soon cannot hand over another byte.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let settled = sent.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        sent.load(Ordering::SeqCst),
        settled,
        "the server still streams"
    );
    assert!(settled < 32 * MIB, "{settled} bytes went out");
}

#[tokio::test]
async fn a_huge_content_length_is_refused_before_reading() {
    let shape = Shape {
        chunk: 1024,
        every: Duration::from_millis(50),
        announced: Some(1 << 40),
    };
    let (base, _sent) = endless(shape).await;
    let err = client(&base, 64 * MIB)
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
        .await
        .unwrap_err();
    assert_too_large(&err, 64 * MIB);
}

#[tokio::test]
async fn a_refresh_response_is_capped_too_and_kept_as_the_cause() {
    let (portal, _server) = scripted(|_, _| {
        Reply::json(
            401,
            json!({"error": "expired_token", "error_description": ""}),
        )
    })
    .await;
    let shape = Shape {
        chunk: 64 * 1024,
        every: Duration::ZERO,
        announced: None,
    };
    let (auth, _sent) = endless(shape).await;
    let oauth = OAuth::new(
        &format!("{portal}/rest/"),
        "app.1",
        "app-secret",
        Tokens::new("access-0", "refresh-0"),
    )
    .unwrap()
    .with_refresh_url(&format!("{auth}/oauth/token/"))
    .unwrap();
    let client = Client::builder(oauth)
        .max_response_bytes(MIB)
        .build()
        .unwrap();
    let err = client
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
        .await
        .unwrap_err();
    let Error::Refresh { cause } = &err else {
        panic!("expected a refresh failure, got {err:?}");
    };
    assert_too_large(cause, MIB);
}

#[tokio::test(start_paused = true)]
async fn a_trickling_body_is_cut_at_the_call_deadline_across_retries() {
    let shape = Shape {
        chunk: 1,
        every: Duration::from_secs(1),
        announced: None,
    };
    let (base, _sent) = endless(shape).await;
    let client = Client::builder(Webhook::from_url(&format!("{base}/rest/1/code/")).unwrap())
        .timeout(Duration::from_secs(10))
        .call_deadline(Duration::from_secs(25))
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    // A read: every timeout is retried, so only the deadline ends the call.
    let err = client
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    // Two 10 s attempts and their back-offs fit; the third is cut when the 25 s are spent.
    assert!(
        took >= Duration::from_secs(25) && took < Duration::from_secs(26),
        "{took:?}"
    );
}
