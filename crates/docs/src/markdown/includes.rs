//! `{% include %}` fragments: resolved relative to the including page, parsed once, shared.
//!
//! About 1,500 pages include the same system-errors fragment; parsing it once per run instead
//! of once per page is most of what keeps extraction near the raw-parse floor.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostic::Sink;
use crate::page::Block;

/// Includes nested deeper than this are not followed (a cycle guard).
const MAX_DEPTH: usize = 4;

/// Parsed fragments of one docs tree.
#[derive(Debug)]
pub struct Fragments {
    root: PathBuf,
    cache: Mutex<HashMap<String, Option<Arc<Vec<Block>>>>>,
}

impl Fragments {
    /// Fragments read from under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Fragments {
            root: root.into(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The parsed fragment at `path` (relative to the root), or `None` if it cannot be read.
    pub(crate) fn get(&self, path: &str, depth: usize) -> Option<Arc<Vec<Block>>> {
        if depth >= MAX_DEPTH {
            return None;
        }
        if let Some(hit) = self.lock().get(path) {
            return hit.clone();
        }
        let parsed = std::fs::read_to_string(self.root.join(path))
            .ok()
            .map(|source| {
                // Problems inside a shared fragment are not the including page's; they are
                // reported once, when the fragment itself is walked as a page.
                let mut sink = Sink::new(path);
                Arc::new(super::parse_source(
                    path,
                    &source,
                    1,
                    self,
                    &mut sink,
                    depth + 1,
                ))
            });
        self.lock().insert(path.to_owned(), parsed.clone());
        parsed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<Arc<Vec<Block>>>>> {
        // A poisoned cache only means another page's parse panicked mid-insert; the map
        // itself is still consistent.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Resolves `target` against the directory of `page` (both relative to the docs root),
/// lexically, with `/` separators.
pub fn resolve(page: &str, target: &str) -> String {
    let target = target.split(['#', '?']).next().unwrap_or(target);
    let base = Path::new(page).parent().unwrap_or(Path::new(""));
    let mut parts: Vec<String> = Vec::new();
    for component in base.join(target).components() {
        match component {
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_targets() {
        assert_eq!(
            resolve("api-reference/crm/a.md", "../../_includes/x.md"),
            "_includes/x.md"
        );
        assert_eq!(
            resolve("api-reference/crm/a.md", "./_includes/y.md#z"),
            "api-reference/crm/_includes/y.md"
        );
        assert_eq!(resolve("a.md", "b.md"), "b.md");
    }
}
