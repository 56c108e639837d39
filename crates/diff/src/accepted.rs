//! `spec/accepted-changes.txt`: the changes a reviewer accepted, each with a reason.
//!
//! One entry a line, `<change id>  # <reason>` (see [`crate::ChangeId`] for the id format);
//! lines that start with `#` and blank lines are comments. A missing reason is an error, because
//! the file exists to record why a breaking change was fine.

use std::collections::BTreeMap;

use crate::change::{ChangeId, ChangeIdError};

/// One accepted change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptedEntry {
    /// The change.
    pub id: ChangeId,
    /// Why it is fine.
    pub reason: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// Every entry of an accepted-changes file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Accepted {
    entries: Vec<AcceptedEntry>,
}

/// A line of the accepted-changes file that is not an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcceptedError {
    /// The id does not parse.
    #[error("{origin}:{line}: {source}")]
    Id {
        /// The file.
        origin: String,
        /// 1-based line.
        line: usize,
        /// What is wrong with the id.
        source: ChangeIdError,
    },
    /// No `# reason` after the id.
    #[error("{origin}:{line}: `{id}` has no reason; write `{id}  # why this is fine`")]
    NoReason {
        /// The file.
        origin: String,
        /// 1-based line.
        line: usize,
        /// The entry's id.
        id: String,
    },
    /// The same id twice.
    #[error("{origin}:{line}: `{id}` is already listed on line {first}")]
    Duplicate {
        /// The file.
        origin: String,
        /// 1-based line of the repeat.
        line: usize,
        /// 1-based line of the first entry.
        first: usize,
        /// The entry's id.
        id: String,
    },
}

impl Accepted {
    /// Parses the file's text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, AcceptedError> {
        let mut entries: Vec<AcceptedEntry> = Vec::new();
        let mut first_line: BTreeMap<ChangeId, usize> = BTreeMap::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let Some(entry) = parse_line(raw, origin, line)? else {
                continue;
            };
            if let Some(first) = first_line.insert(entry.id.clone(), line) {
                return Err(AcceptedError::Duplicate {
                    origin: origin.to_owned(),
                    line,
                    first,
                    id: entry.id.to_string(),
                });
            }
            entries.push(entry);
        }
        Ok(Accepted { entries })
    }

    /// The entries in file order.
    pub fn entries(&self) -> &[AcceptedEntry] {
        &self.entries
    }

    /// The entry for `id`, if the change is accepted.
    pub fn get(&self, id: &ChangeId) -> Option<&AcceptedEntry> {
        self.entries.iter().find(|entry| &entry.id == id)
    }
}

fn parse_line(
    raw: &str,
    origin: &str,
    line: usize,
) -> Result<Option<AcceptedEntry>, AcceptedError> {
    let text = raw.trim();
    if text.is_empty() || text.starts_with('#') {
        return Ok(None);
    }
    // ` #` rather than `#`: a reason may contain `#`, and an id never has ` #`.
    let (id_text, reason) = match text.split_once(" #") {
        Some((id, reason)) => (id.trim(), reason.trim()),
        None => (text, ""),
    };
    let id: ChangeId = id_text.parse().map_err(|source| AcceptedError::Id {
        origin: origin.to_owned(),
        line,
        source,
    })?;
    if reason.is_empty() {
        return Err(AcceptedError::NoReason {
            origin: origin.to_owned(),
            line,
            id: id.to_string(),
        });
    }
    Ok(Some(AcceptedEntry {
        id,
        reason: reason.to_owned(),
        line,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_and_skips_comments() {
        let text = "# header\n\nparam-became-required crm.deal.add(v2) fields.TITLE  # docs now require it\nerror-code-removed a.b(v3) Access denied # see #12\n";
        let accepted = Accepted::parse(text, "accepted.txt").unwrap();
        let entries = accepted.entries();
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].id.to_string(),
            "param-became-required crm.deal.add(v2) fields.TITLE"
        );
        assert_eq!(entries[0].reason, "docs now require it");
        assert_eq!(entries[1].line, 4);
        assert_eq!(entries[1].id.subject.as_deref(), Some("Access denied"));
        assert_eq!(entries[1].reason, "see #12");
    }

    #[test]
    fn an_entry_without_reason_names_file_and_line() {
        let err =
            Accepted::parse("\nmethod-removed a.b(v2)\n", "spec/accepted-changes.txt").unwrap_err();
        assert_eq!(
            err.to_string(),
            "spec/accepted-changes.txt:2: `method-removed a.b(v2)` has no reason; write `method-removed a.b(v2)  # why this is fine`"
        );
    }

    #[test]
    fn unknown_rules_and_duplicates_are_errors() {
        let err = Accepted::parse("method-gone a.b(v2) # x\n", "f").unwrap_err();
        assert!(err.to_string().starts_with("f:1: unknown rule id"), "{err}");
        let err = Accepted::parse(
            "method-removed a.b(v2) # x\nmethod-removed a.b(v2) # y\n",
            "f",
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                AcceptedError::Duplicate {
                    line: 2,
                    first: 1,
                    ..
                }
            ),
            "{err}"
        );
    }
}
