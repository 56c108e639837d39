//! Example values whose shape contradicts the documented type: an object or array where the
//! table says a scalar, a scalar where it says an object or array. Scalars are not compared
//! with each other: the portal sends numbers as strings and flags as `Y`/`N`, so `"5"` for an
//! `integer` is how the API really talks.

use b24_spec::{Method, Param, ResultField, TypeExpr};
use serde_json::Value;

use super::{find_field, find_param, LintKind};

pub(super) fn check(method: &Method, push: &mut impl FnMut(LintKind, String)) {
    if let Some(Value::Object(request)) = &method.examples.request {
        for (key, value) in request {
            if let Some(Param { ty: Some(ty), .. }) = find_param(&method.params, key) {
                report("request", key, ty, value, push);
            }
        }
    }
    if let Some(Value::Object(response)) = &method.examples.response {
        for (key, value) in response {
            if let Some(ResultField { ty: Some(ty), .. }) = find_field(&method.result, key) {
                report("response", key, ty, value, push);
            }
        }
    }
}

fn report(
    side: &str,
    key: &str,
    ty: &TypeExpr,
    value: &Value,
    push: &mut impl FnMut(LintKind, String),
) {
    if !fits(ty, value) {
        push(
            LintKind::TypeMismatch,
            format!(
                "{side} example gives `{key}` {}, the table says `{ty}`",
                shape(value)
            ),
        );
    }
}

/// Whether `value`'s shape can be a `ty`. Unknown and entity types (`crm_contact`...) and
/// `any`/`mixed` fit anything.
pub(crate) fn fits(ty: &TypeExpr, value: &Value) -> bool {
    if value.is_null() {
        return true;
    }
    ty.alternatives().iter().any(|alt| match alt {
        TypeExpr::Array(_) => value.is_array() || value.is_object(),
        TypeExpr::Named(name) => match Shape::of_type(name) {
            Shape::Scalar => !value.is_array() && !value.is_object(),
            // PHP serialises an empty or list-like associative array as `[]`.
            Shape::Container => value.is_object() || value.is_array(),
            Shape::Any => true,
        },
        TypeExpr::Union(_) => true,
    })
}

enum Shape {
    Scalar,
    Container,
    Any,
}

impl Shape {
    fn of_type(name: &str) -> Shape {
        match name {
            "integer" | "double" | "string" | "boolean" | "char" | "date" | "datetime"
            | "timestamp" | "text" => Shape::Scalar,
            "object" | "array" => Shape::Container,
            _ => Shape::Any,
        }
    }
}

fn shape(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
    }
}
