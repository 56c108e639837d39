//! Request parameter rules, matched by dotted path (`fields.TITLE`) at every depth.
//!
//! A parameter that is added or removed is reported once, not once per nested field: the
//! fields of a new object come with it.

use std::collections::BTreeMap;

use b24_spec::Param;

use super::{types, Scope};
use crate::rules::Rule;

/// Compares the top-level parameter lists of one method.
pub(super) fn compare(scope: &mut Scope<'_>, old: &[Param], new: &[Param]) {
    compare_level(scope, old, new, None);
}

fn compare_level(scope: &mut Scope<'_>, old: &[Param], new: &[Param], parent: Option<&str>) {
    let old_by_name = by_name(old);
    let new_by_name = by_name(new);
    for (name, old_param) in &old_by_name {
        let path = join(parent, name);
        match new_by_name.get(name) {
            None => removed(scope, &path, parent.is_some()),
            Some(new_param) => {
                compare_one(scope, &path, parent.is_some(), old_param, new_param);
                compare_level(scope, &old_param.fields, &new_param.fields, Some(&path));
            }
        }
    }
    for (name, new_param) in &new_by_name {
        if !old_by_name.contains_key(name) {
            added(scope, &join(parent, name), parent.is_some(), new_param);
        }
    }
}

/// The rule for a top-level parameter, or its nested-field counterpart.
fn pick(nested: bool, top: Rule, nested_rule: Rule) -> Rule {
    if nested {
        nested_rule
    } else {
        top
    }
}

fn noun(nested: bool) -> &'static str {
    if nested {
        "field"
    } else {
        "parameter"
    }
}

fn removed(scope: &mut Scope<'_>, path: &str, nested: bool) {
    let rule = pick(nested, Rule::ParamRemoved, Rule::NestedParamRemoved);
    scope.record(
        rule,
        Some(path),
        format!("{} `{path}` removed", noun(nested)),
    );
}

fn added(scope: &mut Scope<'_>, path: &str, nested: bool, new: &Param) {
    let (rule, kind) = if new.required {
        let rule = pick(nested, Rule::NewRequiredParam, Rule::NewRequiredNestedParam);
        (rule, "required")
    } else {
        let rule = pick(
            nested,
            Rule::OptionalParamAdded,
            Rule::OptionalNestedParamAdded,
        );
        (rule, "optional")
    };
    let message = format!(
        "new {kind} {} `{path}` ({})",
        noun(nested),
        types::describe(new.ty.as_ref())
    );
    scope.record(rule, Some(path), message);
}

fn compare_one(scope: &mut Scope<'_>, path: &str, nested: bool, old: &Param, new: &Param) {
    let noun = noun(nested);
    match (old.required, new.required) {
        (false, true) => {
            let rule = pick(
                nested,
                Rule::ParamBecameRequired,
                Rule::NestedParamBecameRequired,
            );
            let message = format!(
                "{noun} `{path}` is now required{}",
                super::patched(&new.patched)
            );
            scope.record(rule, Some(path), message);
        }
        (true, false) => {
            let rule = pick(
                nested,
                Rule::ParamBecameOptional,
                Rule::NestedParamBecameOptional,
            );
            let message = format!(
                "{noun} `{path}` is now optional{}",
                super::patched(&new.patched)
            );
            scope.record(rule, Some(path), message);
        }
        _ => {}
    }
    let (old_wire, new_wire) = (
        super::wire_text(old.wire, old.wire_name.as_deref(), old.pattern),
        super::wire_text(new.wire, new.wire_name.as_deref(), new.pattern),
    );
    if old_wire != new_wire {
        let message = format!(
            "{noun} `{path}` travels as {new_wire} (was {old_wire}){}",
            super::patched(&new.patched)
        );
        scope.record(Rule::WireChanged, Some(path), message);
    }
    if types::differ(old.ty.as_ref(), new.ty.as_ref()) {
        let rule = pick(nested, Rule::ParamTypeChanged, Rule::NestedParamTypeChanged);
        let message = format!(
            "{noun} `{path}` changed type from {} to {}{}",
            types::describe(old.ty.as_ref()),
            types::describe(new.ty.as_ref()),
            super::patched(&new.patched)
        );
        scope.record(rule, Some(path), message);
    }
}

/// Parameters by name; a duplicate name (which validation flags) keeps its first row.
fn by_name(params: &[Param]) -> BTreeMap<&str, &Param> {
    let mut map = BTreeMap::new();
    for param in params {
        map.entry(param.name.as_str()).or_insert(param);
    }
    map
}

