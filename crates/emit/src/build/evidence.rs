//! The first pass over a group's methods: how each method that an entity type could replace
//! types the entity's fields itself, which decides the entity's field types.

use b24_spec::Method;

use crate::entities::{Evidence, GroupEntities};
use crate::entity_fit::objects_in;
use crate::model::{FieldModel, MethodModel};
use crate::naming::Namespace;
use crate::types::{RustType, TypeLog};

use super::GroupBuilder;

impl GroupBuilder<'_> {
    /// How each method that an entity type could replace types the entity's fields itself (its
    /// response; the first of [`own_entity_fields`]), and the pattern members it documents: a
    /// first pass over the methods without shared types, in a scratch namespace.
    pub(super) fn evidence(
        &mut self,
        methods: &[&Method],
        names: &[String],
        types: &Namespace,
        named: &GroupEntities,
    ) -> Evidence {
        let mut scratch = types.clone();
        let mut log = TypeLog::default();
        let none = GroupEntities::default();
        let mut evidence = Evidence::default();
        for (m, name) in methods.iter().zip(names) {
            let Some(entity) = named
                .of_method(m, &["get", "list", "add", "update"])
                .or_else(|| named.referenced_by(m))
            else {
                continue;
            };
            let own = {
                let mut builder = GroupBuilder {
                    errors: self.errors,
                    log: &mut log,
                    paths: self.paths,
                };
                builder.method(m, name.clone(), &mut scratch, &none)
            };
            for (from_response, fields) in own_entity_fields(&own) {
                for f in fields.iter().filter(|f| is_evidence(f, from_response)) {
                    evidence
                        .entry((entity.to_owned(), f.wire.clone()))
                        .or_default()
                        .push(f.ty.clone());
                }
            }
            for (key, ty) in example_flags(m) {
                evidence
                    .entry((entity.to_owned(), key))
                    .or_default()
                    .push(ty);
            }
        }
        evidence
    }
}

/// The fields a method's own types give the entity it is about: its result object or list item
/// (`true`: from the response), its `fields` parameter.
fn own_entity_fields(m: &MethodModel) -> Vec<(bool, &[FieldModel])> {
    let find = |ty: &RustType| -> Option<&[FieldModel]> {
        let name = match ty {
            RustType::Struct(n) => n,
            RustType::Vec(inner) => match &**inner {
                RustType::Struct(n) => n,
                _ => return None,
            },
            _ => return None,
        };
        m.nested
            .iter()
            .find(|s| &s.name == name)
            .map(|s| s.fields.as_slice())
    };
    let mut out: Vec<(bool, &[FieldModel])> =
        find(&m.response).into_iter().map(|f| (true, f)).collect();
    for f in &m.request.fields {
        if f.wire.eq_ignore_ascii_case("fields") {
            out.extend(find(&f.ty).map(|f| (false, f)));
        }
    }
    out
}

/// How the page's response example sends flags: `"Y"`/`"N"` or JSON booleans, per key of the
/// objects an entity type would read (`result`, its items, `result.item`, `result.items`).
fn example_flags(m: &Method) -> Vec<(String, RustType)> {
    let Some(result) = m.examples.response.as_ref().and_then(|r| r.get("result")) else {
        return Vec::new();
    };
    let mut objects = objects_in(result);
    for key in ["item", "items"] {
        if let Some(v) = result.get(key) {
            objects.extend(objects_in(v));
        }
    }
    let mut out = Vec::new();
    for o in objects {
        for (k, v) in o {
            match v {
                serde_json::Value::String(s) if s == "Y" || s == "N" => {
                    out.push((k.clone(), RustType::YesNo));
                }
                serde_json::Value::Bool(_) => out.push((k.clone(), RustType::Bool)),
                _ => {}
            }
        }
    }
    out
}

/// Response fields are evidence of a field's type (what the portal sends); request fields only
/// of the user-field patterns a page documents.
fn is_evidence(f: &FieldModel, from_response: bool) -> bool {
    from_response || f.pattern.is_some()
}
