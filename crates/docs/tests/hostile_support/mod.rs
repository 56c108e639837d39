//! Shared by the hostile-page tests: a writable copy of the fixture docs, a small method page
//! of our own text, and the check that a hostile page leaves every other page as it was.

use std::path::{Path, PathBuf};

use b24_docs::Extraction;

/// A temporary copy of `tests/fixtures/docs`.
pub fn fixture_tree() -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs");
    let to = tempfile::tempdir().expect("temp dir");
    for entry in files_under(&from) {
        let target = to.path().join(entry.strip_prefix(&from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
    }
    to
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// A minimal method page for `name`, with a curl example.
pub fn method_page(name: &str) -> String {
    let word = name.split('.').nth(1).unwrap_or("thing");
    format!(
        "# Add a {word} {name}\n\nAdds a {word}.\n\n## Code Examples\n\n```bash\ncurl -X POST https://**put_your_bitrix24_address**/rest/{name}\n```\n"
    )
}

/// Extracts the fixture docs with `page` added at `file`; the returned check asserts that
/// every other page came out exactly as without it (methods and diagnostics).
pub fn with_page(file: &str, page: &[u8]) -> (Extraction, impl FnOnce()) {
    extract_with(fixture_tree(), file, page)
}

/// [`with_page`] on a prepared tree.
pub fn extract_with(
    tree: tempfile::TempDir,
    file: &str,
    page: &[u8],
) -> (Extraction, impl FnOnce()) {
    let pristine = b24_docs::extract(tree.path()).expect("fixture docs");
    let path = tree.path().join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, page).unwrap();
    let extraction = b24_docs::extract(tree.path()).expect("fixture docs");
    let others: Vec<_> = extraction
        .spec
        .methods
        .iter()
        .filter(|m| m.source != file)
        .cloned()
        .collect();
    let others_diagnostics: Vec<_> = extraction
        .diagnostics
        .iter()
        .filter(|d| d.file != file)
        .cloned()
        .collect();
    let system_errors = extraction.spec.system_errors.clone();
    let check = move || {
        drop(tree);
        assert_eq!(others, pristine.spec.methods, "other pages changed");
        assert_eq!(
            others_diagnostics, pristine.diagnostics,
            "other pages' diagnostics changed"
        );
        assert_eq!(system_errors, pristine.spec.system_errors);
    };
    (extraction, check)
}
