//! Why a mock portal could not start. Errors of the API itself are answers, not these
//! (see [`crate::reply::ApiError`]).

use std::path::PathBuf;

/// A failure to start or run a portal.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The spec directory could not be loaded.
    #[error("spec {dir}: {message}")]
    Spec {
        /// The directory.
        dir: PathBuf,
        /// What went wrong (names the file).
        message: String,
    },
    /// The listening socket could not be opened or served.
    #[error("listening on {addr}: {source}")]
    Listen {
        /// The address.
        addr: String,
        /// The IO error.
        source: std::io::Error,
    },
}
