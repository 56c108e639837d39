//! Keys the response example has that the result table does not document: at the top level,
//! and inside a field whose members the page lists.

use b24_spec::{Method, ResultField};
use serde_json::Value;

use super::request_keys::objects;
use super::{find_field, LintKind};

pub(super) fn check(method: &Method, push: &mut impl FnMut(LintKind, String)) {
    let Some(Value::Object(response)) = &method.examples.response else {
        return;
    };
    // A `*.fields` method's result is keyed by the entity's field names; its table describes
    // one field's descriptor, not the keys.
    if method.result.is_empty() || method.method.ends_with(".fields") {
        return;
    }
    walk(&method.result, response, "", push);
}

fn walk(
    fields: &[ResultField],
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
        match find_field(fields, key) {
            None if super::is_custom_field(key) => {}
            None => push(
                LintKind::ResponseKeyUndocumented,
                format!("response example has `{here}`, which the result table does not list"),
            ),
            Some(field) if !field.fields.is_empty() => {
                for member in objects(value) {
                    walk(&field.fields, member, &here, push);
                }
            }
            Some(_) => {}
        }
    }
}
