//! The time budget of one call across all its attempts.
//!
//! Each attempt is bounded by [`crate::Config::timeout`] (connect, send and the whole body);
//! [`crate::Config::call_deadline`] bounds the sum of every attempt and every back-off between
//! retries, so a server that trickles its answer or keeps failing cannot hold a call for
//! `timeout × (retries + 1)`. Waiting for the client's own rate limiter and for an
//! `OPERATION_TIME_LIMIT` hold is not counted: both are pacing the caller asked for, bounded by
//! their own settings (`RetryPolicy::max_operating_wait`). Nor is an OAuth refresh cut: the
//! authorisation server may already have rotated the single-use refresh token, and dropping its
//! answer would lose the new pair for good; a refresh is bounded by `timeout` alone.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use crate::error::{Error, TransportKind};

/// What is left of a call's budget.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: Duration,
    spent: Duration,
}

impl Budget {
    pub(crate) fn new(limit: Duration) -> Self {
        Self {
            limit,
            spent: Duration::ZERO,
        }
    }

    fn remaining(&self) -> Duration {
        self.limit.saturating_sub(self.spent)
    }

    /// Run `work` within what is left, counting the time it took.
    pub(crate) async fn run<T>(
        &mut self,
        method: &str,
        work: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        let started = Instant::now();
        let outcome = tokio::time::timeout(self.remaining(), work).await;
        self.spent += started.elapsed();
        outcome.unwrap_or_else(|_| Err(self.exceeded(method)))
    }

    /// Sleep `delay` if the budget allows it; `false` (without sleeping) when it does not.
    pub(crate) async fn sleep(&mut self, delay: Duration) -> bool {
        if delay >= self.remaining() {
            return false;
        }
        tokio::time::sleep(delay).await;
        self.spent += delay;
        true
    }

    fn exceeded(&self, method: &str) -> Error {
        Error::Transport {
            method: method.to_owned(),
            kind: TransportKind::Timeout,
            message: format!(
                "call deadline of {:.1}s reached (Config::call_deadline)",
                self.limit.as_secs_f64()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn work_past_the_budget_is_cut() {
        let mut budget = Budget::new(Duration::from_secs(5));
        let slow = async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok(())
        };
        let started = Instant::now();
        let err = budget.run("m", slow).await.unwrap_err();
        assert_eq!(started.elapsed(), Duration::from_secs(5));
        assert!(matches!(
            err,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ));
        assert!(!budget.sleep(Duration::from_millis(1)).await);
    }

    #[tokio::test(start_paused = true)]
    async fn sleeps_count_against_the_budget() {
        let mut budget = Budget::new(Duration::from_secs(3));
        assert!(budget.sleep(Duration::from_secs(2)).await);
        assert!(!budget.sleep(Duration::from_secs(1)).await);
        let quick = async { Ok(7) };
        assert_eq!(budget.run("m", quick).await.unwrap(), 7);
    }
}
