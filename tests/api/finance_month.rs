//! A scripted month of Stripe events (subscriptions, invoices, charges, refunds, a dispute, two
//! currencies) as real-shaped JSON, for the finance tests.

use opsdesk::finance::report::parse_date;
use serde_json::{Value, json};

pub(crate) const DAY: i64 = 86_400;

/// Seconds since the epoch of `2026-<month>-<day>` (UTC midnight).
pub(crate) fn at(month: u32, day: u32) -> i64 {
    parse_date(&format!("2026-{month:02}-{day:02}")).unwrap() / 1000
}

/// Seconds since the epoch of `<year>-<month>-<day>` (UTC midnight).
pub(crate) fn at_year(year: i32, month: u32, day: u32) -> i64 {
    parse_date(&format!("{year}-{month:02}-{day:02}")).unwrap() / 1000
}

pub(crate) fn event(id: &str, kind: &str, created: i64, object: Value) -> Value {
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
pub(crate) fn invoice(
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

pub(crate) fn charge(
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
    [
        october(),
        october_cancel_and_more(),
        november_changes(),
        november_churn_and_trials(),
        super::finance_month_payments::invoices(),
        super::finance_month_payments::payments(),
    ]
    .concat()
}

/// October: A, B and C subscribe.
fn october() -> Vec<Value> {
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
    ]
}

/// October: C cancels, D and E subscribe.
fn october_cancel_and_more() -> Vec<Value> {
    let s = "customer.subscription";
    vec![
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
    ]
}

/// November: F and G sign up for a year, B goes to 3 seats, D down to 60.
fn november_changes() -> Vec<Value> {
    let s = "customer.subscription";
    vec![
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
    ]
}

/// November: E cancels, C comes back, H starts a trial, I pays in EUR.
fn november_churn_and_trials() -> Vec<Value> {
    let s = "customer.subscription";
    vec![
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
    ]
}
