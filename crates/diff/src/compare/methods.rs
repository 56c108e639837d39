//! Method-level rules: added, removed, moved, deprecated, access and scope.

use std::collections::BTreeSet;

use b24_spec::Method;

use super::access::roles_and_permissions;
use super::Scope;
use crate::rules::Rule;

pub(super) fn removed(scope: &mut Scope<'_>, old: &Method) {
    let message = format!("method removed (was documented at `{}`)", old.source);
    scope.record(Rule::MethodRemoved, None, message);
}

pub(super) fn added(scope: &mut Scope<'_>, new: &Method) {
    let message = format!("new method: {} (`{}`)", new.title.trim(), new.source);
    scope.record(Rule::MethodAdded, None, message);
}

/// The method-level rules for a method present on both sides.
pub(super) fn compare(scope: &mut Scope<'_>, old: &Method, new: &Method) {
    case_changed(scope, old, new);
    page_moved(scope, old, new);
    deprecation(scope, old, new);
    access(scope, old, new);
    scope_set(scope, old, new);
}

fn case_changed(scope: &mut Scope<'_>, old: &Method, new: &Method) {
    if old.method == new.method {
        return;
    }
    let message = format!(
        "wire name respelled from `{}` to `{}`; Bitrix24 accepts both, but generated Rust names follow the new spelling",
        old.method, new.method
    );
    scope.record(Rule::MethodCaseChanged, Some(&old.method), message);
}

fn page_moved(scope: &mut Scope<'_>, old: &Method, new: &Method) {
    if old.source == new.source && old.group == new.group {
        return;
    }
    let mut message = format!("page moved from `{}` to `{}`", old.source, new.source);
    if old.group != new.group {
        message.push_str(&format!(" (API group `{}` → `{}`)", old.group, new.group));
    }
    scope.record(Rule::PageMoved, None, message);
}

fn deprecation(scope: &mut Scope<'_>, old: &Method, new: &Method) {
    match (
        old.deprecated.is_deprecated(),
        new.deprecated.is_deprecated(),
    ) {
        (false, true) => {
            let message = match &new.deprecated {
                b24_spec::Deprecation::Deprecated {
                    replacement: Some(replacement),
                    ..
                } => format!("method is now deprecated; the docs point to `{replacement}`"),
                _ => "method is now deprecated".to_owned(),
            };
            scope.record(Rule::MethodDeprecated, None, message);
        }
        (true, false) => scope.record(
            Rule::MethodUndeprecated,
            None,
            "method is no longer marked deprecated".to_owned(),
        ),
        _ => {}
    }
}

/// Recorded only when the roles or permissions named differ; a rewording is prose-only.
fn access(scope: &mut Scope<'_>, old: &Method, new: &Method) {
    let before = old.access.as_deref().map(roles_and_permissions);
    let after = new.access.as_deref().map(roles_and_permissions);
    if before == after {
        return;
    }
    let message = format!(
        "who can execute the method changed from {} to {}",
        quote(old.access.as_deref()),
        quote(new.access.as_deref())
    );
    scope.record(Rule::AccessChanged, None, message);
}

fn scope_set(scope: &mut Scope<'_>, old: &Method, new: &Method) {
    let before: BTreeSet<&str> = old.scope.iter().map(String::as_str).collect();
    let after: BTreeSet<&str> = new.scope.iter().map(String::as_str).collect();
    if before == after {
        return;
    }
    let message = format!("scope changed from {} to {}", list(&before), list(&after));
    scope.record(Rule::ScopeChanged, None, message);
}

fn quote(text: Option<&str>) -> String {
    match text {
        Some(text) => format!("“{}”", text.trim()),
        None => "(not stated)".to_owned(),
    }
}

fn list(items: &BTreeSet<&str>) -> String {
    if items.is_empty() {
        return "(none)".to_owned();
    }
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    quoted.join(", ")
}

#[cfg(test)]
mod tests {
    use crate::compare::compare;
    use crate::fixture::{method, spec};

    fn ids(old: Vec<b24_spec::Method>, new: Vec<b24_spec::Method>) -> Vec<String> {
        compare(&spec(old), &spec(new))
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    }

    #[test]
    fn method_removed() {
        let found = ids(vec![method("crm.deal.add").build()], vec![]);
        assert_eq!(found, ["method-removed crm.deal.add(v2)"]);
    }

    #[test]
    fn method_added() {
        let found = ids(vec![], vec![method("crm.deal.add").v3().build()]);
        assert_eq!(found, ["method-added crm.deal.add(v3)"]);
    }

    #[test]
    fn method_case_changed() {
        let old = method("sale.statuslang.add").build();
        let new = method("sale.statusLang.add")
            .source(&old.source)
            .title(&old.title)
            .build();
        assert_eq!(
            ids(vec![old], vec![new]),
            ["method-case-changed sale.statusLang.add(v2) sale.statuslang.add"]
        );
    }

    #[test]
    fn page_moved_to_another_folder_and_group_is_one_move() {
        let old = method("imbot.register").group("chat-bots").build();
        let new = method("imbot.register")
            .group("chats")
            .source("api-reference/chats/bots/imbot-register.md")
            .build();
        assert_eq!(ids(vec![old], vec![new]), ["page-moved imbot.register(v2)"]);
    }

    #[test]
    fn method_deprecated_and_undeprecated() {
        let current = method("crm.deal.add").build();
        let deprecated = method("crm.deal.add")
            .deprecated(Some("crm.item.add"))
            .build();
        assert_eq!(
            ids(vec![current.clone()], vec![deprecated.clone()]),
            ["method-deprecated crm.deal.add(v2)"]
        );
        assert_eq!(
            ids(vec![deprecated], vec![current]),
            ["method-undeprecated crm.deal.add(v2)"]
        );
    }

    #[test]
    fn access_changed_but_not_for_spacing_case_punctuation_or_articles() {
        let old = method("crm.deal.add")
            .access("Any user with \"Edit\" permission")
            .build();
        let same = method("crm.deal.add")
            .access("any   user with the Edit permission.")
            .build();
        let admin = method("crm.deal.add").access("administrator").build();
        assert_eq!(
            ids(vec![old.clone()], vec![same]),
            ["description-changed crm.deal.add(v2)"]
        );
        assert_eq!(
            ids(vec![old], vec![admin]),
            ["access-changed crm.deal.add(v2)"]
        );
    }

    #[test]
    fn scope_changed_as_a_set() {
        let old = method("crm.deal.add").scope(&["crm", "user"]).build();
        let reordered = method("crm.deal.add").scope(&["user", "crm"]).build();
        let other = method("crm.deal.add").scope(&["crm"]).build();
        assert_eq!(
            ids(vec![old.clone()], vec![reordered]),
            Vec::<String>::new()
        );
        assert_eq!(
            ids(vec![old], vec![other]),
            ["scope-changed crm.deal.add(v2)"]
        );
    }
}
