//! The YFM (Diplodoc) pre-pass: splits a markdown source into what pulldown-cmark can parse
//! (plain markdown runs) and what it cannot (`#| |#` tables, `{% note %}`, `{% list tabs %}`,
//! `{% cut %}`, `{% if %}`, `{% include %}`), keeping line numbers.
//!
//! Table cells are returned as raw text; the caller runs this pass again on them, so constructs
//! nest (notes in cells, tables in notes, code in cells) up to [`MAX_NESTING`] levels. Deeper
//! bodies are kept as plain markdown with a diagnostic, so a hostile page cannot exhaust the
//! stack.

use crate::limits::MAX_NESTING;
use crate::page::Container;

/// A piece of a markdown source.
#[derive(Debug, PartialEq)]
pub(crate) enum Node {
    /// Plain markdown for pulldown-cmark; `line` is where `text` starts.
    Markdown { text: String, line: u32 },
    /// A `#| |#` table with raw cell text.
    Table { rows: Vec<RawRow>, line: u32 },
    /// A container; tab sets hold one `Container::Tab` node per tab.
    Container {
        kind: Container,
        children: Vec<Node>,
        line: u32,
    },
    /// `{% include [..](target) %}`.
    Include { target: String, line: u32 },
    /// A fenced code block, taken out here: its text is verbatim, so pulldown-cmark has
    /// nothing to add, and code examples are half of every page.
    Code {
        lang: String,
        code: String,
        line: u32,
    },
}

#[derive(Debug, PartialEq)]
pub(crate) struct RawRow {
    pub cells: Vec<RawCell>,
    pub line: u32,
}

#[derive(Debug, PartialEq)]
pub(crate) struct RawCell {
    pub text: String,
    pub line: u32,
}

/// Something the pre-pass could not make sense of, at a line.
#[derive(Debug, PartialEq)]
pub(crate) struct SyntaxIssue {
    pub line: u32,
    pub message: String,
}

/// Splits `source` (whose first line is `first_line`, nested `depth` levels deep in its page)
/// into nodes.
pub(crate) fn split(
    source: &str,
    first_line: u32,
    depth: usize,
    issues: &mut Vec<SyntaxIssue>,
) -> Vec<Node> {
    // Most table cells hold nothing the pre-pass cuts out: one markdown node, without the
    // line index and scanner (this runs once per cell, tens of thousands of times per run).
    if !has_yfm(source) {
        return whole(source, first_line);
    }
    let lines = lines_of(source);
    let offsets = line_starts(&lines);
    split_lines(source, &lines, offsets, first_line, depth, issues)
}

/// [`split`] of a source whose lines and their offsets the caller already has (a container
/// body: its lines are the page's, found once).
fn split_lines(
    source: &str,
    lines: &[&str],
    offsets: Vec<usize>,
    first_line: u32,
    depth: usize,
    issues: &mut Vec<SyntaxIssue>,
) -> Vec<Node> {
    if !has_yfm(source) {
        return whole(source, first_line);
    }
    let mut splitter = Splitter {
        source,
        offsets,
        lines,
        first_line,
        depth,
        issues,
        nodes: Vec::new(),
        md: None,
    };
    splitter.run();
    splitter.nodes
}

/// A source with nothing to cut out: one markdown node, or none when it is blank.
fn whole(source: &str, first_line: u32) -> Vec<Node> {
    if is_blank(source) {
        return Vec::new();
    }
    vec![Node::Markdown {
        text: source.to_owned(),
        line: first_line,
    }]
}

/// A table cell after the pre-pass.
#[derive(Debug, PartialEq)]
pub(crate) enum SplitCell {
    /// One run of plain markdown (most cells): the caller parses these together.
    Markdown { text: String, line: u32 },
    /// Anything else: constructs the pre-pass cut out, or nothing.
    Nodes(Vec<Node>),
}

impl SplitCell {
    /// The cell made of `nodes`: one markdown node is a [`SplitCell::Markdown`].
    fn of(mut nodes: Vec<Node>) -> Self {
        match nodes.pop() {
            Some(Node::Markdown { text, line }) if nodes.is_empty() => {
                SplitCell::Markdown { text, line }
            }
            Some(last) => {
                nodes.push(last);
                SplitCell::Nodes(nodes)
            }
            None => SplitCell::Nodes(nodes),
        }
    }
}

/// [`split`] of a table cell's text (whose first line is `first_line`, `depth` levels deep in
/// its page): text with nothing to cut out becomes its one markdown run without a copy, and
/// without a node list (there are tens of thousands of cells per run).
pub(crate) fn split_cell(
    source: String,
    first_line: u32,
    depth: usize,
    issues: &mut Vec<SyntaxIssue>,
) -> SplitCell {
    if depth >= MAX_NESTING {
        return SplitCell::of(flattened(source, first_line, issues));
    }
    if has_yfm(&source) {
        return SplitCell::of(split(&source, first_line, depth, issues));
    }
    if is_blank(&source) {
        return SplitCell::Nodes(Vec::new());
    }
    SplitCell::Markdown {
        text: source,
        line: first_line,
    }
}

struct Splitter<'a, 'i> {
    source: &'a str,
    /// Byte offset of each line in `source`.
    offsets: Vec<usize>,
    lines: &'a [&'a str],
    first_line: u32,
    /// How deep in the page this source sits (containers and cells above it).
    depth: usize,
    issues: &'i mut Vec<SyntaxIssue>,
    nodes: Vec<Node>,
    /// The markdown run being collected.
    md: Option<MarkdownRun>,
}

/// Consecutive source lines of plain markdown. Nearly always one contiguous slice of the source
/// (copied once, when the run ends); a skipped line (`{% else %}`, an unknown directive) makes
/// it owned text.
struct MarkdownRun {
    line: u32,
    /// The slice `start..end` of the source while the run is contiguous.
    start: usize,
    end: usize,
    /// The text, once a skipped line broke the slice.
    owned: Option<String>,
}

impl Splitter<'_, '_> {
    fn line_no(&self, index: usize) -> u32 {
        self.first_line + index as u32
    }

