//! Method-specific errors, from every error-table shape the docs use.
//!
//! Columns are recognised by their headers (status first, last or absent; code; message;
//! meaning), a code and its message may share a cell, "empty code" has several spellings,
//! REST 3.0 pages name the code in an `Error Code: X` line above a field table, and some pages
//! put HTTP statuses in their Code column — the page's JSON error example tells which.

use b24_spec::ErrorEntry;
use serde_json::Value;

use super::ascii::lower_owned;
use super::outline::{Content, Item, Section};
use crate::diagnostic::{DiagnosticKind, Sink};
use crate::page::{Inline, Row};
use crate::render::{blocks_markdown, collapse_ws_owned, inlines_plain};

/// Spellings of "the code is empty" seen in Code columns.
const EMPTY_CODE: [&str; 9] = [
    "empty value",
    "empty string",
    "empty",
    "—",
    "-",
    "–",
    "",
    "(empty)",
    "\"\"",
];

/// Column roles of an error table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Columns {
    status: Option<usize>,
    code: Option<usize>,
    /// The code cell also holds the message on its second line.
    code_with_message: bool,
    message: Option<usize>,
    description: Option<usize>,
    /// REST 3.0 field column.
    field: Option<usize>,
}

/// What the page's JSON error example says.
#[derive(Debug, Default)]
struct ErrorExample {
    codes: Vec<String>,
}

