//! People acting on alert cards: Acknowledge, Silence (a real silence in a fake Alertmanager speaking
//! API v2), Unsilence, Resolve and Run runbook (sign-off only), by button or typed in the card's thread,
//! each checked against the ops team; anything else typed in the thread gets the group's context.

use super::alerts::{fixture, settings};
use crate::support;
use crate::support::chat::{RecordingChat, Sent};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{delete, post};
use opsdesk::config::RunbookSettings;
use opsdesk::domain::alert::{AlertBatch, AlertGroup};
use opsdesk::domain::ports::*;
use opsdesk::domain::{ApprovalState, Event, EventKind, Platform, Reply};
use opsdesk::pipeline::Pipeline;
use opsdesk::sender::Sender;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Calls = Arc<Mutex<Vec<(String, String)>>>;

/// Alertmanager's silence API: creates silences `sil-1`, `sil-2`… and expires them; records each call.
pub(crate) async fn fake_alertmanager() -> (String, Calls) {
    let calls: Calls = Arc::default();
    let app = Router::new()
        .route(
            "/api/v2/silences",
            post(|State(c): State<Calls>, body: String| async move {
                let mut c = c.lock().unwrap();
                c.push(("POST /api/v2/silences".into(), body));
                axum::Json(serde_json::json!({ "silenceID": format!("sil-{}", c.len()) }))
            }),
        )
        .route(
            "/api/v2/silence/{id}",
            delete(
                |State(c): State<Calls>, Path(id): Path<String>| async move {
                    c.lock()
                        .unwrap()
                        .push((format!("DELETE /api/v2/silence/{id}"), String::new()));
                    "ok"
                },
            ),
        )
        .with_state(calls.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), calls)
}

pub(crate) fn click(n: u32, user: &str, action: &str, value: &str, message: &str) -> Event {
    Event {
        platform: Platform::Slack,
        id: format!("click-{n}"),
        channel: "CALERTS".into(),
        thread: None,
        user: user.into(),
        user_name: Some(format!("{user}-name")),
        roles: vec![],
        interaction: Some(format!("i-{n}")),
        at: 0,
        kind: EventKind::ButtonClicked {
            action: action.into(),
            value: value.into(),
            message: message.into(),
            input: None,
        },
    }
}

pub(crate) fn typed(n: u32, user: &str, thread: &str, text: &str) -> Event {
    Event {
        id: format!("typed-{n}"),
        thread: Some(thread.into()),
        interaction: None,
        kind: EventKind::MessagePosted {
            text: text.into(),
            mentioned: false,
        },
        ..click(n, user, "", "", "")
    }
}

pub(crate) struct Desk {
    pub(crate) _db: support::TestDb,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) p: Pipeline,
    pub(crate) chat: Arc<RecordingChat>,
    pub(crate) sender: Sender,
}

impl Desk {
    pub(crate) async fn new(am_url: &str) -> Desk {
        let db = support::sqlite().await;
        let store: Arc<dyn Store> = Arc::new(db.store.clone());
        let mut s = settings();
        s.ops.allowed_users = vec!["slack:UOPS".into()];
        s.alerts.alertmanager_url = am_url.into();
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
        let p = support::pipeline_with(store.clone(), s).await;
        let chat = Arc::new(RecordingChat::new(Platform::Slack));
        let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
        platforms.insert(Platform::Slack, chat.clone());
        let sender = Sender::new(store.clone(), platforms, "t");
        Desk {
            _db: db,
            store,
            p,
            chat,
            sender,
        }
    }

    pub(crate) async fn deliver(&self) -> Vec<support::chat::Sent> {
        let before = self.chat.sent().len();
        while self.sender.tick(i64::MAX / 4).await.unwrap() > 0 {}
        self.chat.sent()[before..].to_vec()
    }
}

pub(crate) fn texts(sent: &[support::chat::Sent]) -> Vec<String> {
    sent.iter().map(|s| s.msg.reply.plain()).collect()
}

