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

/// One file of a group's crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupFile {
    /// `src/lib.rs` (REST v2) or `src/v3.rs` (REST 3.0): module declarations, the enums and
    /// the items of methods named after the group alone.
    Root(ApiVersion),
    /// One entity's module.
    Module(ApiVersion, String),
}

/// Every Rust file of `group`'s crate: its path relative to the crate's directory, and what
/// [`group_file_tokens`] makes of it (files are made on separate threads, and tokens cannot
/// cross them).
pub fn group_crate_files(group: &GroupModel) -> Vec<(String, GroupFile)> {
    let mut files = Vec::new();
    for (api, dir) in [(ApiVersion::V2, "src"), (ApiVersion::V3, "src/v3")] {
        if api == ApiVersion::V3 && group.v3.is_empty() {
            continue;
        }
        let root = match api {
            ApiVersion::V2 => "src/lib.rs".to_owned(),
            ApiVersion::V3 => "src/v3.rs".to_owned(),
        };
        files.push((root, GroupFile::Root(api)));
        for module in modules(group, api).into_keys().flatten() {
            files.push((format!("{dir}/{module}.rs"), GroupFile::Module(api, module)));
        }
    }
    files
}

/// The tokens of one file of `group`'s crate.
pub fn group_file_tokens(group: &GroupModel, file: &GroupFile) -> TokenStream {
    match file {
        GroupFile::Root(api) => {
            let modules = modules(group, *api);
            let mut root_items = crate::emit_enums::module_enums(group, *api);
            root_items.extend(items(group, modules.get(&None)));
            let names: Vec<&String> = modules.keys().flatten().collect();
            match api {
                ApiVersion::V2 => crate_root(group, &names, &root_items),
                ApiVersion::V3 => v3_root(group, &names, &root_items),
            }
        }
        GroupFile::Module(api, name) => {
            let modules = modules(group, *api);
            let items = items(group, modules.get(&Some(name.clone())));
            let doc = format!(
                " The `{}` group's `{name}` types ({}).",
                group.group,
                version(*api)
            );
            quote! {
                #![doc = #doc]

                #[allow(unused_imports)]
                use super::*;

                #(#items)*
            }
        }
    }
}

/// What one module holds, in spec order: entities, then methods (indices into the group's).
#[derive(Debug, Default)]
struct Members {
    entities: Vec<usize>,
    methods: Vec<(ApiVersion, usize)>,
}

/// The members of one API version by module (`None`: the crate or `v3` root). Closed value
/// lists are shared by the version's modules, so their enums live at its root.
fn modules(group: &GroupModel, api: ApiVersion) -> BTreeMap<Option<String>, Members> {
    let mut out: BTreeMap<Option<String>, Members> = BTreeMap::new();
    out.insert(None, Members::default());
    if api == ApiVersion::V2 {
        for (i, e) in group.entities.iter().enumerate() {
            let module = layout::entity_module(&e.id, &group.module);
            out.entry(module).or_default().entities.push(i);
        }
    }
    for (i, m) in group.methods(api).iter().enumerate() {
        let module = layout::method_module(&m.wire, &group.module);
        out.entry(module).or_default().methods.push((api, i));
    }
    out
}

fn items(group: &GroupModel, members: Option<&Members>) -> Vec<TokenStream> {
    let Some(members) = members else {
        return Vec::new();
    };
    let entities = members
        .entities
        .iter()
        .map(|&i| entity_items(&group.entities[i]));
    let methods = members
        .methods
        .iter()
        .map(|&(api, i)| method_items(&group.methods(api)[i]));
    entities.chain(methods).collect()
}

fn version(api: ApiVersion) -> &'static str {
    match api {
        ApiVersion::V2 => "REST v2",
        ApiVersion::V3 => "REST 3.0",
    }
}

/// `mod deal; pub use deal::*;` for each entity module, and the root's own items.
fn module_decls(names: &[&String], root_items: &[TokenStream]) -> TokenStream {
    let decls = names.iter().map(|m| {
        let m = ident(m);
        quote! {
            mod #m;
            pub use #m::*;
        }
    });
    quote! {
        #(#decls)*
        #(#root_items)*
    }
}

/// `src/lib.rs` of a group crate. The emitter writes shared types as `crate::Filter`,
/// `crate::wire::decode`...: the crate-private imports here make those paths resolve.
fn crate_root(group: &GroupModel, names: &[&String], root_items: &[TokenStream]) -> TokenStream {
    let has_v3 = !group.v3.is_empty();
    let v3_note = if has_v3 {
        "; its REST 3.0 types are in `v3`"
    } else {
        ""
    };
    let path = if group.v2.is_empty() && group.entities.is_empty() {
        format!("bitrix24::v3::{}", group.module)
    } else {
        format!("bitrix24::{}", group.module)
    };
    let doc = format!(
        " The `{}` API group of the Bitrix24 REST API, re-exported by the `bitrix24` crate as \
         `{path}` (feature `{}`){v3_note}.",
        group.group, group.feature
    );
    let body = module_decls(names, root_items);
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
            event::EventName, wire, Date, DateTime, ErrorCode, Extra, FieldDescription, File,
            Filter, Keyed, Order, YesNo,
        };

        #body
        #v3
    }
}

/// `src/v3.rs` of a group crate.
fn v3_root(group: &GroupModel, names: &[&String], root_items: &[TokenStream]) -> TokenStream {
    let doc = format!(
        " The `{}` group's REST 3.0 types (`bitrix24::v3::{}`).",
        group.group, group.module
    );
    let body = module_decls(names, root_items);
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
