//! Servers and security. A webhook carries its credentials in the URL
//! (`https://{portal}/rest/{user_id}/{webhook_code}/`), which OpenAPI expresses as a server
//! with variables, not as a security scheme; an OAuth application sends its access token as
//! the `auth` parameter (`apiKey`), obtained by the authorisation-code flow.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

/// The name of the OAuth 2.0 scheme.
pub const OAUTH: &str = "oauth2";
/// The name of the `auth` parameter scheme.
pub const AUTH_PARAM: &str = "authParam";

fn portal() -> Value {
    json!({
        "default": "example.bitrix24.com",
        "description": "The portal's address"
    })
}

/// The REST v2 servers: an incoming webhook, then an OAuth application.
pub fn servers() -> Value {
    json!([
        {
            "url": "https://{portal}/rest/{user_id}/{webhook_code}",
            "description": "Incoming webhook: the user and code are the webhook's",
            "variables": {
                "portal": portal(),
                "user_id": { "default": "1" },
                "webhook_code": { "default": "webhook_code" }
            }
        },
        oauth_server()
    ])
}

/// The OAuth server (the access token goes in `auth`).
pub fn oauth_server() -> Value {
    json!({
        "url": "https://{portal}/rest",
        "description": "OAuth application: send the access token as the `auth` parameter",
        "variables": { "portal": portal() }
    })
}

/// Who may call: a webhook (no scheme: the server URL holds the credentials), or an OAuth
/// token with the method's scopes.
pub fn requirement(scopes: &[String]) -> Value {
    json!([{}, { OAUTH: scopes }, { AUTH_PARAM: [] }])
}

/// The security schemes, with every scope named in the spec.
pub fn schemes(scopes: &BTreeSet<String>) -> Value {
    let scopes: Map<String, Value> = scopes
        .iter()
        .map(|s| (s.clone(), Value::from(format!("The `{s}` scope"))))
        .collect();
    json!({
        OAUTH: {
            "type": "oauth2",
            "description": "A Bitrix24 application. The authorisation page is on the portal itself (its address replaces `portal.bitrix24.com`); tokens come from the OAuth server.",
            "flows": { "authorizationCode": {
                "authorizationUrl": "https://portal.bitrix24.com/oauth/authorize/",
                "tokenUrl": "https://oauth.bitrix.info/oauth/token/",
                "refreshUrl": "https://oauth.bitrix.info/oauth/token/",
                "scopes": scopes
            } }
        },
        AUTH_PARAM: {
            "type": "apiKey",
            "in": "query",
            "name": "auth",
            "description": "The OAuth access token as the `auth` parameter."
        }
    })
}
