//! Where a page's documented result members really sit in its own example answer.
//!
//! A result table usually lists the members of `result` itself, but some pages list the
//! members of an object the answer wraps under one key (`{"booking": {...}}`), or of each value
//! of an object keyed by ID or name (`{"1113": {...}, "1115": {...}}`, the `*.fields` methods'
//! `{"TITLE": {"type": ...}}`). Typed as written, every key of such an answer lands in `extra`:
//! it decodes and encodes back perfectly while the typed API shows nothing. The example decides,
//! and only when none of the documented members appears at the top: a documented key at the top
//! means the table describes `result` itself.
//!
//! The decision lives here, beside the spec types, so every emitter (the Rust types, the
//! OpenAPI document) places the members alike.

use serde_json::Value;

use crate::ResultField;

/// How the documented members relate to the example's `result`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultShape {
    /// The members are `result`'s own (or no example says otherwise).
    Direct,
    /// `result` is `{key: members}` (`array`: `{key: [members, ...]}`).
    Wrapped { key: String, array: bool },
    /// `result` is an object keyed by ID or name, each value holding the members.
    Keyed,
    /// `result` is an object keyed by ID, each value a list of objects holding the members
    /// (`{"3": [{...}, {...}]}`: voters by answer).
    KeyedLists,
    /// `result` describes the documented fields (`{"ID": {"type": "integer", ...}}`): the
    /// table lists an entity's fields, the answer each one's type and attributes.
    FieldDescriptions,
}

/// The shape of `result` against the documented member names.
pub fn shape_of(result: Option<&Value>, documented: &[&str]) -> ResultShape {
    let Some(Value::Object(top)) = result else {
        return ResultShape::Direct;
    };
    let holds_members = |value: &Value| match value {
        Value::Object(map) => documented.iter().any(|name| map.contains_key(*name)),
        _ => false,
    };
    if describes_fields(top, documented) {
        return ResultShape::FieldDescriptions;
    }
    if top.is_empty() || documented.iter().any(|name| top.contains_key(*name)) {
        return ResultShape::Direct;
    }
    // A table of the description attributes themselves (`crm.address.fields`): the shared
    // type, not one struct per page.
    let descriptions = top
        .values()
        .all(|v| v.as_object().is_some_and(is_description));
    if descriptions && documents_attributes(documented) {
        return ResultShape::FieldDescriptions;
    }
    // A lone numeric key is an ID (the next answer has another): keyed, not a wrapper.
    if let [(key, value)] = top.iter().collect::<Vec<_>>()[..] {
        match value {
            _ if is_id(key) => {}
            Value::Object(inner) if holds_members(value) || describes_fields(inner, documented) => {
                return ResultShape::Wrapped {
                    key: key.clone(),
                    array: false,
                }
            }
            Value::Array(items) if !items.is_empty() && items.iter().all(holds_members) => {
                return ResultShape::Wrapped {
                    key: key.clone(),
                    array: true,
                }
            }
            _ => {}
        }
    }
    if top.values().all(holds_members) {
        return ResultShape::Keyed;
    }
    let list_of_members = |value: &Value| match value {
        Value::Array(items) => !items.is_empty() && items.iter().all(holds_members),
        _ => false,
    };
    if top.keys().all(|k| is_id(k)) && top.values().all(list_of_members) {
        return ResultShape::KeyedLists;
    }
    ResultShape::Direct
}

/// A key that is an ID (PHP arrays with ID keys arrive as objects keyed by them).
pub fn is_id(key: &str) -> bool {
    key.bytes().all(|b| b.is_ascii_digit())
}

/// Keys that are documented field names, each value a description (`description`) and none
/// holding a documented name (an entity object would).
pub fn describes_fields(object: &serde_json::Map<String, Value>, documented: &[&str]) -> bool {
    !object.is_empty()
        && documented.iter().any(|name| object.contains_key(*name))
        && object.values().all(|value| match value {
            Value::Object(attributes) => {
                is_description(attributes)
                    && !documented.iter().any(|name| attributes.contains_key(*name))
            }
            _ => false,
        })
}

/// A table whose rows are the attributes a `*.fields` answer gives each field: `type`, at least
/// one flag, and nothing else a description could not hold.
fn documents_attributes(documented: &[&str]) -> bool {
    const ATTRIBUTES: [&str; 21] = [
        "type",
        "isRequired",
        "isReadOnly",
        "isImmutable",
        "isMultiple",
        "isDynamic",
        "title",
        "upperName",
        "listLabel",
        "formLabel",
        "filterLabel",
        "items",
        "settings",
        "statusType",
        "default",
        "required",
        "primary",
        "size",
        "values",
        "name",
        "isDeprecated",
    ];
    documented.contains(&"type")
        && documented.iter().any(|name| FLAGS.contains(name))
        && documented.iter().all(|name| ATTRIBUTES.contains(name))
}

const FLAGS: [&str; 5] = [
    "isRequired",
    "isReadOnly",
    "isImmutable",
    "isMultiple",
    "isDynamic",
];

