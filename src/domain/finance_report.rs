//! The finance figures for a period `[from, to)`, per currency (never summed across currencies): MRR and
//! its movements per customer (new, expansion, contraction, churned, reactivation), logo and revenue
//! churn, failed payments outstanding and recovered, refunds, disputes, cash collected, and recognised and
//! deferred revenue of annual plans (straight-line by day). docs/finance.md defines each one. Pure.

use super::Millis;
use super::finance::{Invoice, Ledger, SubVersion};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
    pub cash_collected: i64,
    pub recognised_annual: i64,
    pub deferred_annual: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub from: Millis,
    pub to: Millis,
    pub currencies: Vec<CurrencyReport>,
}

/// Each subscription's latest version at or before `t`.
fn as_of(subs: &[SubVersion], t: Millis) -> BTreeMap<&str, &SubVersion> {
    let mut latest: BTreeMap<&str, &SubVersion> = BTreeMap::new();
    for v in subs.iter().filter(|v| v.at <= t) {
        let e = latest.entry(v.id.as_str()).or_insert(v);
        if (v.at, v.rank) >= (e.at, e.rank) {
            *e = v;
        }
    }
    latest
}

/// MRR per (currency, customer) at `t`.
fn mrr_by_customer(subs: &[SubVersion], t: Millis) -> BTreeMap<(String, String), i64> {
    let mut m = BTreeMap::new();
    for v in as_of(subs, t).values() {
        *m.entry((v.currency.clone(), v.customer.clone()))
            .or_default() += v.mrr(t);
    }
    m
}

fn bp(part: i64, whole: i64) -> i64 {
    if whole == 0 {
        0
    } else {
        (part as i128 * 10_000 / whole as i128) as i64
    }
}

/// Whole days of `[a, b)` that fall in `[lo, hi)`.
fn days_within(a: Millis, b: Millis, lo: Millis, hi: Millis) -> i64 {
    ((b.min(hi) - a.max(lo)) / DAY).max(0)
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
        cur(&mut out, &c.currency).cash_collected += c.amount;
    }
    let currencies = out
        .into_values()
        .map(|mut r| {
            r.arr = r.mrr * 12;
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
    }
}

/// MRR at both ends of the period per customer, and what moved it: new, reactivation, expansion,
/// contraction, churn.
fn mrr_movements(l: &Ledger, from: Millis, to: Millis, out: &mut BTreeMap<String, CurrencyReport>) {
    let start = mrr_by_customer(&l.subscriptions, from);
    let end = mrr_by_customer(&l.subscriptions, to);
    // Customers who paid before the period: their return is a reactivation, not new business.
    let paid_before: BTreeSet<(String, String)> = l
        .subscriptions
        .iter()
        .filter(|v| v.at < from && v.mrr(v.at) > 0)
        .map(|v| (v.currency.clone(), v.customer.clone()))
        .collect();
    let keys: BTreeSet<&(String, String)> = start.keys().chain(end.keys()).collect();
    for k in keys {
        let (a, b) = (
            start.get(k).copied().unwrap_or(0),
            end.get(k).copied().unwrap_or(0),
        );
        let r = cur(out, &k.0);
        r.mrr_start += a;
        r.mrr += b;
        r.customers_start += (a > 0) as i64;
        r.customers += (b > 0) as i64;
        match (a > 0, b > 0) {
            (false, true) if paid_before.contains(k) => r.reactivation_mrr += b,
            (false, true) => r.new_mrr += b,
            (true, false) => {
                r.churned_mrr += a;
                r.churned_customers += 1;
            }
            (true, true) if b > a => r.expansion_mrr += b - a,
            (true, true) => r.contraction_mrr += a - b,
            (false, false) => {}
        }
    }
}

/// One invoice's share of the figures: failed and still due at the period's end, recovered within
/// it, and its annual lines' revenue recognised within it and deferred past it.
fn invoice_figures(i: &Invoice, from: Millis, to: Millis, r: &mut CurrencyReport) {
    let within = |t: Millis| t >= from && t < to;
    let paid_by = |t: Millis| i.paid_at.is_some_and(|p| p < t);
    if i.failed_at.is_some_and(|f| f < to)
        && !paid_by(to)
        && !matches!(i.status.as_str(), "void" | "uncollectible")
    {
        r.failed_outstanding += 1;
        r.failed_outstanding_amount += i.amount_due - i.amount_paid;
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
        let total = days_within(
            line.period_start,
            line.period_end,
            i64::MIN / 2,
            i64::MAX / 2,
        )
        .max(1);
        let share = |days: i64| (line.amount as i128 * days as i128 / total as i128) as i64;
        r.recognised_annual += share(days_within(line.period_start, line.period_end, from, to));
        r.deferred_annual += share(days_within(
            line.period_start,
            line.period_end,
            to,
            i64::MAX / 2,
        ));
    }
}

/// MRR at the end of each of the `n` weeks ending at `to` (oldest first), for one currency.
pub fn weekly_mrr(l: &Ledger, currency: &str, to: Millis, n: usize) -> Vec<(Millis, i64)> {
    (0..n as i64)
        .rev()
        .map(|w| {
            let t = to - w * 7 * DAY;
            (
                t,
                mrr_by_customer(&l.subscriptions, t)
                    .iter()
                    .filter(|((c, _), _)| c == currency)
                    .map(|(_, v)| v)
                    .sum(),
            )
        })
        .collect()
}
