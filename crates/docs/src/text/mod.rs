//! The text frontend: plain-text copies of website pages → [`Page`], the same page model the
//! markdown frontend produces, with what the copy lost marked rather than guessed.
//!
//! A copy has no markup, so structure comes from what the docs always write: the title on the
//! first line, the section headings every method page uses, `Scope:` and `Who can execute`
//! lines, tables ([`tables`]) and code ([`code`]). The system errors section is the shared
//! include; [`recover`] gives back error codes a copy lost, from the page's own error examples
//! and a known spec.

mod chunks;
mod code;
pub mod recover;
pub mod site;
mod tables;

use std::sync::Arc;

use chunks::{Chunk, Shape};

use crate::extract::SYSTEM_ERRORS_INCLUDE;
use crate::page::{Block, Container, Inline, Page};

pub use tables::LOST;

/// Section headings of method pages, with their levels.
const HEADINGS: [(&str, u8); 14] = [
    ("method parameters", 2),
    ("parameters", 2),
    ("code examples", 2),
    ("examples", 2),
    ("response handling", 2),
    ("error handling", 2),
    ("see also", 2),
    ("continue learning", 2),
    ("returned data", 3),
    ("response fields", 3),
    ("possible error codes", 3),
    ("returned error information", 3),
    ("statuses and system error codes", 3),
    ("parameter fields", 3),
];

/// What the copy told about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyShape {
    /// True when inline code spans were lost (line-shaped copies).
    pub lost_inline_code: bool,
}

/// Parses one copy; `path` names the page (a markdown path when known).
pub fn parse_page(path: &str, source: &str) -> (Page, CopyShape) {
    let (shape, chunks) = chunks::split(source);
    let mut blocks = Vec::new();
    if let Some(first) = chunks.first() {
        blocks.push(Block::Heading {
            level: 1,
            text: vec![Inline::Text(
                first.trimmed().lines().next().unwrap_or("").to_owned(),
            )],
            anchor: None,
            line: first.line,
        });
        blocks.extend(
            Reader {
                shape,
                chunks: &chunks[1..],
            }
            .blocks(),
        );
    }
    let blocks = crate::html::fragments::mark(wrap_system_errors(blocks));
    let page = Page {
        path: path.to_owned(),
        blocks,
    };
    (
        page,
        CopyShape {
            lost_inline_code: shape == Shape::Lines,
        },
    )
}

struct Reader<'c> {
    shape: Shape,
    chunks: &'c [Chunk],
}

impl Reader<'_> {
    fn blocks(&self) -> Vec<Block> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < self.chunks.len() {
            let (block, used) = self.block(at);
            if let Some(block) = block {
                merge_or_push(&mut out, block);
            }
            at += used.max(1);
        }
        out
    }

    fn block(&self, at: usize) -> (Option<Block>, usize) {
        let rest = &self.chunks[at..];
        let chunk = &rest[0];
        let text = chunk.trimmed();
        if let Some(level) = heading_level(text) {
            let heading = Block::Heading {
                level,
                text: vec![Inline::Text(text.to_owned())],
                anchor: Some(slug(text)),
                line: chunk.line,
            };
            return (Some(heading), 1);
        }
        if let Some((quote, used)) = header_quote(rest) {
            return (Some(quote), used);
        }
        let table = match self.shape {
            Shape::Lines => tables::line_table(rest),
            Shape::Blocks => tables::block_table(rest, |c| heading_level(c.trimmed()).is_some()),
        };
        if let Some((table, used)) = table {
            return (Some(table), used);
        }
        let code = match self.shape {
            Shape::Lines => code::line_code(rest),
            Shape::Blocks => code::block_code(chunk).map(|b| (b, 1)),
        };
        if let Some((code, used)) = code {
            return (Some(code), used);
        }
        if let Some(item) = text.strip_prefix("- ") {
            let list = Block::List {
                items: vec![vec![paragraph(item, chunk.line)]],
                line: chunk.line,
            };
            return (Some(list), 1);
        }
        (Some(paragraph(text, chunk.line)), 1)
    }
}

