//! Finance: Stripe webhooks checked by signature, stored under their event id and applied to the ledger;
//! a scripted month of events, delivered twice and shuffled, gives the figures computed by hand below.

use super::alerts::{STRIPE_SECRET, post_with, serve, settings, wait_processed};
use crate::support;
use opsdesk::domain::finance_report::report;
use opsdesk::domain::ports::*;
use opsdesk::finance::report::parse_date;
use opsdesk::finance::stripe::sign;
use serde_json::{Value, json};
use std::sync::Arc;

const DAY: i64 = 86_400;

/// Seconds since the epoch of `2026-<month>-<day>` (UTC midnight).
fn at(month: u32, day: u32) -> i64 {
    parse_date(&format!("2026-{month:02}-{day:02}")).unwrap() / 1000
}

fn event(id: &str, kind: &str, created: i64, object: Value) -> Value {
    json!({"id": id, "object": "event", "type": kind, "created": created, "livemode": false, "api_version": "2024-06-20", "data": {"object": object}})
}

/// `price` = (unit amount, interval, quantity, currency).
fn sub(
    id: &str,
    customer: &str,
    status: &str,
    price: (i64, &str, i64, &str),
    created: i64,
    ended: Option<i64>,
) -> Value {
    let (amount, interval, qty, currency) = price;
    json!({"id": id, "object": "subscription", "customer": customer, "status": status, "currency": currency, "created": created,
        "ended_at": ended, "cancel_at_period_end": false, "trial_end": null, "discount": null,
        "items": {"object": "list", "data": [{"id": format!("si_{id}"), "object": "subscription_item", "quantity": qty,
            "price": {"id": format!("price_{amount}_{interval}"), "object": "price", "product": "prod_app", "currency": currency,
                "unit_amount": amount, "recurring": {"interval": interval, "interval_count": 1}}}]}})
}

/// `money` = (amount due, amount paid, attempts); `line` = the line's service period.
fn invoice(
    id: &str,
    customer: &str,
    status: &str,
    money: (i64, i64, i64),
    created: i64,
    paid_at: Option<i64>,
    line: (i64, i64),
) -> Value {
    let (due, paid, attempts) = money;
    json!({"id": id, "object": "invoice", "customer": customer, "status": status, "currency": "usd", "amount_due": due, "amount_paid": paid,
        "attempt_count": attempts, "created": created, "status_transitions": {"paid_at": paid_at},
        "lines": {"object": "list", "data": [{"id": format!("il_{id}"), "amount": due, "period": {"start": line.0, "end": line.1}}]}})
}

fn charge(
    id: &str,
    customer: &str,
    amount: i64,
    status: &str,
    created: i64,
    refunds: Value,
) -> Value {
    json!({"id": id, "object": "charge", "customer": customer, "amount": amount, "amount_refunded": 0, "currency": "usd", "status": status,
        "paid": status == "succeeded", "created": created, "refunds": {"object": "list", "data": refunds}})
}

