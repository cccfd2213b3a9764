//! Tests of the report's figures: moves within the period, discounts from the ledger, what was due at
//! the period's end, and straight-line recognition's rounding bound (a property test).

use super::*;
use crate::domain::finance::{Coupon, Grant, InvoiceLine, SubItem, SubVersion};
use proptest::prelude::*;

fn day(n: i64) -> Millis {
    n * DAY
}

fn version(id: &str, customer: &str, amount: i64, status: &str, at: Millis) -> SubVersion {
    SubVersion {
        id: id.into(),
        customer: customer.into(),
        status: status.into(),
        currency: "usd".into(),
        items: vec![SubItem {
            id: format!("si_{id}"),
            discounts: vec![],
            price: "p".into(),
            product: "prod".into(),
            unit_amount: amount,
            interval: "month".into(),
            interval_count: 1,
            quantity: 1,
        }],
        discount: None,
        discounts: vec![],
        trial_end: None,
        cancel_at_period_end: false,
        created: at,
        ended_at: (status == "canceled").then_some(at),
        at,
        rank: (status == "canceled") as i64 * 2,
    }
}

fn usd(l: &Ledger, from: Millis, to: Millis) -> CurrencyReport {
    report(l, from, to).currencies.remove(0)
}

#[test]
fn a_cancel_and_a_come_back_within_the_period_are_churn_and_reactivation() {
    let l = Ledger {
        subscriptions: vec![
            version("sub_x", "cus", 9900, "active", day(10)),
            version("sub_x", "cus", 9900, "canceled", day(42)),
            version("sub_y", "cus", 2900, "active", day(56)),
        ],
        ..Default::default()
    };
    let r = usd(&l, day(30), day(61));
    assert_eq!((r.mrr_start, r.mrr), (9900, 2900));
    assert_eq!(
        (r.churned_mrr, r.reactivation_mrr, r.contraction_mrr),
        (9900, 2900, 0)
    );
    assert_eq!((r.net_new_mrr, r.churned_customers), (-7000, 1));
    let first = usd(&l, day(0), day(30));
    assert_eq!((first.new_mrr, first.reactivation_mrr), (9900, 0));
}

fn coupon(id: &str, percent: Option<i64>, amount: Option<i64>, duration: &str) -> Coupon {
    Coupon {
        id: id.into(),
        percent_off_bp: percent,
        amount_off: amount,
        currency: amount.map(|_| "usd".into()),
        duration: duration.into(),
        duration_in_months: (duration == "repeating").then_some(2),
        at: 0,
    }
}

fn grant(id: &str, coupon: &str, start: Millis) -> Grant {
    Grant {
        id: id.into(),
        customer: Some("cus".into()),
        coupon: coupon.into(),
        start,
        at: start,
        ..Default::default()
    }
}

#[test]
fn discounts_named_by_id_reduce_mrr_from_the_ledger() {
    let mut sub = version("sub_x", "cus", 10_000, "active", day(1));
    sub.discounts = vec!["di_sub".into()];
    let mut removed = grant("di_cus", "forever20", day(5));
    removed.deleted_at = Some(day(20));
    let mut on_sub = grant("di_sub", "ten_off", day(40));
    on_sub.subscription = Some("sub_x".into());
    let mut on_item = grant("di_item", "once50", day(70));
    on_item.item = Some("si_sub_x".into());
    let mut l = Ledger {
        subscriptions: vec![version("sub_x", "cus", 10_000, "active", day(1)), sub],
        coupons: vec![
            coupon("forever20", Some(2000), None, "forever"),
            coupon("ten_off", None, Some(1000), "repeating"),
            coupon("once50", Some(5000), None, "once"),
        ],
        discounts: vec![removed, on_sub, on_item],
        ..Default::default()
    };
    l.subscriptions[1].at = day(39);
    let mrr = |t: Millis| usd(&l, t, t + 1).mrr_start;
    assert_eq!(mrr(day(4)), 10_000);
    assert_eq!(mrr(day(10)), 8000, "the customer's 20 % off");
    assert_eq!(mrr(day(21)), 10_000, "until it was removed");
    assert_eq!(mrr(day(45)), 9000, "10.00 off each month, for two months");
    assert_eq!(
        mrr(day(72)),
        4000,
        "half off the item for its first month, then 10.00 off"
    );
    assert_eq!(mrr(day(102)), 10_000, "both over");
    let r = usd(&l, day(0), day(110));
    assert_eq!(
        (r.new_mrr, r.expansion_mrr, r.contraction_mrr),
        (10_000, 2000 + 1000 + 5000, 2000 + 1000 + 5000)
    );
}