#[tokio::test]
async fn buttons_and_typed_commands_act_on_the_group_for_team_members_only() {
    let (am, calls) = fake_alertmanager().await;
    let d = Desk::new(&am).await;
    let firing =
        opsdesk::alerts::alertmanager::parse(&fixture("am-0.25-webhook-firing.json")).unwrap();
    d.p.on_alert_batch(&firing, None, 0).await.unwrap();
    let (card, g) = card_with_every_button(&d, &firing).await;
    acknowledging_is_for_the_team_and_once(&d, &g, &card).await;
    silencing_makes_an_alertmanager_silence(&d, &calls, &firing, &g, &card).await;
    typed_words_act_like_buttons(&d, &calls, &card).await;
    runbook_asks_for_sign_off_and_resolve_is_audited(&d, &g, &card).await;
}

/// The new group's card, with every button, and its group.
async fn card_with_every_button(d: &Desk, firing: &AlertBatch) -> (Sent, AlertGroup) {
    let card = d.deliver().await[0].clone();
    let Reply::Card(c) = &card.msg.reply else {
        panic!("a card: {card:?}")
    };
    let labels: Vec<&str> = c.buttons.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Acknowledge",
            "Silence 30m",
            "Silence 1h",
            "Silence 4h",
            "Silence 24h",
            "Resolve",
            "Run runbook"
        ]
    );
    let g = d
        .store
        .alert_group("alertmanager", &firing.group_key)
        .await
        .unwrap()
        .unwrap();
    (card, g)
}

async fn acknowledging_is_for_the_team_and_once(d: &Desk, g: &AlertGroup, card: &Sent) {
    let id = g.id.to_string();
    // Someone outside the ops team is told so, privately, and nothing changes.
    d.p.handle(click(1, "UOUT", "alert.ack", &id, &card.id), 60_000)
        .await
        .unwrap();
    let sent = d.deliver().await;
    assert!(
        matches!(sent[0].msg.op, OutboundOp::Ephemeral { .. })
            && texts(&sent)[0].contains("Only the ops team"),
        "{sent:?}"
    );
    assert!(
        d.store
            .alert_group_by_id(g.id)
            .await
            .unwrap()
            .unwrap()
            .acked_by
            .is_none()
    );

    d.p.handle(click(2, "UOPS", "alert.ack", &id, &card.id), 60_000)
        .await
        .unwrap();
    let sent = d.deliver().await;
    assert!(
        matches!(&sent[0].msg.op, OutboundOp::Update { .. })
            && texts(&sent)[0].starts_with("👀 [WARNING]"),
        "{:?}",
        texts(&sent)
    );
    assert_eq!(sent[1].msg.thread.as_deref(), Some(card.id.as_str()));
    assert_eq!(texts(&sent)[1], "👀 Acknowledged by UOPS-name");
    d.p.handle(click(3, "UOPS", "alert.ack", &id, &card.id), 61_000)
        .await
        .unwrap();
    assert_eq!(
        texts(&d.deliver().await),
        ["Already acknowledged by UOPS-name."]
    );
}

/// Silence 1h: a real silence in Alertmanager, matching the group's labels, ending in an hour.
async fn silencing_makes_an_alertmanager_silence(
    d: &Desk,
    calls: &Calls,
    firing: &AlertBatch,
    g: &AlertGroup,
    card: &Sent,
) {
    let id = g.id.to_string();
    d.p.handle(
        click(4, "UOPS", "alert.silence", &format!("{id}:1h"), &card.id),
        120_000,
    )
    .await
    .unwrap();
    let sent = d.deliver().await;
    assert!(
        texts(&sent)[1].contains("🔕 Silenced by UOPS-name for 1h")
            && texts(&sent)[1].contains("sil-1"),
        "{:?}",
        texts(&sent)
    );
    let (call, body) = calls.lock().unwrap()[0].clone();
    assert_eq!(call, "POST /api/v2/silences");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["endsAt"], "1970-01-01T01:02:00.000Z");
    assert!(
        body["matchers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "alertname" && m["value"] == "Http5xxRatioHigh"),
        "{body}"
    );
    let g = d.store.alert_group_by_id(g.id).await.unwrap().unwrap();
    assert_eq!(
        (g.silence_id.as_deref(), g.silenced_until),
        (Some("sil-1"), Some(120_000 + 3_600_000))
    );

    // While silenced the card stays current but its thread is quiet.
    let mut update = firing.clone();
    update.alerts.push(update.alerts[0].clone());
    d.p.on_alert_batch(&update, None, 180_000).await.unwrap();
    let sent = d.deliver().await;
    assert_eq!(sent.len(), 1, "only the card edit: {:?}", texts(&sent));
    let Reply::Card(c) = &sent[0].msg.reply else {
        panic!()
    };
    assert!(
        c.buttons.iter().any(|b| b.label == "Unsilence")
            && c.fields.iter().any(|f| f.name == "Silenced"),
        "{c:?}"
    );
}

