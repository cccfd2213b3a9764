//! Test support shared by the integration tests: databases (a temp SQLite file, or a fresh Postgres
//! database when TEST_DATABASE_URL is set), a recording chat platform, and pipeline builders.

#![allow(dead_code)]

pub mod app;
pub mod chat;
pub mod discord;
pub mod github;
pub mod openai;
pub mod slack;

use opsdesk::config::Settings;
use opsdesk::domain::ports::Store;
use opsdesk::pipeline::Pipeline;
use opsdesk::store::SqlStore;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A database for one test; Postgres databases are dropped by `cleanup`.
pub struct TestDb {
    pub store: SqlStore,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn cleanup(self) {
        if let Some((admin, name)) = self.pg {
            self.store.close().await;
            if let Ok(pool) = sqlx::AnyPool::connect(&admin).await {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                )))
                .execute(&pool)
                .await;
            }
        }
    }
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqlStore::connect(&url, 4, Duration::from_secs(5))
        .await
        .expect("sqlite store");
    TestDb {
        store,
        url,
        _dir: Some(dir),
        pg: None,
    }
}

static PG_SEQ: AtomicUsize = AtomicUsize::new(0);

/// A fresh Postgres database, or `None` (with the reason printed) when TEST_DATABASE_URL is unset.
pub async fn postgres() -> Option<TestDb> {
    let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("skipping the Postgres run: TEST_DATABASE_URL is not set");
        return None;
    };
    sqlx::any::install_default_drivers();
    let name = format!(
        "opsdesk_t_{}_{}_{}",
        std::process::id(),
        opsdesk::clock::now(),
        PG_SEQ.fetch_add(1, Ordering::SeqCst)
    );
    let pool = sqlx::AnyPool::connect(&admin)
        .await
        .expect("TEST_DATABASE_URL reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&pool)
        .await
        .expect("create test database");
    pool.close().await;
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .expect("TEST_DATABASE_URL names a database");
    let url = format!("{base}/{name}");
    let store = SqlStore::connect(&url, 4, Duration::from_secs(5))
        .await
        .expect("postgres store");
    Some(TestDb {
        store,
        url,
        _dir: None,
        pg: Some((admin, name)),
    })
}

/// Every backend this run can test: SQLite always, Postgres when configured.
pub async fn backends() -> Vec<TestDb> {
    let mut v = vec![sqlite().await];
    v.extend(postgres().await);
    v
}

/// The built-in settings with the repository's knowledge base and prompts.
pub fn settings() -> Settings {
    let mut s = Settings::builtin();
    s.kb.path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/kb").into();
    s.prompts.path = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts").into();
    s
}

/// An event on the console: `user` in `channel`, of `kind`.
pub fn console_event(
    id: &str,
    channel: &str,
    user: &str,
    kind: opsdesk::domain::EventKind,
) -> opsdesk::domain::Event {
    opsdesk::domain::Event {
        platform: opsdesk::domain::Platform::Console,
        id: id.into(),
        channel: channel.into(),
        thread: None,
        user: user.into(),
        user_name: None,
        roles: vec![],
        interaction: None,
        at: 0,
        kind,
    }
}

/// `/ops <args>` typed by `user` on the console.
pub fn ops_command(id: &str, user: &str, args: &str) -> opsdesk::domain::Event {
    console_event(
        id,
        "community",
        user,
        opsdesk::domain::EventKind::CommandInvoked {
            name: "ops".into(),
            args: args.into(),
        },
    )
}

pub async fn pipeline_with(store: Arc<dyn Store>, s: Settings) -> Pipeline {
    opsdesk::app::pipeline(s, store, vec!["console".into()])
        .await
        .expect("pipeline builds")
}

/// Waits until `cond` holds, re-checking whenever `changed` fires (and every 200 ms); after 30 s — a hang
/// guard, not a timing assertion — panics with `what` and the diagnosis `explain` gives.
pub async fn wait_for(
    what: &str,
    changed: &tokio::sync::Notify,
    cond: impl Fn() -> bool,
    explain: impl Fn() -> String,
) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let notified = changed.notified();
        if cond() {
            return;
        }
        if std::time::Instant::now() > deadline {
            panic!("timed out waiting for: {what}\n{}", explain());
        }
        let _ = tokio::time::timeout(Duration::from_millis(200), notified).await;
    }
}

/// Runs an approved action (the click already spawned it; this call may lose the race to start it) and
/// waits — a hang guard of a few seconds — until it has finished, executed or failed.
pub async fn finished(p: &Pipeline, id: i64) -> opsdesk::domain::Approval {
    use opsdesk::domain::ApprovalState;
    p.execute_approval(id).await.unwrap();
    for _ in 0..500 {
        let a = p.store.approval(id).await.unwrap().unwrap();
        if matches!(a.state, ApprovalState::Executed | ApprovalState::Failed) {
            return a;
        }
        tokio::time::sleep(Duration::from_millis(10)).await; // the executor runs in its own task
    }
    panic!("approval {id} never finished");
}

/// The value of the series `name{labels}` in a Prometheus text page, if it is there.
pub fn prom_value(page: &str, series: &str) -> Option<f64> {
    page.lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
}
