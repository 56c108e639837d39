//! Shared entity types: one struct per documented entity (`crm.deal` → `crm::Deal`), built from
//! the spec's entity field tables, and the rules for where methods use them instead of a type of
//! their own.
//!
//! Where an entity is used (decided by name, since the docs link parameters but not results):
//! - `<entity>.get` returns it, `<entity>.list` (and any list whose `select`/`filter`/`order`
//!   refer to it) returns a list of it, when the method's own result is untyped or its table
//!   describes the same entity;
//! - `<entity>.add` and `<entity>.update` take it as their `fields` parameter.
//!
//! Read-only fields are private with a getter: a value read with `get` can be passed to
//! `update` (its read-only fields travel back as read, which is how the portal matches
//! multi-value entries such as phones by `ID`), but a caller cannot set them.

use std::collections::BTreeMap;

use b24_spec::type_kind::{kind_of, Kind};
use b24_spec::{ApiVersion, Entity, EntityField, Method, TypeExpr};
use heck::ToShoutySnakeCase;

use crate::docs;
use crate::model::{FieldModel, Role, StructModel};
use crate::naming::{pascal, snake, Namespace};
use crate::types::{rust_type, RustType, TypeLog};
use crate::typing::is_untyped;

/// An entity type of one group module.
#[derive(Debug)]
pub struct EntityModel {
    /// Entity id in the spec (`crm.deal`).
    pub id: String,
    /// The struct (role [`Role::Entity`]).
    pub model: StructModel,
    /// Field-name constants: `(TITLE, "TITLE")`.
    pub names: Vec<(String, String)>,
}

/// The entities of one group, by id, with the Rust names they got.
#[derive(Debug, Default)]
pub struct GroupEntities {
    /// Entity id (case-folded) → struct name.
    pub by_id: BTreeMap<String, String>,
    /// The models, in id order.
    pub models: Vec<EntityModel>,
    /// Result members whose description links to an entity's page: `(method, "result.item")`
    /// (method case-folded) → struct name.
    pub result_refs: BTreeMap<(String, String), String>,
}

impl GroupEntities {
    /// The entity struct for an id, if this group documents it.
    pub fn struct_for(&self, id: &str) -> Option<&str> {
        self.by_id.get(&id.to_ascii_lowercase()).map(String::as_str)
    }

    /// The entity a method is about by its name: `crm.deal.get` → `crm.deal`.
    pub fn of_method(&self, m: &Method, verbs: &[&str]) -> Option<&str> {
        let (entity, verb) = m.method.rsplit_once('.')?;
        if !verbs.iter().any(|v| v.eq_ignore_ascii_case(verb)) {
            return None;
        }
        self.struct_for(entity)
    }

    /// The fields of an entity struct, by its Rust name.
    pub fn fields_of(&self, name: &str) -> Option<&Vec<FieldModel>> {
        self.models
            .iter()
            .find(|e| e.model.name == name)
            .map(|e| &e.model.fields)
    }

    /// The entity a list method's `select`/`filter`/`order` refer to.
    pub fn referenced_by(&self, m: &Method) -> Option<&str> {
        m.params
            .iter()
            .filter(|p| {
                ["select", "filter", "order"]
                    .iter()
                    .any(|n| p.name.eq_ignore_ascii_case(n))
            })
            .find_map(|p| p.fields_ref.as_deref())
            .and_then(|id| self.struct_for(id))
    }
}

/// Names the entity structs of one group; `types` is the module's namespace, so entity names
/// never take a method's.
pub fn name_entities(entities: &[&Entity], group: &str, types: &mut Namespace) -> GroupEntities {
    let mut out = GroupEntities::default();
    for e in entities {
        let name = types.claim(pascal(&short_id(&e.id, group)));
        for u in &e.used_by {
            if u.api == ApiVersion::V2 && u.path.starts_with("result.") {
                let key = (u.method.to_ascii_lowercase(), u.path.clone());
                out.result_refs.insert(key, name.clone());
            }
        }
        out.by_id.insert(e.id.to_ascii_lowercase(), name);
    }
    out
}

/// How the methods that use an entity type its fields: `(entity struct, wire name)` → the Rust
/// types their own tables gave (which carry the pages' wire evidence: `"Y"`/`"N"`, numbers as
/// text...).
pub type Evidence = BTreeMap<(String, String), Vec<RustType>>;

