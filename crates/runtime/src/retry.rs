//! Whether a failed attempt may be repeated, decided by one question: did the call run?
//!
//! * `QUERY_LIMIT_EXCEEDED` and `OPERATION_TIME_LIMIT` are refusals before running: always safe.
//! * A refused connection never reached the portal: always safe.
//! * Timeouts, dropped connections and 5xx answers without a known code are ambiguous: repeated
//!   only when the call is safe to repeat (a read, a REST 3.0 call with an `Idempotency-Key`,
//!   or a caller who opted in).
//! * `OVERLOAD_LIMIT` is a manual block: never repeated.

use crate::codes::CodeClass;
use crate::error::{Error, TransportKind};

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Back off, then repeat.
    Backoff,
    /// The portal's bucket is full: mark it so and repeat after backing off.
    RateLimited,
    /// Hold this method until its operating budget resets, then repeat.
    HoldMethod,
    /// Refresh the OAuth token, then repeat.
    RefreshToken,
    /// Give the error to the caller.
    Fail,
}

/// Decide about `error`; `safe_to_repeat` says whether running the call twice is harmless.
pub(crate) fn decide(error: &Error, safe_to_repeat: bool) -> Decision {
    match error {
        Error::Api { status, .. } => decide_api(error.class(), *status, safe_to_repeat),
        Error::Transport {
            kind: TransportKind::Connect,
            ..
        } => Decision::Backoff,
        Error::Transport {
            kind: TransportKind::Timeout | TransportKind::Other,
            ..
        } if safe_to_repeat => Decision::Backoff,
        // An unreadable 5xx page (a proxy's 502/504) says nothing about whether the call ran.
        Error::Decode { status, .. } if *status >= 500 && safe_to_repeat => Decision::Backoff,
        _ => Decision::Fail,
    }
}

fn decide_api(class: CodeClass, status: u16, safe_to_repeat: bool) -> Decision {
    match class {
        CodeClass::QueryLimit => Decision::RateLimited,
        CodeClass::OperationTimeLimit => Decision::HoldMethod,
        CodeClass::ExpiredToken => Decision::RefreshToken,
        CodeClass::Other if status >= 500 && safe_to_repeat => Decision::Backoff,
        // Every other class is final: repeating the call cannot change the answer.
        _ => Decision::Fail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, code: &str) -> Error {
        Error::Api {
            status,
            code: code.into(),
            description: String::new(),
        }
    }

    fn transport(kind: TransportKind) -> Error {
        Error::Transport {
            method: "m".into(),
            kind,
            message: String::new(),
        }
    }

    #[test]
    fn limit_refusals_are_always_retried() {
        for safe in [true, false] {
            assert_eq!(
                decide(&api(503, "QUERY_LIMIT_EXCEEDED"), safe),
                Decision::RateLimited
            );
            assert_eq!(
                decide(&api(429, "OPERATION_TIME_LIMIT"), safe),
                Decision::HoldMethod
            );
            assert_eq!(
                decide(&api(401, "expired_token"), safe),
                Decision::RefreshToken
            );
        }
    }

    #[test]
    fn overload_and_bad_credentials_are_never_retried() {
        for safe in [true, false] {
            assert_eq!(decide(&api(503, "OVERLOAD_LIMIT"), safe), Decision::Fail);
            assert_eq!(decide(&api(401, "NO_AUTH_FOUND"), safe), Decision::Fail);
        }
    }

    #[test]
    fn ambiguous_failures_are_retried_only_when_safe() {
        for err in [
            transport(TransportKind::Timeout),
            transport(TransportKind::Other),
            api(500, "INTERNAL_SERVER_ERROR"),
            Error::decode("m", 502, "html"),
        ] {
            assert_eq!(decide(&err, true), Decision::Backoff, "{err:?}");
            assert_eq!(decide(&err, false), Decision::Fail, "{err:?}");
        }
        assert_eq!(
            decide(&transport(TransportKind::Connect), false),
            Decision::Backoff
        );
        assert_eq!(
            decide(&transport(TransportKind::Redirect), true),
            Decision::Fail
        );
        assert_eq!(decide(&api(400, "ERROR_CORE"), true), Decision::Fail);
        assert_eq!(
            decide(&Error::decode("m", 200, "bad"), true),
            Decision::Fail
        );
    }
}
