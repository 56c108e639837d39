//! The response envelope: `result` plus `time`, `total` and `next`, and error bodies.
//!
//! Classic methods answer `{"result": ..., "time": {...}, "total": N, "next": N}` or
//! `{"error": "CODE", "error_description": "..."}`; REST 3.0 answers `{"result": {...}, "time": {...}}`
//! or `{"error": {"code": "...", "message": "...", "validation": [...]}}`. Both shapes are read
//! here. Any byte sequence is handled without panicking: what does not fit is an [`Error::Decode`].

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Error;
use crate::lenient;
use crate::mismatch;

/// A successful response with its metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelope<T> {
    /// The `result` field, decoded.
    pub result: T,
    /// Execution time figures, when the portal sent them.
    pub time: Option<Time>,
    /// Total number of items for list methods (absent or 0 with `start = -1`).
    pub total: Option<u64>,
    /// Offset of the next page for list methods; `None` on the last page.
    pub next: Option<u64>,
    /// `true` when REST 3.0 answered with `Idempotent-Replayed: true`: a stored response to an
    /// earlier call with the same `Idempotency-Key`, the method did not run again.
    pub replayed: bool,
}

/// The `time` object: request timing and the per-method operating budget.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Time {
    /// Unix time the request started.
    #[serde(default, deserialize_with = "lenient::option_float")]
    pub start: Option<f64>,
    /// Unix time the request finished.
    #[serde(default, deserialize_with = "lenient::option_float")]
    pub finish: Option<f64>,
    /// Seconds between start and finish.
    #[serde(default, deserialize_with = "lenient::option_float")]
    pub duration: Option<f64>,
    /// Seconds spent processing.
    #[serde(default, deserialize_with = "lenient::option_float")]
    pub processing: Option<f64>,
    /// `date_start` as sent (ISO 8601).
    #[serde(default, deserialize_with = "lenient::option_string")]
    pub date_start: Option<String>,
    /// `date_finish` as sent (ISO 8601).
    #[serde(default, deserialize_with = "lenient::option_string")]
    pub date_finish: Option<String>,
    /// Accumulated execution seconds of this method in the 10-minute window (cloud only).
    #[serde(default, deserialize_with = "lenient::option_float")]
    pub operating: Option<f64>,
    /// Unix time when the oldest minute bucket of `operating` is released (cloud only).
    #[serde(default, deserialize_with = "lenient::option_float")]
    pub operating_reset_at: Option<f64>,
}

impl<T> Envelope<T> {
    /// Transform the result, keeping the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Envelope<U> {
        Envelope {
            result: f(self.result),
            time: self.time,
            total: self.total,
            next: self.next,
            replayed: self.replayed,
        }
    }
}

impl Envelope<Value> {
    /// Decode the `result` into `T`, reporting the JSON path of the first mismatch.
    pub fn decode<T: DeserializeOwned>(
        self,
        method: &str,
        status: u16,
    ) -> Result<Envelope<T>, Error> {
        let Envelope {
            result,
            time,
            total,
            next,
            replayed,
        } = self;
        let result = decode_value(result, method, status)?;
        Ok(Envelope {
            result,
            time,
            total,
            next,
            replayed,
        })
    }
}

/// Decode a JSON value into `T`, naming the path that failed but never the value found there
/// (it may be a token or personal data; see `mismatch.rs`).
pub(crate) fn decode_value<T: DeserializeOwned>(
    value: Value,
    method: &str,
    status: u16,
) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let why = mismatch::describe(&e.into_inner().to_string());
        Error::decode(
            method,
            status,
            format!("result{}: {why}", display_path(&path)),
        )
    })
}

fn display_path(path: &str) -> String {
    if path == "." || path.is_empty() {
        String::new()
    } else {
        format!(".{path}")
    }
}

/// Read a response body: an error body becomes [`Error::Api`], a success an [`Envelope`].
pub fn decode_body(method: &str, status: u16, body: &[u8]) -> Result<Envelope<Value>, Error> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::decode(method, status, body_problem(&e, body)))?;
    let Value::Object(mut map) = value else {
        return Err(Error::decode(
            method,
            status,
            "response body is not a JSON object",
        ));
    };
    if let Some(error) = map.remove("error") {
        return Err(api_error(status, error, map.remove("error_description")));
    }
    if !(200..300).contains(&status) {
        return Err(Error::decode(
            method,
            status,
            "error status without an `error` field",
        ));
    }
    let result = map
        .remove("result")
        .ok_or_else(|| Error::decode(method, status, "missing `result` field"))?;
    let time = map.remove("time").and_then(|t| read_time(method, t));
    let total = optional_count(map.remove("total"));
    let next = optional_count(map.remove("next"));
    Ok(Envelope {
        result,
        time,
        total,
        next,
        replayed: false,
    })
}

/// `time` is advisory: a malformed one is logged and dropped rather than failing a call that ran.
fn read_time(method: &str, value: Value) -> Option<Time> {
    if value.is_null() {
        return None;
    }
    serde_path_to_error::deserialize(value)
        .map_err(|e: serde_path_to_error::Error<serde_json::Error>| {
            let path = e.path().to_string();
            let why = mismatch::describe(&e.into_inner().to_string());
            tracing::warn!(method, path, error = %why, "ignoring malformed `time` object");
        })
        .ok()
}

