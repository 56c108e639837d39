//! Findings the extractor already made while reading the pages: links to anchors that do not
//! exist, and YFM constructs the pre-pass found unclosed.

use super::{Finding, LintKind};
use crate::diagnostic::{Diagnostic, DiagnosticKind};

/// The extractor's diagnostics that are defects in the docs themselves.
pub(super) fn findings(diagnostics: &[Diagnostic]) -> Vec<Finding> {
    diagnostics
        .iter()
        .filter_map(|d| {
            let kind = match d.kind {
                DiagnosticKind::BrokenAnchor => LintKind::BrokenAnchor,
                DiagnosticKind::Syntax if is_unclosed(&d.message) => LintKind::UnclosedConstruct,
                _ => return None,
            };
            Some(Finding {
                file: d.file.clone(),
                line: d.line,
                kind,
                message: d.message.clone(),
            })
        })
        .collect()
}

fn is_unclosed(message: &str) -> bool {
    let lower = message.to_lowercase();
    lower.contains("unclosed") || lower.contains("not closed") || lower.contains("never closed")
}
