//! The first-response SLA on explicit clock values: a reminder, then the breach notice, each once,
//! and `/ops tickets` showing it.

use crate::support;
use opsdesk::domain::ports::*;
use opsdesk::domain::{EventKind, Platform};
use std::sync::Arc;

use super::desk::*;

const MIN: i64 = 60_000;

/// Clock values are explicit: escalation at 0, the high-priority target is 60 minutes (reminder at 45).
#[tokio::test]
async fn the_first_response_sla_reminds_then_announces_the_breach_and_tickets_show_it() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    a_waiting_ticket_is_reminded_then_breached_once(&r).await;
    let table = tickets_table(&r, 90 * MIN).await;
    assert!(
        table.contains("SLA") && table.contains("breached"),
        "{table}"
    );
    a_quick_answer_meets_it(&r).await;
    let table = tickets_table(&r, 200 * MIN).await;
    assert!(table.contains(" met "), "{table}");
}

/// `/ops tickets --escalated` at `at`, as the team sees it.
async fn tickets_table(r: &Rig, at: i64) -> String {
    let ops = event(
        Platform::Slack,
        "SESC",
        None,
        "UANA",
        EventKind::CommandInvoked {
            name: "ops".into(),
            args: "tickets --escalated".into(),
        },
    );
    r.p.handle(ops, at).await.unwrap();
    r.deliver().await;
    r.slack.sent().last().unwrap().msg.reply.plain()
}

async fn a_waiting_ticket_is_reminded_then_breached_once(r: &Rig) {
    r.p.handle(
        customer("m1", None, "I want my money back, you charged me twice"),
        0,
    )
    .await
    .unwrap();
    let key = ThreadKey {
        platform: Platform::Discord,
        channel: "D1",
        thread: "m1",
    };
    let t = r.p.store.find_ticket(&key).await.unwrap().unwrap();
    assert_eq!(
        (t.priority.as_deref(), t.escalated_at),
        (Some("high"), Some(0))
    );
    assert_eq!(r.p.sla_tick(44 * MIN).await.unwrap(), 0);
    assert_eq!(r.p.sla_tick(45 * MIN).await.unwrap(), 1, "the reminder");
    assert_eq!(r.p.sla_tick(50 * MIN).await.unwrap(), 0, "once");
    assert_eq!(r.p.sla_tick(60 * MIN).await.unwrap(), 1, "the breach");
    assert_eq!(r.p.sla_tick(90 * MIN).await.unwrap(), 0, "once");
    r.deliver().await;
    let notices: Vec<String> = r
        .slack
        .sent()
        .iter()
        .filter(|s| s.msg.channel == "SESC" && s.msg.reply.buttons().is_empty())
        .map(|s| s.msg.reply.plain())
        .collect();
    assert!(
        notices[0].starts_with(&format!(
            "⏰ Ticket #{} (high) needs a first answer within 15m",
            t.id
        )),
        "{notices:?}"
    );
    assert!(
        notices[1].starts_with(&format!(
            "🚨 Ticket #{} (high) has waited longer than its 1h 0m first-response target",
            t.id
        )),
        "{notices:?}"
    );
}

/// A quick answer meets it: no notices.
async fn a_quick_answer_meets_it(r: &Rig) {
    r.p.handle(
        customer("m9", None, "I need to talk to a human about a legal matter"),
        100 * MIN,
    )
    .await
    .unwrap();
    r.deliver().await;
    let card = r.escalation_card();
    let reply = event(
        Platform::Slack,
        "SESC",
        Some(&card.id),
        "UANA",
        EventKind::MessagePosted {
            text: "On it.".into(),
            mentioned: false,
        },
    );
    r.p.handle(reply, 105 * MIN).await.unwrap();
    assert_eq!(
        r.p.sla_tick(200 * MIN).await.unwrap(),
        0,
        "answered in time: nothing to announce"
    );
}
