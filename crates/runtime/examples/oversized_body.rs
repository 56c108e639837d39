//! Peak memory of reading a 1 GiB response, before and after the response-size cap.
//!
//! `cargo run -p bitrix24-runtime --example oversized_body` runs itself twice, each
//! in a fresh process so the peak resident set (`VmHWM`) belongs to one read only:
//!
//! * `before`: the body read whole, as the transport did before the cap (`Response::bytes`);
//! * `after`: a call through [`Client`] with the default `max_response_bytes` (64 MiB).
//!
//! A loopback server streams 1 GiB of `x` in 64 KiB chunks without `Content-Length`, so only a
//! cap enforced while reading can stop it. Prints both peaks and their ratio. Linux only (reads
//! `/proc/self/status`).

use std::process::Command;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::Router;
use bitrix24_runtime::{ApiVersion, Client};

const BODY_BYTES: u64 = 1 << 30;
const CHUNK: usize = 64 * 1024;

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some(mode @ ("before" | "after")) => measure(mode),
        _ => compare(),
    }
}

/// Run both modes in child processes and print the ratio of their peaks.
fn compare() {
    let exe = std::env::current_exe().expect("own path");
    let mut peaks = Vec::new();
    for mode in ["before", "after"] {
        let out = Command::new(&exe).arg(mode).output().expect("run child");
        let line = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        println!("{line}");
        let peak: f64 = field(&line, "peak_rss_mib").parse().expect("peak figure");
        peaks.push(peak);
    }
    println!(
        "peak memory after/before: {:.4} ({:.0} MiB -> {:.0} MiB)",
        peaks[1] / peaks[0],
        peaks[0],
        peaks[1]
    );
}

fn field<'a>(line: &'a str, name: &str) -> &'a str {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .unwrap_or("nan")
}

#[tokio::main]
async fn measure(mode: &str) {
    let base = serve_endless_body().await;
    let started = Instant::now();
    let outcome = match mode {
        "before" => read_whole(&base).await,
        _ => read_with_client(&base).await,
    };
    println!(
        "mode={mode} peak_rss_mib={:.1} elapsed_ms={} outcome={outcome}",
        peak_rss_mib(),
        started.elapsed().as_millis()
    );
}

/// What the transport did before the cap: buffer the whole body.
async fn read_whole(base: &str) -> String {
    let url = format!("{base}/rest/1/code/crm.deal.list");
    let response = reqwest::Client::new().post(url).send().await.expect("send");
    match response.bytes().await {
        Ok(body) => format!("read_{}_bytes", body.len()),
        Err(e) => format!("error:{e}"),
    }
}

async fn read_with_client(base: &str) -> String {
    let client = Client::webhook(&format!("{base}/rest/1/code/")).expect("client");
    match client
        .call_raw(ApiVersion::V2, "crm.deal.list", serde_json::json!({}))
        .await
    {
        Ok(_) => "read".to_owned(),
        Err(e) => format!("error:{}", e.to_string().replace(' ', "_")),
    }
}

/// A loopback server answering every request with `BODY_BYTES` of `x`, chunked.
async fn serve_endless_body() -> String {
    let router = Router::new().fallback(|| async {
        let chunk = Bytes::from(vec![b'x'; CHUNK]);
        let count = BODY_BYTES / CHUNK as u64;
        let chunks =
            futures::stream::iter((0..count).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
        Body::from_stream(chunks)
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

/// Peak resident set of this process so far, in MiB.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}
