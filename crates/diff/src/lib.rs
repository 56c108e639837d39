//! Spec drift: compares two Bitrix24 REST API specs and classifies every change a user of the
//! generated SDK would notice.
//!
//! [`diff`] matches the specs by stable identity (method + API version → parameter path, result
//! path, error code) and runs the rule catalogue ([`Rule`]) over them. The [`Report`] renders as
//! markdown for reviewers or JSON for tools, and [`gate::check`] holds it against the reviewers'
//! accepted-changes file ([`Accepted`]).

pub mod accepted;
pub mod catalog_doc;
mod change;
mod compare;
#[cfg(test)]
mod fixture;
pub mod gate;
pub mod report;
mod rules;

use b24_spec::Spec;

pub use accepted::{Accepted, AcceptedEntry, AcceptedError};
pub use change::{Change, ChangeId, ChangeIdError, Level, Target};
pub use report::Report;
pub use rules::{Rule, UnknownRule};

/// Every change from `old` to `new`, in report order.
pub fn diff(old: &Spec, new: &Spec) -> Report {
    let changes = compare::compare(old, new);
    Report::new(old.snapshot.clone(), new.snapshot.clone(), changes)
}

/// The one-line summary `cargo xtask codegen` prints after regenerating; see
/// [`Report::summary_line`].
pub fn summary_line(report: &Report) -> String {
    report.summary_line()
}
