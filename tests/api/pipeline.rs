//! The customer pipeline end to end: event → inbox → triage → KB → commit → outbox → sender → platform.

use crate::support::{
    self,
    chat::{RecordingChat, Sent},
};
use opsdesk::domain::ports::*;
use opsdesk::domain::{Button, Event, EventKind, Platform, TicketState};
use opsdesk::pipeline::{Handled, Outcome, Pipeline};
use opsdesk::sender::Sender;
use std::collections::HashMap;
use std::sync::Arc;

pub(crate) struct Rig {
    pub(crate) p: Pipeline,
    pub(crate) chat: Arc<RecordingChat>,
    pub(crate) sender: Sender,
}

pub(crate) async fn rig(store: Arc<dyn Store>) -> Rig {
    rig_with(store, support::settings()).await
}

/// A [`rig`] on other settings.
pub(crate) async fn rig_with(store: Arc<dyn Store>, settings: opsdesk::config::Settings) -> Rig {
    let p = support::pipeline_with(store.clone(), settings).await;
    let chat = Arc::new(RecordingChat::new(Platform::Console));
    let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
    platforms.insert(Platform::Console, chat.clone());
    Rig {
        p,
        chat,
        sender: Sender::new(store, platforms, "test"),
    }
}

pub(crate) fn message(id: &str, thread: Option<&str>, user: &str, text: &str) -> Event {
    Event {
        platform: Platform::Console,
        id: id.into(),
        channel: "community".into(),
        thread: thread.map(String::from),
        user: user.into(),
        user_name: None,
        roles: vec![],
        interaction: None,
        at: 0,
        kind: EventKind::MessagePosted {
            text: text.into(),
            mentioned: false,
        },
    }
}

pub(crate) fn click(id: &str, user: &str, action: &str, value: &str, card: &str) -> Event {
    let kind = EventKind::ButtonClicked {
        action: action.into(),
        value: value.into(),
        message: card.into(),
        input: None,
    };
    Event {
        kind,
        ..message(id, Some("q1"), user, "")
    }
}

pub(crate) fn command(id: &str, platform: Platform, user: &str, args: &str) -> Event {
    Event {
        platform,
        kind: EventKind::CommandInvoked {
            name: "ops".into(),
            args: args.into(),
        },
        ..message(id, None, user, "")
    }
}

pub(crate) fn done(h: Handled) -> Outcome {
    match h {
        Handled::Done(o) => o,
        other => panic!("expected a handled event, got {other:?}"),
    }
}

#[tokio::test]
async fn question_is_answered_in_thread_and_solved_click_resolves_it() {
    for db in support::backends().await {
        let r = rig(Arc::new(db.store.clone())).await;
        let o = done(
            r.p.handle(
                message("q1", None, "cust", "How do I reset my password?"),
                1000,
            )
            .await
            .unwrap(),
        );
        assert_eq!(o.tier.map(|t| t.to_string()).as_deref(), Some("tier1"));
        assert!(
            o.answer.as_deref().unwrap().contains("Forgot password"),
            "{o:?}"
        );
        assert_eq!(
            o.citations[0].link,
            "https://docs.example.com/account-password#reset-your-password"
        );

        let (card, button) = one_reply_in_the_thread_even_if_delivered_twice(&r).await;
        assert_eq!(button.value, o.ticket.unwrap().to_string());
        only_the_customer_marks_it_solved(&r, &card, &button, o.ticket.unwrap()).await;
        db.cleanup().await;
    }
}

/// The same event delivered again is recognised and produces nothing; the answer card and its
/// Solved button.
async fn one_reply_in_the_thread_even_if_delivered_twice(r: &Rig) -> (Sent, Button) {
    assert_eq!(
        r.p.handle(
            message("q1", None, "cust", "How do I reset my password?"),
            1001
        )
        .await
        .unwrap(),
        Handled::Duplicate
    );
    assert_eq!(r.sender.tick(1002).await.unwrap(), 1);
    let sent = r.chat.sent();
    assert_eq!(sent.len(), 1, "exactly one reply");
    assert_eq!(
        sent[0].msg.thread.as_deref(),
        Some("q1"),
        "answers go in the ticket's thread"
    );
    let buttons = sent[0].msg.reply.buttons().to_vec();
    assert_eq!(
        buttons.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(),
        ["Solved ✅", "Talk to a human"]
    );
    (sent[0].clone(), buttons[0].clone())
}

/// Someone else cannot close the customer's ticket; the customer can.
async fn only_the_customer_marks_it_solved(r: &Rig, card: &Sent, button: &Button, ticket: i64) {
    done(
        r.p.handle(
            click("c1", "stranger", &button.action, &button.value, &card.id),
            1100,
        )
        .await
        .unwrap(),
    );
    done(
        r.p.handle(
            click("c2", "cust", &button.action, &button.value, &card.id),
            1200,
        )
        .await
        .unwrap(),
    );
    r.sender.tick(1300).await.unwrap();
    let sent = r.chat.sent();
    assert!(matches!(&sent[1].msg.op, OutboundOp::Ephemeral { user, .. } if user == "stranger"));
    assert!(matches!(&sent[2].msg.op, OutboundOp::Update { .. }));
    assert_eq!(
        sent[2].target.as_deref(),
        Some(card.id.as_str()),
        "the card itself is edited"
    );
    assert!(sent[2].msg.reply.plain().contains("Marked solved by cust"));
    let t = r.p.store.ticket(ticket).await.unwrap().unwrap();
    assert_eq!(
        (t.state, t.first_response_at, t.resolved_at),
        (TicketState::Resolved, Some(1000), Some(1200))
    );
}

