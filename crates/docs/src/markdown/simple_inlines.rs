//! The blocks pulldown-cmark would build for a table cell in the shapes most cells take, built
//! without the parser: one paragraph whose lines hold plain text, code spans, `**bold**`
//! names (with the `*` required marker) and links with plain or code text, such as
//! ``**id***`` / ``[`integer`](../data-types.md)``.
//!
//! Most table cells are that (tens of thousands per run); running the parser over them cost
//! more than the rest of their reading. Anything outside these shapes, or that could read
//! differently in CommonMark (emphasis that is not a plain bold name, escapes, entities, HTML,
//! line starts that open a block, trailing spaces), returns `None` and goes to the parser. The
//! property test below checks the shortcut against the parser.

use crate::page::{Block, Inline};

/// Frames the builder needs for a paragraph holding a bold name or a link: the root, the
/// paragraph and the inline container. Shallower than that, the builder flattens, so the
/// parser decides.
const FRAMES: usize = 3;

/// Frames a list needs: the root, the list, the item, its paragraph (when loose) and the
/// inline container.
const LIST_FRAMES: usize = 5;

/// The blocks pulldown-cmark would give for `text` (first line `line`), when `text` has only
/// the shapes this module reads: paragraphs apart by one empty line, and `- ` lists whose
/// items are one such paragraph each; `frames_left` is how many frames the builder may still
/// open.
pub(super) fn paragraph(text: &str, line: u32, frames_left: usize) -> Option<Vec<Block>> {
    if text.is_empty() || frames_left < FRAMES {
        return None;
    }
    let mut reader = Reader {
        blocks: Vec::new(),
        inlines: Vec::new(),
        first_line: line,
        list: None,
    };
    let mut blank = false;
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for (index, end) in ends.enumerate() {
        let this = &text[start..end];
        start = end + 1;
        let line_no = line + index as u32;
        if this.is_empty() {
            // A blank line ends the paragraph (or the item). A blank line first, last or
            // after another one is left to the parser.
            if blank || reader.inlines.is_empty() {
                return None;
            }
            reader.finish_paragraph();
            blank = true;
            continue;
        }
        // Spaces before a line break are dropped (two or more make a hard break, which the
        // page model reads as the same break); the last line keeps the strict test.
        let this = if end < text.len() {
            this.trim_end_matches(' ')
        } else {
            this
        };
        if let Some(item) = this.strip_prefix("- ") {
            // A `- ` line with text opens an item; it interrupts a paragraph, and after a
            // blank line in a list it continues the (now loose) list, which the page model
            // reads the same.
            if frames_left < LIST_FRAMES {
                return None;
            }
            reader.finish_paragraph();
            reader.list.get_or_insert((line_no, Vec::new()));
            reader.first_line = line_no;
            read_line(item, &mut reader.inlines)?;
        } else if blank || reader.inlines.is_empty() {
            // A paragraph after a blank line (which ends a list) or at the start.
            reader.finish_list();
            reader.first_line = line_no;
            read_line(this, &mut reader.inlines)?;
        } else {
            // A continuation line (in an item, a lazy one).
            reader.inlines.push(Inline::Break);
            read_line(this, &mut reader.inlines)?;
        }
        blank = false;
    }
    if blank {
        return None;
    }
    reader.finish_paragraph();
    reader.finish_list();
    Some(reader.blocks)
}

/// What [`paragraph`] has read so far.
struct Reader {
    blocks: Vec<Block>,
    /// The open paragraph's inlines (of the open item, in a list).
    inlines: Vec<Inline>,
    /// Where the open paragraph starts.
    first_line: u32,
    /// The open list: its line and the items read.
    list: Option<(u32, Vec<Vec<Block>>)>,
}

impl Reader {
    /// Closes the open paragraph, into the open item if any.
    fn finish_paragraph(&mut self) {
        if self.inlines.is_empty() {
            return;
        }
        let paragraph = Block::Paragraph {
            text: std::mem::take(&mut self.inlines),
            line: self.first_line,
        };
        match &mut self.list {
            Some((_, items)) => items.push(vec![paragraph]),
            // Most cells are one paragraph: allocated for one, not grown to four.
            None if self.blocks.is_empty() => self.blocks = vec![paragraph],
            None => self.blocks.push(paragraph),
        }
    }