/// Reads the errors of a method page.
pub fn errors(items: &[Item<'_>], sink: &mut Sink) -> Vec<ErrorEntry> {
    let example = error_example(items);
    let mut out = Vec::new();
    let mut v3_code: Option<String> = None;
    for item in items
        .iter()
        .filter(|i| i.section == Section::Errors && i.include.is_none())
    {
        match &item.content {
            Content::Paragraph { text, .. } => {
                if let Some(code) = v3_error_code(text) {
                    v3_code = Some(code);
                }
            }
            Content::Table { rows, line } => {
                out.extend(table(rows, *line, v3_code.as_deref(), &example, sink));
            }
            _ => {}
        }
    }
    out
}

fn table(
    rows: &[Row],
    line: u32,
    v3_code: Option<&str>,
    example: &ErrorExample,
    sink: &mut Sink,
) -> Vec<ErrorEntry> {
    let Some(header) = rows.first() else {
        return vec![];
    };
    let Some(mut columns) = columns(header) else {
        sink.report(
            line,
            DiagnosticKind::ErrorTable,
            "table in the errors section has no code, status or message column",
        );
        return vec![];
    };
    let data = &rows[1..];
    if columns.status.is_none() && holds_statuses(data, columns.code, example) {
        // The "Code" column is really the HTTP status; the code is in the next column.
        columns.status = columns.code;
        columns.code = columns.code.map(|c| c + 1);
        if columns.message == columns.code {
            columns.message = None;
        }
        if columns.description == columns.code {
            columns.description = columns.code.map(|c| c + 1);
        }
        if let (None, Some(d)) = (columns.message, columns.description) {
            columns.message = Some(d);
            columns.description = None;
        }
    }
    data.iter()
        .filter_map(|row| entry(row, columns, v3_code, example, sink))
        .collect()
}

fn columns(header: &Row) -> Option<Columns> {
    let mut c = Columns::default();
    let names: Vec<String> = header
        .cells
        .iter()
        .map(|cell| lower_owned(cell.plain_text()))
        .collect();
    for (i, name) in names.iter().enumerate() {
        let name = name.as_str();
        if name.contains("status") || name.contains("http") {
            c.status.get_or_insert(i);
        } else if name.contains("code") {
            c.code.get_or_insert(i);
            c.code_with_message = name.contains("message") || name.contains("error text");
        } else if name.starts_with("field") {
            c.field.get_or_insert(i);
        } else if name.contains("message")
            || name.contains("error text")
            || name.contains("error description")
            || name == "error"
            || name == "mistake"
        {
            c.message.get_or_insert(i);
        } else if c.description.is_none() {
            c.description = Some(i);
        } else if c.message.is_none() {
            // "Code | Description | Value": the first text column is the message.
            c.message = c.description;
            c.description = Some(i);
        }
    }
    (c.code.is_some() || c.message.is_some() || c.status.is_some()).then_some(c)
}

fn holds_statuses(rows: &[Row], code: Option<usize>, example: &ErrorExample) -> bool {
    let Some(code) = code else { return false };
    let values: Vec<String> = rows
        .iter()
        .filter_map(|r| r.cells.get(code))
        .map(|c| strip_code(&c.plain_text()))
        .collect();
    let all_statuses = !values.is_empty()
        && values
            .iter()
            .all(|v| v.parse::<u16>().is_ok_and(|s| (400..600).contains(&s)));
    all_statuses && !values.iter().any(|v| example.codes.contains(v))
}

fn entry(
    row: &Row,
    c: Columns,
    v3_code: Option<&str>,
    example: &ErrorExample,
    sink: &mut Sink,
) -> Option<ErrorEntry> {
    let text = |i: Option<usize>| {
        i.and_then(|i| row.cells.get(i))
            .map(|cell| collapse_ws_owned(blocks_markdown(&cell.blocks, true)))
    };
    let status = match c.status.and_then(|i| row.cells.get(i)) {
        Some(cell) => parse_status(&cell.plain_text()),
        None => None,
    };
    // The portal's message is plain text: markdown (code spans, links, emphasis) stays in the
    // description only.
    let plain = |i: Option<usize>| {
        i.and_then(|i| row.cells.get(i))
            .map(|cell| cell.plain_text())
    };
    let (mut code, mut message) = (String::new(), plain(c.message).unwrap_or_default());
    if let Some(cell) = c.code.and_then(|i| row.cells.get(i)) {
        let (raw, cell_message) = split_code_cell(
            cell.first_inlines(),
            &cell.plain_text(),
            c.code_with_message,
        );
        if !cell_message.is_empty() {
            message = cell_message;
        }
        code = code_value(&raw, example, &mut message);
    } else if let Some(v3) = v3_code {
        code = v3.to_owned();
    }
    let mut description = text(c.description).unwrap_or_default();
    if let Some(field) = text(c.field).filter(|f| !matches!(f.trim_matches('`'), "-" | "—" | ""))
    {
        description = format!("Field {field}: {description}");
    }
    if code.is_empty() && message.is_empty() && description.is_empty() {
        sink.report(row.line, DiagnosticKind::ErrorTable, "empty error row");
        return None;
    }
    Some(ErrorEntry {
        status,
        code,
        message: strip_code(&message),
        description,
        code_recovered: false,
        code_lost: false,
    })
}

/// Splits `CODE<br>message` cells; returns (code text, message).
fn split_code_cell(inlines: &[Inline], plain: &str, with_message: bool) -> (String, String) {
    if with_message {
        if let Some(at) = inlines.iter().position(|i| matches!(i, Inline::Break)) {
            return (
                inlines_plain(&inlines[..at]),
                inlines_plain(&inlines[at + 1..]),
            );
        }
    }
    (plain.to_owned(), String::new())
}

/// The wire code from a Code cell; a message in the code column moves to `message`.
fn code_value(raw: &str, example: &ErrorExample, message: &mut String) -> String {
    let value = strip_code(raw);
    // In place of a lower-case copy: the spellings are lower-case ASCII or caseless dashes,
    // and the only non-ASCII characters whose lower case holds an ASCII letter are the Kelvin
    // sign (`k`, in no spelling) and `İ` (`i` plus a combining dot), so this answers alike.
    if EMPTY_CODE
        .iter()
        .any(|empty| value.eq_ignore_ascii_case(empty))
    {
        return String::new();
    }
    let looks_like_code = value
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || "_.-:<>[]".contains(ch));
    if looks_like_code || example.codes.contains(&value) {
        return value;
    }
    if example.codes.iter().any(String::is_empty) {
        // The page's own example returns an empty code with this kind of text as the message.
        if message.is_empty() {
            *message = value;
        } else {
            *message = format!("{value} — {message}");
        }
        return String::new();
    }
    value
}

fn strip_code(text: &str) -> String {
    text.trim().trim_matches('`').trim().to_owned()
}

fn parse_status(text: &str) -> Option<u16> {
    let digits: String = strip_code(text)
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|s| (100..600).contains(s))
}

/// `Error Code: `X``, the REST 3.0 way of naming the code of the table below it.
fn v3_error_code(text: &[Inline]) -> Option<String> {
    let plain = inlines_plain(text);
    if !lower_owned(plain).starts_with("error code") {
        return None;
    }
    text.iter().find_map(|i| match i {
        Inline::Code(code) => Some(code.trim().to_owned()),
        _ => None,
    })
}

fn error_example(items: &[Item<'_>]) -> ErrorExample {
    let mut example = ErrorExample::default();
    for item in items
        .iter()
        .filter(|i| i.section == Section::Errors && i.include.is_none())
    {
        let Content::Code { code, .. } = &item.content else {
            continue;
        };
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(code) else {
            continue;
        };
        match map.get("error") {
            Some(Value::String(code)) => example.codes.push(code.clone()),
            Some(Value::Object(inner)) => {
                if let Some(Value::String(code)) = inner.get("code") {
                    example.codes.push(code.clone());
                }
            }
            _ => {}
        }
    }
    example
}
