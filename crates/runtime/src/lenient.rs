//! Serde helpers for the shapes Bitrix24 really sends, for use with
//! `#[serde(deserialize_with = "bitrix24_runtime::lenient::...")]`.
//!
//! The portal sends numbers as strings (`"12"`), booleans as `"Y"`/`"N"` (also `"1"`/`"0"`,
//! `true`/`false`), `false` or `""` for "no value", and `[]` for an empty object (PHP's empty
//! array). Every helper accepts those forms and rejects anything else with a serde error; none
//! panics on any input.
//!
//! `option_*` helpers map `null`, `""` and `false` to `None`; pair them with `#[serde(default)]`
//! so that a missing field is `None` too.
//!
//! ```
//! use serde::Deserialize;
//! use bitrix24_runtime::lenient;
//!
//! #[derive(Deserialize)]
//! struct Deal {
//!     #[serde(rename = "ID", deserialize_with = "lenient::int")]
//!     id: u64,
//!     #[serde(rename = "OPPORTUNITY", default, deserialize_with = "lenient::option_float")]
//!     opportunity: Option<f64>,
//!     #[serde(rename = "OPENED", deserialize_with = "lenient::yes_no")]
//!     opened: bool,
//! }
//! let deal: Deal = serde_json::from_str(r#"{"ID":"12","OPPORTUNITY":"","OPENED":"Y"}"#).unwrap();
//! assert_eq!((deal.id, deal.opportunity, deal.opened), (12, None, true));
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An integer sent as a number or a numeric string.
pub fn int<'de, D: Deserializer<'de>, T: TryFrom<i128>>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(IntVisitor(PhantomData))
}

/// Like [`int`], with `null`, `""` and `false` meaning `None`.
pub fn option_int<'de, D: Deserializer<'de>, T: TryFrom<i128>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    d.deserialize_any(EmptyAsNone(IntVisitor(PhantomData)))
}

/// A float sent as a number or a numeric string.
pub fn float<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    d.deserialize_any(FloatVisitor)
}

/// Like [`float`], with `null`, `""` and `false` meaning `None`.
pub fn option_float<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_any(EmptyAsNone(FloatVisitor))
}

/// A boolean sent as `"Y"`/`"N"`, `"1"`/`"0"`, `1`/`0`, `true`/`false` or `"true"`/`"false"`.
pub fn yes_no<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(YesNoVisitor)
}

/// Like [`yes_no`], with `null` and `""` meaning `None` (`false` stays `Some(false)`).
pub fn option_yes_no<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(EmptyAsNone(YesNoVisitor))
}

/// A string sent as a string or a bare number (identifiers come both ways).
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(StringVisitor)
}

/// Like [`string`], with `null`, `""` and `false` meaning `None`.
pub fn option_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(EmptyAsNone(StringVisitor))
}

/// A map (or struct with all-default fields) where PHP's empty array `[]`, `null` and `false`
/// mean "empty". A non-empty array is an error.
pub fn map<'de, D, M>(d: D) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: Deserialize<'de> + Default,
{
    d.deserialize_any(EmptyArrayAsMap(PhantomData))
}

/// Any `T`, with the portal's empty markers (`null`, `false`, `""`, `[]`) meaning `None`.
pub fn option<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = serde_json::Value::deserialize(d)?;
    if is_empty_marker(&value) {
        return Ok(None);
    }
    T::deserialize(value).map(Some).map_err(de::Error::custom)
}

fn is_empty_marker(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// Serialize a `bool` as `"Y"`/`"N"`, for `#[serde(serialize_with = ...)]`.
pub fn serialize_yes_no<S: Serializer>(value: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(if *value { "Y" } else { "N" })
}

/// Serialize an `Option<bool>` as `"Y"`/`"N"` or `null`.
pub fn serialize_option_yes_no<S: Serializer>(
    value: &Option<bool>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(b) => serialize_yes_no(b, s),
        None => s.serialize_none(),
    }
}

/// A boolean that travels as `"Y"`/`"N"` and is read leniently (see [`yes_no`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct YesNo(pub bool);

impl From<bool> for YesNo {
    fn from(value: bool) -> Self {
        Self(value)
    }
}

impl From<YesNo> for bool {
    fn from(value: YesNo) -> Self {
        value.0
    }
}

impl Serialize for YesNo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_yes_no(&self.0, s)
    }
}

