//! A running mock portal: its shared state, how to start it (on an ephemeral loopback port for
//! tests, or a fixed address for the binary), the URLs to point a client at, and the knobs a
//! test turns (faults, a full bucket, an overload block, expired tokens) and reads (counters).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::catalogue::Catalogue;
use crate::config::{Bucket, Latency, MockConfig, OperatingLimit};
use crate::error::MockError;
use crate::faults::{Fault, Faults};
use crate::limits::Limits;
use crate::oauth::{OAuthApp, Tokens};
use crate::state::{Entity, Store};

/// The caller key of the webhook (limits are per webhook or application).
pub(crate) const WEBHOOK_CALLER: &str = "webhook";
/// The caller key of the OAuth application.
pub(crate) const APP_CALLER: &str = "app";

/// What every request handler shares.
#[derive(Debug)]
pub struct Shared {
    pub(crate) catalogue: Arc<Catalogue>,
    pub(crate) config: MockConfig,
    pub(crate) limits: Limits,
    pub(crate) faults: Faults,
    pub(crate) tokens: Tokens,
    pub(crate) webhook_code: String,
    pub(crate) base: String,
    store: Mutex<Store>,
    requests: AtomicU64,
    refused: AtomicU64,
    calls: AtomicU64,
}

impl Shared {
    pub(crate) fn lock_store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn count_request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_refusal(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_call(&self) {
        self.calls.fetch_add(1, Ordering::Relaxed);
    }
}

/// Counters since the start (or the last [`Portal::reset_stats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// HTTP requests received (token requests included).
    pub requests: u64,
    /// Requests refused with `QUERY_LIMIT_EXCEEDED`.
    pub refused: u64,
    /// Methods executed successfully (a batch of 50 commands counts 50).
    pub calls: u64,
}

/// A mock Bitrix24 portal serving on loopback. Stops when dropped.
#[derive(Debug)]
pub struct Portal {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: JoinHandle<()>,
}

/// Configures a [`Portal`] before it starts.
#[derive(Debug, Clone, Default)]
pub struct PortalBuilder {
    config: MockConfig,
}

impl PortalBuilder {
    /// Create `count` records of `entity` before the first request (IDs from 1).
    pub fn seed(mut self, entity: Entity, count: u64) -> Self {
        self.config.seed.push((entity, count));
        self
    }

    /// Answer with this latency model.
    pub fn latency(mut self, latency: Latency) -> Self {
        self.config.latency = latency;
        self
    }

    /// Enforce this bucket (`None`: admit everything).
    pub fn bucket(mut self, bucket: Option<Bucket>) -> Self {
        self.config.bucket = bucket;
        self
    }

    /// Use this execution-time limit.
    pub fn operating(mut self, limit: OperatingLimit) -> Self {
        self.config.operating = limit;
        self
    }

    /// Access tokens live this long.
    pub fn token_ttl(mut self, ttl: std::time::Duration) -> Self {
        self.config.token_ttl = ttl;
        self
    }

    /// Serve the spec in `dir` instead of this repository's `spec/`.
    pub fn spec_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.config.spec_dir = dir.into();
        self
    }

    /// Use this configuration wholesale.
    pub fn config(mut self, config: MockConfig) -> Self {
        self.config = config;
        self
    }

    /// Start on an ephemeral loopback port.
    pub async fn start(self) -> Result<Portal, MockError> {
        self.start_on("127.0.0.1:0").await
    }

    /// Start on `addr` (e.g. `127.0.0.1:8080`).
    pub async fn start_on(self, addr: &str) -> Result<Portal, MockError> {
        let catalogue = Catalogue::load(&self.config.spec_dir)?;
        let listen_error = |source| MockError::Listen {
            addr: addr.to_owned(),
            source,
        };
        let listener = TcpListener::bind(addr).await.map_err(listen_error)?;
        let local = listener.local_addr().map_err(listen_error)?;
        let config = self.config;
        let shared = Arc::new(Shared {
            catalogue,
            limits: Limits::new(config.bucket, config.operating),
            faults: Faults::default(),
            tokens: Tokens::new(config.token_ttl),
            webhook_code: uuid::Uuid::new_v4().simple().to_string(),
            base: format!("http://{local}"),
            store: Mutex::new(Store::seeded(&config.seed)),
            requests: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            calls: AtomicU64::new(0),
            config,
        });
        let router = crate::routes::router(shared.clone());
        // Without TCP_NODELAY a response written in two parts waits for the client's delayed
        // ACK (40 ms on Linux), which would swamp the latency model.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                eprintln!("bitrix24-mock: server stopped: {error}");
            }
        });
        Ok(Portal {
            shared,
            addr: local,
            server,
        })
    }
}

impl Portal {
    /// A portal with defaults: this repository's spec, no latency, the standard bucket.
    pub async fn start() -> Result<Self, MockError> {
        Self::builder().start().await
    }

    /// Configure a portal.
    pub fn builder() -> PortalBuilder {
        PortalBuilder::default()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.shared.base
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The incoming webhook URL (`http://127.0.0.1:PORT/rest/1/CODE/`); REST 3.0 calls go to
    /// `/rest/api/1/CODE/`.
    pub fn webhook_url(&self) -> String {
        format!(
            "{}/rest/{}/{}/",
            self.shared.base, self.shared.config.user_id, self.shared.webhook_code
        )
    }

    /// The OAuth application, with a freshly issued token pair.
    pub fn oauth_app(&self) -> OAuthApp {
        self.shared.tokens.app(&self.shared.base)
    }

    /// Inject a fault.
    pub fn inject(&self, fault: Fault) {
        self.shared.faults.inject(fault);
    }

    /// Put the portal at its limit: every caller's bucket is full now.
    pub fn fill_bucket(&self) {
        for caller in [WEBHOOK_CALLER, APP_CALLER] {
            self.shared.limits.fill(caller);
        }
    }

    /// Block (or unblock) the REST API with `OVERLOAD_LIMIT`.
    pub fn set_overloaded(&self, on: bool) {
        self.shared.limits.set_overloaded(on);
    }

    /// Make every access token issued so far expire.
    pub fn expire_tokens(&self) {
        self.shared.tokens.expire_all();
    }

    /// Counters.
    pub fn stats(&self) -> Stats {
        Stats {
            requests: self.shared.requests.load(Ordering::Relaxed),
            refused: self.shared.refused.load(Ordering::Relaxed),
            calls: self.shared.calls.load(Ordering::Relaxed),
        }
    }

    /// Zero the counters.
    pub fn reset_stats(&self) {
        for counter in [
            &self.shared.requests,
            &self.shared.refused,
            &self.shared.calls,
        ] {
            counter.store(0, Ordering::Relaxed);
        }
    }

    /// How many records `entity` has now.
    pub fn count(&self, entity: Entity) -> usize {
        self.shared.lock_store().count(entity)
    }

    /// How many methods the spec gave the portal.
    pub fn methods(&self) -> usize {
        self.shared.catalogue.len()
    }

    /// Serve until the server task ends (the binary's main loop).
    pub async fn wait(mut self) {
        let _ = (&mut self.server).await;
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        self.server.abort();
    }
}
