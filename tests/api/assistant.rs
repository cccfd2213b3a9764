//! The team's assistant (the real async-openai against the fake OpenAI server): `/ops ask` reads the
//! records through its tools and proposes a refund that only becomes a sign-off request (issue 8's
//! agent-initiated refund); a mention in an internal channel is answered in its thread; a new alert card
//! gets an infra note (likely cause, related alerts, a runbook proposed for sign-off) and a question in the
//! card's thread is answered with the group's context. Offline, each says what to use instead.

use super::agents::{customer, done, queued, rig};
use super::alerts::{fixture, settings as alert_settings};
use super::finance_month::month;
use crate::support::{
    self,
    chat::{RecordingChat, Sent},
    openai::{FakeOpenAi, Step},
};
use opsdesk::config::RunbookSettings;
use opsdesk::domain::ports::*;
use opsdesk::domain::{ApprovalState, Event, EventKind, Platform};
use opsdesk::pipeline::{ASSISTANT_OFFLINE, Handled, Pipeline};
use opsdesk::sender::Sender;
use std::collections::HashMap;
use std::sync::Arc;

fn tool_out(fake: &FakeOpenAi, req: usize, id: &str) -> String {
    let reqs = fake.requests();
    reqs[req].1["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["tool_call_id"] == id)
        .unwrap()["content"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn ops_ask_reads_the_records_and_only_proposes_a_refund_for_sign_off() {
    let fake = FakeOpenAi::start(vec![
        Step::Tools(vec![("a1", "list_tickets", r#"{"state":"escalated"}"#), ("a2", "finance_summary", r#"{"period":"month"}"#)]),
        Step::Tools(vec![
            ("a3", "propose_refund", r#"{"charge":"ch_g","amount":"600","reason":"downgrade to monthly"}"#),
            ("a4", "propose_refund", r#"{"charge":"ch_nope","amount":"5","reason":"x"}"#),
            ("a5", "get_ticket", r#"{"id":1}"#),
        ]),
        Step::Answer("Ticket #1 is escalated: the customer wants a refund. I proposed refunding 600.00 USD of ch_g."),
    ])
    .await;
    let (p, store, _db) = rig(&fake.base_url, &["assistant"], |s| {
        s.approvals.approvers = vec!["console:boss".into()]
    })
    .await;
    a_month_of_stripe_and_an_escalated_refund_ask(&p, &store).await;
    the_answer_reads_the_records_through_the_tools(&p, &store, &fake).await;
    the_refund_is_only_a_sign_off_request(&store).await;
    offline_it_says_what_to_use_instead().await;
}

async fn a_month_of_stripe_and_an_escalated_refund_ask(p: &Pipeline, store: &Arc<dyn Store>) {
    for e in month() {
        p.on_stripe_event(
            &opsdesk::finance::stripe::parse_event(e.to_string().as_bytes()).unwrap(),
            None,
            0,
        )
        .await
        .unwrap();
    }
    assert!(
        done(
            p,
            customer("m1", "gina", "I want my money back for the annual plan"),
            1000
        )
        .await
        .escalated
    );
    queued(store).await;
}

async fn the_answer_reads_the_records_through_the_tools(
    p: &Pipeline,
    store: &Arc<dyn Store>,
    fake: &FakeOpenAi,
) {
    p.handle(
        support::ops_command(
            "q1",
            "founder",
            "ask which tickets need a person, and should we refund G?",
        ),
        2000,
    )
    .await
    .unwrap();
    let replies: Vec<String> = queued(store).await.into_iter().map(|(_, t)| t).collect();
    let reply = replies
        .iter()
        .find(|t| t.starts_with("Ticket #1 is escalated"))
        .unwrap_or_else(|| panic!("{replies:?}"));
    assert!(
        reply.contains("➡️ Proposed for sign-off: refund 600.00 USD of charge ch_g (request #"),
        "{reply}"
    );
    assert!(
        tool_out(fake, 1, "a1").contains("[escalated] I want my money back"),
        "{}",
        tool_out(fake, 1, "a1")
    );
    assert!(
        tool_out(fake, 1, "a2").contains("MRR"),
        "{}",
        tool_out(fake, 1, "a2")
    );
    assert_eq!(
        tool_out(fake, 2, "a4"),
        "error: no charge \"ch_nope\" in the ledger"
    );
    assert!(
        tool_out(fake, 2, "a5").contains("customer (gina): I want my money back"),
        "{}",
        tool_out(fake, 2, "a5")
    );
}

/// The proposal is a sign-off request in the asker's name; nothing was refunded.
async fn the_refund_is_only_a_sign_off_request(store: &Arc<dyn Store>) {
    let pending = store
        .approvals(&[ApprovalState::Pending], 10)
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    let a = &pending[0];
    assert_eq!(
        (a.kind.name(), a.requested_by.as_str()),
        ("refund", "console:founder")
    );
    assert_eq!(a.reason, "downgrade to monthly (proposed by the assistant)");
    assert!(
        store
            .audit_recent(20)
            .await
            .unwrap()
            .iter()
            .any(|e| e.action.name() == "llm.assistant" && e.subject == "team")
    );
}

/// Offline: /ops ask says what to use instead.
async fn offline_it_says_what_to_use_instead() {
    let (p, store, _db) = rig("", &[], |_| {}).await;
    p.handle(
        support::ops_command("q2", "founder", "ask what is firing?"),
        3000,
    )
    .await
    .unwrap();
    assert_eq!(
        queued(&store)
            .await
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>(),
        [ASSISTANT_OFFLINE]
    );
}

#[tokio::test]
async fn a_mention_in_an_internal_channel_is_answered_in_its_thread() {
    let fake = FakeOpenAi::start(vec![
        Step::Tools(vec![("l1", "list_alerts", r#"{"firing_only":true}"#)]),
        Step::Answer("Nothing is firing."),
    ])
    .await;
    let (p, store, _db) = rig(&fake.base_url, &["assistant"], |_| {}).await;
    let ask = |id: &str, mentioned: bool| {
        support::console_event(
            id,
            "team",
            "founder",
            EventKind::MessagePosted {
                text: "anything firing?".into(),
                mentioned,
            },
        )
    };
    assert!(
        matches!(
            p.handle(ask("i1", false), 1000).await.unwrap(),
            Handled::Ignored(_)
        ),
        "team chatter is left alone"
    );
    let out = done(&p, ask("i2", true), 1000).await;
    assert_eq!(out.answer.as_deref(), Some("Nothing is firing."));
    assert_eq!(tool_out(&fake, 1, "l1"), "no alert groups");
    let sent = store
        .outbox_claim("probe", i64::MAX / 4, 60_000, 10)
        .await
        .unwrap();
    assert_eq!(
        (sent[0].msg.channel.as_str(), sent[0].msg.thread.as_deref()),
        ("team", Some("i2"))
    );
}

fn typed(n: u32, thread: &str, text: &str) -> Event {
    Event {
        platform: Platform::Slack,
        id: format!("typed-{n}"),
        channel: "CALERTS".into(),
        thread: Some(thread.into()),
        user: "UOPS".into(),
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

#[tokio::test]
async fn a_new_alert_card_gets_an_infra_note_and_its_thread_is_a_conversation() {
    opsdesk::telemetry::install_tls_provider();
    let fake = FakeOpenAi::start(vec![
        Step::Tools(vec![("n1", "list_alerts", "{}")]),
        Step::Tools(vec![("n2", "propose_runbook", r#"{"name":"restart-api","reason":"5xx ratio high on the API"}"#)]),
        Step::Answer("Likely cause: the API is returning 5xx (fairly sure: nothing else fires). Restarting it is proposed."),
        Step::Answer("It has fired for 2 minutes; no related groups."),
    ])
    .await;
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let p = support::pipeline_with(store.clone(), infra_settings(&fake.base_url)).await;
    let chat = Arc::new(RecordingChat::new(Platform::Slack));
    let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
    platforms.insert(Platform::Slack, chat.clone());
    let sender = Sender::new(store.clone(), platforms, "t");

    let firing =
        opsdesk::alerts::alertmanager::parse(&fixture("am-0.25-webhook-firing.json")).unwrap();
    p.on_alert_batch(&firing, None, 0).await.unwrap();
    let sent = the_note_once_written(&store, &fake, &sender, &chat).await;
    let card = sent[0].clone();
    the_note_is_in_the_cards_thread_with_a_runbook_for_sign_off(&sent, &card, &fake, &store).await;
    // A question in the card's thread: the assistant answers with the group's context.
    p.handle(typed(1, &card.id, "what changed?"), 120_000)
        .await
        .unwrap();
    while sender.tick(i64::MAX / 4).await.unwrap() > 0 {}
    let last = chat.sent().last().unwrap().clone();
    assert_eq!(
        last.msg.reply.plain(),
        "It has fired for 2 minutes; no related groups."
    );
    assert_eq!(last.msg.thread.as_deref(), Some(card.id.as_str()));
    let system = fake.requests()[3].1["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(system.contains("Alert group #"), "{system}");
}

/// Alerts to Slack, `UOPS` on the team, the assistant on the fake, and a runbook for the alert.
fn infra_settings(base_url: &str) -> opsdesk::config::Settings {
    let mut s = alert_settings();
    s.ops.allowed_users = vec!["slack:UOPS".into()];
    s.runbooks.insert(
        "restart-api".into(),
        RunbookSettings {
            description: "Restart the API".into(),
            argv: vec!["true".into()],
            timeout_secs: 5,
        },
    );
    s.alerts
        .runbooks
        .insert("Http5xxRatioHigh".into(), "restart-api".into());
    let a = s.llm.agents.get_mut("assistant").unwrap();
    (a.base_url, a.model, a.api_key_env) = (base_url.to_string(), "gpt-test".into(), "PATH".into());
    s
}

/// The note is written in its own task (an LLM takes seconds; the next batch does not wait): what
/// was sent once it is.
async fn the_note_once_written(
    store: &Arc<dyn Store>,
    fake: &FakeOpenAi,
    sender: &Sender,
    chat: &RecordingChat,
) -> Vec<Sent> {
    for _ in 0..500 {
        if store
            .approvals(&[ApprovalState::Pending], 5)
            .await
            .unwrap()
            .len()
            == 1
            && fake.requests().len() >= 3
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let mut sent = vec![];
    for _ in 0..500 {
        while sender.tick(i64::MAX / 4).await.unwrap() > 0 {}
        sent = chat.sent();
        if sent.iter().any(|m| m.msg.reply.plain().starts_with("🧭")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    sent
}

async fn the_note_is_in_the_cards_thread_with_a_runbook_for_sign_off(
    sent: &[Sent],
    card: &Sent,
    fake: &FakeOpenAi,
    store: &Arc<dyn Store>,
) {
    let note = sent
        .iter()
        .find(|m| m.msg.reply.plain().starts_with("🧭"))
        .expect("the infra note");
    assert_eq!(
        note.msg.thread.as_deref(),
        Some(card.id.as_str()),
        "in the card's thread"
    );
    assert!(
        note.msg
            .reply
            .plain()
            .contains("➡️ Proposed for sign-off: runbook restart-api"),
        "{}",
        note.msg.reply.plain()
    );
    let system = fake.requests()[0].1["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        system.contains("Http5xxRatioHigh") && system.contains("Runbook: restart-api"),
        "the group's context: {system}"
    );
    let a = store
        .approvals(&[ApprovalState::Pending], 5)
        .await
        .unwrap()
        .remove(0);
    assert_eq!((a.kind.name(), a.channel.as_str()), ("runbook", "CALERTS"));
}
