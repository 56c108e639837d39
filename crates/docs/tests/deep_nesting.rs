//! Members described per class under their own headings, several levels down (our own text:
//! `tests/fixtures/deep`, one page as markdown and as a website page): both frontends follow
//! every linked sub-table as deep as a valid spec nests, and agree on the tree.

use std::path::{Path, PathBuf};

use b24_docs::{DiagnosticKind, Format};
use b24_spec::Param;

fn fixture(format: &str, file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/deep")
        .join(format)
        .join("api-reference/gadgets")
        .join(file)
}

/// Every member as its dotted path, depth first.
fn paths(params: &[Param], prefix: &str, out: &mut Vec<String>) {
    for p in params {
        let path = format!("{prefix}{}", p.name);
        out.push(path.clone());
        paths(&p.fields, &format!("{path}."), out);
    }
}

fn tree(page: PathBuf, format: Format) -> Vec<String> {
    let extraction = b24_docs::extract_with(&page, format, None).expect("fixture page");
    let unlinked: Vec<String> = extraction
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::UnlinkedTable)
        .map(|d| d.to_string())
        .collect();
    assert_eq!(unlinked, Vec::<String>::new(), "{}", page.display());
    let method = extraction
        .spec
        .methods
        .iter()
        .find(|m| m.method == "gadget.gear.tune")
        .expect("gadget.gear.tune");
    let mut out = Vec::new();
    paths(&method.params, "", &mut out);
    out
}

const EXPECTED: [&str; 12] = [
    "gearId",
    "settings",
    "settings.spur",
    "settings.spur.module",
    "settings.spur.profile",
    "settings.spur.profile.angle",
    "settings.spur.profile.tip",
    "settings.spur.profile.tip.radius",
    "settings.spur.profile.tip.shape",
    "settings.spur.profile.tip.shape.curve",
    "settings.worm",
    "settings.worm.starts",
];

#[test]
fn markdown_follows_sub_tables_to_the_deepest_valid_level() {
    let md = tree(fixture("docs", "gadget-gear-tune.md"), Format::Markdown);
    assert_eq!(md, EXPECTED);
    // The deepest member sits exactly as deep as the spec allows.
    let deepest = md.iter().map(|p| p.split('.').count()).max();
    assert_eq!(deepest, Some(b24_spec::validate::MAX_DEPTH));
}

#[test]
fn the_website_page_reads_the_same_tree() {
    let html = tree(fixture("html", "gadget-gear-tune.html"), Format::Html);
    let md = tree(fixture("docs", "gadget-gear-tune.md"), Format::Markdown);
    assert_eq!(html, md);
}
