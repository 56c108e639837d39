//! The spec model's on-disk contract: YAML shape, round trips, validation.

use b24_spec::codec::{from_yaml, to_yaml};
use b24_spec::validate::validate;
use b24_spec::{
    layout, ApiVersion, Deprecation, ErrorEntry, Examples, Method, Param, ResultField, Snapshot,
    Spec, SystemError, TypeExpr,
};
use b24_spec::{Entity, EntityField, EntityUse};

fn param(name: &str, ty: &str, required: bool) -> Param {
    Param {
        name: name.into(),
        ty: Some(TypeExpr::parse(ty).unwrap()),
        required,
        description: format!("The {name}"),
        default: None,
        fields: vec![],
        ..Param::new(name, None, false)
    }
}

fn sample_method() -> Method {
    let mut filter = param("filter", "object", false);
    filter.fields = vec![param("ACTIVE", "char", false)];
    filter.fields[0].default = Some("Y".into());
    Method {
        method: "widget.item.add".into(),
        api: ApiVersion::V2,
        group: "widgets".into(),
        title: "Add a widget item".into(),
        scope: vec!["placement".into()],
        access: Some("administrator".into()),
        deprecated: Deprecation::Current,
        source: "api-reference/widgets/widget-item-add.md".into(),
        description: "Adds an item.\n\nSecond paragraph.".into(),
        params: vec![
            param("id", "integer", true),
            param("tags", "string[] | null", false),
            filter,
        ],
        result: vec![ResultField {
            name: "result".into(),
            ty: Some(TypeExpr::named("integer")),
            description: "New id".into(),
            ..ResultField::new("result", None)
        }],
        result_wire: None,
        errors: vec![ErrorEntry {
            status: Some(400),
            code: "".into(),
            message: "Value is N".into(),
            description: "yes".into(),
            code_recovered: false,
            code_lost: false,
        }],
        system_errors: true,
        examples: Examples {
            request: Some(serde_json::json!({"id": 1, "flag": "Y"})),
            response: None,
            ..Examples::default()
        },
        one_of: vec![],
        patched: vec![],
    }
}

fn sample_entity() -> Entity {
    Entity {
        id: "widget.item".into(),
        group: "widgets".into(),
        source: "api-reference/widgets/widget-item-fields.md".into(),
        fields: vec![
            EntityField {
                name: "ID".into(),
                ty: Some(TypeExpr::named("integer")),
                description: "Identifier".into(),
                read_only: true,
                required_on_add: false,
                multiple: false,
                values: vec![],
            },
            EntityField {
                name: "KIND".into(),
                ty: Some(TypeExpr::named("string")),
                description: "Kind".into(),
                read_only: false,
                required_on_add: true,
                multiple: true,
                values: vec![
                    b24_spec::ClosedValue::text("Y", "yes"),
                    b24_spec::ClosedValue::text("N", ""),
                ],
            },
        ],
        used_by: vec![EntityUse {
            method: "widget.item.list".into(),
            api: ApiVersion::V2,
            path: "params.filter".into(),
        }],
    }
}

#[test]
fn entity_yaml_shape_is_stable_and_round_trips() {
    let text = to_yaml(&sample_entity()).unwrap();
    insta::assert_snapshot!(text);
    let back: Entity = from_yaml(&text, "test").unwrap();
    assert_eq!(back, sample_entity());
}

#[test]
fn fields_ref_is_written_only_when_set() {
    let mut method = sample_method();
    let plain = to_yaml(&method).unwrap();
    assert!(!plain.contains("fields_ref"), "{plain}");
    method.params[2].fields_ref = Some("widget.item".into());
    let text = to_yaml(&method).unwrap();
    assert!(text.contains("fields_ref: widget.item"), "{text}");
    assert_eq!(from_yaml::<Method>(&text, "test").unwrap(), method);
}

#[test]
fn entity_validation_flags_duplicates_and_dangling_refs() {
    let mut method = sample_method();
    method.params[2].fields_ref = Some("widget.nothing".into());
    let mut twice = sample_entity();
    twice.fields.push(twice.fields[0].clone());
    let spec = Spec {
        methods: vec![method],
        entities: vec![twice, sample_entity()],
        ..Spec::default()
    };
    let messages: Vec<String> = validate(&spec).iter().map(|i| i.to_string()).collect();
    assert_eq!(
        messages,
        [
            "api-reference/widgets/widget-item-fields.md: entity widget.item at ID: field name is empty or listed twice",
            "api-reference/widgets/widget-item-fields.md: entity widget.item: entity id is empty or defined twice",
            "api-reference/widgets/widget-item-add.md: widget.item.add (v2) at params.filter: fields_ref names `widget.nothing`, which is not an entity",
        ]
    );
}

