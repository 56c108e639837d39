//! The few error codes whose meaning changes what the runtime does (retry, hold, refresh).
//!
//! The full catalogue of codes is generated elsewhere; here only the behaviour-relevant ones are
//! classified. The portal sends some codes upper- and some lower-case, so matching ignores case.

/// How the runtime reacts to an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeClass {
    /// `QUERY_LIMIT_EXCEEDED`: refused before running; back off and retry.
    QueryLimit,
    /// `OPERATION_TIME_LIMIT`: this method is blocked until `operating_reset_at`.
    OperationTimeLimit,
    /// `OVERLOAD_LIMIT`: a manual block by Bitrix24 support; never retried.
    Overload,
    /// `expired_token`: the OAuth access token must be refreshed, then the call repeated.
    ExpiredToken,
    /// `NO_AUTH_FOUND`, `invalid_token`, `INVALID_CREDENTIALS`, `invalid_grant`: credentials are wrong.
    BadCredentials,
    /// Anything else: returned to the caller as is.
    Other,
}

/// Classify an error code (case-insensitively).
pub fn classify(code: &str) -> CodeClass {
    const TABLE: [(&str, CodeClass); 7] = [
        ("QUERY_LIMIT_EXCEEDED", CodeClass::QueryLimit),
        ("OPERATION_TIME_LIMIT", CodeClass::OperationTimeLimit),
        ("OVERLOAD_LIMIT", CodeClass::Overload),
        ("expired_token", CodeClass::ExpiredToken),
        ("NO_AUTH_FOUND", CodeClass::BadCredentials),
        ("invalid_token", CodeClass::BadCredentials),
        ("INVALID_CREDENTIALS", CodeClass::BadCredentials),
    ];
    TABLE
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(code))
        .map_or(CodeClass::Other, |(_, class)| *class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_ignores_case() {
        assert_eq!(classify("query_limit_exceeded"), CodeClass::QueryLimit);
        assert_eq!(classify("EXPIRED_TOKEN"), CodeClass::ExpiredToken);
        assert_eq!(
            classify("OPERATION_TIME_LIMIT"),
            CodeClass::OperationTimeLimit
        );
        assert_eq!(classify("OVERLOAD_LIMIT"), CodeClass::Overload);
        assert_eq!(classify("NO_AUTH_FOUND"), CodeClass::BadCredentials);
        assert_eq!(classify("ACCESS_DENIED"), CodeClass::Other);
        assert_eq!(classify(""), CodeClass::Other);
    }
}
