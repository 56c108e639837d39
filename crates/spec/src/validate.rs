//! Structural checks every spec must pass before it is written or read by a later stage.
//!
//! They catch extraction bugs that would otherwise surface as confusing emitter output:
//! two files for one method, two methods for one file, empty names, siblings with one name,
//! runaway nesting, and names that are not safe to use as file and folder names.

use std::collections::{HashMap, HashSet};
use std::fmt;

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
    for method in &spec.methods {
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
        issues.extend(validate_method(method));
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
    let params: Vec<Node<'_>> = method.params.iter().map(Node::Param).collect();
    check_siblings(&owner, &params, "params", 1, &mut issues);
    let result: Vec<Node<'_>> = method.result.iter().map(Node::Result).collect();
    check_siblings(&owner, &result, "result", 1, &mut issues);
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

enum Node<'a> {
    Param(&'a Param),
    Result(&'a ResultField),
}

impl<'a> Node<'a> {
    fn name(&self) -> &'a str {
        match self {
            Node::Param(p) => &p.name,
            Node::Result(r) => &r.name,
        }
    }

    fn children(&self) -> Vec<Node<'a>> {
        match self {
            Node::Param(p) => p.fields.iter().map(Node::Param).collect(),
            Node::Result(r) => r.fields.iter().map(Node::Result).collect(),
        }
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

fn check_siblings(
    owner: &Owner,
    nodes: &[Node<'_>],
    path: &str,
    depth: usize,
    issues: &mut Vec<ValidationIssue>,
) {
    if !nodes.is_empty() && depth > MAX_DEPTH {
        issues.push(owner.issue(path, &format!("nested deeper than {MAX_DEPTH} levels")));
        return;
    }
    let mut names = HashSet::new();
    for node in nodes {
        let name = node.name();
        let here = format!("{path}.{name}");
        if name.trim().is_empty() {
            issues.push(owner.issue(&here, "field name is empty"));
        } else if !names.insert(name) {
            issues.push(owner.issue(&here, "field is listed twice"));
        }
        check_siblings(owner, &node.children(), &here, depth + 1, issues);
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
        let payload: Vec<Node<'_>> = event.payload.iter().map(Node::Param).collect();
        check_siblings(&owner, &payload, "payload", 1, &mut issues);
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
}
