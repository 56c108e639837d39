//! List parameters by name, in whatever case the caller spelled them.
//!
//! REST v2 list methods read `filter`, `order` and `start` case-insensitively, and the typed
//! requests send them as the page's own example spells them (`FILTER` for crm.deal.list). A
//! second, differently spelled key would make the portal keep only one of the two, losing
//! either the caller's filter or the paging bounds, so the list paths always write into the
//! caller's own key.
//!
//! The caller's `order` is never replaced: the fast path runs only when it is absent, empty
//! or exactly the ID field ascending ([`order_allows_fast_path`]); any other order is sent as
//! given on the `start`/`next` path, with the ID field appended as a tie-breaker
//! ([`add_tie_breaker`]).

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

/// Whether the caller's `order` is one the fast path sends anyway: absent, empty, or exactly
/// `id_field` ascending (key and direction in any case).
pub(crate) fn order_allows_fast_path(params: &Map<String, Value>, id_field: &str) -> bool {
    match get(params, "order") {
        None | Some(Value::Null) => true,
        Some(Value::Object(order)) => {
            order.is_empty()
                || (order.len() == 1
                    && order.iter().all(|(field, direction)| {
                        field.eq_ignore_ascii_case(id_field)
                            && direction
                                .as_str()
                                .is_some_and(|d| d.trim().eq_ignore_ascii_case("asc"))
                    }))
        }
        Some(Value::Array(order)) => order.is_empty(),
        Some(Value::String(order)) => order.trim().is_empty(),
        Some(_) => false,
    }
}

/// Append `id_field` ascending to a caller's `order` object that does not name it.
///
/// Rows the caller's order leaves tied come back in an unspecified order, which a real portal
/// (SQL `ORDER BY ... LIMIT`) may change from one offset page to the next, repeating some rows
/// and skipping others. The ID is unique, so with it last the pages partition the list. It
/// only decides between rows the caller's order calls equal, so the caller's order is kept.
/// Orders that are not an object (or already name the field) are left as they are.
pub(crate) fn add_tie_breaker(params: &mut Map<String, Value>, id_field: &str) {
    let key = key(params, "order");
    if let Some(Value::Object(order)) = params.get_mut(&key) {
        if !order.is_empty() && !order.keys().any(|k| k.eq_ignore_ascii_case(id_field)) {
            order.insert(id_field.to_owned(), Value::from("ASC"));
        }
    }
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

    #[test]
    fn only_an_id_ascending_order_keeps_the_fast_path() {
        let allows = |params: Value| order_allows_fast_path(params.as_object().unwrap(), "ID");
        assert!(allows(json!({})));
        assert!(allows(json!({"order": {}})));
        assert!(allows(json!({"ORDER": {"id": "asc"}})));
        assert!(allows(json!({"Order": {"ID": " ASC "}})));
        assert!(!allows(json!({"order": {"ID": "DESC"}})));
        assert!(!allows(json!({"order": {"TITLE": "ASC"}})));
        assert!(!allows(json!({"order": {"ID": "ASC", "TITLE": "ASC"}})));
        assert!(!allows(json!({"order": ["TITLE"]})));
    }

    #[test]
    fn the_tie_breaker_follows_the_callers_order() {
        let mut params = json!({"ORDER": {"TITLE": "DESC"}});
        add_tie_breaker(params.as_object_mut().unwrap(), "ID");
        assert_eq!(params, json!({"ORDER": {"TITLE": "DESC", "ID": "ASC"}}));
        let mut named = json!({"order": {"id": "DESC", "TITLE": "ASC"}});
        add_tie_breaker(named.as_object_mut().unwrap(), "ID");
        assert_eq!(named, json!({"order": {"id": "DESC", "TITLE": "ASC"}}));
    }
}