#[test]
fn method_yaml_shape_is_stable() {
    insta::assert_snapshot!(to_yaml(&sample_method()).unwrap());
}

#[test]
fn method_round_trips_through_yaml() {
    let method = sample_method();
    let back: Method = from_yaml(&to_yaml(&method).unwrap(), "test").unwrap();
    assert_eq!(back, method);
}

#[test]
fn deprecation_round_trips_both_forms() {
    let mut method = sample_method();
    method.deprecated = Deprecation::Deprecated {
        note: Some("Use widget.item.put".into()),
        replacement: Some("widget.item.put".into()),
        outdated_folder: true,
    };
    let text = to_yaml(&method).unwrap();
    assert!(text.contains("replacement: widget.item.put"), "{text}");
    let back: Method = from_yaml(&text, "test").unwrap();
    assert_eq!(back, method);
    let plain = to_yaml(&sample_method()).unwrap();
    assert!(plain.contains("deprecated: false"), "{plain}");
}

#[test]
fn unknown_fields_are_rejected_with_the_origin() {
    let text = to_yaml(&sample_method())
        .unwrap()
        .replace("system_errors:", "sytem_errors:");
    let err = from_yaml::<Method>(&text, "spec/methods/x.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("spec/methods/x.yaml") && err.contains("sytem_errors"),
        "{err}"
    );
}

#[test]
fn invalid_type_expressions_are_rejected() {
    let text = to_yaml(&sample_method())
        .unwrap()
        .replace("type: integer\n", "type: 'integer |'\n");
    assert!(from_yaml::<Method>(&text, "x").is_err());
}

#[test]
fn validation_flags_duplicates_empty_names_and_depth() {
    let mut spec = Spec {
        methods: vec![sample_method(), sample_method()],
        ..Spec::default()
    };
    spec.methods[0].params.push(param("id", "integer", false));
    spec.methods[0].params.push(param(" ", "integer", false));
    let mut deep = param("a", "object", false);
    let mut level = &mut deep;
    for name in ["b", "c", "d", "e", "f", "g"] {
        level.fields.push(param(name, "object", false));
        level = &mut level.fields[0];
    }
    spec.methods[1].params.push(deep);
    let messages: Vec<String> = validate(&spec).iter().map(|i| i.to_string()).collect();
    insta::assert_debug_snapshot!(messages);
}

#[test]
fn valid_spec_has_no_issues() {
    let spec = Spec {
        methods: vec![sample_method()],
        ..Spec::default()
    };
    assert_eq!(validate(&spec), vec![]);
}

#[test]
fn spec_directory_round_trips() {
    let mut v3 = sample_method();
    v3.api = ApiVersion::V3;
    let spec = Spec {
        snapshot: Snapshot {
            repo: "owner/docs".into(),
            commit: "abc".into(),
            date: None,
            format: "markdown".into(),
        },
        system_errors: vec![SystemError {
            status: Some(503),
            code: "QUERY_LIMIT_EXCEEDED".into(),
            message: "Too many".into(),
            description: "Slow down".into(),
            remedy: String::new(),
            source: "limits.md".into(),
        }],
        methods: vec![sample_method(), v3],
        entities: vec![sample_entity()],
        placements: vec![b24_spec::Placement {
            code: "WIDGET_TAB".into(),
            title: "A tab".into(),
            location: "The item card".into(),
            source: "api-reference/widgets/tab.md".into(),
            options: vec![param("itemId", "string", true)],
            bind_options: vec![],
        }],
        events: vec![b24_spec::Event {
            event: "ONWIDGETITEMADD".into(),
            group: "widgets".into(),
            title: "Item added".into(),
            scope: vec!["widgets".into()],
            subscribers: Some("any user".into()),
            deprecated: Deprecation::Current,
            source: "api-reference/widgets/events/on-item-add.md".into(),
            description: String::new(),
            payload: vec![param("data", "object", true)],
            methods: vec!["widget.item.add".into()],
            example: Some(serde_json::json!({"event": "ONWIDGETITEMADD"})),
        }],
    };
    let dir = tempfile::tempdir().unwrap();
    let files = layout::render(&spec).unwrap();
    let names: Vec<String> = files.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            "entities/widgets/widget.item.yaml",
            "errors.yaml",
            "events/widgets/ONWIDGETITEMADD.yaml",
            "methods/widgets/widget.item.add.v3.yaml",
            "methods/widgets/widget.item.add.yaml",
            "placements.yaml",
            "source.yaml"
        ]
    );
    for (path, text) in &files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let mut expected = spec.clone();
    expected.sort();
    assert_eq!(layout::load(dir.path()).unwrap(), expected);
}

