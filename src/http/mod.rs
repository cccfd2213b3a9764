//! The HTTP side of `opsdesk run`: alert webhooks (authenticated, size-limited, validated, and stored
//! before they are acknowledged, so a sender that sees an error retries and nothing is lost), and
//! `/healthz`, `/readyz` and `/metrics` (Prometheus text).

use crate::domain::ports::InboxPut;
use crate::domain::{ApprovalState, TicketState};
use crate::pipeline::Pipeline;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The inbox key prefix of stored webhooks (the sweep re-processes them like chat events).
pub const HOOK_PREFIX: &str = "hook:";
/// Stripe events are keyed by their event id: a redelivery with another signature is still a duplicate.
pub const STRIPE_PREFIX: &str = "stripe:";

#[derive(Clone)]
struct Http {
    pipeline: Pipeline,
    /// The alert webhooks' bearer token; `None` refuses them all.
    token: Option<Arc<String>>,
    token_env: String,
    /// Sentry's client secret; `None` refuses Sentry's webhooks.
    sentry_secret: Option<Arc<String>>,
    sentry_env: String,
    /// Stripe's endpoint signing secret; `None` refuses Stripe's webhooks.
    stripe_secret: Option<Arc<String>>,
}

/// The secrets the hooks check, read from the environment by the caller.
#[derive(Clone, Default)]
pub struct HookSecrets {
    pub token: Option<String>,
    pub sentry: Option<String>,
    pub stripe: Option<String>,
}

impl HookSecrets {
    /// From the variables `[alerts]` names; empty counts as unset.
    pub fn from_env(s: &crate::config::Settings) -> HookSecrets {
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
        HookSecrets { token: var(&s.alerts.token_env), sentry: var(&s.alerts.sentry_secret_env), stripe: var(&s.finance.stripe_secret_env) }
    }
}

pub fn router(pipeline: Pipeline, secrets: HookSecrets) -> Router {
    let limit = pipeline.settings.http.max_body_bytes;
    let token_env = pipeline.settings.alerts.token_env.clone();
    let sentry_env = pipeline.settings.alerts.sentry_secret_env.clone();
    let state = Http {
        pipeline,
        token: secrets.token.map(Arc::new),
        token_env,
        sentry_secret: secrets.sentry.map(Arc::new),
        sentry_env,
        stripe_secret: secrets.stripe.map(Arc::new),
    };
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .route("/hooks/alertmanager", post(alertmanager))
        .route("/hooks/grafana", post(grafana))
        .route("/hooks/sentry", post(sentry))
        .route("/hooks/generic", post(generic))
        .route("/hooks/stripe", post(stripe))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// Serves until `stop` fires.
pub async fn serve(
    listener: tokio::net::TcpListener,
    pipeline: Pipeline,
    secrets: HookSecrets,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let app = router(pipeline, secrets);
    let shutdown = async move {
        let _ = stop.changed().await;
    };
    if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
        tracing::error!(error = %e, "the HTTP server stopped");
    }
}

fn refuse(status: StatusCode, why: impl Into<String>) -> Response {
    (status, format!("{}\n", why.into())).into_response()
}

async fn ready(State(h): State<Http>) -> Response {
    match h.pipeline.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => refuse(StatusCode::SERVICE_UNAVAILABLE, format!("database unreachable: {e}")),
    }
}