    fn push_md(&mut self, index: usize, text: &str) {
        let at = self.offsets[index];
        let line = self.line_no(index);
        let run = self.md.get_or_insert(MarkdownRun {
            line,
            start: at,
            end: at,
            owned: None,
        });
        match &mut run.owned {
            Some(owned) => owned.push_str(text),
            None if run.end == at => run.end = at + text.len(),
            None => {
                let mut owned = self.source[run.start..run.end].to_owned();
                owned.push_str(text);
                run.owned = Some(owned);
            }
        }
    }

    fn flush_md(&mut self) {
        let Some(run) = self.md.take() else {
            return;
        };
        let text = match run.owned {
            Some(owned) if is_blank(&owned) => return,
            Some(owned) => owned,
            None => {
                let slice = &self.source[run.start..run.end];
                if is_blank(slice) {
                    return;
                }
                slice.to_owned()
            }
        };
        self.nodes.push(Node::Markdown {
            text,
            line: run.line,
        });
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            let line = self.lines[i];
            // Most lines start with none of the characters the constructs start with: they
            // are markdown, without trimming and testing them (a non-ASCII first byte may be
            // Unicode whitespace, so that line is tested).
            if first_byte(line)
                .is_none_or(|b| b.is_ascii() && !matches!(b, b'`' | b'~' | b'#' | b'{'))
            {
                self.push_md(i, line);
                i += 1;
                continue;
            }
            let trimmed = line.trim();
            if let Some(fence) = fence_opener(trimmed) {
                let end = fence_end(self.source, self.lines, &self.offsets, i, fence);
                self.code(i, end, fence);
                i = end;
            } else if trimmed.starts_with("#|") {
                i = self.table(i);
            } else if let Some(directive) = Directive::parse(trimmed) {
                i = self.directive(i, directive);
            } else {
                self.push_md(i, line);
                i += 1;
            }
        }
        self.flush_md();
    }

    /// The fence opening at `start`, closing before `end`.
    fn code(&mut self, start: usize, end: usize, fence: &str) {
        self.flush_md();
        let opener = self.lines[start];
        let indent = opener.len() - opener.trim_start().len();
        let lang = opener.trim()[fence.len()..]
            .split_whitespace()
            .next()
            .unwrap_or("");
        let closed = end > start + 1 && closes_fence(self.lines[end - 1], fence);
        if !closed {
            // Everything after the fence is read as code; say so, or the rest of the page
            // vanishes from the spec without a trace.
            self.issue(
                self.line_no(start),
                format!("code fence {fence} is never closed; the rest is read as code"),
            );
        }
        let body_end = if closed { end - 1 } else { end };
        let mut code = String::new();
        if indent == 0 {
            // Nothing to take off (most fences, tab bodies being dedented already): the
            // lines are one slice of the source, copied once instead of line by line.
            let from = self.offsets.get(start + 1).copied();
            let to = self
                .offsets
                .get(body_end)
                .copied()
                .unwrap_or(self.source.len());
            if let Some(from) = from.filter(|from| *from < to) {
                code.push_str(&self.source[from..to]);
            }
        } else {
            for line in &self.lines[start + 1..body_end] {
                let blanks = line.len() - line.trim_start_matches(' ').len();
                code.push_str(&line[blanks.min(indent)..]);
            }
        }
        if !code.ends_with('\n') && !code.is_empty() {
            code.push('\n');
        }
        let line = self.line_no(start);
        self.nodes.push(Node::Code {
            lang: lang.to_owned(),
            code,
            line,
        });
    }

    fn table(&mut self, start: usize) -> usize {
        self.flush_md();
        let rest = &self.source[self.offsets[start]..];
        // The line starts with `#|` once trimmed: the marker sits after its indentation.
        let opener = self.lines[start];
        let offset = opener.len() - opener.trim_start().len();
        let scan = scan_table(&rest[offset + 2..], self.line_no(start));
        self.issues.extend(scan.issues);
        self.nodes.push(Node::Table {
            rows: scan.rows,
            line: self.line_no(start),
        });
        // Lines consumed: up to the line holding the closing `|#`.
        let consumed_text = &rest[..offset + 2 + scan.consumed];
        let consumed_lines = memchr::memchr_iter(b'\n', consumed_text.as_bytes()).count() + 1;
        (start + consumed_lines).min(self.lines.len())
    }

    fn directive(&mut self, start: usize, directive: Directive<'_>) -> usize {
        let line = self.line_no(start);
        match directive.name {
            "include" => {
                self.flush_md();
                match include_target(directive.args) {
                    Some(target) => self.nodes.push(Node::Include { target, line }),
                    None => self.issue(
                        line,
                        format!("include without a target: {}", directive.args),
                    ),
                }
                start + 1
            }
            "note" | "cut" | "if" | "list" => self.container(start, directive),
            "else" | "elsif" => start + 1,
            other => {
                if !other.starts_with("end") {
                    self.issue(line, format!("unknown directive `{other}`"));
                } else {
                    self.issue(line, format!("`{other}` without an opening directive"));
                }
                start + 1
            }
        }
    }

    fn container(&mut self, start: usize, directive: Directive<'_>) -> usize {
        self.flush_md();
        let line = self.line_no(start);
        let text = (self.source, self.lines, self.offsets.as_slice());
        let Some(end) = matching_end(text, start, directive.name) else {
            self.issue(
                line,
                format!(
                    "`{}` is never closed with `end{}`",
                    directive.name, directive.name
                ),
            );
            // Treat the rest of the source as the body so nothing is lost.
            let children = self.nested(start + 1..self.lines.len(), line + 1, &directive);
            self.nodes.push(Node::Container {
                kind: directive.container(),
                children,
                line,
            });
            return self.lines.len();
        };
        let children = self.nested(start + 1..end, line + 1, &directive);
        self.nodes.push(Node::Container {
            kind: directive.container(),
            children,
            line,
        });
        end + 1
    }

    /// The nodes of the container body made of `lines` (its first line is `line`).
    fn nested(
        &mut self,
        lines: std::ops::Range<usize>,
        line: u32,
        directive: &Directive<'_>,
    ) -> Vec<Node> {
        let (body, starts) = body_of(self.source, self.lines, &self.offsets, lines);
        let depth = self.depth + 1;
        if depth >= MAX_NESTING {
            return flattened(body.into_owned(), line, self.issues);
        }
        let lines = slices(&body, &starts);
        if directive.name == "list" {
            split_tabs(&body, &lines, starts, line, depth, self.issues)
        } else {
            split_lines(&body, &lines, starts, line, depth, self.issues)
        }
    }

    fn issue(&mut self, line: u32, message: String) {
        self.issues.push(SyntaxIssue { line, message });
    }
}

