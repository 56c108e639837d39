//! `start`/`next` paging, for list methods without a usable ID field.
//!
//! Pages come in a stable order (the caller's `order`, else [`ListOptions::paging_order`]):
//! offset pages without one can repeat or skip rows. The first page is a plain call; when it
//! reports `total`, the offsets still missing are generated lazily (never allocated from
//! `total`) and fetched 50 per `batch`, several batches in flight, in order. Whatever is left
//! after that (the list grew) is read page by page until `next` disappears.
//!
//! Paging always ends: every `next` must move past the page it came with, an empty page must
//! not carry `next`, offsets use checked arithmetic, and the stream's page budget
//! ([`ListOptions::max_pages`]) is checked before a planned run and spent page by page.

use std::sync::{Arc, Mutex};

use futures::future::ready;
use futures::stream::{self, BoxStream, StreamExt};
use serde_json::{Map, Value};

use super::budget::PageBudget;
use super::{items_of, ListOptions};
use crate::batch::{Command, MAX_COMMANDS};
use crate::client::{CallOptions, Client};
use crate::envelope::Envelope;
use crate::error::Error;
use crate::method::ApiVersion;

type Pages = BoxStream<'static, Result<Vec<Value>, Error>>;

/// What every request of one stream shares.
#[derive(Debug, Clone)]
struct Job {
    client: Client,
    method: Arc<str>,
    params: Arc<Map<String, Value>>,
    items_key: Option<Arc<str>>,
    budget: Arc<PageBudget>,
}

/// Pages of items, in order.
pub(crate) fn pages(
    client: Client,
    method: String,
    mut params: Map<String, Value>,
    options: ListOptions,
) -> Pages {
    if let Some(field) = &options.paging_order {
        if !params.keys().any(|k| k.eq_ignore_ascii_case("order")) {
            let order = Map::from_iter([(field.clone(), Value::from("ASC"))]);
            params.insert("order".into(), Value::Object(order));
        }
    }
    let start = super::keys::get(&params, "start")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let job = Job {
        client,
        method: method.into(),
        params: Arc::new(params),
        items_key: options.items_key.map(Into::into),
        budget: Arc::new(PageBudget::new(options.max_pages)),
    };
    let concurrency = options.concurrency.max(1);
    let batched = options.batched;
    stream::once(first_then_rest(job, start, batched, concurrency))
        .flatten()
        .boxed()
}

async fn first_then_rest(job: Job, start: u64, batched: bool, concurrency: usize) -> Pages {
    let first = match job.page(start).await {
        Ok(page) => page,
        Err(error) => return failed(error),
    };
    let Page { items, next, total } = first;
    let head = stream::once(ready(Ok(items))).boxed();
    let Some(next) = next else {
        return head;
    };
    // `checked` guarantees `next > start`.
    let step = next - start;
    let planned = match (batched, total) {
        (true, Some(total)) => plan(&job, next, step, total),
        _ => Ok(None),
    };
    match planned {
        Err(error) => head.chain(failed(error)).boxed(),
        Ok(None) => head.chain(follow(job, next)).boxed(),
        Ok(Some(offsets)) => {
            let after = Arc::new(Mutex::new(None));
            let batches = concurrent(job.clone(), offsets, concurrency, after.clone());
            let rest = stream::once(async move {
                let next = *after
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                match next {
                    Some(next) => follow(job, next),
                    None => stream::empty().boxed(),
                }
            })
            .flatten();
            head.chain(batches).chain(rest).boxed()
        }
    }
}

fn failed(error: Error) -> Pages {
    stream::once(ready(Err(error))).boxed()
}

/// The offsets from `next` up to `total`, `step` apart, produced lazily; `None` when nothing
/// is left. Fails before any request when they would pass the page budget.
fn plan(
    job: &Job,
    next: u64,
    step: u64,
    total: u64,
) -> Result<Option<impl Iterator<Item = u64> + Send + 'static>, Error> {
    if next >= total {
        return Ok(None);
    }
    let pages = (total - next).div_ceil(step);
    job.budget.check(&job.method, pages)?;
    let offsets =
        (0..pages).map_while(move |i| i.checked_mul(step).and_then(|o| o.checked_add(next)));
    Ok(Some(offsets))
}

