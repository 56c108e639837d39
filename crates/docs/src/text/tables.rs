//! Tables in a text copy, in both copy shapes, as page-model tables shaped like the markdown
//! frontend's (bold name, `*` after it, type as code on the next line).
//!
//! Line-shaped copies write a row as a `|` line followed by one `text |` line per cell, so an
//! empty cell is a bare `|` too: the header row fixes the column count that tells them apart.
//! Those copies lost every inline code span, so an empty Status or Code cell is marked
//! [`LOST`] for the error reader, and a name cell has no type. Block-shaped copies write each
//! cell as a block; the header is the run of blocks made of header words.

use super::chunks::Chunk;
use crate::page::{Block, Cell, Inline, Row};

/// What a cell whose content the copy lost holds (status and code columns only): the error
/// reader turns it into no status, and the code into a recovered or empty one.
pub const LOST: &str = "\u{FFFD}";

/// Words table headers are made of.
const HEADER_WORDS: [&str; 16] = [
    "name",
    "type",
    "description",
    "status",
    "code",
    "error message",
    "message",
    "value",
    "field",
    "error description",
    "how to fix",
    "parameter",
    "required",
    "default",
    "error",
    "http status",
];

/// What a column holds, from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    /// A field name, with its type on a second line when the header has `type` under it.
    Name {
        typed: bool,
    },
    /// An HTTP status or an error code: content there was code, so empty means lost.
    Coded {
        with_message: bool,
    },
    Text,
}

fn columns(header: &[String]) -> Vec<Column> {
    header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let lines: Vec<String> = h.lines().map(|l| l.trim().to_lowercase()).collect();
            let first = lines.first().map(String::as_str).unwrap_or("");
            if i == 0 && matches!(first, "name" | "parameter" | "field") {
                Column::Name {
                    typed: lines.iter().any(|l| l == "type"),
                }
            } else if first.contains("status") || first == "code" {
                Column::Coded {
                    with_message: lines.len() > 1,
                }
            } else {
                Column::Text
            }
        })
        .collect()
}

/// A line-shaped table starting at `chunks[0]` (a bare `|`): the table and chunks used.
pub(crate) fn line_table(chunks: &[Chunk]) -> Option<(Block, usize)> {
    if chunks.first()?.trimmed() != "|" {
        return None;
    }
    let (header, mut at) = line_cells(chunks, 1, None);
    if header.len() < 2 || header.iter().any(|c| c.is_empty()) {
        return None;
    }
    let kinds = columns(&header);
    let line = chunks[0].line;
    let mut rows = vec![header_row(&header, line)];
    while chunks.get(at).is_some_and(|c| c.trimmed() == "|") && at + header.len() < chunks.len() {
        let row_line = chunks[at].line;
        let (cells, next) = line_cells(chunks, at + 1, Some(header.len()));
        rows.push(data_row(&cells, &kinds, row_line, true));
        at = next;
    }
    Some((Block::Table { rows, line }, at))
}

/// Reads `text |` cells from `start`: `count` of them, or up to the next bare `|` when the
/// count is not known yet. A line not ending in `|` continues the cell.
fn line_cells(chunks: &[Chunk], start: usize, count: Option<usize>) -> (Vec<String>, usize) {
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut at = start;
    while let Some(chunk) = chunks.get(at) {
        let text = chunk.trimmed();
        if count.is_none() && text == "|" && current.is_empty() {
            break;
        }
        if count.is_some_and(|n| cells.len() == n) {
            break;
        }
        at += 1;
        match text.strip_suffix('|') {
            Some(cell) => {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(cell.trim());
                cells.push(std::mem::take(&mut current));
            }
            None => {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(text);
            }
        }
    }
    (cells, at)
}

fn is_header_block(text: &str) -> bool {
    let lines: Vec<String> = text.lines().map(|l| l.trim().to_lowercase()).collect();
    !lines.is_empty()
        && lines.len() <= 2
        && lines.iter().all(|l| HEADER_WORDS.contains(&l.as_str()))
}

/// A block-shaped table starting at `chunks[0]`: the table and chunks used.
pub(crate) fn block_table(
    chunks: &[Chunk],
    ends: impl Fn(&Chunk) -> bool,
) -> Option<(Block, usize)> {
    let header: Vec<String> = chunks
        .iter()
        .take_while(|c| is_header_block(&c.text))
        .map(|c| c.text.clone())
        .collect();
    let first = header.first()?.lines().next()?.trim().to_lowercase();
    if header.len() < 2
        || !matches!(
            first.as_str(),
            "name" | "parameter" | "field" | "status" | "code"
        )
    {
        return None;
    }
    let kinds = columns(&header);
    let line = chunks[0].line;
    let mut rows = vec![header_row(&header, line)];
    let mut at = header.len();
    while at + header.len() <= chunks.len()
        && !is_header_block(&chunks[at].text)
        && !chunks[at..at + header.len()].iter().any(&ends)
    {
        let cells: Vec<String> = chunks[at..at + header.len()]
            .iter()
            .map(|c| c.text.clone())
            .collect();
        rows.push(data_row(&cells, &kinds, chunks[at].line, false));
        at += header.len();
    }
    Some((Block::Table { rows, line }, at))
}

