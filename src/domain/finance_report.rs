//! The finance figures for a period `[from, to)`, per currency (never summed across currencies): MRR and
//! its movements per customer (new, expansion, contraction, churned, reactivation), logo and revenue
//! churn, failed payments outstanding and recovered, refunds, disputes, cash (charges, net of refunds), and recognised and
//! deferred revenue of annual plans (straight-line by the millisecond). docs/finance.md defines each one. Pure.

use super::Millis;
use super::finance::{Invoice, Ledger};
use super::finance_mrr::{Discounts, account_mrr, accounts, changes};
use serde::Serialize;
use std::collections::BTreeMap;

pub const DAY: Millis = 86_400_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CurrencyReport {
    pub currency: String,
    pub mrr_start: i64,
    pub mrr: i64,
    pub arr: i64,
    pub new_mrr: i64,
    pub expansion_mrr: i64,
    pub contraction_mrr: i64,
    pub churned_mrr: i64,
    pub reactivation_mrr: i64,
    pub net_new_mrr: i64,
    pub customers_start: i64,
    pub customers: i64,
    pub churned_customers: i64,
    /// Churned customers ÷ paying customers at the start, in basis points.
    pub logo_churn_bp: i64,
    /// (Churned + contraction MRR) ÷ MRR at the start, in basis points.
    pub revenue_churn_bp: i64,
    pub failed_outstanding: i64,
    pub failed_outstanding_amount: i64,
    pub recovered: i64,
    pub recovered_amount: i64,
    pub refunds: i64,
    pub refunds_amount: i64,
    pub disputes: i64,
    pub disputes_amount: i64,
    /// Succeeded charges created in the period (before refunds).
    pub cash_gross: i64,
    /// Gross charges less the period's refunds.
    pub cash_net: i64,
    pub recognised_annual: i64,
    pub deferred_annual: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub from: Millis,
    pub to: Millis,
    pub currencies: Vec<CurrencyReport>,
    /// Failed payments and disputes that arrived in the period too late to announce.
    pub late_events: i64,
}

fn bp(part: i64, whole: i64) -> i64 {
    if whole == 0 {
        0
    } else {
        (part as i128 * 10_000 / whole as i128) as i64
    }
}

/// How much of `[a, b)` falls in `[lo, hi)`, in milliseconds.
fn overlap(a: Millis, b: Millis, lo: Millis, hi: Millis) -> i64 {
    (b.min(hi) - a.max(lo)).max(0)
}

fn cur<'a>(out: &'a mut BTreeMap<String, CurrencyReport>, c: &str) -> &'a mut CurrencyReport {
    out.entry(c.to_string()).or_insert_with(|| CurrencyReport {
        currency: c.to_string(),
        ..Default::default()
    })
}

/// Every figure of `[from, to)` per currency (docs/finance.md defines each).
pub fn report(l: &Ledger, from: Millis, to: Millis) -> Report {
    let mut out: BTreeMap<String, CurrencyReport> = BTreeMap::new();
    mrr_movements(l, from, to, &mut out);
    for i in &l.invoices {
        invoice_figures(i, from, to, cur(&mut out, &i.currency));
    }
    let within = |t: Millis| t >= from && t < to;
    for x in l
        .refunds
        .iter()
        .filter(|x| within(x.created) && !matches!(x.status.as_str(), "failed" | "canceled"))
    {
        let r = cur(&mut out, &x.currency);
        r.refunds += 1;
        r.refunds_amount += x.amount;
    }
    for d in l.disputes.iter().filter(|d| within(d.created)) {
        let r = cur(&mut out, &d.currency);
        r.disputes += 1;
        r.disputes_amount += d.amount;
    }
    for c in l
        .charges
        .iter()
        .filter(|c| within(c.created) && c.status == "succeeded")
    {
        cur(&mut out, &c.currency).cash_gross += c.amount;
    }
    let currencies = out
        .into_values()
        .map(|mut r| {
            r.arr = r.mrr * 12;
            r.cash_net = r.cash_gross - r.refunds_amount;
            r.net_new_mrr = r.new_mrr + r.reactivation_mrr + r.expansion_mrr
                - r.contraction_mrr
                - r.churned_mrr;
            r.logo_churn_bp = bp(r.churned_customers, r.customers_start);
            r.revenue_churn_bp = bp(r.churned_mrr + r.contraction_mrr, r.mrr_start);
            r
        })
        .collect();
    Report {
        from,
        to,
        currencies,
        late_events: l.late.iter().filter(|(_, at)| within(*at)).count() as i64,
    }
}

