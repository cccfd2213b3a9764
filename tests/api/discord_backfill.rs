//! The start-up backfill against the fake Discord: after a restart only the threads with something
//! past their cursor are read, a 429 on a read is waited out and tried again, and a customer's
//! follow-up posted while opsdesk was down is stored.

use crate::support;
use crate::support::discord::{FakeDiscord, TEXT};
use opsdesk::domain::Platform;
use opsdesk::domain::ports::Store;
use std::sync::Arc;

use super::discord::*;

/// The stored cursor of Discord channel `ch`.
async fn cursor(store: &Arc<dyn Store>, ch: u64) -> Option<i64> {
    store
        .cursor(Platform::Discord, &ch.to_string())
        .await
        .expect("cursor readable")
}

/// Waits (bounded) until the cursor of `ch` reaches `id`.
async fn cursor_reaches(store: &Arc<dyn Store>, ch: u64, id: u64) {
    for _ in 0..400 {
        if cursor(store, ch).await >= Some(id as i64) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "the cursor of {ch} never reached {id}: {:?}",
        cursor(store, ch).await
    );
}

/// Twelve answered tickets, each with its thread; returns the threads' ids.
async fn twelve_tickets(fake: &FakeDiscord, store: &Arc<dyn Store>) -> Vec<u64> {
    let ids: Vec<u64> = (0..12)
        .map(|_| fake.post(TEXT, CUSTOMER, QUESTION))
        .collect();
    fake.wait_until("12 answers", |f| f.all_answered(&ids))
        .await;
    settle(fake, store).await;
    ids
}

#[tokio::test]
async fn a_restart_reads_only_changed_threads_and_waits_out_429s() {
    let fake = FakeDiscord::start().await;
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let rt = start(&fake, store.clone()).await;
    let threads = twelve_tickets(&fake, &store).await;
    rt.stop().await;
    // A first restart reads each thread once (none had a cursor) and leaves a cursor on each.
    let rt = start(&fake, store.clone()).await;
    for t in &threads {
        let posts = fake.bot_posts_in(*t);
        let last: u64 = posts.last().expect("an answer").response["id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .expect("a message id");
        cursor_reaches(&store, *t, last).await;
    }
    settle(&fake, &store).await;
    rt.stop().await;

    let follow_ups = [
        fake.post(threads[3], CUSTOMER, "still stuck, the link expired"),
        fake.post(threads[8], CUSTOMER, "any news?"),
    ];
    fake.rate_limit_reads_every(2);
    let before = fake.reads_of().len();
    let rt = start(&fake, store.clone()).await;
    cursor_reaches(&store, threads[3], follow_ups[0]).await;
    cursor_reaches(&store, threads[8], follow_ups[1]).await;
    settle(&fake, &store).await;
    rt.stop().await;

    let reads = fake.reads_of()[before..].to_vec();
    let read_threads: Vec<u64> = threads
        .iter()
        .copied()
        .filter(|t| reads.contains(t))
        .collect();
    assert_eq!(
        read_threads,
        vec![threads[3], threads[8]],
        "reads: {reads:?}"
    );
    assert!(
        fake.calls()
            .iter()
            .any(|c| c.status == 429 && c.method == "GET"),
        "a read was rate limited"
    );
    assert_eq!(fake.violations(), Vec::<String>::new());
}
