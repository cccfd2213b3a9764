//! The store contract: the same story on every backend (SQLite always, Postgres with TEST_DATABASE_URL).

use crate::support;
use opsdesk::domain::ports::*;
use opsdesk::domain::{AuditAction, Platform, Reply, Ticket, TicketState, Tier};

pub(crate) fn key<'a>(thread: &'a str) -> ThreadKey<'a> {
    ThreadKey {
        platform: Platform::Slack,
        channel: "C1",
        thread,
    }
}

/// Opens a ticket the way the pipeline does: a reserved id, inserted by a commit.
pub(crate) async fn open<S: Store>(
    s: &S,
    k: &ThreadKey<'_>,
    customer: &str,
    subject: &str,
    now: i64,
) -> Ticket {
    let t = Ticket::open(s.new_ticket_id().await.unwrap(), k, customer, subject, now);
    s.commit(Commit {
        ticket: Some(t),
        opens_ticket: true,
        now,
        ..Default::default()
    })
    .await
    .unwrap();
    s.find_ticket(k)
        .await
        .unwrap()
        .expect("the ticket just opened")
}

pub(crate) fn post(text: &str) -> Outbound {
    Outbound {
        thread_title: None,
        platform: Platform::Slack,
        channel: "C1".into(),
        thread: Some("t1".into()),
        op: OutboundOp::Post,
        reply: Reply::text(text),
    }
}

