//! The emit model: the spec with every Rust decision already made (names, types, modules,
//! features, docs). Token emission reads only this, so naming and typing happen exactly once.

use b24_spec::ApiVersion;

use crate::calls::{CallTree, MethodRef};
use crate::entities::EntityModel;
use crate::error_catalogue::ErrorCatalogue;
use crate::events::EventModel;
use crate::types::{RustType, TypeLog};

/// The whole generated crate.
#[derive(Debug)]
pub struct CrateModel {
    /// API groups, sorted by feature name.
    pub groups: Vec<GroupModel>,
    /// Every error code the spec documents.
    pub errors: ErrorCatalogue,
    /// Documented type names met and what they became.
    pub type_log: TypeLog,
    /// `owner/name@commit` of the docs the spec came from.
    pub source: String,
    /// The REST v2 accessor tree (`client.crm().deal().list()`).
    pub calls_v2: CallTree,
    /// The REST 3.0 accessor tree (`client.v3().tasks().task().get()`).
    pub calls_v3: CallTree,
    /// Typed events.
    pub events: Vec<EventModel>,
}

/// One API group: a cargo feature, a module per API version that has methods.
#[derive(Debug)]
pub struct GroupModel {
    /// The group as the spec names it.
    pub group: String,
    /// Cargo feature name.
    pub feature: String,
    /// Module (and accessor function) name.
    pub module: String,
    /// REST v2 methods, in spec order.
    pub v2: Vec<MethodModel>,
    /// REST 3.0 methods, in spec order.
    pub v3: Vec<MethodModel>,
    /// Shared entity types, emitted in the REST v2 module.
    pub entities: Vec<EntityModel>,
    /// Closed-list enums of both modules (see [`crate::enums`]).
    pub enums: Vec<crate::enums::EnumModel>,
}

impl GroupModel {
    /// The methods of one API version.
    pub fn methods(&self, api: ApiVersion) -> &[MethodModel] {
        match api {
            ApiVersion::V2 => &self.v2,
            ApiVersion::V3 => &self.v3,
        }
    }
}

/// One REST method.
#[derive(Debug)]
pub struct MethodModel {
    /// Wire name.
    pub wire: String,
    /// API version.
    pub api: ApiVersion,
    /// Request type name, e.g. `DealAdd`.
    pub type_name: String,
    /// How it is called, e.g. `client.crm().deal().add()`.
    pub call: String,
    /// Rustdoc lines of the request type.
    pub doc: Vec<String>,
    /// One-line summary (the page title).
    pub title: String,
    /// The request struct (top-level parameters).
    pub request: StructModel,
    /// Structs for nested parameters and result objects.
    pub nested: Vec<StructModel>,
    /// The type `result` decodes into.
    pub response: RustType,
    /// Variant names of the error codes the page documents, in page order.
    pub errors: Vec<String>,
    /// `Some(note)` when deprecated.
    pub deprecated: Option<String>,
    /// The method replacing a deprecated one, when the spec has it.
    pub replacement: Option<(ApiVersion, MethodRef)>,
    /// Safe to repeat (reads).
    pub idempotent: bool,
    /// How to stream it, for list methods.
    pub list: Option<ListModel>,
}

/// What a list method tells the runtime (`ListMethod`).
#[derive(Debug, Clone, PartialEq)]
pub struct ListModel {
    /// One item.
    pub item: RustType,
    /// Key of the item array inside `result`; `None` when `result` is the array.
    pub items_key: Option<String>,
    /// The ascending numeric ID enabling the fast path (`ID`), when the method takes
    /// `filter`, `order` and `start` and its items carry it.
    pub id_field: Option<String>,
}

/// Which way a struct's data flows: it decides derives and field optionality.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A request: required fields are positional constructor arguments.
    Request,
    /// A nested parameter object: every field optional, built from `Default`.
    Input,
    /// Returned data: every field optional and decoded leniently.
    Output,
    /// A shared entity type: read and written, read-only fields private with a getter.
    Entity,
}

/// A generated struct.
#[derive(Debug)]
pub struct StructModel {
    /// Rust name.
    pub name: String,
    /// Rustdoc lines.
    pub doc: Vec<String>,
    /// Fields, in page order.
    pub fields: Vec<FieldModel>,
    /// Data direction.
    pub role: Role,
    /// Alternative sets of fields (indices into `fields`): a request must carry one whole set.
    pub one_of: Vec<Vec<usize>>,
}

/// A struct field.
#[derive(Debug)]
pub struct FieldModel {
    /// Key on the wire.
    pub wire: String,
    /// Rust name.
    pub ident: String,
    /// Rust type (without the `Option` optional fields get).
    pub ty: RustType,
    /// A constructor argument rather than an `Option`.
    pub required: bool,
    /// For a pattern member (`UF_CRM_*`): the key prefix; the field is a map of every key
    /// starting with it, by its real name.
    pub pattern: Option<String>,
    /// Rustdoc lines.
    pub doc: Vec<String>,
    /// Set by the portal only (entity fields): readable, never settable.
    pub read_only: bool,
    /// The closed list of values the docs give, turned into an enum by [`crate::enums`].
    pub values: Vec<crate::enums::ListedValue>,
}
