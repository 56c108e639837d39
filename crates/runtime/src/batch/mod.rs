//! Classic `batch`: up to 50 commands per HTTP request, `halt`, and `$result[...]` references
//! between commands. Results and errors come back side by side; more than 50 commands are split
//! into several requests (references across a split are refused before anything is sent).

mod command;
mod probe;
mod raw;
mod refs;
mod response;
mod split;

use std::marker::PhantomData;
use std::time::Duration;

use futures::stream::{self, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

pub use command::Command;
pub use refs::reference;
pub use response::Outcome;
pub use split::MAX_COMMANDS;

pub(crate) use probe::NetworkDelay;
pub use probe::DEFAULT_PROBE_WINDOW;
pub(crate) use raw::{decode_raw_body, RawOutcome};

use crate::client::{CallOptions, Client};
use crate::envelope::{decode_value, Envelope};
use crate::error::Error;
use crate::method::{ApiVersion, Method};

/// Requests of one non-halting batch in flight at once, by default (the limiter paces them
/// whatever this says).
pub const DEFAULT_CONCURRENCY: usize = 50;

/// A batch being assembled.
#[derive(Debug, Clone)]
pub struct Batch {
    commands: Vec<Command>,
    halt: bool,
    concurrency: usize,
    /// `None`: learned from the client's round trips (see `probe.rs`).
    probe_window: Option<Duration>,
}

impl Default for Batch {
    fn default() -> Self {
        Self {
            commands: Vec::new(),
            halt: false,
            concurrency: DEFAULT_CONCURRENCY,
            probe_window: None,
        }
    }
}

/// A typed ticket for one command's result, and a way to refer to it from later commands.
#[derive(Debug)]
pub struct Handle<T> {
    name: String,
    result: PhantomData<fn() -> T>,
}

impl<T> Clone for Handle<T> {
    fn clone(&self) -> Self {
        Self {
            name: self.name.clone(),
            result: PhantomData,
        }
    }
}

impl<T> Handle<T> {
    /// The command's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A `$result[name][path...]` reference to put into a later command's parameters.
    pub fn reference(&self, path: &[&str]) -> String {
        reference(&self.name, path)
    }
}

impl Batch {
    /// An empty batch that keeps going after a failed command.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stop at the first failing command (`halt = 1`).
    pub fn halt(mut self, halt: bool) -> Self {
        self.halt = halt;
        self
    }

    /// Requests in flight at once when more than 50 commands are split and `halt` is off
    /// (default [`DEFAULT_CONCURRENCY`]; the limiter paces them whatever this says).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// How long the first request goes alone before the rest follow; `Duration::MAX` waits
    /// for its answer. By default twice the network round trip the client has measured, or
    /// [`DEFAULT_PROBE_WINDOW`] before it has one.
    pub fn probe_window(mut self, window: Duration) -> Self {
        self.probe_window = Some(window);
        self
    }

    /// Add a typed request under an automatic name (`c0`, `c1`, ...).
    pub fn add<M: Method>(&mut self, request: &M) -> Result<Handle<M::Response>, Error> {
        let name = format!("c{}", self.commands.len());
        self.add_named(name, request)
    }

    /// Add a typed request under `name`.
    pub fn add_named<M: Method>(
        &mut self,
        name: impl Into<String>,
        request: &M,
    ) -> Result<Handle<M::Response>, Error> {
        self.push(Command::typed(name, request)?)
    }

    /// Add a method by name with JSON parameters.
    pub fn add_raw(
        &mut self,
        name: impl Into<String>,
        method: impl Into<String>,
        params: Value,
    ) -> Result<Handle<Value>, Error> {
        self.push(Command::raw(name, method, params)?)
    }

    /// Add a prepared command.
    pub fn push<T>(&mut self, command: Command) -> Result<Handle<T>, Error> {
        if self.commands.iter().any(|c| c.name == command.name) {
            return Err(Error::Batch(format!(
                "two commands are named {:?}",
                command.name
            )));
        }
        let handle = Handle {
            name: command.name.clone(),
            result: PhantomData,
        };
        self.commands.push(command);
        Ok(handle)
    }

    /// Commands added so far.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// `true` when no command was added.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }
}

/// Per-command outcomes, in the order the commands were added.
#[derive(Debug)]
pub struct BatchResults {
    entries: Vec<(String, Outcome)>,
}

impl BatchResults {
    /// The typed result of a command.
    pub fn get<T: DeserializeOwned>(&self, handle: &Handle<T>) -> Result<Envelope<T>, Error> {
        let outcome = self
            .raw(&handle.name)
            .ok_or_else(|| Error::Batch(format!("no command named {:?}", handle.name)))?;
        let envelope = outcome.clone()?;
        let Envelope {
            result,
            time,
            total,
            next,
            replayed,
        } = envelope;
        let result = decode_value(result, &handle.name, 200)?;
        Ok(Envelope {
            result,
            time,
            total,
            next,
            replayed,
        })
    }

    /// The raw outcome of the command called `name`.
    pub fn raw(&self, name: &str) -> Option<&Outcome> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, o)| o)
    }

    /// Every command's outcome, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Outcome)> {
        self.entries.iter().map(|(n, o)| (n.as_str(), o))
    }

    /// Take the outcomes.
    pub fn into_vec(self) -> Vec<(String, Outcome)> {
        self.entries
    }

    /// How many commands there were.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `true` when the batch had no commands.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Client {
    /// Run a batch. More than [`MAX_COMMANDS`] commands go out as several requests; with
    /// `halt`, one after another and none after one reports an error; without, the first alone
    /// and the rest concurrently. A request that fails as a whole marks each of its commands
    /// with that error; other requests' outcomes are kept. Outcomes come back in command order.
    ///
    /// A batch is repeated after timeouts only when every command in it is a read.
    pub async fn batch(&self, batch: &Batch) -> Result<BatchResults, Error> {
        let chunks = split::split(&batch.commands)?;
        let entries = if batch.halt {
            self.run_halting(&chunks).await
        } else {
            let window = probe::window(batch.probe_window, self.network_delay());
            self.run_concurrently(&chunks, batch.concurrency, window)
                .await
        };
        Ok(BatchResults { entries })
    }

    async fn run_halting(&self, chunks: &[&[Command]]) -> Vec<(String, Outcome)> {
        let mut entries = Vec::new();
        let mut halted = false;
        for chunk in chunks {
            if halted {
                entries.extend(chunk.iter().map(|c| {
                    (
                        c.name.clone(),
                        Err(Error::NotRun {
                            command: c.name.clone(),
                        }),
                    )
                }));
                continue;
            }
            let outcomes = self.chunk_outcomes(chunk, true).await;
            halted = outcomes.iter().any(|(_, o)| o.is_err());
            entries.extend(outcomes);
        }
        entries
    }

    async fn run_concurrently(
        &self,
        chunks: &[&[Command]],
        concurrency: usize,
        probe_window: Duration,
    ) -> Vec<(String, Outcome)> {
        let Some((first, rest)) = chunks.split_first() else {
            return Vec::new();
        };
        let first = self.chunk_outcomes(first, false);
        let rest = stream::iter(rest.iter())
            .map(|chunk| self.chunk_outcomes(chunk, false))
            .buffered(concurrency.max(1))
            .collect::<Vec<_>>();
        futures::pin_mut!(first);
        // The first request alone until it answers or its window passes: on a portal at its
        // limit the refusal arrives first and saturates the limiter, which paces the rest.
        let early = tokio::select! {
            outcomes = &mut first => Some(outcomes),
            () = tokio::time::sleep(probe_window) => None,
        };
        let (mut entries, rest) = match early {
            Some(outcomes) => (outcomes, rest.await),
            None => futures::join!(first, rest),
        };
        entries.extend(rest.into_iter().flatten());
        entries
    }

    async fn chunk_outcomes(&self, chunk: &[Command], halt: bool) -> Vec<(String, Outcome)> {
        match self.run_chunk(chunk, halt).await {
            Ok(outcomes) => outcomes,
            Err(error) => chunk
                .iter()
                .map(|c| (c.name.clone(), Err(error.clone())))
                .collect(),
        }
    }

    /// One `batch` request of at most [`MAX_COMMANDS`] commands.
    pub(crate) async fn run_chunk(
        &self,
        commands: &[Command],
        halt: bool,
    ) -> Result<Vec<(String, Outcome)>, Error> {
        let call = chunk_call(commands, halt);
        let envelope = self.execute(&call, &CallOptions::default()).await?;
        let outcomes = response::outcomes(commands, envelope.result, 200)?;
        Ok(outcomes
            .into_iter()
            .map(|(name, outcome)| (name, outcome.map_err(|e| self.scrub(e))))
            .collect())
    }

    /// [`Client::run_chunk`] keeping each command's result as raw JSON text (list chains).
    pub(crate) async fn run_chunk_raw(
        &self,
        commands: &[Command],
    ) -> Result<Vec<(String, RawOutcome)>, Error> {
        let call = chunk_call(commands, false);
        let options = CallOptions::default();
        let envelope = self.execute_as(&call, &options, decode_raw_body).await?;
        let outcomes = raw::raw_outcomes(commands, &envelope.result, 200)?;
        Ok(outcomes
            .into_iter()
            .map(|(name, outcome)| (name, outcome.map_err(|e| self.scrub(e))))
            .collect())
    }
}

fn chunk_call(commands: &[Command], halt: bool) -> crate::client::Call<'static> {
    let cmd: Map<String, Value> = commands
        .iter()
        .map(|c| (c.name.clone(), Value::String(c.encode())))
        .collect();
    crate::client::Call {
        api: ApiVersion::V2,
        method: "batch",
        params: json!({ "halt": u8::from(halt), "cmd": cmd }),
        idempotent: commands.iter().all(|c| c.idempotent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_name_commands_and_build_references() {
        let mut batch = Batch::new();
        let first = batch.add_raw("user", "user.current", Value::Null).unwrap();
        assert_eq!(
            first.reference(&["UF_DEPARTMENT", "0"]),
            "$result[user][UF_DEPARTMENT][0]"
        );
        assert!(batch.add_raw("user", "user.get", Value::Null).is_err());
        assert_eq!(batch.len(), 1);
    }
}
