//! Test support: a loopback HTTP server with scripted answers, and a fake portal with list
//! methods, `batch` and the documented leaky bucket.

#![allow(dead_code)]

pub mod portal;
pub mod stream;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::Value;

/// Serve `router` on an ephemeral loopback port; returns `http://127.0.0.1:PORT`.
pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    format!("http://{addr}")
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub query: String,
    pub body: Value,
    pub headers: HeaderMap,
}

impl Recorded {
    /// The method name: the last path segment.
    pub fn method(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn ok(result: Value) -> Self {
        Self::json(
            200,
            serde_json::json!({ "result": result, "time": { "start": 1.0, "finish": 1.1 } }),
        )
    }

    pub fn error(status: u16, code: &str) -> Self {
        Self::json(
            status,
            serde_json::json!({ "error": code, "error_description": format!("{code} happened") }),
        )
    }

    pub fn raw(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_owned(),
            delay: Duration::ZERO,
        }
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

type Respond = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

/// A server that logs every request and answers with `respond(index, request)`.
pub struct Scripted {
    pub log: Mutex<Vec<Recorded>>,
    respond: Box<Respond>,
}

impl Scripted {
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.log.lock().unwrap().len()
    }
}

/// Start a scripted server.
pub async fn scripted(
    respond: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
) -> (String, Arc<Scripted>) {
    let script = Arc::new(Scripted {
        log: Mutex::new(Vec::new()),
        respond: Box::new(respond),
    });
    let shared = script.clone();
    let router = Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: Bytes| {
        let script = shared.clone();
        async move { answer(&script, uri, headers, body).await }
    });
    (serve(router).await, script)
}

async fn answer(script: &Scripted, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let recorded = Recorded {
        path: uri.path().to_owned(),
        query: uri.query().unwrap_or("").to_owned(),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        headers,
    };
    let index = {
        let mut log = script.log.lock().unwrap();
        log.push(recorded.clone());
        log.len() - 1
    };
    let reply = (script.respond)(index, &recorded);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = (StatusCode::from_u16(reply.status).unwrap(), reply.body).into_response();
    response
        .headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    for (name, value) in reply.headers {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}
