//! Reference pages: pages that are not method pages and consist of field tables ("CRM Object
//! Fields"), which method pages send the reader to from a parameter or result description
//! ("Information about the item, [field description](./object-fields.md)").
//!
//! Each such page is read, as the corpus is walked, into a [`ReferenceTable`]: a candidate
//! entity with no id. It becomes an entity only when [`entities::assemble`] finds methods that
//! link to it, and it is named after them. A link counts when it points at the whole page (no
//! `#anchor`: a section of a page listing several objects is that section's object, not the
//! page's) from the description of a result field or of a `select`/`filter`/`order` parameter
//! (those name the method's own entity's fields; any other parameter linking a page, such as
//! `layout` or `keyboard`, links the structure of its own value).
//!
//! **Naming rule.** Each linking method names the entity it works on
//! ([`crate::extract::entity_id`]: `crm.item.list` → `crm.item`); the reference page's entity
//! is the longest dot-segment prefix those ids share, and only when that prefix has at least
//! two segments (`crm.item`, never the bare group `crm`). So `crm.item.get`, `.list`, `.add`
//! and `.update` linking `object-fields.md` name it `crm.item`, while a shared types page
//! linked from all over a group (`crm/data-types.md`) names nothing and stays a page. An id
//! already taken by a `*.fields` method or a page's own linked table keeps that table.
//!
//! **What counts.** A page the classifier calls an overview (not a method, event or placement
//! page), whose every table outside included fragments is a fields table (at least one), is a
//! candidate. The entity's fields are the union of its tables in page order, the first row of a
//! name winning, except tables under a heading a row links to (`An object [user](#user)`):
//! those describe a member's object, and their rows are not the entity's fields. Pattern rows (`ufCrm...`, `parentId...`: [`patterns::glob`]) are skipped: an
//! [`EntityField`] names one key, and user fields are handled apart from entity tables. A field
//! is `multiple` when its type is an array or its description's first sentence says "array" or
//! "multiple"; `read_only` when its description says "read-only". The reading diagnostics of a
//! page are kept only when it becomes an entity, so overview pages no method links add none.
//!
//! [`entities::assemble`]: crate::entities::assemble

use std::collections::HashSet;

use b24_spec::{EntityField, TypeExpr};

use crate::diagnostic::{Diagnostic, Sink};
use crate::extract::outline::{self, Content};
use crate::extract::{fields, patterns};
use crate::page::{Block, Page};
use crate::page_kind::PageKind;

/// A reference page's fields, waiting for methods to link to it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceTable {
    /// The page, relative to the docs root.
    pub source: String,
    /// The union of its field tables.
    pub fields: Vec<EntityField>,
    /// What reading the tables reported; kept only if the page becomes an entity.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `page` as a reference page, when it is one (see the module docs).
pub fn read(page: &Page, kind: PageKind) -> Option<ReferenceTable> {
    // Most overview pages hold no table, or one that is not a fields table: the same
    // tables the outline would list answer that without building it.
    if kind != PageKind::Overview || !only_fields_tables(&page.blocks) {
        return None;
    }
    let outline = outline::outline(&page.blocks);
    let mut tables = Vec::new();
    for item in outline.items.iter().filter(|i| i.include.is_none()) {
        if let Content::Table { rows, .. } = &item.content {
            let section = item.headings.last().map(|h| {
                [h.anchor.clone(), Some(h.slug.clone())]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
            });
            tables.push((*rows, fields::layout(rows)?, section.unwrap_or_default()));
        }
    }
    let mut sink = Sink::new(page.path.clone());
    let read: Vec<(Vec<fields::FieldRow>, Vec<String>)> = tables
        .into_iter()
        .map(|(rows, layout, section)| (fields::read(rows, layout, &mut sink), section))
        .collect();
    // A table under a heading that a row links to (`An object [user](#user)`) describes
    // that member's object, not the entity: its rows are not the entity's fields.
    let linked: HashSet<String> = read
        .iter()
        .flat_map(|(rows, _)| rows.iter().flat_map(|r| r.anchors.iter().cloned()))
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (rows, section) in read {
        if section.iter().any(|a| linked.contains(a)) {
            continue;
        }
        for row in rows {
            if patterns::glob(&row.name).is_some() || !seen.insert(row.name.clone()) {
                continue;
            }
            out.push(EntityField {
                multiple: matches!(row.ty, Some(TypeExpr::Array(_)))
                    || says_multiple(&row.description),
                read_only: says_read_only(&row.description),
                name: row.name,
                ty: row.ty,
                description: row.description,
                required_on_add: false,
                values: Vec::new(),
            });
        }
    }
    (!out.is_empty()).then(|| ReferenceTable {
        source: page.path.clone(),
        fields: out,
        diagnostics: sink.items,
    })
}

/// True when `blocks` hold at least one table outside included fragments and every such
/// table is a fields table: the tables the page outline lists (lists and containers opened,
/// includes and tables inside cells left out), in the same order.
fn only_fields_tables(blocks: &[Block]) -> bool {
    fn walk(blocks: &[Block], found: &mut bool) -> bool {
        blocks.iter().all(|block| match block {
            Block::Table { rows, .. } => {
                *found = true;
                fields::layout(rows).is_some()
            }
            Block::List { items, .. } => items.iter().all(|item| walk(item, found)),
            Block::Container { blocks, .. } => walk(blocks, found),
            _ => true,
        })
    }
    let mut found = false;
    walk(blocks, &mut found) && found
}

/// The entity id the linking methods' entity ids share (see the module docs), if any.
pub fn name<'a>(ids: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut common: Option<Vec<&str>> = None;
    for id in ids {
        let segments: Vec<&str> = id.split('.').collect();
        common = Some(match common {
            None => segments,
            Some(prefix) => prefix
                .into_iter()
                .zip(segments)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    common.filter(|c| c.len() >= 2).map(|c| c.join("."))
}

/// "Array of multifields", "Multiple field": the first sentence says the value is a list.
fn says_multiple(description: &str) -> bool {
    let first = description
        .split(['.', '\n'])
        .next()
        .unwrap_or_default()
        .to_lowercase();
    first
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "array" || w == "multiple")
}

fn says_read_only(description: &str) -> bool {
    let text = description.to_lowercase();
    text.contains("read-only") || text.contains("read only")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_is_the_shared_prefix_of_at_least_two_segments() {
        assert_eq!(name(["crm.item", "crm.item"]).as_deref(), Some("crm.item"));
        assert_eq!(
            name(["crm.item", "crm.item.productrow"]).as_deref(),
            Some("crm.item")
        );
        assert_eq!(name(["crm.deal", "crm.item"]), None);
        assert_eq!(name(["crm"]), None);
        assert_eq!(name([]), None);
    }

    #[test]
    fn multiple_is_read_from_the_first_sentence() {
        assert!(says_multiple("Array of multifields.\nMore about them"));
        assert!(says_multiple("Multiple field"));
        assert!(!says_multiple(
            "Amount. Values of multiple fields are arrays"
        ));
        assert!(!says_multiple("Arrayed gears"));
    }
}
