//! Structs of one method (its request, nested parameters, result) and of event payloads: field
//! types, names and docs, and where a shared entity type replaces the page's own.

use b24_spec::result_shape::{
    describes_fields, is_keyed_by_id, is_yes_no, keyed_by_placeholder, one_object, shape_of,
    ResultShape,
};
use b24_spec::{ApiVersion, Method, Param, ResultField, ResultLayout, TypeExpr, Wire};
use serde_json::Value;

use crate::docs;
use crate::entities::{self, GroupEntities};
use crate::entity_fit::{self, Direction, ExamplePath};
use crate::model::{FieldModel, Role, StructModel};
use crate::naming::{pascal, snake, Namespace};
use crate::types::{rust_type, rust_type_on_wire, RustType, TypeLog};

use super::{RESERVED_FIELDS, RESERVED_INPUT_FIELDS, RESERVED_SETTERS};

/// The structs of an event payload member (`data`): its own struct first, then the nested ones.
/// Returns `None` when the member documents no fields.
pub(crate) fn payload_structs(
    name: &str,
    member: &Param,
    source: &str,
    types: &mut Namespace,
    log: &mut TypeLog,
) -> Option<Vec<StructModel>> {
    if member.fields.is_empty() {
        return None;
    }
    let mut nested = Vec::new();
    let none = GroupEntities::default();
    let mut ctx = StructCtx {
        log,
        types,
        nested: &mut nested,
        source,
        entities: &none,
        method: None,
    };
    let name = ctx.types.claim(name.to_owned());
    let fields = ctx.param_fields(&name, &member.fields, Role::Output);
    let top = StructModel {
        name,
        doc: docs::markdown_lines(&member.description, source),
        fields,
        role: Role::Output,
        one_of: Vec::new(),
    };
    Some(std::iter::once(top).chain(nested).collect())
}

pub(super) struct StructCtx<'a> {
    pub(super) log: &'a mut TypeLog,
    pub(super) types: &'a mut Namespace,
    pub(super) nested: &'a mut Vec<StructModel>,
    pub(super) source: &'a str,
    pub(super) entities: &'a GroupEntities,
    /// The method whose structs these are (`None` for event payloads).
    pub(super) method: Option<&'a Method>,
}

