//! `/metrics`' gauges are counted by the database, and agree with the listings, on every backend.

use super::alerts::{fixture, settings};
use crate::support;
use opsdesk::domain::ports::*;
use opsdesk::domain::{ApprovalState, Platform};
use opsdesk::pipeline::ApprovalRequest;
use std::sync::Arc;

#[tokio::test]
async fn gauges_count_the_work_in_flight_as_the_listings_do() {
    for db in support::backends().await {
        let store: Arc<dyn Store> = Arc::new(db.store.clone());
        assert_eq!(store.gauges().await.unwrap(), Gauges::default());
        let p = support::pipeline_with(store.clone(), settings()).await;
        let firing =
            opsdesk::alerts::alertmanager::parse(&fixture("am-0.25-webhook-firing.json")).unwrap();
        p.on_alert_batch(&firing, None, 0).await.unwrap();
        store.inbox_put("k1", "test", "{}", 0).await.unwrap();
        store.inbox_put("k2", "test", "{}", 0).await.unwrap();
        store.inbox_mark("k2", 1, None).await.unwrap();
        let request = ApprovalRequest {
            kind: opsdesk::domain::ApprovalKind::Runbook,
            params: serde_json::json!({ "name": "restart-api" }),
            summary: "runbook restart-api".into(),
            reason: "a test".into(),
            platform: Platform::Console,
            requester: "founder".into(),
            channel: "ops".into(),
            thread: None,
        };
        p.request_approval(request, 2).await.unwrap().unwrap();

        let g = store.gauges().await.unwrap();
        assert_eq!(
            (
                g.inbox_unprocessed,
                g.approvals_pending,
                g.alert_groups_firing
            ),
            (1, 1, 1),
            "{g:?}"
        );
        assert!(
            g.outbox_undelivered >= 2,
            "a card and a sign-off request: {g:?}"
        );
        assert_eq!(g.outbox_undelivered, store.outbox_depth().await.unwrap());
        let pending = store
            .approvals(&[ApprovalState::Pending], 100)
            .await
            .unwrap();
        assert_eq!(g.approvals_pending, pending.len() as i64);
        db.cleanup().await;
    }
}
