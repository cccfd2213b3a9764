//! A scripted quarter (January to March 2026) of Stripe events in API version 2026-02-25.clover's
//! shapes, as `../shared/fixtures/stripe` shows them: subscriptions that name their discounts by id,
//! `customer.discount.*` events whose `source.coupon` is an id, `coupon.*` events with the terms, invoices
//! whose subscription is under `parent.subscription_details` and whose lines carry `discount_amounts`.
//!
//! A: 49.00/month, 20 % off forever. B: 99.00/month, cancels on 03-12 and comes back on 03-26 at 29.00.
//! C: 1,200.00/year from 02-15 with 10 % off once (its first year). D: 300.00/quarter from 03-10 14:30.
//! E: 128.00/month; its March invoice fails on 03-27 and is paid on 04-02. F: 40.00/month with 10.00 off
//! for one month from 02-01. G: 60.00/month from 03-05, half off once (the discount is removed at once,
//! as Stripe does after using it). H: 25.00/month from 01-20, 5.00 off every invoice given to the
//! customer. Charges, a refund and a dispute in March.

use super::finance_month::{at, event};
use super::finance_quarter_money::{bills, money_moves};
use serde_json::{Value, json};

const H: i64 = 3600;

fn clover(mut e: Value) -> Value {
    e["api_version"] = json!("2026-02-25.clover");
    e
}

fn coupon(id: &str, percent: Option<f64>, amount: Option<i64>, duration: &str) -> Value {
    let months = (duration == "repeating").then_some(1);
    json!({"id": id, "object": "coupon", "percent_off": percent, "amount_off": amount,
        "currency": amount.map(|_| "usd"), "duration": duration, "duration_in_months": months,
        "created": at(1, 1), "livemode": false, "valid": true, "metadata": {}})
}

/// (discount id, customer, subscription, coupon, start, end).
fn discount(d: (&str, &str, Option<&str>, &str, i64, Option<i64>)) -> Value {
    let (id, customer, sub, coupon, start, end) = d;
    json!({"id": id, "object": "discount", "customer": customer, "subscription": sub,
        "subscription_item": null, "invoice": null, "invoice_item": null, "promotion_code": null,
        "checkout_session": null, "start": start, "end": end, "source": {"coupon": coupon, "type": "coupon"}})
}

/// (id, customer, status, (amount, interval, count), created, discounts).
type Plan<'a> = (
    &'a str,
    &'a str,
    &'a str,
    (i64, &'a str, i64),
    i64,
    &'a [&'a str],
);

fn sub(s: Plan) -> Value {
    let (id, customer, status, (amount, interval, count), created, discounts) = s;
    let ended = (status == "canceled").then_some(created);
    json!({"id": id, "object": "subscription", "customer": customer, "status": status, "currency": "usd",
        "created": created, "start_date": created, "ended_at": ended, "canceled_at": ended,
        "cancel_at_period_end": false, "trial_end": null, "discounts": discounts,
        "items": {"object": "list", "data": [{"id": format!("si_{id}"), "object": "subscription_item",
            "quantity": 1, "discounts": [], "current_period_start": created,
            "price": {"id": format!("price_{amount}_{interval}_{count}"), "object": "price",
                "product": "prod_app", "currency": "usd", "unit_amount": amount, "type": "recurring",
                "recurring": {"interval": interval, "interval_count": count, "usage_type": "licensed"}}}]}})
}

/// Every event of the quarter, in the order Stripe created them.
pub fn quarter() -> Vec<Value> {
    [
        coupons_and_discounts(),
        subscriptions(),
        bills(),
        money_moves(),
    ]
    .concat()
    .into_iter()
    .map(clover)
    .collect()
}