impl StructCtx<'_> {
    pub(super) fn param_fields(
        &mut self,
        owner: &str,
        params: &[Param],
        role: Role,
    ) -> Vec<FieldModel> {
        let mut idents = Namespace::with_reserved(match role {
            Role::Request => RESERVED_SETTERS,
            Role::Input | Role::Entity => RESERVED_INPUT_FIELDS,
            Role::Output => RESERVED_FIELDS,
        });
        params
            .iter()
            .map(|p| {
                let ty = match self.shared_param_type(owner, p, role) {
                    Some(ty) => ty,
                    None => {
                        let nested = self.nested_input(owner, p);
                        let ty =
                            rust_type_on_wire(p.ty.as_ref(), nested.as_deref(), p.wire, self.log);
                        let ty = list_param_type(p, role, ty);
                        event_name_type(self.method, p, role, ty)
                    }
                };
                let mut doc = docs::markdown_lines(&p.description, self.source);
                if p.required && role != Role::Request {
                    push_para(&mut doc, "Required.");
                }
                if let Some(default) = &p.default {
                    push_para(&mut doc, &format!("Default: `{}`.", default.trim()));
                }
                let pattern = pattern_prefix(p.pattern, &p.name);
                if let Some(prefix) = &pattern {
                    push_para(&mut doc, &pattern_doc(prefix));
                }
                FieldModel {
                    wire: p.key().to_owned(),
                    ident: idents.claim(field_ident(&p.name, pattern.as_deref())),
                    ty,
                    required: p.required && role == Role::Request && pattern.is_none(),
                    pattern,
                    doc,
                    read_only: false,
                    values: crate::enums::listed(&p.values, self.source),
                }
            })
            .collect()
    }

    /// The entity type for `fields` of `<entity>.add` / `<entity>.update`, when the page's own
    /// members agree with the entity's fields.
    fn shared_param_type(&mut self, owner: &str, p: &Param, role: Role) -> Option<RustType> {
        let method = self.method?;
        if role != Role::Request
            || !p.name.eq_ignore_ascii_case("fields")
            || method.api != ApiVersion::V2
        {
            return None;
        }
        let entity = self
            .entities
            .of_method(method, &["add", "update"])?
            .to_owned();
        let mark = self.nested.len();
        let own = self.nested_input(owner, p);
        let own_fields = own
            .as_deref()
            .and_then(|n| self.nested.iter().find(|s| s.name == n))
            .map(|s| s.fields.as_slice())
            .unwrap_or(&[]);
        let entity_fields = self.entities.fields_of(&entity)?;
        let examples =
            entity_fit::example_objects(method.examples.request.as_ref(), ExamplePath::Fields);
        let lookup = |name: &str| self.entities.fields_of(name).map(Vec::as_slice);
        let fits = examples
            .iter()
            .all(|o| entity_fit::object_fits(entity_fields, o, Direction::Request, &lookup));
        if fits && entities::agrees(entity_fields, own_fields) {
            self.nested.truncate(mark);
            Some(RustType::Struct(entity))
        } else {
            // The page's own struct, already built (and named), stays.
            Some(rust_type_on_wire(
                p.ty.as_ref(),
                own.as_deref(),
                p.wire,
                self.log,
            ))
        }
    }

    fn nested_input(&mut self, owner: &str, p: &Param) -> Option<String> {
        if p.fields.is_empty() || is_scalar(p.ty.as_ref()) {
            return None;
        }
        let name = self.types.claim(format!("{owner}{}", pascal(&p.name)));
        let fields = self.param_fields(&name, &p.fields, Role::Input);
        let doc = vec![format!("The `{}` parameter of [`{owner}`].", p.name)];
        self.nested.push(StructModel {
            name: name.clone(),
            doc,
            fields,
            role: Role::Input,
            one_of: Vec::new(),
        });
        Some(name)
    }

    /// The entity type replaces `<entity>.get`'s object and the items of `<entity>.list` (or a
    /// list whose `select`/`filter`/`order` refer to it) when the page's own table agrees with it
    /// or gives no members; an answer whose shape the page does not document stays untyped.
    pub(super) fn response(&mut self, owner: &str, m: &Method) -> RustType {
        let mark = self.nested.len();
        let own = self.documented_response(owner, m);
        if let RustType::Struct(name) = &own {
            self.type_result_members(m, name);
        }
        if m.api != ApiVersion::V2 {
            return own;
        }
        let get = self.entities.of_method(m, &["get"]);
        let list = self
            .entities
            .of_method(m, &["list"])
            .or_else(|| self.entities.referenced_by(m));
        let (entity, is_list) = match (get, list) {
            (Some(e), _) => (e.to_owned(), false),
            (None, Some(e)) => (e.to_owned(), true),
            (None, None) => return own,
        };
        let own_struct = match (&own, is_list) {
            (RustType::Struct(n), false) => Some(Some(n)),
            (RustType::JsonMap, false) => Some(None),
            (RustType::Vec(inner), true) => match &**inner {
                RustType::Struct(n) => Some(Some(n)),
                RustType::Json | RustType::JsonMap => Some(None),
                _ => None,
            },
            _ => None,
        };
        let Some(own_struct) = own_struct else {
            return own;
        };
        let own_fields = own_struct
            .and_then(|n| self.nested.iter().find(|s| &s.name == n))
            .map(|s| s.fields.as_slice())
            .unwrap_or(&[]);
        let Some(entity_fields) = self.entities.fields_of(&entity) else {
            return own;
        };
        let path = if is_list {
            ExamplePath::ResultItems
        } else {
            ExamplePath::Result
        };
        let examples = entity_fit::example_objects(m.examples.response.as_ref(), path);
        let lookup = |name: &str| self.entities.fields_of(name).map(Vec::as_slice);
        let fits = entity_fit::all_fit(entity_fields, &examples, Direction::Response, &lookup);
        if !fits || !entities::agrees(entity_fields, own_fields) {
            return own;
        }
        self.nested.truncate(mark);
        let ty = RustType::Struct(entity);
        if is_list {
            RustType::Vec(Box::new(ty))
        } else {
            ty
        }
    }

    /// Untyped members of a result object whose description links to an entity's page
    /// (`crm.item.get`'s `item`, `crm.item.list`'s `items`) become the entity type, when the
    /// page's example values fit it.
    fn type_result_members(&mut self, m: &Method, result_struct: &str) {
        let result = m.examples.response.as_ref().and_then(|r| r.get("result"));
        let Some(at) = self.nested.iter().position(|s| s.name == result_struct) else {
            return;
        };
        let mut changes = Vec::new();
        for (i, f) in self.nested[at].fields.iter().enumerate() {
            let key = (m.method.to_ascii_lowercase(), format!("result.{}", f.wire));
            let Some(entity) = self.entities.result_refs.get(&key) else {
                continue;
            };
            let Some(fields) = self.entities.fields_of(entity) else {
                continue;
            };
            let lookup = |name: &str| self.entities.fields_of(name).map(Vec::as_slice);
            let value = result.and_then(|r| r.get(&f.wire));
            let objects = value.map(entity_fit::objects_in).unwrap_or_default();
            let fits = !objects.is_empty()
                && entity_fit::all_fit(fields, &objects, Direction::Response, &lookup);
            let ty = RustType::Struct(entity.clone());
            let ty = match &f.ty {
                RustType::Json | RustType::JsonMap
                    if !matches!(value, Some(serde_json::Value::Array(_))) =>
                {
                    ty
                }
                RustType::Vec(inner) if crate::typing::is_untyped(inner) => {
                    RustType::Vec(Box::new(ty))
                }
                RustType::Json if matches!(value, Some(serde_json::Value::Array(_))) => {
                    RustType::Vec(Box::new(ty))
                }
                _ => continue,
            };
            if fits {
                changes.push((i, ty));
            }
        }
        for (i, ty) in changes {
            self.nested[at].fields[i].ty = ty;
        }
    }

    fn documented_response(&mut self, owner: &str, m: &Method) -> RustType {
        let result = &m.result;
        let example = m.examples.response.as_ref().and_then(|r| r.get("result"));
        let base = format!("{owner}Result");
        match b24_spec::result_layout(result) {
            ResultLayout::Nothing => RustType::Json,
            ResultLayout::Whole(at) => {
                let only = &result[at];
                if let Some(moved) = self.moved(&base, &only.fields, &only.ty, example, owner) {
                    return moved;
                }
                let nested = self.nested_output(&base, &only.fields, &only.ty, example);
                match rust_type_on_wire(only.ty.as_ref(), nested.as_deref(), only.wire, self.log) {
                    // A whole result goes through plain serde, which has no "Y"/"N" bool.
                    RustType::YesNo => RustType::YesNoResult,
                    other => other,
                }
            }
            ResultLayout::Members(rows) => {
                let fields: Vec<ResultField> = rows.iter().map(|i| result[*i].clone()).collect();
                if let Some(moved) = self.moved(&base, &fields, &None, example, owner) {
                    return moved;
                }
                let name = self.output_struct(base, &fields, owner, one_object(example));
                match m.result_wire {
                    Some(Wire::Array) => RustType::Vec(Box::new(RustType::Struct(name))),
                    _ => RustType::Struct(name),
                }
            }
        }
    }

    /// The type of documented members that the example puts somewhere other than the object
    /// itself (`result_shape.rs`): under its one key, or in each value of an object keyed by ID
    /// or name; `None` when they are the object's own. `base` names the outer type.
    fn moved(
        &mut self,
        base: &str,
        fields: &[ResultField],
        ty: &Option<TypeExpr>,
        example: Option<&Value>,
        owner: &str,
    ) -> Option<RustType> {
        if fields.is_empty() || is_scalar(ty.as_ref()) {
            return None;
        }
        let documented: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        Some(match shape_of(example, &documented) {
            ResultShape::Direct => {
                let [lone] = fields else { return None };
                if !keyed_by_placeholder(lone, example?) {
                    return None;
                }
                let first = example.and_then(|e| e.as_object()?.values().next());
                let wanted = format!("{base}{}", pascal(&lone.name));
                RustType::Keyed(Box::new(self.member_type(&wanted, lone, first, owner)))
            }
            ResultShape::FieldDescriptions => RustType::Keyed(Box::new(RustType::FieldDescription)),
            ResultShape::KeyedLists => {
                let first = example.and_then(|e| one_object(e.as_object()?.values().next()));
                let name = self.output_struct(format!("{base}Item"), fields, owner, first);
                RustType::Keyed(Box::new(RustType::Vec(Box::new(RustType::Struct(name)))))
            }
            ResultShape::Keyed => {
                let first = example.and_then(|e| e.as_object()?.values().next());
                let name = self.output_struct(format!("{base}Item"), fields, owner, first);
                RustType::Keyed(Box::new(RustType::Struct(name)))
            }
            ResultShape::Wrapped { key, array } => {
                let inner_example = one_object(example.and_then(|e| e.get(&key)));
                let wanted = format!("{base}{}", pascal(&key));
                let descriptions = inner_example
                    .and_then(Value::as_object)
                    .is_some_and(|inner| describes_fields(inner, &documented));
                let inner = if descriptions {
                    RustType::Keyed(Box::new(RustType::FieldDescription))
                } else {
                    RustType::Struct(self.output_struct(wanted, fields, owner, inner_example))
                };
                let ty = if array {
                    RustType::Vec(Box::new(inner))
                } else {
                    inner
                };
                RustType::Struct(self.wrapper_struct(base.to_owned(), &key, ty, owner))
            }
        })
    }

    /// `{key: ty}`: the object a page's example wraps its documented members in.
    fn wrapper_struct(&mut self, wanted: String, key: &str, ty: RustType, owner: &str) -> String {
        let name = self.types.claim(wanted);
        let mut idents = Namespace::with_reserved(RESERVED_FIELDS);
        let field = FieldModel {
            wire: key.to_owned(),
            ident: idents.claim(field_ident(key, None)),
            ty,
            required: false,
            pattern: None,
            doc: vec![format!(
                "The documented members, under `{key}` as the page's example answer has them."
            )],
            read_only: false,
            values: Vec::new(),
        };
        self.nested.push(StructModel {
            name: name.clone(),
            doc: vec![format!(
                "Returned data of [`{}`].",
                owner.trim_end_matches("Result")
            )],
            fields: vec![field],
            role: Role::Output,
            one_of: Vec::new(),
        });
        name
    }

    fn nested_output(
        &mut self,
        wanted: &str,
        fields: &[ResultField],
        ty: &Option<TypeExpr>,
        example: Option<&Value>,
    ) -> Option<String> {
        if fields.is_empty() || is_scalar(ty.as_ref()) {
            return None;
        }
        Some(self.output_struct(wanted.to_owned(), fields, wanted, one_object(example)))
    }

    /// A struct of documented result members; `example` is one object the page's example
    /// answer gives for it, which places nested members (`moved`) and tells a `"Y"`/`"N"` flag
    /// from a JSON boolean.
    fn output_struct(
        &mut self,
        wanted: String,
        fields: &[ResultField],
        owner: &str,
        example: Option<&Value>,
    ) -> String {
        let name = self.types.claim(wanted);
        let mut idents = Namespace::with_reserved(RESERVED_FIELDS);
        let fields = fields
            .iter()
            .map(|f| {
                let value = example.filter(|_| !f.pattern).and_then(|e| e.get(&f.name));
                let ty = self.member_type(&format!("{name}{}", pascal(&f.name)), f, value, &name);
                let pattern = pattern_prefix(f.pattern, &f.name);
                let mut doc = docs::markdown_lines(&f.description, self.source);
                if let Some(prefix) = &pattern {
                    push_para(&mut doc, &pattern_doc(prefix));
                }
                FieldModel {
                    wire: f.name.clone(),
                    ident: idents.claim(field_ident(&f.name, pattern.as_deref())),
                    ty,
                    required: false,
                    pattern,
                    doc,
                    read_only: false,
                    values: crate::enums::listed(&f.values, self.source),
                }
            })
            .collect();
        let doc = vec![format!(
            "Returned data of [`{}`].",
            owner.trim_end_matches("Result")
        )];
        self.nested.push(StructModel {
            name: name.clone(),
            doc,
            fields,
            role: Role::Output,
            one_of: Vec::new(),
        });
        name
    }

    /// One result member's type, its nested members placed by the example's `value`; `parent`
    /// is the struct holding it (what the docs of types made for it link to).
    fn member_type(
        &mut self,
        wanted: &str,
        f: &ResultField,
        value: Option<&Value>,
        parent: &str,
    ) -> RustType {
        if let Some(moved) = self.moved(wanted, &f.fields, &f.ty, value, parent) {
            return moved;
        }
        let nested = self.nested_output(wanted, &f.fields, &f.ty, value);
        match rust_type_on_wire(f.ty.as_ref(), nested.as_deref(), f.wire, self.log) {
            // The answer says "Y"/"N" where the table says boolean: send back what it sends.
            RustType::Bool if is_yes_no(value) => RustType::YesNo,
            // A PHP array with ID keys arrives as an object: read as a list it would lose
            // the keys and go back as an array.
            RustType::Vec(inner) if is_keyed_by_id(value) => RustType::Keyed(inner),
            other => other,
        }
    }
}

