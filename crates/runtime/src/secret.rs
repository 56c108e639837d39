//! A string that must never be shown: webhook codes, access and refresh tokens, client secrets,
//! `application_token`. `Debug` and `Display` print a placeholder; the value is reachable only
//! through [`Secret::expose`], which makes every use greppable.
//!
//! [`Secret::scrub`] removes the value from free text in every encoding it travels in: raw, in a
//! URL (percent-encoded, either hex case, with or without the unreserved characters escaped),
//! in a form body (`+` for spaces) and inside JSON (escaped as `serde_json` does, and as PHP's
//! `json_encode` does with `\/` and `\uXXXX`), because a portal or proxy may echo it in any of
//! them.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use url::form_urlencoded::byte_serialize;

/// A secret string with redacting `Debug` and `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// What `Debug`/`Display` print instead of a secret.
pub const REDACTED: &str = "[redacted]";

/// RFC 3986 unreserved characters stay as they are in a URL component.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl Secret {
    /// Wrap a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself; call only where it goes on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Replace every occurrence of this secret in `text`, in any encoding it travels in, with
    /// [`REDACTED`]. Use it before logging text that may quote the secret.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for form in self.encodings() {
            if text.contains(&form) {
                text = text.replace(&form, REDACTED);
            }
        }
        text
    }

    /// The value as it may appear in text, longest first so a longer encoding is replaced
    /// before a shorter one inside it.
    fn encodings(&self) -> Vec<String> {
        if self.0.is_empty() {
            return Vec::new();
        }
        let raw = self.0.as_str();
        let percent = utf8_percent_encode(raw, NON_ALPHANUMERIC).to_string();
        let component = utf8_percent_encode(raw, COMPONENT).to_string();
        // A JSON string literal: drop its quotes.
        let json = serde_json::to_string(raw)
            .map(|quoted| quoted[1..quoted.len() - 1].to_owned())
            .unwrap_or_default();
        let mut forms = vec![
            raw.to_owned(),
            byte_serialize(raw.as_bytes()).collect(),
            lower_hex(&percent),
            lower_hex(&component),
            php_json(&json),
            percent,
            component,
            json,
        ];
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        forms.retain(|f| !f.is_empty());
        forms
    }
}

/// `%2F` -> `%2f`: servers differ in the hex case they escape with.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut escape_left = 0;
    for c in encoded.chars() {
        if c == '%' {
            escape_left = 2;
            out.push(c);
        } else if escape_left > 0 {
            escape_left -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// PHP's `json_encode` defaults: `/` as `\/`, everything outside ASCII as `\uXXXX`.
fn php_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '/' => out.push_str("\\/"),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
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

    #[test]
    fn scrub_removes_every_encoding() {
        let s = Secret::new("a/b+c d\"é=~");
        let echoed = [
            "a/b+c d\"é=~",
            "a%2Fb%2Bc%20d%22%C3%A9%3D%7E",
            "a%2fb%2bc%20d%22%c3%a9%3d%7e",
            "a%2Fb%2Bc%20d%22%C3%A9%3D~",
            "a%2Fb%2Bc+d%22%C3%A9%3D%7E",
            "a/b+c d\\\"é=~",
            "a\\/b+c d\\\"\\u00e9=~",
        ];
        for text in echoed {
            let shown = s.scrub(&format!("token={text}&x=1"));
            assert_eq!(shown, format!("token={REDACTED}&x=1"), "{text}");
        }
    }
}
