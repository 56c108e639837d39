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

/// The Rust type tokens as seen from another module: generated structs by their path.
pub fn qualified_type_tokens(ty: &RustType, module: &TokenStream) -> TokenStream {
    match ty {
        RustType::Vec(inner) => {
            let inner = qualified_type_tokens(inner, module);
            quote!(Vec<#inner>)
        }
        RustType::Keyed(inner) => {
            let inner = qualified_type_tokens(inner, module);
            quote!(crate::Keyed<#inner>)
        }
        RustType::Struct(name) | RustType::Enum(name) => {
            let name = ident(name);
            quote!(#module::#name)
        }
        other => type_tokens(other),
    }
}

/// The Rust type tokens.
pub fn type_tokens(ty: &RustType) -> TokenStream {
    match ty {
        RustType::Int | RustType::IntText => quote!(i64),
        RustType::Float => quote!(f64),
        RustType::Str => quote!(String),
        RustType::Bool | RustType::YesNo | RustType::Bit => quote!(bool),
        RustType::YesNoResult => quote!(crate::YesNo),
        RustType::File => quote!(crate::File),
        RustType::Json => quote!(::serde_json::Value),
        RustType::JsonMap => quote!(::serde_json::Map<String, ::serde_json::Value>),
        RustType::Vec(inner) => {
            let inner = type_tokens(inner);
            quote!(Vec<#inner>)
        }
        RustType::Keyed(inner) => {
            let inner = type_tokens(inner);
            quote!(crate::Keyed<#inner>)
        }
        RustType::Struct(name) => {
            let name = ident(name);
            quote!(#name)
        }
        RustType::Filter => quote!(crate::Filter),
        RustType::Order => quote!(crate::Order),
        RustType::EventName => quote!(crate::EventName),
        RustType::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
        RustType::DateTime => quote!(crate::DateTime),
        RustType::Date => quote!(crate::Date),
        RustType::FieldDescription => quote!(crate::FieldDescription),
    }
}

/// The struct definition and its impls.
pub fn struct_tokens(s: &StructModel, deprecated: Option<&str>) -> TokenStream {
    let name = ident(&s.name);
    let doc = doc_attrs(&s.doc);
    let deprecated = deprecated.map(|note| quote!(#[deprecated(note = #note)]));
    // `Debug` and `PartialEq` go through the wire form (`crate::wire::debug`): derived, they
    // were a body per field for thousands of types, a fifth of the crate's build memory. They
    // are `#[inline]` so that the serializer is instantiated only in a crate that uses them.
    let derives = if s.fields.iter().any(|f| f.required) {
        quote!(#[derive(Clone)])
    } else {
        quote!(#[derive(Clone, Default)])
    };
    let type_name = s.name.as_str();
    let fields = s.fields.iter().map(field_decl);
    let extra_doc = doc_attrs(&[match s.role {
        Role::Output => "Keys the docs do not list (user fields `UF_*` and the like), as returned.",
        _ => "Keys the docs do not list (user fields `UF_*` and the like), sent as given.",
    }
    .to_owned()]);
    let serialize = serialize_impl(s);
    let deserialize = deserialize_impl(s);
    let builder = match s.role {
        Role::Request => Some(request_builder(s)),
        Role::Input | Role::Entity => Some(value_builder(s)),
        Role::Output => None,
    };
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
        impl ::std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                crate::wire::debug(self, #type_name, f)
            }
        }
        impl PartialEq for #name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                crate::wire::same_on_wire(self, other)
            }
        }
    }
}

fn field_decl(f: &FieldModel) -> TokenStream {
    let doc = doc_attrs(&f.doc);
    let name = ident(&f.ident);
    let vis = (!f.read_only).then(|| quote!(pub));
    let ty = type_tokens(&f.ty);
    let ty = if f.pattern.is_some() {
        quote!(crate::Extra)
    } else if f.required {
        ty
    } else {
        quote!(Option<#ty>)
    };
    quote! {
        #doc
        #vis #name: #ty,
    }
}

fn serialize_impl(s: &StructModel) -> TokenStream {
    let name = ident(&s.name);
    let writes = s.fields.iter().map(|f| {
        let wire = &f.wire;
        let field = ident(&f.ident);
        if f.pattern.is_some() {
            return quote!(w.pattern(&self.#field););
        }
        let call = match (&f.ty, f.required) {
            (RustType::YesNo, true) => quote!(yes_no),
            (RustType::YesNo, false) => quote!(optional_yes_no),
            (RustType::Bit, true) => quote!(bit),
            (RustType::Bit, false) => quote!(optional_bit),
            (RustType::IntText, true) => quote!(text),
            (RustType::IntText, false) => quote!(optional_text),
            (RustType::Float, true) => quote!(number),
            (RustType::Float, false) => quote!(optional_number),
            (_, true) => quote!(required),
            (_, false) => quote!(optional),
        };
        quote!(w.#call(#wire, &self.#field);)
    });
    let guard = one_of_guard(s);
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #guard
                let mut w = crate::wire::writer(serializer)?;
                #(#writes)*
                w.extra(&self.extra);
                w.end()
            }
        }
    }
}

/// A request with alternative parameter sets refuses to encode (so nothing is sent) unless one
/// whole set is present.
fn one_of_guard(s: &StructModel) -> Option<TokenStream> {
    if s.one_of.is_empty() {
        return None;
    }
    let sets = s.one_of.iter().map(|set| {
        let present = set.iter().map(|i| {
            let f = ident(&s.fields[*i].ident);
            quote!(self.#f.is_some())
        });
        quote!((#(#present)&&*))
    });
    let message = format!("needs one of: {}", alternatives_text(s));
    Some(quote! {
        if !(#(#sets)||*) {
            return Err(<S::Error as ::serde::ser::Error>::custom(#message));
        }
    })
}

/// `ID | TAG | SUB_TAG`, `EVENT_HANDLER | EVENT_MESSAGE_ADD + EVENT_BOT_DELETE`.
fn alternatives_text(s: &StructModel) -> String {
    let sets: Vec<String> = s
        .one_of
        .iter()
        .map(|set| {
            let names: Vec<&str> = set.iter().map(|i| s.fields[*i].wire.as_str()).collect();
            names.join(" + ")
        })
        .collect();
    sets.join(" | ")
}

fn deserialize_impl(s: &StructModel) -> TokenStream {
    let name = ident(&s.name);
    let reads = s.fields.iter().filter(|f| f.pattern.is_none()).map(|f| {
        let wire = &f.wire;
        let field = ident(&f.ident);
        if f.required {
            quote!(#field: f.required(#wire)?,)
        } else {
            quote!(#field: f.optional(#wire),)
        }
    });
    // Documented keys are taken first, then the longest prefixes: `UF_CRM_*` before `UF_*`.
    let mut patterns: Vec<&FieldModel> = s.fields.iter().filter(|f| f.pattern.is_some()).collect();
    patterns.sort_by_key(|f| std::cmp::Reverse(f.pattern.as_deref().map_or(0, str::len)));
    let pattern_reads = patterns.iter().map(|f| {
        let field = ident(&f.ident);
        let prefix = f.pattern.as_deref().unwrap_or_default();
        quote!(#field: f.pattern(#prefix),)
    });
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::wire::decode(deserializer, |f| {
                    Ok(Self {
                        #(#reads)*
                        #(#pattern_reads)*
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
        RustType::EventName => quote!(impl Into<crate::EventName>),
        // Enums take a variant or a listed value's text; dates take chrono values.
        RustType::Enum(_) | RustType::DateTime | RustType::Date => {
            let ty = type_tokens(ty);
            quote!(impl Into<#ty>)
        }
        other => type_tokens(other),
    }
}

fn arg_value(f: &FieldModel) -> TokenStream {
    let name = ident(&f.ident);
    match f.ty {
        RustType::Str
        | RustType::EventName
        | RustType::Enum(_)
        | RustType::DateTime
        | RustType::Date => quote!(#name.into()),
        _ => quote!(#name),
    }
}

/// Types a constructor argument converts with `.into()`.
fn takes_into(ty: &RustType) -> bool {
    matches!(
        ty,
        RustType::Str
            | RustType::EventName
            | RustType::Enum(_)
            | RustType::DateTime
            | RustType::Date
    )
}

fn request_builder(s: &StructModel) -> TokenStream {
    let name = ident(&s.name);
    let constructors: Vec<TokenStream> = if s.one_of.is_empty() {
        vec![constructor(s, "new", &[])]
    } else {
        s.one_of
            .iter()
            .map(|set| constructor(s, &alternative_fn(s, set), set))
            .collect()
    };
    let setters = s
        .fields
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            !f.required && !s.one_of.iter().any(|set| set.len() > 1 && set.contains(i))
        })
        .map(|(_, f)| setter(f));
    quote! {
        impl #name {
            #(#constructors)*
            #(#setters)*
            /// Sets a parameter the docs do not list.
            pub fn extra(mut self, key: impl Into<String>, value: ::serde_json::Value) -> Self {
                self.extra.insert(key.into(), value);
                self
            }
        }
    }
}

/// `by_id`, `by_iblock_id_and_element_code`: the alternative's members, joined.
fn alternative_fn(s: &StructModel, set: &[usize]) -> String {
    let names: Vec<&str> = set.iter().map(|i| s.fields[*i].ident.as_str()).collect();
    format!("by_{}", names.join("_and_"))
}

/// `new` (the required parameters) or, for a method with alternatives, one `by_*` constructor
/// per alternative set (its members, then the required parameters).
fn constructor(s: &StructModel, fn_name: &str, alternative: &[usize]) -> TokenStream {
    let fn_name = ident(fn_name);
    let args: Vec<&FieldModel> = alternative
        .iter()
        .map(|i| &s.fields[*i])
        .chain(s.fields.iter().filter(|f| f.required))
        .collect();
    let params = args.iter().map(|f| {
        let n = ident(&f.ident);
        let t = arg_type(&f.ty);
        quote!(#n: #t)
    });
    let inits = s.fields.iter().enumerate().map(|(i, f)| {
        let n = ident(&f.ident);
        let value = arg_value(f);
        if f.pattern.is_some() {
            quote!(#n: crate::Extra::new(),)
        } else if alternative.contains(&i) {
            quote!(#n: Some(#value),)
        } else if f.required && takes_into(&f.ty) {
            quote!(#n: #value,)
        } else if f.required {
            quote!(#n,)
        } else {
            quote!(#n: None,)
        }
    });
    let doc = if !alternative.is_empty() {
        let names: Vec<&str> = alternative
            .iter()
            .map(|i| s.fields[*i].wire.as_str())
            .collect();
        format!(
            "A request by `{}` (one of the alternatives: {}).",
            names.join("` + `"),
            alternatives_text(s)
        )
    } else if args.is_empty() {
        "A request with no parameters set.".to_owned()
    } else {
        "A request with its required parameters.".to_owned()
    };
    let doc = doc_attrs(&[doc]);
    let lint = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #lint
        pub fn #fn_name(#(#params),*) -> Self {
            Self {
                #(#inits)*
                extra: crate::Extra::new(),
            }
        }
    }
}

/// `new()`, a setter per settable field and, for entities, a getter per read-only field: nested
/// values and entities are built by chaining (`Multifield::new().value("..")`), since
/// `#[non_exhaustive]` forbids struct literals outside the crate.
fn value_builder(s: &StructModel) -> TokenStream {
    let name = ident(&s.name);
    let setters = s.fields.iter().filter(|f| !f.read_only).map(setter);
    let getters = s.fields.iter().filter(|f| f.read_only).map(getter);
    quote! {
        impl #name {
            /// A value with no field set.
            pub fn new() -> Self {
                <Self as Default>::default()
            }
            #(#getters)*
            #(#setters)*
            /// Sets a key the docs do not list.
            pub fn extra(mut self, key: impl Into<String>, value: ::serde_json::Value) -> Self {
                self.extra.insert(key.into(), value);
                self
            }
        }
    }
}

/// A read-only field's value as the portal sent it.
fn getter(f: &FieldModel) -> TokenStream {
    let n = ident(&f.ident);
    let doc = format!(" `{}` as read (read-only: the portal sets it).", f.wire);
    let copy = matches!(
        f.ty,
        RustType::Int
            | RustType::IntText
            | RustType::Float
            | RustType::Bool
            | RustType::YesNo
            | RustType::Bit
    );
    if copy {
        let t = type_tokens(&f.ty);
        quote! {
            #[doc = #doc]
            pub fn #n(&self) -> Option<#t> {
                self.#n
            }
        }
    } else {
        let (t, read) = match &f.ty {
            RustType::Str => (quote!(str), quote!(as_deref)),
            other => (type_tokens(other), quote!(as_ref)),
        };
        quote! {
            #[doc = #doc]
            pub fn #n(&self) -> Option<&#t> {
                self.#n.#read()
            }
        }
    }
}

fn setter(f: &FieldModel) -> TokenStream {
    let n = ident(&f.ident);
    if let Some(prefix) = &f.pattern {
        let doc = format!(" Sets one `{prefix}*` key by its real name.");
        return quote! {
            #[doc = #doc]
            pub fn #n(mut self, key: impl Into<String>, value: ::serde_json::Value) -> Self {
                self.#n.insert(key.into(), value);
                self
            }
        };
    }
    let (t, v) = match &f.ty {
        RustType::Vec(inner) if **inner == RustType::Str => (
            quote!(impl IntoIterator<Item = impl Into<String>>),
            quote!(#n.into_iter().map(Into::into).collect()),
        ),
        _ => (arg_type(&f.ty), arg_value(f)),
    };
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
