//! Result members placed where the page's own example answer puts them.
//!
//! [`b24_spec::result_shape`] decides, for the Rust types and this document alike, whether a
//! result table's members are the object's own, wrapped under one key, in each value of an
//! object keyed by ID or name, or a `*.fields` answer's field descriptions. Described as the
//! table alone says, such an answer validates (every member is optional) while a generated
//! client reads none of it; placed, it reads what the portal sends.

use b24_spec::result_shape::{
    self, describes_fields, is_keyed_by_id, is_yes_no, keyed_by_placeholder, shape_of, ResultShape,
};
use b24_spec::ResultField;
use serde_json::{json, Value};

use crate::schema::{object, Context, Member, Side};

/// The component schema of one field's description in a `*.fields` answer.
pub const FIELD_DESCRIPTION: &str = "FieldDescription";

/// The members of a result object, each with its value in `object` (the example's object).
pub fn members<'a>(fields: &'a [ResultField], object: Option<&'a Value>) -> Vec<Member<'a>> {
    fields
        .iter()
        .map(|f| {
            let value = object.filter(|_| !f.pattern).and_then(|o| o.get(&f.name));
            Member::result(f, value)
        })
        .collect()
}

/// The schema of documented `fields` that `example` (the value holding them) puts somewhere
/// other than its own members; `None` when they are its own.
pub fn moved(
    fields: &[ResultField],
    example: Option<&Value>,
    side: Side,
    cx: &Context,
) -> Option<Value> {
    if fields.is_empty() {
        return None;
    }
    let documented: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let members_in = |value: Option<&Value>| object(&members(fields, value), side, cx);
    let first_value = example.and_then(|e| e.as_object()?.values().next());
    Some(match shape_of(example, &documented) {
        ResultShape::Direct => {
            let [lone] = fields else { return None };
            if !keyed_by_placeholder(lone, example?) {
                return None;
            }
            keyed(Member::result(lone, first_value).schema(side, cx))
        }
        ResultShape::FieldDescriptions => keyed(field_description_ref()),
        ResultShape::KeyedLists => keyed(json!({
            "type": "array",
            "items": members_in(result_shape::one_object(first_value)),
        })),
        ResultShape::Keyed => keyed(members_in(first_value)),
        ResultShape::Wrapped { key, array } => {
            let inner_example = result_shape::one_object(example.and_then(|e| e.get(&key)));
            let descriptions = inner_example
                .and_then(Value::as_object)
                .is_some_and(|inner| describes_fields(inner, &documented));
            let inner = if descriptions {
                keyed(field_description_ref())
            } else {
                members_in(inner_example)
            };
            let inner = if array {
                json!({ "type": "array", "items": inner })
            } else {
                inner
            };
            json!({ "type": "object", "properties": { key: inner } })
        }
    })
}

/// A scalar or list schema as the example sends it: a documented boolean sent as `"Y"`/`"N"`,
/// a documented list sent as an object keyed by ID (a PHP array with ID keys).
pub fn as_sent(schema: Value, example: Option<&Value>) -> Value {
    let ty = schema.get("type").and_then(Value::as_str);
    match ty {
        Some("boolean") if is_yes_no(example) => json!({ "type": "string", "enum": ["Y", "N"] }),
        Some("array") if is_keyed_by_id(example) => {
            keyed(schema.get("items").cloned().unwrap_or_else(|| json!({})))
        }
        _ => schema,
    }
}

/// An object keyed by ID or name, each value `values`; an empty one arrives as PHP's `[]`.
fn keyed(values: Value) -> Value {
    json!({
        "anyOf": [
            { "type": "object", "additionalProperties": values },
            // `items` spelled out: generators reject an array schema without it.
            { "type": "array", "maxItems": 0, "items": {} }
        ]
    })
}

fn field_description_ref() -> Value {
    json!({ "$ref": format!("#/components/schemas/{FIELD_DESCRIPTION}") })
}

/// What a `*.fields` answer says of one field: its type and the portal's attribute flags
/// (booleans, or `"Y"`/`"N"` on some pages), other attributes as sent.
pub fn field_description() -> Value {
    let flag =
        json!({ "anyOf": [{ "type": "boolean" }, { "type": "string", "enum": ["Y", "N"] }] });
    json!({
        "type": "object",
        "description": "One field's description in a `*.fields` answer, keyed by the field's name.",
        "properties": {
            "type": { "type": "string" },
            "isRequired": flag,
            "isReadOnly": flag,
            "isImmutable": flag,
            "isMultiple": flag,
            "isDynamic": flag,
            "title": { "type": "string" }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> ResultField {
        ResultField::new(name, None)
    }

    fn placed(example: Value) -> Option<Value> {
        let fields = [field("id"), field("title")];
        moved(&fields, Some(&example), Side::Receive, &Context::default())
    }

    fn keyed_values(schema: &Value) -> &Value {
        &schema["anyOf"][0]["additionalProperties"]
    }

    #[test]
    fn members_that_are_the_objects_own_are_not_moved() {
        assert_eq!(placed(json!({"id": 1, "extra": 2})), None);
    }

    #[test]
    fn members_under_one_key_are_wrapped() {
        let schema = placed(json!({"thing": {"id": 1}})).expect("wrapped");
        let inner = &schema["properties"]["thing"];
        assert!(inner["properties"]["id"].is_object(), "{schema}");
        let schema = placed(json!({"things": [{"id": 1}]})).expect("wrapped list");
        let items = &schema["properties"]["things"]["items"];
        assert!(items["properties"]["title"].is_object(), "{schema}");
    }

    #[test]
    fn members_in_each_value_are_keyed_and_an_empty_php_array_is_allowed() {
        let schema = placed(json!({"3": {"id": 3}, "7": {"title": "t"}})).expect("keyed");
        assert!(
            keyed_values(&schema)["properties"]["id"].is_object(),
            "{schema}"
        );
        assert_eq!(
            schema["anyOf"][1],
            json!({"type": "array", "maxItems": 0, "items": {}})
        );
        let schema = placed(json!({"3": [{"id": 3}]})).expect("keyed lists");
        assert!(keyed_values(&schema)["items"]["properties"]["id"].is_object());
    }

    #[test]
    fn field_descriptions_refer_to_the_shared_schema() {
        let schema =
            placed(json!({"id": {"type": "integer", "isReadOnly": true}})).expect("descriptions");
        assert_eq!(
            keyed_values(&schema)["$ref"],
            "#/components/schemas/FieldDescription"
        );
    }

    #[test]
    fn scalars_and_lists_follow_what_the_example_sends() {
        let boolean = json!({"type": "boolean"});
        assert_eq!(
            as_sent(boolean.clone(), Some(&json!("Y")))["enum"],
            json!(["Y", "N"])
        );
        assert_eq!(as_sent(boolean.clone(), Some(&json!(true))), boolean);
        let list = json!({"type": "array", "items": {"type": "integer"}});
        let sent = as_sent(list.clone(), Some(&json!({"12": 5})));
        assert_eq!(keyed_values(&sent), &json!({"type": "integer"}));
        assert_eq!(as_sent(list.clone(), Some(&json!([5]))), list);
    }
}
