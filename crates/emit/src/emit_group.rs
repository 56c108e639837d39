//! Tokens for one group module of one API version (`src/crm.rs`, `src/v3/tasks.rs`): the scope
//! accessor, and per method its request type, nested types and `Method` impl.

use b24_spec::ApiVersion;
use proc_macro2::TokenStream;
use quote::quote;

use crate::emit_struct::{doc_attrs, ident, struct_tokens, type_tokens};
use crate::model::{FieldModel, GroupModel, MethodModel};

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
    let accessor = accessor(group, api, methods);
    let items = methods.iter().map(method_items);
    quote! {
        #![doc = #module_doc]
        // The docs deprecate methods this module still has to name.
        #![allow(deprecated)]

        #accessor
        #(#items)*
    }
}

fn accessor(group: &GroupModel, api: ApiVersion, methods: &[MethodModel]) -> TokenStream {
    let name = ident(&group.accessor);
    let path = match api {
        ApiVersion::V2 => format!("client.{}()", group.module),
        ApiVersion::V3 => format!("client.v3().{}()", group.module),
    };
    let doc = format!(" The `{}` methods, as `{path}.<method>(...)`.", group.group);
    let fns = methods.iter().map(accessor_fn);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        pub struct #name<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #name<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            /// The client calls are made with.
            pub fn client(&self) -> &'a crate::Client {
                self.client
            }

            #(#fns)*
        }
    }
}

fn accessor_fn(m: &MethodModel) -> TokenStream {
    if !m.request.one_of.is_empty() {
        return accessor_with_request(m);
    }
    let name = ident(&m.fn_name);
    let ty = ident(&m.type_name);
    let required: Vec<&FieldModel> = m.request.fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let n = ident(&f.ident);
        let t = match f.ty {
            crate::types::RustType::Str => quote!(impl Into<String>),
            ref other => type_tokens(other),
        };
        quote!(#n: #t)
    });
    let args = required.iter().map(|f| ident(&f.ident));
    let doc = vec![
        format!("{} (`{}`).", m.title.trim_end_matches('.'), m.wire),
        String::new(),
        format!(
            "Builds [`{}`]; set optional parameters with [`Call::with`](crate::Call::with).",
            m.type_name
        ),
    ];
    let doc = doc_attrs(&doc);
    let deprecated = m
        .deprecated
        .as_deref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    let lint = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #deprecated
        #lint
        pub fn #name(&self, #(#params),*) -> crate::Call<'a, #ty> {
            crate::Call::new(self.client, #ty::new(#(#args),*))
        }
    }
}

/// A method with alternative parameter sets takes its request, built by one of the type's
/// `by_*` constructors, so the documented alternatives are the only ways to call it.
fn accessor_with_request(m: &MethodModel) -> TokenStream {
    let name = ident(&m.fn_name);
    let ty = ident(&m.type_name);
    let doc = doc_attrs(&[
        format!("{} (`{}`).", m.title.trim_end_matches('.'), m.wire),
        String::new(),
        format!(
            "Takes a [`{}`] built by one of its `by_*` constructors (the documented alternatives).",
            m.type_name
        ),
    ]);
    let deprecated = m
        .deprecated
        .as_deref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, request: #ty) -> crate::Call<'a, #ty> {
            crate::Call::new(self.client, request)
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
    quote! {
        #request
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
