//! Rows named by a path (`flowData.id`, `result.ID`, `result.events[].date`, `items[]`) nested
//! under their parents.
//!
//! Pages flatten nested members into one table by naming each row with its path from the root.
//! Left flat, `result.ID` is a top-level key nobody sends and the typed client never fills, so
//! each path becomes nesting: the parent row is reused when the table has one and created
//! (untyped object, or `object[]` for `x[]`) when it does not. A bare `x[]` row describes the
//! elements of `x`: it is folded into `x`, which becomes an array of the row's type.
//!
//! At the top level every path is read this way. Below it, only paths whose first segment is a
//! sibling are: inside an object, `lead.customer.type` is a key with dots in its name.

use b24_spec::TypeExpr;

use super::fields::FieldRow;
use super::nesting::FieldNode;

/// One step of a path: a name, and whether the path goes through its elements (`x[]`).
#[derive(Debug, PartialEq)]
struct Segment<'a> {
    name: &'a str,
    elements: bool,
}

/// Nests every path-named node of `nodes` (and of their children) under its parent.
pub fn nest(nodes: Vec<FieldNode>) -> Vec<FieldNode> {
    nest_level(nodes, true)
}

fn nest_level(nodes: Vec<FieldNode>, top: bool) -> Vec<FieldNode> {
    let mut out: Vec<FieldNode> = Vec::with_capacity(nodes.len());
    for mut node in nodes {
        if !node.children.is_empty() {
            node.children = nest_level(std::mem::take(&mut node.children), false);
        }
        let Some(node) = nest_path(&mut out, node, top) else {
            continue;
        };
        // The parent's own row after its members: it fills the parent made for them.
        match out
            .iter_mut()
            .find(|n| n.row.name == node.row.name && is_placeholder(&n.row))
        {
            Some(parent) => absorb(parent, node, false),
            None => out.push(node),
        }
    }
    out
}

/// Puts a path-named node under its parent in `level`; gives the node back when its name is
/// not a path to follow here.
fn nest_path(level: &mut Vec<FieldNode>, node: FieldNode, top: bool) -> Option<FieldNode> {
    // Most names are plain: only a path's name is copied (its segments outlive the move).
    if !might_be_path(&node.row.name) {
        return Some(node);
    }
    let name = node.row.name.clone();
    match segments(&name) {
        Some(path) if top || level.iter().any(|n| n.row.name == path[0].name) => {
            insert(level, &path, node);
            None
        }
        _ => Some(node),
    }
}

/// Only names with a dot or an element suffix can be paths.
fn might_be_path(name: &str) -> bool {
    name.contains('.') || name.ends_with("[]")
}

/// `a.b[].c` → `a`, `b[]`, `c`; `None` for plain names and for names that are not paths
/// (spaces, `UF_...` patterns, empty segments).
fn segments(name: &str) -> Option<Vec<Segment<'_>>> {
    if !might_be_path(name) {
        return None;
    }
    name.split('.')
        .map(|part| {
            let (name, elements) = match part.strip_suffix("[]") {
                Some(stem) => (stem, true),
                None => (part, false),
            };
            let ident = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            ident.then_some(Segment { name, elements })
        })
        .collect()
}

