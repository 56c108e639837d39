//! Tokens for the accessor tree ([`crate::calls`]): one namespace struct per dotted prefix
//! (`src/calls/<root>.rs`), the client's root accessors (`ClientExt`) and the REST 3.0 root
//! (`V3`). Each call builds its request type and returns a [`Call`](crate::Call).

use b24_spec::ApiVersion;
use proc_macro2::TokenStream;
use quote::quote;

use crate::calls::{CallLeaf, CallNode};
use crate::emit_struct::{doc_attrs, ident, qualified_type_tokens};
use crate::model::{CrateModel, FieldModel, MethodModel};
use crate::types::RustType;

/// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", feature = "b"))]`.
pub fn cfg_any<'a>(features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    let features: Vec<&String> = features.into_iter().collect();
    match features.as_slice() {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// The file of one root namespace and everything below it.
pub fn root_file(model: &CrateModel, api: ApiVersion, root: &CallNode) -> TokenStream {
    let doc = format!(
        " `{}` methods ({}): the accessors under `{}`.",
        root.fn_name,
        version(api),
        match api {
            ApiVersion::V2 => format!("client.{}()", root.fn_name),
            ApiVersion::V3 => format!("client.v3().{}()", root.fn_name),
        }
    );
    let mut items = Vec::new();
    namespace_items(model, api, root, &mut items);
    quote! {
        #![doc = #doc]
        // The docs deprecate methods the accessors still have to name.
        #![allow(deprecated)]
        #(#items)*
    }
}

fn version(api: ApiVersion) -> &'static str {
    match api {
        ApiVersion::V2 => "REST v2",
        ApiVersion::V3 => "REST 3.0",
    }
}

