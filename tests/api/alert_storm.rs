//! An alert storm on a simulated clock: 10,000 alerts in 1,000 groups over 60 s into one channel. Every
//! webhook is stored and applied; the channel gets its budget of new cards and one storm card holding the
//! rest; the chat calls keep to the channel's rate limit; edits of one card supersede each other.

use super::alerts::settings;
use crate::support::{
    self,
    chat::{RecordingChat, Sent},
};
use opsdesk::domain::alert::{AlertBatch, AlertItem};
use opsdesk::domain::ports::*;
use opsdesk::domain::{Platform, Reply};
use opsdesk::pipeline::Pipeline;
use opsdesk::sender::{Sender, quota};
use std::collections::HashMap;
use std::sync::Arc;

pub(crate) const GROUPS: usize = 1_000;
pub(crate) const ALERTS: usize = 10_000;

/// Group `g`'s `n`-th notification: Alertmanager resends the whole group, now with `n + 1` alerts firing.
pub(crate) fn batch(g: usize, n: usize) -> AlertBatch {
    let severity = ["critical", "warning", "info"][g % 3];
    AlertBatch {
        source: "alertmanager".into(),
        group_key: format!("{{}}:{{alertname=\"Storm{g}\"}}"),
        title: format!("Storm{g}"),
        severity: severity.into(),
        firing: true,
        alerts: (0..=n)
            .map(|i| AlertItem {
                fingerprint: format!("{g}-{i}"),
                firing: true,
                summary: format!("instance {i}"),
            })
            .collect(),
        runbook_url: None,
        link: None,
        labels: [
            ("alertname".to_string(), format!("Storm{g}")),
            ("severity".to_string(), severity.to_string()),
        ]
        .into(),
        ended_at: None,
    }
}

#[tokio::test]
async fn a_storm_folds_into_one_card_within_the_channel_limit_and_loses_nothing() {
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let mut s = settings();
    s.alerts.new_cards_per_minute = 10;
    let p = support::pipeline_with(store.clone(), s).await;
    let chat = Arc::new(RecordingChat::new(Platform::Slack));
    let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
    platforms.insert(Platform::Slack, chat.clone());
    // Slack's posting limit: about one message per second per channel.
    let sender = Sender::new(store.clone(), platforms, "t")
        .with_channel_limit(Platform::Slack, quota(1.0, 1));

    let start: i64 = 1_700_000_000_000;
    let calls_per_second = storm(&p, &store, &chat, &sender, start).await;
    let during = chat.sent().len();
    assert!(
        calls_per_second.iter().all(|n| *n <= 1),
        "one call per second at most: {calls_per_second:?}"
    );
    assert!(during <= 61, "{during} chat calls in 60 s");
    nothing_is_lost(&db, &store).await;
    // Drain at the channel's pace (simulated), then read what the channel shows.
    let mut now = start + 60_000;
    while store.outbox_depth().await.unwrap() > 0 {
        now += 1_000;
        sender.tick(now).await.unwrap();
        assert!(now < start + 3_600_000, "the outbox drains");
    }
    the_storm_card_counts_what_was_held_back(&chat.sent());
}

/// 10,000 alerts over 60 s, the outbox ticked every simulated second: chat calls per second.
async fn storm(
    p: &Pipeline,
    store: &Arc<dyn Store>,
    chat: &RecordingChat,
    sender: &Sender,
    start: i64,
) -> Vec<usize> {
    let mut calls_per_second = vec![];
    for i in 0..ALERTS {
        let now = start + (i as i64) * 60_000 / ALERTS as i64;
        let b = batch(i % GROUPS, i / GROUPS);
        let key = format!("hook:alertmanager:storm-{i}");
        assert_eq!(
            store
                .inbox_put(&key, "alertmanager", "{}", now)
                .await
                .unwrap(),
            InboxPut::New
        );
        p.on_alert_batch(&b, Some(key), now).await.unwrap();
        if (i + 1) % (ALERTS / 60) == 0 {
            let before = chat.sent().len();
            while sender.tick(now).await.unwrap() > 0 {}
            calls_per_second.push(chat.sent().len() - before);
        }
    }
    calls_per_second
}

/// Nothing lost: every webhook stored and applied; every group held with all its alerts.
async fn nothing_is_lost(db: &support::TestDb, store: &Arc<dyn Store>) {
    assert!(
        store
            .inbox_unprocessed(i64::MAX, 1)
            .await
            .unwrap()
            .is_empty()
    );
    let stored: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM inbox WHERE key LIKE 'hook:%' AND processed_at IS NOT NULL",
    )
    .fetch_one(db.store.pool())
    .await
    .unwrap();
    assert_eq!(stored, ALERTS as i64);
    let groups = store.alert_groups(true, 10_000).await.unwrap();
    assert_eq!(groups.len(), GROUPS);
    assert!(groups.iter().all(|g| g.firing_count == 10));
    let carded = groups.iter().filter(|g| g.card.is_some()).count();
    assert_eq!(carded, 10, "the channel's budget of new cards");
}

/// One storm card, whose last edit counts the 990 groups held back.
fn the_storm_card_counts_what_was_held_back(sent: &[Sent]) {
    let storm_posts: Vec<_> = sent
        .iter()
        .filter(|s| {
            matches!(s.msg.op, OutboundOp::Post) && s.msg.reply.plain().contains("Alert storm")
        })
        .collect();
    assert_eq!(storm_posts.len(), 1, "one storm card");
    let last = sent
        .iter()
        .rev()
        .find(|s| s.target.as_deref() == Some(storm_posts[0].id.as_str()))
        .expect("the storm card was edited");
    let Reply::Card(c) = &last.msg.reply else {
        panic!()
    };
    assert!(
        c.title
            .contains("990 groups held back (990 firing, 9900 alerts)"),
        "{}",
        c.title
    );
    assert!(
        c.body
            .starts_with("critical: 330 · info: 330 · warning: 330"),
        "{}",
        c.body
    );
    // Per group per notification, Alertmanager's Slack receiver would post 10,000 messages.
    assert!(
        sent.len() < 200,
        "{} chat calls for the whole storm",
        sent.len()
    );
}
