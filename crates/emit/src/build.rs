//! Spec → emit model: groups methods by feature, names every type, field and function once,
//! maps documented types to Rust and assembles the docs.

use std::collections::BTreeMap;

use b24_spec::{
    ApiVersion, Entity, Method, Param, ResultField, ResultLayout, Spec, TypeExpr, Wire,
};

use crate::calls::{self, CallTree, MethodRef, Placed};
use crate::docs;
use crate::entities::{self, EntityModel, Evidence, GroupEntities};
use crate::entity_fit::{self, Direction, ExamplePath};
use crate::error_catalogue::ErrorCatalogue;
use crate::list_items;
use crate::model::{CrateModel, FieldModel, GroupModel, ListModel, MethodModel, Role, StructModel};
use crate::naming::{self, pascal, snake, Namespace};
use crate::types::{rust_type, rust_type_on_wire, RustType, TypeLog};

/// Type names every module must leave free: the prelude and the names generated code uses.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Self",
    "Client",
    "Call",
    "Error",
    "ErrorCode",
    "File",
    "Method",
    "ApiVersion",
];
/// Field names taken by the generated code itself.
const RESERVED_FIELDS: &[&str] = &["extra"];
/// Field (and setter) names of nested input values, which also have `new()`.
const RESERVED_INPUT_FIELDS: &[&str] = &["extra", "new"];
/// Setter names that would clash with the request type's own associated items.
const RESERVED_SETTERS: &[&str] = &["new", "extra", "ERRORS"];

/// Builds the emit model of the whole crate.
pub fn build(spec: &Spec) -> CrateModel {
    let errors = ErrorCatalogue::from_spec(spec);
    let mut type_log = TypeLog::default();
    let mut by_feature: BTreeMap<String, Vec<&Method>> = BTreeMap::new();
    for method in &spec.methods {
        by_feature
            .entry(naming::feature(&method.group))
            .or_default()
            .push(method);
    }
    let (calls_v2, calls_v3) = call_trees(&by_feature);
    let paths = CallPaths::new(&by_feature, &calls_v2, &calls_v3);
    let mut modules = Namespace::with_reserved(&[
        "v3",
        "prelude",
        "error_code",
        "call",
        "calls",
        "file",
        "runtime",
        "filter",
    ]);
    let groups = by_feature
        .iter()
        .map(|(feature, methods)| {
            let module = modules.claim(snake(feature));
            let group = methods[0].group.clone();
            let entities: Vec<&Entity> = spec
                .entities
                .iter()
                .filter(|e| naming::feature(&e.group) == *feature)
                .collect();
            let mut builder = GroupBuilder {
                errors: &errors,
                log: &mut type_log,
                paths: &paths,
            };
            let (v2, entities) = builder.module(methods, ApiVersion::V2, &entities, &group);
            let (v3, _) = builder.module(methods, ApiVersion::V3, &[], &group);
            GroupModel {
                group,
                feature: feature.clone(),
                module,
                v2,
                v3,
                entities,
            }
        })
        .collect();
    let mut groups: Vec<GroupModel> = groups;
    link_replacements(&mut groups);
    let events = crate::events::build(spec, &mut type_log);
    let source = format!("{}@{}", spec.snapshot.repo, spec.snapshot.commit);
    CrateModel {
        groups,
        errors,
        type_log,
        source,
        calls_v2,
        calls_v3,
        events,
    }
}

/// A deprecated method's rustdoc links its replacement's request type.
fn link_replacements(groups: &mut [GroupModel]) {
    let mut links = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        for api in [ApiVersion::V2, ApiVersion::V3] {
            for (i, m) in group.methods(api).iter().enumerate() {
                let Some((r_api, (rg, ri))) = m.replacement else {
                    continue;
                };
                let target = &groups[rg];
                let Some(r) = target.methods(r_api).get(ri) else {
                    continue;
                };
                let path = match r_api {
                    ApiVersion::V2 => format!("crate::{}::{}", target.module, r.type_name),
                    ApiVersion::V3 => format!("crate::v3::{}::{}", target.module, r.type_name),
                };
                let feature = &target.feature;
                links.push((
                    g,
                    api,
                    i,
                    format!("Use [`{path}`] instead (feature `{feature}`)."),
                ));
            }
        }
    }
    for (g, api, i, line) in links {
        let m = match api {
            ApiVersion::V2 => &mut groups[g].v2[i],
            ApiVersion::V3 => &mut groups[g].v3[i],
        };
        if let Some(at) = m
            .request
            .doc
            .iter()
            .position(|l| l.starts_with("**Deprecated:**"))
        {
            m.request.doc.insert(at + 1, String::new());
            m.request.doc.insert(at + 2, line.clone());
            m.doc = m.request.doc.clone();
        }
    }
}