pub(super) fn join(parent: Option<&str>, name: &str) -> String {
    match parent {
        Some(parent) => format!("{parent}.{name}"),
        None => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use b24_spec::Param;

    use crate::compare::compare;
    use crate::fixture::{method, param, required, spec, with_fields};

    fn ids(old: Vec<Param>, new: Vec<Param>) -> Vec<String> {
        let old = spec(vec![method("crm.deal.add").params(old).build()]);
        let new = spec(vec![method("crm.deal.add").params(new).build()]);
        compare(&old, &new)
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    }

    fn fields(children: Vec<Param>) -> Vec<Param> {
        vec![with_fields(param("fields", "object"), children)]
    }

    #[test]
    fn param_removed() {
        let found = ids(vec![param("id", "integer")], vec![]);
        assert_eq!(found, ["param-removed crm.deal.add(v2) id"]);
    }

    #[test]
    fn new_required_param() {
        let found = ids(vec![], vec![required("id", "integer")]);
        assert_eq!(found, ["new-required-param crm.deal.add(v2) id"]);
    }

    #[test]
    fn optional_param_added() {
        let found = ids(vec![], vec![param("id", "integer")]);
        assert_eq!(found, ["optional-param-added crm.deal.add(v2) id"]);
    }

    #[test]
    fn param_became_required() {
        let found = ids(
            vec![param("id", "integer")],
            vec![required("id", "integer")],
        );
        assert_eq!(found, ["param-became-required crm.deal.add(v2) id"]);
    }

    #[test]
    fn param_became_optional() {
        let found = ids(
            vec![required("id", "integer")],
            vec![param("id", "integer")],
        );
        assert_eq!(found, ["param-became-optional crm.deal.add(v2) id"]);
    }

    #[test]
    fn param_type_changed() {
        let found = ids(vec![param("id", "integer")], vec![param("id", "string")]);
        assert_eq!(found, ["param-type-changed crm.deal.add(v2) id"]);
    }

    #[test]
    fn nested_param_removed() {
        let found = ids(fields(vec![param("TITLE", "string")]), fields(vec![]));
        assert_eq!(
            found,
            ["nested-param-removed crm.deal.add(v2) fields.TITLE"]
        );
    }

    #[test]
    fn new_required_nested_param() {
        let found = ids(fields(vec![]), fields(vec![required("TITLE", "string")]));
        assert_eq!(
            found,
            ["new-required-nested-param crm.deal.add(v2) fields.TITLE"]
        );
    }

    #[test]
    fn optional_nested_param_added() {
        let found = ids(fields(vec![]), fields(vec![param("TITLE", "string")]));
        assert_eq!(
            found,
            ["optional-nested-param-added crm.deal.add(v2) fields.TITLE"]
        );
    }

    #[test]
    fn nested_param_became_required() {
        let found = ids(
            fields(vec![param("TITLE", "string")]),
            fields(vec![required("TITLE", "string")]),
        );
        assert_eq!(
            found,
            ["nested-param-became-required crm.deal.add(v2) fields.TITLE"]
        );
    }

    #[test]
    fn nested_param_became_optional() {
        let found = ids(
            fields(vec![required("TITLE", "string")]),
            fields(vec![param("TITLE", "string")]),
        );
        assert_eq!(
            found,
            ["nested-param-became-optional crm.deal.add(v2) fields.TITLE"]
        );
    }

    #[test]
    fn nested_param_type_changed() {
        let found = ids(
            fields(vec![param("TITLE", "string")]),
            fields(vec![param("TITLE", "string[]")]),
        );
        assert_eq!(
            found,
            ["nested-param-type-changed crm.deal.add(v2) fields.TITLE"]
        );
    }

    #[test]
    fn an_added_object_is_one_change_not_one_per_field() {
        let found = ids(vec![], fields(vec![required("TITLE", "string")]));
        assert_eq!(found, ["optional-param-added crm.deal.add(v2) fields"]);
    }

    #[test]
    fn reordered_fields_and_reworded_descriptions_are_no_param_change() {
        let mut reworded = param("b", "integer");
        reworded.description = "Entirely new prose.".to_owned();
        let found = ids(
            fields(vec![param("a", "string"), param("b", "integer")]),
            fields(vec![reworded, param("a", "string")]),
        );
        assert_eq!(found, ["description-changed crm.deal.add(v2)"]);
    }
}
