//! Whether a page's own examples fit a shared entity type: the entity replaces a method's own
//! type only when every example value would travel unchanged through it (the strict example
//! gate's rules, judged on JSON shapes at generation time). Where an example disagrees, the pages
//! do not describe the same table (`SHOW_FILTER` documented as a flag but sent as `"I"`), and the
//! method keeps its own type.

use serde_json::{Map, Value};

use crate::model::FieldModel;
use crate::types::RustType;

/// Which way the example travels: a request is written back exactly; a response may carry
/// numbers as strings (the typed reader accepts them, the gate reads them as numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// A curl body.
    Request,
    /// A success answer.
    Response,
}

/// The fields of another struct (an entity's nested entity), by Rust name.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<&'a [FieldModel]>;

/// Whether every key of `object` that `fields` documents fits its field's type.
pub fn object_fits(
    fields: &[FieldModel],
    object: &Map<String, Value>,
    dir: Direction,
    lookup: Lookup<'_>,
) -> bool {
    object.iter().all(|(key, value)| {
        fields
            .iter()
            .find(|f| f.pattern.is_none() && f.wire == *key)
            .is_none_or(|f| value_fits(&f.ty, value, dir, lookup))
    })
}

/// The objects a value holds: itself, or the objects of an array.
pub fn objects_in(value: &Value) -> Vec<&Map<String, Value>> {
    match value {
        Value::Object(o) => vec![o],
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// Whether every object shares a documented key with `fields` (so a type that merely wraps
/// the object, `{"item": {...}}`, never passes vacuously) and fits it.
pub fn all_fit(
    fields: &[FieldModel],
    objects: &[&Map<String, Value>],
    dir: Direction,
    lookup: Lookup<'_>,
) -> bool {
    objects
        .iter()
        .all(|o| shares_a_key(fields, o) && object_fits(fields, o, dir, lookup))
}

/// Whether `object` has at least one key `fields` documents.
pub fn shares_a_key(fields: &[FieldModel], object: &Map<String, Value>) -> bool {
    fields
        .iter()
        .any(|f| f.pattern.is_none() && object.contains_key(&f.wire))
}

fn value_fits(ty: &RustType, value: &Value, dir: Direction, lookup: Lookup<'_>) -> bool {
    let quoted_number = |v: &Value| {
        dir == Direction::Response && v.as_str().is_some_and(|s| s.trim().parse::<f64>().is_ok())
    };
    match (ty, value) {
        (_, Value::Null) => true,
        (RustType::Json, _) => true,
        (RustType::Int, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (RustType::Int, v) => {
            quoted_number(v) && v.as_str().is_some_and(|s| s.trim().parse::<i64>().is_ok())
        }
        (RustType::IntText, Value::String(s)) => s.parse::<i64>().is_ok(),
        (RustType::Float, Value::Number(_)) => true,
        (RustType::Float, v) => quoted_number(v),
        (RustType::Str, Value::String(_)) => true,
        (RustType::Bool, Value::Bool(_)) => true,
        (RustType::YesNo, Value::String(s)) => s == "Y" || s == "N",
        (RustType::Bit, Value::Number(n)) => n.as_u64().is_some_and(|n| n <= 1),
        (RustType::JsonMap, Value::Object(_)) => true,
        (RustType::JsonMap, Value::Array(items)) => items.is_empty(),
        (RustType::Vec(inner), Value::Array(items)) => {
            items.iter().all(|v| value_fits(inner, v, dir, lookup))
        }
        (RustType::Struct(name), Value::Object(map)) => lookup(name).is_some_and(|fields| {
            (map.is_empty() || shares_a_key(fields, map)) && object_fits(fields, map, dir, lookup)
        }),
        (RustType::Filter | RustType::Order, Value::Object(_)) => true,
        (RustType::EventName, Value::String(_)) => true,
        // Dates and text lists keep any text; numeric lists read numbers as `Int` does.
        (RustType::Date | RustType::DateTime, Value::String(_)) => true,
        (RustType::Enum(_), Value::String(_) | Value::Number(_)) => true,
        // A file is an ID, a `[name, base64]` pair or `{"fileData": ...}`.
        (
            RustType::File,
            Value::Object(_) | Value::Array(_) | Value::Number(_) | Value::String(_),
        ) => true,
        _ => false,
    }
}

/// The objects an entity type would read or write in a method's examples: `get`'s result, the
/// items of a list's result, the `fields` of an `add`/`update` request.
pub fn example_objects(value: Option<&Value>, path: ExamplePath) -> Vec<&Map<String, Value>> {
    let Some(value) = value else {
        return Vec::new();
    };
    match path {
        ExamplePath::Result => value
            .get("result")
            .and_then(Value::as_object)
            .into_iter()
            .collect(),
        ExamplePath::ResultItems => match value.get("result") {
            Some(items @ Value::Array(_)) => objects_in(items),
            _ => Vec::new(),
        },
        ExamplePath::Fields => value
            .as_object()
            .into_iter()
            .flat_map(|o| o.iter())
            .filter(|(k, _)| k.eq_ignore_ascii_case("fields"))
            .filter_map(|(_, v)| v.as_object())
            .collect(),
    }
}

/// Where in an example the entity's objects are.
#[derive(Clone, Copy, Debug)]
pub enum ExamplePath {
    /// `result` is the object.
    Result,
    /// `result` is a list of objects.
    ResultItems,
    /// The request's `fields`.
    Fields,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(wire: &str, ty: RustType) -> FieldModel {
        FieldModel {
            wire: wire.into(),
            ident: wire.to_lowercase(),
            ty,
            required: false,
            pattern: None,
            doc: Vec::new(),
            read_only: false,
            values: Vec::new(),
        }
    }

    fn fits(fields: &[FieldModel], value: Value, dir: Direction) -> bool {
        let none = |_: &str| None;
        object_fits(fields, value.as_object().unwrap(), dir, &none)
    }

    #[test]
    fn flags_must_be_sent_as_documented() {
        let fields = [field("SHOW_FILTER", RustType::YesNo)];
        assert!(fits(
            &fields,
            json!({"SHOW_FILTER": "Y"}),
            Direction::Response
        ));
        assert!(!fits(
            &fields,
            json!({"SHOW_FILTER": "I"}),
            Direction::Response
        ));
        assert!(!fits(
            &fields,
            json!({"SHOW_FILTER": true}),
            Direction::Request
        ));
    }

    #[test]
    fn quoted_numbers_fit_responses_only() {
        let fields = [field("ID", RustType::Int)];
        assert!(fits(&fields, json!({"ID": "56"}), Direction::Response));
        assert!(!fits(&fields, json!({"ID": "56"}), Direction::Request));
        assert!(fits(
            &fields,
            json!({"ID": 56, "OTHER": [1]}),
            Direction::Request
        ));
    }

    #[test]
    fn keyed_objects_are_not_lists() {
        let fields = [field("LANG", RustType::Vec(Box::new(RustType::JsonMap)))];
        assert!(!fits(
            &fields,
            json!({"LANG": {"en": {}}}),
            Direction::Response
        ));
        assert!(fits(&fields, json!({"LANG": [{}]}), Direction::Response));
    }
}
