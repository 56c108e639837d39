//! # bitrix24-runtime
//!
//! The hand-written runtime under the generated `bitrix24` crate: transport, authorisation
//! (incoming webhooks and OAuth 2 apps), the documented rate limits, safe retries, `batch`, and
//! streaming of full lists.
//!
//! ## The surface the generated code targets
//!
//! * [`Method`] — implemented by every generated request type: wire name, API generation,
//!   whether repeating it is safe, and the `result` type.
//! * [`ListMethod`] — for list methods: item type, where the items sit, and the ID field that
//!   enables the fast large-data path.
//! * [`Client::call`], [`Client::call_envelope`], [`Client::call_raw`].
//! * [`lenient`] — serde helpers for numbers-as-strings, `"Y"`/`"N"`, `false`/`""`/`[]` as empty.
//! * [`Error`] — `Api { status, code, description }`, `Transport`, `Decode`, ...
//!
//! ## Example
//!
//! ```no_run
//! use bitrix24_runtime::{ApiVersion, Client, Method};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize)]
//! struct DealGet {
//!     id: u64,
//! }
//!
//! #[derive(Deserialize)]
//! struct Deal {
//!     #[serde(rename = "ID", deserialize_with = "bitrix24_runtime::lenient::int")]
//!     id: u64,
//!     #[serde(rename = "TITLE")]
//!     title: String,
//! }
//!
//! impl Method for DealGet {
//!     const NAME: &'static str = "crm.deal.get";
//!     const API: ApiVersion = ApiVersion::V2;
//!     const IDEMPOTENT: bool = true;
//!     type Response = Deal;
//! }
//!
//! # async fn run() -> Result<(), bitrix24_runtime::Error> {
//! let client = Client::webhook("https://portal.bitrix24.com/rest/1/your_webhook_code/")?;
//! let deal = client.call(&DealGet { id: 42 }).await?;
//! println!("{} {}", deal.id, deal.title);
//! # Ok(())
//! # }
//! ```
//!
//! ## Batch and list streaming
//!
//! ```no_run
//! use bitrix24_runtime::{Batch, Client, ListOptions};
//! use futures::TryStreamExt;
//! use serde_json::json;
//!
//! # async fn run() -> Result<(), bitrix24_runtime::Error> {
//! let client = Client::webhook("https://portal.bitrix24.com/rest/1/your_webhook_code/")?;
//!
//! // Up to 50 commands per request; later commands can use earlier results.
//! let mut batch = Batch::new();
//! let me = batch.add_raw("me", "user.current", json!({}))?;
//! let dept = batch.add_raw("dept", "department.get", json!({ "ID": me.reference(&["UF_DEPARTMENT", "0"]) }))?;
//! let results = client.batch(&batch).await?;
//! println!("{:?}", results.get(&dept)?.result);
//!
//! // Every deal, about 2500 per request, paced to the portal's limits.
//! let options = ListOptions { id_field: Some("ID".into()), ..ListOptions::default() };
//! let deals: Vec<serde_json::Value> =
//!     client.list_raw("crm.deal.list", json!({ "select": ["ID", "TITLE"] }), options).try_collect().await?;
//! println!("{} deals", deals.len());
//! # Ok(())
//! # }
//! ```
//!
//! ## OAuth applications
//!
//! ```no_run
//! use bitrix24_runtime::{Client, OAuth, Tokens};
//!
//! # fn run() -> Result<(), bitrix24_runtime::Error> {
//! let oauth = OAuth::new("https://portal.bitrix24.com/rest/", "app.123", "client_secret", Tokens::new("access", "refresh"))?
//!     // Called once per refresh (only after a 401 `expired_token`); store the new pair.
//!     .on_refresh(|tokens| println!("store new tokens for {:?}", tokens.member_id));
//! let client = Client::builder(oauth).build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```

pub mod auth;
pub mod batch;
mod body;
mod client;
mod codes;
mod config;
mod deadline;
mod envelope;
mod error;
pub mod events;
mod form;
pub mod lenient;
mod limiter;
pub mod list;
mod method;
mod mismatch;
mod operating;
mod retry;
mod secret;
mod transport;

pub use auth::{Auth, OAuth, Tokens, Webhook};
pub use batch::{Batch, BatchResults, Command, Handle};
pub use client::{CallOptions, Client, ClientBuilder};
pub use codes::{classify, CodeClass};
pub use config::{Config, RateLimit, RetryPolicy, DEFAULT_MAX_RESPONSE_BYTES};
pub use envelope::{decode_body, Envelope, Time};
pub use error::{Error, TransportKind};
pub use limiter::RateLimiter;
pub use list::{FirstRequest, ListOptions};
pub use method::{is_read_method, ApiVersion, ListMethod, Method};
pub use operating::unix_now;
pub use secret::{Secret, REDACTED};
pub use transport::{IDEMPOTENCY_KEY, IDEMPOTENT_REPLAYED};
