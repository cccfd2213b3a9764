//! The webhooks: Alertmanager, Grafana and generic senders by bearer token, Sentry by its HMAC signature,
//! Stripe by `Stripe-Signature`; each validated (a 400 that names the problem) and stored before it is
//! answered.

use super::{Http, refuse, store_then};
use crate::domain::keys;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

pub(super) async fn alertmanager(
    State(h): State<Http>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    bearer_hook(h, "alertmanager", headers, body).await
}

pub(super) async fn grafana(State(h): State<Http>, headers: HeaderMap, body: Body) -> Response {
    bearer_hook(h, "grafana", headers, body).await
}

pub(super) async fn generic(State(h): State<Http>, headers: HeaderMap, body: Body) -> Response {
    bearer_hook(h, "generic", headers, body).await
}

/// Alertmanager, Grafana and generic senders present the bearer token: checked before a byte of the
/// body is read.
async fn bearer_hook(h: Http, source: &str, headers: HeaderMap, body: Body) -> Response {
    let Some(token) = &h.token else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            format!(
                "alert webhooks are off: set ${} on the opsdesk side",
                h.token_env
            ),
        );
    };
    let presented = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(bearer);
    if !presented.is_some_and(|p| constant_time_eq(p.as_bytes(), token.expose_secret().as_bytes()))
    {
        return refuse(StatusCode::UNAUTHORIZED, "missing or wrong bearer token");
    }
    let limit = h.pipeline.settings.http.max_body_bytes;
    match super::body::read(&h, &headers, body, limit).await {
        Ok(body) => accept(h, source, None, body).await,
        Err(refused) => refused,
    }
}

/// The credentials of an `Authorization: Bearer …` header (the scheme's case does not matter).
fn bearer(v: &str) -> Option<&str> {
    let (scheme, rest) = v.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

/// Sentry signs the body with the integration's client secret (`Sentry-Hook-Signature`, hex HMAC-SHA256).
pub(super) async fn sentry(State(h): State<Http>, headers: HeaderMap, body: Body) -> Response {
    let Some(secret) = &h.sentry_secret else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            format!(
                "Sentry webhooks are off: set ${} on the opsdesk side",
                h.sentry_env
            ),
        );
    };
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let Some(sig) = header("sentry-hook-signature") else {
        return refuse(StatusCode::UNAUTHORIZED, "missing Sentry-Hook-Signature");
    };
    let body = match super::body::read_signed(&h, &headers, body).await {
        Ok(b) => b,
        Err(refused) => return refused,
    };
    if !crate::alerts::sentry::verify(secret.expose_secret().as_bytes(), &body, &sig) {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "Sentry-Hook-Signature does not match the body (wrong client secret?)",
        );
    }
    let Some(resource) = header("sentry-hook-resource") else {
        return refuse(StatusCode::BAD_REQUEST, "missing Sentry-Hook-Resource");
    };
    if !crate::alerts::sentry::RESOURCES.contains(&resource.as_str()) {
        // Installation, comment and other resources: nothing to alert on; Sentry must not retry them.
        return (
            StatusCode::OK,
            format!("ignored: resource {resource:?} is not an alert\n"),
        )
            .into_response();
    }
    accept(h, "sentry", Some(&resource), body).await
}

/// Stripe: the signature is checked, the event stored under its id, then applied to the ledger.
pub(super) async fn stripe(State(h): State<Http>, headers: HeaderMap, body: Body) -> Response {
    let f = &h.pipeline.settings.finance;
    let Some(secret) = &h.stripe_secret else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            format!(
                "Stripe webhooks are off: set ${} on the opsdesk side",
                f.stripe_secret_env
            ),
        );
    };
    let sig = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    if sig.is_none() {
        return refuse(StatusCode::UNAUTHORIZED, "missing Stripe-Signature header");
    }
    let body = match super::body::read_signed(&h, &headers, body).await {
        Ok(b) => b,
        Err(refused) => return refused,
    };
    let now = crate::clock::now();
    if let Err(e) = crate::finance::stripe::verify(
        sig,
        &body,
        secret.expose_secret().as_bytes(),
        now / 1000,
        f.signature_tolerance_secs,
    ) {
        return refuse(StatusCode::UNAUTHORIZED, e.to_string());
    }
    let event = match crate::finance::stripe::parse_event(&body) {
        Ok(e) => e,
        Err(why) => return refuse(StatusCode::BAD_REQUEST, why.to_string()),
    };
    if let Err(why) = crate::finance::stripe::records(&event) {
        return refuse(
            StatusCode::BAD_REQUEST,
            format!("{} {}: {why}", event.kind, event.id),
        );
    }
    let key = keys::stripe_key(&event.id);
    store_then(&h, key, "stripe", &body, |pipeline, key| async move {
        if let Err(e) = pipeline.on_stripe_event(&event, Some(key.clone()), crate::clock::now()).await {
            tracing::warn!(event = %key, error = %e, "Stripe event stored but not applied; the inbox sweep retries it");
        }
    })
    .await
}

/// Compares a presented secret without leaking, through timing, how much of it was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

/// The inbox key of a stored webhook: `hook:<source>[/<resource>]:<sha256 of the body>`.
pub fn hook_key(source: &str, resource: Option<&str>, body: &[u8]) -> String {
    let digest: String = Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    keys::hook_key(source, resource, &digest)
}

/// Validates, stores, answers, then processes: a failure to store is a 503 and the sender retries.
async fn accept(h: Http, source: &str, resource: Option<&str>, body: Bytes) -> Response {
    let batch = match crate::alerts::parse(source, resource, &body) {
        Ok(b) => b,
        Err(why) => return refuse(StatusCode::BAD_REQUEST, why.to_string()),
    };
    let key = hook_key(source, resource, &body);
    store_then(&h, key, source, &body, |pipeline, key| async move {
        if let Err(e) = pipeline.on_alert_batch(&batch, Some(key.clone()), crate::clock::now()).await {
            tracing::warn!(webhook = %key, error = %e, "alert webhook stored but not processed; the inbox sweep retries it");
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn hook_keys_name_their_source_and_resource() {
        let k = super::hook_key("sentry", Some("issue"), b"{}");
        assert_eq!(
            crate::domain::keys::hook_source(&k),
            Some(("sentry", Some("issue")))
        );
        assert!(k.ends_with(":44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"));
        assert_eq!(super::bearer("bearer  tok "), Some("tok"));
        assert_eq!(super::bearer("BEARER tok"), Some("tok"));
        assert_eq!(super::bearer("Basic tok"), None);
        assert!(
            super::constant_time_eq(b"abc", b"abc")
                && !super::constant_time_eq(b"abc", b"abd")
                && !super::constant_time_eq(b"ab", b"abc")
        );
    }
}