/// Builds the entity structs named by [`name_entities`].
pub fn build_entities(
    named: &mut GroupEntities,
    entities: &[&Entity],
    evidence: &Evidence,
    log: &mut TypeLog,
) {
    let camel: BTreeMap<String, bool> = entities
        .iter()
        .map(|e| (e.id.to_ascii_lowercase(), camel_keys(e)))
        .collect();
    for e in entities {
        let name = named.by_id[&e.id.to_ascii_lowercase()].clone();
        // The classic API spells keys `UPPER_CASE`, the universal one `camelCase`, and each
        // spells a multifield's members its own way: a data-type reference (`crm_multifield`)
        // is followed only to an entity spelled like the one referring to it.
        let style = camel_keys(e);
        let same_style: BTreeMap<String, String> = named
            .by_id
            .iter()
            .filter(|(id, _)| camel.get(*id) == Some(&style))
            .map(|(id, n)| (id.clone(), n.clone()))
            .collect();
        let model = entity_struct(e, &name, &same_style, evidence, log);
        named.models.push(model);
    }
}

/// Whether most of an entity's field names are `camelCase`.
fn camel_keys(e: &Entity) -> bool {
    let lower = e
        .fields
        .iter()
        .filter(|f| f.name.chars().any(|c| c.is_ascii_lowercase()))
        .count();
    lower * 2 > e.fields.len()
}

/// Whether a method's own fields agree with the entity's on every field both have: only then
/// does the method use the shared type (the pages then describe the same table).
/// A page that leaves a field untyped (`Vec<Value>`) does not disagree; its examples are
/// checked against the entity separately ([`crate::entity_fit`]).
pub fn agrees(entity: &[FieldModel], own: &[FieldModel]) -> bool {
    own.iter().all(|o| {
        is_untyped(&o.ty)
            || entity
                .iter()
                .find(|e| e.wire == o.wire)
                .is_none_or(|e| e.ty == o.ty || text_date(&o.ty, &e.ty))
    })
}

/// A page calling a date `string` agrees with an entity that types it as a date: the date type
/// carries any text exactly as given.
fn text_date(own: &RustType, entity: &RustType) -> bool {
    *own == RustType::Str && matches!(entity, RustType::Date | RustType::DateTime)
}

/// `crm.deal` in `crm` → `deal`; `crm_multifield` → `multifield`.
fn short_id(id: &str, group: &str) -> String {
    let g = group.replace('-', "_");
    for sep in ['.', '_'] {
        if let Some(rest) = id.strip_prefix(&format!("{g}{sep}")) {
            if !rest.is_empty() {
                return rest.to_owned();
            }
        }
    }
    id.to_owned()
}

fn entity_struct(
    e: &Entity,
    name: &str,
    by_id: &BTreeMap<String, String>,
    evidence: &Evidence,
    log: &mut TypeLog,
) -> EntityModel {
    let mut idents = Namespace::with_reserved(&["extra", "new"]);
    let mut consts = Namespace::with_reserved(&[]);
    let mut names = Vec::new();
    // A portal's own user fields (`UF_CRM_1707997209`) are not the entity's: they travel in the
    // `UF_*` pattern member, as do the patterns the methods' pages document.
    let (user, documented): (Vec<&EntityField>, Vec<&EntityField>) =
        e.fields.iter().partition(|f| is_user_field(&f.name));
    let mut fields: Vec<FieldModel> = documented
        .into_iter()
        .map(|f| {
            let constant = consts.claim(const_name(&f.name));
            names.push((constant, f.name.clone()));
            let seen = evidence.get(&(name.to_owned(), f.name.clone()));
            field(f, by_id, seen, &mut idents, &e.source, log)
        })
        .collect();
    let mut patterns: Vec<String> = evidence
        .keys()
        .filter(|(entity, wire)| entity == name && wire.ends_with('*'))
        .map(|(_, wire)| wire.trim_end_matches('*').to_owned())
        .collect();
    if !user.is_empty() && !patterns.iter().any(|p| "UF_".starts_with(p.as_str())) {
        patterns.push("UF_".to_owned());
    }
    for prefix in patterns {
        fields.push(pattern_field(&prefix, &mut idents));
    }
    let doc = vec![
        format!("A `{}` as the docs describe its fields.", e.id),
        String::new(),
        "Read with `get` and `list`, written with `add` and `update`; read-only fields have a \
         getter and no setter. The associated constants are the field names, for `select`, \
         [`Filter`](crate::Filter) and [`Order`](crate::Order)."
            .to_owned(),
        String::new(),
        format!("[Official documentation]({})", docs::page_url(&e.source)),
    ];
    EntityModel {
        id: e.id.clone(),
        model: StructModel {
            name: name.to_owned(),
            doc,
            fields,
            role: Role::Entity,
            one_of: Vec::new(),
        },
        names,
    }
}

/// `UF_CRM_1707997209`, `UF_CRM_5_1700000000`: a field some portal added.
fn is_user_field(name: &str) -> bool {
    name.strip_prefix("UF_")
        .is_some_and(|rest| rest.chars().any(|c| c.is_ascii_digit()))
}

