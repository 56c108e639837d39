//! Entity field tables: the fields of a CRM deal, a bank detail, a `crm_multifield`... as the
//! docs list them once (a `*.fields` method's response, or a data-types page), with the methods
//! whose parameters and results refer to them. The typed SDK builds shared entity types from
//! these instead of one copy per method.

use serde::{Deserialize, Serialize};

use crate::{ApiVersion, ClosedValue, TypeExpr};

/// An entity whose fields are documented.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// Stable id: the `*.fields` method's name without `.fields` (`crm.deal`), the entity the
    /// methods linking a reference page share (`crm.item`), or the data type's name
    /// (`crm_multifield`).
    pub id: String,
    /// The API group, as for methods; the entity's file lives under it.
    pub group: String,
    /// The page the fields are read from, relative to the docs root.
    pub source: String,
    /// The fields, in page order.
    #[serde(default)]
    pub fields: Vec<EntityField>,
    /// Methods whose parameters or results refer to this entity, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub used_by: Vec<EntityUse>,
}

/// One field of an entity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityField {
    /// The key on the wire.
    pub name: String,
    /// The documented type; `None` when the docs give none.
    #[serde(rename = "type")]
    pub ty: Option<TypeExpr>,
    /// The title or description, as markdown.
    #[serde(default)]
    pub description: String,
    /// Set by the portal only; never sent on add or update.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// Must be given when the entity is added.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required_on_add: bool,
    /// Holds a list of values.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub multiple: bool,
    /// The closed list of values, when the docs give one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ClosedValue>,
}

/// Where a method refers to an entity: a parameter or result field, by path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityUse {
    /// The method's wire name.
    pub method: String,
    /// Its API version.
    pub api: ApiVersion,
    /// `params.filter`, `result.result.PHONE`...
    pub path: String,
}
