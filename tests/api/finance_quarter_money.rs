//! The scripted quarter's invoices, charges, refund and dispute (API 2026-02-25.clover shapes): C's
//! discounted year, D's quarter from 03-10 14:30, E's invoice failed on 03-27 and paid on 04-02, and
//! March's charges, a refund of A's and a dispute of B's February charge.

use super::finance_month::{at, at_year, event};
use serde_json::{Value, json};

const H: i64 = 3600;

/// (id, customer, subscription, status, (due, paid, discount), created, paid_at, line period).
type Bill<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    (i64, i64, i64),
    i64,
    Option<i64>,
    (i64, i64),
);

fn invoice(b: Bill) -> Value {
    let (id, customer, sub, status, (due, paid, off), created, paid_at, (start, end)) = b;
    let discounts = if off > 0 {
        json!([{"amount": off, "discount": "di_c"}])
    } else {
        json!([])
    };
    json!({"id": id, "object": "invoice", "customer": customer, "status": status, "currency": "usd",
        "amount_due": due, "amount_paid": paid, "amount_remaining": due - paid, "attempt_count": 1,
        "created": created, "billing_reason": "subscription_cycle",
        "parent": {"type": "subscription_details", "quote_details": null,
            "subscription_details": {"subscription": sub, "metadata": {}}},
        "status_transitions": {"finalized_at": created, "paid_at": paid_at, "voided_at": null,
            "marked_uncollectible_at": null},
        "lines": {"object": "list", "data": [{"id": format!("il_{id}"), "object": "line_item",
            "amount": due + off, "currency": "usd", "discount_amounts": discounts,
            "period": {"start": start, "end": end}}]}})
}

fn charge(id: &str, customer: &str, amount: i64, status: &str, created: i64) -> Value {
    json!({"id": id, "object": "charge", "customer": customer, "amount": amount, "amount_refunded": 0,
        "currency": "usd", "status": status, "paid": status == "succeeded", "created": created})
}

pub(crate) fn bills() -> Vec<Value> {
    let d_start = at(3, 10) + 14 * H + 1800;
    let year = (at(2, 15), at_year(2027, 2, 15));
    let e_open = (
        "in_e3",
        "cus_e",
        "sub_e",
        "open",
        (12_800, 0, 0),
        at(3, 27),
        None,
        (at(3, 27), at(4, 27)),
    );
    vec![
        event(
            "evt_ic",
            "invoice.paid",
            at(2, 15),
            invoice((
                "in_c1",
                "cus_c",
                "sub_c",
                "paid",
                (108_000, 108_000, 12_000),
                at(2, 15),
                Some(at(2, 15)),
                year,
            )),
        ),
        event(
            "evt_id",
            "invoice.paid",
            d_start,
            invoice((
                "in_d1",
                "cus_d",
                "sub_d",
                "paid",
                (30_000, 30_000, 0),
                d_start,
                Some(d_start),
                (d_start, d_start + 92 * 86_400),
            )),
        ),
        event(
            "evt_ie1",
            "invoice.payment_failed",
            at(3, 27),
            invoice(e_open),
        ),
        event(
            "evt_ie2",
            "invoice.paid",
            at(4, 2),
            invoice((
                "in_e3",
                "cus_e",
                "sub_e",
                "paid",
                (12_800, 12_800, 0),
                at(3, 27),
                Some(at(4, 2)),
                (at(3, 27), at(4, 27)),
            )),
        ),
    ]
}

pub(crate) fn money_moves() -> Vec<Value> {
    let refund = json!({"id": "re_a", "object": "refund", "amount": 1000, "charge": "ch_a3",
        "currency": "usd", "status": "succeeded", "created": at(3, 20), "reason": "requested_by_customer"});
    let dispute = json!({"id": "dp_b", "object": "dispute", "amount": 9900, "charge": "ch_b2",
        "currency": "usd", "status": "needs_response", "reason": "fraudulent", "created": at(3, 18),
        "evidence_details": {"due_by": at(3, 28)}});
    vec![
        event(
            "evt_cb2",
            "charge.succeeded",
            at(2, 10),
            charge("ch_b2", "cus_b", 9900, "succeeded", at(2, 10)),
        ),
        event(
            "evt_ca3",
            "charge.succeeded",
            at(3, 5),
            charge("ch_a3", "cus_a", 3920, "succeeded", at(3, 5)),
        ),
        event(
            "evt_cg",
            "charge.succeeded",
            at(3, 5),
            charge("ch_g", "cus_g", 3000, "succeeded", at(3, 5)),
        ),
        event(
            "evt_cd",
            "charge.succeeded",
            at(3, 10) + 15 * H,
            charge("ch_d", "cus_d", 30_000, "succeeded", at(3, 10) + 15 * H),
        ),
        event(
            "evt_cb3",
            "charge.succeeded",
            at(3, 26),
            charge("ch_b3", "cus_b", 2900, "succeeded", at(3, 26)),
        ),
        event(
            "evt_ce",
            "charge.failed",
            at(3, 27),
            charge("ch_e", "cus_e", 12_800, "failed", at(3, 27)),
        ),
        event("evt_re", "refund.created", at(3, 20), refund),
        event("evt_dp", "charge.dispute.created", at(3, 18), dispute),
    ]
}
