//! Throughput benchmark on `bitrix24-mock` with the latency model (30 ms per request
//! plus 2 ms per inner call) and the standard bucket (50, draining 2 per second):
//!
//! | workload | what |
//! |---|---|
//! | `list-10k`, `list-100k` | full list of deals by the fast ID path, idle portal |
//! | `gets-1000` | 1,000 `crm.deal.get` by ID in one non-halting `Batch` (20 requests) |
//! | `gets-1000-limit`, `list-100k-limit` | the same on a portal already at its limit |
//!
//! Each prints wall time, requests against ceil(N/2500) (lists) or ceil(N/50) (batches),
//! refusals, and the process's peak RSS (client and mock together; the mock's data is the
//! baseline), as the median wall time of `BENCH_RUNS` runs (default 3; the most requests and
//! refusals and the highest peak of them). `BENCH_SERIAL=1` adds the same workloads with one
//! request in flight (the runtime's previous behaviour) for a ratio measured in the same run.
//! When `BENCH_PEER_PYTHON` names a Python with fast_bitrix24 installed, the same workloads are
//! timed with it on the same mock (`.ci/peer/fast_b24_workload.py`), runs alternating with
//! ours, and `ours/x` prints our median wall time over the other client's. `BENCH_TIMELINE=1` prints
//! every request of our runs on stderr (limiter wait, round trip, decode time, sizes), with
//! the time since the process started, between `workload start` and `workload end` lines.
//! List workloads also run with [`FirstRequest::Probe`] (`ours-probe`: one request more than
//! ceil(N/2500), one full round trip less).
//!
//! `cargo bench -p bitrix24-runtime --bench full_list` (add `-- list-10k` to run one workload).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bitrix24_mock::{Entity, Latency, Portal};
use bitrix24_runtime::{Batch, Client, FirstRequest, ListOptions};
use futures::TryStreamExt;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy)]
struct Workload {
    name: &'static str,
    items: u64,
    batch: bool,
    at_limit: bool,
}

const WORKLOADS: [Workload; 5] = [
    Workload {
        name: "list-10k",
        items: 10_000,
        batch: false,
        at_limit: false,
    },
    Workload {
        name: "list-100k",
        items: 100_000,
        batch: false,
        at_limit: false,
    },
    Workload {
        name: "gets-1000",
        items: 1_000,
        batch: true,
        at_limit: false,
    },
    Workload {
        name: "gets-1000-limit",
        items: 1_000,
        batch: true,
        at_limit: true,
    },
    Workload {
        name: "list-100k-limit",
        items: 100_000,
        batch: false,
        at_limit: true,
    },
];

struct Measured {
    wall: Duration,
    requests: u64,
    refused: u64,
    peak_mb: f64,
    base_mb: f64,
}

async fn portal(workload: Workload) -> Portal {
    let portal = Portal::builder()
        .seed(Entity::Deal, workload.items)
        .latency(Latency::BENCH)
        .start()
        .await
        .expect("mock portal");
    if workload.at_limit {
        portal.fill_bucket();
    }
    portal
}

async fn run_ours(
    workload: Workload,
    concurrency: Option<usize>,
    first_request: FirstRequest,
) -> Measured {
    let portal = portal(workload).await;
    let client = Client::webhook(&portal.webhook_url()).expect("client");
    reset_peak();
    let base_mb = rss_mb("VmRSS");
    tracing::debug!(workload = workload.name, "workload start");
    let started = Instant::now();
    let received = if workload.batch {
        let mut batch = Batch::new();
        if let Some(concurrency) = concurrency {
            batch = batch.concurrency(concurrency);
        }
        for id in 1..=workload.items {
            batch
                .add_raw(format!("g{id}"), "crm.deal.get", json!({ "id": id }))
                .expect("command");
        }
        let results = client.batch(&batch).await.expect("batch");
        let ids: Vec<u64> = results
            .iter()
            .map(|(_, o)| id_of(&o.as_ref().expect("command result").result))
            .collect();
        check_once(ids, workload.items)
    } else {
        let defaults = ListOptions::default();
        let options = ListOptions {
            id_field: Some("ID".into()),
            concurrency: concurrency.unwrap_or(defaults.concurrency),
            first_request,
            ..defaults
        };
        let mut stream =
            client.list_raw("crm.deal.list", json!({"select": ["ID", "TITLE"]}), options);
        let mut ids = Vec::with_capacity(workload.items as usize);
        while let Some(item) = stream.try_next().await.expect("list") {
            ids.push(id_of(&item));
        }
        check_once(ids, workload.items)
    };
    let wall = started.elapsed();
    tracing::debug!(workload = workload.name, "workload end");
    assert!(received, "{}: every item exactly once", workload.name);
    let stats = portal.stats();
    Measured {
        wall,
        requests: stats.requests,
        refused: stats.refused,
        peak_mb: rss_mb("VmHWM"),
        base_mb,
    }
}

