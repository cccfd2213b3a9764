//! Triage on messages as people write them, through the whole pipeline: a terse cry for help opens a
//! ticket and gets a reply; chatter and spam get neither.

use crate::pipeline::{done, message, rig};
use crate::support;
use opsdesk::domain::Tier;
use opsdesk::pipeline::Handled;
use std::sync::Arc;

#[tokio::test]
async fn help_becomes_a_ticket_and_spam_and_chatter_stay_silent() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    for (i, text) in [
        "Help",
        "Website\nexperiencing website downtime starting from last night.",
        "page just shows a white screen",
        "anyone else seeing slow load times today?",
        "are you guys down?",
        "website down",
        "down?",
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
        "+1",
        "ty",
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
    // Deleting one's data is a privacy request: a person's.
    let erase = message("d1", None, "cust", "can you delete all my data please");
    let o = done(r.p.handle(erase, 3_000).await.unwrap());
    assert_eq!(o.tier, Some(Tier::Human), "{o:?}");
    while r.sender.tick(10_000).await.unwrap() > 0 {}
    assert!(
        r.chat
            .sent()
            .iter()
            .all(|m| !m.msg.reply.plain().contains("followers")),
        "nothing is said to the spammer"
    );
}

/// Spam and promotion never open a ticket or get a reply, whatever the model thinks of the words;
/// each is stored processed with an audit entry saying what gave it away, and `/ops metrics` counts
/// them. A customer who pings everyone with links in an outage is still a customer.
#[tokio::test]
async fn spam_is_silent_audited_and_counted_in_metrics() {
    for db in support::backends().await {
        let r = rig(Arc::new(db.store.clone())).await;
        let spam = [
            "Need more reach? Buy followers today, 10k for $5",
            "best deals https://a-deals.example https://b-deals.example/x http://c-deals.example",
            "<@U1> <@U2> <@U3> <@U4> <@U5> look at this",
            "@everyone new drop, mint now https://mint.example",
        ];
        for (i, text) in spam.iter().enumerate() {
            let h =
                r.p.handle(message(&format!("sp{i}"), None, "spammer", text), 1_000)
                    .await
                    .unwrap();
            assert_eq!(h, Handled::Ignored("spam"), "{text}");
            // A redelivery is recognised, and not counted twice.
            let again =
                r.p.handle(message(&format!("sp{i}"), None, "spammer", text), 1_001)
                    .await
                    .unwrap();
            assert_eq!(again, Handled::Duplicate, "{text}");
        }
        let outage = "@everyone the dashboard is down, https://app.mine.example and \
                      https://api.mine.example both time out";
        let o = done(
            r.p.handle(message("c1", None, "cust", outage), 2_000)
                .await
                .unwrap(),
        );
        assert!(o.ticket.is_some(), "{o:?}");
        let audit = r.p.store.audit_recent(20).await.unwrap();
        let flagged: Vec<&str> = audit
            .iter()
            .filter(|e| e.action.name() == "spam_ignored")
            .map(|e| e.detail.as_str())
            .collect();
        assert_eq!(flagged.len(), 4, "{audit:?}");
        assert!(
            flagged.contains(&"promotion: \"buy followers\""),
            "{flagged:?}"
        );
        r.p.handle(support::ops_command("m1", "founder", "metrics"), 3_000)
            .await
            .unwrap();
        while r.sender.tick(10_000).await.unwrap() > 0 {}
        let sent: Vec<String> = r.chat.sent().iter().map(|m| m.msg.reply.plain()).collect();
        assert!(
            sent.iter()
                .any(|t| t.contains("Spam ignored (no ticket, no reply): 4")),
            "{sent:?}"
        );
        assert!(
            sent.iter()
                .all(|t| !t.contains("followers") && !t.contains("mint")),
            "nothing is said to a spammer: {sent:?}"
        );
        db.cleanup().await;
    }
}

/// A question that names the product is a customer's, however much it reads like something said to
/// a home assistant: the shipped docs name Tallybird on most pages, so the word is a support signal.
/// With that signal turned off, the same question is taken for chatter; a timer stays chatter.
#[tokio::test]
async fn a_question_naming_the_product_is_support() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let mut off = support::settings();
    off.triage.product_word_share = 0.0;
    let plain = support::pipeline_with(Arc::new(db.store.clone()), off).await;
    for (i, text) in [
        "can tallybird remind me every monday",
        "how much is tallybird for 10 people",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(plain.triager.triage(text).tier, Tier::None, "{text}");
        let o = done(
            r.p.handle(message(&format!("p{i}"), None, "cust", text), 1_000)
                .await
                .unwrap(),
        );
        assert!(o.ticket.is_some(), "{text:?} opens a ticket: {o:?}");
    }
    let h =
        r.p.handle(message("t", None, "someone", "set a 4 minute timer"), 2_000)
            .await
            .unwrap();
    assert!(matches!(h, Handled::Ignored(_)), "{h:?}");
}

/// `opsdesk triage` reads the configured docs, as the bot does: with a bar of 0.99 for everything,
/// chatter the docs share no word with is still silenced at the lower bar; without docs it is not.
#[test]
fn chatter_the_docs_do_not_share_is_held_to_the_lower_bar() {
    use crate::cli::{opsdesk, stdout};
    let input = "{\"text\":\"how do i braise a pork loin\"}\n";
    let bars = [
        ("OPSDESK__TRIAGE__NONE_THRESHOLD", "0.99"),
        ("OPSDESK__TRIAGE__UNRELATED_NONE_THRESHOLD", "0.5"),
    ];
    let tier = |extra: &[(&str, &str)]| -> String {
        let env: Vec<(&str, &str)> = bars.iter().chain(extra).copied().collect();
        let o = opsdesk(&["triage"], &env, Some(input));
        assert!(o.status.success());
        let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
        v["tier"].as_str().unwrap().to_string()
    };
    assert_eq!(tier(&[]), "none", "the sample docs share nothing with it");
    assert_ne!(tier(&[("OPSDESK__KB__PATH", "/nonexistent")]), "none");
    assert_ne!(
        tier(&[("OPSDESK__TRIAGE__RELATED_SHARE", "0")]),
        "none",
        "a share of 0 turns the lower bar off"
    );
}
