//! The scripted month's invoices and payments (see `finance_month.rs`): F as a customer, G's, A's
//! and B's invoices, the charges, F's refund, the dispute on A's charge and the balance.

use super::finance_month::*;
use serde_json::{Value, json};

/// F as a customer, and the invoices: G's, A's failed then paid, B's unpaid.
pub(crate) fn invoices() -> Vec<Value> {
    vec![
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
    ]
}

/// The charges, F's refund, the dispute on A's charge and the balance.
pub(crate) fn payments() -> Vec<Value> {
    vec![
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
