//! The LLM agents beyond tier 1 (the real async-openai against the fake OpenAI server): the triage
//! agent's second opinion through structured output, with both opinions and the prompt version kept on
//! the ticket; monthly budgets that switch an agent to the offline path and tell the team once; cost per
//! ticket and per resolved ticket in `/ops metrics`.

use crate::support::{
    self,
    openai::{FakeOpenAi, Step},
};
use opsdesk::config::Settings;
use opsdesk::domain::ports::*;
use opsdesk::domain::{Event, EventKind, Tier};
use opsdesk::pipeline::{Handled, Outcome, Pipeline};
use std::sync::Arc;

/// A pipeline whose `agents` talk to `base_url`, after `tweak`.
pub async fn rig(
    base_url: &str,
    agents: &[&str],
    tweak: impl FnOnce(&mut Settings),
) -> (Pipeline, Arc<dyn Store>, support::TestDb) {
    opsdesk::telemetry::install_tls_provider();
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let mut s = support::settings();
    for name in agents {
        let a = s.llm.agents.get_mut(*name).unwrap();
        a.base_url = base_url.into();
        a.model = "gpt-test".into();
        a.api_key_env = "PATH".into();
    }
    s.llm.timeout_secs = 20;
    tweak(&mut s);
    let p = support::pipeline_with(store.clone(), s).await;
    (p, store, db)
}

pub fn customer(id: &str, user: &str, text: &str) -> Event {
    support::console_event(
        id,
        "community",
        user,
        EventKind::MessagePosted {
            text: text.into(),
            mentioned: false,
        },
    )
}

pub async fn done(p: &Pipeline, ev: Event, now: i64) -> Outcome {
    match p.handle(ev, now).await.unwrap() {
        Handled::Done(o) => o,
        other => panic!("not handled: {other:?}"),
    }
}

/// Everything queued since the last call, as (channel, text).
pub async fn queued(store: &Arc<dyn Store>) -> Vec<(String, String)> {
    store
        .outbox_claim("probe", i64::MAX / 4, 60_000, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|i| (i.msg.channel, i.msg.reply.plain()))
        .collect()
}

