//! Triage on messages as people write them, through the whole pipeline: a terse cry for help opens a
//! ticket and gets a reply; chatter and spam get neither.

use crate::pipeline::{done, message, rig};
use crate::support;
use opsdesk::pipeline::Handled;
use std::sync::Arc;

#[tokio::test]
async fn help_becomes_a_ticket_and_spam_and_chatter_stay_silent() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    for (i, text) in [
        "Help",
        "Website\nexperiencing website downtime starting from last night.",
    ]
    .iter()
    .enumerate()
    {
        let o = done(
            r.p.handle(message(&format!("h{i}"), None, "cust", text), 1_000)
                .await
                .unwrap(),
        );
        assert!(o.ticket.is_some(), "{text:?} opens a ticket: {o:?}");
        assert!(
            o.escalated || o.answer.is_some(),
            "{text:?} gets a reply: {o:?}"
        );
    }
    for (i, text) in [
        "Buy cheap followers and likes now!!! 10k followers for $5, visit our site",
        "set a 4 minute timer",
        "what's the weather like tomorrow in paris",
    ]
    .iter()
    .enumerate()
    {
        let h =
            r.p.handle(message(&format!("s{i}"), None, "someone", text), 2_000)
                .await
                .unwrap();
        assert!(
            matches!(h, Handled::Ignored(_)),
            "{text:?} stays silent: {h:?}"
        );
    }
    while r.sender.tick(10_000).await.unwrap() > 0 {}
    assert!(
        r.chat
            .sent()
            .iter()
            .all(|m| !m.msg.reply.plain().contains("followers")),
        "nothing is said to the spammer"
    );
}
