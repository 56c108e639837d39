//! The README's quick start, run against `bitrix24-mock` as a user's own test would run it. The
//! README shows `quick_start`'s body between the `quick start` markers; the second test keeps
//! the two identical, so the README never shows code that does not compile or run.

use bitrix24::crm::{Item, ItemAddFields, ItemUpdateFields};
use bitrix24::prelude::*;
use bitrix24::tasks::Task;
use bitrix24::{ApiVersion, Client, Filter, Order};
use bitrix24_mock::Portal;
use futures::TryStreamExt;
use serde_json::{json, Value};

async fn quick_start(webhook_url: &str) -> Result<(Vec<Item>, Vec<Task>), bitrix24::Error> {
    // quick start: begin
    const DEAL: i64 = 2; // crm.item's entityTypeId for deals
    const CONTACT: i64 = 3;
    let client = Client::webhook(webhook_url)?;

    // A contact with a phone and an email.
    let contact = ItemAddFields::new()
        .name("Ada")
        .last_name("Lovelace")
        .fm(vec![
            json!({"typeId": "PHONE", "valueType": "WORK", "value": "+44 20 7946 0000"}),
            json!({"typeId": "EMAIL", "valueType": "WORK", "value": "ada@example.com"}),
        ]);
    client.crm().item().add(CONTACT, contact).await?;

    // Every deal created since a date, with only ID and TITLE: a stream over every page.
    let since = Filter::new().gte(Item::CREATED_TIME, "2026-01-01T00:00:00+00:00");
    let deals: Vec<Item> = client
        .crm()
        .item()
        .list(DEAL)
        .with(|r| {
            r.select([Item::ID, Item::TITLE])
                .filter(since)
                .order(Order::new().asc(Item::ID))
        })
        .stream()
        .try_collect()
        .await?;

    // One deal's stage and a user field.
    let id = deals[0].id.unwrap_or_default();
    let change = ItemUpdateFields::new()
        .stage_id("WON")
        .uf_crm("ufCrmColor", json!("blue"));
    client.crm().item().update(DEAL, id, change).await?;

    // A task list.
    let tasks: Vec<Task> = client.tasks().task().list().stream().try_collect().await?;
    // quick start: end
    Ok((deals, tasks))
}

/// The same with the runtime alone and raw JSON, for comparison (the README quotes the line
/// counts, which a test measures).
async fn raw_json(webhook_url: &str) -> Result<(Vec<Value>, Vec<Value>), bitrix24::Error> {
    // raw json: begin
    use bitrix24::runtime::ListOptions;
    let client = Client::webhook(webhook_url)?;

    client
        .call_raw(
            ApiVersion::V2,
            "crm.item.add",
            json!({"entityTypeId": 3, "fields": {
                "name": "Ada",
                "lastName": "Lovelace",
                "fm": [
                    {"typeId": "PHONE", "valueType": "WORK", "value": "+44 20 7946 0000"},
                    {"typeId": "EMAIL", "valueType": "WORK", "value": "ada@example.com"},
                ],
            }}),
        )
        .await?;

    let options = ListOptions {
        items_key: Some("items".into()),
        ..ListOptions::default()
    };
    let params = json!({
        "entityTypeId": 2,
        "select": ["id", "title"],
        "filter": {">=createdTime": "2026-01-01T00:00:00+00:00"},
        "order": {"id": "ASC"},
    });
    let deals: Vec<Value> = client
        .list_raw("crm.item.list", params, options)
        .try_collect()
        .await?;

    let id = deals[0]["id"].as_i64().unwrap_or_default();
    client
        .call_raw(
            ApiVersion::V2,
            "crm.item.update",
            json!({"entityTypeId": 2, "id": id, "fields": {"stageId": "WON", "ufCrmColor": "blue"}}),
        )
        .await?;

    let options = ListOptions {
        items_key: Some("tasks".into()),
        ..ListOptions::default()
    };
    let tasks: Vec<Value> = client
        .list_raw("tasks.task.list", json!({}), options)
        .try_collect()
        .await?;
    // raw json: end
    Ok((deals, tasks))
}

