//! Building field trees: a top-level fields table plus the sub-tables that describe nested
//! members of its object and array fields.
//!
//! A sub-table belongs to a field when the field links to the sub-table's heading anchor, when
//! the heading names the field (`### Parameter fields`), or when the field's type names the
//! heading (`crm_multifield[]` → `## crm_multifield`). Links to anchors that do not exist on
//! the page are diagnostics.

use std::collections::HashSet;

use super::ascii::{contains_ascii_ci, lower_owned};
use super::fields::{self, FieldRow, Layout};
use super::outline::{Content, Heading, Item, Outline};
use crate::diagnostic::{DiagnosticKind, Sink};

/// Deepest nesting followed below the top-level table: as deep as a valid spec may nest
/// (objects described per class under their own headings sit five levels down). A fixed
/// smaller cap here silently dropped the deepest members in every frontend alike.
const MAX_NESTING: usize = b24_spec::validate::MAX_DEPTH - 1;

/// A field with its nested members.
#[derive(Debug, Clone)]
pub struct FieldNode {
    pub row: FieldRow,
    pub children: Vec<FieldNode>,
    /// The linked table is the entity's field list, not this field's members: `select`,
    /// `filter` and `order` take field names and operator-prefixed keys. `children` then
    /// holds the entity's fields, which become an entity table, not nesting.
    pub refers: bool,
}

impl FieldNode {
    /// A row without members (yet).
    fn leaf(row: FieldRow) -> FieldNode {
        FieldNode {
            row,
            children: Vec::new(),
            refers: false,
        }
    }

    /// The node as a plain parameter with its members (no entity reference).
    pub fn into_param(self) -> b24_spec::Param {
        b24_spec::Param {
            name: self.row.name,
            ty: self.row.ty,
            required: self.row.required,
            description: self.row.description,
            default: self.row.default,
            fields: self
                .children
                .into_iter()
                .map(FieldNode::into_param)
                .collect(),
            ..b24_spec::Param::new("", None, false)
        }
    }
}

/// Parameters whose linked fields table lists what they may name, not what they contain.
pub fn is_query_param(name: &str) -> bool {
    ["select", "filter", "order"]
        .iter()
        .any(|q| name.eq_ignore_ascii_case(q))
}

/// A fields table found on the page.
#[derive(Debug)]
pub struct FieldTable<'p> {
    pub item: &'p Item<'p>,
    pub layout: Layout,
    pub line: u32,
    /// The heading's words, lower case: asked for every row of every table above this one.
    words: Vec<String>,
}

impl FieldTable<'_> {
    fn heading(&self) -> Option<&Heading> {
        self.item.heading()
    }
}

/// The fields tables among `items` (in order).
pub fn field_tables<'p>(items: impl Iterator<Item = &'p Item<'p>>) -> Vec<FieldTable<'p>> {
    items
        .filter_map(|item| match &item.content {
            Content::Table { rows, line } => fields::layout(rows).map(|layout| FieldTable {
                item,
                layout,
                line: *line,
                words: item.heading().map(|h| words(&h.text)).unwrap_or_default(),
            }),
            _ => None,
        })
        .collect()
}

/// Reads `top` and links sub-tables from `others` into it.
pub fn build(
    top: &FieldTable<'_>,
    others: &[FieldTable<'_>],
    outline: &Outline<'_>,
    sink: &mut Sink,
) -> Vec<FieldNode> {
    let mut used = HashSet::new();
    let mut nodes = Vec::new();
    let read_top = |table: &FieldTable<'_>, used: &mut HashSet<u32>, sink: &mut Sink| {
        used.insert(table.line);
        read_rows(
            &[table],
            others,
            outline,
            sink,
            &mut vec![table.line],
            used,
            0,
        )
    };
    let sets = alternative_sets(top, others);
    for table in &sets {
        let mut set = read_top(table, &mut used, sink);
        if sets.len() > 1 {
            // Which parameters are required depends on the set the caller picks.
            let name = table.heading().map(|h| h.text.clone()).unwrap_or_default();
            for node in &mut set {
                node.row.required = false;
                node.row.description = format!("Parameter set “{name}”. {}", node.row.description);
            }
        }
        merge_new(&mut nodes, set);
    }
    // "### Additional Parameters" continues the top-level list.
    for table in others {
        let more = table
            .heading()
            .is_some_and(|h| contains_ascii_ci(&h.text, "parameters"));
        if more && !used.contains(&table.line) {
            let extra = read_top(table, &mut used, sink);
            merge_new(&mut nodes, extra);
        }
    }
    for table in others {
        if !used.contains(&table.line) {
            let heading = table.heading().map(|h| h.text.as_str()).unwrap_or("");
            sink.report(
                table.line,
                DiagnosticKind::UnlinkedTable,
                format!("fields table under `{heading}` is not linked to any field"),
            );
        }
    }
    nodes
}

