//! The client: one portal, one set of credentials, shared limiter and holds; every call goes
//! through the same attempt loop (hold, pace, send, decode, decide whether to repeat), within
//! one time budget (`deadline.rs`).
//!
//! The portal's address changes only on evidence the portal itself cannot forge: a
//! cross-origin redirect moves the client when the target host is in
//! [`Config::trusted_redirect_hosts`], or, for OAuth, when the authorisation server's
//! `client_endpoint` (asked by refreshing the pair) names the same origin. Otherwise the
//! redirect is an error and nothing is sent there.

use std::sync::{Arc, RwLock};

use bytes::Bytes;
use serde_json::Value;

use crate::auth::{Auth, Endpoints, OAuthSession, Webhook};
use crate::batch::NetworkDelay;
use crate::config::{Config, RateLimit, RetryPolicy};
use crate::deadline::Budget;
use crate::envelope::{decode_body, Envelope, Time};
use crate::error::Error;
use crate::limiter::RateLimiter;
use crate::method::{is_read_method, ApiVersion, Method};
use crate::operating::OperatingHolds;
use crate::retry::{decide, Decision};
use crate::transport::Transport;

/// A Bitrix24 REST client. Cheap to clone; clones share the rate limiter, method holds and
/// OAuth tokens.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    transport: Transport,
    credentials: Credentials,
    endpoints: RwLock<Endpoints>,
    limiter: RateLimiter,
    holds: OperatingHolds,
    /// The network round trip learned from answers (the batch probe window).
    network: NetworkDelay,
    /// The last redirect target the authorisation server did not confirm: asked about once, so
    /// a portal redirecting every call cannot make every call refresh the tokens.
    refuted_move: std::sync::Mutex<Option<String>>,
    config: Config,
}

#[derive(Debug)]
enum Credentials {
    Webhook(Webhook),
    OAuth(Box<OAuthSession>),
}

/// Per-call choices that override the client's defaults.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Repeat this call after timeouts and dropped connections even though it is a write.
    pub retry_writes: bool,
    /// REST 3.0: use this `Idempotency-Key` instead of a fresh random one (e.g. to make a retry
    /// after a process restart safe).
    pub idempotency_key: Option<String>,
}

/// Reads a response body (method, HTTP status, bytes) into an envelope or the error it holds.
pub(crate) type Decoder<T> = fn(&str, u16, &[u8]) -> Result<Envelope<T>, Error>;

/// One call as the attempt loop sees it.
#[derive(Debug, Clone)]
pub(crate) struct Call<'a> {
    pub api: ApiVersion,
    pub method: &'a str,
    pub params: Value,
    pub idempotent: bool,
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    auth: Auth,
    config: Config,
    limiter: Option<RateLimiter>,
}

impl ClientBuilder {
    /// Use these settings wholesale.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Model the portal's bucket with these limits (e.g. [`RateLimit::ENTERPRISE`]).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.config.rate_limit = limit;
        self
    }

    /// Share a bucket with other clients of the same portal (the portal counts them together).
    pub fn shared_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Retry rules.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// Timeout of one attempt, body included.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// Budget of one call across all its attempts and back-offs.
    pub fn call_deadline(mut self, deadline: std::time::Duration) -> Self {
        self.config.call_deadline = deadline;
        self
    }

    /// Largest response body read, in bytes.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.config.max_response_bytes = limit;
        self
    }

    /// Let a redirect to `host` move the client there (e.g. the portal's new address).
    pub fn trust_redirect_host(mut self, host: impl Into<String>) -> Self {
        self.config.trusted_redirect_hosts.push(host.into());
        self
    }

    /// `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = user_agent.into();
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<Client, Error> {
        let transport = Transport::new(&self.config)?;
        let (endpoints, credentials) = match self.auth {
            Auth::Webhook(w) => (w.endpoints()?, Credentials::Webhook(w)),
            Auth::OAuth(o) => (
                o.endpoints()?,
                Credentials::OAuth(Box::new(OAuthSession::new(*o))),
            ),
        };
        let limiter = self
            .limiter
            .unwrap_or_else(|| RateLimiter::new(self.config.rate_limit));
        let inner = Inner {
            transport,
            credentials,
            endpoints: RwLock::new(endpoints),
            limiter,
            holds: OperatingHolds::default(),
            network: NetworkDelay::default(),
            refuted_move: std::sync::Mutex::new(None),
            config: self.config,
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }
}

impl Client {
    /// A client for an incoming webhook URL with default settings.
    pub fn webhook(url: &str) -> Result<Self, Error> {
        Self::builder(Webhook::from_url(url)?).build()
    }

    /// Start configuring a client for these credentials.
    pub fn builder(auth: impl Into<Auth>) -> ClientBuilder {
        ClientBuilder {
            auth: auth.into(),
            config: Config::default(),
            limiter: None,
        }
    }

