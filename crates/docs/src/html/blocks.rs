//! The article's DOM → page-model [`Block`]s.
//!
//! Diplodoc renders YFM constructs as HTML with known classes: `#|` tables as
//! `table > tbody > tr > td` (no `th`; the first row is the header), notes as `div.yfm-note`,
//! tab sets as `div.yfm-tabs` with one `div.yfm-tab-panel` per tab, cuts as `details.yfm-cut`,
//! includes inlined with no wrapper (see [`super::fragments`]). Everything the page template
//! adds around them (copy buttons, anchor links, screen-reader text) is dropped.

use std::sync::Arc;

use scraper::node::{Element, Node};
use scraper::ElementRef;

use super::inlines::{self, LinkContext};
use super::lines::Lines;
use crate::diagnostic::{DiagnosticKind, Sink};
use crate::page::{Block, Cell, Container, Inline, Row};

/// Elements whose content is never article text.
const SKIPPED: [&str; 13] = [
    "script", "style", "svg", "button", "template", "noscript", "iframe", "video", "audio", "dfn",
    "input", "select", "head",
];

/// Elements that hold blocks; everything else is phrasing content.
const BLOCK_LEVEL: [&str; 22] = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "pre",
    "table",
    "blockquote",
    "div",
    "details",
    "section",
    "article",
    "main",
    "figure",
    "dl",
    "dt",
    "dd",
    "hr",
];

/// True for template decorations: heading anchor links, screen-reader copies, copy buttons.
pub(crate) fn is_hidden(el: &Element) -> bool {
    el.classes().any(|c| {
        matches!(
            c,
            "visually-hidden" | "yfm-anchor" | "yfm-code-floating" | "yfm-clipboard-button"
        )
    }) || el.attr("aria-hidden") == Some("true")
}

fn has_class(el: &Element, class: &str) -> bool {
    el.classes().any(|c| c == class)
}

/// Converts an article.
pub(crate) struct Converter<'a, 's> {
    pub lines: Lines<'a>,
    /// The template indentation to take off code lines after the first (0 for the state copy).
    pub indent: usize,
    pub links: LinkContext<'a>,
    pub sink: &'s mut Sink,
}

impl Converter<'_, '_> {
    /// The blocks of `parent`'s children; phrasing content between blocks becomes paragraphs.
    pub(crate) fn blocks(&mut self, parent: ElementRef<'_>) -> Vec<Block> {
        let mut out = Vec::new();
        let mut pending: Vec<Inline> = Vec::new();
        for child in parent.children() {
            match child.value() {
                Node::Text(text) => pending.push(Inline::Text(text.to_string())),
                Node::Element(el) => {
                    let Some(element) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if SKIPPED.contains(&el.name()) || is_hidden(el) {
                        continue;
                    }
                    if BLOCK_LEVEL.contains(&el.name()) {
                        self.flush(&mut pending, &mut out);
                        self.block(element, &mut out);
                    } else {
                        inlines::push_element(element, self.links, &mut pending);
                    }
                }
                _ => {}
            }
        }
        self.flush(&mut pending, &mut out);
        out
    }

    fn flush(&mut self, pending: &mut Vec<Inline>, out: &mut Vec<Block>) {
        let text = inlines::normalise(std::mem::take(pending));
        if !text.is_empty() {
            let line = self.lines.current();
            out.push(Block::Paragraph { text, line });
        }
    }

