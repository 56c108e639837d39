//! Reading a [`Method`] out of a method page.
//!
//! Each part of the page has its own module; this one only decides which items of the page
//! outline each of them sees and assembles the result.

pub mod ascii;
pub mod errors;
pub mod examples;
pub mod fields;
pub mod header;
pub mod nesting;
pub mod one_of;
pub mod outline;
pub mod paths;
pub mod patterns;
pub mod types;
pub mod unread;
pub mod values;
pub mod wire_name;
pub mod wire_shape;

use b24_spec::{Entity, EntityField, Examples, Method, Param, ResultField};

use crate::diagnostic::Sink;
use crate::page::Page;
use nesting::{FieldNode, FieldTable};
use outline::{Content, Item, Outline, Section};
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
    method_in(page, &outline::outline(&page.blocks), name, title, sink)
}

/// [`method`] with the page's outline already built (the corpus walk needs it again for the
/// parameters section's links; a page is flattened once).
pub fn method_in(
    page: &Page,
    outline: &Outline<'_>,
    name: MethodName,
    title: String,
    sink: &mut Sink,
) -> (Method, Vec<Entity>) {
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
    let mut params: Vec<Param> = params(outline, sink)
        .into_iter()
        .map(|node| to_param(node, &mut tables))
        .collect();
    let mut result = result(outline, sink);
    patterns::params(&mut params);
    patterns::result(&mut result);
    let one_of = one_of::one_of(&params, sink);
    let request = examples::request(&outline.items, sink);
    let response = examples::response(&outline.items, sink);
    if let Some((body, line)) = &request {
        wire_shape::params(&mut params, body, *line, sink);
    }
    let result_wire = response
        .as_ref()
        .and_then(|(body, line)| result_wire_shapes(&mut result, body, *line, sink));
    let mut method = Method {
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
        result,
        result_wire,
        errors: errors::errors(&outline.items, sink),
        system_errors: includes_system_errors(outline),
        examples: Examples {
            request: request.map(|(v, _)| v),
            response: response.map(|(v, _)| v),
            ..Examples::default()
        },
        one_of,
        patched: Vec::new(),
    };
    // Read here, on the page's worker while its text is in cache; only what the merge makes
    // later (parameters taken by reference, entities) is filled after it.
    values::fill_method(&mut method);
    (method, tables.found)
}

/// Matches the result table against the response example's `result`, laid out the way every
/// stage reads the table ([`b24_spec::result_layout`]).
fn result_wire_shapes(
    fields: &mut [ResultField],
    body: &serde_json::Value,
    line: u32,
    sink: &mut Sink,
) -> Option<b24_spec::Wire> {
    let result = body.get("result")?;
    match b24_spec::result_layout(fields) {
        b24_spec::ResultLayout::Nothing => None,
        b24_spec::ResultLayout::Whole(at) => {
            let wrapped = serde_json::json!({ "result": result });
            wire_shape::result(std::slice::from_mut(&mut fields[at]), &wrapped, line, sink);
            None
        }
        b24_spec::ResultLayout::Members(rows) => {
            let mut members: Vec<ResultField> = rows.iter().map(|i| fields[*i].clone()).collect();
            wire_shape::result(&mut members, result, line, sink);
            for (i, member) in rows.into_iter().zip(members) {
                fields[i] = member;
            }
            wire_shape::members_holder(result, line, sink)
        }
    }
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
    let items: Vec<&Item<'_>> = outline
        .items
        .iter()
        .filter(|i| in_scope(i.section))
        .collect();
    unread::report(&items, sink);
    let tables = nesting::field_tables(items.into_iter());
    build(&tables, outline, sink)
}

fn result(outline: &Outline<'_>, sink: &mut Sink) -> Vec<ResultField> {
    let items: Vec<&Item<'_>> = outline
        .items
        .iter()
        .filter(|i| i.section == Section::Response && !is_shared_errors(i.include))
        .collect();
    unread::report(&items, sink);
    let tables = nesting::field_tables(items.into_iter());
    build(&tables, outline, sink)
        .into_iter()
        .map(to_result)
        .collect()
}

/// Reads the first of `tables` with the others nested into it (paths and duplicates resolved):
/// the one way a page's fields become a tree, for methods and events alike.
pub(crate) fn build(
    tables: &[FieldTable<'_>],
    outline: &Outline<'_>,
    sink: &mut Sink,
) -> Vec<FieldNode> {
    match tables.split_first() {
        Some((top, rest)) => dedupe(paths::nest(nesting::build(top, rest, outline, sink)), sink),
        None => Vec::new(),
    }
}

/// A field listed twice among its siblings keeps its first row; the spec must stay valid.
fn dedupe(mut nodes: Vec<FieldNode>, sink: &mut Sink) -> Vec<FieldNode> {
    let first = first_of_their_names(&nodes);
    // Reported in page order, each duplicate before the rows under later siblings.
    for (node, first) in nodes.iter_mut().zip(&first) {
        if *first {
            node.children = dedupe(std::mem::take(&mut node.children), sink);
        } else {
            sink.report(
                node.row.line,
                crate::diagnostic::DiagnosticKind::ParamRow,
                format!("`{}` is listed twice; the first row is kept", node.row.name),
            );
        }
    }
    // Nodes move only when a duplicate is dropped, which few lists have.
    if first.contains(&false) {
        let mut keep = first.into_iter();
        nodes.retain(|_| keep.next().unwrap_or(true));
    }
    nodes
}

/// Which of `nodes` are the first of their name among them.
fn first_of_their_names(nodes: &[FieldNode]) -> Vec<bool> {
    // Most sibling lists hold a handful of rows (most none): comparing each name with the
    // earlier ones costs less than hashing them all into a set.
    if nodes.len() <= 16 {
        return nodes
            .iter()
            .enumerate()
            .map(|(i, n)| !nodes[..i].iter().any(|m| m.row.name == n.row.name))
            .collect();
    }
    let mut seen = std::collections::HashSet::with_capacity(nodes.len());
    nodes
        .iter()
        .map(|n| seen.insert(n.row.name.as_str()))
        .collect()
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
        ..Param::new("", None, false)
    }
}

fn to_result(node: FieldNode) -> ResultField {
    ResultField {
        name: node.row.name,
        ty: node.row.ty,
        description: node.row.description,
        fields: node.children.into_iter().map(to_result).collect(),
        ..ResultField::new("", None)
    }
}
