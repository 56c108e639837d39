//! `start`/`next` paging. The first page is a plain call; when it reports `total`, the pages
//! still missing are requested 50 per `batch`; whatever is left after that (the list grew) is
//! read page by page until `next` disappears.

use futures::stream::{self, BoxStream, StreamExt};
use serde_json::{Map, Value};

use super::{items_of, ListOptions};
use crate::batch::{Command, MAX_COMMANDS};
use crate::client::{CallOptions, Client};
use crate::envelope::Envelope;
use crate::error::Error;
use crate::method::ApiVersion;

struct State {
    client: Client,
    method: String,
    params: Map<String, Value>,
    options: ListOptions,
    /// Offset of the next page to read, `None` when done.
    next: Option<u64>,
    /// Offsets still to fetch in batches (known from `total`).
    planned: Vec<u64>,
    first: bool,
    /// An error to report after the items that preceded it.
    pending: Option<Error>,
}

/// Pages of items, in order.
pub(crate) fn pages(
    client: Client,
    method: String,
    params: Map<String, Value>,
    options: ListOptions,
) -> BoxStream<'static, Result<Vec<Value>, Error>> {
    let start = params.get("start").and_then(Value::as_u64).unwrap_or(0);
    let state = State {
        client,
        method,
        params,
        options,
        next: Some(start),
        planned: Vec::new(),
        first: true,
        pending: None,
    };
    stream::try_unfold(state, step).boxed()
}

async fn step(mut state: State) -> Result<Option<(Vec<Value>, State)>, Error> {
    if let Some(error) = state.pending.take() {
        return Err(error);
    }
    if !state.planned.is_empty() {
        return batched_step(state).await.map(Some);
    }
    let Some(start) = state.next else {
        return Ok(None);
    };
    let envelope = page(&state, start).await?;
    let items = items_of(
        &state.method,
        envelope.result,
        state.options.items_key.as_deref(),
    )?;
    state.next = envelope.next;
    if state.first && state.options.batched {
        state.planned = plan(start, envelope.next, envelope.total);
    }
    state.first = false;
    Ok(Some((items, state)))
}

/// Offsets of the remaining pages: from `next` up to `total`, one page-size apart.
fn plan(start: u64, next: Option<u64>, total: Option<u64>) -> Vec<u64> {
    let (Some(next), Some(total)) = (next, total) else {
        return Vec::new();
    };
    let size = next.saturating_sub(start);
    if size == 0 {
        return Vec::new();
    }
    (0..)
        .map(|i| next + i * size)
        .take_while(|offset| *offset < total)
        .collect()
}

async fn page(state: &State, start: u64) -> Result<Envelope<Value>, Error> {
    let mut params = state.params.clone();
    params.insert("start".into(), Value::from(start));
    let call = crate::client::Call {
        api: ApiVersion::V2,
        method: &state.method,
        params: Value::Object(params),
        idempotent: true,
    };
    state.client.execute(&call, &CallOptions::default()).await
}

/// Fetch up to 50 planned pages in one `batch` request.
async fn batched_step(mut state: State) -> Result<(Vec<Value>, State), Error> {
    let take = state.planned.len().min(MAX_COMMANDS);
    let offsets: Vec<u64> = state.planned.drain(..take).collect();
    let commands = offsets
        .iter()
        .enumerate()
        .map(|(i, offset)| {
            let mut params = state.params.clone();
            params.insert("start".into(), Value::from(*offset));
            Command::raw(format!("p{i}"), state.method.clone(), Value::Object(params))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let outcomes = state.client.run_chunk(&commands, false).await?;
    let mut items = Vec::new();
    for (_, outcome) in outcomes {
        match outcome.and_then(|envelope| {
            state.next = envelope.next;
            items_of(
                &state.method,
                envelope.result,
                state.options.items_key.as_deref(),
            )
        }) {
            Ok(page) => items.extend(page),
            Err(error) => {
                state.planned.clear();
                state.pending = Some(error);
                break;
            }
        }
    }
    Ok((items, state))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_covers_the_rest_of_the_list() {
        assert_eq!(plan(0, Some(50), Some(180)), vec![50, 100, 150]);
        assert_eq!(plan(0, Some(50), Some(50)), Vec::<u64>::new());
        assert_eq!(plan(0, None, Some(500)), Vec::<u64>::new());
        assert_eq!(plan(100, Some(100), Some(500)), Vec::<u64>::new());
    }
}
