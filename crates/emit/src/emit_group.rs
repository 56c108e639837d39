//! Tokens for one group module of one API version (`src/crm.rs`, `src/v3/tasks.rs`): per method
//! its request type, nested types and `Method` impl. The calls are in [`crate::emit_calls`].

use b24_spec::ApiVersion;
use proc_macro2::TokenStream;
use quote::quote;

use crate::emit_struct::{ident, struct_tokens, type_tokens};
use crate::entities::EntityModel;
use crate::model::{GroupModel, MethodModel};

/// The module file of `group`'s `api` methods.
pub fn group_module(group: &GroupModel, api: ApiVersion) -> TokenStream {
    let methods = group.methods(api);
    let version = match api {
        ApiVersion::V2 => "REST v2",
        ApiVersion::V3 => "REST 3.0",
    };
    let module_doc = format!(
        " The `{}` methods ({version}), behind the `{}` feature.",
        group.group, group.feature
    );
    let items = methods.iter().map(method_items);
    let entities = match api {
        ApiVersion::V2 => group.entities.iter().map(entity_items).collect(),
        ApiVersion::V3 => Vec::new(),
    };
    let enums = crate::emit_enums::module_enums(group, api);
    quote! {
        #![doc = #module_doc]
        // The docs deprecate methods this module still has to name.
        #![allow(deprecated)]

        #(#enums)*
        #(#entities)*
        #(#items)*
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
