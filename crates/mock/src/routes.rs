//! The HTTP surface: REST v2 at `/rest/{user}/{code}/{method}` (webhook) and `/rest/{method}`
//! with `auth` (OAuth), REST 3.0 at the same paths under `/rest/api/`, and the token endpoint
//! `/oauth/token/`. Every request is authenticated, checked against `OVERLOAD_LIMIT` and the
//! bucket, may meet an injected fault, then runs (a plain call or a `batch`) and is answered
//! after the latency model's delay. A `.json` suffix on the method name is accepted, as on the
//! portal.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use b24_spec::ApiVersion;
use serde_json::Value;

use crate::faults::FaultKind;
use crate::oauth::TokenCheck;
use crate::portal::{Shared, APP_CALLER, WEBHOOK_CALLER};
use crate::reply::{self, ApiError};
use crate::{batch, calls, form};

/// The router serving `shared`.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: Bytes| {
        let shared = shared.clone();
        async move { handle(&shared, &uri, &headers, &body).await }
    })
}

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Route {
    api: ApiVersion,
    method: String,
    /// `(user, code)` for webhook URLs; `None` for OAuth calls.
    webhook: Option<(String, String)>,
}

impl Route {
    fn parse(path: &str) -> Option<Self> {
        let rest = path.strip_prefix("/rest/")?;
        let mut segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        let api = if segments.first() == Some(&"api") {
            segments.remove(0);
            ApiVersion::V3
        } else {
            ApiVersion::V2
        };
        let (webhook, method) = match segments.as_slice() {
            [method] => (None, *method),
            [user, code, method] => (Some(((*user).to_owned(), (*code).to_owned())), *method),
            _ => return None,
        };
        let method = method.strip_suffix(".json").unwrap_or(method).to_owned();
        Some(Self {
            api,
            method,
            webhook,
        })
    }
}

async fn handle(shared: &Shared, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Response {
    shared.count_request();
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let mut params = form::request_params(uri.query(), content_type, body);
    if uri.path().trim_end_matches('/') == "/oauth/token" {
        let (status, body) = shared.tokens.grant(&params, &shared.base);
        return json(status, &body);
    }
    let Some(route) = Route::parse(uri.path()) else {
        let error = ApiError::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
        return error_response(ApiVersion::V2, &error);
    };
    match serve(shared, &route, &mut params).await {
        Ok(response) => response,
        Err(error) => error_response(route.api, &error),
    }
}

async fn serve(shared: &Shared, route: &Route, params: &mut Value) -> Result<Response, ApiError> {
    let caller = authenticate(shared, route, params)?;
    if shared.limits.overloaded() {
        return Err(system_error(shared, 503, "OVERLOAD_LIMIT"));
    }
    if !shared.limits.admit(caller) {
        shared.count_refusal();
        return Err(system_error(shared, 503, "QUERY_LIMIT_EXCEEDED"));
    }
    match shared.faults.take(&route.method) {
        Some(FaultKind::Error(error)) => return Err(error),
        Some(FaultKind::Garbage) => {
            return Ok((StatusCode::OK, "<html>upstream hiccup</html>").into_response())
        }
        Some(FaultKind::Delay(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }
    // An injected delay comes on top of the model; the model's clock starts here.
    let received = tokio::time::Instant::now();
    let latency = shared.config.latency;
    let is_batch = route.api == ApiVersion::V2 && route.method.eq_ignore_ascii_case("batch");
    let (outcome, executed) = if is_batch {
        let per_command = latency.per_call;
        match batch::run(params, |method, args| {
            calls::run(
                shared,
                caller,
                ApiVersion::V2,
                method,
                args,
                per_command,
                true,
            )
        }) {
            Ok((result, ran)) => (
                Ok((reply::Answer::of(result), reply::Timing::default())),
                ran,
            ),
            Err(error) => (Err(error), 0),
        }
    } else {
        let spent = latency.of(1);
        let outcome = calls::run(
            shared,
            caller,
            route.api,
            &route.method,
            params,
            spent,
            false,
        );
        (outcome, 1)
    };
    let elapsed = latency.of(executed);
    // A plain call reports its method's budget use (`operating`, `operating_reset_at`): clients
    // plan their holds from the last successful answer.
    let response = outcome.map(|(answer, timing)| {
        let timing = reply::Timing {
            duration: elapsed.as_secs_f64(),
            ..timing
        };
        json(200, &reply::success(answer, timing))
    });
    // The model is the whole time the portal takes to answer: what the mock spent running the
    // commands and rendering the answer is part of it, as a real portal's processing is, so a
    // busy test machine does not add its own delay on top of the model.
    let remaining = elapsed.saturating_sub(received.elapsed());
    if !remaining.is_zero() {
        tokio::time::sleep(remaining).await;
    }
    response
}

/// The caller key for the limits, after checking the webhook code or the access token.
fn authenticate(
    shared: &Shared,
    route: &Route,
    params: &mut Value,
) -> Result<&'static str, ApiError> {
    let token = params
        .as_object_mut()
        .and_then(|p| p.remove("auth"))
        .and_then(|v| v.as_str().map(str::to_owned));
    if let Some((user, code)) = &route.webhook {
        let user_ok = user.parse::<u64>().ok() == Some(shared.config.user_id);
        return if user_ok && *code == shared.webhook_code {
            Ok(WEBHOOK_CALLER)
        } else {
            Err(system_error(shared, 401, "NO_AUTH_FOUND"))
        };
    }
    let Some(token) = token else {
        return Err(system_error(shared, 401, "NO_AUTH_FOUND"));
    };
    match shared.tokens.check(&token) {
        TokenCheck::Valid => Ok(APP_CALLER),
        TokenCheck::Expired => Err(system_error(shared, 401, "expired_token")),
        TokenCheck::Invalid => Err(ApiError::new(
            401,
            "invalid_token",
            "The access token provided is invalid.",
        )),
    }
}

/// An error from the spec's system catalogue, with its documented message.
fn system_error(shared: &Shared, status: u16, code: &str) -> ApiError {
    let message = shared.catalogue.system_message(code).unwrap_or(code);
    ApiError::new(status, code, message)
}

fn error_response(api: ApiVersion, error: &ApiError) -> Response {
    json(error.status, &error.body(api))
}

fn json(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_version_credentials_and_method() {
        let hook = Route::parse("/rest/1/abc/crm.deal.get.json").unwrap();
        assert_eq!(
            hook,
            Route {
                api: ApiVersion::V2,
                method: "crm.deal.get".into(),
                webhook: Some(("1".into(), "abc".into()))
            }
        );
        let v3 = Route::parse("/rest/api/tasks.task.get").unwrap();
        assert_eq!((v3.api, v3.webhook), (ApiVersion::V3, None));
        assert_eq!(
            Route::parse("/rest/api/1/abc/x").unwrap().api,
            ApiVersion::V3
        );
        assert!(Route::parse("/other").is_none());
        assert!(Route::parse("/rest/a/b").is_none());
    }
}
