//! The rule catalogue: every kind of change the diff can report, with its stable id, its level
//! and a one-line summary.
//!
//! Ids are part of the accepted-changes file format and of the JSON output, so they never change
//! once published; add a new rule rather than renaming one. `docs/spec-diff-rules.md` is rendered
//! from this table (see [`crate::catalog_doc`]).

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::Level;

/// One kind of change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// A method is gone.
    MethodRemoved,
    /// A method appeared.
    MethodAdded,
    /// A method became deprecated.
    MethodDeprecated,
    /// A deprecated method is current again.
    MethodUndeprecated,
    /// A method's wire name is spelled with other letter case.
    MethodCaseChanged,
    /// A method's page moved to another file or API group.
    PageMoved,
    /// "Who can execute the method" says something else.
    AccessChanged,
    /// The permission scopes changed.
    ScopeChanged,
    /// A top-level request parameter is gone.
    ParamRemoved,
    /// A required top-level parameter appeared.
    NewRequiredParam,
    /// An optional top-level parameter appeared.
    OptionalParamAdded,
    /// A top-level parameter became required.
    ParamBecameRequired,
    /// A top-level parameter became optional.
    ParamBecameOptional,
    /// A top-level parameter's type changed.
    ParamTypeChanged,
    /// A nested parameter field is gone.
    NestedParamRemoved,
    /// A required nested parameter field appeared.
    NewRequiredNestedParam,
    /// An optional nested parameter field appeared.
    OptionalNestedParamAdded,
    /// A nested parameter field became required.
    NestedParamBecameRequired,
    /// A nested parameter field became optional.
    NestedParamBecameOptional,
    /// A nested parameter field's type changed.
    NestedParamTypeChanged,
    /// A field of the returned data is gone.
    ResultFieldRemoved,
    /// A field of the returned data appeared.
    ResultFieldAdded,
    /// A field of the returned data changed type.
    ResultTypeChanged,
    /// A method documents a new error code.
    ErrorCodeAdded,
    /// A method no longer documents an error code.
    ErrorCodeRemoved,
    /// An error code is documented with other HTTP statuses.
    ErrorStatusChanged,
    /// The system error catalogue gained a code.
    SystemErrorAdded,
    /// The system error catalogue lost a code.
    SystemErrorRemoved,
    /// A system error's HTTP status changed.
    SystemErrorStatusChanged,
    /// Only prose changed: titles, descriptions, error messages, defaults, examples.
    DescriptionChanged,
    /// How a parameter or result value travels changed (`wire`, `wire_name`, pattern).
    WireChanged,
    /// The method's alternative parameter sets (`one_of`) changed.
    OneOfChanged,
    /// An event is gone.
    EventRemoved,
    /// An event appeared.
    EventAdded,
    /// A payload member of an event is gone.
    EventMemberRemoved,
    /// A payload member of an event appeared.
    EventMemberAdded,
    /// A payload member of an event changed type or how it travels.
    EventMemberTypeChanged,
}

impl Rule {
    /// Every rule, in catalogue order.
    pub const ALL: [Rule; 37] = [
        Rule::MethodRemoved,
        Rule::MethodAdded,
        Rule::MethodDeprecated,
        Rule::MethodUndeprecated,
        Rule::MethodCaseChanged,
        Rule::PageMoved,
        Rule::AccessChanged,
        Rule::ScopeChanged,
        Rule::ParamRemoved,
        Rule::NewRequiredParam,
        Rule::OptionalParamAdded,
        Rule::ParamBecameRequired,
        Rule::ParamBecameOptional,
        Rule::ParamTypeChanged,
        Rule::NestedParamRemoved,
        Rule::NewRequiredNestedParam,
        Rule::OptionalNestedParamAdded,
        Rule::NestedParamBecameRequired,
        Rule::NestedParamBecameOptional,
        Rule::NestedParamTypeChanged,
        Rule::ResultFieldRemoved,
        Rule::ResultFieldAdded,
        Rule::ResultTypeChanged,
        Rule::ErrorCodeAdded,
        Rule::ErrorCodeRemoved,
        Rule::ErrorStatusChanged,
        Rule::SystemErrorAdded,
        Rule::SystemErrorRemoved,
        Rule::SystemErrorStatusChanged,
        Rule::DescriptionChanged,
        Rule::WireChanged,
        Rule::OneOfChanged,
        Rule::EventRemoved,
        Rule::EventAdded,
        Rule::EventMemberRemoved,
        Rule::EventMemberAdded,
        Rule::EventMemberTypeChanged,
    ];

