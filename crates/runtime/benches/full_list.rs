//! Full-list read benchmark against a local fake portal that enforces the documented bucket
//! (50 requests, draining 2 per second; refusals answered with 503 `QUERY_LIMIT_EXCEEDED`).
//!
//! Reports, per strategy, the HTTP requests issued, refusals, wall time, and the ratio of
//! requests to the theoretical minimum N / 2500 (50 chained list commands of 50 items per
//! request). Runs in well under a second by default; set `BENCH_N` for another list size and
//! `BENCH_PLAIN=1` to include unbatched page-by-page reading (paced at 2 requests per second).

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use bitrix24_runtime::{Client, ListOptions};
use futures::TryStreamExt;
use serde_json::json;
use support::portal::Portal;

struct Strategy {
    name: &'static str,
    options: ListOptions,
}

fn strategies(plain: bool) -> Vec<Strategy> {
    let mut list = vec![
        Strategy {
            name: "fast ID path, chained batches",
            options: ListOptions {
                id_field: Some("ID".into()),
                ..ListOptions::default()
            },
        },
        Strategy {
            name: "start/next paging, batched",
            options: ListOptions::default(),
        },
    ];
    if plain {
        list.push(Strategy {
            name: "start/next paging, one page per request",
            options: ListOptions {
                batched: false,
                ..ListOptions::default()
            },
        });
    }
    list
}

async fn run(n: u64, strategy: &Strategy) -> Result<(), bitrix24_runtime::Error> {
    let portal = Portal::new(n, Some((50.0, 2.0)));
    let client = Client::webhook(&portal.start().await)?;
    let started = Instant::now();
    let items: Vec<serde_json::Value> = client
        .list_raw(
            "crm.deal.list",
            json!({"select": ["ID", "TITLE"]}),
            strategy.options.clone(),
        )
        .try_collect()
        .await?;
    let wall = started.elapsed();
    assert_eq!(items.len() as u64, n, "every item was read exactly once");
    let minimum = (n as f64 / 2500.0).max(1.0);
    println!(
        "{:<42} N={n:>7}  requests={:>4}  refused={:>3}  wall={:>8.3}s  ratio_to_min={:.2}",
        strategy.name,
        portal.requests(),
        portal.refused(),
        wall.as_secs_f64(),
        portal.requests() as f64 / minimum
    );
    Ok(())
}

fn main() {
    let n: u64 = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let plain = std::env::var("BENCH_PLAIN").is_ok_and(|v| v == "1");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    for strategy in strategies(plain) {
        if let Err(error) = runtime.block_on(run(n, &strategy)) {
            eprintln!("{}: {error}", strategy.name);
            std::process::exit(1);
        }
    }
}
