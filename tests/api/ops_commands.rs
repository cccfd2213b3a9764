//! `/ops` through the pipeline: status and metrics for the team, a refusal for anyone else.

use crate::support;
use opsdesk::domain::ports::*;
use opsdesk::domain::{AuditAction, Platform, Reply};
use std::sync::Arc;

use super::pipeline::*;

#[tokio::test]
async fn ops_commands_report_status_and_metrics_and_refuse_strangers() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    done(
        r.p.handle(
            message("a1", None, "cust", "How do I update my credit card?"),
            0,
        )
        .await
        .unwrap(),
    );
    done(
        r.p.handle(message("a2", None, "cust2", "I want a refund"), 0)
            .await
            .unwrap(),
    );
    r.sender.tick(1).await.unwrap();
    let before = r.chat.sent().len();
    for (id, args) in [("s1", "status"), ("s2", "metrics"), ("s3", "frobnicate")] {
        done(
            r.p.handle(command(id, Platform::Console, "founder", args), 10)
                .await
                .unwrap(),
        );
    }
    r.sender.tick(11).await.unwrap();
    let replies: Vec<String> = r.chat.sent()[before..]
        .iter()
        .map(|s| s.msg.reply.plain())
        .collect();
    assert!(
        replies[0].contains("Outbox (undelivered): 0")
            && replies[0].contains("1 answered")
            && replies[0].contains("1 escalated"),
        "{}",
        replies[0]
    );
    assert!(
        replies[1].contains("tier1")
            && replies[1].contains("human")
            && replies[1].contains("2 tickets"),
        "{}",
        replies[1]
    );
    assert!(replies[2].contains("frobnicate"), "{}", replies[2]);

    // On a chat platform, only listed users may run /ops; the refusal is ephemeral and audited.
    let o = done(
        r.p.handle(command("x1", Platform::Slack, "U999", "status"), 20)
            .await
            .unwrap(),
    );
    assert_eq!(o.outbox.len(), 1);
    let item =
        r.p.store
            .outbox_claim("t", 21, 1000, 10)
            .await
            .unwrap()
            .pop()
            .unwrap();
    assert!(matches!(item.msg.op, OutboundOp::Ephemeral { ref user, .. } if user == "U999"));
    assert!(
        matches!(item.msg.reply, Reply::Text { ref text } if text.contains("only for the team"))
    );
    assert_eq!(
        r.p.store.audit_recent(1).await.unwrap()[0].action.name(),
        "ops.refused"
    );
}

/// Agents spend without tickets (the assistant, infra notes): `/ops metrics` shows their spending even
/// when no ticket was opened in the period.
#[tokio::test]
async fn metrics_show_llm_spending_without_tickets() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let now = 1_795_678_452_000; // 2026-11-26
    let u = LlmUsage {
        at: now - 1000,
        agent: "assistant".into(),
        ticket: None,
        calls: 3,
        input_tokens: 900,
        output_tokens: 120,
        cost_micros: 2_500,
        outcome: "answered".into(),
    };
    let e = AuditEntry {
        at: now - 1000,
        actor: "opsdesk/assistant".into(),
        action: AuditAction::Llm("assistant".into()),
        subject: "team".into(),
        detail: "3 call(s)".into(),
    };
    r.p.store.llm_usage(&u, &e).await.unwrap();
    done(
        r.p.handle(command("m1", Platform::Console, "founder", "metrics"), now)
            .await
            .unwrap(),
    );
    r.sender.tick(now + 1).await.unwrap();
    let reply = r.chat.sent().last().unwrap().msg.reply.plain();
    assert!(
        reply.starts_with("No tickets in the last 30 days."),
        "{reply}"
    );
    assert!(
        reply.contains("LLM in 2026-11")
            && reply.contains("assistant")
            && reply.contains("$0.0025"),
        "{reply}"
    );
}

/// `/ops link` and `/ops unlink`: the link is written with its audit entry, bad input is named, and an
/// unlinked user is unlinked for good.
#[tokio::test]
async fn link_and_unlink_a_chat_user_and_a_stripe_customer() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let mut said = vec![];
    for (i, args) in [
        "link slack:UALICE cus_alice",
        "link slack:UALICE cus_alice",
        "link alice cus_alice",
        "link slack:UALICE acct_1",
        "unlink slack:UALICE",
        "unlink slack:UALICE",
    ]
    .iter()
    .enumerate()
    {
        done(
            r.p.handle(
                command(&format!("l{i}"), Platform::Console, "founder", args),
                10,
            )
            .await
            .unwrap(),
        );
        r.sender.tick(11).await.unwrap();
        said.push(r.chat.sent().last().unwrap().msg.reply.plain());
        if i == 0 {
            let c = r.p.store.customer(Platform::Slack, "UALICE").await.unwrap();
            assert_eq!(c.map(|c| c.account_id).as_deref(), Some("cus_alice"));
        }
    }
    assert!(
        said[0].starts_with("Linked slack:UALICE to cus_alice"),
        "{}",
        said[0]
    );
    assert_eq!(said[1], "slack:UALICE is already linked to cus_alice.");
    assert!(said[2].contains("is not a chat user"), "{}", said[2]);
    assert!(
        said[3].contains("is not a Stripe customer id"),
        "{}",
        said[3]
    );
    assert_eq!(said[4], "Unlinked slack:UALICE from cus_alice.");
    assert_eq!(said[5], "slack:UALICE is not linked to any customer.");
    assert!(
        r.p.store
            .customer(Platform::Slack, "UALICE")
            .await
            .unwrap()
            .is_none()
    );
    let audit: Vec<String> =
        r.p.store
            .audit_recent(20)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action.name().starts_with("customer."))
            .map(|e| format!("{} {} {} {}", e.actor, e.action.name(), e.subject, e.detail))
            .collect();
    assert_eq!(
        audit,
        [
            "console:founder customer.unlink slack:UALICE cus_alice",
            "console:founder customer.link slack:UALICE cus_alice"
        ],
        "one entry per change, newest first"
    );
}
