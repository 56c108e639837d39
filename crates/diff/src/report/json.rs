//! The report for tools: one JSON document with both snapshots, the counts and every change with
//! its stable id, rule, level, location and, when accepted, the reason.

use b24_spec::{ApiVersion, Snapshot};
use serde::Serialize;

use super::Report;
use crate::accepted::Accepted;
use crate::change::{Change, Level, Target};
use crate::rules::Rule;

#[derive(Serialize)]
struct Document<'a> {
    old: &'a Snapshot,
    new: &'a Snapshot,
    counts: Counts,
    changes: Vec<Entry<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "UPPERCASE")]
struct Counts {
    err: usize,
    warn: usize,
    info: usize,
}

#[derive(Serialize)]
struct Entry<'a> {
    id: String,
    rule: Rule,
    level: Level,
    group: Option<&'a str>,
    method: Option<&'a str>,
    api: Option<ApiVersion>,
    subject: Option<&'a str>,
    message: &'a str,
    accepted: Option<&'a str>,
}

/// Renders `report` as pretty-printed JSON.
pub fn render(report: &Report, accepted: &Accepted) -> Result<String, serde_json::Error> {
    let counts = report.counts();
    let document = Document {
        old: &report.old,
        new: &report.new,
        counts: Counts {
            err: counts[&Level::Err],
            warn: counts[&Level::Warn],
            info: counts[&Level::Info],
        },
        changes: report.changes.iter().map(|c| entry(c, accepted)).collect(),
    };
    serde_json::to_string_pretty(&document)
}

fn entry<'a>(change: &'a Change, accepted: &'a Accepted) -> Entry<'a> {
    let (method, api) = match &change.id.target {
        Target::Method { name, api } => (Some(name.as_str()), Some(*api)),
        Target::SystemErrors | Target::Event { .. } => (None, None),
    };
    Entry {
        id: change.id.to_string(),
        rule: change.rule(),
        level: change.level(),
        group: change.group.as_deref(),
        method,
        api,
        subject: change.id.subject.as_deref(),
        message: &change.message,
        accepted: accepted.get(&change.id).map(|e| e.reason.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff;
    use crate::fixture::{method, param, required, spec};

    #[test]
    fn json_carries_ids_levels_and_acceptance() {
        let old = spec(vec![method("crm.deal.add")
            .params(vec![param("id", "integer")])
            .build()]);
        let new = spec(vec![method("crm.deal.add")
            .params(vec![required("id", "integer")])
            .build()]);
        let accepted =
            Accepted::parse("param-became-required crm.deal.add(v2) id # fine\n", "f").unwrap();
        let text = render(&diff(&old, &new), &accepted).unwrap();
        insta::assert_snapshot!(text);
    }
}