/// `filter` and `order` objects of list methods are `Filter` / `Order` (operator-prefixed keys
/// and directions, not members); `select` is a list of field names.
fn list_param_type(p: &Param, role: Role, ty: RustType) -> RustType {
    if role != Role::Request {
        return ty;
    }
    // `select` is a list of field names, whatever element type the page gives.
    if p.name.eq_ignore_ascii_case("select")
        && matches!(&ty, RustType::Vec(inner) if **inner == RustType::Json)
    {
        return RustType::Vec(Box::new(RustType::Str));
    }
    if ty != RustType::JsonMap {
        return ty;
    }
    if p.name.eq_ignore_ascii_case("filter") {
        RustType::Filter
    } else if p.name.eq_ignore_ascii_case("order") {
        RustType::Order
    } else {
        ty
    }
}

/// `event.bind` / `event.unbind` take an event by its name: the generated `EventName`.
fn event_name_type(method: Option<&Method>, p: &Param, role: Role, ty: RustType) -> RustType {
    let binds = method.is_some_and(|m| {
        m.api == ApiVersion::V2
            && (m.method.eq_ignore_ascii_case("event.bind")
                || m.method.eq_ignore_ascii_case("event.unbind"))
    });
    if binds && role == Role::Request && p.name.eq_ignore_ascii_case("event") && ty == RustType::Str
    {
        RustType::EventName
    } else {
        ty
    }
}

