//! `/metrics` carries counters beside the gauges: webhook requests by hook and status, and events by
//! platform, kind and outcome, each with its `# HELP`. The recorder is the process's, so other tests
//! add to the same counters: values are checked as at least what this test caused.

use super::alerts::{fixture, get, post, serve, settings};
use crate::support;
use opsdesk::domain::EventKind;
use opsdesk::domain::ports::Store;
use std::sync::Arc;

/// The value of the series `name{labels}` in a Prometheus text page.
fn value(page: &str, series: &str) -> f64 {
    support::prom_value(page, series).unwrap_or_else(|| panic!("no {series} in:\n{page}"))
}

#[tokio::test]
async fn webhooks_and_events_are_counted() {
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let p = support::pipeline_with(store.clone(), settings()).await;
    let base = serve(p.clone(), Some("s3cret")).await;
    let hook = format!("{base}/hooks/alertmanager");
    assert_eq!(
        post(&hook, None, fixture("am-0.25-webhook-firing.json"))
            .await
            .0,
        401
    );
    let (ok, _) = post(
        &hook,
        Some("s3cret"),
        fixture("am-0.25-webhook-firing.json"),
    )
    .await;
    let ev = support::console_event(
        "m-metrics-1",
        "community",
        "ana",
        EventKind::MessagePosted {
            text: "How do I reset my password?".into(),
            mentioned: false,
        },
    );
    p.handle(ev, 0).await.expect("handled");

    let (status, page) = get(&format!("{base}/metrics")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("# HELP opsdesk_webhook_requests_total"),
        "{page}"
    );
    let denied = r#"opsdesk_webhook_requests_total{hook="alertmanager",status="401"}"#;
    assert!(value(&page, denied) >= 1.0);
    let stored = format!(r#"opsdesk_webhook_requests_total{{hook="alertmanager",status="{ok}"}}"#);
    assert!(value(&page, &stored) >= 1.0);
    let done = r#"opsdesk_events_total{platform="console",kind="message",outcome="done"}"#;
    assert!(value(&page, done) >= 1.0);
    assert!(
        page.contains("opsdesk_outbox_undelivered"),
        "the gauges stay: {page}"
    );
}