fn insert(level: &mut Vec<FieldNode>, path: &[Segment<'_>], mut node: FieldNode) {
    let (first, rest) = path.split_first().expect("a path has at least one segment");
    let at = match level.iter().position(|n| n.row.name == first.name) {
        Some(at) => at,
        None => {
            level.push(placeholder(first.name, &node.row));
            level.len() - 1
        }
    };
    let parent = &mut level[at];
    if first.elements {
        make_array(&mut parent.row);
    }
    if rest.is_empty() {
        node.row.name = first.name.to_owned();
        absorb(parent, node, first.elements);
    } else {
        insert(&mut parent.children, rest, node);
    }
}

/// A parent the table has no row for: an object, required when its member is.
fn placeholder(name: &str, member: &FieldRow) -> FieldNode {
    FieldNode {
        row: FieldRow {
            name: name.to_owned(),
            required: member.required,
            ty: Some(TypeExpr::named("object")),
            description: String::new(),
            default: None,
            anchors: Vec::new(),
            line: member.line,
        },
        children: Vec::new(),
        refers: false,
    }
}

/// `x` is documented as going through its elements: `array`/`object`/untyped become `object[]`.
fn make_array(row: &mut FieldRow) {
    let generic = match &row.ty {
        None => true,
        Some(TypeExpr::Named(n)) => matches!(n.as_str(), "array" | "object"),
        Some(_) => false,
    };
    if generic {
        row.ty = Some(TypeExpr::named("object").array_of());
    }
}

/// The row for an existing (or just created) node: a created parent takes the row's text; an
/// `x[]` row gives `x` its element type; members are appended.
fn absorb(target: &mut FieldNode, node: FieldNode, elements: bool) {
    let created = is_placeholder(&target.row);
    if elements {
        if let Some(ty) = node.row.ty.clone().filter(|t| !is_generic_array(t)) {
            if matches!(&target.row.ty, Some(TypeExpr::Array(inner)) if **inner == TypeExpr::named("object"))
                || target.row.ty.is_none()
            {
                target.row.ty = Some(ty.array_of());
            }
        }
    } else if created {
        target.row.ty = node.row.ty.clone().or(target.row.ty.take());
    }
    if target.row.description.is_empty() {
        target.row.description = node.row.description;
    }
    if created {
        target.row.required = node.row.required;
        target.row.default = node.row.default;
        target.row.anchors = node.row.anchors;
        target.row.line = node.row.line;
    }
    target.children.extend(node.children);
}

fn is_placeholder(row: &FieldRow) -> bool {
    row.description.is_empty() && row.anchors.is_empty()
}

fn is_generic_array(ty: &TypeExpr) -> bool {
    matches!(ty, TypeExpr::Named(n) if n == "array") || matches!(ty, TypeExpr::Array(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, ty: &str) -> FieldNode {
        FieldNode {
            row: FieldRow {
                name: name.into(),
                required: false,
                ty: Some(TypeExpr::parse(ty).unwrap()),
                description: format!("about {name}"),
                default: None,
                anchors: Vec::new(),
                line: 1,
            },
            children: Vec::new(),
            refers: false,
        }
    }

    fn tree(nodes: &[FieldNode]) -> Vec<String> {
        let mut out = Vec::new();
        fn walk(nodes: &[FieldNode], prefix: &str, out: &mut Vec<String>) {
            for n in nodes {
                let ty = n
                    .row
                    .ty
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                out.push(format!("{prefix}{}: {ty}", n.row.name));
                walk(&n.children, &format!("{prefix}{}/", n.row.name), out);
            }
        }
        walk(nodes, "", &mut out);
        out
    }

    #[test]
    fn dotted_rows_go_under_an_existing_or_created_parent() {
        let nested = nest(vec![
            node("id", "integer"),
            node("spec.name", "string"),
            node("spec", "object"),
            node("result", "object"),
            node("result.ID", "integer"),
        ]);
        assert_eq!(
            tree(&nested),
            [
                "id: integer",
                "spec: object",
                "spec/name: string",
                "result: object",
                "result/ID: integer",
            ]
        );
        assert_eq!(nested[1].row.description, "about spec");
    }

    #[test]
    fn element_rows_make_their_parent_an_array() {
        let nested = nest(vec![
            node("items", "array"),
            node("items[]", "object"),
            node("list[]", "integer"),
            node("result.events", "array"),
            node("result.events[].date", "string"),
            node("rows[].id", "integer"),
        ]);
        assert_eq!(
            tree(&nested),
            [
                "items: object[]",
                "list: integer[]",
                "result: object",
                "result/events: object[]",
                "result/events/date: string",
                "rows: object[]",
                "rows/id: integer",
            ]
        );
        assert_eq!(nested[0].row.description, "about items");
    }

    #[test]
    fn keys_with_dots_below_the_top_and_patterns_stay_flat() {
        let mut extras = node("extras", "object");
        extras.children = vec![node("lead.kind.type", "integer")];
        let nested = nest(vec![
            extras,
            node("UF_...", "string"),
            node("a b.c", "string"),
        ]);
        assert_eq!(
            tree(&nested),
            [
                "extras: object",
                "extras/lead.kind.type: integer",
                "UF_...: string",
                "a b.c: string",
            ]
        );
    }
}
