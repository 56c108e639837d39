//! List parameters by name, in whatever case the caller spelled them.
//!
//! REST v2 list methods read `filter`, `order` and `start` case-insensitively, and the typed
//! requests send them as the page's own example spells them (`FILTER` for crm.deal.list). A
//! second, differently spelled key would make the portal keep only one of the two, losing
//! either the caller's filter or the paging bounds, so the list paths always write into the
//! caller's own key.

use serde_json::{Map, Value};

/// The caller's spelling of `name` in `params`, else `name` itself.
pub(crate) fn key(params: &Map<String, Value>, name: &str) -> String {
    params
        .keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_owned())
}

/// The value of `name` in any case.
pub(crate) fn get<'a>(params: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    params
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_callers_spelling_wins() {
        let params = json!({"FILTER": {"STAGE_ID": "WON"}, "start": 5});
        let params = params.as_object().unwrap();
        assert_eq!(key(params, "filter"), "FILTER");
        assert_eq!(key(params, "order"), "order");
        assert_eq!(get(params, "START"), Some(&json!(5)));
    }
}
