//! Full lists and large batches against `bitrix24-mock`: exactly ceil(N/2500) requests on the
//! fast path, every item once (dense and sparse IDs, lists ending inside a chain), concurrent
//! batch chunks, one refusal at most on a portal already at its limit, `OVERLOAD_LIMIT` never
//! retried, and the paging path in a stable order.

use bitrix24_mock::{Bucket, Entity, Latency, Portal};
use bitrix24_runtime::{Batch, Client, Error, FirstRequest, ListOptions};
use futures::TryStreamExt;
use serde_json::{json, Value};

fn ids(items: &[Value], field: &str) -> Vec<u64> {
    items
        .iter()
        .map(|i| match &i[field] {
            Value::String(s) => s.parse().unwrap(),
            other => other.as_u64().unwrap(),
        })
        .collect()
}

fn fast(id_field: &str, items_key: Option<&str>) -> ListOptions {
    ListOptions {
        id_field: Some(id_field.into()),
        items_key: items_key.map(Into::into),
        ..ListOptions::default()
    }
}

/// An idle portal seeded with `n` deals (IDs 1..=n), and a webhook client pointed at it.
async fn deal_portal(n: u64) -> (Portal, Client) {
    let portal = Portal::builder()
        .seed(Entity::Deal, n)
        .start()
        .await
        .unwrap();
    let client = Client::webhook(&portal.webhook_url()).unwrap();
    (portal, client)
}

async fn deals(client: &Client, options: ListOptions) -> Result<Vec<Value>, Error> {
    client
        .list_raw("crm.deal.list", json!({"select": ["ID", "TITLE"]}), options)
        .try_collect()
        .await
}

