//! Who may call a method, compared for meaning: the set of roles and permissions an access
//! sentence names, not its wording. The docs' copy edits reword access sentences all the time
//! (`user` → `a user`, `edit` → `modify`, `CRM entity` → `CRM object` → `CRM item`,
//! `permission for` → `permissions to`); none of that changes who may call.

use std::collections::BTreeSet;

/// Words that carry no role or permission: articles, prepositions, and the words every access
/// sentence uses to say "permission" (`access permission`, `rights`, `requires`).
const FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "for",
    "to",
    "in",
    "on",
    "of",
    "at",
    "by",
    "with",
    "and",
    "or",
    "s",
    "access",
    "permission",
    "right",
    "require",
    "requires",
    "any",
    "user",
    "authorized",
    "during",
    "when",
    "being",
    "is",
    "are",
    "which",
    "whom",
    "that",
    "required",
    "specified",
    "upon",
];

/// Words the docs use interchangeably, each mapped to one spelling.
const SYNONYMS: &[(&str, &str)] = &[
    ("modify", "edit"),
    ("editing", "edit"),
    ("change", "edit"),
    ("update", "edit"),
    ("view", "read"),
    ("reading", "read"),
    ("entity", "item"),
    ("object", "item"),
    ("element", "item"),
    ("executing", "execute"),
    ("execution", "execute"),
    ("creation", "create"),
    ("delegation", "delegate"),
    ("authorization", "authorized"),
    ("entry", "record"),
];

/// The roles and permissions an access sentence names: its words lower-cased, singular, with
/// synonyms folded and filler dropped, as a set (word order never matters).
pub(super) fn roles_and_permissions(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(singular)
        .map(
            |word| match SYNONYMS.iter().find(|(from, _)| *from == word) {
                Some((_, to)) => (*to).to_owned(),
                None => word,
            },
        )
        .filter(|word| !FILLER.contains(&word.as_str()))
        .collect()
}

/// `entities` → `entity`, `permissions` → `permission`, `rights` → `right`; short words and
/// `ss` endings (`access`) stay.
fn singular(word: &str) -> String {
    if word.len() > 4 && word.ends_with("ies") {
        return format!("{}y", &word[..word.len() - 3]);
    }
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        return word[..word.len() - 1].to_owned();
    }
    word.to_owned()
}

#[cfg(test)]
mod tests {
    use super::roles_and_permissions as meaning;

    #[test]
    fn rewordings_name_the_same_roles_and_permissions() {
        for (old, new) in [
            (
                "user with permission to add an activity",
                "a user with permission to add activities",
            ),
            (
                "user with read access permission for CRM entities",
                "a user with read permissions for CRM items",
            ),
            (
                "a user with editing access permission for CRM entities",
                "a user with permission to edit CRM items",
            ),
            (
                "user with \"edit\" permission for document generator templates",
                "a user with \"modify\" access permission for Document Generator templates",
            ),
            (
                "any user with \"read\" access permission for CRM entities",
                "any user with \"read\" access permission for CRM object elements",
            ),
            (
                "access rights when executing the method depend on the provided data:",
                "access rights during method execution depend on the provided data:",
            ),
            ("any user", "Any authorized user."),
            (
                "access permission to modify the payment order is required",
                "requires access permission to modify the payment order",
            ),
            (
                "a user authorized in the application",
                "any user upon application authorization",
            ),
            (
                "user with template creation permission",
                "a user with the permission to create a template",
            ),
            (
                "any user with the right to delegate a task",
                "any user with task delegation rights",
            ),
            (
                "user with read access permission to the CRM entity containing the entry",
                "a user with read permissions for the CRM item containing the record",
            ),
        ] {
            assert_eq!(meaning(old), meaning(new), "{old} / {new}");
        }
    }

    #[test]
    fn other_roles_or_permissions_differ() {
        for (old, new) in [
            ("any user", "administrator"),
            ("administrator", "CRM administrator"),
            (
                "any user",
                "a user with \"read\" access permission for deals",
            ),
            (
                "a user with \"read\" permission for deals",
                "a user with \"edit\" permission for deals",
            ),
            (
                "owner of the registered Automation rule",
                "owner of the registered bot",
            ),
            ("authorized user", "a user with access to the chat"),
            (
                "access level X (management)",
                "access level W (write) or X (management)",
            ),
            (
                "View access permission in the Sites section",
                "View access permission in the Sites and Stores section",
            ),
        ] {
            assert_ne!(meaning(old), meaning(new), "{old} / {new}");
        }
    }
}