/// Typed in the card's thread: the same actions, the same checks.
async fn typed_words_act_like_buttons(d: &Desk, calls: &Calls, card: &Sent) {
    d.p.handle(typed(5, "UOUT", &card.id, "unsilence"), 190_000)
        .await
        .unwrap();
    assert!(
        d.deliver().await.is_empty(),
        "someone outside the team typing in the thread is ignored"
    );
    d.p.handle(typed(6, "UOPS", &card.id, "unsilence"), 200_000)
        .await
        .unwrap();
    assert_eq!(
        texts(&d.deliver().await)[1],
        "🔔 Silence lifted by UOPS-name"
    );
    assert_eq!(calls.lock().unwrap()[1].0, "DELETE /api/v2/silence/sil-1");
    d.p.handle(typed(7, "UOPS", &card.id, "silence for a while"), 210_000)
        .await
        .unwrap();
    let sent = d.deliver().await;
    assert!(
        texts(&sent)[0].contains("not a duration"),
        "{:?}",
        texts(&sent)
    );
    assert_eq!(
        sent[0].msg.thread.as_deref(),
        Some(card.id.as_str()),
        "the answer goes in the thread"
    );

    d.p.handle(typed(8, "UOPS", &card.id, "why is this firing?"), 220_000)
        .await
        .unwrap();
    let answer = texts(&d.deliver().await).remove(0);
    assert!(
        answer.contains("Labels: alertname=Http5xxRatioHigh")
            && answer.contains("Runbook: restart-api"),
        "{answer}"
    );
    assert!(
        answer.contains("History: first seen 1970-01-01 00:00 UTC")
            && answer.contains("acknowledged by UOPS-name"),
        "{answer}"
    );
}

/// Run runbook asks for sign-off; nothing runs. Resolve by hand; every action is audited.
async fn runbook_asks_for_sign_off_and_resolve_is_audited(d: &Desk, g: &AlertGroup, card: &Sent) {
    let id = g.id.to_string();
    d.p.handle(typed(9, "UOPS", &card.id, "runbook"), 230_000)
        .await
        .unwrap();
    assert!(
        texts(&d.deliver().await)
            .iter()
            .any(|t| t.contains("Asked for sign-off to run restart-api"))
    );
    let pending = d
        .store
        .approvals(&[ApprovalState::Pending], 10)
        .await
        .unwrap();
    assert_eq!((pending.len(), pending[0].kind.name()), (1, "runbook"));
    assert!(
        pending[0].reason.contains(&format!("alert group #{id}")),
        "{:?}",
        pending[0]
    );

    d.p.handle(click(10, "UOPS", "alert.resolve", &id, &card.id), 240_000)
        .await
        .unwrap();
    let sent = d.deliver().await;
    assert!(
        texts(&sent)[0].starts_with("✅ Resolved after 4m")
            && texts(&sent)[1].starts_with("✅ Resolved by hand by UOPS-name"),
        "{:?}",
        texts(&sent)
    );
    let audit: Vec<String> = d
        .store
        .audit_recent(20)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action.name().into_owned())
        .collect();
    for a in [
        "alert.ack",
        "alert.silence",
        "alert.unsilence",
        "alert.resolve",
    ] {
        assert!(audit.iter().any(|x| x == a), "{a} audited: {audit:?}");
    }
}
