//! The docs-quality checks on fixture pages of our own text (`fixtures/lint`), one defect of
//! each kind planted, and clean pages that must stay clean.

use std::path::Path;

use b24_docs::lint::{lint, LintKind};

fn findings() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint");
    let report = lint(&root).expect("fixture docs are readable");
    report
        .findings
        .iter()
        .map(|f| format!("{}:{}: {}: {}", f.file, f.line, f.kind.as_str(), f.message))
        .collect()
}

#[test]
fn each_planted_defect_is_found_once_and_nothing_else() {
    const ADD: &str = "api-reference/gadgets/gadget-cog-add.md";
    const LIST: &str = "api-reference/gadgets/gadget-cog-list.md";
    let expected = [
        format!("{ADD}:0: request-key-undocumented: gadget.cog.add (v2): request example sends `fields.COLOR`, which the parameters table does not list"),
        format!("{ADD}:0: request-key-undocumented: gadget.cog.add (v2): request example sends `spin`, which the parameters table does not list"),
        format!("{ADD}:0: response-key-undocumented: gadget.cog.add (v2): response example has `result.size`, which the result table does not list"),
        format!("{ADD}:0: type-mismatch: gadget.cog.add (v2): request example gives `teeth` an object, the table says `integer`"),
        format!("{ADD}:0: required-omitted: gadget.cog.add (v2): required parameter `owner` is missing from the request example"),
        format!("{ADD}:7: stale-link: link to `./gadget-gear-add.md`: no such page"),
    ];
    let found = findings();
    for line in &expected {
        assert!(found.contains(line), "missing {line}\nin {found:#?}");
    }
    let list: Vec<&String> = found.iter().filter(|f| f.starts_with(LIST)).collect();
    assert!(
        list.iter().any(|f| f.contains(": broken-anchor: ")),
        "{list:#?}"
    );
    assert!(
        list.iter().any(|f| f.contains(": unclosed-construct: ")),
        "{list:#?}"
    );
    let others: Vec<&String> = found
        .iter()
        .filter(|f| !f.starts_with(LIST) && !expected.contains(f))
        .collect();
    assert_eq!(others, Vec::<&String>::new());
}

#[test]
fn counts_cover_every_kind() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint");
    let report = lint(&root).unwrap();
    let counts = report.counts();
    assert_eq!(counts.len(), LintKind::ALL.len());
    assert!(counts.iter().all(|(_, n)| *n >= 1), "{counts:?}");
    assert_eq!(
        counts.iter().map(|(_, n)| n).sum::<usize>(),
        report.findings.len()
    );
}
