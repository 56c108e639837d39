//! One detected change, its level, and its stable id.
//!
//! A change id is `<rule> <target> [<subject>]`, whitespace-separated, for example
//! `param-became-required crm.deal.add(v2) fields.TITLE`. The target is `<method>(<api>)` or
//! `system-errors`; the subject (the rest of the line, so it may hold spaces) is a dotted
//! parameter or result path, an error code (`""` for the empty code) or a method's old spelling,
//! and is absent for other method-level rules. Ids never mention file paths or groups, so a page
//! that moves keeps the ids of its changes.

use std::fmt;
use std::str::FromStr;

use b24_spec::ApiVersion;
use serde::{Serialize, Serializer};

use crate::rules::{Rule, UnknownRule};

/// How much a change matters to a caller of the generated SDK. Ordered most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Breaks callers: code that compiled or worked before no longer does.
    Err,
    /// May break callers at run time, or deserves a reviewer's look.
    Warn,
    /// Compatible.
    Info,
}

impl Level {
    /// All levels, most severe first.
    pub const ALL: [Level; 3] = [Level::Err, Level::Warn, Level::Info];

    /// The marker used in reports and on the command line.
    pub fn label(self) -> &'static str {
        match self {
            Level::Err => "ERR",
            Level::Warn => "WARN",
            Level::Info => "INFO",
        }
    }

    /// True when `self` is as severe as `threshold` or more.
    pub fn reaches(self, threshold: Level) -> bool {
        self <= threshold
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Serialize for Level {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

/// What a change is about: one method, or the shared system error catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A method, by its identity: wire name and API version.
    Method {
        /// Wire name.
        name: String,
        /// API version.
        api: ApiVersion,
    },
    /// `spec/errors.yaml`.
    SystemErrors,
    /// An event, by its name as sent (`event:ONCRMDEALADD`).
    Event {
        /// The name as sent.
        name: String,
    },
}

const SYSTEM_ERRORS: &str = "system-errors";
const EVENT_PREFIX: &str = "event:";

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Method { name, api } => write!(f, "{name}({api})"),
            Target::SystemErrors => f.write_str(SYSTEM_ERRORS),
            Target::Event { name } => write!(f, "{EVENT_PREFIX}{name}"),
        }
    }
}

/// The stable identity of a change: what the accepted-changes file lists.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChangeId {
    /// The rule that fired.
    pub rule: Rule,
    /// The method (or catalogue) it fired on.
    pub target: Target,
    /// The parameter path, result path or error code; `None` for method-level rules.
    pub subject: Option<String>,
}

impl fmt::Display for ChangeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.rule, self.target)?;
        match self.subject.as_deref() {
            Some("") => f.write_str(" \"\""),
            Some(subject) => write!(f, " {subject}"),
            None => Ok(()),
        }
    }
}

impl Serialize for ChangeId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Why a change id does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeIdError {
    /// The first word is not a rule id.
    #[error(transparent)]
    UnknownRule(#[from] UnknownRule),
    /// The id has fewer than two words.
    #[error("expected `<rule> <method>(<api>) [<subject>]`, got {0:?}")]
    Shape(String),
    /// The target is neither `name(v2|v3)`, `system-errors` nor `event:NAME`.
    #[error(
        "expected `<method>(v2)`, `<method>(v3)`, `system-errors` or `event:<NAME>`, got {0:?}"
    )]
    Target(String),
}

impl FromStr for ChangeId {
    type Err = ChangeIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let shape = || ChangeIdError::Shape(s.to_owned());
        let (rule, rest) = s.trim().split_once(char::is_whitespace).ok_or_else(shape)?;
        let rest = rest.trim_start();
        // The subject is everything after the target: some pages put messages with spaces in
        // the code column, and those are the codes the spec holds.
        let (target, subject) = match rest.split_once(char::is_whitespace) {
            Some((target, subject)) => (target, Some(subject.trim())),
            None => (rest, None),
        };
        if target.is_empty() {
            return Err(shape());
        }
        Ok(ChangeId {
            rule: rule.parse()?,
            target: parse_target(target)?,
            subject: subject.map(|s| if s == "\"\"" { "" } else { s }.to_owned()),
        })
    }
}

fn parse_target(text: &str) -> Result<Target, ChangeIdError> {
    if text == SYSTEM_ERRORS {
        return Ok(Target::SystemErrors);
    }
    if let Some(name) = text.strip_prefix(EVENT_PREFIX).filter(|n| !n.is_empty()) {
        return Ok(Target::Event {
            name: name.to_owned(),
        });
    }
    let bad = || ChangeIdError::Target(text.to_owned());
    let (name, rest) = text.split_once('(').ok_or_else(bad)?;
    let api = match rest {
        "v2)" => ApiVersion::V2,
        "v3)" => ApiVersion::V3,
        _ => return Err(bad()),
    };
    if name.is_empty() {
        return Err(bad());
    }
    Ok(Target::Method {
        name: name.to_owned(),
        api,
    })
}

/// One change between two specs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The stable identity.
    pub id: ChangeId,
    /// The API group the method is in (the new one when it moved); `None` for system errors.
    pub group: Option<String>,
    /// One plain-English sentence saying what changed.
    pub message: String,
}

impl Change {
    /// The rule that fired.
    pub fn rule(&self) -> Rule {
        self.id.rule
    }

    /// The rule's level.
    pub fn level(&self) -> Level {
        self.id.rule.level()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_ids_round_trip_through_text() {
        for text in [
            "param-became-required crm.deal.add(v2) fields.TITLE",
            "method-removed tasks.task.add(v3)",
            "system-error-removed system-errors QUERY_LIMIT_EXCEEDED",
            "error-code-added crm.deal.get(v2) \"\"",
            "error-code-removed crm.calllist.add(v2) Access denied",
            "event-member-removed event:ONCRMDEALADD data.FIELDS.ID",
        ] {
            let id: ChangeId = text.parse().unwrap();
            assert_eq!(id.to_string(), text);
        }
    }

    #[test]
    fn malformed_change_ids_say_what_is_wrong() {
        let err = "no-such-rule a.b(v2)".parse::<ChangeId>().unwrap_err();
        assert!(err.to_string().contains("no-such-rule"), "{err}");
        let err = "method-removed a.b(v4)".parse::<ChangeId>().unwrap_err();
        assert!(matches!(err, ChangeIdError::Target(_)), "{err}");
        let err = "method-removed".parse::<ChangeId>().unwrap_err();
        assert!(matches!(err, ChangeIdError::Shape(_)), "{err}");
    }

    #[test]
    fn levels_order_most_severe_first() {
        assert!(Level::Err.reaches(Level::Warn));
        assert!(Level::Warn.reaches(Level::Warn));
        assert!(!Level::Info.reaches(Level::Warn));
    }
}
