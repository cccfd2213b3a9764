//! Finance: Stripe webhooks checked by signature, stored under their event id and applied to the ledger;
//! a scripted month of events, delivered twice and shuffled, gives the figures computed by hand below.

use super::alerts::{STRIPE_SECRET, post_with, serve, settings, wait_processed};
use super::finance_month::{at, month};
use crate::support;
use opsdesk::domain::finance_report::report;
use opsdesk::domain::ports::*;
use opsdesk::finance::stripe::sign;
use std::sync::Arc;

#[tokio::test]
async fn a_month_delivered_twice_and_shuffled_gives_the_hand_computed_report() {
    for db in support::backends().await {
        let store: Arc<dyn Store> = Arc::new(db.store.clone());
        // The scripted month is weeks old by now: announce it as if it had just happened.
        let mut s = settings();
        s.finance.announce_within_secs = 10 * 365 * 86_400;
        let p = support::pipeline_with(store.clone(), s).await;
        let base = serve(p, None).await;
        let statuses = deliver(&format!("{base}/hooks/stripe"), twice_shuffled()).await;
        wait_processed(&store).await;
        // A repeat is a 200 `duplicate` once the first delivery is applied, a 202 while it is in flight.
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 202),
            "{statuses:?}"
        );
        assert!(
            statuses.iter().filter(|s| **s == 202).count() >= 27,
            "{statuses:?}"
        );
        the_report_is_the_one_computed_by_hand(&store).await;
        failures_and_disputes_are_announced_once(&store).await;
        db.cleanup().await;
    }
}

/// The month's events twice, in a fixed shuffle (an LCG): arrival order is not creation order.
fn twice_shuffled() -> Vec<serde_json::Value> {
    let mut events = month();
    events.extend(month());
    shuffle(events)
}

/// `events` in a fixed shuffle (an LCG).
pub(crate) fn shuffle(mut events: Vec<serde_json::Value>) -> Vec<serde_json::Value> {
    let mut seed: u64 = 42;
    for i in (1..events.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        events.swap(i, (seed >> 33) as usize % (i + 1));
    }
    events
}

/// Each event signed and posted to the hook; the HTTP statuses.
pub(crate) async fn deliver(hook: &str, events: Vec<serde_json::Value>) -> Vec<u16> {
    let mut statuses = vec![];
    for e in &events {
        let body = e.to_string().into_bytes();
        let sig = sign(
            &body,
            STRIPE_SECRET.as_bytes(),
            opsdesk::clock::now() / 1000,
        );
        statuses.push(post_with(hook, &[("stripe-signature", sig)], body).await.0);
    }
    statuses
}

async fn the_report_is_the_one_computed_by_hand(store: &Arc<dyn Store>) {
    let r = report(
        &store.finance_ledger().await.unwrap(),
        at(11, 1) * 1000,
        at(12, 1) * 1000,
    );
    let (usd, eur) = (&r.currencies[1], &r.currencies[0]);
    assert_eq!(
        (eur.currency.as_str(), eur.mrr, eur.new_mrr, eur.mrr_start),
        ("eur", 1000, 1000, 0),
        "currencies are kept apart"
    );
    assert_eq!(usd.currency, "usd");
    assert_eq!((usd.mrr_start, usd.mrr, usd.arr), (23_000, 32_500, 390_000));
    assert_eq!(
        (usd.new_mrr, usd.expansion_mrr, usd.reactivation_mrr),
        (12_500, 2000, 3000),
        "F + G (1,200/yr ÷ 12); B +1 seat; C back"
    );
    assert_eq!(
        (usd.contraction_mrr, usd.churned_mrr, usd.net_new_mrr),
        (4000, 4000, 9500),
        "D 100 → 60; E gone"
    );
    assert_eq!(
        (usd.customers_start, usd.customers, usd.churned_customers),
        (4, 6, 1)
    );
    assert_eq!(
        (usd.logo_churn_bp, usd.revenue_churn_bp),
        (2500, 3478),
        "1 of 4; (4,000 + 4,000) ÷ 23,000"
    );
    assert_eq!(
        (usd.failed_outstanding, usd.failed_outstanding_amount),
        (1, 6000),
        "B's invoice"
    );
    assert_eq!(
        (usd.recovered, usd.recovered_amount),
        (1, 5000),
        "A's invoice paid on the second attempt"
    );
    assert_eq!((usd.refunds, usd.refunds_amount), (1, 1000));
    assert_eq!((usd.disputes, usd.disputes_amount), (1, 5000));
    assert_eq!(
        usd.cash_gross,
        2500 + 120_000 + 5000 + 3000,
        "succeeded charges; the failed one is not cash"
    );
    // G's 120,000 straight-line over 365 days: 28 days in November, 337 after.
    assert_eq!(
        (usd.recognised_annual, usd.deferred_annual),
        (120_000 * 28 / 365, 120_000 * 337 / 365)
    );
}

