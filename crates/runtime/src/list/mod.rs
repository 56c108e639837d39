//! Streaming every item of a list method.
//!
//! Two paths:
//! * [`fast`] — the large-data recipe (`order` by ID ascending, filter `>ID` = last seen ID,
//!   `start = -1` so the portal skips counting), with 50 chained list commands per `batch`
//!   request, each taking its `>ID` from the previous command's last item via `$result[...]`.
//!   The first request is already a full chain that also learns the highest ID and the count;
//!   the IDs in between are then split into disjoint ranges read by concurrent chains. Reading
//!   N items costs ceil(N / 2500) requests when IDs are dense.
//! * [`paging`] — `start`/`next` paging for methods without a usable ID field, in a stable
//!   order; after the first page reveals `total`, the remaining offsets are fetched 50 per
//!   `batch` request, several requests in flight.
//!
//!
//! A caller's `order` decides the path: absent, empty or the ID field ascending keeps the fast
//! path; anything else is honoured on the paging path (the ID appended as a tie-breaker, see
//! `keys.rs`), never replaced.
//!
//! REST 3.0 list methods ([`v3`]) take `pagination` (`limit`, `offset`) and answer without
//! `total` or `next`: they are read one page after another, by `id > last` when the method has
//! an ID field and the order allows it, else by offset.
//!
//! Fast-path items stay raw JSON text until yielded (`kept.rs`): a stream holds up to
//! `concurrency` × 2,500 of them, and a parsed item costs several times its text.
//!
//! Every request goes through the client's shared limiter, so concurrency never outruns the
//! portal's bucket; the first request of a stream always goes alone, so a portal already at
//! its limit refuses it once and everything after is paced. Paging always ends: progress is
//! checked on every page, offsets use checked arithmetic and are generated lazily (never
//! allocated from `total`), and [`ListOptions::max_pages`] caps a stream.
//!
//! Lists are reads, so every request here is retried on timeouts and dropped connections.

mod budget;
mod cursor;
pub mod fast;
mod kept;
mod keys;
pub mod paging;
mod ranges;
pub mod v3;

use futures::future::ready;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde_json::Value;

use crate::client::Client;
use crate::error::Error;
use crate::method::{ApiVersion, ListMethod};
use kept::Kept;

/// Items per page of classic list methods.
pub const PAGE_SIZE: usize = 50;

/// How to read a list method's answer.
#[derive(Debug, Clone)]
pub struct ListOptions {
    /// Key of the item array inside `result` (`items` for `crm.item.list`); `None` detects it:
    /// `result` itself if it is an array, else its only array-valued field.
    pub items_key: Option<String>,
    /// Stable ascending numeric ID field (`ID` or `id`) enabling the fast path; `None` pages
    /// with `start`/`next`.
    pub id_field: Option<String>,
    /// Pack several pages into one `batch` request (on by default).
    pub batched: bool,
    /// Requests in flight at once after the first (default 16). The shared limiter paces them
    /// whatever this says; it bounds memory (each in-flight request buffers up to 2,500 items).
    pub concurrency: usize,
    /// The most pages (of 50) one stream reads before it stops with [`Error::List`]
    /// (default 400,000: 20 million items). Guards against a server whose paging never ends.
    pub max_pages: u64,
    /// The field `start`/`next` paging orders by when the caller gives no `order` (default
    /// `ID`; offset pages without an order can repeat or skip rows). `None` sends no order.
    pub paging_order: Option<String>,
    /// What the fast path's first request reads: a full chain (the default, fewest requests)
    /// or a short probe (lowest latency for lists known to be large).
    pub first_request: FirstRequest,
}

