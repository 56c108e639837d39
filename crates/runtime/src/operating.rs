//! Per-method holds for `OPERATION_TIME_LIMIT`.
//!
//! The portal budgets execution time per method over ten one-minute buckets. When a method is
//! blocked (429 `OPERATION_TIME_LIMIT`), only that method waits: until the `operating_reset_at`
//! of the last successful response (or of the error, if it carries one), or a fallback of one
//! bucket when neither is known. Other methods keep going.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use crate::envelope::Time;
use crate::error::Error;

#[derive(Debug, Default)]
struct MethodBudget {
    /// `operating_reset_at` from the last response that carried one (Unix seconds).
    reset_at: Option<f64>,
    /// While set and in the future, calls to the method wait.
    held_until: Option<Instant>,
}

/// Holds shared by every clone of a client.
#[derive(Debug, Default)]
pub(crate) struct OperatingHolds {
    methods: Mutex<HashMap<String, MethodBudget>>,
}

impl OperatingHolds {
    /// Remember when the method's oldest bucket is released.
    pub(crate) fn observe(&self, method: &str, time: Option<&Time>) {
        let Some(reset_at) = time.and_then(|t| t.operating_reset_at) else {
            return;
        };
        self.lock().entry(method.to_owned()).or_default().reset_at = Some(reset_at);
    }

    /// The method was refused: hold it and return for how long.
    pub(crate) fn hold(
        &self,
        method: &str,
        error_time: Option<&Time>,
        fallback: Duration,
    ) -> Duration {
        let mut methods = self.lock();
        let budget = methods.entry(method.to_owned()).or_default();
        let reset_at = error_time
            .and_then(|t| t.operating_reset_at)
            .or(budget.reset_at);
        let wait = reset_at.and_then(until_unix).unwrap_or(fallback);
        // The remembered reset is used up: if the block persists, the next hold waits a bucket.
        budget.reset_at = None;
        budget.held_until = Some(Instant::now() + wait);
        tracing::warn!(
            method,
            wait_secs = wait.as_secs(),
            "OPERATION_TIME_LIMIT: holding this method"
        );
        wait
    }

    /// Wait out a hold on `method`, or fail if it lasts longer than `max_wait`.
    pub(crate) async fn wait(&self, method: &str, max_wait: Duration) -> Result<(), Error> {
        let Some(until) = self.lock().get(method).and_then(|b| b.held_until) else {
            return Ok(());
        };
        let remaining = until.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Ok(());
        }
        if remaining > max_wait {
            return Err(Error::OperationHeld {
                method: method.to_owned(),
                wait_secs: remaining.as_secs(),
            });
        }
        tokio::time::sleep_until(until).await;
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, MethodBudget>> {
        self.methods
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Time from now until Unix time `at`, if it is in the future.
fn until_unix(at: f64) -> Option<Duration> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    let wait = at - now;
    (wait > 0.0 && wait.is_finite()).then(|| Duration::from_secs_f64(wait))
}

/// Current Unix time in seconds (for building `operating_reset_at` values in tests and servers).
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time_resetting_in(secs: f64) -> Time {
        Time {
            operating_reset_at: Some(unix_now() + secs),
            ..Time::default()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn hold_uses_the_last_reset_and_only_blocks_that_method() {
        let holds = OperatingHolds::default();
        holds.observe("crm.item.list", Some(&time_resetting_in(30.0)));
        let wait = holds.hold("crm.item.list", None, Duration::from_secs(60));
        assert!((29..=30).contains(&wait.as_secs()), "{wait:?}");
        let start = Instant::now();
        holds
            .wait("crm.deal.get", Duration::from_secs(600))
            .await
            .unwrap();
        assert_eq!(start.elapsed(), Duration::ZERO);
        holds
            .wait("crm.item.list", Duration::from_secs(600))
            .await
            .unwrap();
        assert!(start.elapsed() >= Duration::from_secs(29));
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_known_reset_the_fallback_applies_and_a_long_hold_fails_fast() {
        let holds = OperatingHolds::default();
        let wait = holds.hold("m", None, Duration::from_secs(60));
        assert_eq!(wait, Duration::from_secs(60));
        let err = holds.wait("m", Duration::from_secs(10)).await.unwrap_err();
        assert!(
            matches!(err, Error::OperationHeld { wait_secs: 60, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn a_reset_in_the_past_is_ignored() {
        assert_eq!(until_unix(unix_now() - 5.0), None);
        assert_eq!(until_unix(f64::NAN), None);
    }
}
