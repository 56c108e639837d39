//! Widget placements: where an application's widget can be embedded (`TASK_VIEW_TAB`), as the
//! placement pages document them. They are pages of their own kind, not methods: the code is
//! what `placement.bind` takes in `PLACEMENT`.

use serde::{Deserialize, Serialize};

use crate::Param;

/// One placement code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    /// The code passed to `placement.bind` and received in `PLACEMENT`.
    pub code: String,
    /// The page title.
    pub title: String,
    /// Where the widget shows, as the page says it.
    #[serde(default)]
    pub location: String,
    /// The page, relative to the docs root.
    pub source: String,
    /// Keys of the `PLACEMENT_OPTIONS` context the handler receives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Param>,
    /// Keys `placement.bind` accepts in `OPTIONS` for this placement.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bind_options: Vec<Param>,
}
