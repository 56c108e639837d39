//! A method page as a flat list of tables, code blocks and paragraphs, each tagged with the
//! section it sits in and the headings above it. Containers (notes, tabs, cuts) are opened;
//! included fragments are tagged with their target so shared tables are not taken for the
//! page's own.

use std::rc::Rc;

use super::ascii::contains_ascii_ci;
use crate::page::{Block, Inline, Row};
use crate::render::inlines_plain;

/// The part of a method page an item belongs to, from its level-2 heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Before the first level-2 heading.
    Intro,
    /// "Method Parameters", "Parameters", "Fields"...
    Params,
    /// "Code Examples".
    Examples,
    /// "Response Handling", "Returned Data".
    Response,
    /// "Error Handling", "Possible Error Codes".
    Errors,
    /// "See Also", "Continue Learning" and anything after them.
    Trailer,
    /// Any other level-2 section.
    Other,
}

/// A heading above an item.
#[derive(Clone, Debug, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: Option<String>,
    /// The id Diplodoc derives from the text, which links may use when there is no anchor.
    pub slug: String,
    pub line: u32,
}

/// An item of interest with its context.
#[derive(Debug)]
pub struct Item<'p> {
    pub section: Section,
    /// Headings in force, outermost first (level 2 and deeper). Shared by the items between
    /// two headings: a copy per item cost more than reading the item.
    pub headings: Rc<Vec<Heading>>,
    /// The include target when the item comes from an included fragment.
    pub include: Option<&'p str>,
    pub content: Content<'p>,
}

/// What the item is.
#[derive(Debug)]
pub enum Content<'p> {
    Table {
        rows: &'p [Row],
        line: u32,
    },
    Code {
        lang: &'p str,
        code: &'p str,
        line: u32,
    },
    Paragraph {
        text: &'p [Inline],
        line: u32,
    },
    Include {
        target: &'p str,
        line: u32,
    },
}

impl Item<'_> {
    /// The nearest heading above the item.
    pub fn heading(&self) -> Option<&Heading> {
        self.headings.last()
    }
}

/// Flattens a page.
pub fn outline(blocks: &[Block]) -> Outline<'_> {
    let mut walker = Walker {
        items: Vec::new(),
        headings: Vec::new(),
        shared: None,
        anchors: Vec::new(),
        section: Section::Intro,
    };
    walker.walk(blocks, None);
    Outline {
        items: walker.items,
        anchors: walker.anchors,
    }
}

/// The flattened page.
#[derive(Debug)]
pub struct Outline<'p> {
    pub items: Vec<Item<'p>>,
    /// Every heading on the page (with anchors), in order.
    pub anchors: Vec<Heading>,
}

struct Walker<'p> {
    items: Vec<Item<'p>>,
    headings: Vec<Heading>,
    /// `headings` as the items share it, until the next heading changes it.
    shared: Option<Rc<Vec<Heading>>>,
    anchors: Vec<Heading>,
    section: Section,
}

impl<'p> Walker<'p> {
    fn push(&mut self, include: Option<&'p str>, content: Content<'p>) {
        self.items.push(Item {
            section: self.section,
            headings: self
                .shared
                .get_or_insert_with(|| Rc::new(self.headings.clone()))
                .clone(),
            include,
            content,
        });
    }

    fn walk(&mut self, blocks: &'p [Block], include: Option<&'p str>) {
        for block in blocks {
            match block {
                Block::Heading {
                    level,
                    text,
                    anchor,
                    line,
                } => self.heading(include, *level, inlines_plain(text), anchor.clone(), *line),
                Block::Table { rows, line } => {
                    self.push(include, Content::Table { rows, line: *line })
                }
                Block::Code { lang, code, line } => self.push(
                    include,
                    Content::Code {
                        lang,
                        code,
                        line: *line,
                    },
                ),
                Block::Paragraph { text, line } => {
                    self.push(include, Content::Paragraph { text, line: *line })
                }
                Block::List { items, .. } => {
                    for item in items {
                        self.walk(item, include);
                    }
                }
                Block::Container { blocks, .. } => self.walk(blocks, include),
                Block::Include {
                    target,
                    blocks,
                    line,
                } => {
                    self.push(
                        include,
                        Content::Include {
                            target,
                            line: *line,
                        },
                    );
                    self.walk(blocks, Some(target));
                }
            }
        }
    }

    fn heading(
        &mut self,
        include: Option<&str>,
        level: u8,
        text: String,
        anchor: Option<String>,
        line: u32,
    ) {
        let heading = Heading {
            slug: slug(&text),
            level,
            text,
            anchor,
            line,
        };
        self.anchors.push(heading.clone());
        if level < 2 {
            return;
        }
        if level == 2 && include.is_none() {
            self.section = section_of(&heading.text, self.section);
        } else if include.is_none() && self.section == Section::Response && is_errors(&heading.text)
        {
            self.section = Section::Errors;
        }
        self.headings.retain(|h| h.level < level);
        self.headings.push(heading);
        self.shared = None;
    }
}

fn is_errors(text: &str) -> bool {
    contains_ascii_ci(text, "error")
}

/// The section a level-2 heading opens. Once the trailer starts, it never ends.
fn section_of(text: &str, current: Section) -> Section {
    if current == Section::Trailer {
        return current;
    }
    // Up to twelve words are looked for in every level-2 heading of every page; a heading
    // lacking one of a word's letters cannot hold it, which one pass over the heading tells.
    let held = letters(text);
    let has = |word: &str| {
        let needed = letters(word);
        held & needed == needed && contains_ascii_ci(text, word)
    };
    if has("see also") || has("continue learning") || has("learn more") || has("related") {
        Section::Trailer
    } else if has("error") {
        Section::Errors
    } else if has("example") {
        Section::Examples
    } else if has("response") || has("returned") || has("result") {
        Section::Response
    } else if has("parameter") || has("field") || has("argument") {
        Section::Params
    } else {
        Section::Other
    }
}

/// The ASCII letters `text` holds, in either case, one bit per letter.
fn letters(text: &str) -> u32 {
    text.bytes()
        .filter(u8::is_ascii_alphabetic)
        .fold(0, |set, b| set | 1 << (b.to_ascii_lowercase() - b'a'))
}

/// The id Diplodoc gives a heading without an explicit anchor.
fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // ASCII headings (most) need no lower-case copy; others keep `to_lowercase`, whose
    // context rules (final sigma) a per-char fold would miss.
    if text.is_ascii() {
        for b in text.bytes() {
            let c = char::from(b.to_ascii_lowercase());
            if c.is_ascii_alphanumeric() || c == '_' {
                out.push(c);
            } else if (c.is_ascii_whitespace() || c == '\x0b' || c == '-') && !out.ends_with('-') {
                out.push('-');
            }
        }
        return out.trim_matches('-').to_owned();
    }
    for c in text.to_lowercase().chars() {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if (c.is_whitespace() || c == '-') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}
