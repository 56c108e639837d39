//! Plain markdown (what is left after the YFM pre-pass) → page-model blocks, via pulldown-cmark.
//!
//! pulldown-cmark itself does not recurse, but the page model is a tree: 50,000 `>` would
//! make a tree 50,000 levels deep that every later walk (and `Drop`) recurses through. Past
//! [`MAX_NESTING`] levels the builder keeps the text and drops the structure, with a
//! diagnostic.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::simple_inlines;
use super::yfm::SyntaxIssue;
use crate::limits::MAX_NESTING;
use crate::page::{Block, Cell, Container, Inline, Row};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SUPERSCRIPT
}

/// Parses `text`, whose first line is line `first_line` of the page and which sits `nesting`
/// levels deep in it; structure too deep to keep is reported in `issues`.
pub(crate) fn parse(
    text: &str,
    first_line: u32,
    nesting: usize,
    issues: &mut Vec<SyntaxIssue>,
) -> Vec<Block> {
    if let Some(blocks) = shortcut(text, first_line, nesting) {
        return blocks;
    }
    let newlines: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
    run(text, nesting, issues, |offset| {
        first_line + newlines.partition_point(|&n| n < offset) as u32
    })
}

/// A paragraph no docs text contains, placed between segments parsed in one run.
const SEPARATOR: &str = "\u{1F}";

/// Parses many short segments (table cells) in one pulldown-cmark run: a parser per cell costs
/// more than the cell. Each segment is `(text, first line)`. Segments are separated by a blank
/// line, a sentinel paragraph and a blank line; if a segment swallows its sentinel (it cannot
/// in practice, as blank lines close every open block but code, which the pre-pass took out),
/// the segments are parsed one by one instead.
pub(crate) fn parse_many(
    segments: &[(&str, u32)],
    nesting: usize,
    issues: &mut Vec<SyntaxIssue>,
) -> Vec<Vec<Block>> {
    // Most cells are one line of plain text or a bold name and a linked type; they need no
    // parser at all.
    let fast: Vec<Option<Vec<Block>>> = segments
        .iter()
        .map(|(text, line)| shortcut(text, *line, nesting))
        .collect();
    let rest: Vec<(&str, u32)> = segments
        .iter()
        .zip(&fast)
        .filter(|(_, f)| f.is_none())
        .map(|(s, _)| *s)
        .collect();
    if rest.len() == segments.len() {
        return parse_joined(segments, nesting, issues);
    }
    let mut parsed = parse_joined(&rest, nesting, issues).into_iter();
    fast.into_iter()
        .map(|f| f.unwrap_or_else(|| parsed.next().unwrap_or_default()))
        .collect()
}

/// [`parse_many`] without the plain-text shortcut: the segments joined into one run.
fn parse_joined(
    segments: &[(&str, u32)],
    nesting: usize,
    issues: &mut Vec<SyntaxIssue>,
) -> Vec<Vec<Block>> {
    let one_by_one = |issues: &mut Vec<SyntaxIssue>| {
        segments
            .iter()
            .map(|(text, line)| parse(text, *line, nesting, issues))
            .collect()
    };
    if segments.len() < 2 {
        return one_by_one(issues);
    }
    let joined_len = segments
        .iter()
        .map(|(segment, _)| segment.len())
        .sum::<usize>()
        + (segments.len() - 1) * (SEPARATOR.len() + 4);
    let mut text = String::with_capacity(joined_len);
    let mut starts: Vec<(usize, u32)> = Vec::with_capacity(segments.len());
    for (i, (segment, line)) in segments.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
            text.push_str(SEPARATOR);
            text.push_str("\n\n");
        }
        starts.push((text.len(), *line));
        text.push_str(segment);
    }
    let newlines: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
    let before = |offset: usize| newlines.partition_point(|&n| n < offset) as u32;
    let mut joined_issues = Vec::new();
    let blocks = run(&text, nesting, &mut joined_issues, |offset| {
        let at = starts.partition_point(|(start, _)| *start <= offset).max(1) - 1;
        let (start, line) = starts[at];
        line + before(offset) - before(start)
    });
    let mut out: Vec<Vec<Block>> = vec![Vec::new()];
    for block in blocks {
        match &block {
            Block::Paragraph { text, .. } if matches!(text.as_slice(), [Inline::Text(t)] if t == SEPARATOR) => {
                out.push(Vec::new())
            }
            _ => out.last_mut().expect("never empty").push(block),
        }
    }
    if out.len() != segments.len() {
        return one_by_one(issues);
    }
    issues.extend(joined_issues);
    out
}

