//! `alerts.title`: a template names alert cards from the group's labels; a template that does not
//! parse stops start-up naming the setting.

use super::alerts::{fixture, settings};
use crate::support::{self, chat::RecordingChat};
use opsdesk::domain::Platform;
use opsdesk::domain::ports::*;
use opsdesk::sender::Sender;
use std::collections::HashMap;
use std::sync::Arc;

#[tokio::test]
async fn a_title_template_names_the_card_from_its_labels() {
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let mut s = settings();
    s.alerts.title =
        "{{ labels.team | upper }} · {{ alertname }} on {{ labels.service }} ({{ count }})".into();
    let p = support::pipeline_with(store.clone(), s).await;
    let chat = Arc::new(RecordingChat::new(Platform::Slack));
    let mut platforms: HashMap<Platform, Arc<dyn ChatPlatform>> = HashMap::new();
    platforms.insert(Platform::Slack, chat.clone());
    let sender = Sender::new(store.clone(), platforms, "t");
    let batch = opsdesk::alerts::alertmanager::parse(&fixture("am-0.25-webhook-firing.json"))
        .expect("the fixture parses");
    let n = batch.alerts.len();
    p.on_alert_batch(&batch, None, 0).await.expect("applied");
    while sender.tick(i64::MAX / 4).await.expect("delivered") > 0 {}
    let card = chat.sent()[0].msg.reply.plain();
    let want = format!("🔥 [WARNING] PAYMENTS · Http5xxRatioHigh on svc-000 ({n})");
    assert!(card.starts_with(&want), "{card}");
    // A generic alert has no `alertname` label: its name is kept for runbooks and `/ops alerts`.
    let generic = opsdesk::alerts::generic::parse(
        br#"{"title": "Backups failed", "labels": {"team": "data", "service": "db"}}"#,
    )
    .expect("a generic alert");
    p.on_alert_batch(&generic, None, 1).await.expect("applied");
    let groups = store.alert_groups(true, 10).await.expect("groups");
    let backups = groups
        .iter()
        .find(|g| g.title.starts_with("DATA · Backups failed on db"))
        .expect("the generic group, titled by the template");
    assert_eq!(backups.alertname(), "Backups failed");
}

#[tokio::test]
async fn a_title_template_that_does_not_parse_names_the_setting() {
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let mut s = settings();
    s.alerts.title = "{{ labels.team ".into();
    let e = opsdesk::app::pipeline(s, store, vec![])
        .await
        .err()
        .expect("refused");
    assert!(format!("{e:#}").contains("alerts.title"), "{e:#}");
}