    /// The stable id, as written in reports and in `spec/accepted-changes.txt`.
    pub fn id(self) -> &'static str {
        self.entry().0
    }

    /// How much the change matters to a caller of the generated SDK.
    pub fn level(self) -> Level {
        self.entry().1
    }

    /// What the rule detects, in one sentence.
    pub fn summary(self) -> &'static str {
        self.entry().2
    }

    fn entry(self) -> (&'static str, Level, &'static str) {
        use Level::{Err, Info, Warn};
        match self {
            Rule::MethodRemoved => ("method-removed", Err, "A method (name + API version) is no longer documented; calls to it no longer compile."),
            Rule::MethodAdded => ("method-added", Info, "A method is documented for the first time."),
            Rule::MethodDeprecated => ("method-deprecated", Warn, "A method became deprecated (note or `outdated/` folder)."),
            Rule::MethodUndeprecated => ("method-undeprecated", Info, "A deprecated method is no longer marked deprecated."),
            Rule::MethodCaseChanged => (
                "method-case-changed",
                Err,
                "A method's wire name changed only in letter case (`disk.file.copyto` → `disk.file.copyTo`): Bitrix24 accepts both, so it is the same method, but generated Rust names follow the docs' spelling. The subject is the old spelling.",
            ),
            Rule::PageMoved => ("page-moved", Info, "A method's page moved to another file or API group (cargo feature); the method itself is unchanged."),
            Rule::AccessChanged => ("access-changed", Warn, "\"Who can execute the method\" says something different: its set of words differs, ignoring case, punctuation, word order and filler words (a, the, for, to, ...)."),
            Rule::ScopeChanged => ("scope-changed", Warn, "The set of permission scopes changed."),
            Rule::ParamRemoved => ("param-removed", Err, "A top-level request parameter is gone; Rust callers setting it no longer compile."),
            Rule::NewRequiredParam => ("new-required-param", Err, "A new top-level parameter is required; existing calls lack it."),
            Rule::OptionalParamAdded => ("optional-param-added", Info, "A new optional top-level parameter."),
            Rule::ParamBecameRequired => ("param-became-required", Err, "An existing top-level parameter is now required."),
            Rule::ParamBecameOptional => ("param-became-optional", Info, "An existing top-level parameter is now optional."),
            Rule::ParamTypeChanged => ("param-type-changed", Err, "A top-level parameter's type changed (union alternatives compared as a set)."),
            Rule::NestedParamRemoved => ("nested-param-removed", Err, "A nested parameter field (`fields.TITLE`) is gone."),
            Rule::NewRequiredNestedParam => ("new-required-nested-param", Err, "A new nested parameter field is required."),
            Rule::OptionalNestedParamAdded => ("optional-nested-param-added", Info, "A new optional nested parameter field."),
            Rule::NestedParamBecameRequired => ("nested-param-became-required", Err, "An existing nested parameter field is now required."),
            Rule::NestedParamBecameOptional => ("nested-param-became-optional", Info, "An existing nested parameter field is now optional."),
            Rule::NestedParamTypeChanged => ("nested-param-type-changed", Err, "A nested parameter field's type changed."),
            Rule::ResultFieldRemoved => ("result-field-removed", Err, "A field of the returned data (at any depth) is gone."),
            Rule::ResultFieldAdded => ("result-field-added", Info, "A field of the returned data (at any depth) appeared."),
            Rule::ResultTypeChanged => ("result-type-changed", Err, "A field of the returned data changed type."),
            Rule::ErrorCodeAdded => ("error-code-added", Info, "A method documents an error code it did not before (codes compared as a set)."),
            Rule::ErrorCodeRemoved => ("error-code-removed", Warn, "A method no longer documents an error code."),
            Rule::ErrorStatusChanged => ("error-status-changed", Warn, "The set of HTTP statuses documented for an error code changed."),
            Rule::SystemErrorAdded => ("system-error-added", Info, "The system error catalogue (`errors.yaml`) gained a code."),
            Rule::SystemErrorRemoved => ("system-error-removed", Warn, "The system error catalogue lost a code."),
            Rule::SystemErrorStatusChanged => ("system-error-status-changed", Warn, "A system error's HTTP status changed."),
            Rule::WireChanged => ("wire-changed", Warn, "How a parameter or result value travels changed (`wire`: `\"Y\"`/`\"N\"`, a quoted number, an object for a documented array...; `wire_name`; a pattern member): the Rust type or the bytes sent may change."),
            Rule::OneOfChanged => ("one-of-changed", Err, "The method's alternative parameter sets (`one_of`) changed: its `by_*` constructors change."),
            Rule::EventRemoved => ("event-removed", Err, "An event is no longer documented; handlers matching its typed payload no longer compile."),
            Rule::EventAdded => ("event-added", Info, "An event is documented for the first time."),
            Rule::EventMemberRemoved => ("event-member-removed", Err, "A payload member of an event (`data.FIELDS.ID`, at any depth) is gone."),
            Rule::EventMemberAdded => ("event-member-added", Info, "A payload member of an event appeared."),
            Rule::EventMemberTypeChanged => ("event-member-type-changed", Err, "A payload member of an event changed type, or how it travels (`wire`, pattern)."),
            Rule::DescriptionChanged => ("description-changed", Info, "Only prose changed (title, descriptions, error messages, defaults, deprecation note, examples); one change per method with the count."),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// A rule id that is not in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule id {0:?}")]
pub struct UnknownRule(pub String);

impl FromStr for Rule {
    type Err = UnknownRule;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rule::ALL
            .into_iter()
            .find(|rule| rule.id() == s)
            .ok_or_else(|| UnknownRule(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_kebab_case_and_parse_back() {
        let mut seen = HashSet::new();
        for rule in Rule::ALL {
            let id = rule.id();
            assert!(seen.insert(id), "{id} listed twice");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id} is not kebab-case"
            );
            assert_eq!(id.parse::<Rule>(), Ok(rule));
        }
        assert!("method-vanished".parse::<Rule>().is_err());
    }

    #[test]
    fn required_levels_match_the_issue() {
        assert_eq!(Rule::MethodRemoved.level(), Level::Err);
        assert_eq!(Rule::ParamRemoved.level(), Level::Err);
        assert_eq!(Rule::ErrorCodeRemoved.level(), Level::Warn);
        assert_eq!(Rule::PageMoved.level(), Level::Info);
        assert_eq!(Rule::DescriptionChanged.level(), Level::Info);
    }
}
