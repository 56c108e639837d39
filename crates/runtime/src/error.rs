//! The one error type every runtime call returns.
//!
//! Variants separate what went wrong so callers can react: the portal said no ([`Error::Api`]),
//! the request never completed ([`Error::Transport`]), the answer could not be read
//! ([`Error::Decode`]). No variant ever carries a webhook code or a token: URLs are stripped from
//! transport errors and secrets scrubbed from messages before an `Error` is built.

use crate::codes::{classify, CodeClass};

/// Everything that can go wrong in a call.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The portal answered with an error body. Some errors are documented (and sent) with an
    /// empty code: those display as `Bitrix24 error (HTTP 400): message`, never with a blank.
    #[error("{}", api_display(*.status, .code, .description))]
    Api {
        /// HTTP status of the response (200 for errors inside a batch).
        status: u16,
        /// Error code as sent, e.g. `QUERY_LIMIT_EXCEEDED` or `expired_token`.
        code: String,
        /// Human-readable description (`error_description`, or `message` in REST 3.0).
        description: String,
    },
    /// The HTTP exchange failed: connection, timeout, TLS, redirect handling.
    #[error("transport error calling {method}: {kind}: {message}")]
    Transport {
        /// Method being called.
        method: String,
        /// What kind of failure it was; decides whether a retry is safe.
        kind: TransportKind,
        /// Redacted description (never contains the URL).
        message: String,
    },
    /// The response arrived but is not a readable Bitrix24 envelope or does not fit the type.
    #[error("cannot decode response of {method} (HTTP {status}): {message}")]
    Decode {
        /// Method being called.
        method: String,
        /// HTTP status of the response.
        status: u16,
        /// What did not fit, with the JSON path when known.
        message: String,
    },
    /// The request parameters could not be encoded as the method expects.
    #[error("cannot encode parameters of {method}: {message}")]
    Encode {
        /// Method being called.
        method: String,
        /// What could not be encoded.
        message: String,
    },
    /// The client was configured with something unusable (bad URL, bad header value...).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A batch could not be built as asked.
    #[error("invalid batch: {0}")]
    Batch(String),
    /// The OAuth token refresh failed; the call could not be authorised. The cause (the
    /// authorisation server's error, a transport failure, an unreadable answer) is the
    /// [`std::error::Error::source`], scrubbed of tokens like every other error.
    #[error("OAuth token refresh failed")]
    Refresh {
        /// Why the refresh failed.
        #[source]
        cause: Box<Error>,
    },
    /// The response body is larger than [`crate::Config::max_response_bytes`]; reading stopped
    /// at the limit.
    #[error("response of {method} exceeds the limit of {limit} bytes")]
    TooLarge {
        /// Method being called.
        method: String,
        /// The limit in force.
        limit: u64,
    },
    /// The portal redirected the call to another origin (scheme, host or port). Neither the
    /// credentials nor the parameters were sent there; `target` is that origin only, never the
    /// path (a webhook's path holds its code).
    #[error(
        "{method}: the portal redirected to another origin, {target}; the call was not sent there \
         (if it is the portal's new address, list its host in Config::trusted_redirect_hosts)"
    )]
    CrossOriginRedirect {
        /// Method being called.
        method: String,
        /// The redirect's origin, e.g. `https://new.bitrix24.com`.
        target: String,
    },
    /// A batch command that did not run because an earlier one failed with `halt` set.
    #[error("batch command {command} did not run: an earlier command failed and halt was set")]
    NotRun {
        /// Name of the command in the batch.
        command: String,
    },
    /// An incoming event could not be read or its `application_token` did not match.
    #[error("invalid event: {0}")]
    Event(String),
    /// A list stream stopped because the server's paging misbehaved (no progress, a `next`
    /// that does not advance, an absurd `total`) or the list passed the configured ceiling.
    #[error("listing {method} stopped: {reason}")]
    List {
        /// The list method.
        method: String,
        /// What the server did, or which ceiling was reached.
        reason: String,
    },
    /// `OPERATION_TIME_LIMIT` holds this method longer than the configured maximum wait.
    #[error("method {method} is blocked by OPERATION_TIME_LIMIT for {wait_secs}s more")]
    OperationHeld {
        /// Method that is blocked.
        method: String,
        /// Seconds until the portal's next bucket reset.
        wait_secs: u64,
    },
}

/// Coarse class of a transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// The connection could not be established: the request was never sent.
    Connect,
    /// No answer within the timeout: the call may or may not have run.
    Timeout,
    /// Any other failure after the request may have been sent (reset, broken body...).
    Other,
    /// A redirect could not be followed (missing or unparsable `Location`, too many hops).
    Redirect,
}