/// Adds the fields of `more` that `nodes` does not have yet (the first description stands).
/// Linear for long lists: a set of the names present, not a scan of `nodes` per field.
fn merge_new(nodes: &mut Vec<FieldNode>, more: Vec<FieldNode>) {
    // A few fields (most tables): comparing names costs less than hashing them into a set,
    // and the scan is bounded by the cap.
    const SCAN: usize = 16;
    if nodes.len() + more.len() <= SCAN {
        for node in more {
            if !nodes.iter().any(|n| n.row.name == node.row.name) {
                nodes.push(node);
            }
        }
        return;
    }
    // Decided on borrowed names first, so no name is copied into the set.
    let keep: Vec<bool> = {
        let mut present: HashSet<&str> = nodes.iter().map(|n| n.row.name.as_str()).collect();
        more.iter()
            .map(|n| present.insert(n.row.name.as_str()))
            .collect()
    };
    nodes.extend(
        more.into_iter()
            .zip(keep)
            .filter_map(|(n, k)| k.then_some(n)),
    );
}

/// Pages that document alternative ways to call a method ("1. By ID", "2. By code") give one
/// parameter table per way, under numbered sibling headings.
fn alternative_sets<'t, 'p>(
    top: &'t FieldTable<'p>,
    others: &'t [FieldTable<'p>],
) -> Vec<&'t FieldTable<'p>> {
    let numbered = |t: &FieldTable<'_>| {
        t.heading()
            .filter(|h| h.level >= 3 && h.text.starts_with(|c: char| c.is_ascii_digit()))
            .map(|h| h.level)
    };
    let Some(level) = numbered(top) else {
        return vec![top];
    };
    let mut sets = vec![top];
    sets.extend(others.iter().filter(|t| numbered(t) == Some(level)));
    sets
}

/// Reads the rows of `group` (one table, or a sub-table and its continuations) and links
/// the sub-tables of each row.
fn read_rows(
    group: &[&FieldTable<'_>],
    others: &[FieldTable<'_>],
    outline: &Outline<'_>,
    sink: &mut Sink,
    chain: &mut Vec<u32>,
    used: &mut HashSet<u32>,
    depth: usize,
) -> Vec<FieldNode> {
    // The rows become nodes as they are read and are linked in place below: every row's link
    // asks about its siblings, so the rows must stay readable while each gets its children.
    let mut nodes: Vec<FieldNode> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for table in group {
        let Content::Table { rows: raw, .. } = &table.item.content else {
            continue;
        };
        for row in fields::read(raw, table.layout, sink) {
            // Variants in tabs list shared keys again; the first description stands. (A set,
            // not a scan: a long table must not cost its square.)
            // (A single table keeps every row: no set to fill.)
            if group.len() == 1 || seen.insert(row.name.clone()) {
                nodes.push(FieldNode::leaf(row));
            }
        }
    }
    // A row can only link a table outside the chain; `chain` is the same at every row (each
    // row's links are taken off again), so when there is none (a page with one table, most
    // pages) no row needs its key or the siblings' names.
    let open = depth < MAX_NESTING && others.iter().any(|t| !chain.contains(&t.line));
    let mut names = None;
    for at in 0..nodes.len() {
        check_anchors(&nodes[at].row, outline, sink);
        if !open {
            continue;
        }
        let key = RowKey::new(&nodes[at].row);
        let mut siblings = Siblings {
            nodes: &nodes,
            names: &mut names,
        };
        let Some(sub) = others
            .iter()
            .find(|t| !chain.contains(&t.line) && belongs_to(t, &key, &mut siblings))
        else {
            continue;
        };
        // "Bank detail fields", "Available fields for filtering": the entity's field list;
        // "Filter parameter" documents real members.
        let field_list = sub
            .heading()
            .is_some_and(|h| contains_ascii_ci(&h.text, "field"));
        let group = continuations(sub, others, chain);
        let lines: Vec<u32> = group.iter().map(|t| t.line).collect();
        used.extend(lines.iter().copied());
        chain.extend(lines.iter().copied());
        let children = read_rows(&group, others, outline, sink, chain, used, depth + 1);
        chain.truncate(chain.len() - lines.len());
        let node = &mut nodes[at];
        node.refers = field_list && !children.is_empty() && is_query_param(&node.row.name);
        node.children = children;
    }
    nodes
}

/// The names of a table's rows, lower case, for [`belongs_to`]: asked only when a heading
/// names a row's type, so they are worked out on the first question, not for every table.
struct Siblings<'n> {
    nodes: &'n [FieldNode],
    names: &'n mut Option<HashSet<String>>,
}

impl Siblings<'_> {
    fn contains(&mut self, name: &str) -> bool {
        let nodes = self.nodes;
        self.names
            .get_or_insert_with(|| {
                nodes
                    .iter()
                    .map(|n| lower_owned(n.row.name.clone()))
                    .collect()
            })
            .contains(name)
    }
}