fn body_problem(e: &serde_json::Error, body: &[u8]) -> String {
    if body.is_empty() {
        "empty body".to_owned()
    } else if e.is_eof() {
        format!("truncated JSON ({e})")
    } else {
        format!("not JSON ({e})")
    }
}

/// `total`/`next` arrive as numbers or numeric strings; anything else means "absent".
fn optional_count(value: Option<Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Build [`Error::Api`] from either error shape.
pub(crate) fn api_error(status: u16, error: Value, description: Option<Value>) -> Error {
    match error {
        Value::Object(mut obj) => {
            let code = text_of(obj.remove("code"));
            let mut description = text_of(obj.remove("message"));
            if let Some(Value::Array(items)) = obj.remove("validation") {
                let details: Vec<String> = items.into_iter().map(|v| validation_line(&v)).collect();
                if !details.is_empty() {
                    description = format!("{description} ({})", details.join("; "));
                }
            }
            Error::Api {
                status,
                code,
                description,
            }
        }
        other => Error::Api {
            status,
            code: text_of(Some(other)),
            description: text_of(description),
        },
    }
}

fn validation_line(item: &Value) -> String {
    let field = item.get("field").and_then(Value::as_str).unwrap_or("?");
    let message = item.get("message").and_then(Value::as_str).unwrap_or("");
    format!("{field}: {message}")
}

fn text_of(value: Option<Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn success_with_all_metadata() {
        let body = br#"{"result":[1,2],"total":"120","next":50,"time":{"start":1.5,"finish":2,"duration":0.5,"processing":0.1,"date_start":"x","date_finish":"y","operating_reset_at":1778747792,"operating":3.3}}"#;
        let env = decode_body("crm.deal.list", 200, body).unwrap();
        assert_eq!(env.result, json!([1, 2]));
        assert_eq!(env.total, Some(120));
        assert_eq!(env.next, Some(50));
        let time = env.time.unwrap();
        assert_eq!(time.operating_reset_at, Some(1_778_747_792.0));
        assert_eq!(time.operating, Some(3.3));
    }

    #[test]
    fn time_without_operating_fields() {
        let env = decode_body(
            "m",
            200,
            br#"{"result":true,"time":{"start":1,"finish":2}}"#,
        )
        .unwrap();
        let time = env.time.unwrap();
        assert_eq!(time.operating, None);
        assert_eq!(time.operating_reset_at, None);
        assert_eq!(env.next, None);
    }

    #[test]
    fn classic_error_body() {
        let err = decode_body(
            "m",
            503,
            br#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}"#,
        )
        .unwrap_err();
        match err {
            Error::Api {
                status,
                code,
                description,
            } => {
                assert_eq!(
                    (status, code.as_str(), description.as_str()),
                    (503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn rest_v3_error_body_with_validation() {
        let body = br#"{"error":{"code":"BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION","message":"Bad","validation":[{"message":"required","field":"id"}]}}"#;
        let err = decode_body("tasks.task.get", 400, body).unwrap_err();
        assert!(err.is_code("BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION"));
        assert!(err.to_string().contains("id: required"), "{err}");
    }

    #[test]
    fn malformed_bodies_are_decode_errors() {
        for body in [
            &b""[..],
            b"{",
            b"[1,2]",
            b"<html>502</html>",
            br#"{"time":{}}"#,
        ] {
            let err = decode_body("m", 200, body).unwrap_err();
            assert!(matches!(err, Error::Decode { .. }), "{body:?} gave {err:?}");
        }
        let err = decode_body("m", 502, b"{}").unwrap_err();
        assert!(matches!(err, Error::Decode { status: 502, .. }));
    }

    #[test]
    fn malformed_time_is_dropped_not_fatal() {
        let env = decode_body("m", 200, br#"{"result":1,"time":{"start":"abc"}}"#).unwrap();
        assert_eq!(env.result, json!(1));
        assert_eq!(env.time, None);
    }

    #[test]
    fn typed_decode_names_the_path() {
        let env = decode_body("m", 200, br#"{"result":{"ID":"x"}}"#).unwrap();
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Deal {
            #[serde(rename = "ID", deserialize_with = "lenient::int")]
            id: u64,
        }
        let err = env.decode::<Deal>("crm.deal.get", 200).unwrap_err();
        assert!(err.to_string().contains("result.ID"), "{err}");
    }

    #[test]
    fn typed_decode_errors_never_quote_the_value() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Reply {
            count: u64,
            kind: Kind,
        }
        #[derive(Debug, Deserialize)]
        enum Kind {
            A,
        }
        for result in [
            json!({"count": "tok-0451", "kind": "A"}),
            json!({"count": 1, "kind": "tok-0451"}),
            json!({"count": {"tok-0451": 1}, "kind": "A"}),
        ] {
            let env = decode_body("m", 200, json!({ "result": result }).to_string().as_bytes());
            let err = env.unwrap().decode::<Reply>("m", 200).unwrap_err();
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("tok-0451"), "{shown}");
            assert!(shown.contains("result."), "{shown}");
        }
    }
}
