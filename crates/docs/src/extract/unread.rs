//! Tables that look like fields tables but were not read as one: a header whose first cell
//! has something before the name label (a stray letter, a replacement character) fails the
//! fields-table test, and every row of it would vanish without a word.

use super::ascii::lower_owned;
use super::fields;
use super::outline::{Content, Item};
use crate::diagnostic::{DiagnosticKind, Sink};
use crate::page::Row;

/// Words a fields table's first header cell holds somewhere.
const NAME_WORDS: [&str; 4] = ["name", "parameter", "field", "argument"];

/// Reports each table among `items` whose header reads like a fields table's but which
/// [`fields::layout`] does not accept.
pub fn report(items: &[&Item<'_>], sink: &mut Sink) {
    for item in items {
        if let Content::Table { rows, line } = &item.content {
            if looks_like_fields(rows) && fields::layout(rows).is_none() {
                let header = rows[0].cells[0].plain_text();
                sink.report(
                    *line,
                    DiagnosticKind::UnreadTable,
                    format!(
                        "the header `{header}` reads like a fields table's but is not recognised; \
                         its {} rows are not read",
                        rows.len() - 1
                    ),
                );
            }
        }
    }
}

fn looks_like_fields(rows: &[Row]) -> bool {
    let Some(header) = rows.first().filter(|r| r.cells.len() >= 2) else {
        return false;
    };
    let first = lower_owned(header.cells[0].plain_text());
    // The first cell decides most tables (value and error tables name no field): the others
    // are read only when it could be a name label.
    if first.split_whitespace().count() > 3 || !NAME_WORDS.iter().any(|w| first.contains(w)) {
        return false;
    }
    let described = header.cells[1..].iter().any(|c| {
        let text = lower_owned(c.plain_text());
        text.starts_with("description") || text.trim() == "type"
    });
    // A short label (a word or two), not a data row that happens to mention a name.
    let label = first.split_whitespace().count() <= 3;
    described && label && NAME_WORDS.iter().any(|w| first.contains(w))
}
