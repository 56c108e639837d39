//! How every generated type travels: read leniently (Bitrix24 sends numbers as strings, `"Y"`/`"N"`
//! for booleans, `false`/`""`/`[]` for "nothing"), written exactly as documented.
//!
//! Generated structs implement `Serialize`/`Deserialize` by hand through [`Writer`] and [`decode`]
//! rather than with serde's derive: one line per field keeps thousands of types cheap to compile,
//! and routes every field through [`FromWire`], whose scalar rules come from
//! [`bitrix24_runtime::lenient`].
//!
//! Public (and hidden from the docs) because every group crate's generated code calls it; it
//! is not an API for users.

use std::fmt;

use bitrix24_runtime::lenient;
use serde::de::{DeserializeOwned, Error as _};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Keys the docs do not list (user fields `UF_*`, newer parameters), kept as sent.
pub type Extra = Map<String, Value>;

/// A whole `result` the portal sends as `"Y"`/`"N"`: read leniently, written back as sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct YesNo(pub bool);

impl From<YesNo> for bool {
    fn from(flag: YesNo) -> bool {
        flag.0
    }
}

impl Serialize for YesNo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if self.0 { "Y" } else { "N" })
    }
}

impl<'de> serde::Deserialize<'de> for YesNo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        lenient::yes_no(value).map(YesNo).map_err(D::Error::custom)
    }
}

/// `Debug` of a generated type: its name and the JSON it travels as (`DealAdd {"FIELDS":{..}}`);
/// `{:#?}` pretty-prints the JSON. One call per type instead of a derived body per field keeps
/// the crate's build memory down, and shows exactly what is sent or was received.
pub fn debug<T: Serialize>(value: &T, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match serde_json::to_value(value) {
        Ok(json) if f.alternate() => write!(f, "{name} {json:#}"),
        Ok(json) => write!(f, "{name} {json}"),
        Err(e) => write!(f, "{name} <not encodable: {e}>"),
    }
}

