//! REST 3.0 list methods (`/rest/api/...`, e.g. `tasks.task.list`).
//!
//! The docs (`api-reference/rest-v3.md`, `tasks/tasks-task-list-rest-v3.md`): `pagination`
//! takes `limit` (default 50, at most 1,000 for tasks), `offset` and `page`; `filter` is an
//! array of conditions (`["id", ">", 1000]`); `order` is `{field: "ASC" | "DESC"}`; the answer
//! is `{"result": {"items": [...]}}` with no `total` and no `next`. So a list is read one page
//! after another until it runs out:
//!
//! * **by ID** when the method has an ID field ([`ListOptions::id_field`]), the caller's order
//!   is empty or that field ascending, the caller's `filter` is absent or an array and no
//!   offset or page was asked for: `order` by ID ascending, the condition `[id, ">", last]`
//!   appended to the caller's filter, `offset` never sent. Deep pages cost the portal nothing
//!   more than the first, and rows added or removed meanwhile cannot shift the pages.
//! * **by offset** otherwise, the caller's `order` kept (the ID appended as a tie-breaker when
//!   known, as on the classic paging path) and `offset` advanced by each page's length.
//!
//! Without `total`, the end is a page shorter than a full one. The limit asked for is trusted
//! as the page size only when it is at most the documented default (50); a larger one may be
//! capped by the method, so the page size is then learned from the longest page seen, and a
//! short first page is followed by one more request. An empty page always ends the list.
//! Progress is checked on every page and [`ListOptions::max_pages`] caps a stream.

use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt};
use serde_json::{Map, Value};

use super::budget::PageBudget;
use super::cursor::id_of;
use super::{items_of, keys, ListOptions};
use crate::client::{CallOptions, Client};
use crate::error::Error;
use crate::method::ApiVersion;

/// Items per page REST 3.0 list methods return when no `limit` is given.
pub const DEFAULT_LIMIT: u64 = 50;

type Pages = BoxStream<'static, Result<Vec<Value>, Error>>;

#[derive(Debug)]
enum Position {
    /// The highest ID read so far.
    AfterId {
        id_field: Arc<str>,
        last: Option<u64>,
    },
    Offset(u64),
}

#[derive(Debug)]
struct State {
    client: Client,
    method: Arc<str>,
    params: Map<String, Value>,
    items_key: Option<Arc<str>>,
    budget: PageBudget,
    limit: u64,
    position: Position,
    /// The page size a page shorter than which ends the list (0 until one is known).
    full: u64,
    done: bool,
}

/// Pages of a REST 3.0 list, in order.
pub(crate) fn pages(
    client: Client,
    method: String,
    mut params: Map<String, Value>,
    options: ListOptions,
) -> Pages {
    let pagination_key = keys::key(&params, "pagination");
    let pagination = params
        .remove(&pagination_key)
        .and_then(|p| match p {
            Value::Object(map) => Some(map),
            _ => None,
        })
        .unwrap_or_default();
    let number = |name: &str| keys::get(&pagination, name).and_then(Value::as_u64);
    let limit = number("limit").filter(|l| *l > 0).unwrap_or(DEFAULT_LIMIT);
    let offset = match (number("offset"), number("page")) {
        (Some(offset), _) => offset,
        (None, Some(page)) if page > 1 => (page - 1).saturating_mul(limit),
        _ => 0,
    };
    let by_id = options.id_field.clone().filter(|id| {
        offset == 0
            && keys::order_allows_fast_path(&params, id)
            && matches!(keys::get(&params, "filter"), None | Some(Value::Array(_)))
    });
    let position = match by_id {
        Some(id_field) => Position::AfterId {
            id_field: id_field.into(),
            last: None,
        },
        None => {
            if let Some(id_field) = &options.id_field {
                keys::add_tie_breaker(&mut params, id_field);
            }
            Position::Offset(offset)
        }
    };
    let state = State {
        client,
        method: method.into(),
        params,
        items_key: options.items_key.map(Into::into),
        budget: PageBudget::new(options.max_pages),
        limit,
        position,
        full: if limit <= DEFAULT_LIMIT { limit } else { 0 },
        done: false,
    };
    stream::try_unfold(state, |mut state| async move {
        if state.done {
            return Ok(None);
        }
        let items = state.next_page().await?;
        Ok(Some((items, state)))
    })
    .boxed()
}

impl State {
    fn page_params(&self) -> Value {
        let mut params = self.params.clone();
        let mut pagination = Map::new();
        pagination.insert("limit".into(), Value::from(self.limit));
        match &self.position {
            Position::AfterId { id_field, last } => {
                let order = Map::from_iter([(id_field.to_string(), Value::from("ASC"))]);
                params.insert(keys::key(&params, "order"), Value::Object(order));
                if let Some(last) = last {
                    let condition = Value::from(vec![
                        Value::from(id_field.to_string()),
                        Value::from(">"),
                        Value::from(*last),
                    ]);
                    let filter = params
                        .entry(keys::key(&params, "filter"))
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(conditions) = filter {
                        conditions.push(condition);
                    }
                }
            }
            Position::Offset(offset) => {
                pagination.insert("offset".into(), Value::from(*offset));
            }
        }
        params.insert("pagination".into(), Value::Object(pagination));
        Value::Object(params)
    }

    async fn next_page(&mut self) -> Result<Vec<Value>, Error> {
        self.budget.spend(&self.method, 1)?;
        let call = crate::client::Call {
            api: ApiVersion::V3,
            method: &self.method,
            params: self.page_params(),
            idempotent: true,
        };
        let envelope = self.client.execute(&call, &CallOptions::default()).await?;
        let items = items_of(&self.method, envelope.result, self.items_key.as_deref())?;
        let length = items.len() as u64;
        let kept = match &mut self.position {
            Position::AfterId { id_field, last } => {
                let mut kept = Vec::with_capacity(items.len());
                for item in items {
                    let id = id_of(&self.method, id_field, &item)?;
                    if last.is_some_and(|last| id <= last) {
                        continue;
                    }
                    *last = Some(id);
                    kept.push(item);
                }
                if length > 0 && kept.is_empty() {
                    self.done = true;
                    return Err(Error::List {
                        method: self.method.to_string(),
                        reason: format!(
                            "a page after {id_field} {} brought no new item: the server ignored \
                             the `{id_field} >` condition",
                            last.unwrap_or(0)
                        ),
                    });
                }
                kept
            }
            Position::Offset(offset) => {
                *offset = offset.checked_add(length).ok_or_else(|| Error::List {
                    method: self.method.to_string(),
                    reason: "the offset overflowed".into(),
                })?;
                items
            }
        };
        if length == 0 || length < self.full {
            self.done = true;
        }
        self.full = self.full.max(length);
        Ok(kept)
    }
}
