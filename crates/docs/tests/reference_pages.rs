//! Reference pages (a page of field tables that method pages link to, not a method page)
//! become entities named after the linking methods. Fixture docs of our own text under
//! `tests/fixtures/reference`.

use std::path::Path;

use b24_spec::ApiVersion;

fn extraction() -> b24_docs::Extraction {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference");
    b24_docs::extract(&root).expect("fixture docs are readable")
}

#[test]
fn a_linked_reference_page_is_one_entity_of_all_its_tables() {
    let extraction = extraction();
    let ids: Vec<&str> = extraction
        .spec
        .entities
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    // `shapes.md` is linked only from a parameter that is not a field query and through an
    // anchor: no entity.
    assert_eq!(ids, ["gizmo.sprocket"]);
    let entity = &extraction.spec.entities[0];
    assert_eq!(entity.group, "gizmo");
    assert_eq!(entity.source, "api-reference/gizmo/sprocket-fields.md");
    let fields: Vec<(&str, bool, bool)> = entity
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.multiple, f.read_only))
        .collect();
    // Shared table first, then each section in page order; the first `label` wins; pattern
    // rows (`ufGizmo...`, `parentId...`) are not fields; the `gear` object's own table (a row
    // links its heading) describes that member, so `ratio` and `maker` are not fields.
    assert_eq!(
        fields,
        [
            ("id", false, true),
            ("label", false, false),
            ("teeth", true, false),
            ("gear", false, false),
            ("pitch", false, false),
            ("angle", false, false),
            ("marks", true, false),
        ]
    );
    assert_eq!(entity.fields[1].description, "What the sprocket is called");
    let uses: Vec<(&str, &str)> = entity
        .used_by
        .iter()
        .map(|u| (u.method.as_str(), u.path.as_str()))
        .collect();
    assert_eq!(
        uses,
        [
            ("gizmo.sprocket.get", "result.sprocket"),
            ("gizmo.sprocket.list", "params.filter"),
            ("gizmo.sprocket.list", "result.sprockets"),
        ]
    );
    let list = extraction
        .spec
        .method("gizmo.sprocket.list", ApiVersion::V2)
        .unwrap();
    assert_eq!(list.params[0].fields_ref.as_deref(), Some("gizmo.sprocket"));
    let get = extraction
        .spec
        .method("gizmo.sprocket.get", ApiVersion::V2)
        .unwrap();
    assert_eq!(get.params[1].fields_ref, None);
    assert!(b24_spec::validate::validate(&extraction.spec).is_empty());
}
