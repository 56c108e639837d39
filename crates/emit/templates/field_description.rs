//! What a `*.fields` method says of one field: its type and attributes, as the portal sends
//! them (`{"TITLE": {"type": "string", "isRequired": true, ...}}`). Pages whose result table
//! lists the entity's fields rather than these attributes still answer with them, so the
//! generated code types such answers as `Keyed<FieldDescription>`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::wire::{self, Extra, FromWire};

/// One field's description, keyed by the field's name in the answer.
#[derive(Clone, Default)]
pub struct FieldDescription {
    /// The field's type (`integer`, `string`, `crm_status`, `user`, ...).
    pub field_type: Option<String>,
    /// A value must be given on add.
    pub is_required: Option<bool>,
    /// Set by the portal only.
    pub is_read_only: Option<bool>,
    /// Set on add, never changed after.
    pub is_immutable: Option<bool>,
    /// Holds a list of values.
    pub is_multiple: Option<bool>,
    /// A custom (user) field.
    pub is_dynamic: Option<bool>,
    /// The field's name for people.
    pub title: Option<String>,
    /// Other attributes (`upperName`, `items`, `settings`, `statusType`...), as sent.
    pub extra: Extra,
}

impl Serialize for FieldDescription {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut w = wire::writer(serializer)?;
        w.optional("type", &self.field_type);
        w.optional("isRequired", &self.is_required);
        w.optional("isReadOnly", &self.is_read_only);
        w.optional("isImmutable", &self.is_immutable);
        w.optional("isMultiple", &self.is_multiple);
        w.optional("isDynamic", &self.is_dynamic);
        w.optional("title", &self.title);
        w.extra(&self.extra);
        w.end()
    }
}

impl<'de> Deserialize<'de> for FieldDescription {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        wire::decode(deserializer, |f| {
            Ok(Self {
                field_type: f.optional("type"),
                is_required: f.optional("isRequired"),
                is_read_only: f.optional("isReadOnly"),
                is_immutable: f.optional("isImmutable"),
                is_multiple: f.optional("isMultiple"),
                is_dynamic: f.optional("isDynamic"),
                title: f.optional("title"),
                extra: f.extra(),
            })
        })
    }
}

impl FromWire for FieldDescription {}

impl std::fmt::Debug for FieldDescription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        wire::debug(self, "FieldDescription", f)
    }
}

impl PartialEq for FieldDescription {
    fn eq(&self, other: &Self) -> bool {
        wire::same_on_wire(self, other)
    }
}
