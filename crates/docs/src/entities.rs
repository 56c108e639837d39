//! Entity field tables for the spec, assembled once every method is known.
//!
//! Three sources, the first winning for an id:
//! - a `*.fields` method (`crm.deal.fields` → entity `crm.deal`): its response example maps
//!   each field to a description object (`type`, `isRequired`, `isReadOnly`, `isMultiple`,
//!   `title`, `items`), the only place the docs give those flags; when the example has no such
//!   map, the fields its result table nests under `result`;
//! - the fields table a list page's `select`/`filter`/`order` link to on the page (collected
//!   by the extractor as the page is read);
//! - a reference page of field tables that methods link to from parameter or result
//!   descriptions (`crm/universal/object-fields.md` → `crm.item`), named after the linking
//!   methods ([`crate::reference_pages`] has the rule).
//!
//! Then references: a parameter whose description links to an entity's page refers to it
//! (`fields_ref`, nesting untouched), and every `fields_ref` is listed in the entity's
//! `used_by`, as is every result field without members whose description links to an entity's
//! page (`result.item`; results carry no `fields_ref`). A reference to an id no table was found for is dropped with a diagnostic, so the
//! spec never names a missing entity.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use b24_spec::{Entity, EntityField, EntityUse, Method, Param, ResultField, TypeExpr};
use memchr::memmem;
use rayon::prelude::*;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::extract::types;
use crate::markdown::includes::resolve as resolve_path;
use crate::reference_pages::{self, ReferenceTable};

/// The method suffix that documents an entity's fields.
const FIELDS_METHOD: &str = ".fields";

/// Builds the entities and sets `fields_ref`/`used_by`; `page_tables` are the tables pages
/// link their query parameters to, `references` the reference pages' tables.
pub fn assemble(
    methods: &mut [Method],
    page_tables: Vec<Entity>,
    references: Vec<ReferenceTable>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Entity> {
    let mut entities: BTreeMap<String, Entity> = BTreeMap::new();
    for method in methods.iter() {
        if let Some(entity) = from_fields_method(method) {
            entities.entry(entity.id.clone()).or_insert(entity);
        }
    }
    for entity in page_tables {
        entities.entry(entity.id.clone()).or_insert(entity);
    }
    for (id, reference) in name_references(methods, references) {
        if let std::collections::btree_map::Entry::Vacant(slot) = entities.entry(id) {
            let group = crate::extract::group(&reference.source);
            diagnostics.extend(reference.diagnostics);
            let id = slot.key().clone();
            slot.insert(Entity {
                id,
                group,
                source: reference.source,
                fields: reference.fields,
                used_by: Vec::new(),
            });
        }
    }
    let by_source: HashMap<String, String> = entities
        .values()
        .map(|e| (e.source.clone(), e.id.clone()))
        .collect();
    // Each method's links are resolved on their own, in parallel (this runs after the
    // parallel page walk, where serial work leaves a core idle); what they add to the
    // entities and the diagnostics is applied in method order.
    let known = |id: &str| entities.contains_key(id);
    let found: Vec<(Vec<PathAndId>, Vec<PathAndId>)> = methods
        .par_iter_mut()
        .map(|method| {
            let source = method.source.clone();
            link_descriptions(&mut method.params, &source, &by_source);
            let mut uses = Vec::new();
            let mut missing = Vec::new();
            collect_uses(
                &mut method.params,
                "params",
                &known,
                &mut uses,
                &mut missing,
            );
            result_uses(
                &method.result,
                "result",
                &method.source,
                &by_source,
                &mut uses,
            );
            (uses, missing)
        })
        .collect();
    for (method, (uses, missing)) in methods.iter().zip(found) {
        for (path, id) in missing {
            diagnostics.push(dangling(method, &path, &id));
        }
        for (path, id) in uses {
            if let Some(entity) = entities.get_mut(&id) {
                entity.used_by.push(EntityUse {
                    method: method.method.clone(),
                    api: method.api,
                    path,
                });
            }
        }
    }
    let mut out: Vec<Entity> = entities.into_values().collect();
    for entity in &mut out {
        entity.used_by.sort();
        entity.used_by.dedup();
    }
    out
}

fn from_fields_method(method: &Method) -> Option<Entity> {
    let id = method.method.strip_suffix(FIELDS_METHOD)?;
    let fields = method
        .examples
        .response
        .as_ref()
        .and_then(from_example)
        .filter(|f| !f.is_empty())
        .or_else(|| from_result(&method.result))?;
    Some(Entity {
        id: id.to_owned(),
        group: method.group.clone(),
        source: method.source.clone(),
        fields,
        used_by: Vec::new(),
    })
}

/// `{"result": {"ID": {"type": "integer", "isReadOnly": true, ...}, ...}}`.
fn from_example(response: &Value) -> Option<Vec<EntityField>> {
    let map = response.get("result")?.as_object()?;
    let fields: Vec<EntityField> = map
        .iter()
        .filter_map(|(name, d)| Some((name, d.as_object()?)))
        .filter(|(_, d)| d.contains_key("type"))
        .map(|(name, d)| {
            let flag = |key: &str| d.get(key).is_some_and(truthy);
            EntityField {
                name: name.clone(),
                ty: d
                    .get("type")
                    .and_then(Value::as_str)
                    .and_then(|t| types::normalise(t).ok().flatten()),
                description: d
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                read_only: flag("isReadOnly"),
                required_on_add: flag("isRequired"),
                multiple: flag("isMultiple"),
                values: values(d.get("items")),
            }
        })
        .collect();
    Some(fields)
}

/// Flags come as booleans or as `"Y"`/`"N"` strings.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s == "Y" || s == "true",
        Value::Number(n) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// `items: [{"ID": "1", "VALUE": "..."}]` lists the closed set of values by their ids.
fn values(items: Option<&Value>) -> Vec<b24_spec::ClosedValue> {
    use crate::extract::values;
    use b24_spec::Scalar;
    let Some(Value::Array(items)) = items else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item.get("ID").or_else(|| item.get("id"))? {
            Value::String(s) => Some(values::item(Scalar::Text(s.clone()), item)),
            Value::Number(n) => Some(values::item(Scalar::Text(n.to_string()), item)),
            _ => None,
        })
        .collect()
}