fn failed_invoice(closed: Option<Millis>) -> Invoice {
    Invoice {
        id: "in_1".into(),
        customer: "cus".into(),
        subscription: None,
        status: if closed.is_some() { "void" } else { "paid" }.into(),
        currency: "usd".into(),
        amount_due: 12_800,
        amount_paid: if closed.is_some() { 0 } else { 12_800 },
        attempt_count: 2,
        created: day(80),
        paid_at: closed.is_none().then_some(day(92)),
        failed_at: Some(day(86)),
        closed_at: closed,
        lines: vec![],
        at: day(92),
    }
}

#[test]
fn a_failed_invoice_is_outstanding_as_it_stood_at_the_period_end() {
    let paid_later = Ledger {
        invoices: vec![failed_invoice(None)],
        ..Default::default()
    };
    let march = usd(&paid_later, day(60), day(90));
    assert_eq!(
        (march.failed_outstanding, march.failed_outstanding_amount),
        (1, 12_800)
    );
    let april = usd(&paid_later, day(90), day(120));
    assert_eq!((april.failed_outstanding, april.recovered), (0, 1));
    assert_eq!(april.recovered_amount, 12_800);
    let voided_later = Ledger {
        invoices: vec![failed_invoice(Some(day(95)))],
        ..Default::default()
    };
    assert_eq!(usd(&voided_later, day(60), day(90)).failed_outstanding, 1);
    assert_eq!(usd(&voided_later, day(90), day(120)).failed_outstanding, 0);
}

#[test]
fn cash_is_charges_refunds_and_net() {
    use crate::domain::finance::{Charge, Refund};
    let l = Ledger {
        charges: vec![Charge {
            id: "ch".into(),
            customer: None,
            invoice: None,
            amount: 5000,
            amount_refunded: 1000,
            currency: "usd".into(),
            status: "succeeded".into(),
            created: day(1),
            at: day(1),
        }],
        refunds: vec![Refund {
            id: "re".into(),
            charge: Some("ch".into()),
            amount: 1000,
            currency: "usd".into(),
            status: "succeeded".into(),
            created: day(2),
            at: day(2),
        }],
        ..Default::default()
    };
    let r = usd(&l, 0, day(3));
    assert_eq!(
        (r.cash_gross, r.refunds_amount, r.cash_net),
        (5000, 1000, 4000)
    );
}

#[test]
fn a_discounted_annual_line_is_recognised_net_of_its_discount() {
    let mut i = failed_invoice(None);
    i.paid_at = Some(day(1));
    i.lines = vec![InvoiceLine {
        amount: 120_000,
        discount: 24_000,
        period_start: day(0),
        period_end: day(365),
    }];
    let l = Ledger {
        invoices: vec![i],
        ..Default::default()
    };
    let r = usd(&l, day(0), day(73));
    assert_eq!((r.recognised_annual, r.deferred_annual), (19_200, 76_800));
}

proptest! {
    /// Whatever the line's start, length and the period, recognised plus deferred is the amount less
    /// at most one minor unit, and the recognised shares of consecutive periods add up the same way.
    #[test]
    fn recognised_plus_deferred_is_the_amount_within_a_minor_unit(
        amount in 0i64..10_000_000,
        start in 0i64..(400 * DAY),
        length in (32 * DAY)..(800 * DAY),
        from in 0i64..(1200 * DAY),
        cut in 0i64..(1200 * DAY),
    ) {
        let period = (start, start + length);
        let (before, _) = recognise(amount, period, i64::MIN / 2, from);
        let (within, deferred) = recognise(amount, period, from, from + cut);
        let total = before + within + deferred;
        prop_assert!(total <= amount && total >= amount - 2, "{total} of {amount}");
        if from <= start {
            prop_assert!(within + deferred >= amount - 1, "{within} + {deferred} of {amount}");
        }
    }
}
