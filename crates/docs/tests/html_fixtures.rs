//! The HTML frontend on hand-written website pages (our own text, in the Diplodoc page
//! template): one with the `diplodoc-state` copy, one saved without it (body only, template
//! indentation in its code), and a broken one.

use std::path::{Path, PathBuf};

use b24_docs::{Format, PageKind};
use b24_spec::Method;

fn site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html")
}

fn extraction() -> b24_docs::Extraction {
    b24_docs::extract_with(&site(), Format::Html, None).expect("fixture site is readable")
}

fn method(name: &str) -> Method {
    extraction()
        .spec
        .methods
        .into_iter()
        .find(|m| m.method == name)
        .unwrap_or_else(|| panic!("{name} not extracted"))
}

#[test]
fn every_fixture_method_matches_its_snapshot() {
    let extraction = extraction();
    assert_eq!(extraction.spec.methods.len(), 2);
    for method in &extraction.spec.methods {
        let yaml = b24_spec::codec::to_yaml(method).unwrap();
        insta::assert_snapshot!(format!("html-{}-{}", method.method, method.api), yaml);
    }
}

#[test]
fn names_paths_and_groups_are_the_markdown_ones() {
    let add = method("gadget.gear.add");
    assert_eq!(add.source, "api-reference/gadgets/gadget-gear-add.md");
    assert_eq!(add.group, "gadgets");
    // The page h1 has a hidden anchor copy of the title; it must not double the title.
    assert_eq!(add.title, "Add a Gear gadget.gear.add");
    assert_eq!(add.scope, ["gadgets"]);
    assert_eq!(add.access.as_deref(), Some("workshop owner"));
    let list = method("gadget.gear.list");
    assert_eq!(list.source, "api-reference/gadgets/gadget-gear-list.md");
    assert_eq!(list.access.as_deref(), Some("anyone"));
}

#[test]
fn required_markers_types_and_nested_fields() {
    let add = method("gadget.gear.add");
    let params: Vec<(String, String, bool)> = add
        .params
        .iter()
        .map(|p| {
            let ty = p.ty.as_ref().map(|t| t.to_string()).unwrap_or_default();
            (p.name.clone(), ty, p.required)
        })
        .collect();
    assert_eq!(
        params,
        [
            ("gadgetId".to_owned(), "integer".to_owned(), true),
            ("gear".to_owned(), "object".to_owned(), true),
            ("mode".to_owned(), "string".to_owned(), false),
        ]
    );
    let gear: Vec<&str> = add.params[1]
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(gear, ["teeth", "tags"]);
    assert!(add.params[1].fields[0].required);
    assert_eq!(add.params[2].default.as_deref(), Some("snug"));
}

#[test]
fn includes_are_recognised_not_read_as_the_page_own_tables() {
    let add = method("gadget.gear.add");
    let errors: Vec<(Option<u16>, &str, &str)> = add
        .errors
        .iter()
        .map(|e| (e.status, e.code.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (Some(400), "GEAR_TOO_BIG", "Gear does not fit"),
            (Some(400), "NO_GADGET", "Gadget not found"),
        ]
    );
    assert!(add.system_errors);
    // Included without its title (no heading) still counts.
    let list = method("gadget.gear.list");
    assert!(list.system_errors);
    let codes: Vec<&str> = list.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["BAD_FILTER"]);
}

#[test]
fn code_examples_with_and_without_template_indentation() {
    let add = method("gadget.gear.add");
    let request = add.examples.request.as_ref().expect("curl body");
    assert_eq!(request["gear"]["teeth"], 12);
    assert_eq!(add.examples.response.as_ref().unwrap()["result"], 41);
    let list = method("gadget.gear.list");
    assert_eq!(
        list.examples.request.as_ref().unwrap()["filter"]["teeth"],
        8
    );
    assert_eq!(list.examples.response.as_ref().unwrap()["total"], 0);
}

#[test]
fn the_catalogue_comes_from_the_inlined_system_errors() {
    let extraction = extraction();
    let codes: Vec<(Option<u16>, &str, &str)> = extraction
        .spec
        .system_errors
        .iter()
        .map(|e| (e.status, e.code.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (Some(500), "INTERNAL_SERVER_ERROR", "Server fell over"),
            (Some(503), "QUERY_LIMIT_EXCEEDED", "Slow down")
        ]
    );
    assert_eq!(extraction.spec.snapshot.format, "html");
    assert_eq!(extraction.spec.snapshot.commit, "0000fixture");
    assert_eq!(b24_spec::validate::validate(&extraction.spec), vec![]);
}

#[test]
fn diagnostics_name_the_html_file_line_and_element() {
    let lines: Vec<String> = extraction()
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    insta::assert_debug_snapshot!(lines);
}

#[test]
fn page_kinds() {
    let kinds: Vec<String> = extraction()
        .stats
        .pages
        .iter()
        .map(|(k, n)| format!("{} {n}", k.as_str()))
        .collect();
    assert_eq!(kinds, ["method 2", "overview 1"]);
}

#[test]
fn a_single_page_file_is_extracted_on_its_own() {
    let file = site().join("api-reference/gadgets/gadget-gear-list.html");
    assert_eq!(b24_docs::detect_format(&file), Some(Format::Html));
    let extraction = b24_docs::extract_with(&file, Format::Html, None).unwrap();
    let names: Vec<&str> = extraction
        .spec
        .methods
        .iter()
        .map(|m| m.method.as_str())
        .collect();
    assert_eq!(names, ["gadget.gear.list"]);
    assert_eq!(extraction.spec.methods[0].group, "gadgets");
    let (kind, method, _) =
        b24_docs::html::site::extract_one(&site(), "api-reference/gadgets/gadget-gear-add.html");
    assert_eq!(kind, PageKind::Method);
    assert_eq!(method.map(|m| m.method).as_deref(), Some("gadget.gear.add"));
}

#[test]
fn formats_are_detected() {
    assert_eq!(b24_docs::detect_format(&site()), Some(Format::Html));
    let markdown = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs");
    assert_eq!(b24_docs::detect_format(&markdown), Some(Format::Markdown));
    assert_eq!(Format::parse("md"), Some(Format::Markdown));
    assert_eq!(Format::parse("text"), Some(Format::Text));
    assert_eq!(Format::parse("pdf"), None);
}
