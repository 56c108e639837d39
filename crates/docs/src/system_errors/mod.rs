//! The system error catalogue: codes any method can return. Read from the shared
//! `_includes/system-errors.md` table and from every page that documents codes for all calls
//! ([`GENERAL_PAGES`]), each page by the same three mechanisms: tables of codes
//! ([`code_table`]), error bodies in examples ([`example`]) and sentences that name a code with
//! its status ([`prose`]). The pages are listed here; their codes never are.

mod code_table;
mod example;
mod prose;

use std::collections::{BTreeMap, HashSet};

use b24_spec::SystemError;

use crate::diagnostic::{DiagnosticKind, Sink};
use crate::page::{Block, Page};

/// The page documenting limits.
pub const LIMITS_PAGE: &str = "limits.md";

/// Pages that document codes any call can meet, besides the system errors include. Found by
/// searching the docs for error tables and bodies outside method pages: the limits page, the
/// OAuth server's codes (token exchange and renewal), method confirmation, REST 3.0's common
/// errors, and the custom authorization provider (the validator every call passes through).
pub const GENERAL_PAGES: &[&str] = &[
    LIMITS_PAGE,
    "settings/oauth/error-codes.md",
    "api-reference/scopes/confirmation.md",
    "api-reference/rest-v3.md",
    "settings/cloud-and-on-premise/on-premise/custom-auth-provider.md",
];

/// Reads the catalogue from the parsed include fragment and the limits page (the two the HTML
/// and text frontends have).
pub fn catalogue(fragment: &Page, limits: Option<&Page>, sink: &mut Sink) -> Vec<SystemError> {
    let errors = page_errors(fragment, sink);
    if errors.is_empty() {
        sink.report(
            0,
            DiagnosticKind::ErrorTable,
            "the system errors table has no codes",
        );
    }
    match limits {
        Some(limits) => with_general_pages(errors, std::slice::from_ref(limits), sink),
        None => merge(errors),
    }
}

/// The include's catalogue followed by every general page's codes, one entry per documented
/// (status, code) pair.
pub fn with_general_pages(
    mut errors: Vec<SystemError>,
    pages: &[Page],
    sink: &mut Sink,
) -> Vec<SystemError> {
    for page in pages {
        let mut page_sink = Sink::new(page.path.clone());
        errors.extend(page_errors(page, &mut page_sink));
        sink.items.extend(page_sink.items);
    }
    merge(errors)
}

/// Every code one page documents: table rows first (statuses missing from the table come from
/// the page's sentences or examples), then codes only the examples or sentences give.
pub fn page_errors(page: &Page, sink: &mut Sink) -> Vec<SystemError> {
    let rows = code_table::read(&page.blocks, sink);
    let bodies = example::read(&page.blocks);
    let mentions = prose::read(&page.blocks);
    let mut errors = Vec::new();
    for row in &rows {
        let statuses = row_statuses(row, &bodies, &mentions);
        let message = row
            .message
            .clone()
            .or_else(|| {
                bodies
                    .iter()
                    .find(|b| b.code == row.code)
                    .map(|b| b.message.clone())
            })
            .unwrap_or_else(|| row.reason.clone());
        for status in statuses {
            errors.push(SystemError {
                status,
                code: row.code.clone(),
                message: message.clone(),
                description: row.reason.clone(),
                remedy: row.remedy.clone(),
                source: page.path.clone(),
            });
        }
    }
    let tabled: HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    for body in bodies.iter().filter(|b| !tabled.contains(b.code.as_str())) {
        errors.push(SystemError {
            status: body.status,
            code: body.code.clone(),
            message: body.message.clone(),
            description: body.context.clone(),
            source: page.path.clone(),
            ..SystemError::default()
        });
    }
    let exampled: HashSet<&str> = bodies.iter().map(|b| b.code.as_str()).collect();
    for mention in &mentions {
        if !tabled.contains(mention.code.as_str()) && !exampled.contains(mention.code.as_str()) {
            errors.push(SystemError {
                status: Some(mention.status),
                code: mention.code.clone(),
                description: mention.sentence.clone(),
                source: page.path.clone(),
                ..SystemError::default()
            });
        }
    }
    errors
}

/// A row's status when its table has one; else each status the page's sentences or examples
/// give the code; else none (the page does not say).
fn row_statuses(
    row: &code_table::CodeRow,
    bodies: &[example::ErrorBody],
    mentions: &[prose::Mention],
) -> Vec<Option<u16>> {
    if row.status.is_some() {
        return vec![row.status];
    }
    let mut statuses: Vec<Option<u16>> = mentions
        .iter()
        .filter(|m| m.code == row.code)
        .map(|m| Some(m.status))
        .chain(
            bodies
                .iter()
                .filter(|b| b.code == row.code)
                .map(|b| b.status),
        )
        .filter(Option::is_some)
        .collect();
    statuses.dedup();
    if statuses.is_empty() {
        statuses.push(None);
    }
    statuses
}

/// Keeps the first entry of each (status, code) pair, and drops a status-less entry when the
/// same code is documented with a status elsewhere (it adds nothing).
fn merge(errors: Vec<SystemError>) -> Vec<SystemError> {
    let mut seen = HashSet::new();
    let mut with_status: BTreeMap<String, bool> = BTreeMap::new();
    for error in &errors {
        *with_status.entry(error.code.clone()).or_default() |= error.status.is_some();
    }
    errors
        .into_iter()
        .filter(|e| e.status.is_some() || !with_status[&e.code])
        .filter(|e| seen.insert((e.status, e.code.clone())))
        .collect()
}

/// Whether a token reads as an error code: letters and digits in `_`-joined words
/// (`QUERY_LIMIT_EXCEEDED`, `expired_token`), or one capitalised word of three letters or more
/// (`BROKEN`); a lower-case single word (`error`, `auth`) is a field, not a code.
pub(crate) fn is_code(token: &str) -> bool {
    let words_ok = token.starts_with(|c: char| c.is_ascii_alphabetic())
        && token
            .split('_')
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric()));
    words_ok
        && (token.contains('_')
            || (token.len() >= 3
                && token
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())))
}

/// Every table on a page, however deep in containers and includes.
pub(crate) fn tables(blocks: &[Block]) -> Vec<(&[crate::page::Row], u32)> {
    blocks
        .iter()
        .flat_map(|b| match b {
            Block::Table { rows, line } => vec![(rows.as_slice(), *line)],
            Block::List { items, .. } => items.iter().flat_map(|i| tables(i)).collect(),
            other => tables(other.children()),
        })
        .collect()
}