async fn metrics(State(h): State<Http>) -> Response {
    let s = &h.pipeline.store;
    let gather = async {
        let mut out = String::new();
        out.push_str(&format!("# TYPE opsdesk_outbox_undelivered gauge\nopsdesk_outbox_undelivered {}\n", s.outbox_depth().await?));
        let inbox = s.inbox_unprocessed(crate::clock::now(), 10_000).await?.len();
        out.push_str(&format!("# TYPE opsdesk_inbox_unprocessed gauge\nopsdesk_inbox_unprocessed {inbox}\n"));
        out.push_str("# TYPE opsdesk_tickets gauge\n");
        let counts = s.ticket_counts().await?;
        for st in TicketState::ALL {
            let n = counts.iter().find(|(c, _)| *c == st).map_or(0, |(_, n)| *n);
            out.push_str(&format!("opsdesk_tickets{{state=\"{st}\"}} {n}\n"));
        }
        let pending = s.approvals(&[ApprovalState::Pending], 10_000).await?.len();
        out.push_str(&format!("# TYPE opsdesk_approvals_pending gauge\nopsdesk_approvals_pending {pending}\n"));
        let firing = s.alert_groups(true, 100_000).await?.len();
        out.push_str(&format!("# TYPE opsdesk_alert_groups_firing gauge\nopsdesk_alert_groups_firing {firing}\n"));
        Ok::<String, crate::domain::ports::StoreError>(out)
    };
    match gather.await {
        Ok(text) => ([("content-type", "text/plain; version=0.0.4")], text).into_response(),
        Err(e) => refuse(StatusCode::SERVICE_UNAVAILABLE, format!("database unreachable: {e}")),
    }
}

async fn alertmanager(State(h): State<Http>, headers: HeaderMap, body: Bytes) -> Response {
    bearer_hook(h, "alertmanager", headers, body).await
}

async fn grafana(State(h): State<Http>, headers: HeaderMap, body: Bytes) -> Response {
    bearer_hook(h, "grafana", headers, body).await
}

async fn generic(State(h): State<Http>, headers: HeaderMap, body: Bytes) -> Response {
    bearer_hook(h, "generic", headers, body).await
}

/// Alertmanager, Grafana and generic senders present the bearer token.
async fn bearer_hook(h: Http, source: &str, headers: HeaderMap, body: Bytes) -> Response {
    let Some(token) = &h.token else {
        return refuse(StatusCode::UNAUTHORIZED, format!("alert webhooks are off: set ${} on the opsdesk side", h.token_env));
    };
    let presented = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if !presented.is_some_and(|p| constant_time_eq(p.as_bytes(), token.as_bytes())) {
        return refuse(StatusCode::UNAUTHORIZED, "missing or wrong bearer token");
    }
    accept(h, source, None, body).await
}

/// Sentry signs the body with the integration's client secret (`Sentry-Hook-Signature`, hex HMAC-SHA256).
async fn sentry(State(h): State<Http>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(secret) = &h.sentry_secret else {
        return refuse(StatusCode::UNAUTHORIZED, format!("Sentry webhooks are off: set ${} on the opsdesk side", h.sentry_env));
    };
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).map(str::to_string);
    let Some(sig) = header("sentry-hook-signature") else { return refuse(StatusCode::UNAUTHORIZED, "missing Sentry-Hook-Signature") };
    if !crate::alerts::sentry::verify(secret.as_bytes(), &body, &sig) {
        return refuse(StatusCode::UNAUTHORIZED, "Sentry-Hook-Signature does not match the body (wrong client secret?)");
    }
    let Some(resource) = header("sentry-hook-resource") else { return refuse(StatusCode::BAD_REQUEST, "missing Sentry-Hook-Resource") };
    if !crate::alerts::sentry::RESOURCES.contains(&resource.as_str()) {
        // Installation, comment and other resources: nothing to alert on; Sentry must not retry them.
        return (StatusCode::OK, format!("ignored: resource {resource:?} is not an alert\n")).into_response();
    }
    accept(h, "sentry", Some(&resource), body).await
}

