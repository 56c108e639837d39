//! A call in the making: what the accessors return. Await it for the `result`, adjust the
//! request first with [`Call::with`], or stream every item of a list with [`Call::stream`].

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use bitrix24_runtime::{Client, Envelope, Error, ListMethod, Method};
use futures::stream::BoxStream;

/// A request bound to a client, sent when awaited.
///
/// ```no_run
/// # async fn run(client: bitrix24::Client) -> Result<(), bitrix24::Error> {
/// use bitrix24::prelude::*;
/// # #[cfg(feature = "crm")]
/// let deals = client.crm().deal().list().with(|r| r.start(50)).await?;
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

    /// The request, to send it another way (in a batch, with [`Client::call_with`]).
    pub fn into_request(self) -> M {
        self.request
    }

    /// Sends the request and returns the whole envelope (`result` plus `time`, `total`, `next`).
    pub async fn envelope(self) -> Result<Envelope<M::Response>, Error> {
        self.client.call_envelope(&self.request).await
    }
}

impl<'a, M: ListMethod + 'static> Call<'a, M> {
    /// Every item of the list, page after page, as a stream.
    ///
    /// Methods whose items carry an ascending `ID` and that take `filter`, `order` and `start`
    /// are read on the fast path (chained `>ID` pages, no counting); the others page with
    /// `start`. A caller's `order` the fast path cannot honour is never replaced: see
    /// [`Client::list`].
    pub fn stream(self) -> BoxStream<'static, Result<M::Item, Error>> {
        self.client.list(&self.request)
    }
}

impl<'a, M: Method + 'a> IntoFuture for Call<'a, M> {
    type Output = Result<M::Response, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.client.call(&self.request).await })
    }
}
