//! Matching two specs by identity and running every rule over the matched parts.
//!
//! Methods are matched by wire name and API version only: group and source are attributes, so a
//! page that moves is reported as `page-moved`, not as a removal plus an addition. Below the
//! method, parameters and result fields are matched by dotted path and errors by code, so a
//! reordered table is no change.

mod access;
mod errors;
mod events;
mod methods;
mod params;
mod result;
mod text;
mod types;

use std::collections::BTreeMap;

use b24_spec::{ApiVersion, Method, Spec};

use crate::change::{Change, ChangeId, Target};
use crate::rules::Rule;

/// Every change from `old` to `new`, in no particular order.
pub(crate) fn compare(old: &Spec, new: &Spec) -> Vec<Change> {
    let mut changes = Vec::new();
    let old_methods = by_identity(&old.methods);
    let new_methods = by_identity(&new.methods);
    for (key, old_method) in &old_methods {
        match new_methods.get(key) {
            None => {
                let mut scope = Scope::for_method(old_method, &mut changes);
                methods::removed(&mut scope, old_method);
            }
            Some(new_method) => {
                // Changes carry the new name and group: that is what the reader looks up.
                let mut scope = Scope::for_method(new_method, &mut changes);
                compare_method(&mut scope, old_method, new_method);
            }
        }
    }
    for (key, new_method) in &new_methods {
        if !old_methods.contains_key(key) {
            methods::added(&mut Scope::for_method(new_method, &mut changes), new_method);
        }
    }
    errors::compare_system(
        &mut Scope::system_errors(&mut changes),
        &old.system_errors,
        &new.system_errors,
    );
    events::compare(&old.events, &new.events, &mut changes);
    changes
}

fn compare_method(scope: &mut Scope<'_>, old: &Method, new: &Method) {
    methods::compare(scope, old, new);
    params::compare(scope, &old.params, &new.params);
    one_of(scope, old, new);
    result::compare(scope, &old.result, &new.result);
    errors::compare_method(scope, &old.errors, &new.errors);
    text::compare(scope, old, new);
}

fn one_of(scope: &mut Scope<'_>, old: &Method, new: &Method) {
    if old.one_of == new.one_of {
        return;
    }
    let sets = |m: &Method| {
        let sets: Vec<String> = m.one_of.iter().map(|s| s.join(" + ")).collect();
        if sets.is_empty() {
            "none".to_owned()
        } else {
            sets.join(" | ")
        }
    };
    let message = format!(
        "alternative parameter sets are now {} (were {}){}",
        sets(new),
        sets(old),
        patched(&new.patched)
    );
    scope.record(Rule::OneOfChanged, None, message);
}

/// How a member travels, for messages: `"Y"/"N" as `key``, `the documented type`.
fn wire_text(wire: Option<b24_spec::Wire>, wire_name: Option<&str>, pattern: bool) -> String {
    let mut text = wire.map_or_else(|| "its documented type".to_owned(), |w| format!("{w:?}"));
    if let Some(name) = wire_name {
        text.push_str(&format!(" under the key `{name}`"));
    }
    if pattern {
        text.push_str(" (a family of keys)");
    }
    text
}

/// ` (patched: required, wire)` for a member a reviewed patch changed, else nothing.
fn patched(marks: &[String]) -> String {
    if marks.is_empty() {
        String::new()
    } else {
        format!(" (patched: {})", marks.join(", "))
    }
}

/// Methods by identity. Bitrix24 resolves method names case-insensitively, so the docs
/// respelling `disk.file.copyto` as `disk.file.copyTo` names the same method. When a (broken)
/// spec lists one twice, the first wins, as validation reports the duplicate separately.
fn by_identity(methods: &[Method]) -> BTreeMap<(String, ApiVersion), &Method> {
    let mut map = BTreeMap::new();
    for method in methods {
        map.entry((method.method.to_lowercase(), method.api))
            .or_insert(method);
    }
    map
}

/// Where the rules of one method (or of the system error catalogue) record their findings.
pub(crate) struct Scope<'a> {
    target: Target,
    group: Option<String>,
    changes: &'a mut Vec<Change>,
}

impl<'a> Scope<'a> {
    fn for_method(method: &Method, changes: &'a mut Vec<Change>) -> Self {
        Scope {
            target: Target::Method {
                name: method.method.clone(),
                api: method.api,
            },
            group: Some(method.group.clone()),
            changes,
        }
    }

    fn for_event(event: &b24_spec::Event, changes: &'a mut Vec<Change>) -> Self {
        Scope {
            target: Target::Event {
                name: event.event.clone(),
            },
            group: Some(event.group.clone()),
            changes,
        }
    }

    fn system_errors(changes: &'a mut Vec<Change>) -> Self {
        Scope {
            target: Target::SystemErrors,
            group: None,
            changes,
        }
    }

    /// Records that `rule` fired on `subject` (a path or code; `None` for the method itself).
    fn record(&mut self, rule: Rule, subject: Option<&str>, message: String) {
        self.changes.push(Change {
            id: ChangeId {
                rule,
                target: self.target.clone(),
                subject: subject.map(str::to_owned),
            },
            group: self.group.clone(),
            message,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{method, param, spec};

    #[test]
    fn a_reordered_spec_is_no_change() {
        let a = method("crm.deal.add").params(vec![param("a", "string"), param("b", "integer")]);
        let b = method("crm.deal.get");
        let old = spec(vec![a.clone().build(), b.clone().build()]);
        let new_a =
            method("crm.deal.add").params(vec![param("b", "integer"), param("a", "string")]);
        let new = spec(vec![b.build(), new_a.build()]);
        assert_eq!(compare(&old, &new), vec![]);
    }

    #[test]
    fn same_name_in_two_api_versions_is_two_methods() {
        let old = spec(vec![method("tasks.task.add").build()]);
        let new = spec(vec![
            method("tasks.task.add").build(),
            method("tasks.task.add").v3().build(),
        ]);
        let ids: Vec<String> = compare(&old, &new)
            .iter()
            .map(|c| c.id.to_string())
            .collect();
        assert_eq!(ids, ["method-added tasks.task.add(v3)"]);
    }
}
