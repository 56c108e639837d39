//! Required parameters the page's own request example leaves out: either the example is
//! incomplete or the parameter is not required.

use b24_spec::Method;
use serde_json::Value;

use super::{find_param, LintKind};

pub(super) fn check(method: &Method, push: &mut impl FnMut(LintKind, String)) {
    let Some(Value::Object(request)) = &method.examples.request else {
        return;
    };
    for param in method.params.iter().filter(|p| p.required) {
        let sent = request
            .keys()
            .any(|k| find_param(std::slice::from_ref(param), k).is_some());
        if !sent {
            push(
                LintKind::RequiredOmitted,
                format!(
                    "required parameter `{}` is missing from the request example",
                    param.name
                ),
            );
        }
    }
}
