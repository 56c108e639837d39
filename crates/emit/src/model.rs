//! The emit model: the spec with every Rust decision already made (names, types, modules,
//! features, docs). Token emission reads only this, so naming and typing happen exactly once.

use b24_spec::ApiVersion;

use crate::error_catalogue::ErrorCatalogue;
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
    /// Scope accessor struct name, e.g. `Crm`.
    pub accessor: String,
    /// REST v2 methods, in spec order.
    pub v2: Vec<MethodModel>,
    /// REST 3.0 methods, in spec order.
    pub v3: Vec<MethodModel>,
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
    /// Accessor function name, e.g. `deal_add`.
    pub fn_name: String,
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
    /// Safe to repeat (reads).
    pub idempotent: bool,
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
}
