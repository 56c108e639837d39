//! Limits that keep one hostile page from taking down a run: how deep page structure may nest
//! and how much work one page may ask for.
//!
//! Every frontend builds the page model within [`MAX_NESTING`] levels, so everything that walks
//! the model afterwards (outline, wire names, rendering, even `Drop`) recurses a bounded number
//! of times. The work budget is counted on the page model, not timed, so a run is deterministic:
//! the same page is accepted or refused on every machine.

use crate::page::{Block, Page};

/// Deepest nesting of containers, table cells, lists, quotes and inline markup a frontend
/// builds. The docs nest about eight levels at most; past this, structure is flattened (its
/// text kept) with a diagnostic.
pub const MAX_NESTING: usize = 32;

/// Largest page file read, in bytes. The largest page in the docs is about 120 KB (740 KB as
/// website HTML); a page this big is not documentation.
pub const MAX_PAGE_BYTES: u64 = 8 * 1024 * 1024;

/// Most page-model nodes (blocks, rows and cells) one page may hold before extraction; the
/// docs' largest page has a few thousand. Extraction is linear in the rest of the work, so this
/// bounds a page's cost.
pub const MAX_PAGE_NODES: usize = 200_000;

/// Where a page went over [`MAX_PAGE_NODES`]: the line of the node that crossed it.
pub fn over_budget(page: &Page) -> Option<u32> {
    let mut count = 0usize;
    // An explicit stack: the budget check must not itself recurse on page structure.
    let mut stack: Vec<&Block> = page.blocks.iter().rev().collect();
    while let Some(block) = stack.pop() {
        count += 1;
        match block {
            // Run by run, not through one flattened iterator: a run's length is known, so
            // each extends the stack in one step, where a flattened one grows it block by block.
            Block::List { items, .. } => {
                for item in items.iter().rev() {
                    stack.extend(item.iter().rev());
                }
            }
            Block::Table { rows, .. } => {
                for row in rows {
                    count += 1 + row.cells.len();
                    if count > MAX_PAGE_NODES {
                        return Some(row.line);
                    }
                }
                for cell in rows.iter().rev().flat_map(|r| r.cells.iter().rev()) {
                    stack.extend(cell.blocks.iter().rev());
                }
            }
            other => stack.extend(other.children().iter().rev()),
        }
        if count > MAX_PAGE_NODES {
            return Some(block.line());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{Cell, Row};

    fn table(rows: usize) -> Block {
        let row = |i: usize| Row {
            cells: vec![Cell {
                blocks: vec![],
                line: i as u32,
            }],
            line: i as u32,
        };
        Block::Table {
            rows: (1..=rows).map(row).collect(),
            line: 1,
        }
    }

    #[test]
    fn the_budget_names_the_row_that_crossed_it() {
        let small = Page {
            path: "a.md".into(),
            blocks: vec![table(10)],
        };
        assert_eq!(over_budget(&small), None);
        let big = Page {
            path: "a.md".into(),
            blocks: vec![table(MAX_PAGE_NODES)],
        };
        // Each row counts itself and its one cell; the table counts once.
        assert_eq!(over_budget(&big), Some((MAX_PAGE_NODES / 2) as u32));
    }
}
