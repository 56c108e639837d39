//! OAuth for the mock's one application: the token endpoint (`/oauth/token/`, grants
//! `authorization_code` and `refresh_token`, parameters in the query or a form body), access
//! tokens that expire (`401 expired_token`), and single-use refresh tokens.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;

use crate::paging::member;
use crate::reply::{unix_now, ApiError};

/// What a client needs to talk to the mock as an OAuth application.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthApp {
    /// REST address for calls (`http://127.0.0.1:PORT/rest/`).
    pub client_endpoint: String,
    /// Token endpoint (`http://127.0.0.1:PORT/oauth/token/`).
    pub token_url: String,
    /// Application id.
    pub client_id: String,
    /// Application secret.
    pub client_secret: String,
    /// A valid access token.
    pub access_token: String,
    /// Its refresh token (single use).
    pub refresh_token: String,
    /// A one-time authorisation code for the `authorization_code` grant.
    pub auth_code: String,
}

impl std::fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Mock credentials are still credentials: keep them out of logs like real ones.
        f.debug_struct("OAuthApp")
            .field("client_endpoint", &self.client_endpoint)
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// The result of checking an access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenCheck {
    /// Valid; calls are counted under the application.
    Valid,
    /// Known but expired.
    Expired,
    /// Unknown.
    Invalid,
}

/// Issued tokens.
#[derive(Debug)]
pub struct Tokens {
    pub(crate) client_id: String,
    client_secret: String,
    ttl: Duration,
    inner: Mutex<Issued>,
}

#[derive(Debug, Default)]
struct Issued {
    access: HashMap<String, Instant>,
    refresh: HashSet<String>,
    codes: HashSet<String>,
}

impl Tokens {
    /// A fresh application whose access tokens live `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            client_id: format!("local.{}", short_id()),
            client_secret: short_id(),
            ttl,
            inner: Mutex::default(),
        }
    }

    /// Issue a pair and a code, and describe the app for a client at `base`.
    pub fn app(&self, base: &str) -> OAuthApp {
        let (access_token, refresh_token) = self.issue();
        let auth_code = short_id();
        self.lock().codes.insert(auth_code.clone());
        OAuthApp {
            client_endpoint: format!("{base}/rest/"),
            token_url: format!("{base}/oauth/token/"),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            access_token,
            refresh_token,
            auth_code,
        }
    }

    fn issue(&self) -> (String, String) {
        let (access, refresh) = (short_id(), short_id());
        let mut issued = self.lock();
        issued
            .access
            .insert(access.clone(), Instant::now() + self.ttl);
        issued.refresh.insert(refresh.clone());
        (access, refresh)
    }

    /// Whether `token` may call.
    pub fn check(&self, token: &str) -> TokenCheck {
        match self.lock().access.get(token) {
            None => TokenCheck::Invalid,
            Some(expires) if *expires <= Instant::now() => TokenCheck::Expired,
            Some(_) => TokenCheck::Valid,
        }
    }

    /// Make every access token issued so far expire now.
    pub fn expire_all(&self) {
        let now = Instant::now();
        self.lock().access.values_mut().for_each(|e| *e = now);
    }

    /// Answer the token endpoint: `(status, body)`.
    pub fn grant(&self, params: &Value, base: &str) -> (u16, Value) {
        match self.try_grant(params) {
            Ok((access, refresh)) => (200, self.pair_body(&access, &refresh, base)),
            Err(error) => (
                error.status,
                json!({"error": error.code, "error_description": error.message}),
            ),
        }
    }

    fn try_grant(&self, params: &Value) -> Result<(String, String), ApiError> {
        let text = |name: &str| member(params, name).and_then(Value::as_str).unwrap_or("");
        if text("client_id") != self.client_id || text("client_secret") != self.client_secret {
            return Err(ApiError::new(
                401,
                "invalid_client",
                "Invalid client credentials",
            ));
        }
        let consumed = match text("grant_type") {
            "refresh_token" => self.lock().refresh.remove(text("refresh_token")),
            "authorization_code" => self.lock().codes.remove(text("code")),
            other => {
                return Err(ApiError::new(
                    400,
                    "unsupported_grant_type",
                    format!("grant_type {other:?} is not supported"),
                ))
            }
        };
        if !consumed {
            return Err(ApiError::new(
                400,
                "invalid_grant",
                "Invalid grant: unknown or used token or code",
            ));
        }
        Ok(self.issue())
    }

    fn pair_body(&self, access: &str, refresh: &str, base: &str) -> Value {
        json!({
            "access_token": access,
            "refresh_token": refresh,
            "expires": (unix_now() + self.ttl.as_secs_f64()) as i64,
            "expires_in": self.ttl.as_secs(),
            "scope": "app",
            "domain": base.trim_start_matches("http://"),
            "server_endpoint": format!("{base}/oauth/rest/"),
            "client_endpoint": format!("{base}/rest/"),
            "member_id": "mock-member",
            "user_id": 1,
            "status": "L",
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Issued> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn short_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn tokens_expire_and_refresh_tokens_are_single_use() {
        let tokens = Tokens::new(Duration::from_secs(10));
        let app = tokens.app("http://h");
        assert_eq!(tokens.check(&app.access_token), TokenCheck::Valid);
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(tokens.check(&app.access_token), TokenCheck::Expired);
        assert_eq!(tokens.check("nope"), TokenCheck::Invalid);
        let params = json!({"grant_type": "refresh_token", "client_id": app.client_id,
            "client_secret": app.client_secret, "refresh_token": app.refresh_token});
        let (status, body) = tokens.grant(&params, "http://h");
        assert_eq!(status, 200);
        assert_eq!(
            tokens.check(body["access_token"].as_str().unwrap()),
            TokenCheck::Valid
        );
        assert_eq!(body["client_endpoint"], "http://h/rest/");
        let (status, body) = tokens.grant(&params, "http://h");
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_grant"))
        );
        assert!(!format!("{app:?}").contains(&app.client_secret));
    }
}
