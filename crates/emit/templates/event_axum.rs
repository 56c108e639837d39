//! A ready handler for incoming events on axum (feature `axum`): it verifies the portal's
//! `auth[application_token]` in constant time, types the event by its name and hands it over.

use std::future::Future;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use bitrix24_runtime::events::{parse_event, tokens_match, EventAuth};
use bitrix24_runtime::Secret;

use crate::event::Event;

/// A router that answers `POST /` with an event handler bound to this application's token.
///
/// - `401 Unauthorized` when the token is missing or wrong: nothing is handed over;
/// - `400 Bad Request` when the body is not an event, or its `data` does not fit the
///   documented payload;
/// - `200 OK` once `handle` has run with the typed event and its `auth` part (the portal's
///   `domain`, `member_id`, and tokens kept in [`Secret`]s).
///
/// ```no_run
/// # async fn run() {
/// use bitrix24::event::{handler, Event};
///
/// let app = handler("app-token".into(), |event, _auth| async move {
///     match event {
///         # #[cfg(feature = "crm")]
///         Event::CrmDealAdd(data) => println!("deal {:?}", data.fields.and_then(|f| f.id)),
///         other => println!("{} ignored", other.name()),
///     }
/// });
/// let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.unwrap();
/// axum::serve(listener, app).await.unwrap();
/// # }
/// ```
pub fn handler<F, Fut>(application_token: Secret, handle: F) -> Router
where
    F: Fn(Event, EventAuth) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let token = Arc::new(application_token);
    Router::new().route(
        "/",
        post(move |body: Bytes| {
            let token = token.clone();
            let handle = handle.clone();
            async move {
                let Ok(event) = parse_event(&body) else {
                    return StatusCode::BAD_REQUEST;
                };
                let trusted = event
                    .auth
                    .application_token
                    .as_ref()
                    .is_some_and(|sent| tokens_match(sent, &token));
                if !trusted {
                    return StatusCode::UNAUTHORIZED;
                }
                match Event::from_data(&event.event, event.data) {
                    Ok(typed) => {
                        handle(typed, event.auth).await;
                        StatusCode::OK
                    }
                    Err(_) => StatusCode::BAD_REQUEST,
                }
            }
        }),
    )
}
