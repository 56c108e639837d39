//! The large-data path from the docs: `order` by ID ascending, filter `>ID` = last seen ID,
//! `start = -1` (no count).
//!
//! The first request is already a full `batch`: 49 chained ascending pages (the first one
//! counting, so the portal reports `total`) plus one descending page that reveals the highest
//! IDs ([`FirstRequest::Probe`] sends one ascending page instead of 49, trading a request for
//! a round trip). Whatever lies between the chain's last ID and the lowest of those top IDs is split into
//! disjoint ranges sized by the count, read by concurrent chains (each range one request when
//! IDs are dense), and streamed in ascending order: first chain, ranges, top page. The first
//! request goes alone, so a portal already at its limit refuses it once and the limiter paces
//! everything after.
//!
//! When the first request cannot tell where the list ends (the top page failed), the rest is
//! read by one chain after another, as before.

use std::sync::Arc;

use futures::future::ready;
use futures::stream::{self, BoxStream, StreamExt};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::budget::PageBudget;
use super::cursor::{Cursor, Job};
use super::kept::{raw_id_of, raw_items_of};
use super::ranges::{chains_needed, split, IdRange};
use super::{FirstRequest, ListOptions};
use crate::batch::{Command, MAX_COMMANDS};
use crate::client::Client;
use crate::error::Error;

/// Pages of items kept as raw JSON text until the caller takes them (see `kept.rs`).
type Pages = BoxStream<'static, Result<Vec<Box<RawValue>>, Error>>;

/// Pages of items, in ascending ID order.
pub(crate) fn pages(
    client: Client,
    method: String,
    params: Map<String, Value>,
    id_field: String,
    options: ListOptions,
) -> Pages {
    let job = Job {
        client,
        method: method.into(),
        params: Arc::new(params),
        id_field: id_field.into(),
        items_key: options.items_key.map(Into::into),
        budget: Arc::new(PageBudget::new(options.max_pages)),
    };
    let everything = IdRange {
        after: 0,
        before: None,
    };
    let pages = if options.batched {
        let first = options.first_request;
        stream::once(first_then_rest(job, first, options.concurrency.max(1)))
            .flatten()
            .boxed()
    } else {
        serial(Cursor::new(job, everything), Step::Single)
    };
    stop_after_error(pages)
}

/// End the stream at its first error: later pages (read concurrently) are dropped so a caller
/// never sees items after a gap.
fn stop_after_error(pages: Pages) -> Pages {
    pages
        .scan(false, |failed, page| {
            let out = (!*failed).then(|| {
                *failed = page.is_err();
                page
            });
            futures::future::ready(out)
        })
        .boxed()
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Single,
    Chain,
}

/// The rest of a cursor's range, one request after another.
fn serial(cursor: Cursor, step: Step) -> Pages {
    stream::try_unfold(cursor, move |mut cursor| async move {
        if let Some(error) = cursor.pending.take() {
            return Err(error);
        }
        if cursor.done {
            return Ok(None);
        }
        let items = match step {
            Step::Single => cursor.single().await?,
            Step::Chain => cursor.chain(MAX_COMMANDS, Vec::new(), false).await?.items,
        };
        Ok(Some((items, cursor)))
    })
    .boxed()
}

async fn first_then_rest(job: Job, first: FirstRequest, concurrency: usize) -> Pages {
    let everything = IdRange {
        after: 0,
        before: None,
    };
    let mut cursor = Cursor::new(job.clone(), everything);
    let first = match top_command(&cursor) {
        Ok(top) => cursor.chain(first.chained_pages(), vec![top], true).await,
        Err(error) => Err(error),
    };
    let first = match first {
        Ok(first) => first,
        Err(error) => return failed(error),
    };
    let bottom_len = first.items.len() as u64;
    let head = stream::once(ready(Ok(first.items))).boxed();
    if cursor.pending.is_some() || cursor.done {
        return head.chain(serial(cursor, Step::Chain)).boxed();
    }
    let last = cursor.last.unwrap_or(0);
    let top = first
        .extras
        .into_iter()
        .next()
        .and_then(|(_, outcome)| outcome.ok())
        .map(|envelope| top_items(&job, &envelope.result, last));
    let top = match top {
        Some(Ok(Some(top))) if !top.items.is_empty() || top.overlapped => top,
        Some(Err(error)) => return head.chain(failed(error)).boxed(),
        // No view of the end (the top page failed, was empty, or came in the wrong order):
        // one chain after another.
        _ => return head.chain(serial(cursor, Step::Chain)).boxed(),
    };
    let ranges = match plan(&job, last, &top, first.total, bottom_len) {
        Ok(ranges) => ranges,
        Err(error) => return head.chain(failed(error)).boxed(),
    };
    let middle = concurrent(job, ranges, concurrency);
    head.chain(middle)
        .chain(stream::once(ready(Ok(top.items))))
        .boxed()
}

