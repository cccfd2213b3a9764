//! Tests of the ledger's records: merging out of order, subscription versions and MRR.

use super::*;

fn item(amount: i64, interval: &str, count: i64, qty: i64) -> SubItem {
    SubItem {
        id: format!("si_{amount}"),
        discounts: vec![],
        price: "p".into(),
        product: "prod".into(),
        unit_amount: amount,
        interval: interval.into(),
        interval_count: count,
        quantity: qty,
    }
}

fn sub(items: Vec<SubItem>, status: &str) -> SubVersion {
    SubVersion {
        id: "sub".into(),
        customer: "cus".into(),
        status: status.into(),
        currency: "usd".into(),
        items,
        discount: None,
        discounts: vec![],
        trial_end: None,
        cancel_at_period_end: false,
        created: 0,
        ended_at: None,
        at: 0,
        rank: 0,
    }
}

fn invoice(status: &str, at: Millis, failed: Option<Millis>, paid: Option<Millis>) -> Record {
    Record::Invoice(Invoice {
        id: "in_1".into(),
        customer: "cus".into(),
        subscription: None,
        status: status.into(),
        currency: "usd".into(),
        amount_due: 100,
        amount_paid: if paid.is_some() { 100 } else { 0 },
        attempt_count: 1,
        created: 0,
        paid_at: paid,
        failed_at: failed,
        closed_at: None,
        lines: vec![],
        at,
    })
}

#[test]
fn merging_is_the_same_in_any_arrival_order() {
    let failed = invoice("open", 10, Some(10), None);
    let paid = invoice("paid", 20, None, Some(20));
    let a = Record::merge(failed.clone(), paid.clone());
    let b = Record::merge(paid, failed);
    assert_eq!(a, b);
    let Record::Invoice(i) = a else { panic!() };
    assert_eq!(
        (i.status.as_str(), i.failed_at, i.paid_at),
        ("paid", Some(10), Some(20)),
        "a recovered payment"
    );
    // Same second: the later stage wins.
    let (open, paid) = (
        invoice("open", 30, None, None),
        invoice("paid", 30, None, Some(30)),
    );
    assert_eq!(
        Record::merge(paid.clone(), open.clone()),
        Record::merge(open, paid)
    );
}

#[test]
fn mrr_normalises_intervals_quantities_and_discounts() {
    assert_eq!(sub(vec![item(2000, "month", 1, 3)], "active").mrr(1), 6000);
    assert_eq!(
        sub(vec![item(120_000, "year", 1, 1)], "active").mrr(1),
        10_000,
        "annual ÷ 12"
    );
    assert_eq!(
        sub(vec![item(30_000, "month", 3, 1)], "active").mrr(1),
        10_000,
        "quarterly ÷ 3"
    );
    assert_eq!(
        sub(vec![item(1000, "week", 1, 1)], "past_due").mrr(1),
        4333,
        "52 weeks ÷ 12, rounded"
    );
    assert_eq!(
        sub(vec![item(2000, "month", 1, 1)], "trialing").mrr(1),
        0,
        "a trial is not revenue"
    );
    let mut s = sub(vec![item(10_000, "month", 1, 1)], "active");
    s.discount = Some(Discount {
        percent_off_bp: Some(2500),
        amount_off: None,
        ends_at: Some(100),
        ..Default::default()
    });
    assert_eq!(
        (s.mrr(99), s.mrr(100)),
        (7500, 10_000),
        "25 % off until it ends"
    );
    let mut y = sub(vec![item(120_000, "year", 1, 1)], "active");
    y.discount = Some(Discount {
        percent_off_bp: None,
        amount_off: Some(12_000),
        ends_at: None,
        ..Default::default()
    });
    assert_eq!(
        y.mrr(1),
        9000,
        "an amount off a yearly invoice is spread over the year"
    );
    y.ended_at = Some(5);
    assert_eq!(y.mrr(5), 0);
}
