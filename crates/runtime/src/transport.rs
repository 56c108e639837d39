//! One HTTP exchange: a JSON POST, following the portal's address-change redirect by repeating the
//! POST at the new address (an automatic redirect would turn it into a body-less GET).

use bytes::Bytes;
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use url::Url;

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
    /// Where the call finally went, when a redirect moved it.
    pub moved_to: Option<Url>,
}

/// The HTTP client with the runtime's settings.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    max_redirects: u8,
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
        })
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// POST `body` to `url`; on a redirect, POST the same body to `Location`.
    pub(crate) async fn post(
        &self,
        method: &str,
        url: Url,
        body: Bytes,
        idempotency_key: Option<&str>,
    ) -> Result<RawResponse, Error> {
        let mut url = url;
        let mut moved_to = None;
        for _ in 0..=self.max_redirects {
            let response = self
                .send(method, &url, body.clone(), idempotency_key)
                .await?;
            if !is_redirect(response.status()) {
                return read(method, response, moved_to).await;
            }
            let next = redirect_target(method, &url, response.headers().get(LOCATION))?;
            tracing::info!(
                method,
                "portal answered with a redirect; repeating the POST at the new address"
            );
            moved_to = Some(next.clone());
            url = next;
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
}

fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// Resolve `Location`, refusing a missing header and a downgrade from https to http (the body
/// or path carries credentials).
fn redirect_target(method: &str, from: &Url, location: Option<&HeaderValue>) -> Result<Url, Error> {
    let location = location
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| redirect_error(method, "redirect without a Location header"))?;
    let next = from
        .join(location)
        .map_err(|_| redirect_error(method, "redirect Location does not parse"))?;
    if from.scheme() == "https" && next.scheme() != "https" {
        return Err(redirect_error(
            method,
            "refusing a redirect from https to another scheme",
        ));
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

async fn read(
    method: &str,
    response: reqwest::Response,
    moved_to: Option<Url>,
) -> Result<RawResponse, Error> {
    let status = response.status().as_u16();
    let replayed = response
        .headers()
        .get(IDEMPOTENT_REPLAYED)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let body = response
        .bytes()
        .await
        .map_err(|e| Error::transport(method, e))?;
    Ok(RawResponse {
        status,
        body,
        replayed,
        moved_to,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_targets_resolve_and_refuse_downgrades() {
        let from = Url::parse("https://old.bitrix24.com/rest/1/c/m").unwrap();
        let ok = redirect_target(
            "m",
            &from,
            Some(&HeaderValue::from_static(
                "https://new.bitrix24.com/rest/1/c/m",
            )),
        )
        .unwrap();
        assert_eq!(ok.host_str(), Some("new.bitrix24.com"));
        let relative =
            redirect_target("m", &from, Some(&HeaderValue::from_static("/rest/1/c/m2"))).unwrap();
        assert_eq!(relative.as_str(), "https://old.bitrix24.com/rest/1/c/m2");
        assert!(redirect_target(
            "m",
            &from,
            Some(&HeaderValue::from_static("http://new/rest/1/c/m"))
        )
        .is_err());
        assert!(redirect_target("m", &from, None).is_err());
    }
}
