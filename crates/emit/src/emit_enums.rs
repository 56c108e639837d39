//! Tokens for the closed-list enums of one module: the enum with its documented variants and
//! `Other`, the wire value (`as_str` / `value`), `From` conversions that pick the listed
//! variant, `Display`, and a codec writing exactly the wire value (read leniently, as every
//! generated type is: numbers may arrive quoted).

use b24_spec::{ApiVersion, Scalar};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit_struct::{doc_attrs, ident};
use crate::enums::EnumModel;
use crate::model::GroupModel;

/// The enums of `group`'s `api` module.
pub fn module_enums(group: &GroupModel, api: ApiVersion) -> Vec<TokenStream> {
    group
        .enums
        .iter()
        .filter(|e| e.api == api)
        .map(|e| if e.numeric { int_enum(e) } else { text_enum(e) })
        .collect()
}

/// The enum definition: documented variants, then `Other` holding `other`.
fn definition(e: &EnumModel, other: TokenStream, derives: TokenStream) -> TokenStream {
    let name = ident(&e.name);
    let doc = doc_attrs(&e.doc);
    let variants = e.variants.iter().map(|v| {
        let doc = doc_attrs(&v.doc);
        let variant = ident(&v.ident);
        quote!(#doc #variant,)
    });
    quote! {
        #doc
        #derives
        pub enum #name {
            #(#variants)*
            /// A value the docs do not list, kept exactly as sent.
            Other(#other),
        }
    }
}

fn value_tokens(value: &Scalar) -> TokenStream {
    match value {
        Scalar::Int(n) => {
            let lit = Literal::i64_unsuffixed(*n);
            quote!(#lit)
        }
        Scalar::Text(s) => quote!(#s),
    }
}

fn text_enum(e: &EnumModel) -> TokenStream {
    let name = ident(&e.name);
    let def = definition(
        e,
        quote!(String),
        quote!(#[derive(Clone, Debug, PartialEq, Eq, Hash)]),
    );
    let to_wire = e.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let value = value_tokens(&v.value);
        quote!(Self::#variant => #value,)
    });
    let from_wire = e.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let value = value_tokens(&v.value);
        quote!(#value => Self::#variant,)
    });
    quote! {
        #def
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::Other(value) => value,
                }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }
        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Other(_) => Self::Other(value),
                    listed => listed,
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::lenient::string(deserializer).map(Self::from)
            }
        }
        impl crate::wire::FromWire for #name {
            // As for `String`: only `null` is absent; `""` is a value (kept in `Other`).
            fn from_wire_opt(value: ::serde_json::Value) -> Result<Option<Self>, ::serde_json::Error> {
                match value {
                    ::serde_json::Value::Null => Ok(None),
                    other => <Self as crate::wire::FromWire>::from_wire(other).map(Some),
                }
            }
        }
    }
}

fn int_enum(e: &EnumModel) -> TokenStream {
    let name = ident(&e.name);
    let def = definition(
        e,
        quote!(i64),
        quote!(#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]),
    );
    let to_wire = e.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let value = value_tokens(&v.value);
        quote!(Self::#variant => #value,)
    });
    let from_wire = e.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let value = value_tokens(&v.value);
        quote!(#value => Self::#variant,)
    });
    quote! {
        #def
        impl #name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #(#to_wire)*
                    Self::Other(value) => value,
                }
            }
        }
        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::Other(other),
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::lenient::int::<_, i64>(deserializer).map(Self::from)
            }
        }
        impl crate::wire::FromWire for #name {}
    }
}
