//! The docs' own examples against the generated types.
//!
//! At generation time every request body and success response in the spec is checked against
//! the emit model with the same lenient rules the generated `wire` module applies. A key the page
//! documents nowhere is listed (it still round-trips, through `extra`); a value the typed field
//! cannot hold is listed and left out of the generated test, which asserts that every other
//! example really decodes (and, for requests, encodes back to the same keys and values).

use std::collections::HashMap;

use b24_spec::{ApiVersion, Method, Spec};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::emit_struct::ident;
use crate::model::{CrateModel, MethodModel, StructModel};
use crate::types::RustType;

/// One way a page's example disagrees with its own tables.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Discrepancy {
    /// `method (api)`.
    pub method: String,
    /// `request` or `response`.
    pub example: &'static str,
    /// JSON path in the example.
    pub path: String,
    /// What disagrees.
    pub problem: String,
    /// The typed decode fails because of it, so the example is left out of the test.
    pub fatal: bool,
}

/// How the examples fared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExampleReport {
    /// Request examples checked.
    pub requests_tried: usize,
    /// Request examples the generated test round-trips.
    pub requests_tested: usize,
    /// Response examples checked.
    pub responses_tried: usize,
    /// Response examples the generated test decodes.
    pub responses_tested: usize,
    /// Every disagreement found, sorted.
    pub discrepancies: Vec<Discrepancy>,
    /// Methods whose request example goes into the test.
    tested_requests: Vec<(String, ApiVersion)>,
    /// Methods whose response example goes into the test.
    tested_responses: Vec<(String, ApiVersion)>,
}

/// Checks every example in the spec against the model.
pub fn check(spec: &Spec, model: &CrateModel) -> ExampleReport {
    let mut report = ExampleReport::default();
    for group in &model.groups {
        for m in group.v2.iter().chain(&group.v3) {
            let Some(method) = spec.method(&m.wire, m.api) else {
                continue;
            };
            check_method(method, m, &mut report);
        }
    }
    report.discrepancies.sort();
    report
}

fn check_method(method: &Method, m: &MethodModel, report: &mut ExampleReport) {
    let structs: HashMap<&str, &StructModel> = std::iter::once(&m.request)
        .chain(&m.nested)
        .map(|s| (s.name.as_str(), s))
        .collect();
    let subject = format!("{} ({})", m.wire, m.api);
    if let Some(body) = &method.examples.request {
        report.requests_tried += 1;
        let mut found = Vec::new();
        let mut checker = Checker {
            structs: &structs,
            found: &mut found,
        };
        checker.value(body, &RustType::Struct(m.request.name.clone()), true, "$");
        if record(report, &subject, "request", found) {
            report.requests_tested += 1;
            report.tested_requests.push((m.wire.clone(), m.api));
        }
    }
    let result = method
        .examples
        .response
        .as_ref()
        .and_then(|r| r.get("result"));
    if let Some(result) = result {
        report.responses_tried += 1;
        let mut found = Vec::new();
        let mut checker = Checker {
            structs: &structs,
            found: &mut found,
        };
        checker.strict(result, &m.response, "$.result");
        if record(report, &subject, "response", found) {
            report.responses_tested += 1;
            report.tested_responses.push((m.wire.clone(), m.api));
        }
    }
}

/// Adds the findings; true when the example can be tested (nothing fatal).
fn record(
    report: &mut ExampleReport,
    subject: &str,
    example: &'static str,
    found: Vec<(String, String, bool)>,
) -> bool {
    let testable = found.iter().all(|(_, _, fatal)| !fatal);
    for (path, problem, fatal) in found {
        report.discrepancies.push(Discrepancy {
            method: subject.to_owned(),
            example,
            path,
            problem,
            fatal,
        });
    }
    testable
}

struct Checker<'a> {
    structs: &'a HashMap<&'a str, &'a StructModel>,
    found: &'a mut Vec<(String, String, bool)>,
}

