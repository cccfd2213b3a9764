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

#[derive(Clone)]
struct Http {
    pipeline: Pipeline,
    /// The alert webhooks' bearer token; `None` refuses them all.
    token: Option<Arc<String>>,
    token_env: String,
}

pub fn router(pipeline: Pipeline, token: Option<String>) -> Router {
    let limit = pipeline.settings.http.max_body_bytes;
    let token_env = pipeline.settings.alerts.token_env.clone();
    let state = Http { pipeline, token: token.map(Arc::new), token_env };
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .route("/hooks/alertmanager", post(alertmanager))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// Serves until `stop` fires.
pub async fn serve(
    listener: tokio::net::TcpListener,
    pipeline: Pipeline,
    token: Option<String>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let app = router(pipeline, token);
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
    let Some(token) = &h.token else {
        return refuse(StatusCode::UNAUTHORIZED, format!("alert webhooks are off: set ${} on the opsdesk side", h.token_env));
    };
    let presented = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if presented != Some(token.as_str()) {
        return refuse(StatusCode::UNAUTHORIZED, "missing or wrong bearer token");
    }
    let batch = match crate::alerts::alertmanager::parse(&body) {
        Ok(b) => b,
        Err(why) => return refuse(StatusCode::BAD_REQUEST, why),
    };
    // Stored before the answer: a failure here is a 503 and Alertmanager sends it again.
    let digest: String = Sha256::digest(&body).iter().map(|b| format!("{b:02x}")).collect();
    let key = format!("{HOOK_PREFIX}alertmanager:{digest}");
    let now = crate::clock::now();
    let payload = String::from_utf8_lossy(&body);
    match h.pipeline.store.inbox_put(&key, "alertmanager", &payload, now).await {
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
