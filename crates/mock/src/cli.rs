//! The mock as a command (`bitrix24-mock`, `cargo xtask mock`): flags, then serve. Prints the
//! webhook URL and the OAuth application as one JSON line on stdout first.

use std::time::Duration;

use crate::{Bucket, Entity, Latency, Portal};

/// A local Bitrix24 portal built from the spec.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Deals (and as many contacts, companies, leads, items and tasks) to create first.
    #[arg(long, default_value_t = 0)]
    pub deals: u64,
    /// Milliseconds of latency per HTTP request.
    #[arg(long, default_value_t = 0)]
    pub request_ms: u64,
    /// Milliseconds of latency per method executed (each batch command counts).
    #[arg(long, default_value_t = 0)]
    pub call_ms: u64,
    /// Bucket: `standard` (50, 2/s), `enterprise` (250, 5/s) or `none`.
    #[arg(long, default_value = "standard")]
    pub bucket: String,
}

/// Serve until interrupted (builds its own tokio runtime).
pub fn run_blocking(args: Args) -> Result<(), String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?
        .block_on(run(args))
}

/// Serve until interrupted.
pub async fn run(args: Args) -> Result<(), String> {
    let bucket = match args.bucket.as_str() {
        "standard" => Some(Bucket::STANDARD),
        "enterprise" => Some(Bucket::ENTERPRISE),
        "none" => None,
        other => {
            return Err(format!(
                "--bucket {other:?}: use standard, enterprise or none"
            ))
        }
    };
    let mut builder = Portal::builder().bucket(bucket).latency(Latency {
        per_request: Duration::from_millis(args.request_ms),
        per_call: Duration::from_millis(args.call_ms),
    });
    for entity in [
        Entity::Deal,
        Entity::Contact,
        Entity::Company,
        Entity::Lead,
        Entity::Item,
        Entity::Task,
    ] {
        builder = builder.seed(entity, args.deals);
    }
    let portal = builder
        .start_on(&format!("127.0.0.1:{}", args.port))
        .await
        .map_err(|e| e.to_string())?;
    let app = portal.oauth_app();
    let line = serde_json::json!({
        "webhook": portal.webhook_url(),
        "base": portal.base_url(),
        "methods": portal.methods(),
        "oauth": {
            "client_endpoint": app.client_endpoint,
            "token_url": app.token_url,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "access_token": app.access_token,
            "refresh_token": app.refresh_token,
        },
    });
    // The one place the mock prints its (throwaway, loopback-only) credentials: the caller
    // needs them to connect.
    println!("{line}");
    tokio::select! {
        () = portal.wait() => Err("server stopped".to_owned()),
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}