/// `text.split_inclusive('\n')` collected, by memchr: the char searcher behind
/// `split_inclusive`, and even a plain byte loop, cost more than the short lines they split
/// (measured: millions of lines per run).
fn lines_of(text: &str) -> Vec<&str> {
    let mut lines = Vec::with_capacity(text.len() / 32 + 1);
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(&text[start..=i]);
        start = i + 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// Lines `range` of `text` (its `lines`, starting at `offsets`) as one body, [`dedent`]ed, and
/// the start of each of the body's lines: what `dedent` and [`lines_of`] give for that slice,
/// built from the lines already found (nested bodies were scanned line by line again at each
/// level, and copied line by line twice).
fn body_of<'t>(
    text: &'t str,
    lines: &[&'t str],
    offsets: &[usize],
    range: std::ops::Range<usize>,
) -> (std::borrow::Cow<'t, str>, Vec<usize>) {
    let lines = &lines[range.clone()];
    let indent = lines
        .iter()
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.len() - l.trim_start().len());
    if indent == 0 {
        let start = offsets.get(range.start).copied().unwrap_or(text.len());
        let end = offsets.get(range.end).copied().unwrap_or(text.len());
        let starts = offsets[range].iter().map(|at| at - start).collect();
        return (std::borrow::Cow::Borrowed(&text[start..end]), starts);
    }
    let mut out = String::with_capacity(lines.iter().map(|l| l.len()).sum());
    let mut starts = Vec::with_capacity(lines.len());
    for line in lines {
        let blanks = line
            .bytes()
            .take_while(|b| *b == b' ' || *b == b'\t')
            .count();
        let kept = &line[blanks.min(indent)..];
        // Only a last line without a newline can become empty; `lines_of` has no empty line.
        if !kept.is_empty() {
            starts.push(out.len());
            out.push_str(kept);
        }
    }
    (std::borrow::Cow::Owned(out), starts)
}

/// The lines of `text` that start at `starts`, each through its newline.
fn slices<'t>(text: &'t str, starts: &[usize]) -> Vec<&'t str> {
    let ends = starts
        .iter()
        .skip(1)
        .copied()
        .chain(std::iter::once(text.len()));
    starts.iter().zip(ends).map(|(&a, b)| &text[a..b]).collect()
}

/// Whether `source` may hold anything [`split`] cuts out: fences, `#|` tables, `{% %}`
/// directives. A cheap over-approximation (the markers anywhere, not only at a line start).
fn has_yfm(source: &str) -> bool {
    // Two vectorised byte searches instead of four substring searches (each of which builds
    // a searcher): this runs on every table cell. (A plain byte loop costs more, even on
    // cells.)
    let bytes = source.as_bytes();
    memchr::memchr3_iter(b'`', b'~', b'{', bytes).any(|at| {
        let rest = &bytes[at..];
        rest.starts_with(b"```") || rest.starts_with(b"~~~") || rest.starts_with(b"{%")
    }) || memchr::memchr_iter(b'|', bytes).any(|at| at > 0 && bytes[at - 1] == b'#')
}

/// Whether `text` is empty or all whitespace (`text.trim().is_empty()`, without trimming
/// both ends).
fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// A body nested deeper than [`MAX_NESTING`]: kept whole as plain markdown (its text survives,
/// its structure does not), with a diagnostic at its first line.
fn flattened(body: String, line: u32, issues: &mut Vec<SyntaxIssue>) -> Vec<Node> {
    issues.push(SyntaxIssue {
        line,
        message: format!("nested deeper than {MAX_NESTING} levels; the rest is read as plain text"),
    });
    vec![Node::Markdown { text: body, line }]
}

/// A `{% name args %}` line, borrowed from it (containers look at every directive line
/// inside them, and copying the two parts cost more than reading them).
struct Directive<'t> {
    name: &'t str,
    args: &'t str,
}

impl<'t> Directive<'t> {
    fn parse(trimmed: &'t str) -> Option<Self> {
        let inner = trimmed.strip_prefix("{%")?.strip_suffix("%}")?;
        let inner = inner
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        Some(Directive {
            name,
            args: args.trim(),
        })
    }

    fn container(&self) -> Container {
        match self.name {
            "note" => {
                let kind = self.args.split_whitespace().next().unwrap_or("info");
                Container::Note {
                    kind: kind.trim_matches('"').to_owned(),
                    title: quoted(self.args),
                }
            }
            "cut" => Container::Cut {
                title: quoted(self.args),
            },
            "list" => Container::Tabs,
            _ => Container::Conditional,
        }
    }
}

fn quoted(args: &str) -> String {
    let mut parts = args.split('"');
    parts.next();
    parts.next().unwrap_or("").to_owned()
}

fn include_target(args: &str) -> Option<String> {
    let start = args.find("](")? + 2;
    let end = args[start..].find(')')? + start;
    Some(args[start..end].trim().to_owned())
}

/// The fence marker if `trimmed` opens a fenced code block (not an inline span like
/// ```` ```a|b``` ````, which closes on the same line): the run of `` ` `` or `~` it starts
/// with, borrowed (every fence line asked for it, and building it cost an allocation).
fn fence_opener(trimmed: &str) -> Option<&str> {
    let bytes = trimmed.as_bytes();
    let ch = *bytes.first().filter(|b| matches!(b, b'`' | b'~'))?;
    let len = bytes.iter().take_while(|b| **b == ch).count();
    if len < 3 {
        return None;
    }
    if ch == b'`' && memchr::memchr(b'`', &bytes[len..]).is_some() {
        return None;
    }
    Some(&trimmed[..len])
}

