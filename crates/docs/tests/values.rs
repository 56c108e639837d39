//! Closed value lists read from descriptions: one fixture of our own text per shape the
//! extractor reads, and the shapes it must refuse.

use b24_docs::extract::values::{fill_method, from_description, item};
use b24_spec::{ClosedValue, Param, Scalar, Spec, TypeExpr};
use serde_json::json;

fn text(values: &[(&str, &str)]) -> Vec<ClosedValue> {
    values
        .iter()
        .map(|(v, d)| ClosedValue::text(*v, *d))
        .collect()
}

#[test]
fn bullet_list_after_a_lead() {
    let description = "Kind of the gadget. Possible values:\n\n- `ROUND` — a round one,\n- `SQUARE` – a square one\n- `'FLAT'`: flat\n\nDefault is `ROUND`";
    assert_eq!(
        from_description(description, false, false),
        text(&[
            ("ROUND", "a round one"),
            ("SQUARE", "a square one"),
            ("FLAT", "flat")
        ])
    );
}

#[test]
fn quoted_and_bold_values() {
    let description = "Mode. Allowed values:\n* 'fast' - quick\n* **slow** = careful";
    assert_eq!(
        from_description(description, false, false),
        text(&[("fast", "quick"), ("slow", "careful")])
    );
}

#[test]
fn inline_list_in_the_lead_sentence() {
    let description = "Gender. Acceptable values: `M`, `F` or `X`. Default `X`";
    assert_eq!(
        from_description(description, false, false),
        text(&[("M", ""), ("F", ""), ("X", "")])
    );
}

#[test]
fn numbers_travel_as_numbers_only_for_numeric_types() {
    let description = "Priority. Possible values:\n- `1` — low\n- `2` — high";
    let numeric = from_description(description, true, false);
    assert_eq!(numeric[0].value, Scalar::Int(1));
    assert_eq!(numeric[1].description, "high");
    let textual = from_description(description, false, false);
    assert_eq!(textual[0].value, Scalar::Text("1".into()));
}

#[test]
fn enum_type_lists_need_no_lead() {
    let description = "Colour of the lamp\n\n- `red` — stop\n- `green` — go";
    assert_eq!(
        from_description(description, false, true),
        text(&[("red", "stop"), ("green", "go")])
    );
    assert!(from_description(description, false, false).is_empty());
}

#[test]
fn open_or_unclear_lists_are_refused() {
    let refused = [
        // a sample
        "Source. Possible values, for example:\n- `CALL` — call\n- `WEB` — site",
        "Source. Possible values:\n- `CALL` — call\n- `WEB` — site, and others",
        // refers elsewhere
        "Possible values for `field` correspond to the fields of the [thing](x.md) object.",
        // a range, not a list
        "Allowed values: from `1` to `200`",
        // an item without a value
        "Possible values:\n- `A` — first\n- second without a value",
        // one value only
        "Possible values: `base`",
        // duplicates
        "Possible values:\n- `A` — one\n- `A` — again",
        // values without code spans in prose
        "Acceptable values are Y or N",
        // templates for values
        "Possible values:\n- `SG<X>` — a group\n- `U<X>` — a user",
    ];
    for description in refused {
        assert!(
            from_description(description, false, false).is_empty(),
            "{description}"
        );
    }
}

#[test]
fn fields_items_give_ids_and_meanings() {
    let value = item(
        Scalar::Text("7".into()),
        &json!({"ID": "7", "VALUE": "Seven"}),
    );
    assert_eq!(value, ClosedValue::text("7", "Seven"));
}

#[test]
fn fill_reaches_nested_parameters_and_keeps_objects_alone() {
    let mut leaf = Param::new("MODE", Some(TypeExpr::named("string")), false);
    leaf.description = "Possible values: `ON`, `OFF`".into();
    let mut parent = Param::new("fields", Some(TypeExpr::named("object")), true);
    parent.description = "Possible values: `X`, `Y`".into();
    parent.fields = vec![leaf];
    let mut untyped = Param::new("ORDER", None, false);
    untyped.description = "Possible values: `asc`, `desc`".into();
    let mut object = Param::new("SORT", Some(TypeExpr::named("object")), false);
    object.description = "Possible values: `asc`, `desc`".into();
    let mut method: b24_spec::Method = b24_spec::codec::from_yaml(
        "method: x.thing.add\napi: v2\ngroup: x\ntitle: Add\nsource: x.md\n",
        "fixture",
    )
    .unwrap();
    method.params = vec![parent, untyped, object];
    let mut spec = Spec::default();
    spec.methods.push(method);
    fill_method(&mut spec.methods[0]);
    let parent = &spec.methods[0].params[0];
    assert!(
        parent.values.is_empty(),
        "an object with members is no enum"
    );
    assert_eq!(parent.fields[0].values, text(&[("ON", ""), ("OFF", "")]));
    assert!(spec.methods[0].params[1].values.is_empty(), "no type");
    assert!(spec.methods[0].params[2].values.is_empty(), "an object");
}
