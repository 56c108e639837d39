//! Reading "name + type | description" tables: the parameter tables, nested-field tables and
//! returned-data tables all share this shape.
//!
//! The name cell carries the required marker in several spellings: `**name***`,
//! `**name**^*^`, `**name^*^**`, `**name***,**` (required, with a footnote). `**name****` is a
//! footnote alone, and `**\***` is a field literally named `*`.

use std::sync::LazyLock;

use b24_spec::TypeExpr;
use regex::Regex;

use super::ascii::{contains_ascii_ci, lower_owned};
use super::types;
use crate::diagnostic::{DiagnosticKind, Sink};
use crate::page::{Cell, Inline, Row};
use crate::render::{blocks_markdown, inlines_plain, push_inlines_plain, trim_owned};

/// One row of a fields table.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldRow {
    pub name: String,
    pub required: bool,
    pub ty: Option<TypeExpr>,
    pub description: String,
    pub default: Option<String>,
    /// In-page anchors (`#x`) the row links to, type links first.
    pub anchors: Vec<String>,
    /// The raw type name as linked (for type-name links to sub-tables).
    pub line: u32,
}

/// How a fields table is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The header row is present (and skipped).
    pub header: bool,
    /// A separate type column, when the header has one.
    pub type_column: Option<usize>,
    /// The description column.
    pub description: usize,
}

const NAME_HEADERS: [&str; 7] = [
    "name",
    "parameter",
    "field",
    "key",
    "title",
    "property",
    "argument",
];

/// Decides whether `rows` is a fields table and how it is laid out.
pub fn layout(rows: &[Row]) -> Option<Layout> {
    let first = rows.first()?;
    if first.cells.len() < 2 {
        return None;
    }
    let header = |c: &Cell| lower_owned(c.plain_text());
    // The other header cells are rendered only under a name header (most tables checked here
    // are value and error tables, whose first header names no field).
    let head = header(&first.cells[0]);
    if NAME_HEADERS
        .iter()
        .any(|h| head.trim_start_matches('*').starts_with(h))
    {
        let mut headers = Vec::with_capacity(first.cells.len());
        headers.push(head);
        headers.extend(first.cells[1..].iter().map(header));
        if let Some(layout) = header_layout(&headers) {
            return Some(layout);
        }
    }
    // Tables without a header row: the first row already reads as a field.
    if is_data_row(first) && rows.iter().all(|r| r.cells.len() >= 2) {
        return Some(Layout {
            header: false,
            type_column: None,
            description: 1,
        });
    }
    None
}

/// The layout a header row led by a name header gives, when its other cells are short labels
/// and one of them is a description or type.
fn header_layout(headers: &[String]) -> Option<Layout> {
    let labels = headers[1..]
        .iter()
        .all(|h| h.split_whitespace().count() <= 4);
    let described = headers[1..]
        .iter()
        .any(|h| h.starts_with("description") || h.trim() == "type");
    if !(labels && described) {
        return None;
    }
    let type_column = headers
        .iter()
        .skip(1)
        .position(|h| h.trim() == "type")
        .map(|i| i + 1);
    let description = headers
        .iter()
        .position(|h| h.starts_with("description"))
        .unwrap_or(if type_column == Some(1) { 2 } else { 1 });
    Some(Layout {
        header: true,
        type_column,
        description,
    })
}

/// A data row starts with a bold name followed (on the next line) by a code-span type.
fn is_data_row(row: &Row) -> bool {
    let inlines = row.cells[0].first_inlines();
    let has_strong = matches!(inlines.first(), Some(Inline::Strong(_)));
    let has_type = inlines
        .iter()
        .skip(1)
        .any(|i| matches!(i, Inline::Code(_) | Inline::Link { .. }));
    has_strong && has_type
}

/// Reads every data row; rows that cannot be read become diagnostics.
pub fn read(rows: &[Row], layout: Layout, sink: &mut Sink) -> Vec<FieldRow> {
    let skip = usize::from(layout.header);
    rows.iter()
        .skip(skip)
        .filter_map(|row| read_row(row, layout, sink))
        .collect()
}

