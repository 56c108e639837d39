//! One value of a closed list the docs give for a parameter or an entity field ("Possible
//! values: `A` — ..., `B` — ..."), as it travels: a JSON string or a JSON number. The emitter
//! turns each list into a Rust enum; the list is kept only when the docs present it as closed.

use serde::{Deserialize, Serialize};

/// A value of a closed list, with what the docs say it means.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosedValue {
    /// The value exactly as sent.
    pub value: Scalar,
    /// What the docs say the value means, as markdown; empty when they say nothing.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A scalar as it travels: numbers stay numbers (`1`), text stays text (`"1"`, `"NEW"`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// A JSON number.
    Int(i64),
    /// A JSON string.
    Text(String),
}

impl Scalar {
    /// The value as text (`1`, `NEW`), for docs and names.
    pub fn text(&self) -> String {
        match self {
            Scalar::Int(n) => n.to_string(),
            Scalar::Text(s) => s.clone(),
        }
    }
}

impl ClosedValue {
    /// A text value with a description (fixtures and tests).
    pub fn text(value: impl Into<String>, description: impl Into<String>) -> Self {
        ClosedValue {
            value: Scalar::Text(value.into()),
            description: description.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{from_yaml, to_yaml};

    #[test]
    fn numbers_and_numeric_text_stay_apart_on_disk() {
        let values = vec![
            ClosedValue {
                value: Scalar::Int(1),
                description: "one".into(),
            },
            ClosedValue::text("1", ""),
            ClosedValue::text("Y", "yes"),
        ];
        let yaml = to_yaml(&values).unwrap();
        assert!(yaml.contains("- value: 1\n"), "{yaml}");
        assert!(yaml.contains("- value: \"1\"\n"), "{yaml}");
        let back: Vec<ClosedValue> = from_yaml(&yaml, "test").unwrap();
        assert_eq!(back, values);
    }
}
