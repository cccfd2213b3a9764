//! `opsdesk triage export`: resolved tickets become labelled lines — the customer's first message
//! and the tier the ticket ended with — that `triage train` reads.

use crate::cli::{opsdesk, stderr, stdout};
use crate::store_contract::{key, open};
use crate::support;
use opsdesk::domain::ports::{Commit, Store, TicketMessage};
use opsdesk::domain::{Ticket, TicketState, Tier};

const DAY: i64 = 86_400_000;

async fn resolve(s: &dyn Store, mut t: Ticket, text: &str, tier: Tier, human: bool, at: i64) {
    t.state = TicketState::Resolved;
    t.tier = Some(tier);
    t.resolved_at = Some(at);
    if human {
        t.claimed_by = Some("ana".into());
    }
    let msg = TicketMessage {
        author_kind: "customer".into(),
        author: t.customer.clone(),
        text: text.into(),
        at,
    };
    s.commit(Commit {
        messages: vec![(t.id, msg)],
        ticket: Some(t),
        now: at,
        ..Default::default()
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn resolved_tickets_export_as_labelled_lines_that_train_reads() {
    let db = support::sqlite().await;
    let s = &db.store;
    let now = opsdesk::clock::now();
    let t = open(s, &key("a"), "U1", "export", now - DAY).await;
    resolve(
        s,
        t,
        "how do I export to csv?",
        Tier::Tier1,
        false,
        now - DAY,
    )
    .await;
    let t = open(s, &key("b"), "U2", "refund", now - DAY).await;
    resolve(s, t, "I want my money back", Tier::Tier1, true, now - DAY).await;
    let t = open(s, &key("c"), "U3", "old", now - 200 * DAY).await;
    resolve(
        s,
        t,
        "the api was down",
        Tier::Tier2,
        false,
        now - 200 * DAY,
    )
    .await;
    open(s, &key("d"), "U4", "still open", now).await;
    let env = [("OPSDESK__STORE__URL", db.url.as_str())];
    let o = opsdesk(&["triage", "export", "--since", "90d"], &env, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    lines.sort_by_key(|v| v["text"].to_string());
    assert_eq!(
        lines,
        [
            serde_json::json!({"text": "I want my money back", "tier": "human"}),
            serde_json::json!({"text": "how do I export to csv?", "tier": "tier1"}),
        ]
    );
    assert!(stderr(&o).contains("2 tickets written"), "{}", stderr(&o));
    // Without --since, every resolved ticket; the file trains.
    let o = opsdesk(&["triage", "export"], &env, None);
    assert_eq!(stdout(&o).lines().count(), 3, "{}", stdout(&o));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("mine.jsonl");
    std::fs::write(&data, stdout(&o)).unwrap();
    let model = dir.path().join("m.json");
    let o = crate::cli_train::train(&data, &model);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = opsdesk(&["triage", "export", "--since", "soon"], &env, None);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not a duration"), "{}", stderr(&o));
}
