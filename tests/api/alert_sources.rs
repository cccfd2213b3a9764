//! Grafana, Sentry and generic alert webhooks: every stored body parses into the right group, and each
//! hook authenticates (bearer token, or Sentry's HMAC signature), validates and stores before answering.

use super::alerts::{fixture, post, post_with, serve, settings, wait_processed};
use crate::support;
use hmac::{Hmac, KeyInit, Mac};
use opsdesk::alerts::parse;
use opsdesk::domain::ports::*;
use std::sync::Arc;

fn sentry_sig(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_grafana_body_parses_into_a_group() {
    let g = parse(
        "grafana",
        None,
        &fixture("grafana/grafana_webhook_firing_docs_example.json"),
    )
    .unwrap();
    assert_eq!(
        (
            g.source.as_str(),
            g.group_key.as_str(),
            g.firing,
            g.alerts.len()
        ),
        ("grafana", "{}:{}", true, 2)
    );
    assert_eq!(g.labels.get("team").map(String::as_str), Some("blue"));
    assert_eq!(
        g.alerts[0].summary,
        "This alert was triggered for zone us-1"
    );
    assert_eq!(
        g.runbook_url.as_deref(),
        Some("https://myrunbook.com/runbook/1234")
    );
}

#[test]
fn sentry_bodies_parse_into_one_group_per_issue() {
    let issue = parse(
        "sentry",
        Some("issue"),
        &fixture("sentry/issue_created.json"),
    )
    .unwrap();
    assert_eq!(
        (
            issue.group_key.as_str(),
            issue.severity.as_str(),
            issue.firing
        ),
        ("issue:1170820242", "error", true)
    );
    assert_eq!(issue.title, "ReferenceError: blooopy is not defined");
    assert_eq!(
        issue.labels.get("project").map(String::as_str),
        Some("front-end")
    );
    // The issue's error event lands in the same group as the issue.
    let error = parse(
        "sentry",
        Some("error"),
        &fixture("sentry/error_created.json"),
    )
    .unwrap();
    assert_eq!(error.group_key, issue.group_key);
    assert!(error.link.as_deref().is_some_and(|l| {
        l.starts_with("https://sentry.io/organizations/test-org/issues/1170820242")
    }));
    let rule = parse(
        "sentry",
        Some("event_alert"),
        &fixture("sentry/event_alert_triggered.json"),
    )
    .unwrap();
    assert_eq!(
        rule.title,
        "Very Important Alert Rule!: ReferenceError: heck is not defined"
    );
    assert_eq!(rule.group_key, "issue:1117540176");
    let metric = parse(
        "sentry",
        Some("metric_alert"),
        &fixture("sentry/metric_alert_resolved.json"),
    )
    .unwrap();
    assert_eq!(
        (
            metric.group_key.as_str(),
            metric.title.as_str(),
            metric.firing
        ),
        ("metric_alert:4", "Too many errors", false)
    );
    assert_eq!(
        metric.alerts[0].summary,
        "1000 events in the last 10 minutes Filter: level:error"
    );
}

#[tokio::test]
async fn sentry_is_checked_by_its_signature_and_others_by_the_bearer_token() {
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let p = support::pipeline_with(store.clone(), settings()).await;
    let base = serve(p.clone(), Some("s3cret")).await;
    let body = fixture("sentry/issue_created.json");
    sentry_needs_its_signature_and_a_known_resource(&base, &body).await;
    grafana_and_generic_need_the_bearer_token(&base).await;
    wait_processed(&store).await;
    let mut sources: Vec<String> = store
        .alert_groups(false, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.source)
        .collect();
    sources.sort();
    assert_eq!(sources, ["generic", "grafana", "sentry"]);
    // A stored Sentry webhook names its resource, so the recovery sweep can parse it again.
    let key = opsdesk::http::hook_key("sentry", Some("issue"), &body);
    assert_eq!(
        store.inbox_put(&key, "sentry", "", 0).await.unwrap(),
        InboxPut::Duplicate
    );
}

async fn sentry_needs_its_signature_and_a_known_resource(base: &str, body: &[u8]) {
    let hook = format!("{base}/hooks/sentry");
    let good = sentry_sig(super::alerts::SENTRY_SECRET, body);
    let h = |sig: &str, res: &str| {
        vec![
            ("sentry-hook-signature", sig.to_string()),
            ("sentry-hook-resource", res.to_string()),
        ]
    };

    let (status, text) = post_with(
        &hook,
        &[("sentry-hook-resource", "issue".into())],
        body.to_vec(),
    )
    .await;
    assert!(
        status == 401 && text.contains("missing Sentry-Hook-Signature"),
        "{text}"
    );
    let (status, text) = post_with(
        &hook,
        &h(&sentry_sig("wrong-secret", body), "issue"),
        body.to_vec(),
    )
    .await;
    assert!(status == 401 && text.contains("does not match"), "{text}");
    // A bearer token is no substitute for the signature.
    assert_eq!(post(&hook, Some("s3cret"), body.to_vec()).await.0, 401);
    let (status, text) = post_with(&hook, &h(&good, "installation"), body.to_vec()).await;
    assert!(status == 200 && text.contains("ignored"), "{text}");
    let broken = br#"{"action":"created","data":{"issue":{}}}"#.to_vec();
    let (status, text) = post_with(
        &hook,
        &h(&sentry_sig(super::alerts::SENTRY_SECRET, &broken), "issue"),
        broken,
    )
    .await;
    assert!(
        status == 400 && text.contains("missing field `issue.id`"),
        "{text}"
    );
    assert_eq!(
        post_with(&hook, &h(&good, "issue"), body.to_vec()).await.0,
        202
    );
}

async fn grafana_and_generic_need_the_bearer_token(base: &str) {
    let grafana = format!("{base}/hooks/grafana");
    assert_eq!(
        post(
            &grafana,
            Some("wrong"),
            fixture("grafana/grafana_webhook_firing_docs_example.json")
        )
        .await
        .0,
        401
    );
    assert_eq!(
        post(
            &grafana,
            Some("s3cret"),
            fixture("grafana/grafana_webhook_firing_docs_example.json")
        )
        .await
        .0,
        202
    );
    let generic = format!("{base}/hooks/generic");
    let (status, text) = post(&generic, Some("s3cret"), br#"{"status":"firing"}"#.to_vec()).await;
    assert!(
        status == 400 && text.contains("missing field `title`"),
        "{text}"
    );
    let backup =
        br#"{"title":"Nightly backup failed","severity":"critical","labels":{"service":"db"}}"#
            .to_vec();
    assert_eq!(post(&generic, Some("s3cret"), backup).await.0, 202);
}
