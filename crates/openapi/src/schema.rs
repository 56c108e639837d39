//! JSON Schema (the OpenAPI 3.1 dialect) for documented types and members.
//!
//! One table decides what a documented type means ([`b24_spec::type_kind`], shared with the
//! extractor and the emitter); `wire` overrides it where the page's examples show the value
//! travels otherwise. Members are keyed by the name the example sends (`Param::key`), pattern
//! members (`UF_CRM_*`) become `patternProperties`, and a type named after an entity
//! (`crm_multifield`) refers to that entity's component schema.

use std::collections::BTreeSet;

use b24_spec::result_shape;
use b24_spec::type_kind::{kind_of, kind_of_expr, Kind};
use b24_spec::{Param, ResultField, TypeExpr, Wire};
use serde_json::{json, Map, Value};

/// Which way a value travels: what a client sends, or what the portal sends back (REST v2
/// answers and event bodies quote numbers, so a documented number may arrive as text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// A request body.
    Send,
    /// A response or an event body.
    Receive,
}

/// What schemas may refer to: the entity ids that are component schemas.
#[derive(Debug, Default)]
pub struct Context {
    /// Entity ids with a component schema.
    pub entities: BTreeSet<String>,
}

impl Context {
    /// The reference to an entity's component schema.
    pub fn entity_ref(id: &str) -> Value {
        json!({ "$ref": format!("#/components/schemas/{id}") })
    }
}

/// The schema of a documented type, as `wire` says it travels when set.
pub fn of_type(ty: Option<&TypeExpr>, wire: Option<Wire>, side: Side, cx: &Context) -> Value {
    if let Some(wire) = wire {
        return of_wire(wire, ty, side, cx);
    }
    match ty {
        None => json!({}),
        Some(TypeExpr::Named(name)) => of_name(name, side, cx),
        Some(TypeExpr::Array(inner)) => {
            json!({ "type": "array", "items": of_type(Some(inner), None, side, cx) })
        }
        Some(TypeExpr::Union(alternatives)) => {
            let mut seen = Vec::new();
            for alternative in alternatives {
                let schema = of_type(Some(alternative), None, side, cx);
                if !seen.contains(&schema) {
                    seen.push(schema);
                }
            }
            match seen.len() {
                1 => seen.remove(0),
                _ => json!({ "anyOf": seen }),
            }
        }
    }
}

fn of_name(name: &str, side: Side, cx: &Context) -> Value {
    if cx.entities.contains(name) {
        return Context::entity_ref(name);
    }
    number_or_text(
        match kind_of(name) {
            Kind::Int => json!({ "type": "integer" }),
            Kind::Float => json!({ "type": "number" }),
            Kind::Str => json!({ "type": "string" }),
            Kind::Bool => json!({ "type": "boolean" }),
            Kind::YesNo => json!({ "type": "string", "enum": ["Y", "N"] }),
            Kind::Object => json!({ "type": "object" }),
            // Elements of any type: generators want `items` spelled out.
            Kind::Array => json!({ "type": "array", "items": {} }),
            Kind::Null => json!({ "type": "null" }),
            // A file is an id or a `[name, base64]` pair; unknown names promise nothing.
            Kind::File | Kind::Any | Kind::Unknown => json!({}),
        },
        side,
    )
}

/// Received numbers may come as text (`"42"`).
fn number_or_text(schema: Value, side: Side) -> Value {
    match (side, schema.get("type").and_then(Value::as_str)) {
        (Side::Receive, Some(ty @ ("integer" | "number"))) => json!({ "type": [ty, "string"] }),
        _ => schema,
    }
}

fn of_wire(wire: Wire, ty: Option<&TypeExpr>, side: Side, cx: &Context) -> Value {
    match wire {
        Wire::YesNo => json!({ "type": "string", "enum": ["Y", "N"] }),
        Wire::Boolean => json!({ "type": "boolean" }),
        Wire::Bit => json!({ "type": "integer", "enum": [0, 1] }),
        Wire::NumberString => json!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" }),
        Wire::Integer => number_or_text(json!({ "type": "integer" }), side),
        Wire::Number => number_or_text(json!({ "type": "number" }), side),
        Wire::String => json!({ "type": "string" }),
        Wire::Object => json!({ "type": "object" }),
        Wire::Array => match ty {
            Some(TypeExpr::Array(inner)) => {
                json!({ "type": "array", "items": of_type(Some(inner), None, side, cx) })
            }
            _ => json!({ "type": "array", "items": {} }),
        },
        Wire::Any => json!({}),
    }
}

