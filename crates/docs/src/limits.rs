//! Limits that keep one hostile page from taking down a run: how deep page structure may nest
//! and how much work one page may ask for.
//!
//! Every frontend builds the page model within [`MAX_NESTING`] levels, so everything that walks
//! the model afterwards (outline, wire names, rendering, even `Drop`) recurses a bounded number
//! of times. The work budget is counted on the page model, not timed, so a run is deterministic:
//! the same page is accepted or refused on every machine.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Weak};

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
    count_nodes(&page.blocks, true).err()
}

/// The nodes of `blocks` and everything under them, or the line of the node that took the
/// count over [`MAX_PAGE_NODES`]. With `known_fragments`, an included fragment that fits in
/// what is left of the budget adds its remembered count instead of being walked again: every
/// method page includes the same few fragments.
fn count_nodes(blocks: &[Block], known_fragments: bool) -> Result<usize, u32> {
    let mut count = 0usize;
    // An explicit stack: the budget check must not itself recurse on page structure.
    let mut stack: Vec<&Block> = blocks.iter().rev().collect();
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
                        return Err(row.line);
                    }
                }
                for cell in rows.iter().rev().flat_map(|r| r.cells.iter().rev()) {
                    stack.extend(cell.blocks.iter().rev());
                }
            }
            Block::Include { blocks, .. } if known_fragments => {
                // A fragment that would cross the budget is walked, to name the crossing node.
                match fragment_nodes(blocks) {
                    Some(nodes) if count + nodes <= MAX_PAGE_NODES => count += nodes,
                    _ => stack.extend(blocks.iter().rev()),
                }
            }
            other => stack.extend(other.children().iter().rev()),
        }
        if count > MAX_PAGE_NODES {
            return Err(block.line());
        }
    }
    Ok(count)
}

/// Fragments remembered per thread before the ones no page holds any more are let go.
const KNOWN_FRAGMENTS: usize = 4096;

/// A fragment's allocation, held so its address stays its own, and its node count.
type KnownFragment = (Weak<Vec<Block>>, usize);

thread_local! {
    /// Node counts of included fragments, by the address of the shared fragment. The `Weak`
    /// keeps that allocation from being freed while the entry stands, so no other fragment can
    /// come to live at its address: a fragment found there is the one counted (unchanged, as
    /// `Arc::get_mut` refuses while a `Weak` exists and `Arc::make_mut` moves the value out).
    /// Entries whose fragment is gone are dropped once the map has grown.
    static FRAGMENT_NODES: RefCell<HashMap<usize, KnownFragment>> =
        RefCell::new(HashMap::new());
}

/// The node count of an included fragment (`None` when it alone is over the budget), counted
/// once per thread.
fn fragment_nodes(fragment: &Arc<Vec<Block>>) -> Option<usize> {
    let key = Arc::as_ptr(fragment) as usize;
    if let Some(nodes) = FRAGMENT_NODES.with_borrow(|known| known.get(&key).map(|(_, n)| *n)) {
        return Some(nodes);
    }
    // Nested fragments are walked, not looked up: this walk must not recurse either.
    let nodes = count_nodes(fragment, false).ok()?;
    FRAGMENT_NODES.with_borrow_mut(|known| {
        if known.len() >= KNOWN_FRAGMENTS {
            known.retain(|_, (weak, _)| weak.strong_count() > 0);
        }
        known.insert(key, (Arc::downgrade(fragment), nodes));
    });
    Some(nodes)
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

    #[test]
    fn remembered_fragments_count_as_walked_ones() {
        let include = |fragment: &Arc<Vec<Block>>| Block::Include {
            target: "_includes/f.md".into(),
            blocks: fragment.clone(),
            line: 1,
        };
        let small = Arc::new(vec![table(10)]);
        let big = Arc::new(vec![table(MAX_PAGE_NODES / 3)]);
        for fragment in [&small, &big] {
            let page = Page {
                path: "a.md".into(),
                blocks: vec![include(fragment), include(fragment), include(fragment)],
            };
            let walked = count_nodes(&page.blocks, false).err();
            // Asked twice: counted, then remembered.
            assert_eq!(over_budget(&page), walked);
            assert_eq!(over_budget(&page), walked);
        }
        let crossing = Page {
            path: "a.md".into(),
            blocks: vec![include(&big), include(&big), include(&big)],
        };
        assert!(over_budget(&crossing).is_some());
    }
}
