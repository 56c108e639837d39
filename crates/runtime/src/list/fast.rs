//! The large-data path from the docs: `order` by ID ascending, filter `>ID` = last seen ID,
//! `start = -1` (no total count). One plain call reads the first page; if it is full, each
//! further request is a `batch` of 50 chained commands, command *i* filtering on the last ID of
//! command *i-1* through `$result[...]`. The chain stops being trusted at the first short page,
//! and items at or below the last seen ID are dropped, so an unresolved reference can never
//! repeat items.

use futures::stream::{self, BoxStream, StreamExt};
use serde_json::{Map, Value};

use super::{items_of, ListOptions, PAGE_SIZE};
use crate::batch::{reference, Command, Outcome, MAX_COMMANDS};
use crate::client::{CallOptions, Client};
use crate::codes::CodeClass;
use crate::error::Error;
use crate::method::ApiVersion;

struct State {
    client: Client,
    method: String,
    params: Map<String, Value>,
    id_field: String,
    items_key: Option<String>,
    batched: bool,
    last_id: Option<u64>,
    done: bool,
    /// Rounds in a row that made no progress because of a limit; bounded by the retry policy.
    stalled: u32,
    pending: Option<Error>,
}

/// Pages of items, in ascending ID order.
pub(crate) fn pages(
    client: Client,
    method: String,
    params: Map<String, Value>,
    id_field: String,
    options: ListOptions,
) -> BoxStream<'static, Result<Vec<Value>, Error>> {
    let state = State {
        client,
        method,
        params,
        id_field,
        items_key: options.items_key,
        batched: options.batched,
        last_id: None,
        done: false,
        stalled: 0,
        pending: None,
    };
    stream::try_unfold(state, step).boxed()
}

async fn step(mut state: State) -> Result<Option<(Vec<Value>, State)>, Error> {
    if let Some(error) = state.pending.take() {
        return Err(error);
    }
    if state.done {
        return Ok(None);
    }
    let items = if state.last_id.is_none() || !state.batched {
        single_page(&mut state).await?
    } else {
        chained_pages(&mut state).await?
    };
    Ok(Some((items, state)))
}

/// The parameters of one page: the caller's, with ID order, `>ID` and `start = -1`.
fn page_params(state: &State, after: Option<Value>) -> Value {
    let mut params = state.params.clone();
    let mut order = Map::new();
    order.insert(state.id_field.clone(), Value::from("ASC"));
    params.insert("order".into(), Value::Object(order));
    if let Some(after) = after {
        let filter = params
            .entry("filter")
            .or_insert_with(|| Value::Object(Map::new()));
        if !filter.is_object() {
            *filter = Value::Object(Map::new());
        }
        if let Value::Object(filter) = filter {
            filter.insert(format!(">{}", state.id_field), after);
        }
    }
    params.insert("start".into(), Value::from(-1));
    Value::Object(params)
}

async fn single_page(state: &mut State) -> Result<Vec<Value>, Error> {
    let params = page_params(state, state.last_id.map(Value::from));
    let call = crate::client::Call {
        api: ApiVersion::V2,
        method: &state.method,
        params,
        idempotent: true,
    };
    let envelope = state.client.execute(&call, &CallOptions::default()).await?;
    let items = items_of(&state.method, envelope.result, state.items_key.as_deref())?;
    accept_page(state, items)
}

/// Keep the items past the last seen ID, advance it, and finish on a short page.
fn accept_page(state: &mut State, items: Vec<Value>) -> Result<Vec<Value>, Error> {
    let full = items.len() >= PAGE_SIZE;
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        let id = id_of(&state.method, &state.id_field, &item)?;
        if state.last_id.is_some_and(|last| id <= last) {
            continue;
        }
        state.last_id = Some(id);
        kept.push(item);
    }
    if !full || kept.is_empty() {
        state.done = true;
    }
    Ok(kept)
}

fn id_of(method: &str, id_field: &str, item: &Value) -> Result<u64, Error> {
    let id = item.get(id_field).and_then(|v| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    id.ok_or_else(|| {
        Error::decode(
            method,
            200,
            format!("list item has no numeric `{id_field}`"),
        )
    })
}

/// One `batch` of up to 50 list commands, each continuing after the previous one's last item.
async fn chained_pages(state: &mut State) -> Result<Vec<Value>, Error> {
    state.client.wait_for_method(&state.method).await?;
    let commands = chain(state)?;
    let outcomes = state.client.run_chunk(&commands, false).await?;
    let mut items = Vec::new();
    for (_, outcome) in outcomes {
        match page_of(state, outcome) {
            Ok(page) => items.extend(page),
            Err(error) => {
                react_to_command_error(state, error, items.is_empty())?;
                break;
            }
        }
        if state.done {
            break;
        }
    }
    if !items.is_empty() {
        state.stalled = 0;
    }
    Ok(items)
}

fn page_of(state: &mut State, outcome: Outcome) -> Result<Vec<Value>, Error> {
    let envelope = outcome?;
    let items = items_of(&state.method, envelope.result, state.items_key.as_deref())?;
    accept_page(state, items)
}

fn chain(state: &State) -> Result<Vec<Command>, Error> {
    let last_index = (PAGE_SIZE - 1).to_string();
    (0..MAX_COMMANDS)
        .map(|i| {
            let after = if i == 0 {
                state.last_id.map(Value::from)
            } else {
                let previous = format!("c{}", i - 1);
                let mut path: Vec<&str> = state.items_key.iter().map(String::as_str).collect();
                path.extend([last_index.as_str(), state.id_field.as_str()]);
                Some(Value::from(reference(&previous, &path)))
            };
            Command::raw(
                format!("c{i}"),
                state.method.clone(),
                page_params(state, after),
            )
        })
        .collect()
}

/// A command inside the chain failed. Limit refusals are waited out and the chain restarts from
/// the last ID seen; anything else ends the stream after the items already read.
fn react_to_command_error(state: &mut State, error: Error, no_progress: bool) -> Result<(), Error> {
    let policy = &state.client.config().retry;
    let retryable = matches!(
        error.class(),
        CodeClass::QueryLimit | CodeClass::OperationTimeLimit
    ) || matches!(error, Error::NotRun { .. });
    if !retryable || (no_progress && state.stalled >= policy.max_retries) {
        state.pending = Some(error);
        return Ok(());
    }
    if no_progress {
        state.stalled += 1;
    }
    match error.class() {
        CodeClass::OperationTimeLimit => state.client.hold_method(&state.method),
        _ => state.client.limiter().saturate(),
    }
    tracing::warn!(method = %state.method, error = %error, "list chain interrupted; resuming from the last ID");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_from_numbers_and_strings() {
        assert_eq!(
            id_of("m", "ID", &serde_json::json!({"ID": "17"})).unwrap(),
            17
        );
        assert_eq!(id_of("m", "id", &serde_json::json!({"id": 4})).unwrap(), 4);
        assert!(id_of("m", "ID", &serde_json::json!({"ID": "x"})).is_err());
        assert!(id_of("m", "ID", &serde_json::json!({})).is_err());
    }
}