    /// Closes the open list (its last item already closed).
    fn finish_list(&mut self) {
        if let Some((line, items)) = self.list.take() {
            self.blocks.push(Block::List { items, line });
        }
    }
}

/// Reads one line into `out`; `None` when it holds anything else.
fn read_line(line: &str, out: &mut Vec<Inline>) -> Option<()> {
    // A line starts with a letter or one of the constructs: no block (list, heading, quote,
    // code, table row, setext underline, thematic break) starts that way, and no leading
    // or trailing space is stripped.
    let first = line.chars().next()?;
    let starts_well = first.is_ascii_alphabetic()
        || matches!(first, '*' | '`' | '[')
        || (!first.is_ascii() && first.is_alphabetic());
    if !starts_well || line.ends_with([' ', '\t']) {
        return None;
    }
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'*' => at = bold(line, at, out)?,
            b'`' => {
                let (code, end) = code_span(line, at)?;
                out.push(Inline::Code(code.to_owned()));
                at = end;
            }
            b'[' => at = link(line, at, out)?,
            // `\|` (between types: `[`a`](x) \| [`b`](y)`) is an escaped `|`.
            b'\\' if bytes.get(at + 1) == Some(&b'|') => {
                push_text(out, "|");
                at += 2;
            }
            _ => {
                let end = plain_run(bytes, at);
                if end == at {
                    return None;
                }
                push_text(out, &line[at..end]);
                at = end;
            }
        }
    }
    Some(())
}

/// The end of the run of [`is_plain`] characters from `at`, by bytes: the only non-ASCII
/// characters that are not plain are the C1 controls, U+0080 to U+009F (`C2 80` to `C2 9F`).
/// It ends on an ASCII byte or a `C2` lead byte, so on a character boundary.
fn plain_run(bytes: &[u8], at: usize) -> usize {
    let mut i = at;
    while i < bytes.len() {
        let b = bytes[i];
        // One table look-up per byte: this loop reads most of every cell's text.
        let stop = match BYTE_CLASS[usize::from(b)] {
            TEXT => false,
            NOT_TEXT => true,
            _ if b == b'_' => !intraword(bytes, i),
            _ => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        };
        if stop {
            break;
        }
        i += 1;
    }
    i
}

/// [`BYTE_CLASS`]: a byte of a plain character.
const TEXT: u8 = 0;
/// [`BYTE_CLASS`]: an ASCII character that is not plain.
const NOT_TEXT: u8 = 1;
/// [`BYTE_CLASS`]: `_`, and `C2`, which leads a C1 control or a plain character: the bytes
/// around decide.
const DEPENDS: u8 = 2;

/// What each byte says about [`is_plain`] (see the classes above).
const BYTE_CLASS: [u8; 256] = byte_classes();

/// The ASCII controls and the marks [`is_plain`] names (a test checks the two agree).
const fn byte_classes() -> [u8; 256] {
    let mut classes = [TEXT; 256];
    let mut b = 0;
    while b < 0x20 {
        classes[b] = NOT_TEXT;
        b += 1;
    }
    classes[0x7f] = NOT_TEXT;
    let marks = b"*`[]<>!&\\|~^";
    let mut i = 0;
    while i < marks.len() {
        classes[marks[i] as usize] = NOT_TEXT;
        i += 1;
    }
    classes[b'_' as usize] = DEPENDS;
    classes[0xc2] = DEPENDS;
    classes
}

/// Whether `bytes` holds no ASCII control and no ASCII mark that may be markdown syntax (the
/// marks [`is_plain`] names; a `_` only when not [`intraword`]). Non-ASCII bytes all pass.
pub(super) fn no_ascii_marks(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .enumerate()
        .all(|(i, &b)| match BYTE_CLASS[usize::from(b)] {
            NOT_TEXT => false,
            DEPENDS if b == b'_' => intraword(bytes, i),
            _ => true,
        })
}

/// Whether the byte at `at` stands between two ASCII letters or digits: a `_` there can
/// neither open nor close emphasis, so it is text.
fn intraword(bytes: &[u8], at: usize) -> bool {
    at > 0
        && bytes[at - 1].is_ascii_alphanumeric()
        && bytes.get(at + 1).is_some_and(u8::is_ascii_alphanumeric)
}