/// The failed payment went to the finance channel, the dispute to the escalation channel — once each.
async fn failures_and_disputes_are_announced_once(store: &Arc<dyn Store>) {
    let posted: Vec<Outbound> = store
        .outbox_claim("probe", i64::MAX / 4, 60_000, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.msg)
        .collect();
    let texts: Vec<String> = posted.iter().map(|o| o.reply.plain()).collect();
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.contains("Payment failed"))
            .count(),
        2,
        "A's and B's failures: {texts:?}"
    );
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.contains("Dispute opened: 50.00 USD"))
            .count(),
        1,
        "{texts:?}"
    );
}

#[tokio::test]
async fn the_stripe_hook_checks_the_signature_and_names_what_is_wrong() {
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let p = support::pipeline_with(store.clone(), settings()).await;
    let base = serve(p.clone(), None).await;
    let hook = format!("{base}/hooks/stripe");
    let body = month()[0].to_string().into_bytes();
    let now = opsdesk::clock::now() / 1000;
    let h = |sig: String| vec![("stripe-signature", sig)];
    let (status, text) = post_with(&hook, &[], body.clone()).await;
    assert!(
        status == 401 && text.contains("missing Stripe-Signature"),
        "{text}"
    );
    let (status, text) = post_with(&hook, &h(sign(&body, b"whsec_wrong", now)), body.clone()).await;
    assert!(
        status == 401 && text.contains("wrong signing secret"),
        "{text}"
    );
    let (status, text) = post_with(
        &hook,
        &h(sign(&body, STRIPE_SECRET.as_bytes(), now - 3600)),
        body.clone(),
    )
    .await;
    assert!(status == 401 && text.contains("tolerance 300 s"), "{text}");
    let broken =
        br#"{"id":"evt_x","type":"invoice.paid","created":1,"data":{"object":{"id":"in_x"}}}"#
            .to_vec();
    let (status, text) = post_with(
        &hook,
        &h(sign(&broken, STRIPE_SECRET.as_bytes(), now)),
        broken,
    )
    .await;
    assert!(
        status == 400 && text.contains("invoice has no `customer`"),
        "{text}"
    );
    assert_eq!(
        post_with(
            &hook,
            &h(sign(&body, STRIPE_SECRET.as_bytes(), now)),
            body.clone()
        )
        .await
        .0,
        202
    );
    wait_processed(&store).await;
    assert_eq!(store.finance_ledger().await.unwrap().subscriptions.len(), 1);
    // Without a secret configured, Stripe's webhooks are refused, saying how to turn them on.
    let secrets = opsdesk::http::HookSecrets::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let off = format!("http://{}/hooks/stripe", listener.local_addr().unwrap());
    let app = opsdesk::http::router(p, secrets);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let (status, text) =
        post_with(&off, &h(sign(&body, STRIPE_SECRET.as_bytes(), now)), body).await;
    assert!(
        status == 401 && text.contains("OPSDESK_STRIPE_SECRET"),
        "{text}"
    );
}
