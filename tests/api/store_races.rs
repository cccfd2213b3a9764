//! The store under concurrency, on every backend: writers from two pools on one database, racing
//! commits of one event, and senders claiming outbox rows at once.

use super::store_contract::{key, post};
use crate::support;
use opsdesk::domain::Ticket;
use opsdesk::domain::ports::*;
use std::collections::HashSet;
use std::sync::Arc;

#[tokio::test]
async fn concurrent_claimers_never_share_a_row() {
    for db in support::backends().await {
        let store: Arc<dyn Store> = Arc::new(db.store.clone());
        let outbox: Vec<Outbound> = (0..60).map(|i| post(&i.to_string())).collect();
        store
            .commit(Commit {
                outbox,
                now: 1,
                ..Default::default()
            })
            .await
            .unwrap();
        let mut tasks = vec![];
        for w in 0..4 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                let mut mine = vec![];
                loop {
                    let got = s
                        .outbox_claim(&format!("w{w}"), 10, 60_000, 3)
                        .await
                        .unwrap();
                    if got.is_empty() {
                        return mine;
                    }
                    for i in got {
                        s.outbox_sent(i.id, None, 10).await.unwrap();
                        mine.push(i.id);
                    }
                }
            }));
        }
        let mut all = vec![];
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        let unique: HashSet<i64> = all.iter().copied().collect();
        assert_eq!(
            (all.len(), unique.len()),
            (60, 60),
            "{}: every row delivered exactly once",
            store.backend()
        );
        db.cleanup().await;
    }
}

/// Many writers at once, from two processes on one database (two pools): every ticket gets its own
/// id, every event is processed once, and each writer learns its own outcome (on SQLite, through the
/// group commit).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_from_two_processes() {
    for db in support::backends().await {
        let first: Arc<dyn Store> = Arc::new(db.store.clone());
        let second: Arc<dyn Store> = Arc::new(
            opsdesk::store::SqlStore::connect(&db.url, 4, std::time::Duration::from_secs(5))
                .await
                .unwrap(),
        );
        let backend = db.store.backend();
        forty_tickets_opened_at_once_get_forty_ids(&first, &second, backend).await;
        assert_eq!(db.store.outbox_depth().await.unwrap(), 40);
        assert!(
            db.store
                .inbox_unprocessed(100, 100)
                .await
                .unwrap()
                .is_empty()
        );
        let won = one_redelivered_event_raced_by_eight_tasks(&first, &second, backend).await;
        assert_eq!(
            (won, db.store.outbox_depth().await.unwrap()),
            (1, 41),
            "{backend}"
        );
        drop(second);
        db.cleanup().await;
    }
}

/// The store of task `i`: the two processes take turns.
fn either(first: &Arc<dyn Store>, second: &Arc<dyn Store>, i: usize) -> Arc<dyn Store> {
    if i.is_multiple_of(2) {
        first.clone()
    } else {
        second.clone()
    }
}

async fn forty_tickets_opened_at_once_get_forty_ids(
    first: &Arc<dyn Store>,
    second: &Arc<dyn Store>,
    backend: &str,
) {
    let mut tasks = vec![];
    for i in 0..40 {
        let s = either(first, second, i);
        tasks.push(tokio::spawn(async move {
            let (event, thread) = (format!("slack:C1:e{i}"), format!("c{i}"));
            assert_eq!(
                s.inbox_put(&event, "slack", "{}", 1).await.unwrap(),
                InboxPut::New
            );
            let t = Ticket::open(
                s.new_ticket_id().await.unwrap(),
                &key(&thread),
                "U1",
                "help",
                1,
            );
            let m = TicketMessage {
                author_kind: "customer".into(),
                author: "U1".into(),
                text: "help".into(),
                at: 1,
            };
            let c = Commit {
                inbox_key: Some(event),
                ticket: Some(t.clone()),
                opens_ticket: true,
                messages: vec![(t.id, m)],
                outbox: vec![post("answer")],
                now: 1,
                ..Default::default()
            };
            s.commit(c).await.unwrap();
            t.id
        }));
    }
    let mut ids = HashSet::new();
    for t in tasks {
        assert!(
            ids.insert(t.await.unwrap()),
            "a ticket id was handed out twice ({})",
            backend
        );
    }
}

/// One redelivered event handled by eight tasks at once: one wins (one reply). How many won.
async fn one_redelivered_event_raced_by_eight_tasks(
    first: &Arc<dyn Store>,
    second: &Arc<dyn Store>,
    backend: &str,
) -> usize {
    first
        .inbox_put("slack:C1:dup", "slack", "{}", 2)
        .await
        .unwrap();
    let mut racers = vec![];
    for i in 0..8 {
        let s = either(first, second, i);
        racers.push(tokio::spawn(async move {
            s.commit(Commit {
                inbox_key: Some("slack:C1:dup".into()),
                outbox: vec![post("once")],
                now: 2,
                ..Default::default()
            })
            .await
        }));
    }
    let mut won = 0;
    for r in racers {
        match r.await.unwrap() {
            Ok(_) => won += 1,
            Err(StoreError::AlreadyProcessed(_)) => {}
            Err(e) => panic!("unexpected {e} on {}", backend),
        }
    }
    won
}
