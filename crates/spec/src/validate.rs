//! Structural checks every spec must pass before it is written or read by a later stage.
//!
//! They catch extraction bugs that would otherwise surface as confusing emitter output:
//! two files for one method, two methods for one file, empty names, siblings with one name,
//! runaway nesting, and names that are not safe to use as file and folder names.

use std::collections::{HashMap, HashSet};
use std::fmt;

use rayon::prelude::*;

use crate::layout::{event_path, method_path};
use crate::{Event, Method, Param, ResultField, Spec};

/// Deepest nesting of parameter or result fields the docs use: five levels below the top
/// (`result.numerators[].settings.<generator class>.start`: settings described per class under
/// their own headings). The extractor follows sub-tables exactly this deep.
pub const MAX_DEPTH: usize = 6;

/// One broken rule, located by method and field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationIssue {
    /// `source` of the method, so the page can be found.
    pub source: String,
    /// `method (api)` or the spec part the issue is in.
    pub subject: String,
    /// Dotted path of the field, empty for the method itself.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.subject)?;
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Checks the whole spec; an empty result means valid.
pub fn validate(spec: &Spec) -> Vec<ValidationIssue> {
    let mut issues = Vec::new();
    let mut seen = HashSet::new();
    // Case-folded: on case-insensitive file systems `A.yaml` and `a.yaml` are one file.
    let mut files: HashMap<String, &Method> = HashMap::new();
    // Each method's own checks run in parallel (they walk every member of every method, on
    // each extraction and each spec load); their issues are reported in method order.
    let own: Vec<Vec<ValidationIssue>> = spec.methods.par_iter().map(validate_method).collect();
    for (method, own) in spec.methods.iter().zip(own) {
        if !seen.insert((method.method.as_str(), method.api)) {
            issues.push(issue(method, "", "method is defined twice"));
        } else {
            let path = method_path(method).to_string_lossy().to_lowercase();
            if let Some(other) = files.insert(path, method) {
                issues.push(issue(
                    method,
                    "",
                    &format!(
                        "is written to the same file as {} ({}) from {}",
                        other.method, other.api, other.source
                    ),
                ));
            }
        }
        issues.extend(own);
    }
    issues.extend(validate_entities(spec));
    issues.extend(validate_events(&spec.events));
    let mut placement_codes = HashSet::new();
    for placement in &spec.placements {
        if placement.code.trim().is_empty() || !placement_codes.insert(placement.code.as_str()) {
            issues.push(ValidationIssue {
                source: placement.source.clone(),
                subject: "placements".into(),
                path: placement.code.clone(),
                message: "placement code is empty or listed twice".into(),
            });
        }
    }
    let mut codes = HashSet::new();
    for error in &spec.system_errors {
        if error.code.is_empty() || !codes.insert((error.status, error.code.as_str())) {
            issues.push(ValidationIssue {
                source: error.source.clone(),
                subject: "system errors".into(),
                path: error.code.clone(),
                message: "system error code is empty or listed twice with one status".into(),
            });
        }
    }
    issues
}

/// Checks one method.
pub fn validate_method(method: &Method) -> Vec<ValidationIssue> {
    let mut issues = Vec::new();
    if method.method.trim().is_empty() || method.method.contains(char::is_whitespace) {
        issues.push(issue(
            method,
            "",
            "method name is empty or contains whitespace",
        ));
    }
    if method.group.is_empty() {
        issues.push(issue(method, "", "group is empty"));
    } else if !is_safe_file_name(&method.group) {
        issues.push(issue(
            method,
            "",
            &format!("group {:?} is not a safe folder name", method.group),
        ));
    }
    if !method.method.trim().is_empty() && !is_safe_file_name(&method.method) {
        issues.push(issue(
            method,
            "",
            "method name is not a safe file name (letters, digits, `_`, `-`, `.`; not starting with `.`)",
        ));
    }
    let owner = Owner::method(method);
    check_siblings(&owner, &method.params, "params", 1, &mut issues);
    check_siblings(&owner, &method.result, "result", 1, &mut issues);
    for name in method.one_of.iter().flatten() {
        if !method.params.iter().any(|p| &p.name == name) {
            let message = format!("one_of names `{name}`, which is not a top-level parameter");
            issues.push(issue(method, "one_of", &message));
        }
    }
    issues
}

