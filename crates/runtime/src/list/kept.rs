//! Items as a list stream holds them between the answer and the caller: the fast path keeps each
//! item as its raw JSON text (`Box<RawValue>`, about its size on the wire) and parses it only
//! when it is yielded, straight into the caller's type for typed lists. A parsed `Value` item
//! costs several times its text (with `preserve_order` every object is an `IndexMap`), and the
//! stream holds up to `concurrency` × 2,500 items at once.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::envelope::decode_value;
use crate::error::Error;

/// One item of a list stream before the caller takes it.
#[derive(Debug)]
pub(crate) enum Kept {
    /// Raw JSON text from the fast path.
    Raw(Box<RawValue>),
    /// Already parsed (paging and REST 3.0 paths).
    Parsed(Value),
}

impl Kept {
    /// The item as a JSON value.
    pub(crate) fn into_value(self, method: &str) -> Result<Value, Error> {
        match self {
            // The text was valid JSON when the page was read; this fails only past serde_json's
            // nesting limit.
            Self::Raw(raw) => serde_json::from_str(raw.get()).map_err(|e| {
                let why = crate::mismatch::describe(&e.to_string());
                Error::decode(method, 200, format!("list item: {why}"))
            }),
            Self::Parsed(value) => Ok(value),
        }
    }

    /// The item as `T`, naming the path of the first mismatch (never the value found there).
    pub(crate) fn decode<T: DeserializeOwned>(self, method: &str) -> Result<T, Error> {
        match self {
            Self::Raw(raw) => {
                let mut json = serde_json::Deserializer::from_str(raw.get());
                serde_path_to_error::deserialize(&mut json).map_err(|e| {
                    let path = e.path().to_string();
                    let why = crate::mismatch::describe(&e.into_inner().to_string());
                    let at = if path == "." || path.is_empty() {
                        String::new()
                    } else {
                        format!(".{path}")
                    };
                    Error::decode(method, 200, format!("result{at}: {why}"))
                })
            }
            Self::Parsed(value) => decode_value(value, method, 200),
        }
    }
}

/// The item array of a list answer kept raw: `result` itself when it is an array, the member
/// `items_key`, or the only array-valued member (the same rules as `items_of`).
pub(crate) fn raw_items_of(
    method: &str,
    result: &RawValue,
    items_key: Option<&str>,
) -> Result<Vec<Box<RawValue>>, Error> {
    let no_array = || Error::decode(method, 200, "list result holds no item array");
    let text = result.get().trim_start();
    if text.starts_with('[') {
        return serde_json::from_str(text).map_err(|_| no_array());
    }
    if !text.starts_with('{') {
        return Err(no_array());
    }
    let mut members: Vec<(String, Box<RawValue>)> =
        serde_json::from_str::<std::collections::BTreeMap<String, Box<RawValue>>>(text)
            .map_err(|_| no_array())?
            .into_iter()
            .collect();
    let items = match items_key {
        Some(key) => members
            .iter()
            .position(|(k, _)| k == key)
            .map(|i| members.swap_remove(i).1),
        None => {
            let mut arrays = members.into_iter().filter(|(_, v)| is_array(v));
            match (arrays.next(), arrays.next()) {
                (Some((_, only)), None) => Some(only),
                _ => None,
            }
        }
    };
    match items {
        Some(items) if is_array(&items) => {
            serde_json::from_str(items.get()).map_err(|_| no_array())
        }
        // An empty list can arrive as an empty object (PHP's empty array rendered as `{}`).
        Some(items) if is_empty_object(&items) => Ok(Vec::new()),
        _ => Err(no_array()),
    }
}

fn is_array(raw: &RawValue) -> bool {
    raw.get().trim_start().starts_with('[')
}

fn is_empty_object(raw: &RawValue) -> bool {
    let text = raw.get().trim();
    text.starts_with('{') && text[1..].trim_start() == "}"
}

/// The numeric ID of a raw item (a number or a numeric string), reading only that member.
pub(crate) fn raw_id_of(method: &str, id_field: &str, item: &RawValue) -> Result<u64, Error> {
    let mut json = serde_json::Deserializer::from_str(item.get());
    let id = IdSeed(id_field).deserialize(&mut json).ok().flatten();
    id.ok_or_else(|| {
        Error::decode(
            method,
            200,
            format!("list item has no numeric `{id_field}`"),
        )
    })
}

/// Finds one member of an object and reads it as an ID, skipping every other member unparsed.
struct IdSeed<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for IdSeed<'_> {
    type Value = Option<u64>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for IdSeed<'_> {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list item object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut id = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.0 {
                // The last occurrence wins, as when the item is parsed into a `Value`.
                id = match map.next_value::<Value>()? {
                    Value::Number(n) => n.as_u64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn ids_are_read_without_parsing_the_rest() {
        let item = raw(r#"{"TITLE":{"deep":[1,2]},"ID":"17","X":null}"#);
        assert_eq!(raw_id_of("m", "ID", &item).unwrap(), 17);
        assert_eq!(raw_id_of("m", "id", &raw(r#"{"id":4}"#)).unwrap(), 4);
        assert!(raw_id_of("m", "ID", &raw(r#"{"ID":"x"}"#)).is_err());
        assert!(raw_id_of("m", "ID", &raw(r#"{"ID":-3}"#)).is_err());
        assert!(raw_id_of("m", "ID", &raw("{}")).is_err());
        assert!(raw_id_of("m", "ID", &raw("[1]")).is_err());
        assert_eq!(raw_id_of("m", "ID", &raw(r#"{"ID":1,"ID":2}"#)).unwrap(), 2);
    }

    #[test]
    fn raw_items_are_found_in_every_shape() {
        let len = |text: &str, key| raw_items_of("m", &raw(text), key).map(|v| v.len());
        assert_eq!(len("[1, 2]", None).unwrap(), 2);
        assert_eq!(len(r#"{"items": [1]}"#, Some("items")).unwrap(), 1);
        assert_eq!(len(r#"{"tasks": [1, 2, 3], "n": 3}"#, None).unwrap(), 3);
        assert!(len("{}", None).is_err());
        assert!(len(r#"{"a": [1], "b": [2]}"#, None).is_err());
        assert!(len(r#""x""#, None).is_err());
        assert_eq!(len(r#"{"items": { }}"#, Some("items")).unwrap(), 0);
        assert!(len(r#"{"items": {"a": 1}}"#, Some("items")).is_err());
    }

    #[test]
    fn kept_items_parse_like_values() {
        let text = r#"{"ID":"5","TITLE":"a","NESTED":{"z":1,"a":2}}"#;
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(Kept::Raw(raw(text)).into_value("m").unwrap(), value);
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Deal {
            #[serde(rename = "ID")]
            id: String,
        }
        assert_eq!(
            Kept::Raw(raw(text)).decode::<Deal>("m").unwrap(),
            Deal { id: "5".into() }
        );
        let err = Kept::Raw(raw(r#"{"ID":5}"#))
            .decode::<Deal>("m")
            .unwrap_err()
            .to_string();
        assert!(err.contains("result.ID"), "{err}");
    }
}
