//! OAuth 2 application credentials: the token pair, the app's client id and secret, where to
//! refresh, and the hook that persists a renewed pair.

use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use url::Url;

use super::{with_trailing_slash, Endpoints};
use crate::error::Error;
use crate::lenient;
use crate::secret::Secret;

/// The authorisation server that issues and renews tokens.
pub const DEFAULT_REFRESH_URL: &str = "https://oauth.bitrix.info/oauth/token/";

/// Called with the new pair after every successful refresh, so the application can store it
/// (the previous refresh token stops working). Runs on the refreshing task; keep it quick or
/// hand the work to a channel.
pub type RefreshHook = Arc<dyn Fn(&Tokens) + Send + Sync>;

/// An access/refresh token pair and what the authorisation server said along with it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Tokens {
    /// Token sent with every call (`auth`); lives one hour.
    pub access_token: Secret,
    /// Token that buys a new pair; lives 180 days, single use.
    pub refresh_token: Secret,
    /// Unix time the access token expires, when known.
    #[serde(default, deserialize_with = "lenient::option_int")]
    pub expires: Option<i64>,
    /// The portal's REST address (`https://portal.bitrix24.com/rest/`), when known.
    #[serde(default, deserialize_with = "lenient::option_string")]
    pub client_endpoint: Option<String>,
    /// The portal's stable identifier, when known.
    #[serde(default, deserialize_with = "lenient::option_string")]
    pub member_id: Option<String>,
}

impl Tokens {
    /// A pair with no extra information.
    pub fn new(access_token: impl Into<Secret>, refresh_token: impl Into<Secret>) -> Self {
        Self {
            access_token: access_token.into(),
            refresh_token: refresh_token.into(),
            expires: None,
            client_endpoint: None,
            member_id: None,
        }
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

/// An OAuth 2 application's credentials for one portal.
#[derive(Clone)]
pub struct OAuth {
    pub(crate) client_endpoint: Url,
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) tokens: Tokens,
    pub(crate) refresh_url: Url,
    pub(crate) on_refresh: Option<RefreshHook>,
}

impl OAuth {
    /// Credentials for the portal at `client_endpoint` (e.g. `https://portal.bitrix24.com/rest/`).
    pub fn new(
        client_endpoint: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        tokens: Tokens,
    ) -> Result<Self, Error> {
        Ok(Self {
            client_endpoint: parse_base(client_endpoint, "client_endpoint")?,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            tokens,
            refresh_url: Url::parse(DEFAULT_REFRESH_URL)
                .map_err(|e| Error::Config(e.to_string()))?,
            on_refresh: None,
        })
    }

    /// Refresh at another authorisation server (tests, or a self-hosted portal's own).
    pub fn with_refresh_url(mut self, url: &str) -> Result<Self, Error> {
        self.refresh_url = Url::parse(url)
            .map_err(|e| Error::Config(format!("refresh URL does not parse: {e}")))?;
        Ok(self)
    }

    /// Persist renewed tokens with `hook`.
    pub fn on_refresh(mut self, hook: impl Fn(&Tokens) + Send + Sync + 'static) -> Self {
        self.on_refresh = Some(Arc::new(hook));
        self
    }

    pub(crate) fn endpoints(&self) -> Result<Endpoints, Error> {
        let v3 = self
            .client_endpoint
            .join("api/")
            .map_err(|e| Error::Config(format!("client_endpoint: {e}")))?;
        Ok(Endpoints {
            v2: self.client_endpoint.clone(),
            v3,
        })
    }
}

pub(crate) fn parse_base(url: &str, what: &str) -> Result<Url, Error> {
    let parsed =
        Url::parse(url).map_err(|e| Error::Config(format!("{what} does not parse: {e}")))?;
    Ok(with_trailing_slash(parsed))
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth")
            .field("client_endpoint", &self.client_endpoint.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("tokens", &self.tokens)
            .field("refresh_url", &self.refresh_url.as_str())
            .field("on_refresh", &self.on_refresh.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_for_both_versions() {
        let o = OAuth::new(
            "https://portal.bitrix24.com/rest",
            "app.1",
            "sec",
            Tokens::new("a", "r"),
        )
        .unwrap();
        let e = o.endpoints().unwrap();
        assert_eq!(e.v2.as_str(), "https://portal.bitrix24.com/rest/");
        assert_eq!(e.v3.as_str(), "https://portal.bitrix24.com/rest/api/");
    }

    #[test]
    fn debug_hides_tokens_and_secret() {
        let o = OAuth::new(
            "https://p/rest/",
            "app.1",
            "clientsecret",
            Tokens::new("accesstok", "refreshtok"),
        )
        .unwrap();
        let shown = format!("{o:?}");
        for secret in ["clientsecret", "accesstok", "refreshtok"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }

    #[test]
    fn token_response_is_read_leniently() {
        let t: Tokens = serde_json::from_str(r#"{"access_token":"a","refresh_token":"r","expires":"1780319382","member_id":"m","user_id":67}"#).unwrap();
        assert_eq!(t.expires, Some(1_780_319_382));
        assert_eq!(t.access_token.expose(), "a");
        assert!(serde_json::from_str::<Tokens>(r#"{"access_token":"a"}"#).is_err());
    }
}
