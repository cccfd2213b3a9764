//! Discord end to end: the real serenity client (gateway + REST) against the fake Discord in
//! tests/support/discord.rs, with the whole runtime (inbox, pipeline, outbox, sender) in between.

use crate::support::discord::{FORUM, FakeDiscord, GUILD, TEXT};
use crate::support::{self, TestDb};
use opsdesk::config::{Secret, Settings};
use opsdesk::domain::ports::{Store, ThreadKey};
use opsdesk::domain::{Platform, TicketState};
use opsdesk::runtime::{Connect, Runtime};
use serde_json::Value;
use std::sync::Arc;

pub(crate) const QUESTION: &str = "How do I reset my password?";
pub(crate) const CUSTOMER: u64 = 2001;
pub(crate) use crate::support::discord::{ADMIN, OPS_ROLE};

pub fn settings(fake: &FakeDiscord) -> Settings {
    let mut s = support::settings();
    s.channels.clear();
    s.ops.allowed_users.clear();
    s.approvals.approvers.clear();
    support::app::discord_settings(&mut s, fake);
    s
}

pub(crate) async fn start(fake: &FakeDiscord, store: Arc<dyn Store>) -> Runtime {
    start_with(fake, store, settings(fake)).await
}

pub async fn start_with(fake: &FakeDiscord, store: Arc<dyn Store>, s: Settings) -> Runtime {
    if std::env::var("TEST_LOG").is_ok() {
        opsdesk::telemetry::init("warn", false);
    }
    opsdesk::telemetry::install_tls_provider();
    let identifies = fake.identifies();
    let connect = Connect {
        console: None,
        slack: None,
        discord: Some(Secret::from("fake-token")),
        http: None,
    };
    let rt = Runtime::start(s, store, connect)
        .await
        .expect("runtime starts");
    fake.wait_until("IDENTIFY and READY", |f| f.identifies() > identifies)
        .await;
    rt
}

pub(crate) struct Rig {
    pub(crate) fake: FakeDiscord,
    pub(crate) rt: Runtime,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) _db: TestDb,
}

pub(crate) async fn rig() -> Rig {
    let fake = FakeDiscord::start().await;
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let rt = start(&fake, store.clone()).await;
    Rig {
        fake,
        rt,
        store,
        _db: db,
    }
}

