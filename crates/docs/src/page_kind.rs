//! Classifying pages: method, event, overview or other.
//!
//! Only method pages become spec entries, so the classifier errs on the side of "method" when a
//! page both names a wire method and documents parameters or a call; the counts by kind are in
//! the corpus summary so a change in classification is visible.

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
    let title = title(page).unwrap_or_default();
    if is_event_title(&title) {
        return (PageKind::Event, None);
    }
    let file = path.rsplit('/').next().unwrap_or(path);
    if file == "index.md" {
        return (PageKind::Overview, None);
    }
    match wire_name::find(page, &title) {
        Some(name) => (PageKind::Method, Some(name)),
        None if path.contains("/events/") || file.starts_with("on-") => (PageKind::Event, None),
        None => (PageKind::Overview, None),
    }
}

/// Event pages end their title with the event name: `OnCrmDealAdd`, `ONAPPINSTALL`.
fn is_event_title(title: &str) -> bool {
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
    camel || upper
}
