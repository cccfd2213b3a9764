//! Alert webhooks: every Alertmanager body we have parses; the HTTP hook authenticates, limits, validates
//! and stores before it answers; a group becomes one card that is edited in place, with its history in
//! the card's thread, and re-surfaces with a new card when it fires again after resolving.

use crate::support::{
    self,
    chat::{RecordingChat, Sent},
};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use opsdesk::config::{ChannelSettings, Settings};
use opsdesk::domain::alert::AlertBatch;
use opsdesk::domain::ports::*;
use opsdesk::domain::{ChannelRole, Platform};
use opsdesk::pipeline::Pipeline;
use opsdesk::sender::Sender;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/alerts")
            .join(name),
    )
    .unwrap()
}

pub const SENTRY_SECRET: &str = "sentry-client-secret";
pub const STRIPE_SECRET: &str = "whsec_test_secret";

pub fn settings() -> Settings {
    let mut s = support::settings();
    s.channels.push(ChannelSettings {
        platform: Platform::Slack,
        id: "CALERTS".into(),
        role: ChannelRole::Alerts,
    });
    s.http.max_body_bytes = 64 * 1024;
    s
}

#[test]
fn every_alertmanager_body_parses_into_a_batch() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/alerts");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if !name.ends_with(".json") {
            continue;
        }
        let b = opsdesk::alerts::alertmanager::parse(&fixture(&name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !b.group_key.is_empty() && !b.title.is_empty() && !b.alerts.is_empty(),
            "{name}: {b:?}"
        );
        n += 1;
    }
    assert_eq!(n, 10);
    let resolved =
        opsdesk::alerts::alertmanager::parse(&fixture("am-0.25-webhook-resolved.json")).unwrap();
    assert!(!resolved.firing && resolved.alerts.iter().all(|a| !a.firing));
    let firing =
        opsdesk::alerts::alertmanager::parse(&fixture("am-0.25-webhook-firing.json")).unwrap();
    assert!(
        firing.firing
            && firing.title.starts_with("Http5xxRatioHigh")
            && firing.runbook_url.is_some(),
        "{firing:?}"
    );
}

