//! Turning page-model content back into text: plain text for matching, markdown for the
//! descriptions the spec carries.

use crate::page::{Block, Container, Inline};

/// Plain text of inline content: code spans unwrapped, breaks as spaces.
pub fn inlines_plain(inlines: &[Inline]) -> String {
    // A single text or code span (most headings, names and header cells) needs no buffer.
    if let [Inline::Text(t) | Inline::Code(t)] = inlines {
        return collapse_ws(t);
    }
    // Room for a typical heading or cell up front, not several doublings from empty.
    let mut out = String::with_capacity(64);
    push_plain(inlines, &mut out);
    collapse_ws_owned(out)
}

/// Appends [`inlines_plain`] of `inlines` to `out`; a single collapsed text or code span (a
/// linked type name, most of them) goes in without a buffer of its own.
pub fn push_inlines_plain(inlines: &[Inline], out: &mut String) {
    match inlines {
        [Inline::Text(t) | Inline::Code(t)] if is_collapsed(t) => out.push_str(t),
        _ => out.push_str(&inlines_plain(inlines)),
    }
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Superscript(c) => push_plain(c, out),
            Inline::Link { content, .. } => push_plain(content, out),
            Inline::Break => out.push(' '),
        }
    }
}

/// Plain text of blocks, whitespace collapsed to single spaces.
pub fn blocks_plain(blocks: &[Block]) -> String {
    // One paragraph (most cells): its unmarked markdown differs from its plain text only in
    // whitespace (breaks as newlines, lines trimmed), which collapsing evens out, so the
    // plain text is read directly, without the markdown's line pass and buffers.
    if let [Block::Paragraph { text, .. } | Block::Heading { text, .. }] = blocks {
        return inlines_plain(text);
    }
    collapse_ws_owned(blocks_markdown(blocks, false))
}

/// [`collapse_ws`] of a text the caller owns: returned as it is when already collapsed, which
/// most cell and heading texts are, so they are neither scanned twice nor copied.
pub fn collapse_ws_owned(text: String) -> String {
    if is_collapsed(&text) {
        text
    } else {
        collapse_runs(&text)
    }
}

/// True when [`collapse_ws`] would return `text` unchanged: ASCII-only (a non-ASCII byte may
/// start Unicode whitespace; such texts take the full path), no space at either end, no
/// whitespace but single spaces.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    // Whole-text passes without early exits, which the compiler turns into wide compares:
    // this runs on every cell and description, and a byte-at-a-time walk cost ~5 Ir a byte.
    let controls = bytes
        .iter()
        .fold(false, |seen, &b| seen | matches!(b, b'\t'..=b'\r'));
    let double_spaces = bytes
        .iter()
        .zip(&bytes[1.min(bytes.len())..])
        .fold(false, |seen, (&a, &b)| seen | (a == b' ' && b == b' '));
    text.is_ascii() && !controls && !double_spaces
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse_ws(text: &str) -> String {
    if is_collapsed(text) {
        return text.to_owned();
    }
    collapse_runs(text)
}

/// [`collapse_ws`] of a text not yet known to be collapsed.
fn collapse_runs(text: &str) -> String {
    // One pass into one buffer: this runs on every table cell, several times. Bytes, not
    // chars: only a non-ASCII byte needs decoding to know whether it starts Unicode
    // whitespace (`split_whitespace` decodes every char).
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut word: Option<usize> = None;
    let mut at = 0;
    while at < bytes.len() {
        let (blank, len) = match bytes[at] {
            b if b.is_ascii() => (matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'), 1),
            _ => text[at..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8())),
        };
        match (blank, word) {
            (true, Some(start)) => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&text[start..at]);
                word = None;
            }
            (false, None) => word = Some(at),
            _ => {}
        }
        at += len;
    }
    if let Some(start) = word {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..]);
    }
    out
}

/// Markdown for inline content.
pub fn inlines_markdown(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_markdown(inlines, &mut out, true);
    out.trim().to_owned()
}

fn push_markdown(inlines: &[Inline], out: &mut String, marks: bool) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => out.push_str(t),
            Inline::Code(t) if marks => {
                let fence = if t.contains('`') { "``" } else { "`" };
                out.push_str(fence);
                out.push_str(t);
                out.push_str(fence);
            }
            Inline::Code(t) => out.push_str(t),
            Inline::Strong(c) if marks => {
                out.push_str("**");
                push_markdown(c, out, marks);
                out.push_str("**");
            }
            Inline::Emphasis(c) if marks => {
                out.push('_');
                push_markdown(c, out, marks);
                out.push('_');
            }
            Inline::Strong(c) | Inline::Emphasis(c) | Inline::Superscript(c) => {
                push_markdown(c, out, marks)
            }
            Inline::Link { href, content } if marks && !href.is_empty() => {
                out.push('[');
                push_markdown(content, out, marks);
                out.push_str("](");
                out.push_str(href);
                out.push(')');
            }
            Inline::Link { content, .. } => push_markdown(content, out, marks),
            Inline::Break => out.push('\n'),
        }
    }
}

