//! `cargo bench --bench finance`: the finance report and the weekly chart's 12 points on an in-memory
//! ledger of a SaaS with 5,000 customers over a year (plan changes, cancellations, come-backs, coupons of
//! each duration, monthly and annual invoices). Prints the time per report; docs/benchmarks.md quotes it.
// A benchmark harness: a failed unwrap aborts the run, as a failed test would.
#![allow(clippy::unwrap_used)]

use opsdesk::domain::finance::{Coupon, Grant, Invoice, InvoiceLine, Ledger, SubItem, SubVersion};
use opsdesk::domain::finance_report::{DAY, report, weekly_mrr};
use std::time::Instant;

const CUSTOMERS: i64 = 5_000;

fn version(c: i64, amount: i64, interval: &str, status: &str, at: i64) -> SubVersion {
    SubVersion {
        id: format!("sub_{c}"),
        customer: format!("cus_{c}"),
        status: status.into(),
        currency: if c % 10 == 0 { "eur" } else { "usd" }.into(),
        items: vec![SubItem {
            id: format!("si_{c}"),
            discounts: vec![],
            price: format!("price_{amount}"),
            product: "prod".into(),
            unit_amount: amount,
            interval: interval.into(),
            interval_count: 1,
            quantity: 1 + c % 3,
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

/// A year of a SaaS: each customer signs up, about a third change plan, a tenth cancel and half of those
/// come back; a quarter have a coupon; annual customers pay one invoice, monthly ones twelve.
fn ledger() -> Ledger {
    let mut l = Ledger::default();
    for (i, d) in ["forever", "once", "repeating"].iter().enumerate() {
        l.coupons.push(Coupon {
            id: format!("c{i}"),
            percent_off_bp: Some(1000 * (i as i64 + 1)),
            duration: d.to_string(),
            duration_in_months: Some(3),
            ..Default::default()
        });
    }
    for c in 0..CUSTOMERS {
        let start = (c * 7919 % 300) * DAY;
        let annual = c % 5 == 0;
        let (amount, interval) = if annual {
            (120_000, "year")
        } else {
            (2_900 + (c % 4) * 2_000, "month")
        };
        l.subscriptions
            .push(version(c, amount, interval, "active", start));
        if c % 3 == 0 {
            l.subscriptions.push(version(
                c,
                amount + 2_000,
                interval,
                "active",
                start + 40 * DAY,
            ));
        }
        if c % 10 == 1 {
            l.subscriptions
                .push(version(c, amount, interval, "canceled", start + 60 * DAY));
        }
        if c % 20 == 1 {
            l.subscriptions
                .push(version(c, amount, interval, "active", start + 90 * DAY));
        }
        if c % 4 == 0 {
            l.discounts.push(Grant {
                id: format!("di_{c}"),
                customer: Some(format!("cus_{c}")),
                subscription: Some(format!("sub_{c}")),
                coupon: format!("c{}", c % 3),
                start,
                at: start,
                ..Default::default()
            });
        }
        let bills = if annual { 1 } else { 12 };
        for b in 0..bills {
            let from = start + b * 30 * DAY;
            let to = if annual {
                from + 365 * DAY
            } else {
                from + 30 * DAY
            };
            l.invoices.push(Invoice {
                id: format!("in_{c}_{b}"),
                customer: format!("cus_{c}"),
                subscription: Some(format!("sub_{c}")),
                status: "paid".into(),
                currency: "usd".into(),
                amount_due: amount,
                amount_paid: amount,
                attempt_count: 1,
                created: from,
                paid_at: Some(from),
                failed_at: (b % 17 == 3).then_some(from),
                closed_at: None,
                lines: vec![InvoiceLine {
                    amount,
                    discount: 0,
                    period_start: from,
                    period_end: to,
                }],
                at: from,
            });
        }
    }
    l
}

fn main() {
    let l = ledger();
    println!(
        "ledger: {CUSTOMERS} customers, {} subscription versions, {} invoices, {} discounts",
        l.subscriptions.len(),
        l.invoices.len(),
        l.discounts.len()
    );
    let (from, to) = (300 * DAY, 330 * DAY);
    let runs = 5;
    let t = Instant::now();
    let mut mrr = 0;
    for _ in 0..runs {
        mrr = report(&l, from, to).currencies[1].mrr;
    }
    println!(
        "report, one month:        {:>8.1} ms  (USD MRR {mrr})",
        t.elapsed().as_secs_f64() * 1e3 / runs as f64
    );
    let t = Instant::now();
    for _ in 0..runs {
        assert_eq!(weekly_mrr(&l, "usd", to, 12).len(), 12);
    }
    println!(
        "weekly chart, 12 points:  {:>8.1} ms",
        t.elapsed().as_secs_f64() * 1e3 / runs as f64
    );
}
