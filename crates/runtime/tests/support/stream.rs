//! A loopback server whose answers stream: an endless body, or one that trickles a byte at a
//! time. It counts the bytes it managed to hand to the connection, so a test can see that the
//! client stopped reading.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::Router;

/// How the body is sent.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Bytes per chunk.
    pub chunk: usize,
    /// Pause before every chunk.
    pub every: Duration,
    /// `Content-Length` announced, if any (the stream ignores it and goes on).
    pub announced: Option<u64>,
}

/// Serve every request with an endless JSON-looking body of this shape; returns the base URL
/// and the byte counter.
pub async fn endless(shape: Shape) -> (String, Arc<AtomicU64>) {
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let router = Router::new().fallback(move || {
        let counter = counter.clone();
        async move { respond(shape, counter) }
    });
    (super::serve(router).await, sent)
}

fn respond(shape: Shape, sent: Arc<AtomicU64>) -> Response {
    let opening = Bytes::from_static(b"{\"result\":\"");
    let filler = Bytes::from(vec![b'x'; shape.chunk]);
    let chunks = futures::stream::unfold(Some(opening), move |first| {
        let (filler, sent) = (filler.clone(), sent.clone());
        async move {
            if !shape.every.is_zero() {
                tokio::time::sleep(shape.every).await;
            }
            let chunk = first.unwrap_or(filler);
            sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            Some((Ok::<_, std::io::Error>(chunk), None))
        }
    });
    let mut response = Response::new(Body::from_stream(chunks));
    *response.status_mut() = StatusCode::OK;
    if let Some(length) = shape.announced {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, length.into());
    }
    response
}
