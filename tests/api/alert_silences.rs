//! Silences that cannot be made or lifted: an Alertmanager that refuses, and an Unsilence after
//! alerts.alertmanager_url was emptied (a refusal, never a crash).

use crate::support;

use super::alert_actions::*;
use super::alerts::{fixture, settings};

/// A firing Alertmanager group with its card delivered: the card and the group.
async fn carded_group(d: &Desk) -> (support::chat::Sent, opsdesk::domain::alert::AlertGroup) {
    let firing =
        opsdesk::alerts::alertmanager::parse(&fixture("am-0.25-webhook-firing.json")).unwrap();
    d.p.on_alert_batch(&firing, None, 0).await.unwrap();
    let card = d.deliver().await[0].clone();
    let g = d
        .store
        .alert_group("alertmanager", &firing.group_key)
        .await
        .unwrap()
        .unwrap();
    (card, g)
}

#[tokio::test]
async fn an_alertmanager_that_refuses_leaves_the_group_unsilenced_and_says_why() {
    let d = Desk::new("http://127.0.0.1:9").await; // nothing listens on the discard port
    let (card, g) = carded_group(&d).await;
    d.p.handle(
        click(
            1,
            "UOPS",
            "alert.silence",
            &format!("{}:30m", g.id),
            &card.id,
        ),
        1000,
    )
    .await
    .unwrap();
    let sent = d.deliver().await;
    assert!(
        texts(&sent)[0].starts_with("Not silenced: could not reach Alertmanager"),
        "{:?}",
        texts(&sent)
    );
    assert!(
        d.store
            .alert_group_by_id(g.id)
            .await
            .unwrap()
            .unwrap()
            .silenced_until
            .is_none()
    );
}

#[tokio::test]
async fn unsilence_after_the_alertmanager_url_is_removed_is_refused_not_a_crash() {
    let (am, _calls) = fake_alertmanager().await;
    let d = Desk::new(&am).await;
    let (card, g) = carded_group(&d).await;
    let id = g.id.to_string();
    d.p.handle(
        click(1, "UOPS", "alert.silence", &format!("{id}:1h"), &card.id),
        1000,
    )
    .await
    .unwrap();
    d.deliver().await;

    // The operator empties alerts.alertmanager_url and restarts: the silence is still Alertmanager's.
    let mut s = settings();
    s.ops.allowed_users = vec!["slack:UOPS".into()];
    s.alerts.alertmanager_url = String::new();
    let restarted = support::pipeline_with(d.store.clone(), s).await;
    restarted
        .handle(click(2, "UOPS", "alert.unsilence", &id, &card.id), 2000)
        .await
        .unwrap();
    let sent = d.deliver().await;
    assert!(
        texts(&sent)[0].starts_with("Still silenced: silence sil-1 lives in Alertmanager")
            && texts(&sent)[0].contains("alerts.alertmanager_url is empty"),
        "{:?}",
        texts(&sent)
    );
    let g = d.store.alert_group_by_id(g.id).await.unwrap().unwrap();
    assert_eq!(g.silence_id.as_deref(), Some("sil-1"));
    // The stored click is done with: recovery after another restart does not run it again.
    restarted.recover(i64::MAX / 4, 10 * 60_000).await.unwrap();
    assert!(d.deliver().await.is_empty());
}
