//! A person owns a ticket across platforms (customer on Discord, team on Slack), step by step: an
//! angry VIP's urgent card, a claim by the team only, the bot's silence while a person owns it, the
//! person's reply relayed to the customer, and resolution with a rating that `/ops metrics` shows.

use super::desk::{Rig, click, customer, event, rig};
use crate::support::{self, chat::Sent};
use opsdesk::domain::ports::*;
use opsdesk::domain::{EventKind, Platform, TicketState};
use std::sync::Arc;

/// The customer's Discord thread.
const KEY: ThreadKey<'static> = ThreadKey {
    platform: Platform::Discord,
    channel: "D1",
    thread: "m1",
};

#[tokio::test]
async fn a_person_claims_answers_and_resolves_across_platforms_and_the_customer_rates_it() {
    for db in support::backends().await {
        let r = rig(Arc::new(db.store.clone())).await;
        let (card, id) = an_angry_vip_gets_an_urgent_card(&r, db.store.backend()).await;
        only_the_team_claims_it(&r, &card, &id).await;
        the_bot_is_silent_while_a_person_owns_it(&r).await;
        the_persons_reply_reaches_the_customer(&r, &card).await;
        resolving_asks_the_customer_to_rate_it(&r, &card, &id).await;
        db.cleanup().await;
    }
}

/// The escalation card on Slack, and the ticket id its buttons carry.
async fn an_angry_vip_gets_an_urgent_card(r: &Rig, backend: &str) -> (Sent, String) {
    let account = Customer {
        platform: Platform::Discord,
        user_id: "C42".into(),
        account_id: "acct_77".into(),
        vip: true,
    };
    r.p.store.link_customer(&account, 1).await.unwrap();
    r.p.handle(
        customer("m1", None, "I want my money back, you charged me twice"),
        10,
    )
    .await
    .unwrap();
    r.deliver().await;
    let card = r.escalation_card();
    assert_eq!(card.msg.channel, "SESC", "{backend}");
    let labels: Vec<String> = card
        .msg
        .reply
        .buttons()
        .iter()
        .map(|b| b.label.clone())
        .collect();
    assert_eq!(
        labels,
        [
            "Claim",
            "Send suggested reply",
            "Resolve",
            "Hand back to the bot"
        ]
    );
    assert!(
        card.msg
            .reply
            .plain()
            .contains("Suggested reply: Hi! Thanks for your patience")
    );
    assert!(
        card.msg.reply.plain().contains("Account: acct_77 · VIP")
            && card.msg.reply.plain().contains("Priority: urgent")
    );
    let id = card.msg.reply.buttons()[0].value.clone();
    (card, id)
}

/// Someone outside the team cannot claim; a team member (by group) can.
async fn only_the_team_claims_it(r: &Rig, card: &Sent, id: &str) {
    r.p.handle(
        click(Platform::Slack, "SESC", "UEVE", "desk.claim", id, &card.id),
        20,
    )
    .await
    .unwrap();
    let mut member = click(Platform::Slack, "SESC", "UBEN", "desk.claim", id, &card.id);
    member.roles = vec!["group:SSUPPORT".into()];
    r.p.handle(member, 21).await.unwrap();
    r.deliver().await;
    let sent = r.slack.sent();
    assert!(sent.iter().any(
        |s| matches!(&s.msg.op, OutboundOp::Ephemeral { user, .. } if user == "UEVE")
            && s.msg.reply.plain().contains("Only the team")
    ));
    let edit = sent
        .iter()
        .rev()
        .find(|s| matches!(s.msg.op, OutboundOp::Update { .. }))
        .unwrap();
    assert!(
        edit.msg.reply.plain().contains("🙋 Claimed by UBEN-name")
            && edit.target.as_deref() == Some(card.id.as_str())
    );
    assert_eq!(
        r.p.store.find_ticket(&KEY).await.unwrap().unwrap().state,
        TicketState::Claimed
    );
}

/// The bot stays silent in a ticket a person owns, even on a question it could answer.
async fn the_bot_is_silent_while_a_person_owns_it(r: &Rig) {
    let before = r.discord.sent().len();
    r.p.handle(
        customer("m2", Some("m1"), "How do I reset my password?"),
        30,
    )
    .await
    .unwrap();
    r.deliver().await;
    assert_eq!(
        r.discord.sent().len(),
        before,
        "no bot reply while a person owns the ticket"
    );
}

/// The person's reply in the card's thread reaches the customer's Discord thread.
async fn the_persons_reply_reaches_the_customer(r: &Rig, card: &Sent) {
    let reply = event(
        Platform::Slack,
        "SESC",
        Some(&card.id),
        "UANA",
        EventKind::MessagePosted {
            text: "Refund issued, sorry!".into(),
            mentioned: false,
        },
    );
    r.p.handle(reply, 40).await.unwrap();
    r.deliver().await;
    let relayed = r.discord.sent().last().unwrap().clone();
    assert_eq!(
        (relayed.msg.channel.as_str(), relayed.msg.thread.as_deref()),
        ("D1", Some("m1"))
    );
    assert_eq!(
        relayed.msg.reply.plain(),
        "💬 UANA-name (support team): Refund issued, sorry!"
    );
    let t = r.p.store.find_ticket(&KEY).await.unwrap().unwrap();
    assert_eq!(t.human_response_at, Some(40));
    assert!(
        r.p.store
            .ticket_messages(t.id)
            .await
            .unwrap()
            .iter()
            .any(|m| m.author_kind == "human" && m.text == "Refund issued, sorry!")
    );
}

/// Resolve → the customer is asked to rate; only their rating counts, and `/ops metrics` shows it.
async fn resolving_asks_the_customer_to_rate_it(r: &Rig, card: &Sent, id: &str) {
    r.p.handle(
        click(
            Platform::Slack,
            "SESC",
            "UANA",
            "desk.resolve",
            id,
            &card.id,
        ),
        50,
    )
    .await
    .unwrap();
    r.deliver().await;
    let ask = r.discord.sent().last().unwrap().clone();
    assert!(ask.msg.reply.plain().starts_with("How did we do?"));
    let great = ask.msg.reply.buttons()[2].clone();
    r.p.handle(
        click(
            Platform::Discord,
            "D1",
            "SOMEONE",
            &great.action,
            &great.value,
            &ask.id,
        ),
        60,
    )
    .await
    .unwrap();
    let mut rate = click(
        Platform::Discord,
        "D1",
        "C42",
        &great.action,
        &great.value,
        &ask.id,
    );
    rate.thread = Some("m1".into());
    r.p.handle(rate, 61).await.unwrap();
    r.deliver().await;
    let t = r.p.store.find_ticket(&KEY).await.unwrap().unwrap();
    assert_eq!((t.state, t.csat), (TicketState::Resolved, Some(5)));
    assert!(
        r.discord
            .sent()
            .last()
            .unwrap()
            .msg
            .reply
            .plain()
            .contains("★★★★★")
    );

    let mut metrics = event(
        Platform::Slack,
        "SESC",
        None,
        "UANA",
        EventKind::CommandInvoked {
            name: "ops".into(),
            args: "metrics".into(),
        },
    );
    metrics.at = 70;
    r.p.handle(metrics, 100).await.unwrap();
    r.deliver().await;
    let m = r.slack.sent().last().unwrap().msg.reply.plain();
    assert!(m.contains("CSAT") && m.contains("5.0/5 (1)"), "{m}");
}
