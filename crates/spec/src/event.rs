//! Events: what the portal POSTs to a subscribed handler (`ONCRMDEALADD`...), as the event
//! pages document it. An event is not a method: nobody calls it; a handler bound with
//! `event.bind` receives its payload.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Deprecation, Param};

/// One event as its documentation page describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The name as sent in the payload's `event` key and given to `event.bind`: upper case
    /// (`ONCRMDEALADD`).
    pub event: String,
    /// The API group (the docs folder), as for methods; the event's file lives under it.
    pub group: String,
    /// The page title.
    pub title: String,
    /// Permission scopes needed to subscribe; empty when the page names none.
    #[serde(default)]
    pub scope: Vec<String>,
    /// "Who can subscribe", as the page says it.
    #[serde(default)]
    pub subscribers: Option<String>,
    /// Whether the event is deprecated, and what replaces it.
    #[serde(default)]
    pub deprecated: Deprecation,
    /// The page, relative to the docs root.
    pub source: String,
    /// When the event fires, as markdown.
    #[serde(default)]
    pub description: String,
    /// Members of the POST body the handler receives (`event`, `data`, `ts`, `auth`...), in
    /// page order, with their nested members; pattern members (`UF_*`) are marked as for
    /// parameters.
    #[serde(default)]
    pub payload: Vec<Param>,
    /// Methods the page names (links to their pages or their names in code), in page order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<String>,
    /// The page's example body, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
}

impl Event {
    /// Every payload member, at any depth, counted (for summaries).
    pub fn member_count(&self) -> usize {
        fn count(params: &[Param]) -> usize {
            params.iter().map(|p| 1 + count(&p.fields)).sum()
        }
        count(&self.payload)
    }

    /// The payload's `data` member, where the page documents one.
    pub fn data(&self) -> Option<&Param> {
        self.payload.iter().find(|p| p.name == "data")
    }
}
