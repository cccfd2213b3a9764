//! Every Stripe payload we hold (the `pay` gem's captured events and Stripe's own OpenAPI fixtures) parses:
//! the objects opsdesk uses become ledger records with the right figures, the rest are ignored.

use opsdesk::domain::finance::Record;
use opsdesk::finance::stripe::{Event, parse_event, records};
use serde_json::{Value, json};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stripe")
}

fn wrapped(file: &str) -> Event {
    let data: Value = serde_json::from_slice(&std::fs::read(dir().join(file)).unwrap()).unwrap();
    let name = file.trim_end_matches(".json");
    let kind = if name.starts_with("subscription.") {
        format!("customer.{name}")
    } else {
        name.to_string()
    };
    let body = json!({"id": format!("evt_{name}"), "object": "event", "type": kind, "created": 1_700_000_000, "data": data});
    parse_event(body.to_string().as_bytes()).unwrap()
}

fn one(file: &str) -> Record {
    let r = records(&wrapped(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(r.len(), 1, "{file}: {r:?}");
    r.into_iter().next().unwrap()
}

#[test]
fn the_pay_gems_subscription_events_become_subscriptions() {
    let Record::Subscription(s) = one("subscription.created.json") else {
        panic!()
    };
    assert_eq!(
        (
            s.id.as_str(),
            s.customer.as_str(),
            s.status.as_str(),
            s.currency.as_str()
        ),
        ("sub_00000000000000", "cus_00000000000000", "active", "usd")
    );
    assert_eq!(
        (
            s.items[0].unit_amount,
            s.items[0].quantity,
            s.items[0].interval.as_str()
        ),
        (300, 2, "month"),
        "the older `price.amount` shape"
    );
    assert_eq!((s.mrr(s.at), s.rank), (600, 0));
    let Record::Subscription(u) = one("subscription.updated.json") else {
        panic!()
    };
    assert_eq!((u.status.as_str(), u.mrr(u.at)), ("canceled", 0));
    let Record::Subscription(d) = one("subscription.deleted.json") else {
        panic!()
    };
    assert_eq!((d.rank, d.ended_at), (2, Some(1_546_925_027_000)));
    for f in [
        "subscription.trial_ended.json",
        "subscription.trial_will_end.json",
    ] {
        assert!(matches!(one(f), Record::Subscription(_)), "{f}");
    }
}

#[test]
fn the_pay_gems_invoice_charge_and_customer_events_become_records() {
    let Record::Invoice(i) = one("invoice.payment_failed.json") else {
        panic!()
    };
    assert_eq!(
        (i.id.as_str(), i.amount_due, i.attempt_count, i.failed_at),
        ("in_1234", 24_900, 1, Some(1_700_000_000_000))
    );
    assert_eq!(
        i.subscription.as_deref(),
        Some("sub_1234"),
        "the newer `parent.subscription_details` shape"
    );
    assert_eq!(
        i.lines[0].period_end - i.lines[0].period_start,
        365 * 86_400_000,
        "an annual line"
    );
    let Record::Invoice(a) = one("invoice.payment_action_required.json") else {
        panic!()
    };
    assert_eq!((a.status.as_str(), a.failed_at), ("open", None));

    let Record::Charge(c) = one("charge.succeeded.json") else {
        panic!()
    };
    assert_eq!(
        (c.amount, c.status.as_str(), c.currency.as_str()),
        (500, "succeeded", "usd")
    );
    let refunded = records(&wrapped("charge.refunded.json")).unwrap();
    assert!(
        matches!(&refunded[1], Record::Refund(r) if r.amount == 500 && r.id == "re_3LQOJoKXBGcbgpbZ10i9Mg75"),
        "{refunded:?}"
    );
    assert!(matches!(one("charge.updated.json"), Record::Charge(_)));
    assert!(matches!(
        one("customer.updated.json"),
        Record::Customer { deleted: false, .. }
    ));
    assert!(matches!(
        one("customer.deleted.json"),
        Record::Customer { deleted: true, .. }
    ));

    // Objects opsdesk does not keep: stored and ignored, never an error.
    for f in [
        "invoice.upcoming.json",
        "invoice.updated.json",
        "payment_method.attached.json",
        "checkout.session.completed.json",
    ] {
        assert_eq!(records(&wrapped(f)).unwrap(), vec![], "{f}");
    }
}

#[test]
fn stripes_own_resource_fixtures_become_records() {
    let all: Value =
        serde_json::from_slice(&std::fs::read(dir().join("openapi-resources.json")).unwrap())
            .unwrap();
    let kinds = [
        ("charge", "charge.succeeded"),
        ("invoice", "invoice.finalized"),
        ("subscription", "customer.subscription.updated"),
        ("refund", "refund.created"),
        ("dispute", "charge.dispute.created"),
        ("customer", "customer.created"),
        ("price", "price.created"),
        ("product", "product.updated"),
    ];
    for (resource, kind) in kinds {
        let body = json!({"id": "evt_1", "type": kind, "created": 1_234_567_890, "data": {"object": all[resource]}});
        let r = records(&parse_event(body.to_string().as_bytes()).unwrap())
            .unwrap_or_else(|e| panic!("{resource}: {e}"));
        assert_eq!(r[0].key().0, resource, "{r:?}");
    }
    let body = json!({"id": "evt_1", "type": "customer.subscription.updated", "created": 1_234_567_890, "data": {"object": all["subscription"]}});
    let Record::Subscription(s) = records(&parse_event(body.to_string().as_bytes()).unwrap())
        .unwrap()
        .remove(0)
    else {
        panic!()
    };
    assert_eq!(
        (s.items[0].unit_amount, s.items[0].interval.as_str()),
        (2000, "month"),
        "the newer `price.recurring` shape"
    );
}
