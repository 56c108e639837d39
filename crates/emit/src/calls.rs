//! The call shape: accessors that mirror the dotted wire name, so knowing the method is enough
//! to find the call (`crm.item.productrow.add` → `client.crm().item().productrow().add(..)`).
//!
//! The rules, written once here (and in ARCHITECTURE.md):
//! - every dotted segment but the last is a namespace accessor; the last is the call;
//! - segments compare case-insensitively and become `snake_case` (`tasks.flow.Flow.delete` →
//!   `tasks().flow().flow().delete()`);
//! - when a segment is both a method and a namespace (`im.notify` and `im.notify.read`), the
//!   method keeps the name and the namespace's members move up, joined with `_`
//!   (`client.im().notify()`, `client.im().notify_read()`);
//! - a root segment that the runtime's `Client` already uses for a method of its own (`batch`,
//!   `list`...) would be shadowed, so it is flattened the same way;
//! - REST 3.0 methods get the same tree under `client.v3()`.

use std::collections::{BTreeMap, BTreeSet};

use b24_spec::ApiVersion;

use crate::naming::{pascal, snake, Namespace};

/// Method names of the runtime's `Client`: a root accessor with one of these names would be
/// shadowed by the inherent method, so such a root is flattened.
pub const CLIENT_METHODS: &[&str] = &[
    "batch",
    "builder",
    "call",
    "call_envelope",
    "call_raw",
    "call_with",
    "config",
    "limiter",
    "list",
    "list_raw",
    "new",
    "oauth",
    "v3",
    "webhook",
];

/// Where a method lives in the emit model: `(group index, index in the group's methods)`.
pub type MethodRef = (usize, usize);

/// One method's place in the tree.
#[derive(Clone, Debug)]
pub struct CallLeaf {
    /// The accessor's function name.
    pub fn_name: String,
    /// The method.
    pub method: MethodRef,
}

/// A namespace accessor and what it holds.
#[derive(Clone, Debug, Default)]
pub struct CallNode {
    /// The accessor's function name in its parent.
    pub fn_name: String,
    /// The namespace struct's name, e.g. `CrmDeal`.
    pub type_name: String,
    /// Features of every method below (the node is compiled when any of them is on).
    pub features: BTreeSet<String>,
    /// Methods called directly on this namespace.
    pub leaves: Vec<CallLeaf>,
    /// Nested namespaces.
    pub children: Vec<CallNode>,
}

/// The accessor tree of one API version: the root's leaves and children hang off the client
/// (REST v2) or `client.v3()` (REST 3.0).
pub type CallTree = CallNode;

/// A method to place: its wire name, feature and reference.
#[derive(Debug)]
pub struct Placed<'a> {
    /// Wire name.
    pub wire: &'a str,
    /// Cargo feature of its group.
    pub feature: &'a str,
    /// Where it is in the model.
    pub method: MethodRef,
}

#[derive(Default)]
struct Trie<'a> {
    /// Segment as first spelled, per case-folded segment.
    children: BTreeMap<String, (String, Trie<'a>)>,
    method: Option<(&'a str, MethodRef)>,
}

impl<'a> Trie<'a> {
    fn insert(&mut self, segments: &[&str], feature: &'a str, method: MethodRef) {
        match segments.split_first() {
            None => self.method = Some((feature, method)),
            Some((head, rest)) => {
                let entry = self
                    .children
                    .entry(head.to_ascii_lowercase())
                    .or_insert_with(|| ((*head).to_owned(), Trie::default()));
                entry.1.insert(rest, feature, method);
            }
        }
    }

    fn features(&self) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self.method.iter().map(|(f, _)| (*f).to_owned()).collect();
        for (_, child) in self.children.values() {
            out.extend(child.features());
        }
        out
    }
}