/// The blocks pulldown-cmark would build for `text` (first line `line`, `nesting` levels deep)
/// when it has one of the shapes read without the parser: plain text, or a paragraph of the
/// simple inlines [`simple_inlines`] reads.
fn shortcut(text: &str, line: u32, nesting: usize) -> Option<Vec<Block>> {
    plain(text, line).or_else(|| simple_inlines::paragraph(text, line, max_frames(nesting)))
}

/// How many frames the builder keeps for text `nesting` levels deep: the root frame is one
/// level; at least one more keeps paragraphs whole.
fn max_frames(nesting: usize) -> usize {
    MAX_NESTING.saturating_sub(nesting).max(2)
}

/// [`parse`] without the shortcuts, for tests that compare them with the parser.
#[cfg(test)]
pub(super) fn parse_with_parser(
    text: &str,
    first_line: u32,
    nesting: usize,
    issues: &mut Vec<SyntaxIssue>,
) -> Vec<Block> {
    let newlines: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
    run(text, nesting, issues, |offset| {
        first_line + newlines.partition_point(|&n| n < offset) as u32
    })
}

/// The blocks pulldown-cmark would build for `text` when it is one line of plain text (no
/// byte that can start markdown syntax, no leading or trailing whitespace, nothing a block
/// could start with): a paragraph of that text. `None` when the parser is needed.
fn plain(text: &str, line: u32) -> Option<Vec<Block>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    let bytes = text.as_bytes();
    let first = bytes[0];
    // Digits open an ordered list only when `.` or `)` follows them ("400" is text).
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    // Leading or trailing whitespace (what `trim` would take off) goes to the parser.
    if text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace)
        || matches!(text.as_bytes().get(digits), Some(b'.' | b')')) && digits > 0
        || matches!(first, b'-' | b'+' | b'=' | b'#')
        || !simple_inlines::no_ascii_marks(bytes)
    {
        return None;
    }
    Some(vec![Block::Paragraph {
        text: vec![Inline::Text(text.to_owned())],
        line,
    }])
}

fn run(
    text: &str,
    nesting: usize,
    issues: &mut Vec<SyntaxIssue>,
    line_of: impl Fn(usize) -> u32,
) -> Vec<Block> {
    let mut builder = Builder {
        stack: vec![Frame::new(Kind::Root, line_of(0))],
        max_frames: max_frames(nesting),
        too_deep: None,
    };
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        // Only an opening tag keeps its line (the frame it opens carries it): the lookup is
        // two binary searches, not worth doing for every text and closing event.
        let line = match event {
            Event::Start(_) => line_of(range.start),
            _ => 0,
        };
        builder.event(event, line);
    }
    while builder.stack.len() > 1 {
        builder.close();
    }
    let mut root = builder.stack.pop().map(|f| f.blocks).unwrap_or_default();
    if let Some(frame) = builder.stack.pop() {
        root.extend(frame.blocks);
    }
    if let Some(line) = builder.too_deep {
        issues.push(SyntaxIssue {
            line,
            message: format!(
                "markdown nested deeper than {MAX_NESTING} levels; the deeper part is read as plain text"
            ),
        });
    }
    root
}

enum Kind {
    Root,
    Paragraph,
    Heading {
        level: u8,
        anchor: Option<String>,
    },
    Quote,
    List,
    Item,
    Code {
        lang: String,
        code: String,
    },
    Strong,
    Emphasis,
    Superscript,
    Link {
        href: String,
    },
    Table,
    Row,
    Cell,
    /// Content dropped (images, raw HTML blocks, footnote definitions).
    Skip,
    /// Anything nested past the depth limit: its content joins the parent's.
    Flat {
        block: bool,
    },
}