fn failed(error: Error) -> Pages {
    stream::once(ready(Err(error))).boxed()
}

/// The descending page that reveals the highest IDs.
fn top_command(cursor: &Cursor) -> Result<Command, Error> {
    let params = cursor.page_params(None, true, false);
    Command::raw("top", cursor.job.method.to_string(), params)
}

/// The highest items, ascending, past the first chain's last ID.
struct Top {
    items: Vec<Box<RawValue>>,
    /// Some of them were already read: the first chain met the top page, nothing lies between.
    overlapped: bool,
}

/// The top page's items past `last`, ascending; `None` when the page is not in strictly
/// descending ID order (a server that ignores `order` gives no view of the end).
fn top_items(job: &Job, result: &RawValue, last: u64) -> Result<Option<Top>, Error> {
    let mut items = raw_items_of(&job.method, result, job.items_key.as_deref())?;
    let mut ids = Vec::with_capacity(items.len());
    for item in &items {
        ids.push(raw_id_of(&job.method, &job.id_field, item)?);
    }
    if ids.windows(2).any(|pair| pair[0] <= pair[1]) {
        return Ok(None);
    }
    items.reverse();
    ids.reverse();
    let overlapped = ids.first().is_some_and(|first| *first <= last);
    let kept = items
        .into_iter()
        .zip(ids)
        .filter_map(|(item, id)| (id > last).then_some(item))
        .collect();
    Ok(Some(Top {
        items: kept,
        overlapped,
    }))
}

/// The ranges between the first chain and the top page, as many as the count says are needed.
fn plan(
    job: &Job,
    last: u64,
    top: &Top,
    total: Option<u64>,
    bottom_len: u64,
) -> Result<impl Iterator<Item = IdRange>, Error> {
    let first_top = top
        .items
        .first()
        .map(|item| raw_id_of(&job.method, &job.id_field, item));
    let low_top = match first_top {
        Some(id) => id?,
        None => last.saturating_add(1),
    };
    let span = low_top.saturating_sub(last).saturating_sub(1);
    let read = bottom_len.saturating_add(top.items.len() as u64);
    // A count below what was already read is stale or wrong: fall back to the ID span.
    let remaining = total.and_then(|t| t.checked_sub(read));
    let chains = if top.overlapped {
        0
    } else {
        chains_needed(remaining, span)
    };
    let pages = chains.saturating_mul(MAX_COMMANDS as u64);
    job.budget.check(&job.method, pages)?;
    Ok(split(last, low_top, chains))
}

/// Read `ranges` with up to `concurrency` chains in flight, yielding pages in range order.
fn concurrent(
    job: Job,
    ranges: impl Iterator<Item = IdRange> + Send + 'static,
    concurrency: usize,
) -> Pages {
    stream::iter(ranges)
        .map(move |range| {
            let job = job.clone();
            async move {
                let mut cursor = Cursor::new(job, range);
                let first = cursor
                    .chain(MAX_COMMANDS, Vec::new(), false)
                    .await
                    .map(|chain| chain.items);
                (first, cursor)
            }
        })
        .buffered(concurrency)
        .flat_map(|(first, cursor)| {
            // A range rarely needs a second chain (only when its IDs are denser than planned).
            stream::once(ready(first)).chain(serial(cursor, Step::Chain))
        })
        .boxed()
}