    /// Call a method and decode its `result`.
    pub async fn call<M: Method>(&self, request: &M) -> Result<M::Response, Error> {
        Ok(self.call_envelope(request).await?.result)
    }

    /// Call a method and keep `time`, `total` and `next` alongside the decoded `result`.
    pub async fn call_envelope<M: Method>(
        &self,
        request: &M,
    ) -> Result<Envelope<M::Response>, Error> {
        self.call_with(request, &CallOptions::default()).await
    }

    /// [`Client::call_envelope`] with per-call options.
    pub async fn call_with<M: Method>(
        &self,
        request: &M,
        options: &CallOptions,
    ) -> Result<Envelope<M::Response>, Error> {
        let params = params_of(M::NAME, request)?;
        let call = Call {
            api: M::API,
            method: M::NAME,
            params,
            idempotent: M::IDEMPOTENT,
        };
        self.execute(&call, options).await?.decode(M::NAME, 200)
    }

    /// Call any method by name with JSON parameters. Whether a timeout is retried is guessed
    /// from the name (`.get`, `.list`, `.fields`... are reads).
    pub async fn call_raw(
        &self,
        api: ApiVersion,
        method: &str,
        params: Value,
    ) -> Result<Envelope<Value>, Error> {
        let call = Call {
            api,
            method,
            params,
            idempotent: is_read_method(method),
        };
        self.execute(&call, &CallOptions::default()).await
    }

    /// The bucket this client paces itself with.
    pub fn limiter(&self) -> &RateLimiter {
        &self.inner.limiter
    }

    /// The settings in force.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The network round trip to the portal learned so far (answers' wall time minus the
    /// portal's own `time.duration`).
    pub(crate) fn network_delay(&self) -> Option<std::time::Duration> {
        self.inner.network.estimate()
    }

    /// Hold `method` after an `OPERATION_TIME_LIMIT` seen inside a batch.
    pub(crate) fn hold_method(&self, method: &str) {
        self.inner
            .holds
            .hold(method, None, self.inner.config.retry.operating_fallback);
    }

    /// Wait out a hold on `method` (for commands that travel inside a batch).
    pub(crate) async fn wait_for_method(&self, method: &str) -> Result<(), Error> {
        self.inner
            .holds
            .wait(method, self.inner.config.retry.max_operating_wait)
            .await
    }

    /// Run a call with holds, pacing, token refresh and safe retries.
    pub(crate) async fn execute(
        &self,
        call: &Call<'_>,
        options: &CallOptions,
    ) -> Result<Envelope<Value>, Error> {
        self.execute_as(call, options, decode_body).await
    }

    /// [`Client::execute`] reading the body with `decode` (list chains keep their items as raw
    /// JSON text, see `batch/raw.rs`).
    pub(crate) async fn execute_as<T>(
        &self,
        call: &Call<'_>,
        options: &CallOptions,
        decode: Decoder<T>,
    ) -> Result<Envelope<T>, Error> {
        let key = idempotency_key(call, options);
        let safe = call.idempotent
            || key.is_some()
            || options.retry_writes
            || self.inner.config.retry.retry_writes;
        let policy = &self.inner.config.retry;
        let mut budget = Budget::new(self.inner.config.call_deadline);
        let (mut retries, mut refreshes, mut moved) = (0u32, 0u32, false);
        loop {
            let attempt = self.attempt(call, key.as_deref(), &mut budget, decode);
            let failure = match attempt.await {
                Ok(envelope) => return Ok(envelope),
                Err(failure) => failure,
            };
            if let Error::CrossOriginRedirect { target, .. } = &failure.error {
                if moved || !self.confirm_move(target, failure.generation).await {
                    return Err(failure.error);
                }
                moved = true;
                continue;
            }
            let decision = decide(&failure.error, safe);
            if decision == Decision::RefreshToken {
                if refreshes >= 2 || !self.refresh(failure.generation).await? {
                    return Err(failure.error);
                }
                refreshes += 1;
                continue;
            }
            if decision == Decision::Fail || retries >= policy.max_retries {
                return Err(failure.error);
            }
            tracing::warn!(method = call.method, retry = retries + 1, error = %failure.error, "repeating call");
            let waited = match decision {
                Decision::RateLimited => {
                    self.inner.limiter.saturate();
                    budget.sleep(policy.backoff(retries)).await
                }
                Decision::HoldMethod => {
                    self.inner.holds.hold(
                        call.method,
                        failure.time.as_ref(),
                        policy.operating_fallback,
                    );
                    true
                }
                _ => budget.sleep(policy.backoff(retries)).await,
            };
            if !waited {
                return Err(failure.error);
            }
            retries += 1;
        }
    }