fn paragraph(text: &str, line: u32) -> Block {
    let mut inlines = Vec::new();
    for (i, part) in text.lines().enumerate() {
        if i > 0 {
            inlines.push(Inline::Break);
        }
        inlines.push(Inline::Text(part.trim().to_owned()));
    }
    Block::Paragraph {
        text: inlines,
        line,
    }
}

/// Consecutive list items form one list; consecutive header quotes one quote.
fn merge_or_push(out: &mut Vec<Block>, block: Block) {
    match (out.last_mut(), block) {
        (Some(Block::List { items, .. }), Block::List { items: more, .. }) => items.extend(more),
        (
            Some(Block::Container {
                kind: Container::Quote,
                blocks,
                ..
            }),
            Block::Container {
                kind: Container::Quote,
                blocks: more,
                ..
            },
        ) => blocks.extend(more),
        (_, block) => out.push(block),
    }
}

fn heading_level(text: &str) -> Option<u8> {
    let lower = text.to_lowercase();
    HEADINGS
        .iter()
        .find(|(h, _)| *h == lower)
        .map(|(_, level)| *level)
}

/// The anchor the website gives a heading.
fn slug(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// `Scope:` and `Who can execute` lines as the header quote. A copy may glue the scope value to
/// the next line (`Scope:` / `imWho can execute...`), so the value is cut where that starts.
fn header_quote(chunks: &[Chunk]) -> Option<(Block, usize)> {
    let chunk = chunks.first()?;
    let text = chunk.trimmed();
    let lower = text.to_lowercase();
    let mut used = 1;
    let mut inlines = Vec::new();
    if lower.starts_with("scope:") {
        let mut value = text["scope:".len()..].trim().to_owned();
        if value.is_empty() {
            value = chunks.get(1)?.trimmed().to_owned();
            used = 2;
        }
        let (scopes, access) = match value.find("Who can execute") {
            Some(at) => (value[..at].to_owned(), Some(value[at..].to_owned())),
            None => (value, None),
        };
        inlines.push(Inline::Text("Scope: ".into()));
        for (i, scope) in scopes
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .enumerate()
        {
            if i > 0 {
                inlines.push(Inline::Text(", ".into()));
            }
            inlines.push(Inline::Code(scope.to_owned()));
        }
        if let Some(access) = access {
            inlines.push(Inline::Break);
            inlines.push(Inline::Text(access));
        }
    } else if lower.starts_with("who can execute") || lower.starts_with("who can call") {
        inlines.push(Inline::Text(text.to_owned()));
    } else {
        return None;
    }
    let quote = Block::Container {
        kind: Container::Quote,
        blocks: vec![Block::Paragraph {
            text: inlines,
            line: chunk.line,
        }],
        line: chunk.line,
    };
    Some((quote, used))
}

/// The system errors section is the shared include: its heading and everything up to the next
/// heading as deep or deeper.
fn wrap_system_errors(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(u8, u32, Vec<Block>)> = None;
    for block in blocks {
        if let Block::Heading {
            level,
            anchor,
            line,
            ..
        } = &block
        {
            if let Some((_, start, body)) = open.take_if(|(at, _, _)| *level <= *at) {
                out.push(include(body, start));
            }
            if anchor.as_deref() == Some("statuses-and-system-error-codes") {
                open = Some((*level, *line, vec![block]));
                continue;
            }
        }
        match &mut open {
            Some((_, _, body)) => body.push(block),
            None => out.push(block),
        }
    }
    if let Some((_, start, body)) = open {
        out.push(include(body, start));
    }
    out
}

fn include(blocks: Vec<Block>, line: u32) -> Block {
    Block::Include {
        target: SYSTEM_ERRORS_INCLUDE.to_owned(),
        blocks: Arc::new(blocks),
        line,
    }
}
