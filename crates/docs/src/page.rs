//! The page model every frontend produces: a small document tree that keeps exactly what
//! extraction needs (headings with anchors, tables with cells, code blocks, notes, tabs,
//! includes) and line numbers for diagnostics.
//!
//! Markdown, HTML and text frontends differ in how they build a [`Page`]; everything after that
//! (finding tables, reading parameters, errors, examples) is shared.

/// One documentation page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    /// Path relative to the docs root, with `/` separators.
    pub path: String,
    /// Top-level content in document order.
    pub blocks: Vec<Block>,
}

/// A block of content. `line` is 1-based in the page's source file (for included content, in
/// the including page, at the include directive).
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// `# Title {#anchor}`.
    Heading {
        level: u8,
        text: Vec<Inline>,
        anchor: Option<String>,
        line: u32,
    },
    /// A paragraph (also a `>` quote line's paragraph, inside [`Container::Quote`]).
    Paragraph { text: Vec<Inline>, line: u32 },
    /// A bulleted or numbered list; each item is a sequence of blocks.
    List { items: Vec<Vec<Block>>, line: u32 },
    /// A fenced or indented code block.
    Code {
        lang: String,
        code: String,
        line: u32,
    },
    /// A table; the first row is usually the header.
    Table { rows: Vec<Row>, line: u32 },
    /// A note, tab set, tab, cut, quote or conditional section.
    Container {
        kind: Container,
        blocks: Vec<Block>,
        line: u32,
    },
    /// An `{% include %}` with the included fragment's content (empty when it could not be read).
    Include {
        target: String,
        /// Shared by every page that includes the fragment (one parse per run).
        blocks: std::sync::Arc<Vec<Block>>,
        line: u32,
    },
}

/// What kind of container a [`Block::Container`] is.
#[derive(Clone, Debug, PartialEq)]
pub enum Container {
    /// `{% note kind "title" %}`.
    Note { kind: String, title: String },
    /// `{% list tabs %}`: its blocks are [`Container::Tab`]s.
    Tabs,
    /// One tab of a tab set.
    Tab { title: String },
    /// `{% cut "title" %}`.
    Cut { title: String },
    /// A `>` block quote.
    Quote,
    /// `{% if ... %}`: both branches are kept.
    Conditional,
}

/// A table row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub line: u32,
}

/// A table cell: arbitrary blocks (lists, notes, code, nested tables).
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub blocks: Vec<Block>,
    pub line: u32,
}

/// Inline content.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Superscript(Vec<Inline>),
    Link {
        href: String,
        content: Vec<Inline>,
    },
    /// A soft or hard line break (`<br>` in HTML).
    Break,
}

impl Block {
    /// The source line of the block.
    pub fn line(&self) -> u32 {
        match self {
            Block::Heading { line, .. }
            | Block::Paragraph { line, .. }
            | Block::List { line, .. }
            | Block::Code { line, .. }
            | Block::Table { line, .. }
            | Block::Container { line, .. }
            | Block::Include { line, .. } => *line,
        }
    }

    /// Nested blocks, for walking the tree.
    pub fn children(&self) -> &[Block] {
        match self {
            Block::Container { blocks, .. } => blocks,
            Block::Include { blocks, .. } => blocks.as_slice(),
            _ => &[],
        }
    }
}

impl Cell {
    /// The cell's inline content when it is a single paragraph or heading-free text, else the
    /// first paragraph's.
    pub fn first_inlines(&self) -> &[Inline] {
        self.blocks
            .iter()
            .find_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }

    /// Plain text of the whole cell, whitespace collapsed.
    pub fn plain_text(&self) -> String {
        crate::render::blocks_plain(&self.blocks)
    }
}