fn pattern_field(prefix: &str, idents: &mut Namespace) -> FieldModel {
    let ident = if prefix.is_empty() {
        "keys".to_owned()
    } else {
        snake(prefix)
    };
    FieldModel {
        wire: format!("{prefix}*"),
        ident: idents.claim(ident),
        ty: RustType::Json,
        required: false,
        pattern: Some(prefix.to_owned()),
        doc: vec![format!(
            "Every `{prefix}*` key (user fields), by its real name."
        )],
        read_only: false,
        values: Vec::new(),
    }
}

fn const_name(wire: &str) -> String {
    let shouty = snake(wire).to_shouty_snake_case();
    if shouty.is_empty() || shouty.starts_with(|c: char| c.is_ascii_digit()) {
        format!("F_{shouty}")
    } else {
        shouty
    }
}

fn field(
    f: &EntityField,
    by_id: &BTreeMap<String, String>,
    seen: Option<&Vec<RustType>>,
    idents: &mut Namespace,
    source: &str,
    log: &mut TypeLog,
) -> FieldModel {
    let ty = match agreed(seen) {
        Some(ty) => ty,
        None => documented_type(f, by_id, log),
    };
    let mut doc = docs::markdown_lines(&f.description, source);
    let flags: Vec<&str> = [
        (f.read_only, "read-only"),
        (f.required_on_add, "required on add"),
        (f.multiple, "multiple"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, text)| *text)
    .collect();
    if !flags.is_empty() {
        doc.push(String::new());
        doc.push(format!("`{}`: {}.", f.name, flags.join(", ")));
    }
    if !f.values.is_empty() {
        let values: Vec<String> = f
            .values
            .iter()
            .map(|v| format!("`{}`", v.value.text()))
            .collect();
        doc.push(String::new());
        doc.push(format!("Values: {}.", values.join(", ")));
    }
    FieldModel {
        wire: f.name.clone(),
        ident: idents.claim(snake(&f.name)),
        ty,
        required: false,
        pattern: None,
        doc,
        read_only: f.read_only,
        values: crate::enums::listed(&f.values, source),
    }
}

/// The one type every using method's table agrees on, unless it is a method's own nested
/// struct (which the shared type cannot borrow).
fn agreed(seen: Option<&Vec<RustType>>) -> Option<RustType> {
    let seen = seen?;
    let first = seen.first()?;
    let has_struct = |t: &RustType| match t {
        RustType::Struct(_) => true,
        RustType::Vec(inner) => matches!(**inner, RustType::Struct(_)),
        _ => false,
    };
    (seen.iter().all(|t| t == first) && !has_struct(first) && !is_untyped(first))
        .then(|| first.clone())
}

/// The field's type from the entity table alone. `char` is one character: the portal uses it
/// for `Y`/`N` flags and for other codes alike (`SHOW_FILTER` is `N`/`I`/`E`/`S`), so without a
/// page's evidence it stays text.
fn documented_type(
    f: &EntityField,
    by_id: &BTreeMap<String, String>,
    log: &mut TypeLog,
) -> RustType {
    let element = entity_ref(f.ty.as_ref(), by_id)
        .map(|n| RustType::Struct(n.to_owned()))
        .unwrap_or_else(|| match rust_type(f.ty.as_ref(), None, log) {
            RustType::YesNo => RustType::Str,
            other => other,
        });
    match element {
        RustType::Vec(_) => element,
        // A "multiple" object may be a list or an object keyed by language or ID: unknown.
        RustType::Json | RustType::JsonMap if f.multiple => RustType::Json,
        _ if f.multiple => RustType::Vec(Box::new(element)),
        _ => element,
    }
}

/// A field typed by another entity of the group (`crm_multifield` → `Multifield`).
fn entity_ref<'a>(ty: Option<&TypeExpr>, by_id: &'a BTreeMap<String, String>) -> Option<&'a str> {
    let TypeExpr::Named(name) = ty? else {
        return None;
    };
    // `crm_company` is a company's ID; only structured data types (`crm_multifield`) are
    // values of another entity.
    if !matches!(kind_of(name), Kind::Object | Kind::Unknown | Kind::Any) {
        return None;
    }
    let dotted = name.replacen('_', ".", 1).to_ascii_lowercase();
    by_id
        .get(&dotted)
        .or_else(|| by_id.get(&name.to_ascii_lowercase()))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_drop_the_group() {
        assert_eq!(short_id("crm.deal", "crm"), "deal");
        assert_eq!(short_id("crm_multifield", "crm"), "multifield");
        assert_eq!(short_id("userfieldconfig", "crm"), "userfieldconfig");
        assert_eq!(short_id("sonet_group", "sonet-group"), "sonet_group");
    }

    #[test]
    fn field_name_constants_are_shouty() {
        assert_eq!(const_name("DATE_CREATE"), "DATE_CREATE");
        assert_eq!(const_name("ufCrm5_1700"), "UF_CRM5_1700");
        assert_eq!(const_name("1C"), "N1C");
    }
}
