//! The HTML frontend: docs website pages (as the Diplodoc toolchain builds them, or saved from
//! a browser) → [`Page`], the same page model the markdown frontend produces.
//!
//! [`article`] finds the article (the original copy in `diplodoc-state`, else the rendered
//! body) and the title, [`blocks`] and [`inlines`] convert the DOM, [`fragments`] wraps the
//! inlined shared includes back into [`crate::page::Block::Include`]s, and [`site`] runs this
//! over a folder of pages.

mod article;
mod blocks;
pub mod depth;
pub mod fragments;
mod inlines;
mod lines;
pub mod path;
pub mod site;

use scraper::Html;

use crate::diagnostic::{DiagnosticKind, Sink};
use crate::page::{Block, Inline, Page};
use inlines::LinkContext;
use lines::Lines;

/// Parses one page. `site_path` is the page's path on the website (`api-reference/x/y.html`,
/// used to recognise same-page links); the returned page is named by its markdown path (the
/// page's own `vcsPath` when it states one, else `site_path` with `.md`).
pub fn parse_page(site_path: &str, source: &str, sink: &mut Sink) -> Page {
    if let Some(line) = depth::source_too_deep(source) {
        sink.report(
            line,
            DiagnosticKind::Limit,
            format!(
                "tags nested deeper than {} levels; the page is not read",
                depth::MAX_SOURCE_DEPTH
            ),
        );
        return Page {
            path: path::with_md_extension(site_path),
            blocks: Vec::new(),
        };
    }
    let state = article::state(source, sink).filter(|state| {
        // The state copy is one escaped string, which the scan above skipped.
        let deep = depth::source_too_deep(&state.html).is_some();
        if deep {
            sink.report(
                1,
                DiagnosticKind::Limit,
                "the page's diplodoc-state article nests too deep; the rendered body is read",
            );
        }
        !deep
    });
    let links = LinkContext {
        own_page: site_path,
    };
    let mut blocks = match &state {
        Some(state) => {
            let first_line = state
                .body_start
                .map_or(1, |at| article::line_of(source, at));
            let mut fragment = Html::parse_fragment(&state.html);
            report_pruned(&mut fragment, first_line, sink);
            let mut converter = blocks::Converter {
                lines: Lines::new(&state.html, 0, first_line),
                indent: 0,
                links,
                sink,
            };
            converter.blocks(fragment.root_element())
        }
        None => from_body(source, links, sink),
    };
    blocks = fragments::mark(blocks);
    let title = article::title(source)
        .or_else(|| state.as_ref().and_then(|s| s.title.clone()).map(|t| (t, 1)))
        .filter(|(t, _)| !t.trim().is_empty());
    let starts_with_title = matches!(blocks.first(), Some(Block::Heading { level: 1, .. }));
    match title {
        Some((text, line)) if !starts_with_title => blocks.insert(
            0,
            Block::Heading {
                level: 1,
                text: vec![Inline::Text(text)],
                anchor: None,
                line,
            },
        ),
        Some(_) => {}
        None if starts_with_title => {}
        None => sink.report(1, DiagnosticKind::Syntax, "<h1>: the page has no title"),
    }
    let path = state
        .and_then(|s| s.source_path)
        .filter(|p| p.ends_with(".md"))
        .unwrap_or_else(|| path::with_md_extension(site_path));
    Page { path, blocks }
}

/// Cuts the DOM at [`depth::MAX_DOM_DEPTH`]; reported at `line`, where the article starts
/// (the parsed tree keeps no positions).
fn report_pruned(html: &mut Html, line: u32, sink: &mut Sink) {
    if depth::prune(&mut html.tree) {
        sink.report(
            line,
            DiagnosticKind::Limit,
            format!(
                "elements nested deeper than {} levels; their content is not read",
                depth::MAX_DOM_DEPTH
            ),
        );
    }
}

/// The article read from the rendered body, for pages without the state copy.
fn from_body(source: &str, links: LinkContext<'_>, sink: &mut Sink) -> Vec<Block> {
    let mut document = Html::parse_document(source);
    let start = article::body_start(source).unwrap_or(0);
    report_pruned(&mut document, article::line_of(source, start), sink);
    let body = article::body(&document);
    let indent = article::body_start(source).map_or(0, |at| article::template_indent(source, at));
    let mut converter = blocks::Converter {
        lines: Lines::new(source, start, 1),
        indent,
        links,
        sink,
    };
    let blocks = converter.blocks(body);
    if blocks.is_empty() {
        converter.sink.report(
            1,
            DiagnosticKind::Syntax,
            "no article: neither <script id=\"diplodoc-state\"> nor a page body with content",
        );
    }
    blocks
}
