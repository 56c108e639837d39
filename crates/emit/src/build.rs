//! Spec → emit model: groups methods by feature, names every type, field and function once,
//! maps documented types to Rust and assembles the docs.

use std::collections::BTreeMap;

use b24_spec::{ApiVersion, Method, Param, ResultField, Spec, TypeExpr};

use crate::docs;
use crate::error_catalogue::ErrorCatalogue;
use crate::model::{CrateModel, FieldModel, GroupModel, MethodModel, Role, StructModel};
use crate::naming::{self, pascal, snake, Namespace};
use crate::types::{rust_type, RustType, TypeLog};

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
/// Envelope keys some pages list beside `result`; the runtime strips the envelope.
const ENVELOPE_KEYS: &[&str] = &["time", "total", "next"];

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
        let request_fields = ctx.param_fields(&type_name, &m.params, Role::Request);
        let response = ctx.response(&type_name, &m.result);
        let request = StructModel {
            name: type_name.clone(),
            doc: docs::method_doc(m, self.errors),
            fields: request_fields,
            role: Role::Request,
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
                let ty = rust_type(p.ty.as_ref(), nested.as_deref(), self.log);
                let mut doc = docs::markdown_lines(&p.description, self.source);
                if p.required && role != Role::Request {
                    push_para(&mut doc, "Required.");
                }
                if let Some(default) = &p.default {
                    push_para(&mut doc, &format!("Default: `{}`.", default.trim()));
                }
                FieldModel {
                    wire: p.name.clone(),
                    ident: idents.claim(snake(&p.name)),
                    ty,
                    required: p.required && role == Role::Request,
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
        });
        Some(name)
    }

    fn response(&mut self, owner: &str, result: &[ResultField]) -> RustType {
        let body: Vec<&ResultField> = result
            .iter()
            .filter(|f| !ENVELOPE_KEYS.contains(&f.name.as_str()))
            .collect();
        match body.as_slice() {
            [] => RustType::Json,
            [only] if only.name == "result" => {
                let nested = self.nested_output(&format!("{owner}Result"), &only.fields, &only.ty);
                rust_type(only.ty.as_ref(), nested.as_deref(), self.log)
            }
            _ => {
                // Pages often list `result` (an untyped object) and then its members as
                // siblings in the same table: the siblings are what `result` holds.
                let wrapper = body
                    .iter()
                    .find(|f| f.name == "result" && f.fields.is_empty());
                let fields: Vec<ResultField> = body
                    .iter()
                    .filter(|f| wrapper.is_none() || f.name != "result")
                    .map(|f| (*f).clone())
                    .collect();
                let name = self.output_struct(format!("{owner}Result"), &fields, owner);
                RustType::Struct(name)
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
                FieldModel {
                    wire: f.name.clone(),
                    ident: idents.claim(snake(&f.name)),
                    ty: rust_type(f.ty.as_ref(), nested.as_deref(), self.log),
                    required: false,
                    doc: docs::markdown_lines(&f.description, self.source),
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
        });
        name
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
