//! Reading one ID range (`>ID` = last seen, `<ID` = the range's end) on the fast path: one
//! plain page at a time, or a `batch` of chained commands, each command taking its `>ID` from
//! the previous command's last item through `$result[...]`.
//!
//! A chain stops being trusted at its first short page (later commands may hold an unresolved
//! reference); only items past the last seen ID and below the range's end are kept, so no item
//! is ever repeated. A full page that brings nothing new means the server ignored the `>ID`
//! filter: an error, not a silent end.

use std::sync::Arc;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::budget::PageBudget;
use super::kept::{raw_id_of, raw_items_of};
use super::ranges::IdRange;
use super::PAGE_SIZE;
use crate::batch::{decode_raw_body, reference, Command, RawOutcome};
use crate::client::{CallOptions, Client};
use crate::codes::CodeClass;
use crate::error::Error;
use crate::method::ApiVersion;

/// What every request of one stream shares.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub client: Client,
    pub method: Arc<str>,
    pub params: Arc<Map<String, Value>>,
    pub id_field: Arc<str>,
    pub items_key: Option<Arc<str>>,
    pub budget: Arc<PageBudget>,
}

/// What one chained request brought.
#[derive(Debug, Default)]
pub(crate) struct Chain {
    /// New items of the range, ascending, as raw JSON text.
    pub items: Vec<Box<RawValue>>,
    /// `total` of the first command, when it was asked to count.
    pub total: Option<u64>,
    /// Outcomes of the extra commands sent along.
    pub extras: Vec<(String, RawOutcome)>,
}

/// Position inside one ID range.
#[derive(Debug)]
pub(crate) struct Cursor {
    pub job: Job,
    /// The last ID read (the next page starts after it).
    pub last: Option<u64>,
    before: Option<u64>,
    /// No more items in the range.
    pub done: bool,
    /// Rounds in a row without progress because of a limit; bounded by the retry policy.
    stalled: u32,
    /// An error to report after the items that preceded it.
    pub pending: Option<Error>,
}

impl Cursor {
    pub(crate) fn new(job: Job, range: IdRange) -> Self {
        Self {
            job,
            last: (range.after > 0).then_some(range.after),
            before: range.before,
            done: false,
            stalled: 0,
            pending: None,
        }
    }

    /// Parameters of one page: the caller's, with ID order, the range's bounds and `start`.
    pub(crate) fn page_params(&self, after: Option<Value>, descending: bool, count: bool) -> Value {
        let job = &self.job;
        let mut params = (*job.params).clone();
        let mut order = Map::new();
        let direction = if descending { "DESC" } else { "ASC" };
        order.insert(job.id_field.to_string(), Value::from(direction));
        params.insert(super::keys::key(&params, "order"), Value::Object(order));
        let mut bounds = Vec::new();
        if let Some(after) = after {
            bounds.push((format!(">{}", job.id_field), after));
        }
        if let Some(before) = self.before {
            bounds.push((format!("<{}", job.id_field), Value::from(before)));
        }
        if !bounds.is_empty() {
            let filter = params
                .entry(super::keys::key(&params, "filter"))
                .or_insert_with(|| Value::Object(Map::new()));
            if !filter.is_object() {
                *filter = Value::Object(Map::new());
            }
            if let Value::Object(filter) = filter {
                filter.extend(bounds);
            }
        }
        params.insert(
            super::keys::key(&params, "start"),
            Value::from(if count { 0 } else { -1 }),
        );
        Value::Object(params)
    }

    /// One plain page.
    pub(crate) async fn single(&mut self) -> Result<Vec<Box<RawValue>>, Error> {
        self.job.budget.spend(&self.job.method, 1)?;
        let params = self.page_params(self.last.map(Value::from), false, false);
        let call = crate::client::Call {
            api: ApiVersion::V2,
            method: &self.job.method,
            params,
            idempotent: true,
        };
        let options = CallOptions::default();
        let client = self.job.client.clone();
        let envelope = client.execute_as(&call, &options, decode_raw_body).await?;
        let items = raw_items_of(
            &self.job.method,
            &envelope.result,
            self.job.items_key.as_deref(),
        )?;
        self.accept(items)
    }

    /// One `batch` of `length` chained commands after the `extras`; with `count`, the first
    /// command asks for `total`.
    pub(crate) async fn chain(
        &mut self,
        length: usize,
        extras: Vec<Command>,
        count: bool,
    ) -> Result<Chain, Error> {
        let job = self.job.clone();
        job.budget
            .spend(&job.method, (length + extras.len()) as u64)?;
        job.client.wait_for_method(&job.method).await?;
        let extra_count = extras.len();
        let mut commands = extras;
        commands.extend(self.commands(length, count)?);
        let mut outcomes = job.client.run_chunk_raw(&commands).await?;
        let chained = outcomes.split_off(extra_count);
        let mut chain = Chain {
            extras: outcomes,
            ..Chain::default()
        };
        for (index, (_, outcome)) in chained.into_iter().enumerate() {
            if index == 0 {
                chain.total = outcome.as_ref().ok().and_then(|e| e.total);
            }
            match self.page_of(outcome) {
                Ok(page) => chain.items.extend(page),
                Err(error) => {
                    self.react(error, chain.items.is_empty());
                    break;
                }
            }
            if self.done {
                break;
            }
        }
        if !chain.items.is_empty() {
            self.stalled = 0;
        }
        Ok(chain)
    }

