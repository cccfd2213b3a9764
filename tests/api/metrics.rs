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
    let asked = ["answered", "escalated"].iter().map(|o| {
        let series = format!(r#"opsdesk_customer_messages_total{{tier="tier1",outcome="{o}"}}"#);
        support::prom_value(&page, &series).unwrap_or(0.0)
    });
    assert!(asked.sum::<f64>() >= 1.0, "{page}");
}

struct Nothing;

#[async_trait::async_trait]
impl opsdesk::llm::ToolBox for Nothing {
    fn specs(&self) -> Vec<opsdesk::domain::ports::ToolSpec> {
        vec![]
    }

    async fn call(&self, _: &str, _: &str) -> String {
        String::new()
    }
}

#[tokio::test]
async fn llm_calls_are_counted_with_tokens_cost_and_latency() {
    use crate::support::openai::{FakeOpenAi, Step};
    use opsdesk::domain::ports::LlmMessage;
    opsdesk::telemetry::install_tls_provider();
    let handle = opsdesk::telemetry::metrics();
    let fake = FakeOpenAi::start(vec![Step::Answer("Done.")]).await;
    let mut s = opsdesk::config::Settings::builtin();
    let a = s.llm.agents.get_mut("summary").unwrap();
    a.base_url = fake.base_url.clone();
    a.model = "gpt-test".into();
    a.api_key_env = "PATH".into();
    a.price_in_micro_usd_per_mtok = 1_000_000;
    let llm = opsdesk::llm::OpenAiLlm::new(&s.llm).unwrap();
    let ask = vec![LlmMessage::new("user", "Sum this up.")];
    opsdesk::llm::run_tools(&llm, "summary", ask, &Nothing, 2)
        .await
        .unwrap();
    let page = handle.render();
    let ok = r#"opsdesk_llm_calls_total{agent="summary",result="ok"}"#;
    assert!(value(&page, ok) >= 1.0, "{page}");
    let prompt = r#"opsdesk_llm_tokens_total{agent="summary",kind="prompt"}"#;
    assert!(value(&page, prompt) >= 1.0, "{page}");
    assert!(value(&page, r#"opsdesk_llm_call_seconds_count{agent="summary"}"#) >= 1.0);
    assert!(
        page.contains("# HELP opsdesk_llm_cost_micro_usd_total"),
        "{page}"
    );
}
