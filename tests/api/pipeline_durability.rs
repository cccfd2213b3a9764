//! Nothing lost, nothing twice: retention of processed events, one write per offline message,
//! events stored before a crash, and sends that fail or are rate-limited.

use crate::support;
use opsdesk::domain::Event;
use opsdesk::domain::ports::*;
use opsdesk::pipeline::Handled;
use std::sync::Arc;

use super::pipeline::*;

/// Processed events are kept for `store.inbox_retention_days`, so a redelivery within it is refused.
#[tokio::test]
async fn processed_events_are_pruned_after_their_retention() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    const DAY: i64 = 86_400_000;
    let q = message("r1", None, "cust", "How do I reset my password?");
    done(r.p.handle(q.clone(), DAY).await.unwrap());
    assert_eq!(
        r.p.prune_inbox(DAY * 45).await.unwrap(),
        0,
        "45 days of 45 kept"
    );
    assert_eq!(
        r.p.handle(q.clone(), DAY * 45).await.unwrap(),
        Handled::Duplicate
    );
    assert_eq!(r.p.prune_inbox(DAY * 46 + 1).await.unwrap(), 1);
    assert_eq!(
        r.p.store
            .inbox_put(&q.inbox_key(), "console", "{}", DAY * 47)
            .await
            .unwrap(),
        InboxPut::New,
        "forgotten"
    );
}

/// Offline, a customer's message is processed and then stored by the one commit that records its
/// outcome; anything else (or any message when an LLM is configured) is stored before processing.
#[tokio::test]
async fn customer_messages_offline_take_one_write_and_the_rest_two() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let q = message("w1", None, "cust", "How do I reset my password?");
    assert!(r.p.in_one_write(&q));
    let team = Event {
        channel: "escalations".into(),
        ..q.clone()
    };
    assert!(!r.p.in_one_write(&team), "not a customer channel");
    assert!(!r.p.in_one_write(&click("w2", "cust", "ticket.solved", "1", "m1")));
    let (groups, writes) = db.store.group_commit_stats();
    let o = done(r.p.handle(q.clone(), 10).await.unwrap());
    assert!(o.answer.is_some() && !o.outbox.is_empty());
    let (groups2, writes2) = db.store.group_commit_stats();
    assert_eq!(
        (groups2 - groups, writes2 - writes),
        (1, 1),
        "one transaction holding one write"
    );
    assert_eq!(
        r.p.store
            .inbox_put(&q.inbox_key(), "console", "{}", 11)
            .await
            .unwrap(),
        InboxPut::Duplicate
    );
    let mut with_llm = r.p.clone();
    let mut settings = opsdesk::config::Settings::builtin();
    settings.llm.agents.get_mut("tier1").unwrap().base_url = "http://127.0.0.1:9/v1".into();
    with_llm.llm = Some(Arc::new(
        opsdesk::llm::openai::OpenAiLlm::new(&settings.llm).unwrap(),
    ));
    assert!(
        !with_llm.in_one_write(&q),
        "an LLM's latency is worth storing the event first"
    );
}

#[tokio::test]
async fn events_stored_before_a_crash_are_processed_once_on_restart() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    // The adapter persisted (and acked) the event, then the process died before handling it.
    let ev = message("k1", None, "cust", "How do I invite a teammate?");
    r.p.store
        .inbox_put(
            &ev.inbox_key(),
            "console",
            &serde_json::to_string(&ev).unwrap(),
            5,
        )
        .await
        .unwrap();
    assert_eq!(r.p.recover(10, 10).await.unwrap(), 1);
    assert_eq!(r.p.recover(20, 20).await.unwrap(), 0, "processed once");
    r.sender.tick(30).await.unwrap();
    assert_eq!(r.chat.sent().len(), 1);
    assert!(r.chat.sent()[0].msg.reply.plain().contains("Invite"));
}

#[tokio::test]
async fn a_rate_limited_or_failing_send_is_retried_not_dropped() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    r.chat.fail_next.lock().unwrap().extend([
        SendError::RateLimited {
            retry_after_ms: 2000,
        },
        SendError::Transient("502".into()),
    ]);
    done(
        r.p.handle(
            message("r1", None, "cust", "How do I update my credit card?"),
            0,
        )
        .await
        .unwrap(),
    );
    assert_eq!(r.sender.tick(0).await.unwrap(), 1);
    assert_eq!(
        r.sender.tick(1999).await.unwrap(),
        0,
        "Retry-After is honoured"
    );
    assert_eq!(r.sender.tick(2000).await.unwrap(), 1);
    assert!(r.chat.sent().is_empty());
    assert_eq!(r.p.store.outbox_depth().await.unwrap(), 1);
    assert_eq!(
        r.sender.tick(2000 + 2000).await.unwrap(),
        1,
        "transient failure backs off and retries"
    );
    assert_eq!(r.chat.sent().len(), 1);
    assert_eq!(r.p.store.outbox_depth().await.unwrap(), 0);
}
