//! The report for people: a summary table, then the changes by level (breaking first), each
//! level grouped by API group and method, one line per change naming its rule. Prose-only
//! changes come last, folded, one line per method.

use b24_spec::Snapshot;

use super::Report;
use crate::accepted::Accepted;
use crate::change::{Change, Level, Target};
use crate::rules::Rule;

/// Renders `report`; changes listed in `accepted` carry their reason.
pub fn render(report: &Report, accepted: &Accepted) -> String {
    let mut out = summary(report);
    if report.changes.is_empty() {
        out.push_str("\nNo changes.\n");
    }
    for level in Level::ALL {
        let changes: Vec<&Change> = report
            .at_level(level)
            .filter(|c| c.rule() != Rule::DescriptionChanged)
            .collect();
        if !changes.is_empty() {
            out.push_str(&format!("\n## {}\n", level_heading(level)));
            out.push_str(&grouped(&changes, accepted, change_line));
        }
    }
    out.push_str(&text_only(report, accepted));
    out
}

/// The header and counts table alone: what a PR comment or `cargo xtask codegen` shows first.
pub fn summary(report: &Report) -> String {
    let mut out = format!(
        "# Spec diff\n\nFrom {} to {}.\n\n| Level | Meaning | Changes |\n|---|---|---:|\n",
        snapshot_label(&report.old),
        snapshot_label(&report.new)
    );
    for (level, count) in report.counts() {
        out.push_str(&format!(
            "| {} | {} | {count} |\n",
            marker(level),
            meaning(level)
        ));
    }
    out.push_str(&format!(
        "\nMethods: {} added, {} removed, {} moved; {} with text-only changes.\n",
        report.count_of(Rule::MethodAdded),
        report.count_of(Rule::MethodRemoved),
        report.count_of(Rule::PageMoved),
        report.count_of(Rule::DescriptionChanged),
    ));
    out
}

fn snapshot_label(snapshot: &Snapshot) -> String {
    let commit: String = snapshot.commit.chars().take(12).collect();
    let mut label = format!("`{}@{commit}`", snapshot.repo);
    if let Some(date) = &snapshot.date {
        label.push_str(&format!(" ({date})"));
    }
    label
}

fn marker(level: Level) -> &'static str {
    match level {
        Level::Err => "🛑 **ERR**",
        Level::Warn => "⚠️ **WARN**",
        Level::Info => "ℹ️ INFO",
    }
}

fn meaning(level: Level) -> &'static str {
    match level {
        Level::Err => "breaks Rust callers",
        Level::Warn => "may break callers at run time; review",
        Level::Info => "compatible",
    }
}

fn level_heading(level: Level) -> &'static str {
    match level {
        Level::Err => "🛑 Breaking changes (ERR)",
        Level::Warn => "⚠️ Changes to review (WARN)",
        Level::Info => "ℹ️ Compatible changes (INFO)",
    }
}

/// Renders `changes` (already in report order) under group and method headings.
fn grouped(
    changes: &[&Change],
    accepted: &Accepted,
    line: fn(&Change, &Accepted) -> String,
) -> String {
    let mut out = String::new();
    let mut group: Option<Option<&str>> = None;
    let mut target: Option<&Target> = None;
    for change in changes {
        if group != Some(change.group.as_deref()) {
            group = Some(change.group.as_deref());
            target = None;
            let name = change.group.as_deref().unwrap_or("system errors");
            out.push_str(&format!("\n### {name}\n"));
        }
        if target != Some(&change.id.target) {
            target = Some(&change.id.target);
            out.push_str(&format!("\n#### {}\n\n", target_heading(&change.id.target)));
        }
        out.push_str(&line(change, accepted));
    }
    out
}

fn target_heading(target: &Target) -> String {
    match target {
        Target::Method { name, api } => format!("`{name}` ({api})"),
        Target::SystemErrors => "`errors.yaml`".to_owned(),
        Target::Event { name } => format!("event `{name}`"),
    }
}

fn change_line(change: &Change, accepted: &Accepted) -> String {
    format!(
        "- {} `{}`: {}{}\n",
        marker(change.level()),
        change.rule(),
        change.message,
        acceptance(change, accepted)
    )
}

fn acceptance(change: &Change, accepted: &Accepted) -> String {
    match accepted.get(&change.id) {
        Some(entry) => format!(" — accepted: {}", entry.reason),
        None => String::new(),
    }
}

fn text_only(report: &Report, accepted: &Accepted) -> String {
    let changes: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.rule() == Rule::DescriptionChanged)
        .collect();
    if changes.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n## Text-only changes (`{}`, INFO)\n\n<details><summary>{} method{}</summary>\n",
        Rule::DescriptionChanged,
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    let mut group: Option<Option<&str>> = None;
    for change in changes {
        if group != Some(change.group.as_deref()) {
            group = Some(change.group.as_deref());
            let name = change.group.as_deref().unwrap_or("system errors");
            out.push_str(&format!("\n### {name}\n\n"));
        }
        out.push_str(&format!(
            "- {}: {}{}\n",
            target_heading(&change.id.target),
            change.message,
            acceptance(change, accepted)
        ));
    }
    out.push_str("\n</details>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff;
    use crate::fixture::{error, method, param, required, spec};

    #[test]
    fn report_reads_breaking_first_grouped_by_group_and_method() {
        let old = spec(vec![
            method("crm.deal.add")
                .params(vec![param("id", "integer")])
                .build(),
            method("crm.deal.get").build(),
            method("tasks.task.get").build(),
        ]);
        let new = spec(vec![
            method("crm.deal.add")
                .params(vec![required("id", "integer")])
                .errors(vec![error(Some(403), "ACCESS_DENIED", "No access")])
                .build(),
            method("crm.deal.get").access("administrator").build(),
            method("tasks.task.get").description("Reworded.").build(),
            method("tasks.task.add").v3().build(),
        ]);
        let report = diff(&old, &new);
        let accepted = Accepted::parse(
            "param-became-required crm.deal.add(v2) id  # upstream requires it now\n",
            "f",
        )
        .unwrap();
        insta::assert_snapshot!(render(&report, &accepted));
    }
}
