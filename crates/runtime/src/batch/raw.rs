//! Reading an answer with its `result` kept as raw JSON text (`Box<RawValue>`) instead of a
//! parsed `Value`: list chains hold up to 2,500 items per request until the caller takes them,
//! and a parsed item costs several times its text (with serde_json's `preserve_order`, every
//! object is an `IndexMap` with its own hash table). Only the small members (`time`, `total`,
//! a batch's `result_error`...) are parsed.
//!
//! Anything that is not a plain success (an error body, malformed JSON, no `result`) is read by
//! [`decode_body`], so errors are exactly those of every other call.

use std::collections::HashMap;

use serde_json::value::RawValue;

use super::command::Command;
use super::response::Meta;
use crate::envelope::{decode_body, Envelope};
use crate::error::Error;

/// A command's outcome with its result as raw JSON text.
pub(crate) type RawOutcome = Result<Envelope<Box<RawValue>>, Error>;

/// A response body whose `result` stays raw.
pub(crate) fn decode_raw_body(
    method: &str,
    status: u16,
    body: &[u8],
) -> Result<Envelope<Box<RawValue>>, Error> {
    if (200..300).contains(&status) {
        if let Ok(mut top) = serde_json::from_slice::<HashMap<String, Box<RawValue>>>(body) {
            if !top.contains_key("error") {
                if let Some(result) = top.remove("result") {
                    // The metadata is read the usual way from a body without the big part.
                    top.insert("result".to_owned(), null());
                    let meta = serde_json::to_vec(&top).map_err(|e| {
                        Error::decode(method, status, format!("response metadata: {e}"))
                    })?;
                    return decode_body(method, status, &meta).map(|e| e.map(|_| result));
                }
            }
        }
    }
    decode_body(method, status, body).and_then(|envelope| {
        let result = serde_json::value::to_raw_value(&envelope.result)
            .map_err(|e| Error::decode(method, status, e.to_string()))?;
        Ok(envelope.map(|_| result))
    })
}

fn null() -> Box<RawValue> {
    // Cannot fail: `null` is valid JSON.
    RawValue::from_string("null".to_owned()).unwrap_or_else(|_| unreachable!())
}

/// Split a batch `result` (raw) into per-command outcomes in command order, each command's
/// result still raw.
pub(crate) fn raw_outcomes(
    commands: &[Command],
    result: &RawValue,
    status: u16,
) -> Result<Vec<(String, RawOutcome)>, Error> {
    #[derive(serde::Deserialize)]
    struct Parts {
        #[serde(default)]
        result: Option<Box<RawValue>>,
        #[serde(flatten)]
        meta: Meta,
    }
    let parts: Parts = serde_json::from_str(result.get())
        .map_err(|_| Error::decode("batch", status, "batch result is not an object"))?;
    let mut results = match parts.result {
        Some(results) => Results::of(&results, status)?,
        None => Results::None,
    };
    Ok(parts
        .meta
        .outcomes(commands, status, |name| results.take(name)))
}

/// Commands' results keyed by name (an object) or by index (PHP's list when names are 0, 1...).
enum Results {
    Named(HashMap<String, Box<RawValue>>),
    Indexed(Vec<Option<Box<RawValue>>>),
    None,
}

impl Results {
    fn of(raw: &RawValue, status: u16) -> Result<Self, Error> {
        let text = raw.get().trim_start();
        let malformed = |_| Error::decode("batch", status, "batch `result` is malformed");
        Ok(if text.starts_with('{') {
            Self::Named(serde_json::from_str(text).map_err(malformed)?)
        } else if text.starts_with('[') {
            let items: Vec<Box<RawValue>> = serde_json::from_str(text).map_err(malformed)?;
            Self::Indexed(items.into_iter().map(Some).collect())
        } else {
            Self::None
        })
    }

    fn take(&mut self, name: &str) -> Option<Box<RawValue>> {
        match self {
            Self::Named(map) => map.remove(name),
            Self::Indexed(items) => name
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get_mut(i))
                .and_then(Option::take),
            Self::None => None,
        }
    }
}

/// Whether raw JSON text is `null` (a command that answered nothing).
#[cfg(test)]
fn is_null(raw: &RawValue) -> bool {
    raw.get().trim() == "null"
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn commands(names: &[&str]) -> Vec<Command> {
        names
            .iter()
            .map(|n| Command::raw(*n, "crm.deal.list", Value::Null).unwrap())
            .collect()
    }

    #[test]
    fn raw_body_keeps_result_text_and_reads_metadata() {
        let body =
            br#"{"result":[{"ID":"1","TITLE":"a"}],"total":7,"next":50,"time":{"operating":1.5}}"#;
        let envelope = decode_raw_body("m", 200, body).unwrap();
        assert_eq!(envelope.result.get(), r#"[{"ID":"1","TITLE":"a"}]"#);
        assert_eq!(envelope.total, Some(7));
        assert_eq!(envelope.next, Some(50));
        assert_eq!(envelope.time.unwrap().operating, Some(1.5));
    }

    #[test]
    fn raw_body_errors_are_those_of_every_call() {
        let error = br#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many"}"#;
        for (status, body) in [
            (503, &error[..]),
            (200, &error[..]),
            (200, b"<html>"),
            (200, b"{}"),
        ] {
            let raw = decode_raw_body("m", status, body).unwrap_err().to_string();
            let plain = decode_body("m", status, body).unwrap_err().to_string();
            assert_eq!(raw, plain);
        }
    }

    #[test]
    fn batch_parts_split_by_name_or_index() {
        let result: Box<RawValue> = serde_json::from_str(
            r#"{"result":{"a":[{"ID":"1"}],"c":null},"result_error":{"b":{"error":"ACCESS_DENIED","error_description":"no"}},"result_total":{"a":120},"result_next":[],"result_time":[]}"#,
        )
        .unwrap();
        let outcomes = raw_outcomes(&commands(&["a", "b", "c", "d"]), &result, 200).unwrap();
        let a = outcomes[0].1.as_ref().unwrap();
        assert_eq!(a.result.get(), r#"[{"ID":"1"}]"#);
        assert_eq!(a.total, Some(120));
        assert!(outcomes[1]
            .1
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("ACCESS_DENIED"));
        assert!(is_null(&outcomes[2].1.as_ref().unwrap().result));
        assert!(matches!(outcomes[3].1, Err(Error::NotRun { .. })));

        let indexed: Box<RawValue> =
            serde_json::from_str(r#"{"result":[[1],[2]],"result_error":[]}"#).unwrap();
        let outcomes = raw_outcomes(&commands(&["0", "1"]), &indexed, 200).unwrap();
        assert_eq!(outcomes[1].1.as_ref().unwrap().result.get(), "[2]");
        let broken: Box<RawValue> = serde_json::from_str("[1]").unwrap();
        assert!(raw_outcomes(&commands(&["a"]), &broken, 200).is_err());
    }
}