/// `PartialEq` of a generated type: two values are equal when they travel as the same JSON.
pub fn same_on_wire<T: Serialize>(a: &T, b: &T) -> bool {
    match (serde_json::to_value(a), serde_json::to_value(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Reads a value the way the portal really sends it.
pub trait FromWire: DeserializeOwned {
    /// Reads a present value.
    fn from_wire(value: Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(value)
    }

    /// Reads an optional value: `null` and the portal's empty markers are `None`.
    fn from_wire_opt(value: Value) -> Result<Option<Self>, serde_json::Error> {
        if is_empty_marker(&value) {
            Ok(None)
        } else {
            Self::from_wire(value).map(Some)
        }
    }
}

fn is_empty_marker(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        // Event payloads documented as `undefined | object` send the text "undefined".
        Value::String(s) => s.trim().is_empty() || s == "undefined",
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

impl FromWire for i64 {
    fn from_wire(value: Value) -> Result<Self, serde_json::Error> {
        lenient::int(value)
    }
}

impl FromWire for f64 {
    fn from_wire(value: Value) -> Result<Self, serde_json::Error> {
        lenient::float(value)
    }
}

impl FromWire for bool {
    fn from_wire(value: Value) -> Result<Self, serde_json::Error> {
        lenient::yes_no(value)
    }

    fn from_wire_opt(value: Value) -> Result<Option<Self>, serde_json::Error> {
        match &value {
            Value::Null => Ok(None),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            _ => lenient::yes_no(value).map(Some),
        }
    }
}

impl FromWire for String {
    fn from_wire(value: Value) -> Result<Self, serde_json::Error> {
        lenient::string(value)
    }

    // `""` stays a value (an empty text is one); `false` is PHP's "nothing" (`im.search.user.list`
    // sends `"idle": false`).
    fn from_wire_opt(value: Value) -> Result<Option<Self>, serde_json::Error> {
        match value {
            Value::Null | Value::Bool(false) => Ok(None),
            other => lenient::string(other).map(Some),
        }
    }
}

impl FromWire for Value {
    fn from_wire_opt(value: Value) -> Result<Option<Self>, serde_json::Error> {
        Ok(Some(value).filter(|v| !v.is_null()))
    }
}

impl FromWire for Map<String, Value> {
    fn from_wire(value: Value) -> Result<Self, serde_json::Error> {
        lenient::map(value)
    }

    fn from_wire_opt(value: Value) -> Result<Option<Self>, serde_json::Error> {
        match &value {
            Value::Null | Value::Bool(false) => Ok(None),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            _ => lenient::map(value).map(Some),
        }
    }
}

impl<T: FromWire> FromWire for Vec<T> {
    /// PHP sends some lists as objects keyed `"0"`, `"1"`...: their values are the items.
    fn from_wire(value: Value) -> Result<Self, serde_json::Error> {
        let items: Vec<Value> = match value {
            Value::Array(items) => items,
            Value::Object(map) => map.into_iter().map(|(_, v)| v).collect(),
            other => return Err(serde_json::Error::custom(format!("expected a list, got {other}"))),
        };
        items.into_iter().map(T::from_wire).collect()
    }

    fn from_wire_opt(value: Value) -> Result<Option<Self>, serde_json::Error> {
        match &value {
            Value::Null | Value::Bool(false) => Ok(None),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            _ => Self::from_wire(value).map(Some),
        }
    }
}

/// The fields of one JSON object being read into a struct.
///
/// An optional field that fails to read is `None` and its error is kept: [`decode`] reports the
/// first one. Generated code then reads a field with one call and no `?`, which keeps the
/// thousands of `Deserialize` bodies small for the compiler (a `?` per field cost the crate's
/// build about 15% of its peak memory).
#[derive(Debug)]
pub struct Fields {
    map: Map<String, Value>,
    error: Option<String>,
    /// Documented fields looked up, and how many of them the object had (see [`census`]).
    asked: u32,
    took: u32,
    /// Keys left over for `extra`.
    leftover: Vec<String>,
}

impl Fields {
    /// Takes an optional field.
    pub fn optional<T: FromWire>(&mut self, key: &str) -> Option<T> {
        self.asked += 1;
        let value = self.map.remove(key)?;
        self.took += 1;
        match T::from_wire_opt(value) {
            Ok(value) => value,
            Err(e) => {
                self.error.get_or_insert_with(|| format!("field `{key}`: {e}"));
                None
            }
        }
    }

    /// Takes a required field.
    pub fn required<T: FromWire>(&mut self, key: &str) -> Result<T, String> {
        let value = self.map.remove(key).ok_or_else(|| format!("missing field `{key}`"))?;
        T::from_wire(value).map_err(|e| format!("field `{key}`: {e}"))
    }

    /// Takes every key of a pattern member: the keys starting with `prefix` (all keys for `""`).
    pub fn pattern(&mut self, prefix: &str) -> Extra {
        let keys: Vec<String> = self.map.keys().filter(|k| k.starts_with(prefix)).cloned().collect();
        keys.into_iter()
            .filter_map(|k| self.map.remove(&k).map(|v| (k, v)))
            .collect()
    }

    /// Everything not taken yet.
    pub fn extra(&mut self) -> Extra {
        if census::watching() {
            self.leftover.extend(self.map.keys().cloned());
        }
        std::mem::take(&mut self.map)
    }
}

/// Reads a JSON object (PHP's `[]` counts as an empty one) and builds a struct from its fields.
pub fn decode<'de, D, T>(deserializer: D, build: impl FnOnce(&mut Fields) -> Result<T, String>) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let map: Map<String, Value> = lenient::map(deserializer)?;
    let mut fields = Fields {
        map,
        error: None,
        asked: 0,
        took: 0,
        leftover: Vec::new(),
    };
    let built = build(&mut fields).map_err(D::Error::custom)?;
    if census::watching() {
        census::observe::<T>(&fields);
    }
    match fields.error {
        Some(error) => Err(D::Error::custom(error)),
        None => Ok(built),
    }
}

/// Writes a struct as a JSON object, leaving out absent fields.
///
/// Every write returns nothing: the first error is kept and [`Writer::end`] returns it, and
/// nothing is written after it. Generated code then writes a field with one call and no `?`
/// (see [`Fields`] for why that matters).
#[derive(Debug)]
pub struct Writer<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

/// Starts writing a struct.
pub fn writer<S: Serializer>(serializer: S) -> Result<Writer<S::SerializeMap>, S::Error> {
    Ok(Writer { map: serializer.serialize_map(None)?, error: None })
}

impl<M: SerializeMap> Writer<M> {
    /// Writes one entry unless an earlier one failed.
    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if self.error.is_none() {
            if let Err(e) = self.map.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
    }

    /// Writes a field that is always present.
    pub fn required<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.entry(key, value)
    }

    /// Writes a field if it is set.
    pub fn optional<T: Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.entry(key, value);
        }
    }

    /// Writes a `char` flag as `"Y"`/`"N"`.
    pub fn yes_no(&mut self, key: &str, value: &bool) {
        self.entry(key, if *value { "Y" } else { "N" })
    }

    /// Writes an optional `char` flag as `"Y"`/`"N"` if it is set.
    pub fn optional_yes_no(&mut self, key: &str, value: &Option<bool>) {
        if let Some(value) = value {
            self.yes_no(key, value);
        }
    }

    /// Writes a flag as the number `1`/`0`.
    pub fn bit(&mut self, key: &str, value: &bool) {
        self.entry(key, &u8::from(*value))
    }

    /// Writes an optional flag as `1`/`0` if it is set.
    pub fn optional_bit(&mut self, key: &str, value: &Option<bool>) {
        if let Some(value) = value {
            self.bit(key, value);
        }
    }

    /// Writes a number as its decimal text (`"5"`), as the page's example sends it.
    pub fn text(&mut self, key: &str, value: &i64) {
        self.entry(key, &value.to_string())
    }

    /// Writes an optional number as text if it is set.
    pub fn optional_text(&mut self, key: &str, value: &Option<i64>) {
        if let Some(value) = value {
            self.text(key, value);
        }
    }

    /// Writes a number as JSON writes it: a whole value without `.0` (`1000`, not `1000.0`),
    /// as the docs' examples send amounts.
    pub fn number(&mut self, key: &str, value: &f64) {
        // Whole values up to 2^53 are exact as integers; anything else keeps its fraction.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if value.fract() == 0.0 && value.abs() <= EXACT {
            #[allow(clippy::cast_possible_truncation)]
            let whole = *value as i64;
            self.entry(key, &whole)
        } else {
            self.entry(key, value)
        }
    }

    /// Writes an optional number if it is set.
    pub fn optional_number(&mut self, key: &str, value: &Option<f64>) {
        if let Some(value) = value {
            self.number(key, value);
        }
    }

    /// Writes the keys of a pattern member (`UF_CRM_*`) under their real names.
    pub fn pattern(&mut self, keys: &Extra) {
        keys.iter().for_each(|(k, v)| self.entry(k, v));
    }

    /// Writes the undocumented keys.
    pub fn extra(&mut self, extra: &Extra) {
        extra.iter().for_each(|(k, v)| self.entry(k, v));
    }

    /// Finishes the object, or returns the first error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

