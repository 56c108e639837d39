//! The markdown frontend: Diplodoc/YFM source → [`Page`].
//!
//! A YFM pre-pass ([`yfm`]) cuts out what CommonMark cannot see (tables, directives), the
//! markdown runs go through pulldown-cmark ([`blocks`]), and table cells and container bodies
//! recurse through both. Includes are resolved through [`includes::Fragments`].

mod blocks;
pub mod includes;
mod simple_inlines;
mod yfm;

use crate::diagnostic::{DiagnosticKind, Sink};
use crate::page::{Block, Cell, Page, Row};
use includes::{Fragments, IncludeError};

/// Parses one page; `path` is relative to the docs root.
pub fn parse_page(path: &str, source: &str, fragments: &Fragments, sink: &mut Sink) -> Page {
    let blocks = parse_source(path, source, 1, fragments, sink, 0);
    Page {
        path: path.to_owned(),
        blocks,
    }
}

/// Parses markdown source without include resolution context beyond `fragments`; `depth`
/// bounds include recursion.
pub(crate) fn parse_source(
    path: &str,
    source: &str,
    first_line: u32,
    fragments: &Fragments,
    sink: &mut Sink,
    depth: usize,
) -> Vec<Block> {
    let mut issues = Vec::new();
    let nodes = yfm::split(source, first_line, 0, &mut issues);
    let mut ctx = Context {
        path,
        fragments,
        sink,
        depth,
        issues,
    };
    let blocks = ctx.convert(nodes, 0);
    for issue in ctx.issues {
        ctx.sink
            .report(issue.line, DiagnosticKind::Syntax, issue.message);
    }
    blocks
}

struct Context<'a, 's> {
    path: &'a str,
    fragments: &'a Fragments,
    sink: &'s mut Sink,
    /// Include depth (a cycle guard), not nesting.
    depth: usize,
    /// What the pre-pass and the markdown parser reported, in order.
    issues: Vec<yfm::SyntaxIssue>,
}

impl Context<'_, '_> {
    /// Converts nodes nested `nesting` levels deep (the pre-pass already bounded that).
    fn convert(&mut self, nodes: Vec<yfm::Node>, nesting: usize) -> Vec<Block> {
        let mut out = Vec::new();
        for node in nodes {
            match node {
                yfm::Node::Markdown { text, line } => {
                    out.extend(blocks::parse(&text, line, nesting, &mut self.issues))
                }
                yfm::Node::Table { rows, line } => {
                    let rows = self.table(rows, nesting + 1);
                    out.push(Block::Table { rows, line });
                }
                yfm::Node::Container {
                    kind,
                    children,
                    line,
                } => {
                    let blocks = self.convert(children, nesting + 1);
                    out.push(Block::Container { kind, blocks, line });
                }
                yfm::Node::Include { target, line } => out.push(self.include(target, line)),
                yfm::Node::Code { lang, code, line } => out.push(Block::Code { lang, code, line }),
            }
        }
        out
    }

    /// Converts a table whose cells sit `nesting` levels deep; cells that are plain markdown
    /// (most of them) are parsed in one run.
    fn table(&mut self, rows: Vec<yfm::RawRow>, nesting: usize) -> Vec<Row> {
        // Every cell, row after row, and each row's line and cell count: one list for the
        // table instead of one per row.
        let mut cells: Vec<(u32, yfm::SplitCell)> = Vec::new();
        let mut shape: Vec<(u32, usize)> = Vec::with_capacity(rows.len());
        for row in rows {
            shape.push((row.line, row.cells.len()));
            for cell in row.cells {
                let split = yfm::split_cell(cell.text, cell.line, nesting, &mut self.issues);
                cells.push((cell.line, split));
            }
        }
        let plain: Vec<(&str, u32)> = cells
            .iter()
            .filter_map(|(_, cell)| match cell {
                yfm::SplitCell::Markdown { text, line } => Some((text.as_str(), *line)),
                yfm::SplitCell::Nodes(_) => None,
            })
            .collect();
        let mut parsed = blocks::parse_many(&plain, nesting, &mut self.issues).into_iter();
        let mut cells = cells.into_iter();
        let mut rows_out = Vec::with_capacity(shape.len());
        for (line, count) in shape {
            let mut row = Vec::with_capacity(count);
            for (cell_line, cell) in cells.by_ref().take(count) {
                let blocks = match cell {
                    yfm::SplitCell::Markdown { .. } => parsed.next().unwrap_or_default(),
                    yfm::SplitCell::Nodes(nodes) => self.convert(nodes, nesting),
                };
                row.push(Cell {
                    blocks,
                    line: cell_line,
                });
            }
            rows_out.push(Row { cells: row, line });
        }
        rows_out
    }

    fn include(&mut self, target: String, line: u32) -> Block {
        let resolved = includes::resolve(self.path, &target);
        let fetched = match &resolved {
            Some(path) => self.fragments.get(path, self.depth),
            None => Err(IncludeError::OutsideRoot),
        };
        let blocks = fetched.unwrap_or_else(|e| {
            let kind = match e {
                IncludeError::OutsideRoot => DiagnosticKind::OutsideRoot,
                IncludeError::Missing | IncludeError::TooDeep => DiagnosticKind::MissingInclude,
            };
            self.sink
                .report(line, kind, format!("cannot include {target}: {e}"));
            Default::default()
        });
        Block::Include {
            target: resolved.unwrap_or(target),
            blocks,
            line,
        }
    }
}