/// The first byte of `line` that is not ASCII whitespace (as `trim` reads it): a line whose
/// first such byte is ASCII starts with it once trimmed; a non-ASCII one may be Unicode
/// whitespace, so a caller tests that line in full.
fn first_byte(line: &str) -> Option<u8> {
    line.bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
}

/// The byte offset of each of `lines` (consecutive slices of one text) in that text.
fn line_starts(lines: &[&str]) -> Vec<usize> {
    lines
        .iter()
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len();
            Some(start)
        })
        .collect()
}

/// Index of the line after the fence that opens at `start`. `lines` are `source` split, each
/// starting at its `offsets` entry.
///
/// Only a line holding the marker's character can close the fence, so the search jumps from
/// one such character to the next (memchr) instead of asking every line of the code: code
/// blocks are half of every page, and they rarely hold a backtick.
fn fence_end(source: &str, lines: &[&str], offsets: &[usize], start: usize, marker: &str) -> usize {
    let Some(&first) = marker.as_bytes().first() else {
        return lines.len();
    };
    let bytes = source.as_bytes();
    let mut j = start + 1;
    while j < lines.len() {
        let Some(hit) = memchr::memchr(first, &bytes[offsets[j]..]) else {
            break;
        };
        // The line holding the hit: the last one starting at or before it.
        j = offsets.partition_point(|&o| o <= offsets[j] + hit) - 1;
        if closes_fence(lines[j], marker) {
            return j + 1;
        }
        j += 1;
    }
    lines.len()
}

/// A closing fence: the marker alone, or (in a table cell) followed by the row end `||`.
fn closes_fence(line: &str, marker: &str) -> bool {
    // Nearly every line asked about is a code line: reject on its first character, found by
    // skipping ASCII whitespace bytes (`trim_start` decodes chars, and indented code lines
    // are long on indentation). A non-ASCII first byte may be Unicode whitespace: the full
    // test below decides then.
    if let (Some(b), Some(m)) = (first_byte(line), marker.as_bytes().first()) {
        if b.is_ascii() && b != *m {
            return false;
        }
    }
    if !line.trim_start().starts_with(marker) {
        return false;
    }
    let t = line.trim();
    let after = t
        .trim_start_matches(marker.chars().next().unwrap_or('`'))
        .trim();
    t.starts_with(marker) && (after.is_empty() || after.starts_with('|'))
}

/// Index of the line closing the container opened at `start`, fence-aware and nesting-aware.
/// `text` is the source, its lines and their offsets (see [`fence_end`]).
fn matching_end(text: (&str, &[&str], &[usize]), start: usize, open: &str) -> Option<usize> {
    let (source, lines, offsets) = text;
    let mut depth = 0usize;
    let mut i = start + 1;
    while i < lines.len() {
        // Only a fence or a directive counts, and neither starts with anything else.
        if first_byte(lines[i]).is_none_or(|b| b.is_ascii() && !matches!(b, b'`' | b'~' | b'{')) {
            i += 1;
            continue;
        }
        let trimmed = lines[i].trim();
        if let Some(fence) = fence_opener(trimmed) {
            i = fence_end(source, lines, offsets, i, fence);
            continue;
        }
        if let Some(d) = Directive::parse(trimmed) {
            if d.name == open {
                depth += 1;
            } else if d.name.strip_prefix("end") == Some(open) {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
        }
        i += 1;
    }
    None
}

/// Removes the block's indentation: that of its first non-blank line, taken off every line
/// that has it. Authors often leave continuation lines of an indented table at column 0, so
/// the minimum over all lines would be no indentation at all.
/// Borrowed when there is nothing to remove (most bodies).
pub(crate) fn dedent(text: &str) -> std::borrow::Cow<'_, str> {
    let indent = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .unwrap_or(0);
    if indent == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    // Lines by memchr and blanks by byte: this runs on every indented body (tab contents,
    // table cells), line by line.
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1);
    let mut start = 0;
    for end in ends.chain(std::iter::once(text.len())) {
        let line = &text[start..end];
        let blanks = line
            .bytes()
            .take_while(|b| *b == b' ' || *b == b'\t')
            .count();
        out.push_str(&line[blanks.min(indent)..]);
        start = end;
    }
    std::borrow::Cow::Owned(out)
}

/// Splits the body of `{% list tabs %}` (its `lines`, starting at `offsets`) into one node per
/// `- Title` item.
fn split_tabs(
    body: &str,
    lines: &[&str],
    offsets: Vec<usize>,
    first_line: u32,
    depth: usize,
    issues: &mut Vec<SyntaxIssue>,
) -> Vec<Node> {
    // Each tab: its title and the index of its title line. A tab's body is every line up to
    // the next tab's title.
    let mut tabs: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    // Cells of an indented table often continue at column 0, where a `- ` list item inside a
    // cell would look like the next tab.
    let mut table_depth = 0usize;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if trimmed.starts_with("#|") {
            table_depth += 1;
        }
        if (trimmed.starts_with("|#") || trimmed.ends_with("|#")) && !trimmed.starts_with("#|") {
            table_depth = table_depth.saturating_sub(1);
        }
        if let Some(title) = line.strip_prefix("- ").filter(|_| table_depth == 0) {
            tabs.push((title.trim().to_owned(), i));
            i += 1;
            continue;
        }
        let end = match fence_opener(trimmed) {
            Some(fence) => fence_end(body, lines, &offsets, i, fence),
            None => i + 1,
        };
        if tabs.is_empty() && !trimmed.is_empty() {
            issues.push(SyntaxIssue {
                line: first_line + i as u32,
                message: "text in a tab set before the first tab".into(),
            });
        }
        i = end;
    }
    let ends: Vec<usize> = tabs
        .iter()
        .skip(1)
        .map(|(_, at)| *at)
        .chain(std::iter::once(lines.len()))
        .collect();
    tabs.into_iter()
        .zip(ends)
        .map(|((title, at), end)| {
            let line = first_line + at as u32;
            let (text, starts) = body_of(body, lines, &offsets, at + 1..end);
            let tab_lines = slices(&text, &starts);
            Node::Container {
                kind: Container::Tab { title },
                children: split_lines(&text, &tab_lines, starts, line + 1, depth, issues),
                line,
            }
        })
        .collect()
}

