//! Spec → emit model: groups methods by feature, names every type, field and function once,
//! maps documented types to Rust and assembles the docs.

use std::collections::BTreeMap;

use b24_spec::{ApiVersion, Method, Param, ResultField, ResultLayout, Spec, TypeExpr, Wire};

use crate::docs;
use crate::error_catalogue::ErrorCatalogue;
use crate::model::{CrateModel, FieldModel, GroupModel, MethodModel, Role, StructModel};
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
    let mut modules =
        Namespace::with_reserved(&["v3", "prelude", "error_code", "call", "file", "runtime"]);
    let groups = by_feature
        .into_iter()
        .map(|(feature, methods)| {
            let module = modules.claim(snake(&feature));
            let accessor = pascal(&feature);
            let mut builder = GroupBuilder {
                errors: &errors,
                log: &mut type_log,
                accessor: &accessor,
            };
            let v2 = builder.module(&methods, ApiVersion::V2);
            let v3 = builder.module(&methods, ApiVersion::V3);
            GroupModel {
                group: methods[0].group.clone(),
                feature,
                module,
                accessor,
                v2,
                v3,
            }
        })
        .collect();
    let source = format!("{}@{}", spec.snapshot.repo, spec.snapshot.commit);
    CrateModel {
        groups,
        errors,
        type_log,
        source,
    }
}

struct GroupBuilder<'a> {
    errors: &'a ErrorCatalogue,
    log: &'a mut TypeLog,
    accessor: &'a str,
}

impl GroupBuilder<'_> {
    /// The methods of one API version in one module: method types are named before nested ones,
    /// so a method never loses its name to another method's field struct.
    fn module(&mut self, methods: &[&Method], api: ApiVersion) -> Vec<MethodModel> {
        let methods: Vec<&Method> = methods.iter().copied().filter(|m| m.api == api).collect();
        let mut reserved = RESERVED_TYPES.to_vec();
        reserved.push(self.accessor);
        let mut types = Namespace::with_reserved(&reserved);
        let mut fns = Namespace::with_reserved(&["new", "client"]);
        let names: Vec<(String, String)> = methods
            .iter()
            .map(|m| {
                let short = short_name(m);
                (types.claim(pascal(&short)), fns.claim(snake(&short)))
            })
            .collect();
        methods
            .iter()
            .zip(names)
            .map(|(m, (type_name, fn_name))| self.method(m, type_name, fn_name, &mut types))
            .collect()
    }

    fn method(
        &mut self,
        m: &Method,
        type_name: String,
        fn_name: String,
        types: &mut Namespace,
    ) -> MethodModel {
        let mut nested = Vec::new();
        let mut ctx = StructCtx {
            log: self.log,
            types,
            nested: &mut nested,
            source: &m.source,
        };
        let mut request_fields = ctx.param_fields(&type_name, &m.params, Role::Request);
        let response = ctx.response(&type_name, m);
        let one_of = one_of_indices(m);
        for i in one_of.iter().flatten() {
            // Members of an alternative are set by its constructor, never positional.
            request_fields[*i].required = false;
        }
        let request = StructModel {
            name: type_name.clone(),
            doc: docs::method_doc(m, self.errors),
            fields: request_fields,
            role: Role::Request,
            one_of,
        };
        let deprecated = match &m.deprecated {
            b24_spec::Deprecation::Current => None,
            b24_spec::Deprecation::Deprecated {
                note, replacement, ..
            } => Some(docs::deprecation_note(
                note.as_deref(),
                replacement.as_deref(),
            )),
        };
        let mut errors: Vec<String> = Vec::new();
        for e in &m.errors {
            if let Some(v) = self.errors.variant(&e.code) {
                if !errors.iter().any(|x| x == v) {
                    errors.push(v.to_owned());
                }
            }
        }
        MethodModel {
            wire: m.method.clone(),
            api: m.api,
            type_name,
            fn_name,
            doc: request.doc.clone(),
            title: docs::title(m),
            request,
            nested,
            response,
            errors,
            deprecated,
            idempotent: is_read_method(&m.method),
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

struct StructCtx<'a> {
    log: &'a mut TypeLog,
    types: &'a mut Namespace,
    nested: &'a mut Vec<StructModel>,
    source: &'a str,
}

impl StructCtx<'_> {
    fn param_fields(&mut self, owner: &str, params: &[Param], role: Role) -> Vec<FieldModel> {
        let mut idents = Namespace::with_reserved(if role == Role::Request {
            RESERVED_SETTERS
        } else {
            RESERVED_FIELDS
        });
        params
            .iter()
            .map(|p| {
                let nested = self.nested_input(owner, p);
                let ty = rust_type_on_wire(p.ty.as_ref(), nested.as_deref(), p.wire, self.log);
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
                }
            })
            .collect()
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

    fn response(&mut self, owner: &str, m: &Method) -> RustType {
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
