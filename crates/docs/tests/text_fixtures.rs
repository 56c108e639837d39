//! The text frontend on hand-written copies (our own text) in both copy shapes: one line per
//! block with `|` tables and every code span lost, and blank-line-separated blocks that kept
//! them.

use std::path::{Path, PathBuf};

use b24_docs::Format;
use b24_spec::{ErrorEntry, Method, Spec};

fn copies() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text")
}

fn extraction(known: Option<&Spec>) -> b24_docs::Extraction {
    b24_docs::extract_with(&copies(), Format::Text, known).expect("fixture copies read")
}

fn method<'e>(extraction: &'e b24_docs::Extraction, name: &str) -> &'e Method {
    extraction
        .spec
        .methods
        .iter()
        .find(|m| m.method == name)
        .unwrap_or_else(|| panic!("{name} not extracted"))
}

#[test]
fn both_shapes_match_their_snapshots() {
    let extraction = extraction(None);
    assert_eq!(extraction.spec.methods.len(), 2);
    for method in &extraction.spec.methods {
        insta::assert_snapshot!(
            format!("text-fixture-{}", method.method),
            b24_spec::codec::to_yaml(method).unwrap()
        );
    }
    assert_eq!(b24_spec::validate::validate(&extraction.spec), vec![]);
}

#[test]
fn a_line_copy_keeps_names_and_flags_and_marks_lost_types() {
    let extraction = extraction(None);
    let remove = method(&extraction, "gadget.gear.remove");
    assert_eq!(remove.scope, ["gadgets"]);
    assert_eq!(remove.access.as_deref(), Some("workshop owner"));
    let params: Vec<(&str, bool, bool)> = remove
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.required, p.ty.is_none()))
        .collect();
    assert_eq!(params, [("gearId", true, true), ("force", false, true)]);
    assert_eq!(remove.examples.request.as_ref().unwrap()["gearId"], 5);
    assert_eq!(remove.examples.response.as_ref().unwrap()["result"], true);
    assert!(remove.system_errors);
}

#[test]
fn lost_codes_come_back_only_when_the_text_is_known() {
    let extraction = extraction(None);
    let remove = method(&extraction, "gadget.gear.remove");
    let errors: Vec<(Option<u16>, &str, bool)> = remove
        .errors
        .iter()
        .map(|e| (e.status, e.code.as_str(), e.code_recovered))
        .collect();
    // The first message is the page's own error example; the second is nowhere.
    assert_eq!(errors, [(None, "GEAR_STUCK", true), (None, "", false)]);
    let lost: Vec<String> = extraction
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    insta::assert_debug_snapshot!(lost);
}

#[test]
fn a_known_spec_places_methods_and_recovers_its_codes() {
    let mut known = extraction(None).spec;
    for method in &mut known.methods {
        method.group = "gadgets".into();
        method.source = format!("api-reference/gadgets/{}.md", method.method);
        if method.method == "gadget.gear.remove" {
            method.errors.push(ErrorEntry {
                status: Some(423),
                code: "GEAR_BUSY".into(),
                message: "Try again tomorrow".into(),
                description: String::new(),
                code_recovered: false,
                code_lost: false,
            });
        }
    }
    let extraction = extraction(Some(&known));
    let remove = method(&extraction, "gadget.gear.remove");
    assert_eq!(remove.group, "gadgets");
    assert_eq!(remove.source, "api-reference/gadgets/gadget.gear.remove.md");
    assert_eq!(remove.errors[1].code, "GEAR_BUSY");
    assert!(remove.errors[1].code_recovered);
    // The status is not taken over: the copy lost it, and it stays unknown.
    assert_eq!(remove.errors[1].status, None);
}

#[test]
fn a_block_copy_keeps_types_and_gives_the_catalogue() {
    let extraction = extraction(None);
    let spin = method(&extraction, "gadget.gear.spin");
    assert_eq!(
        spin.params[0].ty.as_ref().map(|t| t.to_string()).as_deref(),
        Some("integer")
    );
    assert!(spin.params[0].required);
    assert_eq!(spin.scope, ["gadgets"]);
    assert_eq!(spin.examples.request.as_ref().unwrap()["gearId"], 3);
    assert_eq!(
        spin.examples.response.as_ref().unwrap()["result"]["turns"],
        2
    );
    let codes: Vec<(Option<u16>, &str)> = extraction
        .spec
        .system_errors
        .iter()
        .map(|e| (e.status, e.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (Some(500), "INTERNAL_SERVER_ERROR"),
            (Some(503), "QUERY_LIMIT_EXCEEDED")
        ]
    );
}

#[test]
fn a_single_copy_is_detected_and_read() {
    let file = copies().join("gear-spin-blocks.txt");
    assert_eq!(b24_docs::detect_format(&file), Some(Format::Text));
    assert_eq!(b24_docs::detect_format(&copies()), Some(Format::Text));
    let extraction = b24_docs::extract_with(&file, Format::Text, None).unwrap();
    assert_eq!(extraction.spec.methods[0].method, "gadget.gear.spin");
    assert_eq!(extraction.spec.methods[0].source, "gear-spin-blocks.txt");
}