    fn block(&mut self, element: ElementRef<'_>, out: &mut Vec<Block>) {
        let el = element.value();
        match el.name() {
            "p" if has_class(el, "yfm-note-title") => {}
            "p" => {
                let block = self.paragraph(element);
                out.extend(block);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => out.push(self.heading(element)),
            "ul" | "ol" => out.push(self.list(element)),
            "pre" => out.push(self.code(element)),
            "table" => out.push(self.table(element)),
            "blockquote" => {
                let line = self.lines.next("blockquote");
                let blocks = self.blocks(element);
                out.push(Block::Container {
                    kind: Container::Quote,
                    blocks,
                    line,
                });
            }
            "hr" => {}
            _ if has_class(el, "yfm-note") => out.push(self.note(element)),
            _ if has_class(el, "yfm-tabs") => out.push(self.tabs(element)),
            _ if has_class(el, "yfm-cut") => out.push(self.cut(element)),
            _ if has_class(el, "yfm-tab-list") => {}
            _ => out.extend(self.blocks(element)),
        }
    }

    fn paragraph(&mut self, element: ElementRef<'_>) -> Option<Block> {
        let line = self.lines.next("p");
        let mut raw = Vec::new();
        inlines::push_children(element, self.links, &mut raw);
        let text = inlines::normalise(raw);
        if text.is_empty() {
            return None;
        }
        let paragraph = Block::Paragraph { text, line };
        if has_class(element.value(), "b24-info") {
            return Some(super::fragments::info_include(paragraph));
        }
        Some(paragraph)
    }

    fn heading(&mut self, element: ElementRef<'_>) -> Block {
        let name = element.value().name();
        let level = name[1..].parse().unwrap_or(6);
        let line = self.lines.next(name);
        let mut raw = Vec::new();
        inlines::push_children(element, self.links, &mut raw);
        Block::Heading {
            level,
            text: inlines::normalise(raw),
            anchor: element.value().attr("id").map(str::to_owned),
            line,
        }
    }

    fn list(&mut self, element: ElementRef<'_>) -> Block {
        let line = self.lines.next(element.value().name());
        let items = element
            .child_elements()
            .filter(|e| e.value().name() == "li")
            .map(|item| {
                self.lines.next("li");
                self.blocks(item)
            })
            .collect();
        Block::List { items, line }
    }

    fn code(&mut self, element: ElementRef<'_>) -> Block {
        let line = self.lines.next("pre");
        let code_el = element
            .child_elements()
            .find(|e| e.value().name() == "code")
            .unwrap_or(element);
        let lang = code_el
            .value()
            .classes()
            .find(|c| *c != "hljs")
            .map(|c| c.trim_start_matches("language-").to_owned())
            .unwrap_or_default();
        let text: String = code_el.text().collect();
        Block::Code {
            lang,
            code: dedent_after_first(&text, self.indent),
            line,
        }
    }

    fn table(&mut self, element: ElementRef<'_>) -> Block {
        let line = self.lines.next("table");
        let mut rows = Vec::new();
        for part in element.child_elements() {
            match part.value().name() {
                "thead" | "tbody" | "tfoot" => {
                    self.lines.next(part.value().name());
                    for tr in part.child_elements().filter(|e| e.value().name() == "tr") {
                        rows.push(self.row(tr));
                    }
                }
                "tr" => rows.push(self.row(part)),
                _ => {}
            }
        }
        if rows.is_empty() {
            self.sink
                .report(line, DiagnosticKind::Syntax, "<table> has no rows");
        }
        Block::Table { rows, line }
    }

    /// One row; a cell spanning several columns is followed by empty cells so that every
    /// column keeps its index.
    fn row(&mut self, tr: ElementRef<'_>) -> Row {
        let line = self.lines.next("tr");
        let mut cells = Vec::new();
        for cell in tr.child_elements() {
            let name = cell.value().name();
            if name != "td" && name != "th" {
                continue;
            }
            let cell_line = self.lines.next(name);
            let blocks = self.blocks(cell);
            cells.push(Cell {
                blocks,
                line: cell_line,
            });
            let span: usize = cell
                .value()
                .attr("colspan")
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(1);
            for _ in 1..span.min(64) {
                cells.push(Cell {
                    blocks: vec![],
                    line: cell_line,
                });
            }
        }
        Row { cells, line }
    }

    fn note(&mut self, element: ElementRef<'_>) -> Block {
        let line = self.lines.next(element.value().name());
        let el = element.value();
        let kind = el
            .attr("note-type")
            .map(str::to_owned)
            .or_else(|| {
                el.classes()
                    .find_map(|c| c.strip_prefix("yfm-accent-").map(str::to_owned))
            })
            .unwrap_or_else(|| "info".to_owned());
        let title = element
            .child_elements()
            .find(|e| has_class(e.value(), "yfm-note-title"))
            .map(super::article::visible_text)
            .unwrap_or_default();
        let blocks = self.blocks(element);
        Block::Container {
            kind: Container::Note { kind, title },
            blocks,
            line,
        }
    }

    fn tabs(&mut self, element: ElementRef<'_>) -> Block {
        let line = self.lines.next(element.value().name());
        let mut tabs = Vec::new();
        for panel in element
            .child_elements()
            .filter(|e| has_class(e.value(), "yfm-tab-panel"))
        {
            let tab_line = self.lines.next(panel.value().name());
            let title = panel.value().attr("data-title").unwrap_or("").to_owned();
            let blocks = self.blocks(panel);
            tabs.push(Block::Container {
                kind: Container::Tab { title },
                blocks,
                line: tab_line,
            });
        }
        Block::Container {
            kind: Container::Tabs,
            blocks: tabs,
            line,
        }
    }

    fn cut(&mut self, element: ElementRef<'_>) -> Block {
        let line = self.lines.next(element.value().name());
        let title = element
            .child_elements()
            .find(|e| e.value().name() == "summary" || has_class(e.value(), "yfm-cut-title"))
            .map(super::article::visible_text)
            .unwrap_or_default();
        let mut blocks = Vec::new();
        for child in element.child_elements() {
            let el = child.value();
            if el.name() == "summary" || has_class(el, "yfm-cut-title") {
                continue;
            }
            self.block(child, &mut blocks);
        }
        Block::Container {
            kind: Container::Cut { title },
            blocks,
            line,
        }
    }
}

/// Takes up to `indent` leading spaces off every line after the first: the page template
/// indents the whole body, code included, except the line the body starts on.
pub(crate) fn dedent_after_first(text: &str, indent: usize) -> String {
    if indent == 0 {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i == 0 {
            out.push_str(line);
            continue;
        }
        let spaces = line.bytes().take(indent).take_while(|b| *b == b' ').count();
        out.push_str(&line[spaces..]);
    }
    out
}

/// Wraps blocks as an include of `target`.
pub(crate) fn include(target: &str, blocks: Vec<Block>, line: u32) -> Block {
    Block::Include {
        target: target.to_owned(),
        blocks: Arc::new(blocks),
        line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_indent_is_taken_off_lines_after_the_first() {
        assert_eq!(
            dedent_after_first("{\n        \"a\": 1\n    }\n", 8),
            "{\n\"a\": 1\n}\n"
        );
        assert_eq!(dedent_after_first("x\n  y\n", 0), "x\n  y\n");
    }
}