impl Checker<'_> {
    fn fatal(&mut self, path: &str, problem: String) {
        self.found.push((path.to_owned(), problem, true));
    }

    /// A whole `result`: unless it is a generated struct, it decodes with plain serde rules
    /// (`M::Response` is `bool`, `Vec<T>`, ...), so Bitrix24's loose forms do not pass there.
    fn strict(&mut self, value: &Value, ty: &RustType, path: &str) {
        let ok = match ty {
            RustType::Int => value.is_i64() || value.is_u64(),
            RustType::Float => value.is_number(),
            RustType::Str => value.is_string(),
            RustType::Bool | RustType::YesNo => value.is_boolean(),
            RustType::JsonMap => value.is_object(),
            RustType::File | RustType::Json => true,
            RustType::Struct(_) => return self.value(value, ty, true, path),
            RustType::Vec(inner) => match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.strict(item, inner, &format!("{path}[{i}]"));
                    }
                    return;
                }
                None => false,
            },
        };
        if !ok {
            self.fatal(
                path,
                format!(
                    "result documented as {}, example has {}",
                    describe(ty),
                    short(value)
                ),
            );
        }
    }

    /// Checks `value` against `ty`; `required` decides whether empty markers are accepted.
    fn value(&mut self, value: &Value, ty: &RustType, required: bool, path: &str) {
        if !required && is_empty_marker(value, ty) {
            return;
        }
        let ok = match ty {
            RustType::Int => int_like(value),
            RustType::Float => value.is_number() || str_parses::<f64>(value),
            RustType::Str => value.is_string() || value.is_number(),
            RustType::Bool | RustType::YesNo => bool_like(value),
            RustType::File | RustType::Json => true,
            RustType::JsonMap => value.is_object() || value.as_array().is_some_and(Vec::is_empty),
            RustType::Vec(inner) => return self.list(value, inner, path),
            RustType::Struct(name) => return self.object(value, name, path),
        };
        if !ok {
            self.fatal(
                path,
                format!(
                    "documented as {}, example has {}",
                    describe(ty),
                    short(value)
                ),
            );
        }
    }

    fn list(&mut self, value: &Value, inner: &RustType, path: &str) {
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            Value::Object(map) => map.values().collect(),
            other => {
                return self.fatal(
                    path,
                    format!("documented as a list, example has {}", short(other)),
                )
            }
        };
        for (i, item) in items.into_iter().enumerate() {
            self.value(item, inner, true, &format!("{path}[{i}]"));
        }
    }

    fn object(&mut self, value: &Value, name: &str, path: &str) {
        let Some(model) = self.structs.get(name).copied() else {
            return;
        };
        let map = match value {
            Value::Object(map) => map,
            Value::Array(items) if items.is_empty() => return,
            other => {
                return self.fatal(
                    path,
                    format!("documented as an object, example has {}", short(other)),
                )
            }
        };
        for field in model.fields.iter().filter(|f| f.required) {
            if !map.contains_key(&field.wire) {
                self.fatal(path, format!("required `{}` is missing", field.wire));
            }
        }
        for (key, item) in map {
            let here = format!("{path}.{key}");
            match model.fields.iter().find(|f| &f.wire == key) {
                Some(field) => self.value(item, &field.ty, field.required, &here),
                None => {
                    self.found
                        .push((here, "key documented nowhere on the page".to_owned(), false))
                }
            }
        }
    }
}

/// The portal's "nothing" for an optional value of this type (mirrors `wire::FromWire`).
fn is_empty_marker(value: &Value, ty: &RustType) -> bool {
    match (value, ty) {
        (Value::Null, _) => true,
        (_, RustType::Str | RustType::Json) => false,
        (Value::String(s), _) => s.trim().is_empty(),
        (Value::Bool(false), RustType::Bool | RustType::YesNo) => false,
        (Value::Bool(false), _) => true,
        (
            Value::Array(a),
            RustType::Int | RustType::Float | RustType::Struct(_) | RustType::File,
        ) => a.is_empty(),
        _ => false,
    }
}

fn int_like(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        Value::String(s) => s.trim().parse::<i128>().is_ok(),
        _ => false,
    }
}

fn str_parses<T: std::str::FromStr>(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.trim().parse::<T>().is_ok())
}

fn bool_like(value: &Value) -> bool {
    match value {
        Value::Bool(_) => true,
        Value::Number(n) => n.as_u64().is_some_and(|n| n <= 1),
        Value::String(s) => matches!(
            s.as_str(),
            "Y" | "y" | "1" | "true" | "N" | "n" | "0" | "false"
        ),
        _ => false,
    }
}

