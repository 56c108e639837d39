//! Incoming event handlers: read the form-encoded POST Bitrix24 sends
//! (`event=ONCRMDEALADD&data[FIELDS][ID]=1&auth[application_token]=...`) into nested JSON, and
//! check `auth[application_token]` in constant time so the handler only trusts its own portal.

use serde_json::Value;
use subtle::ConstantTimeEq;

use crate::error::Error;
use crate::form;
use crate::secret::Secret;

/// Decodes an event's `data` into a typed payload (what the generated crate's typed dispatch
/// calls). Errors name the event and the JSON path, never a value.
pub fn decode_data<T: serde::de::DeserializeOwned>(event: &str, data: Value) -> Result<T, Error> {
    crate::envelope::decode_value(data, event, 200)
}

/// An event as delivered to a handler.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Event name, e.g. `ONCRMDEALADD`.
    pub event: String,
    /// The `data` part, nested (`data[FIELDS][ID]` becomes `{"FIELDS": {"ID": "1"}}`).
    pub data: Value,
    /// `ts` as sent (Unix time).
    pub ts: Option<String>,
    /// The `auth` part; tokens stay wrapped in [`Secret`].
    pub auth: EventAuth,
}

/// The `auth` part of an event. Tokens are absent when the event was not tied to a user.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventAuth {
    /// Token proving the event comes from the portal the application is installed on.
    pub application_token: Option<Secret>,
    /// OAuth access token, when sent.
    pub access_token: Option<Secret>,
    /// OAuth refresh token, when sent.
    pub refresh_token: Option<Secret>,
    /// Portal address.
    pub domain: Option<String>,
    /// Portal identifier.
    pub member_id: Option<String>,
    /// REST address of the portal.
    pub client_endpoint: Option<String>,
}

/// Decode a form-encoded body into nested JSON (any bracketed form, not only events).
pub fn parse_form(body: &[u8]) -> Value {
    form::decode(body)
}

/// Read an event and check its `application_token` against the one stored at installation.
/// A missing or different token is an error that does not say which.
pub fn verify_event(body: &[u8], application_token: &Secret) -> Result<Event, Error> {
    let event = parse_event(body)?;
    let matches = event
        .auth
        .application_token
        .as_ref()
        .is_some_and(|sent| tokens_match(sent, application_token));
    if matches {
        Ok(event)
    } else {
        Err(Error::Event("application_token missing or wrong".into()))
    }
}

/// Read an event without checking its token (e.g. to look up the portal's stored token by
/// `member_id` first; then call [`tokens_match`]).
pub fn parse_event(body: &[u8]) -> Result<Event, Error> {
    let mut form = form::decode(body);
    let event = text(&form, &["event"]).ok_or_else(|| Error::Event("no `event` field".into()))?;
    let auth = EventAuth {
        application_token: text(&form, &["auth", "application_token"]).map(Secret::new),
        access_token: text(&form, &["auth", "access_token"]).map(Secret::new),
        refresh_token: text(&form, &["auth", "refresh_token"]).map(Secret::new),
        domain: text(&form, &["auth", "domain"]),
        member_id: text(&form, &["auth", "member_id"]),
        client_endpoint: text(&form, &["auth", "client_endpoint"]),
    };
    let data = form.get_mut("data").map(Value::take).unwrap_or(Value::Null);
    Ok(Event {
        event,
        data,
        ts: text(&form, &["ts"]),
        auth,
    })
}

/// Compare two tokens in constant time (for equal lengths; the length itself is not secret).
pub fn tokens_match(sent: &Secret, expected: &Secret) -> bool {
    let (a, b) = (sent.expose().as_bytes(), expected.expose().as_bytes());
    !b.is_empty() && bool::from(a.ct_eq(b))
}

fn text(form: &Value, path: &[&str]) -> Option<String> {
    path.iter()
        .try_fold(form, |node, key| node.get(key))?
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BODY: &[u8] = b"event=ONCRMDEALADD&event_handler_id=3&data%5BFIELDS%5D%5BID%5D=42&ts=1700000000&auth%5Bdomain%5D=p.bitrix24.com&auth%5Bmember_id%5D=m1&auth%5Bapplication_token%5D=apptok123&auth%5Baccess_token%5D=acc456";

    #[test]
    fn parses_nested_event_data() {
        let event = verify_event(BODY, &Secret::new("apptok123")).unwrap();
        assert_eq!(event.event, "ONCRMDEALADD");
        assert_eq!(event.data, json!({"FIELDS": {"ID": "42"}}));
        assert_eq!(event.ts.as_deref(), Some("1700000000"));
        assert_eq!(event.auth.member_id.as_deref(), Some("m1"));
    }

    #[test]
    fn wrong_or_missing_token_is_refused() {
        assert!(verify_event(BODY, &Secret::new("apptok124")).is_err());
        assert!(verify_event(BODY, &Secret::new("apptok1234")).is_err());
        assert!(verify_event(BODY, &Secret::new("")).is_err());
        assert!(verify_event(b"event=X", &Secret::new("apptok123")).is_err());
        assert!(parse_event(b"garbage%%%").is_err());
    }

    #[test]
    fn debug_of_an_event_hides_tokens() {
        let event = parse_event(BODY).unwrap();
        let shown = format!("{event:?}");
        assert!(
            !shown.contains("apptok123") && !shown.contains("acc456"),
            "{shown}"
        );
    }
}
