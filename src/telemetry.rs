//! Logging (tracing to stderr, filtered by RUST_LOG, default `opsdesk=info,warn`, e-mails and card numbers
//! redacted from every line), the process-wide TLS set-up, and the metrics recorder behind `/metrics`.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Logs to stderr at `default` level (or RUST_LOG), as text or one JSON object per line.
pub fn init(default: &str, json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let writer = || crate::redact::RedactingWriter(std::io::stderr());
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_target(false);
    let _ = if json {
        b.json().try_init()
    } else {
        b.with_ansi(colour()).try_init()
    };
}

/// Colour only for a person at a terminal, and never when `NO_COLOR` is set (no-color.org).
fn colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Chooses rustls's ring provider for the whole process (more than one TLS stack is linked, so rustls
/// cannot pick by itself). Safe to call more than once.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The process's metrics recorder (the `metrics` crate's macros record into it), installed on first
/// use; `/metrics` renders it in Prometheus's text format after the gauges read from the database.
pub fn metrics() -> &'static metrics_exporter_prometheus::PrometheusHandle {
    static HANDLE: std::sync::OnceLock<metrics_exporter_prometheus::PrometheusHandle> =
        std::sync::OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new()
            .set_buckets(&[0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10.0])
            .expect("static buckets")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics shows the gauges only");
        }
        describe();
        handle
    })
}

/// `# HELP` for every counter and histogram opsdesk records.
fn describe() {
    use metrics::{describe_counter, describe_histogram};
    describe_counter!(
        "opsdesk_webhook_requests_total",
        "Webhook requests by hook and HTTP status"
    );
    describe_counter!(
        "opsdesk_events_total",
        "Chat and webhook events handled, by platform or source and outcome"
    );
    describe_counter!(
        "opsdesk_outbox_sends_total",
        "Outbound messages tried, by platform and result (delivered, rate_limited, retry, failed)"
    );
    describe_histogram!(
        "opsdesk_outbox_send_seconds",
        metrics::Unit::Seconds,
        "Time one platform call took to deliver a message"
    );
    describe_counter!(
        "opsdesk_slack_events_skipped_total",
        "Slack events left out, by reason: not_a_person, event_type, channel_without_role"
    );
    describe_counter!(
        "opsdesk_slack_frames_unparsable_total",
        "Socket Mode frames Slack sent that could not be parsed"
    );
    describe_counter!(
        "opsdesk_customer_messages_total",
        "Customer messages by triage tier (none, tier1, tier2, human) and what the desk did (ignored, silent, answered, escalated); spam is in opsdesk_events_total"
    );
    describe_counter!(
        "opsdesk_approval_steps_total",
        "Sign-off steps by kind and step (requested, approved, denied, expired, executed, failed, refused…)"
    );
    describe_counter!(
        "opsdesk_llm_calls_total",
        "LLM calls by agent and result (ok, error, timeout)"
    );
    describe_histogram!(
        "opsdesk_llm_call_seconds",
        metrics::Unit::Seconds,
        "Time one LLM call took, by agent"
    );
    describe_counter!(
        "opsdesk_llm_tokens_total",
        "LLM tokens by agent and kind (prompt, completion)"
    );
    describe_counter!(
        "opsdesk_llm_cost_micro_usd_total",
        "LLM cost by agent, in millionths of a US dollar (the configured prices)"
    );
}
