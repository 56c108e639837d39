//! How calls are authorised: an incoming webhook (secret in the URL) or an OAuth 2 application
//! (access token in the body, refreshed on `expired_token`).

mod oauth;
mod refresh;
mod webhook;

pub use oauth::{OAuth, RefreshHook, Tokens, DEFAULT_REFRESH_URL};
pub use webhook::Webhook;

pub(crate) use refresh::OAuthSession;

use url::Url;

use crate::error::Error;
use crate::method::ApiVersion;

/// Credentials a [`crate::Client`] calls with.
#[derive(Debug, Clone)]
pub enum Auth {
    /// An incoming webhook: `https://portal/rest/{user_id}/{code}/`.
    Webhook(Webhook),
    /// An OAuth 2 application with its token pair.
    OAuth(Box<OAuth>),
}

impl From<Webhook> for Auth {
    fn from(value: Webhook) -> Self {
        Self::Webhook(value)
    }
}

impl From<OAuth> for Auth {
    fn from(value: OAuth) -> Self {
        Self::OAuth(Box::new(value))
    }
}

/// The base URLs of both API generations, ending in `/` so a method name can be appended.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Endpoints {
    pub v2: Url,
    pub v3: Url,
}

impl std::fmt::Debug for Endpoints {
    // A webhook's endpoints embed its secret code: show only the host.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoints")
            .field("host", &self.v2.host_str())
            .finish_non_exhaustive()
    }
}

impl Endpoints {
    pub(crate) fn base(&self, api: ApiVersion) -> &Url {
        match api {
            ApiVersion::V2 => &self.v2,
            ApiVersion::V3 => &self.v3,
        }
    }

    /// The URL of `method`, refusing names that would escape the base path.
    pub(crate) fn method_url(&self, api: ApiVersion, method: &str) -> Result<Url, Error> {
        let valid = !method.is_empty()
            && method
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            && !method.starts_with('.');
        if !valid {
            return Err(Error::Config(format!("invalid method name {method:?}")));
        }
        self.base(api)
            .join(method)
            .map_err(|e| Error::Config(format!("method {method}: {e}")))
    }

    /// The same endpoints on the host a redirect pointed to (the portal's address changed).
    pub(crate) fn moved_to(&self, location: &Url) -> Option<Self> {
        Some(Self {
            v2: rehost(&self.v2, location)?,
            v3: rehost(&self.v3, location)?,
        })
    }
}

fn rehost(base: &Url, location: &Url) -> Option<Url> {
    let mut moved = base.clone();
    moved.set_scheme(location.scheme()).ok()?;
    moved.set_host(location.host_str()).ok()?;
    moved.set_port(location.port()).ok()?;
    Some(moved)
}

/// Make sure a base URL ends with `/` so `join` appends instead of replacing the last segment.
pub(crate) fn with_trailing_slash(mut url: Url) -> Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints() -> Endpoints {
        Endpoints {
            v2: Url::parse("https://old.bitrix24.com/rest/1/abc/").unwrap(),
            v3: Url::parse("https://old.bitrix24.com/rest/api/1/abc/").unwrap(),
        }
    }

    #[test]
    fn method_url_appends_the_name() {
        let e = endpoints();
        assert_eq!(
            e.method_url(ApiVersion::V2, "crm.deal.add")
                .unwrap()
                .as_str(),
            "https://old.bitrix24.com/rest/1/abc/crm.deal.add"
        );
        assert_eq!(
            e.method_url(ApiVersion::V3, "tasks.task.get")
                .unwrap()
                .as_str(),
            "https://old.bitrix24.com/rest/api/1/abc/tasks.task.get"
        );
    }

    #[test]
    fn method_names_cannot_escape_the_base() {
        let e = endpoints();
        for bad in ["", "../x", "a/b", "a?b=1", "..", "a b"] {
            assert!(e.method_url(ApiVersion::V2, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn moved_keeps_the_path_and_changes_the_host() {
        let moved = endpoints()
            .moved_to(&Url::parse("https://new.bitrix24.com/rest/1/abc/x").unwrap())
            .unwrap();
        assert_eq!(moved.v2.as_str(), "https://new.bitrix24.com/rest/1/abc/");
        assert_eq!(
            moved.v3.as_str(),
            "https://new.bitrix24.com/rest/api/1/abc/"
        );
    }
}