#[tokio::test(start_paused = true)]
async fn fast_path_takes_exactly_one_request_per_2500_items() {
    for n in [
        0u64, 7, 50, 2_450, 2_451, 2_500, 2_501, 5_000, 10_000, 12_345,
    ] {
        let (portal, client) = deal_portal(n).await;
        let items = deals(&client, fast("ID", None)).await.unwrap();
        assert_eq!(ids(&items, "ID"), (1..=n).collect::<Vec<_>>(), "n = {n}");
        let stats = portal.stats();
        assert_eq!(stats.requests, n.div_ceil(2_500).max(1), "n = {n}");
        assert_eq!(stats.refused, 0, "n = {n}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_probe_first_request_costs_one_request_more_and_every_item_arrives_once() {
    for n in [0u64, 7, 50, 100, 101, 2_600, 2_601, 10_000, 12_345] {
        let (portal, client) = deal_portal(n).await;
        let options = ListOptions {
            first_request: FirstRequest::Probe,
            ..fast("ID", None)
        };
        let items = deals(&client, options).await.unwrap();
        assert_eq!(ids(&items, "ID"), (1..=n).collect::<Vec<_>>(), "n = {n}");
        // The probe reads 100 items (a counting page and the top page); chains read the rest.
        let expected = 1 + n.saturating_sub(100).div_ceil(2_500);
        assert_eq!(portal.stats().requests, expected, "n = {n}");
    }
}

/// The model time (paused clock) of a 10,000-item list: what the first request decides.
async fn model_time_of_10k(first_request: FirstRequest) -> std::time::Duration {
    let portal = Portal::builder()
        .seed(Entity::Deal, 10_000)
        .latency(Latency::BENCH)
        .start()
        .await
        .unwrap();
    let client = Client::webhook(&portal.webhook_url()).unwrap();
    let options = ListOptions {
        first_request,
        ..fast("ID", None)
    };
    let started = tokio::time::Instant::now();
    let items = deals(&client, options).await.unwrap();
    assert_eq!(items.len(), 10_000);
    started.elapsed()
}

#[tokio::test(start_paused = true)]
async fn a_probe_saves_a_full_round_trip_on_a_large_list() {
    // Bench model: 30 ms per request + 2 ms per inner call; a full chain is 50 calls.
    let full = model_time_of_10k(FirstRequest::FullChain).await;
    let probe = model_time_of_10k(FirstRequest::Probe).await;
    let ms = |d: std::time::Duration| d.as_millis();
    // Two full chains one after the other (the rest is planned from the first answer)...
    assert!((260..300).contains(&ms(full)), "full chain first: {full:?}");
    // ...against a two-call probe (34 ms) and then one round of full chains.
    assert!((164..200).contains(&ms(probe)), "probe first: {probe:?}");
}

#[tokio::test(start_paused = true)]
async fn wrapped_items_and_sparse_ids_arrive_exactly_once() {
    let portal = Portal::builder()
        .seed(Entity::Item, 7_000)
        .bucket(None)
        .start()
        .await
        .unwrap();
    let client = Client::webhook(&portal.webhook_url()).unwrap();
    // Punch holes: delete every third item between 100 and 5,000.
    let mut batch = Batch::new();
    let holes: Vec<u64> = (100..5_000).step_by(3).collect();
    for id in &holes {
        batch
            .add_raw(
                format!("d{id}"),
                "crm.item.delete",
                json!({"entityTypeId": 2, "id": id}),
            )
            .unwrap();
    }
    let results = client.batch(&batch).await.unwrap();
    assert!(results.iter().all(|(_, outcome)| outcome.is_ok()));
    let items: Vec<Value> = client
        .list_raw(
            "crm.item.list",
            json!({"entityTypeId": 2}),
            fast("id", Some("items")),
        )
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<u64> = (1..=7_000).filter(|id| !holes.contains(id)).collect();
    assert_eq!(ids(&items, "id"), expected);
}

#[tokio::test(start_paused = true)]
async fn a_portal_at_its_limit_refuses_a_list_once() {
    let portal = Portal::builder()
        .seed(Entity::Deal, 10_000)
        .start()
        .await
        .unwrap();
    portal.fill_bucket();
    let client = Client::webhook(&portal.webhook_url()).unwrap();
    let items = deals(&client, fast("ID", None)).await.unwrap();
    assert_eq!(ids(&items, "ID"), (1..=10_000).collect::<Vec<_>>());
    let stats = portal.stats();
    assert_eq!(
        (stats.refused, stats.requests),
        (1, 5),
        "one refusal, then 4 requests"
    );
}

fn gets(count: u64) -> Batch {
    let mut batch = Batch::new();
    for id in 1..=count {
        batch
            .add_raw(format!("g{id}"), "crm.deal.get", json!({"id": id}))
            .unwrap();
    }
    batch
}

#[tokio::test(start_paused = true)]
async fn non_halting_batches_run_concurrently_and_refuse_once_at_the_limit() {
    for full in [false, true] {
        let portal = Portal::builder()
            .seed(Entity::Deal, 1_000)
            .start()
            .await
            .unwrap();
        if full {
            portal.fill_bucket();
        }
        let client = Client::webhook(&portal.webhook_url()).unwrap();
        let results = client.batch(&gets(1_000)).await.unwrap();
        let got: Vec<u64> = results
            .iter()
            .map(|(_, outcome)| {
                let deal = &outcome.as_ref().unwrap().result;
                deal["ID"].as_str().unwrap().parse().unwrap()
            })
            .collect();
        assert_eq!(got, (1..=1_000).collect::<Vec<_>>());
        let stats = portal.stats();
        assert_eq!(stats.refused, u64::from(full), "full = {full}");
        assert_eq!(stats.requests, 20 + u64::from(full), "full = {full}");
    }
}

#[tokio::test(start_paused = true)]
async fn halting_batches_stay_serial_and_stop() {
    let (portal, client) = deal_portal(10).await;
    let mut batch = gets(120).halt(true);
    batch
        .add_raw("last", "crm.deal.get", json!({"id": 1}))
        .unwrap();
    let results = client.batch(&batch).await.unwrap();
    // The first chunk fails at deal 11; nothing after it is sent.
    assert_eq!(portal.stats().requests, 1);
    assert!(results.raw("g10").unwrap().is_ok());
    assert!(results.raw("g11").unwrap().is_err());
    assert!(matches!(
        results.raw("last").unwrap(),
        Err(Error::NotRun { .. })
    ));
}

#[tokio::test(start_paused = true)]
async fn overload_is_never_retried() {
    let portal = Portal::builder()
        .seed(Entity::Deal, 100)
        .start()
        .await
        .unwrap();
    portal.set_overloaded(true);
    let client = Client::webhook(&portal.webhook_url()).unwrap();
    let error = deals(&client, fast("ID", None)).await.unwrap_err();
    assert!(error.is_code("OVERLOAD_LIMIT"), "{error}");
    assert_eq!(portal.stats().requests, 1);
}

#[tokio::test(start_paused = true)]
async fn paging_orders_by_id_and_fetches_known_offsets_in_batches() {
    let portal = Portal::builder()
        .seed(Entity::Deal, 5_123)
        .bucket(Some(Bucket::STANDARD))
        .start()
        .await
        .unwrap();
    let client = Client::webhook(&portal.webhook_url()).unwrap();
    let items = deals(&client, ListOptions::default()).await.unwrap();
    assert_eq!(ids(&items, "ID"), (1..=5_123).collect::<Vec<_>>());
    // First page, then 102 remaining pages in chunks of 50: 1 + 3 requests.
    assert_eq!(portal.stats().requests, 4);
    // The caller's own order wins.
    let desc: Vec<Value> = client
        .list_raw(
            "crm.deal.list",
            json!({"order": {"ID": "DESC"}}),
            ListOptions::default(),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&desc, "ID"), (1..=5_123).rev().collect::<Vec<_>>());
}

#[tokio::test(start_paused = true)]
async fn an_id_ascending_order_in_any_case_keeps_the_fast_path() {
    let n = 5_000u64;
    let (portal, client) = deal_portal(n).await;
    for order in [json!({}), json!({"id": "asc"}), json!({"ID": "ASC"})] {
        portal.reset_stats();
        let items: Vec<Value> = client
            .list_raw(
                "crm.deal.list",
                json!({"select": ["ID"], "ORDER": order}),
                fast("ID", None),
            )
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids(&items, "ID"), (1..=n).collect::<Vec<_>>(), "{order}");
        assert_eq!(portal.stats().requests, 2, "{order}: the fast path");
    }
}

