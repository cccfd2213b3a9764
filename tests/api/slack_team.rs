//! The team's side of Slack end to end: `/ops` answered privately and refused to strangers, sign-
//! off's Deny asking for a reason in a modal, and `doctor` checking the token, scopes and Socket
//! Mode.

use std::collections::HashMap;

use super::slack::{COMMUNITY, ESCALATIONS, Rig, button_ids, rig};
use crate::support::slack::FakeSlack;

#[tokio::test]
async fn ops_commands_are_ephemeral_and_refused_to_strangers() {
    let r = rig().await;
    r.fake.set_group("SOPS", &["UGROUPIE"]);
    r.fake.push(
        "slash_commands",
        FakeSlack::command(COMMUNITY, "UADMIN", "tickets", "trig-1"),
    );
    r.fake.push(
        "slash_commands",
        FakeSlack::command(COMMUNITY, "USTRANGER", "tickets", "trig-2"),
    );
    r.fake.push(
        "slash_commands",
        FakeSlack::command(COMMUNITY, "UGROUPIE", "status", "trig-3"),
    );
    r.fake
        .wait_until("three ephemeral replies", |f| {
            f.ok_calls("chat.postEphemeral").len() == 3
        })
        .await;
    r.settle().await;
    let by_user: HashMap<String, String> = r
        .fake
        .ok_calls("chat.postEphemeral")
        .into_iter()
        .map(|c| {
            (
                c.body["user"].as_str().unwrap().to_string(),
                c.body["text"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        !by_user["UADMIN"].contains("Sorry"),
        "{}",
        by_user["UADMIN"]
    );
    assert!(
        by_user["USTRANGER"].contains("Sorry, /ops is only for"),
        "{}",
        by_user["USTRANGER"]
    );
    assert!(
        !by_user["UGROUPIE"].contains("Sorry"),
        "a member of an allowed user group may: {}",
        by_user["UGROUPIE"]
    );
    assert!(
        r.fake.ok_calls("chat.postMessage").is_empty(),
        "command replies are never public"
    );
    let refused = r.store.audit_recent(10).await.unwrap();
    assert!(
        refused
            .iter()
            .any(|a| a.action.name() == "ops.refused" && a.actor == "slack:USTRANGER")
    );
    r.rt.stop().await;
}

/// The manifest asks for exactly the scopes doctor checks, and doctor names what is missing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_checks_the_token_scopes_and_socket_mode() {
    let manifest = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/slack-app-manifest.yml"
    ))
    .unwrap();
    let granted: Vec<&str> = manifest
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("bot:"))
        .skip(1)
        .take_while(|l| l.trim_start().starts_with("- "))
        .map(|l| {
            l.trim_start()
                .trim_start_matches("- ")
                .split_whitespace()
                .next()
                .unwrap()
        })
        .collect();
    let mut wanted = opsdesk::chat::slack::check::BOT_SCOPES.to_vec();
    let mut listed = granted.clone();
    wanted.sort();
    listed.sort();
    assert_eq!(
        listed, wanted,
        "the manifest and doctor agree on the scopes"
    );

    let fake = FakeSlack::start().await;
    let run = |fake: &FakeSlack| {
        let api = fake.api_url();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_opsdesk"))
                .arg("doctor")
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env_remove("DATABASE_URL")
                .env("OPSDESK__STORE__URL", "sqlite::memory:")
                .env("OPSDESK__SLACK__API_URL", api)
                .env("SLACK_APP_TOKEN", "xapp-fake")
                .env("SLACK_BOT_TOKEN", "xoxb-fake")
                .output()
                .unwrap()
        })
    };
    fake.set_scopes(&granted.join(","));
    let o = run(&fake).await.unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("workspace \"Fake Co\" as bot user UBOT")
            && out.contains("all granted")
            && out.contains("Socket Mode available"),
        "{out}"
    );
    assert!(
        !out.contains("xoxb-fake") && !out.contains("xapp-fake"),
        "no secrets in the output"
    );

    fake.set_scopes("chat:write,commands");
    let o = run(&fake).await.unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!o.status.success());
    assert!(out.contains("missing app_mentions:read, channels:history, groups:history, reactions:write, usergroups:read, users:read, users:read.email"), "{out}");
}

/// Deny asks why in a modal (`views.open`); the submitted view is the decision, with its reason.
#[tokio::test]
async fn deny_opens_a_reason_modal_and_the_submission_decides() {
    let r = rig().await;
    let (card_ts, deny, value) = a_runbook_request_gets_a_card_whose_deny_asks_why(&r).await;
    the_reason_from_the_modal_decides_and_is_told(&r, &card_ts, &deny, &value).await;
    r.rt.stop().await;
}