struct TableScan {
    rows: Vec<RawRow>,
    /// Bytes consumed after `#|`, through the closing `|#`.
    consumed: usize,
    issues: Vec<SyntaxIssue>,
}

/// Scans the text after `#|` into rows and cells, up to the matching `|#`.
///
/// Separators inside code spans, fenced code, escapes (`\|`) and nested tables do not count.
fn scan_table(src: &str, line: u32) -> TableScan {
    scan_table_with(src, line, true)
}

/// [`scan_table`]; `jump` false makes the row loop visit every byte, as it did before it
/// jumped (tests compare both).
fn scan_table_with(src: &str, line: u32, jump: bool) -> TableScan {
    let mut scanner = TableScanner {
        src,
        bytes: src.as_bytes(),
        lines_seen: std::cell::Cell::new((0, 0)),
        pos: 0,
        jump,
        rare_at: None,
        line,
        rows: Vec::new(),
        issues: Vec::new(),
    };
    let closed = scanner.rows();
    if !closed {
        scanner.issues.push(SyntaxIssue {
            line,
            message: "table `#|` is never closed with `|#`".into(),
        });
    }
    TableScan {
        rows: scanner.rows,
        consumed: scanner.pos.min(src.len()),
        issues: scanner.issues,
    }
}

struct TableScanner<'a> {
    src: &'a str,
    bytes: &'a [u8],
    /// The last position asked for and its line offset: line numbers are counted from the
    /// nearest known point instead of from the start (tables sit in long files).
    lines_seen: std::cell::Cell<(usize, u32)>,
    pos: usize,
    /// Whether the row loop jumps over bytes it has nothing to do with (always, but in tests).
    jump: bool,
    /// The next `#` or `~` at or after the position it was last searched from (`None`: not
    /// searched yet): both are rare in tables, so one search serves many cells.
    rare_at: Option<usize>,
    line: u32,
    rows: Vec<RawRow>,
    issues: Vec<SyntaxIssue>,
}

