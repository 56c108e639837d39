//! Event pages (`onCrmDealAdd`, `ONIMBOTMESSAGEADD`...) read into [`Event`]s: the name as
//! sent, scope, who can subscribe, the payload the handler receives (the page's fields tables,
//! nested and pattern-marked by the same modules as method parameters, wire shapes decided by
//! the page's example body), the example body and the methods the page names.
//!
//! Pages of the widgets' JavaScript events (`BackgroundCallCard::initialized`) sit in `events`
//! folders too, but nothing is POSTed for them: they are skipped without a diagnostic.
//!
//! Method names are only known once every page is read, so a page reports the pages it links
//! and the code spans that look like method names ([`MethodRef`]); [`resolve_methods`] keeps
//! those that are methods of the spec.

use std::collections::HashMap;

use b24_spec::{Event, Method, Param};
use serde_json::Value;

use crate::diagnostic::{DiagnosticKind, Sink};
use crate::extract::outline::{self, Content, Item, Section};
use crate::extract::{self, header, nesting, patterns, wire_shape};
use crate::markdown::includes::resolve as resolve_path;
use crate::page::{Block, Inline, Page};

/// A method an event page may name: a linked page or a code span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MethodRef {
    /// A linked page, relative to the docs root.
    Page(String),
    /// A code span shaped like a method name (`crm.deal.get`).
    Name(String),
}

/// Reads the event an event page documents; `None` (with a `no-event-name` diagnostic) when
/// the page names no event.
pub fn extract(page: &Page, title: &str, sink: &mut Sink) -> Option<(Event, Vec<MethodRef>)> {
    if title.contains("::") {
        return None;
    }
    let outline = outline::outline(&page.blocks);
    let example = example(&outline.items, sink);
    let sent = example
        .as_ref()
        .and_then(|(body, _)| body.get("event")?.as_str().map(str::to_owned));
    let titled = title_name(title);
    let Some(name) = name(titled, &outline.items, sent.as_deref()) else {
        sink.report(
            0,
            DiagnosticKind::NoEventName,
            "an event page whose title, example and text name no event",
        );
        return None;
    };
    if let (Some(titled), Some((_, line))) = (titled, &example) {
        if !titled.eq_ignore_ascii_case(&name) {
            let message =
                format!("the title names event `{titled}`; the example sends `{name}`, kept");
            sink.report(*line, DiagnosticKind::BadExample, message);
        }
    }
    let mut payload = payload(&outline, sink);
    patterns::params(&mut payload);
    if let Some((body, line)) = &example {
        wire_shape::payload(&mut payload, body, *line, sink);
    }
    let event = Event {
        deprecated: header::deprecation(page, &name),
        event: name,
        group: extract::group(&page.path),
        title: title.to_owned(),
        scope: header::scopes(page),
        subscribers: header::subscribers(page),
        source: page.path.clone(),
        description: header::description(page),
        payload,
        methods: Vec::new(),
        example: example.map(|(v, _)| v),
    };
    Some((event, method_refs(page)))
}

/// The event the title names: its last event-shaped word (`onCrmDealAdd`,
/// `CATALOG.PRICE.ON.ADD`).
fn title_name(title: &str) -> Option<&str> {
    title
        .split_whitespace()
        .rev()
        .find(|w| is_event_name(w) || is_dotted_event_name(w))
}

/// The name as sent, upper-cased: the example's `event` (what the portal sends), else the
/// title's, else the first `ON...` code span before the first section.
fn name(titled: Option<&str>, items: &[Item<'_>], sent: Option<&str>) -> Option<String> {
    let from_intro = || {
        items
            .iter()
            .filter(|i| i.section == Section::Intro && i.include.is_none())
            .find_map(|i| match &i.content {
                Content::Paragraph { text, .. } => text.iter().find_map(|t| match t {
                    Inline::Code(c) if is_event_name(c.trim()) => Some(c.trim()),
                    _ => None,
                }),
                _ => None,
            })
    };
    sent.filter(|s| is_event_name(s) || is_dotted_event_name(s))
        .or(titled)
        .or_else(from_intro)
        .map(str::to_ascii_uppercase)
}

/// `onCrmDealAdd`, `OnTaskAdd`, `ONAPPINSTALL` (not `Online`).
fn is_event_name(text: &str) -> bool {
    // Only ASCII passes the last test, so the slices below are on char boundaries.
    text.len() > 3
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && text[..2].eq_ignore_ascii_case("on")
        && text[2..].starts_with(|c: char| c.is_ascii_uppercase())
}

/// `CATALOG.PRICE.ON.ADD`: upper case, dotted, with an `ON` part.
fn is_dotted_event_name(text: &str) -> bool {
    text.split('.').any(|p| p == "ON")
        && text
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '.')
}

