//! Client settings: rate limit, retry policy, timeouts and the call deadline, the response-size
//! cap, redirect trust, user agent.
//!
//! Defaults follow the documented limits of a standard cloud plan (a bucket of 50 requests
//! draining 2 per second); [`RateLimit::ENTERPRISE`] is 250 and 5.

use std::time::Duration;

/// The portal's leaky bucket: `burst` requests at once, `drain_per_sec` more each second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Counter value above which the portal refuses requests (`X` in the docs).
    pub burst: u32,
    /// How much the counter drops per second (`Y` in the docs).
    pub drain_per_sec: f64,
}

impl RateLimit {
    /// Every cloud plan but Enterprise: 50 at once, 2 per second.
    pub const STANDARD: Self = Self {
        burst: 50,
        drain_per_sec: 2.0,
    };
    /// Enterprise plans: 250 at once, 5 per second.
    pub const ENTERPRISE: Self = Self {
        burst: 250,
        drain_per_sec: 5.0,
    };
    /// No client-side limiting, for self-hosted portals configured without limits.
    pub const UNLIMITED: Self = Self {
        burst: u32::MAX,
        drain_per_sec: f64::MAX,
    };
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::STANDARD
    }
}

/// When and how often calls are repeated.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Repeats after the first attempt, for any retryable reason.
    pub max_retries: u32,
    /// First back-off delay; doubles with every retry.
    pub base_delay: Duration,
    /// Upper bound of one back-off delay.
    pub max_delay: Duration,
    /// Repeat writes (`.add`, `.update`, `.delete`...) after timeouts and dropped connections
    /// too. Off by default: the write may already have run. REST 3.0 writes are repeated
    /// regardless, because they carry an `Idempotency-Key`.
    pub retry_writes: bool,
    /// Longest wait for an `OPERATION_TIME_LIMIT` hold before giving up with
    /// [`crate::Error::OperationHeld`].
    pub max_operating_wait: Duration,
    /// Hold used after `OPERATION_TIME_LIMIT` when no `operating_reset_at` is known
    /// (the portal's buckets are one minute long).
    pub operating_fallback: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            retry_writes: false,
            max_operating_wait: Duration::from_secs(600),
            operating_fallback: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Back-off before retry number `retry` (0-based): `base * 2^retry`, capped.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(20));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Default [`Config::max_response_bytes`]: 64 MiB, far above the largest documented answer (a
/// 50-command batch of 50-item pages) and far below what hurts a process.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 << 20;

/// Everything tunable about a [`crate::Client`].
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// `User-Agent` header.
    pub user_agent: String,
    /// Timeout of one attempt, from connecting to the last byte of the body (the cloud stops a
    /// request after 60 s of execution).
    pub timeout: Duration,
    /// Budget of one call across all its attempts and the back-offs between them; a call never
    /// spends longer than this on the network, however many retries are left. Waiting for the
    /// client-side rate limiter and `OPERATION_TIME_LIMIT` holds is not counted.
    pub call_deadline: Duration,
    /// Largest response body read, in bytes, for method calls and token refreshes alike. A
    /// longer body is [`crate::Error::TooLarge`]; reading stops at the limit.
    pub max_response_bytes: u64,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Client-side model of the portal's request bucket.
    pub rate_limit: RateLimit,
    /// Retry rules.
    pub retry: RetryPolicy,
    /// Same-origin redirects followed per call.
    pub max_redirects: u8,
    /// Hosts (`new.bitrix24.com`, or `host:port` for one port only) a redirect to another
    /// origin may move the client to, credentials and all (e.g. the portal's new address after
    /// a rename you made). Without an entry, a cross-origin redirect
    /// is [`crate::Error::CrossOriginRedirect`]; an OAuth client still follows it when the
    /// authorisation server confirms the new address (`client_endpoint`).
    pub trusted_redirect_hosts: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            user_agent: concat!("bitrix24-rust-sdk/", env!("CARGO_PKG_VERSION")).to_owned(),
            timeout: Duration::from_secs(75),
            call_deadline: Duration::from_secs(150),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            connect_timeout: Duration::from_secs(10),
            rate_limit: RateLimit::default(),
            retry: RetryPolicy::default(),
            max_redirects: 3,
            trusted_redirect_hosts: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(0), Duration::from_millis(500));
        assert_eq!(p.backoff(1), Duration::from_secs(1));
        assert_eq!(p.backoff(3), Duration::from_secs(4));
        assert_eq!(p.backoff(10), Duration::from_secs(30));
        assert_eq!(p.backoff(u32::MAX), Duration::from_secs(30));
    }
}
