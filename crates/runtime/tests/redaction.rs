//! Secrets never show: not in `Debug`, not in `Display`, not in errors (reqwest errors carry the
//! URL, which holds a webhook's code), not in `tracing` output.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bitrix24_runtime::{ApiVersion, Client, OAuth, RetryPolicy, Tokens, Webhook};
use serde_json::json;
use support::{scripted, Reply};

const CODE: &str = "s3cr3tw3bh00kcode";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

fn assert_clean(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !text.contains(secret),
            "secret {secret:?} leaked into: {text}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn webhook_code_never_leaks() {
    let (logs, _guard) = capture();
    let (base, _server) = scripted(|i, r| match i {
        0 => Reply::error(503, "QUERY_LIMIT_EXCEEDED"),
        1 => Reply::json(
            400,
            json!({"error": "ERROR_CORE", "error_description": format!("bad call to {}", r.path)}),
        ),
        2 => Reply::ok(json!(1)).after(Duration::from_secs(30)),
        _ => Reply::raw(200, "{\"result\": tru"),
    })
    .await;
    let client = Client::builder(Webhook::from_url(&format!("{base}/rest/1/{CODE}/")).unwrap())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut shown = vec![format!("{client:?}")];
    let api = client
        .call_raw(ApiVersion::V2, "crm.deal.add", json!({}))
        .await
        .unwrap_err();
    assert!(api.is_code("ERROR_CORE"));
    let timeout = client
        .call_raw(ApiVersion::V2, "crm.deal.add", json!({}))
        .await
        .unwrap_err();
    let decode = client
        .call_raw(ApiVersion::V2, "crm.deal.add", json!({}))
        .await
        .unwrap_err();
    for err in [&api, &timeout, &decode] {
        shown.push(format!("{err} {err:?}"));
    }
    assert!(
        shown[1].contains("bad call to"),
        "the description is kept, only the code is scrubbed"
    );

    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let policy = RetryPolicy {
        max_retries: 0,
        ..RetryPolicy::default()
    };
    let refused = Client::builder(
        Webhook::from_url(&format!("http://127.0.0.1:{port}/rest/1/{CODE}/")).unwrap(),
    )
    .retry(policy)
    .build()
    .unwrap();
    let connect = refused
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
        .await
        .unwrap_err();
    shown.push(format!("{connect} {connect:?}"));
    assert!(shown.last().unwrap().contains("connect"));

    assert_clean(&shown.join("\n"), &[CODE]);
    assert_clean(&logs.text(), &[CODE]);
    assert!(
        logs.text().contains("repeating call"),
        "tracing did record the retry"
    );
}

#[tokio::test(start_paused = true)]
async fn oauth_tokens_and_client_secret_never_leak() {
    let (logs, _guard) = capture();
    let (base, _server) = scripted(|_, r| {
        if r.path.starts_with("/oauth/token") {
            return Reply::json(200, json!({"access_token": "fresh-access-tok", "refresh_token": "fresh-refresh-tok"}));
        }
        match r.body.get("auth").and_then(|a| a.as_str()) {
            Some("fresh-access-tok") => Reply::json(403, json!({"error": "ACCESS_DENIED", "error_description": "token fresh-access-tok lacks scope"})),
            _ => Reply::json(401, json!({"error": "expired_token", "error_description": "stale-access-tok expired"})),
        }
    })
    .await;
    let oauth = OAuth::new(
        &format!("{base}/rest/"),
        "app.1",
        "the-client-secret",
        Tokens::new("stale-access-tok", "stale-refresh-tok"),
    )
    .unwrap()
    .with_refresh_url(&format!("{base}/oauth/token/"))
    .unwrap();
    let client = Client::builder(oauth).build().unwrap();
    let err = client
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
        .await
        .unwrap_err();
    assert!(err.is_code("ACCESS_DENIED"));
    let shown = format!("{client:?} {err} {err:?}");
    let secrets = [
        "stale-access-tok",
        "stale-refresh-tok",
        "fresh-access-tok",
        "fresh-refresh-tok",
        "the-client-secret",
    ];
    assert_clean(&shown, &secrets);
    assert_clean(&logs.text(), &secrets);
}

/// Every way a secret can be echoed back: raw, percent-encoded (both hex cases), form-encoded,
/// JSON-escaped (as serde_json and as PHP write it).
fn echoes(secret: &str) -> Vec<String> {
    let upper: String = secret
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    vec![
        secret.to_owned(),
        upper.clone(),
        upper.to_lowercase(),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        secret.replace('/', "\\/"),
    ]
}

#[tokio::test(start_paused = true)]
async fn a_refresh_failure_keeps_its_cause_and_no_encoding_of_a_secret() {
    const REFRESH: &str = "refr/esh+tok=1";
    const SECRET: &str = "cl ient/secret";
    let (logs, _guard) = capture();
    let (base, _server) = scripted(|_, r| {
        if r.path.starts_with("/oauth/token") {
            // The authorisation server echoes what it got, as it got it (percent-encoded).
            let description = format!(
                "bad grant for {} ({}); JSON {}",
                r.query,
                REFRESH.replace('/', "\\/"),
                json!({"secret": SECRET})
            );
            return Reply::json(
                400,
                json!({"error": "invalid_grant", "error_description": description}),
            );
        }
        Reply::json(
            401,
            json!({"error": "expired_token", "error_description": ""}),
        )
    })
    .await;
    let oauth = OAuth::new(
        &format!("{base}/rest/"),
        "app.1",
        SECRET,
        Tokens::new("acc/ess", REFRESH),
    )
    .unwrap()
    .with_refresh_url(&format!("{base}/oauth/token/"))
    .unwrap();
    let client = Client::builder(oauth).build().unwrap();
    let err = client
        .call_raw(ApiVersion::V2, "crm.deal.get", json!({}))
        .await
        .unwrap_err();
    let cause = std::error::Error::source(&err).expect("the refresh failure keeps its cause");
    assert!(cause.to_string().contains("invalid_grant"), "{cause}");
    assert!(cause.to_string().contains("bad grant for"), "{cause}");
    let shown = format!("{err} {err:?} {cause} {cause:?}");
    let mut secrets: Vec<String> = echoes(REFRESH);
    secrets.extend(echoes(SECRET));
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_clean(&shown, &secrets);
    assert!(logs.text().contains("OAuth token refresh failed"));
    assert_clean(&logs.text(), &secrets);
}

#[tokio::test(start_paused = true)]
async fn typed_decode_errors_name_the_path_not_the_value() {
    #[derive(serde::Serialize)]
    struct UserGet;
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct User {
        #[serde(rename = "ID")]
        id: u64,
    }
    impl bitrix24_runtime::Method for UserGet {
        const NAME: &'static str = "user.get";
        const API: ApiVersion = ApiVersion::V2;
        const IDEMPOTENT: bool = true;
        type Response = User;
    }
    let (base, _server) = scripted(|_, _| Reply::ok(json!({"ID": "personal-value-7731"}))).await;
    let client = Client::webhook(&format!("{base}/rest/1/{CODE}/")).unwrap();
    let err = client.call(&UserGet).await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("result.ID"), "{shown}");
    assert_clean(&shown, &["personal-value-7731", CODE]);
}