/// Group and method names become folder and file names: only letters, digits, `_`, `-` and
/// `.`, not starting with `.` (so never `.`, `..` or hidden), no separators.
pub fn is_safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A named member with members of its own: parameters and result fields alike.
trait Member: Sized {
    fn name(&self) -> &str;
    fn members(&self) -> &[Self];
}

impl Member for Param {
    fn name(&self) -> &str {
        &self.name
    }

    fn members(&self) -> &[Self] {
        &self.fields
    }
}

impl Member for ResultField {
    fn name(&self) -> &str {
        &self.name
    }

    fn members(&self) -> &[Self] {
        &self.fields
    }
}

/// What a field belongs to, for locating issues.
struct Owner {
    source: String,
    subject: String,
}

impl Owner {
    fn method(method: &Method) -> Self {
        Owner {
            source: method.source.clone(),
            subject: format!("{} ({})", method.method, method.api),
        }
    }

    fn event(event: &Event) -> Self {
        Owner {
            source: event.source.clone(),
            subject: format!("event {}", event.event),
        }
    }

    fn issue(&self, path: &str, message: &str) -> ValidationIssue {
        ValidationIssue {
            source: self.source.clone(),
            subject: self.subject.clone(),
            path: path.to_owned(),
            message: message.to_owned(),
        }
    }
}

/// Siblings have non-empty, distinct names, and nest no deeper than [`MAX_DEPTH`].
///
/// This runs over every field of every method on each extraction and each spec load, so a
/// member's path is only spelled out when it is reported or has members of its own, and the
/// short sibling lists (nearly all) are checked for repeats without hashing.
fn check_siblings<M: Member>(
    owner: &Owner,
    nodes: &[M],
    path: &str,
    depth: usize,
    issues: &mut Vec<ValidationIssue>,
) {
    const SCAN_UP_TO: usize = 32;
    if !nodes.is_empty() && depth > MAX_DEPTH {
        issues.push(owner.issue(path, &format!("nested deeper than {MAX_DEPTH} levels")));
        return;
    }
    let mut names = HashSet::new();
    for (i, node) in nodes.iter().enumerate() {
        let name = node.name();
        let here = || format!("{path}.{name}");
        let repeated = if nodes.len() <= SCAN_UP_TO {
            nodes[..i].iter().any(|earlier| earlier.name() == name)
        } else {
            !names.insert(name)
        };
        if name.trim().is_empty() {
            issues.push(owner.issue(&here(), "field name is empty"));
        } else if repeated {
            issues.push(owner.issue(&here(), "field is listed twice"));
        }
        if !node.members().is_empty() {
            check_siblings(owner, node.members(), &here(), depth + 1, issues);
        }
    }
}

fn issue(method: &Method, path: &str, message: &str) -> ValidationIssue {
    Owner::method(method).issue(path, message)
}

/// Events: names as sent (upper-case letters, digits, `_`), one file each (case-folded), safe
/// group folders, and payload members checked like parameters.
pub fn validate_events(events: &[Event]) -> Vec<ValidationIssue> {
    let mut issues = Vec::new();
    let mut files: HashMap<String, &Event> = HashMap::new();
    for event in events {
        let owner = Owner::event(event);
        let name_ok = !event.event.is_empty()
            && event
                .event
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '_' | '.'))
            && !event.event.starts_with('.');
        if !name_ok {
            let message = "event name is not upper-case letters, digits, `_` and `.`";
            issues.push(owner.issue("", message));
        }
        if !is_safe_file_name(&event.group) {
            let message = format!("group {:?} is not a safe folder name", event.group);
            issues.push(owner.issue("", &message));
        }
        let path = event_path(event).to_string_lossy().to_lowercase();
        if let Some(other) = files.insert(path, event) {
            let message = format!("is defined twice (also in {})", other.source);
            issues.push(owner.issue("", &message));
        }
        check_siblings(&owner, &event.payload, "payload", 1, &mut issues);
    }
    issues
}

