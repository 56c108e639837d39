//! Widget placement pages (`TASK_VIEW_TAB`, `CRM_DEAL_DETAIL_ACTIVITY`...): recognised by their
//! "Placement Code" table and read into [`Placement`]s, never into a method. They call
//! `placement.bind` in their examples and have a "parameters" heading, which made them look
//! like pages of that method.

use b24_spec::{Param, Placement};

use crate::diagnostic::Sink;
use crate::extract::ascii::lower_owned;
use crate::extract::nesting::{self, FieldNode};
use crate::extract::outline::{self, Content, Item};
use crate::extract::paths;
use crate::page::{Block, Cell, Inline, Page, Row};

/// The header of the table that lists a placement page's codes.
const CODE_HEADER: &str = "placement code";

/// True when the page lists placement codes.
pub fn is_placement_page(page: &Page) -> bool {
    has_code_table(&page.blocks)
}

fn has_code_table(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| match b {
        Block::Table { rows, .. } => is_code_table(rows),
        Block::Container { blocks, .. } => has_code_table(blocks),
        _ => false,
    })
}

fn is_code_table(rows: &[Row]) -> bool {
    rows.first()
        .and_then(|r| r.cells.first())
        .is_some_and(|c| may_be_code_header(c) && lower_owned(c.plain_text()).trim() == CODE_HEADER)
}

/// False when the cell's plain text cannot be [`CODE_HEADER`] in any case: its first
/// non-blank character is known and is not a `p`. Every table's first cell is asked, on every
/// page; rendering each to plain text to compare costs more than most pages' other checks.
/// Only content holds letters (rendering adds blanks and punctuation), and no non-ASCII
/// character lower-cases to `p`, so a first paragraph or heading opening with another visible
/// character rules the cell out.
fn may_be_code_header(cell: &Cell) -> bool {
    match cell.blocks.first() {
        Some(Block::Paragraph { text, .. } | Block::Heading { text, .. }) => {
            first_visible(text).is_none_or(|c| c.eq_ignore_ascii_case(&'p'))
        }
        _ => true,
    }
}

/// The first non-blank character of inline content as plain text, `None` when all blank.
fn first_visible(inlines: &[Inline]) -> Option<char> {
    inlines.iter().find_map(|inline| match inline {
        Inline::Text(t) | Inline::Code(t) => t.trim_start().chars().next(),
        Inline::Strong(inner) | Inline::Emphasis(inner) | Inline::Superscript(inner) => {
            first_visible(inner)
        }
        Inline::Link { content, .. } => first_visible(content),
        Inline::Break => None,
    })
}

/// The placements a placement page documents: one per row of its code table, sharing the
/// page's option tables.
pub fn extract(page: &Page, title: &str, sink: &mut Sink) -> Vec<Placement> {
    let outline = outline::outline(&page.blocks);
    let options = fields_under(&outline, sink, |text, _| text.contains("placement_options"));
    let bind_options = fields_under(&outline, sink, |text, anchor| {
        text.contains("connection") || anchor == Some("options")
    });
    let mut out = Vec::new();
    for item in &outline.items {
        let Content::Table { rows, .. } = &item.content else {
            continue;
        };
        if !is_code_table(rows) {
            continue;
        }
        for row in rows.iter().skip(1) {
            let cell = |i: usize| row.cells.get(i).map(|c| c.plain_text()).unwrap_or_default();
            let code = cell(0).trim().trim_matches('`').trim().to_owned();
            if code.is_empty() {
                continue;
            }
            out.push(Placement {
                code,
                title: title.to_owned(),
                location: cell(1).trim().to_owned(),
                source: page.path.clone(),
                options: options.clone(),
                bind_options: bind_options.clone(),
            });
        }
    }
    out
}

/// The fields tables under a heading `wanted` accepts (lower-case text, anchor), with the
/// sub-tables under deeper headings nested into them.
fn fields_under(
    outline: &outline::Outline<'_>,
    sink: &mut Sink,
    wanted: impl Fn(&str, Option<&str>) -> bool,
) -> Vec<Param> {
    let under = |item: &&Item<'_>| {
        item.include.is_none()
            && item
                .headings
                .iter()
                .any(|h| wanted(&h.text.to_lowercase(), h.anchor.as_deref()))
    };
    let tables = nesting::field_tables(outline.items.iter().filter(under));
    let Some((top, rest)) = tables.split_first() else {
        return Vec::new();
    };
    paths::nest(nesting::build(top, rest, outline, sink))
        .into_iter()
        .map(FieldNode::into_param)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_of_cells_is_what_codes_are_read_from() {
        // The code table header is matched on plain text, so markup around it does not matter.
        let row = |text: &str| Row {
            cells: vec![crate::page::Cell {
                blocks: vec![Block::Paragraph {
                    text: vec![crate::page::Inline::Strong(vec![
                        crate::page::Inline::Text(text.into()),
                    ])],
                    line: 1,
                }],
                line: 1,
            }],
            line: 1,
        };
        assert!(is_code_table(&[row("Placement Code")]));
        assert!(!is_code_table(&[row("Parameter")]));
    }
}
