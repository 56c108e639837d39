//! Every retry rule against a loopback server, on tokio's paused clock.

mod support;

use std::time::Duration;

use bitrix24_runtime::{
    unix_now, ApiVersion, CallOptions, Client, Error, RetryPolicy, TransportKind, Webhook,
};
use serde_json::json;
use support::{scripted, Reply};
use tokio::time::Instant;

fn client(base: &str) -> Client {
    Client::builder(Webhook::from_url(&format!("{base}/rest/1/code/")).unwrap())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn query_limit_is_retried_with_growing_delay_even_for_writes() {
    let (base, server) = scripted(|i, _| {
        if i < 2 {
            Reply::error(503, "QUERY_LIMIT_EXCEEDED")
        } else {
            Reply::ok(json!(11))
        }
    })
    .await;
    let client = client(&base);
    let start = Instant::now();
    let envelope = client
        .call_raw(
            ApiVersion::V2,
            "crm.deal.add",
            json!({"fields": {"TITLE": "x"}}),
        )
        .await
        .unwrap();
    assert_eq!(envelope.result, json!(11));
    assert_eq!(server.count(), 3);
    // Back-off 0.5 s then 1 s, on top of waiting for the (now saturated) bucket to drain.
    assert!(
        start.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn overload_limit_is_never_retried() {
    let (base, server) = scripted(|_, _| Reply::error(503, "OVERLOAD_LIMIT")).await;
    let err = client(&base)
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({"id": 1}))
        .await
        .unwrap_err();
    assert!(err.is_code("OVERLOAD_LIMIT"));
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn timeouts_are_retried_for_reads_only() {
    let respond = |i: usize, _: &support::Recorded| {
        let reply = Reply::ok(json!({"ok": true}));
        if i == 0 {
            reply.after(Duration::from_secs(60))
        } else {
            reply
        }
    };
    let (base, server) = scripted(respond).await;
    client(&base)
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({"id": 1}))
        .await
        .unwrap();
    assert_eq!(server.count(), 2, "a read that timed out is repeated");

    let (base, server) = scripted(respond).await;
    let err = client(&base)
        .call_raw(ApiVersion::V2, "crm.deal.add", json!({}))
        .await
        .unwrap_err();
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
    assert_eq!(
        server.count(),
        1,
        "a write that may have run is not repeated"
    );
}

#[derive(serde::Serialize)]
struct DealAdd {
    title: String,
}

impl bitrix24_runtime::Method for DealAdd {
    const NAME: &'static str = "crm.deal.add";
    const API: ApiVersion = ApiVersion::V2;
    const IDEMPOTENT: bool = false;
    type Response = u64;
}

#[tokio::test(start_paused = true)]
async fn writes_are_retried_after_timeouts_when_the_caller_opts_in() {
    let (base, server) = scripted(|i, _| {
        if i == 0 {
            Reply::ok(json!(5)).after(Duration::from_secs(60))
        } else {
            Reply::ok(json!(5))
        }
    })
    .await;
    let client = client(&base);
    let options = CallOptions {
        retry_writes: true,
        ..CallOptions::default()
    };
    let envelope = client
        .call_with(&DealAdd { title: "t".into() }, &options)
        .await
        .unwrap();
    assert_eq!(envelope.result, 5);
    assert_eq!(server.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn server_errors_without_a_known_code_are_retried_for_reads_only() {
    let respond = |i: usize, _: &support::Recorded| {
        if i == 0 {
            Reply::raw(502, "<html>bad gateway</html>")
        } else {
            Reply::ok(json!(1))
        }
    };
    let (base, server) = scripted(respond).await;
    client(&base)
        .call_raw(ApiVersion::V2, "crm.deal.list", json!({}))
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
    let (base, server) = scripted(respond).await;
    let err = client(&base)
        .call_raw(ApiVersion::V2, "crm.deal.update", json!({}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { status: 502, .. }), "{err:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn retries_stop_after_the_configured_number() {
    let (base, server) = scripted(|_, _| Reply::error(503, "QUERY_LIMIT_EXCEEDED")).await;
    let policy = RetryPolicy {
        max_retries: 3,
        ..RetryPolicy::default()
    };
    let client = Client::builder(Webhook::from_url(&format!("{base}/rest/1/code/")).unwrap())
        .retry(policy)
        .build()
        .unwrap();
    let err = client
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
        .await
        .unwrap_err();
    assert!(err.is_code("QUERY_LIMIT_EXCEEDED"));
    assert_eq!(server.count(), 4);
}

#[tokio::test(start_paused = true)]
async fn rest_v3_writes_carry_one_idempotency_key_across_retries_and_report_replays() {
    let (base, server) = scripted(|i, r| {
        let key = r.header("idempotency-key").unwrap_or("").to_owned();
        let reply = Reply::ok(json!({"item": {"id": 9}})).header("idempotency-key", key);
        match i {
            0 => reply.after(Duration::from_secs(60)),
            _ => reply.header("idempotent-replayed", "true"),
        }
    })
    .await;
    let envelope = client(&base)
        .call_raw(
            ApiVersion::V3,
            "tasks.task.add",
            json!({"fields": {"title": "t"}}),
        )
        .await
        .unwrap();
    assert!(envelope.replayed);
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        2,
        "the timed-out write is repeated because the key makes it safe"
    );
    let first = requests[0].header("idempotency-key").unwrap();
    assert!(!first.is_empty() && first.len() <= 255);
    assert_eq!(requests[1].header("idempotency-key"), Some(first));
}

#[tokio::test(start_paused = true)]
async fn operation_time_limit_holds_only_that_method_until_reset() {
    let (base, server) = scripted(|_, r| {
        let reset_at = unix_now() + 30.0;
        let blocked = r.method() == "crm.item.list" && r.body.get("blocked").is_some();
        if blocked {
            Reply::json(
                429,
                json!({"error": "OPERATION_TIME_LIMIT", "error_description": "limit"}),
            )
        } else {
            Reply::json(
                200,
                json!({"result": [], "time": {"operating": 480.0, "operating_reset_at": reset_at}}),
            )
        }
    })
    .await;
    let client = client(&base);
    client
        .call_raw(ApiVersion::V2, "crm.item.list", json!({}))
        .await
        .unwrap();

    let start = Instant::now();
    let held = {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .call_raw(ApiVersion::V2, "crm.item.list", json!({"blocked": 1}))
                .await
        })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    client
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
        .await
        .unwrap();
    let other_done = start.elapsed();
    assert!(
        other_done < Duration::from_secs(5),
        "other methods go on: {other_done:?}"
    );

    let err = held.await.unwrap().unwrap_err();
    assert!(err.is_code("OPERATION_TIME_LIMIT"));
    let blocked_calls = server
        .requests()
        .iter()
        .filter(|r| r.body.get("blocked").is_some())
        .count();
    assert!(
        blocked_calls >= 2,
        "the held method was tried again after the hold"
    );
    assert!(
        start.elapsed() >= Duration::from_secs(29),
        "the first repeat waited for operating_reset_at: {:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn a_hold_longer_than_allowed_fails_fast() {
    let (base, server) = scripted(|_, _| Reply::json(429, json!({"error": "OPERATION_TIME_LIMIT", "error_description": "", "time": {"operating_reset_at": unix_now() + 500.0}}))).await;
    let policy = RetryPolicy {
        max_operating_wait: Duration::from_secs(60),
        ..RetryPolicy::default()
    };
    let client = Client::builder(Webhook::from_url(&format!("{base}/rest/1/code/")).unwrap())
        .retry(policy)
        .build()
        .unwrap();
    let err = client
        .call_raw(ApiVersion::V2, "crm.item.list", json!({}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OperationHeld { .. }), "{err:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn refused_connections_are_retried_then_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let policy = RetryPolicy {
        max_retries: 2,
        ..RetryPolicy::default()
    };
    let client = Client::builder(
        Webhook::from_url(&format!("http://127.0.0.1:{port}/rest/1/code/")).unwrap(),
    )
    .retry(policy)
    .build()
    .unwrap();
    let start = Instant::now();
    let err = client
        .call_raw(ApiVersion::V2, "crm.deal.add", json!({}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        start.elapsed() >= Duration::from_millis(1500),
        "two back-offs happened: {:?}",
        start.elapsed()
    );
}

/// A raw TCP server: the first connection is dropped after reading the request, later ones get
/// a valid answer.
async fn dropping_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0u8; 65536];
            let _ = socket.read(&mut buf).await;
            if n == 0 {
                drop(socket);
                continue;
            }
            let body = r#"{"result":{"ok":true}}"#;
            let response = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    (format!("http://{addr}"), count)
}

#[tokio::test(start_paused = true)]
async fn dropped_connections_are_retried_for_reads_only() {
    use std::sync::atomic::Ordering;
    let (base, count) = dropping_server().await;
    client(&base)
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
        .await
        .unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 2);

    let (base, count) = dropping_server().await;
    let err = client(&base)
        .call_raw(ApiVersion::V2, "crm.deal.delete", json!({"id": 1}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Other,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 1);
}
