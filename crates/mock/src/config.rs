//! What a mock portal is configured with: where the spec lives, the latency model, the
//! documented limits, token lifetime and the entities it starts with.

use std::path::PathBuf;
use std::time::Duration;

use crate::state::Entity;

/// The portal's leaky bucket: `burst` requests at once, `drain_per_sec` more each second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// Counter value above which requests are refused.
    pub burst: f64,
    /// How much the counter drops per second.
    pub drain_per_sec: f64,
}

impl Bucket {
    /// Every cloud plan but Enterprise: 50 at once, 2 per second.
    pub const STANDARD: Self = Self {
        burst: 50.0,
        drain_per_sec: 2.0,
    };
    /// Enterprise plans: 250 at once, 5 per second.
    pub const ENTERPRISE: Self = Self {
        burst: 250.0,
        drain_per_sec: 5.0,
    };
}

/// How long the portal takes to answer: a fixed cost per HTTP request plus a cost per method
/// executed (one for a plain call, one per command for a `batch`). The time the mock spends
/// running the request counts towards it (it sleeps only for the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Latency {
    /// Paid once per HTTP request.
    pub per_request: Duration,
    /// Paid per method executed inside the request.
    pub per_call: Duration,
}

impl Latency {
    /// The model the throughput benchmark uses: 30 ms per request plus 2 ms per inner call.
    pub const BENCH: Self = Self {
        per_request: Duration::from_millis(30),
        per_call: Duration::from_millis(2),
    };

    /// Time a request executing `calls` methods takes.
    pub fn of(&self, calls: usize) -> Duration {
        let calls = u32::try_from(calls).unwrap_or(u32::MAX);
        self.per_request + self.per_call.saturating_mul(calls)
    }
}

/// The documented `OPERATION_TIME_LIMIT`: accumulated execution time per method within a
/// window (480 s per 10 minutes on the cloud).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatingLimit {
    /// Execution time a method may accumulate within one window.
    pub budget: Duration,
    /// Window length; `operating_reset_at` is the end of the current window.
    pub window: Duration,
}

impl Default for OperatingLimit {
    fn default() -> Self {
        Self {
            budget: Duration::from_secs(480),
            window: Duration::from_secs(600),
        }
    }
}

/// Everything tunable about a [`crate::Portal`].
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// The spec directory (`spec/` of this repository by default). The mock never reads docs.
    pub spec_dir: PathBuf,
    /// Latency model (none by default, so tests run fast).
    pub latency: Latency,
    /// The bucket enforced per webhook or OAuth application; `None` admits everything.
    pub bucket: Option<Bucket>,
    /// The per-method execution-time limit.
    pub operating: OperatingLimit,
    /// Lifetime of an OAuth access token (one hour on the cloud).
    pub token_ttl: Duration,
    /// Entities created before the first request: `(entity, how many)`.
    pub seed: Vec<(Entity, u64)>,
    /// The user id in the webhook URL.
    pub user_id: u64,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            spec_dir: default_spec_dir(),
            latency: Latency::default(),
            bucket: Some(Bucket::STANDARD),
            operating: OperatingLimit::default(),
            token_ttl: Duration::from_secs(3600),
            seed: Vec::new(),
            user_id: 1,
        }
    }
}

/// `spec/` of the repository this crate is built in; `B24_SPEC` overrides it.
pub fn default_spec_dir() -> PathBuf {
    std::env::var_os("B24_SPEC").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec")),
        PathBuf::from,
    )
}