impl std::fmt::Display for TransportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect",
            Self::Timeout => "timeout",
            Self::Other => "request",
            Self::Redirect => "redirect",
        })
    }
}

/// `Bitrix24 error CODE (HTTP status): description`, leaving out what the portal left empty.
fn api_display(status: u16, code: &str, description: &str) -> String {
    let mut out = String::from("Bitrix24 error");
    if !code.trim().is_empty() {
        out.push(' ');
        out.push_str(code);
    }
    out.push_str(&format!(" (HTTP {status})"));
    if !description.trim().is_empty() {
        out.push_str(": ");
        out.push_str(description);
    }
    out
}

impl Error {
    /// The Bitrix24 error code, if the portal sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// `true` if this is an API error with `code` (compared case-insensitively).
    pub fn is_code(&self, code: &str) -> bool {
        self.code().is_some_and(|c| c.eq_ignore_ascii_case(code))
    }

    /// What the error code means (bad credentials, missing scope, confirmation pending...);
    /// [`CodeClass::Other`] for errors without a code and codes with no special meaning.
    pub fn class(&self) -> CodeClass {
        self.code().map_or(CodeClass::Other, classify)
    }

    /// Apply `scrub` to every free-text part, so secrets the runtime knows never leave in an error.
    pub(crate) fn scrubbed(self, scrub: &dyn Fn(&str) -> String) -> Self {
        match self {
            Self::Api {
                status,
                code,
                description,
            } => Self::Api {
                status,
                // A hostile server can echo a secret as the code too.
                code: scrub(&code),
                description: scrub(&description),
            },
            Self::Transport {
                method,
                kind,
                message,
            } => Self::Transport {
                method,
                kind,
                message: scrub(&message),
            },
            Self::Decode {
                method,
                status,
                message,
            } => Self::Decode {
                method,
                status,
                message: scrub(&message),
            },
            Self::Encode { method, message } => Self::Encode {
                method,
                message: scrub(&message),
            },
            Self::Config(m) => Self::Config(scrub(&m)),
            Self::Batch(m) => Self::Batch(scrub(&m)),
            Self::Refresh { cause } => Self::Refresh {
                cause: Box::new(cause.scrubbed(scrub)),
            },
            Self::Event(m) => Self::Event(scrub(&m)),
            Self::List { method, reason } => Self::List {
                method,
                reason: scrub(&reason),
            },
            kept @ (Self::OperationHeld { .. }
            | Self::NotRun { .. }
            | Self::TooLarge { .. }
            | Self::CrossOriginRedirect { .. }) => kept,
        }
    }

    pub(crate) fn decode(method: &str, status: u16, message: impl Into<String>) -> Self {
        Self::Decode {
            method: method.to_owned(),
            status,
            message: message.into(),
        }
    }

    /// Build a transport error from reqwest's, dropping the URL it carries (the URL of a webhook
    /// contains its secret code).
    pub(crate) fn transport(method: &str, err: reqwest::Error) -> Self {
        let kind = if err.is_connect() {
            TransportKind::Connect
        } else if err.is_timeout() {
            TransportKind::Timeout
        } else {
            TransportKind::Other
        };
        let message = describe_without_url(err.without_url());
        Self::Transport {
            method: method.to_owned(),
            kind,
            message,
        }
    }
}

/// Render an error and its sources; the caller has already removed the URL.
fn describe_without_url(err: reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_code_ignores_case() {
        let e = Error::Api {
            status: 401,
            code: "expired_token".into(),
            description: String::new(),
        };
        assert!(e.is_code("EXPIRED_TOKEN"));
        assert_eq!(e.class(), CodeClass::ExpiredToken);
        assert!(!Error::Config("x".into()).is_code("x"));
    }

    fn api(code: &str, description: &str) -> Error {
        Error::Api {
            status: 400,
            code: code.into(),
            description: description.into(),
        }
    }

    #[test]
    fn api_display_names_the_code_and_status() {
        assert_eq!(
            api("ERROR_CORE", "Bad things").to_string(),
            "Bitrix24 error ERROR_CORE (HTTP 400): Bad things"
        );
    }

    #[test]
    fn api_display_leaves_out_an_empty_code_and_description() {
        assert_eq!(
            api("", "Invalid discount rate").to_string(),
            "Bitrix24 error (HTTP 400): Invalid discount rate"
        );
        assert_eq!(api(" ", "").to_string(), "Bitrix24 error (HTTP 400)");
        assert_eq!(
            api("ERROR_CORE", "").to_string(),
            "Bitrix24 error ERROR_CORE (HTTP 400)"
        );
    }
}
