//! Tokens for the events: `EventName` (in `bitrix24-types`, since `event.bind` in a group crate
//! takes it), and `src/event.rs` of the `bitrix24` crate: the payload structs, the typed `Event`
//! and its dispatch from the runtime's verified event.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit_struct::{doc_attrs, ident, struct_tokens};
use crate::events::EventModel;

/// `types/src/event.rs`: [`EventName`].
pub fn event_name_module(events: &[EventModel]) -> TokenStream {
    let names = event_name(events);
    quote! {
        //! The names of the events the docs document, for `event.bind`/`event.unbind` and for
        //! dispatching incoming events (`bitrix24::event`).

        #names
    }
}

/// The whole `src/event.rs` of the `bitrix24` crate.
pub fn event_module(events: &[EventModel]) -> TokenStream {
    let typed = typed_event(events);
    // Payload structs, one module per feature so each compiles only with its group.
    let mut by_feature: std::collections::BTreeMap<&str, Vec<TokenStream>> = Default::default();
    for e in events {
        for s in e.data.iter().flatten() {
            by_feature
                .entry(&e.feature)
                .or_default()
                .push(struct_tokens(s, None));
        }
    }
    let structs = by_feature.into_iter().map(|(feature, items)| {
        let module = ident(&format!("{}_data", crate::naming::snake(feature)));
        let doc = format!(" Payloads of the `{feature}` events.");
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            mod #module {
                #(#items)*
            }
            #[cfg(feature = #feature)]
            pub use #module::*;
        }
    });
    quote! {
        //! Incoming events, typed: [`EventName`] for `event.bind`/`event.unbind`, one payload
        //! struct per documented event (its `data`), and [`Event`], into which a verified
        //! incoming event is dispatched by name ([`EventExt::typed`]).
        //!
        //! ```no_run
        //! # fn run(body: &[u8], token: &bitrix24::runtime::Secret) -> Result<(), bitrix24::Error> {
        //! use bitrix24::event::{Event, EventExt};
        //!
        //! let event = bitrix24::runtime::events::verify_event(body, token)?;
        //! match event.typed()? {
        //!     # #[cfg(feature = "crm")]
        //!     Event::CrmDealAdd(data) => println!("deal {:?} added", data.fields.and_then(|f| f.id)),
        //!     other => println!("{} not handled", other.name()),
        //! }
        //! # Ok(())
        //! # }
        //! ```

        use serde_json::Value;

        pub use bitrix24_types::event::EventName;

        #typed
        #(#structs)*
    }
}

fn event_name(events: &[EventModel]) -> TokenStream {
    let variants = events.iter().map(|e| {
        let v = ident(&e.variant);
        let doc = doc_attrs(&e.doc);
        quote!(#doc #v,)
    });
    let as_str = events.iter().map(|e| {
        let v = ident(&e.variant);
        let name = &e.name;
        quote!(Self::#v => #name,)
    });
    let parse = events.iter().map(|e| {
        let v = ident(&e.variant);
        let name = &e.name;
        quote!(#name => Self::#v,)
    });
    quote! {
        /// Every event the docs document, by the name the portal sends; a name added upstream
        /// (or spelled another way) is `Other`, kept as given.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum EventName {
            #(#variants)*
            /// An event the docs did not list, or another spelling, as given.
            Other(String),
        }

        impl EventName {
            /// The name as sent (`ONCRMDEALADD`).
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Other(name) => name,
                }
            }

            /// The variant for a name, spelled exactly as the portal sends it.
            pub fn parse(name: &str) -> Self {
                match name {
                    #(#parse)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for EventName {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for EventName {
            fn from(name: &str) -> Self {
                Self::parse(name)
            }
        }

        impl serde::Serialize for EventName {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for EventName {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let name = String::deserialize(deserializer)?;
                Ok(Self::parse(&name))
            }
        }

        impl crate::wire::FromWire for EventName {}
    }
}

fn typed_event(events: &[EventModel]) -> TokenStream {
    let variants = events.iter().map(|e| {
        let v = ident(&e.variant);
        let feature = &e.feature;
        let doc = doc_attrs(&e.doc);
        let payload = payload_type(e);
        quote! {
            #doc
            #[cfg(feature = #feature)]
            #v(#payload),
        }
    });
    let dispatch = events.iter().map(|e| {
        let v = ident(&e.variant);
        let feature = &e.feature;
        let name = &e.name;
        quote! {
            #[cfg(feature = #feature)]
            #name => crate::runtime::events::decode_data(#name, data).map(Self::#v),
        }
    });
    let names = events.iter().map(|e| {
        let v = ident(&e.variant);
        let feature = &e.feature;
        quote! {
            #[cfg(feature = #feature)]
            Self::#v(_) => EventName::#v,
        }
    });
    let encode = events.iter().map(|e| {
        let v = ident(&e.variant);
        let feature = &e.feature;
        quote! {
            #[cfg(feature = #feature)]
            Self::#v(data) => serde_json::to_value(data),
        }
    });
    quote! {
        /// A verified incoming event, its `data` typed by the event's name. Events of a group
        /// whose feature is off, and events the docs do not list, are `Other`.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
            /// Any other event: its name and untyped `data`.
            Other {
                /// The name as sent.
                name: String,
                /// The `data` part.
                data: Value,
            },
        }

        impl Event {
            /// Types an event's `data` by its name (compared upper-cased, as the portal
            /// upper-cases the names it sends).
            pub fn from_data(name: &str, data: Value) -> Result<Self, crate::Error> {
                match name.to_ascii_uppercase().as_str() {
                    #(#dispatch)*
                    _ => Ok(Self::Other { name: name.to_owned(), data }),
                }
            }

            /// The event's name.
            pub fn name(&self) -> EventName {
                match self {
                    #(#names)*
                    Self::Other { name, .. } => EventName::parse(name),
                }
            }

            /// The `data` part as JSON again (for logs or forwarding).
            pub fn data_json(&self) -> Result<Value, serde_json::Error> {
                match self {
                    #(#encode)*
                    Self::Other { data, .. } => Ok(data.clone()),
                }
            }
        }

        /// Typed dispatch of the runtime's verified event: `event.typed()?`.
        pub trait EventExt {
            /// The event with its `data` typed by its name.
            fn typed(&self) -> Result<Event, crate::Error>;
        }

        impl EventExt for crate::runtime::events::Event {
            fn typed(&self) -> Result<Event, crate::Error> {
                Event::from_data(&self.event, self.data.clone())
            }
        }

        #[cfg(feature = "axum")]
        pub use crate::event_axum::handler;
    }
}

fn payload_type(e: &EventModel) -> TokenStream {
    match e.data.as_ref().and_then(|s| s.first()) {
        Some(top) => {
            let name = ident(&top.name);
            quote!(#name)
        }
        None => quote!(Value),
    }
}
