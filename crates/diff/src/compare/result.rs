//! Rules for the fields of the returned data, matched by dotted path at every depth.

use std::collections::BTreeMap;

use b24_spec::ResultField;

use super::params::join;
use super::{types, Scope};
use crate::rules::Rule;

/// Compares the result fields of one method.
pub(super) fn compare(scope: &mut Scope<'_>, old: &[ResultField], new: &[ResultField]) {
    compare_level(scope, old, new, None);
}

fn compare_level(
    scope: &mut Scope<'_>,
    old: &[ResultField],
    new: &[ResultField],
    parent: Option<&str>,
) {
    let old_by_name = by_name(old);
    let new_by_name = by_name(new);
    for (name, old_field) in &old_by_name {
        let path = join(parent, name);
        let Some(new_field) = new_by_name.get(name) else {
            let message = format!("result field `{path}` removed");
            scope.record(Rule::ResultFieldRemoved, Some(&path), message);
            continue;
        };
        let old_wire = super::wire_text(old_field.wire, None, old_field.pattern);
        let new_wire = super::wire_text(new_field.wire, None, new_field.pattern);
        if old_wire != new_wire {
            let message = format!(
                "result field `{path}` travels as {new_wire} (was {old_wire}){}",
                super::patched(&new_field.patched)
            );
            scope.record(Rule::WireChanged, Some(&path), message);
        }
        if types::differ(old_field.ty.as_ref(), new_field.ty.as_ref()) {
            let message = format!(
                "result field `{path}` changed type from {} to {}",
                types::describe(old_field.ty.as_ref()),
                types::describe(new_field.ty.as_ref())
            );
            scope.record(Rule::ResultTypeChanged, Some(&path), message);
        }
        compare_level(scope, &old_field.fields, &new_field.fields, Some(&path));
    }
    for (name, new_field) in &new_by_name {
        if !old_by_name.contains_key(name) {
            let path = join(parent, name);
            let message = format!(
                "new result field `{path}` ({})",
                types::describe(new_field.ty.as_ref())
            );
            scope.record(Rule::ResultFieldAdded, Some(&path), message);
        }
    }
}

fn by_name(fields: &[ResultField]) -> BTreeMap<&str, &ResultField> {
    let mut map = BTreeMap::new();
    for field in fields {
        map.entry(field.name.as_str()).or_insert(field);
    }
    map
}

#[cfg(test)]
mod tests {
    use b24_spec::ResultField;

    use crate::compare::compare;
    use crate::fixture::{field, method, spec, with_result_fields};

    fn ids(old: Vec<ResultField>, new: Vec<ResultField>) -> Vec<String> {
        let old = spec(vec![method("crm.deal.get").result(old).build()]);
        let new = spec(vec![method("crm.deal.get").result(new).build()]);
        compare(&old, &new)
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    }

    #[test]
    fn result_field_removed_at_depth() {
        let old = vec![with_result_fields(
            field("item", "object"),
            vec![field("ID", "integer")],
        )];
        let new = vec![field("item", "object")];
        assert_eq!(
            ids(old, new),
            ["result-field-removed crm.deal.get(v2) item.ID"]
        );
    }

    #[test]
    fn result_field_added() {
        let found = ids(vec![], vec![field("total", "integer")]);
        assert_eq!(found, ["result-field-added crm.deal.get(v2) total"]);
    }

    #[test]
    fn result_type_changed() {
        let found = ids(vec![field("ID", "integer")], vec![field("ID", "string")]);
        assert_eq!(found, ["result-type-changed crm.deal.get(v2) ID"]);
    }
}