#[tokio::test]
async fn an_unsure_classifier_asks_the_triage_agent_and_both_opinions_are_kept() {
    let fake = FakeOpenAi::start(vec![
        Step::Answer(r#"{"tier":"tier2","confidence":0.86,"reason":"the export is failing"}"#),
        Step::Answer("probably tier1"),
    ])
    .await;
    let (p, store, _db) = rig(&fake.base_url, &["triage"], |s| s.llm.triage_below = 1.0).await;

    let out = done(
        &p,
        customer("m1", "alice", "hey, exports to CSV stopped working for us"),
        1000,
    )
    .await;
    assert_eq!(
        out.tier,
        Some(Tier::Tier2),
        "the LLM decides when the classifier is unsure"
    );
    let req = &fake.requests()[0].1;
    assert_eq!(
        req["response_format"]["type"], "json_schema",
        "structured output: {req}"
    );
    assert_eq!(
        req["response_format"]["json_schema"]["schema"]["properties"]["tier"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let t = store.ticket(out.ticket.unwrap()).await.unwrap().unwrap();
    let llm = t.triage_llm.clone().expect("the LLM's opinion is kept");
    assert_eq!((llm.tier, llm.confidence), (Tier::Tier2, 0.86));
    assert!(t.triage_offline.is_some(), "and the classifier's");
    assert_eq!(
        t.prompt_version.as_deref(),
        Some(p.templates.version()),
        "the prompt version is recorded"
    );

    // A configured phrase decides on its own: the model is not asked.
    let out = done(&p, customer("m2", "bob", "I want my money back"), 2000).await;
    assert!(out.escalated);
    assert_eq!(fake.requests().len(), 1);
    // Nor in a thread a person owns: the bot stays silent there, so no opinion is bought.
    let mut follow = customer("m2b", "bob", "hello? anyone looking at this");
    follow.thread = Some("m2".into());
    p.handle(follow, 2500).await.unwrap();
    assert_eq!(fake.requests().len(), 1);

    // An answer outside the schema is no opinion: the classifier's tier stands.
    let out = done(
        &p,
        customer("m3", "carol", "How do I reset my password?"),
        3000,
    )
    .await;
    assert_eq!(out.tier, Some(Tier::Tier1));
    let t = store.ticket(out.ticket.unwrap()).await.unwrap().unwrap();
    assert_eq!(
        (t.triage_llm, t.triage_offline.map(|o| o.tier)),
        (None, Some(Tier::Tier1))
    );
    let totals = store.llm_totals(0).await.unwrap();
    assert_eq!(
        (
            totals[0].agent.as_str(),
            totals[0].calls,
            totals[0].input_tokens
        ),
        ("triage", 2, 240)
    );
}

#[tokio::test]
async fn the_triage_agent_cannot_silence_a_message_the_classifier_calls_support() {
    let fake = FakeOpenAi::start(vec![Step::Answer(
        r#"{"tier":"none","confidence":0.0,"reason":"small talk"}"#,
    )])
    .await;
    let (p, store, _db) = rig(&fake.base_url, &["triage"], |s| s.llm.triage_below = 1.0).await;
    let out = done(
        &p,
        customer("s1", "dana", "something is off with my account"),
        1000,
    )
    .await;
    assert_eq!(fake.requests().len(), 1, "the agent was asked");
    assert!(
        matches!(out.tier, Some(t) if t != Tier::None),
        "the classifier's support tier stands: {out:?}"
    );
    assert!(
        out.escalated || out.answer.is_some(),
        "the customer hears back: {out:?}"
    );
    let t = store
        .ticket(out.ticket.expect("a ticket"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        t.triage_llm.map(|o| o.tier),
        Some(Tier::None),
        "the overridden opinion is kept on the ticket"
    );
}

#[tokio::test]
async fn a_spent_monthly_budget_switches_the_agent_offline_and_tells_the_team_once() {
    let fake = FakeOpenAi::start(vec![
        Step::Answer(BUDGET_ANSWER),
        Step::Answer(BUDGET_ANSWER),
    ])
    .await;
    // One call costs 36 micro-dollars (120 prompt + 30 completion tokens at the default prices).
    let (p, store, _db) = rig(&fake.base_url, &["tier1"], |s| {
        s.llm
            .agents
            .get_mut("tier1")
            .unwrap()
            .monthly_budget_micro_usd = 36
    })
    .await;
    let first = november_spends_the_budget_on_the_first_ticket(&p, &store, &fake).await;
    // December: a new budget.
    let dec = 1_796_083_200_000 + 3_600_000; // 2026-12-01T01:00Z
    let out = done(&p, customer("b4", "u4", "How do I reset my password?"), dec).await;
    assert_eq!(
        out.answer.as_deref(),
        Some("Click \"Forgot password?\" on the sign-in page.")
    );
    assert_eq!(fake.requests().len(), 2);
    metrics_show_cost_per_ticket_and_the_budget(&p, &store, first, dec).await;
}

const BUDGET_ANSWER: &str =
    "Click \"Forgot password?\" on the sign-in page [kb:account-password#reset-your-password].";

/// The first ticket's answer spends November's budget; the next get the offline answer, and the
/// team is told once. The first ticket's id.
async fn november_spends_the_budget_on_the_first_ticket(
    p: &Pipeline,
    store: &Arc<dyn Store>,
    fake: &FakeOpenAi,
) -> i64 {
    let nov = 1_793_491_200_000 + 3_600_000; // 2026-11-01T01:00Z
    let first = done(p, customer("b1", "u1", "How do I reset my password?"), nov).await;
    assert_eq!(
        first.answer.as_deref(),
        Some("Click \"Forgot password?\" on the sign-in page.")
    );
    queued(store).await;
    for (i, user) in ["u2", "u3"].iter().enumerate() {
        let out = done(
            p,
            customer(&format!("b{}", i + 2), user, "How do I reset my password?"),
            nov + 86_400_000,
        )
        .await;
        assert!(
            out.answer
                .as_deref()
                .is_some_and(|a| a.contains("Forgot password")),
            "the offline answer: {out:?}"
        );
    }
    assert_eq!(
        fake.requests().len(),
        1,
        "no model call once the budget is spent"
    );
    let notices: Vec<_> = queued(store)
        .await
        .into_iter()
        .filter(|(_, t)| t.contains("spent its LLM budget"))
        .collect();
    assert_eq!(notices.len(), 1, "the team is told once: {notices:?}");
    assert_eq!(notices[0].0, "team");
    assert!(
        notices[0]
            .1
            .contains("tier1 agent has spent its LLM budget for 2026-11"),
        "{notices:?}"
    );
    first.ticket.unwrap()
}

/// Cost per ticket and per resolved ticket, and the month's spending against the budget.
async fn metrics_show_cost_per_ticket_and_the_budget(
    p: &Pipeline,
    store: &Arc<dyn Store>,
    first: i64,
    dec: i64,
) {
    let click = support::console_event(
        "s1",
        "community",
        "u1",
        EventKind::ButtonClicked {
            action: "ticket.solved".into(),
            value: first.to_string(),
            message: "m".into(),
            input: None,
        },
    );
    p.handle(click, dec).await.unwrap();
    p.handle(
        support::ops_command("o1", "founder", "metrics --days 60"),
        dec + 1000,
    )
    .await
    .unwrap();
    let text = queued(store)
        .await
        .into_iter()
        .map(|(_, t)| t)
        .find(|t| t.contains("cost/resolved"))
        .expect("the metrics reply");
    let tier1 = text.lines().find(|l| l.starts_with("tier1")).unwrap();
    // 4 tickets, 72 micro-dollars in all, 1 resolved.
    assert!(
        tier1.contains("$0.0000") && tier1.contains("$0.0001"),
        "{text}"
    );
    assert!(
        text.contains("LLM in 2026-12")
            && text
                .lines()
                .any(|l| l.starts_with("tier1") && l.contains("100% of $0.00")),
        "{text}"
    );
}

#[tokio::test]
async fn a_follow_up_carries_the_tickets_own_conversation_within_the_memory_budget() {
    const ANSWER: &str =
        "Click \"Forgot password?\" on the sign-in page [kb:account-password#reset-your-password].";
    let fake = FakeOpenAi::start(vec![
        Step::Answer(ANSWER),
        Step::Answer(ANSWER),
        Step::Answer(ANSWER),
    ])
    .await;
    let (p, _store, _db) = rig(&fake.base_url, &["tier1"], |s| s.llm.memory_tokens = 40).await;
    done(
        &p,
        customer("f1", "alice", "How do I reset my password?"),
        1000,
    )
    .await;
    let mut follow = customer("f2", "alice", "And how do I change my password?");
    follow.thread = Some("f1".into());
    done(&p, follow, 2000).await;
    let user = |i: usize| {
        fake.requests()[i].1["messages"][1]["content"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        user(0),
        "How do I reset my password?",
        "a first message has no history"
    );
    let second = user(1);
    assert!(
        second.starts_with(
            "Earlier in this conversation:\ncustomer (alice): How do I reset my password?"
        ),
        "{second}"
    );
    assert!(
        second.ends_with("The customer now asks:\nAnd how do I change my password?"),
        "{second}"
    );
    // 40 tokens ≈ 160 characters: the oldest turns fall out first.
    let mut third = customer(
        "f3",
        "alice",
        "Thanks, and where do I set up two-factor authentication then?",
    );
    third.thread = Some("f1".into());
    done(&p, third, 3000).await;
    let third = user(2);
    assert!(!third.contains("How do I reset my password?"), "{third}");
    assert!(
        third.starts_with("Earlier in this conversation:\nbot (opsdesk/tier1): Click"),
        "the newest turn stays: {third}"
    );
}