/// What a `*.fields` answer says of a field: a text `type` with the portal's attribute flags, or
/// a bare `type` (and title, default...) as some pages give. An object that merely has a `type`
/// member among others (an image, a comment's file) is not one.
fn is_description(attributes: &serde_json::Map<String, Value>) -> bool {
    const BARE: [&str; 5] = ["type", "title", "name", "default", "values"];
    attributes.get("type").is_some_and(Value::is_string)
        && (FLAGS.iter().any(|flag| attributes.contains_key(*flag))
            || attributes.keys().all(|key| BARE.contains(&key.as_str())))
}

/// A table whose only row stands for every key (`type code`, `attachmentId` "where the key is
/// the identifier"): the example is an object without that key whose values all have the row's
/// shape (objects holding its members, or scalars for a scalar row).
pub fn keyed_by_placeholder(lone: &ResultField, example: &Value) -> bool {
    let Value::Object(map) = example else {
        return false;
    };
    if map.is_empty() || map.contains_key(&lone.name) || lone.pattern {
        return false;
    }
    let members: Vec<&str> = lone.fields.iter().map(|f| f.name.as_str()).collect();
    map.values().all(|value| match value {
        Value::Object(inner) => members.iter().any(|m| inner.contains_key(*m)),
        Value::Array(_) | Value::Null => false,
        _ => members.is_empty(),
    })
}

/// The object an example gives for a struct: itself, or the first object of a list.
pub fn one_object(example: Option<&Value>) -> Option<&Value> {
    match example? {
        object @ Value::Object(_) => Some(object),
        Value::Array(items) => items.iter().find(|i| i.is_object()),
        _ => None,
    }
}

/// An object keyed by IDs: how a PHP array with ID keys arrives.
pub fn is_keyed_by_id(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Object(map))
        if !map.is_empty() && map.keys().all(|k| is_id(k)))
}

/// A `"Y"`/`"N"` flag.
pub fn is_yes_no(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::String(s)) if s == "Y" || s == "N")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MEMBERS: [&str; 2] = ["id", "title"];

    fn shape(result: Value) -> ResultShape {
        shape_of(Some(&result), &MEMBERS)
    }

    #[test]
    fn a_documented_key_at_the_top_means_the_members_are_results_own() {
        assert_eq!(
            shape(json!({"id": 1, "other": {"id": 2}})),
            ResultShape::Direct
        );
        assert_eq!(shape(json!({})), ResultShape::Direct);
        assert_eq!(shape_of(None, &MEMBERS), ResultShape::Direct);
        assert_eq!(shape(json!([{"id": 1}])), ResultShape::Direct);
    }

    #[test]
    fn one_key_holding_the_members_is_a_wrapper() {
        assert_eq!(
            shape(json!({"thing": {"id": 1, "title": "a"}})),
            ResultShape::Wrapped {
                key: "thing".into(),
                array: false
            }
        );
        assert_eq!(
            shape(json!({"things": [{"id": 1}, {"title": "b"}]})),
            ResultShape::Wrapped {
                key: "things".into(),
                array: true
            }
        );
    }

    #[test]
    fn values_holding_the_members_are_keyed() {
        assert_eq!(
            shape(json!({"3": {"id": 3}, "7": {"id": 7, "title": "x"}})),
            ResultShape::Keyed
        );
        // A lone numeric key is an ID, not a member name.
        assert_eq!(shape(json!({"3": {"id": 3}})), ResultShape::Keyed);
    }

    #[test]
    fn documented_names_keying_descriptions_are_field_descriptions() {
        assert_eq!(
            shape(
                json!({"id": {"type": "integer", "isRequired": false}, "title": {"type": "string"}})
            ),
            ResultShape::FieldDescriptions
        );
        // An entity object whose `type` member is text is not a description.
        assert_eq!(
            shape(json!({"id": {"type": "x", "id": 1}})),
            ResultShape::Direct
        );
        // Nor is an object with a `type` among other data (an image under a documented key).
        assert_eq!(
            shape(json!({"id": {"type": "jpeg", "url": "/a.jpg", "size": 5}})),
            ResultShape::Direct
        );
    }

    #[test]
    fn ids_keying_lists_of_members_are_keyed_lists() {
        assert_eq!(
            shape(json!({"3": [{"id": 1}, {"id": 2}], "4": [{"title": "t"}]})),
            ResultShape::KeyedLists
        );
        assert_eq!(shape(json!({"3": [1, 2]})), ResultShape::Direct);
    }

    #[test]
    fn a_table_of_the_attributes_themselves_is_field_descriptions_too() {
        let attributes = ["type", "isRequired", "title"];
        let answer = json!({"TITLE": {"type": "string", "isRequired": true, "title": "Name"}});
        assert_eq!(
            shape_of(Some(&answer), &attributes),
            ResultShape::FieldDescriptions
        );
        // Members that are not description attributes keep their own struct.
        let answer = json!({"7": {"type": "call", "isRequired": true, "duration": 5}});
        assert_eq!(
            shape_of(Some(&answer), &["type", "isRequired", "duration"]),
            ResultShape::Keyed
        );
    }

    #[test]
    fn values_that_do_not_all_hold_members_stay_as_documented() {
        assert_eq!(
            shape(json!({"3": {"id": 3}, "total": 2})),
            ResultShape::Direct
        );
        assert_eq!(shape(json!({"a": {"x": 1}})), ResultShape::Direct);
        assert_eq!(shape(json!({"a": []})), ResultShape::Direct);
    }
}
