//! Recognising the shared `{% include %}` fragments the website inlines without a wrapper.
//!
//! Extraction treats included content differently from the page's own (the system errors
//! table is not a method error; the "returned error information" table is not an error table),
//! so the fragments are found by their shape and wrapped back into [`Block::Include`]s with the
//! target the markdown names:
//! - system errors: the table listing `INTERNAL_SERVER_ERROR` and `QUERY_LIMIT_EXCEEDED`, with
//!   the paragraphs and the `statuses-and-system-error-codes` heading right before it;
//! - error information: a fields table of exactly `error` and `error_description` (v2) or of
//!   `error.*` fields (REST 3.0), with its `returned-error-information` heading if shown;
//! - `.b24-info` paragraphs: the "required parameters" and "how to use examples" notes.

use super::blocks::include;
use crate::extract::SYSTEM_ERRORS_INCLUDE;
use crate::page::{Block, Inline, Row};
use crate::render::inlines_plain;

/// The error-information fragment of REST 2 pages.
pub const ERROR_INFO_INCLUDE: &str = "_includes/error-info.md";
/// The error-information fragment of REST 3.0 pages.
pub const ERROR_INFO_V3_INCLUDE: &str = "_includes/error-info-v3.md";
/// The "required parameters are marked" note.
pub const REQUIRED_INCLUDE: &str = "_includes/required.md";
/// The "how to use examples" note.
pub const EXAMPLES_INCLUDE: &str = "_includes/examples.md";

const SYSTEM_ERRORS_ANCHOR: &str = "statuses-and-system-error-codes";
const ERROR_INFO_ANCHOR: &str = "returned-error-information";
/// Codes that only the system errors table lists together.
const SYSTEM_CODES: [&str; 2] = ["INTERNAL_SERVER_ERROR", "QUERY_LIMIT_EXCEEDED"];

/// A `.b24-info` paragraph as the include it came from.
pub(crate) fn info_include(paragraph: Block) -> Block {
    let line = paragraph.line();
    let target = match &paragraph {
        Block::Paragraph { text, .. } if has_link(text) => EXAMPLES_INCLUDE,
        _ => REQUIRED_INCLUDE,
    };
    include(target, vec![paragraph], line)
}

fn has_link(text: &[Inline]) -> bool {
    text.iter().any(|i| matches!(i, Inline::Link { .. }))
}

/// Wraps every recognised fragment in `blocks` (and in containers and list items).
pub(crate) fn mark(blocks: Vec<Block>) -> Vec<Block> {
    let blocks: Vec<Block> = blocks.into_iter().map(mark_inside).collect();
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        let Block::Table { rows, line } = &block else {
            out.push(block);
            continue;
        };
        let Some((target, anchor)) = fragment_of(rows) else {
            out.push(block);
            continue;
        };
        let start = lead_in(&out, anchor, target == SYSTEM_ERRORS_INCLUDE);
        let mut region: Vec<Block> = out.drain(start..).collect();
        let line = region.first().map_or(*line, Block::line);
        region.push(block);
        out.push(include(target, region, line));
    }
    out
}

fn mark_inside(block: Block) -> Block {
    match block {
        Block::Container { kind, blocks, line } => Block::Container {
            kind,
            blocks: mark(blocks),
            line,
        },
        Block::List { items, line } => Block::List {
            items: items.into_iter().map(mark).collect(),
            line,
        },
        other => other,
    }
}

/// Which fragment a table is, with the anchor of the heading the fragment starts with.
fn fragment_of(rows: &[Row]) -> Option<(&'static str, &'static str)> {
    if is_system_errors(rows) {
        return Some((SYSTEM_ERRORS_INCLUDE, SYSTEM_ERRORS_ANCHOR));
    }
    let names = field_names(rows);
    if names == ["error", "error_description"] {
        return Some((ERROR_INFO_INCLUDE, ERROR_INFO_ANCHOR));
    }
    let v3 = names.len() >= 2
        && names[0] == "error.code"
        && names.iter().all(|n| n.starts_with("error."));
    v3.then_some((ERROR_INFO_V3_INCLUDE, ERROR_INFO_ANCHOR))
}

fn is_system_errors(rows: &[Row]) -> bool {
    let codes: Vec<String> = rows
        .iter()
        .filter_map(|r| r.cells.get(1))
        .filter_map(|c| match c.first_inlines().first() {
            Some(Inline::Code(code)) => Some(code.trim().to_owned()),
            _ => None,
        })
        .collect();
    SYSTEM_CODES.iter().all(|s| codes.iter().any(|c| c == s))
}

/// The bold names of a fields table's data rows.
fn field_names(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .skip(1)
        .map(
            |r| match r.cells.first().and_then(|c| c.first_inlines().first()) {
                Some(Inline::Strong(name)) => inlines_plain(name),
                _ => String::new(),
            },
        )
        .collect()
}

/// Where the fragment starts among the blocks already emitted: its heading (when the include
/// kept its title) and, for the system errors, the two paragraphs that open it.
fn lead_in(out: &[Block], anchor: &str, paragraphs: bool) -> usize {
    let mut start = out.len();
    if paragraphs {
        while start > 0
            && out.len() - start < 2
            && matches!(out[start - 1], Block::Paragraph { .. })
        {
            start -= 1;
        }
    }
    match start.checked_sub(1).and_then(|i| out.get(i)) {
        Some(Block::Heading {
            anchor: Some(id), ..
        }) if id.starts_with(anchor) => start - 1,
        _ => start,
    }
}
