//! Refunds: `/ops refund` at or below the threshold calls Stripe at once; above it, a sign-off request
//! whose executor calls Stripe's refund API (a fake Stripe on 127.0.0.1) with an idempotency key, so a
//! repeated execution refunds once. Charges the ledger does not know, or over-refunds, are refused.

use super::finance_month::month;
use crate::support;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use opsdesk::domain::ports::*;
use opsdesk::domain::{ApprovalState, Event, EventKind};
use opsdesk::pipeline::Pipeline;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What one refund call carried: authorization, idempotency key, form body.
type RefundCall = (String, String, HashMap<String, String>);

#[derive(Default)]
struct Stripe {
    calls: Mutex<Vec<RefundCall>>,
    /// Stripe's idempotency: a repeated key gets the first answer.
    answers: Mutex<HashMap<String, serde_json::Value>>,
}

async fn fake_stripe() -> (String, Arc<Stripe>) {
    let st = Arc::new(Stripe::default());
    let app = axum::Router::new()
        .route(
            "/v1/refunds",
            post(|State(st): State<Arc<Stripe>>, headers: HeaderMap, body: String| async move {
                let h = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let form: HashMap<String, String> = form_urlencoded::parse(body.as_bytes()).into_owned().collect();
                let key = h("idempotency-key");
                st.calls.lock().unwrap().push((h("authorization"), key.clone(), form.clone()));
                let mut answers = st.answers.lock().unwrap();
                let n = answers.len() + 1;
                let amount: i64 = form["amount"].parse().unwrap();
                // The refund is in its charge's currency: the yen charge's is JPY.
                let currency = if form["charge"] == "ch_y" { "jpy" } else { "usd" };
                axum::Json(answers.entry(key).or_insert_with(|| serde_json::json!({"id": format!("re_{n}"), "object": "refund", "amount": amount, "currency": currency, "status": "succeeded", "charge": form["charge"], "created": 5})).clone())
            }),
        )
        .with_state(st.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, st)
}

/// A desk whose refunds go to the fake Stripe at `url`; sign-off above 50.00, by `console:boss`.
async fn desk(url: &str) -> (support::TestDb, Arc<dyn Store>, opsdesk::pipeline::Pipeline) {
    let db = support::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let mut s = support::settings();
    s.finance.stripe_api_url = url.into();
    // Any variable that is set serves as the key (setting one here would race other tests).
    s.finance.stripe_api_key_env = "PATH".into();
    s.finance.refund_approval_above = 5000;
    s.approvals.approvers = vec!["console:boss".into()];
    let p = support::pipeline_with(store.clone(), s).await;
    (db, store, p)
}

/// What the outbox holds now, as text (claimed, so each reply is seen once).
async fn replies(store: &Arc<dyn Store>) -> Vec<String> {
    let items = store
        .outbox_claim("probe", i64::MAX / 4, 60_000, 100)
        .await
        .unwrap();
    items.into_iter().map(|i| i.msg.reply.plain()).collect()
}

fn ops(id: &str, args: &str) -> Event {
    support::ops_command(id, "founder", args)
}

#[tokio::test]
async fn small_refunds_run_at_once_and_large_ones_wait_for_sign_off() {
    let (url, stripe) = fake_stripe().await;
    let (_db, store, p) = desk(&url).await;
    for e in month() {
        p.on_stripe_event(
            &opsdesk::finance::stripe::parse_event(e.to_string().as_bytes()).unwrap(),
            None,
            0,
        )
        .await
        .unwrap();
    }
    replies(&store).await; // the month's failed-payment and dispute notices
    bad_requests_are_named_and_reach_no_one(&p, &store, &stripe).await;
    a_small_refund_runs_at_once(&p, &store, &stripe).await;
    a_large_refund_waits_for_sign_off_and_runs_once(&p, &store, &stripe).await;
    a_repeated_refund_asks_first_and_what_is_left_counts_ours(&p, &store, &stripe).await;
}

async fn bad_requests_are_named_and_reach_no_one(
    p: &Pipeline,
    store: &Arc<dyn Store>,
    stripe: &Stripe,
) {
    let replies = || replies(store);
    p.handle(ops("r1", "refund ch_zzz 5"), 1000).await.unwrap();
    p.handle(ops("r2", "refund ch_c 40.00"), 1000)
        .await
        .unwrap();
    p.handle(ops("r3", "refund ch_c 12,50"), 1000)
        .await
        .unwrap();
    let out = replies().await;
    assert!(out[0].contains("No charge ch_zzz in the ledger"), "{out:?}");
    assert!(
        out[1].contains("has only 30.00 USD left to refund"),
        "{out:?}"
    );
    assert!(out[2].contains("is not an amount like 12.50"), "{out:?}");
    assert!(stripe.calls.lock().unwrap().is_empty());
}

/// 25.00 is within the threshold: refunded at once, by the command.
async fn a_small_refund_runs_at_once(p: &Pipeline, store: &Arc<dyn Store>, stripe: &Stripe) {
    let replies = || replies(store);
    p.handle(ops("r4", "refund ch_c 25 customer asked"), 2000)
        .await
        .unwrap();
    assert_eq!(replies().await, ["✅ Refund re_1 of 25.00 USD: succeeded"]);
    let (auth, key, form) = stripe.calls.lock().unwrap()[0].clone();
    assert_eq!(auth, format!("Bearer {}", std::env::var("PATH").unwrap()));
    assert_eq!(
        (
            key.as_str(),
            form["charge"].as_str(),
            form["amount"].as_str()
        ),
        ("opsdesk-command-console:community:r4", "ch_c", "2500")
    );
}

