//! Tests of the group commit: queued writes share one transaction and keep their own results.

use super::*;
use crate::domain::ports::{
    InboxStore, Outbound, OutboundOp, OutboxStore, ThreadKey, TicketMessage, TicketStore,
};
use crate::domain::{Platform, Reply, Ticket};

fn post() -> Outbound {
    Outbound {
        thread_title: None,
        platform: Platform::Console,
        channel: "c".into(),
        thread: None,
        op: OutboundOp::Post,
        reply: Reply::text("hi"),
    }
}

/// Holds the write lock while `writes` queue up, then lets them go: they must all run as one group.
async fn grouped<T: Send + 'static>(
    s: &SqlStore,
    lock: Option<tokio::sync::MutexGuard<'_, ()>>,
    writes: Vec<tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let n = writes.len();
    loop {
        if s.group.waiting.lock().unwrap().len() == n {
            break;
        }
        tokio::task::yield_now().await;
    }
    drop(lock);
    let mut out = vec![];
    for w in writes {
        out.push(w.await.unwrap());
    }
    out
}

/// A commit that opens `t` with the customer's first message.
fn opening(t: &Ticket) -> Commit {
    let m = TicketMessage {
        author_kind: "customer".into(),
        author: "u".into(),
        text: "help".into(),
        at: 3,
    };
    Commit {
        ticket: Some(t.clone()),
        opens_ticket: true,
        messages: vec![(t.id, m)],
        now: 3,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_writes_share_one_transaction_and_keep_their_own_results() {
    let (s, _dir) = super::super::temp_sqlite(4).await;
    s.inbox_put("k0", "test", "{}", 1).await.unwrap();
    let key = ThreadKey {
        platform: Platform::Console,
        channel: "c",
        thread: "t",
    };
    let ticket = Ticket::open(s.new_ticket_id().await.unwrap(), &key, "u", "help", 1);
    let before = s.group_commit_stats();

    // Five new events, two commits racing to mark the same event, two racing to open one thread's ticket.
    let lock = s.write_guard().await;
    let mut puts = vec![];
    for i in 1..=5 {
        let s = s.clone();
        puts.push(tokio::spawn(async move {
            s.inbox_put(&format!("k{i}"), "test", "{}", 2).await
        }));
    }
    let mut commits = vec![];
    for _ in 0..2 {
        let s = s.clone();
        commits.push(tokio::spawn(async move {
            s.commit(Commit {
                inbox_key: Some("k0".into()),
                outbox: vec![post()],
                now: 3,
                ..Default::default()
            })
            .await
        }));
    }
    for _ in 0..2 {
        let (s, t) = (s.clone(), ticket.clone());
        commits.push(tokio::spawn(async move { s.commit(opening(&t)).await }));
    }
    let waiting: Vec<_> = puts
        .into_iter()
        .map(|h| tokio::spawn(async move { h.await.unwrap().map(|_| vec![]) }))
        .chain(commits)
        .collect();
    let results = grouped(&s, lock, waiting).await;
    let after = s.group_commit_stats();
    assert_eq!(
        (after.0 - before.0, after.1 - before.1),
        (1, 9),
        "one transaction for all nine writes"
    );

    assert!(results[..5].iter().all(|r| r.is_ok()));
    assert_eq!(
        s.inbox_put("k3", "test", "{}", 4).await.unwrap(),
        InboxPut::Unprocessed,
        "stored by the group"
    );
    let marks: Vec<_> = results[5..7]
        .iter()
        .map(|r| r.clone().map(|ids| ids.len()))
        .collect();
    assert!(
        marks.contains(&Ok(1)) && marks.contains(&Err(StoreError::AlreadyProcessed("k0".into()))),
        "{marks:?}"
    );
    let opens: Vec<_> = results[7..].iter().map(|r| r.is_ok()).collect();
    assert!(opens.contains(&true) && opens.contains(&false), "{opens:?}");
    assert_eq!(
        s.outbox_depth().await.unwrap(),
        1,
        "the refused commit's outbox row was rolled back"
    );
    assert_eq!(
        s.ticket_messages(ticket.id).await.unwrap().len(),
        1,
        "the refused opening's message was rolled back"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_error_in_a_group_fails_only_its_own_write() {
    let (s, _dir) = super::super::temp_sqlite(4).await;
    let lock = s.write_guard().await;
    let mut writes = vec![];
    // A message for a ticket that does not exist breaks its foreign key.
    for ticket in [None, Some(999_999), None] {
        let s = s.clone();
        writes.push(tokio::spawn(async move {
            let messages = ticket
                .map(|id| {
                    vec![(
                        id,
                        TicketMessage {
                            author_kind: "bot".into(),
                            author: "b".into(),
                            text: "x".into(),
                            at: 1,
                        },
                    )]
                })
                .unwrap_or_default();
            s.commit(Commit {
                messages,
                outbox: vec![post()],
                now: 1,
                ..Default::default()
            })
            .await
        }));
    }
    let results = grouped(&s, lock, writes).await;
    assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
    assert!(
        matches!(&results[1], Err(StoreError::Other(m)) if m.contains("FOREIGN KEY")),
        "{results:?}"
    );
    assert_eq!(
        s.outbox_depth().await.unwrap(),
        2,
        "both good writes landed, the bad one did not"
    );
}