#[test]
fn misplaced_method_file_is_an_error_naming_the_file() {
    let spec = Spec {
        methods: vec![sample_method()],
        ..Spec::default()
    };
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in layout::render(&spec).unwrap() {
        let path = if path.ends_with("widget.item.add.yaml") {
            std::path::PathBuf::from("methods/other/widget.item.add.yaml")
        } else {
            path
        };
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let err = layout::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("methods/other/widget.item.add.yaml"), "{err}");
}

/// A v2 method named `x.v3` and the v3 method `x` would write one file; so would two names
/// that differ only in case (on case-insensitive file systems).
#[test]
fn validation_catches_methods_that_share_a_file() {
    let mut v2 = sample_method();
    v2.method = "widget.item.v3".into();
    let mut v3 = sample_method();
    v3.method = "widget.item".into();
    v3.api = ApiVersion::V3;
    v3.source = "api-reference/widgets/widget-item-v3.md".into();
    let mut upper = sample_method();
    upper.method = "Widget.Item.Add".into();
    let spec = Spec {
        methods: vec![v2, v3, sample_method(), upper],
        ..Spec::default()
    };
    let messages: Vec<String> = validate(&spec).iter().map(|i| i.to_string()).collect();
    assert_eq!(
        messages,
        [
            "api-reference/widgets/widget-item-v3.md: widget.item (v3): is written to the same \
             file as widget.item.v3 (v2) from api-reference/widgets/widget-item-add.md",
            "api-reference/widgets/widget-item-add.md: Widget.Item.Add (v2): is written to the \
             same file as widget.item.add (v2) from api-reference/widgets/widget-item-add.md",
        ]
    );
}

/// Groups and names become folders and files: `..`, separators and hidden names are refused.
#[test]
fn validation_refuses_unsafe_groups_and_names() {
    for (group, name) in [
        ("..", "widget.item.add"),
        ("a/b", "widget.item.add"),
        ("widgets", "../../etc/x"),
        ("widgets", ".hidden"),
        ("widgets", "a\\b"),
    ] {
        let mut method = sample_method();
        method.group = group.into();
        method.method = name.into();
        let spec = Spec {
            methods: vec![method],
            ..Spec::default()
        };
        let issues = validate(&spec);
        assert_eq!(issues.len(), 1, "{group} {name}: {issues:?}");
        assert!(
            issues[0].message.contains("not a safe"),
            "{group} {name}: {issues:?}"
        );
    }
}

/// `load_changed` reads only the files that differ from a known spec's rendering and gives
/// what `load` gives reading them all: an edited file, a removed one, one added, a foreign
/// file and the snapshot.
#[test]
fn loading_only_changed_files_matches_loading_all() {
    let mut second = sample_method();
    second.method = "widget.item.delete".into();
    let base = Spec {
        snapshot: Snapshot {
            commit: "abc".into(),
            ..Snapshot::default()
        },
        methods: vec![sample_method(), second],
        entities: vec![sample_entity()],
        ..Spec::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    };
    for (path, text) in layout::render(&base).unwrap() {
        write(&path.display().to_string(), &text);
    }
    let mut edited = sample_method();
    edited.title = "Edited by hand".into();
    write(
        "methods/widgets/widget.item.add.yaml",
        &to_yaml(&edited).unwrap(),
    );
    std::fs::remove_file(dir.path().join("entities/widgets/widget.item.yaml")).unwrap();
    let mut added = sample_method();
    added.method = "widget.item.update".into();
    write(
        "methods/widgets/widget.item.update.yaml",
        &to_yaml(&added).unwrap(),
    );
    write(
        "source.yaml",
        &to_yaml(&Snapshot {
            commit: "def".into(),
            ..Snapshot::default()
        })
        .unwrap(),
    );
    write("methods/widgets/notes.txt", "not a spec file");
    let changed: Vec<std::path::PathBuf> = [
        "methods/widgets/widget.item.add.yaml",
        "entities/widgets/widget.item.yaml",
        "methods/widgets/widget.item.update.yaml",
        "source.yaml",
        "methods/widgets/notes.txt",
    ]
    .iter()
    .map(Into::into)
    .collect();
    let all = layout::load(dir.path()).unwrap();
    assert_eq!(all.methods.len(), 3);
    assert!(all.entities.is_empty());
    assert_eq!(all.snapshot.commit, "def");
    assert_eq!(
        layout::load_changed(dir.path(), &base, &changed).unwrap(),
        all
    );
    // A changed file in the wrong place is the same error as `load` gives.
    write(
        "methods/other/widget.item.add.yaml",
        &to_yaml(&sample_method()).unwrap(),
    );
    let err = layout::load_changed(
        dir.path(),
        &base,
        &["methods/other/widget.item.add.yaml".into()],
    )
    .unwrap_err();
    assert!(err.to_string().contains("belongs in"), "{err}");
}