/// The fields a result table nests under `result`, or its top-level fields besides `time`.
fn from_result(result: &[ResultField]) -> Option<Vec<EntityField>> {
    let mut fields: Vec<&ResultField> = match result.iter().find(|r| r.name == "result") {
        Some(r) if !r.fields.is_empty() => r.fields.iter().collect(),
        Some(_) => return None,
        None => result.iter().filter(|r| r.name != "time").collect(),
    };
    // `result.fields.{...}`: a lone wrapper object holds the field list.
    while let [only] = fields.as_slice() {
        if only.fields.is_empty() {
            break;
        }
        fields = only.fields.iter().collect();
    }
    let out: Vec<EntityField> = fields
        .into_iter()
        .map(|r| EntityField {
            name: r.name.clone(),
            multiple: matches!(r.ty, Some(TypeExpr::Array(_))),
            ty: r.ty.clone(),
            description: r.description.clone(),
            read_only: false,
            required_on_add: false,
            values: Vec::new(),
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

/// The reference pages some method links to from a parameter or result description, with the
/// id the linking methods give them ([`reference_pages::name`]); pages no method links to, or
/// whose linking methods share no entity, are dropped.
fn name_references(
    methods: &[Method],
    references: Vec<ReferenceTable>,
) -> Vec<(String, ReferenceTable)> {
    let mut linkers: HashMap<String, Vec<String>> = references
        .iter()
        .map(|r| (r.source.clone(), Vec::new()))
        .collect();
    // The links are read per method in parallel (every description of every method is
    // scanned) and counted in method order, which decides the name.
    let linked: Vec<(String, Vec<String>)> = methods
        .par_iter()
        .map(|method| {
            let mut texts = Vec::new();
            query_descriptions(&method.params, &mut texts);
            result_descriptions(&method.result, &mut texts);
            let pages = texts
                .into_iter()
                .flat_map(linked_pages)
                .filter(|href| !href.contains('#'))
                .filter_map(|href| resolve_path(&method.source, href))
                .collect();
            (crate::extract::entity_id(&method.method), pages)
        })
        .collect();
    for (id, pages) in linked {
        for page in pages {
            if let Some(ids) = linkers.get_mut(&page) {
                ids.push(id.clone());
            }
        }
    }
    references
        .into_iter()
        .filter_map(|r| {
            let id = reference_pages::name(linkers[&r.source].iter().map(String::as_str))?;
            Some((id, r))
        })
        .collect()
}

/// The descriptions of `select`/`filter`/`order` at any depth: the parameters that name the
/// method's own entity's fields. Other parameters link to the structure of their own value
/// (`layout`, `keyboard`), which is not the method's entity.
fn query_descriptions<'a>(params: &'a [Param], out: &mut Vec<&'a str>) {
    for param in params {
        if nested_query(param) {
            out.push(&param.description);
        }
        query_descriptions(&param.fields, out);
    }
}

fn result_descriptions<'a>(fields: &'a [ResultField], out: &mut Vec<&'a str>) {
    for field in fields {
        out.push(&field.description);
        result_descriptions(&field.fields, out);
    }
}

/// Result fields without members whose description links to an entity's page, by path.
fn result_uses(
    fields: &[ResultField],
    prefix: &str,
    source: &str,
    by_source: &HashMap<String, String>,
    out: &mut Vec<(String, String)>,
) {
    // As in `collect_uses`, a path is spelled out only where it is recorded or leads further
    // down: this walks every result field of every method.
    for field in fields {
        let path = || format!("{prefix}.{}", field.name);
        if field.fields.is_empty() {
            let entity = linked_pages(&field.description)
                .filter_map(|href| resolve_path(source, href))
                .find_map(|page| by_source.get(&page).cloned());
            if let Some(id) = entity {
                out.push((path(), id));
            }
        } else {
            result_uses(&field.fields, &path(), source, by_source, out);
        }
    }
}

/// A parameter whose description links to an entity's page refers to that entity.
fn link_descriptions(params: &mut [Param], source: &str, by_source: &HashMap<String, String>) {
    for param in params {
        if param.fields_ref.is_none() {
            param.fields_ref = linked_pages(&param.description)
                .filter_map(|href| resolve_path(source, href))
                .find_map(|page| by_source.get(&page).cloned())
                .filter(|_| param.fields.is_empty() || nested_query(param));
        }
        link_descriptions(&mut param.fields, source, by_source);
    }
}

/// Nested members stay members: only a query parameter, or one with no members, is read as a
/// reference (a `fields` object whose members are listed keeps them and gains no reference).
fn nested_query(param: &Param) -> bool {
    crate::extract::nesting::is_query_param(&param.name)
}

/// `](target.md...)` link targets in markdown text, with any `#anchor`.
fn linked_pages(text: &str) -> impl Iterator<Item = &str> {
    // Every description of every method is scanned, after the parallel page walk: one
    // prebuilt searcher instead of a `str::split` pattern set up per text. Each link target
    // runs to its `)`, and never past the next `](` (as `split("](")` would cut it).
    static OPENER: OnceLock<memmem::Finder<'static>> = OnceLock::new();
    let opener = OPENER.get_or_init(|| memmem::Finder::new("]("));
    let mut starts = opener
        .find_iter(text.as_bytes())
        .map(|at| at + 2)
        .peekable();
    std::iter::from_fn(move || loop {
        let start = starts.next()?;
        let end = starts.peek().map_or(text.len(), |next| next - 2);
        let rest = &text[start..end];
        let href = memchr::memchr(b')', rest.as_bytes()).map_or(rest, |close| &rest[..close]);
        let page = memchr::memchr(b'#', href.as_bytes()).map_or(href, |hash| &href[..hash]);
        if page.ends_with(".md") && !page.contains("://") {
            return Some(href);
        }
    })
}

/// `fields_ref`s by path; those naming no known entity are cleared and listed in `missing`.
/// A parameter path (`params.filter`) and the entity id it refers to.
type PathAndId = (String, String);

fn collect_uses(
    params: &mut [Param],
    prefix: &str,
    known: &(dyn Fn(&str) -> bool + Sync),
    out: &mut Vec<(String, String)>,
    missing: &mut Vec<(String, String)>,
) {
    // Paths are spelled out only where they are recorded or lead further down: this walks
    // every parameter of every method.
    for param in params {
        let path = || format!("{prefix}.{}", param.name);
        if let Some(id) = param.fields_ref.take() {
            if known(&id) {
                out.push((path(), id.clone()));
                param.fields_ref = Some(id);
            } else {
                missing.push((path(), id));
            }
        }
        if !param.fields.is_empty() {
            let path = path();
            collect_uses(&mut param.fields, &path, known, out, missing);
        }
    }
}

fn dangling(method: &Method, path: &str, id: &str) -> Diagnostic {
    Diagnostic {
        file: method.source.clone(),
        line: 0,
        kind: DiagnosticKind::UnresolvedReference,
        message: format!("{path} refers to entity `{id}`, whose fields are not documented"),
    }
}

#[cfg(test)]
mod tests {
    use super::linked_pages;

    /// The reading `linked_pages` replaced: split at every `](`, cut at `)` and `#`.
    fn by_split(text: &str) -> Vec<&str> {
        text.split("](")
            .skip(1)
            .filter_map(|rest| {
                let href = rest.split(')').next()?;
                let page = href.split('#').next()?;
                (page.ends_with(".md") && !page.contains("://")).then_some(href)
            })
            .collect()
    }

    #[test]
    fn link_targets_are_read_as_split_reads_them() {
        for text in [
            "",
            "no links",
            "See [fields](../fields.md) and [more](./more.md#list).",
            "[a](a.md)[b](b.md)",
            "[x](a.md](b.md)",
            "[x](](](c.md",
            "[web](https://example.com/x.md) [up](../x.md#)",
            "[open](unclosed.md",
            "тип — [поля](поля.md), [x](y.txt)",
        ] {
            assert_eq!(
                linked_pages(text).collect::<Vec<_>>(),
                by_split(text),
                "{text}"
            );
        }
    }
}