/// October: A (50), B (2 × 20), D (100), E (40) paying; C paid 30 and cancelled. November: F and G (annual,
/// 1,200/yr) sign up, B goes to 3 seats, D down to 60, E cancels, C comes back, H starts a trial, I pays in
/// EUR; A's payment fails then recovers, B's fails and stays unpaid, F gets a refund, A's charge is disputed.
pub fn month() -> Vec<Value> {
    let s = "customer.subscription";
    vec![
        event(
            "evt_a1",
            &format!("{s}.created"),
            at(10, 5),
            sub(
                "sub_a",
                "cus_a",
                "active",
                (5000, "month", 1, "usd"),
                at(10, 5),
                None,
            ),
        ),
        event(
            "evt_b1",
            &format!("{s}.created"),
            at(10, 10),
            sub(
                "sub_b",
                "cus_b",
                "active",
                (2000, "month", 2, "usd"),
                at(10, 10),
                None,
            ),
        ),
        event(
            "evt_c1",
            &format!("{s}.created"),
            at(10, 12),
            sub(
                "sub_c",
                "cus_c",
                "active",
                (3000, "month", 1, "usd"),
                at(10, 12),
                None,
            ),
        ),
        event(
            "evt_c2",
            &format!("{s}.deleted"),
            at(10, 20),
            sub(
                "sub_c",
                "cus_c",
                "canceled",
                (3000, "month", 1, "usd"),
                at(10, 12),
                Some(at(10, 20)),
            ),
        ),
        event(
            "evt_d1",
            &format!("{s}.created"),
            at(10, 15),
            sub(
                "sub_d",
                "cus_d",
                "active",
                (10_000, "month", 1, "usd"),
                at(10, 15),
                None,
            ),
        ),
        event(
            "evt_e1",
            &format!("{s}.created"),
            at(10, 18),
            sub(
                "sub_e",
                "cus_e",
                "active",
                (4000, "month", 1, "usd"),
                at(10, 18),
                None,
            ),
        ),
        event(
            "evt_f1",
            &format!("{s}.created"),
            at(11, 2),
            sub(
                "sub_f",
                "cus_f",
                "active",
                (2500, "month", 1, "usd"),
                at(11, 2),
                None,
            ),
        ),
        event(
            "evt_g1",
            &format!("{s}.created"),
            at(11, 3),
            sub(
                "sub_g",
                "cus_g",
                "active",
                (120_000, "year", 1, "usd"),
                at(11, 3),
                None,
            ),
        ),
        event(
            "evt_b2",
            &format!("{s}.updated"),
            at(11, 5),
            sub(
                "sub_b",
                "cus_b",
                "active",
                (2000, "month", 3, "usd"),
                at(10, 10),
                None,
            ),
        ),
        event(
            "evt_d2",
            &format!("{s}.updated"),
            at(11, 8),
            sub(
                "sub_d",
                "cus_d",
                "active",
                (6000, "month", 1, "usd"),
                at(10, 15),
                None,
            ),
        ),
        event(
            "evt_e2",
            &format!("{s}.deleted"),
            at(11, 10),
            sub(
                "sub_e",
                "cus_e",
                "canceled",
                (4000, "month", 1, "usd"),
                at(10, 18),
                Some(at(11, 10)),
            ),
        ),
        event(
            "evt_c3",
            &format!("{s}.created"),
            at(11, 12),
            sub(
                "sub_c2",
                "cus_c",
                "active",
                (3000, "month", 1, "usd"),
                at(11, 12),
                None,
            ),
        ),
        event(
            "evt_h1",
            &format!("{s}.created"),
            at(11, 14),
            sub(
                "sub_h",
                "cus_h",
                "trialing",
                (5000, "month", 1, "usd"),
                at(11, 14),
                None,
            ),
        ),
        event(
            "evt_i1",
            &format!("{s}.created"),
            at(11, 20),
            sub(
                "sub_i",
                "cus_i",
                "active",
                (1000, "month", 1, "eur"),
                at(11, 20),
                None,
            ),
        ),
        event(
            "evt_cus_f",
            "customer.created",
            at(11, 2),
            json!({"id": "cus_f", "object": "customer", "email": "f@example.com", "name": "Fay"}),
        ),
        event(
            "evt_inv_g",
            "invoice.paid",
            at(11, 3),
            invoice(
                "in_g",
                "cus_g",
                "paid",
                (120_000, 120_000, 1),
                at(11, 3),
                Some(at(11, 3)),
                (at(11, 3), at(11, 3) + 365 * DAY),
            ),
        ),
        event(
            "evt_inv_a1",
            "invoice.payment_failed",
            at(11, 5),
            invoice(
                "in_a",
                "cus_a",
                "open",
                (5000, 0, 1),
                at(11, 5),
                None,
                (at(11, 5), at(12, 5)),
            ),
        ),
        event(
            "evt_inv_a2",
            "invoice.paid",
            at(11, 7),
            invoice(
                "in_a",
                "cus_a",
                "paid",
                (5000, 5000, 2),
                at(11, 5),
                Some(at(11, 7)),
                (at(11, 5), at(12, 5)),
            ),
        ),
        event(
            "evt_inv_b",
            "invoice.payment_failed",
            at(11, 20),
            invoice(
                "in_b",
                "cus_b",
                "open",
                (6000, 0, 1),
                at(11, 20),
                None,
                (at(11, 20), at(12, 20)),
            ),
        ),
        event(
            "evt_ch_f",
            "charge.succeeded",
            at(11, 2),
            charge("ch_f", "cus_f", 2500, "succeeded", at(11, 2), json!([])),
        ),
        event(
            "evt_ch_g",
            "charge.succeeded",
            at(11, 3),
            charge("ch_g", "cus_g", 120_000, "succeeded", at(11, 3), json!([])),
        ),
        event(
            "evt_ch_a",
            "charge.succeeded",
            at(11, 7),
            charge("ch_a", "cus_a", 5000, "succeeded", at(11, 7), json!([])),
        ),
        event(
            "evt_ch_c",
            "charge.succeeded",
            at(11, 12),
            charge("ch_c", "cus_c", 3000, "succeeded", at(11, 12), json!([])),
        ),
        event(
            "evt_ch_b",
            "charge.failed",
            at(11, 20),
            charge("ch_b", "cus_b", 6000, "failed", at(11, 20), json!([])),
        ),
        event(
            "evt_ch_f_ref",
            "charge.refunded",
            at(11, 15),
            charge(
                "ch_f",
                "cus_f",
                2500,
                "succeeded",
                at(11, 2),
                json!([{"id": "re_f", "object": "refund", "amount": 1000, "charge": "ch_f", "currency": "usd", "status": "succeeded", "created": at(11, 15)}]),
            ),
        ),
        event(
            "evt_dp",
            "charge.dispute.created",
            at(11, 25),
            json!({"id": "dp_a", "object": "dispute", "charge": "ch_a", "amount": 5000, "currency": "usd",
            "status": "needs_response", "reason": "fraudulent", "created": at(11, 25), "evidence_details": {"due_by": at(12, 5)}}),
        ),
        event(
            "evt_bal",
            "balance.available",
            at(11, 26),
            json!({"object": "balance", "available": []}),
        ),
    ]
}

