//! The result of a diff: both snapshots and every change in report order, with counts and a
//! one-line summary.

pub mod json;
pub mod markdown;

use std::collections::BTreeMap;

use b24_spec::Snapshot;

use crate::change::{Change, Level};
use crate::rules::Rule;

/// Every change between two specs, sorted for reading: level (ERR first), then API group,
/// method, rule and subject.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Where the old spec came from.
    pub old: Snapshot,
    /// Where the new spec came from.
    pub new: Snapshot,
    /// The changes, in report order.
    pub changes: Vec<Change>,
}

impl Report {
    /// Builds a report, putting `changes` into report order.
    pub fn new(old: Snapshot, new: Snapshot, mut changes: Vec<Change>) -> Self {
        changes.sort_by(report_order);
        Report { old, new, changes }
    }

    /// How many changes each level has (every level present, possibly 0).
    pub fn counts(&self) -> BTreeMap<Level, usize> {
        let mut counts: BTreeMap<Level, usize> = Level::ALL.iter().map(|l| (*l, 0)).collect();
        for change in &self.changes {
            *counts.entry(change.level()).or_default() += 1;
        }
        counts
    }

    /// How many changes `rule` produced.
    pub fn count_of(&self, rule: Rule) -> usize {
        self.changes.iter().filter(|c| c.rule() == rule).count()
    }

    /// The changes at `level`.
    pub fn at_level(&self, level: Level) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.level() == level)
    }

    /// One line for a terminal, e.g. what `cargo xtask codegen` prints after regenerating:
    /// `spec changes: 3 ERR, 1 WARN, 52 INFO (methods: 12 added, 2 removed, 4 moved; 40 with text-only changes)`.
    pub fn summary_line(&self) -> String {
        if self.changes.is_empty() {
            return "spec changes: none".to_owned();
        }
        let counts = self.counts();
        let levels: Vec<String> = counts
            .iter()
            .map(|(level, n)| format!("{n} {level}"))
            .collect();
        format!(
            "spec changes: {} (methods: {} added, {} removed, {} moved; {} with text-only changes)",
            levels.join(", "),
            self.count_of(Rule::MethodAdded),
            self.count_of(Rule::MethodRemoved),
            self.count_of(Rule::PageMoved),
            self.count_of(Rule::DescriptionChanged),
        )
    }
}

/// Level (ERR first), then group, method, rule and subject.
fn report_order(a: &Change, b: &Change) -> std::cmp::Ordering {
    sort_key(a).cmp(&sort_key(b))
}

fn sort_key(change: &Change) -> (Level, Option<&str>, &crate::Target, Rule, Option<&str>) {
    (
        change.level(),
        change.group.as_deref(),
        &change.id.target,
        change.id.rule,
        change.id.subject.as_deref(),
    )
}

#[cfg(test)]
mod tests {
    use crate::diff;
    use crate::fixture::{method, param, required, spec};

    #[test]
    fn changes_come_breaking_first_and_the_summary_counts_them() {
        let old = spec(vec![
            method("crm.deal.add")
                .params(vec![param("id", "integer")])
                .build(),
            method("tasks.task.get").build(),
        ]);
        let new = spec(vec![
            method("crm.deal.add")
                .params(vec![required("id", "integer")])
                .build(),
            method("tasks.task.get").description("Reworded.").build(),
            method("user.get").build(),
        ]);
        let report = diff(&old, &new);
        let ids: Vec<String> = report.changes.iter().map(|c| c.id.to_string()).collect();
        assert_eq!(
            ids,
            [
                "param-became-required crm.deal.add(v2) id",
                "description-changed tasks.task.get(v2)",
                "method-added user.get(v2)",
            ]
        );
        assert_eq!(
            report.summary_line(),
            "spec changes: 1 ERR, 0 WARN, 2 INFO (methods: 1 added, 0 removed, 0 moved; 1 with text-only changes)"
        );
    }

    #[test]
    fn no_changes_says_none() {
        let same = spec(vec![method("crm.deal.add").build()]);
        assert_eq!(diff(&same, &same).summary_line(), "spec changes: none");
    }
}
