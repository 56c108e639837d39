//! Error rules. Errors are keyed by code: a page may list one code in several rows (different
//! messages, different statuses), so a method's errors are compared as a set of codes, and each
//! code's statuses as a set. Rows without a status say nothing about statuses.

use std::collections::{BTreeMap, BTreeSet};

use b24_spec::{ErrorEntry, SystemError};

use super::Scope;
use crate::rules::Rule;

/// Code → the HTTP statuses documented for it.
type Statuses = BTreeMap<String, BTreeSet<u16>>;

/// Compares the errors one method documents.
pub(super) fn compare_method(scope: &mut Scope<'_>, old: &[ErrorEntry], new: &[ErrorEntry]) {
    let rules = CodeRules {
        added: Rule::ErrorCodeAdded,
        removed: Rule::ErrorCodeRemoved,
        status_changed: Rule::ErrorStatusChanged,
        noun: "error code",
    };
    let statuses = |errors: &[ErrorEntry]| -> Statuses {
        let mut map = Statuses::new();
        for error in errors {
            let entry = map.entry(error.code.clone()).or_default();
            entry.extend(error.status);
        }
        map
    };
    rules.compare(scope, &statuses(old), &statuses(new));
}

/// Compares the system error catalogues.
pub(super) fn compare_system(scope: &mut Scope<'_>, old: &[SystemError], new: &[SystemError]) {
    let rules = CodeRules {
        added: Rule::SystemErrorAdded,
        removed: Rule::SystemErrorRemoved,
        status_changed: Rule::SystemErrorStatusChanged,
        noun: "system error",
    };
    let statuses = |errors: &[SystemError]| -> Statuses {
        let mut map = Statuses::new();
        for error in errors {
            let statuses = map.entry(error.code.clone()).or_default();
            statuses.extend(error.status);
        }
        map
    };
    rules.compare(scope, &statuses(old), &statuses(new));
}

/// The three rules of one error catalogue (a method's, or the system one).
struct CodeRules {
    added: Rule,
    removed: Rule,
    status_changed: Rule,
    noun: &'static str,
}

impl CodeRules {
    fn compare(&self, scope: &mut Scope<'_>, old: &Statuses, new: &Statuses) {
        let noun = self.noun;
        for (code, old_statuses) in old {
            let shown = show_code(code);
            match new.get(code) {
                None => {
                    let message = format!("no longer documents {noun} {shown}");
                    scope.record(self.removed, Some(code), message);
                }
                Some(new_statuses) => {
                    if old_statuses.is_empty() || new_statuses.is_empty() {
                        continue;
                    }
                    if old_statuses != new_statuses {
                        let message = format!(
                            "{noun} {shown} HTTP status changed from {} to {}",
                            show_statuses(old_statuses),
                            show_statuses(new_statuses)
                        );
                        scope.record(self.status_changed, Some(code), message);
                    }
                }
            }
        }
        for (code, new_statuses) in new {
            if !old.contains_key(code) {
                let mut message = format!("documents new {noun} {}", show_code(code));
                if !new_statuses.is_empty() {
                    message.push_str(&format!(" (HTTP {})", show_statuses(new_statuses)));
                }
                scope.record(self.added, Some(code), message);
            }
        }
    }
}

fn show_code(code: &str) -> String {
    if code.is_empty() {
        "with an empty code".to_owned()
    } else {
        format!("`{code}`")
    }
}

fn show_statuses(statuses: &BTreeSet<u16>) -> String {
    let all: Vec<String> = statuses.iter().map(u16::to_string).collect();
    all.join(", ")
}

#[cfg(test)]
mod tests {
    use b24_spec::{ErrorEntry, SystemError};

    use crate::compare::compare;
    use crate::fixture::{error, method, spec};

    fn ids(old: Vec<ErrorEntry>, new: Vec<ErrorEntry>) -> Vec<String> {
        let old = spec(vec![method("crm.deal.get").errors(old).build()]);
        let new = spec(vec![method("crm.deal.get").errors(new).build()]);
        compare(&old, &new)
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    }

    #[test]
    fn error_code_added() {
        let found = ids(vec![], vec![error(Some(400), "ERROR_CORE", "Bad")]);
        assert_eq!(found, ["error-code-added crm.deal.get(v2) ERROR_CORE"]);
    }

    #[test]
    fn error_code_removed() {
        let found = ids(vec![error(Some(400), "", "Empty code")], vec![]);
        assert_eq!(found, ["error-code-removed crm.deal.get(v2) \"\""]);
    }

    #[test]
    fn error_status_changed() {
        let found = ids(
            vec![error(Some(400), "NOT_FOUND", "Gone")],
            vec![error(Some(404), "NOT_FOUND", "Gone")],
        );
        assert_eq!(found, ["error-status-changed crm.deal.get(v2) NOT_FOUND"]);
    }

    #[test]
    fn a_second_row_for_a_known_code_with_the_same_status_is_only_text() {
        let found = ids(
            vec![error(Some(400), "ERROR_CORE", "Title is empty")],
            vec![
                error(Some(400), "ERROR_CORE", "Title is empty"),
                error(Some(400), "ERROR_CORE", "Stage is unknown"),
            ],
        );
        assert_eq!(found, ["description-changed crm.deal.get(v2)"]);
    }

    #[test]
    fn a_row_without_status_does_not_change_statuses() {
        let found = ids(
            vec![error(Some(400), "ERROR_CORE", "A")],
            vec![error(None, "ERROR_CORE", "A")],
        );
        assert_eq!(found, Vec::<String>::new());
    }

    fn system(code: &str, status: u16) -> SystemError {
        SystemError {
            status: Some(status),
            code: code.to_owned(),
            message: "m".to_owned(),
            description: "d".to_owned(),
            remedy: String::new(),
            source: "error-codes.md".to_owned(),
        }
    }

    fn system_ids(old: Vec<SystemError>, new: Vec<SystemError>) -> Vec<String> {
        let mut old_spec = spec(vec![]);
        old_spec.system_errors = old;
        let mut new_spec = spec(vec![]);
        new_spec.system_errors = new;
        compare(&old_spec, &new_spec)
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    }

    #[test]
    fn system_error_added() {
        let found = system_ids(vec![], vec![system("QUERY_LIMIT_EXCEEDED", 503)]);
        assert_eq!(
            found,
            ["system-error-added system-errors QUERY_LIMIT_EXCEEDED"]
        );
    }

    #[test]
    fn system_error_removed() {
        let found = system_ids(vec![system("QUERY_LIMIT_EXCEEDED", 503)], vec![]);
        assert_eq!(
            found,
            ["system-error-removed system-errors QUERY_LIMIT_EXCEEDED"]
        );
    }

    #[test]
    fn system_error_status_changed() {
        let found = system_ids(
            vec![system("QUERY_LIMIT_EXCEEDED", 503)],
            vec![system("QUERY_LIMIT_EXCEEDED", 429)],
        );
        assert_eq!(
            found,
            ["system-error-status-changed system-errors QUERY_LIMIT_EXCEEDED"]
        );
    }
}