/// Markdown for blocks (used for descriptions). `marks` false drops inline markup.
pub fn blocks_markdown(blocks: &[Block], marks: bool) -> String {
    // Most descriptions are one block: its text as it is, without the parts and the join.
    if let [block] = blocks {
        let mut text = block_markdown(block, marks);
        if text.trim().is_empty() {
            return String::new();
        }
        text.truncate(text.trim_end().len());
        return text;
    }
    // The parts written into one buffer as they come: no list of copies to join.
    let mut out = String::new();
    for block in blocks {
        let text = block_markdown(block, marks);
        if !text.trim().is_empty() {
            // Parts are never empty, so an empty buffer means no part before this one.
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(text.trim_end());
        }
    }
    out
}

fn inline_text(inlines: &[Inline], marks: bool) -> String {
    // Room for a typical cell or description line up front, not five doublings from empty.
    let mut out = String::with_capacity(64);
    push_markdown(inlines, &mut out, marks);
    // One line (most texts): trimming its ends is all the per-line pass below would do.
    // Both breaks are ASCII, so a byte search finds them without decoding every char.
    if memchr::memchr2(b'\n', b'\r', out.as_bytes()).is_none() {
        return trim_owned(out);
    }
    let mut joined = String::with_capacity(out.len());
    for line in out.lines() {
        if !joined.is_empty() {
            joined.push('\n');
        }
        joined.push_str(line.trim());
    }
    trim_owned(joined)
}

/// `text.trim()` of a text the caller owns, trimmed in place: most texts need no trimming,
/// and a copy for each would be wasted.
pub fn trim_owned(mut text: String) -> String {
    let end = text.trim_end().len();
    text.truncate(end);
    let start = text.len() - text.trim_start().len();
    // An empty drain still moves the whole text back into place.
    if start > 0 {
        text.drain(..start);
    }
    text
}

fn block_markdown(block: &Block, marks: bool) -> String {
    match block {
        Block::Heading { text, .. } | Block::Paragraph { text, .. } => inline_text(text, marks),
        // `- item` lines, continuation lines indented, written into one buffer (values lists
        // in descriptions: a copy per item and a join cost more than the text).
        Block::List { items, .. } => {
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str("- ");
                for (j, line) in blocks_markdown(item, marks).split('\n').enumerate() {
                    if j > 0 {
                        out.push_str("\n  ");
                    }
                    out.push_str(line);
                }
            }
            out
        }
        Block::Code { lang, code, .. } => format!("```{lang}\n{}\n```", code.trim_end()),
        Block::Table { rows, .. } => rows
            .iter()
            .map(|row| {
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .map(|c| collapse_ws_owned(blocks_markdown(&c.blocks, marks)))
                    .collect();
                format!("| {} |", cells.join(" | "))
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Container {
            kind: Container::Note { title, .. },
            blocks,
            ..
        } => {
            let body = blocks_markdown(blocks, marks);
            let title = if title.is_empty() {
                String::new()
            } else {
                format!("{title}: ")
            };
            format!("> {title}{}", body.replace('\n', "\n> "))
        }
        Block::Include { blocks, .. } => blocks_markdown(blocks, marks),
        Block::Container { blocks, .. } => blocks_markdown(blocks, marks),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_indent_their_continuation_lines() {
        let para = |t: &str| Block::Paragraph {
            text: vec![Inline::Text(t.into())],
            line: 1,
        };
        let list = Block::List {
            items: vec![vec![para("a"), para("b")], vec![], vec![para("c")]],
            line: 1,
        };
        assert_eq!(blocks_markdown(&[list], true), "- a\n  \n  b\n- \n- c");
    }

    #[test]
    fn whitespace_collapses_as_split_whitespace_collapses_it() {
        for text in [
            "",
            " ",
            "a",
            " a  b\tc\n",
            "é \u{a0}x\u{2003}\u{2003}y\u{85}",
            "\x0bq\x0c",
            "日本 語 ",
            "a b",
            "a  b",
            "a\tb",
            " a",
            "a ",
            "a\u{a0}b",
        ] {
            let words: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(collapse_ws(text), words.join(" "), "{text:?}");
            assert_eq!(
                collapse_ws_owned(text.to_owned()),
                words.join(" "),
                "{text:?}"
            );
        }
    }
}