/// The methods of one API version of a group, in the order the group's model keeps them.
fn of_api<'a>(methods: &[&'a Method], api: ApiVersion) -> Vec<&'a Method> {
    methods.iter().copied().filter(|m| m.api == api).collect()
}

/// The accessor trees of both API versions (see [`crate::calls`]).
fn call_trees(by_feature: &BTreeMap<String, Vec<&Method>>) -> (CallTree, CallTree) {
    let mut placed = [Vec::new(), Vec::new()];
    for (group, (feature, methods)) in by_feature.iter().enumerate() {
        for (slot, api) in [ApiVersion::V2, ApiVersion::V3].into_iter().enumerate() {
            for (index, m) in of_api(methods, api).into_iter().enumerate() {
                placed[slot].push(Placed {
                    wire: &m.method,
                    feature,
                    method: (group, index),
                });
            }
        }
    }
    let mut types = Namespace::with_reserved(RESERVED_TYPES);
    let v2 = calls::tree(&placed[0], "", &mut types);
    let v3 = calls::tree(&placed[1], "V3", &mut types);
    (v2, v3)
}

/// Every method's Rust call and request type path, by API version and case-folded wire name.
struct CallPaths {
    by_wire: BTreeMap<(ApiVersion, String), (String, MethodRef)>,
}

impl CallPaths {
    fn new(by_feature: &BTreeMap<String, Vec<&Method>>, v2: &CallTree, v3: &CallTree) -> Self {
        let paths = calls::call_paths(v2, v3);
        let mut by_wire = BTreeMap::new();
        for (group, (_, methods)) in by_feature.iter().enumerate() {
            for api in [ApiVersion::V2, ApiVersion::V3] {
                for (index, m) in of_api(methods, api).into_iter().enumerate() {
                    let at = (group, index);
                    let call = paths.get(&(api, at)).cloned().unwrap_or_default();
                    by_wire.insert((api, m.method.to_ascii_lowercase()), (call, at));
                }
            }
        }
        CallPaths { by_wire }
    }

    /// The replacement method's place, for a link to its request type.
    fn replacement_ref(&self, api: ApiVersion, wire: &str) -> Option<(ApiVersion, MethodRef)> {
        [api, ApiVersion::V2, ApiVersion::V3]
            .into_iter()
            .find_map(|a| {
                self.by_wire
                    .get(&(a, wire.to_ascii_lowercase()))
                    .map(|(_, at)| (a, *at))
            })
    }

    fn call(&self, api: ApiVersion, wire: &str) -> Option<&str> {
        self.by_wire
            .get(&(api, wire.to_ascii_lowercase()))
            .map(|(call, _)| call.as_str())
    }

    /// The Rust call replacing a deprecated method: the same API version first.
    fn replacement(&self, api: ApiVersion, wire: &str) -> Option<&str> {
        let other = match api {
            ApiVersion::V2 => ApiVersion::V3,
            ApiVersion::V3 => ApiVersion::V2,
        };
        self.call(api, wire).or_else(|| self.call(other, wire))
    }
}

struct GroupBuilder<'a> {
    errors: &'a ErrorCatalogue,
    log: &'a mut TypeLog,
    paths: &'a CallPaths,
}

