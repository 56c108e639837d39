//! Incoming webhooks: the user id and secret code live in the URL path,
//! `{portal}/rest/{user_id}/{code}/{method}` (REST 3.0: `{portal}/rest/api/{user_id}/{code}/{method}`).

use std::fmt;

use url::Url;

use super::{with_trailing_slash, Endpoints};
use crate::error::Error;
use crate::secret::Secret;

/// An incoming webhook's address, split so the code can be kept secret.
#[derive(Clone)]
pub struct Webhook {
    portal: Url,
    user_id: String,
    code: Secret,
}

impl Webhook {
    /// Parse the URL Bitrix24 shows for an incoming webhook, e.g.
    /// `https://portal.bitrix24.com/rest/1/abcdef123/` (a method name after it is ignored).
    /// Plain `http://127.0.0.1:PORT/rest/1/code/` works for local portals and tests.
    pub fn from_url(url: &str) -> Result<Self, Error> {
        // The message must not echo the URL: it holds the secret code.
        let parsed = Url::parse(url)
            .map_err(|e| Error::Config(format!("webhook URL does not parse: {e}")))?;
        let segments: Vec<&str> = parsed
            .path_segments()
            .map(|s| s.filter(|p| !p.is_empty()).collect())
            .unwrap_or_default();
        let rest = segments
            .iter()
            .position(|s| *s == "rest")
            .ok_or_else(|| Error::Config("webhook URL has no /rest/ segment".into()))?;
        let after: Vec<&str> = segments[rest + 1..]
            .iter()
            .copied()
            .filter(|s| *s != "api")
            .collect();
        let (user_id, code) = match after.as_slice() {
            [user, code, ..] => (*user, *code),
            _ => {
                return Err(Error::Config(
                    "webhook URL must look like {portal}/rest/{user_id}/{code}/".into(),
                ))
            }
        };
        if !user_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::Config("webhook user id must be numeric".into()));
        }
        let mut portal = parsed.clone();
        portal.set_path(&format!("/{}", segments[..rest].join("/")));
        portal.set_query(None);
        portal.set_fragment(None);
        Ok(Self {
            portal: with_trailing_slash(portal),
            user_id: user_id.to_owned(),
            code: Secret::new(code),
        })
    }

    /// Build from parts: the portal's base URL (`https://portal.bitrix24.com/`), user id and code.
    pub fn new(portal: &str, user_id: u64, code: impl Into<Secret>) -> Result<Self, Error> {
        let portal = Url::parse(portal)
            .map_err(|e| Error::Config(format!("portal URL does not parse: {e}")))?;
        Ok(Self {
            portal: with_trailing_slash(portal),
            user_id: user_id.to_string(),
            code: code.into(),
        })
    }

    /// The webhook's secret code.
    pub fn code(&self) -> &Secret {
        &self.code
    }

    pub(crate) fn endpoints(&self) -> Result<Endpoints, Error> {
        let code = self.code.expose();
        let join = |path: String| {
            self.portal
                .join(&path)
                .map_err(|e| Error::Config(format!("webhook URL: {e}")))
        };
        Ok(Endpoints {
            v2: join(format!("rest/{}/{code}/", self.user_id))?,
            v3: join(format!("rest/api/{}/{code}/", self.user_id))?,
        })
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("portal", &self.portal.as_str())
            .field("user_id", &self.user_id)
            .field("code", &self.code)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::ApiVersion;

    #[test]
    fn parses_cloud_and_local_urls() {
        let w = Webhook::from_url("https://portal.bitrix24.com/rest/1/s3cr3tcode/").unwrap();
        let e = w.endpoints().unwrap();
        assert_eq!(
            e.v2.as_str(),
            "https://portal.bitrix24.com/rest/1/s3cr3tcode/"
        );
        assert_eq!(
            e.v3.as_str(),
            "https://portal.bitrix24.com/rest/api/1/s3cr3tcode/"
        );
        let local = Webhook::from_url("http://127.0.0.1:8080/rest/7/abc").unwrap();
        assert_eq!(
            local
                .endpoints()
                .unwrap()
                .method_url(ApiVersion::V2, "user.current")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080/rest/7/abc/user.current"
        );
    }

    #[test]
    fn keeps_a_path_prefix_and_accepts_v3_urls() {
        let w = Webhook::from_url("https://host/b24/rest/api/3/xyz/tasks.task.get").unwrap();
        assert_eq!(
            w.endpoints().unwrap().v2.as_str(),
            "https://host/b24/rest/3/xyz/"
        );
    }

    #[test]
    fn bad_urls_are_errors_without_the_code() {
        for bad in [
            "not a url",
            "https://portal/x/1/s3cr3tcode/",
            "https://portal/rest/1",
            "https://portal/rest/abc/s3cr3tcode/",
        ] {
            let err = Webhook::from_url(bad).unwrap_err();
            assert!(!err.to_string().contains("s3cr3tcode"), "{err}");
        }
    }

    #[test]
    fn debug_hides_the_code() {
        let w = Webhook::from_url("https://portal/rest/1/s3cr3tcode/").unwrap();
        assert!(!format!("{w:?}").contains("s3cr3tcode"));
    }
}