impl TableScanner<'_> {
    fn line_at(&self, pos: usize) -> u32 {
        let (seen, lines) = self.lines_seen.get();
        let count = |range: &[u8]| memchr::memchr_iter(b'\n', range).count() as u32;
        let lines = if pos >= seen {
            lines + count(&self.bytes[seen..pos])
        } else {
            lines - count(&self.bytes[pos..seen])
        };
        self.lines_seen.set((pos, lines));
        self.line + lines
    }

    fn at(&self, s: &str) -> bool {
        self.bytes[self.pos..].starts_with(s.as_bytes())
    }

    /// The first byte at or after `from` that [`TableScanner::row`] must look at: `|`, `` ` ``,
    /// `\`, `#` or `~` (or the end). Every other byte only moves the row on by one, so the
    /// row jumps over them (memchr) instead of matching each: cells are most of a table's bytes.
    fn next_special(&mut self, from: usize) -> usize {
        if !self.jump {
            return from;
        }
        let len = self.bytes.len();
        let rare = match self.rare_at {
            Some(at) if at >= from => at,
            _ => {
                let at = memchr::memchr2(b'#', b'~', &self.bytes[from..]).map_or(len, |i| from + i);
                self.rare_at = Some(at);
                at
            }
        };
        memchr::memchr3(b'|', b'`', b'\\', &self.bytes[from..rare]).map_or(rare, |i| from + i)
    }

    /// Reads rows until `|#`; false when the input ends first.
    fn rows(&mut self) -> bool {
        loop {
            while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
                self.pos += 1;
            }
            if self.pos >= self.bytes.len() {
                return false;
            }
            if self.at("|#") {
                self.pos += 2;
                return true;
            }
            if self.at("||") {
                self.pos += 2;
                if !self.row() {
                    return false;
                }
                continue;
            }
            let line = self.line_at(self.pos);
            self.issues.push(SyntaxIssue {
                line,
                message: "text between table rows".into(),
            });
            self.skip_to_row_or_end();
        }
    }

    fn skip_to_row_or_end(&mut self) {
        while self.pos < self.bytes.len() && !self.at("||") && !self.at("|#") {
            self.pos += self.src[self.pos..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        }
    }

    /// Reads one row's cells after its opening `||`; false when the input ends first.
    fn row(&mut self) -> bool {
        let row_line = self.line_at(self.pos);
        let mut cells = Vec::new();
        let mut cell_start = self.pos;
        let mut depth = 0usize;
        while self.pos < self.bytes.len() {
            self.pos = self.next_special(self.pos);
            if self.pos >= self.bytes.len() {
                break;
            }
            if matches!(self.bytes[self.pos], b'`' | b'~') && self.at_line_start() {
                if let Some(skip) = self.fence_len() {
                    self.pos += skip;
                    continue;
                }
            }
            match self.bytes[self.pos] {
                b'\\' => self.pos = self.next_char_end(self.pos + 1),
                b'`' => self.skip_code_span(),
                b'#' if self.at("#|") => {
                    depth += 1;
                    self.pos += 2;
                }
                b'|' if self.at("|#") && depth > 0 => {
                    depth -= 1;
                    self.pos += 2;
                }
                b'|' if depth == 0 && self.at("||") => {
                    cells.push(self.cell(cell_start, self.pos));
                    self.pos += 2;
                    self.rows.push(RawRow {
                        cells,
                        line: row_line,
                    });
                    return true;
                }
                b'|' if depth == 0 && self.at("|#") => {
                    let line = self.line_at(self.pos);
                    self.issues.push(SyntaxIssue {
                        line,
                        message: "table row is not closed with `||`".into(),
                    });
                    cells.push(self.cell(cell_start, self.pos));
                    self.rows.push(RawRow {
                        cells,
                        line: row_line,
                    });
                    return true;
                }
                b'|' if depth == 0 => {
                    cells.push(self.cell(cell_start, self.pos));
                    self.pos += 1;
                    cell_start = self.pos;
                }
                _ => self.pos += 1,
            }
        }
        false
    }

    fn cell(&self, start: usize, end: usize) -> RawCell {
        let raw = &self.src[start..end.min(self.src.len())];
        let text = raw.trim_start();
        let leading = raw.len() - text.len();
        // Keep the first line's text as is and dedent the rest.
        let text = text.trim_end();
        let (first, rest) = match memchr::memchr(b'\n', text.as_bytes()) {
            Some(at) => (&text[..at], &text[at + 1..]),
            None => (text, ""),
        };
        let text = if rest.is_empty() {
            first.to_owned()
        } else {
            // Pushed, not `format!`ed: this runs once per multi-line cell.
            let rest = dedent(rest);
            let mut text = String::with_capacity(first.len() + 1 + rest.len());
            text.push_str(first);
            text.push('\n');
            text.push_str(&rest);
            text
        };
        RawCell {
            text,
            line: self.line_at(start + leading),
        }
    }

    fn at_line_start(&self) -> bool {
        self.bytes[..self.pos]
            .iter()
            .rev()
            .take_while(|b| **b != b'\n')
            .all(|b| *b == b' ' || *b == b'\t')
    }

    /// The byte position after the character starting at `pos` (escapes skip whole chars).
    fn next_char_end(&self, pos: usize) -> usize {
        // Never past the end: a `\` as the last byte must not move the scanner out of bounds
        // (found by the property test below).
        self.src
            .get(pos..)
            .and_then(|rest| rest.chars().next())
            .map_or((pos + 1).min(self.src.len()), |c| pos + c.len_utf8())
    }

    /// If a fenced code block opens here, its length through the closing fence line.
    fn fence_len(&self) -> Option<usize> {
        let rest = &self.src[self.pos..];
        let mut lines = rest.split_inclusive('\n');
        let first = lines.next()?;
        let marker = fence_opener(first.trim())?;
        let fence_char = marker.chars().next().unwrap_or('`');
        let mut len = first.len();
        for line in lines {
            let t = line.trim();
            // In a cell the closing fence may share its line with the row end: "``` ||".
            if closes_fence(line, marker) {
                let indent = line.len() - line.trim_start().len();
                let run = t.len() - t.trim_start_matches(fence_char).len();
                return Some(len + indent + run);
            }
            len += line.len();
        }
        Some(len)
    }

    fn skip_code_span(&mut self) {
        let run = self.bytes[self.pos..]
            .iter()
            .take_while(|b| **b == b'`')
            .count();
        let after = self.pos + run;
        let mut at = after;
        // A code span never crosses a blank line, so the search stops at one.
        let mut blank = false;
        while at < self.bytes.len() {
            match self.bytes[at] {
                b'`' => {
                    let len = self.bytes[at..].iter().take_while(|b| **b == b'`').count();
                    if len == run {
                        self.pos = at + len;
                        return;
                    }
                    at += len;
                    blank = false;
                    continue;
                }
                b'\n' if blank => break,
                b'\n' => blank = true,
                b' ' | b'\t' | b'\r' => {}
                _ => blank = false,
            }
            at += 1;
        }
        // No closing run: the backticks are literal.
        self.pos = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> (Vec<Node>, Vec<SyntaxIssue>) {
        let mut issues = Vec::new();
        let nodes = split(src, 1, 0, &mut issues);
        (nodes, issues)
    }

    fn cells(node: &Node) -> Vec<Vec<String>> {
        match node {
            Node::Table { rows, .. } => rows
                .iter()
                .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
                .collect(),
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn table_cells_ignore_pipes_in_code_and_escapes() {
        let (nodes, issues) = parse("#|\n|| a | b ||\n|| `x|y` | ```p|q``` and \\| ||\n|#\n");
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(
            cells(&nodes[0]),
            vec![vec!["a", "b"], vec!["`x|y`", "```p|q``` and \\|"]]
        );
    }

    #[test]
    fn cells_span_lines_and_hold_fences_and_nested_tables() {
        let src = "#|\n|| **n**\n`int` | first\n\n```json\n{\"a\": \"|\"}\n```\n\n#|\n|| i | j ||\n|#\n||\n|#\ntail\n";
        let (nodes, issues) = parse(src);
        assert!(issues.is_empty(), "{issues:?}");
        let rows = cells(&nodes[0]);
        assert_eq!(rows[0][0], "**n**\n`int`");
        assert!(rows[0][1].contains("#|\n|| i | j ||\n|#"), "{}", rows[0][1]);
        assert!(matches!(&nodes[1], Node::Markdown { text, line: 14 } if text == "tail\n"));
        match &nodes[0] {
            Node::Table { rows, line } => {
                assert_eq!(*line, 1);
                assert_eq!(rows[0].line, 2);
                assert_eq!(rows[0].cells[1].line, 3);
            }
            _ => unreachable!(),
        }
    }

    #[test]
    fn containers_nest_and_keep_lines() {
        let src = "intro\n{% note warning \"Mind\" %}\n\ninside\n{% note info %}\ndeep\n{% endnote %}\n{% endnote %}\nafter\n";
        let (nodes, issues) = parse(src);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(nodes.len(), 3);
        match &nodes[1] {
            Node::Container {
                kind: Container::Note { kind, title },
                children,
                line,
            } => {
                assert_eq!(
                    (kind.as_str(), title.as_str(), *line),
                    ("warning", "Mind", 2)
                );
                assert!(matches!(&children[0], Node::Markdown { line: 3, .. }));
                assert!(matches!(&children[1], Node::Container { line: 5, .. }));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tabs_split_into_titled_tabs_with_dedented_code() {
        let src = "{% list tabs %}\n\n- cURL\n\n    ```bash\n    curl -d '{}'\n    - not a tab\n    ```\n\n- PHP\n\n    text\n\n{% endlist %}\n";
        let (nodes, issues) = parse(src);
        assert!(issues.is_empty(), "{issues:?}");
        let Node::Container {
            kind: Container::Tabs,
            children,
            ..
        } = &nodes[0]
        else {
            panic!()
        };
        assert_eq!(children.len(), 2);
        let Node::Container {
            kind: Container::Tab { title },
            children: body,
            ..
        } = &children[0]
        else {
            panic!()
        };
        assert_eq!(title, "cURL");
        let Node::Code { code, lang, .. } = &body[0] else {
            panic!("{body:?}")
        };
        assert_eq!(
            (lang.as_str(), code.as_str()),
            ("bash", "curl -d '{}'\n- not a tab\n")
        );
    }

    #[test]
    fn a_fence_closing_on_the_row_end_line_ends_the_cell() {
        let src = "#|\n|| **a** | code:\n\n```js\nx = 1 || 2;\n``` ||\n|| **b** | plain ||\n|#\n";
        let (nodes, issues) = parse(src);
        assert!(issues.is_empty(), "{issues:?}");
        let rows = cells(&nodes[0]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1], vec!["**b**", "plain"]);
    }

    #[test]
    fn fences_keep_their_lines_verbatim_or_dedented() {
        let cases = [
            ("```js\na\n  b\n```\n", "a\n  b\n", 0),
            ("```\n```\n", "", 0),
            ("```\n\n```\n", "\n", 0),
            ("```\nx", "x\n", 1),
            ("```\n", "", 1),
            ("  ```\n    a\n b\nc\n  ```\n", "  a\nb\nc\n", 0),
            ("```\nlast\n``` ||", "last\n", 0),
        ];
        for (src, code, issue_count) in cases {
            let (nodes, issues) = parse(src);
            assert_eq!(issues.len(), issue_count, "{src:?}");
            assert!(
                matches!(&nodes[..], [Node::Code { code: c, line: 1, .. }] if c == code),
                "{src:?}: {nodes:?}"
            );
        }
    }

    #[test]
    fn directives_inside_fences_are_code() {
        let (nodes, _) = parse("  ```json\n  {% note info %}\n  #|\n  ```\n");
        assert_eq!(
            nodes,
            vec![Node::Code {
                lang: "json".into(),
                code: "{% note info %}\n#|\n".into(),
                line: 1
            }]
        );
    }

    #[test]
    fn unclosed_constructs_are_reported_not_lost() {
        let (nodes, issues) = parse("{% note info %}\nbody\n");
        assert_eq!(issues[0].line, 1);
        assert!(matches!(&nodes[0], Node::Container { children, .. } if !children.is_empty()));
        let (nodes, issues) = parse("#|\n|| a | b ||\n");
        assert!(issues.iter().any(|i| i.message.contains("never closed")));
        assert_eq!(cells(&nodes[0]), vec![vec!["a", "b"]]);
    }

    #[test]
    fn byte_scans_agree_with_the_string_tests_they_replace() {
        let old_has_yfm = |s: &str| {
            s.contains("```") || s.contains("~~~") || s.contains("#|") || s.contains("{%")
        };
        let old_closes = |line: &str, marker: &str| {
            if !line.trim_start().starts_with(marker) {
                return false;
            }
            let t = line.trim();
            let after = t
                .trim_start_matches(marker.chars().next().unwrap_or('`'))
                .trim();
            t.starts_with(marker) && (after.is_empty() || after.starts_with('|'))
        };
        let samples = [
            "",
            "plain",
            "a ``` b",
            "``",
            "~~ ~",
            "~~~",
            "#",
            "#|",
            "x #| y",
            "|#",
            "{ %",
            "{%",
            "é{%",
            "  ```",
            "\u{a0}```",
            "\u{2003}~~~ ||",
            " ```x",
            "```` ",
            "\t``` |",
            "\x0b```",
            "    ~~~\n",
            "   \n",
            "```\n",
            "x```",
        ];
        for s in samples {
            assert_eq!(has_yfm(s), old_has_yfm(s), "{s:?}");
            assert_eq!(is_blank(s), s.trim().is_empty(), "{s:?}");
            for marker in ["```", "~~~", "````"] {
                assert_eq!(
                    closes_fence(s, marker),
                    old_closes(s, marker),
                    "{s:?} {marker}"
                );
            }
        }
        assert!(
            closes_fence("\u{a0}```", "```"),
            "Unicode whitespace still trims"
        );
        let text = "```js\na ` b\n  ```x\n ~~~\n  ```\nb``\n``` ||\n````\nc";
        let lines = lines_of(text);
        let offsets = line_starts(&lines);
        for start in 0..lines.len() {
            for marker in ["```", "~~~", "````"] {
                let line_by_line = (start + 1..lines.len())
                    .find(|&j| closes_fence(lines[j], marker))
                    .map_or(lines.len(), |j| j + 1);
                let jumped = fence_end(text, &lines, &offsets, start, marker);
                assert_eq!(jumped, line_by_line, "{start} {marker}");
            }
        }
    }

    #[test]
    fn the_jumping_row_loop_reads_tables_as_the_byte_loop_does() {
        let samples = [
            "|| a | b ||\n|#",
            "|| `x|y` | ```p|q``` and \\| c ||\n|#",
            "|| a\\ | b\\\\| c ||\n|#",
            "|| `a\nb|c` | d ||\n|#",
            "|| `a\n\nb|c` | d ||\n|#",
            "|| `` a ` | b `` | c ||\n|#",
            "|| ``` | unclosed ||\n|#",
            "|| x #|\n|| i | j ||\n|# y | z ||\n|#",
            "|| #| | ## | #x|y ||\n|#",
            "|| a |\n```js\nx = 1 || 2; ~\n```\n| b ||\n|#",
            "|| a |\n~~~\n| ~ |\n~~~ ||\n|| ~x | y~ ||\n|#",
            "|| é | ü|ö | 日本 ||\n|| \\é | `é|` ||\n|#",
            "|| never | closed",
            "|| row | end |#",
            "text || a | b ||\n|#",
            "|| trailing \\",
            "|| a ||\n|| b\n",
        ];
        for src in samples {
            let jumped = scan_table_with(src, 1, true);
            let stepped = scan_table_with(src, 1, false);
            assert_eq!(jumped.rows, stepped.rows, "{src:?}");
            assert_eq!(jumped.consumed, stepped.consumed, "{src:?}");
            assert_eq!(jumped.issues, stepped.issues, "{src:?}");
        }
        let nested = scan_table_with("|| x #|\n|| i | j ||\n|# y | z ||\n|#", 1, true);
        assert_eq!(
            nested.rows[0].cells.len(),
            2,
            "the nested table's pipes are its own"
        );
    }

    #[test]
    fn bodies_from_found_lines_match_dedent_and_lines_of() {
        let texts = [
            "",
            "a\nb\n",
            "    a\n      b\n  c\n\td\n",
            "\n\n    a\n\n    b",
            "    a\n    ",
            "  a\n  \n\n",
            "\t x\n\ty\n",
            "\u{a0} é\n   ü\nz",
            "   \n   \n",
        ];
        for text in texts {
            let lines = lines_of(text);
            let offsets = line_starts(&lines);
            for from in 0..=lines.len() {
                for to in from..=lines.len() {
                    let (body, starts) = body_of(text, &lines, &offsets, from..to);
                    let start = offsets.get(from).copied().unwrap_or(text.len());
                    let end = offsets.get(to).copied().unwrap_or(text.len());
                    let expected = dedent(&text[start..end]);
                    assert_eq!(body, expected, "{text:?} {from}..{to}");
                    let expected_lines = lines_of(&expected);
                    assert_eq!(
                        slices(&body, &starts),
                        expected_lines,
                        "{text:?} {from}..{to}"
                    );
                    assert_eq!(
                        starts,
                        line_starts(&expected_lines),
                        "{text:?} {from}..{to}"
                    );
                }
            }
        }
    }

    #[test]
    fn tab_bodies_keep_their_lines_and_indented_tables() {
        let src = "{% list tabs %}\n\n- A\n\n    #|\n    || x | y\n- z ||\n    |#\n\n- B\n\n    ```\n- c\n    ```\n{% endlist %}\n";
        let (nodes, issues) = parse(src);
        assert!(issues.is_empty(), "{issues:?}");
        let Node::Container { children, .. } = &nodes[0] else {
            panic!("{nodes:?}")
        };
        let titles: Vec<(&str, u32)> = children
            .iter()
            .map(|c| match c {
                Node::Container {
                    kind: Container::Tab { title },
                    line,
                    ..
                } => (title.as_str(), *line),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(titles, vec![("A", 3), ("B", 10)]);
        let Node::Container { children: b, .. } = &children[1] else {
            unreachable!()
        };
        assert_eq!(
            b,
            &vec![Node::Code {
                lang: String::new(),
                code: "- c\n".into(),
                line: 12
            }]
        );
    }

    #[test]
    fn dedent_takes_the_first_lines_indent_off_every_line() {
        assert_eq!(dedent("    a\n      b\n  c\n\td"), "a\n  b\nc\nd");
        assert_eq!(dedent("a\n  b"), "a\n  b");
    }

    #[test]
    fn lines_split_like_split_inclusive() {
        for text in ["", "a", "a\n", "a\nb", "\n\n", "é\nü\n\nx"] {
            let expected: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(lines_of(text), expected, "{text:?}");
        }
    }

    #[test]
    fn includes_are_recognised() {
        let (nodes, _) =
            parse("{% include notitle [Errors](../../_includes/system-errors.md) %}\n");
        assert_eq!(
            nodes,
            vec![Node::Include {
                target: "../../_includes/system-errors.md".into(),
                line: 1
            }]
        );
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        const PIECES: &[&str] = &[
            "{% note info %}\n",
            "{% endnote %}\n",
            "{% list tabs %}\n",
            "- T\n",
            "{% endlist %}\n",
            "{% cut \"c\" %}\n",
            "{% endcut %}\n",
            "{% include [a](b.md) %}\n",
            "#|\n",
            "|| ",
            " | ",
            "||\n",
            "|#\n",
            "```\n",
            "`",
            "\\",
            "    ",
            "\n",
            "x",
            "é",
            "~~~\n",
            "~",
            "#",
            "``",
        ];

        /// Every node line and issue line, checked against the source's line count.
        fn lines_in(nodes: &[Node], last: u32) -> Result<(), TestCaseError> {
            for node in nodes {
                match node {
                    Node::Markdown { line, .. }
                    | Node::Include { line, .. }
                    | Node::Code { line, .. } => {
                        prop_assert!(*line >= 1 && *line <= last)
                    }
                    Node::Table { rows, line } => {
                        prop_assert!(*line >= 1 && *line <= last);
                        for row in rows {
                            prop_assert!(row.line <= last);
                            for cell in &row.cells {
                                prop_assert!(cell.line <= last);
                            }
                        }
                    }
                    Node::Container { children, line, .. } => {
                        prop_assert!(*line >= 1 && *line <= last);
                        lines_in(children, last)?;
                    }
                }
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn the_pre_pass_never_panics_and_keeps_lines_in_range(
                parts in prop::collection::vec(prop::sample::select(PIECES), 0..300),
                repeat in prop::sample::select(PIECES),
                times in 0..3_000usize,
            ) {
                let src = format!("{}{}", repeat.repeat(times), parts.concat());
                let last = src.matches('\n').count() as u32 + 1;
                let mut issues = Vec::new();
                let nodes = split(&src, 1, 0, &mut issues);
                lines_in(&nodes, last)?;
                if let Some(at) = src.find("#|") {
                    let rest = &src[at + 2..];
                    let (jumped, stepped) = (scan_table_with(rest, 1, true), scan_table_with(rest, 1, false));
                    prop_assert_eq!(jumped.rows, stepped.rows);
                    prop_assert_eq!(jumped.consumed, stepped.consumed);
                    prop_assert_eq!(jumped.issues, stepped.issues);
                }
                for issue in &issues {
                    prop_assert!(issue.line >= 1 && issue.line <= last, "{issue:?}");
                }
            }
        }
    }
}
