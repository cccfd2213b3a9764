//! People owning tickets, across platforms (customer on Discord, team on Slack): the rig the desk's
//! tests share, and handing a ticket back to the bot (the owned ticket's whole life is in
//! `desk_owned.rs`).

use crate::support::{self, chat::RecordingChat};
use opsdesk::config::ChannelSettings;
use opsdesk::domain::ports::*;
use opsdesk::domain::{ChannelRole, Event, EventKind, Platform};
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
    rig_with(store, |_| {}).await
}

/// [`rig`] with its settings changed by `tweak` first.
pub(crate) async fn rig_with(
    store: Arc<dyn Store>,
    tweak: impl FnOnce(&mut opsdesk::config::Settings),
) -> Rig {
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
    tweak(&mut s);
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

    /// The latest escalation card posted on Slack.
    pub(crate) fn escalation_card(&self) -> crate::support::chat::Sent {
        self.slack
            .sent()
            .into_iter()
            .rev()
            .find(|s| s.msg.reply.plain().contains("needs a person"))
            .expect("an escalation card on Slack")
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
    let card = r.escalation_card();
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