/// One member of an object schema, whichever spec type it comes from.
#[derive(Debug)]
pub struct Member<'a> {
    /// The key on the wire.
    pub key: &'a str,
    /// The documented type.
    pub ty: Option<&'a TypeExpr>,
    /// How it travels, when not as documented.
    pub wire: Option<Wire>,
    /// Must be sent.
    pub required: bool,
    /// A family of keys (`UF_*`).
    pub pattern: bool,
    /// As markdown.
    pub description: &'a str,
    /// Nested members.
    pub members: Vec<Member<'a>>,
    /// `x-bitrix24-*` extensions to add.
    pub extensions: Vec<(&'static str, Value)>,
    /// A result field's documented members, placed by [`crate::result_schema`] where
    /// `example` puts them; empty for parameters.
    pub results: &'a [ResultField],
    /// The member's value in the page's example answer; `None` for parameters.
    pub example: Option<&'a Value>,
}

impl<'a> Member<'a> {
    /// A request parameter, a nested field of one, or an event payload member.
    pub fn param(p: &'a Param) -> Self {
        let mut extensions = Vec::new();
        if let Some(entity) = &p.fields_ref {
            // `select`/`filter`/`order` take the entity's field *names*, not its members.
            let target = format!("#/components/schemas/{entity}");
            extensions.push(("x-bitrix24-fields-of", target.into()));
        }
        Member {
            key: p.key(),
            ty: p.ty.as_ref(),
            wire: p.wire,
            required: p.required,
            pattern: p.pattern,
            description: &p.description,
            members: p.fields.iter().map(Member::param).collect(),
            extensions,
            results: &[],
            example: None,
        }
    }

    /// A field of the returned data; `example` is its value in the page's example answer.
    pub fn result(f: &'a ResultField, example: Option<&'a Value>) -> Self {
        let object = result_shape::one_object(example);
        Member {
            key: &f.name,
            ty: f.ty.as_ref(),
            wire: f.wire,
            required: false,
            pattern: f.pattern,
            description: &f.description,
            members: crate::result_schema::members(&f.fields, object),
            extensions: Vec::new(),
            results: &f.fields,
            example,
        }
    }

    /// The member's schema: its type, and its members when it has some (of its elements when
    /// it is an array).
    pub fn schema(&self, side: Side, cx: &Context) -> Value {
        // A scalar whose page adds a table of its values (`IS_ACCESSIBLE` → `Y`/`N`) stays a
        // scalar: the documented type decides, not the extra table.
        let scalar = !matches!(self.wire, Some(Wire::Object | Wire::Array))
            && self.ty.map(kind_of_expr).is_some_and(|k| {
                matches!(
                    k,
                    Kind::Int | Kind::Float | Kind::Str | Kind::Bool | Kind::YesNo
                )
            });
        let moved = (!scalar)
            .then(|| crate::result_schema::moved(self.results, self.example, side, cx))
            .flatten();
        let mut schema = match moved {
            Some(moved) => moved,
            None if self.members.is_empty() || scalar => of_type(self.ty, self.wire, side, cx),
            None => {
                let object = object(&self.members, side, cx);
                let is_array = matches!(self.ty, Some(TypeExpr::Array(_)))
                    || self.wire == Some(Wire::Array)
                    || matches!(self.ty, Some(TypeExpr::Named(n)) if kind_of(n) == Kind::Array);
                if is_array && self.wire != Some(Wire::Object) {
                    json!({ "type": "array", "items": object })
                } else {
                    object
                }
            }
        };
        if self.wire.is_none() {
            schema = crate::result_schema::as_sent(schema, self.example);
        }
        let map = schema.as_object_mut().expect("schemas are objects");
        if !self.description.is_empty() {
            if map.contains_key("$ref") {
                // Siblings of `$ref` are allowed in 3.1, but tools read them unevenly.
                schema = json!({ "allOf": [schema], "description": self.description });
            } else {
                map.insert("description".into(), self.description.into());
            }
        }
        let map = schema.as_object_mut().expect("schemas are objects");
        for (key, value) in &self.extensions {
            map.insert((*key).into(), value.clone());
        }
        schema
    }
}

