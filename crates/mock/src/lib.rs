//! `bitrix24-mock`: a local Bitrix24 portal built from the spec (`spec/`, never the docs), for
//! testing clients offline.
//!
//! ```no_run
//! # async fn demo() -> Result<(), bitrix24_mock::MockError> {
//! use bitrix24_mock::{Entity, Portal};
//! let portal = Portal::builder().seed(Entity::Deal, 120).start().await?;
//! let webhook = portal.webhook_url(); // http://127.0.0.1:PORT/rest/1/CODE/
//! let app = portal.oauth_app();       // client_endpoint, token_url, id, secret, tokens
//! # Ok(()) }
//! ```
//!
//! Every spec method is served at the webhook and OAuth URLs of both REST versions, validated
//! against the spec ([`validate`]), and answered from state for the core entities
//! ([`entities`]) or with the page's response example. Lists page as documented ([`paging`]),
//! `batch` runs with `halt` and `$result[...]` ([`batch`]), the documented limits apply
//! ([`limits`]), OAuth tokens expire and refresh ([`oauth`]), and tests can add latency
//! ([`Latency`]) and faults ([`Fault`]).

pub mod batch;
mod calls;
mod catalogue;
pub mod cli;
mod config;
pub mod entities;
mod error;
pub mod faults;
pub mod form;
pub mod limits;
pub mod oauth;
pub mod paging;
mod portal;
pub mod reply;
mod routes;
pub mod state;
pub mod validate;

pub use catalogue::Catalogue;
pub use config::{default_spec_dir, Bucket, Latency, MockConfig, OperatingLimit};
pub use error::MockError;
pub use faults::{Fault, FaultKind};
pub use oauth::OAuthApp;
pub use portal::{Portal, PortalBuilder, Stats};
pub use reply::ApiError;
pub use state::Entity;
