//! REST 3.0 list streaming against a loopback portal that pages as the REST 3.0 docs describe:
//! `pagination` (`limit`, `offset`), `filter` as an array of `[field, op, value]`, `order`,
//! `result.items` with no `total` or `next`.

mod support;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::Uri;
use axum::routing::post;
use axum::{Json, Router};
use bitrix24_runtime::{ApiVersion, Client, ListMethod, ListOptions, Method};
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A REST 3.0 `tasks.task.list` over tasks 1..=n, capping `limit` at `cap`.
#[derive(Debug, Default)]
struct Tasks {
    n: u64,
    cap: u64,
    requests: Mutex<Vec<Value>>,
}

impl Tasks {
    fn answer(&self, uri: &Uri, body: &[u8]) -> Value {
        assert!(uri.path().contains("/rest/api/"), "a REST 3.0 path: {uri}");
        let params: Value = serde_json::from_slice(body).unwrap();
        self.requests.lock().unwrap().push(params.clone());
        let limit = params["pagination"]["limit"]
            .as_u64()
            .unwrap_or(50)
            .min(self.cap);
        let offset = params["pagination"]["offset"].as_u64().unwrap_or(0) as usize;
        let mut after = 0;
        for condition in params["filter"].as_array().into_iter().flatten() {
            if condition[0] == "id" && condition[1] == ">" {
                after = after.max(condition[2].as_u64().unwrap());
            }
        }
        let descending = params["order"]["id"] == "DESC";
        let mut ids: Vec<u64> = (1..=self.n).filter(|id| *id > after).collect();
        if descending {
            ids.reverse();
        }
        let items: Vec<Value> = ids
            .into_iter()
            .skip(offset)
            .take(limit as usize)
            .map(|id| json!({"id": id, "title": format!("Task {id}")}))
            .collect();
        json!({"result": {"items": items}, "time": {"start": 1, "finish": 1}})
    }

    fn sent(&self) -> Vec<Value> {
        self.requests.lock().unwrap().clone()
    }
}

async fn start(tasks: Arc<Tasks>) -> Client {
    let router = Router::new().fallback(post(move |uri: Uri, body: Bytes| {
        let tasks = tasks.clone();
        async move { Json(tasks.answer(&uri, &body)) }
    }));
    let base = support::serve(router).await;
    Client::webhook(&format!("{base}/rest/1/code/")).unwrap()
}

#[derive(Serialize)]
struct TaskList {
    select: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct Task {
    id: u64,
}

impl Method for TaskList {
    const NAME: &'static str = "tasks.task.list";
    const API: ApiVersion = ApiVersion::V3;
    const IDEMPOTENT: bool = true;
    type Response = Value;
}

impl ListMethod for TaskList {
    type Item = Task;
    const ITEMS_KEY: Option<&'static str> = Some("items");
    const ID_FIELD: Option<&'static str> = Some("id");
}

fn request(order: Option<Value>, pagination: Option<Value>) -> TaskList {
    TaskList {
        select: vec!["id", "title"],
        order,
        pagination,
    }
}

#[tokio::test]
async fn typed_v3_lists_page_by_id_and_end_on_a_short_page() {
    for (n, pages) in [(0u64, 1usize), (7, 1), (50, 2), (120, 3)] {
        let tasks = Arc::new(Tasks {
            n,
            cap: 1_000,
            ..Tasks::default()
        });
        let client = start(tasks.clone()).await;
        let got: Vec<Task> = client
            .list(&request(None, None))
            .try_collect()
            .await
            .unwrap();
        let ids: Vec<u64> = got.iter().map(|t| t.id).collect();
        assert_eq!(ids, (1..=n).collect::<Vec<_>>(), "n = {n}");
        let sent = tasks.sent();
        assert_eq!(sent.len(), pages, "n = {n}");
        assert_eq!(sent[0]["order"], json!({"id": "ASC"}));
        assert_eq!(sent[0]["pagination"], json!({"limit": 50}));
        if n > 50 {
            assert_eq!(sent[1]["filter"], json!([["id", ">", 50]]));
        }
    }
}

#[tokio::test]
async fn a_capped_limit_is_learned_from_the_pages() {
    // The caller asks for 1,000 a page; the method gives 300 at most.
    let tasks = Arc::new(Tasks {
        n: 1_000,
        cap: 300,
        ..Tasks::default()
    });
    let client = start(tasks.clone()).await;
    let got: Vec<Task> = client
        .list(&request(None, Some(json!({"limit": 1000}))))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 1_000);
    assert_eq!(tasks.sent().len(), 4, "300 + 300 + 300 + 100");
}

#[tokio::test]
async fn another_order_is_kept_and_paged_by_offset() {
    let tasks = Arc::new(Tasks {
        n: 130,
        cap: 1_000,
        ..Tasks::default()
    });
    let client = start(tasks.clone()).await;
    let got: Vec<Task> = client
        .list(&request(Some(json!({"id": "DESC"})), None))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<u64> = got.iter().map(|t| t.id).collect();
    assert_eq!(ids, (1..=130).rev().collect::<Vec<_>>());
    let sent = tasks.sent();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[2]["order"], json!({"id": "DESC"}));
    assert_eq!(sent[2]["pagination"], json!({"limit": 50, "offset": 100}));
    assert!(sent[2].get("filter").is_none());
}

#[tokio::test]
async fn raw_v3_lists_without_an_id_field_page_by_offset() {
    let tasks = Arc::new(Tasks {
        n: 75,
        cap: 1_000,
        ..Tasks::default()
    });
    let client = start(tasks.clone()).await;
    let options = ListOptions {
        items_key: Some("items".into()),
        ..ListOptions::default()
    };
    let got: Vec<Value> = client
        .list_raw_v3("tasks.task.list", json!({"select": ["id"]}), options)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 75);
    assert_eq!(
        tasks.sent()[1]["pagination"],
        json!({"limit": 50, "offset": 50})
    );
}
