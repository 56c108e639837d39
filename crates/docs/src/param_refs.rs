//! Parameter sections that send the reader to another page ("See the description of [list
//! methods](...)") instead of listing parameters, resolved when the corpus is assembled.
//!
//! A page only knows its own text, so each method page reports the links of its parameters
//! section; [`resolve`] then gives a method that documents no parameters of its own:
//! - the parameters of the method the link points to, when it points to a method page;
//! - otherwise the parameters most methods share (at least half) whose parameters section links
//!   to the same page and lists parameters (the "list methods" article has no table, but every list method
//!   that links to it documents `select`, `filter`, `order`, `start`), without their nested
//!   members and with a description naming where they are described, because the donors'
//!   descriptions are about their own entities;
//! - when the target is a page nobody else links for parameters (a stale link), the same
//!   resolution through other parameters-section links with the same link text.
//!
//! Anything else is an `unresolved-reference` diagnostic on the referring page.

use std::collections::{BTreeMap, HashMap};

use b24_spec::{Method, Param};

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::extract::outline::{Content, Outline, Section};
use crate::markdown::includes::resolve as resolve_path;
use crate::page::Inline;
use crate::render::inlines_plain;

/// A link in a method's parameters section (outside tables).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamLink {
    /// The linked page, relative to the docs root.
    pub target: String,
    /// The link text, lower case.
    pub text: String,
    /// The paragraph's line.
    pub line: u32,
}

/// The page links of the parameters section of the page at `path`.
pub fn links(path: &str, outline: &Outline<'_>) -> Vec<ParamLink> {
    let mut out = Vec::new();
    for item in &outline.items {
        if item.section != Section::Params || item.include.is_some() {
            continue;
        }
        if let Content::Paragraph { text, line } = &item.content {
            collect(path, text, *line, &mut out);
        }
    }
    out
}

fn collect(path: &str, inlines: &[Inline], line: u32, out: &mut Vec<ParamLink>) {
    for inline in inlines {
        match inline {
            Inline::Link { href, content } => {
                let page = href.split('#').next().unwrap_or(href);
                let local = !href.contains("://") && page.ends_with(".md");
                // A link that leaves the docs root resolves to nothing and is skipped.
                if let Some(target) = local.then(|| resolve_path(path, page)).flatten() {
                    out.push(ParamLink {
                        target,
                        text: inlines_plain(content).trim().to_lowercase(),
                        line,
                    });
                }
            }
            Inline::Strong(inner) | Inline::Emphasis(inner) | Inline::Superscript(inner) => {
                collect(path, inner, line, out);
            }
            _ => {}
        }
    }
}

/// Gives methods without parameters the parameters their reference leads to, and returns the
/// indices of the methods it gave parameters to. `methods` pairs each method with its
/// parameters-section links; diagnostics go to `diagnostics`.
pub fn resolve(
    methods: &mut [(Method, Vec<ParamLink>)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let by_source: HashMap<&str, usize> = methods
        .iter()
        .enumerate()
        .filter(|(_, (m, _))| !m.params.is_empty())
        .map(|(i, (m, _))| (m.source.as_str(), i))
        .collect();
    let mut donors: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_text: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (i, (method, links)) in methods.iter().enumerate() {
        if method.params.is_empty() {
            continue;
        }
        for link in links {
            donors.entry(link.target.as_str()).or_default().push(i);
            by_text
                .entry(link.text.as_str())
                .or_default()
                .push(&link.target);
        }
    }
    let mut resolved: Vec<(usize, Vec<Param>)> = Vec::new();
    for (i, (method, links)) in methods.iter().enumerate() {
        let Some(link) = links.first().filter(|_| method.params.is_empty()) else {
            continue;
        };
        let params = if let Some(&at) = by_source.get(link.target.as_str()) {
            Some(methods[at].0.params.clone())
        } else {
            let target = donors
                .contains_key(link.target.as_str())
                .then_some(link.target.as_str())
                .or_else(|| {
                    by_text
                        .get(link.text.as_str())
                        .and_then(|t| t.first().copied())
                });
            target.map(|t| shared(methods, &donors[t], t))
        };
        match params.filter(|p| !p.is_empty()) {
            Some(params) => resolved.push((i, params)),
            None => diagnostics.push(unresolved(method, link)),
        }
    }
    resolved
        .into_iter()
        .map(|(i, params)| {
            methods[i].0.params = params;
            i
        })
        .collect()
}

/// The top-level parameters at least half of the donors have (one outdated list method lacks
/// `select`; that must not take it from the others), in first-seen order, typed as the first
/// donor having each gives it; required only when every donor requires it.
fn shared(methods: &[(Method, Vec<ParamLink>)], donors: &[usize], target: &str) -> Vec<Param> {
    let all = || donors.iter().flat_map(|d| &methods[*d].0.params);
    let mut seen: Vec<&Param> = Vec::new();
    for param in all() {
        if !seen.iter().any(|p| p.name == param.name) {
            seen.push(param);
        }
    }
    seen.into_iter()
        .filter(|p| 2 * all().filter(|q| q.name == p.name).count() >= donors.len())
        .map(|p| Param {
            name: p.name.clone(),
            ty: p.ty.clone(),
            required: all().filter(|q| q.name == p.name).all(|q| q.required)
                && all().filter(|q| q.name == p.name).count() == donors.len(),
            description: format!("Described for every method of this kind on `{target}`."),
            default: None,
            ..Param::new(p.name.clone(), None, false)
        })
        .collect()
}

fn unresolved(method: &Method, link: &ParamLink) -> Diagnostic {
    Diagnostic {
        file: method.source.clone(),
        line: link.line,
        kind: DiagnosticKind::UnresolvedReference,
        message: format!(
            "the parameters are described on `{}`, which documents none",
            link.target
        ),
    }
}