impl GroupBuilder<'_> {
    /// The methods of one API version in one module: method types are named before nested ones,
    /// so a method never loses its name to another method's field struct.
    /// Entity types are named after the methods and before any nested type.
    fn module(
        &mut self,
        methods: &[&Method],
        api: ApiVersion,
        entities: &[&Entity],
        group: &str,
    ) -> (Vec<MethodModel>, Vec<EntityModel>) {
        let methods = of_api(methods, api);
        let mut types = Namespace::with_reserved(RESERVED_TYPES);
        let names: Vec<String> = methods
            .iter()
            .map(|m| types.claim(pascal(&short_name(m))))
            .collect();
        let mut named = entities::name_entities(entities, group, &mut types);
        let evidence = if entities.is_empty() {
            Evidence::default()
        } else {
            self.evidence(&methods, &names, &types, &named)
        };
        entities::build_entities(&mut named, entities, &evidence, self.log);
        let mut models: Vec<MethodModel> = methods
            .iter()
            .zip(names)
            .map(|(m, type_name)| self.method(m, type_name, &mut types, &named))
            .collect();
        list_items::share_get_items(&mut models, &methods);
        (models, named.models)
    }

    /// How each method that an entity type could replace types the entity's fields itself (its
    /// response; the first of [`own_entity_fields`]), and the pattern members it documents: a
    /// first pass over the methods without shared types, in a scratch namespace.
    fn evidence(
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

    fn method(
        &mut self,
        m: &Method,
        type_name: String,
        types: &mut Namespace,
        entities: &GroupEntities,
    ) -> MethodModel {
        let mut nested = Vec::new();
        let mut ctx = StructCtx {
            log: self.log,
            types,
            nested: &mut nested,
            source: &m.source,
            entities,
            method: Some(m),
        };
        let mut request_fields = ctx.param_fields(&type_name, &m.params, Role::Request);
        let response = ctx.response(&type_name, m);
        let one_of = one_of_indices(m);
        for i in one_of.iter().flatten() {
            // Members of an alternative are set by its constructor, never positional.
            request_fields[*i].required = false;
        }
        let call = self
            .paths
            .call(m.api, &m.method)
            .unwrap_or_default()
            .to_owned();
        let deprecated = match &m.deprecated {
            b24_spec::Deprecation::Current => None,
            b24_spec::Deprecation::Deprecated {
                note, replacement, ..
            } => {
                let rust = replacement
                    .as_deref()
                    .and_then(|r| self.paths.replacement(m.api, r));
                Some(docs::deprecation_note(
                    note.as_deref(),
                    replacement.as_deref(),
                    rust,
                ))
            }
        };
        let replacement = match &m.deprecated {
            b24_spec::Deprecation::Deprecated {
                replacement: Some(r),
                ..
            } => self.paths.replacement_ref(m.api, r),
            _ => None,
        };
        let request = StructModel {
            name: type_name.clone(),
            doc: docs::method_doc(m, self.errors, &call, deprecated.as_deref()),
            fields: request_fields,
            role: Role::Request,
            one_of,
        };
        let mut errors: Vec<String> = Vec::new();
        for e in &m.errors {
            if let Some(v) = self.errors.variant(&e.code) {
                if !errors.iter().any(|x| x == v) {
                    errors.push(v.to_owned());
                }
            }
        }
        let list = list_model(m, &response, &nested, entities, &request.fields);
        MethodModel {
            wire: m.method.clone(),
            api: m.api,
            type_name,
            call,
            replacement,
            doc: request.doc.clone(),
            title: docs::title(m),
            request,
            nested,
            response,
            errors,
            deprecated,
            idempotent: is_read_method(&m.method),
            list,
        }
    }
}

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

/// The method's alternative parameter sets as indices of its top-level parameters.
fn one_of_indices(m: &Method) -> Vec<Vec<usize>> {
    m.one_of
        .iter()
        .map(|set| {
            set.iter()
                .filter_map(|name| m.params.iter().position(|p| &p.name == name))
                .collect()
        })
        .collect()
}

/// The wire name without the group prefix (`crm.deal.add` in `crm` → `deal.add`).
fn short_name(m: &Method) -> String {
    match m.method.split_once('.') {
        Some((head, rest)) if head.eq_ignore_ascii_case(&m.group) && !rest.is_empty() => {
            rest.to_owned()
        }
        _ => m.method.clone(),
    }
}

/// Reads that are safe to repeat, judged by the last segment of the name (the runtime's rule for
/// raw calls, applied at generation time so the constant is exact and free).
fn is_read_method(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    const READS: [&str; 8] = [
        "get", "list", "fields", "search", "count", "current", "info", "getlist",
    ];
    READS.contains(&last.as_str()) || last.starts_with("get") || last.ends_with("list")
}

struct StructCtx<'a> {
    log: &'a mut TypeLog,
    types: &'a mut Namespace,
    nested: &'a mut Vec<StructModel>,
    source: &'a str,
    entities: &'a GroupEntities,
    /// The method whose structs these are (`None` for event payloads).
    method: Option<&'a Method>,
}