/// 600.00 of G's annual charge: a sign-off request, and Stripe is called only once it is approved.
async fn a_large_refund_waits_for_sign_off_and_runs_once(
    p: &Pipeline,
    store: &Arc<dyn Store>,
    stripe: &Stripe,
) {
    let replies = || replies(store);
    p.handle(ops("r5", "refund ch_g 600 downgrade to monthly"), 3000)
        .await
        .unwrap();
    assert!(
        replies()
            .await
            .iter()
            .any(|t| t.contains("Above 50.00 USD: asked for sign-off"))
    );
    assert_eq!(stripe.calls.lock().unwrap().len(), 1);
    let a = store
        .approvals(&[ApprovalState::Pending], 10)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(
        (a.kind.name(), a.summary.as_str()),
        ("refund", "refund 600.00 USD of charge ch_g")
    );
    let mut click = ops("c1", "");
    click.user = "boss".into();
    click.kind = EventKind::ButtonClicked {
        action: "approval.approve".into(),
        value: a.id.to_string(),
        message: "m".into(),
        input: None,
    };
    p.handle(click, 4000).await.unwrap();
    let done = support::finished(p, a.id).await;
    assert_eq!(done.state, ApprovalState::Executed, "{done:?}");
    assert_eq!(
        done.result.as_deref(),
        Some("Refund re_2 of 600.00 USD: succeeded")
    );
    let calls = stripe.calls.lock().unwrap().clone();
    assert_eq!(
        (calls.len(), calls[1].1.clone()),
        (2, format!("opsdesk-approval-{}", a.id))
    );
    // A second execution (a crash and a retry) would reach Stripe with the same key: one refund.
    let again = opsdesk::exec::run(&p.settings, &done).await;
    assert_eq!(again.result, "Refund re_2 of 600.00 USD: succeeded");
}

/// The same 10.00 of G's charge twice within a day: the second waits for `--again`. What is left counts
/// opsdesk's refunds (600.00 and 2 × 10.00) before any webhook confirms them.
async fn a_repeated_refund_asks_first_and_what_is_left_counts_ours(
    p: &Pipeline,
    store: &Arc<dyn Store>,
    stripe: &Stripe,
) {
    let replies = || replies(store);
    replies().await; // the sign-off card's last edit and the requester's notice
    p.handle(ops("r6", "refund ch_g 10 wrong seat count"), 6000)
        .await
        .unwrap();
    assert_eq!(replies().await, ["✅ Refund re_3 of 10.00 USD: succeeded"]);
    p.handle(ops("r7", "refund ch_g 10"), 7000).await.unwrap();
    assert_eq!(
        replies().await,
        [
            "10.00 USD of charge ch_g was refunded 2s ago (re_3). To refund it again, repeat the command with --again."
        ]
    );
    assert_eq!(
        stripe.calls.lock().unwrap().len(),
        4,
        "Stripe was not called again"
    );
    p.handle(ops("r8", "refund ch_g 10 --again"), 8000)
        .await
        .unwrap();
    assert_eq!(replies().await, ["✅ Refund re_4 of 10.00 USD: succeeded"]);
    p.handle(ops("r9", "refund ch_g 590"), 9000).await.unwrap();
    assert_eq!(
        replies().await,
        ["Charge ch_g has only 580.00 USD left to refund."]
    );
    let ledger = store.finance_ledger().await.unwrap();
    let ours: Vec<&str> = ledger.refunds.iter().map(|r| r.id.as_str()).collect();
    assert!(
        ["re_2", "re_3", "re_4"].iter().all(|id| ours.contains(id)),
        "{ours:?}"
    );
}

#[tokio::test]
async fn a_refund_amount_is_read_in_the_charge_s_currency() {
    let (url, stripe) = fake_stripe().await;
    let (_db, store, p) = desk(&url).await;
    // A yen charge: JPY has no minor unit, so 3,000 yen is `amount: 3000`.
    let yen = serde_json::json!({"id": "evt_ch_y", "object": "event", "type": "charge.succeeded",
        "created": 1_790_000_000, "livemode": false, "api_version": "2024-06-20", "data": {"object": {
        "id": "ch_y", "object": "charge", "customer": "cus_y", "amount": 3000, "amount_refunded": 0,
        "currency": "jpy", "status": "succeeded", "paid": true, "created": 1_790_000_000,
        "refunds": {"object": "list", "data": []}}}});
    let e = opsdesk::finance::stripe::parse_event(yen.to_string().as_bytes()).unwrap();
    p.on_stripe_event(&e, None, 0).await.unwrap();
    let replies = || replies(&store);
    replies().await;

    p.handle(ops("y1", "refund ch_y 5.5"), 1000).await.unwrap();
    p.handle(ops("y2", "refund ch_y 5000"), 1000).await.unwrap();
    let out = replies().await;
    assert!(
        out[0].contains("\"5.5\" has more decimals than JPY has (0)"),
        "{out:?}"
    );
    assert!(out[1].contains("has only 3,000 JPY left"), "{out:?}");
    assert!(stripe.calls.lock().unwrap().is_empty());

    // 500 on a yen charge is ¥500, not ¥50,000.
    p.handle(ops("y3", "refund ch_y 500"), 2000).await.unwrap();
    let out = replies().await;
    assert_eq!(out, ["✅ Refund re_1 of 500 JPY: succeeded"], "{out:?}");
    assert_eq!(stripe.calls.lock().unwrap()[0].2["amount"], "500");
}
