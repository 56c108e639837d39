//! Tables of error codes, read by their header: a code column (`Code`, `Error`), optionally a
//! status column, a message column (or a code cell whose second line is the message, as in the
//! system errors include), a reason column (`Description`, `Reason`) and a `What to do` column.
//! A code cell may name several codes (`` `a` or `b` ``): each becomes a row.

use crate::diagnostic::{DiagnosticKind, Sink};
use crate::page::{Block, Cell, Inline, Row};
use crate::render::{blocks_markdown, collapse_ws, inlines_plain};

/// One code of one table row.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct CodeRow {
    pub code: String,
    pub status: Option<u16>,
    /// The wire message, when the table shows it.
    pub message: Option<String>,
    /// What the error means (markdown).
    pub reason: String,
    /// What to do about it (markdown).
    pub remedy: String,
}

/// Which column holds what, from the header row.
#[derive(Debug, Default)]
struct Columns {
    code: usize,
    status: Option<usize>,
    message: Option<usize>,
    /// The code cell's second line is the message.
    message_in_code: bool,
    reason: Option<usize>,
    remedy: Option<usize>,
}

/// Every row of every code table in `blocks`.
pub(super) fn read(blocks: &[Block], sink: &mut Sink) -> Vec<CodeRow> {
    let mut out = Vec::new();
    for (rows, _) in super::tables(blocks) {
        let Some((header, body)) = rows.split_first() else {
            continue;
        };
        let Some(columns) = columns(header) else {
            continue;
        };
        let read: Vec<(u32, Vec<CodeRow>)> = body
            .iter()
            .map(|row| (row.line, read_row(row, &columns)))
            .collect();
        // A table none of whose rows names a code is not a table of codes at all.
        if read.iter().all(|(_, codes)| codes.is_empty()) {
            continue;
        }
        for (line, codes) in read {
            if codes.is_empty() {
                sink.report(
                    line,
                    DiagnosticKind::ErrorTable,
                    "cannot read an error code row",
                );
            }
            out.extend(codes);
        }
    }
    out
}

fn columns(header: &Row) -> Option<Columns> {
    let names: Vec<String> = header
        .cells
        .iter()
        .map(|c| c.plain_text().to_lowercase())
        .collect();
    let find = |pred: &dyn Fn(&str) -> bool| names.iter().position(|n| pred(n));
    let code = find(&|n| n.starts_with("code") || n == "error")?;
    Some(Columns {
        code,
        status: find(&|n| n.contains("status")),
        message: find(&|n| n.starts_with("message") || n.starts_with("error message")),
        message_in_code: names[code].contains("message"),
        reason: find(&|n| n.starts_with("description") || n.starts_with("reason")),
        remedy: find(&|n| n.starts_with("what to do")),
    })
}

fn read_row(row: &Row, columns: &Columns) -> Vec<CodeRow> {
    let cell = |i: Option<usize>| i.and_then(|i| row.cells.get(i));
    let Some(code_cell) = row.cells.get(columns.code) else {
        return Vec::new();
    };
    let (codes, second_line) = codes(code_cell);
    let status = match cell(columns.status) {
        Some(c) => match c.plain_text().trim_matches('`').trim().parse::<u16>() {
            Ok(status) => Some(status),
            Err(_) => return Vec::new(),
        },
        None => None,
    };
    let message = match cell(columns.message) {
        Some(c) => Some(c.plain_text()),
        None if columns.message_in_code => second_line,
        None => None,
    };
    let markdown = |c: Option<&Cell>| {
        c.map_or_else(String::new, |c| {
            collapse_ws(&blocks_markdown(&c.blocks, true))
        })
    };
    let reason = markdown(cell(columns.reason));
    let remedy = markdown(cell(columns.remedy));
    codes
        .into_iter()
        .map(|code| CodeRow {
            code,
            status,
            message: message.clone(),
            reason: reason.clone(),
            remedy: remedy.clone(),
        })
        .collect()
}

/// The codes a cell names (its code spans that read as codes, else its plain first line), and
/// the text after a line break, if any.
fn codes(cell: &Cell) -> (Vec<String>, Option<String>) {
    let inlines = cell.first_inlines();
    let at = inlines.iter().position(|i| matches!(i, Inline::Break));
    let (first, rest) = match at {
        Some(at) => (&inlines[..at], Some(inlines_plain(&inlines[at + 1..]))),
        None => (inlines, None),
    };
    let mut codes: Vec<String> = first
        .iter()
        .filter_map(|i| match i {
            Inline::Code(t) if super::is_code(t.trim()) => Some(t.trim().to_owned()),
            _ => None,
        })
        .collect();
    if codes.is_empty() {
        let plain = inlines_plain(first);
        let plain = plain.trim_matches('`').trim();
        if super::is_code(plain) {
            codes.push(plain.to_owned());
        }
    }
    (codes, rest.filter(|m| !m.is_empty()))
}
