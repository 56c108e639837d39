//! Keys the response example has that the result table does not document: at the top level,
//! and inside a field whose members the page lists.

use b24_spec::Method;
use serde_json::Value;

use super::undocumented::walk;
use super::LintKind;

pub(super) fn check(method: &Method, push: &mut impl FnMut(LintKind, String)) {
    let Some(Value::Object(response)) = &method.examples.response else {
        return;
    };
    // A `*.fields` method's result is keyed by the entity's field names; its table describes
    // one field's descriptor, not the keys.
    if method.result.is_empty() || method.method.ends_with(".fields") {
        return;
    }
    let say =
        |key: &str| format!("response example has `{key}`, which the result table does not list");
    walk(
        &method.result,
        response,
        "",
        LintKind::ResponseKeyUndocumented,
        &say,
        push,
    );
}
