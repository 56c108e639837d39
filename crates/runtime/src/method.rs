//! What a generated request type tells the runtime about the REST method it calls.
//!
//! The code generator emits one `Serialize` struct per Bitrix24 method and implements [`Method`]
//! for it; the runtime reads the associated constants to pick the URL, decide whether the call is
//! safe to repeat, and decode the `result` field into [`Method::Response`].

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Which generation of the REST API a method lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiVersion {
    /// The classic API: `{base}/{method}`, form- or JSON-encoded parameters, `batch` with `cmd`.
    V2,
    /// REST 3.0: the same portal under `/rest/api/`, JSON only, `Idempotency-Key` honoured.
    V3,
}

/// A typed request to one REST method.
pub trait Method: Serialize + Send + Sync {
    /// Wire name of the method, e.g. `"crm.deal.add"`.
    const NAME: &'static str;
    /// The API generation the method belongs to.
    const API: ApiVersion;
    /// `true` for reads that are safe to repeat (`.get`, `.list`, `.fields`, ...).
    ///
    /// Decides whether a timeout or a dropped connection is retried: a write that may already
    /// have run is never repeated unless the caller opts in (or REST 3.0's `Idempotency-Key`
    /// makes the repeat safe).
    const IDEMPOTENT: bool;
    /// The type the `result` field of a successful response decodes into.
    type Response: DeserializeOwned + Send + 'static;
}

/// A list method whose items can be streamed page after page (see [`crate::Client::list`]).
///
/// What a generated crate sets: `ITEMS_KEY` from where the page's response example keeps the
/// items (`items` for crm.item.list and every REST 3.0 list), `ID_FIELD` when the method's
/// items have a stable ascending numeric ID it filters by (`ID` classic, `id` REST 3.0); with
/// it the stream takes the fast ID path by default. [`Method::API`] chooses classic
/// (`start`/`next`, `batch`) or REST 3.0 (`pagination`) paging; nothing else is needed.
pub trait ListMethod: Method {
    /// One element of the returned list.
    type Item: DeserializeOwned + Send + 'static;
    /// Key of the item array inside `result` (`Some("items")` for `crm.item.list`,
    /// `Some("tasks")` for `tasks.task.list`); `None` when `result` is the array itself.
    const ITEMS_KEY: Option<&'static str> = None;
    /// Name of the stable ascending numeric identifier (`"ID"` or `"id"`) when the method
    /// supports the large-data path: `order` by it, filter `>ID`, `start = -1`.
    /// `None` falls back to plain `start`/`next` paging.
    const ID_FIELD: Option<&'static str> = None;
}

/// Guess whether a method name is a read that is safe to repeat, for raw calls that carry no
/// [`Method::IDEMPOTENT`] flag. Only the last dotted segment is considered.
pub fn is_read_method(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    const READS: [&str; 8] = [
        "get", "list", "fields", "search", "count", "current", "info", "getlist",
    ];
    READS.contains(&last.as_str()) || last.starts_with("get") || last.ends_with("list")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_recognised_by_last_segment() {
        for name in [
            "crm.deal.get",
            "crm.deal.list",
            "crm.deal.fields",
            "user.current",
            "tasks.task.getlist",
            "crm.item.userfield.getlist",
        ] {
            assert!(is_read_method(name), "{name}");
        }
    }

    #[test]
    fn writes_are_not_reads() {
        for name in [
            "crm.deal.add",
            "crm.deal.update",
            "crm.deal.delete",
            "batch",
            "im.message.send",
            "disk.folder.uploadfile",
        ] {
            assert!(!is_read_method(name), "{name}");
        }
    }
}
