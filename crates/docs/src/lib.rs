//! Docs frontends for the Bitrix24 REST documentation: pages → page model → spec.
//!
//! A frontend turns one page (markdown now; HTML and plain text read into the same
//! [`page::Page`]) into the page model; [`extract`] reads methods out of pages; [`corpus`]
//! runs that over a whole docs tree in parallel and collects diagnostics. No stage here
//! knows about Rust code generation: the output is a [`b24_spec::Spec`].

pub mod corpus;
pub mod diagnostic;
pub mod entities;
pub mod events;
pub mod extract;
pub mod html;
pub mod limits;
pub mod lint;
pub mod markdown;
pub mod page;
pub mod page_kind;
pub mod param_refs;
pub mod placements;
pub mod reference_pages;
pub mod render;
mod source;
pub mod system_errors;
pub mod text;

pub use corpus::{
    detect_format, extract, extract_one, extract_with, ExtractError, Extraction, Format, Stats,
};
pub use diagnostic::{Diagnostic, DiagnosticKind};
pub use page_kind::PageKind;
