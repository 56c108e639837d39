//! PHP-style form encoding with bracketed keys, both ways.
//!
//! Classic `batch` commands are `method?query` strings whose query is built like PHP's
//! `http_build_query` (`filter[>ID]=5&select[0]=ID`); event handlers receive the same shape as a
//! form-encoded POST (`data[FIELDS][ID]=1&auth[application_token]=...`).

use serde_json::{Map, Value};
use url::form_urlencoded::{byte_serialize, parse};

/// Encode JSON parameters as a query string. `null` and empty containers are left out and
/// booleans become `1`/`0`, as PHP does.
pub(crate) fn encode(params: &Value) -> String {
    let mut pairs = Vec::new();
    match params {
        Value::Object(map) => {
            for (key, value) in map {
                push_pairs(&escape(key), value, &mut pairs);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                push_pairs(&i.to_string(), value, &mut pairs);
            }
        }
        _ => {}
    }
    pairs.join("&")
}

fn push_pairs(key: &str, value: &Value, pairs: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => pairs.push(format!("{key}={}", u8::from(*b))),
        Value::Number(n) => pairs.push(format!("{key}={n}")),
        Value::String(s) => pairs.push(format!("{key}={}", escape(s))),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                push_pairs(&format!("{key}[{i}]"), item, pairs);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                push_pairs(&format!("{key}[{}]", escape(k)), item, pairs);
            }
        }
    }
}

fn escape(text: &str) -> String {
    byte_serialize(text.as_bytes()).collect()
}

/// Decode a form body into nested JSON. Every leaf is a string; objects whose keys are exactly
/// `0..n` become arrays. Malformed keys (unbalanced brackets) are kept verbatim as flat keys.
pub(crate) fn decode(body: &[u8]) -> Value {
    let mut root = Value::Object(Map::new());
    for (key, value) in parse(body) {
        let path = key_path(&key);
        insert(&mut root, &path, Value::String(value.into_owned()));
    }
    arrays_from_indexed_objects(root)
}

/// Deepest bracket nesting decoded, as PHP's default `max_input_nesting_level`. A deeper key is
/// kept verbatim as a flat key: a hostile body of 100,000 `[a]` must not recurse that deep.
const MAX_DEPTH: usize = 64;

/// `a[b][c]` -> `["a", "b", "c"]`; `a[]` -> `["a", ""]` (append).
fn key_path(key: &str) -> Vec<String> {
    let Some(open) = key.find('[') else {
        return vec![key.to_owned()];
    };
    let (head, mut rest) = key.split_at(open);
    let mut path = vec![head.to_owned()];
    while let Some(stripped) = rest.strip_prefix('[') {
        let Some(close) = stripped.find(']') else {
            return vec![key.to_owned()];
        };
        if path.len() > MAX_DEPTH {
            return vec![key.to_owned()];
        }
        path.push(stripped[..close].to_owned());
        rest = &stripped[close + 1..];
    }
    if rest.is_empty() {
        path
    } else {
        vec![key.to_owned()]
    }
}

fn insert(node: &mut Value, path: &[String], leaf: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    let Value::Object(map) = node else { return };
    let key = if first.is_empty() {
        map.len().to_string()
    } else {
        first.clone()
    };
    if rest.is_empty() {
        map.insert(key, leaf);
    } else {
        insert(map.entry(key).or_insert(Value::Null), rest, leaf);
    }
}

fn arrays_from_indexed_objects(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let is_list = !map.is_empty()
                && map
                    .keys()
                    .enumerate()
                    .all(|(i, k)| k.parse::<usize>() == Ok(i));
            let items = map
                .into_iter()
                .map(|(k, v)| (k, arrays_from_indexed_objects(v)));
            if is_list {
                Value::Array(items.map(|(_, v)| v).collect())
            } else {
                Value::Object(items.collect())
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_nested_params_with_brackets() {
        let params = json!({"entityTypeId": 2, "order": {"ID": "ASC"}, "filter": {">ID": 10, "TITLE": "a b&c"}, "select": ["ID", "TITLE"], "flag": true, "skip": null, "empty": {}});
        assert_eq!(encode(&params), "entityTypeId=2&order[ID]=ASC&filter[%3EID]=10&filter[TITLE]=a+b%26c&select[0]=ID&select[1]=TITLE&flag=1");
    }

    #[test]
    fn references_survive_encoding_round_trip() {
        let params = json!({"filter": {">ID": "$result[c0][49][ID]"}});
        let decoded = decode(encode(&params).as_bytes());
        assert_eq!(decoded, json!({"filter": {">ID": "$result[c0][49][ID]"}}));
    }

    #[test]
    fn decodes_event_bodies_into_nested_json() {
        let body = b"event=ONCRMDEALADD&data%5BFIELDS%5D%5BID%5D=7&ts=1&auth%5Bapplication_token%5D=tok&list[]=a&list[]=b";
        assert_eq!(
            decode(body),
            json!({"event": "ONCRMDEALADD", "data": {"FIELDS": {"ID": "7"}}, "ts": "1", "auth": {"application_token": "tok"}, "list": ["a", "b"]})
        );
    }

    #[test]
    fn keys_nested_past_the_limit_are_kept_flat() {
        let at_limit = format!("a{}", "[b]".repeat(MAX_DEPTH));
        let past = format!("a{}", "[b]".repeat(MAX_DEPTH + 1));
        assert_eq!(key_path(&at_limit).len(), MAX_DEPTH + 1);
        assert_eq!(key_path(&past), vec![past.clone()]);
    }

    #[test]
    fn malformed_keys_are_kept_flat() {
        assert_eq!(
            decode(b"a[b=1&c]d=2&e[f]g=3"),
            json!({"a[b": "1", "c]d": "2", "e[f]g": "3"})
        );
        assert_eq!(decode(b""), json!({}));
        assert_eq!(decode(b"a=1&a[b]=2"), json!({"a": {"b": "2"}}));
    }
}