/// Stripe: the signature is checked, the event stored under its id, then applied to the ledger.
async fn stripe(State(h): State<Http>, headers: HeaderMap, body: Bytes) -> Response {
    let f = &h.pipeline.settings.finance;
    let Some(secret) = &h.stripe_secret else {
        return refuse(StatusCode::UNAUTHORIZED, format!("Stripe webhooks are off: set ${} on the opsdesk side", f.stripe_secret_env));
    };
    let sig = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    let now = crate::clock::now();
    if let Err(e) = crate::finance::stripe::verify(sig, &body, secret.as_bytes(), now / 1000, f.signature_tolerance_secs) {
        return refuse(StatusCode::UNAUTHORIZED, e.to_string());
    }
    let event = match crate::finance::stripe::parse_event(&body) {
        Ok(e) => e,
        Err(why) => return refuse(StatusCode::BAD_REQUEST, why),
    };
    if let Err(why) = crate::finance::stripe::records(&event) {
        return refuse(StatusCode::BAD_REQUEST, format!("{} {}: {why}", event.kind, event.id));
    }
    let key = format!("{STRIPE_PREFIX}{}", event.id);
    match h.pipeline.store.inbox_put(&key, "stripe", &String::from_utf8_lossy(&body), now).await {
        Err(e) => return refuse(StatusCode::SERVICE_UNAVAILABLE, format!("not stored, try again: {e}")),
        Ok(InboxPut::Duplicate) => return (StatusCode::OK, "duplicate\n").into_response(),
        Ok(InboxPut::Unprocessed) => return (StatusCode::ACCEPTED, "stored\n").into_response(),
        Ok(InboxPut::New) => {}
    }
    let pipeline = h.pipeline.clone();
    tokio::spawn(async move {
        if let Err(e) = pipeline.on_stripe_event(&event, Some(key.clone()), crate::clock::now()).await {
            tracing::warn!(event = %key, error = %e, "Stripe event stored but not applied; the inbox sweep retries it");
        }
    });
    (StatusCode::ACCEPTED, "stored\n").into_response()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The inbox key of a stored webhook: `hook:<source>[/<resource>]:<sha256 of the body>`.
pub fn hook_key(source: &str, resource: Option<&str>, body: &[u8]) -> String {
    let digest: String = Sha256::digest(body).iter().map(|b| format!("{b:02x}")).collect();
    match resource {
        Some(r) => format!("{HOOK_PREFIX}{source}/{r}:{digest}"),
        None => format!("{HOOK_PREFIX}{source}:{digest}"),
    }
}

/// The source and resource a stored webhook's key names.
pub fn hook_source(key: &str) -> Option<(&str, Option<&str>)> {
    let (head, _) = key.strip_prefix(HOOK_PREFIX)?.rsplit_once(':')?;
    Some(head.split_once('/').map_or((head, None), |(s, r)| (s, Some(r))))
}

/// Validates, stores, answers, then processes: a failure to store is a 503 and the sender retries.
async fn accept(h: Http, source: &str, resource: Option<&str>, body: Bytes) -> Response {
    let batch = match crate::alerts::parse(source, resource, &body) {
        Ok(b) => b,
        Err(why) => return refuse(StatusCode::BAD_REQUEST, why),
    };
    let key = hook_key(source, resource, &body);
    let payload = String::from_utf8_lossy(&body);
    match h.pipeline.store.inbox_put(&key, source, &payload, crate::clock::now()).await {
        Err(e) => return refuse(StatusCode::SERVICE_UNAVAILABLE, format!("not stored, try again: {e}")),
        Ok(InboxPut::Duplicate) => return (StatusCode::OK, "duplicate\n").into_response(),
        // Stored by an earlier delivery and being processed (or left to the sweep after a crash).
        Ok(InboxPut::Unprocessed) => return (StatusCode::ACCEPTED, "stored\n").into_response(),
        Ok(InboxPut::New) => {}
    }
    let pipeline = h.pipeline.clone();
    tokio::spawn(async move {
        if let Err(e) = pipeline.on_alert_batch(&batch, Some(key.clone()), crate::clock::now()).await {
            tracing::warn!(webhook = %key, error = %e, "alert webhook stored but not processed; the inbox sweep retries it");
        }
    });
    (StatusCode::ACCEPTED, "stored\n").into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hook_keys_name_their_source_and_resource() {
        let k = super::hook_key("sentry", Some("issue"), b"{}");
        assert_eq!(super::hook_source(&k), Some(("sentry", Some("issue"))));
        assert_eq!(super::hook_source(&super::hook_key("grafana", None, b"{}")), Some(("grafana", None)));
        assert_eq!(super::hook_source("slack:C1:1.2"), None);
        assert!(
            super::constant_time_eq(b"abc", b"abc") && !super::constant_time_eq(b"abc", b"abd") && !super::constant_time_eq(b"ab", b"abc")
        );
    }
}
