//! Keys the request example sends that the parameters table does not document: at the top
//! level, and inside a parameter whose members the page lists.

use b24_spec::{Method, Param};
use serde_json::Value;

use super::{find_param, LintKind};

pub(super) fn check(method: &Method, push: &mut impl FnMut(LintKind, String)) {
    let Some(Value::Object(request)) = &method.examples.request else {
        return;
    };
    if method.params.is_empty() {
        return;
    }
    walk(&method.params, request, "", push);
}

fn walk(
    params: &[Param],
    object: &serde_json::Map<String, Value>,
    path: &str,
    push: &mut impl FnMut(LintKind, String),
) {
    for (key, value) in object {
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match find_param(params, key) {
            None if super::is_custom_field(key) => {}
            None => push(
                LintKind::RequestKeyUndocumented,
                format!("request example sends `{here}`, which the parameters table does not list"),
            ),
            Some(param) if !param.fields.is_empty() => {
                for member in objects(value) {
                    walk(&param.fields, member, &here, push);
                }
            }
            Some(_) => {}
        }
    }
}

/// The object, or the objects of an array of objects.
pub(super) fn objects(value: &Value) -> Vec<&serde_json::Map<String, Value>> {
    match value {
        Value::Object(map) => vec![map],
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}