fn id_of(item: &Value) -> u64 {
    match &item["ID"] {
        Value::String(s) => s.parse().unwrap_or(0),
        other => other.as_u64().unwrap_or(0),
    }
}

fn check_once(mut ids: Vec<u64>, n: u64) -> bool {
    ids.sort_unstable();
    ids == (1..=n).collect::<Vec<_>>()
}

/// Reset the kernel's peak-RSS mark so each workload reports its own peak (Linux).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn rss_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| {
            let value = l.strip_prefix(field)?.strip_prefix(':')?;
            value.trim().strip_suffix("kB")?.trim().parse::<f64>().ok()
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn minimum(workload: Workload) -> u64 {
    let per_request = if workload.batch { 50 } else { 2_500 };
    workload.items.div_ceil(per_request)
}

/// fast_bitrix24 on the same kind of portal: `(wall seconds, requests, refusals, all once)`.
async fn run_peer(python: &str, workload: Workload) -> Option<(f64, u64, u64, bool)> {
    let portal = portal(workload).await;
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.ci/peer/fast_b24_workload.py");
    let kind = if workload.batch { "gets" } else { "list" };
    let output = tokio::process::Command::new(python)
        .arg(script)
        .args([
            portal.webhook_url(),
            kind.to_owned(),
            workload.items.to_string(),
        ])
        .output()
        .await
        .ok()?;
    let line = String::from_utf8_lossy(&output.stdout);
    let Some(report) = line
        .lines()
        .last()
        .and_then(|l| serde_json::from_str::<Value>(l).ok())
    else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        eprintln!(
            "fast_bitrix24 {}: {}",
            workload.name,
            stderr.lines().last().unwrap_or("no output")
        );
        return None;
    };
    let stats = portal.stats();
    Some((
        report["wall"].as_f64()?,
        stats.requests,
        stats.refused,
        report["ok"].as_bool()?,
    ))
}

