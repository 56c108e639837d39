//! One HTTP exchange: a JSON POST, following the portal's redirects by repeating the POST at the
//! new address (an automatic redirect would turn it into a body-less GET), but only within the
//! same origin. The body and the credentials (the `auth` token in the body, a webhook's code in
//! the path) never go to another scheme, host or port: such a redirect is
//! [`Error::CrossOriginRedirect`], and the client decides whether the move is confirmed (see
//! `client.rs`).

use bytes::Bytes;
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use url::Url;

use crate::body::read_capped;
use crate::config::Config;
use crate::error::{Error, TransportKind};

/// Header carrying the REST 3.0 idempotency key.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
/// Header REST 3.0 adds when it answers from its store instead of running the method again.
pub const IDEMPOTENT_REPLAYED: &str = "Idempotent-Replayed";

/// A response as read off the wire.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub status: u16,
    pub body: Bytes,
    pub replayed: bool,
}

/// The HTTP client with the runtime's settings.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    max_redirects: u8,
    max_response_bytes: u64,
}

impl Transport {
    pub(crate) fn new(config: &Config) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(e.without_url().to_string()))?;
        Ok(Self {
            http,
            max_redirects: config.max_redirects,
            max_response_bytes: config.max_response_bytes,
        })
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Read a body under the configured size cap.
    pub(crate) async fn body(
        &self,
        method: &str,
        response: reqwest::Response,
    ) -> Result<Bytes, Error> {
        read_capped(method, response, self.max_response_bytes).await
    }

    /// POST `body` to `url`; on a same-origin redirect, POST the same body to `Location`.
    pub(crate) async fn post(
        &self,
        method: &str,
        url: Url,
        body: Bytes,
        idempotency_key: Option<&str>,
    ) -> Result<RawResponse, Error> {
        let mut url = url;
        for _ in 0..=self.max_redirects {
            let response = self
                .send(method, &url, body.clone(), idempotency_key)
                .await?;
            if !is_redirect(response.status()) {
                return self.read(method, response).await;
            }
            url = redirect_target(method, &url, response.headers().get(LOCATION))?;
            tracing::info!(
                method,
                "portal answered with a redirect; repeating the POST at the new address"
            );
        }
        Err(redirect_error(method, "too many redirects"))
    }

    async fn send(
        &self,
        method: &str,
        url: &Url,
        body: Bytes,
        idempotency_key: Option<&str>,
    ) -> Result<reqwest::Response, Error> {
        let mut request = self
            .http
            .post(url.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .body(body);
        if let Some(key) = idempotency_key {
            request = request.header(IDEMPOTENCY_KEY, key);
        }
        request
            .send()
            .await
            .map_err(|e| Error::transport(method, e))
    }

    async fn read(&self, method: &str, response: reqwest::Response) -> Result<RawResponse, Error> {
        let status = response.status().as_u16();
        let replayed = response
            .headers()
            .get(IDEMPOTENT_REPLAYED)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let body = self.body(method, response).await?;
        Ok(RawResponse {
            status,
            body,
            replayed,
        })
    }
}

fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// Resolve `Location`, refusing a missing header and any other origin. An upgrade from http to
/// https on the same host is another origin too: the caller configured the address, and a
/// quiet change of it is theirs to make.
fn redirect_target(method: &str, from: &Url, location: Option<&HeaderValue>) -> Result<Url, Error> {
    let location = location
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| redirect_error(method, "redirect without a Location header"))?;
    let next = from
        .join(location)
        .map_err(|_| redirect_error(method, "redirect Location does not parse"))?;
    if next.origin() != from.origin() {
        return Err(Error::CrossOriginRedirect {
            method: method.to_owned(),
            target: next.origin().ascii_serialization(),
        });
    }
    Ok(next)
}

fn redirect_error(method: &str, message: &str) -> Error {
    Error::Transport {
        method: method.to_owned(),
        kind: TransportKind::Redirect,
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(location: &str) -> Result<Url, Error> {
        let from = Url::parse("https://old.bitrix24.com/rest/1/c0de/m").unwrap();
        redirect_target("m", &from, Some(&HeaderValue::from_str(location).unwrap()))
    }

    #[test]
    fn same_origin_redirects_resolve() {
        assert_eq!(
            target("/rest/1/c0de/m2").unwrap().as_str(),
            "https://old.bitrix24.com/rest/1/c0de/m2"
        );
        assert_eq!(
            target("https://old.bitrix24.com:443/b24/rest/1/c0de/m")
                .unwrap()
                .as_str(),
            "https://old.bitrix24.com/b24/rest/1/c0de/m"
        );
    }

    #[test]
    fn other_origins_are_refused_naming_only_the_origin() {
        for (location, origin) in [
            (
                "https://new.bitrix24.com/rest/1/c0de/m",
                "https://new.bitrix24.com",
            ),
            (
                "https://old.bitrix24.com:8443/rest/1/c0de/m",
                "https://old.bitrix24.com:8443",
            ),
            (
                "http://old.bitrix24.com/rest/1/c0de/m",
                "http://old.bitrix24.com",
            ),
            (
                "//user:pw@evil.example/rest/1/c0de/m",
                "https://evil.example",
            ),
        ] {
            match target(location).unwrap_err() {
                Error::CrossOriginRedirect { target, .. } => assert_eq!(target, origin),
                other => panic!("{location}: {other:?}"),
            }
            let shown = format!("{:?} {}", target(location), target(location).unwrap_err());
            assert!(!shown.contains("c0de") && !shown.contains("pw"), "{shown}");
        }
        let from = Url::parse("https://old.bitrix24.com/rest/1/c0de/m").unwrap();
        assert!(redirect_target("m", &from, None).is_err());
    }
}
