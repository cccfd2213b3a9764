//! The finance report as text: money in its currency's major units (from integer minor units, never
//! through floats), percentages from basis points, one block per currency; and dates on the command line.

use crate::domain::Millis;
use crate::domain::finance_report::{CurrencyReport, Report};

pub use super::money::money;

/// Basis points → `2.5 %`.
pub fn percent(bp: i64) -> String {
    format!("{}.{} %", bp / 100, (bp % 100).abs() / 10)
}

/// `YYYY-MM-DD` (UTC midnight) → epoch milliseconds.
pub fn parse_date(s: &str) -> Result<Millis, crate::domain::Refusal> {
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|e| format!("{s:?} is not a date like 2026-11-01: {e}"))?;
    Ok(d.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp_millis())
}

/// The calendar date of `ms` in `tz`.
pub fn date_in(tz: chrono_tz::Tz, ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(String::new, |t| {
        t.with_timezone(&tz).format("%Y-%m-%d").to_string()
    })
}

/// The calendar date of `ms` in UTC.
pub fn date(ms: Millis) -> String {
    date_in(chrono_tz::UTC, ms)
}

fn block(r: &CurrencyReport) -> String {
    let m = |v: i64| money(v, &r.currency);
    [
        r.currency.to_uppercase(),
        format!("  MRR                {}  (from {}; ARR {})", m(r.mrr), m(r.mrr_start), m(r.arr)),
        format!(
            "  MRR movement       new {} · expansion {} · reactivation {} · contraction -{} · churned -{} = net {}",
            m(r.new_mrr),
            m(r.expansion_mrr),
            m(r.reactivation_mrr),
            m(r.contraction_mrr),
            m(r.churned_mrr),
            m(r.net_new_mrr)
        ),
        format!("  Paying customers   {} (from {}); {} churned", r.customers, r.customers_start, r.churned_customers),
        format!("  Churn              logo {} · revenue {}", percent(r.logo_churn_bp), percent(r.revenue_churn_bp)),
        format!("  Cash collected     {}", m(r.cash_collected)),
        format!(
            "  Failed payments    {} outstanding ({}); {} recovered ({})",
            r.failed_outstanding,
            m(r.failed_outstanding_amount),
            r.recovered,
            m(r.recovered_amount)
        ),
        format!("  Refunds            {} ({})", r.refunds, m(r.refunds_amount)),
        format!("  Disputes           {} ({})", r.disputes, m(r.disputes_amount)),
        format!("  Annual plans       recognised {} · deferred {}", m(r.recognised_annual), m(r.deferred_annual)),
    ]
    .join("\n")
}

/// `▲ 95.00 USD` / `▼ 4.00 USD` / `= ` against the previous period.
fn change(now: i64, before: i64, currency: &str) -> String {
    match now.cmp(&before) {
        std::cmp::Ordering::Greater => format!("▲ {}", money(now - before, currency)),
        std::cmp::Ordering::Less => format!("▼ {}", money(before - now, currency)),
        std::cmp::Ordering::Equal => "unchanged".into(),
    }
}

/// A digest's text: each currency's headline figures with their change against the previous period.
pub fn digest(cur: &Report, prev: &Report) -> String {
    if cur.currencies.is_empty() {
        return "No Stripe data yet: point a Stripe webhook at /hooks/stripe.".into();
    }
    let empty = CurrencyReport::default();
    cur.currencies
        .iter()
        .map(|r| {
            let p = prev.currencies.iter().find(|p| p.currency == r.currency).unwrap_or(&empty);
            let m = |v: i64| money(v, &r.currency);
            let c = |a: i64, b: i64| change(a, b, &r.currency);
            [
                format!("*{}* MRR {} ({}) · ARR {}", r.currency.to_uppercase(), m(r.mrr), c(r.mrr, r.mrr_start), m(r.arr)),
                format!(
                    "New {} · expansion {} · reactivation {} · contraction {} · churned {} ({} customer{})",
                    m(r.new_mrr),
                    m(r.expansion_mrr),
                    m(r.reactivation_mrr),
                    m(r.contraction_mrr),
                    m(r.churned_mrr),
                    r.churned_customers,
                    if r.churned_customers == 1 { "" } else { "s" }
                ),
                format!("Cash collected {} ({} vs the period before)", m(r.cash_collected), c(r.cash_collected, p.cash_collected)),
                format!(
                    "At risk: {} failed payment{} outstanding ({}); {} recovered ({})",
                    r.failed_outstanding,
                    if r.failed_outstanding == 1 { "" } else { "s" },
                    m(r.failed_outstanding_amount),
                    r.recovered,
                    m(r.recovered_amount)
                ),
                format!("Refunds {} ({}) · disputes {} ({})", r.refunds, m(r.refunds_amount), r.disputes, m(r.disputes_amount)),
                format!("Annual plans: recognised {} · deferred {}", m(r.recognised_annual), m(r.deferred_annual)),
            ]
            .join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The report as text, its dates in `tz`.
pub fn text(r: &Report, tz: chrono_tz::Tz) -> String {
    let head = format!(
        "Finance {} → {} (end exclusive, {tz})",
        date_in(tz, r.from),
        date_in(tz, r.to)
    );
    if r.currencies.is_empty() {
        return format!("{head}\nNo Stripe data yet: point a Stripe webhook at /hooks/stripe.");
    }
    std::iter::once(head)
        .chain(r.currencies.iter().map(block))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_exact_and_grouped_per_currency() {
        assert_eq!(percent(250), "2.5 %");
        assert_eq!(parse_date("2026-11-01"), Ok(1_793_491_200_000));
        assert!(parse_date("November").unwrap_err().0.contains("not a date"));
    }
}
