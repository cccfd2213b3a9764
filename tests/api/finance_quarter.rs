//! The scripted quarter (finance_quarter_events.rs) through `POST /hooks/stripe`: every figure of March
//! against values worked out by hand below, February's and April's where the quarter's moves show, and
//! the same report after an ordered delivery and a shuffled one with duplicates, on SQLite and Postgres.

use super::alerts::{serve, settings, wait_processed};
use super::finance::{deliver, shuffle};
use super::finance_month::at;
use super::finance_quarter_events::quarter;
use crate::support;
use opsdesk::domain::finance_report::{CurrencyReport, report};
use opsdesk::domain::ports::*;
use std::sync::Arc;

/// February's, March's and April's USD figures after `events` were posted to a fresh desk; and how
/// many late events March's report counts, and how many cards were posted.
async fn figures(
    db: &support::TestDb,
    events: Vec<serde_json::Value>,
) -> (Vec<CurrencyReport>, i64, usize) {
    let store: Arc<dyn Store> = Arc::new(db.store.clone());
    let p = support::pipeline_with(store.clone(), settings()).await;
    let base = serve(p, None).await;
    let statuses = deliver(&format!("{base}/hooks/stripe"), events).await;
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 202),
        "{statuses:?}"
    );
    wait_processed(&store).await;
    let ledger = store.finance_ledger().await.unwrap();
    let reports: Vec<CurrencyReport> = [(2, 3), (3, 4), (4, 5)]
        .iter()
        .map(|(a, b)| {
            report(&ledger, at(*a, 1) * 1000, at(*b, 1) * 1000)
                .currencies
                .remove(0)
        })
        .collect();
    // The events arrive today, months after Stripe created them: counted, not announced.
    let now = opsdesk::clock::now();
    let late = report(&ledger, now - 3_600_000, now + 1).late_events;
    let cards = store
        .outbox_claim("probe", i64::MAX / 4, 60_000, 100)
        .await
        .unwrap();
    (reports, late, cards.len())
}

#[tokio::test]
async fn a_quarter_gives_the_figures_worked_out_by_hand_in_any_delivery_order() {
    let again = support::backends().await;
    for (db, db2) in support::backends().await.into_iter().zip(again) {
        let (ordered, late, cards) = figures(&db, quarter()).await;
        assert_eq!(
            (late, cards),
            (2, 0),
            "E's failed payment and B's dispute, months old"
        );
        // Every third event delivered twice, and the whole in another order.
        let mut twice = quarter();
        twice.extend(quarter().into_iter().step_by(3));
        let (shuffled, late, _) = figures(&db2, shuffle(twice)).await;
        assert_eq!(late, 2, "a duplicate is not counted twice");
        assert_eq!(ordered, shuffled, "{}", db.store.backend());
        march(&ordered[1]);
        february_and_april(&ordered[0], &ordered[2]);
        db.cleanup().await;
        db2.cleanup().await;
    }
}

fn march(r: &CurrencyReport) {
    // End of February: A 49.00 − 20 % = 39.20; B 99.00; C 1,200.00/yr − 10 % (once: its first year)
    // = 90.00; E 128.00; F 40.00 − 10.00 (one month from 02-01); H 25.00 − 5.00 (the customer's) = 20.00.
    assert_eq!(r.mrr_start, 3920 + 9900 + 9000 + 12_800 + 3000 + 2000);
    // F back to 40.00 on 03-01; G 60.00 − 50 % once (its first month, though Stripe removed the
    // discount at once); D 300.00 ÷ 3; B cancelled 99.00 on 03-12 and came back at 29.00 on 03-26:
    // churn and reactivation, not a contraction.
    assert_eq!(
        (r.new_mrr, r.reactivation_mrr, r.expansion_mrr),
        (3000 + 10_000, 2900, 1000)
    );
    assert_eq!((r.churned_mrr, r.contraction_mrr), (9900, 0));
    assert_eq!(r.mrr, 40_620 + 13_000 + 2900 + 1000 - 9900);
    assert_eq!((r.net_new_mrr, r.arr), (7000, 47_620 * 12));
    assert_eq!(
        (r.customers_start, r.customers, r.churned_customers),
        (6, 8, 1)
    );
    assert_eq!(
        (r.logo_churn_bp, r.revenue_churn_bp),
        (1666, 9900 * 10_000 / 40_620)
    );
    // E's invoice failed on 03-27 and was paid on 04-02: on 04-01 it was still due, all of it.
    assert_eq!(
        (r.failed_outstanding, r.failed_outstanding_amount),
        (1, 12_800)
    );
    assert_eq!((r.recovered, r.recovered_amount), (0, 0));
    assert_eq!(
        (r.cash_gross, r.refunds_amount, r.cash_net),
        (39_820, 1000, 38_820)
    );
    assert_eq!((r.refunds, r.disputes, r.disputes_amount), (1, 1, 9900));
    // C's year (1,080.00 after 10 % off) from 02-15: 31 of 365 days in March, 320 after. D's quarter
    // from 03-10 14:30: 21 days 9.5 hours of 92 days in March — by the second, not by whole days.
    let d = at(4, 1) - (at(3, 10) + 14 * 3600 + 1800);
    let q = 92 * 86_400;
    assert_eq!(
        (r.recognised_annual, r.deferred_annual),
        (
            108_000 * 31 / 365 + 30_000 * d / q,
            108_000 * 320 / 365 + 30_000 * (q - d) / q
        )
    );
    assert!(r.recognised_annual == 9172 + 6976 && r.deferred_annual == 94_684 + 23_023);
}

fn february_and_april(feb: &CurrencyReport, april: &CurrencyReport) {
    // February: F (30.00 with its coupon, from 02-01 00:00: this period's), C (90.00), E (128.00).
    assert_eq!((feb.new_mrr, feb.expansion_mrr), (3000 + 9000 + 12_800, 0));
    assert_eq!((feb.mrr_start, feb.mrr), (3920 + 9900 + 2000, 40_620));
    // April: E's invoice recovered; G's second month at full price.
    assert_eq!((april.recovered, april.recovered_amount), (1, 12_800));
    assert_eq!((april.failed_outstanding, april.expansion_mrr), (0, 3000));
}
