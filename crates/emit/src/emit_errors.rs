//! Tokens for `src/error_code.rs`: the `ErrorCode` enum over the whole catalogue, its lookups,
//! and the extension trait reading it off the runtime's `Error`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs::first_line;
use crate::emit_struct::{doc_attrs, ident};
use crate::error_catalogue::{CodeEntry, ErrorCatalogue};

/// How many documenting methods a variant's rustdoc names before pointing to `ERRORS.md`.
const MENTIONS_IN_DOC: usize = 8;
/// Codes where repeating the same call later can succeed unchanged.
const RETRYABLE: &[&str] = &["QUERY_LIMIT_EXCEEDED", "OPERATION_TIME_LIMIT"];

/// The whole `error_code.rs` module.
pub fn error_code_module(catalogue: &ErrorCatalogue) -> TokenStream {
    let variants = catalogue.codes.iter().map(variant_decl);
    let as_str = catalogue.codes.iter().map(|c| {
        let v = ident(&c.variant);
        let code = &c.code;
        quote!(Self::#v => #code,)
    });
    let parse = catalogue.codes.iter().map(|c| {
        let v = ident(&c.variant);
        let upper = c.code.to_ascii_uppercase();
        quote!(#upper => Self::#v,)
    });
    let messages = catalogue
        .codes
        .iter()
        .filter(|c| !c.message.is_empty())
        .map(|c| {
            let v = ident(&c.variant);
            let m = first_line(&c.message);
            quote!(Self::#v => Some(#m),)
        });
    let statuses = status_arms(catalogue);
    let system = variant_pattern(catalogue.codes.iter().filter(|c| c.system));
    let empty_doc = doc_attrs(&empty_doc(catalogue));
    let retryable = variant_pattern(
        catalogue
            .codes
            .iter()
            .filter(|c| RETRYABLE.iter().any(|r| r.eq_ignore_ascii_case(&c.code))),
    );
    quote! {
        //! Every error code the Bitrix24 REST docs document: the system errors any method can
        //! return and the codes each method's page lists. See also `ERRORS.md`.

        /// A Bitrix24 error code (the `error` field of an error response).
        ///
        /// Parsing ignores case, as the portal does; codes the docs do not list are kept in
        /// [`ErrorCode::Other`]; an error sent with an empty code is [`ErrorCode::Empty`].
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            #empty_doc
            Empty,
            /// A code the docs do not list, as sent.
            Other(String),
        }

        impl ErrorCode {
            /// The code as the docs spell it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Empty => "",
                    Self::Other(code) => code,
                }
            }

            /// The HTTP status the docs give for this code.
            pub fn status(&self) -> Option<u16> {
                match self {
                    #(#statuses)*
                    _ => None,
                }
            }

            /// The `error_description` the docs give for this code.
            pub fn message(&self) -> Option<&'static str> {
                match self {
                    #(#messages)*
                    _ => None,
                }
            }

            /// `true` for system errors, which any method can return.
            pub fn is_system(&self) -> bool {
                matches!(self, #system)
            }

            /// `true` when repeating the same call later can succeed unchanged
            /// (`QUERY_LIMIT_EXCEEDED`, `OPERATION_TIME_LIMIT`). `OVERLOAD_LIMIT` is a manual
            /// block and never retryable.
            pub fn is_retryable(&self) -> bool {
                matches!(self, #retryable)
            }
        }

        impl From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                if code.trim().is_empty() {
                    return Self::Empty;
                }
                match code.to_ascii_uppercase().as_str() {
                    #(#parse)*
                    _ => Self::Other(code.to_owned()),
                }
            }
        }

        impl std::str::FromStr for ErrorCode {
            type Err = std::convert::Infallible;

            fn from_str(code: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(code))
            }
        }

        impl std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::Empty => f.write_str("(no code)"),
                    code => f.write_str(code.as_str()),
                }
            }
        }

        /// Reads an [`ErrorCode`] off the runtime's [`Error`](crate::Error).
        pub trait ApiErrorExt {
            /// The error code, for [`Error::Api`](crate::Error::Api) errors.
            fn error_code(&self) -> Option<ErrorCode>;
        }

        impl ApiErrorExt for crate::Error {
            fn error_code(&self) -> Option<ErrorCode> {
                self.code().map(ErrorCode::from)
            }
        }
    }
}

/// Pages document some errors with an empty code and the portal sends them so: a variant of
/// their own (not `Other("")`), displayed as `(no code)`, so that only the message tells them
/// apart, as it does on the page.
fn empty_doc(catalogue: &ErrorCatalogue) -> Vec<String> {
    let mut methods: Vec<&str> = catalogue.empty.iter().map(|m| m.method.as_str()).collect();
    methods.dedup();
    vec![
        "An error sent with an empty `error` code: only its message (`error_description`)"
            .to_owned(),
        "says what went wrong. Displayed as `(no code)`.".to_owned(),
        String::new(),
        format!(
            "Method pages that document such errors: {} (see `ERRORS.md`).",
            methods.len()
        ),
    ]
}

fn variant_decl(c: &CodeEntry) -> TokenStream {
    let v = ident(&c.variant);
    let doc = doc_attrs(&variant_doc(c));
    quote! {
        #doc
        #v,
    }
}

fn variant_doc(c: &CodeEntry) -> Vec<String> {
    let status = c
        .status
        .map_or_else(String::new, |s| format!(" (HTTP {s})"));
    let mut doc = vec![format!(
        "`{}`{status}: {}",
        c.code,
        crate::doc_text::plain(&first_line(&c.message))
    )];
    if !c.description.trim().is_empty() {
        doc.push(String::new());
        doc.extend(crate::docs::markdown_lines(&first_line(&c.description), ""));
    }
    if c.system {
        doc.push(String::new());
        doc.push("A system error: any method can return it.".to_owned());
    }
    if !c.mentions.is_empty() {
        let mut names: Vec<String> = Vec::new();
        for m in &c.mentions {
            let name = format!("`{}`", m.method);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let total = names.len();
        names.truncate(MENTIONS_IN_DOC);
        let more = if total > MENTIONS_IN_DOC {
            format!(" and {} more (see `ERRORS.md`)", total - MENTIONS_IN_DOC)
        } else {
            String::new()
        };
        doc.push(String::new());
        doc.push(format!("Documented by {}{more}.", names.join(", ")));
    }
    doc
}

fn status_arms(catalogue: &ErrorCatalogue) -> Vec<TokenStream> {
    let mut by_status: BTreeMap<u16, Vec<&CodeEntry>> = BTreeMap::new();
    for c in &catalogue.codes {
        if let Some(s) = c.status {
            by_status.entry(s).or_default().push(c);
        }
    }
    by_status
        .into_iter()
        .map(|(status, codes)| {
            let pattern = variant_pattern(codes.into_iter());
            quote!(#pattern => Some(#status),)
        })
        .collect()
}

/// `Self::A | Self::B`, or a pattern matching nothing known when the list is empty.
fn variant_pattern<'a>(codes: impl Iterator<Item = &'a CodeEntry>) -> TokenStream {
    let variants: Vec<TokenStream> = codes
        .map(|c| {
            let v = ident(&c.variant);
            quote!(Self::#v)
        })
        .collect();
    if variants.is_empty() {
        quote!(Self::Other(_) if false)
    } else {
        quote!(#(#variants)|*)
    }
}
