//! `$result[name]...` references between batch commands: finding which commands a command
//! depends on, and writing a reference.

use serde_json::Value;

/// Names of the commands whose results `params` refers to (`$result[name]`, and the
/// `$result_error`, `$result_total`, `$result_next`, `$result_time` forms).
pub(crate) fn referenced_commands(params: &Value) -> Vec<String> {
    let mut names = Vec::new();
    collect(params, &mut names);
    names
}

fn collect(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::String(s) => scan(s, names),
        Value::Array(items) => items.iter().for_each(|v| collect(v, names)),
        Value::Object(map) => map.values().for_each(|v| collect(v, names)),
        _ => {}
    }
}

fn scan(text: &str, names: &mut Vec<String>) {
    let mut rest = text;
    while let Some(at) = rest.find("$result") {
        rest = &rest[at + "$result".len()..];
        let suffix_len = ["_error", "_total", "_next", "_time"]
            .iter()
            .find(|s| rest.starts_with(**s))
            .map_or(0, |s| s.len());
        rest = &rest[suffix_len..];
        let Some(inner) = rest.strip_prefix('[') else {
            continue;
        };
        if let Some(close) = inner.find(']') {
            let name = &inner[..close];
            if !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
    }
}

/// Write `$result[command][path0][path1]...`.
pub fn reference(command: &str, path: &[&str]) -> String {
    let mut text = format!("$result[{command}]");
    for segment in path {
        text.push('[');
        text.push_str(segment);
        text.push(']');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_every_reference_once() {
        let params = json!({"ID": "$result[get_user][UF_DEPARTMENT][0]", "f": {"a": ["x $result[b][0] $result_next[c]", "$result[get_user]"]}, "n": 1});
        assert_eq!(referenced_commands(&params), vec!["get_user", "b", "c"]);
        assert!(referenced_commands(&json!({"a": "$result", "b": "$result[unclosed"})).is_empty());
    }

    #[test]
    fn writes_references() {
        assert_eq!(reference("c0", &["49", "ID"]), "$result[c0][49][ID]");
        assert_eq!(reference("me", &[]), "$result[me]");
    }
}
