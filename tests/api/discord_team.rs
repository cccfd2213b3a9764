//! The team's side of Discord end to end: `/ops` deferred and private, refused without the role;
//! `doctor`; sign-off's Deny asking for a reason in a modal.

use crate::support::discord::{ESCALATIONS, FakeDiscord, GUILD, TEXT};
use serde_json::json;

use super::discord::*;

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
            .any(|a| a.action.name() == "ops.refused" && a.actor == "discord:3003")
    );
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
    let (card_id, deny) = a_runbook_request_gets_a_card_whose_deny_asks_why(&r).await;
    the_reason_from_the_modal_decides_and_is_told(&r, card_id, &deny).await;
    r.rt.stop().await;
}

/// The sign-off card's message id and its Deny button's custom id.
async fn a_runbook_request_gets_a_card_whose_deny_asks_why(r: &Rig) -> (u64, String) {
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
    (card_id, ids[1].clone())
}

async fn the_reason_from_the_modal_decides_and_is_told(r: &Rig, card_id: u64, deny: &str) {
    r.fake.click(card_id, 4004, &[OPS_ROLE], deny);
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
}

/// A team member allowed by role (not by id) answers a customer from the escalation card's thread:
/// MESSAGE_CREATE's `member.roles` count as they do on buttons and `/ops`, and the customer sees the
/// member's name.
#[tokio::test]
async fn a_member_allowed_by_role_answers_from_the_card_thread() {
    let r = rig().await;
    let m = r.fake.post(
        TEXT,
        super::discord::CUSTOMER,
        "I was charged twice this month and I want a refund",
    );
    r.fake
        .wait_until("the escalation card", |f| {
            !f.bot_posts_in(ESCALATIONS).is_empty()
        })
        .await;
    settle(&r.fake, &r.store).await;
    let card = r.fake.bot_posts_in(ESCALATIONS).remove(0);
    let card_id: u64 = card.response["id"].as_str().unwrap().parse().unwrap();
    let before = r.fake.bot_posts_in(m).len();
    r.fake.start_thread(ESCALATIONS, card_id, "refund");
    r.fake.post_as(
        card_id,
        4004,
        &[OPS_ROLE],
        "Refunded the second charge, sorry!",
    );
    r.fake
        .wait_until("the reply relayed to the customer", |f| {
            f.bot_posts_in(m).len() > before
        })
        .await;
    let relayed = r.fake.bot_posts_in(m).pop().unwrap().body.to_string();
    assert!(
        relayed.contains("💬 user4004 (support team): Refunded the second charge, sorry!"),
        "{relayed}"
    );
    r.rt.stop().await;
}

/// A click on a button whose ticket is gone is answered privately: it no longer does anything.
#[tokio::test]
async fn a_stale_button_tells_the_clicker_it_is_no_longer_valid() {
    let r = rig().await;
    let m = r.fake.post(TEXT, super::discord::CUSTOMER, "hello");
    r.fake
        .click(m, super::discord::CUSTOMER, &[], "ticket.solved|987654");
    r.fake
        .wait_until("a private follow-up", |f| {
            f.calls().iter().any(|c| {
                c.status < 300
                    && c.body
                        .to_string()
                        .contains("This button is no longer valid")
            })
        })
        .await;
    let said = r
        .fake
        .calls()
        .into_iter()
        .find(|c| {
            c.body
                .to_string()
                .contains("This button is no longer valid")
        })
        .unwrap();
    assert_eq!(said.body["flags"], 64, "ephemeral: {:?}", said.body);
    r.rt.stop().await;
}
