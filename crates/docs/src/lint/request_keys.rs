//! Keys the request example sends that the parameters table does not document: at the top
//! level, and inside a parameter whose members the page lists.

use b24_spec::Method;
use serde_json::Value;

use super::undocumented::walk;
use super::LintKind;

pub(super) fn check(method: &Method, push: &mut impl FnMut(LintKind, String)) {
    let Some(Value::Object(request)) = &method.examples.request else {
        return;
    };
    if method.params.is_empty() {
        return;
    }
    let say = |key: &str| {
        format!("request example sends `{key}`, which the parameters table does not list")
    };
    walk(
        &method.params,
        request,
        "",
        LintKind::RequestKeyUndocumented,
        &say,
        push,
    );
}