    fn commands(&self, length: usize, count: bool) -> Result<Vec<Command>, Error> {
        let job = &self.job;
        let last_index = (PAGE_SIZE - 1).to_string();
        (0..length)
            .map(|i| {
                let after = if i == 0 {
                    self.last.map(Value::from)
                } else {
                    let previous = format!("c{}", i - 1);
                    let mut path: Vec<&str> = job.items_key.iter().map(|k| &**k).collect();
                    path.extend([last_index.as_str(), &*job.id_field]);
                    Some(Value::from(reference(&previous, &path)))
                };
                let params = self.page_params(after, false, count && i == 0);
                Command::raw(format!("c{i}"), job.method.to_string(), params)
            })
            .collect()
    }

    fn page_of(&mut self, outcome: RawOutcome) -> Result<Vec<Box<RawValue>>, Error> {
        let envelope = outcome?;
        let items = raw_items_of(
            &self.job.method,
            &envelope.result,
            self.job.items_key.as_deref(),
        )?;
        self.accept(items)
    }

    /// Keep the items past the last seen ID and inside the range; finish on a short page or
    /// at the range's end.
    pub(crate) fn accept(
        &mut self,
        items: Vec<Box<RawValue>>,
    ) -> Result<Vec<Box<RawValue>>, Error> {
        let full = items.len() >= PAGE_SIZE;
        let mut kept = Vec::with_capacity(items.len());
        let mut past_end = false;
        for item in items {
            let id = raw_id_of(&self.job.method, &self.job.id_field, &item)?;
            if self.last.is_some_and(|last| id <= last) {
                continue;
            }
            if self.before.is_some_and(|before| id >= before) {
                past_end = true;
                continue;
            }
            self.last = Some(id);
            kept.push(item);
        }
        if full && kept.is_empty() && !past_end {
            self.done = true;
            return Err(Error::List {
                method: self.job.method.to_string(),
                reason: format!(
                    "a full page after ID {} brought no new item: the server ignored the `>{}` filter",
                    self.last.unwrap_or(0),
                    self.job.id_field
                ),
            });
        }
        let at_end = matches!((self.last, self.before), (Some(last), Some(before)) if last.saturating_add(1) >= before);
        if !full || past_end || at_end {
            self.done = true;
        }
        Ok(kept)
    }

    /// A command inside the chain failed. Limit refusals are waited out and the chain resumes
    /// from the last ID seen; anything else ends the range after the items already read.
    fn react(&mut self, error: Error, no_progress: bool) {
        let policy = &self.job.client.config().retry;
        let retryable = matches!(
            error.class(),
            CodeClass::QueryLimit | CodeClass::OperationTimeLimit
        ) || matches!(error, Error::NotRun { .. });
        if !retryable || (no_progress && self.stalled >= policy.max_retries) {
            self.pending = Some(error);
            self.done = true;
            return;
        }
        if no_progress {
            self.stalled += 1;
        }
        match error.class() {
            CodeClass::OperationTimeLimit => self.job.client.hold_method(&self.job.method),
            _ => self.job.client.limiter().saturate(),
        }
        tracing::warn!(method = %self.job.method, error = %error, "list chain interrupted; resuming from the last ID");
    }
}

pub(crate) fn id_of(method: &str, id_field: &str, item: &Value) -> Result<u64, Error> {
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

    #[test]
    fn bounds_go_into_the_callers_own_filter_key() {
        let params = serde_json::json!({"FILTER": {"STAGE_ID": "WON"}, "ORDER": {"TITLE": "ASC"}});
        let job = Job {
            client: Client::webhook("http://127.0.0.1:9/rest/1/code/").unwrap(),
            method: "crm.deal.list".into(),
            params: Arc::new(params.as_object().unwrap().clone()),
            id_field: "ID".into(),
            items_key: None,
            budget: Arc::new(PageBudget::new(10)),
        };
        let cursor = Cursor::new(
            job,
            IdRange {
                after: 0,
                before: Some(900),
            },
        );
        let page = cursor.page_params(Some(Value::from(100)), false, false);
        assert_eq!(
            page,
            serde_json::json!({
                "FILTER": {"STAGE_ID": "WON", ">ID": 100, "<ID": 900},
                "ORDER": {"ID": "ASC"},
                "start": -1
            })
        );
    }
}