impl<'de> Deserialize<'de> for YesNo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        yes_no(d).map(YesNo)
    }
}

struct IntVisitor<T>(PhantomData<T>);

impl<T: TryFrom<i128>> IntVisitor<T> {
    fn fit<E: de::Error>(v: i128) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::custom(format!("integer {v} is out of range")))
    }
}

impl<T: TryFrom<i128>> Visitor<'_> for IntVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Self::fit(i128::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Self::fit(i128::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // `1.0` is an integer; `1.5`, NaN and infinities are not.
        if v.fract() == 0.0 && v.abs() < 1e18 {
            #[allow(clippy::cast_possible_truncation)]
            return Self::fit(v as i128);
        }
        Err(E::invalid_type(Unexpected::Float(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        let parsed = v
            .trim()
            .parse::<i128>()
            .map_err(|_| E::invalid_value(Unexpected::Str(v), &self))?;
        Self::fit(parsed)
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(E::invalid_value(Unexpected::Str(v), &self)),
        }
    }
}

struct YesNoVisitor;

impl Visitor<'_> for YesNoVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"Y\"/\"N\", \"1\"/\"0\", 1/0 or a boolean")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(Unexpected::Signed(v), &self)),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim() {
            "Y" | "y" | "1" | "true" => Ok(true),
            "N" | "n" | "0" | "false" => Ok(false),
            _ => Err(E::invalid_value(Unexpected::Str(v), &self)),
        }
    }
}

struct StringVisitor;

impl Visitor<'_> for StringVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// Wraps a scalar visitor: the portal's empty markers become `None`, anything else is handed on.
struct EmptyAsNone<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for EmptyAsNone<V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(", or null, \"\" or false")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        if v {
            self.0.visit_bool(v).map(Some)
        } else {
            Ok(None)
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.0.visit_i64(v).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.0.visit_u64(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.0.visit_f64(v).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            self.0.visit_str(v).map(Some)
        }
    }
}

struct EmptyArrayAsMap<M>(PhantomData<M>);

