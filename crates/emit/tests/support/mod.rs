//! A loopback portal for the generated crate's tests: it answers every call with one reply
//! and records the path and JSON body of each request.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::Uri;
use axum::Router;
use bitrix24::Client;
use serde_json::Value;

/// What the server saw: path and JSON body of each request.
pub type Seen = Arc<Mutex<Vec<(String, Value)>>>;

/// Serves `reply` on loopback and returns a webhook client pointed at it.
pub async fn portal(reply: Value) -> (Client, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |uri: Uri, body: Bytes| {
        let log = log.clone();
        let reply = reply.clone();
        async move {
            let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            log.lock().unwrap().push((uri.path().to_owned(), body));
            let status = if reply.get("error").is_some() {
                400
            } else {
                200
            };
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                axum::Json(reply),
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::webhook(&format!("http://{addr}/rest/1/code/")).unwrap();
    (client, seen)
}
