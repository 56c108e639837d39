//! Hand-written fixture docs (our own text) covering every YFM construct and extraction edge
//! case; each extracted method is snapshot-tested as the YAML a reviewer would read.

use std::path::Path;

fn fixture_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs")
}

fn extraction() -> b24_docs::Extraction {
    b24_docs::extract(&fixture_root()).expect("fixture docs are readable")
}

#[test]
fn every_fixture_method_matches_its_snapshot() {
    let extraction = extraction();
    for method in &extraction.spec.methods {
        let yaml = b24_spec::codec::to_yaml(method).unwrap();
        insta::assert_snapshot!(format!("{}-{}", method.method, method.api), yaml);
    }
}

#[test]
fn page_kinds_and_method_names() {
    let extraction = extraction();
    let names: Vec<String> = extraction
        .spec
        .methods
        .iter()
        .map(|m| format!("{} {}", m.method, m.api))
        .collect();
    assert_eq!(
        names,
        [
            "gadget.bolt.list v2",
            "gadget.gear.add v2",
            "gadget.gear.copy v2",
            "gadget.gear.fields v2",
            "gadget.gear.get v3",
            "gadget.gear.list v2",
            "gadget.gear.move v2",
            "gadget.gear.peek v2",
            "gadget.gear.status v2",
            "gadget.nut.list v2",
            "gadget.part.list v2",
            "gadget.spring.list v2",
            "gadget.washer.list v2",
            "gizmos v2",
            "widget.old.add v2"
        ]
    );
    let kinds: Vec<String> = extraction
        .stats
        .pages
        .iter()
        .map(|(k, n)| format!("{} {n}", k.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            "method 15",
            "event 3",
            "overview 1",
            "placement 1",
            "other 1"
        ]
    );
}

fn param_names(extraction: &b24_docs::Extraction, method: &str) -> Vec<String> {
    let method = extraction
        .spec
        .method(method, b24_spec::ApiVersion::V2)
        .expect("fixture method");
    method.params.iter().map(|p| p.name.clone()).collect()
}

#[test]
fn parameters_described_elsewhere_are_resolved() {
    let extraction = extraction();
    // A link to a method page takes that method's parameters, closed values included (each
    // page's method is filled as it is read, before the merge copies its parameters).
    let params = |name: &str| {
        let method = extraction.spec.methods.iter().find(|m| m.method == name);
        method.expect(name).params.clone()
    };
    assert_eq!(params("gadget.gear.copy"), params("gadget.gear.add"));
    let finish = params("gadget.gear.copy")
        .into_iter()
        .find(|p| p.name == "finish")
        .expect("finish");
    let values: Vec<String> = finish.values.iter().map(|v| v.value.text()).collect();
    assert_eq!(values, ["matte", "gloss"]);
    // A link to an article: what at least half of the methods linking it for parameters share.
    assert_eq!(
        param_names(&extraction, "gadget.nut.list"),
        ["filter", "order", "start", "select"]
    );
    // A stale link is resolved through the same link text elsewhere.
    assert_eq!(
        param_names(&extraction, "gadget.washer.list"),
        param_names(&extraction, "gadget.nut.list")
    );
    // A link leading nowhere leaves the method without parameters, with a diagnostic.
    assert!(param_names(&extraction, "gadget.gear.peek").is_empty());
    let unresolved: Vec<String> = extraction
        .diagnostics
        .iter()
        .filter(|d| d.kind == b24_docs::DiagnosticKind::UnresolvedReference)
        .map(|d| d.to_string())
        .collect();
    assert_eq!(unresolved.len(), 1, "{unresolved:?}");
    assert!(
        unresolved[0].contains("gadget-gear-peek.md:5"),
        "{unresolved:?}"
    );
}

#[test]
fn field_list_links_are_entity_references_not_members() {
    let extraction = extraction();
    let ids: Vec<&str> = extraction
        .spec
        .entities
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(ids, ["gadget.gear", "gadget.spring"]);
    let list = extraction
        .spec
        .method("gadget.spring.list", b24_spec::ApiVersion::V2)
        .unwrap();
    let refs: Vec<(&str, Option<&str>, usize)> = list
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.fields_ref.as_deref(), p.fields.len()))
        .collect();
    assert_eq!(
        refs,
        [
            ("select", Some("gadget.spring"), 0),
            ("filter", Some("gadget.spring"), 0),
            ("order", Some("gadget.spring"), 0),
            ("start", None, 0)
        ]
    );
    insta::assert_snapshot!(
        "entities",
        extraction
            .spec
            .entities
            .iter()
            .map(|e| b24_spec::codec::to_yaml(e).unwrap())
            .collect::<Vec<_>>()
            .join("---\n")
    );
}

#[test]
fn placement_pages_are_placements_not_methods() {
    let extraction = extraction();
    let codes: Vec<(&str, &str)> = extraction
        .spec
        .placements
        .iter()
        .map(|p| (p.code.as_str(), p.location.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("GADGET_BOLT_TAB", "A tab of the bolt card"),
            ("GADGET_GEAR_TAB", "A tab of the gear card")
        ]
    );
    insta::assert_snapshot!(
        "placements",
        b24_spec::codec::to_yaml(&extraction.spec.placements).unwrap()
    );
    // Given alone, the page still yields its placements and no `placement.bind`.
    let alone = b24_docs::extract_with(
        &fixture_root().join("api-reference/widgets/gear-tab.md"),
        b24_docs::Format::Markdown,
        None,
    )
    .unwrap();
    assert!(alone.spec.methods.is_empty(), "{:?}", alone.spec.methods);
    assert_eq!(alone.spec.placements.len(), 2);
}

#[test]
fn diagnostics_name_file_and_line() {
    let lines: Vec<String> = extraction()
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    insta::assert_debug_snapshot!(lines);
}

#[test]
fn system_error_catalogue_includes_the_limits_page() {
    let errors = extraction().spec.system_errors;
    let codes: Vec<(Option<u16>, &str)> =
        errors.iter().map(|e| (e.status, e.code.as_str())).collect();
    assert_eq!(
        codes,
        [
            (Some(503), "TOO_FAST"),
            (Some(500), "BROKEN"),
            (Some(429), "OPERATION_TIME_LIMIT")
        ]
    );
    assert_eq!(errors[0].message, "Slow down please");
    assert_eq!(errors[2].source, "limits.md");
}

#[test]
fn the_spec_is_valid() {
    let extraction = extraction();
    assert_eq!(b24_spec::validate::validate(&extraction.spec), vec![]);
    assert_eq!(extraction.spec.snapshot.commit, "0123abcd");
}

#[test]
fn not_a_docs_tree_is_a_clear_error() {
    let err = b24_docs::extract(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap_err();
    assert!(err.to_string().contains("no api-reference/"), "{err}");
}

#[test]
fn event_pages_are_events() {
    let extraction = extraction();
    let names: Vec<(&str, &str)> = extraction
        .spec
        .events
        .iter()
        .map(|e| (e.group.as_str(), e.event.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("widgets", "ONWIDGETADD"),
            ("widgets", "ONWIDGETGEARSPIN"),
            ("widgets", "ONWIDGETGEARSTOP")
        ]
    );
    let spin = &extraction.spec.events[1];
    // Linked pages and method-shaped code spans that are methods, in page order, once each.
    assert_eq!(
        spin.methods,
        ["gadget.gear.add", "gadget.gear.peek", "gadget.gear.status"]
    );
    assert_eq!(spin.member_count(), 8);
    insta::assert_snapshot!(
        "events",
        b24_spec::codec::to_yaml(&extraction.spec.events).unwrap()
    );
}
