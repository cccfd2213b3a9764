//! `cargo bench --bench replicas` (needs `TEST_DATABASE_URL`, e.g. postgres://postgres@127.0.0.1:5432/test):
//! one replica against two on one Postgres database — customer messages (8 senders, spread over the
//! replicas) and alert webhooks through each replica's HTTP server (8 senders) — each replica its own
//! pipeline and connection pool in this process. Prints a table; docs/benchmarks.md quotes it.
// A benchmark harness: a failed unwrap aborts the run, as a failed test would.
#![allow(clippy::unwrap_used)]

mod common;
use common::{event, pct};

use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use opsdesk::config::{ChannelSettings, Settings};
use opsdesk::domain::ports::Store;
use opsdesk::domain::{ChannelRole, Platform};
use opsdesk::pipeline::Pipeline;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SENDERS: usize = 8;

fn row(name: &str, n: usize, wall: Duration, mut lat: Vec<Duration>) {
    lat.sort();
    println!(
        "{name:<44} {n:>6} {:>9.0} {:>8.2} {:>8.2}",
        n as f64 / wall.as_secs_f64(),
        pct(&lat, 0.50).as_secs_f64() * 1e3,
        pct(&lat, 0.99).as_secs_f64() * 1e3,
    );
}

/// A fresh database on the server `admin` names.
async fn fresh_db(admin: &str, name: &str) -> String {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(admin).await.unwrap();
    for q in [
        format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        format!("CREATE DATABASE \"{name}\""),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(q))
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
    format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
}

/// `n` replicas (pipelines, each with its own pool) on the database at `url`.
async fn replicas(url: &str, n: usize) -> Vec<(Pipeline, Arc<dyn Store>)> {
    let mut out = vec![];
    for _ in 0..n {
        let mut s = Settings::builtin();
        s.kb.path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/kb").into();
        s.prompts.path = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts").into();
        s.alerts.new_cards_per_minute = 1_000_000;
        s.channels.push(ChannelSettings {
            platform: Platform::Slack,
            id: "CALERTS".into(),
            role: ChannelRole::Alerts,
        });
        let store: Arc<dyn Store> = Arc::new(opsdesk::app::open_store(&s, url).await.unwrap());
        let p = opsdesk::app::pipeline(s, store.clone(), vec!["bench".into()])
            .await
            .unwrap();
        out.push((p, store));
    }
    out
}

/// Runs `sender(k)` for k in 0..8 at once; every latency they measured.
async fn in_parallel<F, Fut>(sender: F) -> Vec<Duration>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Vec<Duration>> + Send + 'static,
{
    let tasks: Vec<_> = (0..SENDERS).map(|k| tokio::spawn(sender(k))).collect();
    let mut lat = vec![];
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    lat
}

/// 8 senders, 500 customer messages each, sender `k` on replica `k % n`.
async fn messages(reps: &[(Pipeline, Arc<dyn Store>)], label: &str) {
    let texts: Vec<String> = include_str!("../config/triage/holdout.jsonl")
        .lines()
        .filter_map(|l| {
            serde_json::from_str::<serde_json::Value>(l).ok()?["text"]
                .as_str()
                .map(String::from)
        })
        .collect();
    let per = 500;
    let start = Instant::now();
    let lat = in_parallel(|k| {
        let p = reps[k % reps.len()].0.clone();
        let texts = texts.clone();
        async move {
            let mut lat = vec![];
            for i in 0..per {
                let id = k * per + i;
                let t = Instant::now();
                p.handle(event(id, &texts[id % texts.len()]), 0)
                    .await
                    .unwrap();
                lat.push(t.elapsed());
            }
            lat
        }
    })
    .await;
    row(
        &format!("customer messages, {label}"),
        SENDERS * per,
        start.elapsed(),
        lat,
    );
}

/// Alertmanager's webhook body for group `g`'s `n`-th notification.
fn body(g: usize, n: usize) -> Vec<u8> {
    serde_json::json!({"version": "4", "status": "firing", "receiver": "opsdesk",
        "groupKey": format!("{{}}:{{alertname=\"Bench{g}\"}}"), "groupLabels": {"alertname": format!("Bench{g}")},
        "commonLabels": {"alertname": format!("Bench{g}"), "severity": "warning"}, "commonAnnotations": {},
        "externalURL": "http://127.0.0.1:9093",
        "alerts": [{"status": "firing", "labels": {"alertname": format!("Bench{g}"), "instance": format!("i{}", n % 3)},
            "annotations": {"summary": format!("slow ({n})")}, "fingerprint": format!("{g}-{}", n % 3), "startsAt": "2026-11-26T00:00:00Z"}]})
    .to_string()
    .into_bytes()
}

/// 8 senders, 4,000 alert webhooks to the replicas' HTTP servers in turn; then until all are applied.
async fn alerts(reps: &[(Pipeline, Arc<dyn Store>)], label: &str) {
    let mut urls = vec![];
    for (p, _) in reps {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        urls.push(format!(
            "http://{}/hooks/alertmanager",
            listener.local_addr().unwrap()
        ));
        let secrets = opsdesk::http::HookSecrets {
            token: Some("bench".into()),
            sentry: None,
            stripe: None,
        };
        let app = opsdesk::http::router(p.clone(), secrets);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    }
    let client: Client<_, Full<bytes::Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let n = 4000;
    let start = Instant::now();
    let lat = in_parallel(|s| {
        let (client, url) = (client.clone(), urls[s % urls.len()].clone());
        async move {
            let mut lat = vec![];
            for i in (s..n).step_by(SENDERS) {
                let req = http::Request::post(&url)
                    .header("authorization", "Bearer bench")
                    .body(Full::new(body(i % 500, i).into()))
                    .unwrap();
                let t = Instant::now();
                assert_eq!(client.request(req).await.unwrap().status(), 202);
                lat.push(t.elapsed());
            }
            lat
        }
    })
    .await;
    row(
        &format!("alert webhooks to the 202, {label}"),
        n,
        start.elapsed(),
        lat,
    );
    let store = &reps[0].1;
    while !store
        .inbox_unprocessed(i64::MAX, 1)
        .await
        .unwrap()
        .is_empty()
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let applied = n as f64 / start.elapsed().as_secs_f64();
    println!(
        "{:<44} {n:>6} {applied:>9.0}",
        "  … until every one is applied"
    );
}

fn main() {
    let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
        println!(
            "skipped: set TEST_DATABASE_URL to a Postgres server (trust auth) to compare replicas"
        );
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "{:<44} {:>6} {:>9} {:>8} {:>8}",
        "scenario", "n", "per s", "p50 ms", "p99 ms"
    );
    rt.block_on(async {
        for n in [1, 2] {
            let label = if n == 1 { "1 replica" } else { "2 replicas" };
            let url = fresh_db(&admin, &format!("opsdesk_bench_replicas_{n}")).await;
            let reps = replicas(&url, n).await;
            messages(&reps, label).await;
            alerts(&reps, label).await;
        }
    });
}
