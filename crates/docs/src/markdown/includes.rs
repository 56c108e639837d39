//! `{% include %}` fragments: resolved relative to the including page, parsed once, shared.
//!
//! About 1,500 pages include the same system-errors fragment; parsing it once per run instead
//! of once per page is most of what keeps extraction near the raw-parse floor.
//!
//! The docs root is a boundary: a target that climbs above it, or a file that (through a
//! symlink anywhere on its path) really lives outside it, is refused, not read.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use crate::diagnostic::Sink;
use crate::page::Block;

/// Includes nested deeper than this are not followed (a cycle guard).
const MAX_DEPTH: usize = 4;

/// Why an include was not followed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IncludeError {
    /// The file does not exist or cannot be read.
    #[error("cannot read the included file")]
    Missing,
    /// The target resolves outside the docs root (by `..` or through a symlink).
    #[error("the included file is outside the docs root")]
    OutsideRoot,
    /// Includes nest deeper than the cycle guard allows.
    #[error("includes nest deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

type Cached = Result<Arc<Vec<Block>>, IncludeError>;

/// Parsed fragments of one docs tree.
#[derive(Debug)]
pub struct Fragments {
    root: PathBuf,
    /// `root` with every symlink resolved, computed on first use.
    canonical_root: OnceLock<Option<PathBuf>>,
    cache: Mutex<HashMap<String, Cached>>,
}

impl Fragments {
    /// Fragments read from under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Fragments {
            root: root.into(),
            canonical_root: OnceLock::new(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The parsed fragment at `path` (relative to the root, as [`resolve`] gives it).
    pub(crate) fn get(&self, path: &str, depth: usize) -> Cached {
        if depth >= MAX_DEPTH {
            return Err(IncludeError::TooDeep);
        }
        if let Some(hit) = self.lock().get(path) {
            return hit.clone();
        }
        let parsed = self.read(path).map(|source| {
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

    /// The fragment's normalised text, if it really lies inside the root.
    fn read(&self, path: &str) -> Result<String, IncludeError> {
        let file = self
            .root
            .join(path)
            .canonicalize()
            .map_err(|_| IncludeError::Missing)?;
        let root = self
            .canonical_root
            .get_or_init(|| self.root.canonicalize().ok())
            .as_ref()
            .ok_or(IncludeError::Missing)?;
        if !file.starts_with(root) {
            return Err(IncludeError::OutsideRoot);
        }
        let bytes = std::fs::read(&file).map_err(|_| IncludeError::Missing)?;
        Ok(crate::source::decode(bytes).text)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cached>> {
        // A poisoned cache only means another page's parse panicked mid-insert; the map
        // itself is still consistent.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Resolves `target` against the directory of `page` (both relative to the docs root),
/// lexically, with `/` separators; `None` when it climbs above the root or is absolute.
pub fn resolve(page: &str, target: &str) -> Option<String> {
    let target = memchr::memchr2(b'#', b'?', target.as_bytes()).map_or(target, |at| &target[..at]);
    // By string, as `Path::parent`, `Path::join` and `components` read `/`-separated paths
    // (an absolute target replaces the base; empty and `.` segments drop out; the page's
    // directory is all its segments but the last): this runs for every include of every
    // page, and the `Path` machinery cost more than the rest of the include.
    if target.starts_with('/') {
        return None;
    }
    let mut page_segments = page.split('/').filter(|s| !matches!(*s, "" | "."));
    if page.starts_with('/') && page_segments.clone().next().is_some() {
        // An absolute page's directory is absolute (only the root itself has no parent).
        return None;
    }
    let mut out = String::with_capacity(page.len() + target.len());
    // Every segment of the page but its last (its own name) is its directory.
    let mut previous = page_segments.next();
    for segment in page_segments {
        if let Some(directory) = previous.replace(segment) {
            push_segment(&mut out, directory)?;
        }
    }
    for segment in target.split('/') {
        push_segment(&mut out, segment)?;
    }
    Some(out)
}

/// Appends one segment to the resolved path `out`: `..` takes the last one off (`None` above
/// the root), empty and `.` segments add nothing.
fn push_segment(out: &mut String, segment: &str) -> Option<()> {
    match segment {
        "" | "." => {}
        ".." => {
            if out.is_empty() {
                return None;
            }
            out.truncate(out.rfind('/').unwrap_or(0));
        }
        normal => {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(normal);
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn resolves_relative_targets() {
        assert_eq!(
            resolve("api-reference/crm/a.md", "../../_includes/x.md").as_deref(),
            Some("_includes/x.md")
        );
        assert_eq!(
            resolve("api-reference/crm/a.md", "./_includes/y.md#z").as_deref(),
            Some("api-reference/crm/_includes/y.md")
        );
        assert_eq!(resolve("a.md", "b.md").as_deref(), Some("b.md"));
    }

    /// The `Path`-based reading `resolve` replaces.
    fn by_path(page: &str, target: &str) -> Option<String> {
        use std::path::Component;
        let target = target.split(['#', '?']).next().unwrap_or(target);
        let base = Path::new(page).parent().unwrap_or(Path::new(""));
        let mut parts: Vec<String> = Vec::new();
        for component in base.join(target).components() {
            match component {
                Component::ParentDir => {
                    parts.pop()?;
                }
                Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
                Component::CurDir => {}
                Component::RootDir | Component::Prefix(_) => return None,
            }
        }
        Some(parts.join("/"))
    }

    #[test]
    fn string_resolution_agrees_with_path_resolution() {
        let pages = [
            "api-reference/crm/a.md",
            "a.md",
            "x//y/./z.md",
            "./b/c.md",
            "d/",
            "a/.",
            "/abs/p.md",
            "/",
            "/.",
            "//",
            "/..",
            "/./",
            "./",
            ".",
            "..",
            "",
            "a/../b.md",
            "../x.md",
        ];
        let targets = [
            "../../_includes/x.md",
            "./_includes/y.md#z",
            "b.md?q",
            "../x.md",
            "a/../../..",
            "/etc/passwd",
            "a//b/./c/",
            "",
            ".",
            "..",
            "../../../x",
        ];
        for page in pages {
            for target in targets {
                assert_eq!(
                    resolve(page, target),
                    by_path(page, target),
                    "{page} {target}"
                );
            }
        }
    }

    #[test]
    fn targets_above_the_root_or_absolute_are_refused() {
        assert_eq!(resolve("api-reference/a.md", "../../x.md"), None);
        assert_eq!(resolve("api-reference/a.md", "/etc/passwd"), None);
    }
}
