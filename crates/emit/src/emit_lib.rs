//! Tokens for the crate root (`src/lib.rs`) and the REST 3.0 namespace (`src/v3.rs`): module
//! declarations behind their features and the client accessors.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit_struct::ident;
use crate::model::{CrateModel, GroupModel};

/// `src/lib.rs`.
pub fn lib_module(model: &CrateModel) -> TokenStream {
    let v2: Vec<&GroupModel> = model.groups.iter().filter(|g| !g.v2.is_empty()).collect();
    let mods = v2.iter().map(|g| {
        let feature = &g.feature;
        let module = ident(&g.module);
        quote! {
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let decls = v2.iter().map(|g| {
        let (feature, module, accessor) = names(g);
        let doc = format!(" The `{}` methods (REST v2).", g.group);
        quote! {
            #[cfg(feature = #feature)]
            #[doc = #doc]
            fn #module(&self) -> crate::#module::#accessor<'_>;
        }
    });
    let impls = v2.iter().map(|g| {
        let (feature, module, accessor) = names(g);
        quote! {
            #[cfg(feature = #feature)]
            fn #module(&self) -> crate::#module::#accessor<'_> {
                crate::#module::#accessor::new(self)
            }
        }
    });
    let source = format!(
        " Generated from the Bitrix24 REST docs at `{}`.",
        model.source
    );
    quote! {
        //! A typed client for the Bitrix24 REST API, generated from the official docs.
        //!
        //! Each API group is a cargo feature (`crm`, `tasks`, ...; `full` enables all). Calls read
        //! `client.<group>().<method>(required args)`, REST 3.0 methods
        //! `client.v3().<group>().<method>(...)`; optional parameters are set with
        //! [`Call::with`]. Every request type also implements [`Method`], so it can be passed to
        //! [`Client::call`] or used in a batch.
        //!
        //! ```no_run
        //! use bitrix24::prelude::*;
        //!
        //! # async fn run() -> Result<(), bitrix24::Error> {
        //! let client = bitrix24::Client::webhook("https://portal.bitrix24.com/rest/1/code/")?;
        //! # #[cfg(feature = "crm")]
        //! let deal = client.crm().deal_get(42).await?;
        //! # Ok(())
        //! # }
        //! ```
        #![doc = #source]

        pub use bitrix24_runtime as runtime;
        pub use bitrix24_runtime::{ApiVersion, Client, Envelope, Error, Method};

        mod call;
        mod error_code;
        mod file;
        #[allow(dead_code)]
        mod wire;

        pub use call::Call;
        pub use error_code::{ApiErrorExt, ErrorCode};
        pub use file::File;
        pub use wire::{Extra, YesNo};

        #(#mods)*
        pub mod v3;

        /// The scope accessors on [`Client`]: `client.crm()`, `client.v3()`, ...
        pub trait ClientExt {
            #(#decls)*
            /// The REST 3.0 methods.
            fn v3(&self) -> crate::v3::V3<'_>;
        }

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
        let (feature, module, _) = names(g);
        quote! {
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let fns = v3.iter().map(|g| {
        let (feature, module, accessor) = names(g);
        let doc = format!(" The `{}` methods (REST 3.0).", g.group);
        quote! {
            #[cfg(feature = #feature)]
            #[doc = #doc]
            pub fn #module(&self) -> #module::#accessor<'a> {
                #module::#accessor::new(self.client)
            }
        }
    });
    quote! {
        //! REST 3.0 methods (`/rest/api/`), apart from REST v2 so same-named methods never clash.

        /// The REST 3.0 groups, as `client.v3().<group>()`.
        #[derive(Clone, Copy, Debug)]
        pub struct V3<'a> {
            client: &'a crate::Client,
        }

        impl<'a> V3<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            /// The client calls are made with.
            pub fn client(&self) -> &'a crate::Client {
                self.client
            }

            #(#fns)*
        }

        #(#mods)*
    }
}

fn names(g: &GroupModel) -> (&str, proc_macro2::Ident, proc_macro2::Ident) {
    (&g.feature, ident(&g.module), ident(&g.accessor))
}
