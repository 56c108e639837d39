//! Reading a [`Method`] out of a method page.
//!
//! Each part of the page has its own module; this one only decides which items of the page
//! outline each of them sees and assembles the result.

pub mod errors;
pub mod examples;
pub mod fields;
pub mod header;
pub mod nesting;
pub mod outline;
pub mod paths;
pub mod types;
pub mod wire_name;

use b24_spec::{Entity, EntityField, Examples, Method, Param, ResultField};

use crate::diagnostic::Sink;
use crate::page::Page;
use nesting::{FieldNode, FieldTable};
use outline::{Content, Outline, Section};
use wire_name::MethodName;

/// The fragment every method page includes for the shared system errors.
pub const SYSTEM_ERRORS_INCLUDE: &str = "_includes/system-errors.md";

/// Extracts the method a page documents, with the entity field tables its `select`/`filter`/
/// `order` parameters link to on the page.
pub fn method(
    page: &Page,
    name: MethodName,
    title: String,
    sink: &mut Sink,
) -> (Method, Vec<Entity>) {
    let outline = outline::outline(&page.blocks);
    let api = if wire_name::says_rest3(&page.blocks) {
        b24_spec::ApiVersion::V3
    } else {
        name.api
    };
    let group = group(&page.path);
    let mut tables = EntityTables {
        id: entity_id(&name.name),
        group: group.clone(),
        source: page.path.clone(),
        found: Vec::new(),
    };
    let params = params(&outline, sink)
        .into_iter()
        .map(|node| to_param(node, &mut tables))
        .collect();
    let method = Method {
        deprecated: header::deprecation(page, &name.name),
        method: name.name,
        api,
        group,
        title,
        scope: header::scopes(page),
        access: header::access(page),
        source: page.path.clone(),
        description: header::description(page),
        params,
        result: result(&outline, sink),
        errors: errors::errors(&outline.items, sink),
        system_errors: includes_system_errors(&outline),
        examples: Examples {
            request: examples::request(&outline.items, sink),
            response: examples::response(&outline.items, sink),
        },
    };
    (method, tables.found)
}

/// The entity a method works on: its name without the action (`crm.deal.list` → `crm.deal`).
pub fn entity_id(method: &str) -> String {
    match method.rsplit_once('.') {
        Some((entity, _)) => entity.to_owned(),
        None => method.to_owned(),
    }
}

/// Entity field tables met while converting parameters (at most one: the page's own entity).
struct EntityTables {
    id: String,
    group: String,
    source: String,
    found: Vec<Entity>,
}

impl EntityTables {
    /// Records `fields` as the page entity's table (the first table linked wins) and returns
    /// the id to refer to.
    fn record(&mut self, fields: Vec<FieldNode>) -> String {
        if self.found.is_empty() {
            self.found.push(Entity {
                id: self.id.clone(),
                group: self.group.clone(),
                source: self.source.clone(),
                fields: fields.into_iter().map(to_entity_field).collect(),
                used_by: Vec::new(),
            });
        }
        self.id.clone()
    }
}

fn to_entity_field(node: FieldNode) -> EntityField {
    EntityField {
        name: node.row.name,
        multiple: matches!(node.row.ty, Some(b24_spec::TypeExpr::Array(_))),
        ty: node.row.ty,
        description: node.row.description,
        read_only: false,
        required_on_add: node.row.required,
        values: Vec::new(),
    }
}

/// The API group: the folder under `api-reference/` (skipping an `outdated/` level).
pub fn group(path: &str) -> String {
    let mut parts = path.split('/').skip(1);
    let first = parts.next().unwrap_or("");
    match first {
        "outdated" => parts
            .next()
            .filter(|p| !p.ends_with(".md"))
            .unwrap_or(first),
        _ => first,
    }
    .to_owned()
}

/// Tables from the shared error fragments are never the page's own fields.
fn is_shared_errors(include: Option<&str>) -> bool {
    include.is_some_and(|target| {
        target.ends_with(SYSTEM_ERRORS_INCLUDE) || target.contains("error-info")
    })
}

fn includes_system_errors(outline: &Outline<'_>) -> bool {
    outline.items.iter().any(|i| {
        matches!(i.content, Content::Include { target, .. } if target.ends_with(SYSTEM_ERRORS_INCLUDE))
    })
}

fn params(outline: &Outline<'_>, sink: &mut Sink) -> Vec<FieldNode> {
    let has_params_section = outline.items.iter().any(|i| i.section == Section::Params);
    let in_scope = |s: Section| {
        if has_params_section {
            s == Section::Params
        } else {
            matches!(s, Section::Intro | Section::Other)
        }
    };
    let tables = nesting::field_tables(outline.items.iter().filter(|i| in_scope(i.section)));
    build(&tables, outline, sink)
}

fn result(outline: &Outline<'_>, sink: &mut Sink) -> Vec<ResultField> {
    let tables = nesting::field_tables(
        outline
            .items
            .iter()
            .filter(|i| i.section == Section::Response && !is_shared_errors(i.include)),
    );
    build(&tables, outline, sink)
        .into_iter()
        .map(to_result)
        .collect()
}

fn build(tables: &[FieldTable<'_>], outline: &Outline<'_>, sink: &mut Sink) -> Vec<FieldNode> {
    match tables.split_first() {
        Some((top, rest)) => dedupe(paths::nest(nesting::build(top, rest, outline, sink)), sink),
        None => Vec::new(),
    }
}

/// A field listed twice among its siblings keeps its first row; the spec must stay valid.
fn dedupe(nodes: Vec<FieldNode>, sink: &mut Sink) -> Vec<FieldNode> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for mut node in nodes {
        if !seen.insert(node.row.name.clone()) {
            sink.report(
                node.row.line,
                crate::diagnostic::DiagnosticKind::ParamRow,
                format!("`{}` is listed twice; the first row is kept", node.row.name),
            );
            continue;
        }
        node.children = dedupe(node.children, sink);
        out.push(node);
    }
    out
}

fn to_param(node: FieldNode, tables: &mut EntityTables) -> Param {
    let (fields, fields_ref) = if node.refers {
        (Vec::new(), Some(tables.record(node.children)))
    } else {
        let fields = node
            .children
            .into_iter()
            .map(|n| to_param(n, tables))
            .collect();
        (fields, None)
    };
    Param {
        name: node.row.name,
        ty: node.row.ty,
        required: node.row.required,
        description: node.row.description,
        default: node.row.default,
        fields,
        fields_ref,
    }
}

fn to_result(node: FieldNode) -> ResultField {
    ResultField {
        name: node.row.name,
        ty: node.row.ty,
        description: node.row.description,
        fields: node.children.into_iter().map(to_result).collect(),
    }
}