struct Frame {
    kind: Kind,
    line: u32,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    items: Vec<Vec<Block>>,
    rows: Vec<Row>,
    cells: Vec<Cell>,
}

impl Frame {
    fn new(kind: Kind, line: u32) -> Self {
        Frame {
            kind,
            line,
            blocks: vec![],
            inlines: vec![],
            items: vec![],
            rows: vec![],
            cells: vec![],
        }
    }

    /// Tight list items and the like hold bare inlines; wrap them before a block follows.
    fn flush_inlines(&mut self) {
        if !self.inlines.is_empty() {
            let text = std::mem::take(&mut self.inlines);
            self.blocks.push(Block::Paragraph {
                text,
                line: self.line,
            });
        }
    }
}

struct Builder {
    stack: Vec<Frame>,
    /// Frames deeper than this are [`Kind::Flat`].
    max_frames: usize,
    /// The line where the first frame was flattened.
    too_deep: Option<u32>,
}

impl Builder {
    fn top(&mut self) -> &mut Frame {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    /// [`Builder::push_inline`] of `Inline::Text(text)`, copying `text` only when it starts a
    /// new inline (pulldown-cmark splits text into many events, most of them joined here).
    fn push_text(&mut self, text: &str) {
        let top = self.top();
        if let Kind::Code { code, .. } = &mut top.kind {
            code.push_str(text);
            return;
        }
        if matches!(top.kind, Kind::Skip) {
            return;
        }
        match top.inlines.last_mut() {
            Some(Inline::Text(prev)) => prev.push_str(text),
            _ => top.inlines.push(Inline::Text(text.to_owned())),
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        let top = self.top();
        if let Kind::Code { code, .. } = &mut top.kind {
            if let Inline::Text(t) = inline {
                code.push_str(&t);
            }
            return;
        }
        if matches!(top.kind, Kind::Skip) {
            return;
        }
        if let (Inline::Text(new), Some(Inline::Text(prev))) = (&inline, top.inlines.last_mut()) {
            prev.push_str(new);
            return;
        }
        top.inlines.push(inline);
    }

    fn open(&mut self, kind: Kind, line: u32) {
        let block = is_block(&kind);
        if block {
            self.top().flush_inlines();
        }
        // Rows and cells stay: a table adds at most two levels, and flattening them would
        // lose the cells.
        let kind = if self.stack.len() >= self.max_frames && !matches!(kind, Kind::Row | Kind::Cell)
        {
            self.too_deep.get_or_insert(line);
            Kind::Flat { block }
        } else {
            kind
        };
        self.stack.push(Frame::new(kind, line));
    }

    fn event(&mut self, event: Event<'_>, line: u32) {
        match event {
            Event::Start(tag) => self.start(tag, line),
            Event::End(TagEnd::TableHead) => self.close_row(line),
            Event::End(_) => self.close(),
            Event::Text(t) => self.push_text(&t),
            Event::Code(t) => self.push_inline(Inline::Code(t.into_string())),
            Event::SoftBreak | Event::HardBreak => self.push_inline(Inline::Break),
            Event::InlineHtml(html) if html.trim_start().starts_with("<br") => {
                self.push_inline(Inline::Break)
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(&t),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, line: u32) {
        let kind = match tag {
            Tag::Paragraph => Kind::Paragraph,
            Tag::Heading { level, id, .. } => Kind::Heading {
                level: heading_level(level),
                anchor: id.map(|i| i.into_string()),
            },
            Tag::BlockQuote(_) => Kind::Quote,
            Tag::CodeBlock(kind) => Kind::Code {
                lang: match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                },
                code: String::new(),
            },
            Tag::List(_) => Kind::List,
            Tag::Item => Kind::Item,
            Tag::Emphasis => Kind::Emphasis,
            Tag::Strong | Tag::Strikethrough => Kind::Strong,
            Tag::Superscript => Kind::Superscript,
            Tag::Link { dest_url, .. } => Kind::Link {
                href: dest_url.into_string(),
            },
            Tag::Table(_) => Kind::Table,
            Tag::TableHead | Tag::TableRow => Kind::Row,
            Tag::TableCell => Kind::Cell,
            _ => Kind::Skip,
        };
        self.open(kind, line);
    }

    fn close_row(&mut self, _line: u32) {
        self.close();
    }

    fn close(&mut self) {
        let Some(mut frame) = self.stack.pop() else {
            return;
        };
        if self.stack.is_empty() {
            self.stack.push(frame);
            return;
        }
        let line = frame.line;
        match frame.kind {
            Kind::Root => {}
            Kind::Paragraph => self.top().blocks.push(Block::Paragraph {
                text: frame.inlines,
                line,
            }),
            Kind::Heading { level, anchor } => {
                let (text, anchor) = split_trailing_anchor(frame.inlines, anchor);
                self.top().blocks.push(Block::Heading {
                    level,
                    text,
                    anchor,
                    line,
                })
            }
            Kind::Quote => {
                frame.flush_inlines();
                let block = Block::Container {
                    kind: Container::Quote,
                    blocks: frame.blocks,
                    line,
                };
                self.top().blocks.push(block);
            }
            Kind::List => self.top().blocks.push(Block::List {
                items: frame.items,
                line,
            }),
            Kind::Item => {
                frame.flush_inlines();
                self.top().items.push(frame.blocks);
            }
            Kind::Code { lang, code } => self.top().blocks.push(Block::Code { lang, code, line }),
            Kind::Strong => self.push_inline(Inline::Strong(frame.inlines)),
            Kind::Emphasis => self.push_inline(Inline::Emphasis(frame.inlines)),
            Kind::Superscript => self.push_inline(Inline::Superscript(frame.inlines)),
            Kind::Link { href } => self.push_inline(Inline::Link {
                href,
                content: frame.inlines,
            }),
            Kind::Table => self.top().blocks.push(Block::Table {
                rows: frame.rows,
                line,
            }),
            Kind::Row => self.top().rows.push(Row {
                cells: frame.cells,
                line,
            }),
            Kind::Cell => {
                let blocks = if frame.inlines.is_empty() {
                    vec![]
                } else {
                    vec![Block::Paragraph {
                        text: frame.inlines,
                        line,
                    }]
                };
                self.top().cells.push(Cell { blocks, line });
            }
            Kind::Flat { block } => self.close_flat(frame, block),
            Kind::Skip => {
                // An image's alt text still reads as text; everything else is dropped.
                let text = crate::render::inlines_plain(&frame.inlines);
                if !text.is_empty() {
                    self.push_inline(Inline::Text(text));
                }
            }
        }
    }
}

impl Builder {
    /// Hands a flattened frame's content to its parent: inline content stays inline, block
    /// content becomes the parent's blocks (a list's item, when the parent is a list).
    fn close_flat(&mut self, mut frame: Frame, block: bool) {
        if !frame.rows.is_empty() {
            let rows = std::mem::take(&mut frame.rows);
            frame.blocks.push(Block::Table {
                rows,
                line: frame.line,
            });
        }
        let parent = self.top();
        if !block && frame.blocks.is_empty() {
            parent.inlines.append(&mut frame.inlines);
            return;
        }
        frame.flush_inlines();
        if matches!(parent.kind, Kind::List) {
            parent.items.push(frame.blocks);
        } else {
            parent.flush_inlines();
            parent.blocks.append(&mut frame.blocks);
        }
    }
}

fn is_block(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Paragraph
            | Kind::Heading { .. }
            | Kind::Quote
            | Kind::List
            | Kind::Code { .. }
            | Kind::Table
    )
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// pulldown-cmark only takes `{#id}` as the last thing on the heading line; YFM also allows
/// it before trailing spaces or inside the text. Peel a trailing `{#id}` off the text.
fn split_trailing_anchor(
    mut text: Vec<Inline>,
    anchor: Option<String>,
) -> (Vec<Inline>, Option<String>) {
    if anchor.is_some() {
        return (text, anchor);
    }
    if let Some(Inline::Text(last)) = text.last_mut() {
        let trimmed = last.trim_end();
        if let Some(open) = trimmed.rfind("{#") {
            if trimmed.ends_with('}') {
                let id = trimmed[open + 2..trimmed.len() - 1].trim().to_owned();
                *last = trimmed[..open].trim_end().to_owned();
                return (text, Some(id));
            }
        }
    }
    (text, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_keep_anchors_and_lines() {
        let blocks = parse("text\n\n## Fields {#fields}\n", 10, 0, &mut Vec::new());
        assert_eq!(
            blocks[1],
            Block::Heading {
                level: 2,
                text: vec![Inline::Text("Fields".into())],
                anchor: Some("fields".into()),
                line: 12
            }
        );
    }

    #[test]
    fn required_markers_survive_as_inlines() {
        let cases = [
            (
                "**id***",
                vec![
                    Inline::Strong(vec![Inline::Text("id".into())]),
                    Inline::Text("*".into()),
                ],
            ),
            (
                "**id**^*^",
                vec![
                    Inline::Strong(vec![Inline::Text("id".into())]),
                    Inline::Superscript(vec![Inline::Text("*".into())]),
                ],
            ),
            (
                "**\\***",
                vec![Inline::Strong(vec![Inline::Text("*".into())])],
            ),
        ];
        for (src, expected) in cases {
            let blocks = parse(src, 1, 0, &mut Vec::new());
            assert_eq!(
                blocks,
                vec![Block::Paragraph {
                    text: expected,
                    line: 1
                }],
                "{src}"
            );
        }
    }

    #[test]
    fn tight_lists_and_code_blocks() {
        let blocks = parse("- a\n- b `c`\n\n```json\n{}\n```\n", 1, 0, &mut Vec::new());
        assert!(matches!(&blocks[0], Block::List { items, .. } if items.len() == 2));
        assert_eq!(
            blocks[1],
            Block::Code {
                lang: "json".into(),
                code: "{}\n".into(),
                line: 4
            }
        );
    }

    #[test]
    fn many_segments_parse_as_one_each_with_its_own_lines() {
        let cells = [
            ("**a**\n`int`", 10),
            ("- x\n- y", 20),
            ("", 30),
            ("plain *em*", 40),
        ];
        let parsed = parse_many(&cells, 0, &mut Vec::new());
        let one_by_one: Vec<Vec<Block>> = cells
            .iter()
            .map(|(t, l)| parse(t, *l, 0, &mut Vec::new()))
            .collect();
        assert_eq!(parsed, one_by_one);
        assert_eq!(parsed[1][0].line(), 20);
    }

    #[test]
    fn plain_text_shortcut_matches_the_parser() {
        let samples = [
            "plain words",
            "Identifier of the deal.",
            "déjà vu, 100 %",
            "a  b",
            "C# and F#",
            "1. not plain",
            "- not plain",
            "x * y",
            "under_score",
            "tab\tinside",
            "",
            " lead",
            "trail ",
            "a: b; (c) \"d\" 'e' / f = g + h",
            "2) x",
            "= x",
            "+ x",
            "400",
            "2026 year",
            "12. x",
            "3)",
            "1.5",
            "RESOLVE_RECIPIENTS_ERROR",
            "_x_",
            "a _b_ c",
            "Param #1 {x} $y",
            "# h",
            "#1",
        ];
        for text in samples {
            let mut run_issues = Vec::new();
            let parsed = run(text, 0, &mut run_issues, |_| 7);
            if let Some(fast) = plain(text, 7) {
                assert_eq!(fast, parsed, "{text:?}");
            }
        }
        for (text, read) in [
            ("400", true),
            ("2026 year", true),
            ("12. x", false),
            ("3)", false),
        ] {
            assert_eq!(plain(text, 7).is_some(), read, "{text:?}");
        }
    }

    #[test]
    fn quotes_become_containers() {
        let blocks = parse("> Scope: `crm`\n>\n> Who: admin\n", 1, 0, &mut Vec::new());
        assert!(
            matches!(&blocks[0], Block::Container { kind: Container::Quote, blocks, .. } if blocks.len() == 2)
        );
    }
}