fn read_row(row: &Row, layout: Layout, sink: &mut Sink) -> Option<FieldRow> {
    let name_cell = row.cells.first()?;
    let Some(mut name) = NameCell::parse(name_cell) else {
        let text = name_cell.plain_text();
        if !text.is_empty() {
            sink.report(
                row.line,
                DiagnosticKind::ParamRow,
                format!("cannot read a field name from `{text}`"),
            );
        }
        return None;
    };
    let type_text = match layout.type_column.and_then(|i| row.cells.get(i)) {
        Some(cell) => cell.plain_text(),
        None => std::mem::take(&mut name.type_text),
    };
    let ty = match types::normalise(&type_text) {
        Ok(ty) => ty,
        Err(raw) => {
            sink.report(
                row.line,
                DiagnosticKind::UnknownType,
                format!("`{}`: type `{raw}` is not a type", name.name),
            );
            None
        }
    };
    let description_cell = row.cells.get(layout.description).or(row.cells.last())?;
    let description = blocks_markdown(&description_cell.blocks, true);
    let mut anchors = name.anchors;
    anchors.extend(cell_anchors(description_cell));
    Some(FieldRow {
        default: default_value(&description, &name.name),
        name: name.name,
        required: name.required,
        ty,
        description,
        anchors,
        line: row.line,
    })
}

/// The parts of a name cell.
#[derive(Debug, PartialEq)]
struct NameCell {
    name: String,
    required: bool,
    type_text: String,
    anchors: Vec<String>,
}

impl NameCell {
    fn parse(cell: &Cell) -> Option<NameCell> {
        let inlines = cell.first_inlines();
        let strong_at = inlines
            .iter()
            .position(|i| matches!(i, Inline::Strong(_)))?;
        // Text before the name other than whitespace means this is not a name cell.
        if !inlines[..strong_at]
            .iter()
            .all(|i| matches!(i, Inline::Text(t) if t.trim().is_empty()))
        {
            return None;
        }
        let Inline::Strong(strong) = &inlines[strong_at] else {
            return None;
        };
        let (mut name, mut required) = strong_name(strong);
        if name.is_empty() {
            return None;
        }
        // `**DYNAMIC_***` is the wildcard `DYNAMIC_*`, not a required `DYNAMIC_`: no real
        // name ends with an underscore.
        if name.ends_with('_') {
            if let Some(Inline::Text(t)) = inlines.get(strong_at + 1) {
                if t.starts_with('*') {
                    name.push('*');
                    let stars = t.chars().take_while(|c| *c == '*').count();
                    let markers = if stars % 2 == 1 { stars - 1 } else { stars };
                    return Some(NameCell::rest(
                        name,
                        markers % 2 == 1,
                        &inlines[strong_at + 2..],
                    ));
                }
            }
        }
        let after = &inlines[strong_at + 1..];
        // The marker sits between the name and the line break.
        let marker_end = after
            .iter()
            .position(|i| matches!(i, Inline::Break | Inline::Code(_) | Inline::Link { .. }))
            .unwrap_or(after.len());
        for inline in &after[..marker_end] {
            match inline {
                Inline::Superscript(s) if inlines_plain(s).contains('*') => required = true,
                Inline::Text(t) => {
                    let t = t.trim_start();
                    let stars = t.chars().take_while(|c| *c == '*').count();
                    required |= stars % 2 == 1 || t.starts_with("^*^");
                }
                Inline::Strong(s) if inlines_plain(s).trim() == "*" => required = true,
                _ => {}
            }
        }
        // The type is read where it stands, not from a copy of its inlines.
        let mut type_inlines = &after[marker_end..];
        if let [Inline::Break, tail @ ..] = type_inlines {
            type_inlines = tail;
        }
        let mut anchors = Vec::new();
        collect_anchors(type_inlines, &mut anchors);
        Some(NameCell {
            name,
            required,
            type_text: type_text(type_inlines),
            anchors,
        })
    }
}