/// Builds the tree of one API version. `prefix` starts the struct names (`V3` for REST 3.0).
pub fn tree(methods: &[Placed<'_>], prefix: &str, types: &mut Namespace) -> CallTree {
    let mut trie = Trie::default();
    for m in methods {
        let segments: Vec<&str> = m.wire.split('.').collect();
        trie.insert(&segments, m.feature, m.method);
    }
    let mut root = CallNode {
        type_name: prefix.to_owned(),
        features: trie.features(),
        ..CallNode::default()
    };
    let reserved: &[&str] = if prefix.is_empty() {
        CLIENT_METHODS
    } else {
        &["new", "client"]
    };
    let mut fns = Namespace::with_reserved(reserved);
    for (segment, child) in trie.children.values() {
        place(&mut root, segment, child, "", prefix, &mut fns, types);
    }
    root
}

/// Puts `child` (reached by `segment`) into `parent`, flattening it when it is also a method or
/// its name is taken.
fn place(
    parent: &mut CallNode,
    segment: &str,
    child: &Trie<'_>,
    joined: &str,
    path: &str,
    fns: &mut Namespace,
    types: &mut Namespace,
) {
    let name = format!("{joined}{}", snake(segment));
    let path = format!("{path}{}", pascal(segment));
    if let Some((_, method)) = child.method {
        parent.leaves.push(CallLeaf {
            fn_name: fns.claim(name.clone()),
            method,
        });
    }
    if child.children.is_empty() {
        return;
    }
    if child.method.is_some() || fns.is_taken(&name) {
        let joined = format!("{name}_");
        for (seg, grandchild) in child.children.values() {
            place(parent, seg, grandchild, &joined, &path, fns, types);
        }
        return;
    }
    let mut node = CallNode {
        fn_name: fns.claim(name),
        type_name: types.claim(path.clone()),
        features: child.features(),
        ..CallNode::default()
    };
    let mut inner = Namespace::with_reserved(&["new", "client"]);
    for (seg, grandchild) in child.children.values() {
        place(&mut node, seg, grandchild, "", &path, &mut inner, types);
    }
    parent.children.push(node);
}

/// `client.crm().deal().list()` for every method, by `(api, wire name)`: rustdoc and
/// deprecation notes name the Rust call.
pub fn call_paths(v2: &CallTree, v3: &CallTree) -> BTreeMap<(ApiVersion, MethodRef), String> {
    let mut out = BTreeMap::new();
    collect(v2, "client", ApiVersion::V2, &mut out);
    collect(v3, "client.v3()", ApiVersion::V3, &mut out);
    out
}

fn collect(
    node: &CallNode,
    path: &str,
    api: ApiVersion,
    out: &mut BTreeMap<(ApiVersion, MethodRef), String>,
) {
    for leaf in &node.leaves {
        out.insert((api, leaf.method), format!("{path}.{}()", leaf.fn_name));
    }
    for child in &node.children {
        collect(child, &format!("{path}.{}()", child.fn_name), api, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(names: &[&str]) -> Vec<String> {
        let placed: Vec<Placed<'_>> = names
            .iter()
            .enumerate()
            .map(|(i, wire)| Placed {
                wire,
                feature: "f",
                method: (0, i),
            })
            .collect();
        let mut types = Namespace::default();
        let v2 = tree(&placed, "", &mut types);
        let v3 = tree(&[], "V3", &mut types);
        let by_ref = call_paths(&v2, &v3);
        (0..names.len())
            .map(|i| by_ref[&(ApiVersion::V2, (0, i))].clone())
            .collect()
    }

    #[test]
    fn accessors_mirror_the_dotted_name() {
        assert_eq!(
            paths(&["crm.deal.list", "crm.item.productrow.add", "scope"]),
            [
                "client.crm().deal().list()",
                "client.crm().item().productrow().add()",
                "client.scope()"
            ]
        );
    }

    #[test]
    fn a_method_that_is_also_a_namespace_keeps_its_name() {
        assert_eq!(
            paths(&["im.notify", "im.notify.read", "im.notify.read.list"]),
            [
                "client.im().notify()",
                "client.im().notify_read()",
                "client.im().notify_read_list()"
            ]
        );
    }

    #[test]
    fn segments_fold_case_and_client_methods_are_not_shadowed() {
        assert_eq!(
            paths(&["tasks.flow.Flow.delete", "batch.run", "list.get"]),
            [
                "client.tasks().flow().flow().delete()",
                "client.batch_run()",
                "client.list_get()"
            ]
        );
    }
}