fn coupons_and_discounts() -> Vec<Value> {
    let d = "customer.discount";
    vec![
        event(
            "evt_cp1",
            "coupon.created",
            at(1, 1),
            coupon("TWENTY", Some(20.0), None, "forever"),
        ),
        event(
            "evt_cp2",
            "coupon.created",
            at(1, 1),
            coupon("FIVEOFF", None, Some(500), "forever"),
        ),
        event(
            "evt_cp3",
            "coupon.created",
            at(1, 1),
            coupon("WELCOME10", Some(10.0), None, "once"),
        ),
        event(
            "evt_cp4",
            "coupon.created",
            at(1, 1),
            coupon("TENOFF", None, Some(1000), "repeating"),
        ),
        event(
            "evt_cp5",
            "coupon.created",
            at(1, 1),
            coupon("HALF1", Some(50.0), None, "once"),
        ),
        event(
            "evt_cp6",
            "coupon.updated",
            at(1, 2),
            coupon("TWENTY", Some(20.0), None, "forever"),
        ),
        event(
            "evt_da",
            &format!("{d}.created"),
            at(1, 5),
            discount(("di_a", "cus_a", Some("sub_a"), "TWENTY", at(1, 5), None)),
        ),
        event(
            "evt_dh",
            &format!("{d}.created"),
            at(1, 20),
            discount(("di_h", "cus_h", None, "FIVEOFF", at(1, 20), None)),
        ),
        event(
            "evt_dc",
            &format!("{d}.created"),
            at(2, 15),
            discount(("di_c", "cus_c", Some("sub_c"), "WELCOME10", at(2, 15), None)),
        ),
        event(
            "evt_df",
            &format!("{d}.created"),
            at(2, 1),
            discount((
                "di_f",
                "cus_f",
                Some("sub_f"),
                "TENOFF",
                at(2, 1),
                Some(at(3, 1)),
            )),
        ),
        event(
            "evt_dg",
            &format!("{d}.created"),
            at(3, 5),
            discount(("di_g", "cus_g", Some("sub_g"), "HALF1", at(3, 5), None)),
        ),
        event(
            "evt_dg2",
            &format!("{d}.deleted"),
            at(3, 5) + 60,
            discount(("di_g", "cus_g", Some("sub_g"), "HALF1", at(3, 5), None)),
        ),
    ]
}

fn subscriptions() -> Vec<Value> {
    let (c, u, del) = (
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
    );
    let m = |amount| (amount, "month", 1);
    vec![
        event(
            "evt_sa",
            c,
            at(1, 5),
            sub(("sub_a", "cus_a", "active", m(4900), at(1, 5), &["di_a"])),
        ),
        event(
            "evt_sb",
            c,
            at(1, 10),
            sub(("sub_b", "cus_b", "active", m(9900), at(1, 10), &[])),
        ),
        event(
            "evt_sh",
            c,
            at(1, 20),
            sub(("sub_h", "cus_h", "active", m(2500), at(1, 20), &[])),
        ),
        event(
            "evt_sf",
            c,
            at(2, 1),
            sub(("sub_f", "cus_f", "active", m(4000), at(2, 1), &["di_f"])),
        ),
        event(
            "evt_sc",
            c,
            at(2, 15),
            sub((
                "sub_c",
                "cus_c",
                "active",
                (120_000, "year", 1),
                at(2, 15),
                &["di_c"],
            )),
        ),
        event(
            "evt_se",
            c,
            at(2, 27),
            sub(("sub_e", "cus_e", "active", m(12_800), at(2, 27), &[])),
        ),
        event(
            "evt_sf2",
            u,
            at(3, 1),
            sub(("sub_f", "cus_f", "active", m(4000), at(2, 1), &[])),
        ),
        event(
            "evt_sg",
            c,
            at(3, 5),
            sub(("sub_g", "cus_g", "active", m(6000), at(3, 5), &["di_g"])),
        ),
        event(
            "evt_sd",
            c,
            at(3, 10) + 14 * H + 1800,
            sub((
                "sub_d",
                "cus_d",
                "active",
                (30_000, "month", 3),
                at(3, 10) + 14 * H + 1800,
                &[],
            )),
        ),
        event(
            "evt_sb2",
            del,
            at(3, 12),
            sub(("sub_b", "cus_b", "canceled", m(9900), at(3, 12), &[])),
        ),
        event(
            "evt_sb3",
            c,
            at(3, 26),
            sub(("sub_b2", "cus_b", "active", m(2900), at(3, 26), &[])),
        ),
        event(
            "evt_se2",
            u,
            at(3, 27) + H,
            sub(("sub_e", "cus_e", "past_due", m(12_800), at(2, 27), &[])),
        ),
        event(
            "evt_se3",
            u,
            at(4, 2),
            sub(("sub_e", "cus_e", "active", m(12_800), at(2, 27), &[])),
        ),
    ]
}
