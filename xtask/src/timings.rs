//! Per-phase wall time of a `codegen` run (`--timings` or `B24_TIMINGS=1`), printed to stderr
//! at the end, so where a run's time goes is measured rather than guessed.
//!
//! Phases run on several threads at once (the spec side, the generated crate and the OpenAPI
//! document are made side by side), so each line carries its start offset as well as its
//! duration: the critical path is read off the offsets, not the sum. Recording is two
//! `Instant`s and a push under a lock; it is always on and only printing is optional.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The phases of one run, in the order they ended.
#[derive(Debug)]
pub struct Timings {
    start: Instant,
    phases: Mutex<Vec<Phase>>,
}

/// One measured phase.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// What ran (`extract`, `spec: render`...).
    pub name: String,
    /// When it started, from the start of the run.
    pub offset: Duration,
    /// How long it took (wall time; for summed phases, the sum over the parallel jobs).
    pub took: Duration,
    /// Counts worth printing beside it (cache hits and misses...).
    pub detail: String,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            start: Instant::now(),
            phases: Mutex::new(Vec::new()),
        }
    }
}

impl Timings {
    /// Runs `work` as the phase `name`.
    pub fn time<T>(&self, name: &str, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = work();
        self.record(name, started, started.elapsed(), String::new());
        out
    }

    /// Records a phase measured elsewhere (`started` is when it began).
    pub fn record(&self, name: &str, started: Instant, took: Duration, detail: String) {
        let phase = Phase {
            name: name.to_owned(),
            offset: started.saturating_duration_since(self.start),
            took,
            detail,
        };
        // A poisoned lock only means another phase panicked; its timings are still fine.
        let mut phases = self.phases.lock().unwrap_or_else(|e| e.into_inner());
        phases.push(phase);
    }

    /// The phases so far, by start offset.
    pub fn phases(&self) -> Vec<Phase> {
        let mut phases = self
            .phases
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        phases.sort_by_key(|p| p.offset);
        phases
    }

    /// The table printed at the end of a run: start, duration, phase, detail.
    pub fn report(&self) -> String {
        let mut out = format!(
            "timings (ms; total {:.0}):\n{:>7} {:>7}  phase\n",
            self.start.elapsed().as_secs_f64() * 1e3,
            "start",
            "took"
        );
        for phase in self.phases() {
            out.push_str(&format!(
                "{:>7.0} {:>7.0}  {}{}{}\n",
                phase.offset.as_secs_f64() * 1e3,
                phase.took.as_secs_f64() * 1e3,
                phase.name,
                if phase.detail.is_empty() { "" } else { "  " },
                phase.detail
            ));
        }
        out
    }
}

/// Whether `B24_TIMINGS` asks for the table (set and neither empty nor `0`).
pub fn requested_by_env() -> bool {
    std::env::var_os("B24_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_listed_by_start_with_their_detail() {
        let timings = Timings::default();
        let later = Instant::now() + Duration::from_millis(5);
        timings.record("second", later, Duration::from_millis(2), "3 hits".into());
        let value = timings.time("first", || 7);
        assert_eq!(value, 7);
        let names: Vec<String> = timings.phases().into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["first", "second"]);
        let report = timings.report();
        assert!(report.contains("  second  3 hits\n"), "{report}");
        assert!(report.contains("  first\n"), "{report}");
    }
}