impl NameCell {
    /// A name cell whose marker has been read; `rest` starts at the type.
    fn rest(name: String, required: bool, rest: &[Inline]) -> NameCell {
        let start = rest
            .iter()
            .position(|i| matches!(i, Inline::Break))
            .map_or(0, |b| b + 1);
        let type_inlines = &rest[start..];
        let mut anchors = Vec::new();
        collect_anchors(type_inlines, &mut anchors);
        NameCell {
            name,
            required,
            type_text: type_text(type_inlines),
            anchors,
        }
    }
}

/// The name inside the bold, with an inner `^*^` marker taken off.
fn strong_name(strong: &[Inline]) -> (String, bool) {
    let (name, mut required) = strong_text(strong);
    // Trimmed and cut in place: the text is the name's own buffer.
    let mut name = trim_owned(name);
    // `**name^*^**`: the marker was not parsed as superscript inside the bold.
    if let Some(stripped) = name.strip_suffix("^*^") {
        let end = stripped.trim_end().len();
        name.truncate(end);
        required = true;
    }
    // `**name*` with the star inside the bold (a stray spelling): the star is the marker.
    // (The start is trimmed already, so only the end can lose whitespace.)
    if name.len() > 1 && name.ends_with('*') && !name.ends_with("\\*") && !name.ends_with("_*") {
        let end = name.trim_end_matches('*').trim_end().len();
        name.truncate(end);
        return (name, true);
    }
    (name, required)
}

/// The plain text of the bold, each part on its own, without superscripts that hold a `*`
/// (the marker); whether there was one.
fn strong_text(strong: &[Inline]) -> (String, bool) {
    let starred =
        |i: &Inline| matches!(i, Inline::Superscript(s) if inlines_plain(s).contains('*'));
    // One part (most names): its text is the name, no buffer to copy it into.
    if let [only] = strong {
        if !starred(only) {
            return (inlines_plain(strong), false);
        }
    }
    let mut required = false;
    let mut name = String::new();
    for inline in strong {
        if starred(inline) {
            required = true;
        } else {
            push_inlines_plain(std::slice::from_ref(inline), &mut name);
        }
    }
    (name, required)
}

/// The type text: code spans and link texts after the name, joined with what separates them.
fn type_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Code(c) => out.push_str(c),
            Inline::Link { content, .. } => push_inlines_plain(content, &mut out),
            Inline::Text(t) => out.push_str(t),
            Inline::Emphasis(e) => push_inlines_plain(e, &mut out),
            Inline::Break => break,
            _ => {}
        }
    }
    trim_owned(out)
}

fn collect_anchors(inlines: &[Inline], out: &mut Vec<String>) {
    for inline in inlines {
        match inline {
            Inline::Link { href, content } => {
                if let Some(anchor) = local_anchor(href) {
                    out.push(anchor);
                }
                collect_anchors(content, out);
            }
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Superscript(c) => {
                collect_anchors(c, out)
            }
            _ => {}
        }
    }
}

/// `#x` → `x`; links to other pages are not local.
fn local_anchor(href: &str) -> Option<String> {
    let anchor = href.strip_prefix('#')?;
    (!anchor.is_empty()).then(|| anchor.to_owned())
}

/// Local anchors linked from anywhere in a cell.
pub fn cell_anchors(cell: &Cell) -> Vec<String> {
    let mut out = Vec::new();
    walk_inlines(&cell.blocks, &mut |inlines| {
        collect_anchors(inlines, &mut out)
    });
    out
}

fn walk_inlines(blocks: &[crate::page::Block], f: &mut impl FnMut(&[Inline])) {
    use crate::page::Block;
    for block in blocks {
        match block {
            Block::Paragraph { text, .. } | Block::Heading { text, .. } => f(text),
            Block::List { items, .. } => items.iter().for_each(|i| walk_inlines(i, f)),
            other => walk_inlines(other.children(), f),
        }
    }
}

static DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bdefault(?:s| value)?(?:\s+(?:is|value is|to|equals))?\s*[:\-—,]?\s*(?:is\s+)?`([^`]+)`|(?i)\bby default,?\s+(?:it\s+is\s+|the\s+value\s+is\s+|is\s+|equals\s+|set\s+to\s+)?`([^`]+)`")
        .expect("default pattern")
});

