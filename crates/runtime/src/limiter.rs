//! A client-side model of the portal's leaky bucket, so the client paces itself instead of
//! collecting `QUERY_LIMIT_EXCEEDED` refusals.
//!
//! Each request adds one to a counter that drains at `drain_per_sec`; a request that would push
//! it past `burst` waits until it fits. Callers reserve their slot before sleeping, so
//! concurrent callers are spaced out in arrival order rather than all waking at once. Clones
//! share one bucket: the portal counts every request from this application together.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::config::RateLimit;

/// A shared leaky bucket. Clone it into several clients that talk to the same portal.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    limit: RateLimit,
    bucket: Arc<Mutex<Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    level: f64,
    updated: Instant,
}

impl RateLimiter {
    /// An empty bucket with the given limits.
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            bucket: Arc::new(Mutex::new(Bucket {
                level: 0.0,
                updated: Instant::now(),
            })),
        }
    }

    /// The limits this bucket models.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Wait until one more request fits, and count it.
    pub async fn acquire(&self) {
        let wait = self.reserve();
        if !wait.is_zero() {
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "rate limiter: waiting for the bucket to drain"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// Count one request now and return how long it must wait before going out.
    fn reserve(&self) -> Duration {
        let mut bucket = self.lock();
        self.drain(&mut bucket);
        bucket.level += 1.0;
        let excess = bucket.level - f64::from(self.limit.burst);
        if excess <= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(excess / self.limit.drain_per_sec)
        }
    }

    /// The portal said the bucket is full: believe it, so the next requests wait for a drain.
    pub fn saturate(&self) {
        let mut bucket = self.lock();
        self.drain(&mut bucket);
        bucket.level = bucket.level.max(f64::from(self.limit.burst));
    }

    /// Current counter value (after draining), for diagnostics and tests.
    pub fn level(&self) -> f64 {
        let mut bucket = self.lock();
        self.drain(&mut bucket);
        bucket.level
    }

    fn drain(&self, bucket: &mut Bucket) {
        let now = Instant::now();
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.level = (bucket.level - elapsed * self.limit.drain_per_sec).max(0.0);
        bucket.updated = now;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Bucket> {
        self.bucket
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn burst_goes_at_once_then_two_per_second() {
        let limiter = RateLimiter::new(RateLimit::STANDARD);
        let start = Instant::now();
        for _ in 0..50 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        for _ in 0..10 {
            limiter.acquire().await;
        }
        let elapsed = start.elapsed().as_secs_f64();
        assert!(
            (elapsed - 5.0).abs() < 0.01,
            "10 requests past the burst take 5 s, took {elapsed}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn clones_share_one_bucket_and_concurrent_callers_are_spaced() {
        let limiter = RateLimiter::new(RateLimit {
            burst: 2,
            drain_per_sec: 1.0,
        });
        let start = Instant::now();
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let l = limiter.clone();
                tokio::spawn(async move {
                    l.acquire().await;
                    start.elapsed().as_secs_f64().round() as u64
                })
            })
            .collect();
        let mut times = Vec::new();
        for t in tasks {
            times.push(t.await.unwrap());
        }
        times.sort_unstable();
        assert_eq!(times, vec![0, 0, 1, 2, 3, 4]);
    }

    #[tokio::test(start_paused = true)]
    async fn saturate_makes_the_next_call_wait_one_drain_step() {
        let limiter = RateLimiter::new(RateLimit::STANDARD);
        limiter.saturate();
        assert_eq!(limiter.level(), 50.0);
        let start = Instant::now();
        limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_millis(500));
    }

    #[tokio::test(start_paused = true)]
    async fn bucket_drains_while_idle() {
        let limiter = RateLimiter::new(RateLimit::ENTERPRISE);
        for _ in 0..250 {
            limiter.acquire().await;
        }
        tokio::time::advance(Duration::from_secs(10)).await;
        assert!((limiter.level() - 200.0).abs() < 1e-6);
    }
}
