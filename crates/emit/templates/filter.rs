//! `filter` and `order` of list methods, typed.
//!
//! A Bitrix24 filter is an object whose keys are field names with an operator prefix
//! (`>=DATE_CREATE`, `!@STAGE_ID`, `%TITLE`); an order maps field names to `ASC`/`DESC`. Both keep
//! the caller's insertion order on the wire. Field names come from the entity types' constants
//! (`Deal::DATE_CREATE`) or plain strings; [`Filter::raw`] takes any key the builder has no
//! method for.

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A list filter: `(prefixed key, value)` pairs, sent as one JSON object in insertion order.
///
/// ```
/// use bitrix24::Filter;
///
/// let filter = Filter::new()
///     .gte("DATE_CREATE", "2026-01-01T00:00:00+00:00")
///     .in_("STAGE_ID", ["NEW", "PREPARATION"])
///     .like("TITLE", "invoice");
/// let json = serde_json::to_value(&filter).unwrap();
/// assert_eq!(json["@STAGE_ID"], serde_json::json!(["NEW", "PREPARATION"]));
/// assert_eq!(json["%TITLE"], "invoice");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    entries: Vec<(String, Value)>,
}

impl Filter {
    /// An empty filter.
    pub fn new() -> Self {
        Self::default()
    }

    fn with(mut self, prefix: &str, field: &str, value: Value) -> Self {
        let key = format!("{prefix}{field}");
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key, value)),
        }
        self
    }

    /// `FIELD`: equal (the portal's default operator).
    pub fn eq(self, field: impl AsRef<str>, value: impl Into<Value>) -> Self {
        self.with("", field.as_ref(), value.into())
    }

    /// `!=FIELD`: not equal.
    pub fn not_eq(self, field: impl AsRef<str>, value: impl Into<Value>) -> Self {
        self.with("!=", field.as_ref(), value.into())
    }

    /// `>FIELD`: greater than.
    pub fn gt(self, field: impl AsRef<str>, value: impl Into<Value>) -> Self {
        self.with(">", field.as_ref(), value.into())
    }

    /// `>=FIELD`: greater than or equal.
    pub fn gte(self, field: impl AsRef<str>, value: impl Into<Value>) -> Self {
        self.with(">=", field.as_ref(), value.into())
    }

    /// `<FIELD`: less than.
    pub fn lt(self, field: impl AsRef<str>, value: impl Into<Value>) -> Self {
        self.with("<", field.as_ref(), value.into())
    }

    /// `<=FIELD`: less than or equal.
    pub fn lte(self, field: impl AsRef<str>, value: impl Into<Value>) -> Self {
        self.with("<=", field.as_ref(), value.into())
    }

    /// `@FIELD`: one of the values (SQL `IN`).
    pub fn in_<V: Into<Value>>(self, field: impl AsRef<str>, values: impl IntoIterator<Item = V>) -> Self {
        let values = values.into_iter().map(Into::into).collect();
        self.with("@", field.as_ref(), Value::Array(values))
    }

    /// `!@FIELD`: none of the values (SQL `NOT IN`).
    pub fn not_in<V: Into<Value>>(self, field: impl AsRef<str>, values: impl IntoIterator<Item = V>) -> Self {
        let values = values.into_iter().map(Into::into).collect();
        self.with("!@", field.as_ref(), Value::Array(values))
    }

    /// `%FIELD`: contains the text anywhere (no `%` in the value).
    pub fn like(self, field: impl AsRef<str>, text: impl Into<String>) -> Self {
        self.with("%", field.as_ref(), Value::String(text.into()))
    }

    /// `=%FIELD`: SQL `LIKE` with the caller's own `%` wildcards (`"mol%"`).
    pub fn like_pattern(self, field: impl AsRef<str>, pattern: impl Into<String>) -> Self {
        self.with("=%", field.as_ref(), Value::String(pattern.into()))
    }

    /// `!%FIELD`: does not contain the text.
    pub fn not_like(self, field: impl AsRef<str>, text: impl Into<String>) -> Self {
        self.with("!%", field.as_ref(), Value::String(text.into()))
    }

    /// Any key as given, for operators or shapes the builder has no method for.
    pub fn raw(self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.with("", &key.into(), value.into())
    }

    /// The value under a prefixed key (`">=DATE_CREATE"`).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The `(prefixed key, value)` pairs, in the order they are sent.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Whether no condition is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Serialize for Filter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Filter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(deserializer)?;
        Ok(Filter {
            entries: map.into_iter().collect(),
        })
    }
}

impl crate::wire::FromWire for Filter {}

/// A sort direction; a spelling other than `ASC`/`DESC` read from the wire is kept as sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortOrder {
    /// `ASC`.
    Asc,
    /// `DESC`.
    Desc,
    /// Any other spelling (`asc`, `desc`), sent back unchanged.
    Other(String),
}

impl SortOrder {
    fn as_str(&self) -> &str {
        match self {
            SortOrder::Asc => "ASC",
            SortOrder::Desc => "DESC",
            SortOrder::Other(text) => text,
        }
    }
}

/// A list order: field → direction, sent as one JSON object in insertion order (the first
/// field sorts first).
///
/// ```
/// use bitrix24::Order;
///
/// let order = Order::new().desc("DATE_CREATE").asc("ID");
/// assert_eq!(serde_json::to_string(&order).unwrap(), r#"{"DATE_CREATE":"DESC","ID":"ASC"}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Order {
    entries: Vec<(String, SortOrder)>,
}

impl Order {
    /// No order.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sorts by `field` in the given direction (replacing an earlier direction for it).
    pub fn by(mut self, field: impl Into<String>, direction: SortOrder) -> Self {
        let field = field.into();
        match self.entries.iter_mut().find(|(k, _)| *k == field) {
            Some(entry) => entry.1 = direction,
            None => self.entries.push((field, direction)),
        }
        self
    }

    /// Sorts by `field` ascending.
    pub fn asc(self, field: impl Into<String>) -> Self {
        self.by(field, SortOrder::Asc)
    }

    /// Sorts by `field` descending.
    pub fn desc(self, field: impl Into<String>) -> Self {
        self.by(field, SortOrder::Desc)
    }

    /// The `(field, direction)` pairs, first sort key first.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &SortOrder)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl Serialize for Order {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(k, v.as_str())?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Order {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(deserializer)?;
        let mut entries = Vec::with_capacity(map.len());
        for (field, direction) in map {
            let Value::String(text) = direction else {
                return Err(D::Error::custom(format!(
                    "order of `{field}`: expected a direction string"
                )));
            };
            let direction = match text.as_str() {
                "ASC" => SortOrder::Asc,
                "DESC" => SortOrder::Desc,
                _ => SortOrder::Other(text),
            };
            entries.push((field, direction));
        }
        Ok(Order { entries })
    }
}

impl crate::wire::FromWire for Order {}
