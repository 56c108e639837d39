//! Batch against a fake portal: per-command results and errors side by side, halt, splitting
//! into several requests, references refused across a split, typed commands.

mod support;

use bitrix24_runtime::{ApiVersion, Batch, Client, Error, Method};
use serde::Serialize;
use serde_json::{json, Value};
use support::portal::Portal;

#[derive(Serialize)]
struct DealList {
    filter: Value,
    start: i64,
}

impl Method for DealList {
    const NAME: &'static str = "crm.deal.list";
    const API: ApiVersion = ApiVersion::V2;
    const IDEMPOTENT: bool = true;
    type Response = Vec<Value>;
}

#[tokio::test(start_paused = true)]
async fn typed_commands_and_references_in_one_request() {
    let portal = Portal::new(500, None);
    let client = Client::webhook(&portal.start().await).unwrap();
    let mut batch = Batch::new();
    let first = batch
        .add(&DealList {
            filter: json!({}),
            start: -1,
        })
        .unwrap();
    let after = first.reference(&["49", "ID"]);
    let second = batch
        .add(&DealList {
            filter: json!({ ">ID": after }),
            start: -1,
        })
        .unwrap();
    let results = client.batch(&batch).await.unwrap();
    assert_eq!(portal.requests(), 1);
    let first = results.get(&first).unwrap().result;
    let second = results.get(&second).unwrap().result;
    assert_eq!(first.last().unwrap()["ID"], "50");
    assert_eq!(
        second.first().unwrap()["ID"],
        "51",
        "the reference carried the last ID over"
    );
}

#[tokio::test(start_paused = true)]
async fn partial_failure_keeps_the_successes() {
    let portal = Portal::new(100, None);
    portal.failing_commands.lock().unwrap().push("b".into());
    let client = Client::webhook(&portal.start().await).unwrap();
    let mut batch = Batch::new();
    batch
        .add_raw("a", "crm.deal.list", json!({"start": 0}))
        .unwrap();
    batch
        .add_raw("b", "crm.deal.list", json!({"start": 50}))
        .unwrap();
    batch.add_raw("c", "no.such.method", json!({})).unwrap();
    batch
        .add_raw("d", "crm.deal.list", json!({"start": 50}))
        .unwrap();
    let results = client.batch(&batch).await.unwrap();
    let a = results.raw("a").unwrap().as_ref().unwrap();
    assert_eq!((a.total, a.next), (Some(100), Some(50)));
    assert!(results
        .raw("b")
        .unwrap()
        .as_ref()
        .unwrap_err()
        .is_code("ACCESS_DENIED"));
    assert!(results
        .raw("c")
        .unwrap()
        .as_ref()
        .unwrap_err()
        .is_code("ERROR_METHOD_NOT_FOUND"));
    assert!(results.raw("d").unwrap().is_ok());
    assert_eq!(
        results.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        vec!["a", "b", "c", "d"]
    );
}

#[tokio::test(start_paused = true)]
async fn halt_stops_at_the_first_error_across_splits() {
    let portal = Portal::new(100, None);
    portal.failing_commands.lock().unwrap().push("c1".into());
    let client = Client::webhook(&portal.start().await).unwrap();
    let mut batch = Batch::new().halt(true);
    for _ in 0..60 {
        batch
            .add_raw(
                format!("c{}", batch.len()),
                "crm.deal.list",
                json!({"start": -1}),
            )
            .unwrap();
    }
    let results = client.batch(&batch).await.unwrap();
    assert_eq!(
        portal.requests(),
        1,
        "the second chunk is not sent after a halt"
    );
    assert!(results.raw("c0").unwrap().is_ok());
    assert!(results
        .raw("c1")
        .unwrap()
        .as_ref()
        .unwrap_err()
        .is_code("ACCESS_DENIED"));
    assert!(matches!(
        results.raw("c2").unwrap(),
        Err(Error::NotRun { .. })
    ));
    assert!(matches!(
        results.raw("c59").unwrap(),
        Err(Error::NotRun { .. })
    ));
}

#[tokio::test(start_paused = true)]
async fn more_than_fifty_commands_are_split_in_order() {
    let portal = Portal::new(10, None);
    let client = Client::webhook(&portal.start().await).unwrap();
    let mut batch = Batch::new();
    for i in 0..120 {
        batch
            .add_raw(format!("c{i}"), "crm.deal.list", json!({"start": -1}))
            .unwrap();
    }
    let results = client.batch(&batch).await.unwrap();
    assert_eq!(portal.requests(), 3);
    assert_eq!(results.len(), 120);
    assert!(results.iter().all(|(_, outcome)| outcome.is_ok()));
}

#[tokio::test(start_paused = true)]
async fn references_across_a_split_are_refused_before_sending() {
    let portal = Portal::new(10, None);
    let client = Client::webhook(&portal.start().await).unwrap();
    let mut batch = Batch::new();
    for i in 0..50 {
        batch
            .add_raw(format!("c{i}"), "crm.deal.list", json!({}))
            .unwrap();
    }
    batch
        .add_raw(
            "late",
            "crm.deal.list",
            json!({"filter": {">ID": "$result[c3][0][ID]"}}),
        )
        .unwrap();
    let err = client.batch(&batch).await.unwrap_err();
    assert!(
        matches!(err, Error::Batch(_)) && err.to_string().contains("different"),
        "{err}"
    );
    assert_eq!(portal.requests(), 0);
}

#[tokio::test(start_paused = true)]
async fn commands_are_sent_as_query_strings_with_bracketed_keys() {
    let (base, server) = support::scripted(|_, _| {
        support::Reply::ok(json!({"result": {"a": true}, "result_error": []}))
    })
    .await;
    let client = Client::webhook(&format!("{base}/rest/1/code/")).unwrap();
    let mut batch = Batch::new();
    batch
        .add_raw(
            "a",
            "crm.deal.update",
            json!({"id": 3, "fields": {"TITLE": "a&b", "OPENED": "Y"}}),
        )
        .unwrap();
    let results = client.batch(&batch).await.unwrap();
    assert_eq!(
        results.raw("a").unwrap().as_ref().unwrap().result,
        json!(true)
    );
    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/rest/1/code/batch");
    assert_eq!(
        sent.body,
        json!({"halt": 0, "cmd": {"a": "crm.deal.update?id=3&fields[TITLE]=a%26b&fields[OPENED]=Y"}})
    );
}