/// The sign-off card's `ts`, its Deny button's action id and value.
async fn a_runbook_request_gets_a_card_whose_deny_asks_why(r: &Rig) -> (String, String, String) {
    r.fake.push(
        "slash_commands",
        FakeSlack::command(
            COMMUNITY,
            "UADMIN",
            "runbook restart-api the API is stuck",
            "trig-10",
        ),
    );
    r.fake
        .wait_until("the sign-off card", |f| {
            f.ok_calls("chat.postMessage")
                .iter()
                .any(|c| c.body.to_string().contains("Sign-off needed"))
        })
        .await;
    r.settle().await;
    let card = r
        .fake
        .ok_calls("chat.postMessage")
        .into_iter()
        .find(|c| c.body.to_string().contains("Sign-off needed"))
        .unwrap();
    let card_ts = card.response["ts"].as_str().unwrap().to_string();
    let ids = button_ids(&card.body);
    assert_eq!(ids[0], "approval.approve");
    assert_eq!(
        ids[1], "approval.deny?Why deny this request?",
        "the Deny button carries its question"
    );
    let value = card.body["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "actions")
        .unwrap()["elements"][1]["value"]
        .as_str()
        .unwrap()
        .to_string();
    (card_ts, ids[1].clone(), value)
}

async fn the_reason_from_the_modal_decides_and_is_told(
    r: &Rig,
    card_ts: &str,
    deny: &str,
    value: &str,
) {
    r.fake.push(
        "interactive",
        FakeSlack::click(COMMUNITY, "UBOSS", card_ts, None, deny, value, "700.1"),
    );
    r.fake
        .wait_until("the modal", |f| !f.ok_calls("views.open").is_empty())
        .await;
    let open = &r.fake.ok_calls("views.open")[0].body;
    assert_eq!(open["trigger_id"], "trig-700.1");
    assert_eq!(
        open["view"]["blocks"][0]["label"]["text"],
        "Why deny this request?"
    );
    let meta = open["view"]["private_metadata"]
        .as_str()
        .unwrap()
        .to_string();

    r.fake.push(
        "interactive",
        FakeSlack::view_submission("UBOSS", "V42", &meta, "not during the launch"),
    );
    r.fake
        .wait_until("the card edited", |f| {
            f.ok_calls("chat.update")
                .iter()
                .any(|c| c.body["ts"] == card_ts)
        })
        .await;
    r.settle().await;
    let edit = r
        .fake
        .ok_calls("chat.update")
        .into_iter()
        .find(|c| c.body["ts"] == card_ts)
        .unwrap()
        .body
        .to_string();
    assert!(
        edit.contains("Denied") && edit.contains("not during the launch"),
        "{edit}"
    );
    let told = r.fake.ok_calls("chat.postMessage").into_iter().any(|c| {
        c.body
            .to_string()
            .contains("was denied by slack:UBOSS: not during the launch")
    });
    assert!(told, "the requester hears why");
}

/// A team member allowed through a Slack user group answers a customer from the escalation card's
/// thread; the customer sees the member's display name (`users.info`), not a user id.
#[tokio::test]
async fn a_group_member_answers_from_the_card_thread_under_their_name() {
    let r = rig().await;
    r.fake.set_group("SOPS", &["UCAROL"]);
    r.fake
        .add_user("UCAROL", "Carol", "Carol Smith", "carol@example.com");
    let asked = "I was charged twice this month and I want a refund";
    r.fake.push(
        "events_api",
        FakeSlack::message("Ev1", COMMUNITY, "UCUST", "1700000100.000100", None, asked),
    );
    r.fake
        .wait_until("the escalation card", |f| {
            f.ok_calls("chat.postMessage")
                .iter()
                .any(|c| c.channel() == ESCALATIONS)
        })
        .await;
    r.settle().await;
    let card = r
        .fake
        .ok_calls("chat.postMessage")
        .into_iter()
        .find(|c| c.channel() == ESCALATIONS)
        .unwrap();
    let card_ts = card.response["ts"].as_str().unwrap().to_string();
    let text = "Refunded the second charge, sorry!";
    let reply = FakeSlack::message(
        "Ev2",
        ESCALATIONS,
        "UCAROL",
        "1700000200.000100",
        Some(&card_ts),
        text,
    );
    r.fake.push("events_api", reply);
    r.fake
        .wait_until("the reply relayed", |f| {
            f.ok_calls("chat.postMessage")
                .iter()
                .any(|c| c.body["text"].to_string().contains(text))
        })
        .await;
    r.settle().await;
    let relayed = r
        .replies_in(COMMUNITY, "1700000100.000100")
        .into_iter()
        .map(|b| b["text"].as_str().unwrap_or("").to_string())
        .find(|t| t.contains(text))
        .expect("relayed in the customer's thread");
    assert_eq!(relayed, format!("💬 Carol (support team): {text}"));
    r.rt.stop().await;
}

/// A click on a stale or unknown button is acknowledged and the clicker is told, privately, that it no
/// longer does anything.
#[tokio::test]
async fn a_stale_button_tells_the_clicker_it_is_no_longer_valid() {
    let r = rig().await;
    for (i, (action, value)) in [("ticket.solved", "987654"), ("frobnicate", "1")]
        .into_iter()
        .enumerate()
    {
        let ts = format!("80{i}.1");
        r.fake.push(
            "interactive",
            FakeSlack::click(
                COMMUNITY,
                "UCUST",
                "1700000000.000001",
                None,
                action,
                value,
                &ts,
            ),
        );
    }
    r.fake
        .wait_until("two private replies", |f| {
            f.ok_calls("chat.postEphemeral").len() == 2
        })
        .await;
    r.settle().await;
    for c in r.fake.ok_calls("chat.postEphemeral") {
        assert_eq!(c.body["user"], "UCUST");
        let text = c.body.to_string();
        assert!(text.contains("This button is no longer valid"), "{text}");
    }
    r.rt.stop().await;
}
