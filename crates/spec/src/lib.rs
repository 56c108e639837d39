//! The Bitrix24 REST API spec model: the one contract every stage of the pipeline shares.
//!
//! Frontends (markdown, HTML, text) produce a [`Spec`]; the emitter and the drift tools read one.
//! Nothing in here knows about docs syntax or Rust code generation. The on-disk form is YAML,
//! one file per method (see [`layout`]), read and written only through [`codec`].

mod closed_value;
pub mod codec;
mod entity;
mod event;
pub mod layout;
mod model;
pub mod patch;
mod placement;
pub mod result_shape;
mod type_expr;
pub mod type_kind;
pub mod validate;

pub use closed_value::{ClosedValue, Scalar};
pub use entity::{Entity, EntityField, EntityUse};
pub use event::Event;
pub use model::{
    result_layout, ApiVersion, Deprecation, ErrorEntry, Examples, Method, MethodKey, Param,
    ResultField, ResultLayout, Snapshot, Spec, SystemError, Wire, ENVELOPE_KEYS,
};
pub use placement::Placement;
pub use type_expr::{TypeExpr, TypeExprError};
