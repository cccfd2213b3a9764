//! The inbox's contract on every backend (SQLite always, Postgres with TEST_DATABASE_URL): deduplication,
//! events stored by the commit that handles them, and retention.

use crate::store_contract::post;
use crate::support;
use opsdesk::domain::ports::*;

#[tokio::test]
async fn inbox_deduplicates_and_tracks_processing() {
    for db in support::backends().await {
        let s = &db.store;
        assert_eq!(
            s.inbox_put("slack:Ev1", "slack", "{}", 10).await.unwrap(),
            InboxPut::New,
            "{}",
            s.backend()
        );
        assert_eq!(
            s.inbox_put("slack:Ev1", "slack", "{}", 11).await.unwrap(),
            InboxPut::Unprocessed,
            "seen, never processed"
        );
        assert_eq!(
            s.inbox_unprocessed(100, 10).await.unwrap(),
            vec![("slack:Ev1".to_string(), "{}".to_string())]
        );
        assert!(
            s.inbox_unprocessed(5, 10).await.unwrap().is_empty(),
            "only events received before the cut-off"
        );
        s.inbox_mark("slack:Ev1", 12, None).await.unwrap();
        assert!(s.inbox_unprocessed(100, 10).await.unwrap().is_empty());
        assert_eq!(
            s.inbox_put("slack:Ev1", "slack", "{}", 13).await.unwrap(),
            InboxPut::Duplicate
        );
        db.cleanup().await;
    }
}

/// Processed events past their retention are deleted, oldest first and in batches; unprocessed ones
/// stay whatever their age.
#[tokio::test]
async fn pruning_deletes_only_old_processed_events() {
    for db in support::backends().await {
        let s = &db.store;
        for i in 0..5 {
            s.inbox_put(&format!("p:{i}"), "test", "{}", i)
                .await
                .unwrap();
            s.inbox_mark(&format!("p:{i}"), 10 + i, None).await.unwrap();
        }
        s.inbox_put("p:waiting", "test", "{}", 0).await.unwrap();
        assert_eq!(
            s.inbox_prune(13, 2).await.unwrap(),
            2,
            "{}: a batch at most",
            s.backend()
        );
        assert_eq!(
            s.inbox_prune(13, 2).await.unwrap(),
            1,
            "{}: processed at 12, before 13",
            s.backend()
        );
        assert_eq!(s.inbox_prune(13, 2).await.unwrap(), 0, "{}", s.backend());
        assert_eq!(
            s.inbox_put("p:0", "test", "{}", 20).await.unwrap(),
            InboxPut::New,
            "{}: forgotten",
            s.backend()
        );
        assert_eq!(
            s.inbox_put("p:3", "test", "{}", 20).await.unwrap(),
            InboxPut::Duplicate,
            "{}: kept",
            s.backend()
        );
        assert_eq!(
            s.inbox_prune(i64::MAX, 100).await.unwrap(),
            2,
            "{}: p:3 and p:4",
            s.backend()
        );
        let waiting: Vec<String> = s
            .inbox_unprocessed(i64::MAX, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            waiting,
            ["p:waiting", "p:0"],
            "{}: never an unprocessed event",
            s.backend()
        );
        db.cleanup().await;
    }
}

/// An event handled before it was stored (offline, in one write): the commit stores it processed, a
/// redelivery's commit is refused, and a row an inbox put stored first is marked instead.
#[tokio::test]
async fn a_commit_can_store_its_event_already_processed() {
    for db in support::backends().await {
        let s = &db.store;
        let unstored = Some(UnstoredEvent {
            source: "slack".into(),
            payload: "{\"text\":\"hi\"}".into(),
        });
        let commit = |key: &str, text: &str| Commit {
            inbox_key: Some(key.into()),
            unstored: unstored.clone(),
            outbox: vec![post(text)],
            now: 5,
            ..Default::default()
        };
        assert_eq!(
            s.commit(commit("slack:C1:Ev7", "first"))
                .await
                .unwrap()
                .len(),
            1,
            "{}",
            s.backend()
        );
        assert_eq!(
            s.inbox_put("slack:C1:Ev7", "slack", "{}", 6).await.unwrap(),
            InboxPut::Duplicate,
            "{}: stored processed",
            s.backend()
        );
        assert!(
            s.inbox_unprocessed(100, 10).await.unwrap().is_empty(),
            "{}: nothing left to recover",
            s.backend()
        );
        let depth = s.outbox_depth().await.unwrap();
        let again = s.commit(commit("slack:C1:Ev7", "again")).await;
        assert!(
            matches!(again, Err(StoreError::AlreadyProcessed(_))),
            "{}: {again:?}",
            s.backend()
        );
        assert_eq!(
            s.outbox_depth().await.unwrap(),
            depth,
            "{}: the redelivery queued nothing",
            s.backend()
        );
        // Stored by an inbox put first (a crash left it unprocessed): the commit marks that row.
        s.inbox_put("slack:C1:Ev8", "slack", "{}", 4).await.unwrap();
        s.commit(commit("slack:C1:Ev8", "late")).await.unwrap();
        assert!(
            s.inbox_unprocessed(100, 10).await.unwrap().is_empty(),
            "{}",
            s.backend()
        );
        assert!(matches!(
            s.commit(commit("slack:C1:Ev8", "twice")).await,
            Err(StoreError::AlreadyProcessed(_))
        ));
        db.cleanup().await;
    }
}