    /// One HTTP attempt.
    async fn attempt<T>(
        &self,
        call: &Call<'_>,
        key: Option<&str>,
        budget: &mut Budget,
        decode: Decoder<T>,
    ) -> Result<Envelope<T>, Failure> {
        let inner = &self.inner;
        inner
            .holds
            .wait(call.method, inner.config.retry.max_operating_wait)
            .await
            .map_err(Failure::plain)?;
        let queued = std::time::Instant::now();
        inner.limiter.acquire().await;
        let (url, body, generation) = self.prepare(call).map_err(Failure::plain)?;
        let sent_at = std::time::Instant::now();
        let request_bytes = body.len();
        let sent = inner.transport.post(call.method, url, body, key);
        let raw = budget.run(call.method, sent).await.map_err(|e| Failure {
            error: self.scrub(e),
            time: None,
            generation,
        })?;
        let received_at = std::time::Instant::now();
        let decoded = decode(call.method, raw.status, &raw.body);
        // The per-request timeline the throughput bench prints (`BENCH_TIMELINE=1`): where a
        // request waited (limiter, holds), how long the round trip and the decoding took.
        tracing::debug!(
            target: "bitrix24_runtime::timeline",
            method = call.method,
            waited_ms = ms(sent_at - queued),
            round_trip_ms = ms(received_at - sent_at),
            decode_ms = ms(received_at.elapsed()),
            request_bytes,
            response_bytes = raw.body.len(),
            "request"
        );
        match decoded {
            Ok(mut envelope) => {
                if let Some(server) = envelope.time.as_ref().and_then(|t| t.duration) {
                    let server = std::time::Duration::try_from_secs_f64(server).unwrap_or_default();
                    inner.network.observe(received_at - sent_at, server);
                }
                envelope.replayed = raw.replayed;
                inner.holds.observe(call.method, envelope.time.as_ref());
                Ok(envelope)
            }
            Err(error) => Err(Failure {
                error: self.scrub(error),
                time: error_time(&raw.body),
                generation,
            }),
        }
    }

    /// URL and body of an attempt, plus the token generation used (OAuth).
    fn prepare(&self, call: &Call<'_>) -> Result<(url::Url, Bytes, Option<u64>), Error> {
        let url = self.endpoints().method_url(call.api, call.method)?;
        let (params, generation) = match &self.inner.credentials {
            Credentials::Webhook(_) => (call.params.clone(), None),
            Credentials::OAuth(session) => {
                let access = session.access();
                (
                    with_auth(call.method, &call.params, access.token.expose())?,
                    Some(access.generation),
                )
            }
        };
        let body = serde_json::to_vec(&non_null(params)).map_err(|e| Error::Encode {
            method: call.method.to_owned(),
            message: e.to_string(),
        })?;
        Ok((url, Bytes::from(body), generation))
    }

    /// Refresh after `expired_token`; `false` when the client has nothing to refresh.
    async fn refresh(&self, generation: Option<u64>) -> Result<bool, Error> {
        let (Credentials::OAuth(session), Some(seen)) = (&self.inner.credentials, generation)
        else {
            return Ok(false);
        };
        let renewed = session.refresh(&self.inner.transport, seen).await?;
        if let Some(endpoint) = renewed.and_then(|t| t.client_endpoint) {
            self.follow_client_endpoint(&endpoint);
        }
        Ok(true)
    }

    /// A redirect pointed at another origin: move there only when the caller trusts the host,
    /// or (OAuth) when the authorisation server's `client_endpoint` names that origin.
    async fn confirm_move(&self, target: &str, generation: Option<u64>) -> bool {
        let Ok(target) = url::Url::parse(target) else {
            return false;
        };
        if self.trusts(&target) {
            self.rebase(&target);
            return true;
        }
        let origin = target.origin().ascii_serialization();
        if self.endpoints().v2.origin() == target.origin() {
            return true; // another call already moved the client there
        }
        let mut refuted = self
            .inner
            .refuted_move
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        if refuted.as_deref() == Some(origin.as_str()) {
            return false;
        }
        // A failed refresh is logged by the session; the redirect stays the error to report.
        let confirmed = self.refresh(generation).await.unwrap_or(false)
            && self.endpoints().v2.origin() == target.origin();
        if !confirmed {
            refuted = Some(origin);
            *self
                .inner
                .refuted_move
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = refuted;
        }
        confirmed
    }

    /// `host` or `host:port` entries of [`Config::trusted_redirect_hosts`] (a bare host trusts
    /// any port of it).
    fn trusts(&self, target: &url::Url) -> bool {
        let Some(host) = target.host_str() else {
            return false;
        };
        let port = target.port_or_known_default().unwrap_or(0);
        let with_port = format!("{host}:{port}");
        self.inner
            .config
            .trusted_redirect_hosts
            .iter()
            .any(|t| t.eq_ignore_ascii_case(host) || t.eq_ignore_ascii_case(&with_port))
    }

