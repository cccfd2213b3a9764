//! The outbox sender's pacing: each channel gets its quota (governor), a platform's 429 pauses that
//! channel for its Retry-After, and what waits is deferred — not failed, not dropped, not counted as an
//! attempt.

use crate::support::{self, chat::RecordingChat};
use opsdesk::domain::ports::*;
use opsdesk::domain::{Platform, Reply};
use opsdesk::sender::{Sender, quota};
use std::collections::HashMap;
use std::sync::Arc;

fn post(channel: &str, text: &str) -> Outbound {
    Outbound {
        thread_title: None,
        platform: Platform::Slack,
        channel: channel.into(),
        thread: None,
        op: OutboundOp::Post,
        reply: Reply::text(text),
    }
}

async fn setup() -> (support::TestDb, Arc<dyn Store>, Arc<RecordingChat>, Sender) {
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let chat = Arc::new(RecordingChat::new(Platform::Slack));
    let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
    platforms.insert(Platform::Slack, chat.clone());
    // One message per 10 s per channel after a burst of 2: far slower than the test, so timing cannot matter.
    let sender = Sender::new(store.clone(), platforms, "t")
        .with_channel_limit(Platform::Slack, quota(0.1, 2));
    (db, store, chat, sender)
}

#[tokio::test]
async fn each_channel_gets_its_burst_then_waits() {
    let (_db, store, chat, sender) = setup().await;
    let mut outbox: Vec<Outbound> = (0..5).map(|i| post("C1", &format!("c1-{i}"))).collect();
    outbox.push(post("C2", "c2-0"));
    store
        .commit(Commit {
            outbox,
            now: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(sender.tick(1000).await.unwrap(), 6);
    let texts: Vec<String> = chat.sent().iter().map(|s| s.msg.reply.plain()).collect();
    assert_eq!(
        texts,
        ["c1-0", "c1-1", "c2-0"],
        "a burst of 2 in C1; C2 has its own budget"
    );
    assert_eq!(store.outbox_depth().await.unwrap(), 3, "the rest waits");
    assert!(
        store
            .outbox_claim("probe", 1000, 60_000, 10)
            .await
            .unwrap()
            .is_empty(),
        "not due yet"
    );
    let later = store
        .outbox_claim("probe", 1000 + 3_600_000, 60_000, 10)
        .await
        .unwrap();
    assert_eq!(later.len(), 3);
    assert!(
        later.iter().all(|i| i.attempts == 1),
        "waiting for the quota is not a failed attempt: {later:?}"
    );
}

#[tokio::test]
async fn a_429_pauses_the_channel_for_its_retry_after() {
    let (_db, store, chat, sender) = setup().await;
    store
        .commit(Commit {
            outbox: vec![post("C3", "a"), post("C3", "b"), post("C4", "c")],
            now: 0,
            ..Default::default()
        })
        .await
        .unwrap();
    chat.fail_next
        .lock()
        .unwrap()
        .push_back(SendError::RateLimited {
            retry_after_ms: 30_000,
        });
    sender.tick(0).await.unwrap();
    let sent: Vec<String> = chat.sent().iter().map(|s| s.msg.reply.plain()).collect();
    assert_eq!(sent, ["c"], "C3 is paused after its 429, C4 is not");
    assert!(
        store
            .outbox_claim("probe", 29_999, 60_000, 10)
            .await
            .unwrap()
            .is_empty(),
        "nothing for C3 before Retry-After"
    );
    let due = store
        .outbox_claim("probe", 30_000, 60_000, 10)
        .await
        .unwrap();
    assert_eq!(
        due.iter().map(|i| i.msg.reply.plain()).collect::<Vec<_>>(),
        ["a", "b"]
    );
}