fn describe(ty: &RustType) -> String {
    match ty {
        RustType::Int => "an integer".into(),
        RustType::Float => "a number".into(),
        RustType::Str => "a string".into(),
        RustType::Bool | RustType::YesNo => "a boolean".into(),
        RustType::Vec(_) => "a list".into(),
        RustType::JsonMap | RustType::Struct(_) => "an object".into(),
        other => format!("{other:?}"),
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// `tests/examples.rs` of the generated crate.
pub fn examples_test(spec: &Spec, model: &CrateModel) -> TokenStream {
    let report = check(spec, model);
    let paths = method_paths(model);
    let requests = report
        .tested_requests
        .iter()
        .filter_map(|k| paths.get(k))
        .map(|p| quote!(request::<#p>(&mut failures);));
    let responses = report
        .tested_responses
        .iter()
        .filter_map(|k| paths.get(k))
        .map(|p| quote!(response::<#p>(&mut failures);));
    quote! {
        //! The docs' own examples against the generated types: each request body decodes into its
        //! request type and encodes back to the same keys and values, each success response's
        //! `result` decodes into the response type. Examples that disagree with their page are
        //! listed by the emitter's discrepancy snapshot instead.
        #![cfg(feature = "full")]
        #![allow(deprecated)]

        use std::path::Path;
        use std::sync::OnceLock;

        use b24_spec::Spec;
        use bitrix24::{ApiVersion, Method};
        use serde_json::Value;

        fn spec() -> &'static Spec {
            static SPEC: OnceLock<Spec> = OnceLock::new();
            SPEC.get_or_init(|| {
                let root = std::env::var_os("B24_SPEC").map_or_else(
                    || Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
                    Into::into,
                );
                b24_spec::layout::load(&root).expect("the spec the crate was generated from")
            })
        }

        fn example<M: Method>(pick: fn(&b24_spec::Examples) -> Option<&Value>) -> Value {
            let api = match M::API {
                ApiVersion::V2 => b24_spec::ApiVersion::V2,
                ApiVersion::V3 => b24_spec::ApiVersion::V3,
            };
            let method = spec().method(M::NAME, api).expect("method in spec");
            pick(&method.examples).cloned().expect("example in spec")
        }

        fn request<M: Method + serde::de::DeserializeOwned>(failures: &mut Vec<String>) {
            let body = example::<M>(|e| e.request.as_ref());
            match serde_json::from_value::<M>(body.clone()) {
                Err(e) => failures.push(format!("{}: decode: {e}", M::NAME)),
                Ok(typed) => {
                    let back = serde_json::to_value(&typed).expect("requests encode");
                    if !same(&body, &back) {
                        failures.push(format!("{}: round trip changed {body} into {back}", M::NAME));
                    }
                }
            }
        }

        fn response<M: Method>(failures: &mut Vec<String>) {
            let body = example::<M>(|e| e.response.as_ref());
            let result = body.get("result").cloned().unwrap_or(Value::Null);
            if let Err(e) = serde_json::from_value::<M::Response>(result) {
                failures.push(format!("{}: decode result: {e}", M::NAME));
            }
        }

        /// Equal as Bitrix24 reads them: `"5"` is 5, `"Y"` is true, and empty values
        /// (`null`, `""`, `[]`, `{}`, `false`) are the same as absent.
        fn same(a: &Value, b: &Value) -> bool {
            match (a, b) {
                (Value::Object(x), Value::Object(y)) => {
                    let keys = x.keys().chain(y.keys());
                    keys.into_iter().all(|k| match (x.get(k), y.get(k)) {
                        (Some(p), Some(q)) => same(p, q),
                        (Some(v), None) | (None, Some(v)) => is_empty(v),
                        (None, None) => true,
                    })
                }
                (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
                (Value::Array(x), Value::Object(y)) | (Value::Object(y), Value::Array(x)) => {
                    x.len() == y.len() && x.iter().zip(y.values()).all(|(p, q)| same(p, q))
                }
                (Value::Bool(x), other) | (other, Value::Bool(x)) => {
                    scalar(other) == scalar(&Value::Bool(*x)) || bit(other) == Some(*x)
                }
                _ => scalar(a) == scalar(b) || (is_empty(a) && is_empty(b)),
            }
        }

        /// `0`/`1` (or `"0"`/`"1"`) where the other side is a boolean.
        fn bit(v: &Value) -> Option<bool> {
            match v.as_str().map_or_else(|| v.to_string(), str::to_owned).as_str() {
                "1" => Some(true),
                "0" => Some(false),
                _ => None,
            }
        }

        fn is_empty(v: &Value) -> bool {
            match v {
                Value::Null | Value::Bool(false) => true,
                Value::String(s) => s.is_empty(),
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                Value::Number(_) | Value::Bool(true) => false,
            }
        }

        fn scalar(v: &Value) -> String {
            match v {
                Value::Bool(true) => "true".into(),
                Value::Bool(false) => "false".into(),
                Value::String(s) => match s.as_str() {
                    "Y" | "y" | "true" => "true".into(),
                    "N" | "n" | "false" => "false".into(),
                    other => other.trim().parse::<f64>().map_or_else(|_| other.to_owned(), |n| n.to_string()),
                },
                Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), |n| n.to_string()),
                other => other.to_string(),
            }
        }

        #[test]
        fn request_examples_round_trip() {
            let mut failures = Vec::new();
            #(#requests)*
            assert!(failures.is_empty(), "{}", failures.join("\n"));
        }

        #[test]
        fn response_examples_decode() {
            let mut failures = Vec::new();
            #(#responses)*
            assert!(failures.is_empty(), "{}", failures.join("\n"));
        }
    }
}

/// `bitrix24::crm::DealAdd` for each method.
fn method_paths(model: &CrateModel) -> HashMap<(String, ApiVersion), TokenStream> {
    let mut paths = HashMap::new();
    for g in &model.groups {
        let module = ident(&g.module);
        for m in &g.v2 {
            let ty = ident(&m.type_name);
            paths.insert((m.wire.clone(), m.api), quote!(bitrix24::#module::#ty));
        }
        for m in &g.v3 {
            let ty = ident(&m.type_name);
            paths.insert((m.wire.clone(), m.api), quote!(bitrix24::v3::#module::#ty));
        }
    }
    paths
}
