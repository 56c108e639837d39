//! Reading a response body under the size cap: the body is read chunk by chunk and reading stops
//! as soon as it would pass the limit, so a hostile or broken server cannot make the client hold
//! more than `limit` bytes (a `Content-Length` above the limit is refused before reading).

use bytes::{Bytes, BytesMut};

use crate::error::Error;

/// Largest buffer reserved up front from a `Content-Length`: the header is the server's claim,
/// not memory the client should commit before the bytes arrive.
const MAX_RESERVE: usize = 1 << 20;

/// Read the whole body of `response`, failing with [`Error::TooLarge`] past `limit` bytes.
pub(crate) async fn read_capped(
    method: &str,
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Bytes, Error> {
    let too_large = || Error::TooLarge {
        method: method.to_owned(),
        limit,
    };
    let announced = response.content_length();
    if announced.is_some_and(|len| len > limit) {
        return Err(too_large());
    }
    let reserve = announced.map_or(0, |len| usize::try_from(len).unwrap_or(usize::MAX));
    let mut body = BytesMut::with_capacity(reserve.min(MAX_RESERVE));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Error::transport(method, e))?
    {
        let total = body.len() as u64 + chunk.len() as u64;
        if total > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
