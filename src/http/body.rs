//! Reading a webhook's body on our terms: a declared length over the route's limit is a 413 before a
//! byte is read, the read is bounded in size and time (a stalled sender gets a 408), and bodies whose
//! signature must be checked before anything else (Stripe, Sentry) are read a bounded number at a time.

use super::{Http, refuse};
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

/// The body, or the response that refuses it.
pub(super) async fn read(
    h: &Http,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, Response> {
    let declared = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    let timeout = std::time::Duration::from_secs(h.pipeline.settings.http.body_timeout_secs);
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(refuse(
            StatusCode::REQUEST_TIMEOUT,
            format!("the body did not arrive within {}s", timeout.as_secs()),
        )),
        Ok(Err(_)) => Err(too_large(limit)),
        Ok(Ok(b)) => Ok(b),
    }
}

/// As [`read`], for a body that must be read before it can be authenticated: at most
/// `http.max_signed_reads` such reads run at once; past that, a 503 the sender retries.
pub(super) async fn read_signed(
    h: &Http,
    headers: &HeaderMap,
    body: Body,
) -> Result<Bytes, Response> {
    let Ok(_slot) = h.signed_reads.clone().try_acquire_owned() else {
        return Err(refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many signed webhooks are being read; retry",
        ));
    };
    read(
        h,
        headers,
        body,
        h.pipeline.settings.http.max_signed_body_bytes,
    )
    .await
}

fn too_large(limit: usize) -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the body is larger than this hook's {limit} bytes"),
    )
}
