//! Sentences that name an error code with its HTTP status ("returns the error `CODE` with status
//! 404", "blocked with status `503` and error code `CODE`"): a page's only record of some codes,
//! and of the status its table of codes leaves out.

use std::sync::LazyLock;

use regex::Regex;

use crate::page::{Block, Inline};
use crate::render::{collapse_ws, inlines_markdown};

/// A code and status one sentence gives.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Mention {
    pub code: String,
    pub status: u16,
    /// The sentence (markdown).
    pub sentence: String,
}

/// An HTTP error status, bare or in a code span.
static STATUS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s`(])(?<status>[45]\d\d)(?:$|[\s`).,])").expect("status"));

/// Code spans in rendered markdown.
static SPAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`(?<code>[^`]+)`").expect("span"));

/// Every sentence in paragraphs and list items that says "error" or "code" and names exactly one code
/// and exactly one status.
pub(super) fn read(blocks: &[Block]) -> Vec<Mention> {
    let mut out = Vec::new();
    walk(blocks, &mut out);
    out
}

fn walk(blocks: &[Block], out: &mut Vec<Mention>) {
    for block in blocks {
        match block {
            Block::Paragraph { text, .. } => out.extend(mentions(text)),
            Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
            other => walk(other.children(), out),
        }
    }
}

fn mentions(text: &[Inline]) -> Vec<Mention> {
    let markdown = collapse_ws(&inlines_markdown(text));
    sentences(&markdown)
        .into_iter()
        .filter(|s| {
            let lower = s.to_lowercase();
            lower.contains("error") || lower.contains("code")
        })
        .filter_map(|sentence| {
            let codes: Vec<&str> = SPAN
                .captures_iter(sentence)
                .map(|c| c.name("code").map_or("", |m| m.as_str()))
                .filter(|c| super::is_code(c))
                .collect();
            let statuses: Vec<u16> = STATUS
                .captures_iter(sentence)
                .filter_map(|c| c["status"].parse().ok())
                .collect();
            match (codes.as_slice(), statuses.as_slice()) {
                ([code], [status]) => Some(Mention {
                    code: (*code).to_owned(),
                    status: *status,
                    sentence: sentence.to_owned(),
                }),
                _ => None,
            }
        })
        .collect()
}

/// Splits at `. ` outside code spans, keeping each sentence's full stop.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_span = false;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'`' => in_span = !in_span,
            b'.' if !in_span && bytes.get(i + 1) == Some(&b' ') => {
                out.push(text[start..=i].trim());
                start = i + 2;
            }
            _ => {}
        }
    }
    if start < text.len() {
        out.push(text[start..].trim());
    }
    out
}