/// Entity ids are unique, fields named once each, and every `fields_ref` names an entity.
fn validate_entities(spec: &Spec) -> Vec<ValidationIssue> {
    let mut issues = Vec::new();
    let mut ids = HashSet::new();
    for entity in &spec.entities {
        let mut at = |path: &str, message: &str| {
            issues.push(ValidationIssue {
                source: entity.source.clone(),
                subject: format!("entity {}", entity.id),
                path: path.to_owned(),
                message: message.to_owned(),
            })
        };
        if entity.id.trim().is_empty() || !ids.insert(entity.id.as_str()) {
            at("", "entity id is empty or defined twice");
        }
        let mut names = HashSet::new();
        for field in &entity.fields {
            if field.name.trim().is_empty() || !names.insert(field.name.as_str()) {
                at(&field.name, "field name is empty or listed twice");
            }
        }
    }
    if spec.entities.is_empty() {
        // A spec without entity tables (a single page, an old spec) has nothing to refer to.
        return issues;
    }
    for method in &spec.methods {
        let mut refs = Vec::new();
        collect_refs(&method.params, "params", &mut refs);
        for (path, id) in refs {
            if !ids.contains(id) {
                issues.push(issue(
                    method,
                    &path,
                    &format!("fields_ref names `{id}`, which is not an entity"),
                ));
            }
        }
    }
    issues
}

fn collect_refs<'s>(params: &'s [Param], prefix: &str, out: &mut Vec<(String, &'s str)>) {
    for param in params {
        let path = format!("{prefix}.{}", param.name);
        if let Some(id) = &param.fields_ref {
            out.push((path.clone(), id));
        }
        collect_refs(&param.fields, &path, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::from_yaml;

    #[test]
    fn one_of_must_name_parameters() {
        let method: Method = from_yaml(
            "method: a.b\napi: v2\ngroup: g\ntitle: t\nsource: s.md\n\
             params:\n- {name: ID, type: integer, required: false}\none_of: [[ID], [TAG]]\n",
            "fixture",
        )
        .unwrap();
        let issues = validate_method(&method);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(issues[0].message.contains("`TAG`"));
    }

    /// Repeats are found in short sibling lists (scanned) and long ones (hashed) alike, at the
    /// repeat, with the member's full path.
    #[test]
    fn repeated_and_empty_member_names_are_reported_in_short_and_long_lists() {
        for count in [3, 40] {
            let mut names: Vec<String> = (0..count).map(|i| format!("F{i}")).collect();
            names.push("F1".into());
            names.push(" ".into());
            let members: String = names
                .iter()
                .map(|n| format!("  - {{name: '{n}', type: string, required: false}}\n"))
                .collect();
            let method: Method = from_yaml(
                &format!(
                    "method: a.b\napi: v2\ngroup: g\ntitle: t\nsource: s.md\n\
                     params:\n- name: fields\n  type: object\n  required: false\n  fields:\n{members}"
                ),
                "fixture",
            )
            .unwrap();
            let found: Vec<(String, String)> = validate_method(&method)
                .into_iter()
                .map(|i| (i.path, i.message))
                .collect();
            assert_eq!(
                found,
                [
                    ("params.fields.F1".into(), "field is listed twice".into()),
                    ("params.fields. ".into(), "field name is empty".into()),
                ],
                "{count} members"
            );
        }
    }
}
