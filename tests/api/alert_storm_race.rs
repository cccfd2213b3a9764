//! The storm as Alertmanager really sends it: batches arrive concurrently (16 in flight at a time),
//! on SQLite and on Postgres. The channel still gets one storm card, its budget of new cards holds,
//! the storm card ends with the store's counts, and every group can be reached: its own card, the
//! held-back list in the storm card's thread, or `/ops alerts` page by page.

use super::alert_storm::{ALERTS, GROUPS, batch};
use super::alerts::settings;
use crate::support::{
    self,
    chat::{RecordingChat, Sent},
};
use base64::Engine;
use opsdesk::domain::ports::*;
use opsdesk::domain::{Platform, Reply};
use opsdesk::pipeline::Pipeline;
use opsdesk::sender::{Sender, quota};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

const START: i64 = 1_700_000_000_000;

/// Webhooks in flight at once (Alertmanager sends each group's notification on its own).
const IN_FLIGHT: usize = 16;

/// One second of the storm: its batches applied concurrently, each from its own task.
async fn second(p: &Pipeline, store: &Arc<dyn Store>, s: usize) {
    let slots = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let per = ALERTS / 60;
    let end = if s == 59 { ALERTS } else { (s + 1) * per };
    let tasks: Vec<_> = (s * per..end)
        .map(|i| {
            let (p, store, slots) = (p.clone(), store.clone(), slots.clone());
            tokio::spawn(async move {
                let _slot = slots.acquire().await.unwrap();
                let now = START + (i as i64) * 60_000 / ALERTS as i64;
                let key = format!("hook:alertmanager:race-{i}");
                // A pool wait past the store's timeout (2 cores, the whole suite running) is what the
                // inbox sweep retries in production; here the webhook's task tries again itself.
                for attempt in 1.. {
                    let r = match store.inbox_put(&key, "alertmanager", "{}", now).await {
                        Ok(_) => p
                            .on_alert_batch(&batch(i % GROUPS, i / GROUPS), Some(key.clone()), now)
                            .await
                            .map(|_| ()),
                        Err(e) => Err(e),
                    };
                    match r {
                        Ok(()) => break,
                        Err(StoreError::Unavailable(e)) if attempt < 10 => {
                            eprintln!("batch {i}: store busy ({e}); again")
                        }
                        Err(e) => panic!("batch {i}: {e}"),
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
}

/// The `/ops alerts` pages' group ids, 200 a page.
async fn listed(p: &Pipeline, store: &Arc<dyn Store>, now: i64) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    for page in 1..=5 {
        let args = format!("alerts -n 200 --page {page}");
        p.handle(
            support::ops_command(&format!("page-{page}"), "founder", &args),
            now,
        )
        .await
        .unwrap();
    }
    let items = store
        .outbox_claim("probe", i64::MAX / 4, 60_000, 100)
        .await
        .unwrap();
    for i in items.iter().filter(|i| i.msg.platform == Platform::Console) {
        for line in i.msg.reply.plain().lines() {
            if let Some(id) = line.strip_prefix('#').and_then(|l| l.split(' ').next()) {
                ids.extend(id.parse::<i64>().ok());
            }
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_concurrent_storm_keeps_one_storm_card_the_budget_and_the_truth() {
    for db in support::backends().await {
        let store: Arc<dyn Store> = Arc::new(db.store.clone());
        let mut s = settings();
        s.alerts.new_cards_per_minute = 10;
        let p = support::pipeline_with(store.clone(), s).await;
        let chat = Arc::new(RecordingChat::new(Platform::Slack));
        let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
        platforms.insert(Platform::Slack, chat.clone());
        let sender = Sender::new(store.clone(), platforms, "t")
            .with_channel_limit(Platform::Slack, quota(1.0, 1));
        for sec in 0..60 {
            second(&p, &store, sec).await;
            let now = START + (sec as i64 + 1) * 1_000;
            while sender.tick(now).await.unwrap() > 0 {}
        }
        let mut now = START + 75_000;
        p.storm_tick(now).await.unwrap();
        while store.outbox_depth().await.unwrap() > 0 {
            now += 1_000;
            sender.tick(now).await.unwrap();
            assert!(now < START + 3_600_000, "the outbox drains");
        }
        let groups = store.alert_groups(false, 10_000).await.unwrap();
        assert_eq!(groups.len(), GROUPS);
        let carded: Vec<_> = groups.iter().filter(|g| g.card.is_some()).collect();
        assert_eq!(
            carded.len(),
            10,
            "the budget of new cards holds under concurrency"
        );

        let sent = chat.sent();
        let held = GROUPS - carded.len();
        the_storm_card_ends_with_the_stores_counts(&sent, held);
        the_held_back_list_names_every_group_without_a_card(&sent, held);
        let ids: BTreeSet<i64> = listed(&p, &store, now).await;
        assert_eq!(ids.len(), GROUPS, "every group on /ops alerts' pages");
        assert!(sent.len() <= 199, "{} chat calls for the storm", sent.len());
        println!(
            "storm figures: {} chat calls, 1 storm card, {} own cards, {held} groups listed in the file",
            sent.len(),
            carded.len()
        );
        db.cleanup().await;
    }
}

fn the_storm_card_ends_with_the_stores_counts(sent: &[Sent], held: usize) {
    let storms: Vec<_> = sent
        .iter()
        .filter(|s| {
            matches!(s.msg.op, OutboundOp::Post) && s.msg.reply.plain().contains("Alert storm")
        })
        .collect();
    assert_eq!(storms.len(), 1, "one storm card per channel and storm");
    let card_id = storms[0].id.clone();
    let last = sent
        .iter()
        .rev()
        .find(|s| s.target.as_deref() == Some(card_id.as_str()))
        .expect("the storm card was edited");
    let Reply::Card(c) = &last.msg.reply else {
        panic!()
    };
    assert!(
        c.title.contains(&format!(
            "{held} groups held back ({held} firing, {} alerts)",
            held * 10
        )),
        "the storm card ends with the store's counts: {}",
        c.title
    );
}

/// The held-back list in the storm card's thread names every group without a card of its own.
fn the_held_back_list_names_every_group_without_a_card(sent: &[Sent], held: usize) {
    let file = sent
        .iter()
        .rev()
        .find_map(|s| match &s.msg.reply {
            Reply::File { data_b64, .. } => Some(data_b64.clone()),
            _ => None,
        })
        .expect("the list of held-back groups");
    let csv = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(file)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        csv.lines().count(),
        held + 1,
        "a header and one line per group"
    );
}
