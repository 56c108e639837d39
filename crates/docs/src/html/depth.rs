//! Bounding the DOM before it is walked: the converter recurses per element, and an HTML page
//! can nest elements arbitrarily deep (html5ever builds such a tree without complaint).
//! Elements deeper than [`MAX_DOM_DEPTH`] are cut off with a diagnostic.

use ego_tree::iter::Edge;
use ego_tree::{NodeId, Tree};
use scraper::Node;

use crate::limits::MAX_NESTING;

/// Deepest element nesting kept. HTML wraps each page-model level in several elements (a
/// table cell is `table > tbody > tr > td`, a note three `div`s) and the page template adds a
/// dozen more around the article, so the limit is a multiple of the page model's.
pub const MAX_DOM_DEPTH: usize = MAX_NESTING * 4;

/// Nesting in the source past which a page is not parsed at all: html5ever checks scopes by
/// scanning its stack of open elements, so its time grows with the square of the depth (50,000
/// nested quotes take most of a minute). Far above any real page (about 40 levels).
pub const MAX_SOURCE_DEPTH: usize = 1_000;

/// Elements that never have an end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The line where the tags of `source` first nest deeper than [`MAX_SOURCE_DEPTH`], by a
/// linear scan of start and end tags (script and style bodies, comments skipped).
pub(crate) fn source_too_deep(source: &str) -> Option<u32> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut at = 0usize;
    while let Some(offset) = memchr_lt(&bytes[at..]) {
        at += offset + 1;
        let rest = &source[at..];
        if rest.starts_with("!--") {
            at += rest.find("-->").map_or(rest.len(), |e| e + 3);
        } else if let Some(close) = rest.strip_prefix('/') {
            if close.starts_with(|c: char| c.is_ascii_alphabetic()) {
                depth = depth.saturating_sub(1);
            }
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let name_len = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            let name = rest[..name_len].to_ascii_lowercase();
            let tag_end = rest.find('>').unwrap_or(rest.len());
            if matches!(name.as_str(), "script" | "style") {
                let end = format!("</{name}");
                at += rest.find(&end).unwrap_or(rest.len());
                continue;
            }
            if !VOID.contains(&name.as_str()) && !rest[..tag_end].ends_with('/') {
                depth += 1;
                if depth > MAX_SOURCE_DEPTH {
                    return Some(1 + source[..at].matches('\n').count() as u32);
                }
            }
        }
    }
    None
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b'<')
}

/// Removes the children of every node at [`MAX_DOM_DEPTH`]; true if anything was removed.
/// Iterative, like everything that looks at the tree before it is bounded.
pub(crate) fn prune(tree: &mut Tree<Node>) -> bool {
    let mut depth = 0usize;
    let mut cut: Vec<NodeId> = Vec::new();
    for edge in tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                depth += 1;
                if depth == MAX_DOM_DEPTH && node.has_children() {
                    cut.push(node.id());
                }
            }
            Edge::Close(_) => depth -= 1,
        }
    }
    for id in &cut {
        if let Some(mut node) = tree.get_mut(*id) {
            while let Some(mut child) = node.first_child() {
                child.detach();
            }
        }
    }
    !cut.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_documents_are_cut_at_the_limit_and_shallow_ones_kept() {
        let shallow = "<div><p>kept</p></div>";
        let mut html = scraper::Html::parse_fragment(shallow);
        assert!(!prune(&mut html.tree));
        assert!(html.root_element().text().any(|t| t == "kept"));

        let deep = format!(
            "{}<p>deep</p>{}",
            "<div>".repeat(5_000),
            "</div>".repeat(5_000)
        );
        let mut html = scraper::Html::parse_fragment(&deep);
        assert!(prune(&mut html.tree));
        assert!(!html.root_element().text().any(|t| t == "deep"));
    }

    #[test]
    fn source_depth_counts_tags_not_void_elements_or_scripts() {
        let fine = format!(
            "<p>{}</p><script>{}</script>",
            "<br><img src=x/>".repeat(5_000),
            "if (a<b) {".repeat(5_000)
        );
        assert_eq!(source_too_deep(&fine), None);
        let deep = format!("<html>\n<body>\n{}", "<div>".repeat(2_000));
        assert_eq!(source_too_deep(&deep), Some(3));
    }
}