/// The fast path's first request: the one trade-off between requests and latency.
///
/// Nothing is known about a list before its first answer, so the first request goes alone and
/// everything after it is planned from what it learned (the count and the highest IDs).
/// Measured on `bitrix24-mock`'s bench model (30 ms per request plus 2 ms per inner call),
/// a 10,000-item list takes two full-chain round trips either way after a full chain
/// (0.26 s of model time), but one short and one full round trip after a probe (0.16 s).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FirstRequest {
    /// 49 chained pages plus the top page, 2,500 items: a list of N items costs exactly
    /// ceil(N / 2500) requests when IDs are dense, and one request when it fits in 2,500.
    /// The right default on a busy portal, where every request is paid for in the bucket.
    #[default]
    FullChain,
    /// One counting page plus the top page, 100 items, answered in about a fifth of a full
    /// chain's time; the rest is then read by concurrent chains at once. One request more than
    /// [`FirstRequest::FullChain`] for lists over 100 items, and one full round trip less for
    /// lists over 2,500: for large lists on an idle portal.
    Probe,
}

impl FirstRequest {
    /// Chained ascending pages sent with the top page.
    pub(crate) fn chained_pages(self) -> usize {
        match self {
            Self::FullChain => crate::batch::MAX_COMMANDS - 1,
            Self::Probe => 1,
        }
    }
}

impl Default for ListOptions {
    fn default() -> Self {
        Self {
            items_key: None,
            id_field: None,
            batched: true,
            concurrency: 16,
            max_pages: 400_000,
            paging_order: Some("ID".to_owned()),
            first_request: FirstRequest::FullChain,
        }
    }
}

impl Client {
    /// Stream every item of a typed list method.
    ///
    /// What a generated crate sets on its [`ListMethod`] impl: [`ListMethod::ITEMS_KEY`] when
    /// the items sit under a key of `result` (`items` for crm.item.list and for every REST 3.0
    /// list), and [`ListMethod::ID_FIELD`] when the method has a stable ascending numeric ID
    /// it can filter by (`ID` classic, `id` REST 3.0). With `ID_FIELD` set the stream takes the
    /// fast ID path by default (classic) or reads by `id > last` (REST 3.0), as long as the
    /// request's `order` is empty or that field ascending; any other order is honoured by
    /// offset paging. [`Method::API`](crate::Method::API) picks classic or REST 3.0 paging.
    pub fn list<M: ListMethod + 'static>(
        &self,
        request: &M,
    ) -> BoxStream<'static, Result<M::Item, Error>> {
        self.list_with(request, ListOptions::default())
    }

    /// [`Client::list`] with options: concurrency, the page cap, the first request (see
    /// [`FirstRequest`]). The method's own facts win over `options`: its items key and ID
    /// field come from the [`ListMethod`] impl.
    ///
    /// ```no_run
    /// # async fn example<M: bitrix24_runtime::ListMethod + 'static>(
    /// #     client: bitrix24_runtime::Client, request: M) {
    /// use bitrix24_runtime::{FirstRequest, ListOptions};
    /// use futures::TryStreamExt;
    /// // A list known to be large, on an idle portal: one request more, one round trip less.
    /// let options = ListOptions { first_request: FirstRequest::Probe, ..ListOptions::default() };
    /// let items: Vec<M::Item> = client.list_with(&request, options).try_collect().await.unwrap();
    /// # }
    /// ```
    pub fn list_with<M: ListMethod + 'static>(
        &self,
        request: &M,
        options: ListOptions,
    ) -> BoxStream<'static, Result<M::Item, Error>> {
        let options = ListOptions {
            items_key: M::ITEMS_KEY.map(str::to_owned),
            id_field: M::ID_FIELD.map(str::to_owned),
            ..options
        };
        let params = match crate::client::params_of(M::NAME, request) {
            Ok(p) => p,
            Err(error) => return stream::once(async move { Err(error) }).boxed(),
        };
        let items = match M::API {
            ApiVersion::V2 => self.list_kept(M::NAME, params, options),
            ApiVersion::V3 => self
                .list_raw_v3(M::NAME, params, options)
                .map_ok(Kept::Parsed)
                .boxed(),
        };
        // Raw items from the fast path go straight into `M::Item`, never through a `Value`.
        items
            .and_then(|item| ready(item.decode::<M::Item>(M::NAME)))
            .boxed()
    }

    /// Stream every item of a REST 3.0 list method called by name (see [`v3`]).
    pub fn list_raw_v3(
        &self,
        method: &str,
        params: Value,
        options: ListOptions,
    ) -> BoxStream<'static, Result<Value, Error>> {
        let params = match object(params) {
            Ok(params) => params,
            Err(error) => return stream::once(async { Err(error) }).boxed(),
        };
        flatten(v3::pages(self.clone(), method.to_owned(), params, options))
    }

    /// Stream every item of a classic list method called by name.
    ///
    /// With [`ListOptions::id_field`] set, the fast ID path reads the list when the caller's
    /// `order` is absent, empty or that field ascending; any other order is sent as given on
    /// the `start`/`next` path, with the ID field appended as a tie-breaker.
    pub fn list_raw(
        &self,
        method: &str,
        params: Value,
        options: ListOptions,
    ) -> BoxStream<'static, Result<Value, Error>> {
        let name = method.to_owned();
        self.list_kept(method, params, options)
            .and_then(move |item| ready(item.into_value(&name)))
            .boxed()
    }

    /// Items of a classic list as the stream keeps them (raw on the fast path).
    fn list_kept(
        &self,
        method: &str,
        params: Value,
        options: ListOptions,
    ) -> BoxStream<'static, Result<Kept, Error>> {
        let mut params = match object(params) {
            Ok(params) => params,
            Err(error) => return stream::once(async { Err(error) }).boxed(),
        };
        let fast_id = options
            .id_field
            .clone()
            .filter(|id| keys::order_allows_fast_path(&params, id));
        match fast_id {
            Some(id_field) => flatten(fast::pages(
                self.clone(),
                method.to_owned(),
                params,
                id_field,
                options,
            ))
            .map_ok(Kept::Raw)
            .boxed(),
            None => {
                if let Some(id_field) = &options.id_field {
                    keys::add_tie_breaker(&mut params, id_field);
                }
                flatten(paging::pages(
                    self.clone(),
                    method.to_owned(),
                    params,
                    options,
                ))
                .map_ok(Kept::Parsed)
                .boxed()
            }
        }
    }
}

