//! Links to `.md` pages that do not exist in the tree (moved or deleted pages). Every markdown
//! file is scanned, not only method pages: a broken link in a guide is as much a defect.

use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::{Finding, LintKind};
use crate::ExtractError;

/// `](target.md)` or `](target.md#anchor)`, the target relative and without a scheme.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\]\((?<target>[^()\s#:]+\.md)(?:#[^)\s]*)?(?:\s+\x22[^\x22]*\x22)?\)")
        .expect("link pattern")
});

/// Every link in every `.md` file under `root` whose target file is missing.
pub(super) fn findings(root: &Path) -> Result<Vec<Finding>, ExtractError> {
    let mut out = Vec::new();
    for file in crate::corpus::files_with_extension(root, &["md"])? {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let rel = relative(root, &file);
        out.extend(page_findings(root, &rel, &text));
    }
    Ok(out)
}

/// The stale links of one page's text; `rel` is its path under `root`.
pub(crate) fn page_findings(root: &Path, rel: &str, text: &str) -> Vec<Finding> {
    let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    let mut fenced = false;
    for (index, line) in text.lines().enumerate() {
        // Code samples may show links that are not links.
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if fenced {
            continue;
        }
        for caps in LINK.captures_iter(line) {
            let target = &caps["target"];
            let resolved = if let Some(absolute) = target.strip_prefix('/') {
                normalise(Path::new(absolute))
            } else {
                normalise(&dir.join(target))
            };
            let exists = resolved.as_ref().is_some_and(|p| root.join(p).is_file());
            if !exists {
                out.push(Finding {
                    file: rel.to_owned(),
                    line: index as u32 + 1,
                    kind: LintKind::StaleLink,
                    message: format!("link to `{target}`: no such page"),
                });
            }
        }
    }
    out
}

/// Resolves `.` and `..` without touching the file system; `None` when it climbs above root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir if !out.pop() => return None,
            Component::Normal(name) => out.push(name),
            _ => {}
        }
    }
    Some(out)
}

fn relative(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}