impl StructCtx<'_> {
    fn param_fields(&mut self, owner: &str, params: &[Param], role: Role) -> Vec<FieldModel> {
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
    fn response(&mut self, owner: &str, m: &Method) -> RustType {
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
        let fits = examples.iter().all(|o| {
            entity_fit::shares_a_key(entity_fields, o)
                && entity_fit::object_fits(entity_fields, o, Direction::Response, &lookup)
        });
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
            let objects: Vec<&serde_json::Map<String, serde_json::Value>> = match value {
                Some(serde_json::Value::Array(items)) => items
                    .iter()
                    .filter_map(serde_json::Value::as_object)
                    .collect(),
                Some(serde_json::Value::Object(o)) => vec![o],
                _ => Vec::new(),
            };
            let fits = !objects.is_empty()
                && objects.iter().all(|o| {
                    entity_fit::shares_a_key(fields, o)
                        && entity_fit::object_fits(fields, o, Direction::Response, &lookup)
                });
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
        match b24_spec::result_layout(result) {
            ResultLayout::Nothing => RustType::Json,
            ResultLayout::Whole(at) => {
                let only = &result[at];
                let nested = self.nested_output(&format!("{owner}Result"), &only.fields, &only.ty);
                match rust_type_on_wire(only.ty.as_ref(), nested.as_deref(), only.wire, self.log) {
                    // A whole result goes through plain serde, which has no "Y"/"N" bool.
                    RustType::YesNo => RustType::YesNoResult,
                    other => other,
                }
            }
            ResultLayout::Members(rows) => {
                let fields: Vec<ResultField> = rows.iter().map(|i| result[*i].clone()).collect();
                let name = self.output_struct(format!("{owner}Result"), &fields, owner);
                match m.result_wire {
                    Some(Wire::Array) => RustType::Vec(Box::new(RustType::Struct(name))),
                    _ => RustType::Struct(name),
                }
            }
        }
    }

    fn nested_output(
        &mut self,
        wanted: &str,
        fields: &[ResultField],
        ty: &Option<TypeExpr>,
    ) -> Option<String> {
        if fields.is_empty() || is_scalar(ty.as_ref()) {
            return None;
        }
        Some(self.output_struct(wanted.to_owned(), fields, wanted))
    }

    fn output_struct(&mut self, wanted: String, fields: &[ResultField], owner: &str) -> String {
        let name = self.types.claim(wanted);
        let mut idents = Namespace::with_reserved(RESERVED_FIELDS);
        let fields = fields
            .iter()
            .map(|f| {
                let nested =
                    self.nested_output(&format!("{name}{}", pascal(&f.name)), &f.fields, &f.ty);
                let pattern = pattern_prefix(f.pattern, &f.name);
                let mut doc = docs::markdown_lines(&f.description, self.source);
                if let Some(prefix) = &pattern {
                    push_para(&mut doc, &pattern_doc(prefix));
                }
                FieldModel {
                    wire: f.name.clone(),
                    ident: idents.claim(field_ident(&f.name, pattern.as_deref())),
                    ty: rust_type_on_wire(f.ty.as_ref(), nested.as_deref(), f.wire, self.log),
                    required: false,
                    pattern,
                    doc,
                    read_only: false,
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
}

/// A list method's streaming facts: a `list`/`getlist` method whose `result` is the item array,
/// or an object with exactly one array member (`items`, `tasks`).
fn list_model(
    m: &Method,
    response: &RustType,
    nested: &[StructModel],
    entities: &GroupEntities,
    params: &[FieldModel],
) -> Option<ListModel> {
    let verb = m.method.rsplit('.').next()?.to_ascii_lowercase();
    if verb != "list" && verb != "getlist" {
        return None;
    }
    let (item, items_key) = match response {
        RustType::Vec(inner) => ((**inner).clone(), None),
        RustType::Struct(name) => {
            let s = nested.iter().find(|s| &s.name == name)?;
            let mut arrays = s.fields.iter().filter(|f| matches!(f.ty, RustType::Vec(_)));
            let only = arrays.next()?;
            if arrays.next().is_some() {
                return None;
            }
            let RustType::Vec(inner) = &only.ty else {
                return None;
            };
            ((**inner).clone(), Some(only.wire.clone()))
        }
        _ => return None,
    };
    let takes = |name: &str| params.iter().any(|p| p.wire.eq_ignore_ascii_case(name));
    let item_has_id = match &item {
        RustType::Struct(name) => {
            let fields = nested
                .iter()
                .find(|s| &s.name == name)
                .map(|s| &s.fields)
                .or_else(|| entities.fields_of(name));
            fields.is_some_and(|fs| fs.iter().any(|f| f.wire == "ID"))
        }
        _ => false,
    };
    let fast = m.api == ApiVersion::V2
        && items_key.is_none()
        && takes("filter")
        && takes("order")
        && takes("start")
        && item_has_id;
    Some(ListModel {
        item,
        items_key,
        id_field: fast.then(|| "ID".to_owned()),
    })
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
    fn objects_in(v: &serde_json::Value) -> Vec<&serde_json::Map<String, serde_json::Value>> {
        match v {
            serde_json::Value::Object(o) => vec![o],
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(serde_json::Value::as_object)
                .collect(),
            _ => Vec::new(),
        }
    }
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
    )
}

fn push_para(doc: &mut Vec<String>, text: &str) {
    if !doc.is_empty() {
        doc.push(String::new());
    }
    doc.push(text.to_owned());
}
