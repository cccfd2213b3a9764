//! `cargo bench --bench alerts`: alert webhooks on SQLite — HTTP ingest (stored before the 202) p50/p99 and
//! alerts/s, sequential and with 8 concurrent senders; the latency of a status change with 10,000 open
//! groups; and the chat calls a 10,000-alert storm in 1,000 groups costs, against Alertmanager's own
//! Slack receiver (one message per group notification). Prints a table; the README quotes it.
// A benchmark harness: a failed unwrap aborts the run, as a failed test would.
#![allow(clippy::unwrap_used)]

mod common;
use common::pct;

use async_trait::async_trait;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use opsdesk::config::{ChannelSettings, Settings};
use opsdesk::domain::alert::{AlertBatch, AlertItem};
use opsdesk::domain::ports::{ChatPlatform, Outbound, SendError, Store};
use opsdesk::domain::{ChannelRole, Platform};
use opsdesk::pipeline::Pipeline;
use opsdesk::sender::{Sender, quota};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn row(name: &str, n: usize, wall: Duration, mut lat: Vec<Duration>) {
    lat.sort();
    println!(
        "{name:<40} {n:>7} {:>10.0} {:>9.3} {:>9.3} {:>9.3}",
        n as f64 / wall.as_secs_f64(),
        pct(&lat, 0.50).as_secs_f64() * 1e3,
        pct(&lat, 0.99).as_secs_f64() * 1e3,
        lat.last().unwrap().as_secs_f64() * 1e3
    );
}

async fn build(budget: i64) -> (Pipeline, Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Settings::builtin();
    s.kb.path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/kb").into();
    s.prompts.path = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts").into();
    s.channels.push(ChannelSettings {
        platform: Platform::Slack,
        id: "CALERTS".into(),
        role: ChannelRole::Alerts,
    });
    s.alerts.new_cards_per_minute = budget;
    s.http.max_body_bytes = 1 << 20;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store: Arc<dyn Store> = Arc::new(opsdesk::app::open_store(&s, &url).await.unwrap());
    (
        opsdesk::app::pipeline(s, store.clone(), vec!["bench".into()])
            .await
            .unwrap(),
        store,
        dir,
    )
}

/// Alertmanager's webhook body for group `g`'s `n`-th notification (payload version 4).
fn body(g: usize, n: usize) -> Vec<u8> {
    let alerts: Vec<_> = (0..=n % 3)
        .map(|i| serde_json::json!({"status": "firing", "labels": {"alertname": format!("Bench{g}"), "instance": format!("i{i}")},
            "annotations": {"summary": format!("instance i{i} is slow")}, "fingerprint": format!("{g}-{i}"), "startsAt": "2026-11-26T00:00:00Z"}))
        .collect();
    serde_json::json!({"version": "4", "status": "firing", "receiver": "opsdesk", "groupKey": format!("{{}}:{{alertname=\"Bench{g}\",n=\"{n}\"}}"),
        "groupLabels": {"alertname": format!("Bench{g}")}, "commonLabels": {"alertname": format!("Bench{g}"), "severity": "warning"},
        "commonAnnotations": {}, "externalURL": "http://127.0.0.1:9093", "alerts": alerts})
    .to_string()
    .into_bytes()
}

