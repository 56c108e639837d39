//! Where [`generate_reported`](crate::generate_reported)'s time goes, for `codegen --timings`:
//! the emit model, the typing report, and the per-file jobs (source text, format cache,
//! formatting) summed over rayon's workers, with the format cache's hits and misses.

use std::time::Duration;

/// Phase times of one generation. The job phases are sums over parallel jobs (CPU-like time),
/// `jobs_wall` is the wall time of all of them together.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct EmitTimings {
    /// Spec → emit model.
    pub model: Duration,
    /// The typing report.
    pub typing: Duration,
    /// Making each file's unformatted source (tokens printed as text, templates).
    pub source: Duration,
    /// Asking the format cache.
    pub cache_get: Duration,
    /// Formatting the misses (syn, prettyplease, rustfmt).
    pub format: Duration,
    /// Storing the misses in the cache.
    pub cache_put: Duration,
    /// Wall time of the per-file jobs together.
    pub jobs_wall: Duration,
    /// Files the cache knew.
    pub hits: usize,
    /// Files formatted.
    pub misses: usize,
}

/// One file job's share of [`EmitTimings`].
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct JobTimings {
    pub source: Duration,
    pub cache_get: Duration,
    pub format: Duration,
    pub cache_put: Duration,
    pub hit: bool,
}

impl EmitTimings {
    /// Adds one job's times.
    pub(crate) fn add(&mut self, job: JobTimings) {
        self.source += job.source;
        self.cache_get += job.cache_get;
        self.format += job.format;
        self.cache_put += job.cache_put;
        if job.hit {
            self.hits += 1;
        } else {
            self.misses += 1;
        }
    }
}