    /// The authorisation server reports the portal's current address with every new pair.
    fn follow_client_endpoint(&self, endpoint: &str) {
        let Ok(url) = url::Url::parse(endpoint) else {
            return;
        };
        if url.origin() != self.endpoints().v2.origin() {
            self.rebase(&url);
        }
    }

    fn endpoints(&self) -> Endpoints {
        self.inner
            .endpoints
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The portal moved: send later calls to the new host directly.
    fn rebase(&self, location: &url::Url) {
        let mut endpoints = self
            .inner
            .endpoints
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(moved) = endpoints.moved_to(location) {
            tracing::info!(
                host = moved.v2.host_str().unwrap_or(""),
                "portal address changed; using the new one"
            );
            *endpoints = moved;
        }
    }

    /// Remove every secret this client knows from an error's text.
    pub(crate) fn scrub(&self, error: Error) -> Error {
        match &self.inner.credentials {
            Credentials::Webhook(w) => error.scrubbed(&|t| w.code().scrub(t)),
            Credentials::OAuth(session) => error.scrubbed(&|t| session.scrub(t)),
        }
    }
}

fn ms(duration: std::time::Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A failed attempt with what the retry loop needs to react.
#[derive(Debug)]
struct Failure {
    error: Error,
    /// `time` of an error body (may carry `operating_reset_at`).
    time: Option<Time>,
    /// Token generation the attempt used, to refresh at most once per expiry.
    generation: Option<u64>,
}

impl Failure {
    fn plain(error: Error) -> Self {
        Self {
            error,
            time: None,
            generation: None,
        }
    }
}

/// REST 3.0 writes carry a key that makes repeating them safe; reads need none.
fn idempotency_key(call: &Call<'_>, options: &CallOptions) -> Option<String> {
    if call.api != ApiVersion::V3 || call.idempotent {
        return None;
    }
    Some(
        options
            .idempotency_key
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
    )
}

pub(crate) fn params_of<M: serde::Serialize>(method: &str, request: &M) -> Result<Value, Error> {
    serde_json::to_value(request).map_err(|e| Error::Encode {
        method: method.to_owned(),
        message: e.to_string(),
    })
}

fn non_null(params: Value) -> Value {
    if params.is_null() {
        Value::Object(serde_json::Map::new())
    } else {
        params
    }
}

/// OAuth calls carry the access token as `auth` in the body.
fn with_auth(method: &str, params: &Value, token: &str) -> Result<Value, Error> {
    let mut object = match non_null(params.clone()) {
        Value::Object(map) => map,
        _ => {
            return Err(Error::Encode {
                method: method.to_owned(),
                message: "parameters must be a JSON object".into(),
            })
        }
    };
    object.insert("auth".to_owned(), Value::String(token.to_owned()));
    Ok(Value::Object(object))
}

/// The `time` object of an error body, if it has one.
fn error_time(body: &[u8]) -> Option<Time> {
    let value: Value = serde_json::from_slice(body).ok()?;
    serde_json::from_value(value.get("time")?.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn idempotency_keys_only_for_v3_writes() {
        let call = |api, idempotent| Call {
            api,
            method: "m",
            params: Value::Null,
            idempotent,
        };
        assert!(idempotency_key(&call(ApiVersion::V3, false), &CallOptions::default()).is_some());
        assert!(idempotency_key(&call(ApiVersion::V3, true), &CallOptions::default()).is_none());
        assert!(idempotency_key(&call(ApiVersion::V2, false), &CallOptions::default()).is_none());
        let fixed = CallOptions {
            idempotency_key: Some("k-1".into()),
            ..CallOptions::default()
        };
        assert_eq!(
            idempotency_key(&call(ApiVersion::V3, false), &fixed).as_deref(),
            Some("k-1")
        );
    }

    #[test]
    fn auth_is_added_to_object_params_only() {
        assert_eq!(
            with_auth("m", &json!({"id": 1}), "t").unwrap(),
            json!({"id": 1, "auth": "t"})
        );
        assert_eq!(
            with_auth("m", &Value::Null, "t").unwrap(),
            json!({"auth": "t"})
        );
        assert!(with_auth("m", &json!([1]), "t").is_err());
    }

    #[test]
    fn error_time_is_read_from_error_bodies() {
        let t =
            error_time(br#"{"error":"OPERATION_TIME_LIMIT","time":{"operating_reset_at":100}}"#)
                .unwrap();
        assert_eq!(t.operating_reset_at, Some(100.0));
        assert!(error_time(b"garbage").is_none());
    }
}
