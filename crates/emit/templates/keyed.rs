//! Objects the portal keys by ID or by name (`{"3": {...}, "7": {...}}`): PHP arrays with
//! non-sequential keys arrive as JSON objects, so a "list" of checklist items, bots or field
//! descriptions is an object whose values share one shape.

use std::ops::{Deref, DerefMut};

use bitrix24_runtime::lenient;
use indexmap::IndexMap;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::wire::FromWire;

/// Values keyed by ID or name, in the order the portal sent them.
///
/// Derefs to an [`IndexMap`], so `get`, `iter`, `keys`, `values` and `len` work as on a map;
/// iteration follows the portal's order (often meaningful: sort order, ID order). Reads PHP's
/// empty array `[]` as an empty map, as the portal sends it.
#[derive(Clone, Debug, PartialEq)]
pub struct Keyed<T>(pub IndexMap<String, T>);

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Self(IndexMap::new())
    }
}

impl<T> Deref for Keyed<T> {
    type Target = IndexMap<String, T>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T> DerefMut for Keyed<T> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<T> IntoIterator for Keyed<T> {
    type Item = (String, T);
    type IntoIter = indexmap::map::IntoIter<String, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Keyed<T> {
    type Item = (&'a String, &'a T);
    type IntoIter = indexmap::map::Iter<'a, String, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T> FromIterator<(String, T)> for Keyed<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl<T: Serialize> Serialize for Keyed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(&self.0)
    }
}

impl<'de, T: FromWire> Deserialize<'de> for Keyed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map: serde_json::Map<String, serde_json::Value> = lenient::map(deserializer)?;
        map.into_iter()
            .map(|(key, value)| match T::from_wire(value) {
                Ok(value) => Ok((key, value)),
                Err(e) => Err(D::Error::custom(format!("key `{key}`: {e}"))),
            })
            .collect()
    }
}

impl<T: FromWire> FromWire for Keyed<T> {}
