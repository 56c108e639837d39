//! The system error catalogue: the shared `_includes/system-errors.md` table, plus what that
//! table lacks but the limits page documents (HTTP 429 `OPERATION_TIME_LIMIT`).

use b24_spec::SystemError;

use crate::diagnostic::{DiagnosticKind, Sink};
use crate::extract::SYSTEM_ERRORS_INCLUDE;
use crate::page::{Block, Page};
use crate::render::{blocks_markdown, collapse_ws};

/// The page documenting limits.
pub const LIMITS_PAGE: &str = "limits.md";

/// Reads the catalogue from the parsed fragment and the limits page.
pub fn catalogue(fragment: &Page, limits: Option<&Page>, sink: &mut Sink) -> Vec<SystemError> {
    let mut errors = Vec::new();
    for rows in tables(&fragment.blocks) {
        for row in rows.iter().skip(1) {
            match row_error(row) {
                Some(error) => errors.push(error),
                None => sink.report(
                    row.line,
                    DiagnosticKind::ErrorTable,
                    "cannot read a system error row",
                ),
            }
        }
    }
    if !errors.iter().any(|e| e.code == "OPERATION_TIME_LIMIT") {
        if let Some(limits) = limits {
            errors.extend(operation_time_limit(limits));
        }
    }
    errors
}

fn tables(blocks: &[Block]) -> Vec<&[crate::page::Row]> {
    blocks
        .iter()
        .flat_map(|b| match b {
            Block::Table { rows, .. } => vec![rows.as_slice()],
            other => tables(other.children()),
        })
        .collect()
}

/// `| status | CODE<br>message | description |`.
fn row_error(row: &crate::page::Row) -> Option<SystemError> {
    let [status, code, description] = row.cells.as_slice() else {
        return None;
    };
    let status: u16 = status.plain_text().trim_matches('`').trim().parse().ok()?;
    let inlines = code.first_inlines();
    let at = inlines
        .iter()
        .position(|i| matches!(i, crate::page::Inline::Break))?;
    let code_text = crate::render::inlines_plain(&inlines[..at])
        .trim_matches('`')
        .to_owned();
    let message = crate::render::inlines_plain(&inlines[at + 1..]);
    Some(SystemError {
        status,
        code: code_text,
        message,
        description: collapse_ws(&blocks_markdown(&description.blocks, true)),
        source: SYSTEM_ERRORS_INCLUDE.to_owned(),
    })
}

/// The `OPERATION_TIME_LIMIT` entry: its row in the limits page's table of limit errors gives
/// the message and what to do; the paragraph that names the code gives the HTTP status.
fn operation_time_limit(limits: &Page) -> Option<SystemError> {
    const CODE: &str = "OPERATION_TIME_LIMIT";
    let row = tables(&limits.blocks)
        .into_iter()
        .flat_map(|rows| rows.iter())
        .find(|row| row.cells.len() >= 3 && row.cells[0].plain_text().trim_matches('`') == CODE)?;
    let mut status = None;
    find_paragraphs(&limits.blocks, &mut |text| {
        if status.is_none() && text.contains(CODE) {
            status = text
                .split('`')
                .filter_map(|t| t.parse::<u16>().ok())
                .find(|s| (400..600).contains(s));
        }
    });
    Some(SystemError {
        status: status?,
        code: CODE.into(),
        message: row.cells[1].plain_text(),
        description: collapse_ws(&blocks_markdown(&row.cells[2].blocks, true)),
        source: LIMITS_PAGE.into(),
    })
}

fn find_paragraphs(blocks: &[Block], f: &mut impl FnMut(&str)) {
    for block in blocks {
        match block {
            Block::Paragraph { .. } => f(&blocks_markdown(std::slice::from_ref(block), true)),
            other => find_paragraphs(other.children(), f),
        }
    }
}