/// A sub-table and the tables that continue it: every fields table under the same heading
/// (a long field list split by prose, or one table per variant in tabs).
fn continuations<'t, 'p>(
    sub: &'t FieldTable<'p>,
    others: &'t [FieldTable<'p>],
    chain: &[u32],
) -> Vec<&'t FieldTable<'p>> {
    let Some(heading) = sub.heading().map(|h| h.line) else {
        return vec![sub];
    };
    others
        .iter()
        .filter(|t| t.line >= sub.line && !chain.contains(&t.line))
        .filter(|t| t.heading().map(|h| h.line) == Some(heading))
        .collect()
}

/// What [`belongs_to`] asks of a row, worked out once per row rather than once per table.
struct RowKey<'r> {
    anchors: &'r [String],
    /// `None` for a scalar row: only its links can place a table under it, so its names are
    /// never asked (and most rows are scalars).
    names: Option<RowNames>,
}

/// The names a heading may give a non-scalar row by.
struct RowNames {
    /// `.name`, lower case: the name is the rest after the dot, so one buffer holds both.
    dotted: String,
    /// The base type name, lower case.
    ty: Option<String>,
}

impl RowNames {
    /// The name, lower case.
    fn name(&self) -> &str {
        &self.dotted[1..]
    }
}

impl<'r> RowKey<'r> {
    fn new(row: &'r FieldRow) -> Self {
        let names = (!is_scalar(row)).then(|| {
            RowNames {
                // A leading dot changes no letter's lower case (not even a final sigma's).
                dotted: lower_owned(format!(".{}", row.name)),
                ty: row
                    .ty
                    .as_ref()
                    .and_then(|t| t.base_name())
                    .map(|t| lower_owned(t.to_owned())),
            }
        });
        RowKey {
            anchors: &row.anchors,
            names,
        }
    }
}

fn belongs_to(table: &FieldTable<'_>, row: &RowKey<'_>, siblings: &mut Siblings<'_>) -> bool {
    let Some(heading) = table.heading() else {
        return false;
    };
    let anchor = heading.anchor.as_deref().unwrap_or(&heading.slug);
    if row.anchors.iter().any(|a| a == anchor) {
        return true;
    }
    let Some(names) = &row.names else {
        return false;
    };
    let words = &table.words;
    // "Parameter fields" names `fields`; skip headings that name a sibling more specifically.
    if words
        .iter()
        .any(|w| w == names.name() || w.ends_with(&names.dotted))
    {
        return true;
    }
    match &names.ty {
        Some(ty) if !matches!(ty.as_str(), "object" | "array") => {
            heading.anchor.as_deref().map(str::to_lowercase).as_ref() == Some(ty)
                || (words.contains(ty) && !siblings.contains(ty))
        }
        _ => false,
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn is_scalar(row: &FieldRow) -> bool {
    const SCALARS: [&str; 14] = [
        "integer",
        "int",
        "string",
        "boolean",
        "bool",
        "double",
        "float",
        "number",
        "date",
        "datetime",
        "char",
        "text",
        "time",
        "timestamp",
    ];
    match &row.ty {
        Some(ty) => ty.alternatives().iter().all(|t| match t {
            // No scalar name holds `k`, nor an `i` the fold of `İ` could stand for.
            b24_spec::TypeExpr::Named(n) => SCALARS.iter().any(|s| n.eq_ignore_ascii_case(s)),
            _ => false,
        }),
        None => false,
    }
}

fn check_anchors(row: &FieldRow, outline: &Outline<'_>, sink: &mut Sink) {
    for anchor in &row.anchors {
        let found = outline
            .anchors
            .iter()
            .any(|h| h.anchor.as_deref() == Some(anchor.as_str()) || h.slug == *anchor);
        if !found {
            sink.report(
                row.line,
                DiagnosticKind::BrokenAnchor,
                format!(
                    "`{}` links to #{anchor}, which is not on the page",
                    row.name
                ),
            );
        }
    }
}
