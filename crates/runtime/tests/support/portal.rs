//! A fake portal holding `deals` numbered 1..=N, with `crm.deal.list` (array result, `ID`),
//! `crm.item.list` (`{"items": [...]}`, `id`), classic `batch` with `$result[...]` references,
//! and optionally the documented leaky bucket (refusing with 503 `QUERY_LIMIT_EXCEEDED`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use bitrix24_runtime::events::parse_form;
use serde_json::{json, Map, Value};
use tokio::time::Instant;

const PAGE: usize = 50;

pub struct Portal {
    pub deals: u64,
    /// `(burst, drain per second)` when the bucket is enforced.
    pub bucket: Option<(f64, f64)>,
    level: Mutex<(f64, Instant)>,
    pub requests: AtomicUsize,
    pub refused: AtomicUsize,
    /// Inner list commands executed (inside batches or not).
    pub list_calls: AtomicUsize,
    /// Commands whose name is listed here fail with `ACCESS_DENIED` inside a batch.
    pub failing_commands: Mutex<Vec<String>>,
}

impl Portal {
    pub fn new(deals: u64, bucket: Option<(f64, f64)>) -> Arc<Self> {
        Arc::new(Self {
            deals,
            bucket,
            level: Mutex::new((0.0, Instant::now())),
            requests: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
            list_calls: AtomicUsize::new(0),
            failing_commands: Mutex::new(Vec::new()),
        })
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::SeqCst)
    }

    /// Serve on loopback; returns the webhook URL.
    pub async fn start(self: &Arc<Self>) -> String {
        let portal = self.clone();
        let router = Router::new().fallback(move |uri: Uri, body: Bytes| {
            let portal = portal.clone();
            async move { portal.handle(&uri, &body) }
        });
        format!("{}/rest/1/portalsecret/", super::serve(router).await)
    }

    fn admit(&self) -> bool {
        let Some((burst, drain)) = self.bucket else {
            return true;
        };
        let mut level = self.level.lock().unwrap();
        let now = Instant::now();
        level.0 = (level.0 - now.duration_since(level.1).as_secs_f64() * drain).max(0.0);
        level.1 = now;
        if level.0 + 1.0 > burst + 1e-9 {
            return false;
        }
        level.0 += 1.0;
        true
    }

    fn handle(&self, uri: &Uri, body: &[u8]) -> Response {
        self.requests.fetch_add(1, Ordering::SeqCst);
        if !self.admit() {
            self.refused.fetch_add(1, Ordering::SeqCst);
            let body =
                json!({"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"});
            return (StatusCode::SERVICE_UNAVAILABLE, body.to_string()).into_response();
        }
        let params: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let method = uri.path().rsplit('/').next().unwrap_or("").to_owned();
        let body = match method.as_str() {
            "batch" => self.batch(&params),
            name => match self.list(name, &params) {
                Some(page) => envelope(page),
                None => {
                    json!({"error": "ERROR_METHOD_NOT_FOUND", "error_description": "no such method"})
                }
            },
        };
        (StatusCode::OK, body.to_string()).into_response()
    }

    /// One list page: `(result, total, next)`.
    fn list(&self, method: &str, params: &Value) -> Option<(Value, Option<u64>, Option<u64>)> {
        let (id_field, wrap) = match method {
            "crm.deal.list" => ("ID", false),
            "crm.item.list" => ("id", true),
            "crm.deal.get" => return Some((json!({"ID": "1"}), None, None)),
            _ => return None,
        };
        self.list_calls.fetch_add(1, Ordering::SeqCst);
        let after = params
            .get("filter")
            .and_then(|f| f.get(format!(">{id_field}")))
            .map_or(0, number);
        let start = params.get("start").map_or(0, signed);
        let matching: Vec<u64> = (after + 1..=self.deals).collect();
        let (ids, total, next) = if start < 0 {
            (
                matching.iter().take(PAGE).copied().collect::<Vec<_>>(),
                None,
                None,
            )
        } else {
            let from = (start as usize).min(matching.len());
            let to = (from + PAGE).min(matching.len());
            let next = (to < matching.len()).then_some(to as u64);
            (
                matching[from..to].to_vec(),
                Some(matching.len() as u64),
                next,
            )
        };
        let items: Vec<Value> = ids
            .iter()
            .map(|id| json!({ id_field: id.to_string(), "TITLE": format!("Deal {id}") }))
            .collect();
        let result = if wrap {
            json!({ "items": items })
        } else {
            Value::Array(items)
        };
        Some((result, total, next))
    }

    fn batch(&self, params: &Value) -> Value {
        let halt = params.get("halt").map_or(0, signed) == 1;
        let mut results = Map::new();
        let mut errors = Map::new();
        let mut totals = Map::new();
        let mut nexts = Map::new();
        let Some(cmd) = params.get("cmd").and_then(Value::as_object) else {
            return json!({"error": "INVALID_REQUEST", "error_description": "no cmd"});
        };
        for (name, command) in cmd {
            let command = command.as_str().unwrap_or("");
            let (method, query) = command.split_once('?').unwrap_or((command, ""));
            let mut args = parse_form(query.as_bytes());
            resolve(&mut args, &results);
            let failing = self.failing_commands.lock().unwrap().contains(name);
            match self.list(method, &args) {
                Some(_) if failing => {
                    errors.insert(
                        name.clone(),
                        json!({"error": "ACCESS_DENIED", "error_description": "denied"}),
                    );
                }
                Some((result, total, next)) => {
                    results.insert(name.clone(), result);
                    if let Some(t) = total {
                        totals.insert(name.clone(), json!(t));
                    }
                    if let Some(n) = next {
                        nexts.insert(name.clone(), json!(n));
                    }
                }
                None => {
                    errors.insert(
                        name.clone(),
                        json!({"error": "ERROR_METHOD_NOT_FOUND", "error_description": ""}),
                    );
                }
            }
            if halt && !errors.is_empty() {
                break;
            }
        }
        let php = |m: Map<String, Value>| {
            if m.is_empty() {
                json!([])
            } else {
                Value::Object(m)
            }
        };
        envelope((
            json!({"result": php(results), "result_error": php(errors), "result_total": php(totals), "result_next": php(nexts), "result_time": []}),
            None,
            None,
        ))
    }
}