/// A character that is text wherever it stands in these shapes (`#`, `{`, `}` and `$` too:
/// heading attributes and math are not read in paragraphs with these parser options).
fn is_plain(c: char) -> bool {
    !c.is_control()
        && !matches!(
            c,
            '*' | '_' | '`' | '[' | ']' | '<' | '>' | '!' | '&' | '\\' | '|' | '~' | '^'
        )
}

/// Adds text, joined to text just before it as the builder joins it.
fn push_text(out: &mut Vec<Inline>, text: &str) {
    match out.last_mut() {
        Some(Inline::Text(prev)) => prev.push_str(text),
        _ => out.push(Inline::Text(text.to_owned())),
    }
}

/// `**Name**` at `at` (after a line start or a space, before the line end or a space), or
/// `**name***` ending the line (the required marker, which stays text); returns the position
/// after it. The name starts and ends with an ASCII letter or digit and holds letters, digits,
/// `.`, single spaces and `_` between letters or digits, so both runs flank it unambiguously
/// and nothing inside can open emphasis.
fn bold(line: &str, at: usize, out: &mut Vec<Inline>) -> Option<usize> {
    let bytes = line.as_bytes();
    if at > 0 && bytes[at - 1] != b' ' {
        return None;
    }
    let name_start = at + 2;
    if bytes.get(at + 1) != Some(&b'*') {
        return None;
    }
    let len = bytes[name_start..]
        .iter()
        .position(|b| *b == b'*')
        .filter(|len| *len > 0)?;
    let name = &line[name_start..name_start + len];
    if !plain_name(name) {
        return None;
    }
    let close = name_start + len;
    if bytes.get(close + 1) != Some(&b'*') {
        return None;
    }
    let after = close + 2;
    let marker = match bytes.get(after) {
        None | Some(b' ') => false,
        Some(b'*') if after + 1 == bytes.len() => true,
        _ => return None,
    };
    out.push(Inline::Strong(vec![Inline::Text(name.to_owned())]));
    if marker {
        push_text(out, "*");
        return Some(after + 1);
    }
    Some(after)
}

fn plain_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
        return false;
    }
    bytes.iter().enumerate().all(|(i, b)| match b {
        b if b.is_ascii_alphanumeric() || *b == b'.' => true,
        b' ' => bytes[i - 1] != b' ',
        b'_' => bytes[i - 1].is_ascii_alphanumeric() && bytes[i + 1].is_ascii_alphanumeric(),
        _ => false,
    })
}

/// `` `code` `` at `at`: one backtick each side, no space at either end (CommonMark strips one)
/// and nothing inside that another construct could claim first. Returns the code and the
/// position after the span.
fn code_span(line: &str, at: usize) -> Option<(&str, usize)> {
    let len = memchr::memchr(b'`', &line.as_bytes()[at + 1..])?;
    let code = &line[at + 1..at + 1 + len];
    let fits =
        !code.is_empty() && !code.starts_with(' ') && !code.ends_with(' ') && code_fits(code);
    // Two backticks in a row open or close a longer run.
    let end = at + 1 + len + 1;
    if !fits || line.as_bytes().get(end) == Some(&b'`') {
        return None;
    }
    Some((code, end))
}

/// Whether `code` holds no `|`, `<`, tab or control character, and every bracket in it is
/// part of a `[]` (an array type, `string[]`): such code holds no `](` a link could end on,
/// and no `[` a link could start with. One pass over the bytes: the only non-ASCII controls
/// are U+0080 to U+009F (`C2 80` to `C2 9F`).
fn code_fits(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| match b {
        b'|' | b'<' => false,
        b'[' => bytes.get(i + 1) == Some(&b']'),
        b']' => i > 0 && bytes[i - 1] == b'[',
        0xc2 => !matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        b => !b.is_ascii_control(),
    })
}

