//! Tokens for one API group's crate (`generated/groups/<feature>/src`, see [`crate::layout`]):
//! the crate root, and one module per entity holding per method its request type, nested types
//! and `Method` impl, and the entity's shared type. The calls are in [`crate::emit_calls`].

use std::collections::BTreeMap;

use b24_spec::ApiVersion;
use proc_macro2::TokenStream;
use quote::quote;

use crate::emit_struct::{ident, struct_tokens, type_tokens};
use crate::entities::EntityModel;
use crate::layout;
use crate::model::{GroupModel, MethodModel};

/// Every Rust file of `group`'s crate, by path relative to the crate's directory.
pub fn group_crate_files(group: &GroupModel) -> Vec<(String, TokenStream)> {
    let mut files = Vec::new();
    let v2 = modules(group, ApiVersion::V2);
    let has_v3 = !group.v3.is_empty();
    files.push(("src/lib.rs".to_owned(), crate_root(group, &v2, has_v3)));
    push_modules(&mut files, group, "src", &v2, ApiVersion::V2);
    if has_v3 {
        let v3 = modules(group, ApiVersion::V3);
        files.push(("src/v3.rs".to_owned(), v3_root(group, &v3)));
        push_modules(&mut files, group, "src/v3", &v3, ApiVersion::V3);
    }
    files
}

/// The items of one API version by module (`None`: the crate or `v3` root), in spec order:
/// enums, entities, then methods.
fn modules(group: &GroupModel, api: ApiVersion) -> BTreeMap<Option<String>, Vec<TokenStream>> {
    let mut out: BTreeMap<Option<String>, Vec<TokenStream>> = BTreeMap::new();
    // Closed value lists are shared by the version's modules, so they live at its root.
    out.insert(None, crate::emit_enums::module_enums(group, api));
    if api == ApiVersion::V2 {
        for e in &group.entities {
            let module = layout::entity_module(&e.id, &group.module);
            out.entry(module).or_default().push(entity_items(e));
        }
    }
    for m in group.methods(api) {
        let module = layout::method_module(&m.wire, &group.module);
        out.entry(module).or_default().push(method_items(m));
    }
    out
}

fn push_modules(
    files: &mut Vec<(String, TokenStream)>,
    group: &GroupModel,
    dir: &str,
    modules: &BTreeMap<Option<String>, Vec<TokenStream>>,
    api: ApiVersion,
) {
    for (module, items) in modules {
        let Some(module) = module else { continue };
        let doc = format!(
            " The `{}` group's `{module}` types ({}).",
            group.group,
            version(api)
        );
        files.push((
            format!("{dir}/{module}.rs"),
            quote! {
                #![doc = #doc]

                #[allow(unused_imports)]
                use super::*;

                #(#items)*
            },
        ));
    }
}

fn version(api: ApiVersion) -> &'static str {
    match api {
        ApiVersion::V2 => "REST v2",
        ApiVersion::V3 => "REST 3.0",
    }
}

/// `mod deal; pub use deal::*;` for each entity module, and the root's own items.
fn module_decls(modules: &BTreeMap<Option<String>, Vec<TokenStream>>) -> TokenStream {
    let decls = modules.keys().flatten().map(|m| {
        let m = ident(m);
        quote! {
            mod #m;
            pub use #m::*;
        }
    });
    let root = modules.get(&None).into_iter().flatten();
    quote! {
        #(#decls)*
        #(#root)*
    }
}

/// `src/lib.rs` of a group crate. The emitter writes shared types as `crate::Filter`,
/// `crate::wire::decode`...: the crate-private imports here make those paths resolve.
fn crate_root(
    group: &GroupModel,
    modules: &BTreeMap<Option<String>, Vec<TokenStream>>,
    has_v3: bool,
) -> TokenStream {
    let doc = format!(
        " The `{}` API group of the Bitrix24 REST API, re-exported by the `bitrix24` crate as \
         `bitrix24::{}` (feature `{}`); its REST 3.0 types are in `v3`.",
        group.group, group.module, group.feature
    );
    let body = module_decls(modules);
    let v3 = has_v3.then(|| {
        quote!(
            pub mod v3;
        )
    });
    quote! {
        #![doc = #doc]
        // The docs deprecate methods this crate still has to name.
        #![allow(deprecated)]
        // The emitter writes one link form for every crate (`[`Filter`](crate::Filter)`); here
        // the root's imports make the target redundant, not wrong.
        #![allow(rustdoc::redundant_explicit_links)]

        #[allow(unused_imports)]
        pub(crate) use bitrix24_runtime::{self as runtime, ApiVersion, Method};
        #[allow(unused_imports)]
        pub(crate) use bitrix24_types::{
            event::EventName, wire, Date, DateTime, ErrorCode, Extra, File, Filter, Order, YesNo,
        };

        #body
        #v3
    }
}

/// `src/v3.rs` of a group crate.
fn v3_root(
    group: &GroupModel,
    modules: &BTreeMap<Option<String>, Vec<TokenStream>>,
) -> TokenStream {
    let doc = format!(
        " The `{}` group's REST 3.0 types (`bitrix24::v3::{}`).",
        group.group, group.module
    );
    let body = module_decls(modules);
    quote! {
        #![doc = #doc]

        #body
    }
}

/// An entity struct and its field-name constants.
fn entity_items(e: &EntityModel) -> TokenStream {
    let ty = ident(&e.model.name);
    let def = struct_tokens(&e.model, None);
    let consts = e.names.iter().map(|(name, wire)| {
        let name = ident(name);
        let doc = format!(" `{wire}`.");
        quote! {
            #[doc = #doc]
            pub const #name: &'static str = #wire;
        }
    });
    quote! {
        #def
        /// Field names, for `select`, [`Filter`](crate::Filter) and [`Order`](crate::Order).
        impl #ty {
            #(#consts)*
        }
    }
}

fn method_items(m: &MethodModel) -> TokenStream {
    let ty = ident(&m.type_name);
    let request = struct_tokens(&m.request, m.deprecated.as_deref());
    let nested = m.nested.iter().map(|s| struct_tokens(s, None));
    let wire = &m.wire;
    let api = match m.api {
        ApiVersion::V2 => quote!(V2),
        ApiVersion::V3 => quote!(V3),
    };
    let idempotent = m.idempotent;
    let response = type_tokens(&m.response);
    let errors = m.errors.iter().map(|v| {
        let v = ident(v);
        quote!(crate::ErrorCode::#v)
    });
    let list = m.list.as_ref().map(|l| {
        let item = type_tokens(&l.item);
        let key = match &l.items_key {
            Some(k) => quote!(Some(#k)),
            None => quote!(None),
        };
        let id = match &l.id_field {
            Some(k) => quote!(Some(#k)),
            None => quote!(None),
        };
        quote! {
            impl crate::runtime::ListMethod for #ty {
                type Item = #item;
                const ITEMS_KEY: Option<&'static str> = #key;
                const ID_FIELD: Option<&'static str> = #id;
            }
        }
    });
    quote! {
        #request
        #list
        impl #ty {
            /// The error codes this method's page documents (system errors not included).
            pub const ERRORS: &'static [crate::ErrorCode] = &[#(#errors),*];
        }
        impl crate::Method for #ty {
            const NAME: &'static str = #wire;
            const API: crate::ApiVersion = crate::ApiVersion::#api;
            const IDEMPOTENT: bool = #idempotent;
            type Response = #response;
        }
        #(#nested)*
    }
}