pub async fn serve(p: Pipeline, token: Option<&str>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let secrets = opsdesk::http::HookSecrets {
        token: token.map(Into::into),
        sentry: Some(SENTRY_SECRET.into()),
        stripe: Some(STRIPE_SECRET.into()),
    };
    let app = opsdesk::http::router(p, secrets);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

pub async fn post(url: &str, token: Option<&str>, body: Vec<u8>) -> (u16, String) {
    let headers: Vec<(&str, String)> = token
        .map(|t| ("authorization", format!("Bearer {t}")))
        .into_iter()
        .collect();
    post_with(url, &headers, body).await
}

pub async fn post_with(url: &str, headers: &[(&str, String)], body: Vec<u8>) -> (u16, String) {
    let client: Client<_, Full<bytes::Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let mut req = http::Request::post(url).header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let resp = client
        .request(req.body(Full::new(bytes::Bytes::from(body))).unwrap())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (
        status,
        String::from_utf8_lossy(&resp.into_body().collect().await.unwrap().to_bytes()).into_owned(),
    )
}

pub async fn get(url: &str) -> (u16, String) {
    let client: Client<_, Full<bytes::Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let resp = client.get(url.parse().unwrap()).await.unwrap();
    let status = resp.status().as_u16();
    (
        status,
        String::from_utf8_lossy(&resp.into_body().collect().await.unwrap().to_bytes()).into_owned(),
    )
}

/// Waits (a few seconds at most) until the hooks' background processing has handled every stored webhook.
pub async fn wait_processed(store: &Arc<dyn Store>) {
    for _ in 0..500 {
        if store
            .inbox_unprocessed(i64::MAX, 1)
            .await
            .unwrap()
            .is_empty()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!(
        "stored webhooks were not processed: {:?}",
        store.inbox_unprocessed(i64::MAX, 10).await.unwrap()
    );
}

#[tokio::test]
async fn the_hook_authenticates_limits_validates_and_stores_before_answering() {
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let p = support::pipeline_with(store.clone(), settings()).await;
    let base = serve(p.clone(), Some("s3cret")).await;
    let hook = format!("{base}/hooks/alertmanager");
    let body = fixture("am-0.25-webhook-firing.json");

    assert_eq!(post(&hook, None, body.clone()).await.0, 401);
    let (status, text) = post(&hook, Some("wrong"), body.clone()).await;
    assert_eq!(
        (status, text.trim()),
        (401, "missing or wrong bearer token")
    );
    let (status, text) = post(&hook, Some("s3cret"), b"{\"status\": \"firing\", ".to_vec()).await;
    assert_eq!(status, 400);
    assert!(
        text.contains("not an Alertmanager webhook body") && text.contains("EOF"),
        "{text}"
    );
    let (status, text) = post(&hook, Some("s3cret"), br#"{"status": "firing"}"#.to_vec()).await;
    assert!(
        status == 400 && text.contains("missing field `alerts`"),
        "{text}"
    );
    assert_eq!(
        post(&hook, Some("s3cret"), vec![b' '; 100 * 1024]).await.0,
        413
    );

    let (status, _) = post(&hook, Some("s3cret"), body.clone()).await;
    assert_eq!(status, 202);
    wait_processed(&store).await;
    assert_eq!(
        post(&hook, Some("s3cret"), body.clone()).await,
        (200, "duplicate\n".into()),
        "a resend of the same body is recognised"
    );
    let groups = store.alert_groups(true, 10).await.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(get(&format!("{base}/healthz")).await, (200, "ok".into()));
    assert_eq!(get(&format!("{base}/readyz")).await.0, 200);
    let (status, metrics) = get(&format!("{base}/metrics")).await;
    assert!(
        status == 200
            && metrics.contains("opsdesk_alert_groups_firing 1")
            && metrics.contains("opsdesk_tickets{state=\"open\"} 0"),
        "{metrics}"
    );

    // Without a token configured, every alert webhook is refused, saying how to turn them on.
    let off = serve(p.clone(), None).await;
    let (status, text) = post(
        &format!("{off}/hooks/alertmanager"),
        Some("s3cret"),
        body.clone(),
    )
    .await;
    assert!(
        status == 401 && text.contains("OPSDESK_ALERTS_TOKEN"),
        "{text}"
    );

    // Storage down: 503, so Alertmanager retries; nothing is acknowledged that was not stored.
    db.store.close().await;
    let (status, text) = post(&hook, Some("s3cret"), fixture("am-0.25-webhook-mixed.json")).await;
    assert!(
        status == 503 && text.contains("not stored"),
        "{status} {text}"
    );
    assert_eq!(get(&format!("{base}/readyz")).await.0, 503);
}

#[tokio::test]
async fn a_group_is_one_card_edited_in_place_with_its_history_in_the_thread() {
    for db in support::backends().await {
        let store: Arc<dyn Store> = Arc::new(db.store.clone());
        let p = support::pipeline_with(store.clone(), settings()).await;
        let chat = Arc::new(RecordingChat::new(Platform::Slack));
        let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
        platforms.insert(Platform::Slack, chat.clone());
        let sender = Sender::new(store.clone(), platforms, "t");
        let d = Desk {
            p: &p,
            store: &store,
            chat: &chat,
            sender: &sender,
        };
        let firing = parse("am-0.25-webhook-firing.json");
        let card = a_firing_group_gets_one_card(&d, &firing).await;
        resolving_edits_the_card_and_tells_its_thread(&d, &firing, &card).await;
        firing_again_posts_one_new_card(&d, &firing).await;
        every_group_is_listed(&d).await;
        db.cleanup().await;
    }
}

/// What each step of the card's life works with.
struct Desk<'a> {
    p: &'a Pipeline,
    store: &'a Arc<dyn Store>,
    chat: &'a RecordingChat,
    sender: &'a Sender,
}

impl Desk<'_> {
    async fn deliver(&self) {
        while self.sender.tick(i64::MAX / 4).await.unwrap() > 0 {}
    }
}

fn parse(name: &str) -> AlertBatch {
    opsdesk::alerts::alertmanager::parse(&fixture(name)).unwrap()
}

async fn a_firing_group_gets_one_card(d: &Desk<'_>, firing: &AlertBatch) -> Sent {
    let (p, chat) = (d.p, d.chat);
    p.on_alert_batch(firing, None, 0).await.unwrap();
    d.deliver().await;
    let card = chat.sent()[0].clone();
    assert_eq!(
        (card.msg.channel.as_str(), card.msg.thread.as_deref()),
        ("CALERTS", None)
    );
    assert!(
        card.msg
            .reply
            .plain()
            .starts_with("🔥 [WARNING] Http5xxRatioHigh"),
        "{}",
        card.msg.reply.plain()
    );
    card
}

/// The same group resolving: the card is edited, the history line goes in its thread.
async fn resolving_edits_the_card_and_tells_its_thread(
    d: &Desk<'_>,
    firing: &AlertBatch,
    card: &Sent,
) {
    let (p, chat) = (d.p, d.chat);
    let mut resolved = parse("am-0.25-webhook-resolved.json");
    resolved.group_key = firing.group_key.clone();
    p.on_alert_batch(&resolved, None, 12 * 60_000)
        .await
        .unwrap();
    d.deliver().await;
    let sent = chat.sent();
    assert_eq!(sent.len(), 3, "{sent:#?}");
    assert!(
        matches!(&sent[1].msg.op, OutboundOp::Update { .. })
            && sent[1].target.as_deref() == Some(card.id.as_str())
    );
    assert!(
        sent[1]
            .msg
            .reply
            .plain()
            .starts_with("✅ Resolved after 12m"),
        "{}",
        sent[1].msg.reply.plain()
    );
    assert_eq!(
        sent[2].msg.thread.as_deref(),
        Some(card.id.as_str()),
        "history in the card's thread"
    );
    assert_eq!(sent[2].msg.reply.plain(), "✅ Resolved after 12m");
}

/// Firing again: one new card that points back.
async fn firing_again_posts_one_new_card(d: &Desk<'_>, firing: &AlertBatch) {
    let (p, chat, store) = (d.p, d.chat, d.store);
    p.on_alert_batch(firing, None, 20 * 60_000).await.unwrap();
    d.deliver().await;
    let again = chat.sent().last().unwrap().clone();
    assert!(matches!(again.msg.op, OutboundOp::Post) && again.msg.thread.is_none());
    assert!(
        again
            .msg
            .reply
            .plain()
            .contains("🔁 Firing again 8m after it resolved; it had fired for 12m"),
        "{}",
        again.msg.reply.plain()
    );
    let g = store
        .alert_group("alertmanager", &firing.group_key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((g.firing, g.updates), (true, 3));
}

/// Every group is listed by `/ops alerts`, firing or not.
async fn every_group_is_listed(d: &Desk<'_>) {
    let (p, store) = (d.p, d.store);
    let mixed = parse("am-0.25-webhook-mixed.json");
    p.on_alert_batch(&mixed, None, 21 * 60_000).await.unwrap();
    let ops = |args: &str| support::ops_command(&format!("ops-{args}"), "founder", args);
    p.handle(ops("alerts"), 22 * 60_000).await.unwrap();
    p.handle(ops("alerts --firing --since 30s"), 22 * 60_000)
        .await
        .unwrap();
    let items = store
        .outbox_claim("probe", i64::MAX / 4, 60_000, 100)
        .await
        .unwrap();
    let lists: Vec<String> = items
        .iter()
        .filter(|i| i.msg.platform == Platform::Console)
        .map(|i| i.msg.reply.plain())
        .collect();
    let rows = |t: &str| {
        t.lines()
            .filter(|l| l.starts_with('#') && l.chars().nth(1).is_some_and(|c| c.is_ascii_digit()))
            .count()
    };
    assert_eq!(rows(&lists[0]), 2, "{}", lists[0]);
    assert!(lists[0].contains("Http5xxRatioHigh"), "{}", lists[0]);
    assert_eq!(
        lists[1], "Nothing is firing.",
        "no group changed in the last 30 s"
    );
}

/// A webhook stored (and acknowledged) but not processed before a crash is processed by the recovery.
#[tokio::test]
async fn a_stored_webhook_left_unprocessed_is_recovered() {
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let p = support::pipeline_with(store.clone(), settings()).await;
    let body = String::from_utf8(fixture("prom_post_request.json")).unwrap();
    store
        .inbox_put("hook:alertmanager:abc", "alertmanager", &body, 0)
        .await
        .unwrap();
    assert_eq!(p.recover(1, 1).await.unwrap(), 1);
    assert_eq!(store.alert_groups(true, 10).await.unwrap().len(), 1);
    assert!(
        store
            .inbox_unprocessed(i64::MAX, 10)
            .await
            .unwrap()
            .is_empty(),
        "marked processed with the group's commit"
    );
}
