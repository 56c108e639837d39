//! A string that must never be shown: webhook codes, access and refresh tokens, client secrets,
//! `application_token`. `Debug` and `Display` print a placeholder; the value is reachable only
//! through [`Secret::expose`], which makes every use greppable.

use std::fmt;

/// A secret string with redacting `Debug` and `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// What `Debug`/`Display` print instead of a secret.
pub const REDACTED: &str = "[redacted]";

impl Secret {
    /// Wrap a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself; call only where it goes on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Replace every occurrence of this secret in `text` with a placeholder.
    pub(crate) fn scrub(&self, text: &str) -> String {
        if self.0.is_empty() {
            return text.to_owned();
        }
        text.replace(&self.0, REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("abc123xyz");
        assert!(!format!("{s:?}").contains("abc123xyz"));
        assert!(!format!("{s}").contains("abc123xyz"));
        assert_eq!(s.expose(), "abc123xyz");
    }

    #[test]
    fn scrub_removes_every_occurrence() {
        let s = Secret::new("tok");
        assert_eq!(s.scrub("a tok b tok"), format!("a {REDACTED} b {REDACTED}"));
        assert_eq!(Secret::new("").scrub("keep"), "keep");
    }
}
