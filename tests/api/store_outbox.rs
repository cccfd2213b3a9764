//! The outbox's contract on every backend: leases, retries, delivery records, parked rows and
//! superseded edits.

use opsdesk::domain::{Platform, Reply};

use super::store_contract::post;
use crate::support;
use opsdesk::domain::ports::*;

#[tokio::test]
async fn outbox_leases_retries_and_records_delivery() {
    for db in support::backends().await {
        let s = &db.store;
        let ids = s
            .commit(Commit {
                outbox: vec![post("1"), post("2"), post("3")],
                now: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        let a = s.outbox_claim("a", 100, 1000, 2).await.unwrap();
        assert_eq!(
            a.iter().map(|i| i.id).collect::<Vec<_>>(),
            ids[..2],
            "oldest first"
        );
        assert_eq!(a[0].attempts, 1);
        assert_eq!(a[0].msg.reply, Reply::text("1"));
        let b = s.outbox_claim("b", 101, 1000, 10).await.unwrap();
        assert_eq!(
            b.iter().map(|i| i.id).collect::<Vec<_>>(),
            [ids[2]],
            "leased rows are not handed out twice"
        );

        s.outbox_sent(ids[0], Some("ts-1"), 102).await.unwrap();
        assert_eq!(s.outbox_ref(ids[0]).await.unwrap().as_deref(), Some("ts-1"));
        assert_eq!(
            s.outbox_ref(ids[1]).await.unwrap(),
            None,
            "not delivered yet"
        );
        s.outbox_retry(ids[2], 5000, "rate limited").await.unwrap();
        s.outbox_failed(ids[1], "permanent: channel_not_found")
            .await
            .unwrap();
        assert!(
            s.outbox_claim("c", 4999, 1000, 10)
                .await
                .unwrap()
                .is_empty(),
            "retry waits for not_before"
        );
        let c = s.outbox_claim("c", 5000, 1000, 10).await.unwrap();
        assert_eq!((c[0].id, c[0].attempts), (ids[2], 2));
        // A crashed sender's lease expires and the row is claimed again.
        let d = s.outbox_claim("d", 5000 + 1001, 1000, 10).await.unwrap();
        assert_eq!(d.iter().map(|i| i.id).collect::<Vec<_>>(), [ids[2]]);
        assert_eq!(s.outbox_depth().await.unwrap(), 1);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn unreadable_outbox_rows_are_parked_not_retried_forever() {
    for db in support::backends().await {
        let s = &db.store;
        sqlx::query("INSERT INTO outbox (platform, channel, body, state, attempts, not_before, created_at) VALUES ('slack', 'C1', 'not json', 'pending', 0, 0, 0)")
            .execute(s.pool())
            .await
            .unwrap();
        assert!(s.outbox_claim("a", 1, 1000, 10).await.unwrap().is_empty());
        assert_eq!(s.outbox_depth().await.unwrap(), 0, "parked as failed");
        db.cleanup().await;
    }
}

/// Edits of one message supersede each other while pending (an alert storm edits its card thousands of
/// times); once a sender holds the row, a new edit queues behind it.
#[tokio::test]
async fn pending_edits_of_one_message_supersede_each_other() {
    for db in support::backends().await {
        let s = &db.store;
        let edit = |text: &str, target: i64| Outbound {
            thread_title: None,
            platform: Platform::Slack,
            channel: "C1".into(),
            thread: None,
            op: OutboundOp::Update {
                target: Target::Outbox(target),
            },
            reply: Reply::text(text),
        };
        let one = |o: Outbound| Commit {
            outbox: vec![o],
            now: 1,
            ..Default::default()
        };
        let a = s.commit(one(edit("v1", 7))).await.unwrap()[0];
        let b = s.commit(one(edit("v2", 7))).await.unwrap()[0];
        let other = s.commit(one(edit("x", 8))).await.unwrap()[0];
        assert_eq!(a, b, "{}", db.url);
        assert_ne!(a, other);
        let claimed = s.outbox_claim("probe", 2, 60_000, 10).await.unwrap();
        assert_eq!(
            claimed
                .iter()
                .map(|i| i.msg.reply.plain())
                .collect::<Vec<_>>(),
            ["v2", "x"],
            "{}",
            db.url
        );
        let c = s.commit(one(edit("v3", 7))).await.unwrap()[0];
        assert!(c > a, "a row being sent is not rewritten ({})", db.url);
        db.cleanup().await;
    }
}