fn region_lines(marker: &str) -> usize {
    let test = include_str!("quick_start.rs");
    let begin = test.find(&format!("// {marker}: begin")).unwrap();
    let end = test.find(&format!("// {marker}: end")).unwrap();
    test[begin..end]
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.trim().starts_with("//"))
        .count()
}

#[test]
fn typed_is_shorter_than_raw_json() {
    let (typed, raw) = (region_lines("quick start"), region_lines("raw json"));
    println!("quick start: {typed} lines typed, {raw} lines raw JSON");
    assert!(typed < raw, "typed {typed} lines, raw {raw}");
}

async fn seeded_portal() -> (Portal, String) {
    let portal = Portal::start().await.unwrap();
    let url = portal.webhook_url();
    let seed = Client::webhook(&url).unwrap();
    for (title, created) in [
        ("Old", "2025-06-01T00:00:00+00:00"),
        ("New", "2026-02-01T00:00:00+00:00"),
    ] {
        seed.call_raw(
            ApiVersion::V2,
            "crm.item.add",
            json!({"entityTypeId": 2, "fields": {"title": title, "createdTime": created}}),
        )
        .await
        .unwrap();
    }
    seed.call_raw(
        ApiVersion::V2,
        "tasks.task.add",
        json!({"fields": {"TITLE": "Call Ada"}}),
    )
    .await
    .unwrap();
    (portal, url)
}

#[tokio::test]
async fn raw_json_does_the_same() {
    let (_portal, url) = seeded_portal().await;
    let (deals, tasks) = raw_json(&url).await.unwrap();
    assert_eq!(deals.len(), 1);
    assert_eq!(deals[0]["title"], "New");
    assert_eq!(tasks.len(), 1);
}

#[tokio::test]
async fn the_quick_start_runs_against_the_mock() {
    let (_portal, url) = seeded_portal().await;
    let seed = Client::webhook(&url).unwrap();
    let (deals, tasks) = quick_start(&url).await.unwrap();

    assert_eq!(
        deals.len(),
        1,
        "only the deal created since the date: {deals:?}"
    );
    assert_eq!(deals[0].title.as_deref(), Some("New"));
    assert_eq!(deals[0].created_time, None, "only the selected fields");
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].title.as_deref(), Some("Call Ada"), "{tasks:?}");
    let deal = seed
        .call_raw(
            ApiVersion::V2,
            "crm.item.get",
            json!({"entityTypeId": 2, "id": 2}),
        )
        .await
        .unwrap()
        .result;
    assert_eq!(deal["item"]["stageId"], "WON");
    assert_eq!(deal["item"]["ufCrmColor"], "blue");
    let contacts = seed
        .call_raw(ApiVersion::V2, "crm.item.list", json!({"entityTypeId": 3}))
        .await
        .unwrap()
        .result;
    assert_eq!(contacts["items"][0]["fm"][1]["value"], "ada@example.com");
}

#[test]
fn the_readme_shows_the_quick_start() {
    let test = include_str!("quick_start.rs");
    let begin = test.find("// quick start: begin").unwrap();
    let end = test.find("// quick start: end").unwrap();
    let mut body: Vec<&str> = test[begin..end].lines().skip(1).map(str::trim).collect();
    while body.last() == Some(&"") {
        body.pop();
    }
    let readme = include_str!("../../../README.md");
    let at = readme
        .find("## Quick start")
        .expect("README has a quick start");
    let block = readme[at..].split("```rust").nth(1).unwrap();
    let block = block.split("```").next().unwrap();
    let shown: Vec<&str> = block.lines().map(str::trim).collect();
    let start = shown
        .iter()
        .position(|l| l.starts_with("const DEAL"))
        .expect("the README's block starts at the quick start's first line");
    assert_eq!(
        shown.get(start..start + body.len()),
        Some(body.as_slice()),
        "README.md's quick start differs from tests/quick_start.rs"
    );
}
