//! `cargo bench`: the customer pipeline (message in → reply persisted in the outbox) on SQLite with no
//! LLM — throughput and p50/p99 latency, sequential and with concurrent senders — plus triage and
//! knowledge-base search per call. Prints a table; the README quotes it.
// A benchmark harness: a failed unwrap aborts the run, as a failed test would.
#![allow(clippy::unwrap_used)]

mod common;
use common::event;
use common::pct;

use opsdesk::config::Settings;
use opsdesk::domain::ports::Store;
use opsdesk::pipeline::Pipeline;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn texts() -> Vec<String> {
    let raw = include_str!("../config/triage/holdout.jsonl");
    raw.lines()
        .filter_map(|l| {
            serde_json::from_str::<serde_json::Value>(l).ok()?["text"]
                .as_str()
                .map(String::from)
        })
        .collect()
}

fn row(name: &str, n: usize, wall: Duration, mut lat: Vec<Duration>) {
    lat.sort();
    println!(
        "{name:<34} {n:>7} {:>12.0} {:>10.3} {:>10.3} {:>10.3}",
        n as f64 / wall.as_secs_f64(),
        pct(&lat, 0.50).as_secs_f64() * 1e3,
        pct(&lat, 0.99).as_secs_f64() * 1e3,
        lat.last().unwrap().as_secs_f64() * 1e3
    );
}

async fn build() -> (Pipeline, opsdesk::store::SqlStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Settings::builtin();
    s.kb.path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/kb").into();
    s.kb.embeddings = concat!(env!("CARGO_MANIFEST_DIR"), "/config/vectors/wordllama").into();
    s.prompts.path = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts").into();
    // Another triage model file, for an A/B against the built-in one.
    if let Ok(model) = std::env::var("OPSDESK_BENCH_TRIAGE_MODEL") {
        s.triage.model = model;
    }
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = opsdesk::app::open_store(&s, &url).await.unwrap();
    let shared: Arc<dyn Store> = Arc::new(store.clone());
    (
        opsdesk::app::pipeline(s, shared, vec!["bench".into()])
            .await
            .unwrap(),
        store,
        dir,
    )
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let texts = texts();
    println!(
        "{:<34} {:>7} {:>12} {:>10} {:>10} {:>10}",
        "scenario", "n", "per second", "p50 ms", "p99 ms", "max ms"
    );
    rt.block_on(async {
        let (p, store, _dir) = build().await;
        one_sender(&p, &store, &texts).await;
        concurrent_senders(&p, &store, &texts).await;
        floors(&p, &store, &texts).await;
    });
    let t = Instant::now();
    let m = opsdesk::triage::Triager::default_model();
    println!(
        "default model load: {:.2} ms ({} features)",
        t.elapsed().as_secs_f64() * 1e3,
        m.feature_count()
    );
}

/// Writes per SQLite transaction since `since` (group commit at work).
fn groups(store: &opsdesk::store::SqlStore, since: (u64, u64)) -> String {
    let (b, j) = store.group_commit_stats();
    format!(
        "{:.2} writes per SQLite transaction",
        (j - since.1) as f64 / (b - since.0).max(1) as f64
    )
}

/// 300 messages to warm up, then 5,000 one after another.
async fn one_sender(p: &Pipeline, store: &opsdesk::store::SqlStore, texts: &[String]) {
    let mut i = 0;
    for _ in 0..300 {
        p.handle(event(i, &texts[i % texts.len()]), 0)
            .await
            .unwrap();
        i += 1;
    }
    let n = 5000;
    let mut lat = Vec::with_capacity(n);
    let mark = store.group_commit_stats();
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        p.handle(event(i, &texts[i % texts.len()]), 0)
            .await
            .unwrap();
        lat.push(t.elapsed());
        i += 1;
    }
    row("pipeline, 1 sender", n, start.elapsed(), lat);
    println!("  ({})", groups(store, mark));
}

/// 8 tasks sending 1,000 messages each at once.
async fn concurrent_senders(p: &Pipeline, store: &opsdesk::store::SqlStore, texts: &[String]) {
    let tasks = 8;
    let per = 1000;
    let mark = store.group_commit_stats();
    let start = Instant::now();
    let mut handles = vec![];
    for t in 0..tasks {
        let p = p.clone();
        let texts = texts.to_vec();
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per);
            for k in 0..per {
                let id = 1_000_000 + t * per + k;
                let s = Instant::now();
                p.handle(event(id, &texts[id % texts.len()]), 0)
                    .await
                    .unwrap();
                lat.push(s.elapsed());
            }
            lat
        }));
    }
    let mut lat = vec![];
    for h in handles {
        lat.extend(h.await.unwrap());
    }
    row(
        "pipeline, 8 concurrent senders",
        tasks * per,
        start.elapsed(),
        lat,
    );
    println!("  ({})", groups(store, mark));
}

/// What every message costs at least: a store round trip, triage, and the knowledge-base search.
async fn floors(p: &Pipeline, store: &opsdesk::store::SqlStore, texts: &[String]) {
    // One round trip to sqlx's SQLite connection thread.
    let n = 20_000;
    let mut lat = Vec::with_capacity(n);
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        sqlx::query("SELECT 1").execute(store.pool()).await.unwrap();
        lat.push(t.elapsed());
    }
    row("sqlx round trip (SELECT 1)", n, start.elapsed(), lat);

    let n = 20_000;
    let mut lat = Vec::with_capacity(n);
    let start = Instant::now();
    for k in 0..n {
        let t = Instant::now();
        std::hint::black_box(p.triager.triage(&texts[k % texts.len()]));
        lat.push(t.elapsed());
    }
    row("triage (model + rules), per call", n, start.elapsed(), lat);

    let n = 5_000;
    let mut lat = Vec::with_capacity(n);
    let bar = p.settings.kb.bar();
    let start = Instant::now();
    for k in 0..n {
        let t = Instant::now();
        let hits = p.kb.search(&texts[k % texts.len()], 5);
        std::hint::black_box(opsdesk::domain::answer::judge(hits, &bar));
        lat.push(t.elapsed());
    }
    row("kb search + answer decision", n, start.elapsed(), lat);
}