#[tokio::test]
async fn a_month_delivered_twice_and_shuffled_gives_the_hand_computed_report() {
    for db in support::backends().await {
        let store: Arc<dyn Store> = Arc::new(db.store.clone());
        let p = support::pipeline_with(store.clone(), settings()).await;
        let base = serve(p, None).await;
        let hook = format!("{base}/hooks/stripe");
        let mut events = month();
        events.extend(month());
        // A fixed shuffle (an LCG): arrival order is not creation order.
        let mut seed: u64 = 42;
        for i in (1..events.len()).rev() {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            events.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let mut statuses = vec![];
        for e in &events {
            let body = e.to_string().into_bytes();
            let sig = sign(
                &body,
                STRIPE_SECRET.as_bytes(),
                opsdesk::clock::now() / 1000,
            );
            statuses.push(post_with(&hook, &[("stripe-signature", sig)], body).await.0);
        }
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
            usd.cash_collected,
            2500 + 120_000 + 5000 + 3000,
            "succeeded charges; the failed one is not cash"
        );
        // G's 120,000 straight-line over 365 days: 28 days in November, 337 after.
        assert_eq!(
            (usd.recognised_annual, usd.deferred_annual),
            (120_000 * 28 / 365, 120_000 * 337 / 365)
        );

        // The failed payment went to the finance channel, the dispute to the escalation channel — once each.
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
        db.cleanup().await;
    }
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
