//! The documented limits, per webhook or OAuth application: the leaky bucket (a request is
//! refused with `QUERY_LIMIT_EXCEEDED` when the counter is full; a `batch` counts once), the
//! per-method execution-time budget (`OPERATION_TIME_LIMIT`, reported in `time.operating`),
//! and the manual `OVERLOAD_LIMIT` block.
//!
//! Clocks are tokio's, so tests with a paused clock see the bucket drain on virtual time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::config::{Bucket, OperatingLimit};
use crate::reply::unix_now;

/// How much of a method's budget is used, for the `time` member.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operating {
    /// Seconds accumulated in the current window.
    pub used: f64,
    /// Unix time the window ends.
    pub reset_at: f64,
}

/// The portal's limit state.
#[derive(Debug)]
pub struct Limits {
    bucket: Option<Bucket>,
    operating: OperatingLimit,
    levels: Mutex<HashMap<String, (f64, Instant)>>,
    /// `(caller, method)` → (window start, seconds used).
    windows: Mutex<HashMap<(String, String), (Instant, f64)>>,
    overloaded: AtomicBool,
}

impl Limits {
    /// Fresh limits.
    pub fn new(bucket: Option<Bucket>, operating: OperatingLimit) -> Self {
        Self {
            bucket,
            operating,
            levels: Mutex::default(),
            windows: Mutex::default(),
            overloaded: AtomicBool::new(false),
        }
    }

    /// Count one request from `caller`; `false` when its bucket is full (nothing is counted).
    pub fn admit(&self, caller: &str) -> bool {
        let Some(bucket) = self.bucket else {
            return true;
        };
        let mut levels = lock(&self.levels);
        let now = Instant::now();
        let (level, at) = levels.entry(caller.to_owned()).or_insert((0.0, now));
        let drained = now.saturating_duration_since(*at).as_secs_f64() * bucket.drain_per_sec;
        *level = (*level - drained).max(0.0);
        *at = now;
        if *level + 1.0 > bucket.burst + 1e-9 {
            return false;
        }
        *level += 1.0;
        true
    }

    /// Fill `caller`'s bucket, as if it had just sent a burst (a portal "already at its limit").
    pub fn fill(&self, caller: &str) {
        if let Some(bucket) = self.bucket {
            lock(&self.levels).insert(caller.to_owned(), (bucket.burst, Instant::now()));
        }
    }

    /// The method's budget state, or `Err` with it when the budget is spent.
    pub fn operating(&self, caller: &str, method: &str) -> Result<Operating, Operating> {
        let mut windows = lock(&self.windows);
        let (start, used) = *self.window(&mut windows, caller, method);
        let status = self.status(start, used);
        if used >= self.operating.budget.as_secs_f64() {
            Err(status)
        } else {
            Ok(status)
        }
    }

    /// Add `spent` to the method's budget use.
    pub fn spend(&self, caller: &str, method: &str, spent: Duration) -> Operating {
        let mut windows = lock(&self.windows);
        let window = self.window(&mut windows, caller, method);
        window.1 += spent.as_secs_f64();
        let (start, used) = *window;
        self.status(start, used)
    }

    fn window<'w>(
        &self,
        windows: &'w mut HashMap<(String, String), (Instant, f64)>,
        caller: &str,
        method: &str,
    ) -> &'w mut (Instant, f64) {
        let now = Instant::now();
        let window = windows
            .entry((caller.to_owned(), method.to_ascii_lowercase()))
            .or_insert((now, 0.0));
        if now.saturating_duration_since(window.0) >= self.operating.window {
            *window = (now, 0.0);
        }
        window
    }

    fn status(&self, start: Instant, used: f64) -> Operating {
        let left = (start + self.operating.window).saturating_duration_since(Instant::now());
        Operating {
            used,
            reset_at: unix_now() + left.as_secs_f64(),
        }
    }

    /// Block (or unblock) the whole REST API with `OVERLOAD_LIMIT`.
    pub fn set_overloaded(&self, on: bool) {
        self.overloaded.store(on, Ordering::SeqCst);
    }

    /// Whether the API is blocked.
    pub fn overloaded(&self) -> bool {
        self.overloaded.load(Ordering::SeqCst)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn bucket_admits_a_burst_then_drains() {
        let limits = Limits::new(Some(Bucket::STANDARD), OperatingLimit::default());
        assert!((0..50).all(|_| limits.admit("a")));
        assert!(!limits.admit("a"));
        assert!(limits.admit("b"), "callers have their own buckets");
        tokio::time::advance(Duration::from_millis(500)).await;
        assert!(limits.admit("a"));
        assert!(!limits.admit("a"));
    }

    #[tokio::test(start_paused = true)]
    async fn operating_budget_is_per_method_and_resets_with_the_window() {
        let limit = OperatingLimit {
            budget: Duration::from_secs(2),
            window: Duration::from_secs(60),
        };
        let limits = Limits::new(None, limit);
        limits.spend("a", "crm.deal.list", Duration::from_secs(2));
        assert!(limits.operating("a", "crm.deal.list").is_err());
        assert!(limits.operating("a", "crm.deal.get").is_ok());
        tokio::time::advance(Duration::from_secs(60)).await;
        assert_eq!(limits.operating("a", "crm.deal.list").unwrap().used, 0.0);
    }
}