pub async fn settle(fake: &FakeDiscord, store: &Arc<dyn Store>) {
    for _ in 0..600 {
        let idle = store
            .inbox_unprocessed(i64::MAX, 1)
            .await
            .unwrap()
            .is_empty()
            && store.outbox_depth().await.unwrap() == 0;
        if idle {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "the pipeline did not settle; calls: {:#?}",
        fake.calls()
            .iter()
            .map(|c| format!("{} {} {}", c.method, c.path, c.status))
            .collect::<Vec<_>>()
    );
}

pub fn button_ids(msg: &Value) -> Vec<String> {
    msg["components"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .flat_map(|r| {
                    r["components"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|b| b["custom_id"].as_str().unwrap().to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_question_gets_a_thread_with_the_answer_and_a_click_edits_the_card() {
    let r = rig().await;
    ops_is_registered_for_administrators(&r).await;
    let m = r.fake.post(TEXT, CUSTOMER, QUESTION);
    let answer = the_answer_is_in_the_questions_thread(&r, m).await;
    solved_edits_the_card_and_resolves_the_ticket(&r, m, &answer).await;
    // A follow-up in the thread belongs to the same ticket and is answered in the same thread.
    r.fake.post(m, CUSTOMER, "How do I invite a teammate?");
    r.fake
        .wait_until("a second answer in the thread", |f| {
            f.bot_posts_in(m).len() == 2
        })
        .await;
    assert_eq!(
        r.fake
            .ok(
                "POST",
                &format!("/api/v10/channels/{TEXT}/messages/{m}/threads")
            )
            .len(),
        1,
        "the thread is reused"
    );
    r.rt.stop().await;
}

async fn ops_is_registered_for_administrators(r: &Rig) {
    r.fake
        .wait_until("/ops registered", |f| {
            !f.ok(
                "PUT",
                &format!("/api/v10/applications/9000/guilds/{GUILD}/commands"),
            )
            .is_empty()
        })
        .await;
    let registered = r.fake.ok(
        "PUT",
        &format!("/api/v10/applications/9000/guilds/{GUILD}/commands"),
    );
    assert_eq!(registered.len(), 1, "/ops registered at start-up");
    assert_eq!(registered[0].body[0]["name"], "ops");
    assert_eq!(
        registered[0].body[0]["default_member_permissions"], "8",
        "only administrators see /ops until the server opens it to a role"
    );
}

/// In a thread named after the question, never in the channel; with Solved / Talk to a human.
async fn the_answer_is_in_the_questions_thread(r: &Rig, m: u64) -> crate::support::discord::Call {
    r.fake
        .wait_until("an answer in the message's thread", |f| {
            !f.bot_posts_in(m).is_empty()
        })
        .await;
    settle(&r.fake, &r.store).await;
    let threads = r.fake.ok(
        "POST",
        &format!("/api/v10/channels/{TEXT}/messages/{m}/threads"),
    );
    assert_eq!(threads.len(), 1);
    assert_eq!(
        threads[0].body["name"], QUESTION,
        "the thread is named after the question"
    );
    assert!(
        r.fake.bot_posts_in(TEXT).is_empty(),
        "never an answer in the channel itself"
    );
    let answers = r.fake.bot_posts_in(m);
    assert_eq!(answers.len(), 1);
    let answer = &answers[0].body;
    assert_eq!(answer["embeds"][0]["title"], "From our docs");
    let ids = button_ids(answer);
    assert!(
        ids[0].starts_with("ticket.solved|") && ids[1].starts_with("ticket.human|"),
        "{ids:?}"
    );
    answers[0].clone()
}

async fn solved_edits_the_card_and_resolves_the_ticket(
    r: &Rig,
    m: u64,
    answer: &crate::support::discord::Call,
) {
    let ids = button_ids(&answer.body);
    let card: u64 = answer.response["id"].as_str().unwrap().parse().unwrap();
    r.fake.click(card, CUSTOMER, &[], &ids[0]);
    r.fake
        .wait_until("the card is edited", |f| {
            !f.ok("PATCH", &format!("/api/v10/channels/{m}/messages/{card}"))
                .is_empty()
        })
        .await;
    settle(&r.fake, &r.store).await;
    let acks = r.fake.ok("POST", "/api/v10/interactions/{}/{}/callback");
    assert_eq!(acks.len(), 1);
    assert_eq!(
        acks[0].body["type"], 6,
        "a deferred update: the card is edited afterwards"
    );
    let edit = &r
        .fake
        .ok("PATCH", &format!("/api/v10/channels/{m}/messages/{card}"))[0]
        .body;
    assert!(button_ids(edit).is_empty(), "no buttons left: {edit}");
    assert!(
        edit.to_string().contains("Marked solved by user2001"),
        "{edit}"
    );
    let key = ThreadKey {
        platform: Platform::Discord,
        channel: &TEXT.to_string(),
        thread: &m.to_string(),
    };
    assert_eq!(
        r.store.find_ticket(&key).await.unwrap().unwrap().state,
        TicketState::Resolved
    );
}

#[tokio::test]
async fn a_forum_post_is_a_ticket_answered_in_the_post_and_chit_chat_is_ignored() {
    let r = rig().await;
    let post = r
        .fake
        .forum_post(FORUM, CUSTOMER, "Password help", QUESTION);
    r.fake
        .wait_until("an answer in the post", |f| {
            !f.bot_posts_in(post).is_empty()
        })
        .await;
    settle(&r.fake, &r.store).await;
    assert!(
        r.fake
            .ok("POST", "/api/v10/channels/{}/messages/{}/threads")
            .is_empty(),
        "a forum post is already a thread"
    );
    let key = ThreadKey {
        platform: Platform::Discord,
        channel: &FORUM.to_string(),
        thread: &post.to_string(),
    };
    assert!(r.store.find_ticket(&key).await.unwrap().is_some());

    let chat = r
        .fake
        .post(TEXT, CUSTOMER, "anyone watching the game tonight?");
    settle(&r.fake, &r.store).await;
    assert!(
        r.fake.bot_posts_in(chat).is_empty()
            && r.fake
                .ok(
                    "POST",
                    &format!("/api/v10/channels/{TEXT}/messages/{chat}/threads")
                )
                .is_empty()
    );
    r.rt.stop().await;
}
