//! Tokens for the `bitrix24` crate's root (`src/lib.rs`) and REST 3.0 namespace (`src/v3.rs`):
//! the group crates re-exported behind their features and the client accessors; and the root of
//! `bitrix24-types`.

use proc_macro2::TokenStream;
use quote::quote;

use b24_spec::ApiVersion;

use crate::calls::CallNode;
use crate::emit_calls;
use crate::emit_struct::ident;
use crate::model::{CrateModel, GroupModel};

/// `src/lib.rs`.
pub fn lib_module(model: &CrateModel) -> TokenStream {
    let v2: Vec<&GroupModel> = model
        .groups
        .iter()
        .filter(|g| !g.v2.is_empty() || !g.entities.is_empty())
        .collect();
    let mods = v2.iter().map(|g| {
        let feature = &g.feature;
        let module = ident(&g.module);
        let krate = ident(&crate::layout::group_crate_ident(&g.feature));
        quote! {
            #[cfg(feature = #feature)]
            #[doc(inline)]
            pub use #krate as #module;
        }
    });
    let root = &model.calls_v2;
    let decls = root.children.iter().map(emit_calls::root_decl).chain(
        root.leaves
            .iter()
            .map(|l| emit_calls::leaf_decl(model, ApiVersion::V2, l)),
    );
    let impls = root.children.iter().map(emit_calls::root_impl).chain(
        root.leaves
            .iter()
            .map(|l| emit_calls::leaf_root_impl(model, ApiVersion::V2, l)),
    );
    let source = format!(
        " Generated from the Bitrix24 REST docs at `{}`.",
        model.source
    );
    quote! {
        //! A typed client for the Bitrix24 REST API, generated from the official docs.
        //!
        //! Each API group is a cargo feature (`crm`, `tasks`, ...; `full` enables all).
        //!
        //! **The call shape mirrors the method's dotted name**: `crm.deal.list` is
        //! `client.crm().deal().list()`, `crm.item.productrow.add` is
        //! `client.crm().item().productrow().add(..)`; REST 3.0 methods are under
        //! `client.v3()`. Required parameters are arguments; optional ones are set with
        //! [`Call::with`]. When a segment is both a method and a namespace (`im.notify` and
        //! `im.notify.read`), the method keeps the name and the namespace's methods join it with
        //! `_` (`client.im().notify_read()`). Every request type also implements [`Method`], so
        //! it can be passed to [`Client::call`] or used in a batch, and list methods implement
        //! [`runtime::ListMethod`], so [`Call::stream`] reads every item.
        //!
        //! ```no_run
        //! use bitrix24::prelude::*;
        //!
        //! # async fn run() -> Result<(), bitrix24::Error> {
        //! let client = bitrix24::Client::webhook("https://portal.bitrix24.com/rest/1/code/")?;
        //! # #[cfg(feature = "crm")]
        //! let item = client.crm().item().get(2, 42).await?;
        //! # Ok(())
        //! # }
        //! ```
        #![doc = #source]

        pub use bitrix24_runtime as runtime;
        pub use bitrix24_runtime::{ApiVersion, Client, Envelope, Error, Method};
        pub use bitrix24_types::{
            chrono, indexmap, ApiErrorExt, Date, DateTime, ErrorCode, Extra, FieldDescription,
            File, Filter, Keyed, Moment, Order, SortOrder, YesNo,
        };
        #[allow(unused_imports)]
        use bitrix24_types::{event::EventName, wire};

        mod call;
        pub mod calls;
        pub mod event;
        #[cfg(feature = "axum")]
        mod event_axum;

        pub use call::Call;

        #(#mods)*
        pub mod v3;

        /// The root accessors on [`Client`]: `client.crm()`, `client.tasks()`, `client.v3()`...
        #[allow(deprecated)]
        pub trait ClientExt {
            #(#decls)*
            /// The REST 3.0 methods.
            fn v3(&self) -> crate::v3::V3<'_>;
        }

        #[allow(deprecated)]
        impl ClientExt for Client {
            #(#impls)*
            fn v3(&self) -> crate::v3::V3<'_> {
                crate::v3::V3::new(self)
            }
        }

        /// The traits that make calls read naturally: `use bitrix24::prelude::*;`.
        pub mod prelude {
            pub use crate::{ApiErrorExt, ClientExt};
        }
    }
}

/// `src/v3.rs`.
pub fn v3_module(model: &CrateModel) -> TokenStream {
    let v3: Vec<&GroupModel> = model.groups.iter().filter(|g| !g.v3.is_empty()).collect();
    let mods = v3.iter().map(|g| {
        let feature = &g.feature;
        let module = ident(&g.module);
        let krate = ident(&crate::layout::group_crate_ident(&g.feature));
        quote! {
            #[cfg(feature = #feature)]
            #[doc(inline)]
            pub use #krate::v3 as #module;
        }
    });
    let root = &model.calls_v3;
    let children = root
        .children
        .iter()
        .map(|c| emit_calls::child_fn(c, quote!('a)));
    let leaves = root
        .leaves
        .iter()
        .map(|l| emit_calls::leaf_fn(model, ApiVersion::V3, l, quote!('a)));
    quote! {
        //! REST 3.0 methods (`/rest/api/`), apart from REST v2 so same-named methods never clash.

        /// The REST 3.0 methods, as `client.v3().<dotted name>()`.
        #[derive(Clone, Copy, Debug)]
        pub struct V3<'a> {
            client: &'a crate::Client,
        }

        #[allow(deprecated)]
        impl<'a> V3<'a> {
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

        #(#mods)*
    }
}

/// `src/calls.rs`: one module per root namespace, compiled when any of its features is on.
pub fn calls_module(files: &[(ApiVersion, String, &CallNode)]) -> TokenStream {
    let mods = files.iter().map(|(_, module, node)| {
        let module = ident(module);
        let cfg = emit_calls::cfg_any(&node.features);
        quote! {
            #cfg
            mod #module;
            #cfg
            pub use #module::*;
        }
    });
    quote! {
        //! The namespaces calls go through: one struct per dotted prefix of a method name
        //! (`Crm`, `CrmDeal`, `V3TasksTask`). Reached from [`ClientExt`](crate::ClientExt),
        //! never built directly.

        #(#mods)*
    }
}

/// `types/src/lib.rs`: the crate every generated crate shares.
pub fn types_root() -> TokenStream {
    quote! {
        //! The types every crate of the generated Bitrix24 client shares: [`ErrorCode`],
        //! [`event::EventName`], [`Filter`]/[`Order`], [`File`], [`Date`]/[`DateTime`], [`YesNo`],
        //! [`Extra`], and the
        //! wire helpers the generated `Serialize`/`Deserialize` impls call. Use them through the
        //! `bitrix24` crate, which re-exports them.

        pub use bitrix24_runtime as runtime;
        use bitrix24_runtime::Error;

        /// The date library date values convert to and from (`bitrix24::chrono::NaiveDate`).
        pub use chrono;

        mod date;
        mod error_code;
        pub mod event;
        mod field_description;
        mod file;
        mod filter;
        mod keyed;
        #[doc(hidden)]
        pub mod wire;

        pub use date::{Date, DateTime, Moment};
        pub use error_code::{ApiErrorExt, ErrorCode};
        pub use file::File;
        pub use filter::{Filter, Order, SortOrder};
        pub use indexmap;
        pub use field_description::FieldDescription;
        pub use keyed::Keyed;
        pub use wire::{Extra, YesNo};
    }
}