fn envelope((result, total, next): (Value, Option<u64>, Option<u64>)) -> Value {
    let mut body =
        json!({"result": result, "time": {"start": 1.0, "finish": 1.01, "duration": 0.01}});
    if let Some(t) = total {
        body["total"] = json!(t);
    }
    if let Some(n) = next {
        body["next"] = json!(n);
    }
    body
}

/// Replace whole-string `$result[a][b]...` values with what they point at ("" when missing),
/// as the portal does.
fn resolve(value: &mut Value, results: &Map<String, Value>) {
    match value {
        Value::String(s) if s.starts_with("$result[") => {
            let path: Vec<&str> = s["$result".len()..]
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split("][")
                .collect();
            let mut node = results.get(path[0]);
            for key in &path[1..] {
                node = node.and_then(|n| match n {
                    Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
                    other => other.get(*key),
                });
            }
            *value = match node {
                Some(Value::String(text)) => Value::String(text.clone()),
                Some(other) => Value::String(other.to_string()),
                None => Value::String(String::new()),
            };
        }
        Value::Object(map) => map.values_mut().for_each(|v| resolve(v, results)),
        Value::Array(items) => items.iter_mut().for_each(|v| resolve(v, results)),
        _ => {}
    }
}

fn number(value: &Value) -> u64 {
    match value {
        Value::Number(n) => n.as_u64().unwrap_or(0),
        Value::String(s) => s.parse().unwrap_or(0),
        _ => 0,
    }
}

fn signed(value: &Value) -> i64 {
    match value {
        Value::Number(n) => n.as_i64().unwrap_or(0),
        Value::String(s) => s.parse().unwrap_or(0),
        _ => 0,
    }
}
