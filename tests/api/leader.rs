//! One replica leads: the leader lease has one holder until it runs out (both backends), and on
//! Postgres two `opsdesk run` processes share one Discord gateway — the first holds it, and when it is
//! killed with SIGKILL the second opens it once the lease has run out.

use crate::support;
use crate::support::discord::FakeDiscord;
use opsdesk::domain::ports::Store;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[tokio::test]
async fn a_lease_has_one_holder_until_it_runs_out() {
    for db in support::backends().await {
        let s = &db.store;
        assert!(s.lease("leader", "a", 1000, 0).await.unwrap());
        assert!(
            !s.lease("leader", "b", 1000, 500).await.unwrap(),
            "a holds it"
        );
        assert!(
            s.lease("leader", "a", 1000, 900).await.unwrap(),
            "a renews until 1900"
        );
        assert!(!s.lease("leader", "b", 1000, 1500).await.unwrap());
        assert!(
            s.lease("leader", "b", 1000, 1900).await.unwrap(),
            "run out: b takes it"
        );
        assert!(!s.lease("leader", "a", 1000, 2000).await.unwrap());
        assert!(
            s.lease("other", "a", 1000, 2000).await.unwrap(),
            "leases are named"
        );
        s.lease_release("leader", "a").await.unwrap();
        assert!(
            !s.lease("leader", "a", 1000, 2001).await.unwrap(),
            "only the holder releases"
        );
        s.lease_release("leader", "b").await.unwrap();
        assert!(
            s.lease("leader", "a", 1000, 2002).await.unwrap(),
            "released: free at once"
        );
        db.cleanup().await;
    }
}

/// `opsdesk run` on `db_url`, connected to the fake Discord, with a 3-second leader lease.
fn replica(db_url: &str, fake: &FakeDiscord, log: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_opsdesk"))
        .args(["run", "--no-console", "--http", "127.0.0.1:0"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATABASE_URL", db_url)
        .env("DISCORD_TOKEN", "fake-token")
        .env("OPSDESK__DISCORD__API_URL", fake.api_url())
        .env("OPSDESK__DISCORD__GATEWAY_URL", fake.gateway_url())
        .env(
            "OPSDESK__DISCORD__GUILDS",
            format!("[{}]", support::discord::GUILD),
        )
        .env("OPSDESK__STORE__LEADER_LEASE_SECS", "3")
        .env_remove("SLACK_APP_TOKEN")
        .env_remove("SLACK_BOT_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

/// Who holds the leader lease now, by process id.
async fn leader_pid(db: &support::TestDb) -> Option<u32> {
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let holder: Option<String> =
        sqlx::query_scalar("SELECT holder FROM leases WHERE name = 'leader'")
            .fetch_optional(&pool)
            .await
            .unwrap();
    pool.close().await;
    holder.and_then(|h| h.split('-').nth(1)?.parse().ok())
}

/// Polls `check` every 100 ms for up to `max`.
async fn eventually(max: Duration, mut check: impl AsyncFnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + max;
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_leader_hands_the_discord_gateway_to_the_other_replica() {
    let Some(db) = support::postgres().await else {
        return;
    };
    let fake = FakeDiscord::start().await;
    let logs = tempfile::tempdir().unwrap();
    let (log_a, log_b) = (logs.path().join("a.log"), logs.path().join("b.log"));
    let show = |p: &std::path::Path| std::fs::read_to_string(p).unwrap_or_default();
    let mut a = replica(&db.url, &fake, &log_a);
    let a_leads = eventually(Duration::from_secs(30), async || {
        fake.identifies() == 1 && leader_pid(&db).await == Some(a.id())
    })
    .await;
    assert!(a_leads, "A never led:\n{}", show(&log_a));
    let mut b = replica(&db.url, &fake, &log_b);
    let b_up = eventually(Duration::from_secs(30), async || {
        show(&log_b).contains("opsdesk is running")
    })
    .await;
    assert!(b_up, "B never started:\n{}", show(&log_b));
    assert_eq!(fake.identifies(), 1, "B waits: one gateway for both");
    assert_eq!(leader_pid(&db).await, Some(a.id()));
    a.kill().unwrap(); // SIGKILL: the lease is left to run out
    a.wait().unwrap();
    let b_leads = eventually(Duration::from_secs(30), async || {
        fake.identifies() == 2 && leader_pid(&db).await == Some(b.id())
    })
    .await;
    assert!(b_leads, "B never took over:\n{}", show(&log_b));
    assert!(show(&log_b).contains("opening the Discord gateway"));
    Command::new("kill")
        .args(["-TERM", &b.id().to_string()])
        .status()
        .unwrap();
    assert!(b.wait().unwrap().success(), "{}", show(&log_b));
    assert_eq!(
        leader_pid(&db).await,
        None,
        "a clean stop gives the lease up"
    );
    db.cleanup().await;
}