/// Objects that had keys but none of the documented fields of the type they were read into:
/// everything went to `extra`, so the value decodes and encodes back perfectly while the typed
/// API shows nothing. The example gate watches for them; a round trip alone cannot tell.
///
/// Off unless [`census::watch`] runs: one thread-local read per object.
#[doc(hidden)]
pub mod census {
    use std::cell::{Cell, RefCell};

    use super::Fields;

    thread_local! {
        static WATCHING: Cell<bool> = const { Cell::new(false) };
        static MISSES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    /// Runs `read` and returns what it returned with the objects that took none of their
    /// documented fields, each as ``type `T` took none of its N fields; keys: a, b``.
    pub fn watch<R>(read: impl FnOnce() -> R) -> (R, Vec<String>) {
        WATCHING.with(|w| w.set(true));
        let out = read();
        WATCHING.with(|w| w.set(false));
        (out, MISSES.with(|m| std::mem::take(&mut *m.borrow_mut())))
    }

    pub(super) fn watching() -> bool {
        WATCHING.with(Cell::get)
    }

    pub(super) fn observe<T>(fields: &Fields) {
        let keys = fields.leftover.len() + fields.map.len();
        if fields.asked == 0 || fields.took > 0 || keys == 0 {
            return;
        }
        let mut names: Vec<&str> = fields.leftover.iter().map(String::as_str).collect();
        names.extend(fields.map.keys().map(String::as_str));
        names.sort_unstable();
        let shown = names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
        let more = if names.len() > 5 { ", ..." } else { "" };
        let message = format!(
            "`{}` took none of its {} documented fields; keys: {shown}{more}",
            std::any::type_name::<T>(),
            fields.asked
        );
        MISSES.with(|m| m.borrow_mut().push(message));
    }
}