/// The key prefix of a pattern member (`UF_CRM_*` → `UF_CRM_`).
fn pattern_prefix(pattern: bool, name: &str) -> Option<String> {
    pattern.then(|| name.trim_end_matches('*').to_owned())
}

/// A pattern member's field is named after its prefix (`uf_crm`), or `keys` for "any key".
fn field_ident(name: &str, prefix: Option<&str>) -> String {
    match prefix {
        Some("") => "keys".to_owned(),
        Some(prefix) => snake(prefix),
        None => snake(name),
    }
}

fn pattern_doc(prefix: &str) -> String {
    if prefix.is_empty() {
        "Every key, by its real name.".to_owned()
    } else {
        format!("Every `{prefix}*` key, by its real name (for example user fields).")
    }
}

/// A field documented as a scalar keeps its scalar type even if the page lists members under it.
fn is_scalar(ty: Option<&TypeExpr>) -> bool {
    let mut log = TypeLog::default();
    matches!(
        rust_type(ty, None, &mut log),
        RustType::Int
            | RustType::Float
            | RustType::Str
            | RustType::Bool
            | RustType::YesNo
            | RustType::File
            | RustType::Date
            | RustType::DateTime
    )
}

fn push_para(doc: &mut Vec<String>, text: &str) {
    if !doc.is_empty() {
        doc.push(String::new());
    }
    doc.push(text.to_owned());
}
