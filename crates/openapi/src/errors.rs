//! Error responses: the documented codes of a method and the system catalogue's, by HTTP
//! status, in each API version's error shape (REST v2 `{error, error_description}`, REST 3.0
//! `{error: {code, message, validation}}`).

use std::collections::BTreeMap;

use b24_spec::{ApiVersion, Spec};
use serde_json::{json, Map, Value};

/// The system catalogue's codes by status (codes with no documented status are left out: no
/// response can be keyed by them).
pub fn system_by_status(spec: &Spec) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for error in &spec.system_errors {
        if let Some(status) = error.status {
            out.entry(status.to_string())
                .or_default()
                .push(error.code.clone());
        }
    }
    out
}

fn schema_name(api: ApiVersion) -> &'static str {
    match api {
        ApiVersion::V2 => "Error",
        ApiVersion::V3 => "ErrorV3",
    }
}

/// The shared response holding the system errors at `status`.
pub fn response_ref(status: &str, api: ApiVersion) -> String {
    format!("#/components/responses/System{}{status}", schema_name(api))
}

/// The error body schema of an API version.
pub fn schema_ref(api: ApiVersion) -> String {
    format!("#/components/schemas/{}", schema_name(api))
}

/// `Error codes: `A`, `B``, each code once (an empty code shown as such).
pub fn codes_listed(codes: &[String]) -> String {
    let mut listed: Vec<String> = Vec::new();
    for code in codes {
        let shown = if code.is_empty() {
            "(empty code)".to_owned()
        } else {
            format!("`{code}`")
        };
        if !listed.contains(&shown) {
            listed.push(shown);
        }
    }
    format!("Error codes: {}", listed.join(", "))
}

/// An error response listing `codes`.
pub fn response(codes: &[String], api: ApiVersion) -> Value {
    json!({
        "description": codes_listed(codes),
        "content": { "application/json": { "schema": { "$ref": schema_ref(api) } } }
    })
}

/// The shared system-error responses, for both API versions.
pub fn components(spec: &Spec) -> Map<String, Value> {
    let mut out = Map::new();
    for (status, codes) in system_by_status(spec) {
        for api in [ApiVersion::V2, ApiVersion::V3] {
            let name = format!("System{}{status}", schema_name(api));
            out.insert(name, response(&codes, api));
        }
    }
    out
}

/// The two error body schemas.
pub fn schemas() -> [(&'static str, Value); 2] {
    [
        (
            "Error",
            json!({
                "type": "object",
                "description": "A REST v2 error.",
                "properties": {
                    "error": { "type": "string" },
                    "error_description": { "type": "string" }
                },
                "required": ["error"]
            }),
        ),
        (
            "ErrorV3",
            json!({
                "type": "object",
                "description": "A REST 3.0 error.",
                "properties": { "error": {
                    "type": "object",
                    "properties": {
                        "code": { "type": "string" },
                        "message": { "type": "string" },
                        "validation": { "type": "array", "items": {
                            "type": "object",
                            "properties": {
                                "field": { "type": "string" },
                                "message": { "type": "string" }
                            }
                        } }
                    },
                    "required": ["code"]
                } },
                "required": ["error"]
            }),
        ),
    ]
}
