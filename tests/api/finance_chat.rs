//! The weekly digest on the fake Slack and the fake Discord, through the real clients: the digest card
//! with Sign off / Flag in the finance channel, and its MRR chart uploaded as a PNG in the card's thread
//! (Slack's getUploadURLExternal → upload → completeUploadExternal; a Discord attachment).

use super::discord::{settings as discord_settings, settle, start_with};
use super::finance_month::month;
use super::slack::rig_with;
use crate::support::{self, discord::FINANCE, discord::FakeDiscord};
use opsdesk::config::ChannelSettings;
use opsdesk::domain::ports::Store;
use opsdesk::domain::{ChannelRole, Platform};
use opsdesk::finance::report::parse_date;
use opsdesk::pipeline::Pipeline;
use std::sync::Arc;

/// A past Monday, 08:30 in Paris: the weekly digest is due (and its messages are due by the wall clock).
fn monday_0830() -> i64 {
    parse_date("2026-11-23").unwrap() + 7 * 3_600_000 + 1_800_000
}

async fn feed(p: &Pipeline) {
    for e in month() {
        p.on_stripe_event(
            &opsdesk::finance::stripe::parse_event(e.to_string().as_bytes()).unwrap(),
            None,
            0,
        )
        .await
        .unwrap();
    }
}

fn tune(s: &mut opsdesk::config::Settings) {
    s.finance.timezone = "Europe/Paris".into();
    s.finance.daily_cron = String::new();
    s.finance.weekly_cron = "30 8 * * MON".into();
}

#[tokio::test]
async fn the_weekly_digest_and_its_chart_reach_slack() {
    let r = rig_with(|s| {
        tune(s);
        s.channels.push(ChannelSettings {
            platform: Platform::Slack,
            id: "CFIN".into(),
            role: ChannelRole::Finance,
        });
    })
    .await;
    feed(&r.rt.pipeline).await;
    assert_eq!(r.rt.pipeline.finance_tick(monday_0830()).await.unwrap(), 1);
    r.settle().await;
    let card = r
        .fake
        .ok_calls("chat.postMessage")
        .into_iter()
        .find(|c| c.channel() == "CFIN" && c.body["text"].as_str().unwrap_or("").starts_with("📊"))
        .expect("the digest");
    assert!(
        card.body["text"]
            .as_str()
            .unwrap()
            .starts_with("📊 Weekly finance digest, 2026-11-16 to 2026-11-22"),
        "{}",
        card.body
    );
    assert!(
        card.body["blocks"].to_string().contains("Sign off")
            && card.body["blocks"].to_string().contains("Flag")
    );
    let ts = card.response["ts"].as_str().unwrap();
    let url = r
        .fake
        .ok_calls("files.getUploadURLExternal")
        .pop()
        .expect("an upload URL was asked for");
    let file = url.response["file_id"].as_str().unwrap().to_string();
    assert!(
        r.fake
            .upload(&file)
            .expect("the bytes were uploaded")
            .starts_with(b"\x89PNG")
    );
    let done = r
        .fake
        .ok_calls("files.completeUploadExternal")
        .pop()
        .expect("the upload was completed");
    assert_eq!(
        (
            done.body["channel_id"].as_str(),
            done.body["thread_ts"].as_str()
        ),
        (Some("CFIN"), Some(ts)),
        "in the digest's thread"
    );
}

#[tokio::test]
async fn the_weekly_digest_and_its_chart_reach_discord() {
    let fake = FakeDiscord::start().await;
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let mut s = discord_settings(&fake);
    tune(&mut s);
    s.channels.push(ChannelSettings {
        platform: Platform::Discord,
        id: FINANCE.to_string(),
        role: ChannelRole::Finance,
    });
    let rt = start_with(&fake, store.clone(), s).await;
    feed(&rt.pipeline).await;
    assert_eq!(rt.pipeline.finance_tick(monday_0830()).await.unwrap(), 1);
    settle(&fake, &store).await;
    let posts = fake.bot_posts_in(FINANCE);
    let card = posts
        .iter()
        .find(|c| {
            c.body["embeds"][0]["title"]
                .as_str()
                .unwrap_or("")
                .starts_with("📊 Weekly")
        })
        .expect("the digest");
    let id: u64 = card.response["id"].as_str().unwrap().parse().unwrap();
    // One chart per currency with MRR, the largest first.
    let charts = fake.bot_posts_in(id);
    let names: Vec<&str> = charts
        .iter()
        .filter_map(|c| c.body["_files"][0]["name"].as_str())
        .collect();
    assert_eq!(names, ["mrr-usd-12-weeks.png", "mrr-eur-12-weeks.png"]);
    let chart = &charts[0];
    assert_eq!(chart.body["_files"][0]["png"], true);
    assert_eq!(
        chart.response["attachments"][0]["filename"],
        "mrr-usd-12-weeks.png"
    );
    rt.stop().await;
    db.cleanup().await;
}