fn main() {
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let serial = std::env::var("BENCH_SERIAL").is_ok_and(|v| v == "1");
    let python = std::env::var("BENCH_PEER_PYTHON").ok().map(from_workspace);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1);
    if std::env::var("BENCH_TIMELINE").is_ok_and(|v| v == "1") {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_timer(tracing_subscriber::fmt::time::uptime())
            .with_writer(std::io::stderr)
            .init();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    println!(
        "latency 30 ms/request + 2 ms/call, bucket 50 burst / 2 per s; median wall of {runs} runs, \
         most refusals and highest peak of them"
    );
    println!(
        "{:<16} {:<10} {:>8} {:>5} {:>4} {:>7} {:>8} {:>8} {:>9}",
        "workload", "client", "wall s", "req", "min", "refused", "peak MB", "base MB", "ours/x"
    );
    for workload in WORKLOADS {
        if !only.is_empty() && !only.iter().any(|o| o == workload.name) {
            continue;
        }
        // Runs of every client alternate, so a burst of load on the machine hits all of them.
        let (mut ours, mut one, mut probe, mut peer) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        // Lists also run with a probe first request (one request more, one round trip less).
        let probing = !workload.batch;
        for _ in 0..runs {
            let full = FirstRequest::FullChain;
            ours.push(runtime.block_on(run_ours(workload, None, full)));
            if serial {
                one.push(runtime.block_on(run_ours(workload, Some(1), full)));
            }
            if probing {
                let first = FirstRequest::Probe;
                probe.push(runtime.block_on(run_ours(workload, None, first)));
            }
            if let Some(python) = &python {
                peer.push(runtime.block_on(run_peer(python, workload)));
            }
        }
        let ours = summary(ours);
        print_row(workload, "ours", &ours, None);
        if serial {
            print_row(workload, "ours-1", &summary(one), Some(ours.wall));
        }
        let probe = probing.then(|| summary(probe));
        if let Some(probe) = &probe {
            print_row(workload, "ours-probe", probe, Some(ours.wall));
        }
        if python.is_some() {
            match peer.into_iter().collect::<Option<Vec<_>>>() {
                Some(peer) => {
                    let wall = print_peer(workload, &peer, ours.wall);
                    if let Some(probe) = &probe {
                        let ratio = probe.wall.as_secs_f64() / wall;
                        println!("{:<16} ours-probe / fast_b24: {ratio:.2}x", workload.name);
                    }
                }
                None => println!("{:<16} {:<10} failed to run", workload.name, "fast_b24"),
            }
        }
    }
}

/// `cargo bench` runs in the crate's directory: a relative path with a `/` (such as
/// `target/peer-venv/bin/python`) is read from the workspace root; a bare name stays a command.
fn from_workspace(path: String) -> String {
    let given = PathBuf::from(&path);
    if given.is_absolute() || !path.contains('/') {
        return path;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.join(given).to_string_lossy().into_owned()
}

/// The median wall time of several runs, with the most requests and refusals and the highest
/// peak any of them saw (so a bad run is never hidden).
fn summary(mut runs: Vec<Measured>) -> Measured {
    runs.sort_by_key(|m| m.wall);
    let worst = |f: fn(&Measured) -> u64| runs.iter().map(f).max().unwrap_or(0);
    let (requests, refused) = (worst(|m| m.requests), worst(|m| m.refused));
    let peak_mb = runs.iter().map(|m| m.peak_mb).fold(f64::NAN, f64::max);
    let median = runs.swap_remove(runs.len() / 2);
    Measured {
        requests,
        refused,
        peak_mb,
        ..median
    }
}

/// Prints the peer's row and returns its median wall time (seconds).
fn print_peer(workload: Workload, runs: &[(f64, u64, u64, bool)], ours: Duration) -> f64 {
    let mut walls: Vec<f64> = runs.iter().map(|r| r.0).collect();
    walls.sort_by(f64::total_cmp);
    let wall = walls[walls.len() / 2];
    let requests = runs.iter().map(|r| r.1).max().unwrap_or(0);
    let refused = runs.iter().map(|r| r.2).max().unwrap_or(0);
    let ok = runs.iter().all(|r| r.3);
    println!(
        "{:<16} {:<10} {:>8.3} {:>5} {:>4} {:>7} {:>8} {:>8} {:>8.2}x{}",
        workload.name,
        "fast_b24",
        wall,
        requests,
        minimum(workload),
        refused,
        "-",
        "-",
        ours.as_secs_f64() / wall,
        if ok {
            ""
        } else {
            "  (items missing or repeated)"
        }
    );
    wall
}

fn print_row(workload: Workload, client: &str, m: &Measured, reference: Option<Duration>) {
    let ratio = reference.map_or_else(
        || "1.00x".to_owned(),
        |r| format!("{:.2}x", r.as_secs_f64() / m.wall.as_secs_f64()),
    );
    println!(
        "{:<16} {:<10} {:>8.3} {:>5} {:>4} {:>7} {:>8.0} {:>8.0} {:>9}",
        workload.name,
        client,
        m.wall.as_secs_f64(),
        m.requests,
        minimum(workload),
        m.refused,
        m.peak_mb,
        m.base_mb,
        ratio
    );
}
