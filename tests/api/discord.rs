//! Discord end to end: the real serenity client (gateway + REST) against the fake Discord in
//! tests/support/discord.rs, with the whole runtime (inbox, pipeline, outbox, sender) in between.

use crate::support::discord::{ESCALATIONS, FORUM, FakeDiscord, GUILD, TEXT};
use crate::support::{self, TestDb};
use opsdesk::config::{ChannelSettings, Secret, Settings};
use opsdesk::domain::ports::{Store, ThreadKey};
use opsdesk::domain::{ChannelRole, Platform, TicketState};
use opsdesk::runtime::{Connect, Runtime};
use serde_json::{Value, json};
use std::sync::Arc;

const QUESTION: &str = "How do I reset my password?";
const CUSTOMER: u64 = 2001;
const ADMIN: u64 = 1001;
const OPS_ROLE: u64 = 777;

pub fn settings(fake: &FakeDiscord) -> Settings {
    let mut s = support::settings();
    s.discord.api_url = fake.api_url();
    s.discord.gateway_url = fake.gateway_url();
    s.discord.guilds = vec![GUILD.to_string()];
    s.discord.channel_rate_per_sec = 500.0;
    s.discord.channel_burst = 50;
    let ch = |id: u64, role| ChannelSettings {
        platform: Platform::Discord,
        id: id.to_string(),
        role,
    };
    s.channels = vec![
        ch(TEXT, ChannelRole::Customer),
        ch(FORUM, ChannelRole::Customer),
        ch(ESCALATIONS, ChannelRole::Escalation),
    ];
    s.ops.allowed_users = vec![
        format!("discord:{ADMIN}"),
        format!("discord:role:{OPS_ROLE}"),
    ];
    s.approvals.approvers = vec![format!("discord:role:{OPS_ROLE}")];
    let runbook = opsdesk::config::RunbookSettings {
        description: "restart the API".into(),
        argv: vec!["true".into()],
        timeout_secs: 5,
    };
    s.runbooks.insert("restart-api".into(), runbook);
    s
}

async fn start(fake: &FakeDiscord, store: Arc<dyn Store>) -> Runtime {
    start_with(fake, store, settings(fake)).await
}

pub async fn start_with(fake: &FakeDiscord, store: Arc<dyn Store>, s: Settings) -> Runtime {
    if std::env::var("TEST_LOG").is_ok() {
        opsdesk::telemetry::init("warn");
    }
    opsdesk::telemetry::install_tls_provider();
    let identifies = fake.identifies();
    let connect = Connect {
        console: None,
        slack: None,
        discord: Some(Secret("fake-token".into())),
        http: None,
    };
    let rt = Runtime::start(s, store, connect)
        .await
        .expect("runtime starts");
    fake.wait_until("IDENTIFY and READY", |f| f.identifies() > identifies)
        .await;
    rt
}

struct Rig {
    fake: FakeDiscord,
    rt: Runtime,
    store: Arc<dyn Store>,
    _db: TestDb,
}

