//! Tokens for one generated struct: the type, its hand-written serde impls (through the generated
//! `wire` module) and, for requests, the constructor and setters.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{FieldModel, Role, StructModel};
use crate::types::RustType;

/// `#[doc = " line"]`, one attribute per line, so prettyplease prints `///` comments.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// An identifier from the naming module (already valid Rust).
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type tokens.
pub fn type_tokens(ty: &RustType) -> TokenStream {
    match ty {
        RustType::Int => quote!(i64),
        RustType::Float => quote!(f64),
        RustType::Str => quote!(String),
        RustType::Bool | RustType::YesNo => quote!(bool),
        RustType::File => quote!(crate::File),
        RustType::Json => quote!(::serde_json::Value),
        RustType::JsonMap => quote!(::serde_json::Map<String, ::serde_json::Value>),
        RustType::Vec(inner) => {
            let inner = type_tokens(inner);
            quote!(Vec<#inner>)
        }
        RustType::Struct(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The struct definition and its impls.
pub fn struct_tokens(s: &StructModel, deprecated: Option<&str>) -> TokenStream {
    let name = ident(&s.name);
    let doc = doc_attrs(&s.doc);
    let deprecated = deprecated.map(|note| quote!(#[deprecated(note = #note)]));
    let derives = if s.fields.iter().any(|f| f.required) {
        quote!(#[derive(Clone, Debug, PartialEq)])
    } else {
        quote!(#[derive(Clone, Debug, Default, PartialEq)])
    };
    let fields = s.fields.iter().map(field_decl);
    let extra_doc = doc_attrs(&[match s.role {
        Role::Output => "Keys the docs do not list (user fields `UF_*` and the like), as returned.",
        _ => "Keys the docs do not list (user fields `UF_*` and the like), sent as given.",
    }
    .to_owned()]);
    let serialize = serialize_impl(s);
    let deserialize = deserialize_impl(s);
    let builder = (s.role == Role::Request).then(|| request_builder(s));
    quote! {
        #doc
        #deprecated
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #extra_doc
            pub extra: crate::Extra,
        }
        #builder
        #serialize
        #deserialize
        impl crate::wire::FromWire for #name {}
    }
}

fn field_decl(f: &FieldModel) -> TokenStream {
    let doc = doc_attrs(&f.doc);
    let name = ident(&f.ident);
    let ty = type_tokens(&f.ty);
    let ty = if f.required { ty } else { quote!(Option<#ty>) };
    quote! {
        #doc
        pub #name: #ty,
    }
}

fn serialize_impl(s: &StructModel) -> TokenStream {
    let name = ident(&s.name);
    let writes = s.fields.iter().map(|f| {
        let wire = &f.wire;
        let field = ident(&f.ident);
        let call = match (f.ty == RustType::YesNo, f.required) {
            (true, true) => quote!(yes_no),
            (true, false) => quote!(optional_yes_no),
            (false, true) => quote!(required),
            (false, false) => quote!(optional),
        };
        quote!(w.#call(#wire, &self.#field)?;)
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut w = crate::wire::writer(serializer)?;
                #(#writes)*
                w.extra(&self.extra)?;
                w.end()
            }
        }
    }
}

fn deserialize_impl(s: &StructModel) -> TokenStream {
    let name = ident(&s.name);
    let reads = s.fields.iter().map(|f| {
        let wire = &f.wire;
        let field = ident(&f.ident);
        let call = if f.required {
            quote!(required)
        } else {
            quote!(optional)
        };
        quote!(#field: f.#call(#wire)?,)
    });
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::wire::decode(deserializer, |f| {
                    Ok(Self {
                        #(#reads)*
                        extra: f.extra(),
                    })
                })
            }
        }
    }
}

/// Setter names clippy mistakes for std trait methods (a parameter called `add`, `not`, ...).
const STD_TRAIT_METHODS: &[&str] = &[
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "neg",
    "not",
    "shl",
    "shr",
    "bitand",
    "bitor",
    "bitxor",
    "next",
    "from_str",
    "default",
    "hash",
    "eq",
    "cmp",
    "partial_cmp",
    "clone",
    "deref",
    "deref_mut",
    "drop",
    "index",
    "index_mut",
    "borrow",
    "borrow_mut",
    "as_ref",
    "as_mut",
    "into_iter",
    "from_iter",
];

/// Argument type for a constructor or setter: strings take anything `Into<String>`.
fn arg_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::Str => quote!(impl Into<String>),
        other => type_tokens(other),
    }
}

fn arg_value(f: &FieldModel) -> TokenStream {
    let name = ident(&f.ident);
    match f.ty {
        RustType::Str => quote!(#name.into()),
        _ => quote!(#name),
    }
}

fn request_builder(s: &StructModel) -> TokenStream {
    let name = ident(&s.name);
    let required: Vec<&FieldModel> = s.fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let n = ident(&f.ident);
        let t = arg_type(&f.ty);
        quote!(#n: #t)
    });
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.ident);
        if f.required && f.ty == RustType::Str {
            quote!(#n: #n.into(),)
        } else if f.required {
            quote!(#n,)
        } else {
            quote!(#n: None,)
        }
    });
    let new_doc = doc_attrs(&[if required.is_empty() {
        "A request with no parameters set.".to_owned()
    } else {
        "A request with its required parameters.".to_owned()
    }]);
    let setters = s.fields.iter().filter(|f| !f.required).map(setter);
    let lint = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            #new_doc
            #lint
            pub fn new(#(#params),*) -> Self {
                Self {
                    #(#inits)*
                    extra: crate::Extra::new(),
                }
            }
            #(#setters)*
            /// Sets a parameter the docs do not list.
            pub fn extra(mut self, key: impl Into<String>, value: ::serde_json::Value) -> Self {
                self.extra.insert(key.into(), value);
                self
            }
        }
    }
}

fn setter(f: &FieldModel) -> TokenStream {
    let n = ident(&f.ident);
    let t = arg_type(&f.ty);
    let v = arg_value(f);
    let doc = format!(" Sets `{}`.", f.wire);
    let lint = STD_TRAIT_METHODS
        .contains(&f.ident.as_str())
        .then(|| quote!(#[allow(clippy::should_implement_trait)]));
    quote! {
        #[doc = #doc]
        #lint
        pub fn #n(mut self, #n: #t) -> Self {
            self.#n = Some(#v);
            self
        }
    }
}
