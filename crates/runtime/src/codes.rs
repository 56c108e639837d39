//! The few error codes whose meaning changes what the runtime does (retry, hold, refresh).
//!
//! The full catalogue of codes is generated elsewhere; here only the behaviour-relevant ones are
//! classified. The portal sends some codes upper- and some lower-case, so matching ignores case.

/// What an error code means for the caller and the runtime. Only [`CodeClass::QueryLimit`],
/// [`CodeClass::OperationTimeLimit`] and [`CodeClass::ExpiredToken`] change what the runtime
/// does (back off, hold, refresh); every other class fails the call at once and tells the
/// caller what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CodeClass {
    /// `QUERY_LIMIT_EXCEEDED`: refused before running; back off and retry.
    QueryLimit,
    /// `OPERATION_TIME_LIMIT`: this method is blocked until `operating_reset_at`.
    OperationTimeLimit,
    /// `OVERLOAD_LIMIT`: a manual block by Bitrix24 support; never retried.
    Overload,
    /// `expired_token`: the OAuth access token must be refreshed, then the call repeated.
    ExpiredToken,
    /// The credentials are wrong, or of the wrong kind: `NO_AUTH_FOUND`, `INVALID_CREDENTIALS`,
    /// `invalid_token`, `WRONG_AUTH_TYPE` on calls; `invalid_grant` (the refresh token is dead:
    /// authorize again) and `invalid_client` (client id or secret) from the OAuth server.
    /// Repeating the call cannot help.
    BadCredentials,
    /// `insufficient_scope`, `invalid_scope`, REST 3.0's `…INSUFFICIENTSCOPEEXCEPTION`: the
    /// webhook or application lacks the method's scope.
    InsufficientScope,
    /// `PAYMENT_REQUIRED`: the application's trial or paid period is over; the OAuth server
    /// issues no tokens until it is paid.
    PaymentRequired,
    /// `METHOD_CONFIRM_WAITING`: the portal administrator has not yet allowed this method for
    /// this token. Not retried: the answer comes as the `OnAppMethodConfirm` event, and calling
    /// again only returns the same error.
    ConfirmationPending,
    /// `METHOD_CONFIRM_DENIED`: the administrator refused this method for this token.
    ConfirmationDenied,
    /// `ERROR_METHOD_NOT_FOUND`: no such method here (or a REST 3.0-only method called without
    /// `/api/`).
    MethodNotFound,
    /// Anything else: returned to the caller as is.
    Other,
}

/// Each code whose class is not [`CodeClass::Other`], as the docs spell it.
const TABLE: [(&str, CodeClass); 17] = [
    ("QUERY_LIMIT_EXCEEDED", CodeClass::QueryLimit),
    ("OPERATION_TIME_LIMIT", CodeClass::OperationTimeLimit),
    ("OVERLOAD_LIMIT", CodeClass::Overload),
    ("expired_token", CodeClass::ExpiredToken),
    ("NO_AUTH_FOUND", CodeClass::BadCredentials),
    ("INVALID_CREDENTIALS", CodeClass::BadCredentials),
    ("invalid_token", CodeClass::BadCredentials),
    ("WRONG_AUTH_TYPE", CodeClass::BadCredentials),
    ("invalid_grant", CodeClass::BadCredentials),
    ("invalid_client", CodeClass::BadCredentials),
    ("insufficient_scope", CodeClass::InsufficientScope),
    ("invalid_scope", CodeClass::InsufficientScope),
    (
        "BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION",
        CodeClass::InsufficientScope,
    ),
    ("PAYMENT_REQUIRED", CodeClass::PaymentRequired),
    ("METHOD_CONFIRM_WAITING", CodeClass::ConfirmationPending),
    ("METHOD_CONFIRM_DENIED", CodeClass::ConfirmationDenied),
    ("ERROR_METHOD_NOT_FOUND", CodeClass::MethodNotFound),
];

/// Classify an error code (case-insensitively).
pub fn classify(code: &str) -> CodeClass {
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

    #[test]
    fn bad_credentials_from_calls_and_from_the_oauth_server() {
        for code in [
            "NO_AUTH_FOUND",
            "INVALID_CREDENTIALS",
            "invalid_token",
            "wrong_auth_type",
            "WRONG_AUTH_TYPE",
            "invalid_grant",
            "INVALID_CLIENT",
        ] {
            assert_eq!(classify(code), CodeClass::BadCredentials, "{code}");
        }
        // `invalid_request` is a malformed request, not a credentials problem.
        assert_eq!(classify("invalid_request"), CodeClass::Other);
    }

    #[test]
    fn missing_scope() {
        for code in [
            "insufficient_scope",
            "invalid_scope",
            "bitrix_rest_v3_exception_insufficientscopeexception",
        ] {
            assert_eq!(classify(code), CodeClass::InsufficientScope, "{code}");
        }
    }

    #[test]
    fn payment_required() {
        assert_eq!(classify("PAYMENT_REQUIRED"), CodeClass::PaymentRequired);
        assert_eq!(classify("payment_required"), CodeClass::PaymentRequired);
    }

    #[test]
    fn confirmation_pending_and_denied_are_told_apart() {
        assert_eq!(
            classify("METHOD_CONFIRM_WAITING"),
            CodeClass::ConfirmationPending
        );
        assert_eq!(
            classify("method_confirm_denied"),
            CodeClass::ConfirmationDenied
        );
    }

    #[test]
    fn method_not_found() {
        assert_eq!(
            classify("ERROR_METHOD_NOT_FOUND"),
            CodeClass::MethodNotFound
        );
        assert_eq!(
            classify("error_method_not_found"),
            CodeClass::MethodNotFound
        );
        assert_eq!(classify("ERROR_METHOD"), CodeClass::Other);
    }
}
