//! Spec → emit model: groups methods by feature, names every type, field and function once,
//! maps documented types to Rust and assembles the docs.

use std::collections::BTreeMap;

use b24_spec::{ApiVersion, Entity, Method, Spec};

use crate::calls::{self, CallTree, MethodRef, Placed};
use crate::docs;
use crate::entities::{self, EntityModel, Evidence, GroupEntities};
use crate::error_catalogue::ErrorCatalogue;
use crate::list_items;
use crate::model::{CrateModel, GroupModel, MethodModel, Role, StructModel};
use crate::naming::{self, pascal, snake, Namespace};
use crate::types::TypeLog;

mod evidence;
mod list_model;
mod structs;

use list_model::list_model;
pub(crate) use structs::payload_structs;
use structs::StructCtx;

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
        "date",
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
                enums: Vec::new(),
            }
        })
        .collect();
    let mut groups: Vec<GroupModel> = groups;
    groups.iter_mut().for_each(crate::enums::assign);
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
                // A group crate links its own types; another group's type is named as users
                // write it, since that crate is not a dependency.
                let v3 = if r_api == ApiVersion::V3 { "v3::" } else { "" };
                let line = if rg == g {
                    format!("Use [`crate::{v3}{}`] instead.", r.type_name)
                } else {
                    format!(
                        "Use `bitrix24::{v3}{}::{}` instead (feature `{}`).",
                        target.module, r.type_name, target.feature
                    )
                };
                links.push((g, api, i, line));
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
