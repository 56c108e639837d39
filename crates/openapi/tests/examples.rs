//! The document against the docs' own example answers: every object an example answer holds
//! where the document describes an object with properties must carry at least one of them.
//!
//! Every documented member is optional, so an answer whose members sit elsewhere (wrapped under
//! a key, keyed by ID) still *validates*; a client generated from the document would read
//! nothing of it. This census is the check the Rust example gate makes with its decoded types
//! (`wire::census`), made here on the schemas; the pages recorded as doc defects
//! (`examples.response_defect`) are the only ones allowed to fail it, and each must.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

/// Where an object took none of the properties its schema documents.
#[derive(Debug, PartialEq)]
struct Miss {
    path: String,
}

/// Walks `instance` against `schema` (resolving `$ref` in `document`), recording misses.
fn census(document: &Value, schema: &Value, instance: &Value, path: &str, out: &mut Vec<Miss>) {
    let schema = resolve(document, schema);
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for part in all {
            census(document, part, instance, path, out);
        }
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        // The branch for the instance's JSON kind (objects and arrays are told apart).
        if let Some(branch) = any
            .iter()
            .find(|b| kind_fits(resolve(document, b), instance))
        {
            census(document, branch, instance, path, out);
        }
    }
    match instance {
        Value::Object(map) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let patterns: Vec<String> = schema
                .get("patternProperties")
                .and_then(Value::as_object)
                .map(|p| {
                    p.keys()
                        .map(|k| k.trim_start_matches('^').to_owned())
                        .collect()
                })
                .unwrap_or_default();
            let documented = |key: &str| {
                properties.is_some_and(|p| p.contains_key(key))
                    || patterns
                        .iter()
                        .any(|prefix| key.starts_with(prefix.as_str()))
            };
            if properties.is_some_and(|p| !p.is_empty())
                && !map.is_empty()
                && !map.keys().any(|k| documented(k))
            {
                out.push(Miss {
                    path: path.to_owned(),
                });
            }
            for (key, value) in map {
                let at = format!("{path}.{key}");
                if let Some(member) = properties.and_then(|p| p.get(key)) {
                    census(document, member, value, &at, out);
                } else if let Some(values) = schema.get("additionalProperties") {
                    census(document, values, value, &at, out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    census(document, item_schema, item, &format!("{path}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/")
            .map(|p| p.split('/').fold(document, |at, part| &at[part]))
            .unwrap_or(schema),
        None => schema,
    }
}

fn kind_fits(schema: &Value, instance: &Value) -> bool {
    let kinds: Vec<&str> = match schema.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => return true,
    };
    let kind = match instance {
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Null => "null",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
    };
    kinds
        .iter()
        .any(|k| *k == kind || (*k == "number" && kind == "integer"))
}

#[test]
fn every_example_answer_fills_the_objects_the_document_describes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let spec = b24_spec::layout::load(&root).expect("the committed spec");
    let document = b24_openapi::document(&spec);
    let mut checked = 0;
    let mut failing = BTreeSet::new();
    let mut unrecorded = Vec::new();
    let mut stale = Vec::new();
    for method in &spec.methods {
        let Some(example) = &method.examples.response else {
            continue;
        };
        let path = b24_openapi::operations::path(method);
        let schema = &document["paths"][&path]["post"]["responses"]["200"]["content"]
            ["application/json"]["schema"];
        assert!(schema.is_object(), "{path}: no success schema");
        let mut misses = Vec::new();
        census(&document, schema, example, "", &mut misses);
        checked += 1;
        let recorded = method.examples.response_defect.is_some();
        match (misses.is_empty(), recorded) {
            (false, false) => {
                unrecorded.push(format!("{} ({}): {misses:?}", method.method, method.api))
            }
            (true, true) => stale.push(format!("{} ({})", method.method, method.api)),
            (false, true) => {
                failing.insert(method.method.clone());
            }
            (true, false) => {}
        }
    }
    assert!(checked > 1000, "only {checked} example answers checked");
    assert!(
        unrecorded.is_empty(),
        "{} example answers put documented members where the document does not:\n{}",
        unrecorded.len(),
        unrecorded.join("\n")
    );
    // A recorded defect the census no longer sees is fine only if the page's disagreement is of
    // another kind (a type, not a place); the Rust gate decides staleness. Print for review.
    eprintln!(
        "checked {checked} example answers; {} recorded doc defects miss here, {} do not",
        failing.len(),
        stale.len()
    );
}

#[test]
fn the_census_finds_members_placed_elsewhere() {
    let document = serde_json::json!({});
    let schema = serde_json::json!({
        "type": "object",
        "properties": { "id": {}, "title": {} }
    });
    let mut misses = Vec::new();
    census(
        &document,
        &schema,
        &serde_json::json!({"thing": {"id": 1}}),
        "",
        &mut misses,
    );
    assert_eq!(
        misses,
        [Miss {
            path: String::new()
        }]
    );
    misses.clear();
    census(
        &document,
        &schema,
        &serde_json::json!({"id": 1, "other": 2}),
        "",
        &mut misses,
    );
    assert!(misses.is_empty());
    // Keyed values are checked each, through `anyOf` and `additionalProperties`.
    let keyed = serde_json::json!({
        "anyOf": [
            { "type": "object", "additionalProperties": schema },
            { "type": "array", "maxItems": 0 }
        ]
    });
    census(
        &document,
        &keyed,
        &serde_json::json!({"7": {"id": 7}, "8": {"x": 1}}),
        "",
        &mut misses,
    );
    assert_eq!(misses, [Miss { path: ".8".into() }]);
    misses.clear();
    census(&document, &keyed, &serde_json::json!([]), "", &mut misses);
    assert!(misses.is_empty());
}