fn header_row(header: &[String], line: u32) -> Row {
    let cells = header
        .iter()
        .map(|h| {
            let mut text = Vec::new();
            for (i, part) in h.lines().enumerate() {
                if i > 0 {
                    text.push(Inline::Break);
                }
                text.push(Inline::Strong(vec![Inline::Text(part.trim().to_owned())]));
            }
            paragraph_cell(text, line)
        })
        .collect();
    Row { cells, line }
}

fn data_row(cells: &[String], kinds: &[Column], line: u32, lossy: bool) -> Row {
    let cells = cells
        .iter()
        .zip(kinds)
        .map(|(text, kind)| paragraph_cell(cell_inlines(text, *kind, lossy), line))
        .collect();
    Row { cells, line }
}

fn paragraph_cell(text: Vec<Inline>, line: u32) -> Cell {
    let blocks = if text.is_empty() {
        vec![]
    } else {
        vec![Block::Paragraph { text, line }]
    };
    Cell { blocks, line }
}

fn cell_inlines(text: &str, kind: Column, lossy: bool) -> Vec<Inline> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("");
    let rest: Vec<&str> = lines.collect();
    match kind {
        Column::Name { typed } => {
            let (name, required) = match first.strip_suffix('*') {
                Some(name) => (name.trim_end(), true),
                None => (first, false),
            };
            if name.is_empty() {
                return vec![];
            }
            let mut out = vec![Inline::Strong(vec![Inline::Text(name.to_owned())])];
            if required {
                out.push(Inline::Text("*".into()));
            }
            if let (true, Some(ty)) = (typed, rest.first()) {
                out.push(Inline::Break);
                out.push(Inline::Code((*ty).to_owned()));
            }
            out
        }
        Column::Coded { with_message } => {
            if first.is_empty() {
                return if lossy {
                    vec![Inline::Code(LOST.to_owned())]
                } else {
                    vec![]
                };
            }
            let mut out = vec![Inline::Code(first.to_owned())];
            if with_message && !rest.is_empty() {
                out.push(Inline::Break);
                out.push(Inline::Text(rest.join(" ")));
            }
            out
        }
        Column::Text => {
            let joined = std::iter::once(first)
                .chain(rest)
                .collect::<Vec<_>>()
                .join(" ");
            if joined.is_empty() {
                vec![]
            } else {
                vec![Inline::Text(joined)]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::inlines_plain;

    fn chunks(lines: &[&str]) -> Vec<Chunk> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| Chunk {
                text: (*l).to_owned(),
                line: i as u32 + 1,
            })
            .collect()
    }

    fn texts(block: &Block) -> Vec<Vec<String>> {
        let Block::Table { rows, .. } = block else {
            panic!("not a table")
        };
        rows.iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| inlines_plain(c.first_inlines()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn line_tables_count_empty_cells_by_the_header() {
        let input = chunks(&[
            "|",
            "Status |",
            "Code |",
            "Text |",
            "|",
            "|",
            "|",
            "Went wrong |",
            "|",
            "|",
            "|",
            "Also wrong, on",
            "two lines |",
            "After",
        ]);
        let (table, used) = line_table(&input).expect("a table");
        assert_eq!(used, 13);
        assert_eq!(
            texts(&table),
            vec![
                vec!["Status", "Code", "Text"],
                vec![LOST, LOST, "Went wrong"],
                vec![LOST, LOST, "Also wrong, on two lines"],
            ]
        );
    }

    #[test]
    fn block_tables_keep_types_and_messages() {
        let input = chunks(&[
            "Name\ntype",
            "Description",
            "id\ninteger",
            "The id",
            "Status",
            "Code\nError Message",
        ]);
        let (table, used) = block_table(&input, |_| false).expect("a table");
        assert_eq!(used, 4);
        let Block::Table { rows, .. } = &table else {
            unreachable!()
        };
        assert_eq!(
            rows[1].cells[0].first_inlines(),
            [
                Inline::Strong(vec![Inline::Text("id".into())]),
                Inline::Break,
                Inline::Code("integer".into())
            ]
        );
    }
}