async fn ingest(senders: usize, n: usize) {
    let (p, store, _dir) = build(1_000_000).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/hooks/alertmanager",
        listener.local_addr().unwrap()
    );
    let app = opsdesk::http::router(
        p,
        opsdesk::http::HookSecrets {
            token: Some("bench".into()),
            sentry: None,
            stripe: None,
        },
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client: Client<_, Full<bytes::Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let start = Instant::now();
    let tasks: Vec<_> = (0..senders)
        .map(|s| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(async move {
                let mut lat = vec![];
                for i in (s..n).step_by(senders) {
                    let req = http::Request::post(&url)
                        .header("authorization", "Bearer bench")
                        .body(Full::new(body(i % 1000, i).into()))
                        .unwrap();
                    let t = Instant::now();
                    let resp = client.request(req).await.unwrap();
                    assert_eq!(resp.status(), 202);
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut lat = vec![];
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let acked = start.elapsed();
    row(
        &format!("webhook ingest, {senders} sender(s): 202"),
        n,
        acked,
        lat,
    );
    while !store
        .inbox_unprocessed(i64::MAX, 1)
        .await
        .unwrap()
        .is_empty()
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let done = start.elapsed();
    println!(
        "{:<40} {n:>7} {:>10.0}   (until every stored webhook is applied to its group)",
        "  … applied",
        n as f64 / done.as_secs_f64()
    );
}

fn batch(g: usize, firing: bool, n: usize) -> AlertBatch {
    AlertBatch {
        source: "alertmanager".into(),
        group_key: format!("g{g}"),
        title: format!("Group{g}"),
        severity: ["critical", "warning", "info"][g % 3].into(),
        firing,
        alerts: (0..n)
            .map(|i| AlertItem {
                fingerprint: format!("{g}-{i}"),
                firing,
                summary: format!("alert {i}"),
            })
            .collect(),
        runbook_url: None,
        link: None,
        labels: [("alertname".to_string(), format!("Group{g}"))].into(),
        ended_at: None,
    }
}

async fn status_changes() {
    let (p, _store, _dir) = build(1_000_000).await;
    for g in 0..10_000 {
        p.on_alert_batch(&batch(g, true, 2), None, 1_000)
            .await
            .unwrap();
    }
    let mut lat = vec![];
    let start = Instant::now();
    for i in 0..2_000 {
        let g = (i * 7919) % 10_000;
        let t = Instant::now();
        p.on_alert_batch(&batch(g, i % 2 == 1, 2 + i % 3), None, 2_000 + i as i64)
            .await
            .unwrap();
        lat.push(t.elapsed());
    }
    row(
        "status change, 10,000 open groups",
        2_000,
        start.elapsed(),
        lat,
    );
}

struct Counting(AtomicUsize);

#[async_trait]
impl ChatPlatform for Counting {
    fn platform(&self) -> Platform {
        Platform::Slack
    }
    async fn send(&self, _: &Outbound, _: Option<&str>) -> Result<Option<String>, SendError> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Ok(Some(format!("m{n}")))
    }
}

async fn storm() {
    let (p, store, _dir) = build(10).await;
    let chat = Arc::new(Counting(AtomicUsize::new(0)));
    let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
    platforms.insert(Platform::Slack, chat.clone());
    let sender = Sender::new(store.clone(), platforms, "bench")
        .with_channel_limit(Platform::Slack, quota(1.0, 1));
    let start = 1_700_000_000_000i64;
    let wall = Instant::now();
    for i in 0..10_000usize {
        let now = start + i as i64 * 6;
        p.on_alert_batch(&batch(i % 1000, true, 1 + i / 1000), None, now)
            .await
            .unwrap();
        if (i + 1) % 166 == 0 {
            while sender.tick(now).await.unwrap() > 0 {}
        }
    }
    let in_storm = chat.0.load(Ordering::SeqCst);
    let mut now = start + 60_000;
    while store.outbox_depth().await.unwrap() > 0 {
        now += 1_000;
        sender.tick(now).await.unwrap();
    }
    let total = chat.0.load(Ordering::SeqCst);
    println!(
        "storm: 10,000 alerts / 1,000 groups / 60 s (simulated) → {in_storm} chat calls during it, {total} in all, drained {} s after; \
         {:.1} s of CPU for the whole storm. Alertmanager's Slack receiver: 1,000 messages for the groups' first notifications, \
         10,000 if each of the 10 notifications per group is sent.",
        (now - start - 60_000) / 1000,
        wall.elapsed().as_secs_f64()
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "{:<40} {:>7} {:>10} {:>9} {:>9} {:>9}",
        "scenario", "n", "per s", "p50 ms", "p99 ms", "max ms"
    );
    rt.block_on(async {
        ingest(1, 5_000).await;
        ingest(8, 5_000).await;
        status_changes().await;
        storm().await;
    });
}
