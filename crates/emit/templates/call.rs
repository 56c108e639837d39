//! A call in the making: what the scope accessors return. Await it for the `result`, or adjust
//! the request first with [`Call::with`].

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use bitrix24_runtime::{Client, Envelope, Error, Method};

/// A request bound to a client, sent when awaited.
///
/// ```no_run
/// # async fn run(client: bitrix24::Client) -> Result<(), bitrix24::Error> {
/// use bitrix24::prelude::*;
/// # #[cfg(feature = "crm")]
/// let deals = client.crm().deal_list().with(|r| r.start(50)).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, M> {
    client: &'a Client,
    request: M,
}

impl<'a, M: Method + 'a> Call<'a, M> {
    /// Binds a request to a client.
    pub fn new(client: &'a Client, request: M) -> Self {
        Call { client, request }
    }

    /// Changes the request before it is sent, e.g. to set optional parameters.
    pub fn with(mut self, change: impl FnOnce(M) -> M) -> Self {
        self.request = change(self.request);
        self
    }

    /// The request as it will be sent.
    pub fn request(&self) -> &M {
        &self.request
    }

    /// Sends the request and returns the whole envelope (`result` plus `time`, `total`, `next`).
    pub async fn envelope(self) -> Result<Envelope<M::Response>, Error> {
        self.client.call_envelope(&self.request).await
    }
}

impl<'a, M: Method + 'a> IntoFuture for Call<'a, M> {
    type Output = Result<M::Response, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.client.call(&self.request).await })
    }
}