/// The default value when the description states one as code (`` `Y` ``).
fn default_value(description: &str, name: &str) -> Option<String> {
    // Every match holds `default` in some ASCII case (no letter of it has a non-ASCII case
    // variant), and most descriptions hold none: a byte scan spares them the pattern.
    if !contains_ascii_ci(description, "default") {
        return None;
    }
    let cap = DEFAULT.captures(description)?;
    let value = cap.get(1).or(cap.get(2))?.as_str().trim();
    let value = value
        .strip_prefix(&format!("{name}="))
        .or_else(|| value.strip_prefix(&format!("{name} = ")))
        .unwrap_or(value);
    Some(value.trim_matches('\'').trim_matches('"').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Sink;
    use crate::markdown::{includes::Fragments, parse_page};
    use crate::page::Block;

    fn table_rows(md: &str) -> Vec<Row> {
        let mut sink = Sink::new("t.md");
        let page = parse_page("t.md", md, &Fragments::new("/nonexistent"), &mut sink);
        match page.blocks.into_iter().next() {
            Some(Block::Table { rows, .. }) => rows,
            other => panic!("{other:?}"),
        }
    }

    fn read_all(md: &str) -> (Vec<FieldRow>, Vec<String>) {
        let rows = table_rows(md);
        let mut sink = Sink::new("t.md");
        let fields = read(&rows, layout(&rows).expect("a fields table"), &mut sink);
        (fields, sink.items.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn every_required_spelling() {
        let md = "#|\n|| **Name**\n`type` | **Description** ||\n\
|| **a***\n[`integer`](x.md) | A ||\n\
|| **b**^*^\n`string` | B ||\n\
|| **c^*^**\n`string` | C ||\n\
|| **d***,**\n`string` | D ||\n\
|| **e****\n`string` | E ||\n\
|| **\\***\n`string` | Star ||\n\
|| **UF_\\***\n`string` | User fields ||\n\
|| **DYN_***\n`boolean` | Wildcard ||\n\
|| **f**\n`string` | F ||\n|#\n";
        let (fields, diags) = read_all(md);
        assert!(diags.is_empty(), "{diags:?}");
        let got: Vec<(String, bool)> = fields
            .iter()
            .map(|f| (f.name.clone(), f.required))
            .collect();
        let expect = [
            ("a", true),
            ("b", true),
            ("c", true),
            ("d", true),
            ("e", false),
            ("*", false),
            ("UF_*", false),
            ("DYN_*", false),
            ("f", false),
        ];
        assert_eq!(got, expect.map(|(n, r)| (n.to_owned(), r)));
    }

    #[test]
    fn types_defaults_and_anchors() {
        let md = "#|\n|| **Name**\n`type` | **Description** ||\n\
|| **tags**\n[`string`](x.md) \\| [`null`](x.md) | Tags. By default, `tags=none` ||\n\
|| **items**\n[`item[]`](#item) | See [below](#items) ||\n|#\n";
        let (fields, _) = read_all(md);
        assert_eq!(
            fields[0].ty.as_ref().map(|t| t.to_string()),
            Some("string | null".into())
        );
        assert_eq!(fields[0].default.as_deref(), Some("none"));
        assert_eq!(
            fields[1].ty.as_ref().map(|t| t.to_string()),
            Some("item[]".into())
        );
        assert_eq!(
            fields[1].anchors,
            vec!["item".to_owned(), "items".to_owned()]
        );
    }

    #[test]
    fn separate_type_column_and_headerless_tables() {
        let (fields, _) = read_all(
            "#|\n|| **Field** | **Type** | **Description** ||\n|| **id** | `integer` | Id ||\n|#\n",
        );
        assert_eq!(
            fields[0].ty.as_ref().map(|t| t.to_string()),
            Some("integer".into())
        );
        let (fields, _) =
            read_all("#|\n|| **id***\n`integer` | Id ||\n|| **name**\n`string` | Name ||\n|#\n");
        assert_eq!(fields.len(), 2);
        assert!(fields[0].required);
    }

    #[test]
    fn value_tables_are_not_fields_tables() {
        let rows = table_rows("#|\n|| **Value** | **Description** ||\n|| `Y` | Yes ||\n|#\n");
        assert_eq!(layout(&rows), None);
    }
}
