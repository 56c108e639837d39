//! How much of the API the generated crate types: the responses left as JSON, and among them
//! those whose page documents fields (a result table with members, or an entity type the
//! method is about) — the ones a reviewer should look at. `cargo xtask codegen` prints it.

use std::fmt;

use b24_spec::{ApiVersion, Method, Spec};

use crate::model::CrateModel;
use crate::types::RustType;

/// Counts of typed and untyped responses.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TypingReport {
    /// Every method.
    pub responses: usize,
    /// Responses that are `Value`, `Map` or `Vec<Value>`.
    pub untyped: usize,
    /// Untyped although the docs document fields, as `method (api)`.
    pub untyped_documented: Vec<String>,
}

impl fmt::Display for TypingReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "responses: {}, untyped: {} ({} where the docs document fields)",
            self.responses,
            self.untyped,
            self.untyped_documented.len()
        )
    }
}

/// Whether a response type is JSON rather than a type of its own.
pub fn is_untyped(ty: &RustType) -> bool {
    match ty {
        RustType::Json | RustType::JsonMap => true,
        RustType::Vec(inner) | RustType::Keyed(inner) => {
            matches!(**inner, RustType::Json | RustType::JsonMap)
        }
        _ => false,
    }
}

/// The report for a built model.
pub fn report(spec: &Spec, model: &CrateModel) -> TypingReport {
    let mut out = TypingReport::default();
    let by_key: std::collections::HashMap<(ApiVersion, &str), &Method> = spec
        .methods
        .iter()
        .map(|s| ((s.api, s.method.as_str()), s))
        .collect();
    for group in &model.groups {
        for api in [ApiVersion::V2, ApiVersion::V3] {
            for m in group.methods(api) {
                out.responses += 1;
                if !is_untyped(&m.response) {
                    continue;
                }
                out.untyped += 1;
                let method = by_key.get(&(api, m.wire.as_str()));
                if method.is_some_and(|s| documents_fields(s, spec)) {
                    out.untyped_documented.push(format!("{} ({api:?})", m.wire));
                }
            }
        }
    }
    out
}

/// A result row with members, or an entity named after the method's subject.
fn documents_fields(m: &Method, spec: &Spec) -> bool {
    let rows = m.result.iter().any(|r| !r.fields.is_empty());
    let subject = m.method.rsplit_once('.').map(|(s, _)| s);
    let entity =
        subject.is_some_and(|s| spec.entities.iter().any(|e| e.id.eq_ignore_ascii_case(s)));
    rows || entity
}
