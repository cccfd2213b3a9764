//! People owning tickets, across platforms (customer on Discord, team on Slack): the escalation card's
//! buttons, the bot's silence while a person owns the ticket, replies relayed from the card's thread,
//! resolution with a rating, CSAT in `/ops metrics`, and handing a ticket back to the bot.

use crate::support::{self, chat::RecordingChat};
use opsdesk::config::ChannelSettings;
use opsdesk::domain::ports::*;
use opsdesk::domain::{ChannelRole, Event, EventKind, Platform, TicketState};
use opsdesk::pipeline::Pipeline;
use opsdesk::sender::Sender;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

static SEQ: AtomicUsize = AtomicUsize::new(0);

pub(crate) struct Rig {
    pub(crate) p: Pipeline,
    pub(crate) slack: Arc<RecordingChat>,
    pub(crate) discord: Arc<RecordingChat>,
    pub(crate) sender: Sender,
}

pub(crate) async fn rig(store: Arc<dyn Store>) -> Rig {
    let mut s = support::settings();
    s.channels = vec![
        ChannelSettings {
            platform: Platform::Discord,
            id: "D1".into(),
            role: ChannelRole::Customer,
        },
        ChannelSettings {
            platform: Platform::Slack,
            id: "SESC".into(),
            role: ChannelRole::Escalation,
        },
    ];
    s.ops.allowed_users = vec!["slack:UANA".into(), "slack:group:SSUPPORT".into()];
    let p = support::pipeline_with(store.clone(), s).await;
    let (slack, discord) = (
        Arc::new(RecordingChat::new(Platform::Slack)),
        Arc::new(RecordingChat::new(Platform::Discord)),
    );
    let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
    platforms.insert(Platform::Slack, slack.clone());
    platforms.insert(Platform::Discord, discord.clone());
    Rig {
        p,
        slack,
        discord,
        sender: Sender::new(store, platforms, "t"),
    }
}

pub(crate) fn event(
    platform: Platform,
    channel: &str,
    thread: Option<&str>,
    user: &str,
    kind: EventKind,
) -> Event {
    Event {
        platform,
        id: format!("e{}", SEQ.fetch_add(1, Ordering::SeqCst)),
        channel: channel.into(),
        thread: thread.map(String::from),
        user: user.into(),
        user_name: Some(format!("{user}-name")),
        roles: vec![],
        interaction: None,
        at: 0,
        kind,
    }
}

pub(crate) fn customer(id: &str, thread: Option<&str>, text: &str) -> Event {
    Event {
        id: id.into(),
        ..event(
            Platform::Discord,
            "D1",
            thread,
            "C42",
            EventKind::MessagePosted {
                text: text.into(),
                mentioned: false,
            },
        )
    }
}

pub(crate) fn click(
    platform: Platform,
    channel: &str,
    user: &str,
    action: &str,
    value: &str,
    message: &str,
) -> Event {
    event(
        platform,
        channel,
        None,
        user,
        EventKind::ButtonClicked {
            action: action.into(),
            value: value.into(),
            message: message.into(),
            input: None,
        },
    )
}

impl Rig {
    pub(crate) async fn deliver(&self) {
        while self.sender.tick(i64::MAX / 4).await.unwrap() > 0 {}
    }
}

#[tokio::test]
async fn a_person_claims_answers_and_resolves_across_platforms_and_the_customer_rates_it() {
    for db in support::backends().await {
        let r = rig(Arc::new(db.store.clone())).await;
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
        let card = r
            .slack
            .sent()
            .into_iter()
            .find(|s| s.msg.reply.plain().contains("needs a person"))
            .expect("the card on Slack");
        assert_eq!(card.msg.channel, "SESC", "{}", db.store.backend());
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

        // Someone outside the team cannot claim; a team member (by group) can.
        r.p.handle(
            click(Platform::Slack, "SESC", "UEVE", "desk.claim", &id, &card.id),
            20,
        )
        .await
        .unwrap();
        let mut member = click(Platform::Slack, "SESC", "UBEN", "desk.claim", &id, &card.id);
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
        let key = ThreadKey {
            platform: Platform::Discord,
            channel: "D1",
            thread: "m1",
        };
        assert_eq!(
            r.p.store.find_ticket(&key).await.unwrap().unwrap().state,
            TicketState::Claimed
        );

        // The bot stays silent in a ticket a person owns, even on a question it could answer.
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

        // The person's reply in the card's thread reaches the customer's Discord thread.
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
        let t = r.p.store.find_ticket(&key).await.unwrap().unwrap();
        assert_eq!(t.human_response_at, Some(40));
        assert!(
            r.p.store
                .ticket_messages(t.id)
                .await
                .unwrap()
                .iter()
                .any(|m| m.author_kind == "human" && m.text == "Refund issued, sorry!")
        );

        // Resolve → the customer is asked to rate; only their rating counts.
        r.p.handle(
            click(
                Platform::Slack,
                "SESC",
                "UANA",
                "desk.resolve",
                &id,
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
        let t = r.p.store.find_ticket(&key).await.unwrap().unwrap();
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
        db.cleanup().await;
    }
}

#[tokio::test]
async fn handing_back_lets_the_bot_answer_again_and_suggested_replies_are_sent_as_the_team() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    r.p.handle(
        customer("m1", None, "I want to talk to a human about my invoice"),
        10,
    )
    .await
    .unwrap();
    r.deliver().await;
    let card = r
        .slack
        .sent()
        .into_iter()
        .find(|s| s.msg.reply.plain().contains("needs a person"))
        .unwrap();
    let id = card.msg.reply.buttons()[0].value.clone();
    r.p.handle(
        click(
            Platform::Slack,
            "SESC",
            "UANA",
            "desk.suggest",
            &id,
            &card.id,
        ),
        20,
    )
    .await
    .unwrap();
    r.deliver().await;
    let sent = r.discord.sent().last().unwrap().msg.reply.plain();
    assert!(
        sent.starts_with("💬 UANA-name (support team): Hi! Thanks for your patience"),
        "{sent}"
    );
    r.p.handle(
        click(
            Platform::Slack,
            "SESC",
            "UANA",
            "desk.handback",
            &id,
            &card.id,
        ),
        30,
    )
    .await
    .unwrap();
    r.p.handle(
        customer("m3", Some("m1"), "How do I reset my password?"),
        40,
    )
    .await
    .unwrap();
    r.deliver().await;
    let answer = r.discord.sent().last().unwrap().msg.reply.plain();
    assert!(
        answer.starts_with("From our docs"),
        "the bot answers again: {answer}"
    );
}
