//! Prose-only changes, collapsed into one `description-changed` per method that counts the
//! places whose text changed. Most weekly docs edits are of this kind; they matter to nobody's
//! build, so the report keeps them to one line.

use std::collections::BTreeMap;

use b24_spec::{ErrorEntry, Method, Param, ResultField};

use super::access::roles_and_permissions;
use super::params::join;
use super::Scope;
use crate::rules::Rule;

/// How many changed places a message names before it just counts the rest.
const NAMED_PLACES: usize = 5;

/// Records one `description-changed` when any prose of a method changed.
pub(super) fn compare(scope: &mut Scope<'_>, old: &Method, new: &Method) {
    let places = changed_places(old, new);
    if places.is_empty() {
        return;
    }
    let mut message = format!(
        "text changed in {} place{}: {}",
        places.len(),
        if places.len() == 1 { "" } else { "s" },
        places[..places.len().min(NAMED_PLACES)].join(", ")
    );
    if places.len() > NAMED_PLACES {
        message.push_str(&format!(" and {} more", places.len() - NAMED_PLACES));
    }
    scope.record(Rule::DescriptionChanged, None, message);
}

/// Names of the prose places that differ, in a fixed order.
fn changed_places(old: &Method, new: &Method) -> Vec<String> {
    let mut places = Vec::new();
    let mut check = |place: &str, changed: bool| {
        if changed {
            places.push(place.to_owned());
        }
    };
    check("title", old.title != new.title);
    check("description", old.description != new.description);
    check("access", reworded_access(old, new));
    check("deprecation note", reworded_deprecation(old, new));
    check(
        "system errors table",
        old.system_errors != new.system_errors,
    );
    check(
        "example request",
        old.examples.request != new.examples.request,
    );
    check(
        "example response",
        old.examples.response != new.examples.response,
    );
    param_places(&old.params, &new.params, None, &mut places);
    result_places(&old.result, &new.result, None, &mut places);
    error_places(&old.errors, &new.errors, &mut places);
    places
}

/// Access text that differs only in ways `access-changed` ignores.
fn reworded_access(old: &Method, new: &Method) -> bool {
    let normalised = |m: &Method| m.access.as_deref().map(roles_and_permissions);
    old.access != new.access && normalised(old) == normalised(new)
}

/// A changed note or replacement on a method deprecated on both sides; a change of status
/// itself is `method-deprecated` or `method-undeprecated`.
fn reworded_deprecation(old: &Method, new: &Method) -> bool {
    old.deprecated.is_deprecated()
        && new.deprecated.is_deprecated()
        && old.deprecated != new.deprecated
}

fn param_places(old: &[Param], new: &[Param], parent: Option<&str>, places: &mut Vec<String>) {
    let new_by_name: BTreeMap<&str, &Param> =
        new.iter().rev().map(|p| (p.name.as_str(), p)).collect();
    for old_param in old {
        let Some(new_param) = new_by_name.get(old_param.name.as_str()) else {
            continue;
        };
        let path = join(parent, &old_param.name);
        if old_param.description != new_param.description || old_param.default != new_param.default
        {
            places.push(path.clone());
        }
        param_places(&old_param.fields, &new_param.fields, Some(&path), places);
    }
}

fn result_places(
    old: &[ResultField],
    new: &[ResultField],
    parent: Option<&str>,
    places: &mut Vec<String>,
) {
    let new_by_name: BTreeMap<&str, &ResultField> =
        new.iter().rev().map(|f| (f.name.as_str(), f)).collect();
    for old_field in old {
        let Some(new_field) = new_by_name.get(old_field.name.as_str()) else {
            continue;
        };
        let path = join(parent, &old_field.name);
        if old_field.description != new_field.description {
            places.push(format!("result {path}"));
        }
        result_places(&old_field.fields, &new_field.fields, Some(&path), places);
    }
}

/// Compares the rows of each code present on both sides, as sorted lists of message and
/// description, so reordered rows are no change.
fn error_places(old: &[ErrorEntry], new: &[ErrorEntry], places: &mut Vec<String>) {
    let old_rows = rows_by_code(old);
    let new_rows = rows_by_code(new);
    for (code, rows) in &old_rows {
        if new_rows.get(code).is_some_and(|new| new != rows) {
            places.push(format!(
                "error {}",
                if code.is_empty() { "\"\"" } else { code }
            ));
        }
    }
}

fn rows_by_code(errors: &[ErrorEntry]) -> BTreeMap<&str, Vec<(&str, &str)>> {
    let mut map: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for error in errors {
        map.entry(error.code.as_str())
            .or_default()
            .push((error.message.as_str(), error.description.as_str()));
    }
    for rows in map.values_mut() {
        rows.sort_unstable();
    }
    map
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::compare::compare;
    use crate::fixture::{error, method, param, spec};

    #[test]
    fn description_changed_is_one_change_counting_every_place() {
        let mut reworded = param("id", "integer");
        reworded.description = "New words.".to_owned();
        let old = method("crm.deal.get")
            .params(vec![param("id", "integer")])
            .errors(vec![error(Some(400), "NOT_FOUND", "Not found")])
            .build();
        let new = method("crm.deal.get")
            .title("A better title")
            .description("Better prose.")
            .params(vec![reworded])
            .errors(vec![error(Some(400), "NOT_FOUND", "Nothing there")])
            .response_example(json!({"result": true}))
            .build();
        let changes = compare(&spec(vec![old]), &spec(vec![new]));
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert_eq!(
            changes[0].id.to_string(),
            "description-changed crm.deal.get(v2)"
        );
        assert_eq!(
            changes[0].message,
            "text changed in 5 places: title, description, example response, id, error NOT_FOUND"
        );
    }

    #[test]
    fn reordered_error_rows_are_no_change() {
        let rows = vec![
            error(Some(400), "ERROR_CORE", "A"),
            error(Some(400), "ERROR_CORE", "B"),
        ];
        let mut reversed = rows.clone();
        reversed.reverse();
        let old = method("crm.deal.get").errors(rows).build();
        let new = method("crm.deal.get").errors(reversed).build();
        assert_eq!(compare(&spec(vec![old]), &spec(vec![new])), vec![]);
    }
}