/// `[text](target)` at `at`, the text plain or one code span, the target a relative or
/// absolute path or URL without spaces, parentheses, escapes or entities.
fn link(line: &str, at: usize, out: &mut Vec<Inline>) -> Option<usize> {
    let bytes = line.as_bytes();
    // The first `](`, by memchr (a substring searcher costs more to set up than this line).
    let close = memchr::memchr_iter(b']', &bytes[at..])
        .map(|i| at + i)
        .find(|&i| bytes.get(i + 1) == Some(&b'('))?;
    let label = &line[at + 1..close];
    let content = if label.starts_with('`') {
        let (code, end) = code_span(label, 0)?;
        if end != label.len() {
            return None;
        }
        Inline::Code(code.to_owned())
    } else if !label.is_empty() && label.chars().all(is_plain) && !label.starts_with(' ') {
        if label.ends_with(' ') {
            return None;
        }
        Inline::Text(label.to_owned())
    } else {
        return None;
    };
    let target_start = close + 2;
    let target_len = memchr::memchr(b')', &bytes[target_start..])?;
    let target = &line[target_start..target_start + target_len];
    let fits = !target.is_empty()
        && target
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._#:?=%-".contains(&b));
    if !fits {
        return None;
    }
    out.push(Inline::Link {
        href: target.to_owned(),
        content: vec![content],
    });
    Some(target_start + target_len + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::blocks;
    use proptest::prelude::*;

    fn parsed(text: &str) -> Vec<Block> {
        let mut issues = Vec::new();
        blocks::parse_with_parser(text, 5, 0, &mut issues)
    }

    #[test]
    fn cells_of_the_common_shapes_are_read_without_the_parser() {
        for text in [
            "**id***\n[`integer`](../../data-types.md)",
            "**How to Fix**",
            "**data.FIELDS***\n[`object`](../../../data-types.md)",
            "Identifier of the [deal](./crm-deal-get.md#fields), `0` if none",
            "`string`",
            "Список **UF_CRM_1** полей",
            "The 'USER_TYPE_ID' field is not found.",
            "Invalid value of parameter {Parameter #1}, $x",
            "**phones**\n[`string[]`](../../data-types.md)",
            "**DATA**\n[`object`](../../data-types.md) \\| [`array`](../../data-types.md)",
            "Returns `int[]` or `[]`",
            "x  \ny",
            "**MODIFIED_BY** \n[`integer`](../../../data-types.md)",
            "Site identifier.\n\nDefault — current site",
            "Flags.\n\nThe structure is described [below](#user-block-chat)",
            "Possible values:\n- `Y` — yes\n- `N` — no\n\nDefault `N`",
            "- `a` — x\n\n- `b` — y",
            "- a\nlazy\n- b",
            "- item",
            "Text\n\n- **a**\n- [b](c.md)\n\nAfter",
        ] {
            let fast = paragraph(text, 5, 32).unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!(fast, parsed(text), "{text:?}");
        }
    }

    #[test]
    fn plain_runs_by_byte_end_where_plain_chars_end() {
        for text in [
            "abc",
            "a*b",
            "é\u{85}x",
            "日本語`",
            "x\u{9f}",
            "\u{a0}\u{100}|",
        ] {
            let by_char = text.find(|c: char| !is_plain(c)).unwrap_or(text.len());
            assert_eq!(plain_run(text.as_bytes(), 0), by_char, "{text:?}");
        }
    }

    #[test]
    fn code_fits_as_the_char_tests_it_replaces() {
        let brackets = |code: &str| {
            let bytes = code.as_bytes();
            bytes.iter().enumerate().all(|(i, b)| match b {
                b'[' => bytes.get(i + 1) == Some(&b']'),
                b']' => i > 0 && bytes[i - 1] == b'[',
                _ => true,
            })
        };
        let old = |code: &str| {
            !code.contains(['|', '<', '\t'])
                && brackets(code)
                && !code.chars().any(char::is_control)
        };
        for code in [
            "int", "a|b", "a<b", "a\tb", "x[]", "x[", "]x", "[]]", "a\u{85}b", "a\u{9f}",
            "a\u{a0}b", "é", "\u{7f}", "\n", "日本[]", "\u{80}", "\u{100}",
        ] {
            assert_eq!(code_fits(code), old(code), "{code:?}");
        }
    }

    #[test]
    fn byte_classes_agree_with_plain_chars() {
        for b in 0..128u8 {
            let class = BYTE_CLASS[usize::from(b)];
            if b == b'_' {
                assert_eq!(class, DEPENDS);
            } else {
                assert_eq!(class == TEXT, is_plain(char::from(b)), "{b:#x}");
            }
        }
        for b in 0x80..=0xffu8 {
            let expected = if b == 0xc2 { DEPENDS } else { TEXT };
            assert_eq!(BYTE_CLASS[usize::from(b)], expected, "{b:#x}");
        }
    }

    #[test]
    fn doubtful_shapes_go_to_the_parser() {
        for text in [
            "*em*",
            "**a**b",
            "** a**",
            "**a_**",
            "**id*** more",
            "1. item",
            "x \t\ny",
            "a\n\n\nb",
            "_a_",
            "a _b_",
            "é_x",
            "`a`_b",
            "# heading {#id}",
            "`a[b`",
            "`]`",
            "[`a[`](x)",
            "a \\* b",
            "a\\",
            "\n\na",
            "a\n\n",
            "a\n \nb",
            "- a\n  - b",
            "-  a",
            "- - -",
            "- a\n\n  b",
            "a &amp; b",
            "`` a ` b ``",
            "[x](a b)",
            "# heading",
            "a\n---",
            "a\n=",
        ] {
            assert_eq!(paragraph(text, 5, 32), None, "{text:?}");
        }
        assert_eq!(paragraph("**a**", 5, 2), None, "too deep to keep the frame");
        assert_eq!(
            paragraph("- a", 5, 4),
            None,
            "too deep to keep the list's frames"
        );
    }

    /// Anything markdown may hold around these shapes.
    const PIECES: &[&str] = &[
        "**",
        "*",
        "***",
        "`",
        "``",
        "[",
        "](",
        ")",
        "]",
        "a",
        "Zb",
        "1",
        "_",
        " ",
        "  ",
        "\n",
        ".",
        "x.md",
        "#",
        "é",
        "—",
        "(",
        ":",
        "|",
        "-",
        "\\",
        "&",
        "<",
        "!",
        "~",
        "^",
        "{",
        "}",
        "$",
        "\t",
        "**id***",
        "[`integer`](../data-types.md)",
        "`code`",
        "**How to Fix**",
        "[link](https://x.y/a?b=1#c)",
        "=",
        "+",
        "> ",
        "    ",
    ];

    /// Mostly the shapes read here, with the characters that border on them.
    const NEAR: &[&str] = &[
        "**id***",
        "**How to Fix**",
        "**a**",
        "**A_B.c**",
        "**a b**",
        "`code`",
        "`a b`",
        "`x*y_z`",
        "[`integer`](../data-types.md)",
        "[link](https://x.y/a?b=1#c)",
        "[a b](#x)",
        "\n\n",
        "\n- ",
        "- ",
        " \n",
        "  \n",
        "word",
        "é",
        "Слово",
        " ",
        " ",
        "\n",
        "\n",
        ", ",
        "(",
        ")",
        ":",
        ".",
        "-",
        "1",
        "*",
        "_",
        "a",
        "—",
        "_",
        "a_b",
        "#1",
        "{x}",
        "\\|",
        "\\",
        "|",
        "`a[]`",
        "[`string[]`](x.md)",
        "[]",
        "$",
        "**",
        "`",
        "[",
        "]",
    ];

    /// Whole lines: paragraphs, `- ` items and what borders on them.
    const LINES: &[&str] = &[
        "",
        "",
        "text",
        "Possible values:",
        "- `Y` — yes",
        "- **a** b",
        "- [x](y.md)",
        "- ",
        "-",
        "  - nested",
        "  more",
        " - spaced",
        "-  wide",
        "* star",
        "1. one",
        "---",
        "- - -",
        "word  ",
        "- item ",
        "**id***",
        "> quote",
        "    code",
    ];

    fn agrees(parts: &[&str]) -> Result<bool, TestCaseError> {
        let text = parts.concat();
        let Some(fast) = paragraph(&text, 5, 32) else {
            return Ok(false);
        };
        prop_assert_eq!(fast, parsed(&text), "{:?}", text);
        Ok(true)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn the_shortcut_agrees_with_the_parser(
            parts in prop::collection::vec(prop::sample::select(PIECES), 1..12),
        ) {
            agrees(&parts)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8192, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn the_shortcut_agrees_with_the_parser_on_paragraphs_and_lists(
            lines in prop::collection::vec(prop::sample::select(LINES), 1..8),
        ) {
            agrees(&[lines.join("\n").as_str()])?;
        }
    }

    proptest! {
        // About one case in ten has a shape read here; enough cases to check over a thousand.
        #![proptest_config(ProptestConfig { cases: 16384, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn the_shortcut_agrees_with_the_parser_near_its_shapes(
            parts in prop::collection::vec(prop::sample::select(NEAR), 1..10),
        ) {
            agrees(&parts)?;
        }
    }
}
