//! Classifying pages: method, event, overview or other.
//!
//! Only method pages become spec entries, so the classifier errs on the side of "method" when a
//! page both names a wire method and documents parameters or a call; the counts by kind are in
//! the corpus summary so a change in classification is visible.

use crate::extract::ascii::contains_ascii_ci;
use crate::extract::wire_name::{self, MethodName};
use crate::page::{Block, Page};
use crate::render::inlines_plain;

/// What a page is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageKind {
    /// Documents one REST method.
    Method,
    /// Documents an event (`OnCrmDealAdd`...).
    Event,
    /// A section index or guide inside the API reference.
    Overview,
    /// A widget placement (`TASK_VIEW_TAB`): where an application's widget can be embedded.
    Placement,
    /// Anything outside the API reference, fragments, data-type pages.
    Other,
}

impl PageKind {
    /// Stable lower-case name for summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Method => "method",
            PageKind::Event => "event",
            PageKind::Overview => "overview",
            PageKind::Placement => "placement",
            PageKind::Other => "other",
        }
    }
}

/// The page's title: the text of its first level-1 heading.
pub fn title(page: &Page) -> Option<String> {
    page.blocks.iter().find_map(|b| match b {
        Block::Heading { level: 1, text, .. } => Some(inlines_plain(text)),
        _ => None,
    })
}

/// Classifies a page; for method pages also returns the wire name.
pub fn classify(page: &Page) -> (PageKind, Option<MethodName>) {
    let path = page.path.as_str();
    if !path.starts_with("api-reference/")
        || path.contains("/_includes/")
        || path.contains("/_include/")
    {
        return (PageKind::Other, None);
    }
    if crate::placements::is_placement_page(page) {
        return (PageKind::Placement, None);
    }
    let title = title(page).unwrap_or_default();
    if is_event_title(&title) {
        return (PageKind::Event, None);
    }
    let file = path.rsplit('/').next().unwrap_or(path);
    if file == "index.md" {
        return (PageKind::Overview, None);
    }
    let calls = wire_name::calls(&page.blocks);
    match wire_name::find(page, &title, &calls) {
        // `CATALOG.PRICE.ON.ADD` is an event name spelled like a method.
        Some(name)
            if name.name.chars().any(|c| c.is_ascii_lowercase())
                && documents(page, &title, &name.name, &calls) =>
        {
            (PageKind::Method, Some(name))
        }
        _ if path.contains("/events/") || file.starts_with("on-") => (PageKind::Event, None),
        _ => (PageKind::Overview, None),
    }
}

/// How strongly a page is *the* page of `method`: its file is named after the method (2), and
/// it has a parameters section (1). Pages that merely call a method (guides, widget pages
/// calling `placement.bind`) score 0.
pub fn ownership(page: &Page, method: &str) -> u8 {
    2 * u8::from(wire_name::file_matches(&page.path, method)) + u8::from(has_params_section(page))
}

/// A page documents `method` when it is named after it, or when it calls it in its examples
/// and either names it in its title or has a parameters section.
fn documents(page: &Page, title: &str, method: &str, calls: &wire_name::Calls) -> bool {
    if wire_name::file_matches(&page.path, method) {
        return true;
    }
    let called = calls.endpoints.contains_key(method) || calls.sdk.contains_key(method);
    let titled = title.contains(method);
    called && (titled || has_params_section(page))
}

fn has_params_section(page: &Page) -> bool {
    page.blocks.iter().any(|b| match b {
        Block::Heading { level: 2, text, .. } => {
            contains_ascii_ci(&inlines_plain(text), "parameter")
        }
        _ => false,
    })
}

/// Event pages end their title with the event name: `OnCrmDealAdd`, `ONAPPINSTALL`.
fn is_event_title(title: &str) -> bool {
    event_word(title).is_some()
}

/// The event name an event page's title ends with, as written (`OnCrmDealAdd`).
fn event_word(title: &str) -> Option<&str> {
    let last = title.split_whitespace().last().unwrap_or("");
    let camel = last.len() > 3
        && last.starts_with("On")
        && last[2..].starts_with(|c: char| c.is_ascii_uppercase())
        && last.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let upper = last.len() > 3
        && last.starts_with("ON")
        && last
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    (camel || upper).then_some(last)
}