fn object(params: Value) -> Result<serde_json::Map<String, Value>, Error> {
    match params {
        Value::Null => Ok(serde_json::Map::new()),
        Value::Object(map) => Ok(map),
        _ => Err(Error::Encode {
            method: "list".into(),
            message: "list parameters must be a JSON object".into(),
        }),
    }
}

/// Each page is moved into the output item by item: no copy of an item is ever made.
fn flatten<T: Send + 'static>(
    pages: BoxStream<'static, Result<Vec<T>, Error>>,
) -> BoxStream<'static, Result<T, Error>> {
    pages
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

/// The item array of a list answer.
pub(crate) fn items_of(
    method: &str,
    result: Value,
    items_key: Option<&str>,
) -> Result<Vec<Value>, Error> {
    let items = match (result, items_key) {
        (Value::Object(mut map), Some(key)) => map.remove(key),
        (Value::Array(items), _) => Some(Value::Array(items)),
        (Value::Object(map), None) => {
            let mut arrays = map.into_iter().filter(|(_, v)| v.is_array());
            match (arrays.next(), arrays.next()) {
                (Some((_, only)), None) => Some(only),
                _ => None,
            }
        }
        _ => None,
    };
    match items {
        Some(Value::Array(items)) => Ok(items),
        // An empty list can arrive as an empty object (PHP's empty array rendered as `{}`).
        Some(Value::Object(map)) if map.is_empty() => Ok(Vec::new()),
        _ => Err(Error::decode(
            method,
            200,
            "list result holds no item array",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_are_found_in_every_shape() {
        assert_eq!(items_of("m", json!([1, 2]), None).unwrap().len(), 2);
        assert_eq!(
            items_of("m", json!({"items": [1]}), Some("items"))
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            items_of("m", json!({"tasks": [1, 2, 3]}), None)
                .unwrap()
                .len(),
            3
        );
        assert!(items_of("m", json!({}), None).is_err());
        assert!(items_of("m", json!({"a": [1], "b": [2]}), None).is_err());
        assert!(items_of("m", json!("x"), None).is_err());
        assert!(items_of("m", json!({"items": {}}), Some("items"))
            .unwrap()
            .is_empty());
    }
}
