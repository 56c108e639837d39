//! Client settings: rate limit, retry policy, timeouts, user agent.
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

/// Everything tunable about a [`crate::Client`].
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// `User-Agent` header.
    pub user_agent: String,
    /// Whole-request timeout (the cloud stops a request after 60 s of execution).
    pub timeout: Duration,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Client-side model of the portal's request bucket.
    pub rate_limit: RateLimit,
    /// Retry rules.
    pub retry: RetryPolicy,
    /// Redirects followed per call (a portal whose address changed answers 302).
    pub max_redirects: u8,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            user_agent: concat!("bitrix24-rust-sdk/", env!("CARGO_PKG_VERSION")).to_owned(),
            timeout: Duration::from_secs(75),
            connect_timeout: Duration::from_secs(10),
            rate_limit: RateLimit::default(),
            retry: RetryPolicy::default(),
            max_redirects: 3,
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
