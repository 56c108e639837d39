//! Paging always ends (issue 11): a misbehaving server whose `next` grows forever, repeats,
//! or comes with an absurd `total`, or whose list ignores the `>ID` filter, gets a clear
//! [`Error::List`] after a bounded number of requests, never a hang, a panic or a huge
//! allocation.

mod support;

use bitrix24_runtime::{Client, Error, ListOptions};
use futures::TryStreamExt;
use serde_json::{json, Value};
use support::{scripted, Recorded, Reply};

fn page_at(start: u64) -> Vec<Value> {
    (start + 1..=start + 50)
        .map(|id| json!({"ID": id.to_string()}))
        .collect()
}

fn start_of(request: &Recorded) -> u64 {
    request.body["start"].as_u64().unwrap_or(0)
}

async fn read(url: &str, options: ListOptions) -> (Result<Vec<Value>, Error>, Client) {
    let client = Client::webhook(&format!("{url}/rest/1/code/")).unwrap();
    let result = client
        .list_raw("crm.deal.list", json!({}), options)
        .try_collect()
        .await;
    (result, client)
}

fn unbatched(max_pages: u64) -> ListOptions {
    ListOptions {
        batched: false,
        max_pages,
        ..ListOptions::default()
    }
}

fn list_error(result: Result<Vec<Value>, Error>) -> String {
    match result {
        Err(error @ Error::List { .. }) => error.to_string(),
        other => panic!("expected a list error, got {:?}", other.map(|v| v.len())),
    }
}

#[tokio::test(start_paused = true)]
async fn a_next_that_grows_forever_stops_at_the_ceiling() {
    let (url, server) = scripted(|_, request| {
        let start = start_of(request);
        Reply::json(200, json!({"result": page_at(start), "next": start + 50}))
    })
    .await;
    let (result, _) = read(&url, unbatched(20)).await;
    let message = list_error(result);
    assert!(message.contains("more than 20 pages"), "{message}");
    assert_eq!(server.count(), 20);
}

#[tokio::test(start_paused = true)]
async fn a_next_that_repeats_is_an_error_not_a_loop() {
    let (url, server) =
        scripted(|_, _| Reply::json(200, json!({"result": page_at(0), "next": 0}))).await;
    let (result, _) = read(&url, unbatched(1_000)).await;
    let message = list_error(result);
    assert!(message.contains("does not move past"), "{message}");
    assert_eq!(server.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_empty_page_with_next_is_an_error() {
    let (url, _) = scripted(|_, _| Reply::json(200, json!({"result": [], "next": 50}))).await;
    let message = list_error(read(&url, unbatched(1_000)).await.0);
    assert!(message.contains("empty page"), "{message}");
}

#[tokio::test(start_paused = true)]
async fn an_absurd_total_fails_before_planning_anything() {
    for total in [50_000_000u64, 1_000_000_000_000, u64::MAX] {
        let (url, server) = scripted(move |_, _| {
            Reply::json(
                200,
                json!({"result": page_at(0), "next": 50, "total": total}),
            )
        })
        .await;
        let message = list_error(read(&url, ListOptions::default()).await.0);
        assert!(message.contains("max_pages"), "{message}");
        assert_eq!(server.count(), 1, "total = {total}");
    }
}

#[tokio::test(start_paused = true)]
async fn offsets_near_the_top_of_the_range_do_not_overflow() {
    let near = u64::MAX - 10;
    let (url, _) = scripted(move |index, request| {
        let start = start_of(request);
        match index {
            0 => Reply::json(
                200,
                json!({"result": page_at(0), "next": near, "total": u64::MAX}),
            ),
            _ => Reply::json(200, json!({"result": page_at(start.min(1_000))})),
        }
    })
    .await;
    let options = ListOptions {
        batched: false,
        ..ListOptions::default()
    };
    // Followed page by page: the second page has no `next`, so the list ends.
    let items = read(&url, options).await.0.unwrap();
    assert_eq!(items.len(), 100);
}

#[tokio::test(start_paused = true)]
async fn a_fast_path_server_ignoring_the_id_filter_is_an_error() {
    // Every list command answers the same first page, whatever its filter or order.
    let (url, server) = scripted(|_, request| {
        if request.method() == "batch" {
            let names: Vec<String> = request.body["cmd"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            let result: serde_json::Map<String, Value> =
                names.into_iter().map(|n| (n, json!(page_at(0)))).collect();
            Reply::json(200, json!({"result": {"result": result}}))
        } else {
            Reply::json(200, json!({"result": page_at(0)}))
        }
    })
    .await;
    let options = ListOptions {
        id_field: Some("ID".into()),
        ..ListOptions::default()
    };
    let (result, _) = read(&url, options).await;
    let message = list_error(result);
    assert!(message.contains("ignored the `>ID` filter"), "{message}");
    assert!(server.count() <= 2, "{}", server.count());
}

#[tokio::test(start_paused = true)]
async fn fast_path_ids_that_grow_forever_stop_at_the_ceiling() {
    let (url, server) = scripted(|_, request| {
        let after = request.body["filter"][">ID"].as_u64().unwrap_or(0);
        Reply::json(200, json!({"result": page_at(after)}))
    })
    .await;
    let options = ListOptions {
        id_field: Some("ID".into()),
        batched: false,
        max_pages: 30,
        ..ListOptions::default()
    };
    let message = list_error(read(&url, options).await.0);
    assert!(message.contains("more than 30 pages"), "{message}");
    assert_eq!(server.count(), 30);
}