#[tokio::test(start_paused = true)]
async fn any_other_order_is_honoured_by_paging_never_replaced() {
    let n = 3_000u64;
    let portal = Portal::builder()
        .seed(Entity::Deal, n)
        .bucket(None)
        .start()
        .await
        .unwrap();
    let client = Client::webhook(&portal.webhook_url()).unwrap();
    // Descending IDs: the caller's order, not the fast path's.
    let items: Vec<Value> = client
        .list_raw(
            "crm.deal.list",
            json!({"select": ["ID"], "order": {"ID": "DESC"}}),
            fast("ID", None),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items, "ID"), (1..=n).rev().collect::<Vec<_>>());
    // By title (text order): every item once, in the caller's order, ties broken by ID.
    let items: Vec<Value> = client
        .list_raw(
            "crm.deal.list",
            json!({"select": ["ID", "TITLE"], "ORDER": {"TITLE": "DESC"}}),
            fast("ID", None),
        )
        .try_collect()
        .await
        .unwrap();
    let titles: Vec<&str> = items.iter().map(|i| i["TITLE"].as_str().unwrap()).collect();
    let mut expected = titles.clone();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(titles, expected);
    let mut seen = ids(&items, "ID");
    seen.sort_unstable();
    assert_eq!(seen, (1..=n).collect::<Vec<_>>());
}

#[derive(serde::Serialize)]
struct DealList {
    select: Vec<&'static str>,
}

#[derive(Debug, serde::Deserialize)]
struct Deal {
    #[serde(rename = "ID", deserialize_with = "bitrix24_runtime::lenient::int")]
    id: u64,
}

impl bitrix24_runtime::Method for DealList {
    const NAME: &'static str = "crm.deal.list";
    const API: bitrix24_runtime::ApiVersion = bitrix24_runtime::ApiVersion::V2;
    const IDEMPOTENT: bool = true;
    type Response = Vec<Deal>;
}

impl bitrix24_runtime::ListMethod for DealList {
    type Item = Deal;
    const ID_FIELD: Option<&'static str> = Some("ID");
}

#[tokio::test(start_paused = true)]
async fn a_typed_list_with_an_id_field_takes_the_fast_path_by_default() {
    let n = 6_000u64;
    let (portal, client) = deal_portal(n).await;
    let deals: Vec<Deal> = client
        .list(&DealList { select: vec!["ID"] })
        .try_collect()
        .await
        .unwrap();
    let got: Vec<u64> = deals.iter().map(|d| d.id).collect();
    assert_eq!(got, (1..=n).collect::<Vec<_>>());
    assert_eq!(portal.stats().requests, n.div_ceil(2_500));
}

#[tokio::test(start_paused = true)]
async fn a_typed_list_takes_options_but_keeps_its_own_id_field() {
    let n = 6_000u64;
    let (portal, client) = deal_portal(n).await;
    // No ID field in the options: the method's own (`ID`) still picks the fast path.
    let options = ListOptions {
        first_request: FirstRequest::Probe,
        ..ListOptions::default()
    };
    let deals: Vec<Deal> = client
        .list_with(&DealList { select: vec!["ID"] }, options)
        .try_collect()
        .await
        .unwrap();
    let got: Vec<u64> = deals.iter().map(|d| d.id).collect();
    assert_eq!(got, (1..=n).collect::<Vec<_>>());
    assert_eq!(portal.stats().requests, 1 + (n - 100).div_ceil(2_500));
}

/// A typed fast-path list decodes each item from its raw text: a field that does not fit is
/// named by its path, never by the value found there (it may be personal data).
#[tokio::test(start_paused = true)]
async fn a_typed_fast_path_item_that_does_not_fit_names_the_path_not_the_value() {
    struct TitledList;
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Titled {
        #[serde(rename = "TITLE")]
        title: u64,
    }
    impl serde::Serialize for TitledList {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            json!({"select": ["ID", "TITLE"]}).serialize(s)
        }
    }
    impl bitrix24_runtime::Method for TitledList {
        const NAME: &'static str = "crm.deal.list";
        const API: bitrix24_runtime::ApiVersion = bitrix24_runtime::ApiVersion::V2;
        const IDEMPOTENT: bool = true;
        type Response = Vec<Titled>;
    }
    impl bitrix24_runtime::ListMethod for TitledList {
        type Item = Titled;
        const ID_FIELD: Option<&'static str> = Some("ID");
    }
    let (_portal, client) = deal_portal(3).await;
    let err = client
        .list(&TitledList)
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("result.TITLE"), "{shown}");
    assert!(!shown.contains("Deal 1"), "{shown}");
}