async fn rig() -> Rig {
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

    let m = r.fake.post(TEXT, CUSTOMER, QUESTION);
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

    let card: u64 = answers[0].response["id"].as_str().unwrap().parse().unwrap();
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

#[tokio::test]
async fn ops_replies_are_ephemeral_and_refused_without_the_role() {
    let r = rig().await;
    r.fake.command(
        TEXT,
        ADMIN,
        &[],
        "tickets",
        json!([{"name": "all", "type": 5, "value": true}]),
    );
    r.fake.command(TEXT, 3003, &[], "status", json!([]));
    r.fake.command(TEXT, 3004, &[OPS_ROLE], "status", json!([]));
    r.fake
        .wait_until("three replies", |f| {
            f.ok("PATCH", "/api/v10/webhooks/{}/{}/messages/@original")
                .len()
                == 3
        })
        .await;
    settle(&r.fake, &r.store).await;
    let acks = r.fake.ok("POST", "/api/v10/interactions/{}/{}/callback");
    assert!(
        acks.iter()
            .all(|a| a.body["type"] == 5 && a.body["data"]["flags"] == 64),
        "deferred, ephemeral: {acks:?}"
    );
    let replies: Vec<(String, String)> = r
        .fake
        .ok("PATCH", "/api/v10/webhooks/{}/{}/messages/@original")
        .into_iter()
        .map(|c| {
            (
                c.path.split('/').nth(5).unwrap().to_string(),
                c.body["content"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let by_token = |user_cmd: usize| replies[user_cmd].1.clone();
    let refused: Vec<String> = replies
        .iter()
        .filter(|(_, t)| t.contains("Sorry"))
        .map(|(tok, _)| tok.clone())
        .collect();
    assert_eq!(
        refused.len(),
        1,
        "only the member without the role is refused: {replies:?}"
    );
    let _ = by_token;
    assert!(
        r.store
            .audit_recent(10)
            .await
            .unwrap()
            .iter()
            .any(|a| a.action == "ops.refused" && a.actor == "discord:3003")
    );
    r.rt.stop().await;
}

#[tokio::test]
async fn a_resumable_close_mid_burst_loses_and_repeats_nothing() {
    let r = rig().await;
    let mut ids = vec![];
    for i in 0..200 {
        if i == 100 {
            r.fake.close_resumable();
        }
        ids.push(r.fake.post(TEXT, CUSTOMER, QUESTION));
    }
    r.fake.wait_until("a RESUME", |f| f.resumes() >= 1).await;
    r.fake
        .wait_until("200 answers", |f| f.all_answered(&ids))
        .await;
    settle(&r.fake, &r.store).await;
    let counts = r.fake.bot_post_counts();
    for m in &ids {
        assert_eq!(counts[m], 1, "message {m}");
    }
    assert_eq!(r.fake.identifies(), 1, "resumed, not re-identified");
    r.rt.stop().await;
}

#[tokio::test]
async fn messages_posted_while_stopped_are_backfilled_and_answered_once() {
    let fake = FakeDiscord::start().await;
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let rt = start(&fake, store.clone()).await;
    let first = fake.post(TEXT, CUSTOMER, QUESTION);
    fake.wait_until("the first answer", |f| !f.bot_posts_in(first).is_empty())
        .await;
    settle(&fake, &store).await;
    rt.stop().await;

    let missed: Vec<u64> = (0..20)
        .map(|_| fake.post(TEXT, CUSTOMER, QUESTION))
        .collect();
    let rt = start(&fake, store.clone()).await;
    fake.wait_until("20 backfilled answers", |f| f.all_answered(&missed))
        .await;
    settle(&fake, &store).await;
    let counts = fake.bot_post_counts();
    for m in missed.iter().chain([&first]) {
        assert_eq!(counts[m], 1, "message {m}");
    }
    rt.stop().await;
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

#[tokio::test]
async fn an_invalid_session_reidentifies_and_the_gap_is_backfilled() {
    let r = rig().await;
    let seen = r.fake.post(TEXT, CUSTOMER, QUESTION);
    r.fake
        .wait_until("an answer", |f| !f.bot_posts_in(seen).is_empty())
        .await;
    r.fake.invalidate_session();
    r.fake
        .wait_until("a new IDENTIFY", |f| f.identifies() >= 2)
        .await;
    let after = r.fake.post(TEXT, CUSTOMER, QUESTION);
    r.fake
        .wait_until("answers", |f| !f.bot_posts_in(after).is_empty())
        .await;
    settle(&r.fake, &r.store).await;
    assert_eq!(r.fake.bot_posts_in(seen).len(), 1);
    r.rt.stop().await;
}

#[tokio::test]
async fn rate_limits_on_a_fifth_of_posts_lose_nothing_and_are_respected() {
    let r = rig().await;
    r.fake.rate_limit_every(5);
    let ids: Vec<u64> = (0..20)
        .map(|_| r.fake.post(TEXT, CUSTOMER, QUESTION))
        .collect();
    r.fake
        .wait_until("20 answers", |f| f.all_answered(&ids))
        .await;
    settle(&r.fake, &r.store).await;
    let counts = r.fake.bot_post_counts();
    for m in &ids {
        assert_eq!(counts[m], 1, "message {m}");
    }
    assert!(r.fake.calls().iter().filter(|c| c.status == 429).count() >= 3);
    assert_eq!(r.fake.violations(), Vec::<String>::new());
    r.rt.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_checks_the_token_and_the_guilds() {
    let fake = FakeDiscord::start().await;
    let run = |guilds: &str| {
        let (api, guilds) = (fake.api_url(), guilds.to_string());
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_opsdesk"))
                .arg("doctor")
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env_remove("DATABASE_URL")
                .env("OPSDESK__STORE__URL", "sqlite::memory:")
                .env("OPSDESK__DISCORD__API_URL", api)
                .env("OPSDESK__DISCORD__GUILDS", guilds)
                .env("DISCORD_TOKEN", "fake-token")
                .output()
                .unwrap()
        })
    };
    let o = run(&format!("[{GUILD}]")).await.unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("bot opsdesk (9000)") && out.contains(&format!("{GUILD} \"Discord Testers\"")),
        "{out}"
    );
    assert!(!out.contains("fake-token"), "no secrets in the output");
    let o = run("[501]").await.unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!o.status.success());
    assert!(
        out.contains("501: ") && out.contains("is the bot invited?"),
        "{out}"
    );
}

/// Deny answers the click with a modal asking why; the submitted modal is the decision, with its reason.
#[tokio::test]
async fn deny_opens_a_reason_modal_and_the_submission_decides() {
    let r = rig().await;
    let opts = json!([{"name": "name", "type": 3, "value": "restart-api"}, {"name": "reason", "type": 3, "value": "the API is stuck"}]);
    r.fake.command(ESCALATIONS, ADMIN, &[], "runbook", opts);
    r.fake
        .wait_until("the sign-off card", |f| {
            f.bot_posts_in(ESCALATIONS)
                .iter()
                .any(|c| c.body.to_string().contains("Sign-off needed"))
        })
        .await;
    settle(&r.fake, &r.store).await;
    let card = r
        .fake
        .bot_posts_in(ESCALATIONS)
        .into_iter()
        .find(|c| c.body.to_string().contains("Sign-off needed"))
        .unwrap();
    let card_id: u64 = card.response["id"].as_str().unwrap().parse().unwrap();
    let ids = button_ids(&card.body);
    assert!(
        ids[0].starts_with("approval.approve|") && ids[1].starts_with("approval.deny?|"),
        "{ids:?}"
    );

    r.fake.click(card_id, 4004, &[OPS_ROLE], &ids[1]);
    r.fake
        .wait_until("the modal", |f| {
            f.ok("POST", "/api/v10/interactions/{}/{}/callback")
                .iter()
                .any(|c| c.body["type"] == 9)
        })
        .await;
    let modal = r
        .fake
        .ok("POST", "/api/v10/interactions/{}/{}/callback")
        .into_iter()
        .find(|c| c.body["type"] == 9)
        .unwrap()
        .body;
    assert_eq!(
        modal["data"]["components"][0]["components"][0]["label"],
        "Why deny this request?"
    );
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();

    r.fake.submit_modal(
        card_id,
        4004,
        &[OPS_ROLE],
        &custom_id,
        "not during the launch",
    );
    r.fake
        .wait_until("the card edited", |f| {
            !f.ok(
                "PATCH",
                &format!("/api/v10/channels/{ESCALATIONS}/messages/{card_id}"),
            )
            .is_empty()
        })
        .await;
    settle(&r.fake, &r.store).await;
    let edit = r
        .fake
        .ok(
            "PATCH",
            &format!("/api/v10/channels/{ESCALATIONS}/messages/{card_id}"),
        )
        .pop()
        .unwrap()
        .body
        .to_string();
    assert!(
        edit.contains("Denied") && edit.contains("not during the launch"),
        "{edit}"
    );
    assert!(r.fake.bot_posts_in(ESCALATIONS).iter().any(|c| {
        c.body
            .to_string()
            .contains("was denied by discord:4004: not during the launch")
    }));
    r.rt.stop().await;
}
