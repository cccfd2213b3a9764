//! `/ops` through the pipeline: status and metrics for the team, a refusal for anyone else.

use crate::support;
use opsdesk::domain::ports::*;
use opsdesk::domain::{Platform, Reply};
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
        r.p.store.audit_recent(1).await.unwrap()[0].action,
        "ops.refused"
    );
}
