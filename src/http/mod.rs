//! The HTTP side of `opsdesk run`: alert and Stripe webhooks (authenticated, size-limited, validated, and stored
//! before they are acknowledged, so a sender that sees an error retries and nothing is lost), and
//! `/healthz`, `/readyz` and `/metrics` (Prometheus text).

mod body;
mod hooks;
mod serve;
pub use hooks::hook_key;
pub use serve::{Limits, serve_hardened};

use crate::domain::TicketState;
use crate::domain::ports::InboxPut;
use crate::pipeline::Pipeline;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use secrecy::SecretString;
use std::sync::Arc;

#[derive(Clone)]
pub(crate) struct Http {
    pipeline: Pipeline,
    /// The alert webhooks' bearer token; `None` refuses them all.
    token: Option<Arc<SecretString>>,
    token_env: String,
    /// Sentry's client secret; `None` refuses Sentry's webhooks.
    sentry_secret: Option<Arc<SecretString>>,
    sentry_env: String,
    /// Stripe's endpoint signing secret; `None` refuses Stripe's webhooks.
    stripe_secret: Option<Arc<SecretString>>,
    /// Bodies read before they can be authenticated (signed hooks), at most this many at once.
    signed_reads: Arc<tokio::sync::Semaphore>,
}

/// The secrets the hooks check, read from the environment by the caller.
/// `Debug` prints them redacted.
#[derive(Clone, Debug, Default)]
pub struct HookSecrets {
    pub token: Option<SecretString>,
    pub sentry: Option<SecretString>,
    pub stripe: Option<SecretString>,
}

impl HookSecrets {
    /// From the variables `[alerts]` names; empty counts as unset.
    pub fn from_env(s: &crate::config::Settings) -> HookSecrets {
        use crate::config::secret;
        HookSecrets {
            token: secret(&s.alerts.token_env),
            sentry: secret(&s.alerts.sentry_secret_env),
            stripe: secret(&s.finance.stripe_secret_env),
        }
    }
}

pub fn router(pipeline: Pipeline, secrets: HookSecrets) -> Router {
    let signed_reads = pipeline.settings.http.max_signed_reads.max(1);
    let token_env = pipeline.settings.alerts.token_env.clone();
    let sentry_env = pipeline.settings.alerts.sentry_secret_env.clone();
    let state = Http {
        pipeline,
        token: secrets.token.map(Arc::new),
        token_env,
        sentry_secret: secrets.sentry.map(Arc::new),
        sentry_env,
        stripe_secret: secrets.stripe.map(Arc::new),
        signed_reads: Arc::new(tokio::sync::Semaphore::new(signed_reads)),
    };
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .route("/hooks/alertmanager", post(hooks::alertmanager))
        .route("/hooks/grafana", post(hooks::grafana))
        .route("/hooks/sentry", post(hooks::sentry))
        .route("/hooks/generic", post(hooks::generic))
        .route("/hooks/stripe", post(hooks::stripe))
        .route_layer(axum::middleware::from_fn(count_hook))
        .with_state(state)
}

/// Counts each webhook request by hook and the status it got (`opsdesk_webhook_requests_total`).
async fn count_hook(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let hook = req.uri().path().strip_prefix("/hooks/").map(str::to_string);
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    if let Some(hook) = hook {
        let status = resp.status().as_u16();
        tracing::info!(%hook, status, duration_ms = started.elapsed().as_millis() as u64, "webhook");
        metrics::counter!(
            "opsdesk_webhook_requests_total",
            "hook" => hook,
            "status" => status.to_string()
        )
        .increment(1);
    }
    resp
}

/// Serves until `stop` fires, within the limits `[http]` sets.
pub async fn serve(
    listener: tokio::net::TcpListener,
    pipeline: Pipeline,
    secrets: HookSecrets,
    stop: tokio::sync::watch::Receiver<bool>,
) {
    let h = &pipeline.settings.http;
    let limits = Limits {
        max_connections: h.max_connections,
        header_timeout: std::time::Duration::from_secs(h.header_timeout_secs.max(1)),
    };
    serve_hardened(listener, router(pipeline, secrets), limits, stop).await
}

pub(crate) fn refuse(status: StatusCode, why: impl Into<String>) -> Response {
    (status, format!("{}\n", why.into())).into_response()
}

/// Ready or not; why not goes to the log, not to whoever asks.
async fn ready(State(h): State<Http>) -> Response {
    match h.pipeline.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: the database is unreachable");
            refuse(StatusCode::SERVICE_UNAVAILABLE, "not ready")
        }
    }
}

async fn metrics(State(h): State<Http>) -> Response {
    let s = &h.pipeline.store;
    let gather = async {
        let g = s.gauges().await?;
        let mut out = String::new();
        for (name, v) in [
            ("opsdesk_outbox_undelivered", g.outbox_undelivered),
            ("opsdesk_inbox_unprocessed", g.inbox_unprocessed),
        ] {
            out.push_str(&format!("# TYPE {name} gauge\n{name} {v}\n"));
        }
        out.push_str("# TYPE opsdesk_tickets gauge\n");
        let counts = s.ticket_counts().await?;
        for st in TicketState::ALL {
            let n = counts.iter().find(|(c, _)| *c == st).map_or(0, |(_, n)| *n);
            out.push_str(&format!("opsdesk_tickets{{state=\"{st}\"}} {n}\n"));
        }
        for (name, v) in [
            ("opsdesk_approvals_pending", g.approvals_pending),
            ("opsdesk_alert_groups_firing", g.alert_groups_firing),
        ] {
            out.push_str(&format!("# TYPE {name} gauge\n{name} {v}\n"));
        }
        Ok::<String, crate::domain::ports::StoreError>(out)
    };
    match gather.await {
        Ok(mut text) => {
            text.push_str(&crate::telemetry::metrics().render());
            ([("content-type", "text/plain; version=0.0.4")], text).into_response()
        }
        Err(e) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database unreachable: {e}"),
        ),
    }
}

/// Stores a validated webhook under `key`, answers, then runs `work` on it: a failure to store is a 503
/// (the sender retries); a body seen before is a 200 `duplicate`; one stored by an earlier delivery and
/// not yet processed is left to that delivery (or to the sweep after a crash).
async fn store_then<F, Fut>(h: &Http, key: String, source: &str, body: &[u8], work: F) -> Response
where
    F: FnOnce(Pipeline, String) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    match h
        .pipeline
        .store
        .inbox_put(
            &key,
            source,
            &String::from_utf8_lossy(body),
            crate::clock::now(),
        )
        .await
    {
        Err(e) => {
            return refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not stored, try again: {e}"),
            );
        }
        Ok(InboxPut::Duplicate) => return (StatusCode::OK, "duplicate\n").into_response(),
        Ok(InboxPut::Unprocessed) => return (StatusCode::ACCEPTED, "stored\n").into_response(),
        Ok(InboxPut::New) => {}
    }
    tokio::spawn(work(h.pipeline.clone(), key));
    (StatusCode::ACCEPTED, "stored\n").into_response()
}
