//! Full-list streaming against a fake portal: the fast ID path in chained batches, batched
//! `start`/`next` paging, plain paging, and typed items.

mod support;

use bitrix24_runtime::{ApiVersion, Client, ListMethod, ListOptions, Method};
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use support::portal::Portal;

fn ids(items: &[Value], field: &str) -> Vec<u64> {
    items
        .iter()
        .map(|i| i[field].as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn fast_path_reads_everything_in_about_n_over_2500_requests() {
    let portal = Portal::new(10_000, Some((50.0, 2.0)));
    let client = Client::webhook(&portal.start().await).unwrap();
    let options = ListOptions {
        id_field: Some("ID".into()),
        ..ListOptions::default()
    };
    let items: Vec<Value> = client
        .list_raw("crm.deal.list", json!({"select": ["ID"]}), options)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items, "ID"), (1..=10_000).collect::<Vec<_>>());
    // This fake portal ignores `order`, so the first request's descending page gives no view of
    // the end: the stream falls back to one chain after another (2,450 + 4 × 2,500 items).
    // The mock honours `order` and takes exactly 4 (tests/throughput.rs).
    assert_eq!(portal.requests(), 5);
    assert_eq!(portal.refused(), 0);
}

#[tokio::test(start_paused = true)]
async fn fast_path_handles_wrapped_items_short_lists_and_exact_multiples() {
    for n in [0u64, 7, 50, 2550, 2600] {
        let portal = Portal::new(n, None);
        let client = Client::webhook(&portal.start().await).unwrap();
        let options = ListOptions {
            id_field: Some("id".into()),
            items_key: Some("items".into()),
            ..ListOptions::default()
        };
        let items: Vec<Value> = client
            .list_raw("crm.item.list", json!({"entityTypeId": 2}), options)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(&items, "id"), (1..=n).collect::<Vec<_>>(), "n = {n}");
    }
}

#[tokio::test(start_paused = true)]
async fn batched_paging_uses_total_to_fetch_fifty_pages_per_request() {
    let portal = Portal::new(5_123, Some((50.0, 2.0)));
    let client = Client::webhook(&portal.start().await).unwrap();
    let items: Vec<Value> = client
        .list_raw("crm.deal.list", json!({}), ListOptions::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items, "ID"), (1..=5_123).collect::<Vec<_>>());
    // First page, then 102 remaining pages in chunks of 50: 1 + 3 requests.
    assert_eq!(portal.requests(), 4);
}

#[tokio::test(start_paused = true)]
async fn plain_paging_follows_next_and_is_paced_by_the_limiter() {
    let portal = Portal::new(3_000, Some((50.0, 2.0)));
    let client = Client::webhook(&portal.start().await).unwrap();
    let options = ListOptions {
        batched: false,
        ..ListOptions::default()
    };
    let start = tokio::time::Instant::now();
    let items: Vec<Value> = client
        .list_raw("crm.deal.list", json!({}), options)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 3_000);
    assert_eq!(portal.requests(), 60);
    assert_eq!(
        portal.refused(),
        0,
        "the client paced itself instead of being refused"
    );
    let elapsed = start.elapsed().as_secs_f64();
    assert!(
        (4.5..6.0).contains(&elapsed),
        "10 requests past the burst of 50 take 5 s at 2/s, took {elapsed}"
    );
}

#[derive(Serialize)]
struct DealList {
    select: Vec<&'static str>,
}

#[derive(Debug, Deserialize)]
struct Deal {
    #[serde(rename = "ID", deserialize_with = "bitrix24_runtime::lenient::int")]
    id: u64,
    #[serde(rename = "TITLE")]
    title: String,
}

impl Method for DealList {
    const NAME: &'static str = "crm.deal.list";
    const API: ApiVersion = ApiVersion::V2;
    const IDEMPOTENT: bool = true;
    type Response = Vec<Deal>;
}

impl ListMethod for DealList {
    type Item = Deal;
    const ID_FIELD: Option<&'static str> = Some("ID");
}

#[tokio::test(start_paused = true)]
async fn typed_list_streams_decoded_items() {
    let portal = Portal::new(120, None);
    let client = Client::webhook(&portal.start().await).unwrap();
    let deals: Vec<Deal> = client
        .list(&DealList {
            select: vec!["ID", "TITLE"],
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(deals.len(), 120);
    assert_eq!(
        (deals[119].id, deals[119].title.as_str()),
        (120, "Deal 120")
    );
}

#[tokio::test(start_paused = true)]
async fn a_limit_refusal_mid_list_is_waited_out() {
    // A bucket smaller than the client's model: the portal refuses and the client backs off.
    let portal = Portal::new(600, Some((3.0, 2.0)));
    let client = Client::webhook(&portal.start().await).unwrap();
    let options = ListOptions {
        batched: false,
        ..ListOptions::default()
    };
    let items: Vec<Value> = client
        .list_raw("crm.deal.list", json!({}), options)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 600);
    assert!(portal.refused() > 0);
}