#[tokio::test]
async fn customers_and_tickets_round_trip() {
    for db in support::backends().await {
        let s = &db.store;
        assert_eq!(s.customer(Platform::Slack, "U1").await.unwrap(), None);
        let c = Customer {
            platform: Platform::Slack,
            user_id: "U1".into(),
            account_id: "acct_9".into(),
            vip: true,
        };
        s.link_customer(&c, 1).await.unwrap();
        assert_eq!(s.customer(Platform::Slack, "U1").await.unwrap(), Some(c));

        assert_eq!(s.find_ticket(&key("t1")).await.unwrap(), None);
        let t = open(s, &key("t1"), "U1", "help", 100).await;
        assert_eq!(
            (t.state, t.version, t.customer.as_str(), t.opened_at),
            (TicketState::Open, 0, "U1", 100)
        );
        // A second ticket for the same thread (a racing message) loses, and changes nothing.
        let rival = Ticket::open(
            s.new_ticket_id().await.unwrap(),
            &key("t1"),
            "U1",
            "other subject",
            200,
        );
        assert_ne!(rival.id, t.id);
        let lost = s
            .commit(Commit {
                ticket: Some(rival),
                opens_ticket: true,
                outbox: vec![post("x")],
                now: 200,
                ..Default::default()
            })
            .await;
        assert!(
            matches!(&lost, Err(StoreError::Conflict(m)) if m.contains("already has a ticket")),
            "{lost:?}"
        );
        assert_eq!(s.outbox_depth().await.unwrap(), 0);
        assert_eq!(s.find_ticket(&key("t1")).await.unwrap().unwrap().id, t.id);
        assert_eq!(s.ticket(t.id).await.unwrap().unwrap().subject, "help");
        assert_eq!(s.ticket(t.id + 1000).await.unwrap(), None);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn commit_is_atomic_and_versioned() {
    for db in support::backends().await {
        let s = &db.store;
        s.inbox_put("slack:Ev2", "slack", "{}", 1).await.unwrap();
        let mut t = open(s, &key("t2"), "U1", "hi", 1).await;
        let stale = t.clone();
        t.answer(Tier::Tier1, 5).unwrap();
        let msg = TicketMessage {
            author_kind: "bot".into(),
            author: "opsdesk".into(),
            text: "answer".into(),
            at: 5,
        };
        let audit = AuditEntry {
            at: 5,
            actor: "opsdesk".into(),
            action: AuditAction::TicketResolved,
            subject: "t".into(),
            detail: "".into(),
        };
        let ids = s
            .commit(Commit {
                inbox_key: Some("slack:Ev2".into()),
                unstored: None,
                ticket: Some(t.clone()),
                opens_ticket: false,
                messages: vec![(t.id, msg)],
                outbox: vec![post("a"), post("b")],
                audit: vec![audit],
                approval: None,
                alert: None,
                storm: None,
                gaps: vec![],
                now: 5,
            })
            .await
            .unwrap();
        assert_eq!(ids.len(), 2);
        assert!(ids[0] < ids[1]);
        let saved = s.ticket(t.id).await.unwrap().unwrap();
        assert_eq!(
            (
                saved.state,
                saved.version,
                saved.first_response_at,
                saved.tier
            ),
            (TicketState::Answered, 1, Some(5), Some(Tier::Tier1))
        );
        assert!(
            s.inbox_unprocessed(100, 10).await.unwrap().is_empty(),
            "commit marks the inbox row"
        );
        assert_eq!(s.ticket_messages(t.id).await.unwrap().len(), 1);

        // A commit based on the old version loses, and writes nothing at all.
        let lost = s
            .commit(Commit {
                ticket: Some(stale),
                outbox: vec![post("c")],
                now: 6,
                ..Default::default()
            })
            .await;
        assert!(matches!(lost, Err(StoreError::Conflict(_))), "{lost:?}");
        assert_eq!(s.outbox_depth().await.unwrap(), 2);
        assert_eq!(s.audit_recent(10).await.unwrap().len(), 1);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn listings_counts_and_tier_stats() {
    for db in support::backends().await {
        let s = &db.store;
        let mut a = open(s, &key("a"), "U1", "a", 0).await;
        a.answer(Tier::Tier1, 60_000).unwrap();
        a.resolve(120_000).unwrap();
        let mut b = open(s, &key("b"), "U2", "b", 0).await;
        b.escalate(1000).unwrap();
        open(s, &key("c"), "U3", "c", 0).await;
        s.commit(Commit {
            ticket: Some(a),
            now: 1,
            ..Default::default()
        })
        .await
        .unwrap();
        s.commit(Commit {
            ticket: Some(b),
            now: 1,
            ..Default::default()
        })
        .await
        .unwrap();

        let esc = s
            .tickets(&TicketFilter {
                states: vec![TicketState::Escalated, TicketState::Claimed],
                limit: 10,
            })
            .await
            .unwrap();
        assert_eq!(
            esc.iter().map(|t| t.customer.as_str()).collect::<Vec<_>>(),
            ["U2"]
        );
        assert_eq!(
            s.tickets(&TicketFilter {
                states: vec![],
                limit: 10
            })
            .await
            .unwrap()
            .len(),
            3
        );
        let mut counts = s.ticket_counts().await.unwrap();
        counts.sort_by_key(|(st, _)| st.as_str());
        assert_eq!(
            counts,
            vec![
                (TicketState::Escalated, 1),
                (TicketState::Open, 1),
                (TicketState::Resolved, 1)
            ]
        );

        let stats = s.tier_stats(0, i64::MAX).await.unwrap();
        let t1 = stats.iter().find(|t| t.tier == "tier1").expect("tier1 row");
        assert_eq!((t1.tickets, t1.resolved), (1, 1));
        assert_eq!(t1.avg_first_response_ms, Some(60_000.0));
        assert_eq!(t1.avg_resolve_ms, Some(120_000.0));
        let human = stats.iter().find(|t| t.tier == "human").expect("human row");
        assert_eq!(
            (human.tickets, human.resolved, human.avg_first_response_ms),
            (1, 0, None)
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_commit_failing_midway_leaves_nothing_and_the_store_usable() {
    for db in support::backends().await {
        let s = &db.store;
        s.inbox_put("slack:Ev9", "slack", "{}", 1).await.unwrap();
        let msg = TicketMessage {
            author_kind: "bot".into(),
            author: "x".into(),
            text: "orphan".into(),
            at: 1,
        };
        // The message names a ticket that does not exist: its foreign key fails after the outbox row was written.
        let bad = Commit {
            inbox_key: Some("slack:Ev9".into()),
            outbox: vec![post("lost")],
            messages: vec![(987_654, msg)],
            now: 2,
            ..Default::default()
        };
        assert!(s.commit(bad).await.is_err(), "{}", s.backend());
        assert_eq!(
            s.outbox_depth().await.unwrap(),
            0,
            "{}: rolled back",
            s.backend()
        );
        assert_eq!(
            s.inbox_unprocessed(10, 10).await.unwrap().len(),
            1,
            "the event stays unprocessed for a retry"
        );
        for i in 0..6 {
            s.commit(Commit {
                outbox: vec![post(&i.to_string())],
                now: 3,
                ..Default::default()
            })
            .await
            .unwrap();
        }
        assert_eq!(
            s.outbox_depth().await.unwrap(),
            6,
            "{}: every pooled connection still works",
            s.backend()
        );
        db.cleanup().await;
    }
}

/// Two handlers of one redelivered event (two tasks, or two replicas): the first commit wins, the second
/// changes nothing and says so.
#[tokio::test]
async fn a_commit_for_an_already_processed_event_changes_nothing() {
    for db in support::backends().await {
        let s = &db.store;
        s.inbox_put("slack:C1:Ev5", "slack", "{}", 1).await.unwrap();
        let t = open(s, &key("t5"), "U1", "help", 1).await;
        let commit = |text: &str| {
            let mut moved = t.clone();
            moved.answer(Tier::Tier1, 2).unwrap();
            Commit {
                inbox_key: Some("slack:C1:Ev5".into()),
                ticket: Some(moved),
                outbox: vec![post(text)],
                now: 2,
                ..Default::default()
            }
        };
        assert_eq!(
            s.commit(commit("first")).await.unwrap().len(),
            1,
            "{}",
            s.backend()
        );
        let depth = s.outbox_depth().await.unwrap();
        let second = s.commit(commit("second")).await;
        assert!(
            matches!(second, Err(StoreError::AlreadyProcessed(_))),
            "{}: {second:?}",
            s.backend()
        );
        assert_eq!(
            s.outbox_depth().await.unwrap(),
            depth,
            "the loser queued nothing"
        );
        // Without a ticket, the inbox check alone decides.
        let bare = Commit {
            inbox_key: Some("slack:C1:Ev5".into()),
            outbox: vec![post("third")],
            now: 3,
            ..Default::default()
        };
        assert!(matches!(
            s.commit(bare).await,
            Err(StoreError::AlreadyProcessed(_))
        ));
        assert_eq!(s.outbox_depth().await.unwrap(), depth);
        db.cleanup().await;
    }
}
