//! The CI gate: every change at or above a level must be accepted, with a reason, in the
//! accepted-changes file. Entries that match no change are stale and reported, so the file does
//! not silently accumulate.

use crate::accepted::{Accepted, AcceptedEntry};
use crate::change::{Change, Level};
use crate::report::Report;

/// What the gate found.
#[derive(Debug)]
pub struct GateOutcome<'a> {
    /// Changes at or above the threshold that nobody accepted.
    pub unaccepted: Vec<&'a Change>,
    /// Accepted entries that match no change in the report.
    pub stale: Vec<&'a AcceptedEntry>,
}

impl GateOutcome<'_> {
    /// True when every change at or above the threshold is accepted.
    pub fn passed(&self) -> bool {
        self.unaccepted.is_empty()
    }
}

/// Checks `report` against `accepted` for changes at `threshold` or more severe.
pub fn check<'a>(report: &'a Report, accepted: &'a Accepted, threshold: Level) -> GateOutcome<'a> {
    let unaccepted = report
        .changes
        .iter()
        .filter(|change| change.level().reaches(threshold))
        .filter(|change| accepted.get(&change.id).is_none())
        .collect();
    let stale = accepted
        .entries()
        .iter()
        .filter(|entry| !report.changes.iter().any(|change| change.id == entry.id))
        .collect();
    GateOutcome { unaccepted, stale }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff;
    use crate::fixture::{method, param, required, spec};

    fn report() -> Report {
        let old = spec(vec![
            method("crm.deal.add")
                .params(vec![param("id", "integer")])
                .build(),
            method("crm.deal.get").build(),
        ]);
        let new = spec(vec![
            method("crm.deal.add")
                .params(vec![required("id", "integer")])
                .build(),
            method("crm.deal.get").scope(&["crm", "user"]).build(),
        ]);
        diff(&old, &new)
    }

    #[test]
    fn unaccepted_breaking_change_fails_and_accepting_it_passes() {
        let report = report();
        let none = Accepted::default();
        let outcome = check(&report, &none, Level::Err);
        assert!(!outcome.passed());
        assert_eq!(
            outcome.unaccepted[0].id.to_string(),
            "param-became-required crm.deal.add(v2) id"
        );
        let accepted = Accepted::parse(
            "param-became-required crm.deal.add(v2) id # upstream made it required\n",
            "f",
        )
        .unwrap();
        assert!(check(&report, &accepted, Level::Err).passed());
        assert!(!check(&report, &accepted, Level::Warn).passed());
    }

    #[test]
    fn entries_matching_nothing_are_stale() {
        let report = report();
        let accepted = Accepted::parse("method-removed old.method(v2) # gone\n", "f").unwrap();
        let outcome = check(&report, &accepted, Level::Err);
        assert_eq!(outcome.stale.len(), 1);
        assert_eq!(outcome.stale[0].line, 1);
    }
}
