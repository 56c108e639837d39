//! Events on disk: one file per event under its group, misplaced files named, and the
//! validation rules (names as sent, one file each, payload members like parameters).

use b24_spec::validate::validate_events;
use b24_spec::{layout, Deprecation, Event, Param, Spec, TypeExpr};

fn event(name: &str) -> Event {
    let mut data = Param::new("data", Some(TypeExpr::named("object")), true);
    data.fields
        .push(Param::new("ID", Some(TypeExpr::named("integer")), true));
    Event {
        event: name.into(),
        group: "gizmos".into(),
        title: format!("Gizmo event {name}"),
        scope: vec![],
        subscribers: None,
        deprecated: Deprecation::Current,
        source: "api-reference/gizmos/events/on-gizmo.md".into(),
        description: String::new(),
        payload: vec![data],
        methods: vec![],
        example: None,
    }
}

#[test]
fn a_valid_event_has_no_issues_and_counts_its_members() {
    let e = event("ONGIZMOSPIN");
    assert_eq!(validate_events(std::slice::from_ref(&e)), vec![]);
    assert_eq!(e.member_count(), 2);
    assert_eq!(e.data().map(|d| d.fields.len()), Some(1));
}

#[test]
fn names_files_and_members_are_checked() {
    let mut lower = event("onGizmoSpin");
    lower.group = "../up".into();
    let mut twice = event("ONGIZMOSPIN");
    let id = twice.payload[0].fields[0].clone();
    twice.payload[0].fields.push(id);
    let again = event("ONGIZMOSPIN");
    let messages: Vec<String> = validate_events(&[lower, twice, again])
        .iter()
        .map(|i| i.to_string())
        .collect();
    assert_eq!(
        messages,
        [
            "api-reference/gizmos/events/on-gizmo.md: event onGizmoSpin: event name is not upper-case letters, digits, `_` and `.`",
            "api-reference/gizmos/events/on-gizmo.md: event onGizmoSpin: group \"../up\" is not a safe folder name",
            "api-reference/gizmos/events/on-gizmo.md: event ONGIZMOSPIN at payload.data.ID: field is listed twice",
            "api-reference/gizmos/events/on-gizmo.md: event ONGIZMOSPIN: is defined twice (also in api-reference/gizmos/events/on-gizmo.md)",
        ]
    );
}

#[test]
fn a_misplaced_event_file_is_an_error_naming_the_file() {
    let spec = Spec {
        events: vec![event("ONGIZMOSPIN")],
        ..Spec::default()
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(layout::METHODS_DIR)).unwrap();
    for (path, text) in layout::render(&spec).unwrap() {
        let path = if path.ends_with("ONGIZMOSPIN.yaml") {
            std::path::PathBuf::from("events/other/ONGIZMOSPIN.yaml")
        } else {
            path
        };
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let err = layout::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("events/other/ONGIZMOSPIN.yaml"), "{err}");
    assert!(err.contains("events/gizmos/ONGIZMOSPIN.yaml"), "{err}");
}