/// MRR at both ends of the period, and every move of each customer's MRR within it, in order: from 0
/// to above 0 is new business (or a reactivation for a customer who paid before), above 0 to 0 is
/// churn, and between two amounts above 0 an expansion or a contraction. A customer who cancels and
/// comes back within the period is churn and a reactivation. The moves add up to MRR(`to`) − MRR(`from`).
fn mrr_movements(l: &Ledger, from: Millis, to: Millis, out: &mut BTreeMap<String, CurrencyReport>) {
    let d = Discounts::new(l);
    // The period is `[from, to)`: a change at `from` is this period's, one at `to` the next's. So the
    // MRR it starts from is the one just before `from`, and it ends with the one just before `to`.
    let (before, last) = (from - 1, to - 1);
    for ((currency, _), subs) in accounts(l) {
        let start = account_mrr(&d, &subs, before);
        // Whether the customer paid before the period: their return is a reactivation.
        let mut paid = subs
            .iter()
            .any(|v| v.at < from && account_mrr(&d, &subs, v.at) > 0);
        let r = cur(out, &currency);
        r.mrr_start += start;
        r.customers_start += (start > 0) as i64;
        let (mut a, mut churned) = (start, false);
        for t in changes(&d, &subs, before, last) {
            let b = account_mrr(&d, &subs, t);
            match (a > 0, b > 0) {
                (false, true) if paid => r.reactivation_mrr += b,
                (false, true) => r.new_mrr += b,
                (true, false) => {
                    r.churned_mrr += a;
                    churned = true;
                }
                (true, true) if b > a => r.expansion_mrr += b - a,
                (true, true) => r.contraction_mrr += a - b,
                (false, false) => {}
            }
            paid |= b > 0;
            a = b;
        }
        r.mrr += a;
        r.customers += (a > 0) as i64;
        r.churned_customers += churned as i64;
    }
}

/// One invoice's share of the figures, as things stood at the period's end: failed and still due at
/// `to` (whatever was paid or voided since), recovered within the period, and its long lines' revenue
/// recognised within it and deferred past it.
fn invoice_figures(i: &Invoice, from: Millis, to: Millis, r: &mut CurrencyReport) {
    let within = |t: Millis| t >= from && t < to;
    let paid_by = |t: Millis| i.paid_at.is_some_and(|p| p < t);
    let closed_by = |t: Millis| {
        i.closed_at.is_some_and(|c| c < t)
            || (i.closed_at.is_none() && matches!(i.status.as_str(), "void" | "uncollectible"))
    };
    if i.failed_at.is_some_and(|f| f < to) && !paid_by(to) && !closed_by(to) {
        r.failed_outstanding += 1;
        // Unpaid at `to`: all of it was due then, whatever was paid since.
        r.failed_outstanding_amount += i.amount_due;
    }
    if i.failed_at.is_some() && i.paid_at.is_some_and(within) {
        r.recovered += 1;
        r.recovered_amount += i.amount_paid;
    }
    if !paid_by(to) {
        return;
    }
    for line in i
        .lines
        .iter()
        .filter(|x| x.period_end - x.period_start > 31 * DAY)
    {
        let (recognised, deferred) = recognise(
            line.amount - line.discount,
            (line.period_start, line.period_end),
            from,
            to,
        );
        r.recognised_annual += recognised;
        r.deferred_annual += deferred;
    }
}

/// Straight-line by the millisecond: the share of `amount` for service in `[from, to)`, and the
/// share after `to`, each rounded down (so together at most one minor unit short of what is due).
pub fn recognise(amount: i64, period: (Millis, Millis), from: Millis, to: Millis) -> (i64, i64) {
    let (a, b) = period;
    let total = (b - a).max(1) as i128;
    let share = |ms: i64| (amount as i128 * ms as i128 / total) as i64;
    (
        share(overlap(a, b, from, to)),
        share(overlap(a, b, to, i64::MAX / 2)),
    )
}

/// MRR at the end of each of the `n` weeks ending at `to` (oldest first; each end exclusive, like a
/// report's), for one currency.
pub fn weekly_mrr(l: &Ledger, currency: &str, to: Millis, n: usize) -> Vec<(Millis, i64)> {
    let d = Discounts::new(l);
    let accounts = accounts(l);
    (0..n as i64)
        .rev()
        .map(|w| {
            let t = to - w * 7 * DAY;
            let mrr = accounts
                .iter()
                .filter(|((c, _), _)| c == currency)
                .map(|(_, subs)| account_mrr(&d, subs, t - 1))
                .sum();
            (t, mrr)
        })
        .collect()
}

#[cfg(test)]
#[path = "finance_report_tests.rs"]
mod tests;