/// Batches of up to 50 offsets, several in flight, yielded in order. `after` receives the
/// `next` of the last page (set when the list grew while it was read).
fn concurrent(
    job: Job,
    offsets: impl Iterator<Item = u64> + Send + 'static,
    concurrency: usize,
    after: Arc<Mutex<Option<u64>>>,
) -> Pages {
    let chunks = Chunks {
        offsets,
        size: MAX_COMMANDS,
    };
    stream::iter(chunks)
        .map(move |offsets| {
            let job = job.clone();
            async move { job.batch(offsets).await }
        })
        .buffered(concurrency)
        .map(move |(items, last_next, error)| {
            *after
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = last_next;
            let mut out = vec![Ok(items)];
            out.extend(error.map(Err));
            stream::iter(out)
        })
        .flatten()
        .scan(false, |failed, page| {
            let out = (!*failed).then(|| {
                *failed = page.is_err();
                page
            });
            ready(out)
        })
        .boxed()
}

/// Consecutive groups of `size` from an iterator, without collecting it.
struct Chunks<I> {
    offsets: I,
    size: usize,
}

impl<I: Iterator<Item = u64>> Iterator for Chunks<I> {
    type Item = Vec<u64>;

    fn next(&mut self) -> Option<Vec<u64>> {
        let chunk: Vec<u64> = self.offsets.by_ref().take(self.size).collect();
        (!chunk.is_empty()).then_some(chunk)
    }
}

/// Follow `next` one page at a time, checking that it advances.
fn follow(job: Job, next: u64) -> Pages {
    stream::try_unfold(Some(next), move |start| {
        let job = job.clone();
        async move {
            let Some(start) = start else {
                return Ok(None);
            };
            let page = job.page(start).await?;
            Ok(Some((page.items, page.next)))
        }
    })
    .boxed()
}

/// One page: its items, and the server's `next` and `total`, already checked.
struct Page {
    items: Vec<Value>,
    next: Option<u64>,
    total: Option<u64>,
}

impl Job {
    fn params_at(&self, start: u64) -> Value {
        let mut params = (*self.params).clone();
        params.insert(super::keys::key(&params, "start"), Value::from(start));
        Value::Object(params)
    }

    async fn page(&self, start: u64) -> Result<Page, Error> {
        self.budget.spend(&self.method, 1)?;
        let call = crate::client::Call {
            api: ApiVersion::V2,
            method: &self.method,
            params: self.params_at(start),
            idempotent: true,
        };
        let envelope = self.client.execute(&call, &CallOptions::default()).await?;
        self.checked(start, envelope)
    }

    /// Up to 50 pages in one `batch`: their items in order, the last page's `next`, and the
    /// error that cut the batch short.
    async fn batch(&self, offsets: Vec<u64>) -> (Vec<Value>, Option<u64>, Option<Error>) {
        if let Err(error) = self.budget.spend(&self.method, offsets.len() as u64) {
            return (Vec::new(), None, Some(error));
        }
        let commands: Result<Vec<Command>, Error> = offsets
            .iter()
            .enumerate()
            .map(|(i, offset)| {
                Command::raw(
                    format!("p{i}"),
                    self.method.to_string(),
                    self.params_at(*offset),
                )
            })
            .collect();
        let outcomes = match commands {
            Ok(commands) => self.client.run_chunk(&commands, false).await,
            Err(error) => Err(error),
        };
        let outcomes = match outcomes {
            Ok(outcomes) => outcomes,
            Err(error) => return (Vec::new(), None, Some(error)),
        };
        let mut items = Vec::new();
        let mut last_next = None;
        for ((_, outcome), offset) in outcomes.into_iter().zip(offsets) {
            match outcome.and_then(|envelope| self.checked(offset, envelope)) {
                Ok(page) => {
                    items.extend(page.items);
                    last_next = page.next;
                }
                Err(error) => return (items, None, Some(error)),
            }
        }
        (items, last_next, None)
    }

    /// The page's items, with `next` checked to move past `start`.
    fn checked(&self, start: u64, envelope: Envelope<Value>) -> Result<Page, Error> {
        let (next, total) = (envelope.next, envelope.total);
        let items = items_of(&self.method, envelope.result, self.items_key.as_deref())?;
        if let Some(next) = next {
            let problem = if next <= start {
                Some(format!("`next` {next} does not move past `start` {start}"))
            } else if items.is_empty() {
                Some(format!("an empty page at {start} carried `next` {next}"))
            } else {
                None
            };
            if let Some(reason) = problem {
                return Err(Error::List {
                    method: self.method.to_string(),
                    reason,
                });
            }
        }
        Ok(Page { items, next, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_cut_lazily() {
        let chunks: Vec<Vec<u64>> = Chunks {
            offsets: (0..7).map(|i| i * 50),
            size: 3,
        }
        .collect();
        assert_eq!(
            chunks,
            vec![vec![0, 50, 100], vec![150, 200, 250], vec![300]]
        );
        let mut huge = Chunks {
            offsets: (0..u64::MAX).map_while(|i| i.checked_mul(50)),
            size: 50,
        };
        assert_eq!(huge.next().unwrap().len(), 50);
    }
}
