//! How long the first request of a split non-halting batch goes alone. A portal already at its
//! limit refuses before running anything, so its refusal comes back within one network round
//! trip; once that much time has passed without one, the rest can go. The client learns the
//! round trip from its own answers (wall time minus the `time.duration` the portal reports, see
//! [`NetworkDelay`]); a client that has not talked to the portal yet uses
//! [`DEFAULT_PROBE_WINDOW`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The window of a client that has no estimate of the round trip yet. 20 ms covers a portal in
/// the same region; a portal further away that is already at its limit may refuse up to
/// `concurrency` more requests of the first batch (each retried after the limiter's pacing,
/// never lost); later batches wait for the learned round trip.
pub const DEFAULT_PROBE_WINDOW: Duration = Duration::from_millis(20);

/// Bounds of a learned window: a refusal also needs the two ends' scheduling (a few ms), and a
/// window never costs more than half a second.
const MIN_WINDOW: Duration = Duration::from_millis(5);
const MAX_WINDOW: Duration = Duration::from_millis(500);

/// The window for a batch: the caller's own choice, else twice the learned round trip (a
/// refusal on a fresh connection takes one more), else the default.
pub(crate) fn window(chosen: Option<Duration>, round_trip: Option<Duration>) -> Duration {
    match (chosen, round_trip) {
        (Some(window), _) => window,
        (None, Some(rtt)) => rtt.saturating_mul(2).clamp(MIN_WINDOW, MAX_WINDOW),
        (None, None) => DEFAULT_PROBE_WINDOW,
    }
}

/// A smoothed estimate of the network round trip to the portal (the way TCP smooths its own:
/// each sample moves the estimate by an eighth), shared by a client's clones.
#[derive(Debug, Default)]
pub(crate) struct NetworkDelay {
    /// Microseconds; 0 until the first sample.
    micros: AtomicU64,
}

impl NetworkDelay {
    /// One answer took `wall` in all, of which the portal says it spent `server`.
    pub(crate) fn observe(&self, wall: Duration, server: Duration) {
        let sample = wall.saturating_sub(server).as_micros().max(1);
        let sample = u64::try_from(sample).unwrap_or(u64::MAX);
        // Lost updates between concurrent answers only drop a sample.
        let old = self.micros.load(Ordering::Relaxed);
        let new = if old == 0 {
            sample
        } else {
            old - old / 8 + sample / 8
        };
        self.micros.store(new, Ordering::Relaxed);
    }

    /// The estimate, once there is one.
    pub(crate) fn estimate(&self) -> Option<Duration> {
        match self.micros.load(Ordering::Relaxed) {
            0 => None,
            micros => Some(Duration::from_micros(micros)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn the_callers_window_wins_then_the_learned_one_then_the_default() {
        assert_eq!(window(Some(MS * 70), Some(MS)), MS * 70);
        assert_eq!(window(Some(Duration::MAX), None), Duration::MAX);
        assert_eq!(window(None, Some(MS * 40)), MS * 80);
        assert_eq!(window(None, Some(Duration::from_micros(300))), MIN_WINDOW);
        assert_eq!(window(None, Some(Duration::from_secs(3))), MAX_WINDOW);
        assert_eq!(window(None, None), DEFAULT_PROBE_WINDOW);
    }

    #[test]
    fn the_estimate_follows_answers_smoothly() {
        let delay = NetworkDelay::default();
        assert_eq!(delay.estimate(), None);
        delay.observe(MS * 140, MS * 130);
        assert_eq!(delay.estimate(), Some(MS * 10));
        // A sample of 80 ms moves 10 ms by an eighth of the difference: 10 - 1.25 + 10.
        delay.observe(MS * 210, MS * 130);
        assert_eq!(delay.estimate(), Some(Duration::from_micros(18_750)));
        // A portal reporting more time than the whole answer took still leaves an estimate.
        let fresh = NetworkDelay::default();
        fresh.observe(MS, MS * 5);
        assert_eq!(fresh.estimate(), Some(Duration::from_micros(1)));
    }
}
