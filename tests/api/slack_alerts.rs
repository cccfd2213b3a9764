//! Alerts end to end on the fake Slack, through the real slack-morphism client: firing → update →
//! resolved → re-fire gives one card edited in place (chat.update), its history in the card's thread,
//! and one new card on re-fire; a click on Acknowledge and `silence 2h` typed in the thread act on it.

use super::alerts::fixture;
use super::slack::{Rig, rig_with};
use crate::support::slack::{Call, FakeSlack};
use opsdesk::config::ChannelSettings;
use opsdesk::domain::alert::AlertBatch;
use opsdesk::domain::{ChannelRole, Platform};

const ALERTS: &str = "CALERTS";

#[tokio::test]
async fn an_alert_group_lives_as_one_card_with_its_history_in_the_thread() {
    let r = rig_with(|s| {
        s.channels.push(ChannelSettings {
            platform: Platform::Slack,
            id: ALERTS.into(),
            role: ChannelRole::Alerts,
        })
    })
    .await;
    let firing = parse("am-0.25-webhook-firing.json");
    let now = opsdesk::clock::now() - 15 * 60_000; // in the past: the runtime's sender delivers what is due by the wall clock
    let card_ts = one_card_with_unique_action_ids(&r, &firing, now).await;
    updates_edit_it_and_its_thread_tells_the_history(&r, &firing, &card_ts, now).await;
    let card2 = a_re_fire_posts_one_new_card_linking_the_old(&r, &firing, &card_ts, now).await;
    a_click_and_typed_words_act_on_it(&r, &firing, &card2).await;
}

fn parse(name: &str) -> AlertBatch {
    opsdesk::alerts::alertmanager::parse(&fixture(name)).unwrap()
}

/// The alerts channel's top-level posts and replies.
fn posts(f: &FakeSlack) -> Vec<Call> {
    f.ok_calls("chat.postMessage")
        .into_iter()
        .filter(|c| c.channel() == ALERTS)
        .collect()
}

/// The first card; its `ts`.
async fn one_card_with_unique_action_ids(r: &Rig, firing: &AlertBatch, now: i64) -> String {
    r.rt.pipeline
        .on_alert_batch(firing, None, now)
        .await
        .unwrap();
    r.settle().await;
    let card = posts(&r.fake)[0].clone();
    let card_ts = card.response["ts"].as_str().unwrap().to_string();
    assert!(
        card.body["text"]
            .as_str()
            .unwrap()
            .starts_with("🔥 [WARNING] Http5xxRatioHigh"),
        "{}",
        card.body
    );
    assert!(
        card.body["blocks"].to_string().contains("alert.silence#2"),
        "repeated actions get unique ids"
    );
    card_ts
}

/// An update with one more alert, then the resolution: the same card edited, lines in its thread.
async fn updates_edit_it_and_its_thread_tells_the_history(
    r: &Rig,
    firing: &AlertBatch,
    card_ts: &str,
    now: i64,
) {
    let p = &r.rt.pipeline;
    let mut more = firing.clone();
    more.alerts.push(opsdesk::domain::alert::AlertItem {
        fingerprint: "x".into(),
        firing: true,
        summary: "one more".into(),
    });
    p.on_alert_batch(&more, None, now + 60_000).await.unwrap();
    let mut resolved = parse("am-0.25-webhook-resolved.json");
    resolved.group_key = firing.group_key.clone();
    p.on_alert_batch(&resolved, None, now + 5 * 60_000)
        .await
        .unwrap();
    r.settle().await;
    let edits: Vec<String> = r
        .fake
        .ok_calls("chat.update")
        .into_iter()
        .filter(|c| c.body["ts"] == card_ts)
        .map(|c| c.body["text"].to_string())
        .collect();
    assert!(
        edits.last().unwrap().contains("Resolved after 5m"),
        "{edits:?}"
    );
    let thread: Vec<String> = r
        .replies_in(ALERTS, card_ts)
        .iter()
        .map(|b| b["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(thread, ["🔥 5 firing, 0 resolved", "✅ Resolved after 5m"]);
    assert!(
        thread
            .iter()
            .all(|t| !t.contains("<@") && !t.contains("<!")),
        "history mentions nobody"
    );
}

/// Re-fire: exactly one new top-level card, linking the old one; its `ts`.
async fn a_re_fire_posts_one_new_card_linking_the_old(
    r: &Rig,
    firing: &AlertBatch,
    card_ts: &str,
    now: i64,
) -> String {
    let p = &r.rt.pipeline;
    p.on_alert_batch(firing, None, now + 10 * 60_000)
        .await
        .unwrap();
    r.settle().await;
    let all = posts(&r.fake);
    let top: Vec<_> = all
        .iter()
        .filter(|c| c.body["thread_ts"].is_null())
        .collect();
    assert_eq!(top.len(), 2);
    assert!(
        top[1].body["text"].as_str().unwrap().contains("🔥"),
        "{}",
        top[1].body
    );
    assert!(
        top[1].body["blocks"]
            .to_string()
            .contains("Firing again 5m after it resolved"),
        "{}",
        top[1].body
    );
    let card2 = top[1].response["ts"].as_str().unwrap().to_string();
    let link = format!(
        "https://slack.com/archives/{ALERTS}/p{}",
        card_ts.replace('.', "")
    );
    assert!(
        top[1].body["blocks"].to_string().contains(&link),
        "the new card links the old one: {}",
        top[1].body
    );
    card2
}

/// A team member clicks Acknowledge, then types `silence 2h` in the thread.
async fn a_click_and_typed_words_act_on_it(r: &Rig, firing: &AlertBatch, card2: &str) {
    let g = r
        .store
        .alert_group("alertmanager", &firing.group_key)
        .await
        .unwrap()
        .unwrap();
    r.fake.push(
        "interactive",
        FakeSlack::click(
            ALERTS,
            "UADMIN",
            card2,
            None,
            "alert.ack",
            &g.id.to_string(),
            "1700000100.000001",
        ),
    );
    r.settle().await;
    r.fake.push(
        "events_api",
        FakeSlack::message(
            "EvSilence",
            ALERTS,
            "UADMIN",
            "1700000200.000001",
            Some(card2),
            "silence 2h",
        ),
    );
    r.settle().await;
    let thread: Vec<String> = r
        .replies_in(ALERTS, card2)
        .iter()
        .map(|b| b["text"].as_str().unwrap().to_string())
        .collect();
    assert!(
        thread[0].starts_with("👀 Acknowledged by UADMIN"),
        "{thread:?}"
    );
    assert!(
        thread[1].starts_with("🔕 Silenced by")
            && thread[1].contains("UADMIN")
            && thread[1].contains("for 2h"),
        "{thread:?}"
    );
    let last_edit = r
        .fake
        .ok_calls("chat.update")
        .into_iter()
        .rfind(|c| c.body["ts"] == card2)
        .unwrap();
    assert!(
        last_edit.body["blocks"].to_string().contains("Unsilence"),
        "{}",
        last_edit.body
    );
    let g = r.store.alert_group_by_id(g.id).await.unwrap().unwrap();
    assert!(
        g.acked_by.is_some() && g.silenced_until.is_some() && g.silence_id.is_none(),
        "kept by opsdesk: no Alertmanager configured"
    );
}
