//! Tests of Stripe webhooks: signatures (valid, wrong, stale, rolled secrets) and events into records.

use super::*;

#[test]
fn signatures_follow_stripes_scheme() {
    let body = br#"{"id":"evt_1"}"#;
    let h = sign(body, b"whsec_test", 1_700_000_000);
    assert_eq!(
        verify(Some(&h), body, b"whsec_test", 1_700_000_100, 300),
        Ok(())
    );
    assert_eq!(
        verify(Some(&h), body, b"whsec_other", 1_700_000_100, 300),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify(Some(&h), body, b"whsec_test", 1_700_000_400, 300),
        Err(SignatureError::Stale(400, 300))
    );
    assert_eq!(
        verify(None, body, b"whsec_test", 0, 300),
        Err(SignatureError::Missing)
    );
    assert_eq!(
        verify(
            Some("t=1700000000"),
            body,
            b"whsec_test",
            1_700_000_000,
            300
        ),
        Err(SignatureError::Malformed)
    );
    // Several v1 values (a secret being rolled): any match will do.
    let other = sign(body, b"whsec_old", 1_700_000_000);
    let both = format!("{},{}", other, h.split(',').nth(1).unwrap());
    assert_eq!(
        verify(Some(&both), body, b"whsec_test", 1_700_000_000, 300),
        Ok(())
    );
    assert_eq!(
        verify(Some(&both), body, b"whsec_old", 1_700_000_000, 300),
        Ok(())
    );
}

#[test]
fn bad_events_name_the_missing_field() {
    assert!(
        parse_event(b"{}")
            .unwrap_err()
            .to_string()
            .contains("missing field `created`")
    );
    assert!(
        parse_event(br#"{"id":"evt","type":"x","created":1}"#)
            .unwrap_err()
            .to_string()
            .contains("data.object")
    );
    let e = parse_event(
        br#"{"id":"evt","type":"invoice.paid","created":1,"data":{"object":{"id":"in_1"}}}"#,
    )
    .unwrap();
    assert!(
        records(&e)
            .unwrap_err()
            .to_string()
            .contains("invoice has no `customer`")
    );
    let e =
        parse_event(br#"{"id":"evt","type":"balance.available","created":1,"data":{"object":{}}}"#)
            .unwrap();
    assert!(
        records(&e).unwrap().is_empty(),
        "unknown types give no records"
    );
}

fn event_of(kind: &str, object: serde_json::Value) -> Event {
    Event {
        id: "evt".into(),
        kind: kind.into(),
        created: 1_000_000,
        object,
    }
}

#[test]
fn coupons_and_discounts_are_read_in_both_api_shapes() {
    use crate::domain::finance::{Coupon, Grant};
    // The openapi fixture's coupon: 25.5 % off.
    let c = serde_json::json!({"id": "Z4OV52SU", "object": "coupon", "percent_off": 25.5,
        "amount_off": null, "currency": "usd", "duration": "repeating", "duration_in_months": 3});
    let [
        Record::Coupon(Coupon {
            percent_off_bp,
            duration,
            duration_in_months,
            ..
        }),
    ] = &records(&event_of("coupon.created", c)).unwrap()[..]
    else {
        panic!("a coupon")
    };
    assert_eq!(
        (*percent_off_bp, duration.as_str(), *duration_in_months),
        (Some(2550), "repeating", Some(3))
    );
    // 2025-09-30 and later: the coupon by id.
    let d = serde_json::json!({"id": "di_1", "object": "discount", "customer": "cus_1",
        "subscription": "sub_1", "subscription_item": null, "invoice": null, "invoice_item": null,
        "start": 100, "end": null, "source": {"coupon": "Z4OV52SU", "type": "coupon"}});
    let r = records(&event_of("customer.discount.deleted", d)).unwrap();
    let [
        Record::Discount(Grant {
            coupon,
            subscription,
            terms,
            start,
            deleted_at,
            ..
        }),
    ] = &r[..]
    else {
        panic!("a discount: {r:?}")
    };
    assert_eq!(
        (
            coupon.as_str(),
            subscription.as_deref(),
            terms,
            *start,
            *deleted_at
        ),
        ("Z4OV52SU", Some("sub_1"), &None, 100_000, Some(1_000_000))
    );
    // Older versions: the subscription carries the discount and its coupon whole.
    let s = serde_json::json!({"id": "sub_1", "object": "subscription", "customer": "cus_1",
        "status": "active", "currency": "usd", "discounts": ["di_2"],
        "discount": {"id": "di_2", "object": "discount", "start": 100, "end": null,
            "coupon": {"id": "HALF", "object": "coupon", "percent_off": 50.0, "duration": "once"}},
        "items": {"data": [{"id": "si_1", "quantity": 1, "discounts": ["di_3"],
            "price": {"id": "p", "unit_amount": 1000, "recurring": {"interval": "month", "interval_count": 1}}}]}});
    let [Record::Subscription(v)] =
        &records(&event_of("customer.subscription.updated", s)).unwrap()[..]
    else {
        panic!("a subscription")
    };
    let d = v.discount.clone().unwrap();
    assert_eq!(
        (d.percent_off_bp, d.once, d.start),
        (Some(5000), true, Some(100_000))
    );
    assert_eq!(
        (v.discounts.clone(), v.items[0].discounts.clone()),
        (vec!["di_2".to_string()], vec!["di_3".to_string()])
    );
    // Before 2020-08-27 a discount had no id: it is named by what it reduces and when.
    let old = serde_json::json!({"object": "discount", "customer": "cus_1", "subscription": "sub_1",
        "start": 100, "end": null, "coupon": {"id": "TEN", "object": "coupon", "percent_off": 10, "duration": "forever"}});
    let [Record::Discount(g)] = &records(&event_of("customer.discount.created", old)).unwrap()[..]
    else {
        panic!("an old discount")
    };
    let percent = g.terms.as_ref().and_then(|c| c.percent_off_bp);
    assert_eq!((g.id.as_str(), percent), ("cus_1:sub_1:100", Some(1000)));
}

#[test]
fn an_invoice_keeps_its_line_discounts_and_when_it_was_voided() {
    let i = serde_json::json!({"id": "in_1", "object": "invoice", "customer": "cus_1", "status": "void",
        "currency": "usd", "amount_due": 900, "amount_paid": 0,
        "status_transitions": {"paid_at": null, "voided_at": 50},
        "lines": {"data": [
            {"amount": 1000, "discount_amounts": [{"amount": 100, "discount": "di_1"}], "period": {"start": 0, "end": 10}},
            {"amount": 500, "pretax_credit_amounts": [{"amount": 50, "type": "discount"}, {"amount": 7, "type": "credit_balance_transaction"}], "period": {"start": 0, "end": 10}}]}});
    let [Record::Invoice(inv)] = &records(&event_of("invoice.voided", i)).unwrap()[..] else {
        panic!("an invoice")
    };
    assert_eq!(inv.closed_at, Some(50_000));
    let off: Vec<i64> = inv.lines.iter().map(|l| l.discount).collect();
    assert_eq!(off, [100, 50]);
}
