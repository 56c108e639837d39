//! Request parameters as the portal reads them: a JSON body, or PHP-style form encoding
//! (`fields[TITLE]=x&select[]=ID`) in the body, the query string and `batch` command strings.

use serde_json::{Map, Value};

/// Parameters of one request: the query string merged under the body (body wins).
pub fn request_params(query: Option<&str>, content_type: Option<&str>, body: &[u8]) -> Value {
    let mut params = query.map_or_else(|| Value::Object(Map::new()), |q| decode(q.as_bytes()));
    let from_body = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else if is_json(content_type, body) {
        serde_json::from_slice(body).unwrap_or_else(|_| decode(body))
    } else {
        decode(body)
    };
    if let (Value::Object(params), Value::Object(body)) = (&mut params, from_body) {
        params.extend(body);
    }
    params
}

fn is_json(content_type: Option<&str>, body: &[u8]) -> bool {
    content_type.is_some_and(|t| t.contains("json"))
        || body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'{')
}

/// Decode a form-encoded string into nested JSON. `a[b][c]=v` nests objects, `a[]=v` appends;
/// keys that are all numbers stay object keys (PHP arrays keep their keys), so an array
/// written as `a[0]=x&a[1]=y` arrives as `{"0": "x", "1": "y"}`, as the portal sees it.
pub fn decode(body: &[u8]) -> Value {
    let mut root = Map::new();
    for (key, value) in form_urlencoded::parse(body) {
        let path = key_path(&key);
        insert(&mut root, &path, Value::String(value.into_owned()));
    }
    Value::Object(root)
}

/// `a[b][]` → `["a", "b", ""]`.
fn key_path(key: &str) -> Vec<String> {
    let Some(open) = key.find('[') else {
        return vec![key.to_owned()];
    };
    let mut path = vec![key[..open].to_owned()];
    let mut rest = &key[open..];
    while let Some(stripped) = rest.strip_prefix('[') {
        let Some(close) = stripped.find(']') else {
            break;
        };
        path.push(stripped[..close].to_owned());
        rest = &stripped[close + 1..];
    }
    path
}

fn insert(map: &mut Map<String, Value>, path: &[String], value: Value) {
    let (head, tail) = match path.split_first() {
        Some(split) => split,
        None => return,
    };
    if tail.is_empty() {
        map.insert(head.clone(), value);
        return;
    }
    let child = map
        .entry(head.clone())
        .or_insert_with(|| empty_container(&tail[0]));
    if tail[0].is_empty() {
        if !child.is_array() {
            *child = Value::Array(Vec::new());
        }
        if let Value::Array(items) = child {
            if tail.len() == 1 {
                items.push(value);
            } else {
                let mut inner = Map::new();
                insert(&mut inner, &tail[1..], value);
                items.push(Value::Object(inner));
            }
        }
        return;
    }
    if !child.is_object() {
        *child = Value::Object(Map::new());
    }
    if let Value::Object(inner) = child {
        insert(inner, tail, value);
    }
}

fn empty_container(next_key: &str) -> Value {
    if next_key.is_empty() {
        Value::Array(Vec::new())
    } else {
        Value::Object(Map::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_keys_and_appends() {
        assert_eq!(
            decode(b"fields%5BTITLE%5D=A%20b&select[]=ID&select[]=TITLE&filter[>ID]=5&start=-1"),
            json!({"fields": {"TITLE": "A b"}, "select": ["ID", "TITLE"], "filter": {">ID": "5"}, "start": "-1"})
        );
        assert_eq!(decode(b"a[0]=x&a[1]=y"), json!({"a": {"0": "x", "1": "y"}}));
    }

    #[test]
    fn json_bodies_and_query_strings_merge() {
        let params = request_params(
            Some("auth=t&id=1"),
            Some("application/json"),
            br#"{"id": 2}"#,
        );
        assert_eq!(params, json!({"auth": "t", "id": 2}));
        let form = request_params(None, Some("application/x-www-form-urlencoded"), b"id=3");
        assert_eq!(form, json!({"id": "3"}));
        assert_eq!(request_params(None, None, b""), json!({}));
    }
}