/// The first JSON object on the page (outside includes) that looks like an event body (an
/// `event` or `data` key), with its line. A `json` block that does not parse is reported.
fn example(items: &[Item<'_>], sink: &mut Sink) -> Option<(Value, u32)> {
    for item in items.iter().filter(|i| i.include.is_none()) {
        let Content::Code { lang, code, line } = &item.content else {
            continue;
        };
        let json = lang.eq_ignore_ascii_case("json");
        if !json && !code.trim_start().starts_with('{') {
            continue;
        }
        match serde_json::from_str::<Value>(code) {
            Ok(v) if v.get("event").is_some() || v.get("data").is_some() => {
                return Some((v, *line))
            }
            Ok(_) => {}
            Err(e) if json => {
                let message = format!("event example is not JSON: {e}");
                sink.report(*line, DiagnosticKind::BadExample, message);
            }
            Err(_) => {}
        }
    }
    None
}

/// The payload members: the first fields table outside the trailer and error sections, with
/// the sub-tables its rows link to (the shared `auth` table arrives through an include).
fn payload(outline: &outline::Outline<'_>, sink: &mut Sink) -> Vec<Param> {
    let items = outline.items.iter().filter(|i| {
        !matches!(i.section, Section::Trailer | Section::Errors)
            && !i.include.is_some_and(|t| t.contains("error"))
    });
    let tables = nesting::field_tables(items);
    extract::build(&tables, outline, sink)
        .into_iter()
        .map(nesting::FieldNode::into_param)
        .collect()
}

/// Links to pages and method-shaped code spans anywhere on the page (not in includes), in
/// page order.
fn method_refs(page: &Page) -> Vec<MethodRef> {
    fn inlines(path: &str, text: &[Inline], out: &mut Vec<MethodRef>) {
        for inline in text {
            match inline {
                Inline::Link { href, content } => {
                    let target = href.split('#').next().unwrap_or(href);
                    if !href.contains("://") && target.ends_with(".md") {
                        out.extend(resolve_path(path, target).map(MethodRef::Page));
                    }
                    inlines(path, content, out);
                }
                Inline::Code(code) if looks_like_method(code.trim()) => {
                    out.push(MethodRef::Name(code.trim().to_owned()));
                }
                Inline::Strong(inner) | Inline::Emphasis(inner) | Inline::Superscript(inner) => {
                    inlines(path, inner, out)
                }
                _ => {}
            }
        }
    }
    fn blocks(path: &str, list: &[Block], out: &mut Vec<MethodRef>) {
        for block in list {
            match block {
                Block::Heading { text, .. } | Block::Paragraph { text, .. } => {
                    inlines(path, text, out)
                }
                Block::List { items, .. } => items.iter().for_each(|b| blocks(path, b, out)),
                Block::Table { rows, .. } => rows
                    .iter()
                    .flat_map(|r| &r.cells)
                    .for_each(|c| blocks(path, &c.blocks, out)),
                Block::Container { blocks: inner, .. } => blocks(path, inner, out),
                Block::Code { .. } | Block::Include { .. } => {}
            }
        }
    }
    let mut out = Vec::new();
    blocks(&page.path, &page.blocks, &mut out);
    out
}

fn looks_like_method(text: &str) -> bool {
    text.contains('.')
        && text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
}

/// Gives each event the methods of the spec its page names, in page order, each once.
pub fn resolve_methods(events: &mut [(Event, Vec<MethodRef>)], methods: &[Method]) {
    let mut by_source: HashMap<&str, &str> = HashMap::new();
    for m in methods {
        by_source.entry(m.source.as_str()).or_insert(&m.method);
    }
    let names: std::collections::HashSet<&str> =
        methods.iter().map(|m| m.method.as_str()).collect();
    for (event, refs) in events {
        for r in refs.iter() {
            let found = match r {
                MethodRef::Page(p) => by_source.get(p.as_str()).copied(),
                MethodRef::Name(n) => names.get(n.as_str()).copied(),
            };
            if let Some(name) = found {
                if !event.methods.iter().any(|m| m == name) {
                    event.methods.push(name.to_owned());
                }
            }
        }
    }
}