/// An object schema with `members` as properties (pattern members as `patternProperties`),
/// the required ones listed.
pub fn object(members: &[Member<'_>], side: Side, cx: &Context) -> Value {
    let mut properties = Map::new();
    let mut patterns = Map::new();
    let mut required = Vec::new();
    for member in members {
        let schema = member.schema(side, cx);
        if member.pattern {
            patterns.insert(pattern_regex(member.key), schema);
            continue;
        }
        if member.required && side == Side::Send {
            required.push(Value::from(member.key));
        }
        properties.insert(member.key.to_owned(), schema);
    }
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    if !properties.is_empty() {
        schema.insert("properties".into(), properties.into());
    }
    if !patterns.is_empty() {
        schema.insert("patternProperties".into(), patterns.into());
    }
    if !required.is_empty() {
        schema.insert("required".into(), required.into());
    }
    schema.into()
}

/// `UF_CRM_*` → `^UF_CRM_`: every key starting with the literal prefix.
pub fn pattern_regex(glob: &str) -> String {
    let prefix = glob.strip_suffix('*').unwrap_or(glob);
    let mut out = String::from("^");
    for c in prefix.chars() {
        if !c.is_ascii_alphanumeric() && c != '_' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> TypeExpr {
        TypeExpr::parse(text).unwrap()
    }

    #[test]
    fn documented_types_and_wire_shapes() {
        let cx = Context::default();
        let of = |t: &str, wire, side| of_type(Some(&ty(t)), wire, side, &cx);
        assert_eq!(of("integer", None, Side::Send), json!({"type": "integer"}));
        assert_eq!(
            of("integer", None, Side::Receive),
            json!({"type": ["integer", "string"]})
        );
        assert_eq!(
            of("boolean", Some(Wire::YesNo), Side::Send),
            json!({"type": "string", "enum": ["Y", "N"]})
        );
        assert_eq!(
            of("string[]", None, Side::Send),
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            of("integer | string", None, Side::Send),
            json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})
        );
        assert_eq!(of("mystery", None, Side::Send), json!({}));
    }

    #[test]
    fn entity_types_are_references() {
        let cx = Context {
            entities: ["crm_multifield".to_owned()].into(),
        };
        assert_eq!(
            of_type(Some(&ty("crm_multifield[]")), None, Side::Send, &cx),
            json!({"type": "array", "items": {"$ref": "#/components/schemas/crm_multifield"}})
        );
    }

    #[test]
    fn members_use_the_wire_key_required_and_patterns() {
        let mut id = Param::new("ID", Some(ty("integer")), true);
        id.wire_name = Some("id".into());
        let mut uf = Param::new("UF_CRM_*", Some(ty("string")), false);
        uf.pattern = true;
        let params = [id, uf];
        let members: Vec<Member<'_>> = params.iter().map(Member::param).collect();
        assert_eq!(
            object(&members, Side::Send, &Context::default()),
            json!({
                "type": "object",
                "properties": {"id": {"type": "integer"}},
                "patternProperties": {"^UF_CRM_": {"type": "string"}},
                "required": ["id"]
            })
        );
        assert_eq!(pattern_regex("a.b*"), "^a\\.b");
    }

    #[test]
    fn a_scalar_with_a_values_table_stays_a_scalar() {
        let mut flag = Param::new("FLAG", Some(ty("string")), false);
        flag.fields
            .push(Param::new("FLAG", Some(ty("string")), false));
        let schema = Member::param(&flag).schema(Side::Receive, &Context::default());
        assert_eq!(schema, json!({"type": "string"}));
    }
}