fn namespace_items(
    model: &CrateModel,
    api: ApiVersion,
    node: &CallNode,
    out: &mut Vec<TokenStream>,
) {
    let name = ident(&node.type_name);
    let cfg = cfg_any(&node.features);
    let doc = " A namespace of calls; see the [crate docs](crate) for the call shape.";
    let leaves = node
        .leaves
        .iter()
        .map(|l| leaf_fn(model, api, l, quote!('a)));
    let children = node.children.iter().map(|c| child_fn(c, quote!('a)));
    out.push(quote! {
        #[doc = #doc]
        #cfg
        #[derive(Clone, Copy, Debug)]
        pub struct #name<'a> {
            client: &'a crate::Client,
        }

        #cfg
        impl<'a> #name<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            /// The client calls are made with.
            pub fn client(&self) -> &'a crate::Client {
                self.client
            }

            #(#children)*
            #(#leaves)*
        }
    });
    for child in &node.children {
        namespace_items(model, api, child, out);
    }
}

/// The accessor of a nested namespace.
pub fn child_fn(child: &CallNode, lifetime: TokenStream) -> TokenStream {
    let name = ident(&child.fn_name);
    let ty = ident(&child.type_name);
    let cfg = cfg_any(&child.features);
    let doc = format!(" The `{}` namespace.", child.fn_name);
    quote! {
        #[doc = #doc]
        #cfg
        pub fn #name(&self) -> crate::calls::#ty<#lifetime> {
            crate::calls::#ty::new(self.client)
        }
    }
}

/// Trait declaration of a root accessor on `ClientExt` (REST v2).
pub fn root_decl(child: &CallNode) -> TokenStream {
    let name = ident(&child.fn_name);
    let ty = ident(&child.type_name);
    let cfg = cfg_any(&child.features);
    let doc = format!(" The `{}.*` methods.", child.fn_name);
    quote! {
        #[doc = #doc]
        #cfg
        fn #name(&self) -> crate::calls::#ty<'_>;
    }
}

/// `ClientExt` impl of a root accessor.
pub fn root_impl(child: &CallNode) -> TokenStream {
    let name = ident(&child.fn_name);
    let ty = ident(&child.type_name);
    let cfg = cfg_any(&child.features);
    quote! {
        #cfg
        fn #name(&self) -> crate::calls::#ty<'_> {
            crate::calls::#ty::new(self)
        }
    }
}

/// The method a leaf calls, its module's path and its feature.
pub fn leaf_method<'m>(
    model: &'m CrateModel,
    api: ApiVersion,
    leaf: &CallLeaf,
) -> (&'m MethodModel, TokenStream, &'m str) {
    let (g, i) = leaf.method;
    let group = &model.groups[g];
    let m = &group.methods(api)[i];
    let module = ident(&group.module);
    let path = match api {
        ApiVersion::V2 => quote!(crate::#module),
        ApiVersion::V3 => quote!(crate::v3::#module),
    };
    (m, path, &group.feature)
}

/// The call of one method: builds its request and binds it to the client. `lifetime` is the
/// namespace's (`'a`), or `'_` on `ClientExt`.
pub fn leaf_fn(
    model: &CrateModel,
    api: ApiVersion,
    leaf: &CallLeaf,
    lifetime: TokenStream,
) -> TokenStream {
    leaf_tokens(model, api, leaf, lifetime, Body::Impl)
}

/// `ClientExt` declaration of a root-level method (`scope`, `profile`).
pub fn leaf_decl(model: &CrateModel, api: ApiVersion, leaf: &CallLeaf) -> TokenStream {
    leaf_tokens(model, api, leaf, quote!('_), Body::Decl)
}

/// `ClientExt` impl of a root-level method.
pub fn leaf_root_impl(model: &CrateModel, api: ApiVersion, leaf: &CallLeaf) -> TokenStream {
    leaf_tokens(model, api, leaf, quote!('_), Body::RootImpl)
}

#[derive(Clone, Copy, PartialEq)]
enum Body {
    Impl,
    RootImpl,
    Decl,
}

fn leaf_tokens(
    model: &CrateModel,
    api: ApiVersion,
    leaf: &CallLeaf,
    lifetime: TokenStream,
    body: Body,
) -> TokenStream {
    let (m, module, feature) = leaf_method(model, api, leaf);
    let type_name = ident(&m.type_name);
    let ty = quote!(#module::#type_name);
    let name = ident(&leaf.fn_name);
    let cfg = quote!(#[cfg(feature = #feature)]);
    let deprecated = m
        .deprecated
        .as_deref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    let client = match body {
        Body::RootImpl => quote!(self),
        _ => quote!(self.client),
    };
    let (params, build, doc_tail): (Vec<TokenStream>, TokenStream, String) = if m
        .request
        .one_of
        .is_empty()
    {
        let required: Vec<&FieldModel> = m.request.fields.iter().filter(|f| f.required).collect();
        let params = required
            .iter()
            .map(|f| {
                let n = ident(&f.ident);
                let t = match f.ty {
                    RustType::Str => quote!(impl Into<String>),
                    RustType::EventName => quote!(impl Into<crate::event::EventName>),
                    ref other => qualified_type_tokens(other, &module),
                };
                quote!(#n: #t)
            })
            .collect();
        let args = required.iter().map(|f| ident(&f.ident));
        (
                params,
                quote!(#ty::new(#(#args),*)),
                format!(
                    "Builds [`{}`]({}); set optional parameters with [`Call::with`](crate::Call::with).",
                    m.type_name,
                    ty.to_string().replace(' ', "")
                ),
            )
    } else {
        (
                vec![quote!(request: #ty)],
                quote!(request),
                format!(
                    "Takes a [`{}`]({}) built by one of its `by_*` constructors (the documented alternatives).",
                    m.type_name,
                    ty.to_string().replace(' ', "")
                ),
            )
    };
    let doc = doc_attrs(&[
        format!("{} (`{}`).", m.title.trim_end_matches('.'), m.wire),
        String::new(),
        doc_tail,
    ]);
    let lint = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let signature = quote!(fn #name(&self, #(#params),*) -> crate::Call<#lifetime, #ty>);
    match body {
        Body::Decl => quote! {
            #doc
            #cfg
            #deprecated
            #lint
            #signature;
        },
        Body::Impl => quote! {
            #doc
            #cfg
            #deprecated
            #lint
            pub #signature {
                crate::Call::new(#client, #build)
            }
        },
        Body::RootImpl => quote! {
            #cfg
            #lint
            #[allow(deprecated)]
            #signature {
                crate::Call::new(#client, #build)
            }
        },
    }
}
