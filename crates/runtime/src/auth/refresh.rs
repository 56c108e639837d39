//! The live OAuth session: the current access token and the single-flight refresh.
//!
//! The docs ask for a refresh only after a 401 `expired_token`, never on a timer. When many calls
//! hit the expiry at once, the first one to take the gate refreshes; the others wait on the same
//! gate, see the generation has moved on, and retry with the new token. A failed refresh is
//! remembered for its generation so the waiters share the failure instead of each hammering the
//! authorisation server.

use std::sync::RwLock;

use serde_json::Value;
use tokio::sync::Mutex;

use super::oauth::{OAuth, Tokens};
use crate::error::Error;
use crate::secret::Secret;
use crate::transport::Transport;

/// The token currently in use and how many refreshes produced it.
#[derive(Debug, Clone)]
pub(crate) struct AccessToken {
    pub token: Secret,
    pub generation: u64,
}

#[derive(Debug)]
struct Current {
    access: Secret,
    refresh: Secret,
    generation: u64,
}

/// Shared OAuth state of a client and all its clones.
pub(crate) struct OAuthSession {
    config: OAuth,
    current: RwLock<Current>,
    /// Held while refreshing; remembers the generation whose refresh failed, and why.
    gate: Mutex<Option<(u64, Error)>>,
}

impl std::fmt::Debug for OAuthSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthSession")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl OAuthSession {
    pub(crate) fn new(config: OAuth) -> Self {
        let current = Current {
            access: config.tokens.access_token.clone(),
            refresh: config.tokens.refresh_token.clone(),
            generation: 0,
        };
        Self {
            config,
            current: RwLock::new(current),
            gate: Mutex::new(None),
        }
    }

    pub(crate) fn access(&self) -> AccessToken {
        let current = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        AccessToken {
            token: current.access.clone(),
            generation: current.generation,
        }
    }

    /// Replace every secret this session knows with a placeholder.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let current = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let text = current.access.scrub(text);
        let text = current.refresh.scrub(&text);
        self.config.client_secret.scrub(&text)
    }

    /// Make sure the token is newer than generation `seen`. Returns the new tokens when this call
    /// did the refresh, `None` when another call already had.
    pub(crate) async fn refresh(
        &self,
        transport: &Transport,
        seen: u64,
    ) -> Result<Option<Tokens>, Error> {
        let mut failure = self.gate.lock().await;
        if self.access().generation != seen {
            return Ok(None);
        }
        if let Some((generation, cause)) = failure.as_ref() {
            if *generation == seen {
                return Err(refresh_failed(cause.clone()));
            }
        }
        match self.request_new_pair(transport).await {
            Ok(tokens) => {
                self.install(&tokens);
                if let Some(hook) = &self.config.on_refresh {
                    hook(&tokens);
                }
                tracing::info!(generation = seen + 1, "OAuth tokens refreshed");
                Ok(Some(tokens))
            }
            Err(cause) => {
                let cause = cause.scrubbed(&|text| self.scrub(text));
                tracing::warn!(reason = %cause, "OAuth token refresh failed");
                *failure = Some((seen, cause.clone()));
                Err(refresh_failed(cause))
            }
        }
    }

    fn install(&self, tokens: &Tokens) {
        let mut current = self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        current.access = tokens.access_token.clone();
        current.refresh = tokens.refresh_token.clone();
        current.generation += 1;
    }

    /// One GET to the authorisation server, its body read under the size cap. Transport errors
    /// drop the URL, which carries the client secret and refresh token.
    async fn request_new_pair(&self, transport: &Transport) -> Result<Tokens, Error> {
        let refresh = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .refresh
            .clone();
        let query = [
            ("grant_type", "refresh_token"),
            ("client_id", self.config.client_id.as_str()),
            ("client_secret", self.config.client_secret.expose()),
            ("refresh_token", refresh.expose()),
        ];
        let response = transport
            .http()
            .get(self.config.refresh_url.clone())
            .query(&query)
            .send()
            .await
            .map_err(|e| Error::transport(REFRESH_CALL, e))?;
        let status = response.status().as_u16();
        let body = transport.body(REFRESH_CALL, response).await?;
        parse_token_response(status, &body)
    }
}

/// What errors of the refresh exchange name as their method.
const REFRESH_CALL: &str = "oauth/token";

fn refresh_failed(cause: Error) -> Error {
    Error::Refresh {
        cause: Box::new(cause),
    }
}

/// Read the authorisation server's answer. Messages never quote the body: it holds tokens.
fn parse_token_response(status: u16, body: &[u8]) -> Result<Tokens, Error> {
    let decode = |message: &str| Error::decode(REFRESH_CALL, status, message);
    let value: Value = serde_json::from_slice(body).map_err(|_| decode("response is not JSON"))?;
    if let Some(error) = value.get("error") {
        return Err(Error::Api {
            status,
            code: error.as_str().unwrap_or("unknown error").to_owned(),
            description: value
                .get("error_description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        });
    }
    serde_json::from_value(value).map_err(|_| decode("response lacks access_token/refresh_token"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_response_errors_name_the_code_not_the_body() {
        let err = parse_token_response(
            400,
            br#"{"error":"invalid_grant","error_description":"expired"}"#,
        )
        .unwrap_err();
        assert!(err.is_code("invalid_grant"), "{err:?}");
        assert_eq!(
            err.to_string(),
            "Bitrix24 error invalid_grant (HTTP 400): expired"
        );
        let err = parse_token_response(200, br#"{"access_token":"leaky"}"#).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("leaky"));
        assert!(parse_token_response(200, b"<html>").is_err());
        let ok = parse_token_response(200, br#"{"access_token":"a","refresh_token":"r"}"#).unwrap();
        assert_eq!(ok.refresh_token.expose(), "r");
    }
}
