//! Alerts end to end on the fake Discord, through the real serenity client, routed by label to a Discord
//! channel: firing → resolved → re-fire gives one card edited in place, its history in the card's thread,
//! one new card on re-fire; a click on Acknowledge and `resolve` typed in the thread act on it.

use super::alerts::fixture;
use super::discord::{button_ids, settings, settle, start_with};
use crate::support::{self, discord::ALERTS, discord::FakeDiscord};
use opsdesk::config::AlertRoute;
use opsdesk::domain::Platform;
use opsdesk::domain::alert::AlertBatch;
use opsdesk::domain::ports::Store;
use opsdesk::pipeline::Pipeline;
use std::sync::Arc;

const ADMIN: u64 = 1001;

#[tokio::test]
async fn a_routed_alert_group_lives_as_one_card_on_discord() {
    let fake = FakeDiscord::start().await;
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let mut s = settings(&fake);
    let route = AlertRoute {
        matches: [("severity".to_string(), "warning|critical".to_string())].into(),
        platform: Platform::Discord,
        channel: ALERTS.to_string(),
    };
    s.alerts.routes.push(route);
    let rt = start_with(&fake, store.clone(), s).await;
    let firing = parse("am-0.25-webhook-firing.json");
    let now = opsdesk::clock::now() - 15 * 60_000; // in the past: the sender delivers what is due by the wall clock
    let a = At {
        fake: &fake,
        store: &store,
        p: &rt.pipeline,
    };
    let card = the_group_is_routed_to_one_card(&a, &firing, now).await;
    resolving_edits_it_and_tells_its_thread(&a, &firing, card, now).await;
    let (card2, ack) = a_re_fire_posts_a_new_card_linking_the_old(&a, &firing, card, now).await;
    a_click_and_typed_words_act_on_it(&a, card2, &ack).await;
    assert!(fake.violations().is_empty());
    rt.stop().await;
    db.cleanup().await;
}

/// The fake, the store and the pipeline each step works with.
struct At<'a> {
    fake: &'a FakeDiscord,
    store: &'a Arc<dyn Store>,
    p: &'a Pipeline,
}

fn parse(name: &str) -> AlertBatch {
    opsdesk::alerts::alertmanager::parse(&fixture(name)).unwrap()
}

/// Routed by severity to the Discord alerts channel; the card's message id.
async fn the_group_is_routed_to_one_card(a: &At<'_>, firing: &AlertBatch, now: i64) -> u64 {
    let (p, fake, store) = (a.p, a.fake, a.store);
    p.on_alert_batch(firing, None, now).await.unwrap();
    settle(fake, store).await;
    let cards = fake.bot_posts_in(ALERTS);
    assert_eq!(
        cards.len(),
        1,
        "routed to the Discord alerts channel by severity"
    );
    let card: u64 = cards[0].response["id"].as_str().unwrap().parse().unwrap();
    assert!(
        cards[0].body["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("🔥 [WARNING] Http5xxRatioHigh"),
        "{}",
        cards[0].body
    );
    card
}

async fn resolving_edits_it_and_tells_its_thread(
    a: &At<'_>,
    firing: &AlertBatch,
    card: u64,
    now: i64,
) {
    let (p, fake, store) = (a.p, a.fake, a.store);
    let mut resolved = parse("am-0.25-webhook-resolved.json");
    resolved.group_key = firing.group_key.clone();
    p.on_alert_batch(&resolved, None, now + 5 * 60_000)
        .await
        .unwrap();
    settle(fake, store).await;
    let edits = fake.ok(
        "PATCH",
        &format!("/api/v10/channels/{ALERTS}/messages/{card}"),
    );
    assert!(
        edits.last().unwrap().body["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("✅ Resolved after 5m"),
        "{:?}",
        edits.last()
    );
    assert_eq!(
        fake.ok(
            "POST",
            &format!("/api/v10/channels/{ALERTS}/messages/{card}/threads")
        )
        .len(),
        1,
        "the card's thread"
    );
    let history: Vec<String> = fake
        .bot_posts_in(card)
        .iter()
        .map(|c| c.body["content"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(history, ["✅ Resolved after 5m"]);
}

/// One new card on re-fire, linking the old one; its id and its Acknowledge button.
async fn a_re_fire_posts_a_new_card_linking_the_old(
    a: &At<'_>,
    firing: &AlertBatch,
    card: u64,
    now: i64,
) -> (u64, String) {
    let (p, fake, store) = (a.p, a.fake, a.store);
    p.on_alert_batch(firing, None, now + 10 * 60_000)
        .await
        .unwrap();
    settle(fake, store).await;
    let cards = fake.bot_posts_in(ALERTS);
    assert_eq!(cards.len(), 2, "one new card on re-fire");
    let card2: u64 = cards[1].response["id"].as_str().unwrap().parse().unwrap();
    let link = format!(
        "https://discord.com/channels/{}/{ALERTS}/{card}",
        crate::support::discord::GUILD
    );
    assert!(
        cards[1].body.to_string().contains(&link),
        "the new card links the old one: {}",
        cards[1].body
    );
    let ack = button_ids(&cards[1].body)
        .into_iter()
        .find(|b| b.starts_with("alert.ack"))
        .expect("an Acknowledge button");
    (card2, ack)
}

/// A team member clicks Acknowledge, then types `resolve` in the card's thread.
async fn a_click_and_typed_words_act_on_it(a: &At<'_>, card2: u64, ack: &str) {
    let (fake, store) = (a.fake, a.store);
    fake.click(card2, ADMIN, &[], ack);
    settle(fake, store).await;
    fake.wait_until("the acknowledgement in the thread", |f| {
        !f.bot_posts_in(card2).is_empty()
    })
    .await;
    fake.post(card2, ADMIN, "resolve");
    fake.wait_until("the resolution in the thread", |f| {
        f.bot_posts_in(card2).len() >= 2
    })
    .await;
    settle(fake, store).await;
    let thread: Vec<String> = fake
        .bot_posts_in(card2)
        .iter()
        .map(|c| c.body["content"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        thread[0].starts_with("👀 Acknowledged by")
            && thread[1].starts_with("✅ Resolved by hand by"),
        "{thread:?}"
    );
    let last = fake
        .ok(
            "PATCH",
            &format!("/api/v10/channels/{ALERTS}/messages/{card2}"),
        )
        .pop()
        .unwrap();
    assert!(
        last.body["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("✅ Resolved"),
        "{}",
        last.body
    );
}
