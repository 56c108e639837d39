//! What the top of a method page says: scopes, who can execute it, deprecation, and the
//! description paragraphs.

use std::sync::LazyLock;

use b24_spec::Deprecation;
use regex::Regex;

use super::ascii::starts_with_ascii_ci;
use crate::page::{Block, Container, Inline, Page};
use crate::render::{blocks_markdown, inlines_plain};

/// Scopes from the `> Scope:` line: code spans or words, `[]` when absent or "none".
pub fn scopes(page: &Page) -> Vec<String> {
    let Some(line) = quote_line(page, &["scope"]) else {
        return vec![];
    };
    // A code span holding prose ("depending on the placement") is not a scope name.
    let code: Vec<String> = line
        .iter()
        .flat_map(code_spans)
        .filter(|c| !c.contains(char::is_whitespace))
        .collect();
    let mut scopes = if code.is_empty() {
        let text = inlines_plain(line);
        let after = text
            .split_once(':')
            .map(|(_, v)| v)
            .unwrap_or(&text)
            .to_owned();
        after
            .split([',', ' '])
            .map(|s| s.trim().trim_matches('`').to_owned())
            .filter(|s| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
            .filter(|s| {
                !matches!(
                    s.to_lowercase().as_str(),
                    "and" | "or" | "none" | "no" | "any" | "not" | "required"
                )
            })
            .collect()
    } else {
        code
    };
    scopes.dedup();
    scopes
}

fn code_spans(inline: &Inline) -> Vec<String> {
    match inline {
        Inline::Code(c) => vec![c.trim().to_owned()],
        Inline::Link { content, .. } | Inline::Strong(content) | Inline::Emphasis(content) => {
            content.iter().flat_map(code_spans).collect()
        }
        _ => vec![],
    }
}

/// "Who can execute the method: X" → X.
pub fn access(page: &Page) -> Option<String> {
    quote_value(page, &["who can execute", "who can call", "who can run"])
}

/// "Who can subscribe: X" → X (event pages).
pub fn subscribers(page: &Page) -> Option<String> {
    quote_value(page, &["who can subscribe"])
}

/// The text after the colon of the header quote line starting with one of `prefixes`.
fn quote_value(page: &Page, prefixes: &[&str]) -> Option<String> {
    let line = quote_line(page, prefixes)?;
    let text = inlines_plain(line);
    let value = text
        .split_once(':')
        .map(|(_, v)| v.trim())
        .unwrap_or("")
        .trim_end_matches('.');
    (!value.is_empty()).then(|| value.to_owned())
}

/// The inline segment of a header quote that starts with one of `prefixes` (the quote's lines
/// may share one paragraph, split by breaks).
fn quote_line<'p>(page: &'p Page, prefixes: &[&str]) -> Option<&'p [Inline]> {
    for block in page.blocks.iter().take(20) {
        let Block::Container {
            kind: Container::Quote,
            blocks,
            ..
        } = block
        else {
            continue;
        };
        for inner in blocks {
            let Block::Paragraph { text, .. } = inner else {
                continue;
            };
            for segment in text.split(|i| matches!(i, Inline::Break)) {
                let plain = inlines_plain(segment);
                if prefixes.iter().any(|p| starts_with_ascii_ci(&plain, p)) {
                    return Some(segment);
                }
            }
        }
    }
    None
}

static REPLACEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:use|replaced by|instead|switch to|migrate to|in favou?r of|successor|new method|recommended)[^`\[]{0,80}(?:\[`?|`)([A-Za-z][\w]*(?:\.[\w]+)+)")
        .expect("replacement pattern")
});

/// Deprecation from notes near the top of the page and from `outdated/` folders.
pub fn deprecation(page: &Page, own_name: &str) -> Deprecation {
    let outdated_folder = page
        .path
        .split('/')
        .any(|p| p == "outdated" || p == "deprecated");
    let note = page.blocks.iter().take(25).find_map(|b| match b {
        Block::Container {
            kind: Container::Note { title, .. },
            blocks,
            ..
        } => {
            let text = blocks_markdown(blocks, true);
            // One lower-case copy for eight questions: a long note read in place once per
            // word costs more than the copy.
            let lower = text.to_lowercase();
            let has = |word: &str| lower.contains(word);
            (title.eq_ignore_ascii_case("deprecated")
                || has("deprecated")
                || has("no longer supported")
                || has("discontinued")
                || has("outdated")
                || has("has been halted")
                || has("development of this method")
                || has("is no longer being developed"))
            .then_some(text)
        }
        _ => None,
    });
    if note.is_none() && !outdated_folder {
        return Deprecation::Current;
    }
    let replacement = note.as_deref().and_then(|n| {
        REPLACEMENT
            .captures_iter(n)
            .map(|c| c[1].to_owned())
            .find(|m| m != own_name)
    });
    Deprecation::Deprecated {
        note,
        replacement,
        outdated_folder,
    }
}

/// The description: the intro paragraphs and lists between the header and the first
/// level-2 heading, without notes about AI tools or REST 3.0 membership.
pub fn description(page: &Page) -> String {
    // Each part rendered on its own and the non-blank ones joined, as `blocks_markdown` of
    // them all would: the parts are not copied out of the page to make one slice.
    let mut out = String::new();
    for block in page
        .blocks
        .iter()
        .skip_while(|b| matches!(b, Block::Heading { level: 1, .. }))
    {
        match block {
            Block::Heading { level, .. } if *level <= 2 => break,
            Block::Paragraph { .. } | Block::List { .. } => {
                let text = blocks_markdown(std::slice::from_ref(block), true);
                if !text.is_empty() {
                    if !out.is_empty() {
                        out.push_str("\n\n");
                    }
                    out.push_str(&text);
                }
            }
            _ => {}
        }
    }
    out
}