impl<'de, M: Deserialize<'de> + Default> Visitor<'de> for EmptyArrayAsMap<M> {
    type Value = M;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object, or an empty array / null / false for an empty one")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<M, A::Error> {
        M::deserialize(de::value::MapAccessDeserializer::new(map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<M, A::Error> {
        match seq.next_element::<IgnoredAny>()? {
            None => Ok(M::default()),
            Some(_) => Err(de::Error::invalid_type(Unexpected::Seq, &self)),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<M, E> {
        Ok(M::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<M, E> {
        Ok(M::default())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<M, E> {
        if v {
            Err(E::invalid_type(Unexpected::Bool(v), &self))
        } else {
            Ok(M::default())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Run a helper on the JSON text `json` (through `serde_json::Value`, an owned deserializer).
    fn read<T>(
        json: &str,
        helper: fn(serde_json::Value) -> Result<T, serde_json::Error>,
    ) -> Result<T, serde_json::Error> {
        helper(serde_json::from_str(json).expect("test input is JSON"))
    }

    #[test]
    fn int_accepts_numbers_and_numeric_strings() {
        assert_eq!(read("12", int::<_, u64>).unwrap(), 12);
        assert_eq!(read("\"12\"", int::<_, u64>).unwrap(), 12);
        assert_eq!(read("\" -7 \"", int::<_, i32>).unwrap(), -7);
        assert_eq!(read("3.0", int::<_, u8>).unwrap(), 3);
    }

    #[test]
    fn int_rejects_malformed_and_out_of_range() {
        for bad in [
            "\"\"",
            "\"12a\"",
            "1.5",
            "true",
            "null",
            "[]",
            "{}",
            "\"1e400\"",
        ] {
            assert!(read(bad, int::<_, u64>).is_err(), "{bad}");
        }
        assert!(read("-1", int::<_, u64>).is_err());
        assert!(read("300", int::<_, u8>).is_err());
        assert!(read(
            "\"99999999999999999999999999999999999999999\"",
            int::<_, i64>
        )
        .is_err());
    }

    #[test]
    fn option_int_maps_empties_to_none() {
        for empty in ["null", "\"\"", "false", "\"  \""] {
            assert_eq!(read(empty, option_int::<_, u32>).unwrap(), None, "{empty}");
        }
        assert_eq!(read("\"5\"", option_int::<_, u32>).unwrap(), Some(5));
        assert!(read("\"x\"", option_int::<_, u32>).is_err());
        assert!(read("true", option_int::<_, u32>).is_err());
    }

    #[test]
    fn float_accepts_numbers_and_strings() {
        assert_eq!(read("\"12.50\"", float).unwrap(), 12.5);
        assert_eq!(read("3", float).unwrap(), 3.0);
        for bad in ["\"abc\"", "\"NaN\"", "\"inf\"", "[]", "true"] {
            assert!(read(bad, float).is_err(), "{bad}");
        }
        assert_eq!(read("\"\"", option_float).unwrap(), None);
        assert_eq!(read("\"0.25\"", option_float).unwrap(), Some(0.25));
    }

    #[test]
    fn yes_no_accepts_every_spelling() {
        for yes in ["\"Y\"", "\"1\"", "1", "true", "\"true\""] {
            assert!(read(yes, yes_no).unwrap(), "{yes}");
        }
        for no in ["\"N\"", "\"0\"", "0", "false", "\"false\""] {
            assert!(!read(no, yes_no).unwrap(), "{no}");
        }
        for bad in ["\"yes\"", "2", "\"\"", "null", "[]"] {
            assert!(read(bad, yes_no).is_err(), "{bad}");
        }
    }

    #[test]
    fn option_yes_no_keeps_false_but_drops_empty() {
        assert_eq!(read("\"\"", option_yes_no).unwrap(), None);
        assert_eq!(read("null", option_yes_no).unwrap(), None);
        assert_eq!(read("\"N\"", option_yes_no).unwrap(), Some(false));
        assert_eq!(read("\"Y\"", option_yes_no).unwrap(), Some(true));
        assert!(read("\"maybe\"", option_yes_no).is_err());
    }

    #[test]
    fn yes_no_type_round_trips_as_y_n() {
        assert_eq!(serde_json::to_string(&YesNo(true)).unwrap(), "\"Y\"");
        assert_eq!(serde_json::to_string(&YesNo(false)).unwrap(), "\"N\"");
        assert_eq!(serde_json::from_str::<YesNo>("\"1\"").unwrap(), YesNo(true));
        assert!(serde_json::from_str::<YesNo>("\"?\"").is_err());
    }

    #[test]
    fn serialize_helpers_write_y_n() {
        #[derive(Serialize)]
        struct Fields {
            #[serde(serialize_with = "serialize_yes_no")]
            opened: bool,
            #[serde(serialize_with = "serialize_option_yes_no")]
            closed: Option<bool>,
        }
        let json = serde_json::to_string(&Fields {
            opened: true,
            closed: None,
        })
        .unwrap();
        assert_eq!(json, r#"{"opened":"Y","closed":null}"#);
    }

    #[test]
    fn string_accepts_numbers() {
        assert_eq!(read("42", string).unwrap(), "42");
        assert_eq!(read("\"C_1\"", string).unwrap(), "C_1");
        assert!(read("{}", string).is_err());
        assert_eq!(read("false", option_string).unwrap(), None);
        assert_eq!(read("7", option_string).unwrap(), Some("7".to_owned()));
    }

    #[test]
    fn map_treats_empty_array_as_empty_map() {
        type M = BTreeMap<String, u32>;
        assert!(read("[]", map::<_, M>).unwrap().is_empty());
        assert!(read("null", map::<_, M>).unwrap().is_empty());
        assert!(read("false", map::<_, M>).unwrap().is_empty());
        assert_eq!(read(r#"{"a":1}"#, map::<_, M>).unwrap()["a"], 1);
        assert!(read("[1]", map::<_, M>).is_err());
        assert!(read("\"x\"", map::<_, M>).is_err());
        assert!(read(r#"{"a":"x"}"#, map::<_, M>).is_err());
    }

    #[test]
    fn option_handles_every_empty_marker() {
        for empty in ["null", "false", "\"\"", "[]"] {
            assert_eq!(read(empty, option::<_, Vec<u32>>).unwrap(), None, "{empty}");
        }
        assert_eq!(
            read("[1,2]", option::<_, Vec<u32>>).unwrap(),
            Some(vec![1, 2])
        );
        assert!(read("[\"x\"]", option::<_, Vec<u32>>).is_err());
    }
}