#[tokio::test]
async fn refund_demand_escalates_with_a_card_and_the_bot_then_stays_silent() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let o = done(
        r.p.handle(
            message(
                "m1",
                None,
                "cust",
                "I want my money back, you charged me twice",
            ),
            10,
        )
        .await
        .unwrap(),
    );
    assert!(o.escalated);
    assert_eq!(o.answer, None);
    r.sender.tick(20).await.unwrap();
    let sent = r.chat.sent();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        (sent[0].msg.channel.as_str(), sent[0].msg.thread.as_deref()),
        ("community", Some("m1"))
    );
    assert!(
        sent[0]
            .msg
            .reply
            .plain()
            .contains("passed this to our team")
    );
    assert_eq!(sent[1].msg.channel, "escalations");
    let card = sent[1].msg.reply.plain();
    assert!(
        card.contains("needs a person") && card.contains("money back") && card.contains("matched"),
        "{card}"
    );

    // A follow-up in the same thread: recorded, but the bot says nothing while a person owns it.
    let h =
        r.p.handle(
            message("m2", Some("m1"), "cust", "how do I reset my password?"),
            30,
        )
        .await
        .unwrap();
    assert_eq!(done(h).outbox, Vec::<i64>::new());
    assert_eq!(
        r.p.store
            .ticket_messages(o.ticket.unwrap())
            .await
            .unwrap()
            .iter()
            .filter(|m| m.author_kind == "customer")
            .count(),
        2
    );

    let list = done(
        r.p.handle(
            command("o1", Platform::Console, "founder", "tickets --escalated"),
            40,
        )
        .await
        .unwrap(),
    );
    r.sender.tick(50).await.unwrap();
    let reply = r.chat.sent().last().unwrap().msg.reply.plain();
    assert_eq!(list.outbox.len(), 1);
    assert!(
        reply.contains(&format!("#{}", o.ticket.unwrap())) && reply.contains("escalated"),
        "{reply}"
    );
    assert_eq!(
        r.p.store.audit_recent(5).await.unwrap()[0].action.name(),
        "ticket.escalated"
    );
}

#[tokio::test]
async fn chit_chat_stays_silent_and_opens_no_ticket() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    assert_eq!(
        r.p.handle(
            message("g1", None, "cust", "anyone watching the game tonight?"),
            1
        )
        .await
        .unwrap(),
        Handled::Ignored("not a support request")
    );
    assert_eq!(
        r.p.handle(message("g2", None, "cust", "   \n\t "), 2)
            .await
            .unwrap(),
        Handled::Ignored("empty message")
    );
    assert!(
        r.p.store
            .tickets(&TicketFilter {
                states: vec![],
                limit: 10
            })
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        r.p.store
            .inbox_unprocessed(10, 10)
            .await
            .unwrap()
            .is_empty(),
        "ignored events are marked processed"
    );
    // Handled in one write, the ignored event is still stored, so its redelivery is recognised.
    let again = message("g1", None, "cust", "anyone watching the game tonight?");
    assert_eq!(
        r.p.store
            .inbox_put(&again.inbox_key(), "console", "{}", 3)
            .await
            .unwrap(),
        InboxPut::Duplicate
    );
    assert_eq!(r.p.handle(again, 3).await.unwrap(), Handled::Duplicate);
    assert_eq!(r.sender.tick(3).await.unwrap(), 0);
}

#[tokio::test]
async fn oversized_messages_are_truncated_with_a_notice() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let long = format!("How do I reset my password? {}", "x".repeat(50_000));
    let o = done(
        r.p.handle(message("l1", None, "cust", &long), 1)
            .await
            .unwrap(),
    );
    let stored = &r.p.store.ticket_messages(o.ticket.unwrap()).await.unwrap()[0].text;
    assert!(stored.chars().count() < 40_100, "{}", stored.len());
    assert!(stored.ends_with("[… truncated: the message was longer than 40000 characters]"));
    assert!(o.answer.unwrap().starts_with("(Your message was very long"));
}

#[tokio::test]
async fn three_unhelpful_answers_escalate_the_fourth_message() {
    let db = support::sqlite().await;
    let r = rig(Arc::new(db.store.clone())).await;
    let qs = [
        "How do I reset my password?",
        "How do I download our invoices?",
        "How do I enable two-factor authentication?",
    ];
    for (i, q) in qs.iter().enumerate() {
        let o = done(
            r.p.handle(
                message(&format!("u{i}"), Some("thread-1"), "cust", q),
                i as i64,
            )
            .await
            .unwrap(),
        );
        assert!(o.answer.is_some(), "answer {i}: {o:?}");
    }
    let o = done(
        r.p.handle(
            message(
                "u9",
                Some("thread-1"),
                "cust",
                "How do I sign out of all devices?",
            ),
            10,
        )
        .await
        .unwrap(),
    );
    assert!(o.escalated, "{o:?}");
}
