//! Where an HTML page's markdown source lives: the website serves `api-reference/x/y.md` as
//! `api-reference/x/y.html`, and the spec names pages by their markdown path (`source`, and
//! `group` from the folder), whichever format they were read from.

use std::path::Path;

/// The markdown path of a page file: its path from the last `api-reference` folder on (or its
/// file name when there is none), with `.html`/`.htm` replaced by `.md`.
pub fn markdown_path(file: &Path) -> String {
    let parts: Vec<String> = file
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let start = parts
        .iter()
        .rposition(|p| p == "api-reference")
        .unwrap_or(parts.len().saturating_sub(1));
    let joined = parts[start..].join("/");
    with_md_extension(&joined)
}

/// `x/y.html` → `x/y.md` (a relative path given with `/` separators).
pub fn with_md_extension(path: &str) -> String {
    for ext in [".html", ".htm", ".txt"] {
        if let Some(stem) = path.strip_suffix(ext) {
            return format!("{stem}.md");
        }
    }
    path.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_site_paths_to_markdown_paths() {
        assert_eq!(
            markdown_path(Path::new("/tmp/site/api-reference/crm/deal-add.html")),
            "api-reference/crm/deal-add.md"
        );
        assert_eq!(
            markdown_path(Path::new("api-reference/events/index.html")),
            "api-reference/events/index.md"
        );
        assert_eq!(markdown_path(Path::new("/tmp/saved.htm")), "saved.md");
    }
}
